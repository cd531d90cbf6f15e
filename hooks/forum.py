"""MkDocs hook: the forum's pages, generated from content/ in every language.

Thin on purpose: the content model reads and validates the archive, `sync.site.pages` decides
which pages exist and renders them; this file only tells MkDocs about them.

mkdocs-static-i18n builds the site once per language, calling every event again; the
archive is read once and kept while its files are unchanged.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from sync.i18n.interface import Interface
from sync.model.config import Project, forum_languages
from sync.model.content import load_forum_cached
from sync.model.credentials import CredentialError
from sync.model.domain import ContentError, Forum
from sync.model.register import load_register
from sync.site import incremental
from sync.site.encryption import NAME as ENCRYPTION
from sync.site.pages import Site, SitePage
from sync.site.protection import Protection, protection_for_build, signin_translations
from sync.site.search import search_sections

_cache: dict[str, object] = {}


class _OwnSearchFilter(logging.Filter):
    """encryptcontent warns that Material cannot read its encrypted search index; the forum
    reads it with its own script (hooks/theme/assets/forum-search.js), so the warning,
    which would fail a strict build, does not apply."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "needs to be customized (patched)" not in record.getMessage()


_encryptcontent_log = logging.getLogger("mkdocs.plugins.encryptcontent")
if not any(isinstance(f, _OwnSearchFilter) for f in _encryptcontent_log.filters):
    _encryptcontent_log.addFilter(_OwnSearchFilter())


def _forum(config: MkDocsConfig) -> Forum:
    """The archive in content/, read again only when it changed."""
    rebuild = incremental.current()
    if rebuild is not None:  # `forum build` read it just before MkDocs started
        return rebuild.forum
    return load_forum_cached(_content(config), forum_languages(Path(config.config_file_path)))


def _content(config: MkDocsConfig) -> Path:
    """The archive's folder; MkDocs' docs_dir is content/pages/, the protocol, inside it."""
    return Project(Path(config.config_file_path).parent).content


def _site(config: MkDocsConfig, forum: Forum, protection: Protection) -> Site:
    """The forum's pages, made again only when the archive or the guests changed."""
    guest_topics = frozenset(protection.guest_levels)
    key = (id(forum), config.config_file_path, guest_topics)
    if _cache.get("key") != key:
        per_page = int((config.extra.get("forum") or {}).get("topics_per_page", 20))
        invitations = load_register(_content(config))  # the guests' register, for the moderator
        _cache["key"], _cache["site"] = key, Site(forum, per_page, invitations, guest_topics)
        _cache["pages"] = {page.src_uri: page for page in _cache["site"].pages()}  # type: ignore[attr-defined]
    return _cache["site"]  # type: ignore[return-value]


def _current_site() -> Site:
    """The site read by on_config for this build (reading it again per page would walk
    content/ once per page: quadratic)."""
    return _cache["site"]  # type: ignore[return-value]


def _pages() -> dict[str, SitePage]:
    return _cache["pages"]  # type: ignore[return-value]


def _current_language(config: MkDocsConfig) -> str:
    return config.plugins["i18n"].current_language  # type: ignore[attr-defined]


