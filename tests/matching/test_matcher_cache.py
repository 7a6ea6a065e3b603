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


def test_the_first_run_goes_on_fetching_while_the_matcher_is_built(project, httpserver, monkeypatch):  # type: ignore[no-untyped-def]
    """The first run after vendors.csv changed builds the Matcher (~0.9 s for 10,000 vendors) on a thread
    while the other feeds are fetched, instead of stopping the fetching at the first feed's body; every
    feed is still decided with the new register."""
    import threading

    from werkzeug import Response

    from monitor.pipeline import workers

    reports = {
        "/okta": Entry("Okta confirms breach of its support system", "https://n.example/o", "Files were stolen."),
        "/box": Entry("Box discloses data breach after intrusion", "https://n.example/b", "Customer data stolen."),
        "/ly": Entry("LY Corporation data breach: user data leaked", "https://n.example/l", "Data leaked."),
    }
    served: list[str] = []
    all_served = threading.Event()

    def serve(path: str):  # type: ignore[no-untyped-def]
        def handler(_request):  # type: ignore[no-untyped-def]
            served.append(path)
            if len(served) == len(reports):
                all_served.set()
            return Response(rss2([reports[path]]), content_type="application/rss+xml")

        return handler

    for path in reports:
        httpserver.expect_request(path).respond_with_handler(serve(path))
    # One request at a time to the host: a fetching stopped for the build would leave the others unasked.
    project.configure([{"name": p.strip("/"), "url": httpserver.url_for(p)} for p in reports], limits={"per_host": 1})
    built_after_all_feeds: list[bool] = []
    build = workers._cache_matcher

    def build_once_all_feeds_are_fetched(vendors, ref):  # type: ignore[no-untyped-def]
        built_after_all_feeds.append(all_served.wait(10))
        return build(vendors, ref)

    monkeypatch.setattr(workers, "_cache_matcher", build_once_all_feeds_are_fetched)
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert built_after_all_feeds == [True]  # built once, while the feeds were fetched
    assert result.stdout.count("=== ") == 3  # each feed's report alerted: decided with the Matcher
    for vendor in ("Okta Inc.", "Box Inc.", "LY Corporation"):
        assert vendor in result.stdout
    assert len(list(project.root.glob("monitor.db.matcher-*.pickle"))) == 1


def test_a_matcher_build_that_fails_loses_no_report(project, httpserver, monkeypatch):  # type: ignore[no-untyped-def]
    """A bug in building the Matcher is each waiting source's error, as a bug in deciding is: the run
    goes on, nothing is stored as seen, and the next run alerts the reports."""
    from monitor.pipeline import workers

    okta = Entry("Okta confirms breach of its support system", "https://n.example/o", "Files were stolen.")
    httpserver.expect_request("/f").respond_with_data(rss2([okta]), content_type="application/rss+xml")
    project.configure([{"name": "news", "url": httpserver.url_for("/f")}])
    build = workers._cache_matcher

    def broken(vendors, ref):  # type: ignore[no-untyped-def]
        raise RuntimeError("injected bug in the Matcher")

    monkeypatch.setattr(workers, "_cache_matcher", broken)
    failed = project.run("run", "--once")
    assert "injected bug in the Matcher" in failed.stderr and "Traceback" not in failed.output
    assert "=== " not in failed.stdout
    monkeypatch.setattr(workers, "_cache_matcher", build)
    again = project.run("run", "--once")
    assert again.exit_code == 0, again.output
    assert again.stdout.count("=== ") == 1 and "Okta Inc." in again.stdout
