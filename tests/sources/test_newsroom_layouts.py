"""Issue 16, "tests and scale": twelve vendors' newsrooms in twelve realistic layouts (Japanese and
English, UTF-8 and Shift_JIS, relative and absolute links, HTML and PDF notices, a feed, an advertised
feed, a page that is itself one notice), written for this test and served from 127.0.0.1, driven through
`monitor run --once` from vendors.csv alone (`sources: []`) into the Slack stand-in.

Shown here together, as a team adding newsroom URLs would see it: each breach notice is alerted to
its own vendor (though it says only 当社 / "our company"), product news, results, holidays, personnel
changes and policy pages are stored and not alerted, old notices are stored and not alerted, and a
notice published later is alerted once."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from conftest import Entry, Project, atom, bot_env, rss2
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

TODAY = datetime.now(UTC).date()


def day(n: int) -> date:
    return TODAY - timedelta(days=n)


# The date formats newsrooms write (issue 16).
def dot(d: date) -> str:
    return f"{d.year}.{d.month:02d}.{d.day:02d}"


def slash(d: date) -> str:
    return f"{d.year}/{d.month}/{d.day}"


def kanji(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def reiwa(d: date) -> str:
    return f"令和{d.year - 2018}年{d.month}月{d.day}日"


def english(d: date) -> str:
    return d.strftime("%B ") + f"{d.day}, {d.year}"


def dmy(d: date) -> str:
    return f"{d.day} " + d.strftime("%b %Y")


def iso(d: date) -> str:
    return d.isoformat()


OLD = date(2021, 3, 2)  # years ago: stored, never alerted
MONTHS_AGO = 60  # days: outside the 14-day alert window


def cjk_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text is any Unicode (Japanese included): a Type0 font with Identity-H codes
    equal to the code points, and a ToUnicode CMap saying so (how a PDF keeps its text extractable)."""
    used = sorted({ord(c) >> 8 for line in lines for c in line})
    ranges = [f"<{h:02X}00> <{h:02X}FF> <{h:02X}00>" for h in used]
    blocks = "".join(
        f"{len(ranges[i : i + 100])} beginbfrange\n" + "\n".join(ranges[i : i + 100]) + "\nendbfrange\n"
        for i in range(0, len(ranges), 100)
    )
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        + blocks
        + "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    text = b" ".join(b"<" + line.encode("utf-16-be").hex().upper().encode() + b"> Tj T*" for line in lines)
    content = b"BT /F1 11 Tf 56 780 Td 16 TL " + text + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /KozMinPr6N-Regular /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /KozMinPr6N-Regular "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# ---------------------------------------------------------------------------------------- notices

JA_BREACH = (
    "<html><head><meta charset='utf-8'><title>{t}</title></head><body><header><a href='/'>トップ</a></header>"
    "<main><h1>{t}</h1><p>このたび、当社サーバーが第三者による不正アクセスを受け、お客様の氏名、住所、電話番号等の"
    "個人情報が外部に流出した可能性があることが判明いたしました。お客様には多大なるご迷惑とご心配をおかけしますことを"
    "深くお詫び申し上げます。現在、外部専門家の協力のもと調査を進めております。</p></main></body></html>"
)
JA_RANSOM = (
    "<html><head><meta charset='utf-8'></head><body><main><h1>{t}</h1><p>当社グループの一部サーバーが"
    "ランサムウェアによるサイバー攻撃を受け、システム障害が発生しております。お客様情報を含むデータが暗号化され、"
    "一部が外部に漏えいした可能性があります。関係者の皆様に深くお詫び申し上げます。</p></main></body></html>"
)
EN_BREACH = (
    "<html><head><title>{t}</title></head><body><main><h1>{t}</h1><p>Our company has identified that an "
    "unauthorized third party gained access to one of our servers, and personal information of customers, "
    "including names and email addresses, may have been exfiltrated. We have notified law enforcement and "
    "sincerely apologize for the concern this data breach causes.</p></main></body></html>"
)
JA_PLAIN = (
    "<html><head><meta charset='utf-8'></head><body><main><h1>{t}</h1><p>平素より格別のご高配を賜り、"
    "厚く御礼申し上げます。{t}について、下記のとおりお知らせいたします。今後ともよろしくお願い申し上げます。"
    "</p></main></body></html>"
)
EN_PLAIN = (
    "<html><head><title>{t}</title></head><body><main><h1>{t}</h1><p>We are pleased to share this "
    "announcement with our customers, partners and shareholders. More details are available from our "
    "investor relations team.</p></main></body></html>"
)


