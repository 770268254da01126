"""The proof that every exercise can be handed out.

For each stage that has exercises, the reference (the repository as it is) must pass
all of the stage's tests, and every exercise must have tests. Then, for each exercise,
a starter with only that exercise taken out must fail every test marked with the
exercise, and still pass every other test of its stage: the learner's work is exactly
what the exercise's tests measure, and nothing else breaks while it is missing.

Each run happens in its own fresh copy of the repository, several at a time.
"""

from __future__ import annotations

import ast
import json
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from course_catalog import (
    Course,
    CourseError,
    Exercise,
    Stage,
    find_regions,
    load_course,
    package_sources,
    repository_files,
)
from course_probe import OUTSIDE
from course_runner import TestRun, run_stage_tests, stage_environment, verify_imports
from course_starter import write_starter

GOOD_FOR_OTHERS = {"passed", "skipped", "xfailed"}
FAILING = {"failed", "error"}


@dataclass
class Verdict:
    """The result of checking one exercise, or the reference of one stage."""

    name: str
    problems: list[str] = field(default_factory=list)
    detail: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def copy_reference(course: Course, destination: Path, *, untracked: bool) -> None:
    """A plain copy of the checkout's files (the reference)."""
    for relative in repository_files(course.repo, untracked=untracked):
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(course.repo / relative, target)


@dataclass
class Reach:
    """Which tests ran an exercise's region in the reference run."""

    everywhere: bool = False  # ran outside any test (imports, collection): run all
    outside_at: str = ""  # where it ran outside a test
    tests: set[str] = field(default_factory=set)  # tests whose call ran it
    modules: set[str] = field(default_factory=set)  # test files whose fixtures ran it
    marked: set[str] = field(default_factory=set)  # the exercise's own tests
    not_run: set[str] = field(default_factory=set)  # ...skipped in the reference run

    def selection(self) -> dict | None:
        """The tests to run in the starter, {"files", "tests", "modules"}, or None for all:
        the files to collect, the node ids to keep, and the files to keep whole."""
        if self.everywhere or not self.marked:
            return None
        tests = self.tests | self.marked
        files = {nodeid.split("::")[0] for nodeid in tests} | self.modules
        return {"files": sorted(files), "tests": sorted(tests), "modules": sorted(self.modules)}


def instrument_regions(stage: Stage) -> int:
    """Insert a probe as the first statement of every region of the stage's package
    (after a docstring that starts it). Returns how many were inserted."""
    count = 0
    for path in package_sources(stage):
        regions, _ = find_regions(path)
        if not regions:
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        docstrings = _docstring_ends(text)
        for region in sorted(regions, key=lambda r: r.start, reverse=True):
            first = region.start + 1
            while first < region.end and (
                not lines[first].strip() or lines[first].lstrip().startswith("#")
            ):
                first += 1
            at = docstrings.get(first + 1, region.start + 1)
            lines[at:at] = probe_lines(region.indent, region.exercise_id)
            count += 1
        path.write_text("".join(lines), encoding="utf-8")
    return count


def probe_lines(indent: str, exercise_id: str) -> list[str]:
    """The probe statement (harmless where the tools are not importable, e.g. in a
    process started with a clean environment)."""
    return [
        f"{indent}try:\n",
        f"{indent}    __import__('course_probe').hit({exercise_id!r})\n",
        f"{indent}except ImportError:\n",
        f"{indent}    pass\n",
    ]


def _docstring_ends(text: str) -> dict[int, int]:
    """{line where a function's docstring starts: line after it ends} (1-based start,
    0-based insertion index)."""
    ends = {}
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return ends
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                ends[first.lineno] = first.end_lineno
    return ends


def read_reach(probe_file: Path) -> dict[str, Reach]:
    """Turn the probes' records into a Reach per exercise."""
    reach: dict[str, Reach] = {}
    if not probe_file.exists():
        return reach
    for line in probe_file.read_text(encoding="utf-8").splitlines():
        current, exercise_id, *where = json.loads(line)
        entry = reach.setdefault(exercise_id, Reach())
        phase, _, nodeid = current.partition(" ")
        if current == OUTSIDE or not nodeid:
            entry.everywhere = True
            entry.outside_at = entry.outside_at or (where[0] if where else "")
        elif phase == "call":
            entry.tests.add(nodeid)
        else:
            # In a fixture's setup or teardown: the fixture may be shared by the other
            # tests of its module (or class), so all of them run. (A session fixture
            # shared across modules is the one case this does not cover: --full does.)
            entry.modules.add(nodeid.split("::")[0])
    return reach


