"""The extension interface: how another package adds to Carrot without patching it.

An extension is one :class:`Extension` object that a package advertises under the
entry point group ``carrot.extensions``, for instance in its ``pyproject.toml``::

    [project.entry-points."carrot.extensions"]
    txn = "carrot_txn.extension:EXTENSION"

(the entry point may name the object itself or a function that returns it). Carrot
finds every installed extension with :func:`load_extensions` and consults it at four
moments:

1. **parsing** - ``statements`` maps a keyword to a function that parses the statement
   it starts. The parser calls it with itself and the keyword's token, already consumed;
   the function uses the parser's public helpers (``expect``, ``parse_expression``,
   ``parse_function``, ``in_function``...) and returns an AST node. A prefix such as
   ``txn`` in ``txn fn pay() {}`` is just such a statement: its parser consumes ``fn`` and
   calls ``parser.parse_function(token, is_txn=True)``.
2. **compiling** - ``node_compilers`` maps an AST node class to a function
   ``compile(compiler, node)`` that emits its code; ``fn_compilers`` maps a function
   modifier (``"txn"``) to ``compile(compiler, fn_decl, compile_body)`` that wraps the
   function's code (``compile_body()`` emits the ordinary body).
3. **running** - ``opcode_modules`` are imported before a program runs, so the opcodes
   they declare with ``@opcode(extension=...)`` are registered, and ``translators`` map
   an opcode name to its fast-path translation (without one, a program that uses the
   opcode runs on the engine), ``call_free_opcodes`` names those of them that never call
   a Carrot function (the fast path then still binds functions declared after them);
   ``setup(interpreter, options)``
   runs before the program (define globals such as ``db``, open files) and
   ``teardown(runtime)`` after it, even when it failed. ``statement_end(compiler, stmt)``
   is called by the compiler after each top-level statement (to emit, say, a commit of
   what the statement changed), and ``on_error(interpreter)`` when a run ends in a runtime
   error or an interrupt, before the error is reported (to roll back what it left open).
4. **the command line** - ``options`` are extra ``carrot run`` options (``--db PATH``);
   their values reach ``setup`` in ``options`` under their ``dest`` names.

Extensions are used only where they are asked for, on both sides at once: the ``carrot``
command loads every installed one, compiles with them and gives the same
:class:`Extensions` to the :class:`~carrot.runtime.Interpreter`, which registers their
opcodes and translators and runs their ``setup``. The Python API without ``extensions``
is plain Carrot, whatever is installed.

Keywords that the language reserves for an extension (``txn``, ``abort``) stay keywords
when it is absent; using them is then a compile error that names the package to install.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from carrot.entrypoints import entry_points

ENTRY_POINT_GROUP = "carrot.extensions"

# Keywords whose meaning comes from an extension, and the package that gives it.
# --8<-- [start:reserved]
RESERVED_FOR = {
    "txn": ("carrot-txn", "'txn fn' (a transactional function)"),
    "abort": ("carrot-txn", "'abort'"),
}
INSTALL_HINT = {"carrot-txn": 'pip install "carrot-lang[txn]"'}
OPTION_OWNERS = {"--db": "carrot-txn"}  # options an absent extension would add
# --8<-- [end:reserved]

StatementParser = Callable[[Any, Any], Any]  # (parser, keyword token) -> ast.Stmt
NodeCompiler = Callable[[Any, Any], None]  # (compiler, node) -> None
FnCompiler = Callable[[Any, Any, Callable[[], None]], None]  # (compiler, fn, compile_body)
Translator = Callable[[Any, int, Any], list[str]]  # (instruction, address, writer) -> lines


@dataclass(frozen=True)
class CliOption:
    """An extra option of ``carrot run``, handed to ``argparse.add_argument``."""

    flag: str  # "--db"
    dest: str  # "db"
    help: str
    metavar: str | None = None


# --8<-- [start:extension]
@dataclass
class Extension:
    """Everything one extension adds to Carrot. Every part is optional."""

    name: str
    statements: Mapping[str, StatementParser] = field(default_factory=dict)
    node_compilers: Mapping[type, NodeCompiler] = field(default_factory=dict)
    fn_compilers: Mapping[str, FnCompiler] = field(default_factory=dict)
    opcode_modules: Sequence[str] = ()
    translators: Mapping[str, Translator] = field(default_factory=dict)  # fast path
    call_free_opcodes: frozenset[str] = frozenset()  # translated, never call a Carrot fn
    options: Sequence[CliOption] = ()
    setup: Callable[[Any, dict[str, Any]], None] | None = None
    teardown: Callable[[Any], None] | None = None
    statement_end: Callable[[Any, Any], None] | None = None  # (compiler, top-level stmt)
    on_error: Callable[[Any], None] | None = None  # (interpreter)


# --8<-- [end:extension]


class ExtensionError(Exception):
    """An installed extension could not be loaded or clashes with another."""


@dataclass
class Extensions:
    """All loaded extensions, merged into the lookups the parser, compiler and CLI use."""

    loaded: list[Extension] = field(default_factory=list)
    statements: dict[str, StatementParser] = field(default_factory=dict)
    node_compilers: dict[type, NodeCompiler] = field(default_factory=dict)
    fn_compilers: dict[str, FnCompiler] = field(default_factory=dict)
    options: list[CliOption] = field(default_factory=list)
    statement_end_hooks: list[Callable[[Any, Any], None]] = field(default_factory=list)
    error_hooks: list[Callable[[Any], None]] = field(default_factory=list)

    @classmethod
    def of(cls, extensions: Sequence[Extension]) -> Extensions:
        merged = cls()
        for extension in extensions:
            merged.add(extension)
        return merged

    def add(self, extension: Extension) -> None:
        for table, new in (
            (self.statements, extension.statements),
            (self.node_compilers, extension.node_compilers),
            (self.fn_compilers, extension.fn_compilers),
        ):
            for key, value in new.items():
                if key in table:
                    raise ExtensionError(f"extension '{extension.name}' redefines {key!r}")
                table[key] = value
        self.options.extend(extension.options)
        if extension.statement_end is not None:
            self.statement_end_hooks.append(extension.statement_end)
        if extension.on_error is not None:
            self.error_hooks.append(extension.on_error)
        self.loaded.append(extension)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(extension.name for extension in self.loaded)

    def import_opcodes(self) -> None:
        """Register every extension's opcodes (by importing their modules) and their
        fast-path translators."""
        for extension in self.loaded:
            for module in extension.opcode_modules:
                importlib.import_module(module)
            if extension.translators:
                from carrot.runtime.fastpath import register_translator

                for opcode, translator in extension.translators.items():
                    calls = opcode not in extension.call_free_opcodes
                    register_translator(opcode, translator, calls_functions=calls)

    def setup(self, runtime: Any, options: dict[str, Any]) -> None:
        for extension in self.loaded:
            if extension.setup is not None:
                extension.setup(runtime, options)

    def error(self, interpreter: Any) -> None:
        """Tell every extension that a run ended in an error or an interrupt."""
        for hook in self.error_hooks:
            hook(interpreter)

    def teardown(self, runtime: Any) -> None:
        for extension in reversed(self.loaded):
            if extension.teardown is not None:
                extension.teardown(runtime)


NO_EXTENSIONS = Extensions()


@cache
def load_extensions() -> Extensions:
    """Every extension installed under the ``carrot.extensions`` entry point group."""
    found: list[Extension] = []
    # A package found twice on the path (installed, and its sources on PYTHONPATH)
    # advertises the same entry point twice: it is still one extension.
    unique = {(e.name, e.value): e for e in entry_points(group=ENTRY_POINT_GROUP)}
    for entry in sorted(unique.values(), key=lambda e: e.name):
        try:
            obj = entry.load()
            extension = obj() if callable(obj) and not isinstance(obj, Extension) else obj
        except Exception as exc:  # a broken install must not look like a user's mistake
            raise ExtensionError(f"cannot load extension '{entry.name}': {exc}") from exc
        if not isinstance(extension, Extension):
            raise ExtensionError(f"extension '{entry.name}' is not a carrot Extension")
        found.append(extension)
    return Extensions.of(found)


def missing_extension_message(keyword: str) -> str:
    """The compile error for a reserved keyword whose extension is not installed."""
    package, feature = RESERVED_FOR[keyword]
    return f"{feature} needs the {package} package: {INSTALL_HINT[package]}"
