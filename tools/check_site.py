#!/usr/bin/env python3
"""Check a built copy of the tutorial site: every internal link and asset resolves.

    python tools/check_site.py site

Reads every HTML page under the site directory and checks that

- each local ``href``/``src`` (links, stylesheets, scripts, images) names a file that
  exists in the site, and each ``#fragment`` names an element id on the target page
  (except ``#name=value&...`` fragments, which are the playground's program links);
- no page loads a script, stylesheet or image from another host (the site must work
  offline, as learners may read it without a network);
- every ```` ```carrot ```` block was coloured by the Carrot Pygments lexer;
- no block of source code (Python, Carrot) is indented as a whole, as a snippet taken
  from inside a class or function is until its common indentation is removed.

Prints one line per problem and a summary; exits 1 if there is any problem.
Standard library only.
"""

from __future__ import annotations

import argparse
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes that load something the page needs in order to show (an asset), and
# attributes that merely link somewhere.
ASSET_ATTRIBUTES = {("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src")}
LINK_ATTRIBUTES = {("a", "href"), ("area", "href")}
SOURCE_LANGUAGES = ("python", "carrot")  # source code: at the left margin, and never wrapped


class PageParser(HTMLParser):
    """Collects a page's ids, references and code blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.references: list[tuple[str, str, int]] = []  # (kind, url, line)
        self.code_blocks: list[dict] = []  # {"language", "line", "tokens", "text"}
        self._block_depth = 0  # >0 while inside a code block
        self._block: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        for key in ("id", "name"):
            if values.get(key) and (key == "id" or tag == "a"):
                self.ids.add(values[key])
        for name, value in values.items():
            if (tag, name) in ASSET_ATTRIBUTES:
                self.references.append(("asset", value, line))
            elif (tag, name) in LINK_ATTRIBUTES:
                self.references.append(("link", value, line))
        if tag == "link" and values.get("href"):
            rel = values.get("rel", "").split()
            kind = "asset" if {"stylesheet", "icon", "preload"} & set(rel) else "link"
            self.references.append((kind, values["href"], line))
        classes = values.get("class", "").split()
        if self._block is not None:
            self._block_depth += 1
            if tag == "span" and set(classes) - {"", "w", "err", "line", "linenos"}:
                self._block["tokens"] += 1
        elif tag == "div" and "highlight" in classes:
            languages = [c.removeprefix("language-") for c in classes if c.startswith("language-")]
            language = languages[0] if languages else ""
            self._block = {"language": language, "line": line, "tokens": 0, "text": []}
            self._block_depth = 1
            self.code_blocks.append(self._block)

    def handle_data(self, data: str) -> None:
        if self._block is not None:
            self._block["text"].append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._block is not None:
            self._block_depth -= 1
            if self._block_depth == 0:
                self._block = None


def page_for(site: Path, path: Path) -> Path | None:
    """The file a local URL path serves, as a static web server would."""
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


def check_site(site: Path) -> tuple[list[str], int, int]:
    """Return (problems, pages checked, references checked)."""
    site = site.resolve()
    pages = sorted(site.rglob("*.html"))
    parsed: dict[Path, PageParser] = {}
    for page in pages:
        parser = PageParser()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        parsed[page] = parser
    problems: list[str] = []
    checked = 0
    for page, parser in parsed.items():
        where = page.relative_to(site).as_posix()
        for kind, url, line in parser.references:
            checked += 1
            problem = check_reference(site, page, kind, url, parsed)
            if problem:
                problems.append(f"{where}:{line}: {problem}")
        for block in parser.code_blocks:
            problems += [f"{where}:{block['line']}: {p}" for p in block_problems(block)]
    return problems, len(pages), checked


def block_problems(block: dict) -> list[str]:
    """What is wrong with one code block as shown."""
    problems = []
    if block["language"] == "carrot" and block["tokens"] == 0:
        problems.append(
            "a carrot code block is not highlighted "
            "(is carrot-lang, with its Pygments lexer, installed?)"
        )
    lines = [line for line in "".join(block["text"]).splitlines() if line.strip()]
    if block["language"] in SOURCE_LANGUAGES and lines and all(line[0].isspace() for line in lines):
        problems.append(
            f"a {block['language']} block is indented as a whole, from {lines[0].strip()[:40]!r}: "
            "a snippet from inside a class or function keeps its indentation "
            "(pymdownx.snippets' dedent_subsections removes it)"
        )
    return problems


def check_reference(
    site: Path, page: Path, kind: str, url: str, parsed: dict[Path, PageParser]
) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel", "javascript", "data"):
        return None
    if parts.scheme or url.startswith("//"):
        if kind == "asset":
            return f"loads {url} from another host; the site must work offline"
        return None
    if not parts.path:
        target = page
    elif parts.path.startswith("/"):
        target = site / unquote(parts.path).lstrip("/")
    else:
        target = page.parent / unquote(parts.path)
    resolved = page_for(site, target.resolve())
    if resolved is None or not resolved.is_relative_to(site):
        return f"broken {kind}: {url} (no such file in the site)"
    # A fragment of name=value pairs is data for the page's script (the playground's
    # #lang=...&code=...), not an anchor.
    if parts.fragment and "=" not in parts.fragment and resolved.suffix == ".html":
        ids = parsed[resolved].ids if resolved in parsed else set()
        if unquote(parts.fragment) not in ids:
            return f"broken anchor: {url} (no id {parts.fragment!r} on that page)"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site", help="the built site (default: site)")
    args = parser.parse_args(argv)
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"check_site: {site} has no index.html; build it with mkdocs first", file=sys.stderr)
        return 2
    problems, pages, references = check_site(site)
    for problem in problems:
        print(problem)
    print(f"check_site: {pages} pages, {references} links and assets, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
