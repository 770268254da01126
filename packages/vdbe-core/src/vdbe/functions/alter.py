"""The functions ALTER TABLE's programs call to rewrite the schema's SQL text.

SQLite compiles `ALTER TABLE t RENAME TO u` into a loop over `sqlite_schema` that
replaces each row's `sql` by `sqlite_rename_table(..., sql, 't', 'u', ...)`. These
functions edit the CREATE statements token by token (see `vdbe.sqltokens`), changing
only the tokens that name the table or column and keeping every other byte:

    sqlite_rename_table     RENAME TO: the table's name wherever a statement uses it
    sqlite_rename_column    RENAME COLUMN: the column's name in its table, the indexes
                            on it, the foreign keys that point at it, and views
    sqlite_drop_column      DROP COLUMN: the column's definition cut out of CREATE TABLE
    sqlite_rename_test      does a schema statement still compile? (an error if not)
    sqlite_rename_quotefix  a statement with its double-quoted strings made single-quoted
                            (DROP COLUMN and RENAME COLUMN call it first)

A replaced name is written as SQLite writes it: a new table name always in double
quotes; a new column name bare where the old one was bare and the new one was written
bare in the ALTER statement, in double quotes otherwise.
"""

from __future__ import annotations

import contextlib
import re

from vdbe.errors import SqlError
from vdbe.functions import namescopes as scopes
from vdbe.sqltokens import Token, is_id_char, quote_identifier, tokenize, words
from vdbe.values import Value

