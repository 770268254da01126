"""The built-site checks: links and assets (check_site) and the real browser (browser_check)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent

GOOD_PAGE = """<!doctype html><html><head><title>{title}</title>
<link rel="stylesheet" href="{up}assets/site.css"><link rel="icon" href="data:,"></head>
<body><article><h1 id="top">{title}</h1>
<p>Some text long enough to count as a page of the site.</p>
<a href="{up}other/">other</a> <a href="{up}other/#part">a part</a> <a href="#top">top</a>
<a href="https://example.com/">an outside link is fine</a>
<div class="language-carrot highlight"><pre><code><span class="nf">print</span>(1);</code></pre>
</div></article></body></html>
"""


def write_site(root: Path, extra_index: str = "") -> Path:
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "site.css").write_text("body { color: black; }")
    (root / "other").mkdir()
    home = GOOD_PAGE.format(title="Home", up="")
    (root / "index.html").write_text(home.replace("</article>", extra_index + "</article>"))
    (root / "other" / "index.html").write_text(
        GOOD_PAGE.format(title="Other", up="../").replace('id="top"', 'id="top"><b id="part"')
    )
    return root


def check_site(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(TOOLS / "check_site.py"), str(site)], capture_output=True, text=True
    )


def test_a_sound_site_passes(tmp_path):
    result = check_site(write_site(tmp_path / "site"))
    assert result.returncode == 0, result.stdout
    assert "2 pages" in result.stdout and "0 problems" in result.stdout


def test_broken_links_anchors_assets_and_plain_carrot_are_reported(tmp_path):
    broken = (
        '<a href="missing/">gone</a><a href="other/#nowhere">no anchor</a>'
        '<img src="assets/none.png"><script src="https://cdn.example.com/x.js"></script>'
        '<div class="language-carrot highlight"><pre><code>print(1);</code></pre></div>'
    )
    result = check_site(write_site(tmp_path / "site", broken))
    assert result.returncode == 1
    out = result.stdout
    assert "broken link: missing/" in out
    assert "broken anchor: other/#nowhere" in out
    assert "broken asset: assets/none.png" in out
    assert "loads https://cdn.example.com/x.js from another host" in out
    assert "a carrot code block is not highlighted" in out
    assert "5 problems" in out


def test_source_code_indented_as_a_whole_is_reported(tmp_path):
    method = (
        '<div class="language-python highlight"><pre><code>'
        "    def seek(self, key):\n        return self._seek(key)\n</code></pre></div>"
    )
    art = (
        '<div class="language-text highlight"><pre><code>  a picture\n  indented</code></pre></div>'
    )
    result = check_site(write_site(tmp_path / "site", method + art))
    assert result.returncode == 1
    assert "a python block is indented as a whole, from 'def seek(self, key):'" in result.stdout
    assert "1 problems" in result.stdout  # text may be indented: a picture, say


def test_missing_site_is_a_clear_error(tmp_path):
    result = check_site(tmp_path / "nothing")
    assert result.returncode == 2
    assert "build it with mkdocs first" in result.stderr


CHROMIUM = next(
    (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
    None,
)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed here")


def browser_check(site: Path, shots: Path, *pages: str) -> subprocess.CompletedProcess:
    args = [a for page in pages for a in ("--page", page)]
    return subprocess.run(
        [
            sys.executable,
            str(TOOLS / "browser_check.py"),
            str(site),
            "--screenshots",
            str(shots),
            "--no-install",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


@needs_chromium
def test_browser_opens_pages_and_saves_screenshots(tmp_path):
    site = write_site(tmp_path / "site")
    result = browser_check(site, tmp_path / "shots", "", "other/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "shots" / "home.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "shots" / "other.png").exists()
    assert "2 pages, 0 problems" in result.stdout


@needs_chromium
def test_browser_reports_console_errors_and_broken_assets(tmp_path):
    bad = (
        '<img src="assets/none.png">'
        "<script>console.error('something broke');</script>"
        "<script>undefinedFunction();</script>"
    )
    site = write_site(tmp_path / "site", bad)
    result = browser_check(site, tmp_path / "shots", "")
    assert result.returncode == 1
    out = result.stdout
    assert "missing asset (404)" in out and "none.png" in out
    assert "console error: something broke" in out
    assert "JavaScript error: ReferenceError: undefinedFunction is not defined" in out


@needs_chromium
def test_browser_reports_a_missing_page(tmp_path):
    result = browser_check(write_site(tmp_path / "site"), tmp_path / "shots", "nowhere/")
    assert result.returncode == 1
    assert "missing page(s)" in result.stdout and "/nowhere/" in result.stdout


# The theme's rules that matter here: code blocks scroll, inline code breaks anywhere.
THEME_CSS = (
    "<style>pre > code { display: block; overflow: auto; }"
    " code { word-break: break-word; } .wrap pre > code { white-space: pre-wrap; }</style>"
)
LONG_LINE = "x = " + " + ".join(["value"] * 60)


@needs_chromium
def test_browser_reports_what_reads_badly_at_1280_px(tmp_path):
    bad = (
        THEME_CSS
        + f'<div class="language-python highlight"><pre><code>{LONG_LINE}</code></pre></div>'
        + '<div class="wrap"><div class="language-carrot highlight"><pre><code>'
        + f'<span class="n">{LONG_LINE}</span></code></pre></div></div>'
        + '<div class="wrap"><div class="language-text highlight"><pre><code>'
        + f"{LONG_LINE}</code></pre></div></div>"
        + '<table style="width: 3em"><tr><td><code>CarrotRemainder</code></td></tr></table>'
        + '<div class="mermaid" id="diagram"></div><script>'
        + "document.getElementById('diagram').attachShadow({mode: 'closed'}).innerHTML ="
        + ' \'<svg viewBox="0 0 1000 100" style="width: 300px">'
        + '<text x="0" y="50" font-size="16">small</text></svg>\';</script>'
    )
    site = write_site(tmp_path / "site", bad)
    result = browser_check(site, tmp_path / "shots", "")
    assert result.returncode == 1, result.stdout
    out = result.stdout
    assert out.count("a code line scrolls sideways: 'x = value + value") == 1  # the Python
    assert out.count("source code wraps, its lines do not fit the page") == 2  # and Carrot
    assert "a name breaks across lines in a table: CarrotRemainder" in out
    assert "diagram 1: text drawn at 4.8 px, smaller than 12 px" in out
    assert "1 pages, 5 problems" in out  # wrapped text (an output, a command) is fine
