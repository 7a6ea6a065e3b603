"""Issue 21: behaviours that `make mutants` showed no test was guarding (mutants that survived), written as
what a user would notice. Some are masked end to end by a second line of defence (the articles table's
unique keys also stop a duplicate), so they are checked at the public function that owns the rule."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import Project

from monitor.sources.dedupe import canonical_link, new_items, title_key
from monitor.sources.parse import Item
from monitor.storage.article_store import known_keys
from monitor.storage.store import read_only

# ---------------------------------------------------------------------- dedupe: one identity per article


@pytest.mark.parametrize(
    "a, b",
    [
        ("http://news.example/story?id=7", "https://www.news.example/story/?id=7&utm_source=x"),
        ("https://news.example:443/story", "https://news.example/story"),
        ("http://news.example:80/story", "http://news.example/story"),
        ("https://news.example/story#comments", "https://news.example/story"),
    ],
)
def test_same_article_same_link_identity(a: str, b: str) -> None:
    assert canonical_link(a) == canonical_link(b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("https://a.example/story", "https://b.example/story"),  # another site
        ("https://news.example/story-1", "https://news.example/story-2"),  # another page
        ("https://news.example:8443/story", "https://news.example/story"),  # another port
        ("https://news.example:81/story", "https://news.example:80/story"),
        ("https://news.example:79/story", "https://news.example/story"),
        ("https://news.example:442/story", "https://news.example/story"),
        ("https://news.example:444/story", "https://news.example/story"),
        ("https://news.example/view?id=1&draft=", "https://news.example/view?id=1"),  # a blank parameter counts
        ("https://news.example/app#/notice/1", "https://news.example/app#/notice/2"),  # single-page-app routes
    ],
)
def test_different_articles_keep_different_link_identities(a: str, b: str) -> None:
    assert canonical_link(a) != canonical_link(b)


def test_a_link_urllib_cannot_split_is_kept_as_given() -> None:
    for url in ("http://[::1/feed", "https://news.example:99999/x", ""):
        assert canonical_link(url) == url


def test_a_short_title_identifies_an_article_only_together_with_its_link() -> None:
    ten, nine = "Notice 123", "Notice 12"  # 10 and 9 characters once folded
    assert title_key("src", ten, "a") == title_key("src", ten, "b")
    assert title_key("src", nine, "a") != title_key("src", nine, "b")
    assert title_key("src", "A long enough title", "a") != title_key("other", "A long enough title", "a")


def _item(title: str, link: str) -> Item:
    return Item(title=title, link=link)


class Known:
    """The stored keys, as the store's batched lookup returns them; records what was asked."""

    def __init__(self, links: set[str] = frozenset(), titles: set[str] = frozenset()):  # type: ignore[assignment]
        self.links, self.titles = set(links), set(titles)
        self.asked: list[tuple[list[str], list[str]]] = []

    def __call__(self, link_keys: list[str], title_keys: list[str]) -> tuple[set[str], set[str]]:
        self.asked.append((link_keys, title_keys))
        return self.links & set(link_keys), self.titles & set(title_keys)


def test_an_item_stored_before_under_its_link_or_its_title_is_not_new() -> None:
    stored_link = canonical_link("https://news.example/a")
    stored_title = title_key("src", "Okta confirms breach of support system", "")
    known = Known({stored_link}, {stored_title})
    items = [
        _item("An edited title for the same article", "https://www.news.example/a/?utm_source=rss"),
        _item("Okta confirms breach of support system", "https://news.example/moved"),
        _item("A new article about something else", "https://news.example/b"),
    ]
    fresh, shared = new_items("src", items, False, known)
    assert [f[0].title for f in fresh] == ["A new article about something else"]
    assert fresh[0][1:] == (
        canonical_link("https://news.example/b"),
        title_key("src", "A new article about something else", ""),
    )
    assert shared is False
    [(links, titles)] = known.asked
    assert sorted(links) == sorted(canonical_link(i.link) for i in items)
    assert len(titles) == 3 and all(t.startswith("src\x1f") for t in titles)


def test_items_without_a_link_are_looked_up_by_title_only() -> None:
    known = Known()
    fresh, _ = new_items(
        "src",
        [_item("A report without any link", ""), _item("A report with its own link", "https://news.example/x")],
        False,
        known,
    )
    assert len(fresh) == 2
    [(links, titles)] = known.asked
    assert links == [canonical_link("https://news.example/x")] and len(titles) == 2


def test_a_link_shared_by_two_items_identifies_neither() -> None:
    """A leak-site group page: two victims on one page are two items, not one."""
    group = "https://tracker.example/group/lockbit"
    known = Known({canonical_link(group)})
    fresh, shared = new_items(
        "src",
        [_item("Victim one listed by the group", group), _item("Victim two listed by the group", group)],
        False,
        known,
    )
    assert [f[0].title for f in fresh] == ["Victim one listed by the group", "Victim two listed by the group"]
    assert all(f[1] == "" for f in fresh) and shared is True


