"""The P4 operand: its kinds, how a listing prints them, and how to read them back.

P4 is the one operand that is not a plain integer. SQLite's EXPLAIN prints it in a text
form that depends on its kind; this module gives each kind a small Python value and
converts in both directions:

| kind | printed | Python value |
| --- | --- | --- |
| string | `hello` | `str` |
| 64-bit integer, 32-bit integer | `12345678901234`, `-1` | `int` |
| real | `1.5` | `float` |
| blob | `x'00FF'` (this project's form) | `bytes` |
| key info | `k(2,-B,)` | `vdbe.keyinfo.KeyInfo` |
| collating sequence | `BINARY-8`, `NOCASE-8` | `CollSeq` |
| function | `upper(1)`, `count(0)` | `FuncRef` |
| integer array | `[1,0]` | `list[int]` |
| sub-program | `program` | `vdbe.program.Program` |
"""

from __future__ import annotations

import re

STRING_OPCODES = frozenset({"String8", "String", "Variable", "Explain", "Trace", "SqlExec"})
FUNCTION_OPCODES = frozenset(
    {"Function", "PureFunc", "AggStep", "AggStep1", "AggFinal", "AggValue", "AggInverse"}
)
AFFINITY_OPCODES = frozenset({"Affinity", "MakeRecord", "TypeCheck"})


class CollSeq:
    """A collating sequence named in P4 (comparisons, CollSeq); printed `NAME-8`."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.name == other.name

    def __hash__(self) -> int:
        return hash((self.name,))

    def __repr__(self) -> str:
        return f"CollSeq(name={self.name!r})"

    def __str__(self) -> str:
        return f"{self.name}-8"


class FuncRef:
    """A function named in P4: its name and argument count, printed `name(nargs)`.

    SQLite prints the count its function definition declares, which is -1 for
    functions such as `printf` that take any number; `argc` is the count this call
    passes (the loader works it out), and `impl` caches the implementation. A
    listing prints `argc`, so that a listing alone says how to make the call: it
    shows `printf(3)` where SQLite's shows `printf(-1)`.
    """

    __slots__ = ("name", "nargs", "argc", "impl")

    def __init__(self, name: str, nargs: int, argc: int | None = None, impl: object = None) -> None:
        self.name = name
        self.nargs = nargs
        self.argc = nargs if argc is None else argc
        self.impl = impl

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.name, self.nargs, self.argc) == (other.name, other.nargs, other.argc)

    __hash__ = None

    def __repr__(self) -> str:
        return f"FuncRef(name={self.name!r}, nargs={self.nargs!r}, argc={self.argc!r})"

    def __str__(self) -> str:
        return f"{self.name}({self.argc})"


def format_p4(p4: object) -> str:
    """P4 in its listing form."""
    if p4 is None:
        return ""
    if isinstance(p4, str):
        return p4
    if isinstance(p4, bool):
        return str(int(p4))
    if isinstance(p4, int):
        return str(p4)
    if isinstance(p4, float):
        return format_real(p4)
    if isinstance(p4, bytes | bytearray):
        return "x'" + bytes(p4).hex().upper() + "'"
    if isinstance(p4, list):
        return "[" + ",".join(str(x) for x in p4) + "]"
    if type(p4).__name__ == "KeyInfo":
        return format_keyinfo(p4)
    if type(p4).__name__ == "Program":
        return "program"
    return str(p4)


def format_real(value: float) -> str:
    """A real as SQLite's EXPLAIN prints it (`%.16g`), with more digits if needed to round-trip."""
    text = f"{value:.16g}"
    if text in ("inf", "-inf"):
        return text.replace("inf", "Inf")
    return text if float(text) == value or value != value else repr(value)


def format_keyinfo(key_info: object) -> str:
    """`k(N,...)`: one entry per key field, `-` for descending, `B` for BINARY."""
    parts = [f"k({key_info.n_key_fields}"]
    for i in range(key_info.n_key_fields):
        coll = key_info.collations[i] if i < len(key_info.collations) else None
        desc = i < len(key_info.descending) and key_info.descending[i]
        nulls = getattr(key_info, "nulls_last", None) or []
        name = "B" if coll == "BINARY" else (coll or "")
        flag = "N." if i < len(nulls) and nulls[i] else ""
        parts.append(("-" if desc else "") + flag + name)
    return ",".join(parts) + ")"


# The printed forms, as patterns. They are compiled on first use (the `re` module keeps
# them), so that a program that never shows one does not pay for compiling it.
_KEYINFO = r"k\((\d+)((?:,[^,()]*)*)\)"
_FUNC = r"([A-Za-z_][A-Za-z0-9_]*|->>?)\((-?\d+)\)"  # names, and the operators -> and ->>
_COLL = r"([A-Za-z_][A-Za-z0-9_]*)-(8|16LE|16BE)"
_INTARRAY = r"\[(\d+(?:,\d+)*)\]"
_INT = r"[-+]?\d+"
_BLOB = r"[xX]'([0-9A-Fa-f]*)'"


def parse_keyinfo(text: str):
    """`k(2,-B,)` -> KeyInfo(2, ['BINARY', None], [True, False])."""
    from vdbe.keyinfo import KeyInfo

    match = re.fullmatch(_KEYINFO, text)
    if match is None:
        raise ValueError(f"not a key info: {text!r}")
    count = int(match.group(1))
    fields = match.group(2).split(",")[1:] if match.group(2) else []
    collations: list[str | None] = []
    descending: list[bool] = []
    nulls_last: list[bool] = []
    for entry in fields:
        desc = entry.startswith("-")
        entry = entry.lstrip("-")
        nulls_last.append(entry.startswith("N."))
        entry = entry.removeprefix("N.")
        collations.append("BINARY" if entry == "B" else (entry or None))
        descending.append(desc)
    while len(collations) < count:
        collations.append(None)
        descending.append(False)
        nulls_last.append(False)
    key_info = KeyInfo(count, collations, descending)
    if any(nulls_last):
        key_info.nulls_last = nulls_last
    return key_info


def parse_p4(opcode: str, text: str | None) -> object:
    """Turn P4's printed form back into a value, guided by the opcode that owns it."""
    if opcode in ("String8", "String"):
        return text or ""
    if text is None or text == "":
        return "" if opcode in AFFINITY_OPCODES and text == "" else None
    if opcode in STRING_OPCODES or opcode in AFFINITY_OPCODES:
        return text
    if opcode == "Real":
        return float(text)
    if opcode == "Blob":
        match = re.fullmatch(_BLOB, text)
        return bytes.fromhex(match.group(1)) if match else text.encode("utf-8")
    if opcode in FUNCTION_OPCODES:
        match = re.fullmatch(_FUNC, text)
        if match is None:
            raise ValueError("expected name(nargs)")
        return FuncRef(match.group(1).lower(), int(match.group(2)))
    if re.fullmatch(_INT, text):
        return int(text)
    if re.fullmatch(_KEYINFO, text):
        return parse_keyinfo(text)
    if re.fullmatch(_COLL, text):
        return CollSeq(re.fullmatch(_COLL, text).group(1))
    match = re.fullmatch(_INTARRAY, text)
    if match:
        return [int(x) for x in match.group(1).split(",")]
    return text
