"""The documentation stays true to the code: every setting documented, every link alive."""
import re
from pathlib import Path

import pytest

from server.config import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("key", sorted(DEFAULTS))
def test_every_setting_is_in_the_operators_table(key):
    table = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert f"`{key.lower()}`" in table, f"docs/operations.md does not document {key.lower()}"


def links():
    for page in DOCS:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if not re.match(r"[a-z]+:", target):
                yield page.relative_to(ROOT).as_posix(), target


@pytest.mark.parametrize("page, target", list(links()))
def test_every_relative_link_points_at_a_file(page, target):
    assert ((ROOT / page).parent / target).exists(), f"{page} links to missing {target}"
