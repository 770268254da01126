"""Broken programs never crash Carrot: random mutations of the golden programs.

Each mutation deletes, inserts, duplicates or swaps characters or tokens of a valid
program. Whatever comes out, the front end (and the compiler after it) must either
accept it or raise a CompileError - never any other exception - and the real command
must answer with exit status 0, 65 or 70 and never print a Python traceback: a few
through the real command in a process of its own, and many more through its ``main()``
in this process (``vdbe.harness``: within 10 seconds and 1 GB each). CARROT_FUZZ_PROGRAMS
sets how many (20,000 with CARROT_LONG_TESTS=1).
"""

import contextlib
import os
import random
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from carrot.cli import main
from carrot.diagnostics import CompileError
from carrot.extension import NO_EXTENSIONS
from carrot.lexer import tokenize
from carrot.resolver import analyze
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vdbe.harness import Hang, memory_budget, run_main

GOLDEN = Path(__file__).resolve().parent / "golden"
PROGRAMS = sorted(
    p.read_bytes().decode("utf-8", "replace")
    for p in GOLDEN.rglob("*.carrot")
    if p.relative_to(GOLDEN).parts[0] != "txn"
)
VALID = []
for _text in PROGRAMS:
    with contextlib.suppress(CompileError, NotImplementedError):
        VALID.append((_text, [t.text for t in tokenize(_text)[:-1]]))

INTERESTING_CHARS = list('{}()[];,.:"\\=!&|<>+-*/%_ \n0123456789aez') + ["é", "\t", "\0"]
INTERESTING_TOKENS = [
    "fn", "txn", "let", "if", "else", "while", "for", "in", "return", "break", "continue",
    "abort", "true", "false", "null", "{", "}", "(", ")", "[", "]", ";", ",", ".", "=",
    "==", "&&", "||", "-", "!", "9223372036854775808", "1.5e3", '"\\q"', '"', "x",
]  # fmt: skip
LONG = os.environ.get("CARROT_LONG_TESTS") == "1"
IN_PROCESS = int(os.environ.get("CARROT_FUZZ_PROGRAMS", "20000" if LONG else "200"))


def mutated(rng) -> str:
    """A golden program with characters or tokens deleted, inserted, swapped or repeated.
    `rng` chooses: a `random.Random`, or `Drawn` (hypothesis's draws, which shrink)."""
    text, tokens = rng.choice(VALID)
    if rng.choice([False, True]):
        return mutate_chars(rng, text)
    return mutate_tokens(rng, tokens)


class Drawn:
    """`random.Random`'s two methods used here, as hypothesis draws."""

    def __init__(self, draw) -> None:
        self.draw = draw

    def randint(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))

    def choice(self, options: list):
        return self.draw(st.sampled_from(options))


@st.composite
def mutated_program(draw):
    return mutated(Drawn(draw))


def mutate_chars(rng, text):
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        if not chars:
            break
        at = rng.randint(0, len(chars) - 1)
        action = rng.choice(["delete", "insert", "swap", "duplicate"])
        if action == "delete":
            del chars[at]
        elif action == "insert":
            chars.insert(at, rng.choice(INTERESTING_CHARS))
        elif action == "swap" and at + 1 < len(chars):
            chars[at], chars[at + 1] = chars[at + 1], chars[at]
        else:
            chars.insert(at, chars[at])
    return "".join(chars)


def mutate_tokens(rng, tokens):
    tokens = list(tokens)
    for _ in range(rng.randint(1, 3)):
        if not tokens:
            break
        at = rng.randint(0, len(tokens) - 1)
        action = rng.choice(["delete", "insert", "swap", "duplicate"])
        if action == "delete":
            del tokens[at]
        elif action == "insert":
            tokens.insert(at, rng.choice(INTERESTING_TOKENS))
        elif action == "swap":
            other = rng.randint(0, len(tokens) - 1)
            tokens[at], tokens[other] = tokens[other], tokens[at]
        else:
            tokens.insert(at, tokens[at])
    return " ".join(tokens)


def compile_or_reject(text):
    """The front end and compiler in-process: a program, or a CompileError with a position."""
    from carrot.compiler import compile_program

    try:
        program = analyze(text, "mutant.carrot", NO_EXTENSIONS)
        return compile_program(program)
    except CompileError as error:
        assert error.message
        assert error.line >= 1 and error.col >= 1
        return None
    except NotImplementedError:  # an exercise stub in a learner's starter copy
        return None


def test_there_are_programs_to_mutate():
    assert len(VALID) >= 100


@settings(
    max_examples=2000 if LONG else 300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutated_program())
def test_mutated_programs_compile_or_give_a_compile_error(text):
    compile_or_reject(text)


# Each case here starts Python, so the long run keeps it to a few dozen: the thousands of
# cases below run the same `main()` in this process.
@settings(max_examples=30 if LONG else 12, deadline=None)
@given(mutated_program())
def test_mutated_programs_never_show_a_traceback(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutant.carrot"  # a file: a command line cannot hold a NUL byte
        path.write_text(text, encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "carrot", "run", "--max-steps", "20000", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode in (0, 65, 70), proc.stderr
    assert "Traceback" not in proc.stderr
    assert "internal error" not in proc.stderr, proc.stderr  # (a stub says "not implemented")


@pytest.mark.skipif(
    not hasattr(signal, "setitimer"), reason="the harness times each case with setitimer (POSIX)"
)
def test_mutated_programs_run_cleanly_in_process(tmp_path):
    """The many cases: a seeded generator rather than hypothesis, whose bookkeeping would
    cost more than running the program (the case is in the failure message)."""
    rng = random.Random(20261207)
    path = tmp_path / "mutant.carrot"
    statuses = Counter()
    with memory_budget():
        for case in range(IN_PROCESS):
            text = mutated(rng)
            path.write_text(text, encoding="utf-8")
            try:
                outcome = run_main(main, ["run", "--max-steps", "20000", str(path)])
            except Hang:
                pytest.fail(f"case {case} ran over 10 seconds:\n{text}")
            assert outcome.status in (0, 65, 70) and outcome.clean, (case, outcome, text)
            statuses[outcome.status] += 1
    print(IN_PROCESS, "programs:", dict(statuses))
    assert statuses[0] and statuses[65], statuses
