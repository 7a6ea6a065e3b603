"""A hostile feed server on 127.0.0.1: one route per attack or breakage a real source can throw at us.

Every request is counted in `hits` (path -> count), so tests can prove that something was *not*
fetched (an external DTD, a file named by an entity). Slow routes wait on `stop`, so closing the
server releases their threads at once.

Routes (GET):
  /good                 a healthy RSS feed with one breach report naming Okta
  /slow                 /good after `slow_seconds`; sets `slow_started` when the request arrives
  /lol                  billion laughs (nested entities)
  /quad                 quadratic blow-up: one 10 KB literal entity referenced 10,000 times (40 KB -> 100 MB)
  /xxe-file             <!ENTITY x SYSTEM "file:///...marker">
  /xxe-http             <!ENTITY % x SYSTEM "http://127.0.0.1:P/evil.dtd"> %x;
  /dtd-http             <!DOCTYPE rss SYSTEM "http://127.0.0.1:P/evil.dtd"> (no entities: parsed, DTD never read)
  /evil.dtd             the DTD those point at (must get zero hits)
  /utf16-quad           /quad encoded as UTF-16 (the byte-level guard must still see the entity)
  /utf7-quad            /quad declared and encoded as UTF-7
  /comment-quad         /quad with a comment holding "]>" and "<a>" ahead of the entity
  /huge                 Content-Length 64 MiB of XML-ish padding
  /endless              chunked transfer that never ends
  /gzbomb               1 GiB of zeros served as ~1 MiB of gzip
  /drip                 one byte per second, forever
  /silent               accepts the connection and never answers
  /loop                 redirects to itself
  /status/<code>        that status, with a short body
  /404feed              HTTP 404 whose body is a valid feed
  /random               random bytes
  /html                 an HTML page where a feed was expected
  /cut                  announces 20,000 bytes, sends half a feed and closes (truncated on the wire)
  /truncated            a complete HTTP answer whose feed stops mid-item
  /sjis-lie             Shift_JIS bytes whose XML declaration and Content-Type both say UTF-8
  /pathbody             the body is the path of a local feed file (must never be opened)
  /devzero              the body is "/dev/zero"
  /redos                one item whose <author> is 32 KB with a comment in it (feedparser's quadratic e-mail regex)
  /long-author          one item whose <author> is 32 KB of plain text (read by the fast reader, no regex)
"""

from __future__ import annotations

import random
import socket
import threading
import zlib
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

GOOD_TITLE = "Okta confirms breach of support system, customer files stolen"
GOOD_LINK = "https://news.example/okta-breach"
SJIS_TITLE = "トヨタ自動車 情報漏えい 取引先への不正アクセスで"
FOUR04_MARKER = "FOUR04-MARKER title that must not be stored"
LOCAL_MARKER = "LOCAL-MARKER-6b1f"


def rss(items: list[tuple[str, str]], encoding: str = "utf-8", prolog: str = "", extra: str = "") -> str:
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(u)}</link><description>{escape(t)}</description>{extra}</item>"
        for t, u in items
    )
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>{prolog}<rss version="2.0"><channel><title>t</title>'
        f"<link>http://example.invalid/</link><description>d</description>{body}</channel></rss>"
    )


GOOD_FEED = rss([(GOOD_TITLE, GOOD_LINK)]).encode()


def billion_laughs() -> bytes:
    ents = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    prolog = f"<!DOCTYPE rss [{''.join(ents)}]>"
    return rss([("&lol9;", "https://x.example/lol")], prolog=prolog).replace("&amp;lol9;", "&lol9;").encode()


def quadratic(value_kb: int = 10, refs: int = 10_000) -> str:
    prolog = f'<!DOCTYPE rss [<!ENTITY a "{"A" * (value_kb * 1024)}">]>'
    doc = rss([("quad", "https://x.example/quad")], prolog=prolog)
    return doc.replace("<description>quad</description>", "<description>" + "&a;" * refs + "</description>")


