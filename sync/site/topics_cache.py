"""The topics a build read, kept between builds so that a rebuild reads only what changed.

Reading the front matter of tens of thousands of files was most of a rebuild's time after a
sync added one reply. The topics read are kept in the checkout's `.cache/topics.json`
(git-ignored, never in the site), as plain JSON of the topics' fields, with the texts the
publish gate looks for in each (sync.site.forum_texts, found once per topic): reading it
runs no code, whatever a copy arriving with a branch holds (the pickle it replaces did). A
cache that does not parse, or whose shape is not exactly what this module writes, is
ignored and the files are read.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sync.model.content import Known, load_forum, read_topic
from sync.model.domain import Forum, Reply, Topic, Translation
from sync.model.files import write_atomically
from sync.site import forum_texts
from sync.site.forum_texts import topic_texts

CACHE_NAME = "topics.json"
_FORMAT = 2
# The publish gate's texts of each topic are kept with it, as the code that finds them
# found them: other code, and the cache is read as no cache.
_TEXTS_CODE = hashlib.sha256(Path(forum_texts.__file__).read_bytes()).hexdigest()

# A topic folder's files as the file system describes them: any edit changes it.
Signature = tuple[tuple[str, int, int], ...]

_loaded: dict[tuple[object, ...], Forum] = {}
_kept: dict[int, tuple[Topic, Signature, tuple[str, ...]]] = {}  # id(topic) → it, as read here


class _BadCache(Exception):
    """The cache is not what this module writes: read the files instead."""


def topics_cache(content: Path) -> Path:
    """Where the topics read are kept between builds: in the checkout, never in the site or
    the repository (.gitignore). It holds the archive's text: erasing a post removes it."""
    return content.resolve().parent / ".cache" / CACHE_NAME


def forget_read_topics(content: Path) -> None:
    """Remove the topics kept between builds (after an erasure: nothing erased stays)."""
    topics_cache(content).unlink(missing_ok=True)
    topics_cache(content).with_name("topics.pickle").unlink(missing_ok=True)  # its former name


