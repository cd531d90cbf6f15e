"""The forum's navigation, as MkDocs is told it: categories only, never every topic (listing
every topic makes builds quadratic), and every title escaped (MkDocs' Jinja does not
autoescape: a category named with markup would otherwise run in the reader's browser)."""

from __future__ import annotations

from markupsafe import Markup, escape

from sync.i18n.interface import Interface
from sync.site.pages import Site, SitePage

# Pages in the navigation: the rest (topics, later listing pages) are reached by links.
_LISTED = ("home", "proposals", "statistics", "search", "invitations")
_PAGINATED = ("category", "weeks")  # their first page only


def in_navigation(page: SitePage) -> bool:
    """Whether a generated page is listed in the navigation."""
    return page.kind in _LISTED or (page.kind in _PAGINATED and page.number == 1)


def safe_title(title: str) -> Markup:
    """A title as the theme's templates print it: escaped once, never twice."""
    return escape(title)


def navigation(site: Site, language: str) -> list[object]:
    """MkDocs' `nav` for one language."""
    t = Interface(language)
    default = site.forum.default_language
    categories = [
        {safe_title(category.name(language, default)): f"categories/{category.id}/index.md"}
        for category in site.forum.categories.values()
    ]
    return [
        {safe_title(t("home_title")): "index.md"},
        {safe_title(t("weeks_title")): "weeks/index.md"},
        {safe_title(t("search")): "find/index.md"},
        {safe_title(t("categories")): categories},
        {safe_title(t("topic_proposals")): "proposals.md"},
        {safe_title(t("stats_title")): "statistics/index.md"},
        *([{safe_title(t("invitations_title")): "invitations/index.md"}] if site.moderator_pages else []),
        "protocol.md",
    ]
