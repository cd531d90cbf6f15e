"""What the publish gate found in the last site it passed, so that a rebuild re-reads only
what changed.

A rebuild after one new reply copies most pages from the site it replaces; checking each of
them again (opening its encrypted parts, cutting its text into lines) was most of the gate's
time. The gate remembers, for each file it passed, the file's SHA-256 with what it found in
it (its lines readable in clear, the key files it names), the lines readable anywhere in that
site, and a digest of every forum text it looked for. A later check trusts a file only when
its bytes are those remembered at the same path, under the same keys, public pages, public
texts, credentials and gate code; then

- each file not remembered is checked in full, and its lines are looked through for every
  text of the forum;
- the lines remembered are looked through for the texts the last check did not look for
  (a new reply's words), so a line passed before is caught when a new post says the same.

Anything else (no memory, another build's keys, a file that cannot be read as memory) and
the gate checks every file, as it always did. The memory lives in `.cache/` of the checkout,
as the topics already read do; it holds no key, and it is never published.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sync.model.files import write_atomically
from sync.site.key_files_gate import Reference

_GATE_CODE = ("publish_gate.py", "key_files_gate.py", "gate_memory.py")
_VERSION = 2
KEPT = 4  # memories kept in .cache: site/, forum serve's, and a couple more


@dataclass(frozen=True)
class Found:
    """What the gate found in one file it passed."""

    digest: str  # SHA-256 of the file's bytes
    pieces: tuple[str, ...]  # its lines readable in clear, each once
    reference: Reference | None  # the key files a protected page names


@dataclass
class GateMemory:
    """The last passed site's files, the lines readable in it, and the texts looked for."""

    inputs: str = ""  # digest of everything but the forum's texts the check depended on
    files: dict[str, Found] = field(default_factory=dict)  # site path → what was found
    secrets: frozenset[str] = frozenset()  # digests of the groups of texts looked for (a topic's)
    # As read from its file: the lines readable in clear, numbered, and each file's line,
    # written again as they are for the files still there unchanged.
    table: list[str] = field(default_factory=list, compare=False, repr=False)
    lines: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def pieces(self) -> set[str]:
        """Every line the last check read in clear (and looked through for every text)."""
        return {piece for found in self.files.values() for piece in found.pieces}


def memory_file(project_root: Path, site: Path) -> Path:
    """Where the gate remembers the last site it passed into `site` (one a folder: `forum
    serve` and `forum build` publish to different ones)."""
    name = hashlib.sha256(str(site.resolve()).encode()).hexdigest()[:16]
    return project_root / ".cache" / f"publish-gate-{name}.json"


def forget(project_root: Path, site: Path) -> None:
    """Remove the memory of `site` (a folder that goes away: `forum serve`'s, at its end)."""
    memory_file(project_root, site).unlink(missing_ok=True)


def forget_all(project_root: Path) -> None:
    """Remove every memory of the gate (after an erasure: not even a digest of a text erased
    stays; the next build checks every file)."""
    for path in (project_root / ".cache").glob("publish-gate-*.json"):
        path.unlink(missing_ok=True)


def file_digest(data: bytes) -> str:
    """A file's bytes, as the memory knows them."""
    return hashlib.sha256(data).hexdigest()


def secret_digest(secret: str) -> str:
    """A text looked for, as the memory knows it (never the text itself)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:32]


def inputs_digest(
    keys: Mapping[str, bytes],
    public_pages: Iterable[str],
    public_texts: str,
    credentials: Iterable[tuple[bytes, Iterable[str], bool]],
) -> str:
    """Everything a file's check and the texts' check depend on, besides the texts and the
    file itself: the content keys (hashed), the public pages and texts, the credentials,
    and the gate's own code."""
    hashing = hashlib.sha256(f"forum publish gate {_VERSION}\n".encode())
    for name in _GATE_CODE:
        hashing.update((Path(__file__).with_name(name)).read_bytes())
    for key_id in sorted(keys):
        hashing.update(f"key {key_id} {hashlib.sha256(keys[key_id]).hexdigest()}\n".encode())
    for page in sorted(public_pages):
        hashing.update(f"public {page}\n".encode())
    hashing.update(hashlib.sha256(public_texts.encode("utf-8")).digest())
    for key, opens, guest in sorted((k, tuple(sorted(o)), g) for k, o, g in credentials):
        hashing.update(hashlib.sha256(key).digest() + repr((opens, guest)).encode())
    return hashing.hexdigest()


