"""Running a stage's tests against the code of one particular checkout.

The tests import the packages by name (``import dvm``). To make sure they import the
code of the checkout being graded (a starter, or a learner's work) and not some other
copy installed on the machine, the runner puts that checkout's packages (links to the
packages in its ``src`` directories) first on PYTHONPATH, and launchers for the packages'
commands (``dvm``, ``vdbe``, ``carrot``) first on PATH. Entry points (the Pygments lexer,
Carrot's extensions) name modules, so an installed package's entry points also lead to
the checkout's code; for a package not installed at all, a small metadata directory on
PYTHONPATH declares them. Nothing is installed; the checkout runs as it is. Where nothing
is installed (``tox -e exercises``), each stage sees exactly itself and the stages it
needs, as in its own tox environment.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from course_catalog import Course, CourseError, Stage

TOOLS_DIR = Path(__file__).resolve().parent


@dataclass
class TestRun:
    """What one pytest run of a stage's tests reported."""

    returncode: int
    seconds: float
    output: str
    tests: dict[str, dict] = field(default_factory=dict)
    collection_errors: list[dict] = field(default_factory=list)

    def outcomes(self, outcome: str) -> list[str]:
        return [nodeid for nodeid, t in self.tests.items() if t["outcome"] == outcome]

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for test in self.tests.values():
            counts[test["outcome"]] = counts.get(test["outcome"], 0) + 1
        parts = [f"{n} {name}" for name, n in sorted(counts.items())]
        return ", ".join(parts) or "no tests"


def top_level_packages(stage: Stage) -> list[str]:
    """The import names a stage's src directory provides (``dvm``, ``vdbe`` ...)."""
    if not stage.src.is_dir():
        return []
    return sorted(
        p.name
        for p in stage.src.iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name.isidentifier()
    )


SHIM_SUFFIX = "-course-entry-points"


def _shim_name(stage: Stage) -> str:
    """The name of the distribution that declares a stage's entry points when the stage
    is not installed: not the package's own name, so that pip, run by a test in a new
    environment that inherits PYTHONPATH, never takes the package for installed."""
    return stage.package + SHIM_SUFFIX


