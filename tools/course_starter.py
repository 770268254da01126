"""Starters: copies of the repository with some exercises' code taken out.

In a starter, every line between ``# exercise-start: ID`` and ``# exercise-end: ID``
becomes a single ``raise NotImplementedError("exercise ID")`` at the start marker's
indentation. The marker lines stay, so the learner sees where to write; the regions of
other exercises and all the rest of the reference code stay as they are.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from course_catalog import Course, CourseError, Exercise, repository_files, scan_lines


def stub_text(text: str, exercise_ids: set[str], label: object = "<text>") -> tuple[str, set[str]]:
    """Replace the regions of the given exercises in one file's text.

    Returns the new text and the ids of the exercises whose regions it replaced."""
    lines = text.splitlines(keepends=True)
    regions, problems = scan_lines(lines, Path(str(label)), label)
    if problems:
        raise CourseError("; ".join(problems))
    chosen = [r for r in regions if r.exercise_id in exercise_ids]
    # Keep the outermost regions (a region inside a replaced one goes with it), then
    # replace from the bottom up so the line numbers above stay valid.
    outermost = []
    for region in sorted(chosen, key=lambda r: r.start):
        if not outermost or region.start > outermost[-1].end:
            outermost.append(region)
    replaced: set[str] = set()
    for region in reversed(outermost):
        newline = "\r\n" if lines[region.start].endswith("\r\n") else "\n"
        stub = f'{region.indent}raise NotImplementedError("exercise {region.exercise_id}"){newline}'
        lines[region.start + 1 : region.end] = [stub]
        replaced.add(region.exercise_id)
    return "".join(lines), replaced


def write_starter(
    course: Course,
    exercises: list[Exercise],
    destination: Path,
    *,
    untracked: bool = False,
) -> list[Path]:
    """Copy the repository to destination, stubbing the given exercises.

    Returns the files (relative to destination) whose code was replaced."""
    if destination.exists() and any(destination.iterdir()):
        raise CourseError(f"{destination} already exists and is not empty")
    ids = {e.id for e in exercises}
    files = repository_files(course.repo, untracked=untracked)
    if not files:
        raise CourseError(f"no files found in {course.repo}")
    stages = {e.stage for e in exercises}
    listed = set(files)
    candidates = {
        path.relative_to(course.repo)
        for stage in stages
        for path in stage.src.rglob("*.py")
        if path.relative_to(course.repo) in listed
    }
    destination.mkdir(parents=True, exist_ok=True)
    changed: list[Path] = []
    found: set[str] = set()
    for relative in files:
        source = course.repo / relative
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative in candidates:
            text = source.read_bytes().decode("utf-8")
            if any(f"exercise-start: {i}" in text for i in ids):
                new_text, replaced = stub_text(text, ids, relative)
                if replaced:
                    _check_compiles(new_text, relative)
                    target.write_bytes(new_text.encode("utf-8"))
                    shutil.copymode(source, target)
                    changed.append(relative)
                    found |= replaced
                    continue
        shutil.copy2(source, target)
    missing = sorted(ids - found)
    if missing:
        raise CourseError(f"no marked region found for {', '.join(missing)}")
    return changed


def _check_compiles(text: str, relative: Path) -> None:
    try:
        compile(text, str(relative), "exec")
    except SyntaxError as error:
        raise CourseError(
            f"{relative}:{error.lineno}: the starter does not compile ({error.msg}); "
            "a region must be whole statements of one function body"
        ) from None
