"""The JSON functions and json_each/json_tree against real SQLite, on generated documents.

The statement corpus (tests/corpus/expressions_json.sql and tables_json.sql) holds the
chosen cases. Here Hypothesis writes JSON documents (nested arrays and objects, numbers
written in every way JSON allows, strings with escapes, random whitespace, and now and
then a broken one) and paths into them (members that exist and that do not, `[#-N]`,
quoted labels, and malformed paths). Each statement is compiled once with parameters;
SQLite and the VM then run it with the same bindings, and must agree on the rows or on
the error message.

The oracle is the SQLite that compiles (`vdbe.sqlite_library`): under the sqlite-* tox
environments a newer release, whose JSON differs (see `vdbe.functions.jsonrelease`).
The tests of what a release added (JSON5 documents, JSONB, json_pretty) are skipped
where the compiling SQLite lacks it.
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
from vdbe.functions import jsonrelease
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
def test_deep_nesting_is_malformed_past_the_releases_limit():
    limit = jsonrelease.MAX_DEPTH  # 2000 levels before 3.42, 1000 since
    for depth in (limit - 1, limit, limit + 1, 1999, 2000, 2001):
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
    if sqlite3.sqlite_version_info[:2] == (3, 40):  # the page shows what 3.40 compiles
        assert compile_sql(sql.strip()).listing() == listing
    assert VM(compile_sql(sql.strip())).run() == [[1, 20]]
    with pytest.raises(SqlError) as info:
        VM(compile_sql("SELECT * FROM pragma_collation_list")).run()
    shown = re.search(r"Error: (pragma_collation_list.*?)\n```", text, re.DOTALL).group(1)
    assert info.value.message == " ".join(shown.split())


# ------------------------------------------------------- what newer releases added

needs_json5 = pytest.mark.skipif(not jsonrelease.JSON5, reason="JSON5 input came in 3.42")
needs_jsonb = pytest.mark.skipif(not jsonrelease.JSONB, reason="JSONB came in 3.45")
needs_pretty = pytest.mark.skipif(not jsonrelease.PRETTY, reason="json_pretty came in 3.46")
needs_jsonb_each = pytest.mark.skipif(
    not jsonrelease.JSONB_EACH, reason="jsonb_each and jsonb_tree came in 3.51"
)
needs_array_insert = pytest.mark.skipif(
    not jsonrelease.ARRAY_INSERT, reason="json_array_insert came in 3.53"
)


def test_the_release_flags_follow_the_compiling_sqlite():
    version = sqlite3.sqlite_version_info
    assert (version >= (3, 42, 0)) == jsonrelease.JSON5
    assert (version >= (3, 45, 0)) == jsonrelease.JSONB
    assert (version >= (3, 46, 0)) == jsonrelease.PRETTY
    assert jsonrelease.since(3, 45, version=(3, 44, 2)) is False
    assert jsonrelease.since(3, 45, version=(3, 45, 0)) is True


JSON5_SPACE = st.sampled_from(["", " ", "/* c */", "// c\n", "\u00a0", "\v", "\ufeff "])
json5_atom = st.one_of(
    atom,
    st.sampled_from(
        ["0x1F", "-0X10", "+1", "+.5", ".5", "5.", "-5.e3", "Infinity", "-Infinity", "NaN"]
        + ["0xFFFFFFFFFFFFFFFF", "0x1FFFFFFFFFFFFFFFF", "inf", "QNaN", "+0x10", "1e999"]
    ),
    st.sampled_from(["'a'", "'a\\'b\\x41'", "'q\"'", '"\\v\\0"', "'\\u0041'"]),
    st.sampled_from(['"tab\there"', '"a\\\nb"', "'line\\\r\nbreak'", '"\x01"']),
)
JSON5_LABELS = ["a", "$b_1", "é", "'q'", '"a"', "'a b'", '"\\u0061"', "_"]


@st.composite
def json5_document(draw, depth: int = 0):
    """JSON5 text: what JSON allows plus comments, bare labels, trailing commas..."""
    kind = draw(st.sampled_from(["atom", "array", "object"] if depth < 3 else ["atom"]))
    if kind == "atom":
        return draw(json5_atom)
    items = draw(st.lists(json5_document(depth + 1), max_size=3))
    if kind == "object":
        items = [f"{draw(st.sampled_from(JSON5_LABELS))}{draw(JSON5_SPACE)}:{v}" for v in items]
    opener, closer = ("[", "]") if kind == "array" else ("{", "}")
    trailing = "," if items and draw(st.booleans()) else ""
    sep = draw(JSON5_SPACE) + "," + draw(JSON5_SPACE)
    return opener + draw(JSON5_SPACE) + sep.join(items) + trailing + draw(JSON5_SPACE) + closer


@st.composite
def broken_json5(draw):
    """A JSON5 document cut short or with a stray character in it."""
    text = draw(json5_document())
    at = draw(st.integers(0, len(text)))
    if draw(st.booleans()):
        return text[:at]
    return (
        text[:at]
        + draw(st.sampled_from([",", "]", "}", "x", "'", "01", "\\", ".", "+"]))
        + text[at:]
    )


json5_path = st.one_of(path, st.sampled_from(["$.a", "$.$b_1", "$.é", "$.q", '$."a b"', "$._"]))


@needs_json5
@SETTINGS
@given(json5_document(), json5_path)
def test_json5_documents_are_read_and_written_as_json(doc, p):
    assert_same("SELECT json(?1), json_type(?1), json_extract(?1, ?2), ?1 ->> ?2", doc, p)
    assert_same("SELECT json_error_position(?1), json_valid(?1)", doc)
    assert_same("SELECT key, value, type, fullkey FROM json_tree(?1)", doc)


@needs_json5
@SETTINGS
@given(broken_json5())
def test_json_error_position_finds_where_json5_breaks(doc):
    assert_same("SELECT json_error_position(?1), json_valid(?1)", doc)
    assert_same("SELECT json(?1)", doc)


@needs_jsonb
@SETTINGS
@given(st.one_of(document(), json5_document()), json5_path)
def test_jsonb_holds_the_document_byte_for_byte(doc, p):
    assert_same("SELECT hex(jsonb(?1)), json(jsonb(?1)), json_valid(jsonb(?1), 8)", doc)
    assert_same(
        "SELECT json_extract(jsonb(?1), ?2), hex(jsonb_extract(?1, ?2)), jsonb(?1) ->> ?2",
        doc,
        p,
    )
    assert_same("SELECT id, parent, key, fullkey, path, type FROM json_tree(jsonb(?1))", doc)


@needs_jsonb
@SETTINGS
@given(document(), path, sql_value, path)
def test_jsonb_editing_matches_sqlite(doc, p, value, q):
    assert_same(
        "SELECT hex(jsonb_set(?1, ?2, ?3, ?4, json(?1))), hex(jsonb_insert(?1, ?2, ?3)), "
        "hex(jsonb_replace(jsonb(?1), ?4, ?3)), hex(jsonb_remove(?1, ?2, ?4)), "
        "json_set(jsonb(?1), ?2, ?3)",
        doc,
        p,
        value,
        q,
    )


def _not_false_jsonb(blob: bytes) -> bool:
    """Not a BLOB that passes SQLite's quick JSONB test but holds a broken element: what
    the functions make of one is left unspecified, and the VM does not copy it."""
    from vdbe.functions import jsonb  # noqa: PLC0415

    return not jsonb.looks_like_jsonb(blob) or jsonb.decode(blob, strict=True) is not None


@needs_jsonb
@SETTINGS
@given(
    st.lists(sql_value, max_size=4),
    st.integers(1, 15),
    st.binary(max_size=6).filter(_not_false_jsonb),
)
def test_jsonb_building_and_validity(values, flags, blob):
    args = ", ".join(f"?{k + 1}" for k in range(len(values)))
    assert_same(f"SELECT hex(jsonb_array({args}))", *values)
    assert_same(
        "SELECT json_valid(?1, ?2), json_valid(jsonb_array(?1), ?2)",
        blob,
        flags,
    )
    assert_same("SELECT json_valid(?1, ?2), json_quote(jsonb(?1))", "[1,{a:2}]", flags)


@needs_pretty
@SETTINGS
@given(st.one_of(document(), json5_document()), st.sampled_from([None, "", "  ", "\t", 5]))
def test_json_pretty_indents_like_sqlite(doc, indent):
    assert_same("SELECT json_pretty(?1, ?2), json_pretty(jsonb(?1))", doc, indent)


@needs_jsonb
def test_jsonb_of_documents_nested_to_the_limit():
    deepest = jsonrelease.MAX_DEPTH
    for doc in ("[" * deepest + "]" * deepest, '{"a":' * (deepest - 1) + "1" + "}" * (deepest - 1)):
        assert_same("SELECT length(jsonb(?1)), hex(substr(jsonb(?1), 1, 8))", doc)
        assert_same("SELECT count(*), sum(id), max(parent) FROM json_tree(?1)", doc)
        assert_same("SELECT json_valid(jsonb(?1), 8), json(jsonb(?1)) = json(?1)", doc)
        assert_same("SELECT length(json_pretty(?1)), length(jsonb_set(?1, '$[0]', 1))", doc)


@needs_jsonb
@pytest.mark.parametrize(
    "sql",
    [
        "SELECT json_valid('1', 0)",
        "SELECT json_valid('1', 16)",
        "SELECT jsonb('{\"a\":')",
        "SELECT json(x'1b61')",
        "SELECT json_array(x'41')",
        "SELECT json_extract('[1]', '$.')",
        "SELECT '[1,2,3]' -> -1, '{\"1\":2}' -> '1', '[1,2]' -> 1.0",
        "SELECT json_group_object(x, 1), hex(jsonb_group_array(x)) FROM (SELECT NULL AS x)",
        "SELECT json_error_position(x'1300'), json_error_position(x'530000000000')",
        "SELECT json_error_position(x'13'), json_error_position(x'ff'), json_error_position(x'00')",
        "SELECT json_array(x'1331'), hex(jsonb_array(x'1331', jsonb('[0x1F]')))",
        "SELECT hex(jsonb_set('[1]', '$[0]', jsonb('0x1F'))), hex(jsonb_patch('{}', '{b:0x1F}'))",
        "SELECT hex(jsonb_set('[10]', '$[0]', 1)), hex(jsonb_set('0', '$', -1, '$', '0'))",
        "SELECT hex(jsonb_remove('[1,2,3,4,5,6,7]', '$[0]', '$[0]'))",
        "SELECT json_error_position('{01}'), json_error_position('[[]/* c */]]')",
        "SELECT json_set('{\"a\":[]}', '$.a[0].a[', 1)",
    ],
)
def test_jsonb_errors_and_corners(sql):
    assert_same(sql)


@needs_array_insert
@SETTINGS
@given(document(), path, sql_value, path)
def test_json_array_insert_matches_sqlite(doc, p, value, q):
    assert_same(
        "SELECT json_array_insert(?1, ?2, ?3, ?4, json(?1)), hex(jsonb_array_insert(?1, ?2, ?3))",
        doc,
        p,
        value,
        q,
    )


@needs_jsonb_each
@SETTINGS
@given(st.one_of(document(), json5_document()), path)
def test_jsonb_each_and_jsonb_tree_give_jsonb_values(doc, p):
    columns = "key, value, type, atom, id, parent, fullkey, path"
    assert_same(f"SELECT {columns} FROM jsonb_each(?1, ?2)", doc, p)
    assert_same(f"SELECT {columns} FROM jsonb_tree(jsonb(?1))", doc)
