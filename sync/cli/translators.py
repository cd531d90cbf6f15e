"""`forum translations` for external providers: the XLIFF package and the TMX memory.

`sync.cli.moderator` keeps the group and the Markdown package; with `--format xliff` its
export and import hand over to the functions here, and `memory` is added to the group.
"""

from __future__ import annotations

from pathlib import Path

import click

from sync.cli.options import one_line, open_project, project_option
from sync.moderator.translations import ImportReport

FORMATS = ("markdown", "xliff")
XLIFF_SUFFIXES = (".xlf", ".xliff")


export_format_option = click.option(
    "--format",
    "package_format",
    type=click.Choice(FORMATS),
    default="markdown",
    show_default=True,
    help="One Markdown file per post, or one XLIFF 1.2 file for CAT tools.",
)
import_format_option = click.option(
    "--format",
    "package_format",
    type=click.Choice(FORMATS),
    default=None,
    help="The package's format (default: XLIFF for a .xlf file or a folder holding one).",
)


def is_xliff_package(location: Path, package_format: str | None) -> bool:
    """Whether to read `location` as XLIFF: asked for, or a .xlf file or a folder of them."""
    if package_format == "xliff" or (package_format is None and xliff_files(location)):
        return True
    if location.is_file():
        raise click.ClickException(f"{location}: a Markdown package is a folder")
    return False


def export_xliff_package(project_dir: Path | None, language: str, folder: Path) -> None:
    """Write the XLIFF file for `language` into `folder` and say what it holds."""
    from sync.model.content import load_forum
    from sync.moderator.xliff import export_xliff

    project = open_project(project_dir)
    with one_line():
        exported = export_xliff(load_forum(project.content, project.languages()), language, folder)
    click.echo(
        f"Wrote {exported.path}: {exported.posts} posts, {exported.units} units, {exported.words} words "
        "(XLIFF 1.2). The translator translates every unit, and unit 'translator' with their name."
    )


def xliff_files(location: Path) -> list[Path]:
    """The XLIFF files given: one file, or those in a folder."""
    if location.is_file():
        return [location] if location.suffix.lower() in XLIFF_SUFFIXES else []
    return sorted(p for p in location.iterdir() if p.suffix.lower() in XLIFF_SUFFIXES)


def import_xliff_package(project_dir: Path | None, location: Path) -> ImportReport:
    """Read the translator's XLIFF file(s) back into content/, checking each post."""
    from sync.model.content import load_forum
    from sync.moderator.xliff import import_xliff

    project = open_project(project_dir)
    paths = xliff_files(location)
    if not paths:
        raise click.ClickException(f"{location}: no .xlf or .xliff file to import")
    with one_line():
        return import_xliff(load_forum(project.content, project.languages()), paths)


@click.command("memory")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("forum.tmx"),
    show_default=True,
    help="The TMX file to write.",
)
@project_option
def translations_memory(out: Path, project_dir: Path | None) -> None:
    """Export every existing translation as a TMX translation memory for the CAT tools."""
    from sync.model.content import load_forum
    from sync.moderator.memory import write_memory

    project = open_project(project_dir)
    with one_line():
        count = write_memory(load_forum(project.content, project.languages()), out)
    click.echo(f"Wrote {out}: {count} translation pairs (TMX 1.4).")
