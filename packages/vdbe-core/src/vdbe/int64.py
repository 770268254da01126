"""The range of SQLite's integers, 64-bit two's complement, defined once for every module.

An INTEGER value lies from SMALLEST_INT64 to LARGEST_INT64; arithmetic that leaves the
range overflows (to REAL, or an error), and bit operations and varints work on the 64
bits that UINT64_MASK keeps.
"""

from __future__ import annotations

SMALLEST_INT64 = -(2**63)
LARGEST_INT64 = 2**63 - 1
UINT64_MASK = 2**64 - 1
