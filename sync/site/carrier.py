"""The pages of unchanged topics copied from the previous site into the one being built, by
a program of its own (`python -m sync.site.carrier PREVIOUS STAGING`: the pages' paths on
its standard input, separated by NUL; on its standard output, why it could not), started
by sync.site.incremental while the build renders the pages that changed.

The copy is mostly the disk's work (a folder made for each page: some 1,700 after a reply
at 520 topics, a second on a slow disk), which a process beside the build does on another
processor. It imports nothing of the forum: it starts in the time of Python's own start.
"""

from __future__ import annotations

import os
import shutil
import sys


def carry(previous: str, staging: str, paths: list[str]) -> None:
    """Give each page of `previous` a second name in `staging` (a copy on another file
    system): the previous site is removed once the new one is in place, and nothing writes
    to a copied page (the build renders those to nothing: sync.site.build_plan)."""
    made: set[str] = set()
    for path in paths:
        if os.path.isabs(path) or ".." in path.split("/"):
            raise ValueError(f"{path!r}: not a page's path in the site")
        source, target = os.path.join(previous, path), os.path.join(staging, path)
        folder = os.path.dirname(target)
        if folder not in made:  # most pages are a folder's index.html: made once
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        try:
            os.link(source, target)
        except OSError:  # another file system
            shutil.copy2(source, target)


def main(arguments: list[str], listed: bytes) -> str | None:
    """Carry the pages listed; None, else why not (the build's message, sent back to it)."""
    if len(arguments) != 2:
        return "expected the previous site's folder and the new one's"
    paths = [path for path in listed.decode("utf-8", "surrogateescape").split("\0") if path]
    try:
        carry(arguments[0], arguments[1], paths)
    except (OSError, ValueError) as error:
        return str(error)
    return None


if __name__ == "__main__":
    # The answer goes back to the build on standard output (sync.site.incremental), which
    # reports it: nothing when every page was copied.
    why = main(sys.argv[1:], sys.stdin.buffer.read())
    if why is not None:
        sys.stdout.buffer.write(why.encode("utf-8", "surrogateescape"))
    sys.exit(0 if why is None else 1)