def check_reference(
    course: Course, stage: Stage, scratch: Path, *, untracked: bool, timeout: float
) -> tuple[Verdict, dict[str, Reach] | None]:
    """The unchanged repository passes every test of the stage.

    Also returns, per exercise, which tests ran its region (None if the tests did not
    run at all)."""
    verdict = Verdict(f"reference: {stage.name}")
    started = time.monotonic()
    copy = scratch / "repo"
    copy_reference(course, copy, untracked=untracked)
    copied = load_course(copy)
    copied_stage = copied.stage(stage.name)
    instrument_regions(copied_stage)
    probe_file = scratch / "probes.jsonl"
    run = _run(copied, copied_stage, scratch / "run", verdict, timeout, probe_file=probe_file)
    verdict.seconds = time.monotonic() - started
    if run is None:
        return verdict, None
    verdict.detail = run.summary()
    for nodeid in run.outcomes("failed") + run.outcomes("error") + run.outcomes("xpassed"):
        verdict.problems.append(f"{nodeid} {run.tests[nodeid]['outcome']} in the reference")
        _add_message(verdict, run, nodeid)
    if run.returncode not in (0, 5) and not verdict.problems:
        verdict.problems.append(f"pytest exited with status {run.returncode}:\n{_tail(run.output)}")
    for exercise in course.stage_exercises(stage):
        passing = [
            nodeid
            for nodeid, test in run.tests.items()
            if exercise.id in test["exercises"] and test["outcome"] == "passed"
        ]
        if not passing:
            verdict.problems.append(
                f"exercise {exercise.id} has no passing test marked "
                f'@pytest.mark.exercise("{exercise.id}") in {stage.dirname}/tests'
            )
    known = {e.id for e in course.exercises}
    for nodeid, test in run.tests.items():
        for exercise_id in test["exercises"]:
            if exercise_id not in known:
                verdict.problems.append(f"{nodeid} is marked with unknown exercise {exercise_id!r}")
            elif course.exercise(exercise_id).stage != stage:
                verdict.problems.append(
                    f"{nodeid} is marked with exercise {exercise_id!r} of another stage"
                )
    # Even when the reference fails, which tests ran which region is known: the
    # starters still run only those (the failure itself is reported once, here).
    reach = read_reach(probe_file)
    for exercise in course.stage_exercises(stage):
        entry = reach.setdefault(exercise.id, Reach())
        entry.marked = {n for n, t in run.tests.items() if exercise.id in t["exercises"]}
        entry.not_run = {
            n for n in entry.marked if run.tests[n]["outcome"] in ("skipped", "xfailed")
        }
    return verdict, reach


def check_exercise(
    course: Course,
    exercise: Exercise,
    scratch: Path,
    *,
    untracked: bool,
    timeout: float,
    reach: Reach | None = None,
) -> Verdict:
    """The starter of one exercise fails exactly that exercise's tests.

    With `reach` (from the reference run), only the test modules holding the exercise's
    tests and the tests that ran its region are run: no other test ran the region, so
    no other test can notice it is gone. Without it, every test of the stage runs."""
    verdict = Verdict(exercise.id)
    started = time.monotonic()
    copy = scratch / "starter"
    try:
        write_starter(course, [exercise], copy, untracked=untracked)
    except CourseError as error:
        verdict.problems.append(f"cannot write the starter: {error}")
        return verdict
    starter = load_course(copy)
    stage = starter.stage(exercise.stage.name)
    selection = reach.selection() if reach is not None else None
    run = _run(starter, stage, scratch / "run", verdict, timeout, selection=selection)
    verdict.seconds = time.monotonic() - started
    if run is None:
        return verdict
    own = {n: t for n, t in run.tests.items() if exercise.id in t["exercises"]}
    others = {n: t for n, t in run.tests.items() if exercise.id not in t["exercises"]}
    if not own:
        verdict.problems.append(f"no test marked exercise({exercise.id!r}) ran in the starter")
    skipped_anyway = reach.not_run if reach is not None else set()
    for nodeid, test in own.items():
        if test["outcome"] in FAILING or (
            test["outcome"] in ("skipped", "xfailed") and nodeid in skipped_anyway
        ):
            continue  # fails as it must, or does not run here at all
        if test["outcome"] in ("skipped", "xfailed"):
            verdict.problems.append(
                f"{nodeid} is {test['outcome']} in the starter (it runs in the reference): "
                "a test of the exercise must fail without its code, not skip"
            )
        else:
            verdict.problems.append(
                f"{nodeid} {test['outcome']} in the starter: it does not exercise "
                "the code the learner writes"
            )
    for nodeid, test in others.items():
        if test["outcome"] not in GOOD_FOR_OTHERS:
            verdict.problems.append(
                f"{nodeid} {test['outcome']} in the starter but is not marked "
                f"exercise({exercise.id!r}): mark it, or make the region smaller"
            )
            _add_message(verdict, run, nodeid)
    failing_own = sum(1 for t in own.values() if t["outcome"] in FAILING)
    if own and not failing_own:
        verdict.problems.append(f"none of the tests of {exercise.id} fails in the starter")
    passing_others = sum(1 for t in others.values() if t["outcome"] == "passed")
    if selection is not None:
        scope = "only the tests that reach its code"
    elif reach is not None and reach.everywhere:
        scope = f"all tests: its code also ran outside any test, at {reach.outside_at}"
    else:
        scope = "all tests"
    verdict.detail = (
        f"starter fails {failing_own}/{len(own)} of its tests, "
        f"{passing_others} others pass ({scope})"
    )
    return verdict


