"""systemd's service notification protocol (sd_notify(3)), for `monitor run` under `Type=notify`.

The protocol is one datagram of `KEY=value` lines to the unix socket named by $NOTIFY_SOCKET (a path,
or `@name` for Linux's abstract namespace). It is a few lines of the standard library; the `sdnotify`
package has not been released since 2017 and `systemd-python` needs libsystemd to build.

Without $NOTIFY_SOCKET (cron, a terminal, tests) every call does nothing. A notification that cannot
be sent is logged once and never raised: systemd's bookkeeping must not stop the polling.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger("monitor.daemon")

# Ping the watchdog at this fraction of WATCHDOG_USEC: sd_watchdog_enabled(3) advises "about half";
# a third leaves room for a loop tick that starts late.
WATCHDOG_FRACTION = 1 / 3


def _address(value: str) -> str | None:
    if value.startswith("@"):
        return "\0" + value[1:]  # abstract namespace: no file, a leading NUL byte
    if value.startswith("/"):
        return value
    return None  # vsock:... and relative names are not for us


class Notifier:
    """Sends READY=1, WATCHDOG=1, STOPPING=1 and STATUS= lines to systemd, when it asked for them."""

    def __init__(self, env: Mapping[str, str] | None = None):
        env = os.environ if env is None else env
        self.address = _address(env.get("NOTIFY_SOCKET", ""))
        self.watchdog_seconds: float | None = None
        usec, pid = env.get("WATCHDOG_USEC", ""), env.get("WATCHDOG_PID", "")
        # WATCHDOG_PID names the process systemd watches; a child that inherited it is not that process.
        if usec.isdigit() and int(usec) > 0 and (not pid or pid == str(os.getpid())):
            self.watchdog_seconds = int(usec) / 1_000_000
        self._warned = False

    @property
    def enabled(self) -> bool:
        return self.address is not None

    @property
    def ping_every(self) -> float | None:
        """Seconds between watchdog pings (under half the watchdog's timeout), or None: no watchdog."""
        if self.address is None or self.watchdog_seconds is None:
            return None
        return self.watchdog_seconds * WATCHDOG_FRACTION

    def notify(self, *lines: str) -> None:
        if self.address is None or not lines:
            return
        # One status line: systemd shows it in `systemctl status`; a newline would start another field.
        message = "\n".join(" ".join(line.split()) for line in lines).encode("utf-8", "replace")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.settimeout(1.0)
                sock.sendto(message, self.address)
        except OSError as e:
            if not self._warned:
                self._warned = True
                log.warning("cannot notify systemd at %s: %s (polling goes on)", self.address.replace("\0", "@"), e)

    def ready(self, status: str) -> None:
        self.notify("READY=1", f"STATUS={status}")

    def status(self, status: str) -> None:
        self.notify(f"STATUS={status}")

    def watchdog(self) -> None:
        if self.ping_every is not None:
            self.notify("WATCHDOG=1")

    def stopping(self, status: str) -> None:
        self.notify("STOPPING=1", f"STATUS={status}")
