"""vendors.csv: the vendor register, validated row by row."""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from ..config import check_source_url, read_capped
from ..criticality import CRITICALITIES, DEFAULT, Criticality, parse
from ..errors import ConfigError
from ..records import compact_pickle
from ..storage import filecache

COLUMNS = ("name", "aliases", "domains", "criticality", "owner", "parent", "notes", "newsroom", "products")
# The register is read whole in the main process and validated row by row: bounds on both, far above
# any real register (the largest real lists here have ~8,000 companies), that refuse a wrong file fast.
MAX_VENDORS_BYTES = 100 * 1024 * 1024
MAX_VENDOR_ROWS = 500_000
# What a parser worker needs to hold the Matcher: bench/vendor_memory.py measured 1.6-1.8 KB of address
# space per registered name, alias or domain (1k to 200k vendors), on top of a 56 MB worker. The
# extra ~15% per name is the margin left for parsing (a small register parses within 80 MB, the lowest limit accepted).
MATCHER_BYTES_PER_NAME = 2048
WORKER_BASE_MB = 56
PARSE_ROOM_MB = 64  # suggested on top when the limit has to be raised


@compact_pickle  # the register cached beside the database (load_vendors) holds every Vendor
@dataclass(frozen=True, slots=True)
class Vendor:
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    criticality: Criticality = DEFAULT
    owner: str = ""
    parent: str = ""
    notes: str = ""
    # The vendor's own news / お知らせ / IR / security-notice pages or feeds (sources/newsroom.py).
    newsroom: tuple[str, ...] = ()
    # Its products and services as news names them ('MOVEit Transfer', 'Windows'): a report naming the vendor only by
    # one of them is about its product, never a breach at the vendor (matching.roles).
    products: tuple[str, ...] = ()


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (cell or "").split("|") if p.strip())