def _run(
    course: Course,
    stage: Stage,
    scratch: Path,
    verdict: Verdict,
    timeout: float,
    *,
    selection: dict | None = None,
    probe_file: Path | None = None,
) -> TestRun | None:
    """Run the stage's tests, turning what stops them from running into problems."""
    scratch.mkdir(parents=True, exist_ok=True)
    problem = verify_imports(course, stage, stage_environment(course, stage, scratch / "env"))
    if problem:
        verdict.problems.append(problem)
        return None
    try:
        run = run_stage_tests(
            course, stage, scratch, timeout=timeout, selection=selection, probe_file=probe_file
        )
    except CourseError as error:
        verdict.problems.append(str(error))
        return None
    for error in run.collection_errors:
        verdict.problems.append(f"cannot collect {error['nodeid']}:\n{error['message']}")
    if not run.tests and not run.collection_errors:
        verdict.problems.append(
            f"no tests ran (pytest status {run.returncode}):\n{_tail(run.output)}"
        )
    return run


def _add_message(verdict: Verdict, run: TestRun, nodeid: str) -> None:
    """Show, under the last problem, the end of the test's failure report."""
    message = run.tests[nodeid].get("message", "")
    if message and verdict.problems:
        verdict.problems[-1] += "\n" + message


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def check_course(
    course: Course,
    *,
    only: list[str] | None = None,
    jobs: int = 2,
    untracked: bool = False,
    timeout: float = 1200.0,
    full: bool = False,
    report=print,
) -> bool:
    """Check the reference of every stage with exercises, then every exercise.

    Prints one line per verdict (with the problems under it) and returns True if all
    are fine. `full` runs every test of the stage in each starter."""
    started = time.monotonic()
    if course.problems:
        report("problems in the exercises' declarations and markers:")
        for problem in course.problems:
            report(f"  - {problem}")
    exercises = course.exercises
    if only:
        exercises = [course.exercise(exercise_id) for exercise_id in only]
    if not exercises:
        report("no exercises to check")
        return not course.problems
    stages = sorted({e.stage for e in exercises}, key=lambda s: s.number)
    verdicts: list[Verdict] = []
    with tempfile.TemporaryDirectory(prefix="course-check-") as scratch_name:
        scratch = Path(scratch_name)
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            # References first: an exercise's job waits for its stage's reference (FIFO
            # order means that reference is already running or done, so no deadlock).
            references = {
                stage: pool.submit(
                    check_reference,
                    course,
                    stage,
                    scratch / f"reference-{stage.name}",
                    untracked=untracked,
                    timeout=timeout,
                )
                for stage in stages
            }

            def after_reference(exercise: Exercise) -> Verdict:
                _, reach = references[exercise.stage].result()
                return check_exercise(
                    course,
                    exercise,
                    scratch / f"exercise-{exercise.id}",
                    untracked=untracked,
                    timeout=timeout,
                    reach=None if full or reach is None else reach.get(exercise.id),
                )

            exercise_jobs = [pool.submit(after_reference, exercise) for exercise in exercises]
            for job in references.values():
                verdict, _ = job.result()
                _print_verdict(verdict, report)
                verdicts.append(verdict)
            for job in exercise_jobs:
                verdict = job.result()
                _print_verdict(verdict, report)
                verdicts.append(verdict)
    failed = [v for v in verdicts if not v.ok]
    exercise_verdicts = verdicts[len(stages) :]
    passed = sum(1 for v in exercise_verdicts if v.ok)
    report("")
    if course.problems:
        report(f"{len(course.problems)} problem(s) in declarations and markers (listed above)")
    if failed:
        report("failed: " + ", ".join(v.name for v in failed))
    report(f"checked in {time.monotonic() - started:.0f} s with {jobs} test run(s) at once")
    report(f"exercises: {passed} passed, {len(exercise_verdicts) - passed} failed")
    return not failed and not course.problems


def _print_verdict(verdict: Verdict, report) -> None:
    status = "ok  " if verdict.ok else "FAIL"
    report(f"{status} {verdict.name:<28} {verdict.detail}  ({verdict.seconds:.1f} s)")
    for problem in verdict.problems:
        first, *rest = problem.splitlines() or [""]
        report(f"     - {first}")
        for line in rest:
            report(f"         | {line}")
