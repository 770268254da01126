"""The translation of hot programs to Python (vdbe.translate) against the engine.

The engine is the reference. Every case of the differential corpus (tests/corpus/
tables*.sql) runs three ways on copies of one file: real SQLite, the engine with
translation off, and the translation from the first instruction on; the rows (or
error messages) and the files must be the same all three ways. The hand-written
programs (tests/programs/*.vdbe) run both ways too. Then the parts that make the
translation fast are checked where they could go wrong: a sorter record is left
unmade only when nothing can read it, a hot GROUP BY reaches the translation under
the default threshold, and an interrupt stops a translated loop.

The whole suite also runs translated with VDBE_TRANSLATE=always in the environment.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
import test_sql_corpus as corpus
from test_programs import PROGRAMS, shown
from vdbe import translate
from vdbe.connection import Connection
from vdbe.engine import VM
from vdbe.errors import InterruptedError_, VdbeError
from vdbe.loader import compile_sql
from vdbe.program import Instruction, Program

GROUP_BY = "SELECT b, count(*), sum(a) FROM t GROUP BY b"


@contextmanager
def translated(on: bool):
    """VMs made inside run translated from their first instruction (on) or never (off)."""
    saved = translate.ENABLED, translate.HOT
    translate.ENABLED, translate.HOT = on, 0
    try:
        yield
    finally:
        translate.ENABLED, translate.HOT = saved


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The names of the programs translated during the test."""
    names: list[str] = []
    real = translate.translate

    def counting(program):
        names.append(program.name)
        return real(program)

    monkeypatch.setattr(translate, "translate", counting)
    return names


def run_vm(connection, sql: str, on: bool):
    with translated(on):
        return corpus.run_vm(connection, sql)


@pytest.mark.parametrize("case", corpus._params(corpus.CASES))
def test_corpus_case_agrees_with_the_engine_and_sqlite(case, tmp_path, made):
    oracle, engine_file = corpus.make_files(case, tmp_path, 4096)
    translation_file = tmp_path / "translation.db"
    shutil.copyfile(oracle, translation_file)
    sqlite = sqlite3.connect(oracle, isolation_level=None)
    engine, translation = Connection(str(engine_file)), Connection(str(translation_file))
    try:
        for pragma in case.pragmas:
            sqlite.execute(pragma)
            list(engine.execute(pragma))
            list(translation.execute(pragma))
        for sql in case.statements:
            expected = corpus.run_oracle(sqlite, sql)
            by_engine = run_vm(engine, sql, on=False)
            by_translation = run_vm(translation, sql, on=True)
            assert by_translation == by_engine == expected, sql
            files = [corpus.snapshot(p) for p in (oracle, engine_file, translation_file)]
            assert files[2] == files[1] == files[0], sql
        assert corpus.integrity(translation_file) == "ok"
    finally:
        for connection in (sqlite, engine, translation):
            connection.close()
    assert made, "no statement of the case was translated"


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_runs_alike_both_ways(path):
    outcomes = []
    for on in (False, True):
        with translated(on):
            vm = VM(Program.parse(path.read_text()))
            try:
                outcomes.append([shown(row) for row in vm.run()])
            except VdbeError as exc:
                outcomes.append(exc.message)
    assert outcomes[0] == outcomes[1]


@pytest.fixture(scope="module")
def grouped(tmp_path_factory) -> Path:
    """A file of 30,000 rows: enough instructions for a GROUP BY to become hot."""
    path = tmp_path_factory.mktemp("translate") / "rows.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b INTEGER, c TEXT)")
    con.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)"
        " INSERT INTO t(b, c) SELECT i * 7 % 100, 'row ' || i FROM n"
    )
    con.commit()
    con.close()
    return path


def test_a_hot_group_by_goes_over_to_its_translation(grouped, made):
    expected = sqlite3.connect(grouped).execute(GROUP_BY).fetchall()
    connection = Connection(str(grouped))
    try:
        rows = list(connection.execute(GROUP_BY))  # default threshold: the engine starts
    finally:
        connection.close()
    assert [tuple(r) for r in rows] == expected
    assert made == ["main"]


def test_a_group_by_sorter_keeps_values_without_records(grouped):
    program = compile_sql(GROUP_BY, str(grouped))
    writer = translate.Writer(program)
    make = [i for i, ins in enumerate(program.instructions) if ins.opcode == "MakeRecord"]
    assert writer.fused == set(make)


def test_a_record_read_after_the_sorter_took_it_is_made():
    """MakeRecord's register is put in a result row later: the record must exist."""
    program = Program(
        [
            Instruction("SorterOpen", 0, 1, 0, None, 0),
            Instruction("Integer", 7, 1, 0, None, 0),
            Instruction("MakeRecord", 1, 1, 2, None, 0),
            Instruction("SorterInsert", 0, 2, 0, None, 0),
            Instruction("ResultRow", 2, 1, 0, None, 0),
            Instruction("Halt", 0, 0, 0, None, 0),
        ]
    )
    assert not translate.values_only_insert(program, 2)
    assert translate.translate(program) is not None
    with translated(True):
        assert VM(program).run() == [[b"\x02\x01\x07"]]


def test_sorter_data_read_other_than_by_its_pseudo_cursor_keeps_records():
    """SorterData's register copied into a result: the sorter must keep the bytes."""
    program = Program(
        [
            Instruction("SorterOpen", 0, 1, 0, None, 0),
            Instruction("Integer", 7, 1, 0, None, 0),
            Instruction("MakeRecord", 1, 1, 2, None, 0),
            Instruction("SorterInsert", 0, 2, 0, None, 0),
            Instruction("OpenPseudo", 1, 3, 1, None, 0),
            Instruction("SorterSort", 0, 9, 0, None, 0),
            Instruction("SorterData", 0, 3, 1, None, 0),
            Instruction("ResultRow", 3, 1, 0, None, 0),
            Instruction("SorterNext", 0, 6, 0, None, 0),
            Instruction("Halt", 0, 0, 0, None, 0),
        ]
    )
    assert not translate.values_only_insert(program, 2)
    outcomes = []
    for on in (False, True):
        with translated(on):
            outcomes.append(VM(program).run())
    assert outcomes[0] == outcomes[1] == [[b"\x02\x01\x07"]]


def test_interrupt_stops_a_translated_loop():
    program = Program([Instruction("Goto", 0, 0, 0, None, 0)])
    with translated(True):
        vm = VM(program)
        threading.Timer(0.2, vm.interrupt).start()
        with pytest.raises(InterruptedError_):
            vm.run()


def test_translation_off_keeps_the_engine(grouped, made):
    with translated(False):
        connection = Connection(str(grouped))
        try:
            list(connection.execute(GROUP_BY))
        finally:
            connection.close()
    assert made == []
