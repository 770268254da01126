"""printf(FORMAT, ...) and format(): SQLite's own printf, conversion by conversion.

    %d %i  signed decimal        %u  unsigned decimal     %x %X %o  hex and octal
    %f     fixed point           %e %E  exponent form     %g %G  the shorter of the two
    %s     text                  %q  text, ' doubled      %Q  like %q inside '...', or NULL
    %w     text, " doubled       %c  first character      %%  a percent sign
    flags: -  left-justify   +  sign always   (space) space for +   0  pad with zeros
           #  alternate form (0x prefix, keep the point)   ,  thousands separators
           !  SQLite's own: 20 significant digits for floats, characters not bytes for text
    width and precision as in C, `*` taking them from the arguments.

Arguments are taken as SQLite takes them: an INTEGER conversion reads its argument with
CAST-like rules, a missing argument counts as 0, 0.0 or an empty text.

The digits of %f, %e and %g come from `vdbe.realfmt.format_float`, which reproduces
SQLite's own algorithm, rounding included.
"""

from __future__ import annotations

from vdbe.functions.text import as_text, compiled_since
from vdbe.int64 import UINT64_MASK as _U64
from vdbe.realfmt import format_float
from vdbe.values import Value, to_int, to_real

FP_PRECISION_LIMIT = 100_000_000  # SQLite caps the precision of %f, %e and %g here

# ---------------------------------------------------------------------------
# The format string
# ---------------------------------------------------------------------------

_INT_CONVERSIONS = {
    # conversion: (base, signed, digits, prefix for '#')
    "d": (10, True, "0123456789", ""),
    "i": (10, True, "0123456789", ""),
    "u": (10, False, "0123456789", ""),
    "x": (16, False, "0123456789abcdef", "0x"),
    "X": (16, False, "0123456789ABCDEF", "0X"),
    "o": (8, False, "01234567", "0"),
    "p": (16, False, "0123456789ABCDEF", "0x"),
    "r": (10, True, "0123456789", ""),
}


class _Args:
    """The arguments after the format, consumed left to right."""

    def __init__(self, args: tuple) -> None:
        self.args = args
        self.used = 0

    def _next(self) -> tuple[bool, Value]:
        if self.used >= len(self.args):
            return False, None
        self.used += 1
        return True, self.args[self.used - 1]

    def int(self) -> int:
        ok, v = self._next()
        return (to_int(v) or 0) if ok else 0

    def real(self) -> float:
        ok, v = self._next()
        return (to_real(v) or 0.0) if ok else 0.0

    def raw(self) -> bytes | None:
        """The argument's text as UTF-8 bytes (a blob's own bytes); None for NULL."""
        ok, v = self._next()
        if not ok or v is None:
            return None
        return v if isinstance(v, bytes) else as_text(v).encode("utf-8")


def _until_nul(data: bytes) -> bytes:
    nul = data.find(b"\x00")
    return data if nul < 0 else data[:nul]


def _utf8_prefix(data: bytes, n_chars: int) -> bytes:
    """The first n_chars characters of UTF-8 bytes, stepping as SQLite does."""
    i = 0
    while n_chars > 0 and i < len(data):
        lead = data[i]
        i += 1
        if lead >= 0xC0:
            while i < len(data) and data[i] & 0xC0 == 0x80:
                i += 1
        n_chars -= 1
    return data[:i]


def _int32(n: int) -> int:
    n &= 0xFFFFFFFF
    return n - (1 << 32) if n >> 31 else n


# --8<-- [start:printf]
def printf(fmt: Value = None, *args: Value) -> Value:
    """printf(FORMAT, ARG...): the arguments rendered into FORMAT (NULL format: NULL)."""
    if fmt is None:
        return None
    fmt_bytes = as_text(fmt).encode("utf-8")
    nul = fmt_bytes.find(b"\x00")
    if nul >= 0:
        fmt_bytes = fmt_bytes[:nul]
    source = _Args(args)
    out = bytearray()
    written = False  # SQLite gives NULL, not '', when nothing at all was written
    i, n = 0, len(fmt_bytes)
    while i < n:
        pct = fmt_bytes.find(b"%", i)
        if pct < 0:
            out += fmt_bytes[i:]
            written = True
            break
        if pct > i:
            out += fmt_bytes[i:pct]
            written = True
        i = pct + 1
        if i >= n:
            out += b"%"
            written = True
            break
        spec, i = _parse_spec(fmt_bytes, i, source)
        if spec is None:
            break  # an unknown conversion ends the output, as in SQLite
        out += _convert(spec, source)
        written = True
    if not written and not compiled_since(3, 54):
        return None  # until 3.54, printf() of nothing at all is NULL, not ''
    return out.decode("utf-8", "replace")


