"""Instructions and programs, and the EXPLAIN listing that prints and parses them.

A program is a list of instructions `(opcode, p1, p2, p3, p4, p5, comment)`, exactly
the seven columns of SQLite's EXPLAIN. Its listing uses the sqlite3 shell's layout,

    addr  opcode         p1    p2    p3    p4             p5  comment
    ----  -------------  ----  ----  ----  -------------  --  -------------
    0     Init           0     4     0                    0   Start at 4

and `Program.parse` reads that layout back, so a listing round-trips. When an
instruction carries no comment of its own, the listing fills the column from the
opcode's synopsis with the operands substituted (see `synopsis_comment`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from vdbe.errors import SqlError

# The shell's EXPLAIN columns: (title, width). Columns are separated by two spaces and a
# value longer than its width pushes the rest of the line to the right.
COLUMNS = (
    ("addr", 4),
    ("opcode", 13),
    ("p1", 4),
    ("p2", 4),
    ("p3", 4),
    ("p4", 13),
    ("p5", 2),
    ("comment", 13),
)


class Instruction:
    """One VDBE instruction: an opcode name and its five operands."""

    __slots__ = ("opcode", "p1", "p2", "p3", "p4", "p5", "comment")

    def __init__(
        self,
        opcode: str,
        p1: int = 0,
        p2: int = 0,
        p3: int = 0,
        p4: object = None,
        p5: int = 0,
        comment: str = "",
    ) -> None:
        self.opcode = opcode
        self.p1 = p1
        self.p2 = p2
        self.p3 = p3
        self.p4 = p4
        self.p5 = p5
        self.comment = comment

    def _columns(self) -> tuple:
        return (self.opcode, self.p1, self.p2, self.p3, self.p4, self.p5, self.comment)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._columns() == other._columns()

    __hash__ = None  # mutable: the loader completes P4 after reading EXPLAIN

    def __repr__(self) -> str:
        names = ("opcode", "p1", "p2", "p3", "p4", "p5", "comment")
        args = ", ".join(f"{n}={v!r}" for n, v in zip(names, self._columns(), strict=True))
        return f"Instruction({args})"


class Program:
    """A list of instructions, run by `vdbe.engine.VM` from address 0."""

    def __init__(self, instructions: list[Instruction] | None = None, name: str = "main") -> None:
        self.instructions = instructions if instructions is not None else []
        self.name = name
        # Handler functions, one per instruction; filled in by the VM on first use.
        self.handlers: list | None = None
        # How many registers the program uses; worked out by the VM when left as None.
        self.n_registers: int | None = None
        # What identifies a trigger's program across copies (its name), for Program's
        # recursion check; None for the main program.
        self.token: str | None = None

    def __eq__(self, other: object) -> bool:
        """Same name and instructions, sub-programs compared in the same way.

        A trigger may call itself, so sub-programs are compared by their place in
        `with_subprograms()`, not by following calls (which could go round forever).
        """
        if other.__class__ is not self.__class__:
            return NotImplemented
        mine, theirs = self.with_subprograms(), other.with_subprograms()
        if len(mine) != len(theirs):
            return False
        place = {id(p): i for i, p in enumerate(mine)} | {id(p): i for i, p in enumerate(theirs)}

        def same(a: Instruction, b: Instruction) -> bool:
            if not isinstance(a.p4, Program) or not isinstance(b.p4, Program):
                return a == b
            operands = (a.opcode, a.p1, a.p2, a.p3, a.p5, a.comment)
            return operands == (b.opcode, b.p1, b.p2, b.p3, b.p5, b.comment) and (
                place[id(a.p4)] == place[id(b.p4)]
            )

        return all(
            a.name == b.name
            and len(a.instructions) == len(b.instructions)
            and all(map(same, a.instructions, b.instructions))
            for a, b in zip(mine, theirs, strict=True)
        )

    __hash__ = None

    def __repr__(self) -> str:
        return f"Program(instructions={self.instructions!r}, name={self.name!r})"

    def __len__(self) -> int:
        return len(self.instructions)

    def __getitem__(self, addr: int) -> Instruction:
        return self.instructions[addr]

    def listing(self) -> str:
        """The program in the sqlite3 shell's EXPLAIN layout, comments synthesised.

        As in SQLite's EXPLAIN, the sub-programs it calls (triggers) follow it, each
        with addresses from 0 again.
        """
        programs = self.with_subprograms()
        widths = listing_widths(ins.opcode for p in programs for ins in p.instructions)
        lines = [
            format_row([title for title, _ in COLUMNS], widths),
            format_row(["-" * w for w in widths], widths),
        ]
        for program in programs:
            for addr, ins in enumerate(program.instructions):
                lines.append(format_row(listing_cells(addr, ins), widths))
        return "\n".join(lines) + "\n"

    def with_subprograms(self) -> list[Program]:
        """This program, then every sub-program it calls, in EXPLAIN's order of listing."""
        found = [self]
        for program in found:  # grows as it goes: sub-programs of sub-programs follow
            for ins in program.instructions:
                sub = ins.p4
                if isinstance(sub, Program) and all(sub is not known for known in found):
                    found.append(sub)
        return found

    @classmethod
    def parse(cls, text: str, name: str = "main") -> Program:
        """Read a listing (the header and the comment column are optional)."""
        segments = split_at_restarts(_parse_listing(text))
        return link_subprograms([[ins for _, ins in rows] for rows in segments], name)


