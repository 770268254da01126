"""`course.py workflow`: GitHub Classroom's autograding format, one step per exercise."""

from __future__ import annotations

import yaml
from fake_course import run_course


def load_workflow(text: str) -> dict:
    data = yaml.safe_load(text)
    # YAML 1.1 reads a bare `on` as True; the workflow quotes it so it stays a key.
    assert "on" in data
    return data


def test_workflow_grades_each_exercise_of_the_stage(fake_course, tmp_path):
    out = tmp_path / "classroom.yml"
    result = run_course("--repo", str(fake_course), "workflow", "dvm", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "2 graded steps" in result.stdout
    workflow = load_workflow(out.read_text())
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    graders = [
        s
        for s in steps
        if s.get("uses", "").startswith("classroom-resources/autograding-command-grader@")
    ]
    assert [g["id"] for g in graders] == ["dvm-add", "dvm-mul"]
    assert graders[0]["with"]["command"] == "python tools/course.py test dvm-add"
    assert graders[1]["with"]["max-score"] == 20  # the points in exercises.toml
    install = next(s for s in steps if s.get("name") == "Install the stage")
    assert install["run"].endswith("./packages/dvm")
    reporter = steps[-1]
    assert reporter["uses"].startswith("classroom-resources/autograding-grading-reporter@")
    assert reporter["with"]["runners"] == "dvm-add,dvm-mul"
    assert reporter["env"]["DVM-ADD_RESULTS"] == "${{steps.dvm-add.outputs.result}}"
    assert workflow["permissions"]["checks"] == "write"


def test_later_stage_installs_the_stages_it_needs(fake_course):
    result = run_course("--repo", str(fake_course), "workflow", "2")
    assert result.returncode == 0, result.stderr
    steps = load_workflow(result.stdout)["jobs"]["run-autograding-tests"]["steps"]
    install = next(s for s in steps if s.get("name") == "Install the stage")
    assert install["run"].endswith("./packages/dvm ./packages/vdbe-core")


def test_hidden_tests_are_fetched_and_laid_over_the_visible_ones(fake_course):
    result = run_course(
        "--repo", str(fake_course), "workflow", "dvm", "--hidden-tests", "school/dvm-hidden"
    )
    steps = load_workflow(result.stdout)["jobs"]["run-autograding-tests"]["steps"]
    names = [s.get("name") for s in steps]
    fetch = steps[names.index("Checkout hidden tests")]
    assert fetch["with"]["repository"] == "school/dvm-hidden"
    assert "HIDDEN_TESTS_TOKEN" in fetch["with"]["token"]
    assert names.index("Add the hidden tests") < names.index("dvm-add")


def test_unknown_stage_is_a_clear_error(fake_course):
    result = run_course("--repo", str(fake_course), "workflow", "nope")
    assert result.returncode == 2
    assert "no stage named 'nope' (stages: dvm, vdbe)" in result.stderr
