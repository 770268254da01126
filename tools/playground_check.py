"""The playground, checked in a real browser (called by ``browser_check.py``).

With the site's own copy of Pyodide, in headless Chromium:

1. a Carrot program from a URL fragment (``&run=1``) runs, and ``#output`` holds what
   the ``carrot`` command prints for it;
2. five Steps highlight the address the same bridge, run here in CPython, reaches;
3. an SQL statement and a dvm expression run from fragments, with the output the
   bridge gives here;
4. a chapter example's Run button runs it in place.

Each leaves a screenshot. The expected outputs come from running the same programs
with the installed packages; without them, the check cannot know the answers and says
so. Without a self-hosted Pyodide (``python tools/playground_assets.py install``, then
build the site) it is skipped, with a message saying so.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import time
from pathlib import Path

import browser_check

LOAD_TIMEOUT = 300.0  # the first load fetches and starts Python: a minute on a busy machine
RUN_TIMEOUT = 60.0

FIB = """fn fibo(x) {
    if x == 1 || x == 0 {
        return 1;
    }
    return fibo(x - 1) + fibo(x - 2);
}

let squares = {};
for i, n in [1, 2, 3] {
    squares[n] = n * n;
}
print("Hello world", fibo(10), squares);
"""
SQL = """CREATE TABLE fruit(name TEXT, price INTEGER);
INSERT INTO fruit VALUES ('apple', 3), ('pear', 5), ('fig', 7);
SELECT name, price * 2, typeof(price) FROM fruit WHERE price > 4 ORDER BY name;
"""
DVM = "(7 + 5) * 3 - 20 / 4"
SNIPPET_PAGE = "stage3/"  # its first example is a whole program

# Waits, in the page, until a condition holds; resolves to the value or to null.
WAIT_FOR = """(async (test, seconds) => {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const value = test();
    if (value !== null && value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
})"""


def fragment(lang: str, code: str, run: bool = True) -> str:
    encoded = base64.urlsafe_b64encode(code.encode("utf-8")).decode().rstrip("=")
    return f"#lang={lang}&code={encoded}" + ("&run=1" if run else "")


def load_bridge(site: Path):
    """The bridge module the site serves, imported here (with the installed packages)."""
    spec = importlib.util.spec_from_file_location(
        "playground_bridge", site / "playground" / "bridge.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def evaluate(browser, session: str, expression: str, timeout: float = RUN_TIMEOUT):
    reply = browser.send(
        "Runtime.evaluate",
        {"expression": expression, "awaitPromise": True, "returnByValue": True},
        session,
        timeout=timeout + 10,
    )
    if "exceptionDetails" in reply:
        raise browser_check.BrowserError(f"in the page: {reply['exceptionDetails'].get('text')}")
    return reply["result"].get("value")


def wait_for(browser, session: str, test_js: str, seconds: float):
    return evaluate(browser, session, f"{WAIT_FOR}(() => {test_js}, {seconds})", seconds)


def output_when_done(browser, session: str, seconds: float) -> str | None:
    """The text of #output once a run has finished."""
    done = "(document.querySelector('#output[data-status=done]') || {}).textContent"
    return wait_for(browser, session, done, seconds)


class PlaygroundCheck:
    def __init__(self, browser, session: str, base: str, site: Path, shots: Path) -> None:
        self.browser, self.session, self.base, self.site = browser, session, base, site
        self.shots = shots
        self.bridge = load_bridge(site)
        self.problems: list[str] = []

    def expect(self, what: str, got, wanted) -> None:
        status = "ok  " if got == wanted else "FAIL"
        print(f"{status} playground: {what}")
        if got != wanted:
            self.problems.append(f"playground: {what}: expected {wanted!r}, got {got!r}")

    def shot(self, name: str) -> None:
        path = self.shots / f"playground-{name}.png"
        browser_check.screenshot(self.browser, self.session, path)
        print(f"     screenshot -> {path}")

    def open(self, path: str) -> None:
        self.browser.navigate(self.base + path, self.session)

    def run_fragment(self, lang: str, code: str, seconds: float = RUN_TIMEOUT) -> str | None:
        """Run a program through a fragment change (the page runs it on hashchange)."""
        change = "document.getElementById('output').dataset.status = 'old'; location.hash = "
        evaluate(self.browser, self.session, change + json.dumps(fragment(lang, code)))
        return output_when_done(self.browser, self.session, seconds)

    def carrot_from_a_link(self) -> None:
        started = time.monotonic()
        self.open("playground/" + fragment("carrot", FIB))
        output = output_when_done(self.browser, self.session, LOAD_TIMEOUT)
        print(f"     first load and run: {time.monotonic() - started:.1f} s")
        wanted = json.loads(self.bridge.run("carrot", FIB))["output"]
        self.expect(
            "a Carrot program from the URL fragment prints what carrot prints", output, wanted
        )
        status = evaluate(
            self.browser, self.session, "document.getElementById('pg-status').textContent"
        )
        print(f"     after the first load: {status}")
        self.shot("carrot-run")

    def five_steps(self) -> None:
        steps = """(async () => {
          document.getElementById('pg-reset').click();
          for (let i = 0; i < 5; i++) {
            document.getElementById('pg-step').click();
            await new Promise((r) => setTimeout(r, 50));
            while (document.body.classList.contains('pg-busy')) {
              await new Promise((r) => setTimeout(r, 50));
            }
          }
          const row = document.querySelector('.pg-op.pg-current');
          return row ? Number(row.dataset.addr) : null;
        })()"""
        address = evaluate(self.browser, self.session, steps)
        session = self.bridge.Session("carrot", FIB)
        for _ in range(5):
            state = json.loads(session.step())
        self.expect("five Steps highlight the next instruction's address", address, state["pc"])
        self.shot("carrot-five-steps")
        evaluate(self.browser, self.session, "document.getElementById('pg-continue').click()")
        output = output_when_done(self.browser, self.session, RUN_TIMEOUT)
        self.expect(
            "Continue runs the stepped program to its end",
            output,
            json.loads(session.cont())["output"],
        )
        share = "(() => { document.getElementById('pg-share').click(); return location.hash; })()"
        link = evaluate(self.browser, self.session, share)
        self.expect(
            "Share puts the program in the address", link, fragment("carrot", FIB, run=False)
        )

    def sql_and_dvm(self) -> None:
        output = self.run_fragment("sql", SQL)
        self.expect(
            "an SQL statement runs", output, json.loads(self.bridge.run("sql", SQL))["output"]
        )
        self.shot("sql-run")
        output = self.run_fragment("dvm", DVM)
        self.expect(
            "a dvm expression runs", output, json.loads(self.bridge.run("dvm", DVM))["output"]
        )
        self.shot("dvm-run")

    def chapter_snippet(self) -> None:
        self.open(SNIPPET_PAGE)
        code = evaluate(
            self.browser,
            self.session,
            "(() => { const b = document.querySelector('.pg-snippet-run');"
            " if (!b) return null; b.click();"
            " return document.querySelector('div.language-carrot code').textContent; })()",
        )
        if code is None:
            self.problems.append(f"playground: /{SNIPPET_PAGE} has no Run button")
            return
        output = wait_for(
            self.browser,
            self.session,
            "(document.querySelector('.pg-snippet-output[data-status=done]') || {}).textContent",
            LOAD_TIMEOUT,
        )
        wanted = json.loads(self.bridge.run("carrot", code))["output"]
        self.expect(f"a chapter example's Run button (/{SNIPPET_PAGE})", output, wanted)
        self.shot("chapter-run")

    def browser_problems(self) -> None:
        for problem in browser_check.event_problems(self.browser.events):
            self.problems.append(f"playground: {problem}")
        self.browser.events.clear()


def check_playground(browser, session: str, base: str, site: Path, shots: Path) -> list[str]:
    """Run the checks above; return the problems found."""
    manifest = json.loads((site / "playground" / "manifest.json").read_text(encoding="utf-8"))
    if not manifest["pyodide"]["self_hosted"]:
        missing = (
            "the site has no copy of Pyodide "
            "(run `python tools/playground_assets.py install`, which needs npm, then rebuild)"
        )
        if os.environ.get("CI") == "true":
            return [f"playground: {missing}"]
        print(f"browser_check: playground SKIPPED: {missing}")
        return []
    try:
        check = PlaygroundCheck(browser, session, base, site, shots)
    except ImportError as error:
        return [f"playground: the packages must be installed to know the answers ({error})"]
    for step in (check.carrot_from_a_link, check.five_steps, check.sql_and_dvm):
        step()
        check.browser_problems()
    check.chapter_snippet()
    check.browser_problems()
    return check.problems
