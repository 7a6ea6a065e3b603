"""Serve a folder of generated feeds on 127.0.0.1 with ETag / Last-Modified and 304 answers.

Runs as its own process (`python bench/feedserver.py FOLDER`), so that serving does not take the
GIL from the bare-parse loop it is compared with. Prints the port on the first line of stdout,
then serves until killed.
"""

from __future__ import annotations

import hashlib
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

LAST_MODIFIED = "Sun, 01 Jun 2025 12:00:00 GMT"


def load(folder: Path) -> dict[str, tuple[bytes, str]]:
    docs = {}
    for p in folder.glob("*.xml"):
        body = p.read_bytes()
        docs[f"/{p.name}"] = (body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"')
    return docs


def make_server(folder: Path) -> ThreadingHTTPServer:
    docs = load(folder)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes; without NODELAY the client's delayed ACK adds ~40 ms per feed.
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            doc = docs.get(self.path.split("?")[0])
            if doc is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body, etag = doc
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.end_headers()
            self.wfile.write(body)

    # socketserver's listen backlog is 5: more simultaneous connects than that get their SYN dropped
    # and retried a second later, which showed up as a bimodal +1 s on the fetch stage.
    ThreadingHTTPServer.request_queue_size = 128
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    return server


def main() -> None:
    server = make_server(Path(sys.argv[1]))
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
