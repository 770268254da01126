"""Date and time functions: date, time, datetime, julianday, unixepoch, strftime.

SQLite keeps a moment as a Julian day number counted in whole milliseconds (`jd_ms`):
noon UTC on 24 November 4714 BC is 0, and 1970-01-01 00:00:00 is 210866760000000.
A function call parses its first argument (a date/time text, 'now', or a number), applies
its modifiers in order ('+3 days', 'start of month', 'weekday 0', 'unixepoch', ...), and
formats the result. Anything malformed makes the result NULL.

The moment is held, as in SQLite, in two forms that are computed from each other when
needed: the Julian day number, and the broken-down year, month, day, hour, minute and
second. Times are UTC; 'localtime' and 'utc' convert with the machine's time zone.

Later releases added to what 3.40 reads and writes; each addition below is asked for
with `compiled_since(...)`, so the VM answers as the SQLite that compiled the call:

    3.42  'subsec' (or 'subsecond'): milliseconds in datetime(), time(), unixepoch(), %s;
          fractions of a second past .999 are cut to .999
    3.43  '+YYYY-MM-DD HH:MM:SS.SSS' modifiers, and timediff()
    3.44  strftime's %e %F %I %k %l %p %P %R %T %u
    3.45  a date alone with a day past the month's end is normalized ('2023-02-31' is
          '2023-03-03')
    3.46  strftime's %G %g %U %V; 'floor' and 'ceiling' after adding months or years
    3.54  24:00 is only 24:00:00, written as 00:00:00 of the next day
"""

from __future__ import annotations

import re
import time

from vdbe import clock
from vdbe.functions.text import as_text, compiled_since
from vdbe.realfmt import format_float
from vdbe.values import Value, parse_real

DAY_MS = 86_400_000
UNIX_EPOCH_MS = 210_866_760_000_000  # the Julian day of 1970-01-01, in milliseconds
MAX_JD_MS = 464_269_060_799_999  # 9999-12-31 23:59:59.999


def _cdiv(a: int | float, b: int | float) -> int:
    """C's integer division: truncates toward zero."""
    q = abs(a) // abs(b)
    return int(q if (a >= 0) == (b >= 0) else -q)


class Moment:
    """A date and time being computed, in either or both of its two forms."""

    def __init__(
        self, *, year: int = 2000, month: int = 1, day: int = 1, valid_ymd: bool = False
    ) -> None:
        self.jd_ms = 0
        self.year = year
        self.month = month
        self.day = day
        self.hour = 0
        self.minute = 0
        self.second = 0.0
        self.tz_minutes = 0  # the time zone written in the text, to subtract
        self.raw_number = False  # `second` holds a bare number not yet interpreted
        self.valid_jd = False
        self.valid_ymd = valid_ymd
        self.valid_hms = False
        self.valid_tz = False
        self.error = False
        self.subsec = False  # 'subsec' was given: show milliseconds
        self.n_floor = 0  # days 'floor' takes back after months were added (3.46)

    # --- the two forms ---------------------------------------------------------------

    def compute_jd(self) -> None:
        """Julian day milliseconds from year, month, day (and time)."""
        if self.valid_jd:
            return
        y, m, d = (self.year, self.month, self.day) if self.valid_ymd else (2000, 1, 1)
        if y < -4713 or y > 9999 or self.raw_number:
            self.error = True
            return
        if m <= 2:
            y -= 1
            m += 12
        a = _cdiv(y, 100)
        b = 2 - a + _cdiv(a, 4)
        x1 = _cdiv(36525 * (y + 4716), 100)
        x2 = _cdiv(306001 * (m + 1), 10000)
        self.jd_ms = int((x1 + x2 + d + b - 1524.5) * DAY_MS)
        self.valid_jd = True
        if self.valid_hms:
            self.jd_ms += self.hour * 3600000 + self.minute * 60000 + int(self.second * 1000 + 0.5)
            if self.valid_tz:
                self.jd_ms -= self.tz_minutes * 60000
                self.valid_ymd = self.valid_hms = self.valid_tz = False

    def compute_ymd(self) -> None:
        """Year, month and day from the Julian day."""
        if self.valid_ymd:
            return
        if not self.valid_jd:
            self.year, self.month, self.day = 2000, 1, 1
        elif not 0 <= self.jd_ms <= MAX_JD_MS:
            self.error = True
            return
        else:
            z = (self.jd_ms + 43200000) // DAY_MS
            a = int((z - 1867216.25) / 36524.25)
            a = z + 1 + a - _cdiv(a, 4)
            b = a + 1524
            c = int((b - 122.1) / 365.25)
            d = (36525 * (c & 32767)) // 100
            e = int((b - d) / 30.6001)
            x1 = int(30.6001 * e)
            self.day = b - d - x1
            self.month = e - 1 if e < 14 else e - 13
            self.year = c - 4716 if self.month > 2 else c - 4715
        self.valid_ymd = True

    def compute_hms(self) -> None:
        """Hour, minute and second from the Julian day."""
        if self.valid_hms:
            return
        self.compute_jd()
        ms = (self.jd_ms + 43200000) % DAY_MS
        seconds = ms / 1000.0
        whole = int(seconds)
        fraction = seconds - whole
        self.hour = whole // 3600
        whole -= self.hour * 3600
        self.minute = whole // 60
        self.second = fraction + whole - self.minute * 60
        self.raw_number = False
        self.valid_hms = True

    def compute_all(self) -> None:
        self.compute_ymd()
        self.compute_hms()

    def clear_broken_down(self) -> None:
        self.valid_ymd = self.valid_hms = self.valid_tz = False