def test_a_source_of_shared_links_never_uses_links_as_identity() -> None:
    known = Known({canonical_link("https://tracker.example/a")})
    fresh, shared = new_items(
        "src", [_item("Victim listed on the tracker page", "https://tracker.example/a")], True, known
    )
    assert len(fresh) == 1 and fresh[0][1] == "" and shared is False


def test_a_repeated_item_in_one_fetch_is_kept_once_and_the_rest_still_read() -> None:
    items = [
        _item("Okta confirms breach of support system", "https://news.example/a"),
        _item("Okta confirms breach of support system", "https://news.example/a2"),
        _item("A later article in the same feed", "https://news.example/c"),
    ]
    fresh, _ = new_items("src", items, False, Known())
    assert [f[0].link for f in fresh] == ["https://news.example/a", "https://news.example/c"]


def _db(path: Path, links: list[str], titles: list[str]) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, link_key TEXT, title_key TEXT)")
    conn.executemany("INSERT INTO articles (link_key, title_key) VALUES (?, ?)", zip(links, titles, strict=True))
    conn.commit()
    return conn


def test_a_large_batch_finds_every_stored_key(tmp_path: Path) -> None:
    links = [f"news.example/{i}" for i in range(1200)]
    titles = [f"src\x1ftitle number {i}" for i in range(1200)]
    conn = _db(tmp_path / "m.db", links + [""], titles + ["src\x1fno link"])
    found_links, found_titles = known_keys(conn, links + ["news.example/new", ""], titles + ["src\x1fnew"])
    assert found_links == set(links) and found_titles == set(titles)


def test_the_workers_lookup_connection_never_creates_or_writes_the_database(tmp_path: Path) -> None:
    missing = tmp_path / "monitor.db"
    with pytest.raises(sqlite3.OperationalError):
        read_only(missing).execute("SELECT 1 FROM articles")
    assert list(tmp_path.iterdir()) == []
    _db(missing, ["a"], ["t"]).close()
    conn = read_only(missing)
    assert conn.execute("SELECT link_key FROM articles").fetchall() == [("a",)]
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("INSERT INTO articles (link_key) VALUES ('b')")


# ---------------------------------------------------------------------- fetch policy: refusals a user reads


LONG = "x" * 300


@pytest.mark.parametrize(
    "url, reason",
    [
        (f"https://news.example/{LONG} tail", "whitespace or backslash in URL"),
        (f"ftp://news.example/{LONG}", "scheme 'ftp' is not http(s)"),
        (f"https://user:pw@news.example/{LONG}", "credentials in URL"),
        (f"https:///{LONG}", "no host"),
        (f"http://leaks.onion/{LONG}", ".onion address"),
        (f"http://news.example:99999/{LONG}", "bad port"),
        (f"http://news.example:8080/{LONG}", "port 8080 (only 80, 443 for feed links)"),
    ],
)
def test_a_refused_link_is_quoted_up_to_200_characters_with_the_reason(url: str, reason: str) -> None:
    from monitor.errors import BlockedURL
    from monitor.sources.fetch import check_link_shape

    with pytest.raises(BlockedURL) as info:
        check_link_shape(url)
    assert str(info.value) == f"refused link {url[:200]!r}: {reason}"


def test_a_link_is_pinned_to_the_first_address_after_every_address_was_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio
    import socket

    from monitor.errors import BlockedURL
    from monitor.sources.fetch import resolve_public

    answers = {"two.example": ["93.184.216.34", "93.184.216.35"], "mixed.example": ["93.184.216.34", "10.0.0.7"]}

    async def getaddrinfo(self, host, port, **kwargs):  # type: ignore[no-untyped-def]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in answers[host]]

    monkeypatch.setattr(asyncio.BaseEventLoop, "getaddrinfo", getaddrinfo)
    assert asyncio.run(resolve_public("two.example", 443, allow_private=False)) == "93.184.216.34"
    with pytest.raises(BlockedURL, match="resolves to non-public address 10.0.0.7"):
        asyncio.run(resolve_public("mixed.example", 443, allow_private=False))
    assert asyncio.run(resolve_public("mixed.example", 443, allow_private=True)) == "93.184.216.34"


# ---------------------------------------------------------------------- config: what the README promises


