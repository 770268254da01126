"""B-trees: insert, delete, seek and iterate, checked against a model and real SQLite."""

from __future__ import annotations

import random
import sqlite3

import pytest
from vdbe.keyinfo import KeyInfo
from vdbe.record import encode_record
from vdbe.storage import BtreeCursor, Database

KEY1 = KeyInfo(1, [None], [False])


def integrity(path) -> list:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("PRAGMA integrity_check")]
    finally:
        con.close()


def register(db: Database, rowid: int, kind: str, name: str, root: int, sql: str) -> None:
    """Record a tree in sqlite_schema so real SQLite can read and check it."""
    table = name if kind == "table" else "t"
    db.cursor(1, writable=True).insert(rowid, encode_record([kind, name, table, root, sql]))
    db.set_cookie(1, db.get_meta(1) + 1)


def scan(cursor) -> list:
    out = []
    ok = cursor.first()
    while ok:
        out.append((cursor.rowid(), cursor.column(0)))
        ok = cursor.next()
    return out


@pytest.fixture
def new_db(tmp_path):
    """Makes a fresh database in a write transaction: a file in tmp_path when named
    (its path is `db.path`), else in memory."""

    def make(name: str | None = None, page_size: int = 4096) -> Database:
        db = Database(str(tmp_path / name) if name else None, page_size=page_size)
        db.begin(write=True)
        return db

    return make


def new_table(db: Database) -> tuple[int, BtreeCursor]:
    """A new table B-tree: its root page and a writable cursor on it."""
    root = db.create_btree("table")
    return root, db.cursor(root, writable=True)


def new_index(db: Database, key_info: KeyInfo = KEY1) -> tuple[int, BtreeCursor]:
    """A new index B-tree: its root page and a writable cursor on it."""
    root = db.create_btree("index")
    return root, db.cursor(root, writable=True, index_key_info=key_info)


def test_sequential_rows_are_read_back_by_sqlite(new_db):
    db = new_db("seq.db")
    path = db.path
    root, c = new_table(db)
    for i in range(1, 3001):
        c.insert(i, encode_record([i, f"row {i}"]))
    register(db, 1, "table", "t", root, "CREATE TABLE t(a, b)")
    db.commit()
    db.close()
    assert integrity(path) == ["ok"]
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*), sum(a), max(b) FROM t").fetchone() == (
        3000,
        3000 * 3001 // 2,
        "row 999",
    )


@pytest.mark.parametrize("page_size", [512, 4096])
@pytest.mark.parametrize("seed", [1, 2])
def test_random_table_and_index_changes_match_a_model(new_db, page_size, seed):
    rng = random.Random(seed)
    db = new_db("rand.db", page_size=page_size)
    path = db.path
    root, c = new_table(db)
    iroot, ic = new_index(db)
    model: dict[int, str] = {}
    for _ in range(1500):
        k = rng.randint(1, 600)
        if rng.random() < 0.6:
            v = "y" * rng.choice([0, 5, 50, 300, 2000, 7000]) + str(k)
            if k in model:
                assert ic.seek([model[k], k], "eq")
                ic.delete()
            c.insert(k, encode_record([v]))
            ic.insert_key(encode_record([v, k]))
            model[k] = v
        elif k in model:
            assert c.seek_rowid(k)
            c.delete()
            assert ic.seek([model[k], k], "eq")
            ic.delete()
            del model[k]
        else:
            assert not c.seek_rowid(k)
    register(db, 1, "table", "t", root, "CREATE TABLE t(v)")
    register(db, 2, "index", "i", iroot, "CREATE INDEX i ON t(v)")
    db.commit()
    assert dict(scan(db.cursor(root))) == model
    keys = []
    ok = ic.first()
    while ok:
        keys.append(tuple(ic.key_values()))
        ok = ic.next()
    assert keys == sorted((v, k) for k, v in model.items())
    db.close()
    assert integrity(path) == ["ok"]
    con = sqlite3.connect(path)
    assert dict(con.execute("SELECT rowid, v FROM t")) == model
    assert con.execute("SELECT count(*) FROM t INDEXED BY i WHERE v > ''").fetchone()[0] == len(
        model
    )


