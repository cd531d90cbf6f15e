"""Python's cycle collector kept off the archive a build holds.

A build of a large archive holds millions of objects read from it (topics, posts, their
texts and dates), none of them in a reference cycle, and kept until the build ends. The
collector walked all of them again at every full collection: half a second of a rebuild
after one reply at 520 topics. Objects made while reading the archive, and the archive
once read, are left out of its walks; what MkDocs and Jinja make afterwards (with cycles)
is collected as usual. Nothing is kept longer than without this: the archive is set apart
only while a build holds it, and given back to the collector when the build ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_collection() -> Iterator[None]:
    """No collection while reading data that makes no cycle (JSON, front matter)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def held_apart() -> Iterator[None]:
    """What exists now (the archive just read) left out of collections until the end."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # back to the oldest generation: collected as usual from now on
