"""The compiler: a resolved Carrot AST becomes vdbe programs, one per function.

Each function (and the top-level code, as ``<main>``) compiles to its own
:class:`vdbe.program.Program`. Registers are numbered as SQLite numbers them, from 1:
the resolver gave every local a *slot* (parameters first), and slot ``s`` lives in
register ``s + 1``; temporaries the compiler needs while evaluating expressions take
the registers above the locals, allocated like a stack and freed when a statement ends.

Where SQLite has an instruction that fits (``Integer``, ``Real``, ``String8``, ``Null``,
``Copy``, ``Goto``, ``Halt``) the compiler uses it; everything with Carrot's own rules
is an extension opcode from :mod:`carrot.runtime.opcodes` and :mod:`carrot.runtime.calls`.
Every instruction also records the source position of the node it came from, so a
runtime error can say where it happened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from vdbe.program import Instruction, Program

from carrot import ast
from carrot.runtime.builtins import BUILTINS
from carrot.runtime.values import Function

MAIN = "<main>"

# Binary operators: (opcode, operands swapped?). SQLite's Subtract, Divide and
# Remainder compute r[P2] op r[P1], so the left operand goes in P2 for those.
BINARY_OPCODES: dict[str, tuple[str, bool]] = {
    "+": ("CarrotAdd", False),
    "-": ("CarrotSubtract", True),
    "*": ("CarrotMultiply", False),
    "/": ("CarrotDivide", True),
    "%": ("CarrotRemainder", True),
    "==": ("CarrotEq", False),
    "!=": ("CarrotNe", False),
    "<": ("CarrotLt", False),
    "<=": ("CarrotLe", False),
    ">": ("CarrotGt", False),
    ">=": ("CarrotGe", False),
}


# The node compilers a learner writes in the course's exercises: a program that
# contains one of these nodes cannot compile while that exercise is left undone.
EXERCISE_NODES: dict[type, str] = {
    ast.While: "carrot-while",
    ast.Logical: "carrot-short-circuit",
    ast.MethodCall: "carrot-method-call",
}


def exercises_in(node: ast.Node) -> set[str]:
    """The exercises whose code compiling ``node`` (and everything inside it) needs."""
    found = set()
    stack = [node]
    while stack:
        current = stack.pop()
        exercise = EXERCISE_NODES.get(type(current))
        if exercise is not None:
            found.add(exercise)
        stack.extend(ast.children(current))
    return found


class CompilerError(Exception):
    """The AST holds a node the compiler (and no extension) knows how to compile."""


@dataclass
class CompiledProgram:
    """Everything a run needs: the top-level code and every function it defines."""

    main: Function
    functions: list[Function] = field(default_factory=list)
    file: str = "<string>"
    extensions: frozenset[str] = frozenset()  # names of the extensions it was compiled with

    def all_functions(self) -> list[Function]:
        return [self.main, *self.functions]

    def python_source(self) -> str:
        """What the fast path writes for each function: Python source, under headings.

        Raises ``NotTranslatable`` when a program must run on the engine instead.
        """
        from carrot.runtime.fastpath import translate

        functions = self.all_functions()
        parts = [f"# {fn.name}\n{translate(fn, functions)}" for fn in functions]
        return "\n".join(parts)

    def explain(self) -> str:
        """Each program's EXPLAIN listing under a heading with its function's name."""
        parts = []
        for fn in self.all_functions():
            heading = "-- <main>" if fn is self.main else f"-- fn {fn.name}({', '.join(fn.params)})"
            parts.append(heading + "\n" + fn.program.listing())
        return "\n".join(parts)


@dataclass
class Loop:
    """Where ``continue`` jumps, and the ``break`` jumps waiting for the loop's end."""

    continue_to: int
    breaks: list[int] = field(default_factory=list)