# --8<-- [end:printf]


class _Spec:
    __slots__ = ("left", "sign", "alt", "alt2", "zero", "comma", "width", "precision", "conv")

    def __init__(self) -> None:
        self.left = self.alt = self.alt2 = self.zero = self.comma = False
        self.sign = ""
        self.width = 0
        self.precision = -1
        self.conv = ""


def _parse_spec(fmt: bytes, i: int, source: _Args) -> tuple[_Spec | None, int]:
    """Flags, width, precision and conversion letter after a '%'."""
    spec = _Spec()
    n = len(fmt)
    flags = {45: "left", 35: "alt", 33: "alt2", 48: "zero", 44: "comma"}
    while i < n:
        c = fmt[i]
        if c in flags:
            setattr(spec, flags[c], True)
        elif c == 43:  # '+'
            spec.sign = "+"
        elif c == 32:  # ' '
            spec.sign = " "
        else:
            break
        i += 1
    if i < n and fmt[i] == 42:  # '*'
        width = _int32(source.int())
        if width < 0:
            spec.left = True
            width = -width if width >= -2147483647 else 0
        spec.width = width
        i += 1
    else:
        start = i
        while i < n and 48 <= fmt[i] <= 57:
            i += 1
        if i > start:
            spec.width = int(fmt[start:i]) & 0x7FFFFFFF
    if i < n and fmt[i] == 46:  # '.'
        i += 1
        if i < n and fmt[i] == 42:
            precision = _int32(source.int())
            if precision < 0:
                precision = -precision if precision >= -2147483647 else -1
            spec.precision = precision
            i += 1
        else:
            start = i
            while i < n and 48 <= fmt[i] <= 57:
                i += 1
            spec.precision = (int(fmt[start:i]) if i > start else 0) & 0x7FFFFFFF
    while i < n and fmt[i] == 108:  # 'l' and 'll' change nothing here
        i += 1
    if i >= n:
        return None, i
    spec.conv = chr(fmt[i])
    if spec.conv not in "dsgzqQwcouxXfeEGinp%r":
        return None, i + 1
    return spec, i + 1


def _convert(spec: _Spec, source: _Args) -> bytes:
    conv = spec.conv
    width = spec.width
    if conv in _INT_CONVERSIONS:
        body = _integer(spec, source)
    elif conv in "feEgG":
        body = _real(spec, source)
    elif conv == "%":
        body = b"%"
    elif conv == "n":
        return b""
    elif conv == "c":
        return _char(spec, source)
    elif conv in "qQw":
        body = _escaped(spec, source)
        width = _utf8_width(body, width, spec.alt2)
    else:  # s and z
        body = _string(spec, source)
        width = _utf8_width(body, width, spec.alt2)
    pad = width - len(body)
    if pad > 0:
        return body + b" " * pad if spec.left else b" " * pad + body
    return body


