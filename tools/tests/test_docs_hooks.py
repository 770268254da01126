"""The site's build hooks: the generated opcode reference and exercises table."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

mkdocs_exceptions = pytest.importorskip("mkdocs.exceptions")
docs_hooks = pytest.importorskip("docs_hooks")

REPO = Path(__file__).resolve().parents[2]
# The packages need not be installed: their sources will do.
for package in ("vdbe-core", "carrot-lang"):
    source = str(REPO / "packages" / package / "src")
    if source not in sys.path:
        sys.path.append(source)


def test_a_missing_package_stops_the_build_with_a_clear_message():
    with pytest.raises(mkdocs_exceptions.PluginError) as caught:
        docs_hooks._require("vdbe_not_here.reference", "the opcode reference generator")
    message = str(caught.value)
    assert "the docs need the opcode reference generator" in message
    assert "pip install ./packages/dvm ./packages/vdbe-core" in message


def test_opcode_reference_lists_every_registered_opcode():
    pytest.importorskip("vdbe.reference")
    pytest.importorskip("carrot.runtime.opcodes")
    text = docs_hooks.opcode_reference_markdown()
    from vdbe.opcodes import OPCODES

    assert text.startswith("# Opcode reference\n")
    for name, spec in OPCODES.items():
        assert f"### {name}\n" in text, name
        assert f"`{spec.header}`" in text
        assert f"[`{name}`](#{name.lower()})" in text  # the index links to the entry
    assert "| [`Add`](#add) | SQLite | `r[P3]=r[P1]+r[P2]` |" in text
    extensions = [s for s in OPCODES.values() if s.extension]
    assert extensions, "Carrot's extension opcodes are in the reference"
    count = re.search(r"(\d+) opcodes: (\d+) of SQLite's and (\d+) extensions", text)
    assert count and int(count[1]) == len(OPCODES) and int(count[3]) == len(extensions)


def test_exercises_table_links_the_pages_that_exist():
    table = docs_hooks.exercises_table(REPO / "docs")
    import course_catalog

    course = course_catalog.load_course(REPO)
    for exercise in course.exercises:
        page = REPO / "docs" / "exercises" / f"{exercise.id}.md"
        link = f"[`{exercise.id}`]({exercise.id}.md)"
        assert (link in table) == page.exists()
        assert exercise.title.replace("|", "\\|") in table
    rows = [line for line in table.splitlines() if line.startswith(("| `", "| ["))]
    assert len(rows) == len(course.exercises)
    for row in rows:  # three cells each: a | in a title is escaped
        assert len(re.split(r"(?<!\\)\|", row)) == 5, row


def test_the_exercises_navigation_follows_the_course_order():
    import course_catalog

    order = [e.id for e in course_catalog.load_course(REPO).exercises]
    nav = docs_hooks.exercises_nav(REPO / "docs")
    assert nav[0] == "exercises/index.md"
    assert nav[1:] == [
        f"exercises/{id}.md" for id in order if (REPO / "docs/exercises" / f"{id}.md").exists()
    ]
    config = {
        "nav": [{"Home": "index.md"}, {"Exercises": ["exercises/index.md"]}],
        "docs_dir": str(REPO / "docs"),
    }
    docs_hooks.on_config(config)
    assert config["nav"][1]["Exercises"] == nav


def test_every_chapter_with_exercises_ends_with_its_challenges():
    import course_catalog

    course = course_catalog.load_course(REPO)
    for exercise in course.exercises:
        assert (REPO / "docs" / exercise.chapter).is_file(), exercise.id
        ending = docs_hooks.challenges(exercise.chapter)
        assert ending.startswith("## Challenges\n")
        assert f"- [{exercise.id}](../exercises/{exercise.id}.md): {exercise.title}" in ending
    assert docs_hooks.challenges("stage1/index.md") == ""  # no exercise: no list
    page = type("Page", (), {"file": type("File", (), {"src_uri": "stage1/vm.md"})})
    shown = docs_hooks.on_page_markdown("# The VM\n\ntext\n", page, {}, None)
    assert shown.startswith("# The VM\n\ntext\n\n## Challenges\n") and "dvm-mod" in shown
