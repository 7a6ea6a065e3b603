"""Issue 5: the link policy for URLs that come from feed content, as unit tests.

No traffic leaves loopback: refusals are asserted to happen before any connection (the HTTP
client's connector is replaced by a tripwire), and DNS names are answered by a monkeypatched
socket.getaddrinfo. Redirect tests use one local server whose address the policy is told to
treat as public (LinkPolicy), so every other address, loopback included, stays forbidden.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import aiohttp
import pytest
from pytest_httpserver import HTTPServer

from monitor.errors import BlockedURL, FetchError, TooManyRedirects
from monitor.sources import fetch
from monitor.sources.fetch import Fetcher, Limits, LinkPolicy, Request, check_link_shape, resolve_public


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fail loudly if the client tries to send anything."""
    attempts: list[str] = []

    async def tripwire(self: aiohttp.BaseConnector, request: aiohttp.ClientRequest, *args: Any, **kwargs: Any) -> Any:
        attempts.append(str(request.url))
        raise AssertionError(f"connection attempted to {request.url}")

    monkeypatch.setattr(aiohttp.BaseConnector, "connect", tripwire)
    return attempts


def fake_dns(monkeypatch: pytest.MonkeyPatch, table: dict[str, list[str]]) -> list[str]:
    """Answer getaddrinfo for the names in table; anything else is a test bug."""
    asked: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        name = host.decode() if isinstance(host, bytes) else str(host)
        asked.append(name)
        if name not in table:
            raise AssertionError(f"unexpected DNS lookup of {name}")
        out = []
        for addr in table[name]:
            family = socket.AF_INET6 if ":" in addr else socket.AF_INET
            sockaddr = (addr, int(port or 0), 0, 0) if family == socket.AF_INET6 else (addr, int(port or 0))
            out.append((family, socket.SOCK_STREAM, 6, "", sockaddr))
        return out

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


_POLICY, _LIMITS = LinkPolicy(), Limits(deadline=5)


def get(
    url: str, *, allow_private: bool = False, policy: LinkPolicy = _POLICY, limits: Limits = _LIMITS
) -> fetch.Response:
    async def go() -> fetch.Response:
        async with Fetcher(limits, policy=policy) as f:
            return await f.get(Request(url, trusted=False, allow_private=allow_private))

    return asyncio.run(go())


# ---------------------------------------------------------------------------- shape: before any I/O


@pytest.mark.parametrize(
    "url, reason",
    [
        ("file:///etc/passwd", "scheme 'file'"),
        ("FILE:///etc/passwd", "scheme 'file'"),
        ("file:/etc/passwd", "scheme 'file'"),
        ("file:etc/passwd", "scheme 'file'"),
        (" file:///etc/passwd", "whitespace or backslash"),
        ("gopher://example.org:70/_GET", "scheme 'gopher'"),
        ("javascript:alert(1)", "scheme 'javascript'"),
        ("JavaScript:alert(1)", "scheme 'javascript'"),
        ("data:text/html,<script>alert(1)</script>", "scheme 'data'"),
        ("ftp://example.org/notice.pdf", "scheme 'ftp'"),
        ("dict://example.org:11211/", "scheme 'dict'"),
        ("jar:http://example.org/a.jar!/", "scheme 'jar'"),
        ("//example.org/notice", "scheme '(none)'"),
        ("/relative/notice", "scheme '(none)'"),
        ("http://127.0.0.1:8080\\@example.com/", "whitespace or backslash"),
        ("http://example.com\\@127.0.0.1/", "whitespace or backslash"),
        ("http://user:pass@example.com/", "credentials"),
        ("http://user@example.com/", "credentials"),
        ("http://leaksite7z2jwcskxpbokpemdxmltipntwlkmidcll2qirbu7ykg46eyd.onion/post/1", ".onion"),
        ("http://leaksite.ONION./x", ".onion"),
        ("http://example.com:6379/", "port 6379"),
        ("http://example.com:25/", "port 25"),
        ("https://example.com:99999/", "bad port"),
        ("http:///nohost", "no host"),
    ],
)
def test_link_shape_refused_before_io(
    url: str, reason: str, no_connections: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = fake_dns(monkeypatch, {})
    with pytest.raises(BlockedURL) as e:
        check_link_shape(url)
    assert reason in str(e.value)
    # The fetcher refuses the same link without resolving or connecting.
    with pytest.raises(BlockedURL):
        get(url)
    assert asked == [] and no_connections == []


def test_plain_public_links_pass_the_shape_check() -> None:
    assert check_link_shape("https://www.example.co.jp/news/1.pdf") == ("https", "www.example.co.jp", 443)
    assert check_link_shape("HTTP://Example.com/x") == ("http", "example.com", 80)
    # A source that allows private links (an intranet) may use other ports.
    assert check_link_shape("http://intranet.local:8080/n", allow_private=True)[2] == 8080


# ---------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    "literal",
    [
        "127.0.0.1",
        "127.1",
        "2130706433",
        "0x7f000001",
        "017700000001",
        "0",
        "0.0.0.0",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.127.255.254",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "[::ffff:10.0.0.1]",
        "[::ffff:100.64.0.1]",
        "[fd00::1]",
        "[fe80::1]",
        "[2002:7f00:1::]",  # 6to4 wrapping 127.0.0.1
        "224.0.0.1",
        "255.255.255.255",
    ],
)
def test_non_public_ip_literals_refused_before_connecting(literal: str, no_connections: list[str]) -> None:
    # Literals are parsed by getaddrinfo itself (no DNS query), as the HTTP client would.
    with pytest.raises(BlockedURL) as e:
        get(f"http://{literal}/latest-meta-data/")
    assert "non-public address" in str(e.value)
    assert no_connections == []