def _integer(spec: _Spec, source: _Args) -> bytes:
    base, signed, digits, alt_prefix = _INT_CONVERSIONS[spec.conv]
    value = source.int()
    prefix = ""
    if signed:
        if value < 0:
            magnitude, prefix = -value, "-"
        else:
            magnitude, prefix = value, spec.sign
    else:
        magnitude = value & _U64
    comma = spec.comma and spec.conv in "diu"
    alt = spec.alt and magnitude != 0
    precision = spec.precision
    if spec.zero and precision < spec.width - (prefix != ""):
        precision = spec.width - (prefix != "")
    text = ""
    m = magnitude
    while True:
        text = digits[m % base] + text
        m //= base
        if m == 0:
            break
    if spec.conv == "r":
        x = magnitude % 10
        if x >= 4 or (magnitude // 10) % 10 == 1:
            x = 0
        text += "thstndrd"[2 * x : 2 * x + 2]
    if precision > len(text):
        text = "0" * (precision - len(text)) + text
    if comma:
        head = len(text) % 3 or 3
        groups = [text[:head]] + [text[k : k + 3] for k in range(head, len(text), 3)]
        text = ",".join(groups)
    text = prefix + text
    if alt and alt_prefix and spec.conv != "r":
        text = alt_prefix + text
    return text.encode("ascii")


def _real(spec: _Spec, source: _Args) -> bytes:
    value = source.real()
    precision = 6 if spec.precision < 0 else min(spec.precision, FP_PRECISION_LIMIT)
    sign = "-" if value < 0 else spec.sign
    text = format_float(
        value, spec.conv, precision, alt=spec.alt, alt2=spec.alt2, prefix=spec.sign, zero=spec.zero
    )
    unpadded = ("Inf", "NaN", "null")
    if spec.zero and not spec.left and len(text) < spec.width and not text.endswith(unpadded):
        head = len(sign)
        text = text[:head] + "0" * (spec.width - len(text)) + text[head:]
    return text.encode("ascii")


def _char(spec: _Spec, source: _Args) -> bytes:
    """%c: the first character of the argument, repeated `precision` times."""
    data = source.raw() or b""
    ch = data[:1] or b"\x00"
    if ch[0] & 0xC0 == 0xC0:  # a UTF-8 lead byte: take its continuation bytes
        k = 1
        while k < 4 and k < len(data) and data[k] & 0xC0 == 0x80:
            k += 1
        ch = data[:k]
    width = spec.width
    out = b""
    if spec.precision > 1:
        width -= spec.precision - 1
        if width > 1 and not spec.left:
            out = b" " * (width - 1)
            width = 0
        out += ch * (spec.precision - 1)
    width = _utf8_width(ch, width, True) - len(ch)
    if width > 0:
        return out + ch + b" " * width if spec.left else out + b" " * width + ch
    return out + ch


def _clip(data: bytes, spec: _Spec) -> bytes:
    """The precision of %s and %q: bytes, or characters with the '!' flag."""
    if spec.precision < 0:
        return data
    if spec.alt2:
        return _utf8_prefix(data, spec.precision)
    return data[: spec.precision]


def _string(spec: _Spec, source: _Args) -> bytes:
    data = source.raw()
    return b"" if data is None else _clip(_until_nul(data), spec)


def _escaped(spec: _Spec, source: _Args) -> bytes:
    data = source.raw()
    quote = b'"' if spec.conv == "w" else b"'"
    if data is None:
        return _clip(b"NULL" if spec.conv == "Q" else b"(NULL)", spec)
    data = _clip(_until_nul(data), spec)
    if spec.alt and spec.conv in "qQ" and compiled_since(3, 50):
        return _unistr_escaped(data, spec.conv)
    data = data.replace(quote, quote + quote)
    return quote + data + quote if spec.conv == "Q" else data


def _unistr_escaped(data: bytes, conv: str) -> bytes:
    """%#q and %#Q (SQLite 3.50 and later) write text that unistr() reads back: control
    characters as \\u00XX and backslashes doubled. %#q always does; %#Q only when there
    is a control character, and then wraps the result in unistr('...')."""
    controls = any(b <= 0x1F for b in data)
    if conv == "Q" and not controls:
        return b"'" + data.replace(b"'", b"''") + b"'"
    out = bytearray()
    for b in data:
        if b == 0x27:
            out += b"''"
        elif b == 0x5C:
            out += b"\\\\"
        elif b <= 0x1F:
            out += b"\\u%04x" % b
        else:
            out.append(b)
    return b"unistr('" + bytes(out) + b"')" if conv == "Q" else bytes(out)


def _utf8_width(body: bytes, width: int, in_characters: bool) -> int:
    """With '!', width counts characters: widen it by the UTF-8 continuation bytes."""
    if in_characters and width > 0:
        width += sum(1 for b in body if b & 0xC0 == 0x80)
    return width


def format_(fmt: Value = None, *args: Value) -> Value:
    """format(): another name for printf()."""
    return printf(fmt, *args)
