"""`python -m sync.cli`: the `forum` command."""

from sync.cli.start import run

# Guarded, as Python asks of a program whose code starts processes (sync.site.render_ahead).
if __name__ == "__main__":
    run()
