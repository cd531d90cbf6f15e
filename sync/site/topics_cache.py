"""The topics a build read, kept between builds so that a rebuild reads only what changed.

Reading the front matter of tens of thousands of files was most of a rebuild's time after a
sync added one reply. The topics read are kept in the checkout's `.cache/topics/` (git-ignored,
never in the site), one file per topic, as plain JSON of the topic's fields with the texts the
publish gate looks for in it (sync.site.forum_texts, found once per topic): reading it runs no
code, whatever a copy arriving with a branch holds (the pickle it replaces did). A rebuild after
one new reply writes that topic's file alone (one file for the archive was 68 MB written again
at 520 topics). A file that does not parse, or whose shape is not exactly what this module
writes, is ignored and that topic's files are read.

A file is two lines: the topic with the texts of its opening post, then the texts of its
replies and their translations, read from the file the first time one of them is asked for
(the first line says how long the second is, and its SHA-256). A rebuild after one new reply
asks for none of the other topics' (their pages are copied); reading and decoding them was
a sixth of its time (50 of 69 MB at 520 topics). Texts that do not read back as the first
line says then stop the build with the file's name, the file removed: the next build reads
the topic's files. The first lines may have been read on the other processor while the
build started (sync.site.topics_reader).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from sync.model.content import Known, load_forum, read_topic
from sync.model.domain import ContentError, Forum, Reply, Topic, Translation
from sync.model.files import write_atomically
from sync.site import forum_texts, topics_reader
from sync.site.forum_texts import topic_texts
from sync.site.topics_reader import Signature, folder_signature
from sync.site.topics_reader import file_name as _file_name

_FORMER_NAMES = ("topics.json", "topics.pickle")  # one file for the whole archive, before
_FORMAT = 5
# The publish gate's texts of each topic are kept with it, as the code that finds them
# found them: other code, and the cache is read as no cache.
_TEXTS_CODE = hashlib.sha256(Path(forum_texts.__file__).read_bytes()).hexdigest()


_loaded: dict[tuple[object, ...], Forum] = {}
_kept: dict[int, tuple[Topic, Signature, tuple[str, ...]]] = {}  # id(topic) → it, as read here


class _BadCache(Exception):
    """The cache is not what this module writes: read the files instead."""


def topics_cache(content: Path) -> Path:
    """The folder where the topics read are kept between builds: in the checkout, never in
    the site or the repository (.gitignore). It holds the archive's text: erasing a post
    removes it."""
    return topics_reader.cache_folder(content)


def forget_read_topics(content: Path) -> None:
    """Remove the topics kept between builds (after an erasure: nothing erased stays)."""
    shutil.rmtree(topics_cache(content), ignore_errors=True)
    for name in _FORMER_NAMES:
        topics_cache(content).with_name(name).unlink(missing_ok=True)


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


def read_topics_remembered(content: Path, folders: list[Path], known: Known) -> list[Topic]:
    """Topics of the last run whose files are unchanged, the others read afresh (and their
    files of the cache written anew). Files of topics no longer in content/ are removed."""
    cache = topics_cache(content)
    header = _header(known)
    now: dict[str, _Kept] = {}
    read_beside = topics_reader.take(content) or {}  # read on the other processor, if it was
    for folder in folders:
        file = cache / _file_name(str(folder))
        if (beside := read_beside.get(str(folder))) is not None:
            signature, document = beside
            kept = _kept_in(file, document, str(folder), header, signature)
        else:
            signature = folder_signature(folder)
            kept = _read_entry(file, str(folder), header, signature)
        if kept is None:
            if beside is not None:  # the files as they are now, read now
                signature = folder_signature(folder)
            topic = read_topic(folder, known)
            kept = (signature, topic, topic_texts(topic))
            _write_entry(cache, str(folder), header, kept)
        now[str(folder)] = kept
    _remove_others(cache, {_file_name(folder) for folder in now})
    _kept.clear()
    _kept.update((id(topic), (topic, signature, texts)) for signature, topic, texts in now.values())
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


def _header(known: Known) -> dict[str, Any]:
    """What every file of the cache says it was written under: another format, another
    archive's categories, member states or languages, or other code finding the texts, and
    the file is read as no cache."""
    known_digest = hashlib.sha256(json.dumps(_known_json(known), ensure_ascii=False).encode()).hexdigest()
    return {"format": _FORMAT, "known": known_digest, "texts": _TEXTS_CODE}


def _write_entry(cache: Path, folder: str, header: dict[str, Any], kept: _Kept) -> None:
    """A topic's file: the header, its folder, its folder's signature, the topic, its texts
    for the gate; on a line of their own, the texts of its replies and their translations,
    in the order the topic names them (the first line says how many, the second's length in
    bytes and its SHA-256)."""
    signature, topic, texts = kept
    later: list[str] = []
    entry = header | {
        "folder": folder,
        "signature": list(map(list, signature)),
        "topic": _topic_json(topic, later),
        "found": list(texts),
    }
    # JSON writes a line break in a text as \n: the texts are one line.
    line = json.dumps(later, ensure_ascii=False).encode("utf-8", "surrogatepass")
    entry["later"] = [len(later), len(line), hashlib.sha256(line).hexdigest()]
    cache.mkdir(parents=True, mode=0o700, exist_ok=True)  # another build may make it too
    document = json.dumps(entry, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n" + line
    write_atomically(cache / _file_name(folder), document, private=True)


def _read_entry(file: Path, folder: str, header: dict[str, Any], signature: Signature) -> _Kept | None:
    """The topic kept in `file`, if the file is this module's for `folder`, written under
    `header`, and the folder's files still have `signature`; else None (read the files)."""
    try:
        document = topics_reader.first_line(file)
    except OSError:
        return None  # no file: read the topic's files
    return _kept_in(file, document, folder, header, signature)


