"""Generated vendor newsroom pages for the bench's newsroom case: six layouts of Japanese and English
corporate sites (dl/dt/dd, ul/li with date spans, tables with 令和 dates, WordPress archives,
article/time, CMS anchor rows), each with the navigation, footer, scripts and styles real pages carry,
8 to 25 notices over three years, and one newsroom in ten with a recent incident notice."""

from __future__ import annotations

import random
from datetime import date, timedelta

TITLES_JA = [
    "新サービス提供開始のお知らせ",
    "2024年3月期 決算短信",
    "年末年始休業日のお知らせ",
    "人事異動に関するお知らせ",
    "役員の異動に関するお知らせ",
    "システムメンテナンスのお知らせ",
    "株主総会招集ご通知",
    "統合報告書を発行しました",
    "新製品の発売について",
    "事業所移転のお知らせ",
    "ゴールデンウィーク期間中の休業日のお知らせ",
    "価格改定のお知らせ",
]
TITLES_EN = [
    "Example Corp launches CloudSync 3.0",
    "Fourth quarter results",
    "Holiday office hours",
    "Appointment of Chief Financial Officer",
    "Annual report published",
    "New partnership announced",
    "Scheduled maintenance",
    "Sustainability report 2024",
    "Price revision notice",
    "Office relocation",
]
INCIDENT_JA = "当社サーバーへの不正アクセスによる個人情報漏えいに関するお詫びとお知らせ"
INCIDENT_EN = "Notice of Data Security Incident"
NOTICE = (
    "<html><head><meta charset='utf-8'><title>お知らせ</title></head><body><main><h1>お知らせ</h1>"
    "<p>平素より格別のご高配を賜り、厚く御礼申し上げます。本件についてお知らせいたします。</p></main></body></html>"
)
INCIDENT = (
    "<html><head><meta charset='utf-8'><title>お詫び</title></head><body><main><h1>重要なお知らせ</h1>"
    "<p>このたび、当社サーバーが第三者による不正アクセスを受け、お客様の個人情報が漏えいした可能性があることが"
    "判明いたしました。深くお詫び申し上げます。</p></main></body></html>"
)

_NAV = "".join(
    f'<li><a href="/{w}/">{t}</a></li>'
    for w, t in [
        ("company", "企業情報"),
        ("service", "サービス"),
        ("ir", "IR情報"),
        ("sustainability", "サステナビリティ"),
        ("recruit", "採用情報"),
        ("news", "ニュース"),
        ("contact", "お問い合わせ"),
        ("en", "English"),
    ]
    * 4
)
_STYLE = "<style>" + ".c{margin:0;padding:0}" * 200 + "</style>"
_SCRIPT = (
    "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
    + "gtag('js',new Date());" * 60
    + "</script>"
)


def _reiwa(d: date) -> str:
    return f"令和{d.year - 2018}年{d.month}月{d.day}日"


def _page(lang: str, title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{_STYLE}'
        f'{_SCRIPT}</head><body><header class="site-header"><div class="logo"><a href="/">Logo</a></div>'
        f'<nav class="gnav"><ul>{_NAV}</ul></nav></header>'
        f'<div class="breadcrumb"><a href="/">トップ</a> &gt; {title}</div>'
        f'<main id="contents"><h1>{title}</h1>{body}</main>'
        f'<aside class="sidebar"><h2>関連リンク</h2><ul>{_NAV[:600]}</ul></aside>'
        '<footer class="footer"><ul><li><a href="/privacy/">プライバシーポリシー</a></li>'
        '<li><a href="/terms/">ご利用条件</a></li><li><a href="/sitemap/">サイトマップ</a></li></ul>'
        '<p class="copyright">Copyright © Example Corporation. All rights reserved.</p></footer>'
        f"{_SCRIPT}</body></html>"
    )


def _rows(rng: random.Random, today: date, incident: bool, lang: str) -> list[tuple[date, str, str]]:
    n = rng.randint(8, 25)
    titles = TITLES_JA if lang == "ja" else TITLES_EN
    day = today - timedelta(days=rng.randint(20, 60))
    rows = []
    for k in range(n):
        rows.append((day, rng.choice(titles), f"/news/{day:%Y%m%d}-{k}.html"))
        day -= timedelta(days=rng.randint(10, 80))
    if incident:
        rows.insert(
            0,
            (
                today - timedelta(days=rng.randint(0, 6)),
                INCIDENT_JA if lang == "ja" else INCIDENT_EN,
                "/news/incident.html",
            ),
        )
    return rows


def page(i: int, today: date) -> str:
    rng = random.Random(i)
    layout = i % 6
    lang = "en" if layout in (3, 4) and i % 2 else "ja"
    rows = _rows(rng, today, i % 10 == 0, lang)
    if layout == 0:
        body = (
            '<dl class="news-list">'
            + "".join(f'<dt>{d:%Y.%m.%d}</dt><dd><a href="{h}">{t}</a></dd>' for d, t, h in rows)
            + "</dl>"
        )
    elif layout == 1:
        body = (
            '<ul class="news">'
            + "".join(
                f'<li><span class="date">{d.year}/{d.month}/{d.day}</span><span class="cat">お知らせ</span>'
                f'<a href="{h}">{t}</a></li>'
                for d, t, h in rows
            )
            + "</ul>"
        )
    elif layout == 2:
        body = (
            '<table class="ir"><tbody>'
            + "".join(f'<tr><td>{_reiwa(d)}</td><td><a href="{h}">{t}</a></td></tr>' for d, t, h in rows)
            + "</tbody></table>"
        )
    elif layout == 3:
        body = "".join(
            f'<article class="post"><header class="entry-header"><h2 class="entry-title"><a href="{h}">{t}</a></h2>'
            f'<time datetime="{d:%Y-%m-%d}T09:00:00+09:00">{d:%B} {d.day}, {d.year}</time></header>'
            f'<div class="entry-summary"><p>{t}.</p></div></article>'
            for d, t, h in rows
        )
    elif layout == 4:
        body = (
            '<div class="press">'
            + "".join(
                f'<article><time datetime="{d:%Y-%m-%d}">{d:%d %b %Y}</time><h3><a href="{h}">{t}</a></h3></article>'
                for d, t, h in rows
            )
            + "</div>"
        )
    else:
        body = (
            '<div class="newsList">'
            + "".join(
                f'<a class="newsItem" href="{h}"><span class="newsDate">{d.year}年{d.month}月{d.day}日</span>'
                f'<span class="newsTitle">{t}</span></a>'
                for d, t, h in rows
            )
            + "</div>"
        )
    return _page(lang, "ニュース" if lang == "ja" else "News", body)


def site_docs(hosts: list[str], today: date | None = None) -> dict[tuple[str, str], tuple[bytes, str]]:
    """(host, path) -> (body, content type); host "*" for the notices every site serves."""
    today = today or date.today()
    docs: dict[tuple[str, str], tuple[bytes, str]] = {}
    for i, host in enumerate(hosts):
        docs[(host, "/news/")] = (page(i, today).encode("utf-8"), "text/html; charset=utf-8")
        if i % 3 == 0:  # the rest have no robots.txt (404)
            docs[(host, "/robots.txt")] = (b"User-agent: *\nDisallow: /admin/\nDisallow: /cgi-bin/\n", "text/plain")
    docs[("*", "/news/incident.html")] = (INCIDENT.encode("utf-8"), "text/html; charset=utf-8")
    docs[("*", "notice")] = (NOTICE.encode("utf-8"), "text/html; charset=utf-8")  # any other /news/*.html
    return docs
