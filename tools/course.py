#!/usr/bin/env python3
"""The instructors' tool: list, hand out, test, check and grade the course's exercises.

    python tools/course.py list [--stage STAGE]
    python tools/course.py starter ID|STAGE DIR [--workflow]
    python tools/course.py test ID [--repo DIR] [-- PYTEST-ARGS...]
    python tools/course.py check [ID...] [--jobs N]
    python tools/course.py workflow STAGE [--out PATH] [--hidden-tests OWNER/REPO]

An exercise is a region of the reference code between ``# exercise-start: ID`` and
``# exercise-end: ID``, declared in ``packages/<pkg>/exercises.toml`` and tested by the
tests marked ``@pytest.mark.exercise("ID")``. The docs site's instructors' guide walks
through every command. Standard library only.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from course_catalog import Course, CourseError, Exercise, load_course  # noqa: E402
from course_check import check_course  # noqa: E402
from course_runner import run_stage_tests  # noqa: E402
from course_starter import write_starter  # noqa: E402
from course_workflow import render_workflow  # noqa: E402

DEFAULT_REPO = Path(__file__).resolve().parent.parent
WORKFLOW_PATH = Path(".github/workflows/classroom.yml")


def command_list(course: Course, args: argparse.Namespace) -> int:
    exercises = course.exercises
    if args.stage:
        exercises = course.stage_exercises(course.stage(args.stage))
    if not exercises:
        print("no exercises yet", file=sys.stderr)
    width = max((len(e.id) for e in exercises), default=0)
    stage_width = max((len(e.stage.name) for e in exercises), default=0)
    for exercise in exercises:
        print(f"{exercise.id:<{width}}  {exercise.stage.name:<{stage_width}}  {exercise.title}")
    for problem in course.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 0


def chosen_exercises(course: Course, what: str) -> list[Exercise]:
    """An exercise id, several separated by commas, or a stage (all its exercises)."""
    names = [name for name in what.split(",") if name]
    if len(names) == 1 and names[0] not in {e.id for e in course.exercises}:
        try:
            stage = course.stage(names[0])
        except CourseError:
            course.exercise(names[0])  # raises the "no exercise" message
            raise
        exercises = course.stage_exercises(stage)
        if not exercises:
            raise CourseError(f"stage {stage.name} has no exercises yet")
        return exercises
    return [course.exercise(name) for name in names]


def command_starter(course: Course, args: argparse.Namespace) -> int:
    exercises = chosen_exercises(course, args.what)
    destination = Path(args.dir).resolve()
    changed = write_starter(course, exercises, destination, untracked=args.untracked)
    ids = ", ".join(e.id for e in exercises)
    print(f"wrote {destination} with {ids} taken out of:")
    for path in changed:
        print(f"  {path}")
    stages = {e.stage for e in exercises}
    if args.workflow:
        if len(stages) != 1:
            raise CourseError("--workflow needs exercises of a single stage")
        stage = stages.pop()
        out = destination / WORKFLOW_PATH
        out.parent.mkdir(parents=True, exist_ok=True)
        copied = load_course(destination)
        out.write_text(render_workflow(copied, copied.stage(stage.name)), encoding="utf-8")
        print(f"wrote {out}")
    print("test one with: python tools/course.py test ID   (run inside the starter)")
    return 0


def command_test(course: Course, args: argparse.Namespace) -> int:
    exercise = course.exercise(args.id)
    stage = exercise.stage
    missing = stage.missing_test_requirements()
    if missing:
        raise CourseError(
            f"the tests of stage {stage.name} need {', '.join(missing)}, not installed here;"
            f" install them with: {stage.test_install_line}"
        )
    print(f"exercise {exercise.id} ({exercise.title}), stage {stage.name}, in {course.repo}")
    sys.stdout.flush()
    extra = tuple(args.pytest_args)
    with tempfile.TemporaryDirectory(prefix="course-test-") as scratch:
        run = run_stage_tests(
            course, stage, Path(scratch), exercise_id=exercise.id, extra_args=extra, capture=False
        )
    if run.returncode == 5 or (run.returncode == 0 and not run.tests):
        print(f"no test is marked exercise({exercise.id!r})", file=sys.stderr)
        return 1
    if run.returncode == 0:
        print(f"exercise {exercise.id}: all its tests pass")
    return run.returncode


def command_check(course: Course, args: argparse.Namespace) -> int:
    jobs = args.jobs or max(1, min(4, os.cpu_count() or 1))
    ok = check_course(
        course,
        only=args.ids or None,
        jobs=jobs,
        untracked=not args.tracked_only,
        timeout=args.timeout,
        full=args.full,
    )
    return 0 if ok else 1


def command_workflow(course: Course, args: argparse.Namespace) -> int:
    stage = course.stage(args.stage)
    if not course.stage_exercises(stage):
        raise CourseError(f"stage {stage.name} has no exercises yet")
    text = render_workflow(
        course, stage, timeout_minutes=args.timeout, hidden_tests=args.hidden_tests
    )
    if args.out is None:
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({len(course.stage_exercises(stage))} graded steps)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="course.py",
        description="List, hand out, test, check and grade the course's exercises.",
    )
    parser.add_argument(
        "--repo",
        default=None,
        help="the checkout to work on (default: the one this script is in)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="print the exercises: ID  STAGE  TITLE")
    listing.add_argument("--stage", help="only this stage's exercises")
    listing.set_defaults(run=command_list)

    starter = commands.add_parser(
        "starter", help="write a copy of the repository with exercises taken out"
    )
    starter.add_argument("what", metavar="ID|STAGE", help="an exercise, a,b,c, or a whole stage")
    starter.add_argument("dir", metavar="DIR", help="where to write it (new or empty)")
    starter.add_argument(
        "--workflow", action="store_true", help="also write .github/workflows/classroom.yml"
    )
    starter.add_argument(
        "--untracked", action="store_true", help="include files git does not track yet"
    )
    starter.set_defaults(run=command_starter)

    test = commands.add_parser("test", help="run one exercise's tests")
    test.add_argument("id", metavar="ID")
    test.add_argument("--repo", dest="test_repo", default=None, help="the checkout to test")
    test.set_defaults(run=command_test)

    check = commands.add_parser(
        "check", help="prove every starter fails exactly its exercise's tests"
    )
    check.add_argument("ids", nargs="*", metavar="ID", help="only these exercises")
    check.add_argument("--jobs", "-j", type=int, default=0, help="test runs at once")
    check.add_argument(
        "--timeout", type=float, default=900.0, help="seconds allowed for one test run"
    )
    check.add_argument(
        "--tracked-only",
        action="store_true",
        help="use only the files git tracks (default: also new files git does not ignore)",
    )
    check.add_argument(
        "--full",
        action="store_true",
        help="run every test of the stage in each starter, not only those that reach the region",
    )
    check.set_defaults(run=command_check)

    workflow = commands.add_parser(
        "workflow", help="write a GitHub Classroom autograding workflow for a stage"
    )
    workflow.add_argument("stage", metavar="STAGE")
    workflow.add_argument("--out", default=None, help="file to write (default: print it)")
    workflow.add_argument(
        "--hidden-tests", default=None, metavar="OWNER/REPO", help="private repo of extra tests"
    )
    workflow.add_argument("--timeout", type=int, default=10, help="minutes per exercise")
    workflow.set_defaults(run=command_workflow)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # Whatever follows `--` goes to pytest untouched (`course.py test ID -- -x -k name`).
    split = argv.index("--") if "--" in argv else len(argv)
    argv, pytest_args = argv[:split], argv[split + 1 :]
    args = build_parser().parse_args(argv)
    args.pytest_args = pytest_args
    repo = getattr(args, "test_repo", None) or args.repo or DEFAULT_REPO
    try:
        if not (Path(repo) / "packages").is_dir():
            raise CourseError(f"{repo} is not a checkout of the course (no packages/ in it)")
        return args.run(load_course(Path(repo)), args)
    except CourseError as error:
        print(f"course.py: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("course.py: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `course.py list | head`: the reader has all it wanted
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
