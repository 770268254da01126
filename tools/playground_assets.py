"""What the playground needs on the built site, made by the docs build (``docs_hooks.py``).

- ``playground/wheels/``: a wheel of each of the four packages, built from this checkout
  (pure Python, so one wheel runs everywhere, Pyodide included);
- ``playground/pyodide/``: Pyodide itself, copied from its npm package when
  ``tools/playground/node_modules`` holds the pinned version (``npm ci --prefix
  tools/playground`` installs it; ``python tools/playground_assets.py install`` runs
  that when npm is here);
- ``playground/manifest.json``: the wheels' names, the pinned Pyodide version, and
  where the page finds Pyodide: the copy, or else Pyodide's official CDN for that same
  version, so a site published without the copy still works.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("dvm", "vdbe-core", "carrot-lang", "carrot-txn")
NPM_DIR = REPO / "tools" / "playground"
PYODIDE_DIR = NPM_DIR / "node_modules" / "pyodide"
CDN = "https://cdn.jsdelivr.net/pyodide/v{version}/full/"
# The files of the npm package a browser loads (not its typings, maps or demo pages).
PYODIDE_SKIP = ("*.d.ts", "*.map", "*.html", "README.md")
NOT_IN_A_WHEEL = ("tests", "build", "dist", "*.egg-info", "__pycache__")


def pinned_version() -> str:
    """The Pyodide version tools/playground/package.json pins."""
    manifest = json.loads((NPM_DIR / "package.json").read_text(encoding="utf-8"))
    return manifest["dependencies"]["pyodide"]


def installed_version() -> str | None:
    """The version of the npm copy in node_modules, if there is one."""
    package = PYODIDE_DIR / "package.json"
    if not package.is_file():
        return None
    return json.loads(package.read_text(encoding="utf-8")).get("version")


def build_wheels(target: Path) -> list[str]:
    """A wheel of each package in ``target``; their file names, in dependency order."""
    target.mkdir(parents=True, exist_ok=True)
    names = []
    with tempfile.TemporaryDirectory(prefix="playground-wheels-") as scratch:
        for package in PACKAGES:
            # Build from a copy, so the checkout gets no build/ or egg-info directories.
            source = Path(scratch) / package
            ignore = shutil.ignore_patterns(*NOT_IN_A_WHEEL)
            shutil.copytree(REPO / "packages" / package, source, ignore=ignore)
            built = Path(scratch) / (package + "-wheel")
            pip_wheel(source, built)
            (wheel,) = built.glob("*.whl")
            shutil.copy2(wheel, target / wheel.name)
            names.append(wheel.name)
    return names


def pip_wheel(source: Path, target: Path) -> None:
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(target)]
    if builds_without_isolation():
        command.append("--no-build-isolation")  # much faster: no fresh setuptools each time
    done = subprocess.run([*command, str(source)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"building the wheel of {source.name} failed:\n{done.stderr[-2000:]}")


def builds_without_isolation() -> bool:
    """Whether this Python's own setuptools can build a wheel (it has bdist_wheel)."""
    from importlib.util import find_spec

    if find_spec("setuptools") is None:
        return False
    return find_spec("setuptools.command.bdist_wheel") is not None or find_spec("wheel") is not None


def copy_pyodide(target: Path) -> bool:
    """Copy the pinned Pyodide into ``target``; False when node_modules lacks it."""
    if installed_version() != pinned_version():
        return False
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(PYODIDE_DIR, target, ignore=shutil.ignore_patterns(*PYODIDE_SKIP))
    return True


def build(site: Path) -> dict:
    """Put the wheels, Pyodide (when found) and the manifest into the built site."""
    playground = site / "playground"
    playground.mkdir(parents=True, exist_ok=True)
    wheels = build_wheels(playground / "wheels")
    version = pinned_version()
    self_hosted = copy_pyodide(playground / "pyodide")
    manifest = {
        "pyodide": {
            "version": version,
            "self_hosted": self_hosted,
            "cdn": CDN.format(version=version),
        },
        "wheels": wheels,
    }
    (playground / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def install() -> int:
    """Install the pinned Pyodide from the npm registry (npm ci), if npm is here."""
    npm = shutil.which("npm")
    if npm is None:
        print("playground: npm not found; the site will load Pyodide from its CDN")
        return 1 if os.environ.get("CI") == "true" else 0  # CI must check the copy
    if installed_version() == pinned_version():
        print(f"playground: Pyodide {pinned_version()} already in {PYODIDE_DIR}")
        return 0
    command = [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(NPM_DIR)]
    print("playground: " + " ".join(command[:2]) + f" (Pyodide {pinned_version()})", flush=True)
    return subprocess.run(command, cwd=NPM_DIR).returncode


if __name__ == "__main__":
    if sys.argv[1:] != ["install"]:
        print("usage: python tools/playground_assets.py install", file=sys.stderr)
        sys.exit(2)
    sys.exit(install())
