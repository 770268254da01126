"""The playground's bridge (docs/playground/bridge.py), in CPython, without a browser.

The page in the browser calls exactly these functions in Pyodide; here they run with the
installed packages, and are compared with the commands they stand for and with SQLite.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

for package in ("dvm", "vdbe", "carrot"):
    pytest.importorskip(package, reason="the bridge drives the installed packages")

from playground_check import FIB, load_bridge  # noqa: E402 - the browser check's program

DOCS = Path(__file__).resolve().parents[2] / "docs"
BRIDGE = DOCS / "playground" / "bridge.py"
bridge = load_bridge(DOCS)
SHOP = """CREATE TABLE item(name TEXT, price REAL, note TEXT);
INSERT INTO item VALUES ('saw', 12.5, 'a; b'), ('nail', 0.1, NULL), ('glue', 3, 'x');
SELECT name, price * 2, note FROM item WHERE price > 1 ORDER BY name;
"""


def run(lang: str, source: str, explain: bool = False) -> dict:
    return json.loads(bridge.run(lang, source, explain))


def command(*args: str) -> str:
    """What a stage's command prints (standard output, then standard error)."""
    done = subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True)
    return done.stdout + done.stderr


def steps(session, count: int, action: str = "step") -> dict:
    for _ in range(count):
        state = json.loads(getattr(session, action)())
    return state


# ---------------------------------------------------------------- Run


@pytest.mark.parametrize(
    "source",
    [FIB, "print(1 / 0);", "print(1 +);", "fn f(n) { return g(n); }\nprint(f(2));"],
    ids=["fib", "runtime-error", "compile-error", "undefined"],
)
def test_a_carrot_run_prints_what_the_carrot_command_prints(source):
    result = run("carrot", source)
    assert result["output"] == command("carrot", "-c", source)
    assert (result["status"] == 0) == ("error" not in result["output"])


def test_a_runaway_carrot_program_stops_at_the_step_budget(monkeypatch):
    monkeypatch.setattr(bridge, "STEP_BUDGET", 10_000)
    result = run("carrot", "let n = 0;\nwhile true { n = n + 1; }")
    assert result["status"] == 70
    assert result["output"].startswith("<string>:2:")
    assert "runtime error: step limit exceeded (10000)" in result["output"]


def test_sql_statements_run_in_order_on_a_fresh_database_and_agree_with_sqlite():
    expected = sqlite3.connect(":memory:").executescript(SHOP.rsplit(";", 2)[0] + ";")
    rows = expected.execute(SHOP.strip().rsplit(";", 2)[1]).fetchall()
    shown = "".join("|".join("" if v is None else str(v) for v in row) + "\n" for row in rows)
    assert run("sql", SHOP) == {"output": shown, "status": 0}
    assert run("sql", SHOP)["output"] == shown  # the database starts empty every time


def test_an_sql_error_is_printed_as_vdbe_prints_it():
    result = run("sql", "SELECT 1; SELECT nope FROM nowhere; SELECT 2")
    assert result == {"output": "1\nError: no such table: nowhere\n", "status": 1}


def test_split_statements_keeps_semicolons_inside_strings():
    assert bridge.split_statements("SELECT 'a;b'; SELECT 2") == ["SELECT 'a;b';", "SELECT 2;"]
    assert bridge.split_statements(" ;; ") == []


@pytest.mark.parametrize("explain", [False, True])
@pytest.mark.parametrize("source", ["(1 + 2) * 3", "7 / (3 - 3)", "2 $ 3"])
def test_a_dvm_run_prints_what_the_dvm_command_prints(source, explain):
    flags = ["--explain"] if explain else []
    assert run("dvm", source, explain)["output"] == command("dvm", *flags, "-c", source)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'cobol'"):
        bridge.run("cobol", "")


# ---------------------------------------------------------------- stepping Carrot


