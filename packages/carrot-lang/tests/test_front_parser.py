"""The parser: the tree it builds, the positions it records, and its error messages."""

import pytest
from carrot import ast
from carrot.diagnostics import CompileError
from carrot.extension import NO_EXTENSIONS, Extension, Extensions
from carrot.parser import parse


def parse_plain(text):
    return parse(text, "t.carrot", NO_EXTENSIONS)


def expr(text):
    (stmt,) = parse_plain(text + ";").body
    return stmt.expr


def show(node):
    """A compact s-expression of an expression tree, for readable assertions."""
    match node:
        case ast.Int() | ast.Float() | ast.Bool():
            return repr(node.value).lower() if isinstance(node, ast.Bool) else repr(node.value)
        case ast.Str():
            return repr(node.value)
        case ast.Null():
            return "null"
        case ast.Name():
            return node.name
        case ast.Unary():
            return f"({node.op} {show(node.operand)})"
        case ast.Binary() | ast.Logical():
            return f"({node.op} {show(node.left)} {show(node.right)})"
        case ast.Call():
            return f"(call {show(node.callee)}{''.join(' ' + show(a) for a in node.args)})"
        case ast.Index():
            return f"(index {show(node.obj)} {show(node.key)})"
        case ast.Field():
            return f"(. {show(node.obj)} {node.name})"
        case ast.MethodCall():
            args = "".join(" " + show(a) for a in node.args)
            return f"(method {show(node.obj)} {node.name}{args})"
        case ast.ListLit():
            return "[" + " ".join(show(i) for i in node.items) + "]"
        case ast.TableLit():
            return "{" + " ".join(f"{show(k)}:{show(v)}" for k, v in node.entries) + "}"
    raise AssertionError(node)


def error_of(text):
    with pytest.raises(CompileError) as info:
        parse_plain(text)
    return info.value


