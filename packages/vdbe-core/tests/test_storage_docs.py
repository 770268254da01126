"""The `vdbe dump` outputs shown in the storage chapters are real: this test rebuilds each
example database with SQLite and checks the page in the docs still shows what `dump` prints.

A docs block is tied to an example by the HTML comment just before it:

    <!-- vdbe-dump: NAME -->
    ```text
    ...output...
    ```

Run this file as a script with `--update` to rewrite the blocks after a change to dump.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest
from vdbe.dump import dump

DOCS = Path(__file__).resolve().parents[3] / "docs" / "stage2"
PAGES = ["file-format.md", "btree.md", "journal.md"]
BLOCK = re.compile(r"<!-- vdbe-dump: ([\w-]+) -->\n```text\n(.*?)```", re.S)

# name -> (page size, SQL, page to dump, which parts: "all" or "page")
EXAMPLES = {
    "small": (
        1024,
        """CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);
           INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three');
           CREATE INDEX tb ON t(b);""",
        1,
        "all",
    ),
    "leaf": (
        1024,
        """CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);
           INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four');
           DELETE FROM t WHERE a = 2;""",
        2,
        "page",
    ),
    "overflow-cell": (
        1024,
        """CREATE TABLE t(a INTEGER PRIMARY KEY, b BLOB);
           INSERT INTO t VALUES (1, zeroblob(10)), (2, randomblob(2500));""",
        2,
        "page",
    ),
    "overflow-page": (
        1024,
        """CREATE TABLE t(a INTEGER PRIMARY KEY, b BLOB);
           INSERT INTO t VALUES (1, zeroblob(10)), (2, zeroblob(2500));""",
        3,
        "page",
    ),
    "interior": (
        512,
        """CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);
           WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
           INSERT INTO t SELECT i, printf('row %04d of the example table', i) FROM n;""",
        2,
        "page",
    ),
    "index-interior": (
        512,
        """CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);
           WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
           INSERT INTO t SELECT i, printf('key %04d of the index', i * 7 % 61) FROM n;
           CREATE INDEX tb ON t(b);""",
        None,  # the index's root page, found in sqlite_schema
        "page",
    ),
    "pointer-map": (
        1024,
        """PRAGMA auto_vacuum = FULL;
           CREATE TABLE t(a INTEGER PRIMARY KEY, b BLOB);
           CREATE INDEX tb ON t(b);
           WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
           INSERT INTO t SELECT i, zeroblob(CASE WHEN i = 7 THEN 2500 ELSE 40 END) FROM n;""",
        2,
        "page",
    ),
    "freelist": (
        1024,
        """CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);
           WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
           INSERT INTO t SELECT i, printf('%.60c', 'x') FROM n;
           DELETE FROM t WHERE a > 40;""",
        None,  # the first freelist trunk page, from the header
        "page",
    ),
}


def build(name: str, directory: Path) -> str:
    page_size, sql, page, parts = EXAMPLES[name]
    path = directory / f"{name}.db"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA page_size={page_size}")
    con.executescript(sql)
    con.commit()
    if page is None and name == "freelist":
        page = con.execute("PRAGMA freelist_count").fetchone()[0] and int.from_bytes(
            path.read_bytes()[32:36], "big"
        )
    elif page is None:
        page = con.execute("SELECT rootpage FROM sqlite_schema WHERE type='index'").fetchone()[0]
    con.close()
    text = dump(str(path), page=page)
    if parts == "page":
        text = text.split("\n\n")[-1]
    # the SQLite version that wrote the file differs between machines
    return re.sub(r"(SQLite version number\s+)\d+", r"\g<1>3040001", text)


def blocks() -> list[tuple[str, str, str]]:
    found = []
    for page in PAGES:
        path = DOCS / page
        if path.exists():
            for match in BLOCK.finditer(path.read_text()):
                found.append((page, match.group(1), match.group(2)))
    return found


@pytest.mark.exercise("storage-header")
@pytest.mark.exercise("storage-cell-parse")
def test_docs_show_current_dump_output(tmp_path):
    shown = blocks()
    assert {name for _, name, _ in shown} == set(EXAMPLES), "every example appears in the docs"
    for page, name, text in shown:
        if name == "overflow-cell":  # random bytes: compare everything but the values
            assert _without_values(build(name, tmp_path)) == _without_values(text), name
        else:
            assert build(name, tmp_path) == text, f"{page}: example {name} is out of date"


def _without_values(text: str) -> str:
    return re.sub(r"x'[0-9a-f]+\.\.\.'", "x'...'", text)


def update() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for page in PAGES:
            path = DOCS / page
            if not path.exists():
                continue
            text = path.read_text()
            text = BLOCK.sub(
                lambda m: (
                    f"<!-- vdbe-dump: {m.group(1)} -->\n```text\n{build(m.group(1), Path(tmp))}```"
                ),
                text,
            )
            path.write_text(text)


if __name__ == "__main__" and "--update" in sys.argv:
    update()
