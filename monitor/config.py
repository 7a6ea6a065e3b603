"""feeds.yaml: load, validate, and report every problem at once with file, line and field."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from .criticality import Criticality
from .errors import ConfigError

# libyaml's loader when present: the pure-Python one took 0.2 s for 200 sources.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# feeds.yaml is read whole and validated node by node: a bound on both keeps a bad edit from taking
# the daemon's memory. 1 MB holds thousands of sources.
MAX_CONFIG_BYTES = 1024 * 1024
# Aliases share one node in the composed document but are walked once per use when validating: nine
# levels of nine *alias lists (400 bytes) are 387 million nodes. Anchors for shared defaults stay
# usable; a document whose aliases stand for more than this many nodes is refused.
MAX_ALIAS_NODES = 10_000
MAX_DEPTH = 64  # nesting; the loader recurses once per level (50,000 '[' ended in RecursionError)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}


def parse_duration(value: Any, allow_zero: bool = False) -> float:
    """'30s', '15m', '1h', '1d' or a number of seconds -> seconds."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 30s, 15m or 1h")
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        m = _DURATION.match(str(value))
        if not m:
            raise ValueError(f"{value!r} is not a duration such as 30s, 15m or 1h")
        seconds = float(m.group(1)) * _UNITS[m.group(2)]
    if seconds < 0 or (seconds == 0 and not allow_zero):
        raise ValueError("must be greater than zero")
    return seconds


Duration = Annotated[float, BeforeValidator(parse_duration)]
Pause = Annotated[float, BeforeValidator(lambda v: parse_duration(v, allow_zero=True))]


def check_source_url(url: str) -> str:
    """Configured URLs are trusted, but must be plain http(s) URLs."""
    url = url.strip()
    if "\\" in url:
        raise ValueError("must not contain a backslash")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if not scheme:
        raise ValueError(f"{url!r} is not an http(s) URL (a bare path; write the full http:// or https:// URL)")
    if scheme not in ("http", "https"):
        raise ValueError(f"{url!r} is not an http(s) URL (scheme {scheme!r} is not allowed)")
    if not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) URL (no host)")
    return url


def check_selector(spec: str | None) -> str | None:
    """'ul.news li', 'a@href', '@href': the CSS part must compile (errors at load, not at poll time)."""
    if spec is None:
        return None
    selector, _, attr = spec.partition("@")
    if "@" in spec and not attr.strip():
        raise ValueError(f"{spec!r}: nothing after '@' (write selector@attribute, e.g. a@href)")
    if selector.strip():
        import soupsieve

        try:
            soupsieve.compile(selector)
        except soupsieve.SelectorSyntaxError as e:
            raise ValueError(f"{selector!r} is not a valid CSS selector ({str(e).splitlines()[0]})") from e
    return spec


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SlackConfig(_Strict):
    channel: str | None = None
    # By the vendor's criticality, and by alert kind: "product" (a vendor's product exploited) goes to
    # routes.product when set, whatever the vendor's criticality.
    routes: dict[Criticality | Literal["product"], str] = {}
    product_alerts: bool = True  # alert a vendor whose product is exploited (matching/roles.py)
    digest: Literal["daily"] | None = None
    digest_hour: int = Field(default=9, ge=0, le=23)
    min_interval: Pause = 1.0  # chat.postMessage: about one message per second per channel
    max_retry_after: Duration = 30.0  # longer 429 waits leave the alert for the next cycle
    timeout: Duration = 15.0
    # Triage from Slack (monitor/alerting/triage.py): reactions on alerts of the last triage_days
    # days are read back each cycle (0: never); triage maps a reaction name to its verdict.
    triage_days: int = Field(default=14, ge=0, le=90)
    triage: dict[
        Annotated[str, Field(pattern=r"^[a-z0-9_+'-]{1,100}$")],
        Literal["false_positive", "acknowledged", "investigating", "mute"],
    ] = {"x": "false_positive", "white_check_mark": "acknowledged", "eyes": "investigating", "no_bell": "mute"}
    language: Literal["en", "ja"] = "en"  # wording of alert labels (alerting/labels.py)


class EmailConfig(_Strict):
    """The e-mail output (alerting/email.py); the password comes only from SMTP_PASSWORD."""

    host: str
    port: int = Field(default=25, ge=1, le=65535)
    sender: str
    to: list[str] = Field(min_length=1)
    starttls: bool = False
    username: str | None = None
    timeout: Duration = 30.0


class HealthConfig(_Strict):
    failure_threshold: int = Field(default=5, ge=1)


