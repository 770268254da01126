"""Every command the docs show at a `$ ` prompt runs, and prints what the page shows.

A ```console block on any page of ``docs/`` is a transcript: each line starting with
``$ `` is a command, the lines after it (up to the next ``$ ``) what it prints, standard
output and standard error together as a terminal shows them. A line ``...`` stands for
any number of lines the page leaves out. Snippet lines (``--8<-- "path"``) are expanded
first, as the site does. The commands of one block run in order in one scratch
directory, into which every repository file they name (``examples/bank.carrot``) is
copied. ``<!-- needs: ID -->`` before a block marks it as needing exercise ID.

``dvm``, ``vdbe`` and ``carrot`` are the installed packages, run with this Python;
``sqlite3`` is the real shell (a missing one fails under CI, and skips elsewhere).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
BLOCK = re.compile(r"(?P<before>(?:<!--[^\n]*-->\n)*)```console\n(?P<body>.*?)\n```", re.DOTALL)
SNIPPET = re.compile(r'^\s*-{1,3}8<-{1,3}\s+"([^"]+)"\s*$')
MARKER = re.compile(r"--8<--\s*\[(start|end):[\w-]+\]")
PROGRAMS = {
    "dvm": [sys.executable, "-m", "dvm"],
    "vdbe": [sys.executable, "-m", "vdbe"],
    "carrot": [sys.executable, "-m", "carrot"],
}
ELIDED = "..."


def transcripts():
    """Every console block with commands, as pytest params marked with their exercises."""
    for page in sorted(DOCS.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        for match in BLOCK.finditer(text):
            if "<!-- repl -->" in match["before"] or not match["body"].startswith("$ "):
                continue
            line = text.count("\n", 0, match.start("body")) + 1
            marks = [
                pytest.mark.exercise(exercise)
                for exercise in re.findall(r"<!-- needs: (\S+) -->", match["before"])
            ]
            shown = page.relative_to(DOCS)
            yield pytest.param(expand(match["body"]), marks=marks, id=f"{shown}:{line}")


def expand(body: str) -> str:
    """The block as the site shows it: each snippet line replaced by what it includes."""
    lines = []
    for line in body.split("\n"):
        snippet = SNIPPET.match(line)
        if snippet is None:
            lines.append(line)
            continue
        path, _, section = snippet[1].partition(":")
        included = (REPO / path).read_text(encoding="utf-8").rstrip("\n").split("\n")
        if section:
            start = next(i for i, text in enumerate(included) if f"[start:{section}]" in text)
            end = next(i for i, text in enumerate(included) if f"[end:{section}]" in text)
            included = included[start + 1 : end]
        lines.extend(line for line in included if not MARKER.search(line))
    return "\n".join(lines)


def commands(body: str) -> list[tuple[str, list[str]]]:
    """(command line, expected output lines) for each ``$ `` line of a transcript."""
    found: list[tuple[str, list[str]]] = []
    for line in body.split("\n"):
        if line.startswith("$ "):
            found.append((line[2:], []))
        else:
            found[-1][1].append(line)
    return found


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` is ``expected`` with each ``...`` line standing for any lines."""
    if not expected:
        return not actual
    if expected[0] == ELIDED:
        return any(matches(expected[1:], actual[skip:]) for skip in range(len(actual) + 1))
    return bool(actual) and actual[0] == expected[0] and matches(expected[1:], actual[1:])


def argv(command: str) -> list[str]:
    words = shlex.split(command)
    assert not {"|", ">", "<", "&&", ";"} & set(words), f"not a plain command: {command}"
    if words[0] == "sqlite3":
        shell = shutil.which("sqlite3")
        if shell is None:
            if os.environ.get("CI"):
                pytest.fail("the sqlite3 shell is needed and not installed")
            pytest.skip("the sqlite3 shell is not installed")
        return [shell, *words[1:]]
    assert words[0] in PROGRAMS, f"the docs may show dvm, vdbe, carrot or sqlite3: {command}"
    return [*PROGRAMS[words[0]], *words[1:]]


def copy_named_files(words: list[str], scratch: Path) -> None:
    """Copy into ``scratch`` each repository file or directory a command names."""
    for word in words:
        source = REPO / word
        target = scratch / word
        if word.startswith("-") or not source.exists() or target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)


@pytest.mark.parametrize("body", list(transcripts()))
def test_console_transcript(body, tmp_path):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # output in the order a terminal shows
    env.pop("CARROT_NO_JIT", None)
    for command, expected in commands(body):
        words = argv(command)
        copy_named_files(words, tmp_path)
        done = subprocess.run(
            words,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            timeout=120,
        )
        actual = done.stdout.split("\n")
        if actual[-1] == "":
            actual.pop()
        assert matches(expected, actual), (
            f"$ {command}\n--- the page shows ---\n"
            + "\n".join(expected)
            + "\n--- it prints ---\n"
            + done.stdout
        )


def test_the_docs_show_commands_of_every_stage():
    shown = " ".join(str(param.values[0]) for param in transcripts())
    for program in ("$ dvm ", "$ vdbe ", "$ carrot ", "$ sqlite3 "):
        assert program in shown


@pytest.mark.parametrize(
    "expected, actual, result",
    [
        (["a", "...", "d"], ["a", "b", "c", "d"], True),
        (["a", "...", "d"], ["a", "d"], True),
        (["a", "...", "d"], ["a", "b"], False),
        (["a", "b"], ["a", "b", "c"], False),
        (["a", "..."], ["a", "b", "c"], True),
    ],
)
def test_elided_lines_match_any_lines(expected, actual, result):
    assert matches(expected, actual) is result