# --8<-- [start:subprograms]
def split_at_restarts(rows: list[tuple]) -> list[list[tuple]]:
    """Cut EXPLAIN's rows, whose first item is the address, where it starts from 0 again.

    SQLite's EXPLAIN lists a statement's program, then each trigger program it calls,
    every one numbered from 0.
    """
    segments: list[list[tuple]] = []
    for row in rows:
        if row[0] == 0 or not segments:
            segments.append([])
        segments[-1].append(row)
    return segments


def link_subprograms(
    segments: list[list[Instruction]], name: str = "main", tables: dict | None = None
) -> Program:
    """The main program, its Program instructions pointing at the sub-programs listed.

    EXPLAIN prints a Program instruction's P4 only as `program`, and lists each
    sub-program once, in the order a walk from the main program first meets it. When
    there are as many Program instructions as sub-programs, each meets a new one, in
    order. When there are more, some calls meet one already listed: a recursive
    trigger calls itself, two triggers fire a third, REPLACE runs a parent's foreign
    key actions from two places. See `_Linker` for how those calls are told apart.
    """
    programs = [Program(segment, name) for segment in segments]
    for sub in programs[1:]:
        sub.token = _trigger_name(sub)
        sub.name = f"TRIGGER {sub.token}" if sub.token else "FOREIGN KEY action"
    calls = [
        (program, addr)
        for program in programs
        for addr, ins in enumerate(program.instructions)
        if ins.opcode == "Program"
    ]
    linker = _Linker(programs[1:], len(calls), tables or {})
    for program, addr in calls:
        program.instructions[addr].p4 = linker.callee(program, addr)
    return programs[0]


