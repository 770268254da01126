"""Listings: the EXPLAIN layout, comments made from synopses, and parsing them back."""

from __future__ import annotations

import sqlite3

import pytest
from vdbe.loader import compile_sql
from vdbe.p4 import CollSeq, FuncRef, format_p4, parse_p4
from vdbe.program import Instruction as I  # noqa: N817 - short, for listings
from vdbe.program import Program, synopsis_comment

SHELL_HEADER = (
    "addr  opcode         p1    p2    p3    p4             p5  comment\n"
    "----  -------------  ----  ----  ----  -------------  --  -------------\n"
)


def test_listing_of_one_plus_one_is_the_shells_layout():
    listing = compile_sql("SELECT 1 + 1").listing()
    assert listing.startswith(SHELL_HEADER)
    lines = listing.splitlines()
    assert lines[2] == "0     Init           0     4     0                    0   Start at 4"
    assert lines[3] == "1     Add            2     2     1                    0   r[1]=r[2]+r[2]"
    assert lines[4] == "2     ResultRow      1     1     0                    0   output=r[1]"


@pytest.mark.sqlite_shell
def test_listing_columns_match_the_sqlite3_shell():
    """Without comments our rows are the shell's rows, trailing spaces aside."""
    import subprocess

    sql = "SELECT 1 + 1, 'hello', 2.5"
    shell = subprocess.run(
        ["sqlite3", ":memory:", "EXPLAIN " + sql], capture_output=True, text=True, check=True
    ).stdout
    program = compile_sql(sql)
    for ins in program:
        ins.comment = ""
    ours = [line.rstrip() for line in Program(program.instructions).listing().splitlines()]
    theirs = [line.rstrip() for line in shell.splitlines()]
    assert ours[:2] == theirs[:2]
    assert [line.split()[:5] for line in ours[2:]] == [line.split()[:5] for line in theirs[2:]]


@pytest.mark.parametrize(
    "ins, synopsis, expected",
    [
        (I("Add", 2, 2, 1), "r[P3]=r[P1]+r[P2]", "r[1]=r[2]+r[2]"),
        (I("Init", 0, 4), "Start at P2", "Start at 4"),
        (I("Lt", 3, 7, 1), "IF r[P3]<r[P1]", "if r[1]<r[3] goto 7"),
        (I("ResultRow", 1, 3), "output=r[P1@P2]", "output=r[1..3]"),
        (I("ResultRow", 4, 1), "output=r[P1@P2]", "output=r[4]"),
        (I("Copy", 5, 8, 2), "r[P2@P3+1]=r[P1@P3+1]", "r[8..10]=r[5..7]"),
        (I("Copy", 5, 8, 0), "r[P2@P3+1]=r[P1@P3+1]", "r[8]=r[5]"),
        (I("Null", 0, 2, 0), "r[P2..P3]=NULL", "r[2]=NULL"),
        (I("Null", 0, 2, 5), "r[P2..P3]=NULL", "r[2..5]=NULL"),
        (I("String8", 0, 3, 0, "hi"), "r[P2]='P4'", "r[3]='hi'"),
        (I("Function", 0, 2, 1, FuncRef("upper", 1)), "r[P3]=func(r[P2@NP])", "r[1]=func(r[2])"),
        (
            I("Function", 0, 2, 1, FuncRef("substr", 3)),
            "r[P3]=func(r[P2@NP])",
            "r[1]=func(r[2..4])",
        ),
        (I("Function", 0, 2, 1, FuncRef("random", 0)), "r[P3]=func(r[P2@NP])", "r[1]=func()"),
        (I("Column", 0, 1, 3, None, 0, "t.b"), "r[P3]=PX cursor P1 column P2", "r[3]=t.b"),
    ],
)
def test_synopsis_substitution(ins, synopsis, expected):
    assert synopsis_comment(ins, synopsis) == expected


def test_own_comment_follows_the_synopsis():
    program = Program([I("Integer", 1, 2, 0, None, 0, "counter")])
    assert program.listing().splitlines()[2].endswith("r[2]=1; counter")


def test_parse_accepts_hand_written_lines_without_alignment():
    program = Program.parse("0 Init 0 3\n1 Integer 7 1\n2 ResultRow 1 1\n3 Goto 0 1\n")
    assert [ins.opcode for ins in program] == ["Init", "Integer", "ResultRow", "Goto"]
    assert program[1].p1 == 7 and program[1].p2 == 1
    assert program[3].p2 == 1


def test_parse_reads_p4_wider_than_its_column():
    text = Program([I("String8", 0, 1, 0, "a string far wider than thirteen", 0, "x")]).listing()
    program = Program.parse(text)
    assert program[0].p4 == "a string far wider than thirteen"
    assert program[0].comment.endswith("; x")
    assert program.listing() == text


