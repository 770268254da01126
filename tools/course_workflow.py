"""The autograding workflow for GitHub Classroom.

GitHub Classroom grades an assignment with a GitHub Actions workflow, conventionally
``.github/workflows/classroom.yml``: one step per graded test, each running a command
with ``classroom-resources/autograding-command-grader`` (points if it exits 0), and a
final ``classroom-resources/autograding-grading-reporter`` step that adds the steps'
results up and reports them to the classroom. Here each exercise of the stage is one
step running ``python tools/course.py test ID``.

Hidden tests: an instructor may keep tests the learners never see in a private
repository laid out like this one (``packages/<pkg>/tests/...``). With
``hidden_tests="owner/repo"`` the workflow checks that repository out with the
``HIDDEN_TESTS_TOKEN`` secret and copies its ``packages/`` over the learner's before
grading, so hidden tests run too and edited visible tests are put back.
"""

from __future__ import annotations

import json

from course_catalog import Course, Stage

COMMAND_GRADER = "classroom-resources/autograding-command-grader@v1"
REPORTER = "classroom-resources/autograding-grading-reporter@v1"


def _quote(value: str) -> str:
    """A YAML scalar in double quotes (JSON strings are valid YAML)."""
    return json.dumps(value)


def install_command(course: Course, stage: Stage) -> str:
    packages = " ".join(f"./packages/{s.dirname}" for s in course.dependencies(stage))
    return f"python -m pip install pytest hypothesis {packages}"


def render_workflow(
    course: Course,
    stage: Stage,
    *,
    timeout_minutes: int = 10,
    hidden_tests: str | None = None,
    python_version: str = "3.11",
) -> str:
    """The text of classroom.yml grading every exercise of one stage."""
    exercises = course.stage_exercises(stage)
    lines = [
        f"# Autograding for stage {stage.number} ({stage.name}): one step per exercise.",
        "# Written by `python tools/course.py workflow "
        f"{stage.name}`; each step runs `python tools/course.py test ID`.",
        f"name: {_quote('Autograding Tests')}",
        "'on':",
        "  - push",
        "  - workflow_dispatch",
        "  - repository_dispatch",
        "permissions:",
        "  checks: write",
        "  actions: read",
        "  contents: read",
        "jobs:",
        "  run-autograding-tests:",
        "    runs-on: ubuntu-latest",
        "    if: github.actor != 'github-classroom[bot]'",
        "    steps:",
        "      - name: Checkout code",
        "        uses: actions/checkout@v4",
        "      - name: Set up Python",
        "        uses: actions/setup-python@v5",
        "        with:",
        f"          python-version: {_quote(python_version)}",
    ]
    if hidden_tests:
        lines += [
            "      - name: Checkout hidden tests",
            "        uses: actions/checkout@v4",
            "        with:",
            f"          repository: {_quote(hidden_tests)}",
            "          token: ${{ secrets.HIDDEN_TESTS_TOKEN }}",
            "          path: .hidden-tests",
            "      - name: Add the hidden tests",
            "        run: cp -R .hidden-tests/packages/. packages/ && rm -rf .hidden-tests",
        ]
    lines += [
        "      - name: Install the stage",
        f"        run: {_quote(install_command(course, stage))}",
    ]
    for exercise in exercises:
        lines += [
            f"      - name: {_quote(exercise.id)}",
            f"        id: {exercise.id}",
            f"        uses: {COMMAND_GRADER}",
            "        with:",
            f"          test-name: {_quote(f'{exercise.id}: {exercise.title}')}",
            "          setup-command: ''",
            f"          command: {_quote(f'python tools/course.py test {exercise.id}')}",
            f"          timeout: {timeout_minutes}",
            f"          max-score: {exercise.points}",
        ]
    lines += [
        "      - name: Autograding Reporter",
        f"        uses: {REPORTER}",
        "        env:",
    ]
    lines += [
        f'          {exercise.id.upper()}_RESULTS: "${{{{steps.{exercise.id}.outputs.result}}}}"'
        for exercise in exercises
    ]
    lines += [
        "        with:",
        f"          runners: {','.join(e.id for e in exercises)}",
    ]
    return "\n".join(lines) + "\n"
