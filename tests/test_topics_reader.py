"""The topics cache read on the other processor while `forum build` starts
(sync.site.topics_reader): the build takes what the readers read, checked as it checks the
cache's files; readers that fail or lie cost time, never a topic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from archive import STRONG, Archive, write_credentials
from conftest import BuiltSite

from sync.model.content import load_forum
from sync.site import topics_cache, topics_reader
from sync.site.pages import topic_slug
from sync.site.topics_cache import read_topics_remembered

LANGUAGES = ("en", "fr", "es")


@pytest.fixture
def kept(archive: Archive) -> Archive:
    """Two topics with replies and a translation, read once: the cache keeps them."""
    first = archive.topic("D_a", "A topic", "2026-W40", 1, body="The opening words.")
    reply = archive.reply(first, "DC_1", "br-ana", "BR", 2, "The first reply's words.")
    archive.translate(reply, "es", "Las palabras de la primera.")
    second = archive.topic("D_b", "Another topic", "2026-W41", 8)
    archive.reply(second, "DC_2", "fr-luc", "FR", 9, "Les mots de la deuxième.", language="fr")
    load_forum(archive.content, LANGUAGES, read_topics=read_topics_remembered)
    return archive


def test_a_build_takes_the_topics_its_readers_read_and_reads_no_folder_itself(
    kept: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_forum(kept.content, LANGUAGES).topics
    topics_reader.start_for(["build", "--project", str(kept.root)])
    monkeypatch.setattr(topics_cache, "folder_signature", lambda folder: pytest.fail(f"looked at {folder}"))
    monkeypatch.setattr(topics_cache, "read_topic", lambda folder, known: pytest.fail(f"read {folder}"))

    forum = load_forum(kept.content, LANGUAGES, read_topics=read_topics_remembered)

    assert forum.topics == fresh
    assert forum.topics[1].replies[0].translations["es"].body == "Las palabras de la primera."


def test_a_topic_changed_before_the_readers_looked_is_read_from_its_files(kept: Archive) -> None:
    topic = load_forum(kept.content, LANGUAGES).topics[1]
    kept.reply(topic, "DC_3", "fr-luc", "FR", 4, "A reply written since the last build.")
    topics_reader.start_for(["build", f"--project={kept.root}"])

    forum = load_forum(kept.content, LANGUAGES, read_topics=read_topics_remembered)

    assert [r.body for r in forum.topics[1].replies][-1] == "A reply written since the last build."
    assert forum.topics == load_forum(kept.content, LANGUAGES).topics


@pytest.mark.parametrize(
    "reader",
    [
        "import sys; sys.exit(3)",  # fails
        "import sys; sys.stdout.buffer.write(b'not marshal')",
        # the right container, the wrong shapes: a signature of strings; a folder that is not there
        "import marshal, sys; sys.stdout.buffer.write(marshal.dumps({sys.argv[1]: (('a', 'b'), {})}))",
        "import marshal, sys; sys.stdout.buffer.write(marshal.dumps({'/elsewhere': ((), None)}))",
        # every folder of the archive, each with an entry of three parts, not two
        "import marshal, os, sys; topics = os.path.join(sys.argv[1], 'topics'); "
        "sys.stdout.buffer.write(marshal.dumps({os.path.join(topics, n): (1, 2, 3) for n in os.listdir(topics)}))",
    ],
)
def test_readers_that_fail_or_answer_anything_else_leave_the_build_to_read_the_files(
    kept: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: str
) -> None:
    liar = tmp_path / "reader.py"
    liar.write_text(reader, encoding="utf-8")
    monkeypatch.setattr(topics_reader, "__file__", str(liar))
    topics_reader.start_for(["build", "--project", str(kept.root)])
    read: list[str] = []
    real_read = topics_cache.read_topic
    monkeypatch.setattr(topics_cache, "read_topic", lambda f, k: read.append(f.name) or real_read(f, k))

    forum = load_forum(kept.content, LANGUAGES, read_topics=read_topics_remembered)

    assert forum.topics == load_forum(kept.content, LANGUAGES).topics
    assert read == [], "the cache's own files read instead, as without readers"


def test_readers_that_cannot_start_leave_the_build_to_read_the_files(
    kept: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(kept.root / "no-such-python"))
    topics_reader.start_for(["build", "--project", str(kept.root)])

    forum = load_forum(kept.content, LANGUAGES, read_topics=read_topics_remembered)

    assert forum.topics == load_forum(kept.content, LANGUAGES).topics


@pytest.mark.parametrize(
    "arguments", [["serve", "--demo"], ["build", "--help"], [], ["build", "--project", "/nowhere/at/all"]]
)
def test_readers_start_for_a_build_of_a_checkout_only(
    arguments: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(topics_reader, "_started", {})
    topics_reader.start_for(arguments)
    assert topics_reader._started == {}


def test_forum_build_on_the_command_line_builds_with_its_readers(
    kept: Archive, credentials_file: Path
) -> None:
    """`python -m sync.cli build` as the moderator runs it: the readers started, their answer
    taken, the site built with the kept topics and a reply added since."""
    write_credentials(credentials_file, STRONG)
    command = [sys.executable, "-m", "sync.cli", "build", "--project", str(kept.root)]
    subprocess.run(command, check=True, capture_output=True)
    topic = next(t for t in load_forum(kept.content, LANGUAGES).topics if t.id == "D_b")
    kept.reply(topic, "DC_9", "br-ana", "BR", 12, "Written between two builds.")

    done = subprocess.run(command, check=True, capture_output=True, text=True)

    assert "copied from the last build" in done.stdout
    reader = BuiltSite(kept.root / "site", "BR", STRONG["BR"])
    assert "Written between two builds." in reader.text(f"topics/{topic_slug('D_b')}/")
    assert "Les mots de la deuxième." in reader.text(f"topics/{topic_slug('D_b')}/")
    assert "The first reply's words." in reader.text(f"topics/{topic_slug('D_a')}/"), "a copied page"