@pytest.fixture
def site(httpserver: HTTPServer) -> Site:
    return Site(httpserver)


class Site:
    """Every vendor's pages on one 127.0.0.1 server; pages are regenerated on each request, so a test
    can publish a new notice between runs."""

    def __init__(self, httpserver: HTTPServer):
        self.httpserver = httpserver
        self.pages: dict[str, Callable[[], tuple[bytes, str]]] = {}
        self.fetched: list[str] = []
        httpserver.expect_request("/robots.txt").respond_with_data("", status=404)  # none: all allowed

    def page(self, path: str, body: Callable[[], tuple[bytes, str]]) -> None:
        self.pages[path] = body

        def serve(request: Request) -> Response:
            self.fetched.append(request.path)
            data, ctype = self.pages[request.path]()
            return Response(data, content_type=ctype)

        self.httpserver.expect_request(path).respond_with_handler(serve)

    def html(self, path: str, text: str, charset: str = "utf-8", header_charset: bool = True) -> None:
        ctype = f"text/html; charset={charset}" if header_charset else "text/html"
        self.page(path, lambda: (text.encode(charset), ctype))

    def url(self, path: str) -> str:
        return self.httpserver.url_for(path)


# ------------------------------------------------------------------------------------ the layouts
# Each returns (vendors.csv row, {breach title alerted on the first poll}, {title stored, not alerted}).


def dl_list(s: Site, news: list[tuple[date, str, str]]) -> None:
    """1. Aflac: お知らせ as dl/dt/dd (a category dd before the title's), 2024.06.05 dates, links relative to the page, nav and footer dated."""

    def page() -> tuple[bytes, str]:
        # Each dt followed by a category dd, then the dd with the link.
        rows = "".join(
            f"<dt>{dot(d)}</dt><dd class='cat'><span>{'重要' if n == 0 else 'お知らせ'}</span></dd>"
            f"<dd class='ttl'><a href='{h}'>{t}</a></dd>"
            for n, (d, t, h) in enumerate(news)
        )
        doc = (
            "<!DOCTYPE html><html lang='ja'><head><meta charset='utf-8'><title>お知らせ｜アフラック</title></head>"
            f"<body><nav class='gnav'><ul><li><span>{dot(day(0))}</span><a href='/renew/'>サイトリニューアル</a></li>"
            f"<li><span>{dot(day(1))}</span><a href='/maint/'>メンテナンス情報</a></li></ul></nav>"
            f"<div id='contents'><h1>お知らせ</h1><dl class='news-list'>{rows}</dl></div>"
            f"<footer><a href='/privacy/'>プライバシーポリシー</a> 最終更新 {dot(day(0))}</footer></body></html>"
        )
        return doc.encode(), "text/html; charset=utf-8"

    s.page("/aflac/corp/news/", page)


