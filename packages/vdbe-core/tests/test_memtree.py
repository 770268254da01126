"""The in-memory B-tree against a model: a dict, sorted when asked.

Random programs of inserts, deletes, seeks (eq, gt, ge, lt, le), scans both ways,
savepoints, rollbacks and releases run on a MemoryDatabase's trees with tiny pages (so
pages split and merge all the time) and on plain dicts with a stack of copies; after
every step the two must agree, and the tree must still be a well-formed B-tree.
"""

from __future__ import annotations

import gc
import weakref

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vdbe.errors import VdbeError
from vdbe.storage.memory import MemoryDatabase
from vdbe.storage.memtree import MISSING, MemTree

KEYS = st.integers(min_value=0, max_value=60)

STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("put"), KEYS, st.integers()),
        st.tuples(st.just("put_many"), KEYS, st.integers(min_value=1, max_value=40)),
        st.tuples(st.just("remove"), KEYS),
        st.tuples(st.just("remove_many"), KEYS, st.integers(min_value=1, max_value=40)),
        st.tuples(st.just("seek"), st.sampled_from(["eq", "gt", "ge", "lt", "le"]), KEYS),
        st.tuples(st.just("savepoint")),
        st.tuples(st.just("rollback")),
        st.tuples(st.just("release")),
        st.tuples(st.just("clear")),
        st.tuples(st.just("walk"), KEYS),
    ),
    max_size=60,
)


def model_seek(model: dict, op: str, key: int):
    keys = sorted(model)
    if op == "eq":
        return key if key in model else MISSING
    candidates = {
        "gt": [k for k in keys if k > key],
        "ge": [k for k in keys if k >= key],
        "lt": [k for k in keys if k < key][-1:],
        "le": [k for k in keys if k <= key][-1:],
    }[op]
    return candidates[0] if candidates else MISSING


def tree_seek(tree: MemTree, op: str, key: int):
    if op == "eq":
        return key if tree.get(key, MISSING) is not MISSING else MISSING
    if op in ("gt", "ge"):
        page, i = tree.find_after(key, op == "gt")
    else:
        page, i = tree.find_before(key, op == "lt")
    return MISSING if page is None else page.keys[i]


def check_shape(tree: MemTree) -> None:
    """Sorted keys, separators that bound their children, pages within capacity, every
    leaf at one depth, and the kept count right."""
    leaf_depths = set()
    total = 0

    def visit(page, low, high, depth, is_root):
        nonlocal total
        assert page.keys == sorted(set(page.keys))
        assert all((low is None or low <= k) and (high is None or k < high) for k in page.keys)
        assert len(page.keys) <= tree.capacity
        if not is_root:
            assert len(page.keys) >= tree.capacity // 2
        if page.children is None:
            assert len(page.values) == len(page.keys)
            leaf_depths.add(depth)
            total += len(page.keys)
            return
        assert len(page.children) == len(page.keys) + 1
        bounds = [low, *page.keys, high]
        for j, child in enumerate(page.children):
            visit(child, bounds[j], bounds[j + 1], depth + 1, False)

    visit(tree.root, None, None, 1, True)
    assert len(leaf_depths) == 1
    assert total == tree.count == len(tree)


@settings(max_examples=300, deadline=None)
@given(STEPS, st.integers(min_value=3, max_value=6))
def test_trees_behave_like_a_dict_with_savepoints(steps, capacity):
    db = MemoryDatabase(capacity=capacity)
    tree, other = db.tree(), db.tree()
    model: dict = {}
    other_model: dict = {}
    saved: list[tuple[dict, dict]] = []
    for step in steps:
        kind = step[0]
        if kind == "put":
            assert tree.put(step[1], step[2]) == model.get(step[1], MISSING)
            model[step[1]] = step[2]
            other.put(step[2] % 7, step[1])  # a second tree in the same savepoints
            other_model[step[2] % 7] = step[1]
        elif kind == "put_many":
            for k in range(step[1], step[1] + step[2]):
                tree.put(k, -k)
                model[k] = -k
        elif kind == "remove":
            assert tree.remove(step[1]) == model.pop(step[1], MISSING)
        elif kind == "remove_many":
            for k in range(step[1], step[1] + step[2]):
                assert tree.remove(k) == model.pop(k, MISSING)
        elif kind == "seek":
            assert tree_seek(tree, step[1], step[2]) == model_seek(model, step[1], step[2])
        elif kind == "savepoint":
            db.savepoint(f"s{len(saved)}")
            saved.append((dict(model), dict(other_model)))
        elif kind == "rollback" and saved:
            db.rollback_to(f"s{len(saved) - 1}")
            model, other_model = dict(saved[-1][0]), dict(saved[-1][1])
        elif kind == "release" and saved:
            db.release(f"s{len(saved) - 1}")
            saved.pop()
        elif kind == "clear":
            tree.clear()
            model.clear()
        elif kind == "walk":  # a scan reading each value, changing one key on the way
            seen, key = [], tree.next_key()
            while key is not None:
                seen.append((key, tree.get(key)))
                if key == step[1]:
                    tree.put(key + 0.5, "between")  # lands right after the current key
                    model[key + 0.5] = "between"
                key = tree.next_key(key)
            assert seen == sorted(model.items())
        check_shape(tree)
        assert list(tree.items()) == sorted(model.items())
        assert list(other.items()) == sorted(other_model.items())
    assert db.in_transaction == bool(saved)


