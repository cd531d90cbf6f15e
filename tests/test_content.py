"""The content model: reading a valid archive, and clear messages for broken files."""

from __future__ import annotations

import json
import pickle
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from archive import Archive, moment
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from injection import BODIES, LINE_BREAKING, ORDINARY

from sync.model.content import load_forum, read_file, write_post
from sync.model.domain import ContentError, Reply
from sync.site import topics_cache as cache_module
from sync.site.forum_texts import forum_secrets
from sync.site.topics_cache import read_topics_remembered, texts_of, topics_cache

LANGUAGES = ("en", "fr", "es")


def load(archive: Archive):
    return load_forum(archive.content, LANGUAGES)


def test_an_archive_reads_back_as_topics_replies_and_translations(archive: Archive) -> None:
    older = archive.topic("D_a", "Older topic", "2026-W40", 1)
    topic = archive.topic("D_b", "Newer topic", "2026-W41", 8, category="general")
    archive.reply(topic, "DC_2", "fr-luc", "FR", 10, "Deuxième.", language="fr")
    archive.reply(topic, "DC_1", "br-ana", "BR", 9, "Primero.", language="es")
    archive.reply(topic, "DC_3", "mx-eva", "MX", 11, "Respuesta a Ana.", language="es", parent="DC_1")
    archive.translate(topic, "fr", "Message.", title="Sujet récent")
    archive.translate(older, "es", "Mensaje.", title="Tema antiguo", outdated=True)

    forum = load(archive)

    assert [t.title for t in forum.topics] == ["Newer topic", "Older topic"]
    newer = forum.topics[0]
    assert [r.id for r in newer.replies] == ["DC_1", "DC_2", "DC_3"], "replies in date order"
    assert newer.replies[2].parent == "DC_1"
    assert newer.title_in("fr") == "Sujet récent"
    assert newer.title_in("es") == "Newer topic", "untranslated titles stay in the original"
    assert forum.topics[1].translation("es").outdated is True
    assert forum.roster.person("BR-ANA").name == "Ana Souza", "logins compare without case"
    assert [c.id for c in forum.topics_in("general")] == ["D_b"]


def test_a_reply_to_a_reply_to_a_reply_hangs_under_the_top_level_reply(archive: Archive) -> None:
    topic = archive.topic("D_a", "Topic", "2026-W40", 1)
    archive.reply(topic, "DC_1", "br-ana", "BR", 2, "Top.")
    archive.reply(topic, "DC_2", "fr-luc", "FR", 3, "Answer.", parent="DC_1")
    archive.reply(topic, "DC_3", "mx-eva", "MX", 4, "Answer to the answer.", parent="DC_2")

    replies = load(archive).topics[0].replies

    assert [r.parent for r in replies] == [None, "DC_1", "DC_1"]


def _valid_reply(archive: Archive) -> Path:
    topic = archive.topic("D_a", "Topic", "2026-W40", 1)
    return archive.reply(topic, "DC_1", "br-ana", "BR", 2, "A reply.").path


@pytest.mark.parametrize(
    ("old", "new", "field", "expected"),
    [
        ("language: en", "language: de", "language", "unknown language 'de'; expected one of en, es, fr"),
        ("member_state: BR", "member_state: XX", "member_state", "unknown member state 'XX'"),
        (
            "date: 2026-10-02T09:00:00Z",
            "date: next tuesday",
            "date",
            "expected a date such as 2026-10-05T09:12:00Z, got 'next tuesday'",
        ),
        ("date: 2026-10-02T09:00:00Z\n", "", "date", "is missing"),
        ("author: br-ana\n", "", "author", "is missing"),
        ("\nparent: null", "", "parent", ""),
    ],
)
def test_a_broken_reply_names_its_file_and_field(
    archive: Archive, old: str, new: str, field: str, expected: str
) -> None:
    path = _valid_reply(archive)
    text = path.read_text(encoding="utf-8")
    if old.startswith("\nparent"):  # an unknown parent: add one
        text = text.replace("url", "url").replace("---\n\n", "parent: DC_nowhere\n---\n\n")
        expected = "unknown reply 'DC_nowhere' in this topic"
    else:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ContentError) as caught:
        load(archive)

    assert caught.value.path == str(path)
    assert caught.value.field == field
    assert expected in str(caught.value)
    assert str(caught.value).startswith(f"{path}: field '{field}': ")


