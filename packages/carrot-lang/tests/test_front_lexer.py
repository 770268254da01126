"""The lexer: tokens, positions, literals and the lexical errors."""

import pytest
from carrot.diagnostics import CompileError
from carrot.lexer import tokenize
from hypothesis import given, settings
from hypothesis import strategies as st


def kinds(text):
    return [t.kind for t in tokenize(text)]


def error_of(text):
    with pytest.raises(CompileError) as info:
        tokenize(text)
    return info.value


def test_keywords_names_and_punctuation():
    assert kinds("fn f(a, b) { return a <= b; }") == [
        "fn", "NAME", "(", "NAME", ",", "NAME", ")", "{", "return",
        "NAME", "<=", "NAME", ";", "}", "EOF",
    ]  # fmt: skip


def test_every_keyword_is_its_own_kind():
    words = "fn txn let if else while for in return break continue abort true false null"
    assert kinds(words)[:-1] == words.split()


def test_two_character_operators_win():
    assert kinds("== != <= >= && || = < > !") == [
        "==", "!=", "<=", ">=", "&&", "||", "=", "<", ">", "!", "EOF",
    ]  # fmt: skip


def test_positions_are_line_and_column_from_one():
    tokens = tokenize('let x = 1;\n  print("a");')
    assert [(t.text, t.line, t.col) for t in tokens[:3]] == [
        ("let", 1, 1),
        ("x", 1, 5),
        ("=", 1, 7),
    ]
    print_token = tokens[5]
    assert (print_token.text, print_token.line, print_token.col) == ("print", 2, 3)


def test_comments_run_to_end_of_line():
    assert kinds("1 // two 2\n/// three\n3") == ["INT", "INT", "EOF"]


def test_identifiers_may_hold_digits_and_underscores():
    tokens = tokenize("_a1 B_2")
    assert [(t.kind, t.text) for t in tokens[:2]] == [("NAME", "_a1"), ("NAME", "B_2")]


def test_int_literal_value():
    assert tokenize("9223372036854775807")[0].value == 2**63 - 1


def test_int_literal_out_of_range():
    error = error_of("let x = 99999999999999999999;")
    assert "out of range" in error.message
    assert (error.line, error.col) == (1, 9)


@given(st.text("0123456789", min_size=1, max_size=12_000))
@settings(max_examples=60)
def test_any_digit_string_is_an_int_or_the_out_of_range_error(digits):
    """Never the host's refusal to convert more than 4,300 digits."""
    significant = digits.lstrip("0") or "0"
    fits = len(significant) <= 19 and int(significant) <= 2**63  # 2**63 only after '-'
    if fits:
        assert tokenize(digits)[0].value == int(significant)
    else:
        message = error_of(digits).message
        assert message.startswith("integer literal ")
        assert message.endswith(" is out of range (64-bit signed)")


@pytest.mark.parametrize(
    "text, value",
    [("1.5", 1.5), ("2.0e10", 2.0e10), ("1.0e+3", 1000.0), ("2.5e-1", 0.25), ("0.0", 0.0)],
)
def test_float_literals(text, value):
    token = tokenize(text)[0]
    assert (token.kind, token.value) == ("FLOAT", value)


@pytest.mark.parametrize("text", ["1e10", "1.5E3", "12abc", "1.", "1.2.3"])
def test_malformed_numbers_are_errors(text):
    assert "invalid number" in error_of(text).message


def test_exponent_needs_digits():
    assert "exponent" in error_of("1.5e+").message


@pytest.mark.exercise("carrot-string-escapes")
def test_string_escapes_are_decoded():
    token = tokenize(r'"a\nb\tc\rd\\e\"f\0g"')[0]
    assert token.value == 'a\nb\tc\rd\\e"f\0g'


@pytest.mark.exercise("carrot-string-escapes")
def test_unknown_escape_points_at_the_backslash():
    error = error_of(r'let s = "ab\qc";')
    assert error.message == "invalid escape sequence '\\q' in string"
    assert (error.line, error.col) == (1, 12)


def test_unterminated_string():
    error = error_of('print("abc);\n')
    assert error.message == "unterminated string"
    assert (error.line, error.col) == (1, 7)


def test_string_may_not_span_lines():
    assert error_of('"ab\ncd"').message == "unterminated string"


def test_strings_are_unicode():
    assert tokenize('"héllo ✓"')[0].value == "héllo ✓"


def test_unexpected_character():
    error = error_of("let x = 1 @ 2;")
    assert error.message == "unexpected character '@'"
    assert error.col == 11


def test_single_ampersand_suggests_double():
    assert "did you mean '&&'" in error_of("a & b").message


def test_eof_sits_after_the_last_token():
    eof = tokenize("let x = 1\n\n")[-1]
    assert (eof.kind, eof.line, eof.col) == ("EOF", 1, 10)


def test_windows_line_endings_keep_positions():
    tokens = tokenize("let x = 1;\r\nprint(x);\r\n")
    print_token = tokens[5]
    assert (print_token.text, print_token.line, print_token.col) == ("print", 2, 1)


def test_control_characters_are_named_by_code_point():
    assert error_of("let x = \x01;").message == "unexpected character U+0001"
