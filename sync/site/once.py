"""What a build works out once per topic or per archive, by the object's identity.

A build reads the archive once and changes nothing of it (sync.site.topics_cache), and shows
each topic in many listings and languages: what is the same everywhere is worked out once.
Kept by identity, never by value (a topic read again is another object, worked out again),
and forgotten with its object, so that `forum serve`'s rebuilds keep no archive of the past.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def per_object(function: Callable[[T], R]) -> Callable[[T], R]:
    """`function`, worked out once for each object it is given (which must not change)."""
    kept: dict[int, tuple[weakref.ref[T], R]] = {}

    @functools.wraps(function)
    def once(item: T) -> R:
        key = id(item)
        entry = kept.get(key)
        if entry is None or entry[0]() is not item:
            entry = kept[key] = (weakref.ref(item, lambda _: kept.pop(key, None)), function(item))
        return entry[1]

    return once
