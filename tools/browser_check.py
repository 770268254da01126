#!/usr/bin/env python3
"""Open the built tutorial site in a real browser (headless Chromium) and check it.

    python tools/browser_check.py site [--screenshots screenshots/site]

Serves the site on a loopback port, 1280 px wide, then opens every page: the home page,
a chapter of each stage and the opcode reference first, saving a screenshot of each of
those. It fails on:

- a page that does not load (HTTP status other than 200),
- an asset that does not load (any failed request or HTTP error),
- a JavaScript error or a console error message,
- a mermaid diagram that was not drawn, or whose text is drawn smaller than
  MIN_DIAGRAM_TEXT_PX,
- a code block the reader must scroll sideways, or a block of source code (Python,
  Carrot) whose lines do not fit without wrapping,
- a table that scrolls sideways, or a name in a table cell (an opcode's, say) broken
  across lines.

Chromium is driven through the DevTools protocol over a pipe (``--remote-debugging-pipe``),
with the standard library only. If Chromium is missing and we are root on Debian, it is
installed with apt-get; otherwise the check is skipped with a message saying so.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from base64 import b64decode
from pathlib import Path

from check_site import SOURCE_LANGUAGES  # source code: its lines must fit, unwrapped

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
)
PAGE_TIMEOUT = 30.0
MAX_SHOT_HEIGHT = 3000  # screenshots show the whole page, up to this many pixels
SETTLE_SECONDS = 1.5  # quiet time after load, for scripts that draw after it (mermaid)
DIAGRAM_TIMEOUT = 30.0  # the longest wait for the diagrams to be drawn
WIDTH = 1280  # the window's width, in CSS pixels
MIN_DIAGRAM_TEXT_PX = 12.0  # the smallest diagram text that reads comfortably

# The theme draws diagrams into closed shadow roots; opened, the layout probe can measure
# their text.
OPEN_SHADOW_ROOTS = """(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attach.call(this, {...init, mode: 'open'});
  };
})()"""

# The theme draws each diagram into a closed shadow root of a <div class="mermaid">;
# a diagram it could not draw stays a <pre class="mermaid"> of source text.
PAGE_PROBE = """(() => {
  const waiting = document.querySelectorAll('pre.mermaid').length;
  const drawn = [...document.querySelectorAll('div.mermaid')]
      .filter(d => d.getBoundingClientRect().height > 10).length;
  const brokenImages = [...document.images]
      .filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src);
  return JSON.stringify({
    title: document.title,
    mermaid: waiting + document.querySelectorAll('div.mermaid').length,
    mermaidDrawn: drawn,
    brokenImages: brokenImages,
    articleText: (document.querySelector('article') || document.body).innerText.length,
  });
})()"""


# What the reader sees at this width: code that scrolls, source code that only fits by
# wrapping, tables that scroll, names broken in tables, and the size of each diagram's
# smallest text (its font size times the scale the SVG is drawn at).
LAYOUT_PROBE = """((sourceLanguages) => {
  const article = document.querySelector('article') || document.body;
  const longest = (code) => code.textContent.split('\\n')
      .reduce((a, b) => (b.length > a.length ? b : a), '').trim().slice(0, 60);
  const overflows = (element) => element.scrollWidth > element.clientWidth + 1;
  const scrolling = [], wrapping = [];
  for (const code of article.querySelectorAll('pre > code')) {
    if (overflows(code)) scrolling.push(longest(code));
    const block = code.closest('.highlight');
    if (block && sourceLanguages.some((l) => block.classList.contains('language-' + l))) {
      const wrap = code.style.whiteSpace;
      code.style.whiteSpace = 'pre';
      if (overflows(code)) wrapping.push(longest(code));
      code.style.whiteSpace = wrap;
    }
  }
  const wideTables = [...article.querySelectorAll('table')].filter(overflows)
      .map((t) => t.innerText.trim().split('\\n')[0].slice(0, 60));
  const brokenNames = [...article.querySelectorAll('td code')]
      .filter((c) => !/\\s/.test(c.textContent) && c.getClientRects().length > 1)
      .map((c) => c.textContent);
  const diagramText = [...article.querySelectorAll('div.mermaid')].map((diagram) => {
    const svg = diagram.shadowRoot && diagram.shadowRoot.querySelector('svg');
    const box = svg && svg.viewBox.baseVal;
    if (!box || !box.width) return null;
    const scale = svg.getBoundingClientRect().width / box.width;
    const sizes = [...svg.querySelectorAll('text, foreignObject *')]
        .filter((e) => e.textContent.trim() && e.getClientRects().length)
        .map((e) => parseFloat(getComputedStyle(e).fontSize) * scale);
    return sizes.length ? Math.min(...sizes) : null;
  });
  return JSON.stringify({scrolling, wrapping, wideTables, brokenNames, diagramText});
})(SOURCE_LANGUAGES)""".replace("SOURCE_LANGUAGES", json.dumps(SOURCE_LANGUAGES))


class BrowserError(Exception):
    """Chromium could not be started or stopped answering."""


class Chromium:
    """A headless Chromium driven over the DevTools protocol's pipe transport."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def child_fds() -> None:
            # Chromium reads commands from fd 3 and writes replies to fd 4. Move the
            # pipe ends out of the way first, so neither is overwritten by the other.
            import fcntl

            commands = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
            replies = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        self.process = subprocess.Popen(
            [executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            close_fds=False,
            preexec_fn=child_fds,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        self._stderr_lines: list[str] = []
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _drain_stderr(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            self._stderr_lines.append(raw.decode(errors="replace").rstrip())

    def send(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = PAGE_TIMEOUT,
    ) -> dict:
        """Send one command and wait for its answer, keeping the events that come first."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str, timeout: float) -> bool:
        """Wait until an event arrives (or was already kept); False on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            if any(e["method"] == method for e in self.events):
                return True
            try:
                reply = self._read(deadline)
            except TimeoutError:
                return False
            if "method" in reply:
                self.events.append(reply)

    def navigate(self, url: str, session: str) -> bool:
        """Open ``url`` in the tab, forgetting earlier events; False if it does not load."""
        self.events.clear()
        self.send("Page.navigate", {"url": url}, session)
        return self.wait_for("Page.loadEventFired", PAGE_TIMEOUT)

    def pump(self, seconds: float) -> None:
        """Collect events for a while."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                reply = self._read(deadline)
            except TimeoutError:
                return
            if "method" in reply:
                self.events.append(reply)

    def _read(self, deadline: float) -> dict:
        import select

        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                log = "\n".join(self._stderr_lines[-15:])
                raise BrowserError(f"Chromium exited (status {self.process.poll()}):\n{log}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self) -> None:
        with contextlib.suppress(BrowserError, TimeoutError, OSError):
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)


def find_chromium(install: bool) -> str | None:
    """The Chromium executable, installing Debian's package when root and allowed."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    if not install or os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    print("browser_check: installing Debian's chromium package (apt-get)...", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            print(result.stdout[-2000:] + result.stderr[-2000:], file=sys.stderr)
            return None
    return shutil.which("chromium")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


PLAYGROUND = "playground/"  # loads Pyodide as it opens: checked by playground_check


def all_pages(site: Path) -> list[str]:
    """Every page of the site but the playground, as paths relative to its root ("" for
    the home page)."""
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    pages = [("" if page == "." else page + "/") for page in pages]
    return [page for page in pages if page != PLAYGROUND]


def default_pages(site: Path) -> list[str]:
    """The pages to look at: the home page, the first chapter of each stage, and the
    opcode reference."""
    pages = [""]
    for stage in sorted(p.name for p in site.glob("stage*") if p.is_dir()):
        pages.append(first_chapter(site, stage))
    pages.append("reference/opcodes/")
    return pages


def first_chapter(site: Path, stage: str) -> str:
    """The page the stage's section page leads to ("Next" in the footer), if it is
    still inside the stage; else the section page itself."""
    index = site / stage / "index.html"
    if index.is_file():
        text = index.read_text(encoding="utf-8", errors="replace")
        match = re.search(
            r'<a href="([^"]+)"[^>]*class="md-footer__link md-footer__link--next"', text
        )
        if match:
            target = match.group(1)
            if not target.startswith(("http:", "https:", "/", "..")) and target not in ("./", "."):
                return f"{stage}/{target.lstrip('./')}"
    return f"{stage}/"


def probe_page(browser: Chromium, session: str) -> dict:
    reply = browser.send(
        "Runtime.evaluate", {"expression": PAGE_PROBE, "returnByValue": True}, session
    )
    return json.loads(reply["result"]["value"])


def wait_for_diagrams(browser: Chromium, session: str) -> dict:
    """The page's facts once every diagram is drawn, or when DIAGRAM_TIMEOUT runs out
    (a busy machine draws slowly; a broken diagram never is)."""
    deadline = time.monotonic() + DIAGRAM_TIMEOUT
    facts = probe_page(browser, session)
    while facts["mermaid"] != facts["mermaidDrawn"] and time.monotonic() < deadline:
        if any(e["method"] == "Runtime.exceptionThrown" for e in browser.events):
            break  # a diagram that failed to parse will not be drawn
        browser.pump(0.5)
        facts = probe_page(browser, session)
    return facts


def probe_layout(browser: Chromium, session: str) -> dict:
    reply = browser.send(
        "Runtime.evaluate", {"expression": LAYOUT_PROBE, "returnByValue": True}, session
    )
    return json.loads(reply["result"]["value"])


def layout_problems(layout: dict) -> list[str]:
    """What reads badly at this width, from the layout probe's measurements."""
    problems = [f"a code line scrolls sideways: {line!r}" for line in layout["scrolling"]]
    problems += [
        f"source code wraps, its lines do not fit the page: {line!r}" for line in layout["wrapping"]
    ]
    problems += [f"a table scrolls sideways: {table!r}" for table in layout["wideTables"]]
    problems += [f"a name breaks across lines in a table: {name}" for name in layout["brokenNames"]]
    for number, size in enumerate(layout["diagramText"], 1):
        if size is not None and size < MIN_DIAGRAM_TEXT_PX:
            problems.append(
                f"diagram {number}: text drawn at {size:.1f} px, "
                f"smaller than {MIN_DIAGRAM_TEXT_PX:.0f} px (make the diagram narrower)"
            )
    return problems


def event_problems(events: list[dict]) -> list[str]:
    """What went wrong, as the browser reported it: failed loads, errors, console errors."""
    problems = []
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Network.responseReceived":
            response = params["response"]
            if response.get("status", 200) >= 400:
                kind = "page" if params.get("type") == "Document" else "asset"
                problems.append(f"missing {kind} ({response['status']}): {response['url']}")
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            problems.append(
                f"failed to load ({params.get('errorText')}): request "
                f"{params.get('requestId')} of type {params.get('type')}"
            )
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            problems.append(f"JavaScript error: {text}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            problems.append(f"console error: {text}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            entry = params["entry"]
            problems.append(f"console error: {entry.get('text')} {entry.get('url', '')}".strip())
    return problems


def screenshot(browser: Chromium, session: str, path: Path) -> None:
    """Save the page, as far down as MAX_SHOT_HEIGHT, as a PNG."""
    metrics = browser.send("Page.getLayoutMetrics", {}, session)
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    clip = {
        "x": 0,
        "y": 0,
        "width": WIDTH,
        "height": min(size["height"], MAX_SHOT_HEIGHT),
        "scale": 1,
    }
    shot = browser.send(
        "Page.captureScreenshot",
        {"format": "png", "clip": clip, "captureBeyondViewport": True},
        session,
    )
    path.write_bytes(b64decode(shot["data"]))


def check_page(
    browser: Chromium, session: str, base: str, path: str, shots: Path | None
) -> list[str]:
    """Load one page and return its problems; save a screenshot in `shots` if given."""
    url = base + path
    if not browser.navigate(url, session):
        return [f"{url}: did not finish loading in {PAGE_TIMEOUT:.0f} s"]
    browser.pump(SETTLE_SECONDS if shots else 0.2)
    facts = wait_for_diagrams(browser, session)
    problems = event_problems(browser.events)
    problems += layout_problems(probe_layout(browser, session))
    if facts["mermaid"] != facts["mermaidDrawn"]:
        problems.append(f"{facts['mermaid'] - facts['mermaidDrawn']} mermaid diagram(s) not drawn")
    for image in facts["brokenImages"]:
        problems.append(f"image did not load: {image}")
    if facts["articleText"] < 20:
        problems.append("the page shows (almost) no text")
    saved = ""
    if shots:
        name = (path.strip("/").replace("/", "-") or "home") + ".png"
        screenshot(browser, session, shots / name)
        saved = f"  -> {shots / name}"
    diagrams = f", {facts['mermaidDrawn']} diagram(s) drawn" if facts["mermaid"] else ""
    status = "ok  " if not problems else "FAIL"
    print(f'{status} /{path}  "{facts["title"]}"{diagrams}{saved}')
    return [f"/{path}: {p}" for p in problems]


def run(
    site: Path, pages: list[str], shots: Path, chromium: str, shown: set[str] | None = None
) -> list[str]:
    """Check the pages in order, with screenshots of those in `shown` (default: all)."""
    shots.mkdir(parents=True, exist_ok=True)
    server, base = serve(site)
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="browser-check-") as profile:
        browser = Chromium(chromium, Path(profile))
        try:
            target = browser.send("Target.createTarget", {"url": "about:blank"})
            attached = browser.send(
                "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
            )
            session = attached["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                browser.send(f"{domain}.enable", {}, session)
            browser.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": WIDTH, "height": 900, "deviceScaleFactor": 1, "mobile": False},
                session,
            )
            browser.send(
                "Page.addScriptToEvaluateOnNewDocument", {"source": OPEN_SHADOW_ROOTS}, session
            )
            for path in pages:
                shot = shots if shown is None or path in shown else None
                problems += check_page(browser, session, base, path, shot)
            if (site / "playground" / "index.html").is_file():
                from playground_check import check_playground

                problems += check_playground(browser, session, base, site, shots)
        finally:
            browser.close()
            server.shutdown()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site", help="the built site (default: site)")
    parser.add_argument("--screenshots", default="screenshots/site", help="where to save PNGs")
    parser.add_argument(
        "--page",
        action="append",
        default=None,
        help="a page to check, relative to the site root (repeatable; default: every page, "
        "with screenshots of the home page, each stage's first chapter and the opcodes)",
    )
    parser.add_argument(
        "--no-install", action="store_true", help="do not install Chromium when it is missing"
    )
    args = parser.parse_args(argv)
    site = Path(args.site).resolve()
    if not (site / "index.html").is_file():
        print(
            f"browser_check: {site} has no index.html; build it with mkdocs first", file=sys.stderr
        )
        return 2
    chromium = find_chromium(install=not args.no_install)
    if chromium is None:
        print(
            "browser_check: SKIPPED: no Chromium here and it cannot be installed "
            "(needs root and apt-get; install Debian's chromium package to run this check)"
        )
        return 0
    shown = args.page or default_pages(site)
    pages = shown + [page for page in all_pages(site) if page not in shown]
    if args.page:
        pages = args.page
    missing = [path for path in pages if not (site / path).exists()]
    missing += [p for p in pages if p.endswith("/") and not (site / p / "index.html").exists()]
    if missing:
        print(f"browser_check: missing page(s) in {site}: " + ", ".join(f"/{p}" for p in missing))
        return 1
    try:
        problems = run(site, pages, Path(args.screenshots), chromium, set(shown))
    except BrowserError as error:
        print(f"browser_check: {error}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"  - {problem}")
    print(f"browser_check: {len(pages)} pages, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