def installed(package: str) -> bool:
    """Whether this Python has the distribution installed (its metadata, at least)."""
    try:
        importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def write_metadata(stages: list[Stage], scratch: Path) -> tuple[Path, Path]:
    """Write command launchers for the stages into scratch, and dist-info directories
    (for their entry points) for those not installed in this Python.

    An installed package's entry points and commands name modules (``dvm.cli:main``),
    which the checkout's ``src`` directories, first on PYTHONPATH, provide; so metadata of
    our own is written only for a package not installed (a second declaration of the same
    entry points would load them twice).

    Returns (the directory to put on PYTHONPATH, the directory to put on PATH)."""
    meta = scratch / "meta"
    bin_dir = scratch / "bin"
    meta.mkdir(parents=True, exist_ok=True)
    bin_dir.mkdir(parents=True, exist_ok=True)
    for stage in stages:
        write_launchers(stage, bin_dir)
        if installed(stage.package):
            continue
        name = _shim_name(stage)
        info = meta / f"{name.replace('-', '_')}-{stage.version}.dist-info"
        info.mkdir(exist_ok=True)
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {stage.version}\n",
            encoding="utf-8",
        )
        groups = dict(stage.entry_points)
        lines = []
        for group, entries in groups.items():
            if entries:
                lines.append(f"[{group}]")
                lines.extend(f"{name} = {target}" for name, target in entries.items())
                lines.append("")
        (info / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")
    return meta, bin_dir


def write_launchers(stage: Stage, bin_dir: Path) -> None:
    """A small script per command of the stage (``dvm``...), run by this Python."""
    for name, target in stage.scripts.items():
        module, _, function = target.partition(":")
        launcher = bin_dir / name
        launcher.write_text(
            f"#!{sys.executable}\n"
            f"import sys\nfrom {module} import {function}\n"
            f"sys.exit({function}())\n",
            encoding="utf-8",
        )
        launcher.chmod(0o755)


def link_packages(stages: list[Stage], directory: Path) -> Path:
    """A directory of links to the stages' top-level packages, to put on PYTHONPATH.

    Not the ``src`` directories themselves: a test that builds a package there (``pip
    wheel``) leaves an ``*.egg-info`` beside the sources, which would declare the
    package's entry points a second time."""
    directory.mkdir(parents=True, exist_ok=True)
    for stage in stages:
        for name in top_level_packages(stage):
            link = directory / name
            if not link.exists():
                link.symlink_to(stage.src / name, target_is_directory=True)
    return directory


def stage_environment(course: Course, stage: Stage, scratch: Path) -> dict[str, str]:
    """Environment variables that make the stage (and the stages it needs) importable
    and runnable from this checkout."""
    stages = course.dependencies(stage)
    meta, bin_dir = write_metadata(stages, scratch)
    packages = link_packages(stages, scratch / "packages")
    env = dict(os.environ)
    paths = [str(packages), str(meta), str(TOOLS_DIR)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def verify_imports(course: Course, stage: Stage, env: dict[str, str]) -> str | None:
    """Import the stage's packages in that environment; return a problem or None.

    Proves that the code under test is this checkout's and that it imports."""
    stages = course.dependencies(stage)
    expected = {name: s.src for s in stages for name in top_level_packages(s)}
    if not expected:
        return None
    script = (
        "import importlib, sys\n"
        f"for name in {sorted(expected)!r}:\n"
        "    print(name, importlib.import_module(name).__file__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=course.repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        return "the packages do not import:\n" + result.stderr.strip()[-1500:]
    for line in result.stdout.splitlines():
        name, _, location = line.partition(" ")
        src = expected.get(name)
        if src is not None and not Path(location).resolve().is_relative_to(src.resolve()):
            return f"`import {name}` found {location}, not the copy in {src}"
    return None


def run_in_own_group(
    command: list[str], *, cwd: Path, env: dict[str, str], capture: bool, timeout: float | None
) -> tuple[str, str, int | None]:
    """Run a command in a process group of its own; on timeout, kill the whole group (the
    commands its tests started too). Returns (stdout, stderr, status or None on timeout)."""
    pipe = subprocess.PIPE if capture else None
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=pipe, stderr=pipe, text=True, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        try:  # a process that left the group may still hold the pipes: do not wait long
            stdout, stderr = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = "", ""
        return stdout or "", stderr or "", None
    except BaseException:  # Ctrl-C: do not leave the tests running behind us
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        raise
    return stdout or "", stderr or "", process.returncode


def run_stage_tests(
    course: Course,
    stage: Stage,
    scratch: Path,
    *,
    exercise_id: str | None = None,
    extra_args: tuple[str, ...] = (),
    capture: bool = True,
    timeout: float | None = None,
    selection: dict | None = None,
    probe_file: Path | None = None,
) -> TestRun:
    """Run pytest on the stage's tests dir of this checkout, recording every outcome.

    `selection` ({"files", "tests", "modules"}, paths and node ids relative to the
    checkout) limits the run to some tests; with `probe_file`, the region probes (see
    course_probe) write there."""
    if not stage.tests.is_dir():
        raise CourseError(f"{stage.tests} does not exist")
    scratch.mkdir(parents=True, exist_ok=True)
    env = stage_environment(course, stage, scratch)
    if probe_file is not None:
        env["COURSE_PROBE_FILE"] = str(probe_file)
    report = scratch / "report.json"
    command = [
        sys.executable,
        "-m",
        "pytest",
        *(selection["files"] if selection else [str(stage.tests)]),
        "-p",
        "course_report",
        f"--course-report={report}",
        "-p",
        "no:cacheprovider",
    ]
    if selection:
        # Node ids go through a file: pytest cannot select some of them on its command
        # line (parameter ids with a "/" in them, for instance).
        chosen = scratch / "selection.json"
        chosen.write_text(json.dumps(selection), encoding="utf-8")
        command.append(f"--course-select={chosen}")
    if exercise_id:
        command.append(f"--exercise={exercise_id}")
    command.extend(extra_args)
    started = time.monotonic()
    stdout, stderr, returncode = run_in_own_group(
        command, cwd=course.repo, env=env, capture=capture, timeout=timeout
    )
    if returncode is None:
        raise CourseError(
            f"the tests of stage {stage.name} ran over {timeout:.0f} s and were stopped; "
            f"the last output:\n" + "\n".join((stdout + stderr).strip().splitlines()[-15:])
        )
    run = TestRun(returncode=returncode, seconds=time.monotonic() - started, output=stdout + stderr)
    if report.exists():
        data = json.loads(report.read_text(encoding="utf-8"))
        run.tests = data["tests"]
        run.collection_errors = data["collection_errors"]
    return run
