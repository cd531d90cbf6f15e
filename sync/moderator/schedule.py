"""Weekly topics: planned in `content/schedule.yml`, opened on GitHub and in content/.

The moderator writes a topic once (`forum topic new`), for this week or a week ahead. A
topic for a later week waits in the schedule; `forum topic publish-due` (every Monday, on
GitHub Actions) opens those whose week has come: it creates the GitHub discussion in the
category's Discussions category (createDiscussion), writes `topic.md` with the
discussion's id and address, and its translations, then records in the schedule the id it
was published as, so that running it twice publishes nothing twice.

Languages the moderator did not write are left to translators: the site marks the topic
"translation pending" in them, and `forum topic new` names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import yaml

from sync.github import writes
from sync.github.client import GitHubClient
from sync.intake.sanitize import sanitize_body
from sync.model.content import load_forum, normal_body, write_post, write_translation
from sync.model.dates import WEEK, parse_week, week_of
from sync.model.domain import ContentError, Forum, Topic, Translation
from sync.model.errors import ForumError, given
from sync.model.files import write_atomically
from sync.model.folders import new_topic_folder
from sync.model.roster import read_yaml

SCHEDULE = "schedule.yml"
TRANSLATOR = "moderator"  # the translations the moderator writes with the topic


class ScheduleError(ForumError):
    """A topic that cannot be planned or published; the message says what to do."""


@dataclass
class PlannedTopic:
    """A weekly topic as the moderator wrote it, waiting for its week or published."""

    week: str
    category: str
    language: str
    title: str
    body: str
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # language → title, body
    proposed_by: str | None = None  # the member state whose proposal it comes from
    proposal: str | None = None  # that proposal's id
    published: str | None = None  # the discussion's id, once published

    def __post_init__(self) -> None:
        # Line breaks as Markdown and YAML both read them the same way (YAML folds U+0085).
        self.title, self.body = plain_text(self.title), plain_text(self.body)
        self.translations = {
            language: {key: plain_text(value) for key, value in text.items()}
            for language, text in self.translations.items()
        }


def plain_text(text: str) -> str:
    """Text with every kind of line break written as a newline."""
    return "\n".join(text.splitlines()) + ("\n" if text.endswith(("\n", "\r")) else "")


# The schedule file --------------------------------------------------------------------------


def load_schedule(content: Path) -> list[PlannedTopic]:
    """The planned and published topics, in the file's order; no file means none."""
    path = content / SCHEDULE
    entries = read_yaml(path) if path.is_file() else None
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise ContentError(path, None, "expected a list of planned topics")
    planned = []
    for number, entry in enumerate(entries, 1):
        try:
            planned.append(PlannedTopic(**entry))
        except TypeError:
            raise ContentError(
                path, f"topic {number}", "expected week, category, language, title and body"
            ) from None
    return planned


def save_schedule(content: Path, planned: list[PlannedTopic]) -> None:
    """Write the schedule atomically: a crash leaves the old file or the new one."""
    header = (
        "# Weekly topics planned by the moderator (`forum topic new --week`); `forum topic\n"
        "# publish-due` opens those whose week has come and records `published: <discussion id>`.\n"
    )
    entries = [{k: v for k, v in vars(p).items() if v not in (None, {})} for p in planned]
    text = header + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=100)
    write_atomically(content / SCHEDULE, text)


# Validation ---------------------------------------------------------------------------------


