"""The functions ANALYZE's programs call: stat_init, stat_push and stat_get.

ANALYZE walks each index in key order. For every entry the program works out `i`, the
first key column whose value differs from the previous entry's (0 for the first
entry, the column count when nothing differs), and passes it to stat_push. From those
numbers alone stat_get writes the `stat` column of sqlite_stat1:

    "ROWS D1 D2 ... DK"

ROWS is the number of entries and Dn the average number of entries that share a value
of the first n key columns, rounded up: a planner's guess at how many rows an `=`
constraint on those columns selects.

A SQLite built with SQLITE_ENABLE_STAT4 (as the builds that PyPI's packages bundle
are) also keeps up to 24 sample entries per index in sqlite_stat4, so the planner can
see how values are spread. Its programs pass each entry's rowid to stat_push (a third
argument) and ask stat_get (a second argument says what) for each sample in turn: its
rowid, then three lists, one number per index column:

    neq    entries equal to the sample on the first n columns
    nlt    entries before those
    ndlt   distinct values of the first n columns before those

Samples are of two kinds. *Periodic* ones are taken every ROWS/9 entries or so, to
cover the whole index. The others are the entries whose prefix of n columns repeats
the most (the "best" entry per prefix length), which tell the planner about values
far more common than average; when all 24 places are full, a better candidate pushes
the least useful one out. Ties are broken by a pseudo-random hash whose seed and
sequence are SQLite's, so the same index gets the same samples.
"""

from __future__ import annotations

from vdbe.values import Value

SAMPLES = 24  # SQLITE_STAT4_SAMPLES: the most samples kept per index
_MASK32 = 0xFFFFFFFF


class Sample:
    """One index entry's counts (SQLite's StatSample): the current entry, a best
    candidate, or a kept sample."""

    def __init__(self, n_col: int, column: int = 0) -> None:
        self.eq = [0] * n_col  # anEq: run of entries equal on the first i+1 columns
        self.lt = [0] * n_col  # anLt: entries before that run
        self.dlt = [0] * n_col  # anDLt: distinct prefixes before it
        self.rowid: Value = None  # an integer, or a key record for WITHOUT ROWID
        self.periodic = False
        self.column = column  # for a non-periodic sample: the prefix it was kept for
        self.hash = 0

    def copy(self) -> Sample:
        twin = Sample(0)
        twin.__dict__.update(self.__dict__)
        twin.eq, twin.lt, twin.dlt = self.eq[:], self.lt[:], self.dlt[:]
        return twin


