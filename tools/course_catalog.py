"""What the course holds: its stages, their exercises, and the marked regions of code.

Each package under ``packages/`` is one stage of the tutorial. A package lists its
exercises in ``exercises.toml``::

    [[exercise]]
    id = "dvm-mod"
    title = "Add a Mod instruction"
    files = ["src/dvm/vm.py", "src/dvm/codegen.py"]

and wraps the code a learner writes in marker comments naming the exercise::

    # exercise-start: dvm-mod
    ...reference solution...
    # exercise-end: dvm-mod

This module reads both and reports anything inconsistent between them.
Standard library only, so the tool runs on any Python 3.11.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

# The tutorial's order. A package not named here still works: it becomes a stage
# named after its directory, placed after these.
KNOWN_STAGES = {
    "dvm": (1, "dvm"),
    "vdbe-core": (2, "vdbe"),
    "carrot-lang": (3, "carrot"),
    "carrot-txn": (4, "txn"),
}

EXERCISE_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")
MARKER = re.compile(r"^(?P<indent>[ \t]*)#\s*exercise-(?P<kind>start|end):\s*(?P<id>\S+)\s*$")

# Directories never copied into a starter nor scanned when the tree is not a git checkout.
SKIPPED_DIRS = {
    ".git",
    ".tox",
    ".venv",
    "venv",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "site",
    "build",
    "dist",
    "screenshots",
}


class CourseError(Exception):
    """A mistake in the command line or in the course's files, shown without a traceback."""


@dataclass(frozen=True)
class Stage:
    """One package of the monorepo, seen as a stage of the course."""

    number: int
    name: str  # short name used on the command line: dvm, vdbe, carrot, txn
    package: str  # distribution name from pyproject.toml
    root: Path  # packages/<dir>
    requires: tuple[str, ...]  # distribution names of the earlier stages it depends on
    scripts: dict[str, str] = field(default_factory=dict, compare=False)
    entry_points: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    version: str = "0"
    test_requires: tuple[str, ...] = ()  # the distributions of its `test` extra

    def missing_test_requirements(self) -> list[str]:
        """The distributions of the `test` extra that this Python cannot import."""
        return [name for name in self.test_requires if not importable(name)]

    @property
    def test_install_line(self) -> str:
        """The command, run at the checkout's root, that installs what its tests need."""
        return f'python -m pip install "./packages/{self.dirname}[test]"'

    @property
    def dirname(self) -> str:
        return self.root.name

    @property
    def src(self) -> Path:
        return self.root / "src"

    @property
    def tests(self) -> Path:
        return self.root / "tests"


@dataclass(frozen=True)
class Exercise:
    """One entry of an exercises.toml."""

    id: str
    title: str
    stage: Stage
    files: tuple[str, ...]  # relative to the package root
    points: int = 10
    chapter: str = ""  # the docs page (under docs/) whose Challenges list names it


@dataclass(frozen=True)
class Region:
    """Lines start..end (0-based, the marker lines themselves) of one file."""

    exercise_id: str
    path: Path
    start: int
    end: int
    indent: str


@dataclass
class Course:
    """Everything the tool knows about one checkout of the repository."""

    repo: Path
    stages: list[Stage]
    exercises: list[Exercise]
    problems: list[str]

    def stage(self, name: str) -> Stage:
        """Find a stage by short name, number, package name or directory."""
        for stage in self.stages:
            if name in (stage.name, str(stage.number), stage.package, stage.dirname):
                return stage
        known = ", ".join(s.name for s in self.stages) or "none"
        raise CourseError(f"no stage named {name!r} (stages: {known})")

    def exercise(self, exercise_id: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise CourseError(
            f"no exercise {exercise_id!r}; `python tools/course.py list` shows them all"
        )

    def stage_exercises(self, stage: Stage) -> list[Exercise]:
        return [e for e in self.exercises if e.stage == stage]

    def dependencies(self, stage: Stage) -> list[Stage]:
        """The stage itself and every stage it needs, earliest first."""
        by_package = {s.package: s for s in self.stages}
        needed: dict[str, Stage] = {}

        def visit(s: Stage) -> None:
            for name in s.requires:
                if name in by_package and name not in needed:
                    visit(by_package[name])
            needed[s.package] = s

        visit(stage)
        return sorted(needed.values(), key=lambda s: s.number)


# The module a test requirement is imported as, where it is not the distribution's name.
IMPORT_NAMES = {"pyyaml": "yaml"}


def importable(distribution: str) -> bool:
    module = IMPORT_NAMES.get(distribution, distribution.replace("-", "_"))
    return importlib.util.find_spec(module) is not None


def _requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement.strip())
    return match.group(0).lower().replace("_", "-") if match else ""