def test_the_opcode_column_widens_to_the_longest_name_so_rows_line_up():
    long_name = "ExtensionOpcodeName"  # longer than any of SQLite's (13 at most)
    program = Program([I("Integer", 7, 1), I(long_name, 1, 2, 3), I("Halt")])
    header, rule, *rows = program.listing().splitlines()
    assert header.index("p1") == 6 + len(long_name) + 2
    assert rule.split()[1] == "-" * len(long_name)
    p1_columns = {len(row) - len(row.split(maxsplit=2)[2]) for row in rows}
    assert p1_columns == {header.index("p1")}
    assert Program.parse(program.listing()).listing() == program.listing()
    assert compile_sql("SELECT 1").listing().startswith(SHELL_HEADER)  # SQLite's: as before


def test_parse_rejects_wrong_addresses():
    from vdbe.errors import SqlError

    with pytest.raises(SqlError, match="address"):
        Program.parse("0 Init 0 1\n5 Halt\n")


@pytest.mark.parametrize(
    "opcode, text, value",
    [
        ("Int64", "12345678901234", 12345678901234),
        ("Integer", "-1", -1),
        ("Real", "1.5", 1.5),
        ("String8", "123", "123"),
        ("Blob", "x'00FF'", b"\x00\xff"),
        ("Lt", "NOCASE-8", CollSeq("NOCASE")),
        ("Function", "upper(1)", FuncRef("upper", 1)),
        ("AggStep", "count(0)", FuncRef("count", 0)),
        ("Permutation", "[1,0]", [1, 0]),
        ("Affinity", "DDB", "DDB"),
        ("IdxInsert", "1", 1),
    ],
)
def test_p4_text_forms_round_trip(opcode, text, value):
    parsed = parse_p4(opcode, text)
    assert parsed == value
    assert format_p4(parsed) == text


def test_key_info_parses_descending_and_collations():
    key_info = parse_p4("OpenEphemeral", "k(3,-B,NOCASE,)")
    assert key_info.n_key_fields == 3
    assert key_info.collations[:2] == ["BINARY", "NOCASE"]
    assert key_info.descending == [True, False, False]
    assert format_p4(key_info) == "k(3,-B,NOCASE,)"


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1 + 1",
        "SELECT upper('x'), printf('%d %d', 1, 2), x'00ff', 0.1, -0.0",
        "SELECT 1 IN (1, 2, 3), count(*), group_concat('a', ',')",
        "SELECT CASE WHEN ?1 THEN 'a' ELSE 'b' END, :name",
    ],
)
def test_sqlite_programs_round_trip_through_the_listing(sql):
    program = compile_sql(sql)
    again = Program.parse(program.listing())
    assert again.listing() == program.listing()
    assert [(i.opcode, i.p1, i.p2, i.p3, i.p5) for i in again] == [
        (i.opcode, i.p1, i.p2, i.p3, i.p5) for i in program
    ]


def test_loader_recovers_literals_explain_text_loses():
    program = compile_sql("SELECT x'00ff00', 1.7976931348623157e308, printf('%s%s%s', 1, 2, 3)")
    blobs = [ins.p4 for ins in program if ins.opcode == "Blob"]
    reals = [ins.p4 for ins in program if ins.opcode == "Real"]
    calls = [ins.p4 for ins in program if ins.opcode == "Function"]
    assert blobs == [b"\x00\xff\x00"]
    assert reals == [1.7976931348623157e308]
    assert calls[0].argc == 4


@pytest.mark.parametrize("literal", ["6.748370691814764e+161", "0.1", "-2.5e-300", "1e22"])
def test_a_real_literal_is_the_double_sqlite_reads(literal):
    """EXPLAIN prints a REAL with SQLite's own %.16g, whose last digit may differ from
    Python's (6.748370691814764e+161 prints as ...763e+161): the loader still finds the
    literal's double, the one real SQLite computes with."""
    import sqlite3

    program = compile_sql(f"SELECT {literal}")
    (value,) = [ins.p4 for ins in program if ins.opcode == "Real"]
    expected = sqlite3.connect(":memory:").execute(f"SELECT {literal}").fetchone()[0]
    assert value.hex() == expected.hex()


def test_loader_reports_sqlite_errors_with_its_message():
    from vdbe.errors import SqlError

    with pytest.raises(SqlError) as info:
        compile_sql("SELEC 1")
    assert str(info.value) == 'near "SELEC": syntax error'
    assert sqlite3.sqlite_version.startswith("3.")


@pytest.mark.parametrize(
    "ci, status, outcome",
    [("true", 1, "the sqlite3 command is needed here"), ("", 0, "1 skipped")],
)
def test_a_missing_sqlite3_shell_fails_under_ci_and_skips_elsewhere(tmp_path, ci, status, outcome):
    import os
    import subprocess
    import sys

    test = f"{__file__}::test_listing_columns_match_the_sqlite3_shell"
    env = {**os.environ, "PATH": str(tmp_path), "CI": ci}  # no sqlite3 on this PATH
    done = subprocess.run(
        [sys.executable, "-m", "pytest", test, "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert (done.returncode, outcome in done.stdout) == (status, True), done.stdout