def test_deleting_everything_leaves_an_empty_valid_tree(new_db):
    db = new_db("del.db", page_size=512)
    path = db.path
    root, c = new_table(db)
    for i in range(1, 2001):
        c.insert(i, encode_record([i, "x" * (i % 300)]))
    register(db, 1, "table", "t", root, "CREATE TABLE t(a, b)")
    db.commit()
    db.begin(write=True)
    order = list(range(1, 2001))
    random.Random(5).shuffle(order)
    for i in order:
        assert c.seek_rowid(i)
        c.delete()
    db.commit()
    assert not db.cursor(root).first()
    db.close()
    assert integrity(path) == ["ok"]
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    assert con.execute("PRAGMA freelist_count").fetchone()[0] > 10


def test_delete_while_scanning_visits_every_row_once(new_db):
    _, c = new_table(new_db())
    for i in range(1, 1001):
        c.insert(i, encode_record([i]))
    seen = []
    ok = c.first()
    while ok:
        seen.append(c.rowid())
        if c.rowid() % 3:
            c.delete()
        ok = c.next()
    assert seen == list(range(1, 1001))
    assert [r for r, _ in scan(c)] == list(range(3, 1001, 3))
    assert c.count() == 333


def test_table_seek_operators(new_db):
    _, c = new_table(new_db())
    for i in range(10, 1000, 10):
        c.insert(i, encode_record([i]))
    assert c.seek(55, "ge") and c.rowid() == 60
    assert c.seek(60, "ge") and c.rowid() == 60
    assert c.seek(60, "gt") and c.rowid() == 70
    assert c.seek(55, "le") and c.rowid() == 50
    assert c.seek(60, "le") and c.rowid() == 60
    assert c.seek(60, "lt") and c.rowid() == 50
    assert c.seek(60, "eq") and not c.seek(61, "eq")
    assert not c.seek(991, "ge")
    assert c.seek(5000, "le") and c.rowid() == 990
    assert not c.seek(10, "lt")
    assert c.seek_rowid(500) and not c.seek_rowid(505)
    assert c.max_rowid() == 990
    assert c.insert(None, encode_record(["next"])) == 991


def test_index_seek_operators_on_key_prefixes(new_db):
    _, c = new_index(new_db(), KeyInfo(2, [None, None], [False, False]))
    rowid = 0
    for a in range(0, 100, 2):
        for b in ("p", "q"):
            rowid += 1
            c.insert_key(encode_record([a, b, rowid]))
    assert c.seek([10], "ge") and c.key_values()[:2] == [10, "p"]
    assert c.seek([10], "gt") and c.key_values()[:2] == [12, "p"]
    assert c.seek([10], "le") and c.key_values()[:2] == [10, "q"]
    assert c.seek([10], "lt") and c.key_values()[:2] == [8, "q"]
    assert c.seek([11], "eq") is False
    assert c.seek([12, "q"], "eq") and c.rowid() == 14
    assert not c.seek([99], "ge")
    assert c.seek([99], "le") and c.key_values()[:2] == [98, "q"]
    assert c.count() == 100
    # walking backwards visits the keys in reverse order
    keys = []
    ok = c.last()
    while ok:
        keys.append(tuple(c.key_values()[:2]))
        ok = c.prev()
    assert keys == sorted(keys, reverse=True) and len(keys) == 100


def test_other_cursor_on_same_tree_survives_changes(new_db):
    db = new_db()
    root, w = new_table(db)
    for i in range(1, 501):
        w.insert(i, encode_record([i]))
    r = db.cursor(root)
    assert r.seek_rowid(250)
    for i in range(501, 3001):
        w.insert(i, encode_record([i]))
    assert r.rowid() == 250 and r.next() and r.rowid() == 251
    assert w.seek_rowid(252)
    w.delete()
    assert r.next() and r.rowid() == 253