def layouts(s: Site) -> tuple[list[str], set[tuple[str, str]], set[tuple[str, str]], dict[str, Any]]:
    """Serve every layout; (vendors.csv rows, alerted (vendor, title), stored-only (vendor, title), state)."""
    rows: list[str] = []
    alerted: set[tuple[str, str]] = set()
    quiet: set[tuple[str, str]] = set()
    state: dict[str, Any] = {}

    def vendor(name: str, aliases: str, path: str) -> None:
        rows.append(f'"{name}",{aliases},,high,<@U0SEC>,{s.url(path)}')

    # 1. dl/dt/dd/dd, UTF-8, dot dates, relative links; a vague title whose linked notice tells the breach.
    a = "Aflac Life Insurance Japan"
    aflac_news = [
        (day(1), "重要なお知らせ", "2026/notice01.html"),
        (day(4), "年末年始の営業について", "2026/holiday.html"),
        (day(6), "役員の異動に関するお知らせ", "2026/officers.html"),
        (OLD, "当社業務委託先における不正アクセスについて", "2021/incident.html"),
    ]
    state["aflac"] = aflac_news
    dl_list(s, aflac_news)
    s.html("/aflac/corp/news/2026/notice01.html", JA_BREACH.format(t="重要なお知らせ"))
    s.html("/aflac/corp/news/2026/holiday.html", JA_PLAIN.format(t="年末年始の営業について"))
    s.html("/aflac/corp/news/2026/officers.html", JA_PLAIN.format(t="役員の異動"))
    s.html("/aflac/corp/news/2021/incident.html", JA_BREACH.format(t="不正アクセス"))
    vendor(a, "アフラック|Aflac", "/aflac/corp/news/")
    alerted.add((a, "重要なお知らせ"))
    quiet |= {
        (a, "年末年始の営業について"),
        (a, "役員の異動に関するお知らせ"),
        (a, "当社業務委託先における不正アクセスについて"),
    }

    # 2. ul/li with date spans, Shift_JIS (declared only in the page), 2024/6/5 dates, absolute links,
    # the breach notice a Japanese PDF.
    z = "Zurich Insurance Japan"
    items = [
        (slash(day(2)), "お客様情報に関するお知らせ", s.url("/zurich/news/pdf/notice.pdf")),
        (slash(day(3)), "新商品「スーパー自動車保険」発売のお知らせ", s.url("/zurich/news/product.html")),
        (slash(day(5)), f"{day(5).year}年度 第2四半期決算について", s.url("/zurich/news/pdf/results.pdf")),
        (slash(day(MONTHS_AGO)), "ランサムウェア被害に関するお詫び", s.url("/zurich/news/old.html")),
    ]
    lis = "".join(f"<li><span class='date'>{d}</span> <a href='{h}'>{t}</a></li>" for d, t, h in items)
    s.html(
        "/zurich/news/",
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=Shift_JIS'><title>ニュース</title>"
        f"</head><body><div id='header'><a href='/'>ホーム</a></div><ul class='news'>{lis}</ul>"
        "<div id='footer'>Copyright チューリッヒ</div></body></html>",
        charset="shift_jis",
        header_charset=False,
    )
    s.page(
        "/zurich/news/pdf/notice.pdf",
        lambda: (
            cjk_pdf(
                [
                    "お客様情報の漏えいに関するお詫びとお知らせ",
                    "当社が業務を委託する事業者のサーバーが不正アクセスを受け、",
                    "お客様の氏名、証券番号等の個人情報が外部に流出したことが判明しました。",
                    "お客様に多大なるご迷惑をおかけしますことを深くお詫び申し上げます。",
                ]
            ),
            "application/pdf",
        ),
    )
    s.page(
        "/zurich/news/pdf/results.pdf",
        lambda: (cjk_pdf(["第2四半期決算の概要", "経常収益は前年同期比で増加しました。"]), "application/pdf"),
    )
    s.html("/zurich/news/product.html", JA_PLAIN.format(t="新商品の発売"))
    s.html("/zurich/news/old.html", JA_RANSOM.format(t="ランサムウェア被害"))
    vendor(z, "チューリッヒ保険|チューリッヒ", "/zurich/news/")
    alerted.add((z, "お客様情報に関するお知らせ"))
    quiet |= {(z, t) for _, t, _ in items[1:]}

    # 3. A table with 令和 dates, links relative to the parent folder.
    j = "JCOM Co., Ltd."
    trs = [
        (reiwa(day(1)), "ランサムウェア被害の発生について（第1報）", "../release/r1.html"),
        (reiwa(day(7)), "個人情報保護方針改定のお知らせ", "../release/policy.html"),
        (reiwa(day(8)), "決算短信〔日本基準〕（連結）", "../release/tanshin.html"),
        (reiwa(date(2020, 5, 7)), "当社サーバーへの不正アクセスについて", "../release/2020.html"),
    ]
    table = "".join(f"<tr><td class='day'>{d}</td><td><a href='{h}'>{t}</a></td></tr>" for d, t, h in trs)
    s.html(
        "/jcom/news/list/",
        "<html><head><meta charset='utf-8'></head><body><div class='breadcrumb'><a href='/'>TOP</a> &gt; "
        f"ニュースリリース</div><table class='newsTable'><tbody>{table}</tbody></table></body></html>",
    )
    s.html("/jcom/news/release/r1.html", JA_RANSOM.format(t="ランサムウェア被害の発生について"))
    s.html("/jcom/news/release/policy.html", JA_PLAIN.format(t="個人情報保護方針の改定"))
    s.html("/jcom/news/release/tanshin.html", JA_PLAIN.format(t="決算短信"))
    s.html("/jcom/news/release/2020.html", JA_BREACH.format(t="不正アクセス"))
    vendor(j, "JCOM|ジェイコム", "/jcom/news/list/")
    alerted.add((j, "ランサムウェア被害の発生について（第1報）"))
    quiet |= {(j, t) for _, t, _ in trs[1:]}

    # 4. English article cards with <time datetime>, absolute links.
    o = "Okta Inc."
    okta_news = [
        (day(2), "Update on our security incident", "/okta/newsroom/security-update"),
        (day(3), "Introducing passwordless sign-in for every workforce", "/okta/newsroom/passwordless"),
        (day(9), "Fourth quarter and fiscal year results", "/okta/newsroom/q4-results"),
        (date(2022, 3, 22), "Investigation of a third-party support engineer's laptop", "/okta/newsroom/2022"),
    ]
    state["okta"] = okta_news

    def okta_page() -> tuple[bytes, str]:
        cards = "".join(
            f"<article class='card'><time datetime='{iso(d)}'>{english(d)}</time>"
            f"<h3><a href='{s.url(h)}'>{t}</a></h3><p>Read more about this announcement.</p></article>"
            for d, t, h in state["okta"]
        )
        doc = (
            "<!DOCTYPE html><html lang='en'><head><title>Newsroom | Okta</title></head><body>"
            "<header><nav><a href='/okta/'>Products</a> <a href='/okta/newsroom/'>Newsroom</a></nav></header>"
            f"<main><h1>Newsroom</h1><section class='news'>{cards}</section></main>"
            "<footer><a href='/okta/privacy-policy/'>Privacy Policy</a></footer></body></html>"
        )
        return doc.encode(), "text/html; charset=utf-8"

    s.page("/okta/newsroom/", okta_page)
    s.html("/okta/newsroom/security-update", EN_BREACH.format(t="Update on our security incident"))
    s.html("/okta/newsroom/passwordless", EN_PLAIN.format(t="Passwordless"))
    s.html("/okta/newsroom/q4-results", EN_PLAIN.format(t="Results"))
    s.html("/okta/newsroom/2022", EN_BREACH.format(t="Investigation"))
    vendor(o, "Okta", "/okta/newsroom/")
    alerted.add((o, "Update on our security incident"))
    quiet |= {(o, t) for _, t, _ in okta_news[1:]}

    # 5. A WordPress archive ("June 5, 2024" and <time datetime>), a sidebar of recent posts; the
    # breach notice an English PDF.
    p = "Progress Software"
    wp = [
        (day(1), "Notice of data security incident", "/progress/wp-content/uploads/notice.pdf"),
        (day(4), "Appointment of Chief Financial Officer", "/progress/2026/cfo/"),
        (day(6), "Office closed for the holidays", "/progress/2026/holidays/"),
        (date(2023, 6, 1), "MOVEit Transfer vulnerability: what we know", "/progress/2023/moveit/"),
    ]
    posts = "".join(
        f"<article class='post type-post status-publish hentry'><header class='entry-header'>"
        f"<h2 class='entry-title'><a href='{h}' rel='bookmark'>{t}</a></h2><div class='entry-meta'><span "
        f"class='posted-on'><a href='{h}'><time class='entry-date published' datetime='{iso(d)}T09:00:00+00:00'>"
        f"{english(d)}</time></a></span></div></header></article>"
        for d, t, h in wp
    )
    side = "".join(f"<li><a href='{h}'>{t}</a> <span class='post-date'>{english(d)}</span></li>" for d, t, h in wp)
    s.html(
        "/progress/news/",
        "<html><head><title>News – Progress</title></head><body class='archive category'>"
        f"<div id='primary' class='content-area'><main id='main' class='site-main'>{posts}</main></div>"
        f"<aside id='secondary' class='widget-area'><section class='widget widget_recent_entries'><ul>{side}</ul>"
        "</section></aside><footer id='colophon'>Proudly powered by WordPress</footer></body></html>",
    )
    s.page(
        "/progress/wp-content/uploads/notice.pdf",
        lambda: (
            cjk_pdf(
                [
                    "Notice of Data Security Incident",
                    "We recently discovered that an unauthorized party accessed our file transfer environment",
                    "and exfiltrated files containing personal information of customers. We apologize.",
                ]
            ),
            "application/pdf",
        ),
    )
    s.html("/progress/2026/cfo/", EN_PLAIN.format(t="CFO"))
    s.html("/progress/2026/holidays/", EN_PLAIN.format(t="Holidays"))
    s.html("/progress/2023/moveit/", EN_BREACH.format(t="MOVEit"))
    vendor(p, "Progress", "/progress/news/")
    alerted.add((p, "Notice of data security incident"))
    quiet |= {(p, t) for _, t, _ in wp[1:]}

    # 6. A Japanese corporate CMS: each row a link wrapping date, category label and title.
    ly = "LINEヤフー"
    cms = [
        (day(2), "お知らせ", "当社サーバーへの不正アクセスについて", "/ly/ja/news/2026/a01/"),
        (day(3), "サービス", "一部サービスの提供終了について", "/ly/ja/news/2026/a02/"),
        (day(10), "IR", "自己株式の取得状況に関するお知らせ", "/ly/ja/news/2026/a03/"),
    ]
    anchors = "".join(
        f"<a class='c-newsList__item' href='{h}'><p class='c-newsList__date'>{kanji(d)}</p>"
        f"<p class='c-newsList__category'>{c}</p><p class='c-newsList__title'>{t}</p></a>"
        for d, c, t, h in cms
    )
    s.html(
        "/ly/ja/news/",
        "<html lang='ja'><head><meta charset='utf-8'></head><body><div class='l-header'><a href='/ly/'>LINEヤフー</a>"
        f"</div><div class='c-newsList'>{anchors}</div><div class='l-footer'><a href='/ly/ja/privacy/'>"
        "プライバシーポリシー</a></div></body></html>",
    )
    s.html("/ly/ja/news/2026/a01/", JA_BREACH.format(t="当社サーバーへの不正アクセスについて"))
    s.html("/ly/ja/news/2026/a02/", JA_PLAIN.format(t="一部サービスの提供終了"))
    s.html("/ly/ja/news/2026/a03/", JA_PLAIN.format(t="自己株式の取得状況"))
    vendor(ly, "LINEヤフー株式会社|LY Corporation", "/ly/ja/news/")
    alerted.add((ly, "当社サーバーへの不正アクセスについて"))
    quiet |= {(ly, "一部サービスの提供終了について"), (ly, "自己株式の取得状況に関するお知らせ")}

    # 7. A page advertising its RSS feed: the feed is polled instead of the page.
    i = "ISETOH Corporation"
    s.html(
        "/isetoh/news/",
        "<html><head><meta charset='utf-8'><link rel='alternate' type='application/rss+xml' "
        "href='/isetoh/news/feed/' title='お知らせ'></head><body><ul>"
        f"<li>{dot(day(30))} <a href='/isetoh/news/x.html'>お知らせ</a></li></ul></body></html>",
    )
    at = datetime.combine(day(1), datetime.min.time(), UTC) + timedelta(hours=9)
    feed = [
        Entry("ランサムウェア被害の発生について", s.url("/isetoh/news/r.html"), "当社は…", "i1", at),
        Entry("新工場の稼働開始について", s.url("/isetoh/news/f.html"), "当社は新工場…", "i2", at - timedelta(days=2)),
    ]
    s.page("/isetoh/news/feed/", lambda: (rss2(feed), "application/rss+xml"))
    s.html("/isetoh/news/r.html", JA_RANSOM.format(t="ランサムウェア被害の発生について"))
    s.html("/isetoh/news/f.html", JA_PLAIN.format(t="新工場の稼働開始"))
    vendor(i, "イセトー|株式会社イセトー", "/isetoh/news/")
    alerted.add((i, "ランサムウェア被害の発生について"))
    quiet.add((i, "新工場の稼働開始について"))

    # 8. The newsroom URL is an Atom feed.
    k = "KADOKAWA"
    at8 = datetime.combine(day(2), datetime.min.time(), UTC) + timedelta(hours=3)
    entries = [
        Entry("当社グループのデータセンターへのサイバー攻撃について", s.url("/kadokawa/n/1"), "", "k1", at8),
        Entry("新作タイトルの発売日決定のお知らせ", s.url("/kadokawa/n/2"), "", "k2", at8 - timedelta(days=1)),
        Entry("人事異動のお知らせ", s.url("/kadokawa/n/3"), "", "k3", at8 - timedelta(days=40)),
    ]
    s.page("/kadokawa/news.atom", lambda: (atom(entries), "application/atom+xml"))
    s.html("/kadokawa/n/1", JA_RANSOM.format(t="サイバー攻撃について"))
    s.html("/kadokawa/n/2", JA_PLAIN.format(t="新作タイトル"))
    s.html("/kadokawa/n/3", JA_PLAIN.format(t="人事異動"))
    vendor(k, "KADOKAWA|角川", "/kadokawa/news.atom")
    alerted.add((k, "当社グループのデータセンターへのサイバー攻撃について"))
    quiet |= {(k, "新作タイトルの発売日決定のお知らせ"), (k, "人事異動のお知らせ")}

    # 9. English div cards, "5 Dec 2024" dates, the title a heading and the link only "Read more"; a
    # vague title whose page tells the breach.
    n = "Northwind Payroll Ltd"
    cards = [
        (day(3), "Important notice to our customers", "/northwind/news/important-notice"),
        (day(4), "Full-year financial results", "/northwind/news/results"),
        (day(12), "New service centre opens in Osaka", "/northwind/news/osaka"),
    ]
    divs = "".join(
        f"<div class='news-item'><div class='news-date'>{dmy(d)}</div><h3 class='news-title'>{t}</h3>"
        f"<p>A short summary of the announcement.</p><a class='btn' href='{s.url(h)}'>Read more</a></div>"
        for d, t, h in cards
    )
    s.html(
        "/northwind/news/",
        "<html><head><title>News</title></head><body><div id='menu'><a href='/northwind/'>Home</a></div>"
        f"<div class='news-list'>{divs}</div><div class='sitemap'><a href='/northwind/sitemap'>Sitemap</a></div>"
        "</body></html>",
    )
    s.html("/northwind/news/important-notice", EN_BREACH.format(t="Important notice to our customers"))
    s.html("/northwind/news/results", EN_PLAIN.format(t="Results"))
    s.html("/northwind/news/osaka", EN_PLAIN.format(t="Osaka"))
    vendor(n, "Northwind Payroll", "/northwind/news/")
    alerted.add((n, "Important notice to our customers"))
    quiet |= {(n, "Full-year financial results"), (n, "New service centre opens in Osaka")}

    # 10. vendors.csv points at the お詫び page itself: the page is one notice.
    m = "Mitsuwa Denki"
    title10 = "不正アクセスによる個人情報漏えいに関するお詫びとお知らせ"
    s.html(
        "/mitsuwa/info/oshirase.html",
        f"<html><head><meta charset='utf-8'><title>{title10}</title></head><body><div id='header'>"
        f"<a href='/mitsuwa/'>ミツワ電機</a></div><main><h1>{title10}</h1><p class='date'>{kanji(day(1))}</p>"
        + JA_BREACH.format(t=title10).split("<main>")[1].split("</main>")[0].split("</h1>")[1]
        + "</main><footer>ミツワ電機株式会社</footer></body></html>",
    )
    vendor(m, "ミツワ電機", "/mitsuwa/info/oshirase.html")
    alerted.add((m, title10))

    # 11. An English IR table with ISO dates and PDF links, one a notice of a ransomware attack.
    t = "Tokyo Century Trading"
    ir = [
        (day(1), "Notice regarding ransomware attack", "/tct/ir/pdf/notice.pdf"),
        (day(2), "Notice of year-end dividend", "/tct/ir/pdf/dividend.pdf"),
        (day(6), "Change of Representative Director", "/tct/ir/pdf/director.pdf"),
    ]
    trs11 = "".join(f"<tr><th>{iso(d)}</th><td><a href='{h}'>{ti}</a> (PDF)</td></tr>" for d, ti, h in ir)
    s.html(
        "/tct/ir/",
        f"<html><head><title>IR news</title></head><body><table class='ir'><tbody>{trs11}</tbody></table></body></html>",
    )
    s.page(
        "/tct/ir/pdf/notice.pdf",
        lambda: (
            cjk_pdf(
                [
                    "Notice regarding ransomware attack",
                    "Our company's servers were hit by a ransomware attack, and customer data was encrypted and",
                    "may have been leaked. We deeply apologize to our customers and business partners.",
                ]
            ),
            "application/pdf",
        ),
    )
    s.page("/tct/ir/pdf/dividend.pdf", lambda: (cjk_pdf(["Year-end dividend of 40 yen per share."]), "application/pdf"))
    s.page("/tct/ir/pdf/director.pdf", lambda: (cjk_pdf(["Change of Representative Director."]), "application/pdf"))
    vendor(t, "Tokyo Century Trading", "/tct/ir/")
    alerted.add((t, "Notice regarding ransomware attack"))
    quiet |= {(t, "Notice of year-end dividend"), (t, "Change of Representative Director")}

    # 12. A Shift_JIS corporate CMS (charset in the HTTP header), div rows with p.date / p.title, a
    # Shift_JIS notice page.
    y = "Yamabiko Logistics"
    rows12 = [
        (kanji(day(2)), "弊社サーバへの不正アクセスに関するお詫び", "topics/0001.html"),
        (kanji(day(5)), "夏季休業のお知らせ", "topics/0002.html"),
        (kanji(day(9)), "代表取締役の異動に関するお知らせ", "topics/0003.html"),
    ]
    div12 = "".join(
        f"<div class='list-item'><p class='date'>{d}</p><p class='title'><a href='{h}'>{ti}</a></p></div>"
        for d, ti, h in rows12
    )
    s.html(
        "/yamabiko/",
        f"<html><head><title>トピックス</title></head><body><div class='topics'>{div12}</div></body></html>",
        charset="shift_jis",
    )
    s.html(
        "/yamabiko/topics/0001.html",
        JA_BREACH.format(t="弊社サーバへの不正アクセスに関するお詫び").replace(
            "charset='utf-8'", "charset='shift_jis'"
        ),
        charset="shift_jis",
    )
    s.html("/yamabiko/topics/0002.html", JA_PLAIN.format(t="夏季休業"), charset="shift_jis")
    s.html("/yamabiko/topics/0003.html", JA_PLAIN.format(t="代表取締役の異動"), charset="shift_jis")
    vendor(y, "やまびこ物流", "/yamabiko/")
    alerted.add((y, "弊社サーバへの不正アクセスに関するお詫び"))
    quiet |= {(y, "夏季休業のお知らせ"), (y, "代表取締役の異動に関するお知らせ")}

    return rows, alerted, quiet, state


