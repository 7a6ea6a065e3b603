"""Pickled results kept beside the database, named by a hash of what they were built from.

Used for what every run would otherwise rebuild from unchanged input: the validated vendor register
and the Matcher built from it. The files are ours (0600, beside the database), never feed content.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any


def cache_path(database: str | os.PathLike[str], kind: str, key: str) -> Path:
    return Path(f"{database}.{kind}-{key}.pickle")


def load(path: Path, key: str) -> Any | None:
    """The cached object, or None when the file is missing, unreadable or holds another key."""
    try:
        with open(path, "rb") as f:
            stored_key, obj = pickle.load(f)  # noqa: S301 (our own file, see the module docstring)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return None
    return obj if stored_key == key else None


def store(path: Path, key: str, obj: Any) -> None:
    """Write atomically (an overlapping run sees the whole file or none) and drop older versions."""
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        pickle.dump((key, obj), f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    prefix = path.name[: path.name.rindex("-") + 1]
    for old in path.parent.glob(f"{prefix}*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
