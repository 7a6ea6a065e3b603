"""Issue 14: incident identity over months of coverage. One event's reports (the attack, the outage,
第N報, the leak figures, the earnings hit, the final report, the English story) join one incident;
another kind of incident, a report saying 別件 / "another attack", or an attack dated elsewhere opens
a new one, and every decision says why. Examples are shaped like the jp-news items (short title +
machine-written summary)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest
from alert_support import Feed, morning
from conftest import Entry, shared_data

from monitor.alerting import incidents
from monitor.alerting.incidents import Candidate, Report, attack_dates, decide, facts
from monitor.matching import detect


def _r(title: str, summary: str, day: str) -> Report:
    return Report(title, f"{title}\n{summary}", morning(day))


NAMES = ("アサヒグループホールディングス", "アサヒグループhd", "アサヒghd", "アサヒ", "asahi")

# An incident whose coverage ran from the attack to the end of December.
ATTACK = Candidate(
    3,
    morning("2025-09-29"),
    morning("2025-12-28"),
    (
        _r(
            "アサヒGHDサイバー攻撃",
            "アサヒグループホールディングスは29日午前7時ごろサイバー攻撃を受けシステム障害が発生した。"
            "受注出荷業務が停止している。",
            "2025-09-29",
        ),
        _r(
            "アサヒシステム障害原因はランサムウェア",
            "9月29日に発生したシステム障害の原因をランサムウェア攻撃と発表した。",
            "2025-10-03",
        ),
        _r(
            "アサヒ情報流出191万件",
            "ランサムウェア集団Qilinの攻撃で顧客や従業員の個人情報191万4千件が流出した可能性を発表した。",
            "2025-11-27",
        ),
        _r(
            "アサヒGHDサイバー被害事業継続",
            "9月末のランサムウェア攻撃で受発注システムが約2カ月停止した。",
            "2025-12-28",
        ),
    ),
)


def test_attack_dates_are_read_from_the_text_with_the_year_inferred() -> None:
    assert attack_dates("9月29日午前7時ごろにランサムウエア攻撃を受け", date(2025, 10, 1)) == (
        frozenset({date(2025, 9, 29)}),
        frozenset({(2025, 9)}),
    )
    # Read in February 2026, September is last year's.
    assert attack_dates("９月２９日に発生したサイバー攻撃", date(2026, 2, 18))[0] == {date(2025, 9, 29)}
    assert attack_dates("Asahi was hit by a ransomware attack on September 29.", date(2025, 10, 3))[0] == {
        date(2025, 9, 29)
    }
    # A restart date or a sales month is not the attack's date.
    assert attack_dates("12月に再稼働し個人向け通販を2026年1月に再開予定である。", date(2025, 12, 17)) == (
        frozenset(),
        frozenset(),
    )
    assert attack_dates("10月の売上高は前年同月比で1割減少した。", date(2025, 11, 13)) == (frozenset(), frozenset())


def test_months_later_reports_that_refer_back_join_the_incident() -> None:
    # Quiet for 73 days; an earnings report that dates the attack to September.
    earnings = decide(
        _r(
            "アサヒグループ減益サイバー攻撃の影響",
            "2025年9月に発生したサイバー攻撃により第3四半期の最終利益が前年同期比で26.2パーセント減少した。",
            "2026-03-11",
        ),
        [ATTACK],
        NAMES,
    )
    assert (earnings.incident_id, earnings.reason) == (3, "follow-up; same attack month: 2025-09")
    # The final figures, in February, name the actor.
    final = decide(
        _r(
            "アサヒGHD情報漏洩11万件超",
            "Qilinによる攻撃で従業員や取引先の個人情報11万5513件の漏洩を確認した。",
            "2026-02-18",
        ),
        [ATTACK],
        NAMES,
    )
    assert final.incident_id == 3 and "same actor: qilin" in final.reason
    # A numbered report naming the kind, long after: 第N報 presupposes the first.
    assert (
        decide(
            _r("アサヒ、ランサムウェア被害の第8報", "被害状況の第8報を公表した。", "2026-04-20"), [ATTACK], NAMES
        ).reason
        == "follow-up referring back"
    )
    # A follow-up naming no kind at all refers to the vendor's incident.
    assert (
        decide(
            _r("アサヒGHD決算遅延", "決算発表がサイバー攻撃の影響で遅延した。", "2026-05-22"), [ATTACK], NAMES
        ).incident_id
        == 3
    )


def test_the_same_story_in_english_joins_by_its_figure() -> None:
    en = decide(
        _r(
            "Asahi says 1.9 million people's data may have leaked",
            "The brewer said personal data of 1.9 million customers and employees may have been exposed.",
            "2025-11-28",
        ),
        [ATTACK],
        NAMES,
    )
    assert en.incident_id == 3 and "same figure: 1,900,000" in en.reason


def test_reports_during_the_coverage_join_without_repeating_the_kind() -> None:
    outage = decide(
        _r("アサヒ工場見学中止", "社内システムの障害の影響で工場見学イベントを中止した。", "2025-10-03"),
        [ATTACK],
        NAMES,
    )
    assert outage.incident_id == 3 and "while #3's coverage runs" in outage.reason


def test_another_event_of_the_same_vendor_opens_a_new_incident_and_says_why() -> None:
    misdelivery = decide(
        _r(
            "アサヒ、メール誤送信で取引先のアドレス流出",
            "担当者がメールを誤送信し取引先のアドレスが閲覧できる状態になった。",
            "2025-11-05",
        ),
        [ATTACK],
        NAMES,
    )
    assert misdelivery.incident_id is None and "another kind of incident (misdelivery" in misdelivery.reason
    another = decide(
        _r("Asahi hit by another cyberattack", "The brewer reported another attack on its systems.", "2025-12-01"),
        [ATTACK],
        NAMES,
    )
    assert another.incident_id is None and "another event (“another cyberattack”)" in another.reason
    betsu = decide(
        _r("アサヒ、別件の不正アクセスを公表", "子会社のサーバーに不正アクセスがあった。", "2025-12-01"),
        [ATTACK],
        NAMES,
    )
    assert betsu.incident_id is None and "別件" in betsu.reason
    # A company whose April attack is investigated in September: not the vendor's September incident.
    april = decide(
        _r(
            "アサヒ、ランサムウェア被害の調査結果",
            "2025年4月に発生したランサムウェア攻撃の詳細調査を公表した。",
            "2025-10-10",
        ),
        [ATTACK],
        NAMES,
    )
    assert april.incident_id is None and "dated 2025-04" in april.reason
    # Half a year of quiet, then an attack that refers to nothing earlier.
    later = decide(
        _r("アサヒにランサムウェア攻撃 出荷停止", "ランサムウェア攻撃を受け出荷が停止した。", "2026-08-01"),
        [ATTACK],
        NAMES,
    )
    assert later.incident_id is None and "quiet for 216 days" in later.reason


def test_the_strongest_evidence_wins_between_two_incidents_of_one_vendor() -> None:
    loss = Candidate(
        4,
        morning("2025-11-01"),
        morning("2025-11-20"),
        (_r("アサヒ、社員がPCを紛失", "社員が顧客情報を含むノートPCを紛失した。", "2025-11-01"),),
    )
    d = decide(
        _r(
            "アサヒ、9月29日の攻撃の経路を公表",
            "9月29日に発生したランサムウェア攻撃の侵入経路を公表した。",
            "2025-11-25",
        ),
        [loss, ATTACK],
        NAMES,
    )
    assert d.incident_id == 3 and d.strength == 3
    d = decide(
        _r("アサヒ、紛失したPCの捜索続く", "紛失したノートPCは見つかっていない。", "2025-11-25"), [loss, ATTACK], NAMES
    )
    assert d.incident_id == 4


def test_one_follow_up_vocabulary() -> None:
    assert incidents.is_follow_up is detect.is_follow_up
    assert not hasattr(incidents, "FOLLOW_UP")
    assert facts(
        "村田製作所不正アクセス報告\n3月6日に公表した不正アクセスについて第三報を発表した。", date(2026, 4, 29)
    ).follow_up
    assert detect.assess("アスクル、ランサムウェア被害の第三報", "不正アクセスで情報が流出した。").follow_up


# ---------------------------------------------------------------------- through the CLI


def test_incidents_json_says_why_each_report_joined_or_opened(project, httpserver):  # type: ignore[no-untyped-def]
    a, b = Feed(httpserver, "/a", "Outlet A"), Feed(httpserver, "/b", "Outlet B")
    a.add(
        Entry(
            "LINEヤフーにランサムウェア攻撃 9月29日に発生",
            "https://a.example/1",
            "LINEヤフーは9月29日に発生したランサムウェア攻撃でシステムが停止したと発表した。",
            "a1",
            morning("2025-09-30"),
        ),
        # Two months later and a quiet gap: the earnings hit dates the attack to September.
        Entry(
            "LINEヤフー、減益 サイバー攻撃の影響",
            "https://a.example/2",
            "2025年9月に発生したサイバー攻撃の影響で四半期の利益が減少した。",
            "a2",
            morning("2025-12-10"),
        ),
    )
    b.add(
        Entry(
            "LINEヤフー、メール誤送信で顧客アドレス流出",
            "https://b.example/1",
            "LINEヤフーは顧客向けメールを誤送信し、アドレスが流出した。",
            "b1",
            morning("2025-10-05"),
        )
    )
    project.configure([a.source, b.source])
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    rows = json.loads(project.run("incidents", "--json").stdout)
    why = {r["title"]: r["linked_because"] for inc in rows for r in inc["articles"]}
    assert why["LINEヤフーにランサムウェア攻撃 9月29日に発生"] == "new incident: no recent incident of this vendor"
    assert why["LINEヤフー、減益 サイバー攻撃の影響"] == "follow-up; same attack month: 2025-09"
    assert why["LINEヤフー、メール誤送信で顧客アドレス流出"].startswith(
        "new incident: #1: another kind of incident (misdelivery; #1 is ransomware"
    )
    assert sorted(i["reports"] for i in rows) == [1, 2]


# ---------------------------------------------------------------------- a year of real coverage


def test_a_year_of_jp_news_gives_about_one_thread_per_incident(tmp_path: Path) -> None:
    data = shared_data("jp-news", "secnews_sample.jsonl")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import incident_replay

    store = incident_replay.replay(data, tmp_path)
    threads = {r[0]: r[1] for r in store.conn.execute("SELECT vendor, COUNT(*) FROM incidents GROUP BY vendor")}
    store.close()
    # Before issue 14: 70 threads for Asahi's one attack, 35 for ASKUL's, 132 in all for 8 incidents.
    assert threads["Asahi Group Holdings"] == 1 and threads["ASKUL Corporation"] == 1
    assert sum(threads.values()) <= 1.25 * sum(incident_replay.READER_COUNT.values())
    # Each vendor still gets at least its separate incidents counted by a reader... or close to it.
    assert all(threads.get(v, 0) >= n - 1 for v, n in incident_replay.READER_COUNT.items())


@pytest.fixture(autouse=True)
def _no_cache() -> None:
    incidents.facts.cache_clear()


# ---------------------------------------------------------------------- the labelled incident set


def test_labelled_incident_set_meets_the_targets() -> None:
    from monitor.eval.evaluate import EVAL_DIR, INCIDENT_TARGETS, evaluate_incidents, load_items

    items = load_items(EVAL_DIR / "incidents.jsonl", check=False)
    by_incident: dict[str, list[dict]] = {}
    for it in items:
        by_incident.setdefault(str(it["incident"]), []).append(it)
    assert len(items) >= 300 and len(by_incident) >= 40
    assert {it["lang"] for it in items} == {"ja", "en"}
    # Vendors with two separate incidents within a year, and coverage running over six months.
    vendors: dict[str, set[str]] = {}
    for it in items:
        vendors.setdefault(str(it["vendor"]), set()).add(str(it["incident"]))
    assert sum(len(v) > 1 for v in vendors.values()) >= 4
    spans = [
        date.fromisoformat(max(str(i["published"]) for i in its))
        - date.fromisoformat(min(str(i["published"]) for i in its))
        for its in by_incident.values()
    ]
    assert sum(s.days > 183 for s in spans) >= 10

    rep = evaluate_incidents()
    assert rep.threads_per_incident <= INCIDENT_TARGETS["threads_per_incident"], rep.lines()
    assert rep.wrongly_merged_rate <= INCIDENT_TARGETS["wrongly_merged"], rep.lines()
    # Target 0: every report about a breached vendor reaches Slack (it was 11 before reports below the
    # threshold were compared with running incidents, then 4: a headline whose 'report' is a verb read as
    # research, arrests that refer back to the attack, an arrest naming two vendors, 'Okta investigating
    # claims of breach' read as a responder).
    assert rep.never_alerted == [], rep.never_alerted


def test_monitor_eval_prints_incident_quality(project) -> None:  # type: ignore[no-untyped-def]
    r = project.run(
        "eval", "--json", "--companies", str(project.root / "none"), "--jp-news", str(project.root / "none.jsonl")
    )
    assert r.exit_code != 0  # an absent --jp-news is an error ...
    r = project.run("eval", "--companies", str(project.root / "none"))
    assert r.exit_code == 0, r.output
    assert "incident set: 300 reports about 51 incidents" in r.output
    assert "new threads per true incident" in r.output and "reports that never reach Slack" in r.output


def test_a_weak_report_on_a_running_incident_goes_into_its_thread(project, httpserver, slack):  # type: ignore[no-untyped-def]
    from conftest import bot_env

    a = Feed(httpserver, "/a", "Outlet A")
    a.add(
        Entry(
            "LINEヤフーにランサムウェア攻撃、個人情報が流出",
            "https://a.example/1",
            "LINEヤフーはランサムウェア攻撃を受け、利用者の個人情報が流出したと発表した。",
            "a1",
            morning("2025-09-30"),
        ),
        # Below the breach threshold on its own: an arrest, no breach vocabulary the detector weighs.
        Entry(
            "LINEヤフーの事件で容疑者を逮捕",
            "https://a.example/2",
            "警察は容疑者を逮捕した。",
            "a2",
            morning("2025-10-20"),
        ),
        # Names the vendor, speaks of no incident: not alerted.
        Entry(
            "LINEヤフー、新サービスを発表",
            "https://a.example/3",
            "新しいサービスの提供を開始した。",
            "a3",
            morning("2025-10-21"),
        ),
    )
    project.configure([a.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    first, arrest = slack.messages
    assert "thread_ts" not in first and arrest["thread_ts"] == first["ts"]
    assert "逮捕" in arrest["text"]
    rows = json.loads(project.run("incidents", "--json").stdout)
    assert [i["reports"] for i in rows] == [2]