def compile_program(
    program: ast.Program,
    *,
    echo: bool = False,
    known_globals: Iterable[str] = (),
    extensions: Any = None,
) -> CompiledProgram:
    """Compile a resolved program. ``echo``: top-level expression statements print
    their value (the REPL). ``known_globals``: globals defined by earlier REPL inputs.
    ``extensions``: the ones to compile with (none unless given); the program must then
    run on an Interpreter given the same."""
    if extensions is None:
        from carrot.extension import NO_EXTENSIONS

        extensions = NO_EXTENSIONS
    shadowed = set(program.globals) | set(known_globals)
    if echo and not known_globals:
        # An interactive input that was not told the session's globals cannot know
        # whether an earlier input rebound a built-in: call every built-in by name.
        shadowed |= set(BUILTINS)
    compiled = CompiledProgram(
        main=Function(MAIN, [], Program([], MAIN)), file=program.file, extensions=extensions.names
    )
    main = FunctionCompiler(compiled, compiled.main, program.n_slots or 0, extensions, shadowed)
    main.echo = echo
    for statement in program.body:
        main.stmt(statement)
        for hook in extensions.statement_end_hooks:  # code an extension adds after each one
            hook(main, statement)
    main.emit("Halt", node=program)
    main.finish()
    return compiled


