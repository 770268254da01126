"""Build-time hooks for the tutorial site (mkdocs.yml: ``hooks: [tools/docs_hooks.py]``).

- The opcode reference, ``reference/opcodes.md``, is generated on every build from the
  handlers' docstrings, as SQLite generates its opcode page from the comments in its
  vdbe.c: SQLite's opcodes from vdbe-core, Carrot's extension opcodes from carrot-lang
  and from every installed Carrot extension (carrot-txn).
- The exercises page gets its table of every exercise, read from the packages'
  ``exercises.toml`` files (the same ones ``tools/course.py`` reads), in place of the
  ``<!-- exercises:table -->`` comment, and the navigation's Exercises section lists
  their pages in that same order: ``exercises.toml`` is the one place it is kept.
- Each chapter ends with its Challenges: the exercises whose ``chapter`` it is.
- The playground gets the four packages as wheels and, when the docs build finds it
  (``tools/playground/node_modules``), a copy of the pinned Pyodide: see
  ``tools/playground_assets.py``.
- The build stops with a clear message when those packages, or the Pygments lexer that
  colours ```` ```carrot ```` blocks, are not installed: the site would be silently
  incomplete without them.
"""

from __future__ import annotations

import importlib
import logging
import sys
from functools import cache
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

TOOLS_DIR = Path(__file__).resolve().parent
if str(TOOLS_DIR) not in sys.path:  # the course tool's and the playground's modules
    sys.path.insert(0, str(TOOLS_DIR))

import playground_assets  # noqa: E402
from course_catalog import load_course  # noqa: E402

log = logging.getLogger("mkdocs.hooks.carrot")

OPCODES_PAGE = "reference/opcodes.md"
EXERCISES_PAGE = "exercises/index.md"
EXERCISES_TABLE = "<!-- exercises:table -->"
INSTALL_HINT = (
    "install the project's packages first: "
    "python -m pip install ./packages/dvm ./packages/vdbe-core ./packages/carrot-lang "
    "./packages/carrot-txn  (tox -e docs does this)"
)


def _require(module: str, what: str):
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise PluginError(
            f"the docs need {what} ({module} does not import: {error}); {INSTALL_HINT}"
        ) from None


@cache
def course():
    """The course's stages and exercises, in their one order (the packages' exercises.toml)."""
    return load_course(TOOLS_DIR.parent)


def exercises_nav(docs_dir: Path) -> list[str]:
    """The Exercises section of the navigation: the index, then each exercise that has a
    page, in the order ``tools/course.py list`` prints them."""
    pages = [f"exercises/{e.id}.md" for e in course().exercises]
    return [EXERCISES_PAGE, *(page for page in pages if (docs_dir / page).exists())]


def on_config(config):
    """Fail early, with a clear message, when the site cannot be built completely; fill
    in the Exercises section of the navigation from the course's order."""
    for section in config["nav"] or []:
        if isinstance(section, dict) and "Exercises" in section:
            section["Exercises"] = exercises_nav(Path(config["docs_dir"]))
    _require("vdbe.reference", "vdbe-core's opcode reference generator")
    try:
        from pygments.lexers import get_lexer_by_name
        from pygments.util import ClassNotFound

        get_lexer_by_name("carrot")
    except ClassNotFound:
        raise PluginError(
            "Pygments has no 'carrot' lexer, so Carrot code would not be highlighted; "
            + INSTALL_HINT
        ) from None
    return config


def load_all_opcodes() -> None:
    """Fill the opcode registry: SQLite's families, then Carrot's and its extensions'."""
    opcodes = _require("vdbe.opcodes", "vdbe-core's opcode registry")
    opcodes.load_all()
    _require("carrot.runtime.opcodes", "carrot-lang's extension opcodes")
    for module in ("carrot.runtime.calls",):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise
    extension = _require("carrot.extension", "carrot-lang's extension interface")
    extension.load_extensions().import_opcodes()


