"""feeds.yaml's `limits:` and how a bad one is refused, each written against a change of config.py that no
other test noticed (surviving cosmic-ray mutants of `config-load`, README "Mutation testing"): the defaults
README documents are the ones in effect, and each bound is refused one below (or above) it, with one line
naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import Project

from monitor.config import LimitsConfig, load_config

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_limits() -> str:
    """The `limits:` block of README's "Health and limits" example, as written there."""
    section = README.read_text(encoding="utf-8").split("### Health and limits", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    return "limits:\n" + block.split("limits:\n", 1)[1]


def test_the_limits_readme_shows_are_the_defaults(tmp_path: Path) -> None:
    """A feeds.yaml without `limits:` behaves as one with README's example block copied in."""
    block = _readme_limits()
    assert set(yaml.safe_load(block)["limits"]) == set(LimitsConfig.model_fields)  # every limit documented
    (tmp_path / "bare.yaml").write_text("sources:\n  - name: News\n    url: https://example.com/feed\n")
    (tmp_path / "readme.yaml").write_text(block + "sources:\n  - name: News\n    url: https://example.com/feed\n")
    assert load_config(tmp_path / "bare.yaml").limits == load_config(tmp_path / "readme.yaml").limits


BOUNDS = [  # (limit, lowest accepted)
    ("max_bytes", 1024),
    ("max_redirects", 0),
    ("parse_memory_mb", 64),
    ("max_items_per_source", 1),
    ("max_alerts_per_cycle", 1),
    ("concurrency", 1),
    ("per_host", 1),
    ("article_max_bytes", 1024),
    ("articles_per_source", 0),
    ("article_bytes_in_flight", 1024),
]


def _check(project: Project, limits: str):  # type: ignore[no-untyped-def]
    project.config_path.write_text(f"limits:\n{limits}\nsources:\n  - name: News\n    url: https://example.com/feed\n")
    return project.run("check")


@pytest.mark.parametrize("limit,lowest", BOUNDS)
def test_a_limit_below_its_lowest_value_is_refused_naming_line_and_field(
    project: Project, limit: str, lowest: int
) -> None:
    refused = _check(project, f"  {limit}: {lowest - 1}")
    assert refused.exit_code == 2, refused.output
    assert refused.stderr == (
        f"error: feeds.yaml:2: limits.{limit}: must be greater than or equal to {lowest}, got {lowest - 1}\n"
    )
    accepted = _check(project, f"  {limit}: {lowest}")
    assert accepted.exit_code == 0 and accepted.stderr.startswith("ok: 1 sources"), accepted.output


def test_more_than_twenty_redirects_is_refused(project: Project) -> None:
    refused = _check(project, "  max_redirects: 21")
    assert refused.exit_code == 2, refused.output
    assert refused.stderr == "error: feeds.yaml:2: limits.max_redirects: must be less than or equal to 20, got 21\n"
    accepted = _check(project, "  max_redirects: 20")
    assert accepted.exit_code == 0 and accepted.stderr.startswith("ok: 1 sources"), accepted.output


def test_a_feeds_yaml_without_sources_names_the_line_its_settings_start_on(project: Project) -> None:
    """A key missing at the top level has no line of its own: the error points at the first setting, after
    the comments (here line 3), so the user sees the file's line and the key it lacks."""
    project.config_path.write_text("# our feeds\n\nlimits:\n  concurrency: 2\n")
    refused = project.run("check")
    assert refused.exit_code == 2, refused.output
    assert refused.stderr.splitlines()[0] == "error: feeds.yaml:3: sources: missing"
