"""Probes that record which tests run the code of which exercise.

While checking the reference, the course tool inserts ``course_probe.hit("ID")`` as the
first statement of every exercise region (in a scratch copy, never in the repository).
A probe appends to the file named by COURSE_PROBE_FILE the test running at that moment
(COURSE_CURRENT_TEST, kept up to date by the course_report pytest plugin and inherited
by the commands the tests start), once per test, exercise and process.

A test that never runs an exercise's region cannot notice that the region was replaced,
so a starter need only run the exercise's own tests and the test modules whose tests
ran its region.
"""

from __future__ import annotations

import json
import os
import traceback

OUTSIDE = "outside"  # no test running: collection, imports, session fixtures

_recorded: set[tuple[str, str]] = set()


def hit(exercise_id: str) -> None:
    path = os.environ.get("COURSE_PROBE_FILE")
    if not path:
        return
    current = os.environ.get("COURSE_CURRENT_TEST", OUTSIDE)
    key = (current, exercise_id)
    if key in _recorded:
        return
    _recorded.add(key)
    record = [current, exercise_id]
    if current == OUTSIDE:  # say where, so the check can tell why it runs every test
        frames = traceback.extract_stack()[:-1]
        in_tests = [f for f in frames if "/tests/" in f.filename.replace(os.sep, "/")]
        where = (in_tests or frames)[-1]
        record.append(f"{where.filename}:{where.lineno}")
    with open(path, "a", encoding="utf-8") as file:
        file.write(json.dumps(record) + "\n")
