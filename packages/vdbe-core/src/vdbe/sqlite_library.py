"""The SQLite that compiles: the one Python's `sqlite3` links, or one a package bundles.

The VM runs the programs real SQLite compiles, so the SQLite doing the compiling decides
which opcodes the VM meets and which rules they follow. By default that is the `sqlite3`
module's library (3.39 in Pyodide, 3.40 to 3.50 in current Python releases). The
environment variable VDBE_SQLITE names another module with the `sqlite3` interface, to
compile with the newer SQLite it bundles:

    VDBE_SQLITE=pysqlite3     the pysqlite3-binary package
    VDBE_SQLITE=sqlean        the sqlean.py package
    VDBE_SQLITE=apsw          the apsw package, through vdbe.apsw_driver (apsw is no DB-API
                              module, and the newest SQLite reaches PyPI there first)
    VDBE_SQLITE=MODULE        any importable module shaped like sqlite3

Everything in `vdbe` that talks to SQLite imports `sqlite3` from here. It is None in a
Python built without the module (Pyodide, until its sqlite3 package is loaded): programs
still run from their listings, but no SQL can be compiled.
"""

from __future__ import annotations

import importlib
import os

from vdbe.errors import VdbeError

DRIVERS = {
    "sqlite3": "sqlite3",
    "pysqlite3": "pysqlite3.dbapi2",
    "sqlean": "sqlean.dbapi2",
    "apsw": "vdbe.apsw_driver",
}


def _load():
    name = os.environ.get("VDBE_SQLITE")
    if not name:
        try:
            import sqlite3
        except ImportError:
            return None
        return sqlite3
    try:
        return importlib.import_module(DRIVERS.get(name, name))
    except ImportError:
        raise VdbeError(
            f"VDBE_SQLITE={name}: no such module (pysqlite3 comes with "
            "`pip install pysqlite3-binary`, sqlean with `pip install sqlean.py`, "
            "apsw with `pip install apsw`)"
        ) from None


def _compile_options() -> frozenset[str]:
    if sqlite3 is None:
        return frozenset({"LIKE_DOESNT_MATCH_BLOBS", "SOUNDEX"})  # as the course's 3.40 is built
    connection = sqlite3.connect(":memory:")
    try:
        return frozenset(row[0] for row in connection.execute("PRAGMA compile_options"))
    finally:
        connection.close()


sqlite3 = _load()
# the release whose behaviour the VM follows (3.40's, the course's own, without one)
VERSION = tuple(sqlite3.sqlite_version_info) if sqlite3 is not None else (3, 40, 0)
# how it was built, where that changes an answer: LIKE_DOESNT_MATCH_BLOBS, say
COMPILE_OPTIONS = _compile_options()


def describe() -> str:
    """'SQLite 3.54.1 (apsw)': the library that compiles, and the module if not sqlite3."""
    if sqlite3 is None:
        return "no SQLite (this Python has no sqlite3 module)"
    name = os.environ.get("VDBE_SQLITE") or sqlite3.__name__.split(".")[0]
    via = "" if name == "sqlite3" else f" ({name})"
    return f"SQLite {sqlite3.sqlite_version}{via}"