# Words that start a table constraint in CREATE TABLE, and a column's constraints.
_TABLE_CONSTRAINTS = {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"}
_COLUMN_CONSTRAINTS = _TABLE_CONSTRAINTS - {"FOREIGN"} | {
    "NOT",
    "NULL",
    "DEFAULT",
    "COLLATE",
    "REFERENCES",
    "GENERATED",
    "AS",
}


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.lower() == b.lower()


def _word(token: Token) -> str:
    return token.text.upper() if token.kind == "id" and not token.quoted else ""


# ------------------------------------------------------------------ the CREATE statement


class Statement:
    """A CREATE statement's tokens and the parts ALTER TABLE needs to find."""

    def __init__(self, sql: str) -> None:
        self.sql = sql
        self.tokens = words(tokenize(sql))
        upper = [_word(t) for t in self.tokens[:6]]
        kinds = [w for w in upper if w in ("TABLE", "INDEX", "VIEW", "TRIGGER")]
        self.kind = kinds[0].lower() if kinds else ""

    def name_token(self) -> Token | None:
        """The token naming the created object (after any IF NOT EXISTS and schema)."""
        at = next((i for i, t in enumerate(self.tokens) if _word(t) == self.kind.upper()), None)
        if at is None:
            return None
        at += 1
        if [_word(t) for t in self.tokens[at : at + 3]] == ["IF", "NOT", "EXISTS"]:
            at += 3
        if at + 1 < len(self.tokens) and self.tokens[at + 1].text == ".":
            at += 2
        return self.tokens[at] if at < len(self.tokens) else None

    def body(self) -> tuple[int, int] | None:
        """(index of '(' , index of its ')') of a CREATE TABLE's column list."""
        name = self.name_token()
        if name is None:
            return None
        at = self.tokens.index(name) + 1
        if at >= len(self.tokens) or self.tokens[at].text != "(":
            return None  # CREATE TABLE ... AS SELECT
        return at, _closing(self.tokens, at)

    def definitions(self) -> list[list[Token]]:
        """The column definitions and table constraints of a CREATE TABLE, in order."""
        body = self.body()
        if body is None:
            return []
        parts: list[list[Token]] = [[]]
        depth = 0
        for token in self.tokens[body[0] + 1 : body[1]]:
            if token.text == "(":
                depth += 1
            elif token.text == ")":
                depth -= 1
            elif token.text == "," and depth == 0:
                parts.append([])
                continue
            parts[-1].append(token)
        return [p for p in parts if p]

    def columns(self) -> list[list[Token]]:
        """The column definitions (the first token of each is the column's name)."""
        return [d for d in self.definitions() if _word(d[0]) not in _TABLE_CONSTRAINTS]

    def column_names(self) -> list[str]:
        return [d[0].name for d in self.columns()]


def _closing(tokens: list[Token], open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(tokens)):
        if tokens[i].text == "(":
            depth += 1
        elif tokens[i].text == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(tokens) - 1


# --------------------------------------------------------------------------- finding


def _expression_names(tokens: list[Token], column: str, table: str | None) -> list[Token]:
    """Identifiers in an expression that name `column` (bare, or qualified by `table`).

    Function names, collation names and the qualifiers themselves are left alone.
    """
    found = []
    for i, token in enumerate(tokens):
        if token.kind != "id" or not _same(token.name, column):
            continue
        after = tokens[i + 1].text if i + 1 < len(tokens) else ""
        before = tokens[i - 1] if i > 0 else None
        if after in ("(", "."):
            continue
        if before is not None and _word(before) == "COLLATE":
            continue
        if before is not None and before.text == ".":
            qualifier = tokens[i - 2] if i > 1 else None
            if qualifier is None or table is None or not _same(qualifier.name, table):
                continue
        found.append(token)
    return found


def _references(tokens: list[Token]) -> list[tuple[Token, list[Token]]]:
    """(parent table token, parent column tokens) of each REFERENCES clause."""
    found = []
    for i, token in enumerate(tokens):
        if _word(token) != "REFERENCES" or i + 1 >= len(tokens):
            continue
        parent = tokens[i + 1]
        columns: list[Token] = []
        if i + 2 < len(tokens) and tokens[i + 2].text == "(":
            end = _closing(tokens, i + 2)
            columns = [t for t in tokens[i + 3 : end] if t.kind == "id"]
        found.append((parent, columns))
    return found


def _table_column_tokens(stmt: Statement, table: str, column: str) -> list[Token]:
    """In a CREATE TABLE: the tokens naming `column` of `table` (its own or a parent)."""
    found: list[Token] = []
    own = _same(stmt.name_token().name, table)
    for definition in stmt.definitions():
        head = _word(definition[0])
        is_column = head not in _TABLE_CONSTRAINTS
        references = _references(definition)
        for parent, columns in references:
            if _same(parent.name, table):
                found += [t for t in columns if _same(t.name, column)]
        if not own:
            continue
        if is_column and _same(definition[0].name, column):
            found.append(definition[0])
        stop = len(definition)
        if references:
            stop = definition.index(next(t for t in definition if _word(t) == "REFERENCES"))
        rest = definition[1:stop] if is_column else definition[:stop]
        found += _expression_names(_without_type(rest) if is_column else rest, column, table)
    return found


def _without_type(tokens: list[Token]) -> list[Token]:
    """A column definition's constraints: its declared type (the first words) dropped."""
    for i, token in enumerate(tokens):
        if _word(token) in _COLUMN_CONSTRAINTS:
            return tokens[i:]
    return []


def _index_column_tokens(stmt: Statement, table: str, column: str) -> list[Token]:
    tokens = stmt.tokens
    on = next((i for i, t in enumerate(tokens) if _word(t) == "ON"), None)
    if on is None or on + 1 >= len(tokens) or not _same(tokens[on + 1].name, table):
        return []
    rest = tokens[on + 2 :]
    return [t for t in _expression_names(rest, column, table) if _word(t) not in ("ASC", "DESC")]


def _trigger_column_tokens(stmt: Statement, table: str, column: str) -> list[Token]:
    """In a trigger: `new.column` and `old.column` when it fires on `table`, its UPDATE OF
    list, and the column lists and upserts of the body's INSERT INTO table statements."""
    tokens = stmt.tokens
    on = next((i for i, t in enumerate(tokens) if _word(t) == "ON"), len(tokens) - 1)
    fires_on_table = on + 1 < len(tokens) and _same(tokens[on + 1].name, table)
    found = []
    for i, token in enumerate(tokens):
        row = i >= 2 and tokens[i - 1].text == "." and _word(tokens[i - 2]) in ("NEW", "OLD")
        if row and fires_on_table and _same(token.name, column):
            found.append(token)
    begin = next((i for i, t in enumerate(tokens) if _word(t) == "BEGIN"), len(tokens))
    if fires_on_table:  # UPDATE OF names its columns
        of = next((i for i, t in enumerate(tokens[:on]) if _word(t) == "OF"), on)
        found += [t for t in tokens[of + 1 : on] if _same(t.name, column)]
    for body in _statements(tokens[begin + 1 :]):
        found += _body_column_tokens(body, table, column)
    return found


def _statements(tokens: list[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    for token in tokens:
        if token.text == ";":
            parts.append([])
        elif _word(token) != "END" or parts[-1]:
            parts[-1].append(token)
    return [p for p in parts if p]


def _body_column_tokens(body: list[Token], table: str, column: str) -> list[Token]:
    """In one statement of a trigger's body that inserts into `table`: the column in its
    column list and its upsert clause. (Names in expressions are the compiler's.)"""
    if not body or _word(body[0]) not in ("INSERT", "REPLACE"):
        return []
    into = next((i for i, t in enumerate(body[:6]) if _word(t) == "INTO"), None)
    if into is None or into + 1 >= len(body):
        return []
    at = into + 3 if into + 2 < len(body) and body[into + 2].text == "." else into + 1
    if at >= len(body) or not _same(body[at].name, table):
        return []
    found = []
    if at + 1 < len(body) and body[at + 1].text == "(":
        found = [t for t in body[at + 2 : _closing(body, at + 1)] if _same(t.name, column)]
    return found + _upsert_column_tokens(body, table, column)


def _excluded_qualifiers(stmt: Statement, table: str) -> list[Token]:
    """In a trigger's upserts into `table`: the `excluded` of `excluded.column`, which
    SQLite resolves to the table itself and so renames with it."""
    if stmt.kind != "trigger":
        return []
    found = []
    begin = next((i for i, t in enumerate(stmt.tokens) if _word(t) == "BEGIN"), len(stmt.tokens))
    for body in _statements(stmt.tokens[begin + 1 :]):
        upper = [_word(t) for t in body]
        into = upper.index("INTO") if "INTO" in upper[:4] else None
        if into is None or into + 1 >= len(body) or not _same(body[into + 1].name, table):
            continue
        update = next(
            (i for i in range(len(body) - 1) if upper[i : i + 2] == ["DO", "UPDATE"]), None
        )
        if update is None:
            continue
        found += [
            t
            for i, t in enumerate(body)
            if i > update
            and upper[i] == "EXCLUDED"
            and i + 1 < len(body)
            and body[i + 1].text == "."
        ]
    return found


def _upsert_column_tokens(body: list[Token], table: str, column: str) -> list[Token]:
    """In an INSERT's upsert clause: `column` in the ON CONFLICT target, and bare, as
    `excluded.column` or qualified by `table` in DO UPDATE SET."""
    found = []
    upper = [_word(t) for t in body]
    for i in range(len(body) - 2):
        if upper[i : i + 2] == ["ON", "CONFLICT"] and body[i + 2].text == "(":
            target = body[i + 3 : _closing(body, i + 2)]
            found += [t for t in target if _same(t.name, column)]
        elif upper[i : i + 2] == ["DO", "UPDATE"]:
            rest = body[i + 2 :]
            found += _expression_names(rest, column, table)
            found += [
                t
                for j, t in enumerate(rest)
                if j >= 2
                and rest[j - 1].text == "."
                and upper[i + j] == "EXCLUDED"
                and _same(t.name, column)
            ]
    return found


_FROM_ENDS = {"WHERE", "GROUP", "ORDER", "LIMIT", "HAVING", "WINDOW", "UNION", "EXCEPT"}
_FROM_ENDS |= {"INTERSECT", "SELECT", "VALUES", "SET", "BEGIN", "END"}


def _table_uses(tokens: list[Token], table: str) -> list[Token]:
    """In a view or trigger: the tokens naming `table` as a table (FROM and JOIN items,
    INSERT INTO, UPDATE, DELETE FROM, a trigger's ON) or as a column qualifier."""
    found = []
    in_from = False
    for i, token in enumerate(tokens):
        word = _word(token)
        if word in ("FROM", "JOIN", "INTO", "UPDATE"):
            in_from = word in ("FROM", "JOIN")
        elif word in _FROM_ENDS:
            in_from = False
        if token.kind != "id" or not _same(token.name, table):
            continue
        before = tokens[i - 1] if i else None
        after = tokens[i + 1].text if i + 1 < len(tokens) else ""
        previous = _word(before) if before is not None else ""
        qualifier = after == "." and (before is None or before.text != ".")
        named_table = previous in ("FROM", "JOIN", "INTO", "UPDATE", "ON", "TABLE")
        listed = in_from and before is not None and before.text == ","
        if qualifier or named_table or listed:
            found.append(token)
    return found


# --------------------------------------------------------------------------- editing


# --8<-- [start:edit]
def _edit(sql: str, tokens: list[Token], replacement) -> str:
    """`sql` with each of `tokens` replaced by `replacement(token)`."""
    out, pos = [], 0
    for token in sorted(set(tokens), key=lambda t: t.start):
        out += [sql[pos : token.start], replacement(token)]
        pos = token.end
    out.append(sql[pos:])
    return "".join(out)


def _quoted_after(sql: str, token: Token, quoted: str) -> str:
    """SQLite's quoted replacement: a space follows it when a quote would come next."""
    return quoted + " " if sql[token.end : token.end + 1] == '"' else quoted


def sqlite_rename_table(
    db: Value, kind: Value, name: Value, sql: Value, old: Value, new: Value, temp: Value
) -> Value:
    """The schema statement `sql` with table `old` renamed to `new`."""
    if sql is None or old is None or new is None:
        return sql
    stmt = Statement(sql)
    if stmt.kind == "table":
        found = [stmt.name_token()] if _same(stmt.name_token().name, old) else []
        found += [p for d in stmt.definitions() for p, _ in _references(d) if _same(p.name, old)]
    elif stmt.kind == "index":
        on = next(i for i, t in enumerate(stmt.tokens) if _word(t) == "ON")
        target = stmt.tokens[on + 1]
        found = [target] if _same(target.name, old) else []
    else:
        found = _table_uses(stmt.tokens, old) + _excluded_qualifiers(stmt, old)
    quoted = quote_identifier(new)
    return _edit(sql, found, lambda t: _quoted_after(sql, t, quoted))


# --8<-- [end:edit]


def sqlite_rename_column(
    sql: Value,
    kind: Value,
    name: Value,
    db: Value,
    table: Value,
    column_index: Value,
    new: Value,
    new_was_quoted: Value,
    temp: Value,
    *,
    vm=None,
) -> Value:
    """The schema statement `sql` with column number `column_index` of `table` renamed."""
    if sql is None or table is None or new is None:
        return sql
    column = _column_name(vm, table, int(column_index))
    if vm is not None:
        _rename_scratch(vm, table, column)  # now, while every row is as it was
        _rename_scratch(vm, table, column, swapped=True)
    stmt = Statement(sql)
    if stmt.kind == "table":
        found = _table_column_tokens(stmt, table, column)
    elif stmt.kind == "index":
        found = _index_column_tokens(stmt, table, column)
    elif stmt.kind == "trigger":
        found = _trigger_column_tokens(stmt, table, column)
        found += _resolved_column_tokens(vm, stmt, table, column)
    else:
        found = _resolved_column_tokens(vm, stmt, table, column)
    quoted = quote_identifier(new)

    def replacement(token: Token) -> str:
        if not new_was_quoted and is_id_char(token.text[0]):
            return new
        return _quoted_after(sql, token, quoted)

    return _edit(sql, found, replacement)


# --8<-- [start:resolved]
def _resolved_column_tokens(vm, stmt: Statement, table: str, column: str) -> list[Token]:
    """In a view or trigger: the tokens naming `column` that SQLite resolves to that
    column of `table`, wherever they are (behind an alias, in a subquery...).

    SQLite finds them by resolving every name of the statement. Here the compiler does
    the resolving: in a scratch copy of the schema where `table` has one more column,
    each candidate token in turn is replaced by that column's name, and the statement
    compiled. If it still compiles, the token can reach the table's column. Three of
    SQLite's rules decide the rest: a name that can be spelled anyhow is an alias being
    defined, not a use; a bare ORDER BY term is first an alias; and a bare name belongs
    to the innermost SELECT whose FROM clause has such a column.
    """
    scratch = _rename_scratch(vm, table, column) if vm is not None else None
    if scratch is None:
        return []
    if _problem(scratch, stmt.sql) is not None:  # one more column breaks a SELECT *
        return _renamed_together(vm, stmt, table, column)
    tokens = stmt.tokens

    def problem_as(i: int, name: str) -> str | None:
        """The compiler's error with token i (and the compound ORDER BY terms that
        match it) spelled `name`, or None."""
        together = [tokens[j] for j in [i, *_matching_order_by(tokens, i, candidates)]]
        return _problem(scratch, _edit(stmt.sql, together, lambda _: name))

    def is_name(i: int) -> bool:
        """Is token i resolved as a name? (Spelled as one that nothing has, the error
        names it; an alias being defined can be spelled anyhow.)"""
        return _NO_SUCH_NAME in (problem_as(i, _NO_SUCH_NAME) or "")

    def reaches_column(i: int) -> bool:
        """Spelled as the scratch column, does token i resolve? (It may break a name
        elsewhere that used it, as the rename itself would: SQLite renames it then.)"""
        problem = problem_as(i, _PROBE_COLUMN)
        return problem is None or _PROBE_COLUMN not in problem

    candidates = _candidates(stmt, column)
    named = _from_item_names(tokens)
    aliases = {
        i
        for i in candidates
        if _names_no_column(tokens, i, named)
        or (not _compound_order_by(tokens, i) and not is_name(i))
    }

    uses = [i for i in candidates if i not in aliases and not _order_by_alias(tokens, i, aliases)]
    found = [
        i
        for i in uses
        if not _compound_order_by(tokens, i)
        and not _shadowed(scratch, stmt, i, table, column)
        and reaches_column(i)
    ]
    found += [i for i in uses if _compound_term_renamed(tokens, i, found)]
    return [tokens[i] for i in found]


# --8<-- [end:resolved]


def _renamed_together(vm, stmt: Statement, table: str, column: str) -> list[Token]:
    """The uses of the column where the statement cannot be compiled with one more
    column in `table` (a compound `SELECT *` whose arms must match): in a scratch
    schema where the column itself has the probe's name, the bare names that no nearer
    SELECT claims, all renamed at once, if the statement then compiles."""
    tokens = stmt.tokens
    scratch = _rename_scratch(vm, table, column, swapped=True)
    named = _from_item_names(tokens)
    found = [
        i
        for i in _candidates(stmt, column)
        if not _names_no_column(tokens, i, named) and not _shadowed(scratch, stmt, i, table, column)
    ]
    renamed = _edit(stmt.sql, [tokens[i] for i in found], lambda _: _PROBE_COLUMN)
    return [tokens[i] for i in found] if _problem(scratch, renamed) is None else []


def _candidates(stmt: Statement, column: str) -> list[int]:
    """Where the body of a view or trigger spells the column's name, not as a function."""
    tokens, start = stmt.tokens, _body_start(stmt)
    return [
        i
        for i, t in enumerate(tokens)
        if i >= start
        and t.kind == "id"
        and _same(t.name, column)
        and (i + 1 == len(tokens) or tokens[i + 1].text != "(")
    ]


def _names_no_column(tokens: list[Token], at: int, from_items: set[int]) -> bool:
    """Is the token at `at` an alias after AS, or a FROM item's name or alias?"""
    return _word(tokens[at - 1]) == "AS" or at in from_items or at - 1 in from_items


def _from_item_names(tokens: list[Token]) -> set[int]:
    """Where the FROM items of every SELECT are named or end (a name right after one is
    its alias): table names there are not column names."""
    return {
        i
        for core in scopes.cores(tokens)
        for _, first, last in scopes.from_items(tokens, core)
        for i in (first, last)
    }


def _shadowed(scratch, stmt: Statement, at: int, table: str, column: str) -> bool:
    """Does the bare name at `at` belong to a SELECT nearer than the one reading
    `table`, one whose FROM clause has another table with a column of that name?"""
    tokens = stmt.tokens
    if tokens[at - 1].text == ".":
        return False  # qualified: the qualifier says whose column it is
    for core in scopes.enclosing(tokens, at):
        items = scopes.from_items(tokens, core)
        if any(kind == "table" and _same(tokens[i].name, table) for kind, i, _ in items):
            return False
        if any(column.lower() in _item_columns(scratch, stmt, item) for item in items):
            return True
    return False


def _item_columns(scratch, stmt: Statement, item: tuple[str, int, int]) -> set[str]:
    """The column names (in lower case) of a FROM item, as the scratch schema has them."""
    from vdbe.sqlite_library import sqlite3

    kind, first, last = item
    tokens = stmt.tokens
    try:
        if kind == "table":
            rows = scratch.execute(f"PRAGMA table_info({quote_identifier(tokens[first].name)})")
            return {row[1].lower() for row in rows}
        query = stmt.sql[tokens[first].start : tokens[last - 1].end]
        described = scratch.execute(f"SELECT * FROM ({query}) LIMIT 0").description
        return {d[0].lower() for d in described}
    except sqlite3.Error:
        return set()  # a correlated subquery: its columns cannot be asked for alone


def _order_by_alias(tokens: list[Token], at: int, aliases: set[int]) -> bool:
    """Is the token at `at` a bare ORDER BY term naming an alias of its SELECT's result
    columns? SQLite tries aliases first there."""
    if not scopes.order_by_term(tokens, at):
        return False
    if _compound_order_by(tokens, at):
        return _compound_match(tokens, at) == _ALIAS
    begin, end = scopes.result_list(tokens, scopes.enclosing(tokens, at)[0])
    return any(begin <= i < end for i in aliases)


def _compound_order_by(tokens: list[Token], at: int) -> list[scopes.Core]:
    """The SELECTs of the compound SELECT whose ORDER BY has the bare term at `at`, in
    order ([] if there is no such term)."""
    if not scopes.order_by_term(tokens, at):
        return []
    core = scopes.enclosing(tokens, at)[0]
    if not core.compound:
        return []
    return [c for c in scopes.cores(tokens) if c.compound and c.first == core.first]


_ALIAS = -1


def _compound_match(tokens: list[Token], at: int) -> int | None:
    """What a compound SELECT's bare ORDER BY term at `at` names: it is not resolved as
    a name but matched against the result columns, of the first SELECT, then of the
    next... The token of the result column it matches, _ALIAS if that column is an
    alias of the same name, None if none matches."""
    for core in _compound_order_by(tokens, at):
        begin, end = scopes.result_list(tokens, core)
        for i in range(begin, end):
            if tokens[i].kind != "id" or not _same(tokens[i].name, tokens[at].name):
                continue
            before = tokens[i - 2] if tokens[i - 1].text == "." else tokens[i - 1]
            whole_item = (
                _word(before) in ("SELECT", "DISTINCT", "ALL") or before.text == ","
            ) and (i + 1 == end or tokens[i + 1].text == ",")
            if whole_item:
                return i
            if i + 1 == end or tokens[i + 1].text == ",":
                return _ALIAS  # `x AS b` or `x b`
    return None


def _matching_order_by(tokens: list[Token], at: int, candidates: list[int]) -> list[int]:
    """The bare terms of a compound SELECT's ORDER BY that match the result column that
    the token at `at` is."""
    return [i for i in candidates if i > at and _compound_match(tokens, i) == at]


def _compound_term_renamed(tokens: list[Token], at: int, found: list[int]) -> bool:
    """Is the compound ORDER BY term at `at` renamed? With the result column it matches."""
    return bool(_compound_order_by(tokens, at)) and _compound_match(tokens, at) in found


_PROBE_COLUMN = "vdbe_renamed_column"
_NO_SUCH_NAME = "vdbe_no_such_name"


def _rename_scratch(vm, table: str, column: str, *, swapped: bool = False):
    """A scratch schema for one RENAME COLUMN statement, made at the first call, before
    the program has rewritten any row: with the probe column added to `table`, or
    `swapped`, with the column itself called by the probe's name."""
    scratches = getattr(vm, "rename_scratches", None)
    if scratches is None:
        scratches = vm.rename_scratches = {}
    key = (table.lower(), column.lower(), swapped)
    if key not in scratches:
        from vdbe.sqlite_library import sqlite3

        scratch = _schema_copy(vm, None, renamed=(table, column) if swapped else None)
        try:
            if not swapped:
                table_name = quote_identifier(table)
                scratch.execute(f"ALTER TABLE {table_name} ADD COLUMN {_PROBE_COLUMN}")
        except sqlite3.Error:
            scratch.close()
            scratch = None
        scratches[key] = scratch
    return scratches[key]


def _body_start(stmt: Statement) -> int:
    """Where the part of a view or trigger that uses names begins: after a view's AS,
    after the table a trigger is ON (the WHEN clause and the body)."""
    word = "AS" if stmt.kind == "view" else "ON"
    at = next((i for i, t in enumerate(stmt.tokens) if _word(t) == word), len(stmt.tokens))
    return at + (1 if stmt.kind == "view" else 2)


def _column_name(vm, table: str, index: int) -> str:
    """The name column `index` of `table` has before the ALTER statement changes it.

    The program rewrites the table's own statement during the loop, so the first call
    reads the name from the file and later calls of the same statement reuse it.
    """
    names = getattr(vm, "columns_before_alter", None)
    if names is None:
        names = vm.columns_before_alter = {}
    key = (table.lower(), index)
    if key not in names:
        for kind, name, sql in _schema_rows(vm):
            if kind == "table" and _same(name, table):
                names[key] = Statement(sql).column_names()[index]
    return names[key]


def _schema_rows(vm) -> list[tuple]:
    """(type, name, sql) of every row of the VM's sqlite_schema, in rowid order."""
    rows = []
    cursor = vm.db.cursor(1)
    ok = cursor.first()
    while ok:
        rows.append((cursor.column(0), cursor.column(1), cursor.column(4)))
        ok = cursor.next()
    return rows


# --8<-- [start:drop_column]
def sqlite_drop_column(schema: Value, sql: Value, column_index: Value) -> Value:
    """CREATE TABLE `sql` without column number `column_index`.

    The text from the column's name to the next column's name goes; for the last
    column, from the comma before it to the end of the column list.
    """
    stmt = Statement(sql)
    columns = stmt.columns()
    index = int(column_index)
    start = columns[index][0].start
    if index + 1 < len(columns):
        return sql[:start] + sql[columns[index + 1][0].start :]
    comma = sql.rindex(",", 0, start)
    return sql[:comma] + sql[_end_of_columns(stmt) :]


# --8<-- [end:drop_column]


def _end_of_columns(stmt: Statement) -> int:
    """Where a new column would go: the comma before the first table constraint, or ')'."""
    definitions = stmt.definitions()
    first_constraint = next(
        (d for d in definitions if _word(d[0]) in _TABLE_CONSTRAINTS and d is not definitions[0]),
        None,
    )
    open_at, close_at = stmt.body()
    if first_constraint is None:
        return stmt.tokens[close_at].start
    return stmt.sql.rindex(",", 0, first_constraint[0].start)


def sqlite_rename_test(
    db: Value,
    sql: Value,
    kind: Value,
    name: Value,
    temp: Value,
    when: Value,
    no_dqs: Value,
    *,
    vm=None,
) -> Value:
    """NULL when the schema statement `sql` still compiles against the schema as the
    ALTER statement has left it; otherwise the error, naming the object."""
    if sql is None or vm is None or vm.db is None:
        return None
    when_text = f" {when}" if when else ""
    if when == "after drop column" and not getattr(vm, "indexes_reloaded", False):
        # SQLite reloads its schema before this test, and loading compiles every
        # CREATE TABLE and CREATE INDEX: an index on the dropped column fails there,
        # before any view or trigger is looked at
        vm.indexes_reloaded = True
        for row_kind, row_name, row_sql in _schema_rows(vm):
            loaded = row_kind in ("table", "index") and row_sql
            problem = _compile_problem(vm, row_sql) if loaded else None
            if problem is not None and not str(row_name).startswith("sqlite_"):
                raise SqlError(f"error in {row_kind} {row_name}{when_text}: {problem}")
    problem = _compile_problem(vm, sql)
    if problem is None:
        return None
    raise SqlError(f"error in {kind} {name}{when_text}: {problem}")


def _compile_problem(vm, sql: str) -> str | None:
    """What real SQLite (the compiler) says of `sql` in a copy of the schema, or None."""
    schema = _schema_copy(vm, sql)
    try:
        return _problem(schema, sql)
    finally:
        schema.close()


def _schema_copy(vm, leave_out: str, renamed: tuple[str, str] | None = None):
    """A scratch SQLite database in memory holding the VM's tables and views, all but
    `leave_out` (the statement about to be compiled there); with `renamed` (table,
    column), that column of that table is called by the probe's name."""
    from vdbe.sqlite_library import sqlite3  # the compiler; absent where none is installed

    schema = sqlite3.connect(":memory:", isolation_level=None)
    rows = [r for r in _schema_rows(vm) if r[2] and not str(r[1]).startswith("sqlite_")]
    for wanted in ("table", "view"):
        for row_kind, row_name, row_sql in rows:
            if renamed is not None and row_kind == "table" and _same(row_name, renamed[0]):
                found = _table_column_tokens(Statement(row_sql), *renamed)
                row_sql = _edit(row_sql, found, lambda _: _PROBE_COLUMN)
            if row_kind == wanted and row_sql != leave_out:
                with contextlib.suppress(sqlite3.Error):
                    schema.execute(row_sql)
    return schema


# --8<-- [start:problem]
def _problem(schema, sql: str) -> str | None:
    """SQLite's error for CREATE statement `sql` in the scratch `schema`, or None.

    A trigger is checked as SQLite checks one after ALTER TABLE: each statement of its
    body on its own, for names that do not resolve ("no such column"); the column lists
    of its INSERT statements and the number of values are not its business.
    """
    stmt = Statement(sql)
    if stmt.kind != "trigger":
        return _attempt(schema, stmt)
    for step in _trigger_steps(stmt):
        problem = _attempt(schema, step)
        if problem is not None and ("no such column" in problem or _PROBE_COLUMN in problem):
            return problem
    return None


# --8<-- [end:problem]


def _attempt(schema, stmt: Statement) -> str | None:
    """Create `stmt` in the scratch schema and compile what uses it; the error or None.
    Afterwards the schema is as it was. A view is read and a trigger's table written,
    since SQLite resolves the names in those only when a statement uses them."""
    from vdbe.sqlite_library import sqlite3

    schema.execute("SAVEPOINT probe")
    try:
        name = stmt.name_token()
        if stmt.kind == "view" and name is not None:  # the copy may hold it already
            schema.execute(f"DROP VIEW IF EXISTS {quote_identifier(name.name)}")
        schema.execute(stmt.sql)
        for _ in range(20):
            try:
                for probe in _probes(stmt, schema):
                    schema.execute(probe).fetchall()
                return None
            except sqlite3.Error as exc:
                missing = _MISSING_COLUMN.match(str(exc))
                if stmt.kind != "trigger" or missing is None or missing[2] == _PROBE_COLUMN:
                    raise
                # an INSERT's column list names a column the table lacks: not checked
                # by ALTER TABLE, so the table gets it and the body is compiled again
                table, column = (quote_identifier(name) for name in missing.groups())
                schema.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
        return None
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        schema.execute("ROLLBACK TO probe")
        schema.execute("RELEASE probe")


_MISSING_COLUMN = re.compile(r"table (.+) has no column named (.+)$")


def _trigger_steps(stmt: Statement) -> list[Statement]:
    """A trigger cut into triggers of one statement each, with its header (and WHEN)."""
    tokens = stmt.tokens
    begin = next((i for i, t in enumerate(tokens) if _word(t) == "BEGIN"), None)
    if begin is None:
        return [stmt]
    head = stmt.sql[: tokens[begin].end]
    return [
        Statement(f"{head} {stmt.sql[body[0].start : body[-1].end]}; END")
        for body in _statements(tokens[begin + 1 :])
    ]


def _probes(stmt: Statement, schema) -> list[str]:
    """Statements whose compiling makes SQLite resolve the names in a view or trigger."""
    name = stmt.name_token()
    if stmt.kind == "view" and name is not None:
        return [f"SELECT * FROM {quote_identifier(name.name)} LIMIT 0"]
    if stmt.kind != "trigger":
        return []
    tokens = stmt.tokens
    on = next((i for i, t in enumerate(tokens) if _word(t) == "ON"), None)
    if on is None or on + 1 >= len(tokens):
        return []
    table = quote_identifier(tokens[on + 1].name)
    event = {_word(t) for t in tokens[:on]}
    if "DELETE" in event:
        return [f"EXPLAIN DELETE FROM {table}"]
    if "INSERT" in event:
        return [f"EXPLAIN INSERT INTO {table} DEFAULT VALUES"]
    columns = [quote_identifier(r[1]) for r in schema.execute(f"PRAGMA table_info({table})")]
    if not columns:
        return []
    every = ", ".join(f"{c} = {c}" for c in columns)  # so that UPDATE OF any column fires
    return [f"EXPLAIN UPDATE {table} SET {every}"]


# --8<-- [start:quotefix]
def sqlite_rename_quotefix(db: Value, sql: Value, *, vm=None) -> Value:
    """The schema statement `sql` with each double-quoted string written in single quotes.

    SQLite reads `"abc"` as a name, and as the string 'abc' only where no column of
    that name is in scope (a misfeature kept for old schemas). DROP COLUMN and RENAME
    COLUMN first rewrite such strings in every CREATE statement, so that a new column
    named abc cannot change their meaning. Which ones are strings, name resolution
    decides: each double-quoted token is tried in brackets, `[abc]`, which is never a
    string, and if real SQLite then finds no such column, the token was one.
    """
    if not isinstance(sql, str) or vm is None or vm.db is None or str(db).lower() != "main":
        return sql
    tokens = [t for t in words(tokenize(sql)) if t.kind == "id" and t.text.startswith('"')]
    if not tokens:
        return sql
    schema = _schema_copy(vm, sql)
    try:
        if _problem(schema, sql) is not None:
            return sql  # a statement SQLite cannot read is left as it is
        strings = [t for t in tokens if _is_string(schema, sql, t)]
    finally:
        schema.close()
    return _edit(sql, strings, lambda t: _single_quoted(sql, t))


def _is_string(schema, sql: str, token: Token) -> bool:
    """Does SQLite read the double-quoted `token` of `sql` as a string?"""
    name = token.name
    bracketed = f"[{name}]" if "]" not in name else "`" + name.replace("`", "``") + "`"
    problem = _problem(schema, sql[: token.start] + bracketed + sql[token.end :])
    return problem is not None and problem.startswith("no such column:")


def _single_quoted(sql: str, token: Token) -> str:
    """The string in single quotes; a space after it if a quote would come next."""
    quoted = "'" + token.name.replace("'", "''") + "'"
    return quoted + " " if sql[token.end : token.end + 1] == "'" else quoted


# --8<-- [end:quotefix]


ALTER_FUNCTIONS = {
    ("sqlite_rename_table", 7): sqlite_rename_table,
    ("sqlite_rename_column", 9): sqlite_rename_column,
    ("sqlite_rename_test", 7): sqlite_rename_test,
    ("sqlite_rename_quotefix", 2): sqlite_rename_quotefix,
    ("sqlite_drop_column", 3): sqlite_drop_column,
}
