"""What one build makes, decided once for MkDocs' hook (hooks/forum.py), which only tells
MkDocs: the forum read, the encryption plan, the pages and their levels, the topics whose
pages are copied from the last build.

One build's inputs (demo or not, the statistics' day, the rebuild of `forum build`) travel
in the MkDocs config (`config.extra`), set by sync.site.build; so does the plan, made at the
first language and kept for the others. MkDocs run on its own (no inputs) builds everything
with the real credentials.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup

from sync.model.config import Project, forum_languages
from sync.model.domain import ContentError, Forum
from sync.model.roster import load_proposals_category
from sync.site import incremental
from sync.site.docs_folder import check_docs_folder
from sync.site.navigation import in_navigation, safe_title
from sync.site.pages import Site, SitePage, TakingPart
from sync.site.protection import Protection, protection_for_build
from sync.site.publish_gate import page_opens
from sync.site.render_ahead import render_ahead
from sync.site.topics_cache import load_forum_cached
from sync.site.urls import forum_repository, outside_link, page_path

INPUTS = "forum_build"  # config.extra: this build's BuildInputs
PLAN = "forum_plan"  # config.extra: this build's BuildPlan
TOPIC_PAGES = ("topic", "guest")
# A page copied from the last build but listed in the navigation is still given to MkDocs, so
# that the navigation and its neighbours' links are as in a full build; this template makes
# it render to nothing, and MkDocs writes no file for an empty page.
CARRIED_TEMPLATE = "forum-carried.html"


@dataclass
class BuildInputs:
    """What `forum build` tells the hook about this build."""

    demo: bool = False
    stats_as_of: date | None = None  # the statistics count up to that day; None: today
    rebuild: incremental.Rebuild | None = None  # None: MkDocs on its own, build everything
    today: date | None = None  # the build's day: this week's topic; None: stats_as_of, else today
    # Kinds of pages copied as the last build made them, when it did, to be built by the next
    # build (`forum serve` shows an edit first, the statistics a moment later).
    later: frozenset[str] = frozenset()


@dataclass
class BuildPlan:
    """The forum's pages of one build and how each is protected."""

    root: Path
    forum: Forum
    protection: Protection
    site: Site
    pages: dict[str, SitePage]  # by MkDocs' src_uri
    carried: frozenset[str] | None = None  # src_uris of pages copied from the last build, once decided
    rendered: dict[str, str] = field(default_factory=dict)  # HTML rendered to decide, used once
    invitations: Sequence[Any] = field(default_factory=tuple)  # the register, read by the hook
    contact: str | None = None  # the moderator's contact for the footer: mailto: or https://


def inputs_of(config: Any) -> BuildInputs:
    """This build's inputs, or a plain MkDocs build's."""
    inputs = config.extra.get(INPUTS)
    return inputs if isinstance(inputs, BuildInputs) else BuildInputs()


def plan_of(config: Any) -> BuildPlan:
    """The plan made by `make_plan` for this build."""
    return config.extra[PLAN]


def make_plan(config: Any, invitations: Sequence[Any]) -> BuildPlan:
    """Read the archive and the credentials (ContentError, CredentialError) and decide the
    pages; made again only when the archive or the guests changed (static-i18n configures
    every language with the same config, `forum serve` after each edit)."""
    root = Path(config.config_file_path).parent
    inputs = inputs_of(config)
    project = Project(root)
    languages = forum_languages(Path(config.config_file_path))
    check_docs_folder(project.content / "pages", languages)
    forum = inputs.rebuild.forum if inputs.rebuild else load_forum_cached(project.content, languages)
    protection = protection_for_build(forum, root, inputs.demo)
    guest_topics = frozenset(protection.guest_levels)
    previous = config.extra.get(PLAN)
    if isinstance(previous, BuildPlan) and previous.forum is forum and previous.protection == protection:
        return previous
    settings = config.extra.get("forum") or {}
    per_page = int(settings.get("topics_per_page", 20))
    where = taking_part(project, forum, settings)
    site = Site(
        forum,
        per_page,
        invitations,
        guest_topics,
        inputs.stats_as_of,
        where,
        inputs.today,
        protection.moderator_pages,
        int(settings.get("weeks_per_page", 20)),
    )
    pages = {page.src_uri: page for page in site.pages()}
    contact = moderator_contact(project, settings.get("contact"))
    plan = BuildPlan(root, forum, protection, site, pages, invitations=invitations, contact=contact)
    config.extra[PLAN] = plan
    return plan