def test_explain_gives_each_function_its_listing_and_source_lines():
    programs = json.loads(bridge.Session("carrot", FIB).explain())
    assert [p["name"] for p in programs] == ["<main>", "fn fibo(x)"]
    listing = command("carrot", "explain", "-c", FIB)
    for program in programs:
        assert program["listing"].strip() in listing
        assert len(program["lines"]) == len(program["listing"].splitlines()) - 2  # 2 headings
        assert set(program["lines"]) <= set(range(0, FIB.count("\n") + 1))
    assert 5 in programs[1]["lines"]  # fibo's `return fibo(x - 1) + ...` is on line 5


def test_stepping_runs_one_instruction_at_a_time():
    session = bridge.Session("carrot", FIB)
    start = json.loads(session.state())
    assert (start["pc"], start["done"], start["frames"][0]["function"]) == (0, False, "<main>")
    state = steps(session, 5)
    assert state["pc"] == 5 and not state["done"]
    assert state["line"] == json.loads(session.explain())[0]["lines"][5]


def test_step_enters_a_call_and_step_over_does_not():
    def until_call(session):
        programs = json.loads(session.explain())
        state = json.loads(session.state())
        while " Call " not in programs[0]["listing"].splitlines()[state["pc"] + 2]:
            state = json.loads(session.step())
        return state

    stepping = bridge.Session("carrot", FIB)
    until_call(stepping)
    inside = json.loads(stepping.step())
    assert [f["function"] for f in inside["frames"]] == ["fibo", "<main>"]
    assert inside["program"] == 1 and inside["pc"] == 0
    assert [1, "10"] in inside["registers"]  # the argument, in the callee's register 1

    over = bridge.Session("carrot", FIB)
    before = until_call(over)
    after = json.loads(over.step_over())
    assert [f["function"] for f in after["frames"]] == ["<main>"]
    assert after["pc"] == before["pc"] + 1
    assert "89" in [v for _, v in after["registers"]]  # fibo(10), in the call's register


def test_continue_runs_to_the_end_and_shows_the_tables_keys():
    session = bridge.Session("carrot", FIB)
    state = json.loads(session.cont())
    assert state["done"] and state["error"] is None
    assert state["output"] == "Hello world 89 {1: 1, 2: 4, 3: 9}\n"
    squares = next(t for t in state["tables"] if "squares" in t["names"])
    assert squares["keys"] == ["1", "2", "3"]
    assert json.loads(session.step()) == state  # nothing more happens


def test_a_stepped_error_reads_as_the_carrot_command_prints_it():
    source = "fn half(x) {\n    return x / 0;\n}\nprint(half(3));\n"
    state = json.loads(bridge.Session("carrot", source).cont())
    assert state["done"] and state["output"] == command("carrot", "-c", source)


def test_an_error_inside_a_txn_fn_reads_as_the_command_prints_it():
    pytest.importorskip("carrot_txn")
    source = "let t = {};\ntxn fn f() {\n    t[1] = 2;\n    return 1 / 0;\n}\nf();\n"
    session = bridge.Session("carrot", source)
    state = json.loads(session.cont())
    assert state["done"] and state["output"] == command("carrot", "-c", source)
    assert json.loads(session.step()) == state


def test_a_compile_error_ends_the_session_at_once():
    state = json.loads(bridge.Session("carrot", "let = 1;").state())
    assert state["done"] and state["error"].startswith("<string>:1:5: error:")


# ---------------------------------------------------------------- stepping SQL and dvm


def test_sql_steps_show_each_statement_cursors_and_rows():
    session = bridge.Session("sql", SHOP)
    programs = json.loads(session.explain())
    assert [p["name"] for p in programs] == bridge.split_statements(SHOP)
    cursors = set()
    state = json.loads(session.state())
    while not state["done"]:
        state = json.loads(session.step())
        if state["program"] == 2:
            cursors.update(state["cursors"])
    assert "cursor 0: btree, table root 2, at rowid 1" in cursors  # the table, read
    assert any(line.startswith("cursor 1: sorter") for line in cursors)  # ORDER BY
    assert state["rows"] == [["glue", "6.0", "x"], ["saw", "25.0", "a; b"]]
    assert "OpenRead" in json.loads(session.explain())[2]["listing"]


