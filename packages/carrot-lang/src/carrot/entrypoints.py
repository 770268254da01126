"""Installed entry points, read straight from the packages' metadata files.

Every run of ``carrot`` asks which extensions are installed. ``importlib.metadata``
answers that, but importing it (with the email, zip and path machinery it brings)
costs more than the rest of a small program's start-up. The answer is simple to read
by hand: each installed distribution has a ``NAME.dist-info`` (or ``.egg-info``)
directory on ``sys.path``, whose ``entry_points.txt`` lists its entry points in INI
sections, one ``name = module:attribute`` a line.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

METADATA_SUFFIXES = (".dist-info", ".egg-info")


class EntryPoint:
    """One ``name = module:attribute`` line of a group; ``load()`` imports it."""

    __slots__ = ("name", "value", "group")

    def __init__(self, name: str, value: str, group: str) -> None:
        self.name = name
        self.value = value
        self.group = group

    def load(self) -> Any:
        module, _, attribute = self.value.partition(":")
        found = importlib.import_module(module.strip())
        for part in attribute.split("[")[0].strip().split(".") if attribute else ():
            found = getattr(found, part)
        return found

    def __repr__(self) -> str:
        return f"EntryPoint(name={self.name!r}, value={self.value!r}, group={self.group!r})"


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of ``group`` of every distribution on ``sys.path``, in path order."""
    found = []
    for directory in sys.path:
        try:
            names = sorted(os.listdir(directory or "."))
        except OSError:  # not a directory (a zip file), or gone
            continue
        for name in names:
            if name.endswith(METADATA_SUFFIXES):
                path = os.path.join(directory or ".", name, "entry_points.txt")
                found.extend(read_group(path, group))
    return found


def read_group(path: str, group: str) -> list[EntryPoint]:
    """The entries of section ``[group]`` in one ``entry_points.txt``."""
    try:
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
    except OSError:
        return []
    section = None
    entries = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line:
            name, _, value = line.partition("=")
            entries.append(EntryPoint(name.strip(), value.strip(), group))
    return entries
