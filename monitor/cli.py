"""The `monitor` command line: each command parses flags, calls one function, prints the result.

--json output goes to stdout; messages go to stderr. Heavy modules are imported
inside commands so that `monitor search` starts fast.
"""

from __future__ import annotations

import gc
import json
import logging
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from .config import Config
    from .matching.vendors import Vendor
    from .storage.store import Store

EX_TEMPFAIL = 75
EX_CONFIG = 78  # sysexits.h: Slack refused our credentials (token, webhook): nothing can be delivered
# Commands whose own imports run with the cyclic collector paused (see _resume_collection).
FAST_START = frozenset({"run", "search"})


class State:
    def __init__(self, config: str | None, verbose: int):
        self.config_arg = config
        self.verbose = verbose
        self.quiet = False  # -q: problems only
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            from .config import load_config
            from .locate import config_path

            self._config = load_config(config_path(self.config_arg))
            _LogTimes.zone = self._config.tz
        return self._config

    def vendors(self, cached: bool = False) -> list[Vendor]:
        """The validated register; `cached` keeps it beside the database for the next run."""
        from .matching.vendors import load_vendors

        return load_vendors(self.config.vendors, self.config.database if cached else None)

    def store(self) -> Store:
        from .storage.store import Store

        return Store(self.config.database)


class _LogTimes(logging.Formatter):
    """Log times in the configured timezone (set once feeds.yaml is read), with their UTC offset."""

    zone: Any = None  # a tzinfo; None until the configuration is loaded: the system's

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        from datetime import datetime

        when = datetime.fromtimestamp(record.created, self.zone)
        return (when if self.zone is not None else when.astimezone()).isoformat(timespec="milliseconds")


def _setup_logging(verbose: int, quiet: bool = False) -> None:
    from . import routine

    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setFormatter(_LogTimes("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    routine.install(logging.getLogger(), verbose, level, quiet)
    for noisy in ("aiohttp", "httpx", "httpcore", "slack_sdk", "monitor.slack", "urllib3", "filelock"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING) if verbose < 3 else logging.DEBUG)
    from .redact import RedactingFilter

    # On the loggers that see secrets (records are redacted before any handler), and on every handler.
    redactor = RedactingFilter(terminal=True)
    for name in ("monitor.slack", "slack_sdk", "urllib3", "aiohttp", "httpx", "httpcore"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) and f.terminal for f in logger.filters):
            logger.addFilter(redactor)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) and f.terminal for f in handler.filters):
            handler.addFilter(redactor)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _out(msg: str) -> None:
    """A line for a person: stored titles and errors carry feed text, and feed text may carry
    terminal escape sequences (screen clears, OSC 8 hyperlinks, title changes)."""
    from .textutil import printable

    click.echo(printable(msg))


def _err(msg: str) -> None:
    from .textutil import printable

    click.echo(printable(msg), err=True)


def _resume_collection() -> None:
    """The cyclic garbage collector on again, after start-up paused it (cli()).

    Start-up makes ~100,000 objects that live as long as the process (modules, classes, pydantic's
    validators); the collector's passes over them while they are made free nothing, and cost ~30 ms of a
    `run --once` with nothing new (a tenth of it). They are frozen out of later collections too."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """MonitorError -> a clear message and exit code; tracebacks only with -vv."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import ConfigError, LockTimeout, MonitorError
        from .redact import redact

        ctx = click.get_current_context()
        state = ctx.find_object(State)
        verbose = state.verbose if state else 0
        if ctx.command.name not in FAST_START:
            _resume_collection()
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
            from .textutil import printable

            raise click.ClickException(printable(redact(str(e)))) from None
        except BrokenPipeError:
            raise  # `monitor alerts | head -1`: click ends quietly when the reader has gone
        except KeyboardInterrupt:
            _err("interrupted")
            sys.exit(130)
        except (sqlite3.DatabaseError, PermissionError) as e:
            if verbose >= 2:
                raise
            _err(f"error: {_database_problem(e, ctx.find_object(State))}")
            sys.exit(1)
        except Exception as e:  # a bug: say so in one line unless asked for the traceback
            if verbose >= 2:
                raise
            _err(f"error: unexpected {type(e).__name__}: {redact(str(e))[:300]} (run with -vv for the traceback)")
            sys.exit(1)

    return wrapper


