"""A small forum checkout built in a temporary folder, for tests that need known content.

It copies the project's mkdocs.yml, hooks and categories, and writes topics, replies and
translations through the content model's own writers.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from sync.model.config import Project
from sync.model.content import write_post, write_translation
from sync.model.domain import Proposal, ProposalStatus, Reply, Topic, Translation

ROOT = Path(__file__).resolve().parent.parent

ROSTER = {
    "moderators": [{"login": "wipo-mod", "name": "Claire Moreau"}],
    "member_states": {
        "BR": [{"login": "br-ana", "name": "Ana Souza"}],
        "FR": [{"login": "fr-luc", "name": "Luc Martin"}],
        "MX": [{"login": "mx-eva", "name": "Eva Ramírez"}],
        "KE": [{"login": "ke-joy", "name": "Joy Wanjiru"}],
    },
    "guests": [
        {
            "login": "uni-guest",
            "name": "Sam Guest",
            "organization": "University Network",
            "topic": "D_t1",
            "requested_by": "BR",
            "until": "2030-12-31",
        }
    ],
}


def moment(day: int, hour: int = 9) -> datetime:
    """A date in October 2026, UTC."""
    return datetime(2026, 10, 1, tzinfo=UTC) + timedelta(days=day - 1, hours=hour)


class Archive:
    """A forum checkout in `root` with nothing in it but what a test writes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.content.mkdir(parents=True)
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(ROOT / "hooks", root / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "content" / "categories.yml", self.content / "categories.yml")
        self.write_yaml("roster.yml", ROSTER)
        (self.content / "pages").mkdir()
        for language in ("en", "fr", "es"):
            (self.content / "pages" / f"protocol.{language}.md").write_text(
                f"---\ntitle: Protocol {language}\n---\n\nRules of the forum ({language}).\n",
                encoding="utf-8",
            )

    @property
    def project(self) -> Project:
        """The checkout as the forum's code sees it."""
        return Project(self.root)

    def write_yaml(self, name: str, data: object) -> Path:
        """Write a YAML file of content/."""
        path = self.content / name
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    def topic(
        self,
        id: str,
        title: str,
        week: str,
        day: int,
        category: str = "training",
        language: str = "en",
        body: str = "Opening post.",
        **fields: object,
    ) -> Topic:
        """Write a topic's opening post by the moderator."""
        folder = self.content / "topics" / f"{week.lower()}-{id.lower()}"
        topic = Topic(
            id=id,
            author="wipo-mod",
            language=language,
            date=moment(day),
            body=body,
            path=folder / "topic.md",
            title=title,
            category=category,
            week=week,
            **fields,
        )
        write_post(topic)
        return topic

    def reply(
        self,
        topic: Topic,
        id: str,
        author: str,
        member_state: str | None,
        day: int,
        body: str,
        language: str = "en",
        parent: str | None = None,
        hour: int = 9,
    ) -> Reply:
        """Write a reply to a topic."""
        reply = Reply(
            id=id,
            author=author,
            member_state=member_state,
            language=language,
            date=moment(day, hour),
            body=body,
            path=topic.path.parent / f"{id}.md",
            parent=parent,
        )
        write_post(reply)
        return reply

    def translate(
        self,
        post: Topic | Reply | Proposal,
        language: str,
        body: str,
        title: str | None = None,
        outdated: bool = False,
    ) -> Translation:
        """Write a translation beside a post."""
        translation = Translation(
            language=language,
            body=body,
            translator="WIPO Language Service",
            date=post.date + timedelta(days=1),
            path=post.path.with_name(f"{post.path.stem}.{language}.md"),
            title=title,
            outdated=outdated,
        )
        write_translation(translation)
        return translation

    def proposal(
        self,
        id: str,
        title: str,
        author: str,
        member_state: str,
        day: int,
        language: str = "en",
        status: ProposalStatus = ProposalStatus.OPEN,
    ) -> Proposal:
        """Write a delegate's topic proposal."""
        proposal = Proposal(
            id=id,
            author=author,
            member_state=member_state,
            language=language,
            date=moment(day),
            body=f"Why {title} matters.",
            path=self.content / "proposals" / f"{id}.md",
            title=title,
            status=status,
        )
        write_post(proposal)
        return proposal


# Real-looking credentials for tests that build with a credentials file (strong enough for
# the strict build's entropy check).
STRONG = {"BR": "tq4m-8wzk-e2rh-v9pa-c7xn-3fjd", "FR": "m2kd-r8vz-p4ht-x9wq-a3ec-7nfu"}


def write_credentials(path: Path, delegations: dict[str, str]) -> None:
    """A credentials file with these delegations' passwords (JSON, which is YAML too)."""
    document = {
        "delegations": {
            user: {"password": password, "issued": "2026-11-01"} for user, password in delegations.items()
        }
    }
    path.write_text(json.dumps(document), encoding="utf-8")