def _readme_yaml_block(first_key: str) -> dict[str, object]:
    import yaml

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```yaml\n")[1:]]
    for b in blocks:
        if b.startswith(f"{first_key}:") or f"\n{first_key}:" in b:
            doc = yaml.safe_load(b)
            if isinstance(doc, dict) and isinstance(doc.get(first_key), dict):
                return doc[first_key]  # type: ignore[no-any-return]
    raise AssertionError(f"no yaml block with {first_key}: in README.md")


def test_the_defaults_are_the_values_the_readme_shows() -> None:
    from monitor.config import HealthConfig, LimitsConfig, parse_duration

    limits, health = LimitsConfig(), HealthConfig()
    for key, shown in _readme_yaml_block("limits").items():
        value = getattr(limits, key)
        expected = parse_duration(shown) if isinstance(shown, str) else shown
        assert value == expected, f"limits.{key}: default {value}, README shows {shown}"
    for key, shown in _readme_yaml_block("health").items():
        assert getattr(health, key) == shown, f"health.{key}"


@pytest.mark.parametrize("text, seconds", [("500ms", 0.5), ("2d", 172800), ("90", 90), ("1.5m", 90)])
def test_durations_in_every_unit(text: str, seconds: float) -> None:
    from monitor.config import parse_duration

    assert parse_duration(text) == pytest.approx(seconds)


def test_digest_hour_takes_every_hour_of_the_day(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    source = [{"name": "News", "url": httpserver.url_for("/feed")}]
    for hour, ok in ((0, True), (23, True), (24, False)):
        project.configure(source, slack={"digest": "daily", "digest_hour": hour})
        result = project.run("check")
        assert (result.exit_code == 0) is ok, (hour, result.output)
        if not ok:
            assert "digest_hour" in result.stderr


def test_linked_notices_are_fetched_only_when_the_source_asks(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    from conftest import Entry, rss2

    httpserver.expect_request("/notice").respond_with_data("<p>notice</p>", content_type="text/html")
    item = Entry("A notice about something long enough", httpserver.url_for("/notice"), "", "n1", None)
    httpserver.expect_request("/feed").respond_with_data(rss2([item]), content_type="application/rss+xml")
    project.configure([{"name": "News", "url": httpserver.url_for("/feed"), "allow_private_links": True}])
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert [r.path for r, _ in httpserver.log] == ["/feed"]


def test_a_yaml_syntax_error_names_its_line_key_and_first_problem(project: Project) -> None:
    project.config_path.write_text("sources:\n  - name: a\n    url: [http://x\n", encoding="utf-8")
    result = project.run("check")
    assert result.exit_code == 2
    [line] = [ln for ln in result.stderr.splitlines() if "YAML syntax error" in ln]
    assert line.startswith("error: feeds.yaml:") and "\n" not in line


def test_a_missing_config_file_is_one_line_naming_it(project: Project) -> None:
    result = project.run("check")
    assert result.exit_code == 2
    assert "feeds.yaml: file not found (use --config or $MONITOR_CONFIG)" in result.stderr
    assert "Traceback" not in result.output


def test_selectors_are_checked_at_load_and_kept_as_written() -> None:
    from monitor.config import check_selector

    assert check_selector(None) is None
    assert check_selector("div.news-text a@href") == "div.news-text a@href"
    assert check_selector("@href") == "@href"  # the item's own attribute: no CSS part to compile
    with pytest.raises(ValueError) as info:
        check_selector("ul..li")
    message = str(info.value)
    assert message.startswith("'ul..li' is not a valid CSS selector (Malformed") and "\n" not in message


def test_a_source_without_a_name_does_not_hide_later_duplicates(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    url = httpserver.url_for("/feed")
    project.configure([{"url": url}, {"name": "A", "url": url}, {"name": "A", "url": url}])
    result = project.run("check")
    assert result.exit_code == 2
    assert "sources[0].name: missing" in result.stderr
    assert "sources[2].name: duplicate 'A'" in result.stderr


def test_a_failure_threshold_of_one_alerts_on_the_first_failure(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    source = [{"name": "News", "url": httpserver.url_for("/feed")}]
    project.configure(source, health={"failure_threshold": 1})
    assert project.run("check").exit_code == 0
    project.configure(source, health={"failure_threshold": 0})
    assert project.run("check").exit_code == 2


def test_feeds_yaml_up_to_one_megabyte_is_read_and_one_byte_more_is_refused(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    project.configure([{"name": "News", "url": httpserver.url_for("/feed")}])
    base = project.config_path.read_bytes()
    pad = 1024 * 1024 - len(base) - 1
    project.config_path.write_bytes(base + b"#" + b"x" * (pad - 1) + b"\n")
    assert project.config_path.stat().st_size == 1024 * 1024
    assert project.run("check").exit_code == 0
    project.config_path.write_bytes(base + b"#" + b"x" * pad + b"\n")
    result = project.run("check")
    assert result.exit_code == 2
    assert "feeds.yaml: larger than 1 MB, the limit for a configuration file" in result.stderr


def test_a_config_path_that_cannot_be_read_is_one_line(project: Project) -> None:
    project.config_path.mkdir()
    result = project.run("check")
    assert result.exit_code == 2
    assert f"{project.config_path}: cannot read (Is a directory)" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("value", [0, "0s", -0.5, "-1s", True])
def test_a_duration_must_be_more_than_zero(value: object) -> None:
    from monitor.config import parse_duration

    with pytest.raises(ValueError):
        parse_duration(value)


def test_a_pause_may_be_zero() -> None:
    from monitor.config import parse_duration

    assert parse_duration("0s", allow_zero=True) == 0
    with pytest.raises(ValueError, match="greater than zero"):
        parse_duration(-0.5, allow_zero=True)


def test_feeds_yaml_not_in_utf8_is_one_line_with_the_offset(project: Project) -> None:
    project.config_path.write_bytes("sources:\n  - name: caf\u00e9\n".encode("latin-1"))
    result = project.run("check")
    assert result.exit_code == 2
    assert "feeds.yaml: not valid UTF-8 (byte offset 22)" in result.stderr
