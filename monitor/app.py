"""What a command runs on: the configuration, the vendor register and the Slack sender, checked,
and the Monitor built over them. One place, so that `monitor run` (once and as a daemon), the
daemon's reload of edited files, `monitor alerts retry` and `monitor demo` get the same Monitor.

Heavy modules are imported inside the functions: `monitor --help` and `monitor search` stay fast.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .alerting.slack import Sender
    from .config import Config
    from .matching.vendors import Vendor
    from .pipeline.cycle import Monitor
    from .sources.parse import ParserPool
    from .storage.store import Store


@dataclass(frozen=True)
class Setup:
    """A validated configuration, its vendor register and the sender the environment selects."""

    config: Config
    vendors: Sequence[Vendor]
    sender: Sender


def sender_for(config: Config) -> Sender:
    """The sender SLACK_BOT_TOKEN / SLACK_WEBHOOK_URL select (else Microsoft Teams or e-mail, for teams
    without Slack); ConfigError when the Slack settings cannot work together (a token and no channel, say)."""
    from .alerting.outputs import other_sender
    from .alerting.slack import sender_from_env, sender_mode, slack_settings_problems
    from .errors import ConfigError

    other = other_sender(config)
    if other is not None:
        return other

    problems = slack_settings_problems(
        config.slack, config.path.name, sender_mode(), os.environ.get("SLACK_CHANNEL", "")
    )
    if problems:
        raise ConfigError(problems)
    return sender_from_env(config.slack.timeout, config.slack.max_retry_after)


def check_fits_workers(config: Config, vendors: Sequence[Vendor]) -> None:
    """ConfigError for a register the parser workers could not load under limits.parse_memory_mb."""
    from .matching.vendors import check_fits_workers as check

    check(list(vendors), config.limits.parse_memory_mb, config.vendors.name)


def configure(config: Config, *, cached: bool = True, for_polling: bool = True) -> Setup:
    """The register and the sender for this configuration, in the order their errors are reported.

    cached: keep the validated register beside the database for the next run (the polling commands).
    for_polling: refuse a register the parser workers cannot hold (commands that only deliver skip it)."""
    from .matching.vendors import load_vendors

    vendors = load_vendors(config.vendors, config.database if cached else None)
    if for_polling:
        check_fits_workers(config, vendors)
    return Setup(config, vendors, sender_for(config))


def reload(config_arg: str | None) -> tuple[Config, Sequence[Vendor], Sender]:
    """The daemon's view of edited files: feeds.yaml and vendors.csv read and validated again."""
    from .config import load_config
    from .locate import config_path

    setup = configure(load_config(config_path(config_arg)))
    return setup.config, setup.vendors, setup.sender


def build_monitor(setup: Setup, store: Store, pool: ParserPool | None = None) -> Monitor:
    from .pipeline.cycle import Monitor

    return Monitor(setup.config, setup.vendors, store, setup.sender, pool=pool)