def validate(planned: PlannedTopic, forum: Forum, schedule: list[PlannedTopic], today: date) -> None:
    """Raise ScheduleError if the topic cannot be planned as written."""
    if not WEEK.match(planned.week):
        raise ScheduleError(
            f"{given('week')} {planned.week!r}: expected an ISO week such as {week_of(today).code}"
        )
    try:
        parse_week(planned.week)
    except ValueError:
        raise ScheduleError(f"{given('week')} {planned.week}: there is no such week") from None
    if planned.week < week_of(today).code:
        raise ScheduleError(f"{given('week')} {planned.week} is in the past (this is {week_of(today).code})")
    if planned.category not in forum.categories:
        raise ScheduleError(
            f"{given('category')} {planned.category!r}: unknown; "
            f"expected one of {', '.join(forum.categories)}"
        )
    for language in [planned.language, *planned.translations]:
        if language not in forum.languages:
            raise ScheduleError(f"language {language!r}: expected one of {', '.join(forum.languages)}")
    if planned.language in planned.translations:
        raise ScheduleError(f"{given('translation')} {planned.language}: that is the topic's own language")
    if not planned.title.strip() or not planned.body.strip():
        raise ScheduleError(f"the topic in {planned.language} needs a title and a body")
    for language, text in planned.translations.items():
        if not text.get("title", "").strip() or not text.get("body", "").strip():
            raise ScheduleError(f"the translation into {language} needs a title and a body")
    titles = [t.title for t in forum.topics] + [p.title for p in schedule if not p.published]
    if planned.title.strip() in titles:
        raise ScheduleError(f"a topic titled {planned.title!r} is already open or planned")


def missing_languages(planned: PlannedTopic, languages: tuple[str, ...]) -> list[str]:
    """The forum's languages the topic waits to be translated into."""
    return [lang for lang in languages if lang != planned.language and lang not in planned.translations]


# Publishing ---------------------------------------------------------------------------------


def plan(content: Path, languages: tuple[str, ...], planned: PlannedTopic, today: date) -> None:
    """Add a topic to the schedule for a later week."""
    forum = load_forum(content, languages)
    schedule = load_schedule(content)
    validate(planned, forum, schedule, today)
    save_schedule(content, [*schedule, planned])


def publish_now(
    content: Path, languages: tuple[str, ...], planned: PlannedTopic, client: GitHubClient, today: date
) -> Topic:
    """Open a topic this week: on GitHub and in content/ (not in the schedule)."""
    forum = load_forum(content, languages)
    validate(planned, forum, load_schedule(content), today)
    return _publish(content, forum, planned, client)


def publish_due(content: Path, languages: tuple[str, ...], client: GitHubClient, today: date) -> list[Topic]:
    """Open every planned topic whose week has come, once; the schedule records each."""
    forum = load_forum(content, languages)
    schedule = load_schedule(content)
    published = []
    for index, planned in enumerate(schedule):
        if planned.published or planned.week > week_of(today).code:
            continue
        topic = _publish(content, forum, planned, client)
        schedule[index] = replace(planned, published=topic.id)
        save_schedule(content, schedule)  # after each: a failure later publishes nothing twice
        published.append(topic)
    return published


def _publish(content: Path, forum: Forum, planned: PlannedTopic, client: GitHubClient) -> Topic:
    """createDiscussion in the category's GitHub category, then topic.md and translations."""
    category = forum.categories.get(planned.category)
    if category is None:
        raise ScheduleError(f"planned topic {planned.title!r}: unknown category {planned.category!r}")
    body = normal_body(sanitize_body(planned.body))
    discussion = writes.create_discussion(client, category.discussion_slug, planned.title, body)
    created = discussion.created_at
    folder = new_topic_folder(content, planned.week, planned.title, "topic")
    topic = Topic(
        id=discussion.id,
        author=discussion.author,
        language=planned.language,
        date=created,
        body=body,
        path=folder / "topic.md",
        url=discussion.url,
        title=planned.title.strip(),
        category=planned.category,
        week=planned.week,
        proposed_by=planned.proposed_by,
    )
    write_post(topic)
    for language, text in planned.translations.items():
        write_translation(
            Translation(
                language=language,
                body=text["body"],
                translator=TRANSLATOR,
                date=created,
                path=folder / f"topic.{language}.md",
                title=text["title"].strip(),
            )
        )
    return topic
