"""Issue 20, "a false positive hides real breaches": a wrong-vendor verdict suppresses the vendor only
named that way in that context; a not-a-breach verdict teaches detection and never suppresses the
vendor; the run counts what feedback withheld; the undo hint pastes back into a shell."""

from __future__ import annotations

import json
import shlex
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from alert_support import Feed, outbox
from conftest import VENDORS_CSV, Entry, bot_env

NOW = datetime.now(UTC) - timedelta(hours=1)
JITB = Entry(
    "Ransomware gang leaks files from Jack in the Box franchisee",
    "https://news.example/jitb",
    "The franchisee's customer data was posted on a leak site.",
    "1",
    NOW,
)
# A launch the detector still takes for an incident (countermeasure phrases such as 情報漏えい対策 no
# longer fool it): what an analyst labels "not a breach".
LAUNCH = Entry(
    "富士通、不正アクセスを受けた企業向けの調査サービスを開始", "https://news.example/fj-launch", "", "f1", NOW
)


@pytest.fixture
def feed(httpserver):  # type: ignore[no-untyped-def]
    return Feed(httpserver)


@pytest.fixture
def register(project):  # type: ignore[no-untyped-def]
    project.vendors_path.write_text(
        VENDORS_CSV + "富士通株式会社,富士通|Fujitsu,fujitsu.com,high,,,\n"
        "O'Reilly Media,O'Reilly,oreilly.com,high,,,\n",
        encoding="utf-8",
    )
    return project


