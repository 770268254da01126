"""KeyInfo: how the fields of an index key or sorter key compare.

SQLite attaches a KeyInfo to every index cursor, sorter and `Compare` instruction. It
says, per key field, which collation compares TEXT and whether the order is descending.
EXPLAIN prints one as `k(2,-B,NOCASE)`: two fields, the first descending with BINARY,
the second ascending with NOCASE. The engine's P4 parser turns that text into this class.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class KeyInfo:
    """Per-field comparison rules for keys.

    `collations[i]` names the collation of field i (None = BINARY) and `descending[i]`
    reverses its order. Fields past the end of either list compare ascending with BINARY
    (SQLite's trailing rowid field of an index key is such a field). `nulls_last[i]` is
    SQLite's "big NULL" flag (printed as `N.` in EXPLAIN): NULL sorts after every other
    value before `descending` applies, so it means NULLS LAST for an ascending field and
    NULLS FIRST for a descending one (the two orders that differ from the default).
    """

    n_key_fields: int
    collations: list[str | None] = field(default_factory=list)
    descending: list[bool] = field(default_factory=list)
    nulls_last: list[bool] = field(default_factory=list)
