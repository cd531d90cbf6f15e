"""The topics cache's files read on the other processor while a build starts.

A rebuild after one new reply spends its first third of a second importing MkDocs,
Material and the forum, and the next half second reading the topics cache
(sync.site.topics_cache): the size and time of every file of every topic's folder, and the
first line of each topic's kept file, decoded. Neither needs the other. So `forum build`
first starts READERS programs of this module (`start_for`, before any of those imports;
Python's standard library only, run isolated: each starts in hundredths of a second), each
reading every other topic as the build would, and handing it over whole; the build then
takes it (`take`) where it would have read it, and checks every part of it as it checks a
file of the cache. A program that cannot start, fails, or answers anything else costs
nothing but the time: the build reads the files itself. Measured at 520 topics, six
rebuilds of each, in turn: medians 3.36 s without, 3.18 s with one reader, 3.12 s with two.

What it hands over (marshal, between processes of the same Python): for each topic's
folder, the folder's signature and its kept file's first line decoded (the second, the
replies' texts, is read by the build when asked for).
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

TAKE_WITHIN = 60.0  # seconds a build waits for what this program read, at most

# A topic folder's files as the file system describes them: any edit changes it.
Signature = tuple[tuple[str, int, int], ...]
# By folder: its signature and its kept file's first line decoded (None: not JSON).
Read = dict[str, tuple[Signature, Any]]

READERS = 2  # programs started, each reading every other folder: the build waits less
_started: dict[str, list[subprocess.Popen[bytes]]] = {}  # content folder → the programs reading it


def folder_signature(folder: Path | str) -> Signature:
    """The names, modification times and sizes of a folder's files: any edit changes it."""
    with os.scandir(folder) as entries:
        found = []
        for entry in entries:
            if entry.is_file():
                stat = entry.stat()
                found.append((entry.name, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(found))


def cache_folder(content: Path) -> Path:
    """The folder of the topics cache: in the checkout, beside content/."""
    return content.resolve().parent / ".cache" / "topics"


def file_name(folder: str) -> str:
    """A topic's file in the cache, named from its folder's path (a folder's name is the
    topic's: any text an archive allows, not a name to trust in a path)."""
    return hashlib.sha256(folder.encode("utf-8", "surrogatepass")).hexdigest()[:32] + ".json"


def topic_folders(content: Path) -> list[Path]:
    """The topics' folders, as the archive lists them (sync.model.content)."""
    topics = content / "topics"
    return sorted(p for p in topics.iterdir() if p.is_dir()) if topics.is_dir() else []


def first_line(file: Path) -> Any:
    """A kept file's first line decoded (None if it is not JSON); OSError if unreadable."""
    with file.open("rb") as kept:
        line = kept.readline()
    try:
        return json.loads(line)
    except ValueError:
        return None


def read(content: Path, part: int = 0, parts: int = 1) -> Read:
    """Every topic folder's signature and kept file, as `Read` says (of `parts` readers,
    the `part`th reads every `parts`th folder from the `part`th)."""
    cache = cache_folder(content)
    found: Read = {}
    for folder in topic_folders(content)[part::parts]:
        signature = folder_signature(folder)
        try:
            found[str(folder)] = (signature, first_line(cache / file_name(str(folder))))
        except OSError:
            continue  # none kept: the build reads the topic's files
    return found


def start_for(arguments: list[str]) -> None:
    """For `forum build [--project DIR]`, READERS of this program started on the checkout's
    content/ (found as the command finds it); for any other command, nothing."""
    if not arguments or arguments[0] != "build" or "--help" in arguments or (os.cpu_count() or 1) < 2:
        return  # on a single processor, readers would only take it from the build
    project = _project_argument(arguments[1:])
    here = Path(project or ".").resolve()
    for folder in [here, *here.parents]:
        if (folder / "mkdocs.yml").is_file() and (folder / "content").is_dir():
            content = folder / "content"
            readers = _started[str(content)] = []
            for part in range(READERS):
                command = [sys.executable, "-I", "-S", __file__, str(content), str(part), str(READERS)]
                try:
                    reading = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                    readers.append(reading)
                except OSError:
                    return  # `take` finds too few readers: the build reads the files
            return


def _project_argument(arguments: list[str]) -> str | None:
    for index, argument in enumerate(arguments):
        if argument == "--project" and index + 1 < len(arguments):
            return arguments[index + 1]
        if argument.startswith("--project="):
            return argument.partition("=")[2]
    return None


def take(content: Path) -> Read | None:
    """What these programs read of `content`, if they were started on it and all answered in
    the expected shape; else None (read the files). Taken once."""
    readers = _started.pop(str(content), [])
    parts = [_answer(reading) for reading in readers]
    if len(parts) != READERS or any(part is None for part in parts):
        return None
    return {folder: entry for part in parts for folder, entry in part.items()}  # type: ignore[union-attr]


def _answer(reading: subprocess.Popen[bytes]) -> Read | None:
    """What one program read, if it answered in the expected shape."""
    try:
        data, _ = reading.communicate(timeout=TAKE_WITHIN)
    except subprocess.TimeoutExpired:
        reading.kill()
        reading.communicate()
        return None
    if reading.returncode != 0:
        return None
    try:
        found = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(found, dict) or not all(_well_formed(k, v) for k, v in found.items()):
        return None
    return found


def _well_formed(folder: object, entry: object) -> bool:
    """A folder's entry as `read` makes it: the signature checked entry by entry."""
    if not isinstance(folder, str) or type(entry) is not tuple or len(entry) != 2:
        return False
    signature, _ = entry
    return type(signature) is tuple and all(
        type(item) is tuple
        and len(item) == 3
        and type(item[0]) is str
        and type(item[1]) is int
        and type(item[2]) is int
        for item in signature
    )


if __name__ == "__main__":
    sys.stdout.buffer.write(marshal.dumps(read(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))))