def _database_problem(e: Exception, state: State | None) -> str:
    """What went wrong with the database (or a file beside it), where, and what to do."""
    import errno

    from .redact import redact

    database: Any = None
    if state is not None:
        try:
            database = state.config.database
        except Exception:  # the config is the problem then; say what we can without it
            database = None
    where = getattr(e, "filename", None) or database or "the database"
    reason = redact(str(e))
    text = reason.lower()
    if "disk is full" in text or getattr(e, "errno", None) == errno.ENOSPC:
        return (
            f"{where}: the disk is full ({reason}); the cycle's writes were rolled back: free space on the "
            "disk that holds it, then run again"
        )
    if isinstance(e, PermissionError) or "readonly" in text or "unable to open" in text:
        return (
            f"{where}: cannot write ({reason}): make it and its folder writable by the user running monitor "
            "(the database, its -wal/-shm files, the lock file and the caches live side by side), or set "
            "'database:' in feeds.yaml to a writable place"
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return (
            f"{where}: not a readable SQLite database ({reason}): move it and its -wal/-shm files aside to "
            "start a new one, or restore it from a backup"
        )
    return f"{where}: database error ({reason})"


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--config", "config", metavar="FILE", help="feeds.yaml to use (default: $MONITOR_CONFIG, else ./feeds.yaml)."
)
@click.option("-v", "--verbose", count=True, help="More logging: -v info, -vv debug and tracebacks.")
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Only warnings and errors (for cron): no routine lines, no "
    "per-source lines or summary from `run --once` when all is well.",
)
@click.version_option(package_name="monitor")
@click.pass_context
def cli(ctx: click.Context, config: str | None, verbose: int, quiet: bool) -> None:
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
    gc.disable()  # until the command's modules are loaded: _resume_collection()
    ctx.call_on_close(_resume_collection)  # at the latest when the command is done (CliRunner goes on)
    if quiet and verbose:
        raise click.UsageError("-q and -v contradict each other: give one")
    _setup_logging(verbose, quiet)
    from . import progress

    progress.enable(not quiet)  # bars for long work, drawn only when stderr is a terminal
    ctx.obj = State(config, verbose)
    ctx.obj.quiet = quiet


# ---------------------------------------------------------------------- run


@cli.command()
@click.option("--once", is_flag=True, help="Poll every source once, deliver alerts, and exit.")
@click.option(
    "--metrics-port",
    type=click.IntRange(0, 65535),
    default=None,
    metavar="PORT",
    help="The daemon serves Prometheus metrics on http://HOST:PORT/metrics (0: any free port, logged).",
)
@click.option(
    "--metrics-host",
    default="127.0.0.1",
    show_default=True,
    metavar="HOST",
    help="Address the metrics server listens on.",
)
@click.pass_obj
@handle_errors
def run(state: State, once: bool, metrics_port: int | None, metrics_host: str) -> None:
    """Poll the sources and alert on breach reports naming your vendors.

    Without --once, runs as a daemon: each source on its own interval (with jitter),
    failing sources backing off, until SIGTERM or SIGINT. Edits to feeds.yaml and
    vendors.csv are taken between cycles, once they validate. With --once, exits 0 after one
    full cycle even when some sources failed; failures are listed on stderr.

    \b
    Examples:
      monitor run --once
      */15 * * * *  cd /srv/monitor && .venv/bin/monitor run --once
      monitor run --metrics-port 9464
    """
    if once and metrics_port is not None:
        raise click.UsageError("--metrics-port is for the daemon (`monitor run` without --once)")
    from .sources.parse import start_forkserver
    from .storage.store import unconditional_sources

    cfg = state.config
    if unconditional_sources(cfg.database, [(s.name, s.url) for s in cfg.sources if s.enabled]):
        start_forkserver()
    from . import app

    setup = app.configure(cfg)
    with state.store() as store:
        monitor = app.build_monitor(setup, store)
        _resume_collection()  # a poll's objects, and every cycle of the daemon, are collected as usual
        if once:
            report = monitor.run_once(last=True)
            _print_cycle(report, state.quiet)
        else:
            import threading

            from . import progress
            from .pipeline.daemon import StopOnSignal, run_daemon
            from .pipeline.triage_step import start_buttons

            progress.enable(False)  # the daemon's cycles are told by its log lines, not bars

            # A stop signal is taken from here on: once the metrics say the daemon is up, SIGTERM must
            # stop it cleanly, not kill it before its first cycle.
            with StopOnSignal(stop := threading.Event()):
                metrics = _serve_metrics(cfg.database, metrics_host, metrics_port) if metrics_port is not None else None
                buttons = start_buttons(monitor)  # SLACK_APP_TOKEN: triage buttons over Socket Mode
                try:
                    run_daemon(monitor, stop=stop, reload=lambda: app.reload(state.config_arg), metrics=metrics)
                finally:
                    if buttons is not None:
                        buttons.close()
                    if metrics is not None:
                        metrics.close()
    if once:
        # The interpreter's exit would run garbage collections that walk every object of the run (~70 ms
        # after 10,000 articles) to find no cycle holding anything to close: the database is closed and
        # the parser workers are stopping. (At exit, not here: under CliRunner this process goes on.)
        import atexit
        import gc

        atexit.register(gc.freeze)
        _exit_if_rejected(report.delivery)


def _serve_metrics(database: Path, host: str, port: int) -> Any:
    from .metrics import DaemonMetrics

    metrics = DaemonMetrics(database)
    bound = metrics.serve(host, port)
    where = f"[{host}]" if ":" in host else host
    from .routine import ROUTINE

    logging.getLogger("monitor.daemon").info("Prometheus metrics on http://%s:%d/metrics", where, bound, extra=ROUTINE)
    return metrics


def _exit_if_rejected(delivery: Any) -> None:
    """A rejected token must not look like success to cron or a script."""
    if delivery.auth_error:
        _err(
            f"error: {delivery.auth_error}: no alert can be delivered until SLACK_BOT_TOKEN (or "
            "SLACK_WEBHOOK_URL) is fixed; they stay pending. Check with 'monitor slack test'"
        )
        sys.exit(EX_CONFIG)


def _env(name: str) -> str:
    import os

    return os.environ.get(name, "")