def test_overflow_payloads_round_trip(new_db):
    db = new_db("big.db", page_size=1024)
    path = db.path
    root, c = new_table(db)
    blobs = {i: bytes(random.Random(i).randbytes(i * 997 % 20000)) for i in range(1, 60)}
    for i, b in blobs.items():
        c.insert(i, encode_record([b]))
    register(db, 1, "table", "t", root, "CREATE TABLE t(b)")
    db.commit()
    assert {r: v for r, v in scan(db.cursor(root))} == blobs
    db.close()
    assert integrity(path) == ["ok"]
    con = sqlite3.connect(path)
    assert dict(con.execute("SELECT rowid, b FROM t")) == blobs


def test_clear_and_destroy_free_their_pages(new_db):
    db = new_db("drop.db")
    path = db.path
    a, ca = new_table(db)
    b, cb = new_table(db)
    for i in range(1, 2001):
        ca.insert(i, encode_record(["a" * 100]))
        cb.insert(i, encode_record(["b" * 100]))
    register(db, 1, "table", "a", a, "CREATE TABLE a(x)")
    register(db, 2, "table", "b", b, "CREATE TABLE b(x)")
    db.commit()
    pages = db.pager.page_count
    db.begin(write=True)
    assert db.clear_btree(b) == 2000
    assert db.destroy_btree(a) == 0
    s = db.cursor(1, writable=True)
    assert s.seek_rowid(1)
    s.delete()
    db.commit()
    assert db.get_meta(0) > 100  # free page count
    db.begin(write=True)
    c = db.create_btree("index")
    assert c <= pages  # a freed page was reused
    db.rollback()
    db.close()
    assert integrity(path) == ["ok"]


@pytest.mark.parametrize("page_size", [512, 4096])
def test_reads_files_written_by_sqlite(tmp_path, page_size):
    path = str(tmp_path / "real.db")
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA page_size={page_size}")
    con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c BLOB)")
    con.execute("CREATE INDEX tb ON t(b)")
    rows = [
        (i, f"name{i * 7919 % 5000:05d}", bytes([i % 256]) * (i % 3000)) for i in range(1, 4001)
    ]
    con.executemany("INSERT INTO t VALUES (?,?,?)", rows)
    con.execute("DELETE FROM t WHERE a % 5 = 0")  # leaves freelist pages
    con.commit()
    con.close()
    expected = {a: (b, c) for a, b, c in rows if a % 5}
    db = Database(path)
    schema = db.cursor(1)
    roots = {}
    ok = schema.first()
    while ok:
        roots[schema.column(1)] = schema.column(3)
        ok = schema.next()
    c = db.cursor(roots["t"])
    got = {}
    ok = c.first()
    while ok:
        got[c.rowid()] = (c.column(1), c.column(2))
        ok = c.next()
    assert got == expected
    ic = db.cursor(roots["tb"], index_key_info=KEY1)
    assert ic.count() == len(expected)
    assert ic.seek(["name00100"], "ge")
    assert ic.key_values()[0] >= "name00100"
    assert db.get_meta(0) > 0  # the freelist is there
    db.close()


def test_rowids_of_every_varint_length_sort_and_seek(new_db):
    _, c = new_table(new_db())
    keys = [-(2**63), -5, 0, 1, 127, 128, 16383, 16384, 2**21, 2**28, 2**35, 2**42]
    keys += [2**49, 2**56 - 1, 2**56, 2**62, 2**63 - 1]
    for k in reversed(keys):
        c.insert(k, encode_record([k]))
    for k in keys:
        assert c.seek_rowid(k) and c.column(0) == k
    assert not c.seek_rowid(2**56 + 1)
    assert [r for r, _ in scan(c)] == keys