def test_a_topic_without_title_or_with_an_unknown_category_or_bad_week(archive: Archive) -> None:
    topic = archive.topic("D_a", "Topic", "2026-W40", 1)
    original = topic.path.read_text(encoding="utf-8")
    cases = [
        ("title: Topic\n", "", "title", "is missing; expected a non-empty text"),
        (
            "category: training",
            "category: gardening",
            "category",
            "unknown category 'gardening'; expected one of copyright, general",
        ),
        ("week: 2026-W40", "week: 2026-W60", "week", "expected an ISO week such as 2026-W40, got '2026-W60'"),
    ]
    for old, new, field, expected in cases:
        topic.path.write_text(original.replace(old, new), encoding="utf-8")
        with pytest.raises(ContentError) as caught:
            load(archive)
        assert (caught.value.path, caught.value.field) == (str(topic.path), field)
        assert expected in str(caught.value)


def test_an_empty_body_is_refused(archive: Archive) -> None:
    path = _valid_reply(archive)
    path.write_text(path.read_text(encoding="utf-8").replace("A reply.", "  \n"), encoding="utf-8")

    with pytest.raises(ContentError, match=r"field 'body': is empty; expected the post's text"):
        load(archive)


def test_a_file_that_is_not_utf8_is_refused_with_its_name(archive: Archive) -> None:
    path = _valid_reply(archive)
    path.write_bytes(path.read_bytes().replace(b"A reply.", "Réponse".encode("latin-1")))

    with pytest.raises(ContentError) as caught:
        load(archive)

    assert caught.value.path == str(path)
    assert "expected UTF-8 text" in str(caught.value)


def test_a_translation_into_an_unknown_language_is_refused(archive: Archive) -> None:
    path = _valid_reply(archive)
    path.with_name("DC_1.de.md").write_text(
        "---\ntranslator: X\ndate: 2026-10-03\n---\n\nHallo.\n", encoding="utf-8"
    )

    with pytest.raises(ContentError, match=r"DC_1\.de\.md: unknown language 'de' in the file name"):
        load(archive)


def test_a_translation_without_its_original_is_refused(archive: Archive) -> None:
    path = _valid_reply(archive)
    path.with_name("DC_9.fr.md").write_text(
        "---\ntranslator: X\ndate: 2026-10-03\n---\n\nSalut.\n", encoding="utf-8"
    )

    with pytest.raises(ContentError, match=r"DC_9\.fr\.md: is a translation of DC_9\.md, which is missing"):
        load(archive)


def test_two_posts_with_one_id_are_refused(archive: Archive) -> None:
    first = archive.topic("D_a", "Topic", "2026-W40", 1)
    second = archive.topic("D_b", "Other", "2026-W41", 8)
    archive.reply(first, "DC_1", "br-ana", "BR", 2, "One.")
    archive.reply(second, "DC_1", "fr-luc", "FR", 9, "Two.")

    with pytest.raises(ContentError, match=r"field 'id': expected a unique id; 'DC_1' is also in"):
        load(archive)


def test_a_file_without_front_matter_is_refused(archive: Archive) -> None:
    path = _valid_reply(archive)
    path.write_text("Just text, no fields.\n", encoding="utf-8")

    with pytest.raises(ContentError, match=r"field 'front matter': is missing; expected a --- block"):
        load(archive)


def test_an_unknown_member_state_code_in_the_roster_is_refused(archive: Archive) -> None:
    path = archive.write_yaml("roster.yml", {"member_states": {"ZZ": [{"login": "a", "name": "A"}]}})

    with pytest.raises(ContentError) as caught:
        load(archive)

    assert (caught.value.path, caught.value.field) == (str(path), "member_states.ZZ")
    assert "ISO 3166 alpha-2 code" in str(caught.value)


