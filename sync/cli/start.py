"""The `forum` command's start: what a build can begin on the other processor is begun
before the command's modules are imported (sync.site.topics_reader), then the command."""

import sys


def run() -> None:
    """The `forum` command, as installed and as `python -m sync.cli`."""
    from sync.site import topics_reader  # light: the standard library and PyCryptodome's loader (sync.site)

    topics_reader.start_for(sys.argv[1:])
    from sync.cli.main import run as command  # MkDocs, Material, the forum: half a second

    command()