class LimitsConfig(_Strict):
    fetch_timeout: Duration = 20.0  # total deadline per fetch, whatever the server does
    connect_timeout: Duration = 5.0
    max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    max_redirects: int = Field(default=5, ge=0, le=20)
    parse_timeout: Duration = 15.0
    # A worker forks holding the parsing and deciding code (64.4 MB of address space after the preload, measured
    # 2026-12-08): a limit under 80 MB would fail every source with "No parsers found" instead of being refused.
    parse_memory_mb: int = Field(default=512, ge=80)
    max_items_per_source: int = Field(default=500, ge=1)
    max_alerts_per_cycle: int = Field(default=50, ge=1)
    concurrency: int = Field(default=8, ge=1)
    per_host: int = Field(default=2, ge=1)
    article_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    # fetch_article: linked notices fetched per source per cycle (newest first in feed order); the
    # rest are stored and decided on their title and summary, and counted as skipped.
    articles_per_source: int = Field(default=30, ge=0)
    article_budget: Duration = 60.0  # all linked-notice fetching in one cycle, whatever the servers do
    # Bodies fetched but not yet turned into text, at most (each counted at article_max_bytes).
    article_bytes_in_flight: int = Field(default=16 * 1024 * 1024, ge=1024)


class _SourceBase(_Strict):
    name: str = Field(min_length=1)
    url: str
    interval: Duration | None = None
    enabled: bool = True
    assume_breach: bool = False
    fetch_article: bool = False
    allow_private_links: bool = False
    # Items are claims posted on criminals' leak sites (a tracker's feed): headed as unverified, their
    # .onion links shown defanged, and `page` (the tracker's own page) linked instead.
    leak_site: bool = False
    page: str | None = None
    # Items published before now - alert_window are stored, not alerted (alerting/window.py); None:
    # the global alert_window.
    alert_window: Duration | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return check_source_url(v)

    @field_validator("page")
    @classmethod
    def _page(cls, v: str | None) -> str | None:
        return None if v is None else check_source_url(v)


class FeedSource(_SourceBase):
    type: Literal["feed", "rss", "atom"] = "feed"


class HtmlSource(_SourceBase):
    type: Literal["html"]
    item: str
    title: str
    link: str | None = None
    date: str | None = None
    summary: str | None = None

    @field_validator("item", "title", "link", "date", "summary")
    @classmethod
    def _selector(cls, v: str | None) -> str | None:
        return check_selector(v)


class JsonSource(_SourceBase):
    type: Literal["json"]
    items: str | None = None
    title: str
    link: str | None = None
    date: str | None = None
    summary: str | None = None


class KevSource(_SourceBase):
    """CISA's Known Exploited Vulnerabilities catalogue (its JSON): each entry whose vendorProject is a
    registered vendor alerts it as its product exploited (sources/kev.py)."""

    type: Literal["kev"]
    fetch_article: Literal[False] = False  # entries are structured: there is no notice to read


class JvnSource(_SourceBase):
    """JVN's vulnerability feed (JVNDB RSS 1.0/RDF with sec:cpe vendor=): entries at or above
    min_cvss alert the registered vendor of the product (sources/jvn.py)."""

    type: Literal["jvn"]
    fetch_article: Literal[False] = False
    min_cvss: float = Field(default=7.0, ge=0.0, le=10.0)  # CVSS base score; entries without one do not alert


class NewsroomSource(_SourceBase):
    """A vendor's newsroom (vendors.csv `newsroom`), built from the register, never written in feeds.yaml
    (sources/newsroom.py). `url` is what is polled: the page, or the feed discovery found for it."""

    type: Literal["newsroom"] = "newsroom"
    vendor: str
    newsroom: str  # the URL as configured in vendors.csv
    method: str = ""  # how discovery read it: feed, advertised, html, none ("" not yet discovered)
    fetch_article: bool = True  # a title such as 重要なお知らせ says nothing: the notice itself is read
    interval: Duration | None = 3600.0


def _source_tag(v: Any) -> str:
    kind = v.get("type", "feed") if isinstance(v, dict) else getattr(v, "type", "feed")
    return kind if kind in ("html", "json", "kev", "jvn") else "feed"


Source = Annotated[
    Annotated[FeedSource, Tag("feed")]
    | Annotated[HtmlSource, Tag("html")]
    | Annotated[JsonSource, Tag("json")]
    | Annotated[KevSource, Tag("kev")]
    | Annotated[JvnSource, Tag("jvn")],
    Discriminator(_source_tag),
]


