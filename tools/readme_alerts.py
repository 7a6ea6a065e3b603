"""The README's pictures of alerts, drawn from the Block Kit the code builds.

    .venv/bin/python tools/readme_alerts.py           # print the three drawings
    .venv/bin/python tools/readme_alerts.py --write   # put them into README.md between their markers

It runs `monitor demo` (offline, a throwaway database) and draws, as text, the message posted for the
demo's LINEヤフー report, the follow-up posted in its thread, and the Okta alert as it reads after
triage in Slack (the daemon's buttons, and the state line a reaction or a press adds, from the same
functions the triage read-back uses). tests/cli/test_readme_alerts.py fails when README.md and the code
disagree: run this with --write after changing how alerts look.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parents[1] / "README.md"
BAR = "┃"
_DATE = re.compile(r"<!date\^[^|>]*\|([^>]*)>")  # Slack's date token; clients that cannot show it use the text

# Which demo report each drawing shows, and the triage drawn on the third.
NEW, FOLLOW_UP, TRIAGED = "demo:ja-lineyahoo", "demo:ja-lineyahoo-2", "demo:en-okta"
TRIAGE = (("white_check_mark", "U0ALICE", "acknowledged"), ("eyes", "U0BOB", "investigating"))


def _text(mrkdwn: str) -> str:
    return _DATE.sub(r"\1", mrkdwn)


def _block_lines(block: dict[str, Any]) -> Iterator[str]:
    kind = block.get("type")
    if kind == "header":
        yield block["text"]["text"]
    elif kind == "section":
        if "text" in block:
            yield from _text(block["text"]["text"]).splitlines()
        for f in block.get("fields", []):
            name, _, value = _text(f["text"]).partition("\n")
            yield f"{name}: {value.replace(chr(10), ' ')}"
    elif kind == "context":
        for element in block.get("elements", []):
            for line in _text(element.get("text", "")).splitlines():
                yield f"  {line}"
    elif kind == "actions":
        yield "  ".join(f"[ {e['text']['text']} ]" for e in block.get("elements", []))
    elif kind == "divider":
        yield "───"
    else:
        raise ValueError(f"no drawing for a {kind!r} block: add it to tools/readme_alerts.py")


def draw(blocks: Any) -> str:
    """A message's blocks as text: one paragraph per block, each line behind a bar."""
    lines: list[str] = []
    for block in blocks:
        if lines:
            lines.append("")
        lines += list(_block_lines(block))
    return "\n".join(f"{BAR} {line}".rstrip() for line in lines)


def drawings() -> dict[str, str]:
    """{marker name: drawing} for the three README examples."""
    from monitor.alerting.slack import AlertRef, Message
    from monitor.alerting.triage import Mark, buttons, state_lines, with_state
    from monitor.demo import run_demo

    result = run_demo(None)
    alerts = {a.guid: a for a in result.alerts}
    okta = alerts[TRIAGED]
    marks = [Mark(okta.alert_id, reaction, user, verdict) for reaction, user, verdict in TRIAGE]
    # As the daemon updates it: the state in words with who set it, and the buttons (Socket Mode).
    triaged = with_state(
        Message(okta.text, okta.blocks, okta.console),
        state_lines(marks),
        buttons(AlertRef(okta.alert_id, "instance", "hash")),
    )
    return {
        "new": draw(alerts[NEW].blocks),
        "follow-up": draw(alerts[FOLLOW_UP].blocks),
        "triaged": draw(triaged.blocks),
    }


def _marked(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- alert:{re.escape(name)} -->\n```text\n)(.*?)(\n```\n<!-- /alert:{re.escape(name)} -->)", re.S
    )


def in_readme(text: str) -> dict[str, str]:
    """The drawings README.md shows now, by marker name."""
    out = {}
    for name in ("new", "follow-up", "triaged"):
        m = _marked(name).search(text)
        if m:
            out[name] = m.group(2)
    return out


def write(text: str, drawn: dict[str, str]) -> str:
    for name, body in drawn.items():
        pattern = _marked(name)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no <!-- alert:{name} --> block")
        text = pattern.sub(lambda m, b=body: m.group(1) + b + m.group(3), text)
    return text


def main(argv: list[str]) -> None:
    drawn = drawings()
    if "--write" in argv:
        README.write_text(write(README.read_text(encoding="utf-8"), drawn), encoding="utf-8")
        return
    for name, body in drawn.items():
        print(f"--- {name}\n{body}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
