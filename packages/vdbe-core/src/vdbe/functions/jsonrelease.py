"""Which SQLite release's JSON the VM follows: every release-dependent choice in one place.

The JSON functions answer as the SQLite that compiles the program does
(`vdbe.sqlite_library.VERSION`), and SQLite's JSON moved a lot between releases:

    3.42  JSON5 accepted as input (comments, unquoted labels, 'single quotes', hex,
          Infinity, NaN, trailing commas...), always written back as plain JSON;
          json_error_position(); nesting limited to 1000 levels (2000 before)
    3.43  json_set() and its kin return JSON text when they replace the whole document
    3.45  JSON rewritten around JSONB, a binary form kept in BLOBs: the jsonb*
          functions, BLOB arguments read as JSONB, json_valid(X, FLAGS), labels compared
          by their value, `bad JSON path: '...'` errors, edits that later paths see,
          json_each/json_tree ids that are JSONB byte offsets
    3.46  json_pretty(); raw control characters allowed in JSON5 strings
    3.47  `->` and `->>` take an INTEGER as an index (negative: from the end) and
          any text not starting with `$` as a label
    3.50  an edit that shortens an element widens its JSONB header instead of moving
          the rest; json_group_object() leaves out a pair with a NULL label
    3.51  jsonb_each() and jsonb_tree(): json_each and json_tree with JSONB values;
          JSON5's `\\v` written as `\\u000b` (a tab, `\\u0009`, before); a JSON5
          hexadecimal number read as the number it is, not as 64 bits
    3.53  json_array_insert() and jsonb_array_insert()

The rest of the JSON modules ask the flags below, never the version, so that each
choice is made where a reader can find it.
"""

from __future__ import annotations

from vdbe.sqlite_library import VERSION


def since(*release: int, version: tuple = VERSION) -> bool:
    """Does the compiling SQLite (or `version`) have what `release` added?"""
    return tuple(version) >= release


# --8<-- [start:flags]
JSON5 = since(3, 42)  # JSON5 text is read (and json_error_position exists)
WHOLE_EDIT_AS_TEXT = since(3, 43)  # json_set('1', '$', 2) is '2', not 2
JSONB = since(3, 45)  # the JSONB rewrite: see the module's docstring
PRETTY = since(3, 46)  # json_pretty()
CONTROLS_IN_JSON5_STRINGS = since(3, 46)  # "a<TAB>b" is read (as "a\tb")
ARROW_BY_TYPE = since(3, 47)  # '[1,2]' -> -1 is 2, '{"1":2}' -> '1' is 2
JSONB_WIDENS_HEADERS = since(3, 50)  # see jsonb.overwrite
GROUP_OBJECT_SKIPS_NULL_LABELS = since(3, 50)  # json_group_object(NULL, 1) is {}
JSONB_EACH = since(3, 51)  # the jsonb_each and jsonb_tree tables
HEX_BEYOND_INT64_AS_REAL = since(3, 51)  # json_extract('0xFFFFFFFFFFFFFFFF', '$')
VERTICAL_TAB = "\\u000b" if since(3, 51) else "\\u0009"  # what JSON5's \v is written as
ARRAY_INSERT = since(3, 53)  # json_array_insert()
MAX_DEPTH = 1000 if JSON5 else 2000  # deeper nesting is malformed JSON
# --8<-- [end:flags]


def bad_path_message(path: str, rest: str) -> str:
    """The error for a malformed path: 3.45 quotes the whole path, 3.40 the bad part."""
    if JSONB:
        return f"bad JSON path: '{path}'"
    return "JSON path error near '{}'".format(rest.replace("'", "''"))
