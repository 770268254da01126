"""Shared settings for vdbe-core's tests.

Property tests draw fresh random examples on a developer's machine (profile ``dev``);
under tox (``HYPOTHESIS_PROFILE=ci``) they draw a fixed sequence, so that a CI run is
repeatable. Set ``HYPOTHESIS_PROFILE=dev`` to explore.
"""

import os
import sqlite3

import pytest
from hypothesis import settings

settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="module")
def db():
    """Real SQLite in memory: the oracle the value and function tests compare with."""
    conn = sqlite3.connect(":memory:")
    conn.text_factory = lambda b: b.decode("utf-8", "replace")
    yield conn
    conn.close()
