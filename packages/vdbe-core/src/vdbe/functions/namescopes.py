"""Which SELECT a name in a view or trigger belongs to, read from the tokens.

SQLite resolves a bare column name in the innermost SELECT whose FROM clause has a
table with that column, and only then looks outward; a bare name that is a whole
ORDER BY term is first matched against the result columns' aliases. ALTER TABLE's
RENAME COLUMN follows those rules, so it needs to know, for a token, the SELECTs
around it and what their FROM clauses and result lists hold:

    SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE x = b)
                                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^ the inner SELECT: if u has
                                  a column b, this b is u's, not t's

A statement's tokens (`vdbe.sqltokens.words`) are cut here into *cores*: one SELECT
(or a trigger's UPDATE or DELETE) each, as ranges of token indexes.
"""

from __future__ import annotations

from typing import NamedTuple

from vdbe.sqltokens import Token

_COMPOUND = {"UNION", "INTERSECT", "EXCEPT"}
_CORE_STARTS = {"SELECT", "UPDATE", "DELETE", "INSERT", "REPLACE", "VALUES", "WITH"}
_FROM_ITEM_ENDS = {"WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "ON", "USING"}
_FROM_ITEM_ENDS |= {"SET", "RETURNING"}
_CONFLICT_CLAUSE = {"OR", "ROLLBACK", "ABORT", "REPLACE", "IGNORE", "FAIL"}  # UPDATE OR ... t
_ORDER_TERM_ENDS = {",", ")", ";", "ASC", "DESC", "COLLATE", "NULLS", "LIMIT"}


def word(token: Token) -> str:
    """An unquoted identifier or keyword in capitals; '' for anything else."""
    return token.text.upper() if token.kind == "id" and not token.quoted else ""


class Core(NamedTuple):
    """One SELECT (or UPDATE, DELETE) of a statement: tokens[start:end], at `depth`
    parentheses; `compound` is set on the arms of a UNION/INTERSECT/EXCEPT, `first`
    is the index where the first arm of its compound starts."""

    start: int
    end: int
    depth: int
    compound: bool
    first: int


def depths(tokens: list[Token]) -> list[int]:
    """How many parentheses are open at each token (a parenthesis counts as inside)."""
    found, depth = [], 0
    for token in tokens:
        if token.text == "(":
            depth += 1
        found.append(depth)
        if token.text == ")":
            depth -= 1
    return found


def cores(tokens: list[Token]) -> list[Core]:
    """Every core of the statement, cut at the keywords that start one, at compound
    operators and at the parenthesis or semicolon that closes it."""
    level = depths(tokens)
    found: list[Core] = []
    open_cores: dict[int, list] = {}  # depth -> [start, compound, first] of the open core

    def close(depth: int, end: int) -> None:
        if depth in open_cores:
            start, compound, first = open_cores.pop(depth)
            found.append(Core(start, end, depth, compound, first))

    for i, token in enumerate(tokens):
        depth, name = level[i], word(token)
        if token.text in (")", ";") or name == "BEGIN":  # BEGIN: a trigger's body starts
            close(depth, i)
        elif name in _COMPOUND:
            previous = open_cores.get(depth)
            close(depth, i)
            if previous is not None:
                found[-1] = found[-1]._replace(compound=True)
                open_cores[depth] = [i + 1, True, previous[2]]
        elif name in _CORE_STARTS and (depth not in open_cores or name == "SELECT"):
            current = open_cores.get(depth)
            if current is None:
                open_cores[depth] = [i, False, i]
            elif word(tokens[current[0]]) in ("WITH", "INSERT", "REPLACE"):
                current[0] = current[2] = i  # the SELECT a WITH or an INSERT leads to
    for depth in sorted(open_cores, reverse=True):
        close(depth, len(tokens))
    return found


def enclosing(tokens: list[Token], at: int) -> list[Core]:
    """The cores around token `at`, innermost first."""
    level = depths(tokens)
    around = [c for c in cores(tokens) if c.start <= at < c.end and c.depth <= level[at]]
    return sorted(around, key=lambda c: -c.depth)


def from_items(tokens: list[Token], core: Core) -> list[tuple[str, int, int]]:
    """What the core's FROM clause (or an UPDATE's or DELETE's target) reads:
    ('table', i, i) for a table or view named by tokens[i], ('subquery', i, j) for a
    parenthesized SELECT in tokens[i:j]."""
    level = depths(tokens)
    depth = level[core.start]
    found: list[tuple[str, int, int]] = []
    expecting = False
    i = core.start
    while i < core.end:
        token, name = tokens[i], word(tokens[i])
        if level[i] != depth:
            i += 1
            continue
        if name in ("FROM", "JOIN", "UPDATE"):
            expecting = True
        elif name in _FROM_ITEM_ENDS:
            expecting = False
        elif token.text == "," and found and _in_from(tokens, core, i):
            expecting = True
        elif expecting and token.text == "(":
            close = next(j for j in range(i + 1, core.end + 1) if level[j] == depth)
            found.append(("subquery", i + 1, close))
            expecting = False
            i = close
        elif expecting and token.kind == "id" and name not in _CONFLICT_CLAUSE:
            if i + 2 < core.end and tokens[i + 1].text == ".":
                found.append(("table", i + 2, i + 2))  # schema.table
                expecting = False
                i += 2
            else:
                found.append(("table", i, i))
                expecting = False
        i += 1
    return found


def _in_from(tokens: list[Token], core: Core, at: int) -> bool:
    """Is the comma at `at` one that separates FROM items?"""
    level = depths(tokens)
    last = ""
    for i in range(core.start, at):
        if level[i] == level[at] and word(tokens[i]) in _FROM_ITEM_ENDS | {"FROM", "SELECT"}:
            last = word(tokens[i])
    return last == "FROM"


def result_list(tokens: list[Token], core: Core) -> tuple[int, int]:
    """tokens[i:j] of a SELECT core's result columns (between SELECT and FROM)."""
    level = depths(tokens)
    depth = level[core.start]
    begin = next(
        (i + 1 for i in range(core.start, core.end) if word(tokens[i]) == "SELECT"), core.end
    )
    end = next(
        (
            i
            for i in range(begin, core.end)
            if level[i] == depth and word(tokens[i]) in ("FROM", "WHERE", "GROUP", "ORDER")
        ),
        core.end,
    )
    return begin, end


def order_by_term(tokens: list[Token], at: int) -> bool:
    """Is tokens[at] a whole ORDER BY term, a bare name (`ORDER BY b DESC, c`)?"""
    before = tokens[at - 1] if at else None
    after = tokens[at + 1] if at + 1 < len(tokens) else None
    if before is None or not (
        word(before) == "BY" or (before.text == "," and _after_order_by(tokens, at))
    ):
        return False
    if word(before) == "BY" and (at < 2 or word(tokens[at - 2]) != "ORDER"):
        return False
    return after is None or after.text in _ORDER_TERM_ENDS or word(after) in _ORDER_TERM_ENDS


def _after_order_by(tokens: list[Token], at: int) -> bool:
    """Is the comma before tokens[at] inside an ORDER BY list at its own depth?"""
    level = depths(tokens)
    for i in range(at - 1, 0, -1):
        if level[i] < level[at]:
            return False
        if level[i] == level[at]:
            if word(tokens[i]) == "BY":
                return word(tokens[i - 1]) == "ORDER"
            if word(tokens[i]) in _CORE_STARTS | {"FROM", "WHERE", "GROUP", "HAVING"}:
                return False
    return False
