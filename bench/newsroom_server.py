"""2,000 vendor newsrooms on 127.0.0.1's loopback network, one host each, for `make bench` (case newsroom).

    python bench/newsroom_server.py N     # prints the port, then one line: the hosts, space-separated

Each newsroom is its own address (127.0.H.L, all of 127.0.0.0/8 is loopback on Linux), so monitor's
per-host limit and its robots.txt cache see N hosts, as they would in production. Pages are
generated (bench/newsroom_pages.py) in layouts of Japanese and English corporate sites, with old and
recent notices; the server ignores conditional GET (no ETag, no Last-Modified), like many corporate
CMSes (it honours `Connection: close`, as HTTP/1.1 servers must), so an unchanged re-poll costs monitor a full fetch and only its content hash saves the parse.
Runs as its own process so serving does not take the GIL from the bare loop it is compared with.
"""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import newsroom_pages  # noqa: E402


def hosts(n: int) -> list[str]:
    return [f"127.0.{1 + i // 250}.{1 + i % 250}" for i in range(n)]


class Site(asyncio.Protocol):
    docs: dict[tuple[str, str], tuple[bytes, str]] = {}

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.host = transport.get_extra_info("sockname")[0]
        self.buf = b""

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while b"\r\n\r\n" in self.buf:
            head, self.buf = self.buf.split(b"\r\n\r\n", 1)
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            path = line.split(" ")[1].split("?")[0] if " " in line else "/"
            doc = self.docs.get((self.host, path)) or self.docs.get(("*", path))
            if doc is None and path.startswith("/news/") and path.endswith(".html"):
                doc = self.docs[("*", "notice")]
            if doc is None:
                self.transport.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                continue
            body, ctype = doc
            self.transport.write(
                f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
            )
            if b"\r\nconnection: close" in head.lower():  # as RFC 9112 requires of a server
                self.transport.close()
                return


async def main(n: int) -> None:
    names = hosts(n)
    Site.docs = newsroom_pages.site_docs(names)
    probe = socket.socket()
    probe.bind((names[0], 0))
    port = probe.getsockname()[1]  # one port on every host
    probe.close()
    server = await asyncio.get_running_loop().create_server(
        Site, host=names, port=port, backlog=1024, reuse_address=True
    )
    print(port, flush=True)
    print(" ".join(names), flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
