"""MkDocs hook: the forum's pages, generated from content/ in every language.

Thin on purpose: `sync.site.build_plan` decides which pages exist, how each is protected and
which are copied from the last build; `sync.site.pages` renders them; this file only tells
MkDocs. mkdocs-static-i18n builds the site once per language, calling every event again; the
plan is made once and kept in the MkDocs config.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from sync.i18n.interface import Interface
from sync.model.config import Project
from sync.model.credentials import CredentialError
from sync.model.domain import ContentError
from sync.model.register import load_register
from sync.site import build_plan
from sync.site.encryption import NAME as ENCRYPTION
from sync.site.navigation import navigation
from sync.site.protection import signin_translations
from sync.site.search import post_entries
from sync.site.theme_cache import RenderedOnce, navigation_key, remember_compiled_templates


def _language(config: MkDocsConfig) -> str:
    return config.plugins["i18n"].current_language  # type: ignore[attr-defined]


def _site_names(config: MkDocsConfig) -> dict[str, str]:
    """The forum's name in each language, as mkdocs.yml gives it (the i18n plugin's site_name)."""
    names = {}
    for language in config.plugins["i18n"].config.languages:  # type: ignore[attr-defined]
        names[language.locale] = language.site_name or config.site_name
    return names


@event_priority(100)  # before encryptcontent (0) reads its password inventory
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Hand the encryption plan to mkdocs-encryptcontent: which credential opens which
    level of pages, from $FORUM_CREDENTIALS or, for `--demo`, the demo credentials.
    There is no build without credentials: an unprotected site is never an accident."""
    try:
        invitations = load_register(Project(Path(config.config_file_path).parent).content)
        plan = build_plan.make_plan(config, invitations)
    except (ContentError, CredentialError) as error:
        raise PluginError(str(error)) from None
    remember_compiled_templates(config.theme)  # once per process, not per language and build
    encryption = config.plugins[ENCRYPTION].config
    encryption["password_inventory"] = plan.protection.inventory
    encryption["cache_file"] = str(plan.protection.cache_file)
    encryption["guest_pages"] = plan.protection.guest_pages  # where a guest signing in elsewhere goes
    encryption["translations"] = signin_translations(plan.forum.languages, _site_names(config))
    forum_extra = config.extra.setdefault("forum", {})
    forum_extra["demo"] = plan.protection.demo
    # Interface strings for our theme templates, in the language being built.
    language = _language(config) or plan.forum.default_language
    forum_extra["strings"] = Interface(language).strings
    default = plan.forum.default_language
    forum_extra["language_prefix"] = "" if language == default else f"{language}/"
    # The one 404 page serves every language: its words in each, and the bar's in the default.
    forum_extra["default_strings"] = Interface(default).strings
    forum_extra["not_found"] = [
        {"language": code, "prefix": "" if code == default else f"{code}/", **Interface(code).strings}
        for code in plan.forum.languages
    ]
    forum_extra["contact"] = plan.contact  # the moderator's contact, checked (sync.site.build_plan)
    return config


@event_priority(0)  # before static-i18n (-100), which sorts the files of each language
def _add_pages(files: Files, config: MkDocsConfig) -> Files:
    """Add the forum's pages (every language: the language switch links them) and the
    navigation."""
    plan = build_plan.plan_of(config)
    build_plan.decide_carried(plan, config, config.plugins[ENCRYPTION].content_keys())  # type: ignore[attr-defined]
    for src_uri, listed in build_plan.pages_to_add(plan):
        inclusion = InclusionLevel.INCLUDED if listed else InclusionLevel.NOT_IN_NAV
        files.append(
            File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls, inclusion=inclusion)
        )
    config.nav = navigation(plan.site, _language(config))
    return files


@event_priority(-200)  # after static-i18n, which re-creates every file it keeps
def _give_pages_content(files: Files, config: MkDocsConfig) -> Files:
    """The forum's pages have no Markdown of their own: their HTML comes later."""
    plan = build_plan.plan_of(config)
    for file in files:
        if file.src_uri in plan.pages:
            file.content_string = ""
    return files


