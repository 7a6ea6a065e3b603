"""The exceptions `monitor` raises on purpose.

Everything below derives from MonitorError. An exception that is *not* a
MonitorError is a bug that some input reached. It is contained where it happened,
never allowed to end the cycle, and never silent: in one item, that item is
skipped and counted in the run summary; in a source, it becomes that source's
recorded error (SourceBug: counted, backed off and alerted like any failure) and
is logged with its type, and with its traceback at -v.

MonitorError
├── ConfigError            feeds.yaml / vendors.csv is invalid (carries every problem)
├── SourceError            one source could not be read; the cycle goes on
│   ├── FetchError         the HTTP side
│   │   ├── BlockedURL     scheme, address or URL shape refused by the link policy
│   │   ├── FetchTimeout   connect/read timeout or the total deadline
│   │   ├── TooLarge       decoded body over the size cap
│   │   ├── TooManyRedirects
│   │   └── HTTPStatus     a non-2xx, non-304 answer (a 404 with a valid feed is still a failure)
│   ├── ParseError         the body is not what the source type promised
│   │   └── UnsafeXML      a DOCTYPE declaring entities (expansion and XXE risk)
│   └── SourceBug          an unexpected exception while handling this source (a bug; logged)
└── LockTimeout            another run holds the database lock for too long
"""

from __future__ import annotations


class MonitorError(Exception):
    """Base class of every deliberate error."""


class ConfigError(MonitorError):
    """One or more problems in the configuration, each naming file, line and field."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class SourceError(MonitorError):
    """One source could not be read; the cycle goes on.

    `source` (its name in feeds.yaml) and `url` say where: the fetch sets the URL it was fetching,
    the cycle the source when it records the error. The message stays what it was."""

    source: str | None = None
    url: str | None = None

    def at(self, source: str | None = None, url: str | None = None) -> SourceError:
        """This error, naming where it happened (what it already names is kept)."""
        self.source = self.source or source
        self.url = self.url or url
        return self


class FetchError(SourceError):
    """The HTTP side of a source failed."""


class BlockedURL(FetchError):
    """Refused by the link policy before any I/O."""


class FetchTimeout(FetchError):
    """A connect/read timeout or the total deadline."""


class TooLarge(FetchError):
    """The decoded body passed the size cap."""


class TooManyRedirects(FetchError):
    """More redirects than limits.max_redirects."""


class HTTPStatus(FetchError):
    """A non-2xx, non-304 answer (a 404 carrying a valid feed is still a failure)."""

    def __init__(self, status: int, url: str):
        self.status = status
        self.url = url
        super().__init__(f"HTTP {status} from {url}")


class ParseError(SourceError):
    """The body is not what the source type promised."""


class UnsafeXML(ParseError):
    """A DOCTYPE declaring entities (expansion and XXE risk)."""


class SourceBug(SourceError):
    """An exception no input should cause, raised while handling one source: recorded as that
    source's error instead of ending the cycle. `error` keeps the original (and, from a parser worker,
    its remote traceback as __cause__) for the log."""

    def __init__(self, error: BaseException):
        self.error = error
        super().__init__(f"unexpected {describe(error)}")

    def traceback(self) -> str:
        import traceback

        return "".join(traceback.format_exception(self.error))


class LockTimeout(MonitorError):
    pass


def describe(error: BaseException, limit: int = 200) -> str:
    """'Type: message' on one line; the leaves of an exception group (anyio's connect raises them)."""
    if isinstance(error, BaseExceptionGroup):
        text = "; ".join(describe(e, limit) for e in error.exceptions)
    else:
        text = f"{type(error).__name__}: {error}".replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
