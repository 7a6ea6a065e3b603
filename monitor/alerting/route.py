"""Which Slack channel an alert goes to: one rule, for the cycle's new alerts and for `monitor alerts
retry --failed` (which re-routes failed alerts under the current feeds.yaml, after a fix).

A vendor's product exploited goes to slack.routes.product when set. A vendor's report goes to
slack.routes[its criticality], else to the default channel (slack.channel,
else SLACK_CHANNEL). Source health goes to the default channel, never to a vendor route; the daily
digest (low-criticality reports) goes where low-criticality reports go.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..config import SlackConfig
from ..criticality import DEFAULT, Criticality
from ..matching.vendors import Vendor


def default_channel(slack: SlackConfig) -> str:
    return slack.channel or os.environ.get("SLACK_CHANNEL", "") or ""


def route(slack: SlackConfig, kind: str, criticality: Criticality | None = None) -> str:
    """The channel of an alert of this kind ("article", "digest_item", "digest", "health", ...) about
    a vendor of this criticality (None: no vendor, or one no longer in the register)."""
    if kind == "health":
        return default_channel(slack)
    if kind == "digest":
        criticality = "low"
    if kind == "product" and slack.routes.get("product"):  # routed by kind first, then by criticality
        return slack.routes["product"]
    return slack.routes.get(criticality or DEFAULT) or default_channel(slack)


def for_alert(slack: SlackConfig, vendors: Mapping[str, Vendor], alert: Mapping[str, Any]) -> str:
    """route() for a stored outbox row (its kind and vendor name)."""
    vendor = vendors.get(alert["vendor"] or "")
    return route(slack, alert["kind"], vendor.criticality if vendor else None)