def load_stages(repo: Path) -> list[Stage]:
    """Read every packages/*/pyproject.toml into a Stage, in tutorial order."""
    found: list[tuple[Path, dict]] = []
    for pyproject in sorted((repo / "packages").glob("*/pyproject.toml")):
        try:
            project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except tomllib.TOMLDecodeError as error:
            raise CourseError(f"{pyproject}: {error}") from None
        found.append((pyproject.parent, project))
    local_names = {p.get("name", root.name).lower() for root, p in found}
    stages = []
    extra = len(KNOWN_STAGES)
    for root, project in found:
        if root.name in KNOWN_STAGES:
            number, name = KNOWN_STAGES[root.name]
        else:
            extra += 1
            number, name = extra, root.name
        requires = tuple(
            dep
            for dep in (_requirement_name(r) for r in project.get("dependencies", []))
            if dep in local_names
        )
        stages.append(
            Stage(
                number=number,
                name=name,
                package=project.get("name", root.name).lower(),
                root=root,
                requires=requires,
                scripts=dict(project.get("scripts", {})),
                entry_points={k: dict(v) for k, v in project.get("entry-points", {}).items()},
                version=str(project.get("version", "0")),
                test_requires=tuple(
                    _requirement_name(r)
                    for r in project.get("optional-dependencies", {}).get("test", [])
                ),
            )
        )
    return sorted(stages, key=lambda s: s.number)


def load_course(repo: Path) -> Course:
    """Read the stages, their exercises.toml files and check them against the markers."""
    repo = repo.resolve()
    stages = load_stages(repo)
    exercises: list[Exercise] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for stage in stages:
        toml_path = stage.root / "exercises.toml"
        if not toml_path.exists():
            continue
        try:
            data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            problems.append(f"{_rel(toml_path, repo)}: not valid TOML: {error}")
            continue
        for number, entry in enumerate(data.get("exercise", []), start=1):
            where = f"{_rel(toml_path, repo)}: exercise #{number}"
            exercise_id = entry.get("id")
            if not isinstance(exercise_id, str) or not EXERCISE_ID.match(exercise_id):
                problems.append(f"{where}: id {exercise_id!r} is not like 'dvm-mod'")
                continue
            if exercise_id in seen:
                problems.append(f"{where}: id {exercise_id!r} is also in {seen[exercise_id]}")
                continue
            seen[exercise_id] = _rel(toml_path, repo)
            files = entry.get("files", [])
            if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
                problems.append(f"{where}: files must be a list of paths")
                files = []
            for name in files:
                if not (stage.root / name).is_file():
                    problems.append(f"{where}: file {name} does not exist in {stage.dirname}")
            title = entry.get("title") or exercise_id
            points = entry.get("points", 10)
            exercises.append(
                Exercise(
                    id=exercise_id,
                    title=str(title),
                    stage=stage,
                    files=tuple(files),
                    points=points if isinstance(points, int) and points > 0 else 10,
                    chapter=str(entry.get("chapter", "")),
                )
            )
    course = Course(repo=repo, stages=stages, exercises=exercises, problems=problems)
    problems.extend(marker_problems(course))
    return course


def _rel(path: Path, repo: Path) -> Path:
    try:
        return path.relative_to(repo)
    except ValueError:
        return path


