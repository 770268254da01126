"""Broken hand-written programs: mutated `.vdbe` listings through `vdbe run`.

A learner writes bytecode by hand, and hand-written bytecode is wrong in every way: lines
lost or repeated, jumps out of range, registers and cursors that were never set up, a
wrong opcode, a number too large. The listings here are the example programs and the
programs SQLite compiles for a handful of statements (`vdbe explain`), mutated at random
(lines deleted, duplicated or swapped; an operand, an opcode or a P4 replaced). Each runs
with `vdbe run` in this process (`vdbe.harness`) on a copy of a small database. It must end
with a documented exit status (0, 1 for an error in the program, 3 for an opcode the VM
does not implement, 4 for a malformed database), with no traceback and no `internal
error`. A program that loops forever is a learner's right: after a fifth of a second it gets a
Ctrl-C, which must stop it cleanly with `interrupted`; nothing may run past 10 seconds
or grow past 1 GB.

CARROT_FUZZ_LISTINGS sets the number of cases (5,000 with CARROT_LONG_TESTS=1).
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from vdbe.cli import main
from vdbe.harness import Hang, memory_budget, run_main
from vdbe.opcodes import load_all

LONG = os.environ.get("CARROT_LONG_TESTS") == "1"
CASES = int(os.environ.get("CARROT_FUZZ_LISTINGS", "5000" if LONG else "60"))
PROGRAMS = Path(__file__).parent / "programs"
# A mutant that loops forever waits this long for its Ctrl-C: about one in ten does, so this
# wait is most of the run's time, and a fifth of a second shows the interrupt as well as more.
INTERRUPT_AFTER = 0.2

STATEMENTS = [
    "SELECT a, b FROM t WHERE a > 3 ORDER BY b DESC LIMIT 4",
    "SELECT b, count(*), sum(a) FROM t GROUP BY b HAVING count(*) > 1",
    "SELECT t.a, u.x FROM t JOIN u ON u.a = t.a WHERE u.x LIKE 'x%'",
    "INSERT INTO t(a, b) SELECT a + 100, b || '!' FROM t WHERE a % 2 = 0",
    "UPDATE t SET b = upper(b) WHERE a IN (SELECT a FROM u)",
    "DELETE FROM u WHERE x > 'x5'",
    "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 20) "
    "SELECT n, n * n FROM c",
    "SELECT a, row_number() OVER (ORDER BY b), group_concat(b) OVER () FROM t",
    "SELECT CASE WHEN a < 5 THEN 'low' ELSE 'high' END, typeof(b), length(b) FROM t",
]
NUMBERS = ["0", "1", "2", "3", "7", "-1", "255", "65536", "2147483648", "-9223372036854775808",
           "9223372036854775807", "1000000000000", "x", ""]  # fmt: skip


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("listings") / "sample.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)")
    con.execute("CREATE TABLE u(a INTEGER, x TEXT)")
    con.execute("CREATE INDEX ux ON u(x)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"b{i % 4}") for i in range(1, 30)])
    con.executemany("INSERT INTO u VALUES (?, ?)", [(i, f"x{i}") for i in range(1, 30, 3)])
    con.commit()
    con.close()
    return path


@pytest.fixture(scope="module")
def listings(sample_db) -> list[list[str]]:
    """Each listing as its lines, header and example comments included."""
    found = [p.read_text().splitlines() for p in sorted(PROGRAMS.glob("*.vdbe"))]
    for sql in STATEMENTS:
        outcome = run_main(main, ["explain", "--db", str(sample_db), sql])
        assert outcome.status == 0, outcome.err
        found.append(outcome.out.splitlines())
    return found


def is_instruction(line: str) -> bool:
    return line[:1].isdigit()


def mutate(lines: list[str], rng: random.Random, opcodes: list[str]) -> list[str]:
    lines = list(lines)
    code = [i for i, line in enumerate(lines) if is_instruction(line)]
    for _ in range(rng.randint(1, 3)):
        at = rng.choice(code)
        fields = lines[at].split()
        how = rng.random()
        if how < 0.15:
            lines[at] = ""  # a lost line
        elif how < 0.25:
            lines.insert(at, lines[at])  # a repeated one (its address repeated too)
        elif how < 0.35:
            other = rng.choice(code)
            lines[at], lines[other] = lines[other], lines[at]
        elif how < 0.7 and len(fields) > 2:
            fields[rng.randint(2, min(4, len(fields) - 1))] = rng.choice(NUMBERS)
            lines[at] = "  ".join(fields)
        elif how < 0.85 and len(fields) > 1:
            fields[1] = rng.choice(opcodes)
            lines[at] = "  ".join(fields)
        else:  # P4 and the rest: cut short, or a neighbour's, or junk
            cut = rng.randrange(len(lines[at]) + 1)
            tail = rng.choice(["", lines[rng.choice(code)][cut:], " k(2,B,-)", " '", "\x00"])
            lines[at] = lines[at][:cut] + tail
    if rng.random() < 0.8:  # most often the addresses are put right, so that it runs
        lines = renumbered(lines)
    return lines


def renumbered(lines: list[str]) -> list[str]:
    out, addr = [], 0
    for line in lines:
        if is_instruction(line):
            digits = len(line) - len(line.lstrip("0123456789"))
            line, addr = f"{addr}{line[digits:]}", addr + 1
        out.append(line)
    return out


def test_mutated_listings_end_cleanly(listings, sample_db, tmp_path):
    rng = random.Random(20261207)
    opcodes = sorted(load_all())
    statuses = Counter()
    program, db = tmp_path / "mutant.vdbe", tmp_path / "case.db"
    with memory_budget():
        for case in range(CASES):
            text = "\n".join(mutate(rng.choice(listings), rng, opcodes)) + "\n"
            program.write_text(text, encoding="utf-8", errors="surrogateescape")
            shutil.copyfile(sample_db, db)
            try:
                outcome = run_main(
                    main, ["run", str(program), "--db", str(db)], interrupt_after=INTERRUPT_AFTER
                )
            except Hang:
                pytest.fail(f"case {case} ran over 10 seconds:\n{text}")
            assert outcome.status in (0, 1, 3, 4) and outcome.clean, (outcome, text)
            statuses[outcome.status] += 1
            Path(f"{db}-journal").unlink(missing_ok=True)
    print(CASES, "listings:", dict(statuses))
    assert statuses[0] and statuses[1], statuses


@pytest.mark.parametrize(
    ("listing", "message"),
    [
        ("addr opcode p1 p2 p3 p4 p5\n", "the listing holds no instructions"),
        ("0 OpenEphemeral 2147483648 1 0\n1 Halt\n", "cursor number 2147483648 is out of range"),
        ("0 Integer 1 1 0\n1 ResultRow 1 1 0\n", "went to address 2, outside it, without a Halt"),
        ("0 Integer 7 5000000 0\n1 Halt\n", "address 0 (Integer) cannot run here: IndexError"),
    ],
)
def test_hand_written_mistakes_are_named(tmp_path, listing, message):
    program = tmp_path / "wrong.vdbe"
    program.write_text(listing)
    outcome = run_main(main, ["run", str(program)])
    assert outcome.status == 1 and outcome.clean, outcome
    assert outcome.err.startswith("Error: ") and message in outcome.err, outcome.err
