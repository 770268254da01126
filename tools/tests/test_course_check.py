"""`course.py check`: passes on a sound course, and says what is wrong otherwise."""

from __future__ import annotations

import time

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
    # Only the tests that ran the region in the reference run the starter: here the
    # exercise's own (one of them through the `dvm` command, in another process).
    assert "starter fails 2/2 of its tests, 0 others pass (only the tests that reach" in add_line
    assert "exercises: 3 passed, 0 failed" in lines


def test_full_check_runs_every_test_of_the_stage(fake_course):
    result = run_course("--repo", str(fake_course), "check", "dvm-add", "--full")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "starter fails 2/2 of its tests, 2 others pass (all tests)" in result.stdout


def test_region_run_at_import_time_makes_the_starter_run_everything(tmp_path):
    at_import = {
        "packages/vdbe-core/src/vdbe/more.py": """\
            from dvm.ops import add


            class Doubler:
                # exercise-start: vdbe-twice
                def twice(self, x):
                    return add(x, x)
                # exercise-end: vdbe-twice
            """,
    }
    repo = write_fake_course(tmp_path / "c", at_import)
    result = run_course("--repo", str(repo), "check", "vdbe-twice")
    # The region ran while the module was imported, outside any test: the starter
    # runs every test. And the stub, a raise in the class body, breaks the import: the
    # region is not a function body, which the check reports.
    assert result.returncode == 1
    assert "(all tests: its code also ran outside any test, at " in result.stdout
    assert "test_more.py:3)" in result.stdout  # the import in the test module
    assert "cannot collect packages/vdbe-core/tests/test_more.py" in result.stdout
    assert "NotImplementedError: exercise vdbe-twice" in result.stdout


def test_check_one_exercise(fake_course):
    result = run_course("--repo", str(fake_course), "check", "vdbe-twice")
    assert result.returncode == 0, result.stdout
    assert "starter fails 2/2 of its tests" in result.stdout  # both "cases/..." ids
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


def test_probe_goes_after_a_docstring_that_starts_the_region(tmp_path):
    from course_catalog import load_course
    from course_check import instrument_regions

    documented = {
        "packages/dvm/src/dvm/ops.py": '''\
            def add(a, b):
                # exercise-start: dvm-add
                """The sum of a and b."""
                return a + b
                # exercise-end: dvm-add


            def mul(a, b):
                # exercise-start: dvm-mul

                return a * b
                # exercise-end: dvm-mul


            def neg(a):
                return -a
            ''',
    }
    repo = write_fake_course(tmp_path / "c", documented)
    course = load_course(repo)
    assert instrument_regions(course.stage("dvm")) == 2
    namespace: dict = {}
    exec((repo / "packages/dvm/src/dvm/ops.py").read_text(), namespace)
    assert namespace["add"].__doc__ == "The sum of a and b."
    lines = (repo / "packages/dvm/src/dvm/ops.py").read_text().splitlines()
    assert lines[3:7] == [
        "    try:",
        "        __import__('course_probe').hit('dvm-add')",
        "    except ImportError:",
        "        pass",
    ]
    assert lines[4] == "        __import__('course_probe').hit('dvm-add')"
    assert lines[14] == "        __import__('course_probe').hit('dvm-mul')"


def test_skips_count_only_when_the_reference_runs_the_test(tmp_path):
    skipping = {
        "packages/vdbe-core/tests/test_more.py": """\
            import pytest

            from vdbe.more import Doubler


            @pytest.mark.exercise("vdbe-twice")
            def test_twice():
                assert Doubler().twice(4) == 8


            @pytest.mark.exercise("vdbe-twice")
            @pytest.mark.skip(reason="never runs here")
            def test_skipped_everywhere():
                assert Doubler().twice(1) == 2


            @pytest.mark.exercise("vdbe-twice")
            def test_skips_without_the_code():
                try:
                    Doubler().twice(1)
                except NotImplementedError:
                    pytest.skip("not written yet")


            def test_doubler_exists():
                assert Doubler() is not None
            """
    }
    repo = write_fake_course(tmp_path / "c", skipping)
    result = run_course("--repo", str(repo), "check", "vdbe-twice")
    assert result.returncode == 1
    assert "test_skips_without_the_code is skipped in the starter (it runs in the" in result.stdout
    assert "test_skipped_everywhere" not in result.stdout


def test_a_hanging_test_run_is_stopped(tmp_path):
    hanging = {
        "packages/vdbe-core/tests/test_more.py": """\
            import subprocess
            import sys
            import time

            import pytest

            from vdbe.more import Doubler


            @pytest.mark.exercise("vdbe-twice")
            def test_twice():
                assert Doubler().twice(4) == 8


            def test_hangs():
                subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
                time.sleep(120)
            """
    }
    repo = write_fake_course(tmp_path / "c", hanging)
    started = time.monotonic()
    result = run_course("--repo", str(repo), "check", "vdbe-twice", "--timeout", "5")
    assert time.monotonic() - started < 60
    assert result.returncode == 1
    assert "the tests of stage vdbe ran over 5 s and were stopped" in result.stdout
