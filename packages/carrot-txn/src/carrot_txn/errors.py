"""Turning the storage layer's errors into Carrot runtime errors.

The pager speaks SQLite's language (``database is locked``, ``database disk image is
malformed``); a Carrot program sees those words as a runtime error at the statement
that touched the database, with its call stack, never as a host-language traceback.
"""

from __future__ import annotations

import functools

from carrot.runtime.errors import CarrotRuntimeError
from vdbe.errors import VdbeError


def database_errors(method):
    """Re-raise a storage error (or an OS error) from ``method`` as a runtime error."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except (VdbeError, OSError) as error:
            raise CarrotRuntimeError(str(getattr(error, "message", error))) from None

    return wrapper