def load(path: Path | None, inputs: str) -> GateMemory:
    """The memory of the last passed check with these inputs; empty if there is none, if it
    was made with other inputs, or if it cannot be read (then every file is checked)."""
    if path is None:
        return GateMemory(inputs)
    try:
        header, table, *lines = path.read_text(encoding="utf-8").split("\n")[:-1]
        data = json.loads(header)
        if data.get("version") != _VERSION or data.get("inputs") != inputs:
            return GateMemory(inputs)
        pieces = json.loads(table)
        if not isinstance(pieces, list) or not all(isinstance(piece, str) for piece in pieces):
            raise ValueError("not a gate memory")
        files: dict[str, Found] = {}
        written: dict[str, str] = {}
        for line in lines:
            relative, found = _file(json.loads(line), pieces)
            files[relative], written[relative] = found, line
        return GateMemory(inputs, files, frozenset(data["secrets"]), pieces, written)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return GateMemory(inputs)


def _file(entry: Any, pieces: list[str]) -> tuple[str, Found]:
    relative, digest, indices, reference = entry
    if not isinstance(relative, str) or not isinstance(digest, str) or min(indices, default=0) < 0:
        raise ValueError("not a gate memory")
    shown = tuple(map(pieces.__getitem__, indices))
    return relative, Found(digest, shown, tuple(reference) if reference else None)  # type: ignore[arg-type]


def save(path: Path | None, memory: GateMemory, previous: GateMemory | None = None) -> None:
    """Write the memory of a check that passed (written whole, then moved into place). The
    files found as `previous` remembered them keep their line as it was read (a rebuild
    after one reply changes a few dozen of thousands), unless most of its numbered lines
    are no longer shown anywhere: then it is written afresh."""
    if path is None:
        return
    table, lines = _reused(memory, previous)
    numbers = {piece: number for number, piece in enumerate(table)}
    for relative, found in memory.files.items():
        if relative not in lines:
            indices = []
            for piece in found.pieces:
                if piece not in numbers:
                    numbers[piece] = len(table)
                    table.append(piece)
                indices.append(numbers[piece])
            reference = list(found.reference) if found.reference else None
            lines[relative] = json.dumps([relative, found.digest, indices, reference], ensure_ascii=False)
    header = {"version": _VERSION, "inputs": memory.inputs, "secrets": sorted(memory.secrets)}
    document = "\n".join([json.dumps(header), json.dumps(table, ensure_ascii=False), *lines.values(), ""])
    # Readable by its owner only, as the topics cache: digests of the forum's texts would let
    # anyone on the machine confirm a guess of what the archive says.
    write_atomically(path, document, private=True)
    _keep_newest(path.parent, path)


def _reused(memory: GateMemory, previous: GateMemory | None) -> tuple[list[str], dict[str, str]]:
    """The numbered lines and files' lines of `previous` that `memory` can keep."""
    if previous is None or previous.inputs != memory.inputs or not previous.lines:
        return [], {}
    kept = {
        relative: previous.lines[relative]
        for relative, found in memory.files.items()
        if previous.files.get(relative) is found and relative in previous.lines
    }
    shown = {piece for relative in kept for piece in memory.files[relative].pieces}
    if len(shown) * 2 < len(previous.table):  # mostly lines no file shows now
        return [], {}
    return list(previous.table), kept


def _keep_newest(folder: Path, written: Path) -> None:
    """Only the memories of the few folders built last: builds into passing folders (a
    test's, a demo's elsewhere) would each leave one behind. A memory removed costs the
    next build of its folder a full check, nothing more."""
    memories = sorted(folder.glob("publish-gate-*.json"), key=_written_at, reverse=True)
    others = [memory for memory in memories if memory != written]
    for old in others[KEPT - 1 :]:
        old.unlink(missing_ok=True)
    for kept in others[: KEPT - 1]:  # written readable by all before the forum wrote them private
        with contextlib.suppress(OSError):
            kept.chmod(0o600)


def _written_at(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
