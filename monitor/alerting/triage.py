"""Triage from Slack: what a reaction (or a button) on an alert means, and how its state is shown.

Pure code, no I/O. The read-back of reactions (pipeline/triage_step.py) hands the reactions it saw on
each alert message to `changes`; the verdicts themselves (a false positive suppresses the vendor as
`monitor feedback --wrong-vendor` does, a mute holds the incident's thread replies) are applied by
storage/triage_store.py. Acknowledged and investigating are shown, never acted on: acknowledging an
alert never mutes later reports about the vendor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .slack import AlertRef, Message, context, escape

VERDICTS = ("false_positive", "acknowledged", "investigating", "mute")
DEFAULT_MAPPING = {
    "x": "false_positive",
    "white_check_mark": "acknowledged",
    "eyes": "investigating",
    "no_bell": "mute",
}
BUTTON = "button:"  # the `reaction` a button press is stored under (a reaction read-back never removes it)
_USER = re.compile(r"^[UW][A-Z0-9]{2,40}$")
_SKIN = re.compile(r"::skin-tone-[2-6]$")
# Slack returns at most this many users per reaction in history; more are counted, not named.
STATE_BLOCK_ID = "monitor_triage_state"


@dataclass(frozen=True, slots=True)
class Mark:
    """One person's verdict on one alert, active since `at`."""

    alert_id: int
    reaction: str  # the reaction name, or BUTTON + verdict
    user: str
    verdict: str
    at: str = ""


def verdict_of(reaction: str, mapping: Mapping[str, str]) -> str | None:
    """The verdict a reaction stands for; a skin tone does not change it (:+1::skin-tone-3:)."""
    return mapping.get(_SKIN.sub("", reaction.strip(":")))


def seen_marks(alert_id: int, reactions: Any, mapping: Mapping[str, str]) -> set[tuple[str, str]]:
    """(reaction, user) pairs on a message as history/replies return it (`reactions`: name, users)."""
    out: set[tuple[str, str]] = set()
    if not isinstance(reactions, list):
        return out
    for r in reactions:
        if not isinstance(r, dict):
            continue
        name = str(r.get("name") or "")
        if verdict_of(name, mapping) is None:
            continue
        for user in r.get("users") or []:
            if isinstance(user, str) and _USER.match(user):
                out.add((_SKIN.sub("", name.strip(":")), user))
    return out


@dataclass(frozen=True, slots=True)
class Changes:
    added: tuple[tuple[str, str, str], ...]  # (reaction, user, verdict)
    removed: tuple[tuple[str, str], ...]  # (reaction, user)


def changes(seen: set[tuple[str, str]], active: Iterable[Mark], mapping: Mapping[str, str]) -> Changes:
    """What changed on one message since the last read: reactions added, and reactions removed (only
    those we recorded from reactions; a button's verdict is not undone by a missing reaction)."""
    recorded = {(m.reaction, m.user) for m in active if not m.reaction.startswith(BUTTON)}
    added = tuple(sorted((r, u, verdict_of(r, mapping) or "") for r, u in seen - recorded))
    removed = tuple(sorted(recorded - seen))
    return Changes(added, removed)


def verdicts(marks: Iterable[Mark]) -> dict[str, list[Mark]]:
    """Active verdicts of one alert, each with who set it, first first."""
    out: dict[str, list[Mark]] = {}
    for m in sorted(marks, key=lambda m: (m.at, m.user)):
        people = out.setdefault(m.verdict, [])
        if all(p.user != m.user for p in people):
            people.append(m)
    return {v: out[v] for v in VERDICTS if v in out}


def mention(user: str) -> str:
    return f"<@{user}>" if _USER.match(user) else escape(user)


_WORDS = {
    "false_positive": "False positive: marked by {who} (this vendor named this way is no longer alerted)",
    "acknowledged": "Acknowledged by {who}",
    "investigating": "Investigating: {who}",
    "mute": "Incident muted by {who}: no more thread replies, only follow-ups",
}


def state_lines(marks: Iterable[Mark]) -> list[str]:
    """The state in words, with who set it: "Acknowledged by <@U123>"."""
    return [_WORDS[v].format(who=", ".join(mention(m.user) for m in people)) for v, people in verdicts(marks).items()]


def state_json(marks: Iterable[Mark]) -> dict[str, Any]:
    """The triage state for --json: the verdicts in force, and who set each and when."""
    found = verdicts(marks)
    return {
        "verdicts": list(found),
        "marks": [
            {"verdict": v, "user": m.user, "at": m.at, "via": "button" if m.reaction.startswith(BUTTON) else m.reaction}
            for v, people in found.items()
            for m in people
        ],
    }


def with_state(message: Message, lines: list[str], actions: dict[str, Any] | None = None) -> Message:
    """The alert as first posted, plus its triage state (and the buttons, when there are any)."""
    blocks = [b for b in message.blocks if b.get("block_id") not in (STATE_BLOCK_ID, ACTIONS_BLOCK_ID)]
    extra: list[dict[str, Any]] = []
    if lines:
        extra.append({**context("\n".join(lines)), "block_id": STATE_BLOCK_ID})
    if actions:
        extra.append(actions)
    # Room for the state (and buttons) within Block Kit's 50 blocks.
    blocks = blocks[: 50 - len(extra)] + extra
    text = message.text if not lines else f"{message.text}\n" + "\n".join(lines)
    return Message(text[:3000], tuple(blocks), message.console)


# ---------------------------------------------------------------------- buttons (Socket Mode)

ACTIONS_BLOCK_ID = "monitor_triage"
BUTTON_LABELS = (
    ("false_positive", "False positive", "danger"),
    ("acknowledged", "Acknowledge", "primary"),
    ("investigating", "Investigating", None),
    ("mute", "Mute incident", None),
)


def buttons(ref: AlertRef) -> dict[str, Any]:
    """An actions block with one button per verdict; each button's value names the alert fully (the
    same identity as the message metadata), so a press on another instance's alert is ignored."""
    elements = []
    for verdict, label, style in BUTTON_LABELS:
        button: dict[str, Any] = {
            "type": "button",
            "action_id": f"triage_{verdict}",
            "text": {"type": "plain_text", "text": label},
            "value": f"{ref.alert_id}:{ref.instance}:{ref.payload_hash}:{verdict}",
        }
        if style:
            button["style"] = style
        elements.append(button)
    return {"type": "actions", "block_id": ACTIONS_BLOCK_ID, "elements": elements}


@dataclass(frozen=True, slots=True)
class Press:
    alert_id: int
    instance: str
    payload_hash: str
    verdict: str
    user: str


def press(payload: Any) -> Press | None:
    """A block_actions payload from Socket Mode -> the press it stands for, or None (not ours)."""
    if not isinstance(payload, dict) or payload.get("type") != "block_actions":
        return None
    user = str((payload.get("user") or {}).get("id") or "")
    for action in payload.get("actions") or []:
        if not isinstance(action, dict) or action.get("block_id") != ACTIONS_BLOCK_ID:
            continue
        parts = str(action.get("value") or "").split(":")
        if len(parts) != 4 or not parts[0].isdigit() or parts[3] not in VERDICTS or not _USER.match(user):
            continue
        return Press(int(parts[0]), parts[1], parts[2], parts[3], user)
    return None
