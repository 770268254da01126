"""MemTree: a B-tree kept in memory, whose pages hold Python objects instead of bytes.

A file's B-tree pages are bytes because they must survive on disk in SQLite's format:
every search decodes cells, every insert rebuilds a page. A tree that lives and dies in
memory owes nothing to that format, so its pages keep their keys and values as Python
lists, sorted, and a search is a `bisect` on each page from the root down. What stays
the same is the B-tree itself: pages of bounded size, a page that overflows splits in
two and sends a separator up to its parent, a page that runs low borrows from or merges
with a sibling, and every leaf sits at the same depth.

It is a B+tree, as SQLite's table trees are: entries live in the leaves only, and an
interior page holds separators and children. Child `i` of an interior page holds the
keys `k` with `keys[i-1] <= k < keys[i]`.

Keys are any Python objects that compare with each other (all ints, all strings,
tuples...), never None. The tree keeps its entry count, so `len` costs nothing, and records every
change in an `UndoLog` while a savepoint is open, so rolling back costs what changed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import Any

#: what `put` and `remove` return, and the undo log records, for "there was no entry"
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()

DEFAULT_CAPACITY = 128  # entries (or separators) a page holds before it splits


class Page:
    """One page: a leaf (`keys`, `values`) or an interior page (`keys`, `children`)."""

    __slots__ = ("keys", "values", "children")

    def __init__(self, keys: list, values: list | None, children: list | None) -> None:
        self.keys = keys
        self.values = values
        self.children = children

    @property
    def is_leaf(self) -> bool:
        return self.children is None


# --8<-- [start:undo]
class UndoLog:
    """The changes made to any tree of one database while savepoints are open.

    Each entry is `(tree, key, old value or MISSING)`: enough to put the key back.
    A savepoint is a mark, the log's length when it opened; rolling back to it pops and
    reverses the entries after the mark, newest first. With no savepoint open, nothing
    is recorded at all.
    """

    __slots__ = ("entries", "marks")

    def __init__(self) -> None:
        self.entries: list[tuple[MemTree, Any, Any]] = []
        self.marks: list[tuple[str, int]] = []  # (savepoint name, log length), oldest first

    def open(self, name: str) -> None:
        self.marks.append((name, len(self.entries)))

    def find(self, name: str) -> int:
        """The index of the newest open savepoint called `name`."""
        for index in range(len(self.marks) - 1, -1, -1):
            if self.marks[index][0] == name:
                return index
        raise KeyError(name)

    def release(self, index: int) -> None:
        """Forget savepoint `index` and those opened after it (their changes stay)."""
        del self.marks[index:]
        if not self.marks:
            self.entries.clear()

    def rollback_to(self, index: int) -> None:
        """Undo every change made since savepoint `index` opened; it stays open."""
        mark = self.marks[index][1]
        entries, marks = self.entries, self.marks
        self.marks = []  # the undoing itself is not recorded
        try:
            while len(entries) > mark:
                tree, key, old = entries.pop()
                if old is MISSING:
                    tree.remove(key)
                else:
                    tree.put(key, old)
        finally:
            self.marks = marks


# --8<-- [end:undo]


class MemTree:
    """A sorted map from keys to values, stored as a B+tree of Python pages."""

    __slots__ = (
        "root",
        "count",
        "changes",
        "log",
        "capacity",
        "finger",
        "finger_at",
        "__weakref__",
    )

    def __init__(self, log: UndoLog | None = None, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 3:
            raise ValueError("a page must hold at least 3 entries")
        self.root = Page([], [], None)
        self.count = 0
        self.changes = 0  # every change counts: a cursor knows when to search again
        self.log = log if log is not None else UndoLog()
        self.capacity = capacity
        # the leaf and index of the key `next_key` returned last, until the tree changes:
        # a scan's next step, and a read of the key just visited, start from there
        self.finger: Page | None = None
        self.finger_at = 0

    def __len__(self) -> int:
        return self.count

    # --8<-- [start:get]
    def get(self, key: Any, default: Any = None) -> Any:
        """The value stored under `key`, or `default`: a bisect on each page down."""
        page = self.finger
        if page is not None and page.keys[self.finger_at] == key:
            return page.values[self.finger_at]  # the key a scan is visiting
        page = self.root
        while page.children is not None:
            page = page.children[bisect_right(page.keys, key)]
        keys = page.keys
        i = bisect_left(keys, key)
        if i < len(keys) and keys[i] == key:
            return page.values[i]
        return default

    # --8<-- [end:get]

    # --- changing -----------------------------------------------------------------------
    def _leaf_path(self, key: Any) -> tuple[Page, list[tuple[Page, int]]]:
        """The leaf where `key` belongs and the (interior page, child index) above it."""
        path = []
        page = self.root
        while page.children is not None:
            i = bisect_right(page.keys, key)
            path.append((page, i))
            page = page.children[i]
        return page, path

    def _leaf(self, key: Any) -> Page:
        """The leaf where `key` is or belongs."""
        page = self.root
        while page.children is not None:
            page = page.children[bisect_right(page.keys, key)]
        return page

    # --8<-- [start:put]
    def put(self, key: Any, value: Any) -> Any:
        """Store `value` under `key`; returns the value it replaced, or MISSING."""
        leaf = self._leaf(key)
        keys = leaf.keys
        i = bisect_left(keys, key)
        if i < len(keys) and keys[i] == key:
            old = leaf.values[i]
            leaf.values[i] = value
        else:
            old = MISSING
            keys.insert(i, key)
            leaf.values.insert(i, value)
            self.count += 1
            if len(keys) > self.capacity:  # rare: only now is the path down worth keeping
                self._split(*self._leaf_path(key))
        self.finger = None
        self.changes += 1
        log = self.log
        if log.marks:
            log.entries.append((self, key, old))
        return old

    # --8<-- [end:put]

    def remove(self, key: Any) -> Any:
        """Delete the entry for `key`; returns its value, or MISSING if there was none."""
        leaf = self._leaf(key)
        keys = leaf.keys
        i = bisect_left(keys, key)
        if i == len(keys) or keys[i] != key:
            return MISSING
        old = leaf.values[i]
        del keys[i]
        del leaf.values[i]
        self.count -= 1
        self.finger = None
        self.changes += 1
        if len(keys) < self.capacity // 2 and leaf is not self.root:
            self._rebalance(*self._leaf_path(key))
        log = self.log
        if log.marks:
            log.entries.append((self, key, old))
        return old

    def clear(self) -> None:
        """Remove every entry (recorded entry by entry while a savepoint is open)."""
        if self.log.marks:
            for key in list(self.keys()):
                self.remove(key)
            return
        self.root = Page([], [], None)
        self.count = 0
        self.finger = None
        self.changes += 1

    # --8<-- [start:split]
    def _split(self, page: Page, path: list[tuple[Page, int]]) -> None:
        """`page` holds one entry too many: move its upper half to a new right sibling
        and insert the separator in the parent, splitting upwards as far as needed."""
        while len(page.keys) > self.capacity:
            mid = len(page.keys) // 2
            if page.children is None:  # a leaf: the separator is the right half's first key
                right = Page(page.keys[mid:], page.values[mid:], None)
                separator = right.keys[0]
                del page.keys[mid:], page.values[mid:]
            else:  # interior: the middle separator moves up, out of both halves
                right = Page(page.keys[mid + 1 :], None, page.children[mid + 1 :])
                separator = page.keys[mid]
                del page.keys[mid:], page.children[mid + 1 :]
            if not path:  # the root split: the tree grows one level, at the top
                self.root = Page([separator], None, [page, right])
                return
            parent, i = path.pop()
            parent.keys.insert(i, separator)
            parent.children.insert(i + 1, right)
            page = parent

    # --8<-- [end:split]

    # --8<-- [start:rebalance]
    def _rebalance(self, page: Page, path: list[tuple[Page, int]]) -> None:
        """`page` fell below half full: borrow an entry from a sibling that can spare
        one, or else merge with a sibling, which takes a separator from the parent (and
        may leave the parent short in turn). A root left with one child is removed."""
        least = self.capacity // 2
        while path and len(page.keys) < least:
            parent, i = path.pop()
            left = parent.children[i - 1] if i > 0 else None
            right = parent.children[i + 1] if i + 1 < len(parent.children) else None
            if left is not None and len(left.keys) > least:
                _borrow_from_left(parent, i, left, page)
            elif right is not None and len(right.keys) > least:
                _borrow_from_right(parent, i, page, right)
            elif left is not None:
                _merge(parent, i - 1, left, page)
            else:
                _merge(parent, i, page, right)
            page = parent
        root = self.root
        if root.children is not None and not root.keys:
            self.root = root.children[0]  # the tree shrinks one level, at the top

    # --8<-- [end:rebalance]

    # --- searching ------------------------------------------------------------------------
    def find_after(self, key: Any, strict: bool) -> tuple[Page | None, int]:
        """The leaf and index of the first key > `key` (`strict`) or >= `key`;
        (None, 0) when there is none."""
        while True:
            page, bound = self.root, MISSING
            while page.children is not None:
                keys = page.keys
                i = bisect_right(keys, key)
                if i < len(keys):
                    bound = keys[i]  # the lower bound of the next subtree to the right
                page = page.children[i]
            i = bisect_right(page.keys, key) if strict else bisect_left(page.keys, key)
            if i < len(page.keys):
                return page, i
            if bound is MISSING:
                return None, 0
            key, strict = bound, False  # the answer is the first key of the next subtree

    def find_before(self, key: Any, strict: bool) -> tuple[Page | None, int]:
        """The leaf and index of the last key < `key` (`strict`) or <= `key`;
        (None, 0) when there is none."""
        while True:
            page, bound = self.root, MISSING
            while page.children is not None:
                keys = page.keys
                i = bisect_left(keys, key) if strict else bisect_right(keys, key)
                if i > 0:
                    bound = keys[i - 1]  # every key of the subtrees to the left is below it
                page = page.children[i]
            keys = page.keys
            i = (bisect_left(keys, key) if strict else bisect_right(keys, key)) - 1
            if i >= 0:
                return page, i
            if bound is MISSING:
                return None, 0
            key, strict = bound, True

    def next_key(self, key: Any = None) -> Any:
        """The smallest key greater than `key` (the first key when `key` is None), or
        None when there is none. (None is never a key: it means "no key" here.)"""
        page = self.finger
        if page is not None:  # a scan going on: the next key is usually on the same leaf
            keys = page.keys
            i = self.finger_at + 1
            if i < len(keys) and keys[i - 1] == key:
                self.finger_at = i
                return keys[i]
        if key is None:
            page, i = self.first_leaf(), 0
        else:
            page, i = self.find_after(key, True)
        if page is None or i >= len(page.keys):
            return None
        self.finger, self.finger_at = page, i
        return page.keys[i]

    def first_leaf(self) -> Page:
        page = self.root
        while page.children is not None:
            page = page.children[0]
        return page

    def last_leaf(self) -> Page:
        page = self.root
        while page.children is not None:
            page = page.children[-1]
        return page

    def first_key(self) -> Any:
        """The smallest key, or None in an empty tree."""
        keys = self.first_leaf().keys
        return keys[0] if keys else None

    def last_key(self) -> Any:
        """The largest key, or None in an empty tree."""
        keys = self.last_leaf().keys
        return keys[-1] if keys else None

    # --8<-- [start:scan]
    def scan(self) -> Iterator[tuple[Any, Any]]:
        """Every (key, value) in key order, for a walk that may change the tree between
        steps: each pair given is the entry after the one given last, as it is now.

        While nothing changes, the walk runs down a leaf as a plain Python loop and
        seeks only to reach the next leaf. A change (any put or remove, counted by
        ``changes``) may have moved, added or removed entries ahead, so the walk seeks
        the first key after the one it gave last, as a cursor re-seeks its saved key.
        """
        page, start = self.first_leaf(), 0
        while page is not None and page.keys:
            changes = self.changes
            for key, value in zip(page.keys[start:], page.values[start:], strict=True):
                yield key, value
                if self.changes != changes:
                    break
            page, start = self.find_after(key, True)

    # --8<-- [end:scan]

    def items(self) -> Iterator[tuple[Any, Any]]:
        """Every (key, value) in key order. The tree must not change meanwhile."""
        stack = [self.root]
        while stack:
            page = stack.pop()
            if page.children is None:
                yield from zip(page.keys, page.values, strict=True)
            else:
                stack.extend(reversed(page.children))

    def keys(self) -> Iterator[Any]:
        for key, _value in self.items():
            yield key

    def depth(self) -> int:
        """Pages from the root to any leaf (the same for every leaf)."""
        page, levels = self.root, 1
        while page.children is not None:
            page, levels = page.children[0], levels + 1
        return levels


# --- moving entries between siblings --------------------------------------------------------
def _borrow_from_left(parent: Page, i: int, left: Page, page: Page) -> None:
    """Move the last entry of `left` to the front of its right sibling `page`."""
    if page.children is None:
        page.keys.insert(0, left.keys.pop())
        page.values.insert(0, left.values.pop())
        parent.keys[i - 1] = page.keys[0]
    else:  # the separator comes down, the left page's last key goes up
        page.keys.insert(0, parent.keys[i - 1])
        page.children.insert(0, left.children.pop())
        parent.keys[i - 1] = left.keys.pop()


def _borrow_from_right(parent: Page, i: int, page: Page, right: Page) -> None:
    """Move the first entry of `right` to the end of its left sibling `page`."""
    if page.children is None:
        page.keys.append(right.keys.pop(0))
        page.values.append(right.values.pop(0))
        parent.keys[i] = right.keys[0]
    else:
        page.keys.append(parent.keys[i])
        page.children.append(right.children.pop(0))
        parent.keys[i] = right.keys.pop(0)


def _merge(parent: Page, i: int, left: Page, right: Page) -> None:
    """Append `right` (child i + 1 of `parent`) to `left` (child i) and drop it."""
    if left.children is None:
        left.keys += right.keys
        left.values += right.values
    else:  # the separator between them comes down between their children
        left.keys += [parent.keys[i], *right.keys]
        left.children += right.children
    del parent.keys[i]
    del parent.children[i + 1]
