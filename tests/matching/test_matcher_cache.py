"""The validated register and the Matcher built from it are cached beside the database, and
rebuilt when vendors.csv changes."""

from __future__ import annotations

from conftest import Entry, rss2


def test_cache_follows_vendors_csv(project, httpserver):  # type: ignore[no-untyped-def]
    first = [
        Entry("Okta confirms breach of its support system", "https://n.example/1", "Attackers stole customer files.")
    ]
    httpserver.expect_oneshot_request("/f").respond_with_data(rss2(first), content_type="application/rss+xml")
    project.configure([{"name": "news", "url": httpserver.url_for("/f")}])
    assert project.run("run", "--once").stdout.count("=== ") == 1
    caches = sorted(project.root.glob("monitor.db.matcher-*.pickle"))
    assert len(caches) == 1 and (caches[0].stat().st_mode & 0o777) == 0o600
    registers = sorted(project.root.glob("monitor.db.vendors-*.pickle"))
    assert len(registers) == 1 and (registers[0].stat().st_mode & 0o777) == 0o600

    # A vendor added to the register matches on the next run: the cache must not hide it.
    with project.vendors_path.open("a", encoding="utf-8") as f:
        f.write("Acme Widgets Ltd,Acme Widgets,acme-widgets.example,high,,,\n")
    second = first + [
        Entry(
            "Acme Widgets hit by ransomware, data stolen", "https://n.example/2", "Acme Widgets confirmed the attack."
        )
    ]
    httpserver.expect_oneshot_request("/f").respond_with_data(rss2(second), content_type="application/rss+xml")
    out = project.run("run", "--once").stdout
    assert out.count("=== ") == 1 and "Acme Widgets Ltd" in out
    after = sorted(project.root.glob("monitor.db.matcher-*.pickle"))
    assert len(after) == 1 and after != caches  # rebuilt, and the stale one removed
    assert len(list(project.root.glob("monitor.db.vendors-*.pickle"))) == 1


def test_cached_register_never_hides_a_broken_or_edited_vendors_csv(project, httpserver):  # type: ignore[no-untyped-def]
    """The cache is keyed by the file's bytes: an edit that breaks vendors.csv is refused with its line
    as if there were no cache, and a damaged cache file is validated again, not trusted."""
    httpserver.expect_request("/f").respond_with_data(rss2([]), content_type="application/rss+xml")
    project.configure([{"name": "news", "url": httpserver.url_for("/f")}])
    assert project.run("run", "--once").exit_code == 0
    good = project.vendors_path.read_text(encoding="utf-8")
    project.vendors_path.write_text(good + "Broken Vendor,,,extreme,,,\n", encoding="utf-8")
    broken = project.run("run", "--once")
    assert broken.exit_code == 2 and "criticality: 'extreme'" in broken.output and "Traceback" not in broken.output

    project.vendors_path.write_text(good, encoding="utf-8")
    (cache,) = project.root.glob("monitor.db.vendors-*.pickle")
    cache.write_bytes(b"not a pickle")
    assert project.run("run", "--once").exit_code == 0
    (cache,) = project.root.glob("monitor.db.vendors-*.pickle")
    assert cache.read_bytes() != b"not a pickle"  # validated again and rewritten