def _first_alert(project, feed, slack, entry):  # type: ignore[no-untyped-def]
    feed.add(entry)
    project.configure([feed.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    [alert] = outbox(project)
    return alert


def test_wrong_vendor_inside_a_longer_name_does_not_silence_the_vendor(project, feed, slack):  # type: ignore[no-untyped-def]
    alert = _first_alert(project, feed, slack, JITB)
    result = project.run("feedback", str(alert["id"]), "--wrong-vendor", "--reason", "the burger chain")
    assert "suppressed: Box Inc. via “box” in “in the box franchisee”" in result.stderr

    feed.add(
        Entry("Box confirms breach, customer files stolen", "https://news.example/box", "", "2", NOW),
        Entry(
            "Ransomware gang leaks data of Jack in the Box franchisee staff",
            "https://news.example/jitb-2",
            "",
            "3",
            NOW,
        ),
    )
    run = project.run("run", "--once", env=bot_env(slack))
    # The real Box report alerts; the same mistake does not, and the run says so.
    assert len(slack.messages) == 2
    assert "Box confirms breach" in slack.messages[1]["text"]
    assert "1 suppressed by feedback" in run.stderr


def test_context_phrase_widens_a_wrong_vendor_verdict(project, feed, slack):  # type: ignore[no-untyped-def]
    alert = _first_alert(project, feed, slack, JITB)
    bad = project.run("feedback", str(alert["id"]), "--wrong-vendor", "--context", "burger chain")
    assert bad.exit_code == 1 and "must contain the matched text 'box'" in bad.output
    ok = project.run("feedback", str(alert["id"]), "--wrong-vendor", "--context", "Jack in the Box")
    assert "via “box” in “jack in the box”" in ok.stderr
    feed.add(
        Entry("Jack in the Box restaurants hit by ransomware", "https://news.example/jitb-r", "", "4", NOW),
        Entry("Box Inc. hacked, customer files leaked", "https://news.example/box-inc", "", "5", NOW),
    )
    run = project.run("run", "--once", env=bot_env(slack))
    assert len(slack.messages) == 2 and "Box Inc. hacked" in slack.messages[1]["text"]
    assert "1 suppressed by feedback" in run.stderr


def test_not_breach_teaches_detection_and_never_suppresses_the_vendor(register, feed, slack, tmp_path):  # type: ignore[no-untyped-def]
    project = register
    alert = _first_alert(project, feed, slack, LAUNCH)
    result = project.run("feedback", str(alert["id"]), "--not-breach", "--reason", "product launch")
    assert result.exit_code == 0, result.output
    assert "suppressed:" not in result.stderr and "labelled not a breach" in result.stderr
    assert json.loads(project.run("feedback", "list", "--json").stdout) == []  # no vendor suppressed

    feed.add(
        Entry(
            "富士通、不正アクセスを受けた企業向けの調査サービスを開始へ",
            "https://news.example/fj-launch-2",
            "",
            "f2",
            NOW,
        ),
        Entry("Fujitsu confirms ransomware attack", "https://news.example/fj-attack", "", "f3", NOW),
    )
    run = project.run("run", "--once", env=bot_env(slack))
    assert len(slack.messages) == 2 and "Fujitsu confirms ransomware attack" in slack.messages[1]["text"]
    assert "1 suppressed by feedback" in run.stderr

    # The label is exported as a labelled negative for the evaluation set.
    out = tmp_path / "negatives.jsonl"
    exported = project.run("eval", "--export-negatives", str(out))
    assert exported.exit_code == 0, exported.output
    [item] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert item["title"] == LAUNCH.title and item["breach"] is False and item["vendors"] == ["富士通株式会社"]
    assert item["lang"] == "ja" and item["note"] == "product launch"

    undo = project.run("feedback", "remove", "--not-breach", str(alert["id"]))
    assert undo.exit_code == 0 and "removed not-a-breach label" in undo.stderr


def test_false_positive_is_a_deprecated_alias_of_wrong_vendor(project, feed, slack):  # type: ignore[no-untyped-def]
    alert = _first_alert(project, feed, slack, JITB)
    result = project.run("feedback", str(alert["id"]), "--false-positive")
    assert result.exit_code == 0
    assert "--false-positive is deprecated and means --wrong-vendor" in result.stderr
    assert "recorded wrong vendor" in result.stderr
    [sup] = json.loads(project.run("feedback", "list", "--json").stdout)
    assert sup["context"] == "in the box franchisee"


def test_undo_hint_pastes_back_into_a_shell(register, feed, slack):  # type: ignore[no-untyped-def]
    project = register
    alert = _first_alert(
        project, feed, slack, Entry("O'Reilly Media confirms data breach", "https://news.example/or", "", "o1", NOW)
    )
    result = project.run("feedback", str(alert["id"]), "--wrong-vendor")
    [hint] = [line for line in result.stderr.splitlines() if "(undo: " in line]
    argv = shlex.split(hint.split("(undo: ", 1)[1].rstrip(")"))
    assert argv[:4] == ["monitor", "feedback", "remove", "O'Reilly Media"]
    undone = project.run(*argv[1:])
    assert undone.exit_code == 0, undone.output
    assert json.loads(project.run("feedback", "list", "--json").stdout) == []


def test_old_database_suppressions_get_their_context(project, feed, slack):  # type: ignore[no-untyped-def]
    alert = _first_alert(project, feed, slack, JITB)
    # The database as issue 6 left it: (vendor, matched) suppressed anywhere, schema version 4.
    conn = sqlite3.connect(project.db_path)
    conn.executescript(f"""
        DROP TABLE suppressions; DROP TABLE negatives;
        CREATE TABLE suppressions (vendor TEXT, matched TEXT, reason TEXT, alert_id INTEGER, created_at TEXT,
                                   PRIMARY KEY (vendor, matched));
        INSERT INTO suppressions VALUES ('Box Inc.', 'box', 'old verdict', {alert["id"]}, '2024-01-01T00:00:00Z');
        INSERT INTO suppressions VALUES ('Okta Inc.', 'okta', 'article gone', 999, '2024-01-01T00:00:00Z');
        PRAGMA user_version = 4;""")
    conn.close()
    rows = {r["vendor"]: r for r in json.loads(project.run("feedback", "list", "--json").stdout)}
    assert rows["Box Inc."]["context"] == "in the box franchisee" and rows["Box Inc."]["reason"] == "old verdict"
    assert rows["Okta Inc."]["context"] == "okta"  # nothing to read it from: the text anywhere, as before
    feed.add(Entry("Box confirms breach, customer files stolen", "https://news.example/box", "", "2", NOW))
    project.run("run", "--once", env=bot_env(slack))
    assert len(slack.messages) == 2 and "Box confirms breach" in slack.messages[1]["text"]
