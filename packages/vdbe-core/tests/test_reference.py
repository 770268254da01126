"""Every opcode has a handler, SQLite's header, its synopsis, and a reference entry."""

from __future__ import annotations

import pytest
from vdbe.opcodes import OPCODES, load_all, parse_docstring
from vdbe.reference import release_rows, render_entry, render_reference, render_status
from vdbe.sqlite_opcodes import LATER_OPCODES, SQLITE_OPCODES, opcodes_of

load_all()
SPECS = sorted(OPCODES.values(), key=lambda spec: spec.name)

STAGE_2A = [
    "Init",
    "Goto",
    "Halt",
    "HaltIfNull",
    "Noop",
    "Once",
    "Gosub",
    "Return",
    "InitCoroutine",
    "Yield",
    "EndCoroutine",
    "If",
    "IfNot",
    "IfPos",
    "IfNotZero",
    "DecrJumpZero",
    "Jump",
    "Integer",
    "Int64",
    "Real",
    "String8",
    "String",
    "Null",
    "SoftNull",
    "Blob",
    "Variable",
    "Copy",
    "SCopy",
    "IntCopy",
    "Move",
    "Add",
    "Subtract",
    "Multiply",
    "Divide",
    "Remainder",
    "Concat",
    "BitAnd",
    "BitOr",
    "ShiftLeft",
    "ShiftRight",
    "BitNot",
    "AddImm",
    "Not",
    "Eq",
    "Ne",
    "Lt",
    "Le",
    "Gt",
    "Ge",
    "IsNull",
    "NotNull",
    "IsTrue",
    "Compare",
    "Cast",
    "Affinity",
    "RealAffinity",
    "MustBeInt",
    "ResultRow",
    "Function",
    "PureFunc",
    "AggStep",
    "AggFinal",
    "AggValue",
    "AggInverse",
]


def test_every_stage_2a_opcode_is_implemented():
    missing = [name for name in STAGE_2A if name not in OPCODES]
    assert missing == []


@pytest.mark.parametrize("spec", SPECS, ids=[spec.name for spec in SPECS])
def test_opcode_is_documented(spec):
    assert callable(spec.handler)
    assert spec.header.split()[0] == spec.name
    assert len(spec.doc.split()) >= 5, "a few words of explanation at least"
    if spec.extension is None:
        known = SQLITE_OPCODES | LATER_OPCODES
        assert spec.name in known, "not one of SQLite's opcodes from 3.40 to the newest"
        header, synopsis = known[spec.name]
        assert _operands(spec.header) == _operands(header) or not header
        assert spec.synopsis == synopsis, "the synopsis must be SQLite's"
    entry = render_entry(spec)
    assert f"### {spec.name}" in entry and spec.header in entry


def _operands(header: str) -> list[str]:
    """The five operand slots of a header (SQLite omits trailing `*` in a few)."""
    return (header.split()[1:] + ["*"] * 5)[:5]


def test_reference_lists_every_opcode():
    text = render_reference()
    for spec in SPECS:
        assert f"### {spec.name}\n" in text


def test_status_page_counts_the_implemented_opcodes():
    text = render_status()
    implemented = sum(1 for name in SQLITE_OPCODES if name in OPCODES)
    assert text.startswith(f"{implemented} of SQLite 3.40's {len(SQLITE_OPCODES)} opcodes")
    assert "| `Add` | implemented |" in text
    assert "| `IfEmpty` | implemented |" in text.split("Releases after 3.40")[1]


def test_each_release_has_its_own_opcodes():
    assert opcodes_of((3, 40)) == list(SQLITE_OPCODES)
    assert "BeginSubrtn" not in opcodes_of((3, 39))
    newest = opcodes_of((3, 54))
    assert {"IfEmpty", "IFindKey", "IfSizeBetween"} <= set(newest)
    assert not {"IfSmaller", "IfNotOpen"} & set(newest)
    assert "IfNotOpen" in opcodes_of((3, 53)) and "IFindKey" not in opcodes_of((3, 52))


def test_status_page_has_a_row_per_release_from_3_39_to_3_54():
    text = render_status()
    for release, count, missing in release_rows():
        row = next(line for line in text.splitlines() if line.startswith(f"| {release}"))
        assert f"| {count} | {count - len(missing)} |" in row
    assert "| 3.51* | 191 | " in text  # IfEmpty arrived, measured in pysqlite3's build


def test_docstring_parser_splits_header_synopsis_and_prose():
    doc = """Add P1 P2 P3 * *

    Synopsis: r[P3]=r[P1]+r[P2]

    Adds.
    """
    assert parse_docstring("Add", doc) == ("Add P1 P2 P3 * *", "r[P3]=r[P1]+r[P2]", "Adds.")
    with pytest.raises(ValueError):
        parse_docstring("Add", "Sub P1 P2 P3 * *")


def test_every_opcode_family_module_is_loaded_and_exists():
    from pathlib import Path

    import vdbe.opcodes as registry

    modules = {p.stem for p in Path(registry.__file__).parent.glob("*.py")} - {"__init__"}
    assert set(registry.FAMILY_MODULES) == modules
    families = {spec.module.rsplit(".", 1)[-1] for spec in OPCODES.values() if not spec.extension}
    assert families <= modules


def test_a_family_module_that_is_missing_is_an_error(monkeypatch):
    import vdbe.opcodes as registry

    monkeypatch.setattr(registry, "FAMILY_MODULES", (*registry.FAMILY_MODULES, "no_such_family"))
    monkeypatch.setattr(registry, "_LOADED", False)
    with pytest.raises(ModuleNotFoundError, match="no_such_family"):
        registry.load_all()
