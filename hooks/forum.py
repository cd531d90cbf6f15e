"""MkDocs hook: the forum's pages, generated from content/ in every language.

Thin on purpose: the content model reads and validates the archive, `sync.pages` decides
which pages exist and renders them; this file only tells MkDocs about them.

mkdocs-static-i18n builds the site once per language, calling every event again; the
archive is read once and kept while its files are unchanged.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from sync.config import forum_languages
from sync.content import load_forum
from sync.interface import Interface
from sync.model import ContentError
from sync.pages import Site, SitePage

_cache: dict[str, object] = {}


def _fingerprint(content: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of every file in content/: any edit changes it."""
    entries = []
    for folder, _, names in os.walk(content):
        for name in names:
            stat = os.stat(os.path.join(folder, name))
            entries.append((os.path.join(folder, name), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(entries))


def _site(config: MkDocsConfig) -> Site:
    """The forum's pages, read from content/ (the docs_dir) again only when it changed."""
    content = Path(config.docs_dir)
    key = (str(content), _fingerprint(content), config.config_file_path)
    if _cache.get("key") != key:
        languages = forum_languages(Path(config.config_file_path))
        forum = load_forum(content, languages)
        per_page = int((config.extra.get("forum") or {}).get("topics_per_page", 20))
        _cache["key"], _cache["site"] = key, Site(forum, per_page)
        _cache["pages"] = {page.src_uri: page for page in _cache["site"].pages()}  # type: ignore[attr-defined]
    return _cache["site"]  # type: ignore[return-value]


def _pages() -> dict[str, SitePage]:
    return _cache["pages"]  # type: ignore[return-value]


def _current_language(config: MkDocsConfig) -> str:
    return config.plugins["i18n"].current_language  # type: ignore[attr-defined]


@event_priority(0)  # before static-i18n (-100), which sorts the files of each language
def _add_pages(files: Files, config: MkDocsConfig) -> Files:
    """Add the forum's pages (every language: the language switch links them) and the
    navigation: categories only, as listing every topic makes builds quadratic."""
    try:
        site = _site(config)
    except ContentError as error:
        raise PluginError(str(error)) from None
    for page in _pages().values():
        # Only topics and later listing pages stay out of the navigation.
        listed = page.kind in ("home", "proposals") or (page.kind == "category" and page.number == 1)
        inclusion = InclusionLevel.INCLUDED if listed else InclusionLevel.NOT_IN_NAV
        files.append(
            File(
                page.src_uri, config.docs_dir, config.site_dir, config.use_directory_urls, inclusion=inclusion
            )
        )
    config.nav = _navigation(site, _current_language(config))
    return files


@event_priority(-200)  # after static-i18n, which re-creates every file it keeps
def _give_pages_content(files: Files, config: MkDocsConfig) -> Files:
    """Give the kept files of our pages their (tiny) Markdown: a title; the HTML comes later."""
    pages = _pages()
    for file in files:
        page = pages.get(file.src_uri)
        if page is not None:
            title = page.title.replace("\\", "\\\\").replace('"', '\\"')
            file.content_string = f'---\ntitle: "{title}"\n---\n'
    return files


# MkDocs names a hook's events by function; one event with two priorities needs this.
on_files = CombinedEvent(_add_pages, _give_pages_content)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The forum page's HTML, rendered from the content model in the page's language."""
    site_page = _pages().get(page.file.src_uri)
    return html if site_page is None else _site(config).html(site_page)


def _navigation(site: Site, language: str) -> list[object]:
    t = Interface(language)
    default = site.forum.default_language
    categories = [
        {category.name(language, default): f"categories/{category.id}/index.md"}
        for category in site.forum.categories.values()
    ]
    return [
        {t("home_title"): "index.md"},
        {t("categories"): categories},
        {t("topic_proposals"): "proposals.md"},
        "protocol.md",
    ]
