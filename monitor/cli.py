"""The `monitor` command line: each command parses flags, calls one function, prints the result.

--json output goes to stdout; messages go to stderr. Heavy modules are imported
inside commands so that `monitor search` starts fast.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any, Callable

import click

EX_TEMPFAIL = 75


class State:
    def __init__(self, config: str | None, verbose: int):
        self.config_arg = config
        self.verbose = verbose
        self._config = None

    @property
    def config(self):  # type: ignore[no-untyped-def]
        if self._config is None:
            from .config import load_config
            from .locate import config_path

            self._config = load_config(config_path(self.config_arg))
        return self._config

    def vendors(self, cached: bool = False):  # type: ignore[no-untyped-def]
        """The validated register; `cached` keeps it beside the database for the next run."""
        from .vendors import load_vendors

        return load_vendors(self.config.vendors, self.config.database if cached else None)

    def store(self):  # type: ignore[no-untyped-def]
        from .store import Store

        return Store(self.config.database)


class _RedactSecrets(logging.Filter):
    """slack-sdk logs the webhook URL (the URL *is* the credential) with every request at DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        import os

        from .alert import redact

        message = record.getMessage()
        clean = redact(message)
        for name in ("SLACK_BOT_TOKEN", "SLACK_WEBHOOK_URL"):
            secret = os.environ.get(name, "").strip()
            if len(secret) >= 8:
                clean = clean.replace(secret, "[redacted]")
        if clean != message:
            record.msg, record.args = clean, ()
        return True


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpcore", "slack_sdk", "monitor.slack", "urllib3", "filelock"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING) if verbose < 3 else logging.DEBUG)
    # On the loggers that see secrets (records are redacted before any handler), and on every handler.
    redactor = _RedactSecrets()
    for name in ("monitor.slack", "slack_sdk", "urllib3", "httpx", "httpcore"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _RedactSecrets) for f in logger.filters):
            logger.addFilter(redactor)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, _RedactSecrets) for f in handler.filters):
            handler.addFilter(redactor)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _err(msg: str) -> None:
    click.echo(msg, err=True)


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """MonitorError -> a clear message and exit code; tracebacks only with -vv."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .alert import redact
        from .errors import ConfigError, LockTimeout, MonitorError

        ctx = click.get_current_context()
        verbose = ctx.find_object(State).verbose if ctx.find_object(State) else 0
        try:
            return fn(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except ConfigError as e:
            if verbose >= 2:
                raise
            for problem in e.problems:
                _err(f"error: {problem}")
            sys.exit(2)
        except LockTimeout as e:
            _err(f"error: {e}")
            sys.exit(EX_TEMPFAIL)
        except MonitorError as e:
            if verbose >= 2:
                raise
            raise click.ClickException(redact(str(e))) from None
        except KeyboardInterrupt:
            _err("interrupted")
            sys.exit(130)
        except Exception as e:  # a bug: say so in one line unless asked for the traceback
            if verbose >= 2:
                raise
            _err(f"error: unexpected {type(e).__name__}: {redact(str(e))[:300]} (run with -vv for the traceback)")
            sys.exit(1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--config", "config", metavar="FILE", help="feeds.yaml to use (default: $MONITOR_CONFIG, "
              "else ./feeds.yaml).")
@click.option("-v", "--verbose", count=True, help="More logging: -v info, -vv debug and tracebacks.")
@click.version_option(package_name="monitor")
@click.pass_context
def cli(ctx: click.Context, config: str | None, verbose: int) -> None:
    """Third-party breach news monitor.

    Polls breach news sources (feeds.yaml), recognises breach reports, matches the
    organisations they name against your vendor register (vendors.csv), alerts Slack,
    and keeps everything in SQLite for `monitor search`.

    \b
    Examples:
      monitor run --once                  # one poll; cron runs this every 15 minutes
      monitor search okta --breach-only   # what did we see about Okta?
      monitor match "株式会社イセトーにランサムウェア攻撃"
      monitor --config /etc/monitor/feeds.yaml status
    """
    _setup_logging(verbose)
    ctx.obj = State(config, verbose)


# ---------------------------------------------------------------------- run


@cli.command()
@click.option("--once", is_flag=True, help="Poll every source once, deliver alerts, and exit.")
@click.pass_obj
@handle_errors
def run(state: State, once: bool) -> None:
    """Poll the sources and alert on breach reports naming your vendors.

    Without --once, runs as a daemon: each source on its own interval (with jitter),
    failing sources backing off, until SIGTERM or SIGINT. Edits to feeds.yaml and
    vendors.csv are taken between cycles, once they validate. With --once, exits 0 after one
    full cycle even when some sources failed; failures are listed on stderr.

    \b
    Examples:
      monitor run --once
      */15 * * * *  cd /srv/monitor && .venv/bin/monitor run --once
    """
    from .parse import start_forkserver
    from .store import unconditional_sources

    cfg = state.config
    if unconditional_sources(cfg.database, [(s.name, s.url) for s in cfg.sources if s.enabled]):
        start_forkserver()
    from .pipeline import Monitor

    vendors = state.vendors(cached=True)
    sender = _sender(cfg)
    with state.store() as store:
        monitor = Monitor(cfg, vendors, store, sender)
        if once:
            _print_cycle(monitor.run_once(last=True))
        else:
            from .daemon import run_daemon

            run_daemon(monitor, reload=lambda: _reload(state))
    if once:
        # The interpreter's exit would run garbage collections that walk every object of the run (~70 ms
        # after 10,000 articles) to find no cycle holding anything to close: the database is closed and
        # the parser workers are stopping. (At exit, not here: under CliRunner this process goes on.)
        import atexit
        import gc

        atexit.register(gc.freeze)


def _sender(cfg: Any) -> Any:
    from .alert import sender_from_env
    from .errors import ConfigError

    sender = sender_from_env(cfg.slack.timeout, cfg.slack.max_retry_after)
    if sender.mode == "slack" and not any([cfg.slack.channel, cfg.slack.routes, _env("SLACK_CHANNEL")]):
        raise ConfigError(f"SLACK_BOT_TOKEN is set but no channel: set slack.channel in {cfg.path.name} "
                          "or SLACK_CHANNEL")
    return sender


def _reload(state: State) -> tuple[Any, Any, Any]:
    """The daemon's view of edited files: feeds.yaml and vendors.csv read and validated again."""
    from .config import load_config
    from .locate import config_path
    from .vendors import load_vendors

    cfg = load_config(config_path(state.config_arg))
    return cfg, load_vendors(cfg.vendors, cfg.database), _sender(cfg)


