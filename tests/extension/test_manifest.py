"""The extension's manifest, its load lists and its locales agree.

The background is one ES module for both browsers: Chromium runs service-worker.js as the
MV3 service worker, Firefox as its background script, and its imports are the only load
list. The extension pages load one module each. A file no page, worker or content script
reaches is dead; a missing content script stops Chromium from loading the extension at all.
"""
import json
import re
from pathlib import Path

import pytest

from scripts import i18n

EXTENSION = Path(__file__).resolve().parents[2] / "extension"
MANIFEST = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))
PAGES = ["report/report.html", "options/options.html", "popup/popup.html"]
IMPORT = re.compile(r'^\s*(?:import|export)\s(?:[^"\']*?\sfrom\s)?["\']([^"\']+)["\']',
                    re.M | re.S)
LIB_EXPORT = re.compile(
    r'\n  if \(typeof module === "object" && module\.exports\) module\.exports = api;\n'
    r'  else \(globalThis\.OSR = globalThis\.OSR \|\| \{\}\)\.\w+ = api;\n\}\)\(\);\n$')


def imports_of(module: Path) -> set[Path]:
    """What one module imports, as files; import() and importScripts are not used."""
    source = module.read_text(encoding="utf-8")
    return {(module.parent / name).resolve() for name in IMPORT.findall(source)}


def module_graph(entry: Path, loads=imports_of) -> set[Path]:
    """Every file `entry` loads, itself included; `loads` names what one file loads."""
    seen, todo = set(), [entry.resolve()]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        assert module.is_file(), f"{module} is loaded but missing"
        todo.extend(loads(module))
    return seen


def module_scripts(page: str) -> list[str]:
    html = (EXTENSION / page).read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*type=\"module\")", html), f"{page} loads a classic script"
    return re.findall(r'<script type="module" src="([^"]+)"></script>', html)


def test_both_browsers_run_the_background_as_one_module():
    background = MANIFEST["background"]
    assert background == {"service_worker": "service-worker.js", "scripts": ["service-worker.js"],
                          "type": "module"}


def test_nothing_uses_importscripts_any_more():
    """A module worker has no importScripts: a second load list would fail in both browsers."""
    for path in EXTENSION.rglob("*.js"):
        assert "importScripts(" not in path.read_text(encoding="utf-8"), path


def test_the_service_worker_loads_every_background_file():
    loaded = module_graph(EXTENSION / "service-worker.js")
    background = {p.resolve() for p in (EXTENSION / "background").glob("*.js")}
    assert background - loaded == set()
    assert (EXTENSION / "lib.js").resolve() in loaded


@pytest.mark.parametrize("page", PAGES)
def test_each_page_loads_one_module_from_its_own_folder(page):
    [entry] = module_scripts(page)
    assert "/" not in entry
    files = module_graph(EXTENSION / Path(page).parent / entry)
    folders = {p.relative_to(EXTENSION).parts[0] for p in files}
    # Its own folder and lib/ only: what two pages share is in lib/, not in another page's folder.
    assert folders <= {Path(page).parent.name, "lib", "lib.js"}


STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
CSS_IMPORT = re.compile(r'^@import url\("([^"]+)"\);', re.M)


def sheets_of(path: Path) -> set[Path]:
    """The sheets one page links or one sheet imports, as files."""
    pattern = STYLESHEET if path.suffix == ".html" else CSS_IMPORT
    return {(path.parent / href).resolve() for href in pattern.findall(path.read_text("utf-8"))}


@pytest.mark.parametrize("page", PAGES)
def test_each_page_links_its_own_sheet_which_builds_on_the_shared_one(page):
    [own] = STYLESHEET.findall((EXTENSION / page).read_text(encoding="utf-8"))
    assert "/" not in own
    sheets = {p.relative_to(EXTENSION).as_posix()
              for p in module_graph(EXTENSION / page, loads=sheets_of)} - {page}
    # What two pages share is in lib/, never reached in another page's folder.
    assert sheets == {f"{Path(page).parent.name}/{own}", "lib/page.css"}


def test_every_lib_file_has_the_one_export_pattern_and_is_used():
    """Classic scripts (content scripts cannot be modules): node's module.exports, else OSR."""
    content = {name for entry in MANIFEST["content_scripts"] for name in entry["js"]}
    for_modules = {p.relative_to(EXTENSION).as_posix() for p in module_graph(EXTENSION / "lib.js")}
    for path in sorted((EXTENSION / "lib").glob("*.js")):
        if path.name.endswith(".test.js"):
            continue
        name = path.relative_to(EXTENSION).as_posix()
        source = path.read_text(encoding="utf-8")
        assert LIB_EXPORT.search(source), name
        assert not re.search(r"^\s*(import|export)\s", source, re.M), name
        assert name in content or name in for_modules, f"{name} is loaded by nothing"


def every_file_the_manifest_names():
    files = set(MANIFEST["background"]["scripts"]) | {MANIFEST["background"]["service_worker"]}
    for entry in MANIFEST["content_scripts"]:
        files |= set(entry["js"])
    files |= set(MANIFEST["icons"].values())
    files |= {MANIFEST["action"]["default_popup"], MANIFEST["options_ui"]["page"],
              MANIFEST["storage"]["managed_schema"]}
    return sorted(files)


@pytest.mark.parametrize("name", every_file_the_manifest_names())
def test_every_file_the_manifest_names_exists(name):
    assert (EXTENSION / name).is_file()


def test_a_file_is_named_in_one_content_script_world_only():
    """Chrome injects a file listed in two entries once, into the first entry's world."""
    seen = [name for entry in MANIFEST["content_scripts"] for name in entry["js"]]
    assert len(seen) == len(set(seen))


def test_every_message_the_extension_uses_exists_in_every_locale():
    assert i18n.check() == []
    catalog = json.loads((EXTENSION / "_locales" / "en" / "messages.json").read_text("utf-8"))
    used = set(re.findall(r"__MSG_(\w+)__", json.dumps(MANIFEST)))
    for path in EXTENSION.rglob("*"):
        if path.suffix in (".js", ".html") and "_locales" not in path.parts:
            lines = path.read_text(encoding="utf-8").splitlines()
            text = "\n".join(line for line in lines if not line.lstrip().startswith("//"))
            used |= set(re.findall(r"getMessage\(\s*[\"'](\w+)[\"']", text))
            used |= set(re.findall(r"data-i18n(?:-[\w-]+)?=\"(\w+)\"", text))
    assert {"extensionName", "button_report"} <= used  # the scan finds real uses
    assert sorted(used - set(catalog)) == []
