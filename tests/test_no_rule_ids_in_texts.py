"""Rule ids (G2, E3, …) belong in code and tests; no text a user or support reads shows one."""
import json
import re
from pathlib import Path

import pytest

from server.i18n import CATALOGS

ROOT = Path(__file__).resolve().parent.parent
RULE_ID = re.compile(r"\b[ACEGL][1-6]\b")


def texts():
    for language, catalog in CATALOGS.items():
        for section, texts in catalog.items():
            for key, text in texts.items():
                yield f"server text {section}.{key} ({language})", text
    for locale in sorted((ROOT / "extension" / "_locales").glob("*/messages.json")):
        for key, entry in json.loads(locale.read_text(encoding="utf-8")).items():
            yield f"extension {key} ({locale.parent.name})", entry["message"]
    for template in sorted((ROOT / "server" / "mail" / "templates").glob("*")):
        yield f"ticket template {template.name}", template.read_text(encoding="utf-8")
    # What IT sees of a policy in the browser's policy tools.
    schema = json.loads((ROOT / "extension" / "managed_schema.json").read_text(encoding="utf-8"))
    for key, setting in schema["properties"].items():
        yield f"policy setting {key}", f"{setting['title']} {setting['description']}"
    # The guides for users, for the key user who deploys, for support who run the server.
    for guide in ("user-guide.md", "deploying.md", "operations.md"):
        yield f"docs/{guide}", (ROOT / "docs" / guide).read_text(encoding="utf-8")


@pytest.mark.parametrize("where, text", list(texts()), ids=lambda value: str(value)[:60])
def test_no_rule_id_in_a_text_people_read(where, text):
    assert not RULE_ID.search(str(text)), f"{where} shows a rule id: {text!r}"
