"""Self-hosted extension updates (issue 14): dist/ served at /extension/ when configured."""
import hashlib
import json
import shutil
import xml.etree.ElementTree as ET

import pytest

from scripts import package
from server import create_app
from server.config import ConfigError, load_settings
from server.customers import demo_customer
from tests.conftest import ROOT

MANIFEST = json.loads((ROOT / "extension" / "manifest.json").read_text(encoding="utf-8"))
GUPDATE = "{http://www.google.com/update2/response}"


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    folder = tmp_path_factory.mktemp("release")
    built = package.build(folder / "dist", folder / "key.pem")
    return built


@pytest.fixture
def app_config(dist):
    return {"EXTENSION_DIST": str(dist["crx"].parent)}


def test_chromium_update_manifest_names_the_crx_by_id_and_version(client, dist):
    response = client.get("/extension/updates.xml", base_url="https://support.partner.example")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{GUPDATE}gupdate" and root.get("protocol") == "2.0"
    [app] = root.findall(f"{GUPDATE}app")
    assert app.get("appid") == dist["chromium_id"]
    [check] = app.findall(f"{GUPDATE}updatecheck")
    assert check.get("version") == MANIFEST["version"]
    assert check.get("codebase") == \
        "https://support.partner.example/extension/odoo-support-reporter.crx"


def test_the_crx_is_served_as_a_chrome_extension_with_an_etag(client, dist):
    response = client.get("/extension/odoo-support-reporter.crx")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/x-chrome-extension"
    assert response.data == dist["crx"].read_bytes()
    assert response.headers["Cache-Control"] == "no-cache"
    etag = response.headers["ETag"]
    again = client.get("/extension/odoo-support-reporter.crx", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_firefox_update_manifest_names_the_xpi_with_its_hash(client, dist):
    response = client.get("/extension/updates.json", base_url="https://support.partner.example")
    assert response.status_code == 200 and response.mimetype == "application/json"
    gecko_id = MANIFEST["browser_specific_settings"]["gecko"]["id"]
    [update] = response.get_json()["addons"][gecko_id]["updates"]
    xpi = dist["xpi"].read_bytes()
    assert update == {
        "version": MANIFEST["version"],
        "update_link": "https://support.partner.example/extension/odoo-support-reporter.xpi",
        "update_hash": "sha256:" + hashlib.sha256(xpi).hexdigest(),
    }
    served = client.get("/extension/odoo-support-reporter.xpi")
    assert served.headers["Content-Type"] == "application/x-xpinstall" and served.data == xpi


def test_a_new_package_is_served_without_a_restart(app, client, dist, tmp_path):
    served = tmp_path / "served"
    shutil.copytree(dist["crx"].parent, served)
    app.config["EXTENSION_DIST"] = str(served)
    first = client.get("/extension/odoo-support-reporter.crx")
    package.build(tmp_path / "next", tmp_path / "other-key.pem")  # another key: other bytes
    shutil.copy(tmp_path / "next" / package.CRX_NAME, served / package.CRX_NAME)
    second = client.get("/extension/odoo-support-reporter.crx",
                        headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.data == (tmp_path / "next" / package.CRX_NAME).read_bytes()


def test_behind_a_proxy_the_package_links_keep_https(tmp_path, dist):
    """nginx terminates TLS and says so in X-Forwarded-Proto (proxy_hops = 1)."""
    app = create_app({"TESTING": True, "OUTBOX": str(tmp_path / "outbox"),
                      "MAIL_URL": "memory://", "DELIVERY_WORKER": False, "PROXY_HOPS": 1,
                      "CUSTOMERS": [demo_customer()],
                      "EXTENSION_DIST": str(dist["crx"].parent)})
    response = app.test_client().get(
        "/extension/updates.xml", base_url="http://support.partner.example",
        headers={"X-Forwarded-For": "192.0.2.1", "X-Forwarded-Proto": "https"})
    check = ET.fromstring(response.data).find(f"{GUPDATE}app/{GUPDATE}updatecheck")
    assert check.get("codebase").startswith("https://support.partner.example/extension/")


def test_the_partners_extension_id_may_call_the_api(client, dist):
    origin = f"chrome-extension://{dist['chromium_id']}"
    response = client.options("/api/v1/config", headers={
        "Origin": origin, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "Authorization"})
    assert response.headers.get("Access-Control-Allow-Origin") == origin
    stranger = client.options("/api/v1/config", headers={
        "Origin": "chrome-extension://" + "b" * 32, "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Origin" not in stranger.headers


def test_without_extension_dist_there_is_no_extension_route(tmp_path):
    app = create_app({"TESTING": True, "OUTBOX": str(tmp_path / "outbox"),
                      "MAIL_URL": "memory://", "DELIVERY_WORKER": False})
    for path in ("/extension/updates.xml", "/extension/odoo-support-reporter.crx",
                 "/extension/updates.json", "/extension/odoo-support-reporter.xpi"):
        response = app.test_client().get(path)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"


def test_a_missing_package_is_404_when_the_other_one_is_there(tmp_path, dist):
    only_crx = tmp_path / "only-crx"
    only_crx.mkdir()
    shutil.copy(dist["crx"], only_crx)
    app = create_app({"TESTING": True, "OUTBOX": str(tmp_path / "outbox"),
                      "MAIL_URL": "memory://", "DELIVERY_WORKER": False,
                      "EXTENSION_DIST": str(only_crx)})
    assert app.test_client().get("/extension/updates.json").status_code == 404
    assert app.test_client().get("/extension/updates.xml").status_code == 200


@pytest.mark.parametrize("make, problem", [
    (lambda folder: folder / "nowhere", "is not a folder"),
    (lambda folder: folder, "holds neither"),
    (lambda folder: (folder / package.CRX_NAME).write_bytes(b"PK\x03\x04zip") and folder,
     "not a CRX3 package"),
])
def test_a_bad_extension_dist_stops_the_server_naming_the_key(tmp_path, make, problem):
    folder = tmp_path / "dist"
    folder.mkdir()
    path = make(folder) or folder
    with pytest.raises(ConfigError, match=f"extension_dist: .*{problem}"):
        load_settings({"EXTENSION_DIST": str(path)}, environ={})
