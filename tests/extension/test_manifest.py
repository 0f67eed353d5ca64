"""The extension's manifest, its two background loaders and its locales agree.

Chromium loads the background through service-worker.js's importScripts, Firefox through
manifest `background.scripts`; a file added to one and not the other works in one browser
only. A missing content script stops Chromium from loading the extension at all.
"""
import json
import re
from pathlib import Path

import pytest

from scripts import i18n

EXTENSION = Path(__file__).resolve().parents[2] / "extension"
MANIFEST = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))


def imported_by_service_worker():
    source = (EXTENSION / "service-worker.js").read_text(encoding="utf-8")
    call = re.search(r"importScripts\((.*?)\);", source, re.S).group(1)
    return re.findall(r'"([^"]+)"', call)


def test_both_browsers_load_the_same_background_files_in_the_same_order():
    assert MANIFEST["background"]["scripts"] == [*imported_by_service_worker(), "service-worker.js"]


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