@pytest.mark.parametrize("size", range(90, 135, 3))
def test_index_keys_just_over_the_local_limit_overflow(new_db, size):
    """On 512-byte pages an index cell keeps at most 99 payload bytes locally."""
    db = new_db("ovfl.db", page_size=512)
    path = db.path
    root, t = new_table(db)
    iroot, ix = new_index(db)
    for i in range(1, 60):
        value = f"k{i:03d}" * (size // 4)
        t.insert(i, encode_record([value]))
        ix.insert_key(encode_record([value, i]))
    register(db, 1, "table", "t", root, "CREATE TABLE t(v)")
    register(db, 2, "index", "i", iroot, "CREATE INDEX i ON t(v)")
    db.commit()
    db.close()
    assert integrity(path) == ["ok"]


@pytest.mark.parametrize("backwards", [False, True])
def test_deleting_while_scanning_in_both_directions(new_db, backwards):
    db = new_db("scan.db", page_size=512)
    path = db.path
    root, t = new_table(db)
    iroot, ix = new_index(db)
    for i in range(1, 1501):
        t.insert(i, encode_record([f"v{i % 97:03d}"]))
        ix.insert_key(encode_record([f"v{i % 97:03d}", i]))
    register(db, 1, "table", "t", root, "CREATE TABLE t(v)")
    register(db, 2, "index", "i", iroot, "CREATE INDEX i ON t(v)")
    for cursor, keep in ((t, lambda c: c.rowid() % 4 == 0), (ix, lambda c: c.rowid() % 4 == 0)):
        seen = 0
        ok = cursor.last() if backwards else cursor.first()
        while ok:
            seen += 1
            if not keep(cursor):
                cursor.delete()
            ok = cursor.prev() if backwards else cursor.next()
        assert seen == 1500
        assert cursor.count() == 375
    db.commit()
    db.close()
    assert integrity(path) == ["ok"]
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*), min(rowid % 4), max(rowid % 4) FROM t").fetchone() == (
        375,
        0,
        0,
    )


def test_queue_of_appends_and_front_deletes_numbers_rows_like_sqlite(new_db):
    """New rowids are always the largest present plus one, also while rows are deleted."""
    db = new_db(page_size=512)
    root, writer = new_table(db)
    reader = db.cursor(root, writable=True)
    model: dict[int, int] = {}
    rng = random.Random(3)
    for step in range(4000):
        action = rng.random()
        if action < 0.55 or not model:
            rowid = writer.insert(None, encode_record([step]))
            assert rowid == max(model, default=0) + 1
            model[rowid] = step
        elif action < 0.85:
            assert reader.first()
            del model[reader.rowid()]
            reader.delete()
        else:
            assert reader.last()  # deleting the largest row: its rowid is reused next
            del model[reader.rowid()]
            reader.delete()
        assert writer.max_rowid() == max(model, default=0)
    assert {r: v for r, v in scan(reader)} == model


def test_a_queue_read_and_emptied_through_its_own_cursor_numbers_rows_like_sqlite(new_db):
    """The recursive-CTE pattern: one cursor appends, rewinds, deletes the first row; the
    tree empties again and again, and each new rowid is the largest present plus one."""
    _, queue = new_table(new_db(page_size=512))
    model: dict[int, int] = {}
    rng = random.Random(5)
    for step in range(3000):
        if rng.random() < 0.5 or not model:
            rowid = queue.insert(queue.max_rowid() + 1, encode_record([step]))
            assert rowid == max(model, default=0) + 1
            model[rowid] = step
        else:
            assert queue.first()
            assert queue.column(0) == model.pop(queue.rowid())
            queue.delete()
        assert queue.max_rowid() == max(model, default=0)
    assert {r: v for r, v in scan(queue)} == model


def _seek_all(cursor, rowids) -> list[int]:
    return [r for r in rowids if cursor.seek_rowid(r)]


def test_seeks_stay_right_while_interior_pages_change_and_roll_back(new_db):
    """Seeks bisect interior pages' divider rowids kept by the pager: splits, deletes,
    a savepoint rollback and a transaction rollback must all make it forget them."""
    db = new_db("seek.db", page_size=512)
    path = db.path
    root, c = new_table(db)
    for i in range(0, 6000, 2):  # even rowids: three levels on 512-byte pages
        c.insert(i, encode_record([i]))
    register(db, 1, "table", "t", root, "CREATE TABLE t(a)")
    db.commit()
    every = range(-1, 6002)
    evens = list(range(0, 6000, 2))
    assert _seek_all(c, every) == evens  # every interior page's rowids now known

    db.begin(write=True)
    for i in range(1, 6000, 4):  # odd rows in between: leaves and interior pages split
        c.insert(i, encode_record([i]))
    inserted = sorted(evens + list(range(1, 6000, 4)))
    assert _seek_all(c, every) == inserted
    db.savepoint("s")
    for i in range(0, 6000, 6):  # deletes merge pages and change dividers
        assert c.seek_rowid(i)
        c.delete()
    after_delete = [r for r in inserted if r % 6]
    assert _seek_all(c, every) == after_delete
    db.rollback_to("s")
    assert _seek_all(c, every) == inserted
    db.release("s")
    db.rollback()
    assert _seek_all(c, every) == evens
    db.close()
    assert integrity(path) == ["ok"]


