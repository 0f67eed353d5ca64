#!/usr/bin/env python3
"""Add or check the extension's UI strings in every `_locales/<lang>/messages.json`.

Several people add strings at once, so writes take a lock and
rewrite each file sorted. Usage:

    scripts/i18n.py add KEY --description "..." --en "..." --fi "..." [--sv "..."]
    scripts/i18n.py check      # every key in every locale, each with a description
"""
import argparse
import fcntl
import json
import sys
from pathlib import Path

LOCALES = Path(__file__).resolve().parent.parent / "extension" / "_locales"
LANGS = ("en", "fi", "sv")


def _load(lang):
    path = LOCALES / lang / "messages.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _save(lang, messages):
    path = LOCALES / lang / "messages.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(dict(sorted(messages.items())), ensure_ascii=False, indent=2) + "\n"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def add(key, description, texts, placeholders=None):
    """Add one key to every locale; sv falls back to en when not given."""
    with open(LOCALES / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for lang in LANGS:
            messages = _load(lang)
            entry = {"message": texts.get(lang) or texts["en"], "description": description}
            if placeholders:
                entry["placeholders"] = placeholders
            messages[key] = entry
            _save(lang, messages)


def check():
    """Return a list of problems: keys missing in a locale or without a description."""
    problems = []
    catalogs = {lang: _load(lang) for lang in LANGS}
    keys = set().union(*catalogs.values())
    for lang, messages in catalogs.items():
        for key in sorted(keys - set(messages)):
            problems.append(f"{lang}: missing {key}")
        for key, entry in messages.items():
            if not entry.get("description"):
                problems.append(f"{lang}: {key} has no description")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    add_p = sub.add_parser("add")
    add_p.add_argument("key")
    add_p.add_argument("--description", required=True)
    add_p.add_argument("--placeholders", help="JSON object of Chrome i18n placeholders")
    for lang in LANGS:
        add_p.add_argument(f"--{lang}", required=lang != "sv")
    sub.add_parser("check")
    args = parser.parse_args(argv)
    if args.command == "add":
        texts = {lang: getattr(args, lang) for lang in LANGS}
        placeholders = json.loads(args.placeholders) if args.placeholders else None
        add(args.key, args.description, texts, placeholders)
        return 0
    problems = check()
    print("\n".join(problems) or "all locales complete")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