class FunctionCompiler:
    """Compiles one function's body (or the top-level code) into its Program."""

    def __init__(
        self,
        compiled: CompiledProgram,
        function: Function,
        n_slots: int,
        extensions: Any,
        shadowed: set[str],
    ) -> None:
        self.compiled = compiled
        self.function = function
        self.code: list[Instruction] = function.program.instructions
        self.positions = function.positions
        self.n_slots = n_slots
        self.next_temp = n_slots + 1
        self.max_register = n_slots
        self.loops: list[Loop] = []
        self.extensions = extensions
        self.shadowed = shadowed  # names of program globals (they hide built-ins)
        self.echo = False
        self.position = (0, 0)

    # ------------------------------------------------------------ emitting code
    def emit(
        self,
        opcode: str,
        p1: int = 0,
        p2: int = 0,
        p3: int = 0,
        p4: object = None,
        p5: int = 0,
        *,
        node: ast.Node | None = None,
    ) -> int:
        """Append an instruction; return its address."""
        self.code.append(Instruction(opcode, p1, p2, p3, p4, p5))
        if node is not None:
            self.positions.append((node.line, node.col))
        else:
            self.positions.append(self.position)
        return len(self.code) - 1

    def here(self) -> int:
        """The address the next instruction will get."""
        return len(self.code)

    def patch(self, address: int, target: int | None = None) -> None:
        """Point the jump at ``address`` to ``target`` (default: here)."""
        self.code[address].p2 = self.here() if target is None else target

    def temp(self, count: int = 1) -> int:
        """Reserve ``count`` consecutive temporary registers; return the first."""
        first = self.next_temp
        self.next_temp += count
        self.max_register = max(self.max_register, self.next_temp - 1)
        return first

    def free(self, mark: int) -> None:
        """Release every temporary reserved since ``temp()`` returned ``mark``."""
        self.next_temp = mark

    def local(self, slot: int) -> int:
        """The register of a local variable's slot."""
        return slot + 1

    def finish(self) -> None:
        self.function.n_registers = self.max_register

    # ------------------------------------------------------------ statements
    def block(self, statements: Iterable[ast.Stmt]) -> None:
        for statement in statements:
            self.stmt(statement)

    def stmt(self, node: ast.Stmt) -> None:
        """Compile one statement; its temporaries are free again afterwards."""
        saved_position = self.position
        self.position = (node.line, node.col)
        mark = self.next_temp
        method = getattr(self, "stmt_" + type(node).__name__, None)
        if method is not None:
            method(node)
        else:
            self.extension_node(node)
        self.free(mark)
        self.position = saved_position

    def extension_node(self, node: ast.Node) -> Any:
        compile_node = self.extensions.node_compilers.get(type(node))
        if compile_node is None:
            raise CompilerError(f"cannot compile {type(node).__name__}")
        return compile_node(self, node)

    def stmt_Block(self, node: ast.Block) -> None:
        self.block(node.body)

    def stmt_ExprStmt(self, node: ast.ExprStmt) -> None:
        register = self.expr(node.expr)
        if self.echo and self.function.name == MAIN:
            self.emit("Print", register, 1, 0, None, 1, node=node)

    def stmt_Let(self, node: ast.Let) -> None:
        if node.slot is not None:
            self.expr(node.value, self.local(node.slot))
        else:
            register = self.expr(node.value)
            self.emit("SetGlobal", register, 0, 0, node.name, node=node)

    # --8<-- [start:assign]
    def stmt_Assign(self, node: ast.Assign) -> None:
        target = node.target
        if isinstance(target, ast.Name):
            if target.slot is not None:
                self.expr(node.value, self.local(target.slot))
            else:
                value = self.expr(node.value)
                self.emit("SetGlobal", value, 0, 0, target.name, node=target)
        elif isinstance(target, ast.Index):
            table = self.expr(target.obj)
            key = self.expr(target.key)
            value = self.expr(node.value)
            self.emit("TableSet", table, key, value, node=target)
        elif isinstance(target, ast.Field):
            table = self.expr(target.obj)
            value = self.expr(node.value)
            self.emit("SetField", table, 0, value, target.name, node=target)
        else:
            raise CompilerError(f"cannot assign to {type(target).__name__}")

    # --8<-- [end:assign]

    # --8<-- [start:if]
    def stmt_If(self, node: ast.If) -> None:
        condition = self.expr(node.cond)
        to_else = self.emit("CarrotIfNot", condition, 0, node=node)
        self.stmt_Block(node.then)
        if node.orelse is None:
            self.patch(to_else)
            return
        to_end = self.emit("Goto", 0, 0, node=node)
        self.patch(to_else)
        self.stmt(node.orelse)
        self.patch(to_end)

    # --8<-- [end:if]

    # --8<-- [start:while]
    def stmt_While(self, node: ast.While) -> None:
        # exercise-start: carrot-while
        top = self.here()
        condition = self.expr(node.cond)
        exit_jump = self.emit("CarrotIfNot", condition, 0, node=node)
        loop = Loop(continue_to=top)
        self.loops.append(loop)
        self.stmt_Block(node.body)
        self.loops.pop()
        self.emit("Goto", 0, top, node=node)
        self.patch(exit_jump)
        for jump in loop.breaks:
            self.patch(jump)
        # exercise-end: carrot-while

    # --8<-- [end:while]

    # --8<-- [start:for]
    def stmt_ForIn(self, node: ast.ForIn) -> None:
        table = self.temp()  # the table being visited, held for the whole loop
        last_key = self.temp()  # the key visited last (null before the first)
        self.expr(node.iterable, table)
        self.emit("Null", 0, last_key, node=node)
        head = self.emit("NextKey", table, 0, last_key, node=node)
        self.emit("Copy", last_key, self.local(node.key_slot or 0), node=node)
        if node.value_slot is not None:
            self.emit("TableGet", table, last_key, self.local(node.value_slot), node=node)
        loop = Loop(continue_to=head)
        self.loops.append(loop)
        self.stmt_Block(node.body)
        self.loops.pop()
        self.emit("Goto", 0, head, node=node)
        self.patch(head)
        for jump in loop.breaks:
            self.patch(jump)

    # --8<-- [end:for]

    def stmt_Break(self, node: ast.Break) -> None:
        self.loops[-1].breaks.append(self.emit("Goto", 0, 0, node=node))

    def stmt_Continue(self, node: ast.Continue) -> None:
        self.emit("Goto", 0, self.loops[-1].continue_to, node=node)

    def stmt_Return(self, node: ast.Return) -> None:
        if node.value is None:
            register = self.temp()
            self.emit("Null", 0, register, node=node)
        else:
            register = self.expr(node.value)
        self.emit("FnReturn", register, node=node)

    def stmt_FnDecl(self, node: ast.FnDecl) -> None:
        function = self.compile_function(node)
        register = self.temp()
        self.emit("LoadFunction", 0, register, 0, function, node=node)
        self.emit("SetGlobal", register, 0, 0, node.name, node=node)

    # --8<-- [start:function]
    def compile_function(self, node: ast.FnDecl) -> Function:
        """Compile a ``fn`` declaration into a new Function with its own Program."""
        function = Function(node.name, list(node.params), Program([], node.name))
        inner = FunctionCompiler(
            self.compiled, function, node.n_slots or 0, self.extensions, self.shadowed
        )
        inner.position = (node.line, node.col)

        def compile_body() -> None:
            inner.block(node.body.body)
            end = inner.temp()
            inner.emit("Null", 0, end, node=node)  # falling off the end returns null
            inner.emit("FnReturn", end, node=node)

        if node.is_txn:
            function.kind = "txn"
            self.extensions.fn_compilers["txn"](inner, node, compile_body)
        else:
            compile_body()
        inner.finish()
        self.compiled.functions.append(function)
        return function

    # --8<-- [end:function]

    # ------------------------------------------------------------ expressions
    def expr(self, node: ast.Expr, dest: int | None = None) -> int:
        """Compile an expression; return the register holding its value.

        With ``dest`` the value lands in that register. Without it, the result may be
        a local's own register (a bare name) or a new temporary.
        """
        saved_position = self.position
        self.position = (node.line, node.col)
        method = getattr(self, "expr_" + type(node).__name__, None)
        if method is not None:
            register = method(node, dest)
        else:
            register = self.extension_node(node)
            if dest is not None and register != dest:
                self.emit("Copy", register, dest, node=node)
                register = dest
        self.position = saved_position
        return register

    def target(self, dest: int | None) -> int:
        return dest if dest is not None else self.temp()

    # --8<-- [start:constants]
    def expr_Int(self, node: ast.Int, dest: int | None) -> int:
        out = self.target(dest)
        if -(2**31) <= node.value < 2**31:
            self.emit("Integer", node.value, out, node=node)
        else:
            self.emit("Int64", 0, out, 0, node.value, node=node)
        return out

    def expr_Float(self, node: ast.Float, dest: int | None) -> int:
        out = self.target(dest)
        self.emit("Real", 0, out, 0, node.value, node=node)
        return out

    def expr_Str(self, node: ast.Str, dest: int | None) -> int:
        out = self.target(dest)
        self.emit("String8", 0, out, 0, node.value, node=node)
        return out

    def expr_Bool(self, node: ast.Bool, dest: int | None) -> int:
        out = self.target(dest)
        self.emit("Bool", int(node.value), out, node=node)
        return out

    def expr_Null(self, node: ast.Null, dest: int | None) -> int:
        out = self.target(dest)
        self.emit("Null", 0, out, node=node)
        return out

    # --8<-- [end:constants]

    def expr_Name(self, node: ast.Name, dest: int | None) -> int:
        if node.slot is not None:
            register = self.local(node.slot)
            if dest is None or dest == register:
                return register
            self.emit("Copy", register, dest, node=node)
            return dest
        out = self.target(dest)
        self.emit("GetGlobal", 0, out, 0, node.name, node=node)
        return out

    # --8<-- [start:binary]
    def expr_Binary(self, node: ast.Binary, dest: int | None) -> int:
        mark = self.next_temp
        left = self.expr(node.left)
        right = self.expr(node.right)
        self.free(mark)  # the result may reuse the operands' temporaries
        out = self.target(dest)
        opcode, swapped = BINARY_OPCODES[node.op]
        if swapped:  # SQLite's layout: r[P3] = r[P2] op r[P1]
            self.emit(opcode, right, left, out, node=node)
        else:
            self.emit(opcode, left, right, out, node=node)
        return out

    # --8<-- [end:binary]

    def expr_Unary(self, node: ast.Unary, dest: int | None) -> int:
        mark = self.next_temp
        operand = self.expr(node.operand)
        self.free(mark)
        out = self.target(dest)
        self.emit("Negate" if node.op == "-" else "CarrotNot", operand, out, node=node)
        return out

    # --8<-- [start:logical]
    def expr_Logical(self, node: ast.Logical, dest: int | None) -> int:
        # exercise-start: carrot-short-circuit
        # The result is built in a fresh register: building it in ``dest`` directly
        # would overwrite a local that the right operand may still read (x = a && x).
        work = self.temp()
        self.expr(node.left, work)
        self.emit("Truth", work, work, node=node)
        # && stops at a false left operand, || at a true one: the result is decided
        skip = "CarrotIfNot" if node.op == "&&" else "CarrotIf"
        decided = self.emit(skip, work, 0, node=node)
        self.expr(node.right, work)
        self.emit("Truth", work, work, node=node)
        self.patch(decided)
        return self.settle(work, dest, node)
        # exercise-end: carrot-short-circuit

    # --8<-- [end:logical]

    def settle(self, work: int, dest: int | None, node: ast.Node) -> int:
        """Move a value built in a work register to ``dest`` (when one was asked for)."""
        if dest is None or dest == work:
            return work
        self.emit("Copy", work, dest, node=node)
        return dest

    def expr_TableLit(self, node: ast.TableLit, dest: int | None) -> int:
        table = self.temp()
        self.emit("NewTable", 0, table, node=node)
        for key_node, value_node in node.entries:
            mark = self.next_temp
            key = self.expr(key_node)
            value = self.expr(value_node)
            self.emit("TableSet", table, key, value, node=key_node)
            self.free(mark)
        return self.settle(table, dest, node)

    def expr_ListLit(self, node: ast.ListLit, dest: int | None) -> int:
        table = self.temp()
        self.emit("NewTable", 0, table, node=node)
        for index, item in enumerate(node.items):
            mark = self.next_temp
            key = self.temp()
            self.emit("Integer", index, key, node=item)
            value = self.expr(item)
            self.emit("TableSet", table, key, value, node=item)
            self.free(mark)
        return self.settle(table, dest, node)

    def expr_Index(self, node: ast.Index, dest: int | None) -> int:
        mark = self.next_temp
        table = self.expr(node.obj)
        key = self.expr(node.key)
        self.free(mark)
        out = self.target(dest)
        self.emit("TableGet", table, key, out, node=node)
        return out

    def expr_Field(self, node: ast.Field, dest: int | None) -> int:
        mark = self.next_temp
        table = self.expr(node.obj)
        self.free(mark)
        out = self.target(dest)
        self.emit("GetField", table, out, 0, node.name, node=node)
        return out

    # --8<-- [start:call]
    def expr_Call(self, node: ast.Call, dest: int | None) -> int:
        callee = node.callee
        if self.is_builtin(callee):
            return self.builtin_call(callee.name, node, dest)  # type: ignore[union-attr]
        mark = self.next_temp
        base = self.temp(1 + len(node.args))  # the function, then its arguments
        self.expr(callee, base)
        for i, arg in enumerate(node.args):
            self.expr(arg, base + 1 + i)
        self.free(mark)
        out = self.target(dest)
        self.emit("Call", base, len(node.args), out, node=node)
        return out

    # --8<-- [end:call]

    def is_builtin(self, callee: ast.Expr) -> bool:
        return (
            isinstance(callee, ast.Name)
            and callee.slot is None
            and callee.name in BUILTINS
            and callee.name not in self.shadowed
        )

    def builtin_call(self, name: str, node: ast.Call, dest: int | None) -> int:
        mark = self.next_temp
        base = self.temp(max(1, len(node.args)))
        for i, arg in enumerate(node.args):
            self.expr(arg, base + i)
        self.free(mark)
        out = self.target(dest)
        if name == "print":
            self.emit("Print", base, len(node.args), node=node)
            self.emit("Null", 0, out, node=node)
        else:
            self.emit("CallBuiltin", base, len(node.args), out, name, node=node)
        return out

    # --8<-- [start:method]
    def expr_MethodCall(self, node: ast.MethodCall, dest: int | None) -> int:
        # exercise-start: carrot-method-call
        mark = self.next_temp
        base = self.temp(2 + len(node.args))  # the function, the table, the arguments
        self.expr(node.obj, base + 1)
        self.emit("GetField", base + 1, base, 0, node.name, node=node)
        for i, arg in enumerate(node.args):
            self.expr(arg, base + 2 + i)
        self.free(mark)
        out = self.target(dest)
        self.emit("Call", base, len(node.args) + 1, out, node=node)
        return out
        # exercise-end: carrot-method-call

    # --8<-- [end:method]
