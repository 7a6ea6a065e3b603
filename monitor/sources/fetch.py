"""HTTP fetching with hard limits: total deadline, decoded-size cap, manual redirects,
conditional GET, per-host concurrency, and an address policy for links that come
from feed content (configured source URLs are trusted; feed-supplied links are not).
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import ssl
import sys
import threading
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urljoin, urlsplit, urlunsplit

from .. import __version__
from ..errors import BlockedURL, FetchError, FetchTimeout, HTTPStatus, TooLarge, TooManyRedirects, describe

if TYPE_CHECKING:
    from ..config import LimitsConfig


def _import_aiohttp() -> Any:
    """aiohttp, imported without reading the system's CA store.

    aiohttp.connector makes two default TLS contexts as it is imported, each reading the CA store
    (~20 ms apiece, a sixth of an unchanged re-poll's time). monitor never uses them: every connector
    gets _tls_context(), which reads certifi's bundle at its first TLS connection. So they are made with
    no CA loaded: the verifying one then fails closed, and the other verifies nothing anyway. Another
    thread making a default context during this import would also fail closed, never open."""
    if "aiohttp" in sys.modules:
        return sys.modules["aiohttp"]
    ssl.SSLContext.set_default_verify_paths = lambda self: None  # type: ignore[method-assign]  # undone below
    try:
        import aiohttp
    finally:
        del ssl.SSLContext.set_default_verify_paths  # the C method of _ssl._SSLContext shows through again
    return aiohttp


if TYPE_CHECKING:
    import aiohttp
else:
    aiohttp = _import_aiohttp()

USER_AGENT = f"monitor/{__version__} (third-party breach news monitor)"
# A fetch error's text is cut here: `status`, the source's line and its health alert show it whole.
MESSAGE_MAX = 300
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True, slots=True)
class Limits:
    deadline: float = 20.0
    connect_timeout: float = 5.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    concurrency: int = 8
    per_host: int = 2

    @classmethod
    def of(cls, lim: LimitsConfig) -> Limits:
        """The fetch limits feeds.yaml's `limits:` sets (the cycle's, `sources check`'s and discovery's)."""
        return cls(
            deadline=lim.fetch_timeout,
            connect_timeout=lim.connect_timeout,
            max_bytes=lim.max_bytes,
            max_redirects=lim.max_redirects,
            concurrency=lim.concurrency,
            per_host=lim.per_host,
        )


@dataclass(frozen=True, slots=True)
class Request:
    url: str
    trusted: bool = True  # a configured source URL; False for links found in feed content
    allow_private: bool = False
    etag: str | None = None
    last_modified: str | None = None
    max_bytes: int | None = None


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # final URL after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    headers: dict[str, str] = field(default_factory=dict)


# Python's is_global says yes to these, yet each reaches IPv4 or site-internal hosts: local-use NAT64
# (RFC 8215, any translation the site likes), IPv4-compatible ::a.b.c.d (deprecated; some stacks
# still route it to the IPv4 address) and site-local fec0::/10 (deprecated, still routed inside sites).
_NOT_PUBLIC_V6 = tuple(ipaddress.IPv6Network(n) for n in ("64:ff9b:1::/48", "::/96", "fec0::/10"))
# The well-known NAT64 prefix carries a real IPv4 address (DNS64 on an IPv6-only host gives public
# sites these addresses): it is as public as the address it wraps.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in net for net in _NOT_PUBLIC_V6):
            return False
        nat64 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else None
        for inner in (ip.ipv4_mapped, ip.sixtofour, (ip.teredo or (None, None))[1], nat64):
            if inner is not None and not inner.is_global:
                return False
    # is_private misses 100.64.0.0/10 (carrier-grade NAT); is_global does not.
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True, slots=True)
class LinkPolicy:
    """Where feed-supplied links may point (when the source does not set allow_private_links).

    Tests narrow the exemption to exactly one loopback address; production keeps the defaults.
    """

    ports: frozenset[int] = frozenset({80, 443})
    public: frozenset[str] = frozenset()  # addresses to treat as public (tests only)


DEFAULT_POLICY = LinkPolicy()


def check_link_shape(
    url: str, *, allow_private: bool = False, policy: LinkPolicy = DEFAULT_POLICY
) -> tuple[str, str, int]:
    """Refuse a feed-supplied URL before any I/O. Returns (scheme, host, port)."""
    if any(c in url for c in "\\\r\n\t\x00 "):
        raise BlockedURL(f"refused link {url[:200]!r}: whitespace or backslash in URL")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BlockedURL(f"refused link {url[:200]!r}: scheme {scheme or '(none)'!r} is not http(s)")
    if parts.username is not None or parts.password is not None:
        raise BlockedURL(f"refused link {url[:200]!r}: credentials in URL")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise BlockedURL(f"refused link {url[:200]!r}: no host")
    if host.endswith(".onion"):
        raise BlockedURL(f"refused link {url[:200]!r}: .onion address")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as e:
        raise BlockedURL(f"refused link {url[:200]!r}: bad port") from e
    if not allow_private and port not in policy.ports:
        allowed = ", ".join(map(str, sorted(policy.ports)))
        raise BlockedURL(f"refused link {url[:200]!r}: port {port} (only {allowed} for feed links)")
    return scheme, host, port


async def resolve_public(host: str, port: int, *, allow_private: bool, policy: LinkPolicy = DEFAULT_POLICY) -> str:
    """Resolve host; refuse if any address is not public. Returns the address to pin."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise FetchError(f"cannot resolve {host}: {e.strerror}") from e
    addrs = [str(info[4][0]) for info in infos]
    if not addrs:
        raise FetchError(f"cannot resolve {host}")
    if not allow_private:
        for a in addrs:
            if a not in policy.public and not _is_public(ipaddress.ip_address(a.split("%")[0])):
                raise BlockedURL(f"refused link to {host}: resolves to non-public address {a}")
    return addrs[0]