def find_regions(path: Path, label: object = None) -> tuple[list[Region], list[str]]:
    """The exercise regions of one file, and any malformed markers in it
    (each problem starts with ``label:line``, the path by default)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return [], []
    return scan_lines(lines, path, path if label is None else label)


def scan_lines(lines: list[str], path: Path, label: object) -> tuple[list[Region], list[str]]:
    """find_regions for lines already read."""
    regions: list[Region] = []
    problems: list[str] = []
    open_starts: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(lines):
        match = MARKER.match(line.rstrip("\r\n"))
        if not match:
            continue
        exercise_id, kind, indent = match["id"], match["kind"], match["indent"]
        where = f"{label}:{number + 1}"
        if kind == "start":
            if exercise_id in open_starts:
                problems.append(f"{where}: exercise-start: {exercise_id} opened twice")
            open_starts[exercise_id] = (number, indent)
        elif exercise_id not in open_starts:
            problems.append(f"{where}: exercise-end: {exercise_id} without a start")
        else:
            start, start_indent = open_starts.pop(exercise_id)
            if start + 1 == number:
                problems.append(f"{where}: exercise {exercise_id} has an empty region")
            regions.append(Region(exercise_id, path, start, number, start_indent))
    for exercise_id, (start, _) in open_starts.items():
        problems.append(f"{label}:{start + 1}: exercise-start: {exercise_id} is never closed")
    return sorted(regions, key=lambda r: r.start), problems


def package_sources(stage: Stage) -> list[Path]:
    """The Python files of a stage's package (where regions may be)."""
    return sorted(p for p in stage.src.rglob("*.py") if not (set(p.parts) & SKIPPED_DIRS))


def regions_of(course: Course, exercise_id: str) -> list[Region]:
    """Every region of one exercise, wherever in its stage's package it is."""
    stage = course.exercise(exercise_id).stage
    found = []
    for path in package_sources(stage):
        regions, _ = find_regions(path)
        found.extend(r for r in regions if r.exercise_id == exercise_id)
    return found


def marker_problems(course: Course) -> list[str]:
    """Markers and exercises.toml entries that do not agree."""
    problems: list[str] = []
    declared = {e.id: e for e in course.exercises}
    marked: dict[str, set[str]] = {}
    for stage in course.stages:
        for path in package_sources(stage):
            regions, malformed = find_regions(path, _rel(path, course.repo))
            problems.extend(malformed)
            for region in regions:
                rel_path = path.relative_to(stage.root).as_posix()
                exercise = declared.get(region.exercise_id)
                where = f"{_rel(path, course.repo)}:{region.start + 1}"
                if exercise is None:
                    problems.append(
                        f"{where}: exercise {region.exercise_id!r} is not in "
                        f"{stage.dirname}/exercises.toml"
                    )
                    continue
                if exercise.stage != stage:
                    problems.append(
                        f"{where}: exercise {region.exercise_id!r} belongs to stage "
                        f"{exercise.stage.name}, not {stage.name}"
                    )
                    continue
                marked.setdefault(exercise.id, set()).add(rel_path)
    for exercise in course.exercises:
        files = marked.get(exercise.id, set())
        if not files:
            problems.append(f"exercise {exercise.id}: no '# exercise-start: {exercise.id}' marker")
            continue
        unlisted = sorted(files - set(exercise.files))
        if unlisted:
            problems.append(
                f"exercise {exercise.id}: marked in {', '.join(unlisted)} "
                f"but exercises.toml does not list it in files"
            )
    return problems


def repository_files(repo: Path, *, untracked: bool = False) -> list[Path]:
    """The files of the checkout, relative to it: git's tracked files when it is a git
    checkout (and, if asked, untracked files git does not ignore), else every file
    outside the usual build and cache directories."""
    command = ["git", "-C", str(repo), "ls-files", "-z", "--cached"]
    if untracked:
        command += ["--others", "--exclude-standard"]
    try:
        listing = subprocess.run(command, capture_output=True, check=True).stdout
        names = sorted({name for name in listing.decode().split("\0") if name})
        return [Path(name) for name in names if (repo / name).is_file()]
    except (OSError, subprocess.CalledProcessError):
        pass
    files = []
    for path in sorted(repo.rglob("*")):
        relative = path.relative_to(repo)
        if set(relative.parts) & SKIPPED_DIRS or any(
            p.endswith(".egg-info") for p in relative.parts
        ):
            continue
        if path.is_file():
            files.append(relative)
    return files
