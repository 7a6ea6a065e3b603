"""The README is the manual: a command or config key it does not mention is a bug."""

from __future__ import annotations

from pathlib import Path

import click

from monitor.cli import cli
from monitor.config import Config, FeedSource, HtmlSource, JsonSource, LimitsConfig, SlackConfig

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: list[str]):  # type: ignore[no-untyped-def]
    for name, cmd in group.commands.items():
        if cmd.hidden:
            continue
        yield [*prefix, name]
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, [*prefix, name])


def test_every_command_is_documented() -> None:
    missing = [" ".join(p) for p in _commands(cli, []) if f"monitor {' '.join(p)}" not in README]
    assert not missing, f"README does not document: {missing}"


def test_every_config_key_is_documented() -> None:
    keys = set(Config.model_fields) - {"path"}
    for model in (SlackConfig, LimitsConfig, FeedSource, HtmlSource, JsonSource):
        keys |= set(model.model_fields)
    missing = sorted(k for k in keys if f"{k}:" not in README and f"`{k}`" not in README)
    assert not missing, f"README does not document config keys: {missing}"


def test_every_help_text_has_an_example() -> None:
    from click.testing import CliRunner

    runner = CliRunner()
    assert "Examples:" in runner.invoke(cli, ["--help"]).output
    for path in _commands(cli, []):
        out = runner.invoke(cli, [*path, "--help"]).output
        assert "Example" in out, f"`monitor {' '.join(path)} --help` has no example"
