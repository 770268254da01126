"""SQLite's lock levels, shared by the lock layers of every operating system.

A connection climbs these levels one file at a time; SQLite's pager asks for them and each
system's layer maps them onto byte-range locks at the same offsets, 1 GiB into the file:

    PENDING_BYTE (0x40000000)   taken while a writer waits for readers to leave
    RESERVED_BYTE (+1)          held by the one connection that intends to write
    SHARED range (+2, 510 b)    held by every reader; held alone by the writer = EXCLUSIVE

The bytes sit normally past the end of the file, so locking them never blocks I/O, and
because every SQLite on the machine uses the same offsets, this program and a real SQLite
never write one file at once. `posix_locks` speaks fcntl, `windows_locks` LockFileEx;
`system` chooses between them. A lock layer object is bound to one open file and offers:

    level                       the level held now
    try_lock(level) -> bool     one attempt to climb to `level`, without waiting
    unlock(level)               step down to SHARED or NO_LOCK
    reserved_elsewhere()        does another connection hold RESERVED or more?
"""

NO_LOCK, SHARED, RESERVED, PENDING, EXCLUSIVE = range(5)
LOCK_NAMES = ("none", "shared", "reserved", "pending", "exclusive")
