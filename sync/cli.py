"""The `forum` command: what the moderator and maintainers type.

Each command parses its options, asks the library to do the work and prints the outcome;
errors are one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import click

from .build import BuildError, build_site, serve_site, show_mkdocs_log
from .config import Project, find_project
from .model import ContentError

project_option = click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The forum checkout (default: the one containing the current folder).",
)


def _project(project_dir: Path | None) -> Project:
    try:
        return find_project(project_dir)
    except ContentError as error:
        raise click.ClickException(str(error)) from None


@click.group()
@click.version_option(package_name="wipo-ta-forum")
def main() -> None:
    """The WIPO technical-assistance forum: build the site, sync contributions, moderate."""


@main.command()
@project_option
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the site (default: site/ in the checkout).",
)
@click.option("--verbose", is_flag=True, help="Show MkDocs' progress messages.")
def build(project_dir: Path | None, site_dir: Path | None, verbose: bool) -> None:
    """Build the forum's site from content/ (strict: any warning fails the build)."""
    project = _project(project_dir)
    show_mkdocs_log(verbose)
    try:
        report = build_site(project, site_dir)
    except BuildError as error:
        raise click.ClickException(f"build failed: {error}") from None
    click.echo(f"Built {report.pages} pages into {report.site_dir} in {report.seconds:.1f} s")


@main.command()
@project_option
@click.option("--port", type=int, default=8000, show_default=True, help="Port on 127.0.0.1.")
def serve(project_dir: Path | None, port: int) -> None:
    """Serve the forum on 127.0.0.1 and rebuild it when content/ changes."""
    project = _project(project_dir)
    show_mkdocs_log(verbose=True)
    click.echo(f"Serving the forum at http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    try:
        serve_site(project, f"127.0.0.1:{port}")
    except BuildError as error:
        raise click.ClickException(str(error)) from None


if __name__ == "__main__":
    main()
