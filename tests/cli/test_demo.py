"""`monitor demo`: the bundled reports go through the real pipeline (feed server on 127.0.0.1, worker
pool, SQLite, console or Slack sender) and the expected vendors are alerted, the hard negatives not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml
from click.testing import CliRunner

from monitor.cli import cli

DEMO_DATA = Path(__file__).resolve().parents[2] / "monitor" / "demo_data"


def _cases() -> dict[str, dict]:
    return yaml.safe_load((DEMO_DATA / "cases.yaml").read_text(encoding="utf-8"))["cases"]


def test_demo_alerts_the_expected_vendors_and_lists_the_negatives_with_reasons() -> None:
    result = CliRunner().invoke(cli, ["demo", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    cases = _cases()
    alerted = {a["guid"]: a for a in out["alerts"]}
    skipped = {n["guid"]: n for n in out["not_alerted"]}
    assert set(alerted) | set(skipped) == set(cases) and out["reports"] == len(cases) >= 20
    for guid, case in cases.items():
        if case["alert"]:
            assert guid in alerted, f"{guid} ({case['case']}) was not alerted"
            assert set(alerted[guid]["vendors"]) == set(case["alert"])
            # The console has no threads: a later report of an incident already alerted waits for that
            # incident's summary of the day (alerting/incident_thread.py) instead of a second alert.
            later = guid in ("demo:ja-lineyahoo-2", "demo:en-aflac-zurich")
            assert alerted[guid]["state"] == ("collapsed" if later else "sent"), guid
        else:
            assert guid in skipped, f"hard negative {guid} ({case['case']}) was alerted"
            assert skipped[guid]["reason"] and skipped[guid]["case"] == case["case"]
    assert out["unexpected"] == []
    # The seed's cases, with the evidence an analyst sees.
    line = alerted["demo:ja-lineyahoo"]["console"]
    assert "fourth party: NAVER Cloud Corp. — supplier of LY Corporation" in line
    assert "why: LY Corporation: alias “LINEヤフー”" in line and "supply chain" in line
    assert "report 2" in alerted["demo:ja-lineyahoo-2"]["console"]  # the follow-up joins the incident
    assert alerted["demo:ja-isetoh"]["blocks"][0]["type"] == "header"  # the Block Kit the Slack sender posts
    # Reasons come from what the pipeline stored, not from the data set.
    assert skipped["demo:ja-nec-launch"]["reason"].startswith("not a breach report")
    assert "NEC Corporation" in skipped["demo:ja-nec-launch"]["reason"]
    assert "not as its subject" in skipped["demo:ja-mention"]["reason"]
    assert "names no vendor" in skipped["demo:en-zurich-uni"]["reason"]


def test_demo_text_output_shows_alerts_then_what_was_not_alerted() -> None:
    result = CliRunner().invoke(cli, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "=== Vendor's data exposed through its contractor: Aflac Life Insurance Japan" in text
    assert "=== Vendor's product exploited: Ivanti Inc." in text
    # Vendors playing different parts are headed each under its own part, as in the Slack header.
    assert (
        "=== Breach at vendor: LY Corporation · Vendor's data exposed through its contractor: NAVER Cloud Corp." in text
    )
    negatives = text.index("=== Not alerted")
    assert text.index("=== Vendor's product exploited: Ivanti Inc.") < negatives
    assert text.index("NEC、生成AIによる情報漏えい対策の新サービスを提供開始") > negatives
    assert "(demo case: 製品発表 (情報漏えい対策))" in text
    assert "25 reports from 2 feeds on 127.0.0.1" in text and "15 alerts" in text


def test_demo_reports_a_decision_that_differs_from_its_expectations(tmp_path: Path) -> None:
    """With the Aflac row gone from the register, the demo says the Aflac reports were not alerted
    (it checks the pipeline, it does not print the data set's expectations)."""
    rows = (DEMO_DATA / "vendors.csv").read_text(encoding="utf-8").splitlines()
    keep = tmp_path / "kept"
    result = CliRunner().invoke(cli, ["demo", "--json", "--keep", str(keep)], catch_exceptions=False)
    assert result.exit_code == 0
    assert (keep / "demo.db").exists() and (keep / "feeds.yaml").exists()  # --keep leaves a project to explore
    incidents = CliRunner().invoke(cli, ["--config", str(keep / "feeds.yaml"), "incidents", "--json"])
    assert any(i["vendor"] == "ISETOH Corporation" and i["reports"] == 2 for i in json.loads(incidents.stdout))
    # --vendors: your own register; expectations are not checked against it.
    own = tmp_path / "vendors.csv"
    own.write_text("\n".join(r for r in rows if not r.startswith("Aflac")) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["demo", "--json", "--vendors", str(own)], catch_exceptions=False)
    out = json.loads(result.stdout)
    assert result.exit_code == 0 and out["unexpected"] == []
    assert all("Aflac Life Insurance Japan" not in a["vendors"] for a in out["alerts"])
    assert any(n["guid"] == "demo:ja-aflac" for n in out["not_alerted"])


def test_demo_touches_no_network_beyond_loopback(tmp_path: Path) -> None:
    """Every process of the demo (this one and the parser workers) runs with a socket guard that
    records and refuses any connection or name lookup that is not to 127.0.0.1."""
    log = tmp_path / "outside.log"
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(
        textwrap.dedent(f"""
        import socket
        _LOG = {str(log)!r}
        _LOCAL = ("127.0.0.1", "localhost", "::1")

        def _refuse(what):
            with open(_LOG, "a") as f:
                f.write(repr(what) + "\\n")
            raise OSError("network access outside 127.0.0.1 refused by the test: %r" % (what,))

        _connect = socket.socket.connect
        def connect(self, address):
            if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in _LOCAL:
                _refuse(address)
            return _connect(self, address)
        socket.socket.connect = connect
        _getaddrinfo = socket.getaddrinfo
        def getaddrinfo(host, *args, **kwargs):
            if host not in _LOCAL and host is not None:
                _refuse(host)
            return _getaddrinfo(host, *args, **kwargs)
        socket.getaddrinfo = getaddrinfo
    """),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env["PYTHONPATH"] = os.pathsep.join([str(guard), env.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "demo"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "15 alerts" in proc.stdout
    assert not log.exists(), log.read_text()


def test_demo_slack_posts_through_the_bot_token(tmp_path: Path, slack) -> None:  # type: ignore[no-untyped-def]
    own = tmp_path / "vendors.csv"
    own.write_text(
        "name,aliases,domains,criticality,owner\nIvanti Inc.,Ivanti,ivanti.com,high,<@U0NET>\n", encoding="utf-8"
    )
    slack.tokens.add("xoxb-demo-test-token")  # the stand-in refuses tokens it was not given, as Slack does
    slack.add_channel("C0DEMO")
    env = {"SLACK_BOT_TOKEN": "xoxb-demo-test-token", "SLACK_API_URL": slack.url, "SLACK_CHANNEL": "C0DEMO"}
    result = CliRunner().invoke(cli, ["demo", "--slack", "--vendors", str(own)], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert [m["channel"] for m in slack.messages] == ["C0DEMO"]
    assert "Ivanti" in slack.messages[0]["text"]
    assert "→ sent (Slack channel C0DEMO)" in result.stdout
    assert "xoxb-demo-test-token" not in result.output


def test_demo_slack_without_a_token_says_what_is_missing() -> None:
    result = CliRunner().invoke(cli, ["demo", "--slack"])
    assert result.exit_code == 1
    assert "--slack needs SLACK_BOT_TOKEN" in result.output and "Traceback" not in result.output


def test_the_slack_app_manifest_asks_for_the_scopes_the_code_uses() -> None:
    manifest = yaml.safe_load((DEMO_DATA.parents[1] / "slack-app-manifest.yaml").read_text(encoding="utf-8"))
    assert set(manifest["oauth_config"]["scopes"]["bot"]) >= {"chat:write", "channels:history", "groups:history"}
    assert manifest["settings"]["socket_mode_enabled"] is True
