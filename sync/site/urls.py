"""Where each page of the forum lives in the site: opaque topic codes, relative links.

One home for addresses: the pages, the statistics, the protection plan, rebuilds, the digest
and the moderator's commands all ask here.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlsplit


def topic_slug(topic_id: str) -> str:
    """A topic's address: opaque, so that a URL tells nothing of what is discussed."""
    return hashlib.sha256(topic_id.encode()).hexdigest()[:12]


def topic_url(topic_id: str) -> str:
    """Address of a topic's page, language-neutral: `topics/ab12cd34ef56/`."""
    return f"topics/{topic_slug(topic_id)}/"


def guest_url(topic_id: str) -> str:
    """Where a guest reads the topic they were invited to: a copy of the topic page that only
    guests' credentials open, so that delegations' keys never need a key per guest topic."""
    return f"guests/{topic_slug('guest ' + topic_id)}/"


def category_url(category_id: str, number: int = 1) -> str:
    """Address of a category listing, or of its later pages."""
    return f"categories/{category_id}/" + (f"page/{number}/" if number > 1 else "")


def weeks_url(number: int = 1) -> str:
    """Address of the topics by week, or of its later pages."""
    return "weeks/" + (f"page/{number}/" if number > 1 else "")


@lru_cache(maxsize=65536)  # every listing links every topic it shows, in every language
def relative(from_url: str, to_url: str) -> str:
    """A link between two pages of the same language (language-neutral URLs such as
    `topics/ab12/`), which therefore works under every language prefix."""
    target = posixpath.relpath(to_url or ".", from_url or ".")
    return "./" if target == "." else f"{target}/"


def page_path(url: str, language: str, default_language: str) -> str:
    """Where a page of the forum is written in the site: `fr/topics/<slug>/index.html`."""
    prefix = "" if language == default_language else f"{language}/"
    return f"{prefix}{url}index.html"


def outside_link(url: str | None) -> str | None:
    """A post's `url` (its discussion on GitHub) if it is a web address with a host, else
    None: `javascript:`, `data:` and the like are never made into links."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        return None
    if any(ord(character) < 0x21 for character in url.strip()):  # spaces, control characters
        return None
    return url.strip()


_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_DISCUSSION = re.compile(r"https://github\.com/([A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100})/discussions/\d+")


def forum_repository(setting: object, post_urls: Iterable[str | None]) -> str | None:
    """The forum's repository on GitHub, OWNER/REPO: mkdocs.yml's `extra.forum.repository`
    where set (refused unless it is a repository's name), else the repository the topics'
    discussions are in; None when neither says."""
    if setting:
        if not isinstance(setting, str) or not _REPOSITORY.fullmatch(setting) or ".." in setting:
            raise ValueError(f"extra.forum.repository: expected OWNER/REPO, got {setting!r}")
        return setting
    for url in post_urls:
        if url and (match := _DISCUSSION.match(url)):
            return match[1]
    return None


@dataclass(frozen=True)
class TakingPart:
    """Where readers take part on GitHub: the forum's repository and its proposals category."""

    repository: str | None = None  # OWNER/REPO, from mkdocs.yml or the topics' addresses
    proposals_category: str = "proposals"  # the Discussions category's slug

    def new_proposal_url(self) -> str | None:
        """GitHub's form for a new discussion in the proposals category."""
        if not self.repository:
            return None
        category = quote(self.proposals_category, safe="")
        return f"https://github.com/{self.repository}/discussions/new?category={category}"