class _CAOnFirstUse(ssl.SSLContext):
    """A verifying context on certifi's CA bundle, as httpx's default, reading the bundle at the first TLS
    connection instead of when the client is made: a poll whose feeds are all http:// (or that makes no
    request) skips the ~20 ms parse of ~150 certificates on every run. Same settings as
    `ssl.create_default_context(cafile=certifi.where())`, which httpx builds for `verify=True`."""

    _ca_loaded = False
    _ca_lock = threading.Lock()

    def _load_ca(self) -> None:
        with self._ca_lock:
            if not self._ca_loaded:
                import certifi

                self.load_verify_locations(cafile=certifi.where())
                self._ca_loaded = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self._load_ca()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self._load_ca()
        return super().wrap_bio(*args, **kwargs)


def _tls_context() -> ssl.SSLContext:
    ctx = _CAOnFirstUse(ssl.PROTOCOL_TLS_CLIENT)
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.check_hostname = True
    keylog = os.environ.get("SSLKEYLOGFILE")  # as create_default_context does
    if keylog and not sys.flags.ignore_environment:
        ctx.keylog_filename = keylog
    return ctx


class Fetcher:
    """One per cycle. Make it and use it inside a running event loop.

    aiohttp, not httpx's async client: on 2,000 pages from 2,000 hosts (bench case 8) httpx spent
    3.1-3.6 s of CPU where aiohttp spent 0.8-0.9 s (its HTTP parser is C; httpx's goes through
    anyio and h11), and an unchanged re-poll of a newsroom is nothing but that fetch."""

    def __init__(self, limits: Limits = Limits(), user_agent: str = USER_AGENT, policy: LinkPolicy = DEFAULT_POLICY):
        self.limits = limits
        self.policy = policy
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=limits.concurrency * 2, ssl=_tls_context()),
            trust_env=False,  # HTTP(S)_PROXY must not redirect our fetches
            auto_decompress=False,  # _read_capped inflates with a bound on each step
            cookie_jar=aiohttp.DummyCookieJar(),  # one source's cookies are no other's business
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=aiohttp.ClientTimeout(
                total=None, sock_connect=limits.connect_timeout, sock_read=limits.deadline
            ),  # the whole request is bounded by asyncio.timeout in get()
        )
        self._all = asyncio.Semaphore(limits.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(limits.per_host))
        self._wanted: dict[str, int] = defaultdict(int)  # requests in get() for each host

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._session.close()

    async def get(self, req: Request) -> Response:
        try:
            host = (urlsplit(req.url).hostname or "").lower()
        except ValueError as e:
            raise BlockedURL(f"refused link {req.url[:200]!r}: {e}"[:MESSAGE_MAX]) from e
        self._wanted[host] += 1
        try:
            async with self._hosts[host], self._all:
                # asyncio.timeout, not wait_for: no task of its own per request.
                async with asyncio.timeout(self.limits.deadline):
                    return await self._get(req, host)
        except FetchError:
            raise
        except (TimeoutError, aiohttp.ServerTimeoutError) as e:
            raise FetchTimeout(f"no complete answer from {_short(req.url)} within {self.limits.deadline:g}s") from e
        except aiohttp.InvalidURL as e:
            raise FetchError(f"cannot fetch {_short(req.url)}: not a URL: {str(e.url)[:200]!r}"[:MESSAGE_MAX]) from e
        except aiohttp.ClientConnectorError as e:
            raise FetchError(f"cannot fetch {_short(req.url)}: {_connect_failure(e)}"[:MESSAGE_MAX]) from e
        except aiohttp.ClientPayloadError as e:
            raise FetchError(f"connection closed before the whole body from {_short(req.url)} arrived") from e
        except aiohttp.ClientError as e:
            raise FetchError(f"{type(e).__name__} from {_short(req.url)}: {e}"[:MESSAGE_MAX]) from e
        except (OSError, UnicodeError, ValueError) as e:
            raise FetchError(f"cannot fetch {_short(req.url)}: {e}"[:MESSAGE_MAX]) from e
        except Exception as e:  # whatever it is, it is this request's
            raise FetchError(f"cannot fetch {_short(req.url)}: {describe(e)}"[:MESSAGE_MAX]) from e
        finally:
            self._wanted[host] -= 1

    async def _get(self, req: Request, host: str) -> Response:
        url = req.url
        headers = {}
        if self._wanted[host] == 1:
            # Nothing else waits for this host: ask the server to close the connection after its answer.
            # aiohttp would keep it until its keep-alive timeout, however many there are: on 2,000
            # newsroom hosts, 2,000 idle sockets (past the common limit of 1,024 open files). Sources
            # on one host, waiting their turn, reuse a connection (no new TLS handshake each).
            headers["Connection"] = "close"
        if req.etag:
            headers["If-None-Match"] = req.etag
        if req.last_modified:
            headers["If-Modified-Since"] = req.last_modified
        cap = req.max_bytes or self.limits.max_bytes
        for _hop in range(self.limits.max_redirects + 1):
            target, extra_headers, server_hostname = url, {}, None
            if not req.trusted:
                scheme, link_host, port = check_link_shape(url, allow_private=req.allow_private, policy=self.policy)
                ip = await resolve_public(link_host, port, allow_private=req.allow_private, policy=self.policy)
                if not req.allow_private:
                    # Pin the checked address so a second DNS answer cannot differ (rebinding).
                    target = _with_host(url, ip)
                    extra_headers["Host"] = urlsplit(url).netloc
                    server_hostname = link_host if scheme == "https" else None
            elif urlsplit(url).scheme.lower() not in ("http", "https"):
                raise BlockedURL(f"refused redirect to {url[:200]!r}: not http(s)")
            _check_port(url)
            resp = await self._session.get(
                target,
                headers={**headers, **extra_headers},
                allow_redirects=False,
                server_hostname=server_hostname,
            )
            try:
                if resp.status in _REDIRECTS and "location" in resp.headers:
                    url = urljoin(url, resp.headers["location"].strip())
                    continue
                if resp.status == 304:
                    return Response(
                        url=url, status=304, not_modified=True, etag=req.etag, last_modified=req.last_modified
                    )
                if not 200 <= resp.status < 300:
                    raise HTTPStatus(resp.status, _short(url))
                body = await _read_capped(resp, cap, url)
                return Response(
                    url=url,
                    status=resp.status,
                    body=body,
                    content_type=resp.headers.get("content-type", ""),
                    etag=resp.headers.get("etag"),
                    last_modified=resp.headers.get("last-modified"),
                    headers={k.lower(): v for k, v in resp.headers.items()},
                )
            finally:
                resp.close()
        raise TooManyRedirects(f"more than {self.limits.max_redirects} redirects from {_short(req.url)}")


