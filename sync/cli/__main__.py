"""`python -m sync.cli`: the `forum` command."""

from sync.cli.main import run

run()
