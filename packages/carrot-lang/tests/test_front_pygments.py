"""The Pygments lexer: registered by entry point, and it colours Carrot's tokens."""

import pytest

pygments = pytest.importorskip("pygments")

from carrot.pygments_lexer import CarrotLexer  # noqa: E402
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename  # noqa: E402
from pygments.token import Error, Keyword, Name, Number, String  # noqa: E402


def tokens(text):
    return [(kind, value) for kind, value in CarrotLexer().get_tokens(text) if value.strip()]


def test_found_through_the_entry_point_by_name_and_filename():
    from importlib.metadata import entry_points

    if not any(e.name == "carrot" for e in entry_points(group="pygments.lexers")):
        pytest.skip("carrot-lang is not installed (a source tree on sys.path has no entry point)")
    assert isinstance(get_lexer_by_name("carrot"), CarrotLexer)
    assert isinstance(get_lexer_for_filename("fib.carrot"), CarrotLexer)


def test_keywords_functions_numbers_and_strings():
    found = tokens('fn fibo(x) { return 1.5e3 + 42; } print("a\\n");')
    assert (Keyword.Declaration, "fn") in found
    assert (Name.Function, "fibo") in found
    assert (Keyword, "return") in found
    assert (Number.Float, "1.5e3") in found
    assert (Number.Integer, "42") in found
    assert (Name.Builtin, "print") in found
    assert (String.Escape, "\\n") in found


def test_txn_and_literals():
    found = tokens("txn fn pay() { abort; } let t = true;")
    assert (Keyword.Declaration, "txn") in found
    assert (Keyword, "abort") in found
    assert (Keyword.Constant, "true") in found


def test_bad_escape_is_marked_and_nothing_is_lost():
    text = 'let s = "a\\qb"; // note\n'
    assert (Error, "\\q") in tokens(text)
    assert "".join(value for _, value in CarrotLexer().get_tokens(text)) == text