def test_dvm_steps_fill_the_registers_then_the_value():
    session = bridge.Session("dvm", "(1 + 2) * 3")
    state = steps(session, 3)  # LoadImm, LoadImm, Add
    assert state["pc"] == 3 and state["registers"][:2] == [[0, "3"], [1, "2"]]
    state = json.loads(session.cont())
    assert state["done"] and state["output"] == "9\n"


def test_dvm_division_by_zero_stops_with_the_commands_message():
    state = json.loads(bridge.Session("dvm", "7 / (3 - 3)").cont())
    assert state["done"] and state["output"] == command("dvm", "-c", "7 / (3 - 3)")


# ---------------------------------------------------------------- the same, in Pyodide

NODE_SCRIPT = """
const [pyodideDir, wheelDir, bridgePath, programs] = process.argv.slice(2);
const { loadPyodide } = await import(pyodideDir + "/pyodide.mjs");
const fs = await import("fs");
const py = await loadPyodide({ stdout: () => {}, stderr: () => {} });
const wheels = fs.readdirSync(wheelDir).map((name) => wheelDir + "/" + name);
await py.loadPackage(wheels, { messageCallback: () => {} });
py.FS.writeFile("/home/pyodide/bridge.py", fs.readFileSync(bridgePath, "utf8"));
const bridge = py.pyimport("bridge");
const answers = JSON.parse(fs.readFileSync(programs, "utf8")).map(([lang, code]) => {
  const session = bridge.Session(lang, code);
  for (let i = 0; i < 5; i++) session.step();
  return [JSON.parse(bridge.run(lang, code)), JSON.parse(session.state()).pc];
});
process.stdout.write(JSON.stringify(answers));
"""


def test_the_bridge_answers_the_same_under_pyodide_in_node(tmp_path):
    """Run and five Steps of each language, in Pyodide (node) and here, agree."""
    import shutil

    import playground_assets

    node = shutil.which("node")
    if node is None or playground_assets.installed_version() is None:
        pytest.skip("needs node and the npm copy of Pyodide (tools/playground_assets.py install)")
    wheels = tmp_path / "wheels"
    playground_assets.build_wheels(wheels)
    programs = [("carrot", FIB), ("sql", SHOP), ("dvm", "(1 + 2) * 3")]
    (tmp_path / "programs.json").write_text(json.dumps(programs))
    (tmp_path / "check.mjs").write_text(NODE_SCRIPT)
    done = subprocess.run(
        [node, str(tmp_path / "check.mjs"), str(playground_assets.PYODIDE_DIR), str(wheels)]
        + [str(BRIDGE), str(tmp_path / "programs.json")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    expected = []
    for lang, code in programs:
        session = bridge.Session(lang, code)
        expected.append([run(lang, code), steps(session, 5)["pc"]])
    assert json.loads(done.stdout) == expected


def test_the_chapters_playground_links_hold_programs_that_run():
    """The home page and each stage's opening page link into the playground with a
    program in the fragment: each decodes, and runs cleanly."""
    import base64
    import html
    import re

    pages = [DOCS / "index.md", *sorted(DOCS.glob("stage*/index.md"))]
    link = re.compile(r'href="(?:\.\./)?playground/#([^"]+)"')
    for page in pages:
        fragments = link.findall(page.read_text(encoding="utf-8"))
        assert fragments, f"{page.relative_to(DOCS)} has no playground link"
        for fragment in fragments:
            fields = dict(part.split("=", 1) for part in html.unescape(fragment).split("&"))
            code = base64.urlsafe_b64decode(fields["code"] + "=" * (-len(fields["code"]) % 4))
            result = run(fields["lang"], code.decode("utf-8"))
            assert result["status"] == 0 and result["output"], (page, result)
