"""pytest settings shared by every stage's tests.

``--exercise ID`` keeps only the tests marked ``@pytest.mark.exercise("ID")``, the tests
of one exercise (``python tools/course.py test ID`` passes it). The marker itself is
registered in the root pyproject.toml.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--exercise",
        action="append",
        default=[],
        metavar="ID",
        help='run only the tests marked @pytest.mark.exercise("ID") (may be repeated)',
    )


def exercise_ids(item: pytest.Item) -> set[str]:
    """The exercises a test belongs to."""
    ids = set()
    for marker in item.iter_markers("exercise"):
        if len(marker.args) != 1 or not isinstance(marker.args[0], str):
            raise pytest.UsageError(
                f'{item.nodeid}: write the marker as @pytest.mark.exercise("ID"), '
                f"not with {marker.args!r}"
            )
        ids.add(marker.args[0])
    return ids


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wanted = set(config.getoption("exercise"))
    kept, dropped = [], []
    for item in items:
        (kept if exercise_ids(item) & wanted or not wanted else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
