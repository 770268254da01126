"""KeyInfo: how the fields of an index key or sorter key compare.

SQLite attaches a KeyInfo to every index cursor, sorter and `Compare` instruction. It
says, per key field, which collation compares TEXT and whether the order is descending.
EXPLAIN prints one as `k(2,-B,NOCASE)`: two fields, the first descending with BINARY,
the second ascending with NOCASE. The engine's P4 parser turns that text into this class.
"""

from __future__ import annotations


class KeyInfo:
    """Per-field comparison rules for keys.

    `collations[i]` names the collation of field i (None = BINARY) and `descending[i]`
    reverses its order. Fields past the end of either list compare ascending with BINARY
    (SQLite's trailing rowid field of an index key is such a field). `nulls_last[i]` is
    SQLite's "big NULL" flag (printed as `N.` in EXPLAIN): NULL sorts after every other
    value before `descending` applies, so it means NULLS LAST for an ascending field and
    NULLS FIRST for a descending one (the two orders that differ from the default).
    """

    def __init__(
        self,
        n_key_fields: int,
        collations: list[str | None] | None = None,
        descending: list[bool] | None = None,
        nulls_last: list[bool] | None = None,
    ) -> None:
        self.n_key_fields = n_key_fields
        self.collations = collations if collations is not None else []
        self.descending = descending if descending is not None else []
        self.nulls_last = nulls_last if nulls_last is not None else []

    def _rules(self) -> tuple:
        return (self.n_key_fields, self.collations, self.descending, self.nulls_last)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._rules() == other._rules()

    __hash__ = None

    def __repr__(self) -> str:
        return (
            f"KeyInfo(n_key_fields={self.n_key_fields!r}, collations={self.collations!r}, "
            f"descending={self.descending!r}, nulls_last={self.nulls_last!r})"
        )