class Config(_Strict):
    vendors: Path = Path("vendors.csv")
    database: Path = Path("monitor.db")
    interval: Duration = 900.0
    # New items published before now - alert_window are stored and searchable, not alerted
    # (alerting/window.py); a source's own alert_window overrides it.
    alert_window: Duration = 14 * 86400.0
    # IANA name (Asia/Tokyo) for slack.digest_hour, dates the CLI prints, and log times; None: the system's.
    timezone: str | None = None
    slack: SlackConfig = SlackConfig()
    email: EmailConfig | None = None  # set: alerts go by e-mail (unless TEAMS_WEBHOOK_URL or Slack is set)
    health: HealthConfig = HealthConfig()
    limits: LimitsConfig = LimitsConfig()
    sources: list[Source]  # may be [] when every source is a vendors.csv newsroom (sources/newsroom.py)
    # Set by load_config, not by the file.
    path: Path = Path("feeds.yaml")

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, v: str | None) -> str | None:
        if v is not None:
            from .textutil import zone

            zone(v)  # ValueError names the zone
        return v

    @property
    def tz(self) -> tzinfo:
        from .textutil import zone

        return zone(self.timezone)

    @model_validator(mode="after")
    def _unique_names(self) -> Config:
        seen: set[str] = set()
        for s in self.sources:
            if s.name in seen:
                raise ValueError(f"duplicate source name {s.name!r}")
            seen.add(s.name)
        return self

    def interval_for(self, source: AnySource) -> float:
        return source.interval or self.interval

    def window_for(self, source: AnySource) -> float:
        """The source's alert window in seconds: its own, else the global one."""
        return source.alert_window or self.alert_window

    def source(self, name: str) -> AnySource:
        for s in self.sources:
            if s.name == name:
                return s
        raise KeyError(name)


AnySource = FeedSource | HtmlSource | JsonSource | KevSource | JvnSource | NewsroomSource
KeyPath = tuple[str | int, ...]  # a key path in feeds.yaml: ('sources', 2, 'url')


def _line_index(node: yaml.Node, path: KeyPath = ()) -> dict[KeyPath, int]:
    """Map each key path (('sources', 2, 'url')) to its 1-based line in the file."""
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = path + (key.value,)
            lines.update(_line_index(value, sub))
            lines[sub] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            lines.update(_line_index(value, path + (i,)))
    return lines


def _dotted(loc: KeyPath) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "unknown key"
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if msg.startswith("Input should be"):
        # "Input should be a valid integer, unable to parse string as an integer" -> "must be a valid integer, got 'lots'"
        msg = "must be" + msg.removeprefix("Input should be").split(", unable to")[0]
        value = err.get("input")
        if isinstance(value, (str, int, float, bool)) or value is None:
            msg += f", got {value!r}"
        elif isinstance(value, (dict, list)):
            msg += f", got a {'mapping' if isinstance(value, dict) else 'list'}"
    return msg


_KEY_ON_LINE = re.compile(r"^\s*(?:-\s+)?([^\s:#][^:#]*?)\s*:(?:\s|$)")


def _yaml_problem(label: str, text: str, e: yaml.YAMLError) -> str:
    """'feeds.yaml:4: bad: YAML syntax error: ...' - the line (within the file) and the key written on it."""
    lines = text.splitlines() or [""]
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    marks = [m for m in (getattr(e, "problem_mark", None), getattr(e, "context_mark", None)) if m is not None]
    if not marks:
        return f"{label}: YAML syntax error: {problem}"
    line = min(marks[0].line + 1, len(lines))
    key = None
    for m in marks:
        found = _KEY_ON_LINE.match(lines[min(m.line, len(lines) - 1)])
        if found:
            key = found.group(1).strip("'\" ")
            break
    hint = ""
    if "\\t" in problem or "\t" in problem:
        hint = " (a tab: indent with spaces)"
    elif "block end" in problem or "mapping values are not allowed" in problem:
        hint = " (check the indentation)"
    context = getattr(e, "context", None)
    if context and "<stream end>" in problem:
        problem = f"{context}: {problem}"
    return f"{label}:{line}: {key + ': ' if key else ''}YAML syntax error: {problem}{hint}"


def _duplicate_names(data: dict[str, Any], lines: dict[KeyPath, int], label: str) -> list[str]:
    problems: list[str] = []
    first: dict[str, int | None] = {}
    for i, src in enumerate(data.get("sources") or []):
        name = src.get("name") if isinstance(src, dict) else None
        if not isinstance(name, str):
            continue
        line = lines.get(("sources", i, "name"))
        if name in first:
            problems.append(f"{label}:{line}: sources[{i}].name: duplicate {name!r} (first on line {first[name]})")
        else:
            first[name] = line
    return problems


def _names(data: dict[str, Any]) -> list[str]:
    return [s["name"] for s in data.get("sources") or [] if isinstance(s, dict) and isinstance(s.get("name"), str)]


def _line(event: yaml.Event) -> int:
    """1-based line of a parser event (libyaml always sets the mark; 0 if one ever does not)."""
    return event.start_mark.line + 1 if event.start_mark is not None else 0


@dataclass
class _Open:
    """A collection being read by _check_shape: its anchor and how many nodes it stands for so far."""

    anchor: str | None
    nodes: int = 1