class _Linker:
    """Decides, call by call in EXPLAIN's order, which sub-program each call meets.

    A call meets the next sub-program not met yet, unless it is one met before. Two
    facts decide: a foreign key action is called with no RAISE(IGNORE) address (P2 is
    0), a named trigger with one, so each call can only meet its own kind; and a
    trigger fires on one table for one kind of write (`tables` maps trigger names to
    (table, INSERT|UPDATE|DELETE)), which should be the write the caller makes next to
    the call. Foreign key actions come in runs, one call per key, after a parent row is
    deleted or changed: a run of the same length next to the same kind of write meets
    the same actions again.
    """

    def __init__(self, subs: list[Program], calls: int, tables: dict) -> None:
        self.subs, self.calls_left, self.tables = subs, calls, tables
        self.met = 0  # subs[:met] have been met
        self.runs: list[tuple[tuple | None, int, list[Program]]] = []  # (write, length, met)
        self.run: list[Program] = []
        self.repeat: list[Program] | None = None

    def callee(self, program: Program, addr: int) -> Program:
        self.calls_left -= 1
        ins = program.instructions[addr]
        action = ins.p2 == 0
        if action:
            return self._action(program, addr)
        if self.met < len(self.subs) and self.calls_left < len(self.subs) - self.met:
            return self._new()  # every call left meets a new sub-program
        write = _write_near(program, addr)
        named = [sub for sub in self.subs[: self.met] if sub.token is not None]
        known = [sub for sub in named if self.tables.get(sub.token) == write]
        following = self._next(action=False)
        if following is not None and (self.tables.get(following.token) == write or not known):
            return self._new()
        if any(program is sub for sub in known):
            return program
        return (known or named or [program])[0]

    def _action(self, program: Program, addr: int) -> Program:
        instructions = program.instructions
        if addr == 0 or not _is_action_call(instructions[addr - 1]):  # a run starts
            length = 1
            while addr + length < len(instructions) and _is_action_call(
                instructions[addr + length]
            ):
                length += 1
            write = _write_near(program, addr)
            self.repeat = next((met for w, n, met in self.runs if (w, n) == (write, length)), None)
            self.run = []
            self.runs.append((write, length, self.run))
        if self.repeat is not None and len(self.run) < len(self.repeat):
            callee = self.repeat[len(self.run)]
        elif self._next(action=True) is not None:
            callee = self._new()
        else:
            actions = [sub for sub in self.subs[: self.met] if sub.token is None]
            callee = (actions or [program])[0]
        self.run.append(callee)
        return callee

    def _next(self, action: bool) -> Program | None:
        """The next sub-program not met yet, if it is of the kind asked for."""
        if self.met < len(self.subs) and (self.subs[self.met].token is None) == action:
            return self.subs[self.met]
        return None

    def _new(self) -> Program:
        self.met += 1
        return self.subs[self.met - 1]


def _is_action_call(ins: Instruction) -> bool:
    return ins.opcode == "Program" and ins.p2 == 0


# --8<-- [end:subprograms]


def _trigger_name(program: Program) -> str | None:
    """The trigger a sub-program belongs to: its Init names it (`-- TRIGGER name`)."""
    first = program.instructions[0] if program.instructions else None
    if first is not None and isinstance(first.p4, str) and first.p4.startswith("-- TRIGGER "):
        return first.p4[len("-- TRIGGER ") :]
    return None


def _write_near(program: Program, addr: int) -> tuple[str, str] | None:
    """(table, INSERT, UPDATE or DELETE) of the Insert or Delete nearest to `addr`.

    A row's triggers are called right before or after the row is written. An UPDATE
    writes with a Delete and an Insert that both carry the OPFLAG_ISUPDATE flag (0x04,
    in Delete's P2 and Insert's P5).
    """
    writes = []
    for at, ins in enumerate(program.instructions):
        if ins.opcode in ("Insert", "Delete") and isinstance(ins.p4, str):
            flags = ins.p5 if ins.opcode == "Insert" else ins.p2
            event = "UPDATE" if flags & 0x04 else ins.opcode.upper()
            writes.append((abs(at - addr), ins.p4, event))
    if not writes:
        return None
    _, table, event = min(writes)
    return table, event