# MkDocs names a hook's events by function; one event with two priorities needs this.
on_files = CombinedEvent(_add_pages, _give_pages_content)


@event_priority(100)  # before encryptcontent (0) reads the page's level
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """A forum page's title and level, set directly (never as front matter); every title
    escaped, since the theme prints titles as they are."""
    meta = build_plan.page_meta(build_plan.plan_of(config), page.file.src_uri)
    if meta is not None:
        page.meta.update(meta)
    elif "title" in page.meta:
        page.meta["title"] = build_plan.escaped_title(page.meta["title"])
    return markdown


@event_priority(50)  # before encryptcontent (0) takes the page's HTML to encrypt it
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The forum page's HTML, rendered from the content model in the page's language."""
    plan = build_plan.plan_of(config)
    site_page = plan.pages.get(page.file.src_uri)
    if site_page is None:
        return html
    if page.file.src_uri in (plan.carried or ()):
        return ""  # copied from the last build: rendered to nothing (build_plan.CARRIED_TEMPLATE)
    return build_plan.page_html(plan, site_page)


@event_priority(10)  # before the search plugin (0), which would parse the page's HTML again
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    """Index a topic page for search, one entry per post (sync.site.search.post_entries),
    and tell Material to skip every forum page: listings are no search hits. The entries go
    to the encryption plugin, which encrypts them with the page's key as soon as the page is
    encrypted, rather than to Material's index: held there in clear, every language's text
    was the build's peak of memory. The page's HTML is set aside while Material's search
    plugin, which skips it, runs (ForumEncryption.set_aside)."""
    in_navigation = page in getattr(nav, "pages", [page])
    context["forum_nav_key"] = navigation_key(_language(config), page.url, in_navigation)
    plan = build_plan.plan_of(config)
    site_page = plan.pages.get(page.file.src_uri)
    if site_page is None:
        return context
    topic = plan.forum.topic(site_page.key) if site_page.kind in ("topic", "guest") else None
    # A page copied from the last build has its encrypted entries copied with it (carry).
    if topic is not None and page.file.src_uri not in (plan.carried or ()):
        entries = post_entries(plan.forum, topic, page.url, Interface(site_page.language))
        config.plugins[ENCRYPTION].index_with_page(page.url, entries)  # type: ignore[attr-defined]
    page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    config.plugins[ENCRYPTION].set_aside(page)  # type: ignore[attr-defined]
    return context


def on_env(env: object, config: MkDocsConfig, files: Files) -> object:
    """The theme's `forum_once`, fresh for each build and language (sync.site.theme_cache)."""
    env.globals["forum_once"] = RenderedOnce()  # type: ignore[attr-defined]
    return env


@event_priority(-100)  # after encryptcontent (0) encrypted the page: its HTML is written
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Let go of a forum page's HTML once the page is written: static-i18n builds the other
    languages while the first one's pages are still held, and nothing reads it again."""
    plan = build_plan.plan_of(config)
    if page.file.src_uri in plan.pages:
        page.content = None
    if output.strip() and page.file.src_uri in (plan.carried or ()):
        # MkDocs would write it over the copy, which is the previous site's file too.
        raise PluginError(f"{page.file.src_uri}: a page copied from the last build was rendered again")
    return output


@event_priority(-50)  # before the forum's encryptcontent (-200) writes the search index
def on_post_build(config: MkDocsConfig) -> None:
    """The entries of the encrypted search index of this language's pages copied from the
    previous site (the pages themselves are being copied since the plan: carrier.py)."""
    rebuild = build_plan.inputs_of(config).rebuild
    paths = build_plan.carried_paths(build_plan.plan_of(config), _language(config))
    if rebuild is None or not paths:
        return
    config.plugins[ENCRYPTION].carry_search_entries(  # type: ignore[attr-defined]
        rebuild.previous / "search", [path.removesuffix("index.html") for path in paths]
    )
