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
    ("parse_memory_mb", 80),
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


def _shared_settings(merges: int) -> str:
    """feeds.yaml whose first source anchors four settings that the next `merges` sources merge in, each
    alias standing for nine values (the mapping, four keys, four values), and one setting that the second
    source takes by an alias of one value: 9 * merges + 1 values in all."""
    common = "&common {interval: 15m, enabled: true, fetch_article: false, alert_window: 2d}"
    first = f"  - name: S0\n    url: https://example.com/0\n    <<: {common}\n    leak_site: &no false\n"
    rest = "".join(
        f"  - name: S{i}\n    url: https://example.com/{i}\n    <<: *common\n"
        + ("    leak_site: *no\n" if i == 1 else "")
        for i in range(1, merges + 1)
    )
    return "sources:\n" + first + rest


def test_aliases_standing_for_10000_values_load_and_one_more_is_refused(project: Project) -> None:
    """README: a file whose aliases stand for more than 10,000 values in all is refused at the line of the
    alias that crosses the bound. 1,111 merges and the one-value alias are 10,000; 1,112 merges 10,009."""
    project.config_path.write_text(_shared_settings(1111))
    accepted = project.run("check")
    assert accepted.exit_code == 0 and accepted.stderr.startswith("ok: 1112 sources"), accepted.output
    project.config_path.write_text(_shared_settings(1112))
    refused = project.run("check")
    assert refused.exit_code == 2, refused.output
    line = 1 + 4 + 4 + 3 * 1110 + 3  # the header, S0 and S1 (4 lines each), S2..S1111, then S1112's `<<: *common`
    assert refused.stderr.startswith(
        f"error: feeds.yaml:{line}: alias *common: YAML aliases expand to more than 10,000"
    ), refused.stderr


def test_a_mapping_or_list_where_the_other_is_expected_is_named(project: Project) -> None:
    project.config_path.write_text("limits: [1, 2]\nsources:\n  - name: News\n    url: https://example.com/feed\n")
    refused = project.run("check")
    assert refused.stderr.splitlines()[0] == (
        "error: feeds.yaml:1: limits: must be a valid dictionary or instance of LimitsConfig, got a list"
    )
    project.config_path.write_text("sources:\n  name: News\n  url: https://example.com/feed\n")
    refused = project.run("check")
    assert refused.stderr.splitlines()[0] == "error: feeds.yaml:1: sources: must be a valid list, got a mapping"
