"""Where the Odoo trees come from: `ODOO_SRC` (a partner's tree) or `../shared/odoo/*.tar.xz`.

A tarball is unpacked once into a cache folder named by its hash, so a changed tarball
gets a fresh copy and an unchanged one costs nothing on the next run.
"""
import fcntl
import hashlib
import os
import re
import shutil
import tarfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# ../shared/odoo beside the checkout (as in CI); ODOO_SHARED points elsewhere.
SHARED = Path(os.environ.get("ODOO_SHARED") or ROOT.parent / "shared" / "odoo")


def cache_root():
    """`ODOO_TEST_CACHE`, else ~/.cache/odoo-support-reporter (kept between runs)."""
    configured = os.environ.get("ODOO_TEST_CACHE")
    base = Path(configured) if configured else Path.home() / ".cache" / "odoo-support-reporter"
    base.mkdir(parents=True, exist_ok=True)
    return base


@contextmanager
def locked(path):
    """An exclusive lock on `path` (a file beside what is built), so two runs never race."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def file_hash(path, length=16):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:length]


@dataclass
class OdooTree:
    """One Odoo source: its series ("17.0"), where it comes from, and how to run it."""

    series: str
    source: Path  # the tarball or the partner's tree
    requirements: Path | None = None
    addons: list[Path] = field(default_factory=list)  # extra addons paths (ODOO_ADDONS)
    path: Path | None = None  # the unpacked tree, set by prepare()
    key: str | None = None  # hash naming the cached copy; None for a partner's tree

    @property
    def major(self):
        return int(self.series.split(".")[0])

    @property
    def version(self):
        """The build's full version string, e.g. 17.0.post20240709 (from PKG-INFO or release.py)."""
        pkg_info = self.path / "PKG-INFO"
        if pkg_info.exists():
            match = re.search(r"^Version: (.+)$", pkg_info.read_text(), re.M)
            if match:
                return match.group(1).strip()
        return release_version(self.path)

    def addons_path(self):
        paths = [self.path / "odoo" / "addons"]
        if (self.path / "addons").is_dir():  # git layout: addons/ beside odoo/
            paths.append(self.path / "addons")
        return ",".join(str(p) for p in [*paths, *self.addons])

    def prepare(self):
        """Unpack the tarball into the cache (once per tarball hash); a tree is used in place."""
        if self.source.is_dir():
            self.path = self.source
            return self
        self.key = file_hash(self.source)
        target = cache_root() / "trees" / self.key
        with locked(target.parent / f"{target.name}.lock"):
            done = target / ".unpacked"
            if not done.exists():
                shutil.rmtree(target, ignore_errors=True)
                partial = target.with_name(target.name + ".partial")
                shutil.rmtree(partial, ignore_errors=True)
                with tarfile.open(self.source) as archive:
                    archive.extractall(partial, filter="data")
                partial.rename(target)
                done.touch()
        [self.path] = [p for p in target.iterdir() if p.is_dir()]
        return self


def release_version(tree):
    """`odoo/release.py`'s version string (e.g. "17.0-20240709"), read without importing Odoo."""
    scope = {}
    exec((Path(tree) / "odoo" / "release.py").read_text(), scope)  # noqa: S102 - Odoo's own data file
    return scope["version"]


def release_series(tree):
    scope = {}
    exec((Path(tree) / "odoo" / "release.py").read_text(), scope)  # noqa: S102
    return scope["serie"]


def find_trees(environ=os.environ):
    """Every tree to test, plus why each missing source was skipped: (trees, skipped)."""
    src = environ.get("ODOO_SRC")
    if src:
        tree_dir = Path(src).resolve()
        if not (tree_dir / "odoo" / "release.py").exists():
            return [], {src: f"ODOO_SRC={src} is not an Odoo tree (no odoo/release.py)"}
        series = release_series(tree_dir)
        addons = [Path(p).resolve() for p in environ.get("ODOO_ADDONS", "").split(",") if p.strip()]
        shared = SHARED / f"requirements-{series}-py311.txt"
        requirements = shared if shared.exists() else tree_dir / "requirements.txt"
        return [OdooTree(series, tree_dir, requirements, addons)], {}
    tarballs = sorted(SHARED.glob("odoo-*.tar.xz"))
    if not tarballs:
        return [], {"../shared/odoo": f"no odoo-*.tar.xz in {SHARED} and ODOO_SRC not set"}
    trees, skipped = [], {}
    for tarball in tarballs:
        series = tarball.name.removeprefix("odoo-").removesuffix(".tar.xz")
        requirements = SHARED / f"requirements-{series}-py311.txt"
        if not requirements.exists():
            skipped[series] = f"no {requirements.name} beside {tarball.name}"
            continue
        trees.append(OdooTree(series, tarball, requirements))
    return trees, skipped
