"""`make package`: the extension as the stores and a company's browsers take it, in dist/.

  odoo-support-reporter-<version>-webstore.zip  Chrome Web Store / Edge Add-ons upload
  odoo-support-reporter.crx                     CRX3 signed with the partner's key (policy install)
  odoo-support-reporter.xpi                     Firefox package for AMO (signed there)

One version for all three: extension/manifest.json's. The CRX key is made once, kept outside
the repository (`--key`, created with a message when missing); its public half goes into the
CRX's manifest `key`, so the extension id is the partner's own (printed, and what the server's
CORS and the policies name). Signing uses the openssl command: no Python dependency.
"""
import argparse
import base64
import copy
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from server import crx

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "extension"
NAME = "odoo-support-reporter"
CRX_NAME = f"{NAME}.crx"
XPI_NAME = f"{NAME}.xpi"
UPDATES_XML = "/extension/updates.xml"
UPDATES_JSON = "/extension/updates.json"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same source gives the same bytes


def extension_files(source: Path) -> list[Path]:
    """Every file the extension ships: no unit tests (*.test.js), nothing hidden."""
    return sorted(path for path in source.rglob("*")
                  if path.is_file() and not path.name.endswith(".test.js")
                  and not any(part.startswith(".") for part in path.relative_to(source).parts))


def archive(source: Path, manifest: dict) -> bytes:
    """A zip of the extension with `manifest` as its manifest.json (byte-for-byte repeatable)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in extension_files(source):
            name = path.relative_to(source).as_posix()
            data = (json.dumps(manifest, indent=2, ensure_ascii=False).encode() + b"\n"
                    if name == "manifest.json" else path.read_bytes())
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zipped.writestr(info, data)
    return buffer.getvalue()


def chromium_manifest(manifest: dict, public_key_der: bytes | None, update_url: str | None):
    """Chrome/Edge: no Firefox keys; the partner's public key (CRX) or none (Web Store)."""
    chromium = copy.deepcopy(manifest)
    chromium.pop("browser_specific_settings", None)
    chromium["background"].pop("scripts", None)
    chromium.pop("key", None)  # the Web Store refuses a `key` and gives its own id
    if public_key_der is not None:
        chromium["key"] = base64.b64encode(public_key_der).decode()
    if update_url:
        chromium["update_url"] = update_url + UPDATES_XML
    return chromium


def firefox_manifest(manifest: dict, update_url: str | None):
    """Firefox: event page scripts, no Chromium `key`; self-hosted updates when asked."""
    firefox = copy.deepcopy(manifest)
    firefox.pop("key", None)
    firefox["background"].pop("service_worker", None)
    if update_url:
        firefox["browser_specific_settings"]["gecko"]["update_url"] = update_url + UPDATES_JSON
    return firefox


def ensure_key(path: Path) -> None:
    """The partner's RSA key; made once (2048 bits, mode 600) with a message when missing."""
    if path.is_file():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                    "rsa_keygen_bits:2048", "-out", str(path)], check=True, capture_output=True)
    path.chmod(0o600)
    print(f"Created a new signing key: {path}\n"
          "  Keep it and back it up, outside the repository: every later version must be\n"
          "  signed with the same key, or browsers see a different extension (a new id).",
          file=sys.stderr)


def public_key_der(key: Path) -> bytes:
    """The SubjectPublicKeyInfo (DER) of the private key at `key`."""
    return subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-outform", "DER"],
                          check=True, capture_output=True).stdout


def sign(key: Path, data: bytes) -> bytes:
    """RSA PKCS#1 v1.5 over SHA-256, as CRX3's sha256_with_rsa proof wants."""
    with tempfile.NamedTemporaryFile() as payload:
        payload.write(data)
        payload.flush()
        return subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(key), payload.name],
                              check=True, capture_output=True).stdout


def build(out: Path, key: Path, update_url: str | None = None, source: Path = EXTENSION) -> dict:
    """Write the three packages into `out`; returns what was built (version, ids, paths)."""
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    version = manifest["version"]
    update_url = update_url.rstrip("/") if update_url else None
    ensure_key(key)
    public = public_key_der(key)
    out.mkdir(parents=True, exist_ok=True)

    webstore = out / f"{NAME}-{version}-webstore.zip"
    webstore.write_bytes(archive(source, chromium_manifest(manifest, None, None)))
    zipped = archive(source, chromium_manifest(manifest, public, update_url))
    signature = sign(key, crx.signed_payload(crx.signed_header_data(public), zipped))
    (out / CRX_NAME).write_bytes(crx.encode(public, signature, zipped))
    (out / XPI_NAME).write_bytes(archive(source, firefox_manifest(manifest, update_url)))
    return {"version": version, "chromium_id": crx.extension_id(public),
            "gecko_id": manifest["browser_specific_settings"]["gecko"]["id"],
            "webstore": webstore, "crx": out / CRX_NAME, "xpi": out / XPI_NAME}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make package", description=__doc__.split("\n")[0])
    default_key = Path(os.path.expanduser("~/.config/odoo-support-reporter/crx-key.pem"))
    parser.add_argument("--key", type=Path, default=default_key,
                        help="the partner's CRX signing key (PEM); created when missing")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--update-url", help="the support server's https://… address: the "
                        "packages then update themselves from its /extension/ routes")
    args = parser.parse_args(argv)
    key = args.key.expanduser()
    if key.resolve().is_relative_to(ROOT):
        parser.error(f"--key {args.key}: keep the signing key outside the repository")
    built = build(args.out, key, args.update_url)
    print(f"Version {built['version']}\n"
          f"  Chrome Web Store / Edge: {built['webstore']}\n"
          f"  CRX (policy install):    {built['crx']}\n"
          f"  Firefox (sign on AMO):   {built['xpi']}\n"
          f"Chromium extension id: {built['chromium_id']}  (cors_origins and policies name it)\n"
          f"Firefox extension id:  {built['gecko_id']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
