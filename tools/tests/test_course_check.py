"""`course.py check`: passes on a sound course, and says what is wrong otherwise."""

from __future__ import annotations

from fake_course import run_course, write_fake_course

# ops.py of the fake course where `neg` calls `add`: its unmarked test then fails
# in the dvm-add starter.
NEG_USES_ADD = {
    "packages/dvm/src/dvm/ops.py": """\
        def add(a, b):
            # exercise-start: dvm-add
            return a + b
            # exercise-end: dvm-add


        def mul(a, b):
            # exercise-start: dvm-mul
            return a * b
            # exercise-end: dvm-mul


        def neg(a):
            return add(0, 0) - a
        """
}


def test_check_passes_on_a_sound_course(fake_course):
    result = run_course("--repo", str(fake_course), "check", "--jobs", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("ok   reference: dvm") for line in lines)
    assert any(line.startswith("ok   reference: vdbe") for line in lines)
    add_line = next(line for line in lines if line.startswith("ok   dvm-add"))
    assert "starter fails 2/2 of its tests, 2 others pass" in add_line
    assert "exercises: 3 passed, 0 failed" in lines


def test_check_one_exercise(fake_course):
    result = run_course("--repo", str(fake_course), "check", "vdbe-twice")
    assert result.returncode == 0, result.stdout
    assert "exercises: 1 passed, 0 failed" in result.stdout
    assert "dvm-add" not in result.stdout


def test_unmarked_test_that_breaks_in_the_starter_is_reported(tmp_path):
    repo = write_fake_course(tmp_path / "c", NEG_USES_ADD)
    result = run_course("--repo", str(repo), "check", "dvm-add")
    assert result.returncode == 1
    assert "FAIL dvm-add" in result.stdout
    assert "test_ops.py::test_neg failed in the starter but is not marked" in result.stdout
    assert "NotImplementedError" in result.stdout
    assert "exercises: 0 passed, 1 failed" in result.stdout


def test_test_that_passes_without_the_code_is_reported(tmp_path):
    weak = {
        "packages/vdbe-core/tests/test_more.py": """\
            import pytest

            from vdbe.more import Doubler


            @pytest.mark.exercise("vdbe-twice")
            def test_twice():
                assert Doubler().twice(4) == 8


            @pytest.mark.exercise("vdbe-twice")
            def test_doubler_exists():
                assert Doubler() is not None
            """
    }
    repo = write_fake_course(tmp_path / "c", weak)
    result = run_course("--repo", str(repo), "check", "vdbe-twice")
    assert result.returncode == 1
    assert "test_doubler_exists passed in the starter: it does not exercise" in result.stdout


def test_failing_reference_and_missing_tests_are_reported(tmp_path):
    broken = {
        "packages/dvm/src/dvm/ops.py": """\
            def add(a, b):
                # exercise-start: dvm-add
                return a - b
                # exercise-end: dvm-add


            def mul(a, b):
                # exercise-start: dvm-mul
                return a * b
                # exercise-end: dvm-mul


            def neg(a):
                return -a
            """,
        "packages/dvm/exercises.toml": """\
            [[exercise]]
            id = "dvm-add"
            title = "Add"
            files = ["src/dvm/ops.py"]

            [[exercise]]
            id = "dvm-mul"
            title = "Multiply"
            files = ["src/dvm/ops.py"]

            [[exercise]]
            id = "dvm-sub"
            title = "Subtract"
            files = ["src/dvm/ops.py"]
            """,
    }
    repo = write_fake_course(tmp_path / "c", broken)
    result = run_course("--repo", str(repo), "check")
    assert result.returncode == 1
    out = result.stdout
    assert "exercise dvm-sub: no '# exercise-start: dvm-sub' marker" in out
    assert "FAIL reference: dvm" in out
    assert "test_ops.py::test_add failed in the reference" in out
    assert "exercise dvm-sub has no passing test marked" in out


def test_list_prints_id_stage_title(fake_course):
    result = run_course("--repo", str(fake_course), "list")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "dvm-add     dvm   Add two numbers",
        "dvm-mul     dvm   Multiply two numbers",
        "vdbe-twice  vdbe  Double a number",
    ]


def test_marker_problems_are_listed(tmp_path):
    messy = {
        "packages/vdbe-core/src/vdbe/more.py": """\
            from dvm.ops import add


            class Doubler:
                def twice(self, x):
                    # exercise-start: vdbe-twice
                    return add(x, x)


            def stray():
                # exercise-start: vdbe-stray
                pass
                # exercise-end: vdbe-stray
            """,
    }
    repo = write_fake_course(tmp_path / "c", messy)
    result = run_course("--repo", str(repo), "list")
    assert result.returncode == 0
    assert "exercise-start: vdbe-twice is never closed" in result.stderr
    assert "exercise 'vdbe-stray' is not in vdbe-core/exercises.toml" in result.stderr
