"""The stage-1 chapters show real output: every transcript in them is run and compared.

- A ```console block whose lines start with `$ dvm ...` is a command and its output
  (standard output, then standard error); each command is run and must print exactly that.
- A ```console block right after `<!-- repl -->` is a REPL session: lines starting with
  `> ` are typed in, the others are what the REPL prints.
- A ```python block that is not a `--8<--` include is executed; each `print(...)  # VALUE`
  line must print VALUE.
- `<!-- needs: ID -->` before a block marks it as depending on exercise ID.
"""

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
CHAPTERS = REPO / "docs" / "stage1"
BLOCK = re.compile(
    r"(?P<before>(?:<!--[^\n]*-->\n)*)```(?P<language>\w+)\n(?P<body>.*?)\n```", re.DOTALL
)
pytestmark = pytest.mark.skipif(not CHAPTERS.is_dir(), reason="docs/stage1 is not in this copy")


def blocks(language: str):
    """Every block of `language` in the chapters, as pytest params with exercise marks."""
    if not CHAPTERS.is_dir():
        return
    for page in sorted(CHAPTERS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for match in BLOCK.finditer(text):
            if match["language"] != language or match["body"].startswith("--8<--"):
                continue
            line = text.count("\n", 0, match.start("body"))
            marks = [
                pytest.mark.exercise(exercise)
                for exercise in re.findall(r"<!-- needs: (\S+) -->", match["before"])
            ]
            kind = "repl" if "<!-- repl -->" in match["before"] else "shell"
            yield pytest.param(kind, match["body"], marks=marks, id=f"{page.name}:{line}")


def shell_commands(body: str) -> list[tuple[list[str], str]]:
    """Split a console block into (arguments after `dvm`, expected output) pairs."""
    commands: list[tuple[list[str], list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            words = shlex.split(line[2:])
            assert words[0] == "dvm", f"only dvm commands are checked: {line}"
            commands.append((words[1:], []))
        else:
            commands[-1][1].append(line)
    return [(arguments, "\n".join(output) + "\n") for arguments, output in commands]


@pytest.mark.parametrize("kind, body", list(blocks("console")))
def test_console_transcript(kind, body, run_dvm):
    if kind == "repl":
        inputs = [line[2:] for line in body.splitlines() if line.startswith("> ")]
        done = run_dvm(stdin="\n".join(inputs) + "\n")
        outputs = done.stdout.split("> ")[1:]
        transcript = "".join(
            f"> {typed}\n{shown}" for typed, shown in zip(inputs, outputs, strict=True)
        )
        assert transcript.rstrip("\n") == body
        return
    for arguments, expected in shell_commands(body):
        done = run_dvm(*arguments)
        assert done.stdout + done.stderr == expected, arguments


@pytest.mark.parametrize("kind, body", list(blocks("python")))
def test_python_example(kind, body):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(body, "<docs example>", "exec"), {})
    expected = [line.split("#", 1)[1].strip() for line in body.splitlines() if "print(" in line]
    assert [line.split()[0] for line in printed.getvalue().splitlines()] == expected


def test_the_two_plus_two_listing_is_shown_as_the_tool_prints_it(run_dvm):
    listing = run_dvm("--explain", "-c", "2 + 2").stdout
    page = (CHAPTERS / "index.md").read_text(encoding="utf-8")
    assert f'```console\n$ dvm --explain -c "2 + 2"\n{listing}```' in page


def test_every_chapter_is_in_the_site_navigation():
    navigation = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for page in CHAPTERS.glob("*.md"):
        assert f"stage1/{page.name}" in navigation
