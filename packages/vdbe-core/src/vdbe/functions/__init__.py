"""The SQL functions that the Function and AggStep instructions call, by name.

    SCALARS[(name, nargs)]     a Python function taking the argument values
    AGGREGATES[(name, nargs)]  a class with step(), inverse(), value() and final()

Names are lower case; nargs is the argument count, -1 for "any number". A function that
compares text can declare a keyword argument `coll`: the VM then passes the collation
named by the CollSeq instruction before the call.

Modules: `text` (length, substr, trim, ...), `core` (typeof, NULL handling, min/max,
numbers, hex, quote, ...), `pattern` (like, glob), `printf` (printf, format), `math`
(sqrt, pow, log, ..., soundex), `dates` (date, time, datetime, julianday, unixepoch,
strftime, timediff), `since` (the functions releases after 3.40 added: concat, unhex,
unistr, ...; `releases` says which release brought each), `json` (json, json_extract,
->, json_set, ..., json_group_array; the documents themselves are in `jsonvalue`),
`aggregates` (count, sum, total, avg, group_concat, min, max) and `percentile` (median,
percentile, ..., in builds that have them). ANALYZE's stat_init, stat_push and stat_get
are in `analyze`, ALTER TABLE's sqlite_rename_* and sqlite_drop_column in `alter`. The
window functions (row_number, rank, ...) are aggregates too; they live next to the
window programs, in `vdbe.opcodes.window`.
"""

from __future__ import annotations

from collections.abc import Callable

from vdbe.errors import SqlError
from vdbe.functions import aggregates, core, pattern, printf, session, since, text
from vdbe.functions.alter import ALTER_FUNCTIONS
from vdbe.functions.analyze import ANALYZE_FUNCTIONS
from vdbe.functions.dates import DATE_FUNCTIONS
from vdbe.functions.json import JSON_AGGREGATES, JSON_FUNCTIONS
from vdbe.functions.math import MATH_FUNCTIONS, soundex
from vdbe.functions.percentile import PERCENTILE_AGGREGATES
from vdbe.functions.releases import present_in
from vdbe.opcodes.window import WINDOW_FUNCTIONS
from vdbe.sqlite_library import COMPILE_OPTIONS, VERSION

_ALL_SCALARS: dict[tuple[str, int], Callable] = {
    ("abs", 1): core.abs_,
    ("concat", -1): since.concat,
    ("concat_ws", -1): since.concat_ws,
    ("changes", 0): session.changes,
    ("char", -1): core.char,
    ("coalesce", -1): core.coalesce,
    ("format", -1): printf.format_,
    ("glob", 2): pattern.glob,
    ("hex", 1): core.hex_,
    ("ifnull", 2): core.ifnull,
    ("iif", 3): core.iif,
    ("instr", 2): text.instr,
    ("last_insert_rowid", 0): session.last_insert_rowid,
    ("length", 1): text.length,
    ("like", 2): pattern.like,
    ("like", 3): pattern.like_escape,
    ("likelihood", 2): core.likelihood,
    ("likely", 1): core.likely,
    ("lower", 1): text.lower,
    ("ltrim", 1): text.ltrim,
    ("ltrim", 2): text.ltrim,
    ("max", -1): core.max_,
    ("min", -1): core.min_,
    ("nullif", 2): core.nullif,
    ("octet_length", 1): since.octet_length,
    ("printf", -1): printf.printf,
    ("quote", 1): core.quote,
    ("random", 0): core.random_,
    ("randomblob", 1): core.randomblob,
    ("replace", 3): text.replace,
    ("round", 1): core.round_,
    ("round", 2): core.round_,
    ("rtrim", 1): text.rtrim,
    ("rtrim", 2): text.rtrim,
    ("sign", 1): core.sign,
    ("soundex", 1): soundex,
    ("sqlite_attach", 3): session.sqlite_attach,
    ("sqlite_detach", 1): session.sqlite_detach,
    ("sqlite_version", 0): core.sqlite_version,
    ("substr", 2): text.substr,
    ("substr", 3): text.substr,
    ("substring", 2): text.substr,
    ("substring", 3): text.substr,
    ("total_changes", 0): session.total_changes,
    ("trim", 1): text.trim,
    ("trim", 2): text.trim,
    ("typeof", 1): core.typeof,
    ("unhex", 1): since.unhex,
    ("unhex", 2): since.unhex,
    ("unicode", 1): core.unicode,
    ("unistr", 1): since.unistr,
    ("unistr_quote", 1): since.unistr_quote,
    ("unlikely", 1): core.likely,
    ("upper", 1): text.upper,
    ("zeroblob", 1): core.zeroblob,
    **MATH_FUNCTIONS,
    **DATE_FUNCTIONS,
    **JSON_FUNCTIONS,
    **ANALYZE_FUNCTIONS,
    **ALTER_FUNCTIONS,
}

_ALL_AGGREGATES: dict[tuple[str, int], type] = {
    **WINDOW_FUNCTIONS,
    ("avg", 1): aggregates.SUMS["avg"],
    ("count", 0): aggregates.Count,
    ("count", 1): aggregates.Count,
    ("group_concat", 1): aggregates.GroupConcat,
    ("group_concat", 2): aggregates.GroupConcat,
    ("max", 1): aggregates.Max,
    ("min", 1): aggregates.Min,
    ("string_agg", 2): aggregates.GroupConcat,
    ("sum", 1): aggregates.SUMS["sum"],
    ("total", 1): aggregates.SUMS["total"],
    **JSON_AGGREGATES,
}

# Only the functions that the compiling SQLite has (see vdbe.functions.releases).
SCALARS = present_in(VERSION, _ALL_SCALARS)
AGGREGATES = present_in(VERSION, _ALL_AGGREGATES)
# Build options, not releases, decide these (the course's 3.40 has soundex, not percentile)
if "ENABLE_PERCENTILE" in COMPILE_OPTIONS:
    AGGREGATES.update(PERCENTILE_AGGREGATES)
if "SOUNDEX" not in COMPILE_OPTIONS:
    del SCALARS[("soundex", 1)]


def lookup_scalar(name: str, nargs: int) -> Callable:
    """The scalar function `name` taking `nargs` arguments (or any number).

    Raises SqlError with SQLite's wording when there is none.
    """
    return _lookup(SCALARS, name, nargs)


def lookup_aggregate(name: str, nargs: int) -> type:
    """The aggregate class `name` taking `nargs` arguments."""
    return _lookup(AGGREGATES, name, nargs)


def _lookup(functions: dict, name: str, nargs: int):
    key = name.lower()
    found = functions.get((key, nargs)) or functions.get((key, -1))
    if found is None:
        if any(n == key for n, _ in functions):
            raise SqlError(f"wrong number of arguments to function {name}()")
        raise SqlError(f"no such function: {name}")
    return found