# ---------------------------------------------------------------------------
# Parsing the first argument
# ---------------------------------------------------------------------------

_SPACES = " \t\n\v\f\r"
_DATE = re.compile(r"(-?)(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?")
_ZONE = re.compile(r"[ \t\n\v\f\r]*(?:([Zz])|([-+])(\d{2}):(\d{2}))?[ \t\n\v\f\r]*$")


def _parse_time(text: str, moment: Moment) -> bool:
    """HH:MM[:SS[.FFF]] and an optional time zone; True on success."""
    m = _TIME.match(text)
    if not m:
        return False
    hour, minute = int(m[1]), int(m[2])
    second = int(m[3]) if m[3] else 0
    if hour > 24 or minute > 59 or second > 59:
        return False
    if hour == 24 and (minute or second or (m[4] or ".").strip(".0")) and compiled_since(3, 54):
        return False  # 3.54 takes 24:00 only as the midnight that ends a day
    fraction = 0.0
    if m[4] and len(m[4]) > 1:
        digits = m[4][1:]
        fraction = int(digits) / 10.0 ** len(digits)
        if fraction > 0.999 and compiled_since(3, 42):
            fraction = 0.999  # newer releases cut sub-milliseconds off, never round up
    zone = _ZONE.match(text, m.end())
    if not zone:
        return False
    moment.valid_jd = False
    moment.raw_number = False
    moment.valid_hms = True
    moment.hour, moment.minute, moment.second = hour, minute, second + fraction
    if zone[2]:
        offset = int(zone[3]) * 60 + int(zone[4])
        moment.tz_minutes = -offset if zone[2] == "-" else offset
        moment.valid_tz = moment.tz_minutes != 0  # 'Z' and +00:00 change nothing
    return True


def _parse_date(text: str, moment: Moment) -> bool:
    """YYYY-MM-DD, then optionally (after spaces or a 'T') a time."""
    m = _DATE.match(text)
    if not m:
        return False
    year, month, day = int(m[2]), int(m[3]), int(m[4])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    rest = text[m.end() :]
    stripped = rest.lstrip(_SPACES + "T")
    if stripped and not _parse_time(stripped, moment):
        return False
    moment.valid_jd = False
    moment.valid_ymd = True
    moment.year = -year if m[1] else year
    moment.month, moment.day = month, day
    if moment.valid_tz:
        moment.compute_jd()
    return True