# --8<-- [start:comment]
def synopsis_comment(ins: Instruction, synopsis: str) -> str:
    """Fill a synopsis with an instruction's operands, as SQLite's EXPLAIN comments do.

    `P1`..`P5` become the operand values, `P4` its printed form; `r[PX@PY]` names a
    range of PY registers (`r[2..4]`), `PY+1` counts one more; `P2@NP` uses the
    function's argument count; `..P3` vanishes when P3 is 0; `PX` is replaced by the
    instruction's own comment. A synopsis starting `IF cond` reads `if cond goto P2`.
    """
    if synopsis.startswith("IF "):
        synopsis = f"if {synopsis[3:]} goto P2"
    out: list[str] = []
    i, n = 0, len(synopsis)
    while i < n:
        c = synopsis[i]
        if c != "P" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        which = synopsis[i + 1]
        i += 2
        if which == "4":
            out.append(format_p4(ins.p4))
        elif which == "X":
            if ins.comment:
                out.append(ins.comment)
                return "".join(out)
        else:
            first = _operand(ins, which)
            if synopsis.startswith("@P", i):
                count = _operand(ins, synopsis[i + 2])
                i += 3
                if synopsis.startswith("+1", i):
                    count += 1
                    i += 2
                out.append(str(first) if count < 2 else f"{first}..{first + count - 1}")
            elif synopsis.startswith("@NP", i):
                i += 3
                argc = getattr(ins.p4, "argc", 1)
                if argc == 1:
                    out.append(str(first))
                elif argc > 1:
                    out.append(f"{first}..{first + argc - 1}")
                else:  # no arguments: drop the "r[" already written and the "]"
                    del out[-2:]
                    i += 1
            else:
                out.append(str(first))
                if synopsis.startswith("..P3", i) and ins.p3 == 0:
                    i += 4
    return "".join(out)


# --8<-- [end:comment]


def _operand(ins: Instruction, which: str) -> int:
    value = {"1": ins.p1, "2": ins.p2, "3": ins.p3, "5": ins.p5}.get(which, 0)
    return value if isinstance(value, int) else 0


def comment_for(ins: Instruction) -> str:
    """The comment column: the instruction's own comment, else its filled-in synopsis."""
    from vdbe.opcodes import synopsis_of

    synopsis = synopsis_of(ins.opcode)
    if not synopsis:
        return ins.comment
    text = synopsis_comment(ins, synopsis)
    own = ins.comment
    if "PX" in synopsis:  # the comment is part of the synopsis (`r[3]=t.b`)
        before = synopsis_comment(ins, synopsis.split("PX")[0])
        return own if own.startswith(before) else text
    if not own or own == text or own.startswith(text + "; "):
        return own or text  # a comment read from a listing already holds the synopsis
    return f"{text}; {own}"


def format_p4(p4: object) -> str:
    """P4 as the listing prints it (SQLite's text forms; see vdbe.p4)."""
    from vdbe.p4 import format_p4 as _format

    return _format(p4)


def listing_cells(addr: int, ins: Instruction) -> list[str]:
    """One row of a listing: addr, opcode, p1, p2, p3, p4, p5, comment, as text."""
    return [
        str(addr),
        ins.opcode,
        str(ins.p1),
        str(ins.p2),
        str(ins.p3),
        format_p4(ins.p4),
        str(ins.p5),
        comment_for(ins),
    ]


WIDTHS = tuple(width for _, width in COLUMNS)


def listing_widths(opcodes: Iterable[str]) -> tuple[int, ...]:
    """The column widths of a listing: the shell's, with the opcode column widened to
    the longest name in it (extension opcodes such as TxnStatementEnd are longer than
    any of SQLite's), so that every row lines up."""
    opcode_width = max([WIDTHS[1], *map(len, opcodes)])
    return (WIDTHS[0], opcode_width, *WIDTHS[2:])


def format_row(cells: list[str], widths: tuple[int, ...] = WIDTHS) -> str:
    padded = [cell.ljust(width) for cell, width in zip(cells, widths, strict=True)]
    return "  ".join(padded).rstrip()


# ---------------------------------------------------------------------------- parsing

# Patterns for reading a listing, compiled on first use (the `re` module keeps them).
_HEAD = r"\s*(-?\d+)\s+([A-Za-z_][A-Za-z0-9_]*)((?:\s+-?\d+){0,3})"
_INT = r"-?\d+"
_DEFAULT_P4_COLUMN = sum(width + 2 for _, width in COLUMNS[:5])
_DEFAULT_P5_COLUMN = _DEFAULT_P4_COLUMN + COLUMNS[5][1] + 2