def _sql_order(values) -> tuple:
    """A key as SQLite orders it, for the model: NULL < numbers < text < blobs."""
    ranks = {int: 1, float: 1, str: 2, bytes: 3}
    return tuple((0, 0) if v is None else (ranks[type(v)], v) for v in values)


def _seek_answer(entries: list[tuple], key: tuple, op: str) -> tuple | None:
    """The entry a seek must land on: `entries` in SQLite's order, the first len(key)
    fields compared."""
    probe = _sql_order(key)
    prefixes = [(_sql_order(e[: len(key)]), e) for e in sorted(entries, key=_sql_order)]
    if op in ("ge", "gt"):
        hits = [e for p, e in prefixes if p > probe or (op == "ge" and p == probe)]
        return hits[0] if hits else None
    hits = [e for p, e in prefixes if p < probe or (op == "le" and p == probe)]
    return hits[-1] if hits else None


def test_index_seeks_stay_right_while_interior_pages_change_and_roll_back(new_db):
    """Index seeks bisect interior pages' keys kept by the pager: every kind of value, key
    prefixes, strict seeks, splits, deletes and rollbacks, checked against a model."""
    rng = random.Random(11)
    pool = [None, 2.5, -7, "b", "ab", b"\x00", b"z", 3, 3.0, "é", 10**12]
    info = KeyInfo(2, [None, None], [False, False])
    db = new_db("index.db", page_size=512)
    _, c = new_index(db, info)
    model: dict[int, tuple] = {}

    def add(rowids) -> None:
        for rowid in rowids:
            entry = (rng.choice(pool), rng.choice(pool), rowid)
            c.insert_key(encode_record(list(entry)))
            model[rowid] = entry

    def check() -> None:
        entries = list(model.values())
        for _ in range(120):
            key = tuple(rng.choice(pool) for _ in range(rng.choice((1, 2))))
            op = rng.choice(("ge", "gt", "le", "lt"))
            want = _seek_answer(entries, key, op)
            assert c.seek(list(key), op) == (want is not None), (key, op)
            if want is not None:
                got = tuple(c.key_values())
                assert _sql_order(got[: len(key)]) == _sql_order(want[: len(key)]), (key, op)

    add(range(1, 1500))  # three levels on 512-byte pages
    db.commit()
    committed = dict(model)
    check()
    db.begin(write=True)
    add(range(1500, 2500))
    check()
    db.savepoint("s")
    before_deletes = dict(model)
    for rowid in rng.sample(sorted(model), 900):
        assert c.seek(list(model[rowid]), "eq")
        assert c.rowid() == rowid
        c.delete()
        del model[rowid]
    check()
    db.rollback_to("s")
    model = before_deletes
    check()
    db.release("s")
    db.rollback()
    model = committed
    check()
    db.close()


def test_remembered_interior_keys_stay_within_the_page_cache(new_db):
    """The keys kept for bisecting go when their page leaves the bounded cache."""
    db = new_db("big.db", page_size=512)
    path = db.path
    _, table = new_table(db)
    _, index = new_index(db)
    for i in range(20000):
        table.insert(i, encode_record([i]))
        index.insert_key(encode_record([f"key {i:06}", i]))
    db.commit()
    db.close()
    db = Database(path, cache_pages=10)
    table, index = db.cursor(2), db.cursor(3, index_key_info=KEY1)
    for i in range(0, 20000, 7):
        assert table.seek_rowid(i)
        assert index.seek([f"key {i:06}"], "eq") and index.rowid() == i
        assert set(db.pager.interior_keys) <= set(db.pager.cache)
    db.close()
