"""Standard streams that are UTF-8 on every system.

Python writes to a pipe or a file in the locale's encoding: on Windows that is the
console's code page (cp1252, cp437, ...), which cannot hold most of Unicode, and on a
POSIX system with LANG=C it may be ASCII. The commands switch their standard output and
error (and input) to UTF-8 before using them, as the sqlite3 shell speaks UTF-8. (A Windows
console window itself takes Unicode directly; Python already reports it as UTF-8.)
"""

from __future__ import annotations

import io
import sys


def use_utf8_streams() -> None:
    """Make the standard streams UTF-8, keeping their error handlers."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower() not in UTF8_NAMES:
            stream.reconfigure(encoding="utf-8")


UTF8_NAMES = ("utf-8", "utf8")
