"""The resolver: decides what every name in the program refers to.

It walks the AST once, after parsing and before compiling, and fills in the nodes'
slot fields:

- A **local** is a parameter, or a variable declared by ``let`` or ``for`` inside a
  block. Each gets a *slot*: a register number in its function's frame. Parameters take
  slots 0, 1, ...; a block's locals take the next free slots, which are free again when
  the block ends. ``FnDecl.n_slots`` (and ``Program.n_slots`` for top-level code) is the
  most slots ever live at once: the frame size the compiler must reserve.
- A **global** is declared by a ``let`` or ``fn`` written directly at top level. Any
  name that is not a local is read as a global, looked up by name when the code runs,
  so a function may use a global defined after it.

It also rejects, as compile errors, what the grammar allows but the language does not:
assigning to a name that nothing declares, ``break``/``continue`` outside a loop and
``return`` outside a function.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carrot import ast
from carrot.diagnostics import CompileError


def resolve(program: ast.Program, known_globals: set[str] | frozenset[str] = frozenset()) -> None:
    """Fill in ``program``'s slots in place. ``known_globals``: globals declared earlier
    (by previous REPL inputs), which may be assigned without a ``let`` here."""
    Resolver(program, known_globals).run()


# --8<-- [start:frame]
@dataclass
class Frame:
    """The locals of one function (or of the top-level code) while it is being resolved."""

    scopes: list[dict[str, int]] = field(default_factory=list)  # innermost last
    next_slot: int = 0
    max_slots: int = 0
    loops: int = 0  # how many loops enclose the current statement
    is_function: bool = False

    def declare(self, name: str) -> int:
        slot = self.next_slot
        self.scopes[-1][name] = slot
        self.next_slot += 1
        self.max_slots = max(self.max_slots, self.next_slot)
        return slot

    def lookup(self, name: str) -> int | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None


# --8<-- [end:frame]


def declared_globals(program: ast.Program) -> set[str]:
    """Names that a top-level ``let`` or ``fn`` declares, anywhere in the program."""
    names = set()
    for stmt in program.body:
        if isinstance(stmt, ast.Let | ast.FnDecl):
            names.add(stmt.name)
    return names


class Resolver:
    def __init__(self, program: ast.Program, known_globals: set[str] | frozenset[str]):
        self.program = program
        self.globals = declared_globals(program) | set(known_globals)
        self.frame = Frame()

    def run(self) -> None:
        for stmt in self.program.body:
            self.stmt(stmt)
        self.program.n_slots = self.frame.max_slots
        self.program.globals = declared_globals(self.program)

    def error(self, message: str, node: ast.Node) -> CompileError:
        return CompileError(message, node.line, node.col)

    # --------------------------------------------------------------- statements

    def stmt(self, node: ast.Stmt) -> None:
        method = getattr(self, "stmt_" + type(node).__name__, None)
        if method is None:
            self.walk(node)  # a node from an extension: resolve whatever it contains
        else:
            method(node)

    def walk(self, node: ast.Node) -> None:
        for child in ast.children(node):
            if isinstance(child, ast.Block):
                self.stmt_Block(child)
            elif isinstance(child, ast.Stmt):
                self.stmt(child)
            elif isinstance(child, ast.Expr):
                self.expr(child)

    # --8<-- [start:scopes]
    def stmt_Block(self, node: ast.Block) -> None:
        frame = self.frame
        frame.scopes.append({})
        saved = frame.next_slot
        for stmt in node.body:
            self.stmt(stmt)
        frame.scopes.pop()
        frame.next_slot = saved  # this block's slots are free again

    def stmt_Let(self, node: ast.Let) -> None:
        self.expr(node.value)  # first: in `let x = x + 1;` the right-hand x is the outer one
        if self.frame.scopes:
            node.slot = self.frame.declare(node.name)
        else:
            node.slot = None  # directly at top level: a global

    # --8<-- [end:scopes]

    # --8<-- [start:function]
    def stmt_FnDecl(self, node: ast.FnDecl) -> None:
        outer, self.frame = self.frame, Frame(scopes=[{}], is_function=True)
        for param in node.params:
            self.frame.declare(param)
        self.stmt_Block(node.body)
        node.n_slots = self.frame.max_slots
        self.frame = outer

    # --8<-- [end:function]

    # --8<-- [start:assign]
    def stmt_Assign(self, node: ast.Assign) -> None:
        target = node.target
        if isinstance(target, ast.Name):
            target.slot = self.frame.lookup(target.name)
            if target.slot is None and target.name not in self.globals:
                raise self.error(
                    f"cannot assign to '{target.name}': it is not declared "
                    f"(declare it first with 'let {target.name} = ...;')",
                    target,
                )
        else:
            self.expr(target)
        self.expr(node.value)

    # --8<-- [end:assign]

    def stmt_If(self, node: ast.If) -> None:
        self.expr(node.cond)
        self.stmt_Block(node.then)
        if node.orelse is not None:
            self.stmt(node.orelse)

    def stmt_While(self, node: ast.While) -> None:
        self.expr(node.cond)
        self.loop_body(node.body)

    def stmt_ForIn(self, node: ast.ForIn) -> None:
        self.expr(node.iterable)
        frame = self.frame
        frame.scopes.append({})
        saved = frame.next_slot
        node.key_slot = frame.declare(node.key)
        if node.value is not None:
            node.value_slot = frame.declare(node.value)
        self.loop_body(node.body)
        frame.scopes.pop()
        frame.next_slot = saved

    def loop_body(self, body: ast.Block) -> None:
        self.frame.loops += 1
        self.stmt_Block(body)
        self.frame.loops -= 1

    def stmt_Return(self, node: ast.Return) -> None:
        if not self.frame.is_function:
            raise self.error("'return' outside a function", node)
        if node.value is not None:
            self.expr(node.value)

    def stmt_Break(self, node: ast.Break) -> None:
        if not self.frame.loops:
            raise self.error("'break' outside a loop", node)

    def stmt_Continue(self, node: ast.Continue) -> None:
        if not self.frame.loops:
            raise self.error("'continue' outside a loop", node)

    def stmt_ExprStmt(self, node: ast.ExprStmt) -> None:
        self.expr(node.expr)

    # --------------------------------------------------------------- expressions

    def expr(self, node: ast.Expr) -> None:
        if isinstance(node, ast.Name):
            node.slot = self.frame.lookup(node.name)
        else:
            self.walk(node)


def analyze(
    text: str,
    file: str = "<string>",
    extensions=None,
    known_globals: set[str] | frozenset[str] = frozenset(),
) -> ast.Program:
    """The whole front end: lex, parse and resolve ``text``; raises CompileError.
    ``extensions``: whose statements to parse (none unless given)."""
    from carrot.parser import deep_recursion, parse

    program = parse(text, file, extensions)
    with deep_recursion():
        resolve(program, known_globals)
    return program


def exercises_needed(text: str, file: str = "<string>") -> set[str]:
    """The course exercises whose code running ``text`` needs (for marking tests).

    A backslash means a string escape, which the lexer's ``carrot-string-escapes`` decodes;
    the compiler's exercises are found in the tree. A program that does not compile needs
    only what its lexing needed.
    """
    needed = {"carrot-string-escapes"} if "\\" in text else set()
    try:
        from carrot.compiler import exercises_in
        from carrot.extension import load_extensions

        program = analyze(text, file, load_extensions())
    except (CompileError, NotImplementedError):
        return needed
    return needed | exercises_in(program)
