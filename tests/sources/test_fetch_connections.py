"""How many connections the fetcher holds open. A newsroom poll reads one page from each of thousands of
hosts: a connection kept for its keep-alive after the host's last request would be an idle socket per
host (2,000 newsrooms, past the common limit of 1,024 open files)."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from monitor.errors import FetchError
from monitor.sources.fetch import Fetcher, Limits, Request, fetch_many

HOSTS = [f"127.0.0.{i}" for i in range(2, 22)]


class _KeepAlive(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps the connection open between requests, as real servers do

    def do_GET(self) -> None:  # noqa: N802
        self.server.peers.add(self.client_address)  # type: ignore[attr-defined]
        body = b"<html><body><a href='/n/1.html'>2024.06.05 Notice</a></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def servers() -> Iterator[tuple[int, list[ThreadingHTTPServer]]]:
    """One keep-alive server on each of 20 loopback addresses, all on one port."""
    probe = socket.socket()
    probe.bind((HOSTS[0], 0))
    port = probe.getsockname()[1]
    probe.close()
    running = []
    try:
        for host in HOSTS:
            server = ThreadingHTTPServer((host, port), _KeepAlive)
            server.daemon_threads = True
            server.peers = set()  # type: ignore[attr-defined]
            threading.Thread(target=server.serve_forever, daemon=True).start()
            running.append(server)
    except OSError as e:
        for s in running:
            s.shutdown()
        pytest.skip(f"cannot bind the loopback addresses 127.0.0.2-21 here: {e}")
    yield port, running
    for s in running:
        s.shutdown()
        s.server_close()


def _connections_to(port: int) -> int:
    """Our established TCP connections to `port` (the client's side: its remote port is the server's)."""
    count = 0
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        fields = line.split()
        if fields[2].endswith(f":{port:04X}") and fields[3] == "01":  # rem_address, state ESTABLISHED
            count += 1
    return count


@pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="counts connections through /proc/net/tcp")
def test_a_host_read_once_leaves_no_connection_open(servers: tuple[int, list[ThreadingHTTPServer]]) -> None:
    port, _ = servers

    async def poll() -> int:
        async with Fetcher(Limits(deadline=5)) as fetcher:
            for host in HOSTS:
                resp = await fetcher.get(Request(f"http://{host}:{port}/news/"))
                assert resp.status == 200 and b"Notice" in resp.body
            # Still inside the fetcher: an idle kept-alive connection would stay for aiohttp's 15 s.
            for _ in range(100):
                if _connections_to(port) == 0:
                    break
                await asyncio.sleep(0.05)
            return _connections_to(port)

    left = asyncio.run(poll())
    assert left == 0, f"{left} of {len(HOSTS)} hosts' connections still open after their one page"


def _closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    return port


def test_a_refused_connection_says_so_in_words() -> None:
    port = _closed_port()
    (got,) = asyncio.run(fetch_many([Request(f"http://127.0.0.1:{port}/feed")], Limits(deadline=5)))
    assert isinstance(got, FetchError)
    assert (
        str(got) == f"cannot fetch http://127.0.0.1:{port}/feed: cannot connect to 127.0.0.1:{port}: Connection refused"
    )


def test_an_unknown_host_says_it_cannot_be_resolved(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_name(*_a: object, **_k: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)  # no DNS query leaves this machine
    (got,) = asyncio.run(fetch_many([Request("https://feeds.example.com/rss")], Limits(deadline=5)))
    assert isinstance(got, FetchError)
    assert str(got) == (
        "cannot fetch https://feeds.example.com/rss: cannot resolve feeds.example.com: Name or service not known"
    )
