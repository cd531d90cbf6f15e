"""Which credential opens which page: the encryption plan handed to mkdocs-encryptcontent.

Every page with forum content is encrypted in the reader's browser (AES, keys derived
from passwords with PBKDF2). Pages are grouped in levels, each with its own random key:
the whole forum is one level, opened by every delegation; a topic to which a guest is
invited also has a copy of its own (`guests/<code>/`), a level opened by its guests
alone, so that a guest's credential opens that topic and nothing else. Content keys are drawn
afresh whenever the credentials change, and at least weekly (sync.site.encryption), so a key kept
from before a revocation opens nothing built after it.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sync.i18n.interface import Interface
from sync.model.credentials import (
    MODERATOR,
    Credential,
    CredentialError,
    credentials_path,
    load_credentials,
)
from sync.model.domain import Forum
from sync.site.urls import guest_url, topic_slug

FORUM_LEVEL = "forum"
# The moderator's own pages (the statistics' moderator's view, the guest-invitations register),
# opened by the moderator's credential (WIPO) alone; not built when there is no such credential.
MODERATOR_LEVEL = "moderator"
MODERATOR_PAGES = ("moderator", "invitations")
# PBKDF2-SHA256 iterations, as a power of ten (the plugin's `kdf_pow`): 10^6, above
# OWASP's 600,000; derived keys are cached between builds, outside the repository.
KDF_POWER = 6


@dataclass(frozen=True)
class Protection:
    """The encryption plan of one build."""

    inventory: dict[str, dict[str, str]]  # level → {user name: password}
    guest_levels: dict[str, str]  # topic id → its own level, for topics with guests
    cache_file: Path  # encryptcontent's cache of derived keys: secret, never in site/
    demo: bool

    def level_of(self, kind: str, topic_id: str) -> str:
        """The level of a page: a guest copy's own level, the moderator's, else the forum's."""
        if kind == "guest":
            return self.guest_levels[topic_id]
        return MODERATOR_LEVEL if kind in MODERATOR_PAGES else FORUM_LEVEL

    @property
    def guest_pages(self) -> dict[str, str]:
        """Each guest level's page (language-neutral): where a guest who signs in elsewhere goes."""
        return {level: guest_url(topic_id) for topic_id, level in self.guest_levels.items()}

    @property
    def moderator_pages(self) -> bool:
        """Whether the moderator's own pages are built: only when a credential opens them."""
        return MODERATOR_LEVEL in self.inventory


def demo_password(user: str) -> str:
    """The documented password of a demo credential: public, for the demo only."""
    return f"demo-{user.lower()}-forum-password"


def demo_credentials(forum: Forum, today: date) -> list[Credential]:
    """A credential per member state of the roster, WIPO's, and one per roster guest."""
    delegations = [Credential(code, demo_password(code), today) for code in forum.roster.member_states]
    delegations.append(Credential(MODERATOR, demo_password(MODERATOR), today))
    topics = {topic.id for topic in forum.topics}
    guests = [
        Credential(g.login, demo_password(g.login), today, (g.topic,), g.requested_by, g.until)
        for g in forum.roster.guests
        if g.topic in topics and g.requested_by and g.until
    ]
    return [*delegations, *guests]


def plan(forum: Forum, credentials: list[Credential], cache_file: Path, demo: bool) -> Protection:
    """Levels and their credentials for a build; refuses a plan that would admit nobody."""
    delegations = {c.user: c.password for c in credentials if not c.is_guest}
    if not delegations:
        raise CredentialError("the credentials file holds no delegation: nobody could read the forum")
    inventory = {FORUM_LEVEL: delegations}
    if MODERATOR in delegations:
        inventory[MODERATOR_LEVEL] = {MODERATOR: delegations[MODERATOR]}
    # A guest reads a copy of their topic at a level of its own, opened by guests alone: a
    # delegation's key entry then holds one key, however many topics have guests, and every
    # page, which carries every credential's entry, stays light.
    guest_levels: dict[str, str] = {}
    known_topics = {topic.id for topic in forum.topics}
    for guest in (c for c in credentials if c.is_guest):
        for topic_id in guest.topics:
            if topic_id not in known_topics:
                raise CredentialError(
                    f"guest {guest.user} is invited to topic {topic_id}, which is not in content/"
                )
            level = guest_levels.setdefault(topic_id, f"topic-{topic_slug(topic_id)}")
            inventory.setdefault(level, {})[guest.user] = guest.password
    return Protection(inventory, guest_levels, cache_file, demo)


def _demo_cache_name() -> str:
    """The demo's derived keys, kept in the temporary folder between builds (tests build the
    demo often), one file per checkout of this code: two checkouts built side by side, at
    different versions of the cache's format, never read each other's."""
    checkout = Path(__file__).resolve().parents[2]
    return f"wipo-forum-demo-{hashlib.sha256(str(checkout).encode()).hexdigest()[:12]}.kdf-cache"


def protection_for_build(
    forum: Forum, project_root: Path, demo: bool = False, today: date | None = None
) -> Protection:
    """The plan from the demo credentials (`demo`) or from $FORUM_CREDENTIALS."""
    today = today or date.today()
    if demo:
        cache = Path(tempfile.gettempdir()) / _demo_cache_name()
        return plan(forum, demo_credentials(forum, today), cache, demo=True)
    path = credentials_path(None, project_root).resolve()
    admitted = load_credentials(path).admitted(today)
    return plan(forum, admitted, path.with_name(path.name + ".kdf-cache"), demo=False)


def signin_translations(
    languages: tuple[str, ...], site_names: dict[str, str] | None = None
) -> dict[str, dict[str, str]]:
    """The sign-in form's words in each forum language, in encryptcontent's terms; its message
    is three lines (the form prints one paragraph each): the forum's name, who may sign in,
    how a delegation gets its access."""
    translations = {}
    for language in languages:
        t = Interface(language)
        name = (site_names or {}).get(language, "")
        message = "\n".join(line for line in (name, t("signin_info"), t("signin_access")) if line)
        translations[language] = {
            "title_prefix": "",
            "summary": t("signin_title"),
            "encryption_info_message": message,
            "placeholder_user": t("user_name"),
            "placeholder": t("password"),
            "password_button_text": t("sign_in"),
            "decryption_failure_message": t("wrong_password"),
            "remember_device": t("remember_device"),  # the forum's own form (sync.site.encryption)
        }
    return translations
