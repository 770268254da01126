"""The opcode reference, generated from the handlers' docstrings.

SQLite builds its public opcode page from the comments in front of each case of its
VDBE's dispatch; this module does the same from our handlers. `render_reference()` gives
one Markdown section per registered opcode (header, synopsis, description, family);
`render_status()` gives the table of SQLite 3.40's opcodes with what this VM implements,
and how much of each release's opcodes, 3.39 to 3.54, it runs.
The docs site calls both when it builds.
"""

from __future__ import annotations

from vdbe.opcodes import LEFT_OUT, OPCODES, OpcodeSpec, load_all
from vdbe.sqlite_opcodes import (
    DROPPED_LATER,
    LATER_OPCODES,
    MEASURED,
    RELEASES,
    SQLITE_OPCODES,
    opcodes_of,
)

FAMILY_TITLES = {
    "control": "Control flow",
    "frames": "Sub-programs (triggers)",
    "foreignkeys": "Foreign keys",
    "registers": "Constants and registers",
    "arithmetic": "Arithmetic and bits",
    "compare": "Comparison",
    "types": "Types and affinity",
    "functions": "Functions and aggregates",
    "cursors": "Cursors",
    "index": "Indexes",
    "sorter": "Sorter",
    "aggregate": "Aggregates",
    "window": "Window functions",
    "transaction": "Transactions",
    "schema": "Schema",
    "vtab": "Virtual tables",
    "vacuum": "Vacuum",
}


def family_of(spec: OpcodeSpec) -> str:
    """The family name of an opcode: the last part of its module name."""
    return spec.module.rsplit(".", 1)[-1]


def origin_of(spec: OpcodeSpec) -> str:
    """'SQLite' for SQLite's own opcodes, else 'NAME extension'."""
    if spec.extension:
        return f"{spec.extension.capitalize()} extension"
    return "SQLite"


def render_entry(spec: OpcodeSpec) -> str:
    """One opcode's reference section in Markdown."""
    lines = [f"### {spec.name}", "", f"`{spec.header}`", ""]
    if spec.synopsis:
        lines += [f"Synopsis: `{spec.synopsis}`", ""]
    if spec.doc:
        lines += [spec.doc, ""]
    family = FAMILY_TITLES.get(family_of(spec), family_of(spec))
    lines += [f"*{origin_of(spec)}; family: {family} (`{spec.module}`)*", ""]
    return "\n".join(lines)


def render_reference() -> str:
    """The whole opcode reference: opcodes grouped by family, alphabetical inside each."""
    load_all()
    families: dict[str, list[OpcodeSpec]] = {}
    for spec in OPCODES.values():
        families.setdefault(family_of(spec), []).append(spec)
    order = list(FAMILY_TITLES) + sorted(set(families) - set(FAMILY_TITLES))
    parts = []
    for family in order:
        specs = families.get(family)
        if not specs:
            continue
        parts.append(f"## {FAMILY_TITLES.get(family, family.capitalize())}\n")
        parts.extend(render_entry(spec) for spec in sorted(specs, key=lambda s: s.name))
    return "\n".join(parts)


def status_rows() -> list[tuple[str, bool, str]]:
    """(opcode, implemented?, family) for each of SQLite 3.40's opcodes."""
    load_all()
    rows = []
    for name in SQLITE_OPCODES:
        spec = OPCODES.get(name)
        rows.append((name, spec is not None, family_of(spec) if spec else ""))
    return rows


def render_status() -> str:
    """Markdown tables of SQLite 3.40's opcodes, and of the later releases' additions,
    with which ones this VM implements."""
    rows = status_rows()
    done = sum(1 for _, ok, _ in rows if ok)
    lines = [
        f"{done} of SQLite 3.40's {len(rows)} opcodes are implemented.",
        "",
        "| opcode | status | family |",
        "| --- | --- | --- |",
    ]
    lines += _status_lines(rows)
    later = [
        (name, name in OPCODES, family_of(OPCODES[name]) if name in OPCODES else "")
        for name in LATER_OPCODES
    ]
    dropped = ", ".join(f"`{name}`" for name in DROPPED_LATER)
    lines += [
        "",
        f"Releases after 3.40, up to 3.54, add {len(later)} opcodes and drop {dropped}; "
        f"{sum(ok for _, ok, _ in later)} of the additions are implemented:",
        "",
        "| opcode | status | family |",
        "| --- | --- | --- |",
    ]
    lines += _status_lines(later)
    lines += ["", *_release_lines()]
    extensions = sorted(s.name for s in OPCODES.values() if s.extension)
    if extensions:
        lines += ["", "Extension opcodes: " + ", ".join(f"`{n}`" for n in extensions) + "."]
    return "\n".join(lines) + "\n"


def release_rows() -> list[tuple[str, int, list[str]]]:
    """(release, its opcode count, those this VM does not run) for 3.39 to 3.54."""
    load_all()
    rows = []
    for release in RELEASES:
        names = opcodes_of(release)
        missing = [name for name in names if name not in OPCODES]
        rows.append((f"{release[0]}.{release[1]}", len(names), missing))
    return rows


def _release_lines() -> list[str]:
    rows = release_rows()
    everywhere = set.intersection(*(set(missing) for _, _, missing in rows))
    common = ", ".join(f"`{name}`" for name in rows[0][2] if name in everywhere)
    lines = [
        "Release by release, the opcodes SQLite has and how many of them this VM runs"
        + (f" (in every release it leaves out {common})" if common else "")
        + ". Releases marked * were read from a build's own opcode table; the others "
        "follow SQLite's history of changes.",
        "",
        "| SQLite | opcodes | implemented | not implemented besides |",
        "| --- | --- | --- | --- |",
    ]
    for (release, count, missing), version in zip(rows, RELEASES, strict=True):
        mark = "*" if version in MEASURED else ""
        names = ", ".join(f"`{name}`" for name in missing if name not in everywhere)
        lines.append(f"| {release}{mark} | {count} | {count - len(missing)} | {names} |")
    return lines


def _status_lines(rows: list[tuple[str, bool, str]]) -> list[str]:
    return [
        f"| `{name}` | {_status(name, ok)} | {FAMILY_TITLES.get(family, family)} |"
        for name, ok, family in rows
    ]


def _status(name: str, ok: bool) -> str:
    """'implemented', 'not yet', or why an opcode is left out on purpose."""
    if ok:
        return "implemented"
    return f"left out: {LEFT_OUT[name]}" if name in LEFT_OUT else "not yet"
