"""A virtualenv per Odoo version, built from its requirements and cached by their hash."""
import hashlib
import re
import shutil
import subprocess
import sys
import time

from tests.odoo.trees import cache_root, locked


def adjusted_requirements(text):
    """A tree's own requirements.txt made installable here (as ../shared/odoo/README.md lists).

    psycopg2 needs a compiler and libpq headers: its binary wheel is the same code. python-ldap
    needs OpenLDAP headers and only auth_ldap uses it. pkg_resources comes with setuptools<70.
    """
    lines = []
    for line in text.splitlines():
        name = re.split(r"[=<>!~; \[]", line.strip(), maxsplit=1)[0].lower()
        if name == "python-ldap":
            continue
        if name == "psycopg2":
            line = line.replace("psycopg2", "psycopg2-binary", 1)
        lines.append(line)
    if not any(re.match(r"\s*setuptools\b", line) for line in lines):
        lines.append("setuptools<70")
    return "\n".join(lines) + "\n"


def odoo_venv(tree, log):
    """Python of the venv for `tree` (built once per requirements hash and Python version)."""
    text = adjusted_requirements(tree.requirements.read_text())
    key = hashlib.sha256((sys.version + text).encode()).hexdigest()[:16]
    target = cache_root() / "venvs" / f"{tree.series}-{key}"
    python = target / "bin" / "python"
    with locked(target.parent / f"{target.name}.lock"):
        done = target / ".installed"
        if done.exists():
            return python, 0.0
        started = time.monotonic()
        shutil.rmtree(target, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(target)], check=True)
        requirements = target / "requirements.txt"
        requirements.write_text(text)
        with open(log, "ab") as out:
            subprocess.run(
                [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                 "-r", str(requirements)],
                check=True, stdout=out, stderr=subprocess.STDOUT)
        done.touch()
        return python, time.monotonic() - started