def _check_shape(text: str, label: str) -> None:
    """Refuse a document whose aliases expand past MAX_ALIAS_NODES or that nests deeper than
    MAX_DEPTH, from the parser's events alone (linear in the file: nothing is expanded to find out)."""
    sizes: dict[str, int] = {}  # anchor -> nodes it stands for
    open_nodes: list[_Open] = []  # per collection being read
    expanded = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor or "", 1)
            expanded += size
            if expanded > MAX_ALIAS_NODES:
                raise ConfigError(
                    f"{label}:{_line(event)}: alias *{event.anchor}: YAML aliases expand to more "
                    f"than {MAX_ALIAS_NODES:,} values (an alias bomb?); write the values out instead"
                )
        elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            size = 1
            if isinstance(event, yaml.CollectionStartEvent):
                if len(open_nodes) >= MAX_DEPTH:
                    raise ConfigError(f"{label}:{_line(event)}: nested more than {MAX_DEPTH} levels deep")
                open_nodes.append(_Open(event.anchor))
                continue
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionEndEvent):
            done = open_nodes.pop()
            size = done.nodes
            if done.anchor:
                sizes[done.anchor] = size
        else:
            continue
        if open_nodes:
            open_nodes[-1].nodes += size


def read_capped(path: Path, limit: int, what: str, if_missing: str) -> bytes:
    """A configuration file's bytes, refused over `limit` before more than that is read."""
    try:
        with open(path, "rb") as f:
            raw = f.read(limit + 1)
    except FileNotFoundError as e:
        raise ConfigError(f"{path}: file not found ({if_missing})") from e
    except OSError as e:
        raise ConfigError(f"{path}: cannot read ({e.strerror})") from e
    if len(raw) > limit:
        raise ConfigError(
            f"{path.name}: larger than {limit // (1024 * 1024)} MB, the limit for a {what} (is this the right file?)"
        )
    return raw


def _read_yaml(path: Path) -> str:
    """feeds.yaml as text, refused when over the size cap or when its aliases would expand too far."""
    label = path.name
    raw = read_capped(path, MAX_CONFIG_BYTES, "configuration file", "use --config or $MONITOR_CONFIG")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ConfigError(f"{label}: not valid UTF-8 (byte offset {e.start})") from e
    try:
        _check_shape(text, label)
    except yaml.YAMLError:
        pass  # a syntax error: reported with its line by the full load
    return text


def vendors_path_hint(path: str | os.PathLike[str]) -> Path:
    """Where vendors.csv should be, even when feeds.yaml does not validate (for `monitor check`)."""
    path = Path(path)
    try:
        data = yaml.load(_read_yaml(path), Loader=_LOADER)
        name = data.get("vendors") if isinstance(data, dict) else None
    except (ConfigError, yaml.YAMLError):
        name = None
    return path.resolve().parent / (name if isinstance(name, str) and name else "vendors.csv")


def load_config(path: str | os.PathLike[str]) -> Config:
    path = Path(path)
    label = path.name
    text = _read_yaml(path)
    try:
        node = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as first:
        # The pure-Python parser words its errors better ("found character '\t'..."): ask it again.
        try:
            yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as e:
            raise ConfigError(_yaml_problem(label, text, e)) from e
        except RecursionError as e:  # it recurses per nesting level, where libyaml stopped at its limit
            raise ConfigError(_yaml_problem(label, text, first)) from e
        raise
    if not isinstance(data, dict):
        raise ConfigError(f"{label}: expected a mapping with a 'sources' list at the top level")
    lines = _line_index(node) if node is not None else {}
    data.pop("path", None)
    duplicates = _duplicate_names(data, lines, label)
    try:
        cfg = Config.model_validate(data)
        if duplicates:
            raise ConfigError(duplicates)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            if not err["loc"] and str(err["msg"]).endswith(tuple(f"duplicate source name {d!r}" for d in _names(data))):
                continue  # reported above, with its line
            # Drop the union tag pydantic inserts ('sources', 2, 'html', 'item').
            loc = tuple(
                p
                for i, p in enumerate(err["loc"])
                if not (i >= 2 and err["loc"][i - 2] == "sources" and p in ("feed", "html", "json", "kev", "jvn"))
            )
            line = None
            for n in range(len(loc), -1, -1):
                if loc[:n] in lines:
                    line = lines[loc[:n]]
                    break
            where = f"{label}:{line}" if line else label
            field = _dotted(loc) or "(top level)"
            problems.append((line or 0, f"{where}: {field}: {_message(err)}"))
        problems += [(int(d.split(":")[1]), d) for d in duplicates]
        raise ConfigError([p for _, p in sorted(problems, key=lambda lp: lp[0])]) from e
    base = path.resolve().parent
    return cfg.model_copy(
        update={
            "vendors": base / cfg.vendors,
            "database": base / cfg.database,
            "path": path.resolve(),
        }
    )