@settings(max_examples=100, deadline=None)
@given(st.lists(KEYS, max_size=80), st.integers(min_value=3, max_value=5))
def test_scans_forward_and_backward_visit_every_key(keys, capacity):
    tree = MemTree(capacity=capacity)
    for k in keys:
        tree.put(k, str(k))
    forward, key = [], tree.next_key()
    while key is not None:
        forward.append(key)
        assert tree.get(key) == str(key)
        key = tree.next_key(key)
    backward, key = [], tree.last_key()
    while key is not None:
        backward.append(key)
        page, i = tree.find_before(key, True)
        key = None if page is None else page.keys[i]
    assert forward == sorted(set(keys)) == backward[::-1]


CHANGES = st.lists(
    st.tuples(st.sampled_from(["put", "remove", "update", "nothing"]), KEYS), max_size=60
)


@settings(max_examples=200, deadline=None)
@given(st.lists(KEYS, max_size=80), CHANGES, st.integers(min_value=3, max_value=5))
def test_a_scan_changed_under_it_gives_the_entry_after_the_last(keys, changes, capacity):
    """Between steps of `scan` the tree changes (the body of a `for` loop): each step
    must give the smallest key after the one given last, with its value as it is now."""
    tree = MemTree(capacity=capacity)
    model: dict = {}
    for k in keys:
        tree.put(k, str(k))
        model[k] = str(k)
    scan = tree.scan()
    last = None
    for step, (kind, key) in enumerate([*changes, *[("nothing", 0)] * 100]):
        ahead = [k for k in sorted(model) if last is None or k > last]
        expected = (ahead[0], model[ahead[0]]) if ahead else None
        assert next(scan, None) == expected
        if expected is None:
            break
        last = expected[0]
        if kind == "put":
            tree.put(key, f"new {step}")
            model[key] = f"new {step}"
        elif kind == "remove":
            tree.remove(key)
            model.pop(key, None)
        elif kind == "update" and last + 1 in model:  # the next value changes
            tree.put(last + 1, f"updated {step}")
            model[last + 1] = f"updated {step}"
    else:
        raise AssertionError("the scan did not end")


def test_string_keys_sort_by_code_point():
    tree = MemTree(capacity=3)
    words = ["b", "a", "é", "Z", "ab", "", "\U0001f600", "\uffff"]
    for w in words:
        tree.put(w, len(w))
    assert list(tree.keys()) == sorted(words)
    assert tree.next_key("ab") == "b"


def test_rollback_costs_what_changed_not_the_tree_size():
    db = MemoryDatabase()
    tree = db.tree()
    for k in range(10_000):
        tree.put(k, k)
    db.savepoint("a")
    for k in range(10):
        tree.put(k, "changed")
    tree.put(20_000, "new")
    assert len(db.log.entries) == 11  # one entry per change, none for the 10,000 rows
    db.rollback_to("a")
    assert tree.get(3) == 3 and tree.get(20_000) is None and len(tree) == 10_000
    db.release("a")
    assert not db.in_transaction and db.log.entries == []


def test_a_tree_nobody_holds_is_freed():
    db = MemoryDatabase()
    tree = db.tree()
    tree.put(1, "one")
    ref = weakref.ref(tree)
    del tree
    gc.collect()
    assert ref() is None


def test_unknown_savepoint_is_an_error():
    db = MemoryDatabase()
    db.savepoint("a")
    with pytest.raises(VdbeError, match="no such savepoint: b"):
        db.rollback_to("b")