def _kept_in(
    file: Path, document: Any, folder: str, header: dict[str, Any], signature: Signature
) -> _Kept | None:
    """The topic a cache file's first line keeps (`document`, decoded), if it is as
    `_read_entry` says; else None."""
    try:
        if not isinstance(document, dict) or any(document.get(k) != v for k, v in header.items()):
            return None
        if document["folder"] != folder or _signature(document["signature"]) != signature:
            return None
        count, length, digest = document["later"]
        if type(count) is not int or type(length) is not int or type(digest) is not str:
            return None
        texts = _LaterTexts(file, count, length, digest)
        topic = _topic(document["topic"], _Folder(folder), texts)
        if texts.named != count:
            return None
        return signature, topic, _texts_kept(document["found"])
    except (ValueError, KeyError, TypeError, AttributeError, _BadCache):
        return None  # not one this module wrote: read the topic's files


class _LaterTexts:
    """The texts of a topic's replies and their translations, as its cache file's second
    line holds them: read and decoded when one is first asked for, and checked then against
    what the first line says of them (how many, how long, their digest)."""

    def __init__(self, file: Path, count: int, length: int, digest: str) -> None:
        self.file, self.count, self.length, self.digest = file, count, length, digest
        self.named = 0  # texts given out so far, in the order the topic names them
        self.texts: list[str] | None = None

    def next(self) -> Callable[[], str]:
        """The next text of the topic, for a post's field (sync.model.domain's _Text)."""
        self.named += 1
        return partial(self.text, self.named - 1)

    def text(self, number: int) -> str:
        if self.texts is None:
            self.texts = self._decoded()
        return self.texts[number]

    def _decoded(self) -> list[str]:
        try:
            line = self.file.read_bytes().partition(b"\n")[2]
        except OSError:
            line = b""
        texts = None
        if len(line) == self.length and hashlib.sha256(line).hexdigest() == self.digest:
            with contextlib.suppress(ValueError):
                texts = json.loads(line)
        if isinstance(texts, list) and len(texts) == self.count and all(type(t) is str for t in texts):
            return texts
        self.file.unlink(missing_ok=True)  # the next build reads the topic's files
        raise ContentError(
            self.file, None, "the replies' texts kept here do not read back: removed, build again"
        )


def _remove_others(cache: Path, wanted: set[str]) -> None:
    """Every file of the cache but those of the topics read now: a topic gone from content/
    (moved, or its folder removed) leaves nothing of its text behind. Files being written
    (".name.…", sync.model.files) are another build's, left to it; erasing a post removes
    the whole folder (forget_read_topics)."""
    try:
        names = os.listdir(cache)
    except OSError:
        names = []
    for name in names:
        if name not in wanted and not name.startswith("."):
            path = cache / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
    for name in _FORMER_NAMES:  # the whole archive's text, under a former name
        cache.with_name(name).unlink(missing_ok=True)


