"""`make package` (issue 14): three packages of one version, a CRX3 Chromium can verify.

And the server's own sdist and wheel carry its data files (the text catalogs of issue 12).
"""
import base64
import configparser
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import tarfile
import zipfile

import pytest

from scripts import package
from server import crx
from tests.conftest import ROOT

MANIFEST = json.loads((ROOT / "extension" / "manifest.json").read_text(encoding="utf-8"))
# The id the repository's manifest `key` gives the unpacked extension (tests/e2e/conftest.py).
REPOSITORY_ID = "aihjlhgbpcckfioaohgikkcghmimapib"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("package")
    result = subprocess.run(
        ["make", "-s", "package", f"KEY={folder / 'keys' / 'crx-key.pem'}",
         "UPDATE_URL=https://support.partner.example/"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return folder, result


def manifest_of(archive: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        return json.loads(zipped.read("manifest.json"))


def names_in(archive: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        return set(zipped.namelist())


def test_one_version_for_the_manifest_and_setup_cfg():
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    assert setup["metadata"]["version"] == MANIFEST["version"]


@pytest.mark.slow
def test_the_server_installed_from_its_sdist_and_wheel_reads_its_text_catalogs(tmp_path):
    """As `python -m build` does: the sdist, the wheel pip builds from it, then installed."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "server", source / "server",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    catalogs = {f"server/locales/{language}.json" for language in ("en", "fi", "sv")}

    subprocess.run([sys.executable, "-c", "from setuptools import build_meta; "
                    f"build_meta.build_sdist({str(tmp_path / 'sdist')!r})"],
                   cwd=source, capture_output=True, check=True, timeout=120)
    [sdist] = (tmp_path / "sdist").glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert catalogs <= in_sdist

    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                    str(tmp_path / "wheel"), str(sdist)], check=True, timeout=300)
    [wheel] = (tmp_path / "wheel").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert catalogs <= set(archive.namelist())

    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(site), str(wheel)], check=True, timeout=120)
    loaded = subprocess.run(
        [sys.executable, "-c", "from server.i18n import LOCALES, t; "
         "from server.mail.labels import labels_for; "
         "print(LOCALES); print(t('not_found', 'fi')); print(labels_for('sv')['customer'])"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(site)}, capture_output=True,
        text=True, check=True, timeout=60)
    assert loaded.stdout.splitlines() == [str(site / "server" / "locales"), "Ei löytynyt.", "Kund"]


def test_make_package_builds_three_packages_of_one_version(built):
    folder, result = built
    dist = ROOT / "dist"
    version = MANIFEST["version"]
    webstore = dist / f"odoo-support-reporter-{version}-webstore.zip"
    crx_file, xpi = dist / "odoo-support-reporter.crx", dist / "odoo-support-reporter.xpi"
    key = folder / "keys" / "crx-key.pem"
    assert "Created a new signing key" in result.stderr and str(key) in result.stderr
    assert oct(key.stat().st_mode & 0o777) == "0o600"

    store_manifest = manifest_of(webstore.read_bytes())
    crx_manifest = manifest_of(crx.decode(crx_file.read_bytes())["archive"])
    firefox_manifest = manifest_of(xpi.read_bytes())
    assert {store_manifest["version"], crx_manifest["version"],
            firefox_manifest["version"]} == {version}
    # The Web Store refuses a `key`; Firefox has no use for it.
    assert "key" not in store_manifest and "key" not in firefox_manifest
    assert "update_url" not in store_manifest
    assert crx_manifest["update_url"] == "https://support.partner.example/extension/updates.xml"
    assert firefox_manifest["browser_specific_settings"]["gecko"]["update_url"] == \
        "https://support.partner.example/extension/updates.json"
    # One ES module for both: Firefox runs it as its background script, Chromium as the worker.
    assert firefox_manifest["background"] == {"scripts": ["service-worker.js"], "type": "module"}
    assert store_manifest["background"] == {"service_worker": "service-worker.js", "type": "module"}
    # Every shipped file, no unit test.
    expected = {p.relative_to(ROOT / "extension").as_posix()
                for p in package.extension_files(ROOT / "extension")}
    for archive in (webstore.read_bytes(), xpi.read_bytes()):
        assert names_in(archive) == expected
    assert not any(name.endswith(".test.js") for name in expected)
    assert "lib/redact.js" in expected and "_locales/fi/messages.json" in expected


def test_the_crx_is_signed_by_the_partners_key_and_names_its_id(built, tmp_path):
    folder, result = built
    key = folder / "keys" / "crx-key.pem"
    data = (ROOT / "dist" / "odoo-support-reporter.crx").read_bytes()
    assert data[:4] == b"Cr24" and struct.unpack("<I", data[4:8]) == (3,)
    parts = crx.decode(data)
    [(public_key, signature)] = parts["rsa_proofs"]
    public_der = subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-outform",
                                 "DER"], check=True, capture_output=True).stdout
    assert public_key == public_der
    extension_id = crx.extension_id(public_der)
    assert crx.id_of(data) == extension_id != REPOSITORY_ID
    assert f"Chromium extension id: {extension_id}" in result.stdout
    # The packaged manifest carries the same public key: unpacked or installed, one id.
    crx_manifest = manifest_of(parts["archive"])
    assert base64.b64decode(crx_manifest["key"]) == public_der
    # The signature verifies with openssl over exactly what crx_verifier.cc hashes.
    (tmp_path / "pub.der").write_bytes(public_der)
    (tmp_path / "sig").write_bytes(signature)
    signed = crx.SIGNATURE_CONTEXT + struct.pack("<I", len(parts["signed_header_data"])) \
        + parts["signed_header_data"] + parts["archive"]
    (tmp_path / "signed").write_bytes(signed)
    verified = subprocess.run(
        ["openssl", "dgst", "-sha256", "-verify", str(tmp_path / "pub.der"), "-keyform", "DER",
         "-signature", str(tmp_path / "sig"), str(tmp_path / "signed")],
        capture_output=True, text=True)
    assert verified.stdout.strip() == "Verified OK", verified.stderr
    # One flipped byte of the archive, and the signature no longer holds.
    (tmp_path / "signed").write_bytes(signed[:-1] + bytes([signed[-1] ^ 1]))
    tampered = subprocess.run(
        ["openssl", "dgst", "-sha256", "-verify", str(tmp_path / "pub.der"), "-keyform", "DER",
         "-signature", str(tmp_path / "sig"), str(tmp_path / "signed")], capture_output=True)
    assert tampered.returncode != 0


def test_the_key_is_reused_so_the_id_stays(built, tmp_path):
    folder, _ = built
    key = folder / "keys" / "crx-key.pem"
    before = key.read_bytes()
    again = package.build(tmp_path / "dist", key)
    assert key.read_bytes() == before
    assert again["chromium_id"] == crx.id_of((ROOT / "dist" / package.CRX_NAME).read_bytes())


def test_the_same_source_gives_the_same_zip(tmp_path):
    first = package.archive(ROOT / "extension", MANIFEST)
    assert package.archive(ROOT / "extension", MANIFEST) == first


def test_a_key_inside_the_repository_is_refused(tmp_path):
    result = subprocess.run(
        ["make", "-s", "package", f"KEY={ROOT / 'crx-key.pem'}"], cwd=ROOT,
        capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "outside the repository" in result.stderr
    assert not (ROOT / "crx-key.pem").exists()


def test_the_id_is_chromiums_mapping_of_the_key_hash():
    """The repository's own manifest key gives the id the e2e tests and docs use."""
    assert crx.extension_id(base64.b64decode(MANIFEST["key"])) == REPOSITORY_ID


def test_a_file_that_is_not_crx3_is_refused():
    with pytest.raises(crx.CrxError, match="magic"):
        crx.decode(b"PK\x03\x04" + b"\0" * 20)
    with pytest.raises(crx.CrxError, match="version 2"):
        crx.decode(b"Cr24" + struct.pack("<II", 2, 0))
    with pytest.raises(crx.CrxError, match="truncated"):
        crx.decode(b"Cr24" + struct.pack("<II", 3, 100) + b"\x12")


@pytest.mark.slow
@pytest.mark.parametrize("update_url, self_hosted", [
    (None, "false"), ("https://support.partner.example", "true")])
def test_the_firefox_package_passes_amos_linter(tmp_path, update_url, self_hosted):
    """What AMO checks on upload: listed (no update_url) or self-hosted (with it)."""
    built = package.build(tmp_path / "dist", tmp_path / "key.pem", update_url=update_url)
    unpacked = tmp_path / "xpi"
    with zipfile.ZipFile(built["xpi"]) as zipped:
        zipped.extractall(unpacked)
    web_ext = ROOT / "node_modules" / ".bin" / "web-ext"
    if not web_ext.exists():
        pytest.fail(f"{web_ext} missing: `make node_modules/.installed` installs it")
    result = subprocess.run(
        [str(web_ext), "lint", "--source-dir", str(unpacked), f"--self-hosted={self_hosted}",
         "--output", "json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout.startswith("{"), result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["errors"] == [], report["errors"]
    assert report["summary"]["errors"] == 0
