"""Facts the packages share are written once: the 64-bit integer range lives in vdbe.int64.

A literal such as 2**63 - 1 or 0xFFFFFFFFFFFFFFFF elsewhere in the source is a second
home for it, which this test refuses (comments and docstrings may still name the numbers).
"""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

PACKAGES = Path(__file__).resolve().parent.parent / "packages"
HOME = PACKAGES / "vdbe-core" / "src" / "vdbe" / "int64.py"
BOUNDS = {2**63 - 1, 2**63, 2**64 - 1, 2**64}
SOURCES = sorted(path for path in PACKAGES.glob("*/src/**/*.py") if path != HOME)


def as_int(number: str) -> int | None:
    """The value of an integer literal (None for a float or a complex)."""
    try:
        return int(number.replace("_", ""), 0)
    except ValueError:
        return None


def written_bounds(source: str) -> list[str]:
    """Where `source` writes a 64-bit bound as a number (`2**63`, `1 << 64`, hex...)."""
    found = []
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.string]
    for i, token in enumerate(tokens):
        if token.type != tokenize.NUMBER:
            continue
        power = [t.string for t in tokens[i : i + 3]]
        is_power = power in (
            ["2", "**", "63"],
            ["2", "**", "64"],
            ["1", "<<", "63"],
            ["1", "<<", "64"],
        )
        is_bound = as_int(token.string) in BOUNDS
        if is_power or is_bound:
            found.append(f"{token.start[0]}: {token.line.strip()}")
    return found


def test_the_bounds_are_the_sqlite_integer_range():
    from vdbe.int64 import LARGEST_INT64, SMALLEST_INT64, UINT64_MASK

    assert (SMALLEST_INT64, LARGEST_INT64) == (-(2**63), 2**63 - 1)
    assert UINT64_MASK == 2**64 - 1


def test_the_scan_finds_a_bound_written_out():
    assert written_bounds("x = 2**63 - 1\n")
    assert written_bounds("x = 0x7FFFFFFFFFFFFFFF\n")
    assert written_bounds("x &= (1 << 64) - 1\n")
    assert not written_bounds('"""2**63"""\nx = 2**62  # 2**63\n')


def test_no_second_home_for_the_64_bit_bounds():
    found = {
        str(path.relative_to(PACKAGES)): lines
        for path in SOURCES
        if (lines := written_bounds(path.read_text(encoding="utf-8")))
    }
    assert found == {}
