"""How errors are shown: kind, line and column, the source line, carets."""

from dvm import evaluate
from dvm.errors import DvmCompileError, DvmError, DvmRuntimeError, DvmSyntaxError, caret_line
from dvm.span import Span


def rendered(source: str) -> str:
    try:
        evaluate(source)
    except DvmError as error:
        return error.render(source)
    raise AssertionError(f"{source!r} gave no error")


def test_caret_under_the_second_two():
    assert rendered("2 2") == (
        "syntax error at column 3: unexpected number 2 after a complete expression\n2 2\n  ^"
    )


def test_carets_cover_the_whole_token():
    lines = rendered("1 + 12345678901").splitlines()
    assert lines[2] == "    " + "^" * 11


def test_end_of_input_caret_sits_after_the_text():
    assert rendered("2 +").splitlines()[2] == "   ^"


def test_multi_line_sources_name_the_line():
    text = rendered("1 +\n2 2")
    assert text.startswith("syntax error at line 2, column 3:")
    assert text.splitlines()[1:] == ["2 2", "  ^"]


def test_runtime_error_points_at_the_operator():
    assert rendered("6 / (2 - 2)").splitlines() == [
        "runtime error at column 3: division by zero",
        "6 / (2 - 2)",
        "  ^",
    ]


def test_tabs_are_kept_so_carets_line_up():
    assert caret_line("\t1 $", Span(1, 4)) == "\t  ^"


def test_error_without_a_span():
    assert DvmRuntimeError("oops").render("1") == "runtime error: oops"


def test_exit_statuses():
    assert DvmSyntaxError("x").exit_status == 65
    assert DvmCompileError("x").exit_status == 65
    assert DvmRuntimeError("x").exit_status == 70
