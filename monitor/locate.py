"""Where the config and the database are, without validating the whole config.

Read-only commands (`monitor search`) need only the database path; importing and
building the pydantic models would cost more than the query itself. config.py does not import
this module (it would be an import cycle): the CLI calls config_path() and then load_config().
"""

from __future__ import annotations

import os
from pathlib import Path


def config_path(explicit: str | os.PathLike[str] | None) -> Path:
    """--config, else $MONITOR_CONFIG, else ./feeds.yaml."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("MONITOR_CONFIG")
    return Path(env) if env else Path("feeds.yaml")


def database_path(config_file: Path) -> Path:
    """The `database:` of feeds.yaml, resolved against its folder. Falls back to full validation on any doubt."""
    import yaml

    try:
        data = yaml.safe_load(config_file.read_text(encoding="utf-8-sig"))
        db = data.get("database", "monitor.db") if isinstance(data, dict) else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        db = None
    if not isinstance(db, str) or not db.strip():
        from .config import load_config

        return load_config(config_file).database  # raises the full, line-numbered ConfigError
    return config_file.resolve().parent / db
