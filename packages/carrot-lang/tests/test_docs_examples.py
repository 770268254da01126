"""Every Carrot example in the docs runs, and prints what the docs say it prints.

A ```` ```carrot ```` block in ``docs/**/*.md`` is a whole program. When the next code
block after it (prose may come between) is a ```` ```text ```` block, that is its expected
output: standard output, then standard error. So an example may show an error message;
the program is saved as ``prog.carrot``, or under the name the expected error message
starts with (``half.carrot:2:14: runtime error: ...``). Without one, the program must
run cleanly: exit status 0, nothing on standard error. Snippet lines (``--8<-- "path"``
or ``--8<-- "path:section"``, relative to the repository root) are expanded first, as
the docs site does.

The functions here are reusable: carrot-txn's tests import this file by path and call
``carrot_blocks`` and ``run_block`` on its own pages.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from carrot.resolver import exercises_needed

REPO = Path(__file__).resolve().parents[3]
DOCS = REPO / "docs"
TXN_INSTALLED = importlib.util.find_spec("carrot_txn") is not None
TXN_WORDS = re.compile(r"\b(txn|abort|db)\b")

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")
SNIPPET = re.compile(r'^\s*-{1,3}8<-{1,3}\s+"([^"]+)"\s*$')
MARKER = re.compile(r"--8<--\s*\[(start|end):([\w-]+)\]")


@dataclass
class Block:
    """One ```carrot example: where it is, its code, and its expected output (or None)."""

    path: Path
    line: int
    code: str
    expected: str | None

    @property
    def id(self) -> str:
        try:
            shown = self.path.relative_to(REPO)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}"

    @property
    def needs_txn(self) -> bool:
        return "stage4" in self.path.parts or bool(TXN_WORDS.search(self.code))

    @property
    def shows_txn_missing(self) -> bool:
        """The example shows the error Carrot gives while carrot-txn is not installed."""
        return "needs the carrot-txn package" in (self.expected or "")


# --8<-- [start:carrot_blocks]
def carrot_blocks(paths: list[Path]) -> list[Block]:
    """Every ```carrot block of the given Markdown files (directories are searched)."""
    blocks: list[Block] = []
    for path in paths:
        files = sorted(path.rglob("*.md")) if path.is_dir() else [path]
        for file in files:
            blocks.extend(blocks_of(file))
    return blocks


def blocks_of(file: Path) -> list[Block]:
    fences = list(fenced_blocks(file.read_text(encoding="utf-8")))
    blocks = []
    for index, (line, language, body) in enumerate(fences):
        if language != "carrot":
            continue
        expected = None
        following = fences[index + 1] if index + 1 < len(fences) else None
        if following and following[1] == "text":  # the next code block, prose between is fine
            expected = expand_snippets(following[2])
        blocks.append(Block(file, line, expand_snippets(body), expected))
    return blocks


# --8<-- [end:carrot_blocks]


def fenced_blocks(text: str):
    """(line, language, body) for each fenced block of a Markdown text."""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        indent, fence, language = match.groups()
        start = index
        body = []
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(fence):
            line = lines[index]
            body.append(line[len(indent) :] if line.startswith(indent) else line)
            index += 1
        yield start + 1, language, "\n".join(body) + "\n"
        index += 1


def expand_snippets(text: str) -> str:
    """Replace each ``--8<-- "path[:section]"`` line by that file (or section), as mkdocs does."""
    out = []
    for line in text.split("\n"):
        match = SNIPPET.match(line)
        if match:
            out.append(read_snippet(match.group(1)).rstrip("\n"))
        else:
            out.append(line)
    return "\n".join(out)


def read_snippet(spec: str) -> str:
    """A file, a ``:section`` of it between its markers, or its lines ``:START:END``."""
    path, _, section = spec.partition(":")
    lines = (REPO / path).read_text(encoding="utf-8").split("\n")
    if re.fullmatch(r"\d+(:\d+)?", section):
        start, _, end = section.partition(":")
        lines = lines[int(start) - 1 : int(end) if end else len(lines)]
    elif section:
        start = next(i for i, ln in enumerate(lines) if f"[start:{section}]" in ln)
        end = next(i for i, ln in enumerate(lines) if f"[end:{section}]" in ln)
        lines = lines[start + 1 : end]
    return "\n".join(ln for ln in lines if not MARKER.search(ln))


# --8<-- [start:run_block]
def run_block(block: Block, workdir: Path, args: tuple[str, ...] = ()) -> tuple[str, int]:
    """Run one example as ``carrot [ARGS] prog.carrot`` inside ``workdir``, in-process.

    Returns (standard output followed by standard error, exit status).
    """
    from carrot.cli import main

    name = program_name(block)
    (workdir / name).write_text(block.code, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main([*args, name])
    finally:
        os.chdir(cwd)
    return out.getvalue() + err.getvalue(), status


def program_name(block: Block) -> str:
    """``prog.carrot``, unless the expected output names the file in an error message."""
    match = re.search(r"^([\w.-]+\.carrot):\d+:\d+: ", block.expected or "", re.MULTILINE)
    return match.group(1) if match else "prog.carrot"


def check_block(block: Block, workdir: Path, args: tuple[str, ...] = ()) -> None:
    """Assert that the example prints what the docs say (or runs cleanly)."""
    output, status = run_block(block, workdir, args)
    assert "Traceback" not in output
    if block.expected is None:
        assert status == 0, f"{block.id} failed:\n{output}"
    else:
        assert output.rstrip("\n") == block.expected.rstrip("\n"), f"{block.id} printed:\n{output}"


# --8<-- [end:run_block]


def doc_params():
    params = []
    for block in carrot_blocks([DOCS]):
        marks = [pytest.mark.exercise(e) for e in sorted(exercises_needed(block.code))]
        if block.shows_txn_missing and TXN_INSTALLED:
            marks.append(pytest.mark.skip(reason="shows the error given without carrot-txn"))
        elif block.needs_txn and not TXN_INSTALLED:
            marks.append(pytest.mark.skip(reason="needs carrot-txn"))
        params.append(pytest.param(block, marks=marks, id=block.id))
    return params


@pytest.mark.parametrize("block", doc_params())
def test_docs_example(block, tmp_path):
    check_block(block, tmp_path)


# ------------------------------------------------------------------ the collector itself


def test_blocks_pair_with_the_next_text_block(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "Intro\n\n```carrot\nprint(1);\n```\n\n```text\n1\n```\n\n"
        "```carrot\nprint(2);\n```\n\nSome words.\n\n```sh\ncarrot x\n```\n\n```text\nno\n```\n"
        "```carrot\nprint(3);\n```\nProse between.\n```text\n3\n```\n"
    )
    first, second, third = carrot_blocks([page])
    assert (first.line, first.code, first.expected) == (3, "print(1);\n", "1\n")
    assert second.expected is None
    assert third.expected == "3\n"


def test_snippets_are_expanded(tmp_path):
    text = expand_snippets('--8<-- "packages/carrot-lang/src/carrot/tokens.py:keywords"')
    assert "KEYWORDS" in text and "--8<--" not in text
    lines = expand_snippets('--8<-- "packages/carrot-lang/README.md:1:3"').split("\n")
    assert lines[0].startswith("# carrot-lang") and len(lines) == 3


def test_check_block_catches_a_wrong_output(tmp_path):
    block = Block(tmp_path / "x.md", 1, "print(1 + 1);\n", "3\n")
    with pytest.raises(AssertionError):
        check_block(block, tmp_path)
    check_block(Block(block.path, 1, block.code, "2\n"), tmp_path)


def test_the_file_name_comes_from_the_expected_error(tmp_path):
    block = Block(tmp_path / "x.md", 1, "print(1 / 0);\n", "half.carrot:1:9: runtime error: x\n")
    assert program_name(block) == "half.carrot"


def test_errors_show_in_the_expected_output(tmp_path):
    block = Block(tmp_path / "x.md", 1, "print(nope);\n", None)
    output, status = run_block(block, tmp_path)
    assert status == 70
    assert output.startswith("prog.carrot:1:7: runtime error: name 'nope' is not defined")
