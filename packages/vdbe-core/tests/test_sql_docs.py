"""The listings in docs/stage2/sql-programs.md and triggers.md are what `vdbe explain`
prints today.

Each page shows a schema (its first ```sql block) and statements, each a ```sql block
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

DOCS = Path(__file__).resolve().parents[3] / "docs" / "stage2"
PAGE = DOCS / "sql-programs.md"
TRIGGERS = DOCS / "triggers.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def blocks(page: Path = PAGE) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(page.read_text())]


def listings(page: Path = PAGE) -> list[tuple[str, str]]:
    found = blocks(page)
    return [
        (code.strip(), listing)
        for (kind, code), (next_kind, listing) in zip(found, found[1:], strict=False)
        if kind == "sql" and next_kind == "text" and listing.startswith("addr")
    ]


pytestmark = pytest.mark.skipif(not PAGE.exists(), reason="the docs are not in this checkout")


def database_of(page: Path, directory: Path) -> Path:
    """A database with the schema the page shows first."""
    schema = next(code for kind, code in blocks(page) if kind == "sql")
    path = directory / "shop.db"
    con = sqlite3.connect(path)
    con.executescript(schema)
    con.close()
    return path


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Path:
    return database_of(PAGE, tmp_path_factory.mktemp("docs"))


def test_the_page_has_three_programs():
    assert len(listings()) == 3


def explain(database: Path, sql: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "vdbe", "explain", "--db", str(database), sql],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.rstrip()


@pytest.mark.parametrize("sql, listing", listings(), ids=["select", "insert", "group-by"])
def test_listing_is_current(shop, sql, listing):
    assert explain(shop, sql) == listing.rstrip()


def test_trigger_listing_is_current(tmp_path):
    """The trigger chapter's listing: a statement's program, then its trigger's."""
    ((sql, listing),) = listings(TRIGGERS)
    assert explain(database_of(TRIGGERS, tmp_path), sql) == listing.rstrip()
