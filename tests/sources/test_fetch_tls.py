"""https feeds are verified against certifi's CA bundle, as httpx's default client does. The fetcher reads
the bundle at its first TLS connection rather than when it starts (an all-http poll never needs it), so
these tests hold a real TLS server on 127.0.0.1 to it: a certificate no CA signed is refused, also when
the same fetcher has already made plain http requests."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from monitor.errors import FetchError
from monitor.sources.fetch import Limits, Request, fetch_many


class _Feed(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<rss version='2.0'><channel><title>t</title></channel></rss>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _serve(server: ThreadingHTTPServer) -> Iterator[str]:
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def plain_server() -> Iterator[str]:
    yield from _serve(ThreadingHTTPServer(("127.0.0.1", 0), _Feed))


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[str]:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert)]
        + ["-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    yield from _serve(server)


def test_https_feed_with_a_certificate_no_ca_signed_is_refused(self_signed_server: str) -> None:
    (got,) = asyncio.run(fetch_many([Request(f"https://{self_signed_server}/feed")], Limits(deadline=5)))
    assert isinstance(got, FetchError)
    assert str(got).startswith(
        f"cannot fetch https://{self_signed_server}/feed: TLS certificate of {self_signed_server}"
    )
    assert "CERTIFICATE_VERIFY_FAILED" in str(got)


def test_verification_holds_after_plain_http_requests(plain_server: str, self_signed_server: str) -> None:
    got = asyncio.run(
        fetch_many(
            [Request(f"http://{plain_server}/a"), Request(f"https://{self_signed_server}/feed")],
            Limits(deadline=5, concurrency=1),
        )
    )
    assert not isinstance(got[0], FetchError) and got[0].status == 200
    assert isinstance(got[1], FetchError) and "CERTIFICATE_VERIFY_FAILED" in str(got[1])


def _ca_counts(code: str) -> str:
    """What a fresh interpreter prints after running `code`."""
    import sys

    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def test_importing_the_fetcher_leaves_every_other_tls_client_verifying() -> None:
    """aiohttp is imported without reading the CA store for its two default contexts (monitor never
    uses them). The Slack client's HTTPS goes through urllib's default context: made after that
    import, it must hold the system's CA store as in a process that never imported the fetcher,
    or every Slack post would fail verification. aiohttp's own default context fails closed."""
    stats = "ssl.create_default_context().cert_store_stats()['x509_ca']"
    before = _ca_counts(f"import ssl; print({stats})")
    after = _ca_counts(
        "import ssl, monitor.sources.fetch, aiohttp.connector as c; "
        f"d = c._SSL_CONTEXT_VERIFIED; print({stats}, d.cert_store_stats()['x509_ca'], d.verify_mode == ssl.CERT_REQUIRED)"
    )
    assert after == f"{before} 0 True"