def _parse_listing(text: str) -> list[tuple[int, Instruction]]:
    from vdbe.p4 import parse_p4

    p4_col, p5_col = _DEFAULT_P4_COLUMN, _DEFAULT_P5_COLUMN
    instructions: list[tuple[int, Instruction]] = []
    expected = 0
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "----")):
            continue
        if stripped.split()[0] == "addr":
            p4_col, p5_col = line.find("p4"), line.find("p5")
            continue
        fields = _split_line(line, p4_col, p5_col)
        if fields is None:
            raise SqlError(f"line {lineno}: cannot read an instruction from {stripped!r}")
        addr, opcode, p1, p2, p3, p4_text, p5, comment = fields
        if addr != expected and addr != 0:
            raise SqlError(f"line {lineno}: address {addr} should be {expected}")
        expected = addr + 1
        try:
            p4 = parse_p4(opcode, p4_text)
        except ValueError as exc:
            raise SqlError(f"line {lineno}: bad P4 {p4_text!r} for {opcode}: {exc}") from None
        instructions.append((addr, Instruction(opcode, p1, p2, p3, p4, p5, comment)))
    if not instructions:
        raise SqlError("the listing holds no instructions")
    return instructions


def _split_line(line: str, p4_col: int, p5_col: int) -> tuple | None:
    """Split one listing line into its eight fields, or None when it is not one."""
    head = re.match(_HEAD, line)
    if head is None:
        return None
    numbers = [int(x) for x in head.group(3).split()] + [0, 0, 0]
    addr, opcode = int(head.group(1)), head.group(2)
    p1, p2, p3 = numbers[:3]
    rest_at = head.end()
    aligned = rest_at <= p4_col - 2 and line[rest_at:p4_col].strip() == ""
    if aligned:
        p4_text, p5, comment = _split_aligned(line[p4_col:], p5_col - p4_col)
    elif re.search(r"\S  +-?\d+(?:  |\s*$)", line[rest_at:]):
        # a wide operand pushed P4 right: columns still stand two spaces apart
        p4_text, p5, comment = _split_aligned(line[rest_at:].lstrip(), 0)
    else:
        p4_text, p5, comment = _split_loose(line[rest_at:])
    return addr, opcode, p1, p2, p3, p4_text, p5, comment


def _split_aligned(rest: str, p5_offset: int) -> tuple[str | None, int, str]:
    """The p4, p5 and comment fields of a line in the shell's column layout."""
    if not rest.strip():
        return None, 0, ""
    tail = rest[p5_offset:]
    match = re.match(r"(-?\d+)(?:\s+(.*))?$", tail)
    if rest[p5_offset - 2 : p5_offset] in ("  ", " ") and match:
        p4_text = rest[: p5_offset - 2].rstrip()
        return (p4_text or None), int(match.group(1)), (match.group(2) or "").strip()
    # A P4 wider than its column pushed p5 and the comment to the right (or a hand-written
    # line is not quite aligned): p5 is the first number that stands alone after P4.
    matches = list(re.finditer(r"  +(-?\d+)(?=  |\s*$)", rest))
    if matches:
        wide = [m for m in matches if m.start() >= p5_offset - 2]
        m = wide[0] if wide else matches[0]
        return rest[: m.start()] or None, int(m.group(1)), rest[m.end() :].strip()
    return rest.strip(), 0, ""


def _split_loose(rest: str) -> tuple[str | None, int, str]:
    """Fields separated by any whitespace, for listings written by hand."""
    parts = rest.split(None, 2)
    if not parts:
        return None, 0, ""
    if len(parts) == 1:
        return (None, int(parts[0]), "") if re.fullmatch(_INT, parts[0]) else (parts[0], 0, "")
    if re.fullmatch(_INT, parts[1]):
        return parts[0], int(parts[1]), (parts[2] if len(parts) > 2 else "")
    return parts[0], 0, " ".join(parts[1:])
