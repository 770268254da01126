"""Starters: regions replaced by a raise, everything else as it was."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from course_catalog import CourseError, load_course
from course_starter import stub_text, write_starter
from fake_course import FILES, run_course, write_fake_course

SOURCE = textwrap.dedent(
    """\
    def f(x):
        '''Doc.'''
        if x:
            # exercise-start: a-one
            y = x + 1
            return y
            # exercise-end: a-one
        return 0


    def g():
        # exercise-start: a-two
        return 2
        # exercise-end: a-two
    """
)


def test_region_becomes_a_raise_at_its_indentation():
    text, replaced = stub_text(SOURCE, {"a-one"})
    assert replaced == {"a-one"}
    assert (
        "        # exercise-start: a-one\n"
        '        raise NotImplementedError("exercise a-one")\n'
        "        # exercise-end: a-one\n"
    ) in text
    assert "y = x + 1" not in text
    assert "    # exercise-start: a-two\n    return 2\n" in text  # the other one intact
    compile(text, "f.py", "exec")


def test_several_exercises_at_once():
    text, replaced = stub_text(SOURCE, {"a-one", "a-two"})
    assert replaced == {"a-one", "a-two"}
    assert text.count("raise NotImplementedError") == 2


def test_nested_region_goes_with_the_outer_one():
    nested = textwrap.dedent(
        """\
        def h():
            # exercise-start: a-outer
            x = 1
            # exercise-start: a-inner
            x += 1
            # exercise-end: a-inner
            return x
            # exercise-end: a-outer
        """
    )
    text, replaced = stub_text(nested, {"a-outer", "a-inner"})
    assert replaced == {"a-outer"}
    assert text.count("raise") == 1 and "a-inner" not in text


def test_windows_line_endings_are_kept():
    text, _ = stub_text(SOURCE.replace("\n", "\r\n"), {"a-two"})
    assert '    raise NotImplementedError("exercise a-two")\r\n' in text


def test_unclosed_region_is_an_error():
    with pytest.raises(CourseError, match="never closed"):
        stub_text("def f():\n    # exercise-start: a-one\n    pass\n", {"a-one"})


def test_starter_copies_tracked_files_and_stubs_one_exercise(fake_course, tmp_path):
    (fake_course / "untracked.txt").write_text("not in git")
    course = load_course(fake_course)
    out = tmp_path / "starter"
    changed = write_starter(course, [course.exercise("dvm-add")], out)
    assert [p.as_posix() for p in changed] == ["packages/dvm/src/dvm/ops.py"]
    ops = (out / "packages/dvm/src/dvm/ops.py").read_text()
    assert 'raise NotImplementedError("exercise dvm-add")' in ops
    assert "total = a + b" not in ops
    assert "return a * b" in ops and "# exercise-start: dvm-mul" in ops
    assert (out / "packages/dvm/tests/test_ops.py").exists()
    assert (out / "tools/course.py").exists()
    assert not (out / "untracked.txt").exists()
    assert not (out / ".git").exists()


def test_starter_refuses_a_non_empty_directory(fake_course, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    result = run_course("--repo", str(fake_course), "starter", "dvm-add", str(tmp_path / "full"))
    assert result.returncode == 2
    assert "not empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_starter_of_a_whole_stage_with_its_workflow(fake_course, tmp_path):
    out = tmp_path / "stage"
    result = run_course("--repo", str(fake_course), "starter", "dvm", str(out), "--workflow")
    assert result.returncode == 0, result.stderr
    ops = (out / "packages/dvm/src/dvm/ops.py").read_text()
    assert ops.count("raise NotImplementedError") == 2
    workflow = (out / ".github/workflows/classroom.yml").read_text()
    assert "python tools/course.py test dvm-add" in workflow


def test_starter_region_that_would_not_compile_is_refused(tmp_path):
    bad = {
        "packages/dvm/src/dvm/ops.py": """\
            def add(a, b):
                return (
                    # exercise-start: dvm-add
                    a + b
                    # exercise-end: dvm-add
                )


            def mul(a, b):
                # exercise-start: dvm-mul
                return a * b
                # exercise-end: dvm-mul


            def neg(a):
                return -a
            """
    }
    repo = write_fake_course(tmp_path / "bad", bad)
    result = run_course("--repo", str(repo), "starter", "dvm-add", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "does not compile" in result.stderr


def test_unknown_exercise_is_a_clear_error(fake_course, tmp_path):
    result = run_course("--repo", str(fake_course), "starter", "dvm-nope", str(tmp_path / "x"))
    assert result.returncode == 2
    assert "no exercise 'dvm-nope'" in result.stderr


def test_learner_tests_the_starter_then_writes_the_code(fake_course, tmp_path):
    out = tmp_path / "learner"
    assert run_course("--repo", str(fake_course), "starter", "dvm-add", str(out)).returncode == 0
    # Inside the starter, the starter's own copy of the tool tests the starter's code.
    failing = subprocess.run(
        [sys.executable, "tools/course.py", "test", "dvm-add"],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert failing.returncode == 1
    assert "NotImplementedError" in failing.stdout
    assert "2 failed" in failing.stdout  # both dvm-add tests, and only them
    ops = out / "packages/dvm/src/dvm/ops.py"
    ops.write_text(
        ops.read_text().replace('raise NotImplementedError("exercise dvm-add")', "return b + a")
    )
    passing = run_course("test", "dvm-add", "--repo", str(out))
    assert passing.returncode == 0, passing.stdout
    assert "2 passed" in passing.stdout and "all its tests pass" in passing.stdout


def test_a_missing_test_dependency_is_named_with_its_install_line(tmp_path):
    pyproject = FILES["packages/dvm/pyproject.toml"].replace(
        "[project.scripts]",
        '[project.optional-dependencies]\ntest = ["pytest", "no-such-test-helper>=1"]\n\n'
        "[project.scripts]",
    )
    course = write_fake_course(tmp_path / "course", {"packages/dvm/pyproject.toml": pyproject})
    result = run_course("--repo", str(course), "test", "dvm-add")
    assert result.returncode != 0
    assert "need no-such-test-helper" in result.stderr
    assert 'python -m pip install "./packages/dvm[test]"' in result.stderr
    assert "Traceback" not in result.stderr