def test_a_category_must_be_named_in_every_forum_language(archive: Archive) -> None:
    path = archive.write_yaml(
        "categories.yml", {"categories": [{"id": "x", "names": {"en": "X", "fr": "X"}}]}
    )

    with pytest.raises(ContentError) as caught:
        load(archive)

    assert (caught.value.path, caught.value.field) == (str(path), "categories[1].names")
    assert "missing es" in str(caught.value)


def test_a_guest_must_be_requested_by_a_member_state(archive: Archive) -> None:
    path = archive.write_yaml(
        "roster.yml",
        {"guests": [{"login": "g", "name": "G", "organization": "O", "topic": "D_a", "requested_by": "FR"}]},
    )

    with pytest.raises(ContentError) as caught:
        load(archive)

    assert (caught.value.path, caught.value.field) == (str(path), "guests[1].requested_by")


# Pieces a body from the outside world may hold: any text, line breaks, front-matter look-alikes,
# indentation (a code block), right-to-left text, emoji, Markdown headings.
pieces = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
bodies = (
    st.lists(
        pieces | st.sampled_from(["\n", "---", "\n---\n", "    code", " \n", "مرحبا", "🎉", "# Title"]),
        min_size=1,
        max_size=30,
    )
    .map("".join)
    .filter(lambda body: body.strip())
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_any_body_round_trips_through_a_file(tmp_path: Path, body: str) -> None:
    reply = Reply(
        id="DC_x",
        author="br-ana",
        language="es",
        date=moment(2),
        body=body,
        path=tmp_path / "topics" / "2026-w40-x" / "DC_x.md",
        member_state="BR",
    )
    write_post(reply)

    fields, read_back = read_file(reply.path)

    lines = body.split("\n")
    while not lines[0].strip():
        lines.pop(0)
    assert read_back == "\n".join(lines).rstrip()
    assert fields.text("id") == "DC_x"


def test_topics_read_by_a_build_are_read_again_only_when_their_files_change(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = archive.topic("D_a", "A topic", "2026-W40", 1)
    archive.topic("D_b", "Another topic", "2026-W41", 8)
    load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    assert len(list(topics_cache(archive.content).glob("*.json"))) == 2, "a file per topic"
    assert not (archive.content / ".cache").exists(), "kept beside content/, not in it"
    read: list[str] = []
    real_read_topic = cache_module.read_topic
    monkeypatch.setattr(cache_module, "read_topic", lambda f, k: read.append(f.name) or real_read_topic(f, k))

    assert [
        t.id for t in load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered).topics
    ] == ["D_b", "D_a"]
    assert read == [], "nothing changed: nothing read"

    archive.reply(first, "DC_1", "br-ana", "BR", 2, "A new reply.")
    forum = load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    assert read == [first.path.parent.name]
    assert [r.body for r in forum.topics[1].replies] == ["A new reply."]

    (first.path.parent / "DC_1.md").write_text("---\nid: DC_1\n---\n\nNo author.\n", encoding="utf-8")
    with pytest.raises(ContentError, match="author"):
        load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)


def test_a_change_to_one_topic_rewrites_its_file_of_the_cache_and_leaves_the_others(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = archive.topic("D_a", "A topic", "2026-W40", 1)
    archive.topic("D_b", "Another topic", "2026-W41", 8, body="Its text, with a\nline break.")
    load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    before = {file.name: file.stat().st_mtime_ns for file in topics_cache(archive.content).iterdir()}
    archive.reply(first, "DC_1", "br-ana", "BR", 2, "A new reply.")
    written: list[str] = []
    real_write = cache_module._write_entry
    monkeypatch.setattr(cache_module, "_write_entry", lambda *a: written.append(a[1]) or real_write(*a))

    load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)

    assert written == [str(first.path.parent)], "only the changed topic written afresh"
    after = {file.name: file.stat().st_mtime_ns for file in topics_cache(archive.content).iterdir()}
    assert after.keys() == before.keys()
    assert sum(after[name] == before[name] for name in after) == 1, "the other topic's file untouched"
    monkeypatch.setattr(cache_module, "read_topic", lambda folder, known: pytest.fail(f"read {folder}"))
    from_the_cache = load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    assert from_the_cache.topics == load_forum(archive.content, LANGUAGES).topics