class StatAccumulator:
    """What ANALYZE has counted so far for one index (SQLite's StatAccum)."""

    def __init__(self, n_col: int, n_key_col: int, estimate: int, limit: int) -> None:
        self.n_col = n_col  # columns in the index entry, the rowid included
        self.n_key_col = n_key_col  # the key columns the stat string covers
        self.rows = 0
        self.current = Sample(n_col)
        self.max_eq = [0] * n_col  # amxEq: the longest run of equal prefixes seen
        # sqlite_stat4's samples: none under an analysis limit
        self.max_samples = SAMPLES if limit == 0 else 0
        self.period = estimate // (SAMPLES // 3 + 1) + 1  # nPSample
        self.prn = (0x689E962D * n_col ^ 0xD0944565 * (estimate & _MASK32)) & _MASK32
        self.best = [Sample(n_col, column) for column in range(n_col)]
        self.samples: list[Sample] = []
        self.weakest = 0  # iMin: the kept non-periodic sample to push out first
        self.max_eq_zero = 0  # nMaxEqZero: no kept sample has a 0 in eq[] from here on
        self.next_sample = -1  # iGet: the sample stat_get reports, -1 before the first

    def __repr__(self) -> str:
        return f"StatAccumulator(rows={self.rows}, changes={self.current.dlt})"

    # ----------------------------------------------------------------- counting
    def push(self, first_changed: int, rowid: Value, sampling: bool) -> None:
        """Count one more entry, whose first `first_changed` columns equal the last's."""
        current = self.current
        if self.rows == 0:
            current.eq = [1] * self.n_col
            self.max_eq = [1] * self.n_col
        else:
            if sampling:
                self._keep_best_of_previous(first_changed)
            for i in range(first_changed):
                current.eq[i] += 1
            for i in range(first_changed, self.n_col):
                current.dlt[i] += 1
                if sampling:
                    current.lt[i] += current.eq[i]
                self.max_eq[i] = max(self.max_eq[i], current.eq[i])
                current.eq[i] = 1
        self.rows += 1
        if sampling:
            self._consider(current, first_changed, rowid)

    def _consider(self, current: Sample, first_changed: int, rowid: Value) -> None:
        """Take the entry as a periodic sample if its turn has come, and as the best
        candidate of every prefix it may lead."""
        current.rowid = rowid
        self.prn = (self.prn * 1103515245 + 12345) & _MASK32
        current.hash = self.prn
        before = current.lt[self.n_col - 1]
        if before // self.period != (before + 1) // self.period:
            current.periodic, current.column = True, 0
            self._insert(current, self.n_col - 1)
            current.periodic = False
        for i in range(self.n_col - 1):
            current.column = i
            if i >= first_changed or self._better_after(current, self.best[i]):
                self.best[i] = current.copy()

    def _keep_best_of_previous(self, first_changed: int) -> None:
        """Prefixes from `first_changed` on just ended: their best candidates, whose
        run lengths are now known, may become samples (samplePushPrevious)."""
        for i in range(self.n_col - 2, first_changed - 1, -1):
            best = self.best[i]
            best.eq[i] = self.current.eq[i]
            if len(self.samples) < self.max_samples or self._better(
                best, self.samples[self.weakest]
            ):
                self._insert(best, i)
        if first_changed < self.max_eq_zero:
            for sample in self.samples:
                for j in range(first_changed, self.n_col):
                    if sample.eq[j] == 0:
                        sample.eq[j] = self.current.eq[j]
            self.max_eq_zero = first_changed

    # ----------------------------------------------------------------- samples
    def _better_after(self, new: Sample, old: Sample) -> bool:
        """With the prefix of their column equally common, is `new` preferable?"""
        for i in range(new.column + 1, self.n_col):
            if new.eq[i] != old.eq[i]:
                return new.eq[i] > old.eq[i]
        return new.hash > old.hash

    def _better(self, new: Sample, old: Sample) -> bool:
        """Is non-periodic sample `new` more useful than `old` (a longer run wins, then
        a shorter prefix)?"""
        new_eq, old_eq = new.eq[new.column], old.eq[old.column]
        if new_eq != old_eq:
            return new_eq > old_eq
        if new.column != old.column:
            return new.column < old.column
        return self._better_after(new, old)

    def _insert(self, new: Sample, eq_zeros: int) -> None:
        """Keep a copy of `new`, its first `eq_zeros` run lengths still unknown (0),
        pushing the weakest sample out when all places are taken (sampleInsert)."""
        self.max_eq_zero = max(self.max_eq_zero, eq_zeros)
        if not new.periodic:
            # a kept sample with this prefix already: promote the best such one instead
            sharing = [old for old in self.samples if old.eq[new.column] == 0]
            if any(old.periodic for old in sharing):
                return
            if sharing:
                promoted = sharing[-1]
                for old in reversed(sharing[:-1]):
                    if self._better(old, promoted):
                        promoted = old
                promoted.column = new.column
                promoted.eq[new.column] = new.eq[new.column]
                self._find_weakest()
                return
        if len(self.samples) >= self.max_samples:
            del self.samples[self.weakest]
        kept = new.copy()
        kept.eq[:eq_zeros] = [0] * eq_zeros
        self.samples.append(kept)
        self._find_weakest()

    def _find_weakest(self) -> None:
        if len(self.samples) < self.max_samples:
            return
        weakest = -1
        for i, sample in enumerate(self.samples):
            if not sample.periodic and (weakest < 0 or self._better(self.samples[weakest], sample)):
                weakest = i
        self.weakest = weakest

    # ----------------------------------------------------------------- results
    def stat1(self) -> str:
        """The sqlite_stat1 `stat` text."""
        parts = [str(self.rows)]
        for column in range(self.n_key_col):
            distinct = self.current.dlt[column] + 1
            per_value = (self.rows + distinct - 1) // distinct
            if per_value == 2 and self.rows * 10 <= distinct * 11:
                per_value = 1  # nearly unique: SQLite rounds 2 down
            parts.append(str(per_value))
        return " ".join(parts)

    def sample_rowid(self) -> Value:
        """The next sample's rowid (or key); NULL when every sample was reported."""
        if self.next_sample < 0:
            self._keep_best_of_previous(0)
            self.next_sample = 0
        if self.next_sample < len(self.samples):
            return self.samples[self.next_sample].rowid
        return None

    def sample_counts(self, which: str) -> str:
        """One of the current sample's lists ('eq', 'lt' or 'dlt') as text; 'dlt' is
        asked last, and moves on to the next sample."""
        sample = self.samples[self.next_sample]
        if which == "dlt":
            self.next_sample += 1
        return " ".join(str(count) for count in getattr(sample, which))


def stat_init(n_col: Value, n_key_col: Value, estimate: Value, limit: Value) -> StatAccumulator:
    """stat_init(C, K, N, L): a new accumulator for an index of C columns, K of them keys,
    about N entries. An analysis limit L (not 0) turns the samples off; this VM always
    reads every entry, so it changes nothing else."""
    return StatAccumulator(int(n_col), int(n_key_col), int(estimate or 0), int(limit or 0))


def stat_push(acc: StatAccumulator, first_changed: Value) -> None:
    """stat_push(P, i): one more index entry, whose first i columns equal the last one's."""
    acc.push(int(first_changed), None, sampling=False)


def stat_push_sampled(acc: StatAccumulator, first_changed: Value, rowid: Value) -> None:
    """stat_push(P, i, R), as STAT4 builds call it: R is the entry's rowid (or, for a
    WITHOUT ROWID table, its primary key as a record), kept with a sample."""
    acc.push(int(first_changed), rowid, sampling=acc.max_samples > 0)


def stat_get(acc: StatAccumulator) -> str:
    """stat_get(P): the sqlite_stat1 `stat` text for what was pushed."""
    return acc.stat1()


# stat_get(P, J)'s J for a sample's lists
_STAT_GET_COUNTS = {2: "eq", 3: "lt", 4: "dlt"}


def stat_get_sampled(acc: StatAccumulator, which: Value) -> Value:
    """stat_get(P, J): the stat text (J = 0), the next sample's rowid (1), or its neq,
    nlt and ndlt lists (2, 3, 4)."""
    which = int(which)
    if which == 0:
        return acc.stat1()
    if which == 1:
        return acc.sample_rowid()
    return acc.sample_counts(_STAT_GET_COUNTS[which])


ANALYZE_FUNCTIONS = {
    ("stat_init", 4): stat_init,
    ("stat_push", 2): stat_push,
    ("stat_push", 3): stat_push_sampled,
    ("stat_get", 1): stat_get,
    ("stat_get", 2): stat_get_sampled,
}
