"""setup.cfg declares every dependency with a major-version cap; requirements.lock pins them all."""
import configparser
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def declared():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = (config["options"]["install_requires"] + "\n"
             + config["options.extras_require"]["test"]).splitlines()
    return [Requirement(line.strip()) for line in lines if line.strip()]


def locked():
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return {canonicalize_name(name): version
            for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==([^\s\\]+)", text, re.M)}


@pytest.mark.parametrize("requirement", declared(), ids=str)
def test_every_dependency_has_a_major_version_cap(requirement):
    """A new major release must be a decision, not something a fresh install pulls in."""
    assert any(spec.operator in ("<", "<=", "==", "~=") for spec in requirement.specifier), (
        f"{requirement} has no upper bound in setup.cfg")


@pytest.mark.parametrize("requirement", declared(), ids=str)
def test_the_lock_file_pins_a_version_setup_cfg_allows(requirement):
    """`make lock` after changing setup.cfg: the Makefile installs only from the lock file."""
    version = locked().get(canonicalize_name(requirement.name))
    assert version is not None, f"{requirement.name} is not in requirements.lock: run `make lock`"
    assert requirement.specifier.contains(version, prereleases=True), (
        f"requirements.lock pins {requirement.name}=={version}, outside {requirement.specifier}")


def test_the_lock_file_checks_hashes_and_names_no_local_index():
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert "--hash=sha256:" in text
    assert "--index-url" not in text and "--find-links" not in text
