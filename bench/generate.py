"""A synthetic archive for benchmarks: N weekly topics x R replies in three languages, with
translations, threads, the full roster (193 member states, 20 guests) and credentials.

    .venv/bin/python bench/generate.py DIR --topics 520 --replies 30

writes a forum checkout in DIR (mkdocs.yml, hooks, categories and protocol copied from this
project) and DIR.credentials.yml beside it.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync.model.content import write_post, write_translation  # noqa: E402
from sync.model.credentials import new_password  # noqa: E402
from sync.model.domain import Reply, Topic, Translation  # noqa: E402
from sync.model.roster import COUNTRY_CODES  # noqa: E402

_VOCABULARY = {
    "en": """the office strategy training national support patent trademark universities small
        businesses experience programme capacity building we our delegation results indicators law
        policy data examiners technology transfer centres cooperation region partners review impact
        users creators fees""",
    "fr": """le la les office stratégie formation nationale appui brevet marque universités petites
        entreprises expérience programme renforcement des capacités nous notre délégation résultats
        indicateurs loi politique données examinateurs transfert de technologie centres coopération
        région partenaires""",
    "es": """la el los oficina estrategia formación nacional apoyo patente marca universidades
        pequeñas empresas experiencia programa fortalecimiento de capacidades nosotros nuestra
        delegación resultados indicadores ley política datos examinadores transferencia de
        tecnología centros cooperación región socios""",
}
WORDS = {language: text.split() for language, text in _VOCABULARY.items()}
LANGUAGES = ("en", "fr", "es")
CATEGORIES = [
    "ip-strategies",
    "legislative-advice",
    "office-modernization",
    "ip-users",
    "training",
    "technology-transfer",
    "copyright",
    "respect-for-ip",
    "general",
]


def sentence(rng: random.Random, language: str) -> str:
    words = rng.choices(WORDS[language], k=rng.randint(12, 24))
    return " ".join(words).capitalize() + "."


def body(rng: random.Random, language: str, paragraphs: int = 3) -> str:
    """About 1,300 characters of text in `language`, in paragraphs, sometimes a list."""
    parts = [" ".join(sentence(rng, language) for _ in range(rng.randint(3, 5))) for _ in range(paragraphs)]
    if rng.random() < 0.2:
        parts.append("\n".join(f"- {sentence(rng, language)}" for _ in range(3)))
    return "\n\n".join(parts)


def generate(folder: Path, topics: int, replies: int, seed: int = 2026) -> Path:
    """Write the checkout and its credentials file; returns the credentials file's path."""
    rng = random.Random(seed)
    content = folder / "content"
    content.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "hooks", folder / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "content" / "categories.yml", content / "categories.yml")
    shutil.copytree(ROOT / "content" / "pages", content / "pages")
    codes = sorted(COUNTRY_CODES)[:193]
    first_week = date(2016, 11, 28)
    topic_ids = [f"D_bench{n:04d}" for n in range(topics)]
    guests = [
        {
            "login": f"guest-{n:02d}",
            "name": f"Guest {n}",
            "organization": "A partner organization",
            "topic": topic_ids[-1 - n % max(1, min(topics, 5))],
            "requested_by": codes[n],
            "until": "2030-12-31",
        }
        for n in range(20)
    ]
    roster = {
        "moderators": [{"login": "wipo-moderator", "name": "The Moderator"}],
        "member_states": {
            code: [{"login": f"delegate-{code.lower()}", "name": f"Delegate {code}"}] for code in codes
        },
        "guests": guests,
    }
    (content / "roster.yml").write_text(yaml.safe_dump(roster, sort_keys=False), encoding="utf-8")
    for number, topic_id in enumerate(topic_ids):
        monday = first_week + timedelta(weeks=number)
        year, week, _ = monday.isocalendar()
        opened = datetime(monday.year, monday.month, monday.day, 8, tzinfo=UTC)
        folder_name = f"{year}-w{week:02d}-topic-{number:04d}"
        language = rng.choice(LANGUAGES)
        topic = Topic(
            id=topic_id,
            author="wipo-moderator",
            language=language,
            date=opened,
            body=body(rng, language, 2),
            path=content / "topics" / folder_name / "topic.md",
            title=sentence(rng, language)[:70].rstrip("."),
            category=CATEGORIES[number % len(CATEGORIES)],
            week=f"{year}-W{week:02d}",
        )
        write_post(topic)
        _translate(rng, topic, titled=True)
        written: list[Reply] = []
        for index in range(replies):
            code = rng.choice(codes)
            language = rng.choice(LANGUAGES)
            parent = rng.choice(written).id if written and rng.random() < 0.25 else None
            if parent and next(r for r in written if r.id == parent).parent:
                parent = None
            reply = Reply(
                id=f"DC_bench{number:04d}{index:03d}",
                author=f"delegate-{code.lower()}",
                member_state=code,
                language=language,
                date=opened + timedelta(hours=2 + 4 * index),
                body=body(rng, language),
                path=content / "topics" / folder_name / f"DC_bench{number:04d}{index:03d}.md",
                parent=parent,
            )
            write_post(reply)
            if rng.random() < 0.5:
                _translate(rng, reply, titled=False)
            written.append(reply)
    credentials = folder.with_name(folder.name + ".credentials.yml")
    document = {
        "delegations": {code: {"password": new_password()} for code in [*codes, "WIPO"]},
        "guests": {
            g["login"]: {
                "password": new_password(),
                "topics": [g["topic"]],
                "requested_by": g["requested_by"],
                "until": g["until"],
            }
            for g in guests
        },
    }
    credentials.write_text(json.dumps(document), encoding="utf-8")
    return credentials


def _translate(rng: random.Random, post: Topic | Reply, titled: bool) -> None:
    for language in LANGUAGES:
        if language == post.language:
            continue
        write_translation(
            Translation(
                language=language,
                body=body(rng, language, 2),
                translator="WIPO Language Service",
                date=post.date + timedelta(days=1),
                path=post.path.with_name(f"{post.path.stem}.{language}.md"),
                title=sentence(rng, language)[:70].rstrip(".") if titled else None,
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--topics", type=int, default=65)
    parser.add_argument("--replies", type=int, default=30)
    arguments = parser.parse_args()
    credentials = generate(arguments.folder, arguments.topics, arguments.replies)
    print(f"wrote {arguments.folder} and {credentials}")


if __name__ == "__main__":
    main()
