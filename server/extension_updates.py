"""The extension's self-hosted updates: `make package`'s dist/ served to a company's browsers.

With `extension_dist` set, Chromium's ExtensionInstallForcelist / ExtensionSettings and
Firefox's ExtensionSettings point at this server:
  /extension/updates.xml                Chromium's update manifest (gupdate, protocol 2.0)
  /extension/odoo-support-reporter.crx  the CRX3 it names
  /extension/updates.json               Firefox's update manifest
  /extension/odoo-support-reporter.xpi  the package it names (signed by AMO first)
Each answer has an ETag and `Cache-Control: no-cache`: browsers revalidate and get 304 until
the next `make package` replaces a file, which is served at once, without a restart.
"""
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import quoteattr

from flask import Blueprint, Response, current_app, request, url_for
from werkzeug.exceptions import NotFound

from server import crx
from server.config_checks import ConfigError

CRX_NAME = "odoo-support-reporter.crx"
XPI_NAME = "odoo-support-reporter.xpi"
CRX_TYPE = "application/x-chrome-extension"
XPI_TYPE = "application/x-xpinstall"
GUPDATE_NS = "http://www.google.com/update2/response"

bp = Blueprint("extension_updates", __name__, url_prefix="/extension")


@dataclass(frozen=True)
class Package:
    """One built package: its bytes, version and the id browsers know it by."""

    data: bytes
    version: str
    extension_id: str

    @property
    def etag(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:32]


def _manifest(archive: bytes, where: Path) -> dict:
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
            return json.loads(zipped.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ConfigError(f"extension_dist: {where} holds no readable manifest.json") from error


@lru_cache(maxsize=8)
def _read(path: Path, _mtime_ns: int, _size: int) -> Package:
    """One package, parsed once per version of the file on disk."""
    data = path.read_bytes()
    if path.name == CRX_NAME:
        try:
            extension_id, archive = crx.id_of(data), crx.decode(data)["archive"]
        except crx.CrxError as error:
            raise ConfigError(f"extension_dist: {path} is not a CRX3 package: {error}") from error
        return Package(data, _manifest(archive, path)["version"], extension_id)
    manifest = _manifest(data, path)
    gecko_id = manifest.get("browser_specific_settings", {}).get("gecko", {}).get("id")
    if not gecko_id:
        raise ConfigError(f"extension_dist: {path} has no Firefox add-on id")
    return Package(data, manifest["version"], gecko_id)


def read_package(dist: str, name: str) -> Package | None:
    """The package `name` in `dist`, or None when that one was not built."""
    path = Path(dist) / name
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return _read(path, stat.st_mtime_ns, stat.st_size)


def validate(settings: dict) -> None:
    """A dist folder with a readable package; the CRX's id joins the CORS origins."""
    dist = settings["EXTENSION_DIST"]
    if not dist:
        return
    if not Path(dist).is_dir():
        raise ConfigError(f"extension_dist: {dist} is not a folder (`make package` makes dist/)")
    chromium, firefox = read_package(dist, CRX_NAME), read_package(dist, XPI_NAME)
    if chromium is None and firefox is None:
        raise ConfigError(f"extension_dist: {dist} holds neither {CRX_NAME} nor {XPI_NAME}")
    if chromium is not None:
        # A partner's own key gives the extension its own id: its pages must reach the API.
        origin = rf"^chrome-extension://{chromium.extension_id}$"
        if origin not in settings["CORS_ORIGINS"]:
            settings["CORS_ORIGINS"] = (*settings["CORS_ORIGINS"], origin)


def _package_or_404(name: str) -> Package:
    package = read_package(current_app.config["EXTENSION_DIST"], name)
    if package is None:
        raise NotFound()
    return package


def _answer(body: bytes, mimetype: str, etag: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


@bp.get("/updates.xml")
def chromium_updates():
    """Chromium's update manifest: this id is at this version, fetched from this codebase."""
    package = _package_or_404(CRX_NAME)
    codebase = url_for(".chromium_package", _external=True)
    body = ("<?xml version='1.0' encoding='UTF-8'?>\n"
            f"<gupdate xmlns={quoteattr(GUPDATE_NS)} protocol='2.0'>\n"
            f"  <app appid={quoteattr(package.extension_id)}>\n"
            f"    <updatecheck codebase={quoteattr(codebase)} "
            f"version={quoteattr(package.version)}/>\n"
            "  </app>\n</gupdate>\n").encode()
    return _answer(body, "application/xml", hashlib.sha256(body).hexdigest()[:32])


@bp.get("/" + CRX_NAME)
def chromium_package():
    package = _package_or_404(CRX_NAME)
    return _answer(package.data, CRX_TYPE, package.etag)


@bp.get("/updates.json")
def firefox_updates():
    """Firefox's update manifest, with the package's hash so a swapped file is refused."""
    package = _package_or_404(XPI_NAME)
    update = {"version": package.version,
              "update_link": url_for(".firefox_package", _external=True),
              "update_hash": "sha256:" + hashlib.sha256(package.data).hexdigest()}
    body = json.dumps({"addons": {package.extension_id: {"updates": [update]}}}, indent=2).encode()
    return _answer(body, "application/json", hashlib.sha256(body).hexdigest()[:32])


@bp.get("/" + XPI_NAME)
def firefox_package():
    package = _package_or_404(XPI_NAME)
    return _answer(package.data, XPI_TYPE, package.etag)


def init_app(app) -> None:
    """The routes exist only when `extension_dist` is set (404 otherwise)."""
    if app.config["EXTENSION_DIST"]:
        app.register_blueprint(bp)