@pytest.mark.parametrize(
    "text, tree",
    [
        ("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ("1 - 2 - 3", "(- (- 1 2) 3)"),
        ("a || b && c", "(|| a (&& b c))"),
        ("a == b < c", "(== a (< b c))"),
        ("-a * b", "(* (- a) b)"),
        ("!a == b", "(== (! a) b)"),
        ("- - 1", "(- (- 1))"),
        ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
        ("a % b / c", "(/ (% a b) c)"),
        ("x == 1 || x == 0", "(|| (== x 1) (== x 0))"),
        ("f(1, 2)(3)", "(call (call f 1 2) 3)"),
        ("t[1][2]", "(index (index t 1) 2)"),
        ("t.a.b", "(. (. t a) b)"),
        ("user.balance()", "(method user balance)"),
        ("t.f(1, 2).g", "(. (method t f 1 2) g)"),
        ("-t.x", "(- (. t x))"),
        ("[1, 2, 3,]", "[1 2 3]"),
        ('{a: 1, "b c": 2, 7: "x", [k]: v}', "{'a':1 'b c':2 7:'x' k:v}"),
        ("{}", "{}"),
        ("t.in", "(. t in)"),
        ("-9223372036854775808", "-9223372036854775808"),
        ("true != false", "(!= true false)"),
        ("null", "null"),
    ],
)
def test_expression_trees(text, tree):
    assert show(expr(text)) == tree


def test_positions_of_operators_calls_and_fields():
    e = expr("fibo(x - 1) + t.f")
    assert (e.line, e.col) == (1, 13)  # the '+'
    assert (e.left.line, e.left.col) == (1, 1)  # the call: at its callee
    assert (e.left.args[0].line, e.left.args[0].col) == (1, 8)  # the '-'
    assert (e.right.line, e.right.col) == (1, 17)  # the field name


def test_statements():
    program = parse_plain(
        """
        fn add(a, b) { return a + b; }
        let x = 1;
        x = 2;
        t[0] = 1;
        t.k = 2;
        if x { } else if y { } else { }
        while x { break; continue; }
        for k in t { }
        for k, v in t { }
        print(x);
        """
    )
    types = [type(s).__name__ for s in program.body]
    assert types == [
        "FnDecl", "Let", "Assign", "Assign", "Assign", "If", "While", "ForIn", "ForIn", "ExprStmt",
    ]  # fmt: skip
    fn = program.body[0]
    assert (fn.name, fn.params, fn.is_txn) == ("add", ["a", "b"], False)
    if_stmt = program.body[5]
    assert isinstance(if_stmt.orelse, ast.If)
    assert isinstance(if_stmt.orelse.orelse, ast.Block)
    assert program.body[7].value is None
    assert (program.body[8].key, program.body[8].value) == ("k", "v")


def test_return_without_value():
    fn = parse_plain("fn f() { return; }").body[0]
    assert fn.body.body[0].value is None


@pytest.mark.parametrize(
    "text, message, col",
    [
        ("let x = 1", "expected ';' after the value, found end of input", 10),
        ("print(1)\nprint(2);", "expected ';' after the expression, found name 'print'", 9),
        ("let = 1;", "expected a variable name after 'let', found '='", 5),
        ("1 + ;", "expected an expression, found ';'", 5),
        ("f(1, 2;", "expected ')' after the arguments, found ';'", 7),
        ("1 = 2;", "cannot assign to this expression", 3),
        ("f() = 2;", "cannot assign to this expression", 5),
        ("if x print(1);", "expected '{' to start the body of 'if', found name 'print'", 6),
        ("let x = 9223372036854775808;", "out of range", 9),
        ("fn f(a, a) {}", "duplicate parameter 'a'", 9),
        ("for k, k in t {}", "'k' is used twice in the loop", 8),
        ("{a 1};", "expected ':' after the table key, found number 1", 4),
    ],
)
def test_syntax_errors(text, message, col):
    error = error_of(text)
    assert message in error.message
    assert error.col == col


def test_unclosed_brace_names_where_it_opened():
    error = error_of("fn f() {\n  print(1);\n")
    assert error.message == "'{' at 1:8 is never closed"


def test_functions_only_at_top_level():
    error = error_of("if true { fn f() {} }")
    assert error.message == "functions can only be declared at top level"
    assert (error.line, error.col) == (1, 11)
    assert "top level" in error_of("fn f() { fn g() {} }").message


@pytest.mark.parametrize("text", ["txn fn pay() {}", "fn f() { abort; }"])
def test_txn_keywords_without_the_extension_name_the_package(text):
    error = error_of(text)
    assert "carrot-txn" in error.message
    assert 'pip install "carrot-lang[txn]"' in error.message


def test_extension_statements_are_parsed_by_the_extension():
    def parse_txn(parser, token):
        parser.expect("fn", "'fn' after 'txn'")
        return parser.parse_function(token, is_txn=True)

    def parse_abort(parser, token):
        if not (parser.in_function() and parser.in_function().is_txn):
            raise CompileError("'abort' outside a txn fn", token.line, token.col)
        parser.expect_semicolon("'abort'")
        return ast.Abort(line=token.line, col=token.col)

    extensions = Extensions.of(
        [Extension("txn", statements={"txn": parse_txn, "abort": parse_abort})]
    )
    program = parse("txn fn pay() { abort; }", "t.carrot", extensions)
    fn = program.body[0]
    assert fn.is_txn and isinstance(fn.body.body[0], ast.Abort)
    with pytest.raises(CompileError, match="outside a txn fn"):
        parse("fn f() { abort; }", "t.carrot", extensions)


def test_deep_nesting_is_an_error_not_a_crash():
    error = error_of("x = " + "(" * 5000 + "1" + ")" * 5000 + ";")
    assert "nested too deeply" in error.message
    error = error_of("x = " + "-" * 5000 + "1;")
    assert "nested too deeply" in error.message


def test_the_original_design_program_parses():
    text = """fn fibo(x) {
    if x == 1 || x == 0 {
        return 1;
    }
    return fibo(x - 1) + fibo(x - 2);
}

print("Hello world");
"""
    program = parse_plain(text)
    assert [type(s).__name__ for s in program.body] == ["FnDecl", "ExprStmt"]


def test_very_long_chains_are_an_error_not_a_crash():
    error = error_of("x = " + " + ".join(["1"] * 5000) + ";")
    assert "expression too complex" in error.message
    parse_plain("x = " + " + ".join(["1"] * 500) + ";")  # long, but fine


@pytest.mark.parametrize(
    "text, message",
    [
        ("def f() {}", "unexpected name 'def': Carrot writes 'fn'"),
        ("function f() {}", "unexpected name 'function': Carrot writes 'fn'"),
        ("var x = 1;", "unexpected name 'var': Carrot writes 'let'"),
        ("if x = 1 { }", "'=' assigns a value; use '==' to compare"),
        ("while x = 1 { }", "'=' assigns a value; use '==' to compare"),
    ],
)
def test_hints_for_habits_from_other_languages(text, message):
    assert error_of(text).message == message


def test_foreign_words_are_still_ordinary_names():
    body = parse_plain("let def = 1; def = def + 1; print(def); let var = [def];").body
    declare, assign, call, declare_var = body
    assert (declare.name, assign.target.name, assign.value.left.name) == ("def", "def", "def")
    assert [arg.name for arg in call.expr.args] == ["def"]
    assert declare_var.name == "var"
    assert [item.name for item in declare_var.value.items] == ["def"]
