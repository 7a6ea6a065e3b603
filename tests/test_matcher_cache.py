"""The built Matcher is cached beside the database and rebuilt when vendors.csv changes."""

from __future__ import annotations

from conftest import Entry, rss2


def test_cache_follows_vendors_csv(project, httpserver):  # type: ignore[no-untyped-def]
    first = [Entry("Okta confirms breach of its support system", "https://n.example/1",
                   "Attackers stole customer files.")]
    httpserver.expect_oneshot_request("/f").respond_with_data(rss2(first), content_type="application/rss+xml")
    project.configure([{"name": "news", "url": httpserver.url_for("/f")}])
    assert project.run("run", "--once").stdout.count("=== ") == 1
    caches = sorted(project.root.glob("monitor.db.matcher-*.pickle"))
    assert len(caches) == 1 and (caches[0].stat().st_mode & 0o777) == 0o600

    # A vendor added to the register matches on the next run: the cache must not hide it.
    with project.vendors_path.open("a", encoding="utf-8") as f:
        f.write("Acme Widgets Ltd,Acme Widgets,acme-widgets.example,high,,,\n")
    second = first + [Entry("Acme Widgets hit by ransomware, data stolen", "https://n.example/2",
                            "Acme Widgets confirmed the attack.")]
    httpserver.expect_oneshot_request("/f").respond_with_data(rss2(second), content_type="application/rss+xml")
    out = project.run("run", "--once").stdout
    assert out.count("=== ") == 1 and "Acme Widgets Ltd" in out
    after = sorted(project.root.glob("monitor.db.matcher-*.pickle"))
    assert len(after) == 1 and after != caches  # rebuilt, and the stale one removed