def _env(name: str) -> str:
    import os

    return os.environ.get(name, "")


def _print_cycle(report: Any) -> None:
    from .pipeline import items_skipped

    for s in report.sources:
        if s.error:
            _err(f"✗ {s.name}: {s.error}")
        elif s.not_modified:
            _err(f"· {s.name}: not modified")
        else:
            warn = f" ({s.warning})" if s.warning else ""
            skipped = f", {items_skipped(s.skipped)} ({s.skip_reason})" if s.skipped else ""
            _err(f"✓ {s.name}: {s.items} items, {s.new} new, {s.alerts} alerts{skipped}{warn}")
    for e in report.delivery.errors:
        _err(f"! {e}")
    _err(report.summary())


# ---------------------------------------------------------------------- search


@cli.command()
@click.argument("query")
@click.option("--vendor", metavar="NAME", help="Only articles matched to this registered vendor.")
@click.option("--since", metavar="YYYY-MM-DD", help="Only articles published on or after this date.")
@click.option("--breach-only", is_flag=True, help="Only articles judged to be breach reports.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.pass_obj
@handle_errors
def search(state: State, query: str, vendor: str | None, since: str | None, breach_only: bool, limit: int,
           as_json: bool) -> None:
    """Full-text search over every stored article (Japanese too).

    \b
    Examples:
      monitor search okta
      monitor search 不正アクセス --since 2024-01-01
      monitor search ransomware --vendor "LY Corporation" --breach-only --json
    """
    from datetime import date

    from .query import search as do_search

    if since:
        try:
            date.fromisoformat(since)
        except ValueError:
            raise click.BadParameter(f"{since!r} is not a date like 2024-06-05", param_hint="--since") from None
    from .locate import config_path, database_path
    from .query import open_for_reading

    conn = open_for_reading(database_path(config_path(state.config_arg)))
    try:
        rows = do_search(conn, query, vendor=vendor, since=since, breach_only=breach_only, limit=limit)
    finally:
        conn.close()
    from .query import SHORT_TERM_WINDOW, short_terms_only

    if short_terms_only(query):
        _err(f"note: terms under 3 characters are looked up in the newest {SHORT_TERM_WINDOW:,} articles only")
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        _err("no matching articles")
        return
    for r in rows:
        flag = "BREACH" if r["breach"] else "      "
        vendors = ", ".join(r["vendors"]) or "-"
        click.echo(f"{(r['published'] or '')[:10]}  {flag}  {r['source'][:20]:20}  {vendors[:30]:30}  {r['title']}")
        if r["url"]:
            click.echo(f"{'':12}{r['url']}")


# ---------------------------------------------------------------------- match


@cli.command()
@click.argument("text", required=False)
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the text from a file instead.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
@handle_errors
def match(state: State, text: str | None, file: Path | None, as_json: bool) -> None:
    """Show which vendors a text names, why, and the breach verdict.

    Use it to tune vendors.csv aliases. The first line of the text is read as the title.

    \b
    Examples:
      monitor match "NAVER Cloud社の委託先で不正アクセス"
      monitor match --file notice.txt --json
    """
    from dataclasses import asdict

    from .detect import assess
    from .match import Matcher

    if file is not None:
        text = file.read_text(encoding="utf-8", errors="replace")
    if not text:
        raise click.UsageError("give TEXT or --file")
    title, _, rest = text.strip().partition("\n")
    matcher = Matcher(state.vendors())
    matches = matcher.match({"title": title, "summary": rest})
    verdict = assess(title, rest)
    if as_json:
        _echo_json({"breach": verdict.breach, "score": verdict.score, "terms": list(verdict.terms),
                    "supply_chain": verdict.supply_chain, "follow_up": verdict.follow_up,
                    "matches": [asdict(m) for m in matches]})
        return
    click.echo(f"breach: {'yes' if verdict.breach else 'no'} (score {verdict.score:g}; "
               f"terms: {', '.join(verdict.terms) or 'none'})")
    if verdict.supply_chain:
        click.echo("supply chain: yes (contractor / 委託先 named)")
    if not matches:
        click.echo("vendors: none")
    for m in matches:
        score = "" if m.score >= 100 else f" score {m.score:g}"
        click.echo(f"vendor: {m.vendor}  via {m.how} “{m.matched}” as “{m.surface}” in {m.field}{score}")


# ---------------------------------------------------------------------- eval


def _shared_data(*parts: str) -> Path:
    return Path(__file__).resolve().parents[1].parent.joinpath("shared", "data", *parts)


@cli.command("eval")
@click.option("--companies", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Folder of company lists registered as distractor vendors (default: ../shared/data/companies).")
@click.option("--jp-news", "jp_news", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Also score this jp-news JSONL (default: ../shared/data/jp-news/secnews_sample.jsonl when present).")
@click.option("--sample", default=300, show_default=True, type=click.IntRange(1, 100000),
              help="How many jp-news organisations to register as vendors.")
@click.option("--errors", is_flag=True, help="Also list every item scored wrong.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array of reports.")
@handle_errors
def eval_cmd(companies: Path | None, jp_news: Path | None, sample: int, errors: bool, as_json: bool) -> None:
    """Precision and recall of vendor matching and breach detection, per language.

    Scores the labelled set shipped in tests/eval/ with thousands of real company names
    registered as distractor vendors, then the jp-news sample when it is present.
    Needs no feeds.yaml.

    \b
    Examples:
      monitor eval
      monitor eval --errors
      monitor eval --companies ../shared/data/companies --jp-news secnews_sample.jsonl --json
    """
    from .evaluate import evaluate_jp_news, evaluate_shipped

    companies = companies or _shared_data("companies")
    if not companies.is_dir():
        _err(f"note: {companies} not found; scoring without distractor vendors")
    reports = [evaluate_shipped(companies)]
    news = jp_news or _shared_data("jp-news", "secnews_sample.jsonl")
    if news.is_file():
        reports.append(evaluate_jp_news(news, companies, sample=sample))
    elif jp_news is not None:
        raise click.BadParameter(f"{jp_news} not found", param_hint="--jp-news")
    if as_json:
        _echo_json([r.as_dict() for r in reports])
        return
    for r in reports:
        for line in r.lines():
            click.echo(line)
        if errors:
            for e in r.errors:
                click.echo("  wrong: " + json.dumps(e, ensure_ascii=False))


# ---------------------------------------------------------------------- check / status / sources


@cli.command()
@click.pass_obj
@handle_errors
def check(state: State) -> None:
    """Validate feeds.yaml and vendors.csv, reporting every problem at once.

    \b
    Example:
      monitor --config feeds.yaml check
    """
    from .errors import ConfigError

    from .config import config_path, vendors_path_hint
    from .vendors import load_vendors

    problems: list[str] = []
    try:
        cfg = state.config
        vendors_path = cfg.vendors
    except ConfigError as e:
        problems += e.problems
        cfg = None
        # Still check vendors.csv, so that one run shows every problem in both files.
        vendors_path = vendors_path_hint(config_path(state.config_arg))
        if not config_path(state.config_arg).exists():
            vendors_path = None
    if vendors_path is not None:
        try:
            vendors = load_vendors(vendors_path)
        except ConfigError as e:
            problems += e.problems
    if problems:
        raise ConfigError(problems)
    _err(f"ok: {len(cfg.sources)} sources in {cfg.path.name}, {len(vendors)} vendors in {cfg.vendors.name}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.pass_obj
@handle_errors
def status(state: State, as_json: bool) -> None:
    """Health of every source: last success, last error, failures in a row.

    \b
    Example:
      monitor status --json
    """
    from .pipeline import source_kind
    from .query import status as do_status

    cfg = state.config
    with state.store() as store:
        rows = do_status(store, [(s.name, s.url, source_kind(s)) for s in cfg.sources])
    if as_json:
        _echo_json(rows)
        return
    for r in rows:
        mark = "✓" if not r["consecutive_failures"] and r["last_ok"] else ("✗" if r["consecutive_failures"] else "·")
        click.echo(f"{mark} {r['name'][:30]:30} {r['type']:5} last ok {r['last_ok'] or 'never':20} "
                   f"failures {r['consecutive_failures']:<3} items {r['items_last_fetch'] if r['items_last_fetch'] is not None else '-':<5} "
                   f"{r['last_error'] or ''}")


@cli.group()
def sources() -> None:
    """Commands about the configured sources.

    \b
    Example:
      monitor sources check
    """


@sources.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.pass_obj
@handle_errors
def sources_check(state: State, as_json: bool) -> None:
    """Fetch and parse each source once, without storing or alerting.

    Prints name, type, HTTP status, items parsed, newest item date and error for each
    source. Exits 1 when any source has an error, 2 when the config is invalid.

    \b
    Example:
      monitor sources check --json
    """
    from .sourcecheck import check_sources
    from .textutil import pad

    rows = check_sources(state.config)
    if as_json:
        _echo_json(rows)
    else:
        for r in rows:
            click.echo(f"{'✓' if not r['error'] else '✗'} {pad(r['name'], 30)} {r['type']:5} "
                       f"{str(r['status'] or '-'):4} items {r['items']:<4} newest {r['newest'] or '-':22} "
                       f"{r['error'] or ''}")
    # Scripts and CI can tell a source that needs attention from a clean check.
    if any(r["error"] for r in rows):
        sys.exit(1)


# ---------------------------------------------------------------------- alerts / incidents / feedback


@cli.group(invoke_without_command=True)
@click.option("--pending", is_flag=True, help="Only alerts not yet delivered (pending, sending, failed, held "
              "for the digest).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.pass_context
@handle_errors
def alerts(ctx: click.Context, pending: bool, as_json: bool) -> None:
    """Show the alert outbox. `monitor alerts retry` sends pending alerts now.

    \b
    Examples:
      monitor alerts --pending
      monitor alerts retry
    """
    if ctx.invoked_subcommand:
        return
    from .query import alerts as do_alerts

    with ctx.obj.store() as store:
        rows = do_alerts(store, pending_only=pending)
    if as_json:
        _echo_json(rows)
        return
    for r in rows:
        state_ = r["state"] + ("?" if r["unconfirmed"] else "")  # ?: outcome unknown, checked before a resend
        click.echo(f"#{r['id']:<5} {state_:9} {r['kind']:11} {r['channel'] or '-':12} {r['vendor'] or '':20} "
                   f"{(r['title'] or '')[:60]}  {r['last_error'] or ''}")


@alerts.command("retry")
@click.option("--failed", is_flag=True, help="Also resend alerts that failed permanently (after a fix).")
@click.pass_obj
@handle_errors
def alerts_retry(state: State, failed: bool) -> None:
    """Send pending alerts now, ignoring their backoff.

    \b
    Examples:
      monitor alerts retry
      monitor alerts retry --failed    # after fixing the channel or token
    """
    from .alert import sender_from_env
    from .outbox import requeue_failed
    from .pipeline import Monitor

    cfg = state.config
    with state.store() as store:
        monitor = Monitor(cfg, state.vendors(), store, sender_from_env(cfg.slack.timeout, cfg.slack.max_retry_after))
        with monitor.lock:
            if failed:
                # Re-routed under the current feeds.yaml: the fix may have been a channel.
                _err(f"{requeue_failed(store, monitor.route)} failed alerts queued again")
            report = monitor.deliver(force=True)
    for e in report.errors:
        _err(f"! {e}")
    _err(f"{report.sent} sent, {report.reconciled} found already delivered, {report.retrying} still pending, "
         f"{report.failed} failed")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 100000))
@click.pass_obj
@handle_errors
def incidents(state: State, as_json: bool, limit: int) -> None:
    """List incidents: reports about the same vendor's incident grouped together.

    \b
    Example:
      monitor incidents --json
    """
    from .query import incidents as do_incidents

    with state.store() as store:
        rows = do_incidents(store, limit)
    if as_json:
        _echo_json(rows)
        return
    for r in rows:
        click.echo(f"#{r['id']:<5} {', '.join(r['vendors'])[:40]:40} reports {r['reports']:<3} "
                   f"{r['first_seen'][:10]} .. {r['last_seen'][:10]}  {r['title']}")


class _FeedbackGroup(click.Group):
    """`monitor feedback 12 --false-positive` and `monitor feedback list` side by side."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0].isdigit():
            args = ["add", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_FeedbackGroup)
def feedback() -> None:
    """Record verdicts on alerts; false positives suppress the same (vendor, name) mistake.

    \b
    Examples:
      monitor feedback 42 --false-positive --reason "box the container, not Box Inc."
      monitor feedback list
      monitor feedback remove "Box Inc." box
    """


@feedback.command("add", hidden=True)
@click.argument("alert_id", type=int)
@click.option("--false-positive", "verdict", flag_value="false_positive", help="The alert was wrong.")
@click.option("--true-positive", "verdict", flag_value="true_positive", help="The alert was right.")
@click.option("--reason", default="", help="Why (kept with the verdict).")
@click.option("--vendor", default=None, metavar="NAME",
              help="Only this vendor of the alert was wrong (others it matched stay unsuppressed).")
@click.pass_obj
@handle_errors
def feedback_add(state: State, alert_id: int, verdict: str | None, reason: str, vendor: str | None) -> None:
    """Record a verdict on an alert.

    \b
    Example:
      monitor feedback 42 --false-positive --reason "box the container, not Box Inc."
    """
    from .feedback import record

    if not verdict:
        raise click.UsageError("give --false-positive or --true-positive")
    with state.store() as store:
        suppressed = record(store, alert_id, verdict, reason, vendor)
    for vendor, matched in suppressed:
        _err(f"suppressed: {vendor} via “{matched}” (undo: monitor feedback remove {json.dumps(vendor)} "
             f"{json.dumps(matched, ensure_ascii=False)})")
    _err(f"recorded {verdict.replace('_', ' ')} for alert {alert_id}")


@feedback.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.pass_obj
@handle_errors
def feedback_list(state: State, as_json: bool) -> None:
    """Show suppressions.

    \b
    Example:
      monitor feedback list --json
    """
    from .feedback import suppressions

    with state.store() as store:
        rows = suppressions(store)
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        _err("no suppressions")
    for r in rows:
        click.echo(f"{r['vendor']} via “{r['matched']}”  (alert {r['alert_id']}, {r['created_at']}) {r['reason'] or ''}")


@feedback.command("remove")
@click.argument("vendor")
@click.argument("matched")
@click.pass_obj
@handle_errors
def feedback_remove(state: State, vendor: str, matched: str) -> None:
    """Remove a suppression, so that the name matches again.

    \b
    Example:
      monitor feedback remove "Box Inc." box
    """
    from .feedback import remove

    with state.store() as store:
        removed = remove(store, vendor, matched)
    if not removed:
        raise click.ClickException(f"no suppression for {vendor} via {matched!r}")
    _err(f"removed suppression: {vendor} via “{matched}”")


def main() -> None:
    cli(prog_name="monitor")


if __name__ == "__main__":
    main()