def _print_cycle(report: Any, quiet: bool = False) -> None:
    """One line per source and the summary; with -q only the lines that need someone (cron mails them)."""
    from .pipeline.cycle import items_skipped

    for s in report.sources:
        if s.error:
            _err(f"✗ {s.name}: {s.error}")
        elif s.not_modified:
            if not quiet:
                _err(f"· {s.name}: not modified")
        else:
            warn = f" ({s.warning})" if s.warning else ""
            skipped = f", {items_skipped(s.skipped)} ({s.skip_reason})" if s.skipped else ""
            if s.articles_skipped:
                skipped += f", {s.articles_skipped} stored without their linked notice (limits)"
            if s.warning or s.skipped or not quiet:
                # A warning is not a ✓: a page whose selectors match nothing reads as "0 items", not fine.
                _err(
                    f"{'!' if s.warning else '✓'} {s.name}: {s.items} items, {s.new} new, {s.alerts} alerts"
                    f"{skipped}{warn}"
                )
    for e in report.delivery.errors:
        _err(f"! {e}")
    if not quiet:
        _err(report.summary())
        if len(report.sources) > 1 and len(report.failed) == len(report.sources):
            # A first run on a machine that cannot reach the sources shows only errors: say what else to try.
            _err(
                "every source failed: if this machine has no network access to them, `monitor demo` (make demo) "
                "shows the whole pipeline on bundled reports, offline"
            )


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
def search(
    state: State, query: str, vendor: str | None, since: str | None, breach_only: bool, limit: int, as_json: bool
) -> None:
    """Full-text search over every stored article (Japanese too).

    \b
    Examples:
      monitor search okta
      monitor search 不正アクセス --since 2024-01-01
      monitor search ransomware --vendor "LY Corporation" --breach-only --json
    """
    from datetime import date

    from .storage.query import search as do_search

    if since:
        try:
            date.fromisoformat(since)
        except ValueError:
            raise click.BadParameter(f"{since!r} is not a date like 2024-06-05", param_hint="--since") from None
    from .locate import config_path, database_path
    from .storage.query import open_for_reading

    if vendor:
        from .matching.vendors import resolve_name

        vendor = resolve_name(state.vendors(cached=True), vendor)
    conn = open_for_reading(database_path(config_path(state.config_arg)))
    try:
        rows = do_search(conn, query, vendor=vendor, since=since, breach_only=breach_only, limit=limit)
    finally:
        conn.close()
    from .storage.query import SHORT_TERM_WINDOW, short_terms_only

    if short_terms_only(query):
        _err(f"note: terms under 3 characters are looked up in the newest {SHORT_TERM_WINDOW:,} articles only")
    if not rows:
        _err("no matching articles")
    if as_json:
        _echo_json(rows)
        return
    from .tables import Column, Styled, echo_table

    echo_table(
        [
            Column("published", max=10),
            Column("breach", max=6),
            Column("source", min=6, max=24),
            Column("vendors", min=6, max=40),
            Column("title", min=20),
        ],
        [
            [
                (r["published"] or "")[:10],
                Styled("BREACH", "red") if r["breach"] else "",
                r["source"],
                ", ".join(r["vendors"]) or "-",
                r["title"] or "",
            ]
            for r in rows
        ],
        after=[[x for x in (r["snippet"], r["url"]) if x] for r in rows],
    )


# ---------------------------------------------------------------------- match


@cli.command()
@click.argument("text", required=False)
@click.option(
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the text from a file instead.",
)
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

    from .matching.detect import assess
    from .matching.matcher import Matcher

    if file is not None:
        text = file.read_text(encoding="utf-8", errors="replace")
    if not text:
        raise click.UsageError("give TEXT or --file")
    title, _, rest = text.strip().partition("\n")
    matcher = Matcher(state.vendors())
    matches = matcher.match({"title": title, "summary": rest})
    verdict = assess(title, rest)
    from .matching.roles import assign

    roles = assign(matches, title, rest, verdict.breach, verdict.subjects(matches, title, rest))
    if as_json:
        _echo_json(
            {
                "breach": verdict.breach,
                "score": verdict.score,
                "terms": list(verdict.terms),
                "supply_chain": verdict.supply_chain,
                "follow_up": verdict.follow_up,
                "matches": [
                    {**asdict(m), "role": r.role, "role_reason": r.reason} for m, r in zip(matches, roles, strict=True)
                ],
            }
        )
        return
    _out(
        f"breach: {'yes' if verdict.breach else 'no'} (score {verdict.score:g}; "
        f"terms: {', '.join(verdict.terms) or 'none'})"
    )
    if verdict.supply_chain:
        _out("supply chain: yes (contractor / 委託先 named)")
    if not matches:
        _out("vendors: none")
    for m, r in zip(matches, roles, strict=True):
        score = "" if m.score >= 100 else f" score {m.score:g}"
        _out(f"vendor: {m.vendor}  via {m.how} “{m.matched}” as “{m.surface}” in {m.field}{score}")
        _out(f"  role: {r.role} ({r.reason})")


# ---------------------------------------------------------------------- eval


def _shared_data(*parts: str) -> Path:
    return Path(__file__).resolve().parents[1].parent.joinpath("shared", "data", *parts)