@event_priority(100)  # before encryptcontent (0) reads its password inventory
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Hand the encryption plan to mkdocs-encryptcontent: which credential opens which
    level of pages, from $FORUM_CREDENTIALS or, for `--demo`, the demo credentials.
    There is no build without credentials: an unprotected site is never an accident."""
    try:
        forum = _forum(config)
        protection = protection_for_build(forum, Path(config.config_file_path).parent)
    except (ContentError, CredentialError) as error:
        raise PluginError(str(error)) from None
    site = _site(config, forum, protection)
    _cache["protection"] = protection
    encryption = config.plugins[ENCRYPTION].config
    encryption["password_inventory"] = protection.inventory
    encryption["cache_file"] = str(protection.cache_file)
    encryption["translations"] = signin_translations(site.forum.languages)
    forum_extra = config.extra.setdefault("forum", {})
    forum_extra["demo"] = protection.demo
    # Interface strings for our theme templates, in the language being built.
    language = config.plugins["i18n"].current_language or site.forum.default_language  # type: ignore[attr-defined]
    forum_extra["strings"] = Interface(language).strings
    return config


def _protection() -> Protection:
    return _cache["protection"]  # type: ignore[return-value]


@event_priority(0)  # before static-i18n (-100), which sorts the files of each language
def _add_pages(files: Files, config: MkDocsConfig) -> Files:
    """Add the forum's pages (every language: the language switch links them) and the
    navigation: categories only, as listing every topic makes builds quadratic."""
    site = _current_site()
    carried = _carried_topics(config)
    for page in _pages().values():
        if page.kind in _TOPIC_PAGES and page.key in carried:
            continue  # copied from the previous site after the build (on_post_build)
        # Only topics and later listing pages stay out of the navigation.
        listed = page.kind in ("home", "proposals", "statistics", "search", "invitations") or (
            page.kind == "category" and page.number == 1
        )
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
    """Give the kept files of our pages their (tiny) Markdown: a title and the level of
    encryption (which credentials open the page); the HTML comes later."""
    pages = _pages()
    for file in files:
        page = pages.get(file.src_uri)
        if page is not None:
            title = page.title.replace("\\", "\\\\").replace('"', '\\"')
            level = _protection().level_of(page.kind, page.key)
            file.content_string = f'---\ntitle: "{title}"\nlevel: {level}\n---\n'
    return files


_TOPIC_PAGES = ("topic", "guest")


def _carried_topics(config: MkDocsConfig) -> frozenset[str]:
    """Topics whose pages this build copies from the site it replaces (sync.site.incremental):
    decided once per `forum build`, at its first language."""
    protection = _protection()
    manifest_file = protection.cache_file.with_name(protection.cache_file.name + ".pages.json")
    rebuild = incremental.current()
    if rebuild is None:  # MkDocs on its own: it builds everything, and the site then differs
        incremental.forget(manifest_file, Path(config.site_dir))
        return frozenset()
    if rebuild.manifest_file is None:
        forum = _current_site().forum
        site = incremental.site_fingerprint(
            forum, Path(config.config_file_path).parent, config.plugins[ENCRYPTION].keys_id, protection.demo
        )
        topics = {
            topic.id: incremental.topic_fingerprint(topic, protection.guest_levels.get(topic.id))
            for topic in forum.topics
        }
        paths: dict[str, list[str]] = {}
        for page in _pages().values():
            if page.kind in _TOPIC_PAGES:
                path = incremental.page_path(page.url, page.language, forum.default_language)
                paths.setdefault(page.key, []).append(path)
        incremental.plan(rebuild, manifest_file, site, topics, paths)
    return rebuild.carried


@event_priority(-50)  # before the forum's encryptcontent (-200) writes the search index
def on_post_build(config: MkDocsConfig) -> None:
    """Copy this language's pages of unchanged topics from the previous site, with their
    entries of the encrypted search index (the keys are the same)."""
    rebuild = incremental.current()
    if rebuild is None or not rebuild.carried:
        return
    language = _current_language(config)
    default = _current_site().forum.default_language
    pages = [
        page
        for page in _pages().values()
        if page.kind in _TOPIC_PAGES and page.key in rebuild.carried and page.language == language
    ]
    if not pages:
        return
    paths = [incremental.page_path(page.url, language, default) for page in pages]
    incremental.carry(rebuild, paths)
    config.plugins[ENCRYPTION].carry_search_entries(  # type: ignore[attr-defined]
        rebuild.previous / "search",
        [path.removesuffix("index.html") for path in paths],
    )


# MkDocs names a hook's events by function; one event with two priorities needs this.
on_files = CombinedEvent(_add_pages, _give_pages_content)


@event_priority(50)  # before encryptcontent (0) takes the page's HTML to encrypt it
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The forum page's HTML, rendered from the content model in the page's language."""
    site_page = _pages().get(page.file.src_uri)
    return html if site_page is None else _current_site().html(site_page)


@event_priority(10)  # before the search plugin (0), which would parse the page's HTML again
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    """Index a forum page for search from the HTML we rendered, the same sections Material's
    search would find (sync.site.search.search_sections), and tell Material to skip it."""
    if page.file.src_uri not in _pages():
        return context
    index = config.plugins["material/search"].search_index  # type: ignore[attr-defined]
    for section in search_sections(page.content or ""):
        location = page.url if section.anchor is None else f"{page.url}#{section.anchor}"
        index.entries.append(
            {"location": location, "title": section.title or page.title, "text": section.text}
        )
    page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    return context


def _navigation(site: Site, language: str) -> list[object]:
    t = Interface(language)
    default = site.forum.default_language
    categories = [
        {category.name(language, default): f"categories/{category.id}/index.md"}
        for category in site.forum.categories.values()
    ]
    return [
        {t("home_title"): "index.md"},
        {t("search"): "find/index.md"},
        {t("categories"): categories},
        {t("topic_proposals"): "proposals.md"},
        {t("stats_title"): "statistics/index.md"},
        {t("invitations_title"): "invitations/index.md"},
        "protocol.md",
    ]
