"""`pyodide_tests.py`: skipped cleanly without node; the runner gets Pyodide and wheels."""

from __future__ import annotations

import pyodide_tests


def test_without_node_the_run_is_skipped_and_succeeds(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pyodide_tests.shutil, "which", lambda name: None)
    assert pyodide_tests.main([str(tmp_path / "wheels"), "packages/dvm/tests"]) == 0
    assert "pyodide tests skipped: node and npm are needed" in capsys.readouterr().out
    assert not (tmp_path / "wheels").exists()  # nothing downloaded


def test_with_node_the_runner_gets_pyodide_the_wheels_and_the_arguments(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(pyodide_tests.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(pyodide_tests, "install", lambda: 0)
    monkeypatch.setattr(pyodide_tests, "fetch_wheels", lambda target: calls.append(target))

    class Done:
        returncode = 5

    monkeypatch.setattr(pyodide_tests.subprocess, "run", lambda cmd: calls.append(cmd) or Done)
    wheels = tmp_path / "wheels"
    assert pyodide_tests.main([str(wheels), "packages/dvm/tests", "-q"]) == 5
    assert calls[0] == wheels
    node, runner, pyodide, given, *rest = calls[1]
    assert (node, given, rest) == ("/usr/bin/node", str(wheels), ["packages/dvm/tests", "-q"])
    assert runner.endswith("pyodide_pytest.mjs") and pyodide.endswith("node_modules/pyodide")
