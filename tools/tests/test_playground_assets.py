"""What the docs build puts on the site for the playground: Pyodide's copy or its CDN."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import playground_assets  # noqa: E402 - tools/ is not a package


@pytest.fixture
def fake_npm(tmp_path, monkeypatch):
    """tools/playground as npm would leave it, in a scratch directory; no wheels built."""
    npm = tmp_path / "npm"
    npm.mkdir()
    pinned = playground_assets.pinned_version()
    (npm / "package.json").write_text(json.dumps({"dependencies": {"pyodide": pinned}}))
    monkeypatch.setattr(playground_assets, "NPM_DIR", npm)
    monkeypatch.setattr(playground_assets, "PYODIDE_DIR", npm / "node_modules" / "pyodide")
    monkeypatch.setattr(
        playground_assets, "build_wheels", lambda target: ["dvm-1-py3-none-any.whl"]
    )
    return npm


def install_fake_pyodide(npm: Path, version: str) -> None:
    package = npm / "node_modules" / "pyodide"
    package.mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"version": version}))
    for name in ("pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide.d.ts"):
        (package / name).write_text(name)
    (package / "pyodide.mjs.map").write_text("{}")


def test_the_pin_is_one_exact_version():
    version = playground_assets.pinned_version()
    assert version[0].isdigit() and not any(c in version for c in "^~<>=* ")


def test_without_the_npm_copy_the_site_loads_the_same_version_from_the_cdn(fake_npm, tmp_path):
    manifest = playground_assets.build(tmp_path / "site")
    version = playground_assets.pinned_version()
    assert manifest == {
        "pyodide": {
            "version": version,
            "self_hosted": False,
            "cdn": f"https://cdn.jsdelivr.net/pyodide/v{version}/full/",
        },
        "wheels": ["dvm-1-py3-none-any.whl"],
    }
    written = json.loads((tmp_path / "site" / "playground" / "manifest.json").read_text())
    assert written == manifest
    assert not (tmp_path / "site" / "playground" / "pyodide").exists()


def test_the_npm_copy_of_the_pinned_version_is_copied_without_typings_or_maps(fake_npm, tmp_path):
    install_fake_pyodide(fake_npm, playground_assets.pinned_version())
    manifest = playground_assets.build(tmp_path / "site")
    assert manifest["pyodide"]["self_hosted"] is True
    copied = {p.name for p in (tmp_path / "site" / "playground" / "pyodide").iterdir()}
    assert copied == {"package.json", "pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip"}


def test_an_npm_copy_of_another_version_is_not_used(fake_npm, tmp_path):
    install_fake_pyodide(fake_npm, "0.0.1")
    assert playground_assets.build(tmp_path / "site")["pyodide"]["self_hosted"] is False