def parse_vendors(text: str, label: str = "vendors.csv") -> list[Vendor]:
    """Parse CSV text; raise ConfigError listing every problem with its line."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "name" not in header:
        raise ConfigError(f"{label}:1: header: no 'name' column (found: {', '.join(header) or 'nothing'})")
    reader.fieldnames = header
    problems: list[str] = []
    for column in header:
        # Extra columns are ignored, but a misspelt known one would silently lose its values.
        near = difflib.get_close_matches(column, COLUMNS, n=1, cutoff=0.8) if column not in COLUMNS else []
        if near:
            problems.append(f"{label}:1: unknown column {column!r} (did you mean {near[0]!r}?)")
    vendors: list[Vendor] = []
    first_line: dict[str, int] = {}
    for row_no, row in enumerate(reader, 1):
        line = reader.line_num
        if row_no > MAX_VENDOR_ROWS:
            raise ConfigError(
                f"{label}:{line}: more than {MAX_VENDOR_ROWS:,} vendors, the limit for a register "
                "(is this the right file?)"
            )
        if not any((v or "").strip() for k, v in row.items() if k):
            continue
        name = (row.get("name") or "").strip()
        if not name:
            problems.append(f"{label}:{line}: name: missing")
            continue
        if name in first_line:
            problems.append(f"{label}:{line}: name: duplicate {name!r} (first on line {first_line[name]})")
            continue
        first_line[name] = line
        written = (row.get("criticality") or "").strip().lower() or DEFAULT
        crit = parse(written)
        if crit is None:
            problems.append(f"{label}:{line}: criticality: {written!r} is not one of {', '.join(CRITICALITIES)}")
        domains = tuple(d.lower().removeprefix("www.").rstrip(".") for d in _split(row.get("domains")))
        for d in domains:
            if "." not in d or " " in d or "/" in d:
                problems.append(f"{label}:{line}: domains: {d!r} is not a domain name")
        newsroom = _split(row.get("newsroom"))
        for url in newsroom:
            try:
                check_source_url(url)
            except ValueError as e:
                problems.append(f"{label}:{line}: newsroom: {e}")
        vendors.append(
            Vendor(
                name=name,
                aliases=_split(row.get("aliases")),
                domains=domains,
                criticality=crit or DEFAULT,
                owner=(row.get("owner") or "").strip(),
                parent=(row.get("parent") or "").strip(),
                notes=(row.get("notes") or "").strip(),
                newsroom=tuple(u.strip() for u in newsroom),
                products=_split(row.get("products")),
            )
        )
    names = {v.name for v in vendors}
    for v in vendors:
        if v.parent and v.parent not in names:
            problems.append(f"{label}:{first_line[v.name]}: parent: {v.parent!r} names no vendor")
    by_name = {v.name: v for v in vendors}
    for v in vendors:
        seen, cur = {v.name}, v
        while cur.parent and cur.parent in by_name:
            if cur.parent in seen:
                problems.append(f"{label}:{first_line[v.name]}: parent: cycle through {cur.parent!r}")
                break
            seen.add(cur.parent)
            cur = by_name[cur.parent]
    if problems:
        raise ConfigError(problems)
    return vendors


def _column_at(raw: bytes, offset: int) -> str:
    """The header name of the column holding byte `offset` (for an encoding error), or 'encoding'."""
    header_end = raw.find(b"\n")
    line_start = raw.rfind(b"\n", 0, offset) + 1
    if header_end < 0 or line_start == 0:
        return "header"
    header = next(csv.reader([raw[:header_end].decode("utf-8-sig", "replace")]), [])
    before = raw[line_start:offset].decode("utf-8", "replace")
    index = len(next(csv.reader([before]), [""])) - 1 if before else 0
    return header[index].strip().lower() if 0 <= index < len(header) else "encoding"


def load_vendors(path: str | Path, database: str | Path | None = None) -> list[Vendor]:
    """Read and validate vendors.csv. With `database`, the validated register is cached beside it,
    keyed by the file's bytes and this module's code: every cron run reads the register, and
    validating it cost 0.09 s at 10k vendors and 0.34 s at 50k, against 0.03 and 0.18 s to load."""
    path = Path(path)
    raw = read_capped(path, MAX_VENDORS_BYTES, "vendor register", "set 'vendors:' in feeds.yaml")
    cached = None
    if database is not None and Path(database).parent.is_dir():
        # __name__: the pickle names Vendor by module path, so a cache from before a move never matches.
        key = hashlib.sha256(
            raw + Path(__file__).read_bytes() + repr(CRITICALITIES).encode() + __name__.encode()
        ).hexdigest()[:24]
        cached = filecache.cache_path(database, "vendors", key)
        found: list[Vendor] | None = filecache.load(cached, key)
        if found is not None:
            return found
    vendors = _decode_and_parse(raw, path)
    if cached is not None:
        filecache.store(cached, key, vendors)
    return vendors


def _decode_and_parse(raw: bytes, path: Path) -> list[Vendor]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        field = _column_at(raw, e.start)
        raise ConfigError(
            f"{path.name}:{line}: {field}: not valid UTF-8 (byte 0x{raw[e.start]:02x}); save the file as UTF-8"
        ) from e
    return parse_vendors(text, path.name)


def worker_memory_mb(vendors: list[Vendor]) -> int:
    """The address space a parser worker needs to load the Matcher for this register and parse."""
    names = sum(1 + len(v.aliases) + len(v.domains) + len(v.products) for v in vendors)
    return WORKER_BASE_MB + -(-names * MATCHER_BYTES_PER_NAME // (1024 * 1024))


def check_fits_workers(vendors: list[Vendor], parse_memory_mb: int, label: str = "vendors.csv") -> None:
    """Refuse a register the parser workers could not load: every source would fail instead."""
    need = worker_memory_mb(vendors)
    if need > parse_memory_mb:
        raise ConfigError(
            f"{label}: {len(vendors):,} vendors need about {need} MB in each parser worker, over "
            f"limits.parse_memory_mb ({parse_memory_mb}); set limits.parse_memory_mb to "
            f"{need + PARSE_ROOM_MB} or more in feeds.yaml, or register fewer vendors"
        )


def supply_chain(vendor: Vendor, by_name: dict[str, Vendor]) -> list[str]:
    """The chain of parents from this vendor up to the one we contract with."""
    chain, cur, seen = [], vendor, {vendor.name}
    while cur.parent and cur.parent in by_name and cur.parent not in seen:
        cur = by_name[cur.parent]
        seen.add(cur.name)
        chain.append(cur.name)
    return chain


def resolve_name(vendors: list[Vendor], given: str) -> str:
    """The registered name for a name or alias as a user typed it (any case or width); a
    MonitorError with the closest names when nothing is registered under it."""
    import difflib

    from ..errors import MonitorError
    from ..normalize import fold

    wanted = fold(given)
    for v in vendors:
        if any(fold(n) == wanted for n in (v.name, *v.aliases)):
            return v.name
    spelled = {fold(n): v.name for v in vendors for n in (v.name, *v.aliases)}
    close = difflib.get_close_matches(wanted, list(spelled), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(repr(spelled[c]) for c in dict.fromkeys(close))}?)" if close else ""
    raise MonitorError(f"--vendor: {given!r} is not a registered vendor name or alias{hint}")
