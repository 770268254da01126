"""Whether the VM runs the plain codecs a learner writes instead of their fast twins.

Some exercises are pieces of code that also exist in a second, faster form: the varint
codec (`varint.get_varint`, `put_varint`) and reading one column of a record
(`record.decode_column`). Set VDBE_REFERENCE=1 in the environment and every command
(`vdbe sql`, `vdbe shell`, the DB-API...) runs the plain ones, so a learner's code is
what answers. The choice is read once, when the package is imported.
"""

from __future__ import annotations

import os

PLAIN_CODECS: bool = os.environ.get("VDBE_REFERENCE", "") not in ("", "0")
