"""The opcode reference, generated from the handlers' docstrings.

SQLite builds its public opcode page from the comments in front of each case of its
VDBE's dispatch; this module does the same from our handlers. `render_reference()` gives
one Markdown section per registered opcode (header, synopsis, description, family);
`render_status()` gives the table of SQLite 3.40's opcodes with what this VM implements.
The docs site calls both when it builds.
"""

from __future__ import annotations

from vdbe.opcodes import OPCODES, OpcodeSpec, load_all

# SQLite 3.40's opcodes in its own numbering order: name -> (header, synopsis).
# The synopsis is what SQLite builds with EXPLAIN comments put in the comment column.
SQLITE_OPCODES: dict[str, tuple[str, str]] = {
    "Savepoint": ("Savepoint P1 * * P4 *", ""),
    "AutoCommit": ("AutoCommit P1 P2 * * *", ""),
    "Transaction": ("Transaction P1 P2 P3 P4 P5", ""),
    "Checkpoint": ("Checkpoint P1 P2 P3 * *", ""),
    "JournalMode": ("JournalMode P1 P2 P3 * *", ""),
    "Vacuum": ("Vacuum P1 P2 * * *", ""),
    "VFilter": ("VFilter P1 P2 P3 P4 *", "iplan=r[P3] zplan='P4'"),
    "VUpdate": ("VUpdate P1 P2 P3 P4 P5", "data=r[P3@P2]"),
    "Init": ("Init P1 P2 P3 P4 *", "Start at P2"),
    "Goto": ("Goto * P2 * * *", ""),
    "Gosub": ("Gosub P1 P2 * * *", ""),
    "InitCoroutine": ("InitCoroutine P1 P2 P3 * *", ""),
    "Yield": ("Yield P1 P2 * * *", ""),
    "MustBeInt": ("MustBeInt P1 P2 * * *", ""),
    "Jump": ("Jump P1 P2 P3 * *", ""),
    "Once": ("Once P1 P2 * * *", ""),
    "If": ("If P1 P2 P3 * *", ""),
    "IfNot": ("IfNot P1 P2 P3 * *", ""),
    "IsType": ("IsType P1 P2 P3 P4 P5", "if typeof(P1.P3) in P5 goto P2"),
    "Not": ("Not P1 P2 * * *", "r[P2]= !r[P1]"),
    "IfNullRow": ("IfNullRow P1 P2 P3 * *", "if P1.nullRow then r[P3]=NULL, goto P2"),
    "SeekLT": ("SeekLT P1 P2 P3 P4 *", "key=r[P3@P4]"),
    "SeekLE": ("SeekLE P1 P2 P3 P4 *", "key=r[P3@P4]"),
    "SeekGE": ("SeekGE P1 P2 P3 P4 *", "key=r[P3@P4]"),
    "SeekGT": ("SeekGT P1 P2 P3 P4 *", "key=r[P3@P4]"),
    "IfNotOpen": ("IfNotOpen P1 P2 * * *", "if( !csr[P1] ) goto P2"),
    "IfNoHope": ("IfNoHope P1 P2 P3 P4 *", "key=r[P3@P4]"),
    "NoConflict": ("NoConflict P1 P2 P3 P4 *", "key=r[P3@P4]"),
    "NotFound": ("NotFound P1 P2 P3 P4 *", "key=r[P3@P4]"),
    "Found": ("Found P1 P2 P3 P4 *", "key=r[P3@P4]"),
    "SeekRowid": ("SeekRowid P1 P2 P3 * *", "intkey=r[P3]"),
    "NotExists": ("NotExists P1 P2 P3 * *", "intkey=r[P3]"),
    "Last": ("Last P1 P2 * * *", ""),
    "IfSmaller": ("IfSmaller P1 P2 P3 * *", ""),
    "SorterSort": ("SorterSort P1 P2 * * *", ""),
    "Sort": ("Sort P1 P2 * * *", ""),
    "Rewind": ("Rewind P1 P2 * * *", ""),
    "SorterNext": ("SorterNext P1 P2 * * P5", ""),
    "Prev": ("Prev P1 P2 P3 * P5", ""),
    "Next": ("Next P1 P2 P3 * P5", ""),
    "IdxLE": ("IdxLE P1 P2 P3 P4 *", "key=r[P3@P4]"),
    "IdxGT": ("IdxGT P1 P2 P3 P4 *", "key=r[P3@P4]"),
    "IdxLT": ("IdxLT P1 P2 P3 P4 *", "key=r[P3@P4]"),
    "Or": ("Or P1 P2 P3 * *", "r[P3]=(r[P1] || r[P2])"),
    "And": ("And P1 P2 P3 * *", "r[P3]=(r[P1] && r[P2])"),
    "IdxGE": ("IdxGE P1 P2 P3 P4 *", "key=r[P3@P4]"),
    "RowSetRead": ("RowSetRead P1 P2 P3 * *", "r[P3]=rowset(P1)"),
    "RowSetTest": ("RowSetTest P1 P2 P3 P4", "if r[P3] in rowset(P1) goto P2"),
    "Program": ("Program P1 P2 P3 P4 P5", ""),
    "FkIfZero": ("FkIfZero P1 P2 * * *", "if fkctr[P1]==0 goto P2"),
    "IsNull": ("IsNull P1 P2 * * *", "if r[P1]==NULL goto P2"),
    "NotNull": ("NotNull P1 P2 * * *", "if r[P1]!=NULL goto P2"),
    "Ne": ("Ne P1 P2 P3 P4 P5", "IF r[P3]!=r[P1]"),
    "Eq": ("Eq P1 P2 P3 P4 P5", "IF r[P3]==r[P1]"),
    "Gt": ("Gt P1 P2 P3 P4 P5", "IF r[P3]>r[P1]"),
    "Le": ("Le P1 P2 P3 P4 P5", "IF r[P3]<=r[P1]"),
    "Lt": ("Lt P1 P2 P3 P4 P5", "IF r[P3]<r[P1]"),
    "Ge": ("Ge P1 P2 P3 P4 P5", "IF r[P3]>=r[P1]"),
    "ElseEq": ("ElseEq * P2 * * *", ""),
    "IfPos": ("IfPos P1 P2 P3 * *", "if r[P1]>0 then r[P1]-=P3, goto P2"),
    "IfNotZero": ("IfNotZero P1 P2 * * *", "if r[P1]!=0 then r[P1]--, goto P2"),
    "DecrJumpZero": ("DecrJumpZero P1 P2 * * *", "if (--r[P1])==0 goto P2"),
    "IncrVacuum": ("IncrVacuum P1 P2 * * *", ""),
    "VNext": ("VNext P1 P2 * * *", ""),
    "Filter": ("Filter P1 P2 P3 P4 *", "if key(P3@P4) not in filter(P1) goto P2"),
    "PureFunc": ("PureFunc P1 P2 P3 P4 *", "r[P3]=func(r[P2@NP])"),
    "Function": ("Function P1 P2 P3 P4 *", "r[P3]=func(r[P2@NP])"),
    "Return": ("Return P1 P2 P3 * *", ""),
    "EndCoroutine": ("EndCoroutine P1 * * * *", ""),
    "HaltIfNull": ("HaltIfNull P1 P2 P3 P4 P5", "if r[P3]=null halt"),
    "Halt": ("Halt P1 P2 * P4 P5", ""),
    "Integer": ("Integer P1 P2 * * *", "r[P2]=P1"),
    "Int64": ("Int64 * P2 * P4 *", "r[P2]=P4"),
    "String": ("String P1 P2 P3 P4 P5", "r[P2]='P4' (len=P1)"),
    "BeginSubrtn": ("BeginSubrtn * P2 * * *", "r[P2]=NULL"),
    "Null": ("Null P1 P2 P3 * *", "r[P2..P3]=NULL"),
    "SoftNull": ("SoftNull P1 * * * *", "r[P1]=NULL"),
    "Blob": ("Blob P1 P2 * P4 *", "r[P2]=P4 (len=P1)"),
    "Variable": ("Variable P1 P2 * P4 *", "r[P2]=parameter(P1,P4)"),
    "Move": ("Move P1 P2 P3 * *", "r[P2@P3]=r[P1@P3]"),
    "Copy": ("Copy P1 P2 P3 * P5", "r[P2@P3+1]=r[P1@P3+1]"),
    "SCopy": ("SCopy P1 P2 * * *", "r[P2]=r[P1]"),
    "IntCopy": ("IntCopy P1 P2 * * *", "r[P2]=r[P1]"),
    "FkCheck": ("FkCheck * * * * *", ""),
    "ResultRow": ("ResultRow P1 P2 * * *", "output=r[P1@P2]"),
    "CollSeq": ("CollSeq P1 * * P4", ""),
    "AddImm": ("AddImm P1 P2 * * *", "r[P1]=r[P1]+P2"),
    "RealAffinity": ("RealAffinity P1 * * * *", ""),
    "Cast": ("Cast P1 P2 * * *", "affinity(r[P1])"),
    "Permutation": ("Permutation * * * P4 *", ""),
    "Compare": ("Compare P1 P2 P3 P4 P5", "r[P1@P3] <-> r[P2@P3]"),
    "IsTrue": ("IsTrue P1 P2 P3 P4 *", "r[P2] = coalesce(r[P1]==TRUE,P3) ^ P4"),
    "ZeroOrNull": ("ZeroOrNull P1 P2 P3 * *", "r[P2] = 0 OR NULL"),
    "Offset": ("Offset P1 P2 P3 * *", "r[P3] = sqlite_offset(P1)"),
    "Column": ("Column P1 P2 P3 P4 P5", "r[P3]=PX cursor P1 column P2"),
    "TypeCheck": ("TypeCheck P1 P2 P3 P4 *", "typecheck(r[P1@P2])"),
    "Affinity": ("Affinity P1 P2 * P4 *", "affinity(r[P1@P2])"),
    "MakeRecord": ("MakeRecord P1 P2 P3 P4 *", "r[P3]=mkrec(r[P1@P2])"),
    "Count": ("Count P1 P2 P3 * *", "r[P2]=count()"),
    "ReadCookie": ("ReadCookie P1 P2 P3 * *", ""),
    "SetCookie": ("SetCookie P1 P2 P3 * P5", ""),
    "ReopenIdx": ("ReopenIdx P1 P2 P3 P4 P5", "root=P2 iDb=P3"),
    "BitAnd": ("BitAnd P1 P2 P3 * *", "r[P3]=r[P1]&r[P2]"),
    "BitOr": ("BitOr P1 P2 P3 * *", "r[P3]=r[P1]|r[P2]"),
    "ShiftLeft": ("ShiftLeft P1 P2 P3 * *", "r[P3]=r[P2]<<r[P1]"),
    "ShiftRight": ("ShiftRight P1 P2 P3 * *", "r[P3]=r[P2]>>r[P1]"),
    "Add": ("Add P1 P2 P3 * *", "r[P3]=r[P1]+r[P2]"),
    "Subtract": ("Subtract P1 P2 P3 * *", "r[P3]=r[P2]-r[P1]"),
    "Multiply": ("Multiply P1 P2 P3 * *", "r[P3]=r[P1]*r[P2]"),
    "Divide": ("Divide P1 P2 P3 * *", "r[P3]=r[P2]/r[P1]"),
    "Remainder": ("Remainder P1 P2 P3 * *", "r[P3]=r[P2]%r[P1]"),
    "Concat": ("Concat P1 P2 P3 * *", "r[P3]=r[P2]+r[P1]"),
    "OpenRead": ("OpenRead P1 P2 P3 P4 P5", "root=P2 iDb=P3"),
    "OpenWrite": ("OpenWrite P1 P2 P3 P4 P5", "root=P2 iDb=P3"),
    "BitNot": ("BitNot P1 P2 * * *", "r[P2]= ~r[P1]"),
    "OpenDup": ("OpenDup P1 P2 * * *", ""),
    "OpenAutoindex": ("OpenAutoindex P1 P2 * P4 *", "nColumn=P2"),
    "String8": ("String8 * P2 * P4 *", "r[P2]='P4'"),
    "OpenEphemeral": ("OpenEphemeral P1 P2 P3 P4 P5", "nColumn=P2"),
    "SorterOpen": ("SorterOpen P1 P2 P3 P4 *", ""),
    "SequenceTest": ("SequenceTest P1 P2 * * *", "if( cursor[P1].ctr++ ) pc = P2"),
    "OpenPseudo": ("OpenPseudo P1 P2 P3 * *", "P3 columns in r[P2]"),
    "Close": ("Close P1 * * * *", ""),
    "ColumnsUsed": ("ColumnsUsed P1 * * P4 *", ""),
    "SeekScan": ("SeekScan P1 P2 * * P5", "Scan-ahead up to P1 rows"),
    "SeekHit": ("SeekHit P1 P2 P3 * *", "set P2<=seekHit<=P3"),
    "Sequence": ("Sequence P1 P2 * * *", "r[P2]=cursor[P1].ctr++"),
    "NewRowid": ("NewRowid P1 P2 P3 * *", "r[P2]=rowid"),
    "Insert": ("Insert P1 P2 P3 P4 P5", "intkey=r[P3] data=r[P2]"),
    "RowCell": ("RowCell P1 P2 P3 * *", ""),
    "Delete": ("Delete P1 P2 P3 P4 P5", ""),
    "ResetCount": ("ResetCount * * * * *", ""),
    "SorterCompare": ("SorterCompare P1 P2 P3 P4", "if key(P1)!=trim(r[P3],P4) goto P2"),
    "SorterData": ("SorterData P1 P2 P3 * *", "r[P2]=data"),
    "RowData": ("RowData P1 P2 P3 * *", "r[P2]=data"),
    "Rowid": ("Rowid P1 P2 * * *", "r[P2]=PX rowid of P1"),
    "NullRow": ("NullRow P1 * * * *", ""),
    "SeekEnd": ("SeekEnd P1 * * * *", ""),
    "IdxInsert": ("IdxInsert P1 P2 P3 P4 P5", "key=r[P2]"),
    "SorterInsert": ("SorterInsert P1 P2 * * *", "key=r[P2]"),
    "IdxDelete": ("IdxDelete P1 P2 P3 * P5", "key=r[P2@P3]"),
    "DeferredSeek": ("DeferredSeek P1 * P3 P4 *", "Move P3 to P1.rowid if needed"),
    "IdxRowid": ("IdxRowid P1 P2 * * *", "r[P2]=rowid"),
    "FinishSeek": ("FinishSeek P1 * * * *", ""),
    "Destroy": ("Destroy P1 P2 P3 * *", ""),
    "Clear": ("Clear P1 P2 P3", ""),
    "ResetSorter": ("ResetSorter P1 * * * *", ""),
    "CreateBtree": ("CreateBtree P1 P2 P3 * *", "r[P2]=root iDb=P1 flags=P3"),
    "SqlExec": ("SqlExec * * * P4 *", ""),
    "ParseSchema": ("ParseSchema P1 * * P4 *", ""),
    "LoadAnalysis": ("LoadAnalysis P1 * * * *", ""),
    "DropTable": ("DropTable P1 * * P4 *", ""),
    "DropIndex": ("DropIndex P1 * * P4 *", ""),
    "Real": ("Real * P2 * P4 *", "r[P2]=P4"),
    "DropTrigger": ("DropTrigger P1 * * P4 *", ""),
    "IntegrityCk": ("IntegrityCk P1 P2 P3 P4 P5", ""),
    "RowSetAdd": ("RowSetAdd P1 P2 * * *", "rowset(P1)=r[P2]"),
    "Param": ("Param P1 P2 * * *", ""),
    "FkCounter": ("FkCounter P1 P2 * * *", "fkctr[P1]+=P2"),
    "MemMax": ("MemMax P1 P2 * * *", "r[P1]=max(r[P1],r[P2])"),
    "OffsetLimit": (
        "OffsetLimit P1 P2 P3 * *",
        "if r[P1]>0 then r[P2]=r[P1]+max(0,r[P3]) else r[P2]=(-1)",
    ),
    "AggInverse": ("AggInverse * P2 P3 P4 P5", "accum=r[P3] inverse(r[P2@P5])"),
    "AggStep": ("AggStep * P2 P3 P4 P5", "accum=r[P3] step(r[P2@P5])"),
    "AggStep1": ("AggStep1 P1 P2 P3 P4 P5", "accum=r[P3] step(r[P2@P5])"),
    "AggValue": ("AggValue * P2 P3 P4 *", "r[P3]=value N=P2"),
    "AggFinal": ("AggFinal P1 P2 * P4 *", "accum=r[P1] N=P2"),
    "Expire": ("Expire P1 P2 * * *", ""),
    "CursorLock": ("CursorLock P1 * * * *", ""),
    "CursorUnlock": ("CursorUnlock P1 * * * *", ""),
    "TableLock": ("TableLock P1 P2 P3 P4 *", "iDb=P1 root=P2 write=P3"),
    "VBegin": ("VBegin * * * P4 *", ""),
    "VCreate": ("VCreate P1 P2 * * *", ""),
    "VDestroy": ("VDestroy P1 * * P4 *", ""),
    "VOpen": ("VOpen P1 * * P4 *", ""),
    "VInitIn": ("VInitIn P1 P2 P3 * *", "r[P2]=ValueList(P1,P3)"),
    "VColumn": ("VColumn P1 P2 P3 * P5", "r[P3]=vcolumn(P2)"),
    "VRename": ("VRename P1 * * P4 *", ""),
    "Pagecount": ("Pagecount P1 P2 * * *", ""),
    "MaxPgcnt": ("MaxPgcnt P1 P2 P3 * *", ""),
    "ClrSubtype": ("ClrSubtype P1 * * * *", "r[P1].subtype = 0"),
    "FilterAdd": ("FilterAdd P1 * P3 P4 *", "filter(P1) += key(P3@P4)"),
    "Trace": ("Trace P1 P2 * P4 *", ""),
    "CursorHint": ("CursorHint P1 * * P4 *", ""),
    "ReleaseReg": ("ReleaseReg P1 P2 P3 * P5", "release r[P1@P2] mask P3"),
    "Noop": ("Noop * * * * *", ""),
    "Explain": ("Explain P1 P2 P3 P4 *", ""),
    "Abortable": ("Abortable * * * * *", ""),
}

# What the releases after 3.40 (up to 3.54) changed in that list: the opcodes they added
# (name -> header, synopsis; a header left empty is not checked) and the ones they dropped.
LATER_OPCODES: dict[str, tuple[str, str]] = {
    "VCheck": ("", ""),
    "GetSubtype": ("GetSubtype P1 P2 * * *", "r[P2] = r[P1].subtype"),
    "SetSubtype": ("SetSubtype P1 P2 * * *", "r[P2].subtype = r[P1]"),
    "IfSizeBetween": ("", ""),
    "IfEmpty": ("IfEmpty P1 P2 * * *", "if( empty(P1) ) goto P2"),
    "IFindKey": ("", ""),
}
DROPPED_LATER = ("IfSmaller",)

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
    extensions = sorted(s.name for s in OPCODES.values() if s.extension)
    if extensions:
        lines += ["", "Extension opcodes: " + ", ".join(f"`{n}`" for n in extensions) + "."]
    return "\n".join(lines) + "\n"


def _status_lines(rows: list[tuple[str, bool, str]]) -> list[str]:
    return [
        f"| `{name}` | {'implemented' if ok else 'not yet'} | {FAMILY_TITLES.get(family, family)} |"
        for name, ok, family in rows
    ]
