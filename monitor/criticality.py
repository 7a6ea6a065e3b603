"""How much a vendor matters: the one list of criticalities, in order, with their rank and icon."""

from __future__ import annotations

from typing import Literal, get_args

Criticality = Literal["critical", "high", "medium", "low"]
CRITICALITIES: tuple[Criticality, ...] = get_args(Criticality)  # most critical first
DEFAULT: Criticality = "medium"  # a vendor whose row leaves it blank, or an alert whose vendor is gone
RANK: dict[str, int] = {c: i for i, c in enumerate(CRITICALITIES)}
ICON: dict[str, str] = {"critical": "🔴", "high": "🟠", "medium": "🟡", "low": "⚪"}


def parse(text: str) -> Criticality | None:
    """'High ' -> 'high'; None when it is none of them."""
    folded = text.strip().lower()
    for c in CRITICALITIES:
        if c == folded:
            return c
    return None


def rank(criticality: str) -> int:
    """Sort key, most critical first; an unknown value last."""
    return RANK.get(criticality, len(RANK))
