"""Hand-written programs (tests/programs/*.vdbe) run with the rows their comments expect.

A program file is a listing in the sqlite3 shell's EXPLAIN layout. Lines starting with
`# expect: ` give the result rows in order (values as `vdbe run` prints them, joined
by `|`); `# expect-error: ` gives the error message instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from vdbe.cli import text_value
from vdbe.engine import VM
from vdbe.errors import VdbeError
from vdbe.program import Program
from vdbe.sqlite_library import VERSION

PROGRAMS = sorted((Path(__file__).parent / "programs").glob("*.vdbe"))


def expectations(text: str) -> tuple[list[str], str | None]:
    rows = [line[len("# expect: ") :] for line in text.splitlines() if line.startswith("# expect:")]
    # `# expect-from 3.53: ROW` lines replace those rows when that release or a later
    # one is the loaded SQLite: from 3.53 on, REALs are written with 17 digits.
    prefix = "# expect-from "
    later = [line[len(prefix) :] for line in text.splitlines() if line.startswith(prefix)]
    if later:
        release = tuple(int(n) for n in later[0].split(":", 1)[0].split("."))
        if release <= VERSION[:2]:
            rows = [line.split(": ", 1)[1] for line in later]
    errors = [
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if line.startswith("# expect-error:")
    ]
    return rows, (errors[0] if errors else None)


def shown(row: list) -> str:
    parts = [text_value(v) for v in row]
    return "|".join(p.decode("utf-8") if isinstance(p, bytes) else p for p in parts)


def test_there_are_programs():
    assert len(PROGRAMS) >= 8


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_gives_expected_rows(path):
    text = path.read_text()
    rows, error = expectations(text)
    vm = VM(Program.parse(text))
    if error is not None:
        with pytest.raises(VdbeError) as info:
            vm.run()
        assert info.value.message == error
    else:
        assert [shown(row) for row in vm.run()] == rows


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_listing_round_trips(path):
    program = Program.parse(path.read_text())
    again = Program.parse(program.listing())
    assert again == program
    assert again.listing() == program.listing()
