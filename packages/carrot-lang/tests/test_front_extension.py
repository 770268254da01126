"""The extension interface: discovery by entry point, merging, and the hooks the
parser and the command line call."""

import pytest
from carrot import ast, cli
from carrot import extension as ext
from carrot.diagnostics import CompileError
from carrot.extension import CliOption, Extension, ExtensionError, Extensions
from carrot.parser import parse


class FakeEntryPoint:
    """Stands in for an importlib.metadata EntryPoint: a name, a value, load()."""

    def __init__(self, name, obj):
        self.name = name
        self.value = f"fake_module:{name}"
        self.obj = obj

    def load(self):
        if isinstance(self.obj, Exception):
            raise self.obj
        return self.obj


@pytest.fixture
def entry_points(monkeypatch):
    """Replace the installed entry points of ``carrot.extensions`` with fakes."""

    def install(*points):
        def fake(group):
            assert group == "carrot.extensions"
            return list(points)

        monkeypatch.setattr(ext, "entry_points", fake)
        ext.load_extensions.cache_clear()

    yield install
    ext.load_extensions.cache_clear()


def test_extensions_found_by_entry_point_object_or_factory(entry_points):
    first = Extension("first", statements={"abort": lambda p, t: None})
    second = Extension("second", options=[CliOption("--db", "db", "a database", "PATH")])
    entry_points(FakeEntryPoint("b", lambda: second), FakeEntryPoint("a", first))
    loaded = ext.load_extensions()
    assert [e.name for e in loaded.loaded] == ["first", "second"]  # sorted by entry name
    assert "abort" in loaded.statements
    assert [o.flag for o in loaded.options] == ["--db"]


def test_a_broken_extension_is_reported_by_name(entry_points):
    entry_points(FakeEntryPoint("txn", ImportError("no module named carrot_txn.x")))
    with pytest.raises(ExtensionError, match="cannot load extension 'txn'"):
        ext.load_extensions()


def test_an_entry_point_must_give_an_extension(entry_points):
    entry_points(FakeEntryPoint("odd", 42))
    with pytest.raises(ExtensionError, match="not a carrot Extension"):
        ext.load_extensions()


def test_two_extensions_may_not_claim_one_keyword():
    one = Extension("one", statements={"abort": lambda p, t: None})
    two = Extension("two", statements={"abort": lambda p, t: None})
    with pytest.raises(ExtensionError, match="redefines 'abort'"):
        Extensions.of([one, two])


def test_hooks_are_merged_and_called_in_order():
    calls = []
    one = Extension(
        "one",
        setup=lambda rt, opts: calls.append(("setup one", opts)),
        teardown=lambda rt: calls.append("teardown one"),
        on_error=lambda it: calls.append("error one"),
        statement_end=lambda c, s: None,
    )
    two = Extension("two", teardown=lambda rt: calls.append("teardown two"))
    merged = Extensions.of([one, two])
    merged.setup(object(), {"db": None})
    merged.error(object())
    merged.teardown(object())
    assert calls == [("setup one", {"db": None}), "error one", "teardown two", "teardown one"]
    assert len(merged.statement_end_hooks) == 1


def test_an_extension_statement_can_parse_a_prefix_and_check_context():
    def parse_txn(parser, token):
        parser.expect("fn", "'fn' after 'txn'")
        return parser.parse_function(token, is_txn=True)

    def parse_abort(parser, token):
        function = parser.in_function()
        if function is None or not function.is_txn:
            raise CompileError("'abort' outside a txn fn", token.line, token.col)
        parser.expect_semicolon("'abort'")
        return ast.Abort(line=token.line, col=token.col)

    txn = Extensions.of([Extension("txn", statements={"txn": parse_txn, "abort": parse_abort})])
    (fn,) = parse("txn fn pay() {\n  abort;\n}", "t.carrot", txn).body
    assert fn.is_txn and fn.name == "pay"
    assert (fn.body.body[0].line, fn.body.body[0].col) == (2, 3)
    with pytest.raises(CompileError, match="'fn' after 'txn'"):
        parse("txn let x = 1;", "t.carrot", txn)
    with pytest.raises(CompileError, match="top level"):
        parse("fn f() { txn fn g() {} }", "t.carrot", txn)


