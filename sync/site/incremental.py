"""Rebuilding only what changed: pages that would come out as they were are carried over from
the site being replaced instead of being rendered, encrypted and indexed again.

After a sync adds one reply, one topic changed; its pages, the listings that show it, the
home page and the statistics are built again, and every other page is copied from the
previous site. A page is carried over only when nothing it shows can have changed:

- the site as a whole is the same: the forum's code, theme and configuration, the
  installed MkDocs packages, the roster and categories (names on every page), the
  languages, demo or not, and the content keys (sync.site.encryption keeps them while the
  credentials are the same, and no longer than a week);
- the page itself is the same: a topic's page when its topic's files are (in every
  language, with or without a guest copy); a page of a category's topics or of the topics
  by week when its title, its level, its place in the listing and the files of the topics
  it reads are (its HTML is made of nothing else: no need to render it to know); any other
  page (home, statistics, proposals) when the HTML the forum renders for it, its title and
  its level are.

Anything else, and the page is built afresh; a change to the site as a whole rebuilds all.
What was built is recorded once the new site is in place, in one manifest per checkout
(`.cache/site-builds.json`, git-ignored, never in the site), per site folder: every build of
a folder records itself there, with whichever credentials (the demo's too), so a build with
other keys in between makes the next one build everything. And a page is copied only if it
is the file the last build wrote (its size, time and inode as recorded; else only if it
opens with this build's content keys), and the publish gate checks again that it does
before the site is replaced. Only `forum build` rebuilds this way; MkDocs run on its own
always builds everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from sync.model.domain import Forum, Topic
from sync.model.files import write_atomically
from sync.site.programs import environment, program
from sync.site.topics_cache import signature_of

# Whose code shapes a page: a new version of any of these rebuilds every page.
PACKAGES = (
    "mkdocs",
    "mkdocs-material",
    "mkdocs-static-i18n",
    "mkdocs-encryptcontent-plugin",
    "markdown",
    "nh3",
    "babel",  # dates and numbers as each language writes them
)
_CODE = Path(__file__).resolve().parent.parent  # all of sync/, every room: any code change rebuilds in full


@dataclass
class Rebuild:
    """One `forum build`: the site it replaces, where it writes, and what it found."""

    previous: Path  # the site being replaced (it may not exist)
    staging: Path  # where this build writes; becomes the site on success
    forum: Forum  # the archive, as read when the build began
    full: bool = False  # build every page, copy none
    manifest_file: Path | None = None
    site: str = ""  # this build's fingerprint of the site as a whole
    pages: dict[str, str] = field(default_factory=dict)  # page path in the site → fingerprint
    carried: frozenset[str] = frozenset()  # paths of the pages copied over
    later: frozenset[str] = frozenset()  # those of them copied as they were, left for a next build
    copied: int = 0  # pages copied over
    carrier: subprocess.Popen[bytes] | None = None  # the process copying them (start_carrying)


def manifest_file(project_root: Path) -> Path:
    """Where the checkout records what each site folder was last built from."""
    return project_root / ".cache" / "site-builds.json"


def _digest(*parts: bytes | str) -> str:
    hashing = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hashing.update(len(data).to_bytes(8, "big"))
        hashing.update(data)
    return hashing.hexdigest()


def _tree(folder: Path) -> list[bytes | str]:
    """Every file's name and bytes under a folder (code, templates), in a stable order."""
    parts: list[bytes | str] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        parts += [str(path.relative_to(folder)), path.read_bytes()]
    return parts


def site_fingerprint(forum: Forum, project_root: Path, keys: str, demo: bool) -> str:
    """What every page depends on, beyond its own topic."""
    return _digest(
        *(f"{name}={version(name)}" for name in PACKAGES),
        *_tree(_CODE),
        *_tree(project_root / "hooks"),
        (project_root / "mkdocs.yml").read_bytes(),
        repr(forum.languages),
        repr(forum.categories),
        repr(forum.roster),
        keys,
        f"demo={demo}",
    )


def page_fingerprint(*parts: str) -> str:
    """What one page shows beyond the site as a whole (its topic's fingerprint, or its HTML,
    title and level)."""
    return _digest(*parts)


def topic_fingerprint(topic: Topic, guest_level: str | None) -> str:
    """A topic's files (opening post, replies, translations) as the file system describes
    them, the test the topics cache makes too, and whether guests read a copy of it.
    Whatever else a topic page shows is in the site's fingerprint."""
    return _digest(repr(signature_of(topic)), topic.id, f"guests={guest_level}")