async def _read_capped(resp: aiohttp.ClientResponse, cap: int, url: str) -> bytes:
    """The decoded body, refused past `cap` decoded bytes.

    We decompress ourselves with a bound on each step's output: a client's decoder inflates a whole
    network chunk at once (httpx's made one 64 KiB chunk of a gzip bomb ~64 MB in memory before any
    size check could run)."""
    encoding = resp.headers.get("content-encoding", "identity").strip().lower()
    # A decompressor; None: deflate, its kind read from the first bytes; False: the body as sent.
    inflater: zlib._Decompress | Literal[False] | None
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = None  # zlib-wrapped or raw deflate: decided on the first bytes
    elif encoding in ("identity", ""):
        inflater = False
    else:
        raise FetchError(f"unsupported Content-Encoding {encoding[:40]!r} from {_short(url)}")
    chunks: list[bytes] = []
    size = 0

    def add(data: bytes) -> None:
        nonlocal size
        size += len(data)
        if size > cap:
            raise TooLarge(f"body from {_short(url)} exceeds {cap // 1024} KiB (decoded)")
        chunks.append(data)

    async for raw in resp.content.iter_any():
        if inflater is False:
            add(raw)
            continue
        if inflater is None:
            # RFC 9110 says zlib-wrapped; some servers send raw deflate. 0x78 starts a zlib stream.
            inflater = zlib.decompressobj(zlib.MAX_WBITS if raw[:1] == b"\x78" else -zlib.MAX_WBITS)
        data = raw
        while data:
            try:
                out = inflater.decompress(data, cap - size + 1)
            except zlib.error as e:
                raise FetchError(f"corrupt {encoding} body from {_short(url)}: {e}") from e
            add(out)
            data = inflater.unconsumed_tail
    if inflater is not None and inflater is not False:
        add(inflater.flush())
    return b"".join(chunks)


