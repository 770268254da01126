"""Which SQLite release's JSON the VM follows: every release-dependent choice in one place.

The JSON functions answer as the SQLite that compiles the program does
(`vdbe.sqlite_library.VERSION`), and SQLite's JSON moved a lot between releases:

    3.42  JSON5 accepted as input (comments, unquoted labels, 'single quotes', hex,
          Infinity, NaN, trailing commas...), always written back as plain JSON;
          json_error_position(); nesting limited to 1000 levels (2000 before)
    3.45  JSON rewritten around JSONB, a binary form kept in BLOBs: the jsonb*
          functions, BLOB arguments read as JSONB, json_valid(X, FLAGS), labels compared
          by their value, `bad JSON path: '...'` errors, `->` taking labels and
          negative indexes, json_each/json_tree ids that are JSONB byte offsets
    3.46  json_pretty()
    3.51  jsonb_each() and jsonb_tree(): json_each and json_tree with JSONB values
    3.54  json_array_insert() and jsonb_array_insert()

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
JSONB = since(3, 45)  # the JSONB rewrite: see the module's docstring
PRETTY = since(3, 46)  # json_pretty()
JSONB_EACH = since(3, 51)  # the jsonb_each and jsonb_tree tables
ARRAY_INSERT = since(3, 54)  # json_array_insert()
MAX_DEPTH = 1000 if JSON5 else 2000  # deeper nesting is malformed JSON
# --8<-- [end:flags]


def bad_path_message(path: str, rest: str) -> str:
    """The error for a malformed path: 3.45 quotes the whole path, 3.40 the bad part."""
    if JSONB:
        return f"bad JSON path: '{path}'"
    return "JSON path error near '{}'".format(rest.replace("'", "''"))