def opcode_reference_markdown() -> str:
    """The whole page: introduction, an index of every opcode, the entries, the status."""
    reference = _require("vdbe.reference", "vdbe-core's opcode reference generator")
    load_all_opcodes()
    from vdbe.opcodes import OPCODES

    specs = sorted(OPCODES.values(), key=lambda s: s.name)
    sqlite_count = sum(1 for s in specs if not s.extension)
    extension_count = len(specs) - sqlite_count
    lines = [
        "# Opcode reference",
        "",
        "Every instruction the VM implements, generated when the site is built from the",
        "docstrings of the handlers, the way SQLite generates its own opcode page from the",
        "comments in its `vdbe.c`. An entry gives the opcode's **header** (its name and which",
        "of the operands P1 to P5 it uses; `*` marks an unused one), its **synopsis** (what",
        "`vdbe explain` shows in the comment column), what it does, and whether it is one of",
        "SQLite's opcodes or an **extension** that Carrot adds to the instruction set.",
        "",
        f"{len(specs)} opcodes: {sqlite_count} of SQLite's and {extension_count} extensions.",
        "",
        "| opcode | origin | synopsis |",
        "| --- | --- | --- |",
    ]
    for spec in specs:
        synopsis = f"`{_table_cell(spec.synopsis)}`" if spec.synopsis else ""
        lines.append(
            f"| [`{spec.name}`](#{spec.name.lower()}) | {reference.origin_of(spec)} | {synopsis} |"
        )
    lines += ["", reference.render_reference().rstrip(), ""]
    lines += ["## SQLite's opcodes in this VM", "", reference.render_status().rstrip(), ""]
    return "\n".join(lines)


def _table_cell(text: str) -> str:
    return text.replace("|", "\\|")


def on_files(files: Files, config) -> Files:
    """Add the generated opcode reference to the site's pages."""
    text = opcode_reference_markdown()
    existing = files.get_file_from_path(OPCODES_PAGE)
    if existing is not None:
        files.remove(existing)
    files.append(File.generated(config, OPCODES_PAGE, content=text))
    log.info("generated %s (%d lines)", OPCODES_PAGE, text.count("\n"))
    return files


def exercises_table(docs_dir: Path) -> str:
    """Markdown: one table per stage, each exercise linked to its page when it has one."""
    catalog = course()
    if not catalog.exercises:
        return "*No exercises yet.*"
    parts = []
    for stage in catalog.stages:
        exercises = catalog.stage_exercises(stage)
        if not exercises:
            continue
        parts += [
            f"### Stage {stage.number}: {stage.name}",
            "",
            "| exercise | what you write | files |",
            "| --- | --- | --- |",
        ]
        for exercise in exercises:
            page = docs_dir / "exercises" / f"{exercise.id}.md"
            name = f"[`{exercise.id}`]({exercise.id}.md)" if page.exists() else f"`{exercise.id}`"
            if not page.exists():
                log.info("exercise %s has no page docs/exercises/%s.md", exercise.id, exercise.id)
            files = ", ".join(f"`{f}`" for f in exercise.files)
            parts.append(f"| {name} | {_table_cell(exercise.title)} | {files} |")
        parts.append("")
    return "\n".join(parts)


def challenges(chapter: str) -> str:
    """Markdown: the Challenges that end a chapter, the exercises whose ``chapter`` it
    is (empty when it has none)."""
    exercises = [e for e in course().exercises if e.chapter == chapter]
    if not exercises:
        return ""
    up = "../" * chapter.count("/")
    lines = [
        "## Challenges",
        "",
        "Take the code this chapter explains out, and write it yourself:",
        "",
    ]
    lines += [f"- [{e.id}]({up}exercises/{e.id}.md): {e.title}" for e in exercises]
    return "\n".join(lines) + "\n"


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.src_uri == EXERCISES_PAGE and EXERCISES_TABLE in markdown:
        table = exercises_table(Path(config["docs_dir"]))
        return markdown.replace(EXERCISES_TABLE, table)
    ending = challenges(page.file.src_uri)
    return markdown.rstrip("\n") + "\n\n" + ending if ending else markdown


def on_post_build(config) -> None:
    """The playground's wheels, Pyodide and manifest, next to the built pages."""
    manifest = playground_assets.build(Path(config["site_dir"]))
    where = "a copy on the site" if manifest["pyodide"]["self_hosted"] else "its CDN"
    log.info(
        "playground: %d wheels; Pyodide %s from %s",
        len(manifest["wheels"]),
        manifest["pyodide"]["version"],
        where,
    )