def _set_raw_number(moment: Moment, r: float) -> None:
    moment.second = r
    moment.raw_number = True
    if 0.0 <= r < 5373484.5:
        moment.jd_ms = int(r * DAY_MS + 0.5)
        moment.valid_jd = True


def _set_now(moment: Moment) -> None:
    moment.jd_ms = UNIX_EPOCH_MS + clock.unix_ms()
    moment.valid_jd = True


def _parse_first(v: Value, moment: Moment) -> bool:
    if type(v) is int or type(v) is float:
        _set_raw_number(moment, float(v))
        return True
    text = as_text(v)
    if text is None:
        return False
    if _parse_date(text, moment) or _parse_time(text, moment):
        if moment.valid_hms and moment.hour == 24 and compiled_since(3, 54):
            moment.compute_jd()  # 24:00 is read as 00:00 of the next day
            moment.clear_broken_down()
        return True
    if text.lower() == "now":
        _set_now(moment)
        return True
    kind, r = parse_real(text)
    if kind > 0:
        _set_raw_number(moment, r)
        return True
    if text.lower() in ("subsec", "subsecond") and compiled_since(3, 42):
        moment.subsec = True
        _set_now(moment)
        return True
    return False


# ---------------------------------------------------------------------------
# Modifiers
# ---------------------------------------------------------------------------

# unit: (limit on the amount, milliseconds per unit / 1000)
_UNITS = {
    "second": (4.6427e14, 1.0),
    "minute": (7.7379e12, 60.0),
    "hour": (1.2897e11, 3600.0),
    "day": (5373485.0, 86400.0),
    "month": (176546.0, 2592000.0),
    "year": (14713.0, 31536000.0),
}