def _connect_failure(e: aiohttp.ClientConnectorError) -> str:
    """Why no connection was made, in words (aiohttp's own say 'ssl:default [Connect call failed ...]')."""
    where = f"{e.host}:{e.port}"
    err = e.os_error
    if isinstance(e, aiohttp.ClientConnectorCertificateError):
        return f"TLS certificate of {where} not accepted: {e.certificate_error}"
    if isinstance(e, aiohttp.ClientSSLError):
        return f"TLS with {where} failed: {err}"
    if isinstance(e, aiohttp.ClientConnectorDNSError):
        return f"cannot resolve {e.host}: {err.strerror or err}"  # a gaierror: its errno is no OS errno
    reason = os.strerror(err.errno) if err.errno else (err.strerror or str(err) or type(err).__name__)
    return f"cannot connect to {where}: {reason}"


def _check_port(url: str) -> None:
    """A redirect can name port 99999: say so, naming the URL that did."""
    try:
        _ = urlsplit(url).port
    except ValueError as e:
        raise FetchError(f"cannot fetch {_short(url)}: {e}") from e


def _with_host(url: str, ip: str) -> str:
    parts = urlsplit(url)
    host = f"[{ip}]" if ":" in ip else ip
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


def _short(url: str) -> str:
    return url if len(url) <= 120 else url[:117] + "..."


async def fetch_many(
    requests: list[Request],
    limits: Limits = Limits(),
    policy: LinkPolicy = DEFAULT_POLICY,
    on_done: Callable[[int, Response | FetchError], None] | None = None,
) -> list[Response | FetchError]:
    """Fetch concurrently; each result is a Response or the FetchError for that request.

    on_done(index, result) is called as each fetch finishes, so parsing can start before the
    slowest source has answered."""
    async with Fetcher(limits, policy=policy) as fetcher:

        async def one(i: int, r: Request) -> Response | FetchError:
            try:
                result: Response | FetchError = await fetcher.get(r)
            except FetchError as e:
                result = e
                result.at(url=r.url)
            except Exception as e:  # never one request's failure for all of them (gather would raise it)
                result = FetchError(f"cannot fetch {_short(r.url)}: {describe(e)}"[:MESSAGE_MAX])
                result.__cause__ = e
                result.at(url=r.url)
            if on_done is not None:
                on_done(i, result)
            return result

        return list(await asyncio.gather(*(one(i, r) for i, r in enumerate(requests))))
