"""Micro benchmark of the record codec, the hot path of every table scan.

    python packages/vdbe-core/benchmarks/records.py [--quick]

Reports records per second for decode_record, decode_column and encode_record on a few
row shapes, and, for scale, the same decode written the plain way (get_varint and
decode_value per field) that the optimised loop replaces.
"""

from __future__ import annotations

import sys
import timeit

from vdbe.record import (
    decode_column,
    decode_record,
    decode_value,
    encode_record,
    serial_type_size,
)
from vdbe.varint import get_varint

ROWS = {
    "5 columns (int, text, real, NULL, small int)": [42, "hello world", 3.25, None, 1],
    "10 integer columns": list(range(1000, 1010)),
    "3 text columns of 40 chars": ["x" * 40, "y" * 40, "é" * 20],
    "20 mixed columns": [i if i % 3 else f"t{i}" for i in range(20)],
}


def plain_decode(buf: bytes) -> list:
    """The straightforward decoder: one varint call and one value call per field."""
    header_size, pos = get_varint(buf, 0)
    types = []
    while pos < header_size:
        t, pos = get_varint(buf, pos)
        types.append(t)
    values = []
    offset = header_size
    for t in types:
        values.append(decode_value(buf, offset, t))
        offset += serial_type_size(t)
    return values


def rate(stmt, number: int) -> float:
    best = min(timeit.repeat(stmt, number=number, repeat=5))
    return number / best


def main() -> None:
    number = 2_000 if "--quick" in sys.argv else 50_000
    heads = ("decode", "plain", "ratio", "column(2)", "encode")
    widths = (12, 12, 6, 12, 12)
    print(f"{'row shape':46}", *(f"{h:>{w}}" for h, w in zip(heads, widths, strict=True)))
    for name, row in ROWS.items():
        buf = encode_record(row)
        assert decode_record(buf) == row == plain_decode(buf)
        fast = rate(lambda buf=buf: decode_record(buf), number)
        plain = rate(lambda buf=buf: plain_decode(buf), number)
        column = rate(lambda buf=buf: decode_column(buf, 2), number)
        encode = rate(lambda row=row: encode_record(row), number)
        print(
            f"{name:46} {fast:>10,.0f}/s {plain:>10,.0f}/s {fast / plain:>5.1f}x"
            f" {column:>10,.0f}/s {encode:>10,.0f}/s"
        )


if __name__ == "__main__":
    main()