@cli.command("eval")
@click.option(
    "--companies",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="Folder of company lists registered as distractor vendors (default: ../shared/data/companies).",
)
@click.option(
    "--jp-news",
    "jp_news",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Also score this jp-news JSONL (default: ../shared/data/jp-news/secnews_sample.jsonl when present).",
)
@click.option(
    "--sample",
    default=300,
    show_default=True,
    type=click.IntRange(1, 100000),
    help="How many jp-news organisations to register as vendors.",
)
@click.option(
    "--set",
    "own_set",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    metavar="FILE",
    help="Score your own labelled items (JSONL, the shipped set's format) instead.",
)
@click.option(
    "--vendors",
    "vendors_csv",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    metavar="CSV",
    help="Register for --set (default: the vendors: of feeds.yaml).",
)
@click.option("--errors", is_flag=True, help="Also list every item scored wrong.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array of reports.")
@click.option(
    "--feedback",
    "seen",
    is_flag=True,
    help="The precision the team has seen instead: false positives "
    "over all triaged alerts (reactions, buttons, monitor feedback), overall, per vendor and per source, "
    "over the last 30 and 90 days. Reads feeds.yaml's database.",
)
@click.option(
    "--export-negatives",
    "export",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="FILE",
    help="Write the articles analysts labelled not a breach (monitor feedback "
    "--not-breach) as labelled items (JSONL, the eval set's format) and exit. Reads feeds.yaml's database.",
)
@click.pass_obj
@handle_errors
def eval_cmd(
    state: State,
    companies: Path | None,
    jp_news: Path | None,
    own_set: Path | None,
    vendors_csv: Path | None,
    sample: int,
    errors: bool,
    as_json: bool,
    seen: bool,
    export: Path | None,
) -> None:
    """Precision and recall of vendor matching and breach detection, per language; incident quality.

    Scores the labelled set shipped in monitor/eval/data/ with thousands of real company names
    registered as distractor vendors, then the jp-news sample when it is present, then the
    labelled incident set (monitor/eval/data/incidents.jsonl): new threads per true incident, reports
    wrongly merged into another incident, reports that never reach Slack.
    Needs no feeds.yaml.

    With --set, scores your own labelled items instead, against --vendors (or the register
    of feeds.yaml); the jp-news sample is then scored only when --jp-news is given. One JSON
    object per line: id, lang, title and/or text, link (optional), vendors (the registered
    names the item is about, [] for none), breach (true/false).

    \b
    Examples:
      monitor eval
      monitor eval --errors
      monitor eval --set ours.jsonl --vendors vendors.csv --errors
      monitor eval --export-negatives labelled-negatives.jsonl
      monitor eval --feedback
      monitor eval --companies ../shared/data/companies --jp-news secnews_sample.jsonl --json
    """
    from .eval.evaluate import (
        IncidentReport,
        Report,
        evaluate_incidents,
        evaluate_jp_news,
        evaluate_set,
        evaluate_shipped,
    )
    from .eval.roles_eval import RoleReport, evaluate_role_set, evaluate_shipped_roles, has_roles

    if vendors_csv is not None and own_set is None:
        raise click.BadParameter("only used with --set", param_hint="--vendors")
    if seen:
        _seen_precision(state, as_json)
        return
    if export is not None:
        from .storage.feedback import negatives

        with state.store() as store:
            rows = negatives(store)
        with open(export, "w", encoding="utf-8") as f:
            for n in rows:
                lang = "ja" if any("\u3040" <= c <= "\u9fff" for c in n["title"]) else "en"
                f.write(
                    json.dumps(
                        {
                            "id": f"feedback-{n['alert_id']}",
                            "lang": lang,
                            "case": "analyst_not_breach",
                            "title": n["title"],
                            "text": n["summary"],
                            "vendors": n["vendors"],
                            "breach": False,
                            "note": n["reason"],
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
        _err(f"wrote {len(rows)} labelled negatives to {export}")
        return
    companies = companies or _shared_data("companies")
    if not companies.is_dir():
        _err(f"note: {companies} not found; scoring without distractor vendors")
    if own_set is not None:
        register = vendors_csv or state.config.vendors
        try:
            reports: list[Report | IncidentReport | RoleReport] = [evaluate_set(own_set, register, companies)]
            if has_roles(own_set):  # role labels (eval/roles_eval.py): scored beside
                reports.append(evaluate_role_set(own_set, register, companies))
        except ValueError as bad:  # a bad line of the labelled set: file, line and field
            raise click.ClickException(str(bad)) from bad
    else:
        reports = [evaluate_shipped(companies), evaluate_shipped_roles(companies)]
    news = jp_news or (None if own_set else _shared_data("jp-news", "secnews_sample.jsonl"))
    if news is not None and news.is_file():
        reports.append(evaluate_jp_news(news, companies, sample=sample))
    elif jp_news is not None:
        raise click.BadParameter(f"{jp_news} not found", param_hint="--jp-news")
    if own_set is None:
        reports.append(evaluate_incidents())
    if as_json:
        _echo_json([r.as_dict() for r in reports])
        return
    for r in reports:
        for line in r.lines():
            _out(line)
        if errors:
            for e in r.errors:
                _out("  wrong: " + json.dumps(e, ensure_ascii=False))


def _seen_precision(state: State, as_json: bool) -> None:
    from . import clock
    from .storage.feedback_stats import seen_precision
    from .tables import Column, echo_table

    with state.store() as store:
        rows = seen_precision(store, clock.utcnow())
    if as_json:
        _echo_json([r.as_dict() for r in rows])
        return
    if not any(r.triaged for r in rows):
        _err("no triaged alerts yet: react in Slack (x, white_check_mark, eyes) or use monitor feedback")
        return
    echo_table(
        [
            Column("days", right=True),
            Column("by", max=6),
            Column("vendor or source", min=8, max=40),
            Column("triaged", right=True),
            Column("false pos.", right=True),
            Column("precision", right=True),
        ],
        [
            [
                str(r.days),
                r.by,
                r.key or "(all)",
                str(r.triaged),
                str(r.false_positives),
                "-" if r.precision is None else f"{r.precision:.2f}",
            ]
            for r in rows
            if r.triaged
        ],
    )


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
    from .config import vendors_path_hint
    from .errors import ConfigError
    from .locate import config_path
    from .matching.vendors import load_vendors

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
            if cfg is not None:
                from .app import check_fits_workers

                check_fits_workers(cfg, vendors)
        except ConfigError as e:
            problems += e.problems
    if cfg is not None:
        from .alerting.slack import sender_mode, slack_settings_problems

        problems += slack_settings_problems(cfg.slack, cfg.path.name, sender_mode(), _env("SLACK_CHANNEL"))
    if cfg is not None and not problems:
        from .sources.newsroom import nothing_to_watch, watches_nothing

        if watches_nothing(cfg, vendors):  # valid files that give monitor nothing to poll are no "ok"
            problems.append(nothing_to_watch(cfg))
    if problems:
        raise ConfigError(problems)
    assert cfg is not None  # no problem: feeds.yaml loaded
    _err(f"ok: {len(cfg.sources)} sources in {cfg.path.name}, {len(vendors)} vendors in {cfg.vendors.name}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.option(
    "--check",
    is_flag=True,
    help="Print `ok` and exit 0, or one line saying what is wrong and exit 1 "
    "(a source failing past its threshold, alerts failed or pending over an hour, no successful "
    "poll for 3 intervals). For monitoring systems and timers.",
)
@click.pass_obj
@handle_errors
def status(state: State, as_json: bool, check: bool) -> None:
    """Health of every source: last success, last error, failures in a row.

    \b
    Examples:
      monitor status --json
      monitor status --check || notify-ops "monitor: $(monitor status --check)"
    """
    from .sources.parse import source_kind
    from .storage.query import SourceStatus
    from .storage.query import status as do_status

    cfg = state.config
    if check:
        _status_check(state, as_json)
        return
    from .errors import ConfigError
    from .sources.newsroom import notes as newsroom_notes
    from .sources.newsroom import with_newsrooms

    with state.store() as store:
        try:
            cfg = with_newsrooms(cfg, state.vendors(cached=True), store)  # and each vendors.csv newsroom
        except ConfigError:
            pass  # status still answers with a broken vendors.csv; `monitor check` says what is wrong
        rows = do_status(store, [(s.name, s.url, source_kind(s)) for s in cfg.sources])
        notes = newsroom_notes(store)  # a newsroom's robots.txt refusal, or why nothing is read on its page
        for r, s in zip(rows, cfg.sources, strict=True):
            r["note"] = notes.get(getattr(s, "newsroom", ""))
    if as_json:
        _echo_json(rows)
        return
    from .tables import Column, Styled, echo_table

    def mark(r: SourceStatus) -> Any:
        if r["consecutive_failures"]:
            return Styled("✗", "red")
        if r["health"] == "empty" or r.get("note"):  # read fine, but no items (or not all): not a ✓
            return Styled("!", "yellow")
        return Styled("✓", "green") if r["last_ok"] else "·"

    echo_table(
        [
            Column("", min=1),
            Column("source", min=8, max=40),
            Column("type", max=5),
            Column("last ok", max=20),
            Column("failures", right=True),
            Column("items", right=True),
            Column("last error", min=10),
        ],
        [
            [
                mark(r),
                r["name"],
                r["type"],
                r["last_ok"] or "never",
                str(r["consecutive_failures"]),
                "-" if r["items_last_fetch"] is None else str(r["items_last_fetch"]),
                r["last_error"] or r.get("note") or "",
            ]
            for r in rows
        ],
    )


def _status_check(state: State, as_json: bool) -> None:
    from . import clock
    from .healthcheck import problems

    cfg = state.config
    if not cfg.database.exists():  # do not create it: a check must not change what it checks
        found = [f"no database at {cfg.database}: monitor has never run"]
    else:
        with state.store() as store:
            found = problems(store, cfg, clock.utcnow())
    if as_json:
        _echo_json({"ok": not found, "problems": found})
    else:
        click.echo("; ".join(found) if found else "ok")
    if found:
        sys.exit(1)


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
    from .sources.check import check_sources
    from .textutil import pad

    rows = check_sources(state.config, state.vendors())
    if as_json:
        _echo_json(rows)
    else:
        for r in rows:
            _out(
                f"{'✓' if not r['error'] else '✗'} {pad(r['name'], 30)} {r['type']:5} "
                f"{str(r['status'] or '-'):4} items {r['items']:<4} newest {r['newest'] or '-':22} "
                f"{r['error'] or ''}" + (f" (read as {r['method']}: {r['poll_url']})" if r.get("method") else "")
            )
    # Scripts and CI can tell a source that needs attention from a clean check.
    if any(r["error"] for r in rows):
        sys.exit(1)


# ---------------------------------------------------------------------- alerts / incidents / feedback


@cli.group(invoke_without_command=True)
@click.option(
    "--pending", is_flag=True, help="Only alerts not yet delivered (pending, sending, failed, held for the digest)."
)
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
    from .storage.query import alerts as do_alerts

    with ctx.obj.store() as store:
        rows = do_alerts(store, pending_only=pending)
    if not rows:
        _err("no pending alerts" if pending else "no alerts yet")
    if as_json:
        _echo_json(rows)
        return
    from .tables import Column, Styled, echo_table

    colour = {"sent": "green", "failed": "red", "pending": "yellow", "sending": "yellow"}
    echo_table(
        [
            Column("id", right=True),
            Column("state", max=10),
            Column("kind", max=11),
            Column("channel", max=16),
            Column("vendor", min=6, max=30),
            Column("title", min=16),
            Column("last error", min=8),
        ],
        # ?: outcome unknown, checked before a resend
        [
            [
                f"#{r['id']}",
                Styled(r["state"] + ("?" if r["unconfirmed"] else ""), colour.get(r["state"], "")),
                r["kind"],
                r["channel"] or "-",
                ", ".join(r["vendors"]),
                r["title"] or "",
                r["last_error"] or "",
            ]
            for r in rows
        ],
    )


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
    from . import app
    from .alerting.outbox import requeue_failed
    from .alerting.route import for_alert

    cfg = state.config
    with state.store() as store:
        monitor = app.build_monitor(app.configure(cfg, cached=False, for_polling=False), store)
        with monitor.lock:
            if failed:
                # Re-routed under the current feeds.yaml: the fix may have been a channel.
                _err(
                    f"{requeue_failed(store, lambda row: for_alert(cfg.slack, monitor.by_name, row))} failed alerts "
                    "queued again"
                )
            report = monitor.deliver(force=True)
    for e in report.errors:
        _err(f"! {e}")
    _err(
        f"{report.sent} sent, {report.reconciled} found already delivered, {report.retrying} still pending, "
        f"{report.failed} failed"
    )
    _exit_if_rejected(report)


# ---------------------------------------------------------------------- slack


@cli.group()
def slack() -> None:
    """Check the Slack settings against Slack itself.

    \b
    Example:
      monitor slack test --post
    """


@slack.command("test")
@click.option("--post", is_flag=True, help="Also post a sample message to every configured channel.")
@click.pass_obj
@handle_errors
def slack_test(state: State, post: bool) -> None:
    """Check the token with auth.test, and with --post send a sample message.

    Exits 0 when Slack accepts everything, 78 when it refuses the token (or, with --post, a
    channel), 1 when Slack cannot be reached.

    \b
    Examples:
      monitor slack test
      monitor slack test --post     # a sample message to each configured channel
    """
    from .alerting.slack import Permanent, Sent, SlackSender, WebhookSender, finish, section
    from .app import sender_for

    cfg = state.config
    sender = sender_for(cfg)
    if not isinstance(sender, (SlackSender, WebhookSender)):  # the console
        _err("error: no Slack configured (set SLACK_BOT_TOKEN, or SLACK_WEBHOOK_URL); alerts print to the terminal")
        sys.exit(EX_CONFIG)
    code = 0
    if isinstance(sender, SlackSender):
        auth = sender.check_auth()
        _err(("ok: " if auth.ok else "error: ") + auth.detail)
        if not auth.ok:
            sys.exit(EX_CONFIG if auth.rejected else 1)
    elif not post:
        _err("note: a webhook cannot be checked without posting; add --post")
    if not post:
        return
    text = "monitor: test message from `monitor slack test --post` (not an alert)"
    message = finish(text, [section(text)], text)
    channels = _channels(cfg) if sender.mode == "slack" else {"(webhook)": "the webhook's channel"}
    for channel, used_for in channels.items():
        outcome = sender.post_sample(channel, message)
        if isinstance(outcome, Sent):
            _err(f"ok: posted to {channel} ({used_for})")
            continue
        _err(f"error: posting to {channel} ({used_for}): {outcome.error}")
        code = max(code, EX_CONFIG if isinstance(outcome, Permanent) else 1)
    if code:
        sys.exit(code)


def _channels(cfg: Any) -> dict[str, str]:
    """Every configured channel and what goes there."""
    default = (cfg.slack.channel or "").strip() or _env("SLACK_CHANNEL").strip()
    uses: dict[str, list[str]] = {}
    from .criticality import CRITICALITIES

    for crit in CRITICALITIES:
        channel = (cfg.slack.routes.get(crit) or "").strip() or default
        uses.setdefault(channel, []).append(crit)
    uses.setdefault(default, []).append("source health")
    if (cfg.slack.routes.get("product") or "").strip():
        uses.setdefault(cfg.slack.routes["product"].strip(), []).append("product exploited")
    return {ch: ", ".join(what) for ch, what in uses.items() if ch}


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 100000))
@click.pass_context
@handle_errors
def incidents(ctx: click.Context, as_json: bool, limit: int) -> None:
    """List incidents: reports about the same vendor's incident grouped together.
    `monitor incidents merge A B` and `monitor incidents split ALERT` fix a wrong call.

    \b
    Examples:
      monitor incidents --json
      monitor incidents merge 12 15
    """
    if ctx.invoked_subcommand:
        return
    state: State = ctx.obj
    from .storage.query import incidents as do_incidents

    with state.store() as store:
        rows = do_incidents(store, limit)
    if not rows:
        _err("no incidents yet")
    if as_json:
        _echo_json(rows)
        return
    from .tables import Column, echo_table

    echo_table(
        [
            Column("id", right=True),
            Column("vendors", min=8, max=40),
            Column("reports", right=True),
            Column("first seen", max=10),
            Column("last seen", max=10),
            Column("title", min=20),
        ],
        [
            [
                f"#{r['id']}",
                ", ".join(r["vendors"]),
                str(r["reports"]),
                r["first_seen"][:10],
                r["last_seen"][:10],
                r["title"] or "",
            ]
            for r in rows
        ],
    )


@incidents.command("merge")
@click.argument("keep", type=int)
@click.argument("other", type=int)
@click.option("--reason", default="", help="Why (shown in the Slack note and in incidents --json).")
@click.pass_obj
@handle_errors
def incidents_merge(state: State, keep: int, other: int, reason: str) -> None:
    """Merge incident OTHER into KEEP: one event the rule split in two.

    Every report of OTHER becomes a report of KEEP; later reports go into KEEP's Slack thread. A note
    in each thread says so (sent with the next delivery; `monitor alerts retry` sends it now).

    \b
    Example:
      monitor incidents merge 12 15 --reason "same attack, reported a month apart"
    """
    from .alerting.corrections import merge

    with state.store() as store:
        done = merge(store, keep, other, reason)
    _err(f"merged incident #{other} into #{keep}; {done.notes} Slack note(s) queued")


@incidents.command("split")
@click.argument("alert_id", type=int)
@click.option("--reason", default="", help="Why (shown in the Slack note and in incidents --json).")
@click.pass_obj
@handle_errors
def incidents_split(state: State, alert_id: int, reason: str) -> None:
    """Move one report (its alert id) out of its incident into a new one: a separate event the rule joined.

    Its later reports open their own Slack thread; a note in the old thread says so.

    \b
    Example:
      monitor incidents split 42 --reason "a different subsidiary's breach"
    """
    from .alerting.corrections import split

    with state.store() as store:
        done = split(store, alert_id, reason)
    _err(
        f"alert #{alert_id} is now incident #{done.incident} (split from #{done.other}); "
        f"{done.notes} Slack note(s) queued"
    )


class _FeedbackGroup(click.Group):
    """`monitor feedback 12 --false-positive` and `monitor feedback list` side by side."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0].isdigit():
            args = ["add", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_FeedbackGroup)
def feedback() -> None:
    """Record verdicts on alerts.

    --wrong-vendor: the text names another organisation ("Jack in the Box", not Box Inc.): that vendor
    is no longer alerted when named that way with the same words around it. --not-breach: the report is
    not about a breach: near-identical titles are not alerted again, and the vendor is not suppressed.

    \b
    Examples:
      monitor feedback 42 --wrong-vendor --reason "the burger chain, not Box Inc."
      monitor feedback 43 --not-breach --reason "product launch"
      monitor feedback list
      monitor feedback remove "Box Inc." box
    """


@feedback.command("add", hidden=True)
@click.argument("alert_id", type=int)
@click.option(
    "--wrong-vendor",
    "verdict",
    flag_value="wrong_vendor",
    help="The text names a different organisation: suppress this vendor named this way, in this context.",
)
@click.option(
    "--not-breach",
    "verdict",
    flag_value="not_breach",
    help="Not a breach report: do not alert near-identical titles (the vendor stays alerted).",
)
@click.option("--true-positive", "verdict", flag_value="true_positive", help="The alert was right.")
@click.option("--false-positive", "verdict", flag_value="false_positive", help="Deprecated: same as --wrong-vendor.")
@click.option("--reason", default="", help="Why (kept with the verdict).")
@click.option(
    "--vendor",
    default=None,
    metavar="NAME",
    help="Only this vendor of the alert was wrong (others it matched stay unsuppressed).",
)
@click.option(
    "--context",
    default=None,
    metavar="PHRASE",
    help='With --wrong-vendor: suppress the name wherever it stands inside PHRASE (e.g. "Jack in the '
    'Box"), instead of only between the words found around it.',
)
@click.pass_obj
@handle_errors
def feedback_add(
    state: State, alert_id: int, verdict: str | None, reason: str, vendor: str | None, context: str | None
) -> None:
    """Record a verdict on an alert.

    \b
    Example:
      monitor feedback 42 --wrong-vendor --reason "the burger chain, not Box Inc."
    """
    import shlex

    from .storage.feedback import record

    if not verdict:
        raise click.UsageError("give --wrong-vendor, --not-breach or --true-positive")
    if verdict == "false_positive":
        _err(
            "note: --false-positive is deprecated and means --wrong-vendor; use --not-breach when the report "
            "is not about a breach (that never suppresses the vendor)"
        )
        verdict = "wrong_vendor"
    if context is not None and verdict != "wrong_vendor":
        raise click.UsageError("--context goes with --wrong-vendor")
    with state.store() as store:
        suppressed = record(store, alert_id, verdict, reason, vendor, context)
    for s in suppressed:
        # Quoted for the shell: vendors like O'Reilly or "株式会社 X" must paste back as one argument.
        undo = shlex.join(["monitor", "feedback", "remove", s.vendor, s.matched, "--context", s.context])
        _err(f"suppressed: {s.vendor} via “{s.matched}” in “{s.context}” (undo: {undo})")
    if verdict == "not_breach":
        _err(
            f"labelled not a breach: near-identical titles will not alert (undo: monitor feedback remove "
            f"--not-breach {alert_id})"
        )
    _err(f"recorded {verdict.replace('_', ' ')} for alert {alert_id}")


@feedback.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.pass_obj
@handle_errors
def feedback_list(state: State, as_json: bool) -> None:
    """Show suppressions (wrong vendor) and articles labelled not a breach.

    \b
    Example:
      monitor feedback list --json
    """
    from .storage.feedback import negatives, suppressions

    with state.store() as store:
        rows = suppressions(store)
        labelled = negatives(store)
    if as_json:
        _echo_json(rows)
        return
    if not rows and not labelled:
        _err("no suppressions")
    from .tables import Column, echo_table

    echo_table(
        [
            Column("suppressed", min=12, max=60),
            Column("in", min=8, max=40),
            Column("alert", right=True),
            Column("by", max=20),
            Column("since", max=20),
            Column("reason", min=10),
        ],
        [
            [
                f"{r['vendor']} via “{r['matched']}”",
                f"“{r['context']}”",
                str(r["alert_id"] or "-"),
                r["by"],
                r["created_at"] or "",
                r["reason"] or "",
            ]
            for r in rows
        ],
    )
    if labelled:
        echo_table(
            [
                Column("not a breach", min=20),
                Column("alert", right=True),
                Column("since", max=20),
                Column("reason", min=10),
            ],
            [[n["title"] or "", str(n["alert_id"] or "-"), n["created_at"] or "", n["reason"] or ""] for n in labelled],
        )


@feedback.command("remove")
@click.argument("vendor", required=False)
@click.argument("matched", required=False)
@click.option("--context", default=None, metavar="PHRASE", help="Only the suppression with this context.")
@click.option(
    "--not-breach",
    "negative",
    type=int,
    default=None,
    metavar="ALERT_ID",
    help="Remove the not-a-breach label recorded for this alert.",
)
@click.pass_obj
@handle_errors
def feedback_remove(
    state: State, vendor: str | None, matched: str | None, context: str | None, negative: int | None
) -> None:
    """Remove a suppression, so that the name matches again (or a not-a-breach label).

    \b
    Examples:
      monitor feedback remove "Box Inc." box
      monitor feedback remove --not-breach 43
    """
    from .storage.feedback import remove, remove_negative

    if negative is not None:
        with state.store() as store:
            if not remove_negative(store, negative):
                raise click.ClickException(f"no not-a-breach label for alert {negative}")
        _err(f"removed not-a-breach label of alert {negative}")
        return
    if vendor is None or matched is None:
        raise click.UsageError("give VENDOR TEXT (or --not-breach ALERT_ID)")
    with state.store() as store:
        removed = remove(store, vendor, matched, context)
    if not removed:
        raise click.ClickException(
            f"no suppression for {vendor} via {matched!r}" + (f" in {context!r}" if context else "")
        )
    _err(f"removed suppression: {vendor} via “{matched}”" + (f" ({removed})" if removed > 1 else ""))


# ---------------------------------------------------------------------- demo


@cli.command()
@click.option(
    "--slack",
    is_flag=True,
    help="Post the alerts to Slack (needs SLACK_BOT_TOKEN, and SLACK_CHANNEL or --channel: use a test channel).",
)
@click.option("--channel", metavar="CHANNEL", default=None, help="Slack channel for --slack (default: $SLACK_CHANNEL).")
@click.option(
    "--vendors",
    "vendors_csv",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Match the demo reports against this vendors.csv instead of the bundled one.",
)
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="Leave feeds.yaml, vendors.csv and demo.db in DIR (to try search, incidents, alerts on them).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object: alerts (with their Block Kit), reports not alerted and why.",
)
@handle_errors
def demo(slack: bool, channel: str | None, vendors_csv: Path | None, keep: Path | None, as_json: bool) -> None:
    """Replay bundled breach reports through the whole pipeline, offline, in seconds.

    Serves two feeds of real-world breach reports (Aflac and Zurich through a contractor,
    LINEヤフー through NAVER Cloud's subcontractor, JCOM, イセトー, MOVEit, Ivanti, ...) and hard
    negatives from 127.0.0.1, polls them once against a demo vendors.csv into a throwaway
    database, prints each alert as it would be delivered, then what was not alerted and why.
    Needs no feeds.yaml and no network. Exits 1 if a decision differs from the demo's expectations.

    \b
    Examples:
      monitor demo
      monitor demo --vendors vendors.csv        # your register against the demo reports
      monitor demo --keep /tmp/demo && monitor --config /tmp/demo/feeds.yaml incidents
      SLACK_BOT_TOKEN=xoxb-... monitor demo --slack --channel C0TEST
    """
    from .demo import render, run_demo

    result = run_demo(
        None if as_json else sys.stdout,
        slack=slack,
        channel=channel or _env("SLACK_CHANNEL") or None,
        vendors_csv=vendors_csv,
        keep=keep,
    )
    if as_json:
        _echo_json(result.as_dict())
    else:
        for line in render(result):
            click.echo(line)
    if result.unexpected:
        sys.exit(1)


def main() -> None:
    cli(prog_name="monitor")


if __name__ == "__main__":
    main()
