"""Pickled results kept beside the database, named by a hash of what they were built from.

Used for what every run would otherwise rebuild from unchanged input: the validated vendor register
and the Matcher built from it. The files are ours (0600, beside the database), never feed content;
one that another user owns or could have written is not loaded (unpickling runs code) but rebuilt.
"""

from __future__ import annotations

import logging
import os
import pickle
import stat
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def cache_path(database: str | os.PathLike[str], kind: str, key: str) -> Path:
    return Path(f"{database}.{kind}-{key}.pickle")


def _ours(st: os.stat_result) -> bool:
    """Unpickling runs code: only a file this user owns and no one else can write is ours to load."""
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def usable(path: Path) -> bool:
    """The file exists and may be loaded (else it is rebuilt and replaced)."""
    try:
        return _ours(path.stat())
    except OSError:
        return False


def load(path: Path, key: str) -> Any | None:
    """The cached object, or None when the file is missing, unreadable, not ours (see _ours) or holds
    another key. None makes the caller rebuild it, and store() replaces the file with one of ours."""
    try:
        with open(path, "rb") as f:
            if not _ours(os.fstat(f.fileno())):  # the opened file itself: no swap after a check
                log.warning("ignoring cache %s: not owned by this user or writable by others (rebuilding it)", path)
                return None
            stored_key, obj = pickle.load(f)  # noqa: S301 (our own file, checked above)
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
