"""Storage: a pager, a rollback journal and B-trees in the SQLite 3 file format.

    Database        one database file (or memory): transactions, savepoints, b-trees
    BtreeCursor     a position in one b-tree: seek, iterate, insert, delete
    Pager           pages, a bounded cache, the journal and locks (pager.py)
    format          the numbers fixed by the file format (format.py)
    MemoryDatabase  trees that live in memory only, pages of Python objects (memory.py)

Read the modules bottom-up: format, page, locking, system (posix_locks, windows_locks),
vfs, journal, pager, freelist, btree, cursor, database; then memtree, memcursor and
memory for the trees that never reach a file.
"""

from .cursor import BtreeCursor
from .database import Database
from .pager import Pager
from .vfs import FaultyVfs, OsVfs

__all__ = ["BtreeCursor", "Database", "FaultyVfs", "OsVfs", "Pager"]