def test_cgnat_is_refused_although_python_calls_it_not_private() -> None:
    import ipaddress

    ip = ipaddress.ip_address("100.64.0.1")
    assert not ip.is_private  # why the policy tests `not is_global`
    assert not fetch._is_public(ip)


@pytest.mark.parametrize(
    "answers",
    [
        ["10.1.2.3"],
        ["100.64.12.1"],
        ["127.0.0.1"],
        ["::ffff:192.168.0.10"],
        ["fd12:3456::1"],
        ["93.184.216.34", "192.168.0.10"],  # one bad address among good ones is enough
    ],
)
def test_dns_names_resolving_to_internal_addresses_are_refused(
    answers: list[str], no_connections: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = fake_dns(monkeypatch, {"notice.example.com": answers})
    with pytest.raises(BlockedURL) as e:
        get("https://notice.example.com/2024/leak.pdf")
    assert "resolves to non-public address" in str(e.value)
    assert asked == ["notice.example.com"] and no_connections == []


def test_public_name_is_pinned_to_the_checked_address(monkeypatch: pytest.MonkeyPatch) -> None:
    """The request goes to the address that was checked, with the original Host header (no rebinding)."""
    fake_dns(monkeypatch, {"notice.example.com": ["93.184.216.34"]})
    sent: list[aiohttp.ClientRequest] = []

    async def capture(self: aiohttp.BaseConnector, request: aiohttp.ClientRequest, *args: Any, **kwargs: Any) -> Any:
        sent.append(request)
        raise ConnectionRefusedError("stopped at the connector: nothing leaves this machine")

    monkeypatch.setattr(aiohttp.BaseConnector, "connect", capture)
    with pytest.raises(FetchError, match="stopped at the connector"):
        get("https://notice.example.com/n.html")
    (req,) = sent
    assert req.url.host == "93.184.216.34" and req.headers["Host"] == "notice.example.com"
    assert req.server_hostname == "notice.example.com"  # SNI and the certificate check use the name


def test_allow_private_links_lets_loopback_through(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/notice").respond_with_data(b"intranet")
    assert get(httpserver.url_for("/notice"), allow_private=True).body == b"intranet"
    with pytest.raises(BlockedURL):
        get(httpserver.url_for("/notice"))


def test_resolve_public_reports_unresolvable_names(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_a: Any, **_k: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(FetchError) as e:
        asyncio.run(resolve_public("nowhere.example", 443, allow_private=False))
    assert not isinstance(e.value, BlockedURL) and "cannot resolve nowhere.example" in str(e.value)


# ---------------------------------------------------------------------------- redirects, hop by hop


class _Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: dict[str, tuple[int, dict[str, str], bytes]]):
        self.routes = routes
        self.hits: list[tuple[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.hits.append((self.path, self.headers.get("Host", "")))
                status, headers, body = server.routes.get(self.path, (404, {}, b"no"))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]


@pytest.fixture
def servers() -> Iterator[list[_Recorder]]:
    made: list[_Recorder] = []
    yield made
    for s in made:
        s.shutdown()
        s.server_close()


def _policy_for(srv: _Recorder) -> LinkPolicy:
    """Exactly one loopback address and port count as public; everything else is forbidden."""
    return LinkPolicy(ports=frozenset({80, 443, srv.port}), public=frozenset({"127.0.0.1"}))


def test_redirect_hops_are_each_checked(servers: list[_Recorder], monkeypatch: pytest.MonkeyPatch) -> None:
    forbidden = _Recorder({"/secret": (200, {}, b"internal")})
    servers.append(forbidden)
    public = _Recorder({})
    servers.append(public)
    public.routes.update(
        {
            "/ok": (302, {"Location": "/final"}, b""),
            "/final": (200, {"Content-Type": "text/html"}, b"<p>notice</p>"),
            "/to-other-port": (302, {"Location": f"http://127.0.0.1:{forbidden.port}/secret"}, b""),
            "/to-loopback-alias": (301, {"Location": f"http://127.0.0.2:{public.port}/final"}, b""),
            "/to-internal-name": (307, {"Location": f"http://intranet.corp.example:{public.port}/final"}, b""),
            "/to-metadata": (308, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
            "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
            "/to-onion": (302, {"Location": "http://abcdefghijklmnop.onion/"}, b""),
            "/to-backslash": (302, {"Location": f"http://127.0.0.1:{public.port}\\@example.com/"}, b""),
            "/loop": (302, {"Location": "/loop"}, b""),
        }
    )
    real = socket.getaddrinfo
    asked: list[str] = []

    def dns(host: Any, *args: Any, **kwargs: Any) -> Any:
        asked.append(str(host))
        if host == "intranet.corp.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.20.30.40", args[0] if args else 80))]
        assert host in ("127.0.0.1", "127.0.0.2", "169.254.169.254"), host
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", dns)
    policy = _policy_for(public)
    base = f"http://127.0.0.1:{public.port}"

    resp = get(f"{base}/ok", policy=policy)
    assert resp.status == 200 and resp.body == b"<p>notice</p>" and resp.url == f"{base}/final"

    for path, reason in [
        ("/to-other-port", f"port {forbidden.port}"),
        ("/to-loopback-alias", "non-public"),
        ("/to-internal-name", "non-public address 10.20.30.40"),
        ("/to-metadata", "non-public"),
        ("/to-file", "scheme 'file'"),
        ("/to-onion", ".onion"),
        ("/to-backslash", "backslash"),
    ]:
        with pytest.raises(BlockedURL) as e:
            get(f"{base}{path}", policy=policy)
        assert reason in str(e.value), (path, str(e.value))
    with pytest.raises(TooManyRedirects):
        get(f"{base}/loop", policy=policy, limits=Limits(deadline=5, max_redirects=3))
    # The forbidden server never saw a request; the public one saw only its own routes.
    assert forbidden.hits == []
    assert {p for p, _ in public.hits} <= {
        "/ok",
        "/final",
        "/to-other-port",
        "/to-loopback-alias",
        "/to-internal-name",
        "/to-metadata",
        "/to-file",
        "/to-onion",
        "/to-backslash",
        "/loop",
    }
    assert [p for p, _ in public.hits].count("/loop") == 4  # first request + 3 redirects, then stop
    assert "intranet.corp.example" in asked


def test_configured_source_urls_are_trusted_but_redirects_stay_http(servers: list[_Recorder]) -> None:
    srv = _Recorder(
        {
            "/feed": (200, {}, b"<rss/>"),
            "/moved": (301, {"Location": "/feed"}, b""),
            "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        }
    )
    servers.append(srv)

    async def go(path: str) -> fetch.Response:
        async with Fetcher(Limits(deadline=5)) as f:
            return await f.get(Request(f"http://127.0.0.1:{srv.port}{path}"))  # trusted: loopback is fine

    assert asyncio.run(go("/moved")).body == b"<rss/>"
    with pytest.raises(BlockedURL):
        asyncio.run(go("/to-file"))


def test_unchanged_sources_reuse_connections() -> None:
    """A re-poll of unchanged sources answers 304 each; each connection must go back to the pool, or
    every source costs a new connection (a new TLS handshake on real hosts)."""
    connections: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            connections.append(1)

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.send_header("ETag", '"v1"')
                self.end_headers()
                return
            body = b"<rss/>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        requests = [Request(url=f"{base}/feed-{i}.xml", etag='"v1"') for i in range(30)]
        results = asyncio.run(fetch.fetch_many(requests, Limits(per_host=2, concurrency=2)))
    finally:
        server.shutdown()
        server.server_close()
    assert all(isinstance(r, fetch.Response) and r.not_modified for r in results)
    assert len(connections) <= 4, f"{len(connections)} connections for 30 unchanged sources"