def archive_fingerprint(content: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of every file in content/: any edit changes it."""
    entries = []
    for folder, _, names in os.walk(content):
        for name in names:
            path = os.path.join(folder, name)
            stat = os.stat(path)
            entries.append((path, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(entries))


def load_forum_cached(content: Path, languages: Sequence[str], remember: bool = True) -> Forum:
    """`load_forum`, remembered while no file of content/ changes (`remember`: a process that
    builds again, `forum serve`, whose statistics follow an edit's build with no change;
    knowing that nothing changed costs a look at every file). Between runs, topics whose
    files did not change are not read again. Callers must not change the forum they get."""
    if not remember:
        _loaded.clear()
        return load_forum(content, languages, read_topics=read_topics_remembered)
    key = (str(content.resolve()), tuple(languages), archive_fingerprint(content))
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = load_forum(content, languages, read_topics=read_topics_remembered)
    return _loaded[key]


def folder_signature(folder: Path) -> Signature:
    """The names, modification times and sizes of a folder's files: any edit changes it."""
    with os.scandir(folder) as entries:
        found = [(e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in entries if e.is_file()]
    return tuple(sorted(found))


def read_topics_remembered(content: Path, folders: list[Path], known: Known) -> list[Topic]:
    """Topics of the last run whose files are unchanged, the others read afresh."""
    cache = topics_cache(content)
    before, written = _read_cache(cache, known)
    now: dict[str, _Kept] = {}
    for folder in folders:
        signature = folder_signature(folder)
        kept = before.get(str(folder))
        if not kept or kept[0] != signature:
            topic = read_topic(folder, known)
            kept = (signature, topic, topic_texts(topic))
        now[str(folder)] = kept
    _kept.clear()
    _kept.update((id(topic), (topic, signature, texts)) for signature, topic, texts in now.values())
    if now.keys() != before.keys() or any(now[f] is not before[f] for f in now):
        lines = [
            written[folder]
            if now[folder] is before.get(folder) and folder in written
            else _entry(folder, *kept)
            for folder, kept in now.items()
        ]
        header = json.dumps(
            {"format": _FORMAT, "known": _known_json(known), "texts": _TEXTS_CODE}, ensure_ascii=False
        )
        # One topic a line: the next run writes the lines of unchanged topics back as they are.
        document = header[:-1] + ', "topics": {\n' + ",\n".join(lines) + "\n}}\n"
        write_atomically(cache, document, private=True)
    return [topic for _, topic, _ in now.values()]


def texts_of(topic: Topic) -> tuple[str, ...]:
    """The publish gate's texts of a topic (sync.site.forum_texts.topic_texts): as kept with
    it, for a topic of the last archive read here, else found now."""
    kept = _as_read(topic)
    return kept[2] if kept else topic_texts(topic)


def signature_of(topic: Topic) -> Signature:
    """The signature of a topic's folder when it was read, for a topic of the last archive
    read here (a file saved since then leaves it as it was: the pages built from what was
    read are marked so), else as it is now."""
    kept = _as_read(topic)
    return kept[1] if kept else folder_signature(topic.path.parent)


def _as_read(topic: Topic) -> tuple[Topic, Signature, tuple[str, ...]] | None:
    """What was kept of this very topic when it was read here (not of another one read since
    at the same address)."""
    kept = _kept.get(id(topic))
    return kept if kept is not None and kept[0] is topic else None


# A topic kept: its folder's signature, the topic, the gate's texts of it.
_Kept = tuple[Signature, Topic, tuple[str, ...]]


def _entry(folder: str, signature: Signature, topic: Topic, texts: tuple[str, ...]) -> str:
    """A topic's line of the cache: `"folder": [signature, topic, texts]`."""
    entry = [list(map(list, signature)), _topic_json(topic), list(texts)]
    return f"{json.dumps(folder, ensure_ascii=False)}: {json.dumps(entry, ensure_ascii=False)}"


def _load(cache: Path, known: Known) -> dict[str, _Kept]:
    """The topics kept."""
    return _read_cache(cache, known)[0]


def _read_cache(cache: Path, known: Known) -> tuple[dict[str, _Kept], dict[str, str]]:
    """The topics kept, and the line each was written on (to write again if unchanged)."""
    try:
        text = cache.read_text(encoding="utf-8")
        document = json.loads(text)
        if not isinstance(document, dict) or document.get("format") != _FORMAT:
            return {}, {}
        if document.get("known") != _known_json(known):  # categories, member states or languages changed
            return {}, {}
        if document.get("texts") != _TEXTS_CODE:
            return {}, {}
        topics = document["topics"]
        if not isinstance(topics, dict):
            raise _BadCache
        kept = {
            str(folder): (_signature(sig), _topic(data, _Folder(str(folder))), _texts_kept(texts))
            for folder, (sig, data, texts) in topics.items()
        }
        return kept, _lines(text, kept.keys())
    except (OSError, ValueError, KeyError, TypeError, AttributeError, _BadCache):
        return {}, {}  # no cache, or not one this module wrote: read every topic's files


def _lines(text: str, folders: Iterable[str]) -> dict[str, str]:
    """Each topic's line as this module writes the cache, if it is written so (else none: the
    topics are written afresh)."""
    lines = text.split("\n")[1:-2]
    found: dict[str, str] = {}
    decoder = json.JSONDecoder()
    for line in lines:
        line = line.removesuffix(",")
        try:
            folder, end = decoder.raw_decode(line)
        except ValueError:
            return {}
        if not isinstance(folder, str) or line[end : end + 2] != ": ":
            return {}
        found[folder] = line
    return found if found.keys() == set(folders) else {}


# Writing ---------------------------------------------------------------------------------


def _known_json(known: Known) -> dict[str, list[str]]:
    return {
        "languages": list(known.languages),
        "categories": sorted(known.categories),
        "member_states": sorted(known.member_states),
    }


def _translation_json(translation: Translation) -> dict[str, Any]:
    return {
        "language": translation.language,
        "body": translation.body,
        "translator": translation.translator,
        "date": translation.date.isoformat(),
        "path": str(translation.path),
        "title": translation.title,
        "outdated": translation.outdated,
    }


def _post_json(post: Topic | Reply) -> dict[str, Any]:
    return {
        "id": post.id,
        "author": post.author,
        "language": post.language,
        "date": post.date.isoformat(),
        "body": post.body,
        "path": str(post.path),
        "member_state": post.member_state,
        "edited": post.edited.isoformat() if post.edited else None,
        "url": post.url,
        "translations": [_translation_json(t) for t in post.translations.values()],
    }


def _topic_json(topic: Topic) -> dict[str, Any]:
    return _post_json(topic) | {
        "title": topic.title,
        "category": topic.category,
        "week": topic.week,
        "proposed_by": topic.proposed_by,
        "replies": [_post_json(reply) | {"parent": reply.parent} for reply in topic.replies],
    }


# Reading: every field's type checked, or the whole cache is ignored ------------------------


def _text(data: dict[str, Any], name: str) -> str:
    value = data[name]
    if not isinstance(value, str):
        raise _BadCache
    return value


def _optional_text(data: dict[str, Any], name: str) -> str | None:
    return None if data[name] is None else _text(data, name)


def _moment(data: dict[str, Any], name: str) -> datetime:
    moment = datetime.fromisoformat(_text(data, name))
    if moment.tzinfo is None:
        raise _BadCache
    return moment


def _signature(value: Any) -> Signature:
    if not isinstance(value, list):
        raise _BadCache
    entries = []
    for entry in value:
        name, mtime, size = entry
        if not (isinstance(name, str) and type(mtime) is int and type(size) is int):
            raise _BadCache
        entries.append((name, mtime, size))
    return tuple(entries)


def _texts_kept(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(text, str) for text in value):
        raise _BadCache
    return tuple(value)


class _Folder:
    """A topic's folder, for its files' paths: a file in it is named from the folder's path
    (pathlib parses a whole path in twice the time it takes to add a name)."""

    def __init__(self, folder: str) -> None:
        self.text, self.path = folder, Path(folder)

    def file(self, text: str) -> Path:
        where, _, name = text.rpartition("/")
        return self.path / name if where == self.text and name not in ("", ".", "..") else Path(text)


def _translations(data: dict[str, Any], folder: _Folder) -> dict[str, Translation]:
    found = {}
    for item in data["translations"]:
        outdated = item["outdated"]
        if not isinstance(outdated, bool):
            raise _BadCache
        translation = Translation(
            language=_text(item, "language"),
            body=_text(item, "body"),
            translator=_text(item, "translator"),
            date=_moment(item, "date"),
            path=folder.file(_text(item, "path")),
            title=_optional_text(item, "title"),
            outdated=outdated,
        )
        found[translation.language] = translation
    return found


def _post_fields(data: dict[str, Any], folder: _Folder) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _BadCache
    edited = _optional_text(data, "edited")
    return {
        "id": _text(data, "id"),
        "author": _text(data, "author"),
        "language": _text(data, "language"),
        "date": _moment(data, "date"),
        "body": _text(data, "body"),
        "path": folder.file(_text(data, "path")),
        "member_state": _optional_text(data, "member_state"),
        "edited": _moment(data, "edited") if edited else None,
        "url": _optional_text(data, "url"),
        "translations": _translations(data, folder),
    }


def _topic(data: Any, folder: _Folder) -> Topic:
    replies = [
        Reply(**_post_fields(item, folder), parent=_optional_text(item, "parent")) for item in data["replies"]
    ]
    return Topic(
        **_post_fields(data, folder),
        title=_text(data, "title"),
        category=_text(data, "category"),
        week=_text(data, "week"),
        proposed_by=_optional_text(data, "proposed_by"),
        replies=replies,
    )