def _utf7(doc: str) -> bytes:
    """The document in UTF-7, where every '<' is '+ADw-': a byte search for '<!ENTITY' finds nothing."""
    decl, rest = doc.split("?>", 1)
    return (decl.replace('encoding="utf-8"', 'encoding="utf-7"') + "?>").encode() + rest.encode("utf-7")


@lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """1 GiB of zeros, gzip-compressed once per test session (about 1 MiB)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    return b"".join(comp.compress(zeros) for _ in range(1024)) + comp.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a whole cycle connects at once; the default backlog of 5 drops SYNs

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up on a drip or a bomb is the point, not a failure


class HostileServer:
    def __init__(self, workdir: Path):
        self.hits: Counter[str] = Counter()
        self.stop = threading.Event()
        self.slow_started = threading.Event()
        self.slow_seconds = 2.0
        self.workdir = workdir
        self.secret_file = workdir / "secret.txt"
        self.secret_marker = "XXE-SECRET-MARKER-93c1"
        self.secret_file.write_text(self.secret_marker + "\n")
        self.local_feed = workdir / "local.xml"
        self.local_feed.write_text(rss([(LOCAL_MARKER, "https://x.example/local")]))
        gzip_bomb()  # built before serving, so the route answers at once
        self.server = _Server(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()

    # ------------------------------------------------------------------ routes

    def routes(self) -> dict[str, Callable[[Any], None]]:
        return {
            "/good": lambda h: h.send(200, GOOD_FEED, "application/rss+xml"),
            "/slow": self._slow,
            "/lol": lambda h: h.send(200, billion_laughs()),
            "/quad": lambda h: h.send(200, quadratic().encode()),
            "/utf16-quad": lambda h: h.send(
                200, quadratic().replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
            ),
            "/xxe-file": lambda h: h.send(
                200,
                rss(
                    [("&xxe;", "https://x.example/xxe")],
                    prolog=f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{self.secret_file}">]>',
                )
                .replace("&amp;xxe;", "&xxe;")
                .encode(),
            ),
            "/xxe-http": lambda h: h.send(
                200,
                rss(
                    [("&ext;", "https://x.example/xxe")],
                    prolog=f'<!DOCTYPE rss [\n<!ENTITY % dtd SYSTEM "{self.url("/evil.dtd")}">\n%dtd;\n]>',
                )
                .replace("&amp;ext;", "&ext;")
                .encode(),
            ),
            "/dtd-http": lambda h: h.send(
                200,
                rss(
                    [("Plain item under an external DTD", "https://x.example/dtd")],
                    prolog=f'<!DOCTYPE rss SYSTEM "{self.url("/evil.dtd")}">',
                ).encode(),
            ),
            "/evil.dtd": lambda h: h.send(200, f'<!ENTITY ext "{self.secret_marker}">'.encode(), "application/xml-dtd"),
            "/huge": self._huge,
            "/endless": self._endless,
            "/gzbomb": lambda h: h.send(200, gzip_bomb(), headers={"Content-Encoding": "gzip"}),
            "/drip": self._drip,
            "/silent": lambda h: self.stop.wait(120),
            "/loop": lambda h: h.send(302, b"", headers={"Location": "/loop"}),
            "/404feed": lambda h: h.send(404, rss([(FOUR04_MARKER, "https://x.example/404")]).encode()),
            "/random": lambda h: h.send(200, random.Random(7).randbytes(50_000), "application/rss+xml"),
            "/html": lambda h: h.send(
                200,
                b"<!doctype html><html><head><title>Welcome</title></head><body>"
                b"<h1>Our new website</h1><p>The feed has moved.</p></body></html>",
                "text/html; charset=utf-8",
            ),
            "/cut": self._cut,
            "/truncated": lambda h: h.send(200, GOOD_FEED[: GOOD_FEED.index(b"<item>") + 30]),
            "/utf7-quad": lambda h: h.send(200, _utf7(quadratic())),
            "/comment-quad": lambda h: h.send(
                200, quadratic().replace("<!DOCTYPE rss [", "<!DOCTYPE rss [<!-- ]> <a> -->").encode()
            ),
            "/sjis-lie": lambda h: h.send(
                200,
                rss([(SJIS_TITLE, "https://jp.example/toyota")], encoding="utf-8").encode("shift_jis"),
                "application/rss+xml; charset=utf-8",
            ),
            "/pathbody": lambda h: h.send(200, str(self.local_feed).encode(), "text/plain"),
            "/devzero": lambda h: h.send(200, b"/dev/zero", "text/plain"),
            # feedparser's author-email regex is quadratic. The comment inside the author makes monitor's
            # fast reader of plain feeds (sources/fastfeed.py) leave this feed to feedparser, whose run
            # must be stopped.
            "/redos": lambda h: h.send(
                200,
                rss(
                    [("ReDoS item", "https://x.example/redos")],
                    extra=f"<author>{'a' * 16384}<!-- -->{'a' * 16384}</author>",
                ).encode(),
            ),
            # The same author field in a plain feed: the fast reader never runs that regex.
            "/long-author": lambda h: h.send(
                200,
                rss(
                    [("Long author item", "https://x.example/long-author")], extra=f"<author>{'a' * 32768}</author>"
                ).encode(),
            ),
        }

    def _stream(self, h: Any, chunks: Callable[[], bytes | None], headers: dict[str, str]) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        for k, v in headers.items():
            h.send_header(k, v)
        h.end_headers()
        try:
            while not self.stop.is_set():
                chunk = chunks()
                if chunk is None:
                    break
                h.wfile.write(chunk)
                h.wfile.flush()
        except OSError:
            pass  # the client gave up, as it should
        h.close_connection = True

    def _slow(self, h: Any) -> None:
        self.slow_started.set()
        self.stop.wait(self.slow_seconds)
        h.send(200, GOOD_FEED, "application/rss+xml")

    def _huge(self, h: Any) -> None:
        pad = b"<!-- padding -->" * 4096
        self._stream(h, lambda: pad, {"Content-Length": str(64 << 20)})

    def _endless(self, h: Any) -> None:
        piece = b"<item><title>x</title></item>" * 1000
        chunk = b"%x\r\n%s\r\n" % (len(piece), piece)
        self._stream(h, lambda: chunk, {"Transfer-Encoding": "chunked"})

    def _drip(self, h: Any) -> None:
        def one() -> bytes:
            self.stop.wait(1.0)
            return b" "

        self._stream(h, one, {"Content-Length": "100000"})

    def _cut(self, h: Any) -> None:
        half = GOOD_FEED[: len(GOOD_FEED) // 2]
        sent = [False]

        def once() -> bytes | None:
            if sent[0]:
                return None
            sent[0] = True
            return half

        self._stream(h, once, {"Content-Length": "20000"})
        h.connection.shutdown(socket.SHUT_RDWR)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def send(
                self, status: int, body: bytes, ctype: str = "application/xml", headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?")[0]
                server.hits[path] += 1
                if path.startswith("/status/"):
                    code = int(path.rsplit("/", 1)[1])
                    self.send(code, f"status {code}".encode(), "text/plain")
                    return
                route = server.routes().get(path)
                if route is None:
                    self.send(404, b"no such route", "text/plain")
                    return
                route(self)

        return Handler


def serve_files(files: dict[str, bytes], headers: dict[str, dict[str, str]] | None = None) -> ThreadingHTTPServer:
    """A plain static server for many small documents (the feeds-wild corpus). Caller shuts it down."""
    headers = headers or {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?")[0]
            body = files.get(path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            extra = headers.get(path, {})
            if "Content-Type" not in extra:
                self.send_header("Content-Type", "application/xml")
            for k, v in extra.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    srv = _Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv
