"""carrot-txn: transactional functions and persistent tables for Carrot.

Installing this package adds, through Carrot's extension interface:

* ``txn fn name(...) { ... }`` - a function whose every call runs inside a savepoint;
* ``abort;`` - undo everything the current transactional call changed, return ``null``;
* ``carrot run --db PATH`` and the ``db`` global - tables stored in a SQLite 3 file.
"""

__version__ = "0.1.0"