def _setup(project: Project, site: Site, slack: Any) -> tuple[set[tuple[str, str]], set[tuple[str, str]], dict]:
    rows, alerted, quiet, state = layouts(site)
    project.vendors_path.write_text("name,aliases,domains,criticality,owner,newsroom\n" + "\n".join(rows) + "\n")
    project.configure([], alert_window=None)  # only newsrooms; the product's 14-day window
    project.env = bot_env(slack)
    return alerted, quiet, state


def _delivered(slack: Any) -> list[tuple[str, str]]:
    """(vendor the Slack message is about, the report's title) of every alert posted."""
    out = []
    for m in slack.messages:
        meta = (m.get("metadata") or {}).get("event_payload") or {}
        if meta.get("kind") == "article":
            out.append((meta["vendors"][0]["name"], m["text"]))
    return out


def _titles_by_vendor(project: Project) -> set[tuple[str, str]]:
    """(newsroom vendor, title) of every stored article."""
    return {
        (r["source"].rsplit(" newsroom", 1)[0], r["title"])
        for r in project.db().query("SELECT source, title FROM articles")
    }


def test_twelve_newsroom_layouts_alert_each_breach_notice_to_its_own_vendor_once(
    project: Project, site: Site, slack: Any
) -> None:
    alerted, quiet, state = _setup(project, site, slack)

    first = project.run("run", "--once")
    assert first.exit_code == 0, first.output
    sent = _delivered(slack)
    # Each vendor's breach notice, and nothing else, reached Slack, about that vendor.
    assert {v for v, _ in sent} == {v for v, _ in alerted}, first.output
    assert len(sent) == len(alerted), sent
    for vendor, title in alerted:
        assert any(v == vendor and title in text for v, text in sent), (vendor, title, sent)
    # Product news, results, holidays, personnel changes, policy pages and old notices: stored, not alerted.
    stored = _titles_by_vendor(project)
    assert alerted | quiet <= stored, sorted((alerted | quiet) - stored)
    assert not [(v, t) for v, t in quiet for w, text in sent if v == w and t in text]
    # Navigation, footer and sidebar links were no notices.
    assert not {t for _, t in stored} & {
        "サイトリニューアル",
        "メンテナンス情報",
        "プライバシーポリシー",
        "Privacy Policy",
    }

    methods = {
        r["name"]: r["method"]
        for r in json.loads(project.run("sources", "check", "--json").stdout)
        if r.get("type") == "newsroom"
    }
    assert methods == {
        "Aflac Life Insurance Japan newsroom": "html",
        "Zurich Insurance Japan newsroom": "html",
        "JCOM Co., Ltd. newsroom": "html",
        "Okta Inc. newsroom": "html",
        "Progress Software newsroom": "html",
        "LINEヤフー newsroom": "html",
        "ISETOH Corporation newsroom": "advertised",
        "KADOKAWA newsroom": "feed",
        "Northwind Payroll Ltd newsroom": "html",
        "Mitsuwa Denki newsroom": "notice",
        "Tokyo Century Trading newsroom": "html",
        "Yamabiko Logistics newsroom": "html",
    }

    # Nothing new: nothing alerted again.
    again = project.run("run", "--once")
    assert again.exit_code == 0, again.output
    assert len(_delivered(slack)) == len(alerted)

    # A notice published later on two newsrooms is alerted once each.
    state["aflac"].insert(0, (day(0), "当社への不正アクセスによる情報流出について（第2報）", "2026/notice02.html"))
    site.html("/aflac/corp/news/2026/notice02.html", JA_BREACH.format(t="第2報"))
    state["okta"].insert(0, (day(0), "Okta confirms customer data stolen in support system breach", "/okta/nr/2"))
    site.html("/okta/nr/2", EN_BREACH.format(t="Customer data stolen"))
    third = project.run("run", "--once")
    assert third.exit_code == 0, third.output
    new = _delivered(slack)[len(alerted) :]
    assert sorted(v for v, _ in new) == ["Aflac Life Insurance Japan", "Okta Inc."], new
    fourth = project.run("run", "--once")
    assert fourth.exit_code == 0, fourth.output
    assert len(_delivered(slack)) == len(alerted) + 2