def test_a_topic_gone_from_the_archive_leaves_no_file_in_the_cache(archive: Archive) -> None:
    archive.topic("D_a", "A topic", "2026-W40", 1)
    gone = archive.topic("D_b", "A topic moved out of the archive", "2026-W41", 8)
    load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    shutil.rmtree(gone.path.parent)

    load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)

    kept = list(topics_cache(archive.content).iterdir())
    assert len(kept) == 1
    assert b"moved out of the archive" not in kept[0].read_bytes()


def test_the_gates_texts_kept_with_the_topics_are_those_found_afresh(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The publish gate looks for the texts the topics cache kept with each topic: the same
    as it would find in the files, and found again for a topic that changed."""
    topic = archive.topic("D_a", "A topic, its title", "2026-W40", 1, body="Opening words of the topic.")
    reply = archive.reply(
        topic, "DC_1", "br-ana", "BR", 2, "A reply with *its own* words.\n\nAnd its last line."
    )
    archive.translate(topic, "fr", "Les premiers mots du sujet.", title="Un sujet, son titre")
    archive.translate(reply, "es", "Una respuesta con sus palabras.")
    archive.topic("D_b", "Another topic", "2026-W41", 8, body="Words of the other topic.")
    fresh = forum_secrets(load(archive))
    load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    monkeypatch.setattr(
        cache_module, "topic_texts", lambda topic: pytest.fail(f"texts of {topic.id} found again")
    )

    kept = load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)

    assert forum_secrets(kept, texts_of=texts_of) == fresh
    texts = {text for group in fresh for text in group}
    assert "A reply with" in texts and "Una respuesta con sus palabras" in texts
    monkeypatch.undo()
    archive.reply(topic, "DC_2", "fr-luc", "FR", 3, "Une réponse nouvelle, bien à elle.", language="fr")
    changed = load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    assert any(
        "Une réponse nouvelle, bien à elle" in group for group in forum_secrets(changed, texts_of=texts_of)
    )
    assert forum_secrets(changed, texts_of=texts_of) == forum_secrets(load(archive))


def test_a_cache_whose_texts_other_code_found_is_read_as_no_cache(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive.topic("D_a", "A topic", "2026-W40", 1)
    load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    monkeypatch.setattr(cache_module, "_TEXTS_CODE", "the gate's texts found another way")
    read: list[str] = []
    real_read = cache_module.read_topic
    monkeypatch.setattr(
        cache_module, "read_topic", lambda folder, known: read.append(folder.name) or real_read(folder, known)
    )

    load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)

    assert len(read) == 1, "the topic read again from its files"


def test_a_damaged_topics_cache_is_read_past(archive: Archive) -> None:
    archive.topic("D_a", "A topic", "2026-W40", 1)
    archive.topic("D_b", "Another topic", "2026-W41", 8)
    load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    for file, damage in zip(
        sorted(topics_cache(archive.content).iterdir()), [b"not a pickle", b""], strict=True
    ):
        file.write_bytes(damage)

    assert [
        t.id for t in load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered).topics
    ] == ["D_b", "D_a"]


class _Planted:
    """What a hostile cache would unpickle: running it leaves a file behind."""

    def __init__(self, flag: str) -> None:
        self.flag = flag

    def __reduce__(self) -> tuple[object, ...]:
        return (Path(self.flag).write_text, ("ran",))


def test_a_planted_pickle_in_the_cache_is_not_run_and_the_files_are_read(
    archive: Archive, tmp_path: Path
) -> None:
    archive.topic("D_a", "The real title", "2026-W40", 1)
    flag = tmp_path / "pwned"
    planted = pickle.dumps({"known": None, "topics": _Planted(str(flag))})
    load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    (kept,) = topics_cache(archive.content).iterdir()
    for file in (archive.root / ".cache" / "topics.pickle", archive.root / ".cache" / "topics.json", kept):
        file.write_bytes(planted)  # under its former names, and as the topic's file

    forum = load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)

    assert not flag.exists(), "the cache was unpickled"
    assert [t.title for t in forum.topics] == ["The real title"]
    assert json.loads(kept.read_bytes().partition(b"\n")[0])["format"] == cache_module._FORMAT
    assert not (archive.root / ".cache" / "topics.pickle").exists(), "the former names removed"


def test_a_cache_of_the_right_format_but_the_wrong_shape_is_read_past(archive: Archive) -> None:
    topic = archive.topic("D_a", "The real title", "2026-W40", 1)
    load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    (kept,) = topics_cache(archive.content).iterdir()
    outline, _, later = kept.read_text(encoding="utf-8").partition("\n")
    document = json.loads(outline)
    assert document["folder"] == str(topic.path.parent)
    document["topic"]["title"] = {"not": "a text"}
    kept.write_text(json.dumps(document) + "\n" + later, encoding="utf-8")

    forum = load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)

    assert [t.title for t in forum.topics] == ["The real title"]


def test_topics_kept_in_the_cache_come_back_as_they_were_read(archive: Archive) -> None:
    topic = archive.topic("D_a", "A topic", "2026-W40", 1, url="https://github.com/o/r/discussions/1")
    reply = archive.reply(topic, "DC_1", "br-ana", "BR", 2, "A reply.")
    archive.reply(topic, "DC_2", "fr-luc", "FR", 3, "An answer.", parent="DC_1")
    archive.translate(topic, "fr", "Sujet.", title="Un sujet")
    archive.translate(reply, "es", "Una respuesta.", outdated=True)
    fresh = load_forum(archive.content, LANGUAGES)
    load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)

    def only_from_the_cache(content: Path, folders: list[Path], known: object) -> list:
        kept = cache_module._load(topics_cache(content), known)  # type: ignore[arg-type]
        assert len(kept) == 1, "the topic was kept"
        return [topic for _, topic, _ in kept.values()]

    assert load_forum(archive.content, LANGUAGES, read_topics=only_from_the_cache).topics == fresh.topics


def _kept_archive(archive: Archive) -> tuple[Path, Path]:
    """A topic with two replies, one translated, read once so that the cache keeps it; its
    cache file and the reply file's path."""
    topic = archive.topic("D_a", "A topic", "2026-W40", 1, body="The opening words.")
    first = archive.reply(topic, "DC_1", "br-ana", "BR", 2, "The first reply's words.")
    archive.reply(topic, "DC_2", "fr-luc", "FR", 3, "Les mots de la deuxième.", language="fr")
    archive.translate(first, "es", "Las palabras de la primera.")
    load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    (kept,) = topics_cache(archive.content).iterdir()
    return kept, first.path


def test_replies_texts_kept_in_the_cache_are_read_only_when_asked_for(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild reads none of the replies' texts of the topics it copies: their line of
    the cache file is read and decoded the first time one is asked for, and gives what the
    files say."""
    kept, _ = _kept_archive(archive)
    outline, _, later = kept.read_bytes().partition(b"\n")
    kept_topic = json.loads(outline)["topic"]
    assert [set(r) & {"body"} for r in kept_topic["replies"]] == [set(), set()], "texts on the next line"
    assert json.loads(later) == [
        "The first reply's words.",
        "Las palabras de la primera.",
        "Les mots de la deuxième.",
    ]
    assert kept_topic["body"] == "The opening words.", "the opening post's text is read with its topic"
    opened: list[str] = []
    real_read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: opened.append(path.name) or real_read_bytes(path))

    forum = load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    (topic,) = forum.topics
    assert topic.body == "The opening words." and [r.id for r in topic.replies] == ["DC_1", "DC_2"]
    assert kept.name not in opened, "only the file's first line read so far"

    assert topic.replies[1].body == "Les mots de la deuxième."
    assert opened.count(kept.name) == 1, "all of them read at once, when the first was asked for"
    assert topic.replies[0].translations["es"].body == "Las palabras de la primera."
    assert opened.count(kept.name) == 1
    monkeypatch.undo()
    assert forum.topics == load_forum(archive.content, LANGUAGES).topics


@pytest.mark.parametrize(
    "damage",
    [
        lambda later: later[:-2] + b"]]",  # the same length, no longer JSON
        lambda later: json.dumps(["x" * (len(later) - 4)]).encode(),  # one text, not three: as long
        lambda later: later.replace(b"The first", b"The frist"),  # another text, the same shape
        lambda later: later[:-8],  # cut short
        lambda later: b"",  # gone
    ],
)
def test_damaged_replies_texts_in_the_cache_stop_with_the_file_named_and_are_read_again_after(
    archive: Archive, damage: Callable[[bytes], bytes]
) -> None:
    """Texts that do not read back as the first line says (their length and digest) are never
    shown as something else: the build stops naming the cache file, which is removed, and
    the next reading takes the topic's files."""
    kept, reply_file = _kept_archive(archive)
    outline, _, later = kept.read_bytes().partition(b"\n")
    kept.write_bytes(outline + b"\n" + damage(later))

    forum = load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    with pytest.raises(ContentError, match=re.escape(str(kept))):
        _ = forum.topics[0].replies[0].body
    assert not kept.exists()

    forum = load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    assert forum.topics[0].replies[0].body == "The first reply's words."
    assert forum.topics == load_forum(archive.content, LANGUAGES).topics
    assert reply_file.read_text(encoding="utf-8").endswith("The first reply's words.\n")


@pytest.mark.parametrize(
    ("where", "field"),
    [
        ("reply", name)
        for name in ("id", "author", "language", "date", "path", "member_state", "edited", "url")
    ]
    + [("reply", "parent")]
    + [("translation", name) for name in ("language", "translator", "date", "path", "title", "outdated")],
)
def test_a_field_of_a_reply_kept_in_the_cache_with_the_wrong_type_has_the_topic_read_from_its_files(
    archive: Archive, monkeypatch: pytest.MonkeyPatch, where: str, field: str
) -> None:
    """Every field of a kept reply and translation is checked as it is read: one of another
    type (a number where a text or a flag belongs) and the topic's files are read instead."""
    kept, _ = _kept_archive(archive)
    outline, _, later = kept.read_bytes().partition(b"\n")
    document = json.loads(outline)
    reply = document["topic"]["replies"][0]
    (reply if where == "reply" else reply["translations"][0])[field] = 12345
    kept.write_bytes(json.dumps(document).encode() + b"\n" + later)
    read: list[str] = []
    real_read = cache_module.read_topic
    monkeypatch.setattr(cache_module, "read_topic", lambda f, k: read.append(f.name) or real_read(f, k))

    forum = load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)

    assert len(read) == 1, "the topic read from its files"
    assert forum.topics == load_forum(archive.content, LANGUAGES).topics


@pytest.mark.parametrize(
    "body",
    list({**BODIES, **LINE_BREAKING, **ORDINARY}.values()),
    ids=list({**BODIES, **LINE_BREAKING, **ORDINARY}),
)
def test_hostile_texts_of_replies_and_translations_come_back_from_the_cache_as_their_files_say(
    archive: Archive, body: str
) -> None:
    """The injection corpus as a reply's text and its translation's: kept on the cache
    file's second line and read back when asked for, the same as read from the files."""
    topic = archive.topic("D_a", "A topic", "2026-W40", 1)
    reply = archive.reply(topic, "DC_1", "br-ana", "BR", 2, body)
    archive.translate(reply, "es", body + " (es)")
    fresh = load_forum(archive.content, LANGUAGES).topics
    load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    (kept,) = topics_cache(archive.content).iterdir()
    assert kept.read_bytes().count(b"\n") == 1, "two lines, whatever the texts hold"

    forum = load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)

    (again,) = forum.topics[0].replies
    assert again.body == fresh[0].replies[0].body
    assert again.translations["es"].body == fresh[0].replies[0].translations["es"].body
    assert forum.topics == fresh
