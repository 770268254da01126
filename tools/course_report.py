"""A pytest plugin that writes each test's outcome and exercise markers to a JSON file.

The course tool loads it with ``-p course_report --course-report=FILE`` to learn which
tests of a stage failed in a starter, and which exercise each test belongs to.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--course-report",
        metavar="FILE",
        default=None,
        help="write every test's outcome and exercise markers to FILE as JSON",
    )
    parser.addoption(
        "--course-select",
        metavar="FILE",
        default=None,
        help='run only the tests a JSON file names: {"tests": [node ids], "modules": [files]}',
    )


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("course_report")
    if path:
        config.pluginmanager.register(OutcomeRecorder(Path(path)), "course-outcome-recorder")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the tests --course-select names (before the recorder sees the items)."""
    path = config.getoption("course_select")
    if not path:
        return
    chosen = json.loads(Path(path).read_text(encoding="utf-8"))
    tests, modules = set(chosen["tests"]), set(chosen["modules"])
    kept, dropped = [], []
    for item in items:
        wanted = item.nodeid in tests or item.nodeid.split("::")[0] in modules
        (kept if wanted else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


class OutcomeRecorder:
    """Collects {nodeid: {"outcome": ..., "exercises": [...]}} and collection errors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tests: dict[str, dict] = {}
        self.collection_errors: list[dict] = []

    # While a test runs, COURSE_CURRENT_TEST says which, and in which phase, for the
    # probes of course_probe (also in the commands the test starts).
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item):
        return (yield from self._in_phase("setup", item))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item):
        return (yield from self._in_phase("call", item))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item):
        return (yield from self._in_phase("teardown", item))

    def _in_phase(self, phase: str, item: pytest.Item):
        os.environ["COURSE_CURRENT_TEST"] = f"{phase} {item.nodeid}"
        try:
            return (yield)
        finally:
            os.environ["COURSE_CURRENT_TEST"] = "outside"

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_errors.append(
                {"nodeid": report.nodeid, "message": _short(report.longreprtext)}
            )

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            ids = [str(m.args[0]) for m in item.iter_markers("exercise") if m.args]
            self.tests[item.nodeid] = {"outcome": "not run", "exercises": ids, "message": ""}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        entry = self.tests.setdefault(
            report.nodeid, {"outcome": "not run", "exercises": [], "message": ""}
        )
        if hasattr(report, "wasxfail"):
            entry["outcome"] = "xfailed" if report.skipped else "xpassed"
        elif report.failed:
            entry["outcome"] = "failed" if report.when == "call" else "error"
            entry["message"] = _short(report.longreprtext)
        elif report.skipped and entry["outcome"] not in ("failed", "error"):
            entry["outcome"] = "skipped"
        elif report.when == "call" and report.passed:
            entry["outcome"] = "passed"

    def pytest_sessionfinish(self) -> None:
        data = {"tests": self.tests, "collection_errors": self.collection_errors}
        self.path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def _short(text: str, limit: int = 1200) -> str:
    """The end of a failure report: the part that says what went wrong."""
    text = text.strip()
    return text if len(text) <= limit else "..." + text[-limit:]
