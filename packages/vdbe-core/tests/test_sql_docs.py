"""The listings in docs/stage2/sql-programs.md are what `vdbe explain` prints today.

The page shows a schema (its first ```sql block) and statements, each a ```sql block
followed by a ```text block with the program listing. This test builds the schema with
real sqlite3, runs `vdbe explain` on each statement and compares.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[3] / "docs" / "stage2" / "sql-programs.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(PAGE.read_text())]


def listings() -> list[tuple[str, str]]:
    found = blocks()
    return [
        (code.strip(), listing)
        for (kind, code), (next_kind, listing) in zip(found, found[1:], strict=False)
        if kind == "sql" and next_kind == "text" and listing.startswith("addr")
    ]


pytestmark = pytest.mark.skipif(not PAGE.exists(), reason="the docs are not in this checkout")


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Path:
    schema = next(code for kind, code in blocks() if kind == "sql")
    path = tmp_path_factory.mktemp("docs") / "shop.db"
    con = sqlite3.connect(path)
    con.executescript(schema)
    con.close()
    return path


def test_the_page_has_three_programs():
    assert len(listings()) == 3


@pytest.mark.parametrize("sql, listing", listings(), ids=["select", "insert", "group-by"])
def test_listing_is_current(shop, sql, listing):
    done = subprocess.run(
        [sys.executable, "-m", "vdbe", "explain", "--db", str(shop), sql],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip() == listing.rstrip()