def _load(cache: Path, known: Known) -> dict[str, _Kept]:
    """Every topic the cache's files keep, by folder, whatever the folders hold now."""
    kept = {}
    for file in cache.glob("*.json"):
        document = topics_reader.first_line(file)
        signature = _signature(document["signature"])
        entry = _kept_in(file, document, document["folder"], _header(known), signature)
        if entry is not None:
            kept[document["folder"]] = entry
    return kept


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


def _post_json(post: Topic | Reply, later: list[str] | None = None) -> dict[str, Any]:
    """A post's fields; with `later`, its texts and its translations' go there instead."""
    texts = [_translation_json(t) for t in post.translations.values()]
    if later is not None:
        later.append(post.body)
        for text in texts:
            later.append(text.pop("body"))
    return {
        "id": post.id,
        "author": post.author,
        "language": post.language,
        "date": post.date.isoformat(),
        **({} if later is not None else {"body": post.body}),
        "path": str(post.path),
        "member_state": post.member_state,
        "edited": post.edited.isoformat() if post.edited else None,
        "url": post.url,
        "translations": texts,
    }


def _topic_json(topic: Topic, later: list[str]) -> dict[str, Any]:
    """A topic's fields, the texts of its replies and their translations put in `later`."""
    return _post_json(topic) | {
        "title": topic.title,
        "category": topic.category,
        "week": topic.week,
        "proposed_by": topic.proposed_by,
        "replies": [_post_json(reply, later) | {"parent": reply.parent} for reply in topic.replies],
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
    (pathlib parses a whole path in twice the time it takes to add a name), the way pathlib
    names the files it lists in a folder, a name it knows to be one name (its own method,
    not a public one: where a Python lacks it, the public way)."""

    def __init__(self, folder: str) -> None:
        self.text, self.path = folder, Path(folder)
        self._named = getattr(self.path, "_make_child_relpath", self.path.joinpath)

    def file(self, text: str) -> Path:
        where, _, name = text.rpartition("/")
        return self._named(name) if where == self.text and name not in ("", ".", "..") else Path(text)


# Each field's type checked where it is read, and a reply's and a translation's fields given
# in the order their classes declare them (a cache's topics are compared with the files'
# in the tests): a call per field, and by name, were a fifth of reading the cache.


def _translations(data: dict[str, Any], folder: _Folder, later: _LaterTexts | None) -> dict[str, Translation]:
    found = {}
    for item in data["translations"]:
        language, translator, path = item["language"], item["translator"], item["path"]
        title, outdated = item["title"], item["outdated"]
        if type(language) is not str or type(translator) is not str or type(path) is not str:
            raise _BadCache
        if (title is not None and type(title) is not str) or type(outdated) is not bool:
            raise _BadCache
        body = later.next() if later is not None else _text(item, "body")
        found[language] = Translation(
            language, body, translator, _moment(item, "date"), folder.file(path), title, outdated
        )
    return found


def _post_fields(data: dict[str, Any], folder: _Folder, later: _LaterTexts | None = None) -> tuple[Any, ...]:
    """A post's fields, in Post's order; with `later`, its text and its translations' are
    the next there."""
    if type(data) is not dict:
        raise _BadCache
    identifier, author, language, path = data["id"], data["author"], data["language"], data["path"]
    member_state, edited, url = data["member_state"], data["edited"], data["url"]
    if type(identifier) is not str or type(author) is not str or type(language) is not str:
        raise _BadCache
    if type(path) is not str or (member_state is not None and type(member_state) is not str):
        raise _BadCache
    if (edited is not None and type(edited) is not str) or (url is not None and type(url) is not str):
        raise _BadCache
    return (
        identifier,
        author,
        language,
        _moment(data, "date"),
        later.next() if later is not None else _text(data, "body"),
        folder.file(path),
        member_state,
        _moment(data, "edited") if edited else None,
        url,
        _translations(data, folder, later),
    )


def _topic(data: Any, folder: _Folder, later: _LaterTexts) -> Topic:
    replies = [
        Reply(*_post_fields(item, folder, later), _optional_text(item, "parent")) for item in data["replies"]
    ]
    return Topic(
        *_post_fields(data, folder),
        title=_text(data, "title"),
        category=_text(data, "category"),
        week=_text(data, "week"),
        proposed_by=_optional_text(data, "proposed_by"),
        replies=replies,
    )