def test_two_newsroom_urls_are_two_sources_and_a_failing_one_raises_one_health_alert(
    project: Project, site: Site, slack: Any
) -> None:
    """vendors.csv `newsroom` takes several URLs (`|`); each is a source of its own, and one that
    keeps failing is alerted once in Slack like any source, naming the vendor's newsroom."""
    status = {"code": 200}
    listing = (
        "<html><body><ul>"
        f"<li>{dot(day(40))} <a href='/v/news/1.html'>新サービスのお知らせ</a></li>"
        f"<li>{dot(day(50))} <a href='/v/news/2.html'>年末年始休業のお知らせ</a></li></ul></body></html>"
    )
    site.page("/v/news/", lambda: (listing.encode(), "text/html; charset=utf-8"))
    site.httpserver.expect_request("/v/ir/").respond_with_handler(
        lambda request: Response(listing, status=status["code"], content_type="text/html; charset=utf-8")
    )
    project.vendors_path.write_text(
        "name,aliases,domains,criticality,owner,newsroom\n"
        f"Example Vendor,エグザンプル,,high,<@U0SEC>,{site.url('/v/news/')}|{site.url('/v/ir/')}\n"
    )
    project.configure([], health={"failure_threshold": 2}, alert_window=None)
    project.env = bot_env(slack)
    assert project.run("run", "--once").exit_code == 0
    names = {r["name"] for r in json.loads(project.run("status", "--json").stdout)}
    assert {"Example Vendor newsroom", "Example Vendor newsroom 2"} <= names

    status["code"] = 503
    for _ in range(3):
        assert project.run("run", "--once").exit_code == 0
    health = [m["text"] for m in slack.messages if "Source" in m["text"]]
    assert len(health) == 1 and health[0].startswith("⚠️ Source failing: Example Vendor newsroom 2"), health