def test_command_line_options_and_setup_reach_the_extension(entry_points, tmp_path, capsys):
    seen = {}

    def setup(interpreter, options):
        seen.update(options)
        interpreter.runtime.globals["answer"] = 42

    entry_points(
        FakeEntryPoint(
            "fake",
            Extension(
                "fake",
                options=[CliOption("--db", "db", "a database file", "PATH")],
                setup=setup,
                teardown=lambda interpreter: seen.update(closed=True),
            ),
        )
    )
    program = tmp_path / "p.carrot"
    program.write_text("print(answer);\n")
    assert cli.main(["run", str(program), "--db", "bank.db"]) == 0
    assert capsys.readouterr().out == "42\n"
    assert seen == {"db": "bank.db", "closed": True}


def test_error_hooks_run_when_a_program_fails(entry_points, tmp_path, capsys):
    calls = []
    entry_points(FakeEntryPoint("fake", Extension("fake", on_error=lambda it: calls.append(it))))
    program = tmp_path / "p.carrot"
    program.write_text("print(1 / 0);\n")
    assert cli.main([str(program)]) == 70
    assert len(calls) == 1
    assert "division by zero" in capsys.readouterr().err


def test_an_extension_setup_error_is_reported_without_a_traceback(entry_points, tmp_path, capsys):
    from carrot.runtime.errors import CarrotRuntimeError

    def setup(interpreter, options):
        raise CarrotRuntimeError("cannot open database /nowhere/x.db")

    entry_points(FakeEntryPoint("fake", Extension("fake", setup=setup)))
    program = tmp_path / "p.carrot"
    program.write_text("print(1);\n")
    assert cli.main([str(program)]) == 70
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "carrot: error: cannot open database /nowhere/x.db\n"


def test_an_extension_advertised_twice_loads_once(entry_points):
    """An installed package whose sources are also on PYTHONPATH shows its entry point twice."""
    entry_points(
        FakeEntryPoint("fake", Extension("fake")), FakeEntryPoint("fake", Extension("fake"))
    )
    assert [e.name for e in ext.load_extensions().loaded] == ["fake"]


def statement_marker(compiler, statement):
    """A statement_end hook: print a marker after each top-level statement."""
    register = compiler.temp()
    compiler.emit("String8", 0, register, 0, "end", node=statement)
    compiler.emit("Print", register, 1, node=statement)
    compiler.free(register)


def test_the_python_api_is_plain_carrot_unless_asked(entry_points):
    import io

    from carrot.compiler import compile_program
    from carrot.resolver import analyze
    from carrot.runtime import Interpreter

    entry_points(FakeEntryPoint("marker", Extension("marker", statement_end=statement_marker)))
    out = io.StringIO()
    Interpreter(out).run(compile_program(analyze("print(1);")))
    assert out.getvalue() == "1\n"  # installed, but nobody asked for it
    installed = ext.load_extensions()
    compiled = compile_program(analyze("print(1);", "t", installed), extensions=installed)
    Interpreter(out, extensions=installed).run(compiled)
    assert out.getvalue() == "1\n1\nend\n"


def test_a_program_compiled_with_an_extension_needs_an_interpreter_with_it():
    from carrot.compiler import compile_program
    from carrot.resolver import analyze
    from carrot.runtime import Interpreter

    marker = Extensions.of([Extension("marker", statement_end=statement_marker)])
    compiled = compile_program(analyze("print(1);"), extensions=marker)
    with pytest.raises(ExtensionError, match="compiled with the extension.s. marker: give"):
        Interpreter().run(compiled)


def test_an_interpreter_sets_its_extensions_up_and_tears_them_down():
    from carrot.runtime import Interpreter

    calls = []
    extension = Extension(
        "fake",
        setup=lambda interpreter, options: calls.append(("setup", options)),
        teardown=lambda interpreter: calls.append("teardown"),
    )
    with Interpreter(extensions=Extensions.of([extension]), options={"db": "x.db"}):
        assert calls == [("setup", {"db": "x.db"})]
    assert calls == [("setup", {"db": "x.db"}), "teardown"]