def _apply_modifier(text: str, moment: Moment, first: bool) -> bool:
    """Apply one modifier; False if it is not one SQLite knows (or not here).

    'unixepoch', 'julianday' and 'auto' say how to read a bare number, so they are only
    accepted as the first modifier.
    """
    z = text.lower()
    if z in ("unixepoch", "julianday", "auto") and not first:
        return False
    if z == "unixepoch":
        if not moment.raw_number:
            return False
        r = moment.second * 1000.0 + 210866760000000.0
        if not 0.0 <= r < 464269060800000.0:
            return False
        moment.clear_broken_down()
        moment.jd_ms = int(r + 0.5)
        moment.valid_jd = True
        moment.raw_number = False
        return True
    if z == "julianday":
        if not (moment.valid_jd and moment.raw_number):
            return False
        moment.raw_number = False
        return True
    if z == "auto":
        if not moment.raw_number:
            return True  # a date that is already a date stays as it is
        if moment.valid_jd:
            moment.raw_number = False
            return True
        if -210866760000.0 <= moment.second <= 253402300799.0:
            return _apply_modifier("unixepoch", moment, first)
        return False
    if z in ("localtime", "utc"):
        return _convert_zone(moment, to_local=z == "localtime")
    if z in ("subsec", "subsecond") and compiled_since(3, 42):
        moment.subsec = True
        return True
    if z in ("ceiling", "floor") and compiled_since(3, 46):
        moment.compute_jd()
        if z == "floor":
            moment.jd_ms -= moment.n_floor * DAY_MS
        moment.n_floor = 0
        moment.clear_broken_down()
        return True
    if z.startswith("weekday "):
        kind, r = parse_real(z[8:])
        if kind <= 0 or r != int(r) or not 0 <= r < 7:
            return False
        n = int(r)
        moment.compute_all()
        moment.valid_tz = False
        moment.valid_jd = False
        moment.compute_jd()
        weekday = ((moment.jd_ms + 129600000) // DAY_MS) % 7
        if weekday > n:
            weekday -= 7
        moment.jd_ms += (n - weekday) * DAY_MS
        moment.clear_broken_down()
        return True
    if z.startswith("start of "):
        if not (moment.valid_jd or moment.valid_ymd or moment.valid_hms):
            return False
        unit = z[9:]
        moment.compute_ymd()
        moment.valid_hms = True
        moment.hour = moment.minute = 0
        moment.second = 0.0
        moment.raw_number = False
        moment.valid_tz = False
        moment.valid_jd = False
        if unit == "month":
            moment.day = 1
        elif unit == "year":
            moment.month = moment.day = 1
        elif unit != "day":
            return False
        return True
    if z[:1] in ("+", "-") or z[:1].isdigit():
        return _shift(z, moment)
    return False


_YEARS_THEN_DASH = re.compile(r"[-+]\d{4,5}-")
_YMD_SHIFT = re.compile(r"([-+])(\d{4,5})-(\d{2})-(\d{2})")


def _shift(z: str, moment: Moment) -> bool:
    """'+N unit(s)', '+HH:MM[:SS.FFF]' and (3.43) '+YYYY-MM-DD[ HH:MM[:SS.FFF]]'."""
    n = 1
    while n < len(z) and z[n] != ":" and z[n] not in _SPACES:
        if z[n] == "-" and compiled_since(3, 43) and _YEARS_THEN_DASH.fullmatch(z[: n + 1]):
            break
        n += 1
    kind, r = parse_real(z[:n])
    if kind <= 0:
        return False
    time_text = z[0 if z[0].isdigit() else 1 :] if n < len(z) and z[n] == ":" else None
    if n < len(z) and z[n] == "-":  # only since 3.43 does the loop stop at a '-'
        rest = _shift_years_months_days(z, moment)
        if rest is None:
            return False
        if rest == "":
            return True
        time_text = rest
    if time_text is not None:
        delta = Moment()
        if not _parse_time(time_text, delta):
            return False
        delta.compute_jd()
        delta.jd_ms -= 43200000
        days = _cdiv(delta.jd_ms, DAY_MS)
        delta.jd_ms -= days * DAY_MS
        if z[0] == "-":
            delta.jd_ms = -delta.jd_ms
        moment.compute_jd()
        moment.clear_broken_down()
        moment.jd_ms += delta.jd_ms
        return True
    return _shift_by_units(z, n, r, moment)


def _shift_years_months_days(z: str, moment: Moment) -> str | None:
    """Apply the '+YYYY-MM-DD' start of a modifier (3.43): whole years and months (MM
    up to 11), then days (DD up to 30). Returns what follows it: '' if nothing, the
    time 'HH:MM...' to add next, or None if the modifier is malformed."""
    m = _YMD_SHIFT.match(z)
    if m is None:
        return None
    years, months, days = int(m[2]), int(m[3]), int(m[4])
    if months >= 12 or days >= 31:
        return None
    moment.compute_all()
    moment.valid_jd = False
    sign = -1 if m[1] == "-" else 1
    moment.year += sign * years
    moment.month += sign * months
    _normalize_month(moment)
    if compiled_since(3, 46):
        _compute_floor(moment)
    moment.compute_jd()
    moment.valid_hms = moment.valid_ymd = False
    moment.jd_ms += sign * days * DAY_MS
    rest = z[m.end() :]
    if rest == "":
        return ""
    if rest[0] in _SPACES and re.match(r"\d{2}:\d{2}", rest[1:]):
        return rest[1:]
    return None


def _normalize_month(moment: Moment) -> None:
    """Bring the month back into 1..12, carrying whole years."""
    x = _cdiv(moment.month - 1, 12) if moment.month > 0 else _cdiv(moment.month - 12, 12)
    moment.year += x
    moment.month -= x * 12


def _compute_floor(moment: Moment) -> None:
    """How many days past the end of its month the date lies (2023-02-31: 3), which
    'floor' takes back (3.46)."""
    y, m, d = moment.year, moment.month, moment.day
    if d <= 28 or m in (1, 3, 5, 7, 8, 10, 12):
        moment.n_floor = 0
    elif m != 2:
        moment.n_floor = 1 if d == 31 else 0
    elif y % 4 != 0 or (y % 100 == 0 and y % 400 != 0):
        moment.n_floor = d - 28
    else:
        moment.n_floor = d - 29


def _shift_by_units(z: str, n: int, r: float, moment: Moment) -> bool:
    """'+N days', '-1.5 hours', ...: N units of time."""
    unit = z[n:].lstrip(_SPACES)
    if not 3 <= len(unit) <= 10:
        return False
    if unit.endswith("s"):
        unit = unit[:-1]
    moment.compute_jd()
    found = _UNITS.get(unit)
    ok = False
    if found and -found[0] < r < found[0]:
        rounder = -0.5 if r < 0 else 0.5
        if unit == "month":
            moment.compute_all()
            moment.month += int(r)
            _normalize_month(moment)
            if compiled_since(3, 46):
                _compute_floor(moment)
            moment.valid_jd = False
            r -= int(r)
        elif unit == "year":
            moment.compute_all()
            moment.year += int(r)
            if compiled_since(3, 46):
                _compute_floor(moment)
            moment.valid_jd = False
            r -= int(r)
        moment.compute_jd()
        moment.jd_ms += int(r * 1000.0 * found[1] + rounder)
        ok = True
    moment.clear_broken_down()
    return ok


def _convert_zone(moment: Moment, to_local: bool) -> bool:
    """'localtime' and 'utc': shift by the machine's UTC offset at that moment."""
    moment.compute_jd()
    seconds = (moment.jd_ms - UNIX_EPOCH_MS) // 1000
    try:
        offset = time.localtime(seconds).tm_gmtoff
        if not to_local:
            offset = time.localtime(seconds - offset).tm_gmtoff
    except (OverflowError, OSError, ValueError):
        return False
    moment.jd_ms += offset * 1000 if to_local else -offset * 1000
    moment.clear_broken_down()
    return True


def _year(y: int) -> str:
    """A year in at least four digits, with its sign: 2024, 0099, -0001."""
    return f"-{-y:04d}" if y < 0 else f"{y:04d}"


def _moment(args: tuple) -> Moment | None:
    """Parse the arguments of a date/time function; None if they make no date."""
    moment = Moment()
    if not args:
        _set_now(moment)
    elif not _parse_first(args[0], moment):
        return None
    for k, modifier in enumerate(args[1:]):
        text = as_text(modifier)
        if text is None or not _apply_modifier(text, moment, first=k == 0):
            return None
    moment.compute_jd()
    if moment.error or not 0 <= moment.jd_ms <= MAX_JD_MS:
        return None
    if len(args) == 1 and moment.valid_ymd and moment.day > 28 and compiled_since(3, 45):
        moment.valid_ymd = False  # recomputed from the Julian day: 02-31 becomes 03-03
    return moment


# ---------------------------------------------------------------------------
# The SQL functions
# ---------------------------------------------------------------------------


def julianday(*args: Value) -> Value:
    """The Julian day number, a REAL."""
    moment = _moment(args)
    return None if moment is None else moment.jd_ms / 86400000.0


def unixepoch(*args: Value) -> Value:
    """Seconds since 1970-01-01 00:00:00 UTC, an INTEGER."""
    moment = _moment(args)
    if moment is None:
        return None
    if moment.subsec:
        return (moment.jd_ms - UNIX_EPOCH_MS) / 1000.0
    return _cdiv(moment.jd_ms, 1000) - 21086676 * 10000


def datetime_(*args: Value) -> Value:
    """'YYYY-MM-DD HH:MM:SS'."""
    moment = _moment(args)
    if moment is None:
        return None
    moment.compute_all()
    return "%s-%02d-%02d %02d:%02d:%s" % (  # noqa: UP031
        _year(moment.year),
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        _seconds(moment),
    )


def _seconds(moment: Moment) -> str:
    """SS, or SS.SSS after 'subsec'."""
    if moment.subsec:
        ms = int(1000.0 * moment.second + 0.5)
        return f"{ms // 1000 % 100:02d}.{ms % 1000:03d}"
    return f"{int(moment.second):02d}"


def date(*args: Value) -> Value:
    """'YYYY-MM-DD'."""
    moment = _moment(args)
    if moment is None:
        return None
    moment.compute_ymd()
    return f"{_year(moment.year)}-{moment.month:02d}-{moment.day:02d}"


def time_(*args: Value) -> Value:
    """'HH:MM:SS'."""
    moment = _moment(args)
    if moment is None:
        return None
    moment.compute_hms()
    return f"{moment.hour:02d}:{moment.minute:02d}:{_seconds(moment)}"


# timediff() adds the difference to this moment, 0000-01-01 00:00:00, to read off its
# days, hours, minutes and seconds
_YEAR_ZERO_MS = 148_699_540_800_000


def timediff(a: Value, b: Value) -> Value:
    """How much time to add to B to reach A (SQLite 3.43 and later), as
    '+YYYY-MM-DD HH:MM:SS.SSS': whole years, then months, then the rest."""
    later, earlier = _moment((a,)), _moment((b,))
    if later is None or earlier is None:
        return None
    later.compute_all()
    earlier.compute_all()
    sign = "+" if later.jd_ms >= earlier.jd_ms else "-"
    step = -1 if sign == "+" else 1  # the way `earlier` moves month by month to reach it
    years = (later.year - earlier.year) * -step
    if years:
        _move_to(earlier, year=later.year)
    months = (later.month - earlier.month) * -step
    if months < 0:
        years -= 1
        months += 12
    if months:
        _move_to(earlier, month=later.month)
    while (later.jd_ms < earlier.jd_ms) if sign == "+" else (later.jd_ms > earlier.jd_ms):
        months -= 1
        if months < 0:
            months, years = 11, years - 1
        month, year = earlier.month + step, earlier.year
        if month < 1:
            month, year = 12, year - 1
        elif month > 12:
            month, year = 1, year + 1
        _move_to(earlier, year=year, month=month)
    rest = Moment()
    rest.jd_ms = abs(later.jd_ms - earlier.jd_ms) + _YEAR_ZERO_MS
    rest.valid_jd = True
    rest.compute_all()
    return "%s%04d-%02d-%02d %02d:%02d:%06.3f" % (  # noqa: UP031
        sign,
        years,
        months,
        rest.day - 1,
        rest.hour,
        rest.minute,
        rest.second,
    )


def _move_to(moment: Moment, **fields: int) -> None:
    """Change the year and/or month of a moment and recompute its Julian day."""
    for name, value in fields.items():
        setattr(moment, name, value)
    moment.valid_jd = False
    moment.compute_jd()


def strftime(fmt: Value = None, *args: Value) -> Value:
    """The moment written with FORMAT's %-conversions (d f H j J m M s S w W Y %)."""
    text = as_text(fmt)
    moment = _moment(args)
    if text is None or moment is None:
        return None
    moment.compute_all()
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "%":
            out.append(ch)
            i += 1
            continue
        i += 1
        conv = text[i] if i < len(text) else ""
        piece = _conversion(conv, moment)
        if piece is None:
            return None
        out.append(piece)
        i += 1
    return "".join(out)


def _conversion(conv: str, moment: Moment) -> str | None:
    if conv == "d":
        return f"{moment.day:02d}"
    if conv == "f":
        return format_float(min(moment.second, 59.999), "f", 3).rjust(6, "0")
    if conv == "H":
        return f"{moment.hour:02d}"
    if conv in ("W", "j"):
        first = Moment(year=moment.year, month=1, day=1, valid_ymd=True)
        first.valid_hms = moment.valid_hms
        first.hour, first.minute, first.second = moment.hour, moment.minute, moment.second
        first.tz_minutes, first.valid_tz = moment.tz_minutes, moment.valid_tz
        first.compute_jd()
        n_day = _cdiv(moment.jd_ms - first.jd_ms + 43200000, DAY_MS)
        if conv == "W":
            weekday = _cdiv(moment.jd_ms + 43200000, DAY_MS) % 7  # 0 = Monday
            return f"{_cdiv(n_day + 7 - weekday, 7):02d}"
        return f"{n_day + 1:03d}"
    if conv == "J":
        return format_float(moment.jd_ms / 86400000.0, "g", 16)
    if conv == "m":
        return f"{moment.month:02d}"
    if conv == "M":
        return f"{moment.minute:02d}"
    if conv == "s":
        if moment.subsec:
            return format_float((moment.jd_ms - UNIX_EPOCH_MS) / 1000.0, "f", 3)
        return str(_cdiv(moment.jd_ms, 1000) - 21086676 * 10000)
    if conv == "S":
        return f"{int(moment.second):02d}"
    if conv == "w":
        return str(((moment.jd_ms + 129600000) // DAY_MS) % 7)
    if conv == "Y":
        return "%04d" % moment.year  # noqa: UP031 - C's %04d: -1 is '-001' here
    if conv == "%":
        return "%"
    if compiled_since(3, 44) and conv in _LETTERS_344:
        return _LETTERS_344[conv](moment)
    if compiled_since(3, 46) and conv in _LETTERS_346:
        return _LETTERS_346[conv](moment)
    return None


def _hour12(moment: Moment) -> int:
    return 12 if moment.hour % 12 == 0 else moment.hour % 12


def _weekday(moment: Moment, first: int) -> int:
    """Days since the last Monday (first=0) or Sunday (first=1), 0 to 6."""
    return ((moment.jd_ms + 43200000 + first * DAY_MS) // DAY_MS) % 7


def _days_into_year(moment: Moment) -> int:
    first = Moment(year=moment.year, month=1, day=1, valid_ymd=True)
    first.compute_jd()
    return _cdiv(moment.jd_ms - first.jd_ms + 43200000, DAY_MS)


def _thursday_of_week(moment: Moment) -> Moment:
    """The Thursday of the ISO week (Monday to Sunday) that holds the moment."""
    thursday = Moment()
    thursday.jd_ms = moment.jd_ms + (3 - _weekday(moment, 0)) * DAY_MS
    thursday.valid_jd = True
    thursday.compute_ymd()
    return thursday


# strftime's conversions added in 3.44 and 3.46 (C's %2d pads with a space)
_LETTERS_344 = {
    "e": lambda m: f"{m.day:2d}",
    "F": lambda m: "%04d-%02d-%02d" % (m.year, m.month, m.day),  # noqa: UP031
    "I": lambda m: f"{_hour12(m):02d}",
    "k": lambda m: f"{m.hour:2d}",
    "l": lambda m: f"{_hour12(m):2d}",
    "p": lambda m: "PM" if m.hour >= 12 else "AM",
    "P": lambda m: "pm" if m.hour >= 12 else "am",
    "R": lambda m: f"{m.hour:02d}:{m.minute:02d}",
    "T": lambda m: f"{m.hour:02d}:{m.minute:02d}:{int(m.second):02d}",
    "u": lambda m: str(_weekday(m, 1) or 7),
}
_LETTERS_346 = {
    "G": lambda m: "%04d" % _thursday_of_week(m).year,  # noqa: UP031
    "g": lambda m: "%02d" % (_thursday_of_week(m).year % 100),  # noqa: UP031
    "U": lambda m: f"{(_days_into_year(m) - _weekday(m, 1) + 7) // 7:02d}",
    "V": lambda m: f"{_days_into_year(_thursday_of_week(m)) // 7 + 1:02d}",
}


DATE_FUNCTIONS = {
    ("date", -1): date,
    ("time", -1): time_,
    ("datetime", -1): datetime_,
    ("julianday", -1): julianday,
    ("unixepoch", -1): unixepoch,
    ("strftime", -1): strftime,
    ("timediff", 2): timediff,
    # CURRENT_DATE, CURRENT_TIME and CURRENT_TIMESTAMP compile to calls of these
    ("current_date", 0): lambda: date("now"),
    ("current_time", 0): lambda: time_("now"),
    ("current_timestamp", 0): lambda: datetime_("now"),
}