def plan(
    rebuild: Rebuild,
    manifest_file: Path,
    site: str,
    pages: dict[str, str | None],
    opens: Callable[[Path], bool],
) -> None:
    """Decide which pages are carried over: those the last build of this same site made
    from the same fingerprints, still in the previous site and opened by this build's keys
    (`opens`). `pages` gives each page's fingerprint by its path in the site; None for a
    page left for later (`forum serve`'s statistics): carried as the last build made it,
    its fingerprint that build's, so that the next build makes it afresh."""
    rebuild.manifest_file, rebuild.site = manifest_file, site
    before = _load(manifest_file).get(str(rebuild.previous), {})
    made = before.get("pages")
    if rebuild.full or before.get("site") != site or not isinstance(made, dict):
        made = {}
    written = before.get("files") if made else None
    written = written if isinstance(written, dict) else {}
    carried: set[str] = set()
    rebuild.pages = {}
    for path, fingerprint in pages.items():
        wanted = made.get(path) if fingerprint is None else fingerprint
        same = isinstance(wanted, str) and made.get(path) == wanted
        if same and _usable(os.path.join(rebuild.previous, path), written.get(path), opens):
            carried.add(path)
        if fingerprint is not None:
            rebuild.pages[path] = fingerprint
        elif path in carried:
            rebuild.pages[path] = wanted  # a page left for later and built now: the caller's
    rebuild.carried = frozenset(carried)
    rebuild.later = frozenset(path for path in carried if pages[path] is None)


def _usable(path: str, written: object, opens: Callable[[Path], bool]) -> bool:
    """A page of the previous site that may be copied: a plain file, the very one the last
    build wrote there (the same size, time and inode; the publish gate passed it then, and
    the keys are the same), else one this build's keys open. Reading and decrypting each
    page again was a tenth of a rebuild."""
    try:
        found = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(found.st_mode) and (_stamp(found) == written or opens(Path(path)))


def _stamp(found: os.stat_result) -> list[int]:
    """What tells a file from another put in its place (its bytes are the publish gate's)."""
    return [found.st_size, found.st_mtime_ns, found.st_ino]


class CarryError(Exception):
    """Pages of the previous site could not be copied into the new one; the message says why."""


def start_carrying(rebuild: Rebuild, paths: list[str]) -> None:
    """Copy pages over from the previous site into the one being built, by a process of
    its own (sync.site.carrier) while this one builds the rest; `finish_carrying` waits
    for it before the new site is checked."""
    rebuild.copied += len(paths)
    if not paths:
        return
    with tempfile.TemporaryFile() as listed:  # read by the carrier at its pace, never blocking the build
        listed.write("\0".join(paths).encode("utf-8", "surrogateescape"))
        listed.seek(0)
        try:
            rebuild.carrier = subprocess.Popen(
                program("sync.site.carrier", str(rebuild.previous), str(rebuild.staging)),
                stdin=listed,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=environment(),
            )
        except OSError as error:
            raise CarryError(f"pages could not be copied from the last build: {error}") from None


def finish_carrying(rebuild: Rebuild) -> None:
    """Wait for the pages being copied; CarryError if the copy failed."""
    carrier, rebuild.carrier = rebuild.carrier, None
    if carrier is None:
        return
    answer, errors = carrier.communicate()
    if carrier.returncode != 0:
        said = (answer or errors).decode("utf-8", "replace").strip().splitlines()
        why = said[-1] if said else f"exit status {carrier.returncode}"
        raise CarryError(f"pages could not be copied from the last build: {why}")


def stop_carrying(rebuild: Rebuild) -> None:
    """A build that failed: the copy stopped before the folder it writes to is removed."""
    carrier, rebuild.carrier = rebuild.carrier, None
    if carrier is not None:
        carrier.kill()
        carrier.communicate()


def save(rebuild: Rebuild, site_dir: Path) -> None:
    """Record what the site now in `site_dir` was built from (after it replaced the old)."""
    if rebuild.manifest_file is None:
        return
    manifests = _load(rebuild.manifest_file)
    manifests.pop(str(rebuild.previous), None)
    written = {}
    for path in rebuild.pages:
        try:
            written[path] = _stamp(os.lstat(os.path.join(site_dir, path)))
        except OSError:
            continue  # not written (a page MkDocs skips): built again next time
    manifests[str(site_dir)] = {"site": rebuild.site, "pages": rebuild.pages, "files": written}
    write_atomically(rebuild.manifest_file, json.dumps(manifests), private=True)


def forget(manifest_file: Path, site_dir: Path) -> None:
    """A site built by MkDocs alone no longer matches what the manifest says of it."""
    manifests = _load(manifest_file)
    if manifests.pop(str(site_dir), None) is not None:
        write_atomically(manifest_file, json.dumps(manifests), private=True)


def _load(manifest_file: Path) -> dict[str, dict]:
    try:
        loaded = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no manifest, or a damaged one: build everything
    return loaded if isinstance(loaded, dict) else {}
