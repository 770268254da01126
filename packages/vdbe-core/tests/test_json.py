"""The JSON functions and json_each/json_tree against real SQLite, on generated documents.

The statement corpus (tests/corpus/expressions_json.sql and tables_json.sql) holds the
chosen cases. Here Hypothesis writes JSON documents (nested arrays and objects, numbers
written in every way JSON allows, strings with escapes, random whitespace, and now and
then a broken one) and paths into them (members that exist and that do not, `[#-N]`,
quoted labels, and malformed paths). Each statement is compiled once with parameters;
SQLite and the VM then run it with the same bindings, and must agree on the rows or on
the error message.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vdbe.engine import VM
from vdbe.errors import SqlError
from vdbe.functions.jsonvalue import JsonText
from vdbe.loader import compile_sql
from vdbe.sqlite_library import sqlite3

LONG = bool(os.environ.get("CARROT_LONG_TESTS"))
SETTINGS = settings(
    max_examples=2000 if LONG else 150,
    derandomize=not LONG,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# ------------------------------------------------------------------- documents, paths

LABELS = ["a", "b", "a b", "é", 'q"', "", "1", "x.y", "A1"]

number_text = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["0", "-0", "1.50", "1e5", "2E-3", "-0.0", "1.5E+10", "0.1", "1e400"]),
    st.tuples(st.integers(-999, 999), st.integers(0, 999)).map(lambda p: f"{p[0]}.{p[1]}"),
)
string_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)
    .map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"')
    .filter(lambda s: all(ord(c) >= 0x20 for c in s)),
    st.sampled_from(['"\\n\\t\\/"', '"\\u0041\\u00e9"', '"\\ud83d\\ude00"', '"a\\"b"', '""']),
)
atom = st.one_of(st.sampled_from(["null", "true", "false"]), number_text, string_text)
SPACE = st.sampled_from(["", "", "", " ", "\n", " \t\r\n "])


@st.composite
def document(draw, depth: int = 0):
    """JSON text: an atom, or an array or object of smaller documents."""
    kind = draw(st.sampled_from(["atom", "array", "object"] if depth < 4 else ["atom"]))
    if kind == "atom":
        return draw(atom)
    items = draw(st.lists(document(depth + 1), max_size=4))
    if kind == "array":
        parts = items
        opener, closer = "[", "]"
    else:
        labels = draw(st.lists(st.sampled_from(LABELS), min_size=len(items), max_size=len(items)))
        parts = [
            f'"{k.replace(chr(34), chr(92) + chr(34))}"{draw(SPACE)}:{draw(SPACE)}{v}'
            for k, v in zip(labels, items, strict=True)
        ]
        opener, closer = "{", "}"
    sep = draw(SPACE) + "," + draw(SPACE)
    return opener + draw(SPACE) + sep.join(parts) + draw(SPACE) + closer


@st.composite
def maybe_broken(draw):
    """A document, sometimes cut short or with a stray character in it."""
    text = draw(document())
    how = draw(st.sampled_from(["keep"] * 8 + ["cut", "junk"]))
    if how == "cut" and len(text) > 1:
        return text[: draw(st.integers(0, len(text) - 1))]
    if how == "junk":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.sampled_from([",", "]", "}", "x", "'", "01"])) + text[at:]
    return text


step = st.one_of(
    st.sampled_from(LABELS[:5]).map(lambda k: f".{k}" if k.isalnum() else f'."{k}"'),
    st.integers(0, 4).map(lambda n: f"[{n}]"),
    st.sampled_from(["[#]", "[#-1]", "[#-2]", "[#-9]"]),
    st.sampled_from(["[", ".", "[x]", "[#-]", '."open', "x"]),  # malformed
)
path = st.one_of(
    st.lists(step, max_size=4).map(lambda steps: "$" + "".join(steps)),
    st.sampled_from(["$", "a", "", "$$"]),
)
sql_value = st.one_of(
    st.none(),
    st.integers(-5, 5),
    st.sampled_from([1.5, "text", '{"x":[1]}', b"\x00"]),
)


# ------------------------------------------------------------------------ comparing

_PROGRAMS: dict[str, object] = {}
_ORACLE = sqlite3.connect(":memory:")


def answers(sql: str, *bindings) -> tuple:
    """(SQLite's rows or error, the VM's rows or error) for one statement."""
    try:
        expected = (_ORACLE.execute(sql, bindings).fetchall(), None)
    except sqlite3.Error as exc:
        expected = (None, str(exc))
    program = _PROGRAMS.get(sql)
    if program is None:
        program = _PROGRAMS[sql] = compile_sql(sql)
    try:
        rows = VM(program, bindings=bindings).run()
        got = ([tuple(row) for row in rows], None)
    except SqlError as exc:
        got = (None, exc.message)
    return expected, got


def assert_same(sql: str, *bindings) -> None:
    expected, got = answers(sql, *bindings)
    assert got == expected, f"{sql} with {bindings!r}"
    for row in got[0] or []:
        assert all(type(v) is not JsonText for v in row), "a subtype left the VM"


@SETTINGS
@given(maybe_broken())
@pytest.mark.exercise("vdbe-variable")
def test_parsing_and_minifying(doc):
    assert_same("SELECT json_valid(?1), json(?1), json_type(?1), json_array_length(?1)", doc)


@pytest.mark.exercise("vdbe-variable")
@SETTINGS
@given(maybe_broken(), path)
def test_extracting(doc, p):
    assert_same("SELECT json_extract(?1, ?2), json_type(?1, ?2), ?1 -> ?2, ?1 ->> ?2", doc, p)


@pytest.mark.exercise("vdbe-variable")
@SETTINGS
@given(document(), path, path)
def test_extracting_several_paths(doc, p, q):
    assert_same("SELECT json_extract(?1, ?2, ?3), json_array_length(?1, ?2)", doc, p, q)


@pytest.mark.exercise("vdbe-variable")
@SETTINGS
@given(document(), path, sql_value, path)
def test_editing(doc, p, value, q):
    assert_same(
        "SELECT json_set(?1, ?2, ?3, ?4, json(?1)), json_insert(?1, ?2, ?3), "
        "json_replace(?1, ?4, ?3, ?2, ?3), json_remove(?1, ?2, ?4)",
        doc,
        p,
        value,
        q,
    )


@pytest.mark.exercise("vdbe-variable")
@SETTINGS
@given(document(), document())
def test_merge_patch(target, patch):
    assert_same("SELECT json_patch(?1, ?2)", target, patch)


@pytest.mark.exercise("vdbe-variable")
@SETTINGS
@given(st.lists(sql_value.filter(lambda v: not isinstance(v, bytes)), max_size=5))
def test_building(values):
    args = ", ".join(f"?{k + 1}" for k in range(len(values)))
    labels = ", ".join(f"'k{k}', ?{k + 1}" for k in range(len(values)))
    assert_same(f"SELECT json_array({args}), json_object({labels})", *values)
    assert_same("SELECT json_quote(?1), json_array(json_quote(?1))", (values or [None])[0])


@pytest.mark.exercise("vdbe-variable")
@SETTINGS
@given(maybe_broken(), path)
def test_json_each_and_json_tree(doc, p):
    columns = "key, value, type, atom, id, parent, fullkey, path, json, root, rowid"
    assert_same(f"SELECT {columns} FROM json_each(?1)", doc)
    assert_same(f"SELECT {columns} FROM json_tree(?1)", doc)
    assert_same(f"SELECT {columns} FROM json_each(?1, ?2)", doc, p)
    assert_same(f"SELECT {columns} FROM json_tree(?1, ?2)", doc, p)


# ------------------------------------------------------------------ chosen behaviours


def test_json_text_nests_only_with_its_subtype():
    assert_same("SELECT json_array(json('[1]'), '[1]', json_quote('x'), '{}' -> '$')")


def test_a_subquery_drops_the_subtype():
    assert_same("SELECT json_array(x) FROM (SELECT json('{\"a\":1}') AS x)")


@pytest.mark.exercise("vdbe-variable")
def test_deep_nesting_is_malformed_past_two_thousand_levels():
    for depth in (1999, 2000, 2001):
        assert_same("SELECT json_valid(?1), length(json(?1))", "[" * depth + "]" * depth)


def test_table_valued_pragma_names_what_is_missing():
    with pytest.raises(SqlError) as info:
        VM(compile_sql("SELECT * FROM pragma_function_list")).run()
    assert "pragma_function_list" in info.value.message
    assert "not supported" in info.value.message


def test_blob_values_are_refused_like_sqlite():
    assert_same("SELECT json_array(x'00')")
    assert_same("SELECT json_group_array(x) FROM (SELECT x'01' AS x)")


CHAPTER = Path(__file__).resolve().parents[3] / "docs" / "stage2" / "virtual-tables.md"


@pytest.mark.skipif(not CHAPTER.exists(), reason="the docs are not in this checkout")
def test_the_virtual_table_chapter_shows_what_the_vm_does():
    text = CHAPTER.read_text()
    sql, listing = re.search(r"```sql\n(.*?)```\n\n```text\n(.*?)```", text, re.DOTALL).groups()
    assert compile_sql(sql.strip()).listing() == listing
    assert VM(compile_sql(sql.strip())).run() == [[1, 20]]
    with pytest.raises(SqlError) as info:
        VM(compile_sql("SELECT * FROM pragma_collation_list")).run()
    shown = re.search(r"Error: (pragma_collation_list.*?)\n```", text, re.DOTALL).group(1)
    assert info.value.message == " ".join(shown.split())
