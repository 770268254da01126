"""A starter is a real checkout: its packages install with pip and run."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest
from fake_course import REPO, run_course

sys.path.insert(0, str(REPO / "tools"))
from course_catalog import load_course  # noqa: E402
from course_runner import stage_environment, verify_imports  # noqa: E402


def pip_install(venv_dir: Path, *packages: Path) -> subprocess.CompletedProcess:
    """Install into a fresh venv with this interpreter's pip, as a learner would."""
    venv.EnvBuilder(with_pip=False).create(venv_dir)
    python = venv_dir / "bin" / "python"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            *map(str, packages),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_fake_starter_installs_and_its_command_runs(fake_course, tmp_path):
    starter = tmp_path / "starter"
    assert (
        run_course("--repo", str(fake_course), "starter", "dvm-mul", str(starter)).returncode == 0
    )
    installed = pip_install(tmp_path / "venv", starter / "packages" / "dvm")
    assert installed.returncode == 0, installed.stderr
    run = subprocess.run(
        [str(tmp_path / "venv" / "bin" / "dvm"), "20", "22"], capture_output=True, text=True
    )
    assert run.stdout == "42\n"  # dvm-add is still the reference code
    stubbed = subprocess.run(
        [str(tmp_path / "venv" / "bin" / "python"), "-c", "from dvm.ops import mul; mul(1, 2)"],
        capture_output=True,
        text=True,
    )
    assert "NotImplementedError: exercise dvm-mul" in stubbed.stderr


def first_exercise_of_each_stage() -> list[str]:
    course = load_course(REPO)
    firsts = {}
    for exercise in course.exercises:
        firsts.setdefault(exercise.stage.name, exercise.id)
    return list(firsts.values())


@pytest.mark.parametrize("exercise_id", first_exercise_of_each_stage() or ["(none yet)"])
def test_real_starter_packages_import_from_the_starter(exercise_id, tmp_path):
    """For the project itself: the starter's packages import, and it is the starter's
    code that the tests would import."""
    if exercise_id == "(none yet)":
        pytest.skip("the project declares no exercises yet")
    starter = tmp_path / "starter"
    result = run_course("starter", exercise_id, str(starter), "--untracked")
    assert result.returncode == 0, result.stderr
    course = load_course(starter)
    stage = course.exercise(exercise_id).stage
    env = stage_environment(course, stage, tmp_path / "env")
    assert verify_imports(course, stage, env) is None


def test_real_dvm_starter_installs_with_pip(tmp_path):
    course = load_course(REPO)
    dvm = [e for e in course.exercises if e.stage.name == "dvm"]
    if not dvm:
        pytest.skip("stage dvm declares no exercises yet")
    starter = tmp_path / "starter"
    assert run_course("starter", dvm[0].id, str(starter), "--untracked").returncode == 0
    installed = pip_install(tmp_path / "venv", starter / "packages" / "dvm")
    assert installed.returncode == 0, installed.stderr
    version = subprocess.run(
        [str(tmp_path / "venv" / "bin" / "dvm"), "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0, version.stderr
