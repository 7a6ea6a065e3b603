"""Small pure helpers for text that arrives from the network: decoding, HTML to text, dates."""

from __future__ import annotations

import codecs
import html
import re
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
# Shift_JIS labels in the wild are nearly always CP932 (Windows-31J), which adds ㈱, ①, IBM kanji.
_ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "csshiftjis": "cp932",
    "euc-jp": "euc_jis_2004",
    "euc_jp": "euc_jis_2004",
    "x-euc-jp": "euc_jis_2004",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def charset_from_content_type(content_type: str) -> str | None:
    m = _CHARSET.search(content_type or "")
    return m.group(1) if m else None


def _norm_codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(body: bytes, content_type: str = "", *, is_html: bool = True) -> str:
    """BOM (it wins over a header that disagrees), then HTTP header, then <meta>/XML declaration, then
    detection; each tried strictly."""
    from bs4.dammit import EncodingDetector

    candidates: list[str | None] = [charset_from_content_type(content_type)]
    for bom, enc in _BOMS:
        if body.startswith(bom):
            candidates.insert(0, enc)
            break
    candidates.append(EncodingDetector.find_declared_encoding(body[:16384], is_html=is_html))
    candidates.append("utf-8")
    tried: set[str] = set()
    for cand in candidates:
        codec = _norm_codec(cand)
        if codec and codec not in tried:
            tried.add(codec)
            try:
                return body.decode(codec)
            except (UnicodeDecodeError, LookupError):
                continue
    import chardet

    guess = _norm_codec(chardet.detect(body[:65536]).get("encoding"))
    if guess:
        try:
            return body.decode(guess)
        except (UnicodeDecodeError, LookupError):
            pass
    return body.decode("utf-8", errors="replace")


_TAG = re.compile(r"<[^>]{0,2000}>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_WS = re.compile(r"[ \t\r\f\v\u3000]+")
_BLANKS = re.compile(r"\n\s*\n+")


def html_to_text(fragment: str) -> str:
    """Cheap, linear HTML-to-text for feed summaries (not a sanitiser; output is plain text)."""
    if "<" not in fragment and "&" not in fragment:
        return _WS.sub(" ", fragment).strip()
    text = _SCRIPT.sub(" ", fragment)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _WS.sub(" ", text)
    return _BLANKS.sub("\n", text).strip()


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "R": 2018, "H": 1988}
_DATE_JP_ERA = re.compile(r"(令和|平成|昭和)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_NUM = re.compile(r"(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})")
_MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}
_DATE_EN = re.compile(r"\b([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b")
_DATE_EN2 = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})\b")


# News dates outside these years are not dates: year 1 and 9999 overflow as soon as a time zone or an
# incident window is applied to them (OverflowError mid-cycle), and a CMS's "no date" is the epoch.
# An out-of-range date is treated as unreadable: the item is kept and dated when it was fetched.
MIN_YEAR, MAX_YEAR = 1971, 2200


def sane_date(dt: datetime | None) -> datetime | None:
    """dt, with UTC when it has no time zone, if its year is in [MIN_YEAR, MAX_YEAR]; else None.

    The year is checked before any arithmetic: comparing or converting an aware datetime in year 1
    or 9999 can itself overflow."""
    if dt is None or not MIN_YEAR <= dt.year <= MAX_YEAR:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _mk(y: int, m: int, d: int) -> datetime | None:
    try:
        return sane_date(datetime(y, m, d, tzinfo=UTC))
    except (ValueError, OverflowError):
        return None


def parse_date(text: str | None) -> datetime | None:
    """ISO 8601, RFC 822, 2024年6月5日, 2024/06/05, 令和6年6月5日, June 5, 2024, 5 Jun 2024."""
    if not text:
        return None
    text = str(text).strip()[:200]
    if not text:
        return None
    try:
        return sane_date(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        dt = parsedate_to_datetime(text)
        if dt is not None:
            return sane_date(dt)
    except (TypeError, ValueError, IndexError, OverflowError):  # a year of 11 digits overflows
        pass
    import unicodedata

    t = unicodedata.normalize("NFKC", text)
    if m := _DATE_JP_ERA.search(t):
        year = 1 if m.group(2) == "元" else int(m.group(2))
        return _mk(_ERAS[m.group(1)] + year, int(m.group(3)), int(m.group(4)))
    if m := _DATE_NUM.search(t):
        return _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if (m := _DATE_EN.search(t)) and m.group(1).lower() in _MONTHS:
        return _mk(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
    if (m := _DATE_EN2.search(t)) and m.group(2).lower() in _MONTHS:
        return _mk(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    return None


def iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    try:
        return dt.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    except OverflowError:  # 9999-12-31T23:59-23:59 is past the last datetime in UTC
        return None


def printable(text: str) -> str:
    """Text fit for the operator's terminal: every control character but newline (ESC of an escape
    sequence, BEL ending an OSC hyperlink, C1 controls) and other unprintables become '?'."""
    # Terminal escape sequences in feed text must not reach the operator's terminal.
    if text.replace("\n", "").isprintable():  # the usual case, checked in C
        return text
    return "".join(ch if ch == "\n" or ch.isprintable() else "?" for ch in text)


def pad(text: str, width: int) -> str:
    """Clip and left-justify to a terminal width; CJK characters take two columns."""
    import unicodedata

    out, used = [], 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)


def zone(name: str | None) -> tzinfo:
    """The configured time zone (an IANA name such as Asia/Tokyo), or the system's when None."""
    if name is None:
        local = datetime.now().astimezone().tzinfo
        return local if local is not None else UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as Asia/Tokyo or UTC)") from e


def local_time(s: str | None, tz: tzinfo, seconds: bool = False) -> str:
    """A stored UTC timestamp as the reader's wall clock: '2024-06-05 18:00 JST'. '' when unreadable."""
    dt = parse_iso(s)
    if dt is None:
        return ""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z")


def parse_iso(s: str | None) -> datetime | None:
    """The inverse of iso(): None for empty, unreadable or out-of-range values (rows stored before the
    range was enforced may hold year 1)."""
    if not s:
        return None
    try:
        return sane_date(datetime.fromisoformat(s.replace("Z", "+00:00")))
    except ValueError:
        return None
