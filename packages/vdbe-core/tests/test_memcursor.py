"""MemCursor against BtreeCursor: the same calls on an in-memory tree of Python objects
and on a B-tree of bytes in the file format must give the same answers.

Random index records (NULLs, ints, reals, text, blobs) under random KeyInfos (DESC
fields, NOCASE, NULLS LAST) and random rowid rows go into both kinds of tree; then
seeks of every kind with key prefixes, scans both ways, and deletes while scanning
must land on the same entries.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from vdbe.keyinfo import KeyInfo
from vdbe.record import encode_record
from vdbe.storage import Database
from vdbe.storage.memory import MemoryDatabase

VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-5, max_value=5),
    st.sampled_from([0.5, -1.5, 2.0, 1e300]),
    st.sampled_from(["", "a", "A", "b", "B", "ab", "é"]),
    st.sampled_from([b"", b"\x00", b"a"]),
)
RECORDS = st.lists(st.lists(VALUES, min_size=2, max_size=2), max_size=60)
KEY_INFOS = st.builds(
    lambda desc, coll, nulls: KeyInfo(2, [coll, None], [desc, False], [nulls, False]),
    st.booleans(),
    st.sampled_from([None, "BINARY", "NOCASE", "RTRIM"]),
    st.booleans(),
)
SEEKS = st.lists(
    st.tuples(st.sampled_from(["ge", "gt", "le", "lt", "eq"]), st.lists(VALUES, max_size=2)),
    max_size=20,
)
OPS = ("ge", "gt", "le", "lt", "eq")


def both_trees(kind: str, key_info=None):
    file_db = Database.memory(page_size=512)  # small pages: several levels
    file_db.begin(True)
    memory_db = MemoryDatabase(capacity=4)
    cursors = []
    for db in (file_db, memory_db):
        root = db.create_btree(kind)
        cursors.append(db.cursor(root, writable=True, index_key_info=key_info))
    return cursors


def position(cursor) -> object:
    if cursor.eof:
        return None
    return cursor.key_values(), bytes(cursor.payload()), cursor.rowid(), cursor.column(1)


def scan(cursor, forward: bool) -> list:
    seen = []
    found = cursor.first() if forward else cursor.last()
    while found and not cursor.eof:
        seen.append(cursor.key_values())
        found = cursor.next() if forward else cursor.prev()
    return seen


@settings(max_examples=150, deadline=None)
@given(RECORDS, KEY_INFOS, SEEKS)
def test_index_trees_agree(records, key_info, seeks):
    file_cursor, memory_cursor = both_trees("index", key_info)
    for values in records:
        for cursor in (file_cursor, memory_cursor):
            cursor.insert_key(encode_record([*values, len(values)]))
    assert scan(memory_cursor, True) == scan(file_cursor, True)
    assert scan(memory_cursor, False) == scan(file_cursor, False)
    assert memory_cursor.count() == file_cursor.count()
    for op, key in seeks:
        assert memory_cursor.seek(key, op) == file_cursor.seek(key, op), (op, key)
        assert position(memory_cursor) == position(file_cursor), (op, key)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=80), max_size=60), st.data())
def test_table_trees_agree_while_deleting_during_a_scan(rowids, data):
    file_cursor, memory_cursor = both_trees("table")
    for rowid in rowids:
        for cursor in (file_cursor, memory_cursor):
            cursor.insert(rowid, encode_record([rowid, "x" * (rowid % 7)]))
    assert memory_cursor.max_rowid() == file_cursor.max_rowid()
    for op in OPS:
        key = data.draw(st.integers(min_value=0, max_value=81))
        assert memory_cursor.seek(key, op) == file_cursor.seek(key, op)
        assert position(memory_cursor) == position(file_cursor)
    drop = data.draw(st.sets(st.integers(min_value=1, max_value=80)))
    seen = []
    for cursor in (file_cursor, memory_cursor):
        visited = []
        found = cursor.first()
        while found and not cursor.eof:
            rowid = cursor.rowid()
            visited.append(rowid)
            if rowid in drop:
                cursor.delete()
            found = cursor.next()
        seen.append((visited, scan(cursor, True)))
    assert seen[0] == seen[1]
