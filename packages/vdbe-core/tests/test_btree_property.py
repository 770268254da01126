"""Property tests: any sequence of inserts and deletes leaves trees that match a dict model,
pass real SQLite's integrity_check and our own check, and hold what SQLite reads back."""

from __future__ import annotations

import os
import sqlite3
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vdbe.check import check
from vdbe.keyinfo import KeyInfo
from vdbe.record import encode_record
from vdbe.storage import Database

EXAMPLES = 200 if os.environ.get("CARROT_LONG_TESTS") == "1" else 25

# around every boundary: one-byte varints, index max-local at 512 (99) and 1024 (221) bytes
sizes = st.sampled_from([0, 3, 40, 95, 100, 110, 120, 130, 200, 220, 230, 600, 1500, 5000])
operations = st.lists(
    st.tuples(st.booleans(), st.integers(1, 300), sizes, st.integers(0, 9)),
    min_size=1,
    max_size=400,
)


def run_ops(db: Database, ops) -> tuple[int, int, dict[int, bytes]]:
    """Apply (insert?, key, size, fill) operations to a table and a matching index."""
    db.begin(write=True)
    root = db.create_btree("table")
    iroot = db.create_btree("index")
    table = db.cursor(root, writable=True)
    index = db.cursor(iroot, writable=True, index_key_info=KeyInfo(1, [None], [False]))
    model: dict[int, bytes] = {}
    for insert, key, size, fill in ops:
        value = bytes([fill + 65]) * size
        if key in model:
            assert index.seek([model[key], key], "eq")
            index.delete()
            if not insert:
                assert table.seek_rowid(key)
                table.delete()
                del model[key]
                continue
        elif not insert:
            assert not table.seek_rowid(key)
            continue
        table.insert(key, encode_record([value]))
        index.insert_key(encode_record([value, key]))
        model[key] = value
    schema = db.cursor(1, writable=True)
    schema.insert(1, encode_record(["table", "t", "t", root, "CREATE TABLE t(v)"]))
    schema.insert(2, encode_record(["index", "i", "t", iroot, "CREATE INDEX i ON t(v)"]))
    db.set_cookie(1, 1)
    db.commit()
    return root, iroot, model


def read_back(db: Database, root: int, iroot: int) -> tuple[dict, list]:
    c = db.cursor(root)
    rows = {}
    ok = c.first()
    while ok:
        rows[c.rowid()] = c.column(0)
        ok = c.next()
    ic = db.cursor(iroot, index_key_info=KeyInfo(1, [None], [False]))
    keys = []
    ok = ic.last()
    while ok:
        keys.append(tuple(ic.key_values()))
        ok = ic.prev()
    return rows, keys[::-1]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations, page_size=st.sampled_from([512, 1024, 4096]))
def test_random_changes_keep_the_file_valid(ops, page_size):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "p.db")
        db = Database(path, page_size=page_size)
        root, iroot, model = run_ops(db, ops)
        rows, keys = read_back(db, root, iroot)
        db.close()
        assert rows == model
        assert keys == sorted((v, k) for k, v in model.items())
        assert check(path) == []
        con = sqlite3.connect(path)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert dict(con.execute("SELECT rowid, v FROM t")) == model
            assert con.execute("SELECT count(*) FROM t INDEXED BY i WHERE v >= x''").fetchone()[
                0
            ] == len(model)
        finally:
            con.close()


@settings(max_examples=EXAMPLES, deadline=None)
@given(ops=operations)
def test_memory_database_matches_the_model(ops):
    db = Database.memory(page_size=512)
    root, iroot, model = run_ops(db, ops)
    rows, keys = read_back(db, root, iroot)
    assert rows == model
    assert keys == sorted((v, k) for k, v in model.items())


@settings(max_examples=EXAMPLES, deadline=None)
@given(ops=operations, cut=st.integers(0, 399))
def test_savepoint_rollback_restores_exactly(ops, cut):
    """Changes after a savepoint vanish on rollback_to, those before stay."""
    db = Database.memory(page_size=512)
    db.begin(write=True)
    root = db.create_btree("table")
    c = db.cursor(root, writable=True)
    model: dict[int, bytes] = {}
    snapshot = None
    for n, (insert, key, size, fill) in enumerate(ops):
        if n == cut:
            db.savepoint("s")
            snapshot = dict(model)
        if insert:
            c.insert(key, encode_record([bytes([fill]) * size]))
            model[key] = bytes([fill]) * size
        elif key in model:
            assert c.seek_rowid(key)
            c.delete()
            del model[key]
    if snapshot is not None:
        db.rollback_to("s")
        model = snapshot
    rows = {}
    ok = c.first()
    while ok:
        rows[c.rowid()] = c.column(0)
        ok = c.next()
    assert rows == model
