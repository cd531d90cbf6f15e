"""content/pages/, the one folder MkDocs reads itself: every file in it is published as it is,
unencrypted. So it may hold the usage protocol and nothing else, and no symbolic link (a
committed link would publish any file of the build machine)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from sync.i18n.interface import interface_languages
from sync.model.domain import ContentError

_PROTOCOL = re.compile(r"protocol\.([a-z]{2,3})\.md")


def check_docs_folder(pages: Path, languages: Sequence[str]) -> list[Path]:
    """The protocol's files, one per language the forum has or has ready (a language switched
    off in mkdocs.yml keeps its protocol for the day it is switched on); ContentError on
    anything else."""
    known = {*languages, *interface_languages()}
    if pages.is_symlink():
        raise ContentError(pages, None, "a symbolic link; content/pages/ must be a folder of the checkout")
    if not pages.is_dir():
        return []
    found = []
    for path in sorted(pages.rglob("*")):
        if path.is_symlink():
            raise ContentError(
                path, None, "a symbolic link; content/pages/ publishes files as they are, so none"
            )
        if path.is_dir():
            raise ContentError(path, None, "a folder; content/pages/ holds only protocol.<language>.md")
        match = _PROTOCOL.fullmatch(path.name)
        if path.parent != pages or match is None or match[1] not in known:
            expected = ", ".join(f"protocol.{language}.md" for language in sorted(known))
            raise ContentError(
                path, None, f"not a file the forum publishes; content/pages/ holds only {expected}"
            )
        found.append(path)
    return found


def public_page_paths(languages: Sequence[str]) -> frozenset[str]:
    """The site paths of the pages readable without a credential: the protocol's (in every
    language: static-i18n falls back to the default one's), and 404."""
    default = languages[0]
    prefixes = ["" if language == default else f"{language}/" for language in languages]
    return frozenset({"404.html", *(f"{prefix}protocol/index.html" for prefix in prefixes)})