def test_a_newsroom_is_due_hourly_while_feeds_keep_their_interval(project: Project, site: Site, slack: Any) -> None:
    """The daemon's schedule: a newsroom's default interval is 1 hour (feeds.yaml's `interval` is for
    its own sources), read from what `monitor run --once` stored."""
    from types import SimpleNamespace

    from monitor.config import load_config
    from monitor.matching.vendors import load_vendors
    from monitor.pipeline.daemon import due_sources
    from monitor.sources.newsroom import with_newsrooms
    from monitor.storage.store import Store

    listing = (
        f"<html><body><ul><li>{dot(day(40))} <a href='/v/1.html'>新サービスのお知らせ</a></li>"
        f"<li>{dot(day(50))} <a href='/v/2.html'>休業のお知らせ</a></li></ul></body></html>"
    )
    site.html("/v/news/", listing)
    site.page("/feed", lambda: (rss2([]), "application/rss+xml"))
    project.vendors_path.write_text(
        f"name,aliases,domains,criticality,owner,newsroom\nExample Vendor,,,high,,{site.url('/v/news/')}\n"
    )
    project.configure([{"name": "News", "url": site.url("/feed")}], interval="5m")
    assert project.run("run", "--once").exit_code == 0

    store = Store(project.db_path)
    try:
        config = with_newsrooms(load_config(project.config_path), load_vendors(project.vendors_path), store)
        driven = SimpleNamespace(store=store, config=config)
        now = datetime.now(UTC)
        assert [s.name for s in due_sources(driven, now + timedelta(minutes=10))] == ["News"]
        assert {s.name for s in due_sources(driven, now + timedelta(minutes=61))} == {"News", "Example Vendor newsroom"}
    finally:
        store.close()
