"""Python's cycle collector kept off the archive a build holds.

A build of a large archive holds millions of objects read from it (topics, posts, their
texts and dates), none of them in a reference cycle, and kept until the build ends. The
collector walked all of them again and again: while they were made (every few hundred new
objects, a look at the youngest; now and then at all of them), then at every full
collection of the build; over half a second of a rebuild after one reply at 520 topics.
While the archive is read nothing is collected, and once it is read it is left out of the
collector's walks; what MkDocs and Jinja make afterwards (with cycles) is collected as
usual. Nothing is kept longer than without this: the archive is set apart only while a
build holds it, and given back to the collector when the build ends.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def archive_apart() -> Iterator[Callable[[], None]]:
    """No collection until `read()` is called (once the archive is read); from then on,
    what exists (the archive) is left out of collections until the end of the block."""
    was_enabled = gc.isenabled()
    gc.disable()
    frozen = False

    def read() -> None:
        nonlocal frozen
        if not frozen:
            gc.freeze()
            frozen = True
            if was_enabled:
                gc.enable()

    try:
        yield read
    finally:
        if frozen:
            gc.unfreeze()  # back to the oldest generation: collected as usual from now on
        if was_enabled:
            gc.enable()