def taking_part(project: Project, forum: Forum, settings: dict[str, Any]) -> TakingPart:
    """Where readers reply and propose on GitHub (ContentError for a bad repository setting)."""
    try:
        repository = forum_repository(settings.get("repository"), (topic.url for topic in forum.topics))
    except ValueError as error:
        raise ContentError(Path(project.root / "mkdocs.yml"), "extra.forum.repository", str(error)) from None
    return TakingPart(repository, load_proposals_category(project.content / "categories.yml"))


_MAILTO = re.compile(r"mailto:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def moderator_contact(project: Project, setting: object) -> str | None:
    """mkdocs.yml's `extra.forum.contact`: a mailto: address or a web address, else refused."""
    if not setting:
        return None
    if isinstance(setting, str) and (_MAILTO.fullmatch(setting) or outside_link(setting) == setting):
        return setting
    raise ContentError(
        project.root / "mkdocs.yml", "extra.forum.contact", f"expected mailto:… or https://…, got {setting!r}"
    )


def pages_to_add(plan: BuildPlan) -> list[tuple[str, bool]]:
    """The forum's pages MkDocs is given (src_uri, listed in the navigation): every page but
    those copied from the last build, unless the navigation lists them."""
    carried = plan.carried or frozenset()
    return [
        (page.src_uri, listed)
        for page in plan.pages.values()
        if (listed := in_navigation(page)) or page.src_uri not in carried
    ]


def page_meta(plan: BuildPlan, src_uri: str) -> dict[str, Any] | None:
    """A forum page's title (escaped: the theme prints it as it is) and its level of
    encryption, set on the page directly: never written as front matter, where a title with
    a newline and `---` would end it and leave the page unencrypted. A page copied from the
    last build is rendered to nothing (CARRIED_TEMPLATE) and indexed by nobody."""
    page = plan.pages.get(src_uri)
    if page is None:
        return None
    if src_uri in (plan.carried or ()):
        return {"title": safe_title(page.title), "template": CARRIED_TEMPLATE, "search": {"exclude": True}}
    return _shown_meta(plan, page)


def _shown_meta(plan: BuildPlan, page: SitePage) -> dict[str, Any]:
    meta = {"title": safe_title(page.title), "level": plan.protection.level_of(page.kind, page.key)}
    if page.kind == "guest":
        meta["forum_guest"] = True  # the theme shows a guest no navigation into pages they cannot open
    return meta


def page_html(plan: BuildPlan, page: SitePage) -> str:
    """A page's HTML: the one rendered when the build decided what to copy, else rendered now."""
    rendered = plan.rendered.pop(page.src_uri, None)
    return plan.site.html(page) if rendered is None else rendered


def escaped_title(title: object) -> object:
    """Any page's title as the theme prints it (the protocol's, from its front matter)."""
    return title if isinstance(title, Markup) or not isinstance(title, str) else safe_title(title)


def decide_carried(plan: BuildPlan, config: Any, keys: dict[str, bytes]) -> frozenset[str]:
    """Pages this build copies from the site it replaces (sync.site.incremental): decided
    once per `forum build`, at its first language. A topic's page is known by its topic's
    files, a category's or the weeks' page by its words and the files of the topics it
    lists (Site.listing_inputs), any other page by the HTML rendered for it (kept for
    MkDocs, rendered once)."""
    rebuild = inputs_of(config).rebuild
    if plan.carried is not None:
        return plan.carried
    if rebuild is None:  # MkDocs on its own: it builds everything, and the site then differs
        incremental.forget(incremental.manifest_file(plan.root), Path(config.site_dir))
        plan.carried = frozenset()
        render_ahead(bodies_built(plan))
        return plan.carried
    forum = plan.forum
    site = incremental.site_fingerprint(
        forum, plan.root, config.plugins["forum/encryptcontent"].keys_id, plan.protection.demo
    )
    topics = {
        topic.id: incremental.topic_fingerprint(topic, plan.protection.guest_levels.get(topic.id))
        for topic in forum.topics
    }
    later = inputs_of(config).later
    fingerprints: dict[str, str | None] = {}
    pages: dict[str, SitePage] = {}
    for page in plan.pages.values():
        path = page_path(page.url, page.language, forum.default_language)
        pages[path] = page
        fingerprints[path] = None if page.kind in later else _fingerprint(plan, page, topics)

    def opens(path: Path) -> bool:
        try:
            return page_opens(path.read_text(encoding="utf-8"), keys)
        except (OSError, ValueError):
            return False

    incremental.plan(rebuild, incremental.manifest_file(plan.root), site, fingerprints, opens)
    for path, fingerprint in fingerprints.items():
        if fingerprint is None and path not in rebuild.carried:  # left for later, but not there
            rebuild.pages[path] = _fingerprint(plan, pages[path], topics)
    # A page MkDocs is not given in one language while it is in another would be made by
    # static-i18n from the other's (its fallback): out of the navigation, a page's languages
    # are copied all or none.
    by_url: dict[str, list[str]] = {}
    for path, page in pages.items():
        by_url.setdefault(page.url, []).append(path)
    partly = {
        path
        for paths in by_url.values()
        if not in_navigation(pages[paths[0]]) and not all(path in rebuild.carried for path in paths)
        for path in paths
    }
    rebuild.carried -= partly
    plan.carried = frozenset(pages[path].src_uri for path in rebuild.carried)
    incremental.start_carrying(rebuild, sorted(rebuild.carried))  # every language's, while MkDocs builds
    render_ahead(bodies_built(plan))
    return plan.carried


def bodies_built(plan: BuildPlan) -> Iterator[str]:
    """The texts shown on the topic pages this build makes (not copied from the last
    build): each post's, the opening one's and every reply's, and each translation's."""
    carried = plan.carried or frozenset()
    built = {
        page.key for page in plan.pages.values() if page.kind in TOPIC_PAGES and page.src_uri not in carried
    }
    for topic in plan.forum.topics:
        if topic.id in built:
            for post in (topic, *topic.replies):
                yield post.body
                yield from (translation.body for translation in post.translations.values())


def _fingerprint(plan: BuildPlan, page: SitePage, topics: dict[str, str]) -> str:
    """What a page shows: its topic's files; for a listing of topics, its words and the files
    of the topics it lists; else the HTML rendered for it (kept for MkDocs)."""
    if page.kind in TOPIC_PAGES:
        shown = topics[page.key]
    elif (inputs := plan.site.listing_inputs(page)) is not None:
        words, listed = inputs
        shown = incremental.page_fingerprint(*words, *(topics[topic.id] for topic in listed))
    else:
        shown = plan.rendered.setdefault(page.src_uri, plan.site.html(page))
    meta = repr(sorted(_shown_meta(plan, page).items()))
    return incremental.page_fingerprint(page.src_uri, meta, shown)


def carried_paths(plan: BuildPlan, language: str) -> list[str]:
    """This language's pages copied from the last build, by their path in the site."""
    carried = plan.carried or frozenset()
    default = plan.forum.default_language
    return [
        page_path(page.url, language, default)
        for page in plan.pages.values()
        if page.src_uri in carried and page.language == language
    ]
