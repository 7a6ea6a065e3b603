"""The frozen dataclasses that cross between the main process and the parser workers."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from .errors import describe

T = TypeVar("T")


def compact_pickle(cls: type[T]) -> type[T]:
    """Pickle a slotted dataclass as a call of its constructor.

    For slots=True, dataclasses pickles through a __getstate__/__setstate__ pair that walks fields()
    for every object: about 4x slower, and ten thousand items cross the process boundary per poll."""
    names = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]  # T is not bound to dataclasses

    def __reduce__(self: Any) -> tuple[Any, tuple[Any, ...]]:
        return cls, tuple([getattr(self, n) for n in names])

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]  # replacing the method is the point
    return cls


@compact_pickle
@dataclasses.dataclass(frozen=True, slots=True)
class Skipped:
    """Items left out of a source's result because handling them raised: how many, and the first
    reason, for the run summary. A bad item costs that item, never its source or the cycle."""

    count: int = 0
    reason: str | None = None

    def add(self, error: BaseException) -> Skipped:
        return Skipped(self.count + 1, self.reason or describe(error))

    def __add__(self, other: Skipped) -> Skipped:
        return Skipped(self.count + other.count, self.reason or other.reason)
