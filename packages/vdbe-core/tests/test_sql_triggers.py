"""Triggers beyond the corpus: recursive_triggers, the depth limit, listings.

The corpus (corpus/tables_triggers.sql) compares trigger statements with real SQLite
on one file. `PRAGMA recursive_triggers` is a setting of the connection that compiles,
so these tests compile on a connection of their own that has it on.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from vdbe.engine import VM
from vdbe.errors import SqlError
from vdbe.loader import compile_sql, compile_with
from vdbe.program import Program
from vdbe.storage import Database

RECURSIVE = """
CREATE TABLE n(x INTEGER);
CREATE TABLE total(s INTEGER);
INSERT INTO total VALUES (0);
CREATE TRIGGER n_next AFTER INSERT ON n WHEN new.x < 40 BEGIN
  INSERT INTO n VALUES (new.x + 1);
  UPDATE total SET s = s + new.x;
END;
"""


def make(tmp_path, setup: str):
    oracle, mine = tmp_path / "oracle.db", tmp_path / "vm.db"
    con = sqlite3.connect(oracle)
    con.executescript(setup)
    con.close()
    shutil.copyfile(oracle, mine)
    return oracle, mine


def compile_after(path, sql: str, *pragmas: str) -> Program:
    """Compile `sql` on a connection to `path` that has run `pragmas` first."""

    def explain(text: str) -> list[tuple]:
        con = sqlite3.connect(path)
        con.text_factory = bytes
        try:
            for pragma in pragmas:
                con.execute(pragma)
            return con.execute("EXPLAIN " + text).fetchall()
        finally:
            con.close()

    return compile_with(sql, explain)


def run(path, program: Program) -> list:
    """Run `program` on the file at `path`; the VM ends its statement itself."""
    db = Database(str(path))
    try:
        return VM(program, db).run()
    finally:
        db.close()


def oracle(path, sql: str, *pragmas: str) -> list:
    con = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in pragmas:
            con.execute(pragma)
        return con.execute(sql).fetchall()
    finally:
        con.close()


def table(path, sql: str) -> list:
    return oracle(path, sql)


def test_a_trigger_does_not_fire_itself_again_by_default(tmp_path):
    expected, mine = make(tmp_path, RECURSIVE)
    oracle(expected, "INSERT INTO n VALUES (1)")
    run(mine, compile_sql("INSERT INTO n VALUES (1)", str(mine)))
    assert table(mine, "SELECT x FROM n ORDER BY x") == [(1,), (2,)]
    assert table(mine, "SELECT * FROM total") == table(expected, "SELECT * FROM total")


def test_recursive_triggers_fire_until_the_when_clause_stops_them(tmp_path):
    pragma = "PRAGMA recursive_triggers = ON"
    expected, mine = make(tmp_path, RECURSIVE)
    oracle(expected, "INSERT INTO n VALUES (1)", pragma)
    program = compile_after(mine, "INSERT INTO n VALUES (1)", pragma)
    run(mine, program)
    assert table(mine, "SELECT count(*), sum(x) FROM n") == [(40, 820)]
    assert table(mine, "SELECT * FROM total") == table(expected, "SELECT * FROM total")
    assert table(mine, "PRAGMA integrity_check") == [("ok",)]


def test_endless_recursion_stops_at_sqlites_depth_limit(tmp_path):
    pragma = "PRAGMA recursive_triggers = ON"
    setup = """CREATE TABLE e(x);
    CREATE TRIGGER e_again AFTER INSERT ON e BEGIN INSERT INTO e VALUES (new.x + 1); END;"""
    expected, mine = make(tmp_path, setup)
    with pytest.raises(sqlite3.Error) as real:
        oracle(expected, "INSERT INTO e VALUES (0)", pragma)
    with pytest.raises(SqlError) as ours:
        run(mine, compile_after(mine, "INSERT INTO e VALUES (0)", pragma))
    assert ours.value.message == str(real.value)
    assert str(real.value) in ("too many levels of trigger recursion", "triggers nested too deep")
    assert table(mine, "SELECT count(*) FROM e") == [(0,)]


def test_a_listing_shows_trigger_programs_after_the_main_one_and_reads_back(tmp_path):
    _, mine = make(tmp_path, RECURSIVE)
    program = compile_sql("INSERT INTO n VALUES (1)", str(mine))
    listing = program.listing()
    addresses = [int(line.split()[0]) for line in listing.splitlines()[2:]]
    assert addresses.count(0) == 2  # the statement's program, then the trigger's
    assert "-- TRIGGER n_next" in listing
    again = Program.parse(listing)
    subs = again.with_subprograms()
    assert [p.name for p in subs] == ["main", "TRIGGER n_next"]
    assert again.listing() == listing
    assert again == Program.parse(listing) != Program.parse(listing.replace("TRIGGER", "T"))
    calls = [ins.p4 for p in subs for ins in p.instructions if ins.opcode == "Program"]
    assert calls == [subs[1], subs[1]]  # the trigger's own call meets itself again


def test_two_triggers_firing_a_third_share_its_program(tmp_path):
    setup = """
    CREATE TABLE a(x); CREATE TABLE b(x); CREATE TABLE c(x); CREATE TABLE d(x);
    CREATE TRIGGER a1 AFTER INSERT ON a BEGIN INSERT INTO b VALUES (new.x + 1); END;
    CREATE TRIGGER a2 AFTER INSERT ON a BEGIN
      INSERT INTO b VALUES (new.x + 2); INSERT INTO d VALUES (new.x);
    END;
    CREATE TRIGGER b1 AFTER INSERT ON b BEGIN INSERT INTO c VALUES (new.x * 10); END;
    CREATE TRIGGER d1 AFTER INSERT ON d BEGIN INSERT INTO c VALUES (-new.x); END;
    """
    expected, mine = make(tmp_path, setup)
    sql = "INSERT INTO a VALUES (1), (5)"
    oracle(expected, sql)
    program = compile_sql(sql, str(mine))
    names = [p.name for p in program.with_subprograms()]
    assert sorted(names) == ["TRIGGER a1", "TRIGGER a2", "TRIGGER b1", "TRIGGER d1", "main"]
    run(mine, program)
    for name in "abcd":
        query = f"SELECT x FROM {name} ORDER BY x"
        assert table(mine, query) == table(expected, query)
