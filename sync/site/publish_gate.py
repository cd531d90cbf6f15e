"""The publish gate: nothing replaces site/ before every file of the new site was checked.

A build writes into a staging folder (sync.site.build). Before that folder becomes the site,
the gate reads every file of it and refuses the lot, naming the file and the reason, if

- a file or folder is a symbolic link (a link would publish whatever it points to);
- a file is not of a kind the forum publishes (pages, the theme's assets and vendored
  scripts, the search index files as the forum writes them, the sitemap);
- a page other than the public ones (the protocol pages, 404) is not encrypted with this
  build's content keys: each encrypted part must open with the key its page names. Pages
  copied from the last build are checked like the others, so a page made with other keys
  (a demo build's, say) never goes out;
- a page does not name the key file of its own level, or a key file holds an entry that is
  not of a credential of that level, or keys other than this build's (sync.site.key_files_gate);
- any page, public or not, or the public search index or the sitemap, shows in clear a text
  of the forum: a topic's or a proposal's title, a category's name or description, a
  person's name or organization, the first or last words of a post (sync.site.forum_texts).

The gate fails closed: whatever it cannot read is an error too. A rebuild's gate opens
again only the files whose bytes are not those it passed last time, and still looks for
every text of the forum in every line of the site (sync.site.gate_memory).
"""

from __future__ import annotations

import base64
import codecs
import functools
import gzip
import html as html_module
import json
import os
import re
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from Crypto.Cipher import AES
from Crypto.Util.Padding import unpad

from sync.site import gate_memory, key_files_gate
from sync.site.gate_memory import Found, GateMemory
from sync.site.key_files_gate import EntryKey

# Kinds of files the forum publishes, by their path in the site.
_ASSET = re.compile(r"assets/.+\.(?:js|css|map|png|svg|ico|txt|woff2?)")
_SEARCH = re.compile(
    r"search/(?:search_index|encrypted_search_parts"
    r"|encrypted_search_index\.[a-z]{2,3}(?:-[A-Za-z]+)?\.\d{4}\.[0-9a-f]{16})\.json"
)
_OTHER = {"sitemap.xml", "sitemap.xml.gz"}
_KEY_FILE = re.compile(r"assets/keys/[0-9a-f]{20}\.json")

# An encrypted part: base64 runs joined by ";" (iv;ciphertext, and a keystore's entries).
_CIPHERTEXT = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}(?:;[A-Za-z0-9+/]{16,}={0,2})+")
_PAGE_KEY = '"encryptcontent_id": "'  # in the page's data (hooks/encryptcontent/decrypt-form.html)
_CONTENT = '<div id="mkdocs-encrypted-content" style="display:none">'
_HIDDEN = re.compile(r"display:none !important[^>]*>([^<]*)<")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_FEW_SECRETS = 100  # texts looked for one by one through the lines, without a words' index


class PublishError(Exception):
    """The site about to be published failed a check: the message names the file and why."""


@dataclass(frozen=True)
class GateInputs:
    """What the gate checks the staging folder against."""

    keys: Mapping[str, bytes]  # this build's content keys by key id (a page names its id)
    public_pages: frozenset[str]  # site paths of the pages readable without a credential
    # Texts of the forum that must never be readable, in groups that change together (forum_texts).
    secrets: tuple[tuple[str, ...], ...]
    public_texts: str = ""  # text published on purpose (the protocol's sources): not a leak
    credentials: tuple[EntryKey, ...] = ()  # each credential's derived key: the key files' check


def check_site(staging: Path, inputs: GateInputs, memory_file: Path | None = None) -> list[str]:
    """Check every file of `staging`; raise PublishError at the first that fails. Returns
    the files checked, by their path in the site. With `memory_file`, a file whose bytes
    are those of the last site passed is not opened again (sync.site.gate_memory), and the
    memory is written anew once the whole site passed."""
    clear: dict[str, None] = {}  # every readable text, once (the same shell is on every page)
    key_files = key_files_gate.KeyFiles(inputs.keys, inputs.credentials)
    memory = gate_memory.load(memory_file, _inputs_digest(inputs))
    passed: dict[str, Found] = {}
    checked: list[str] = []
    try:
        root = len(str(staging)) + 1
        for path in _files(staging):
            relative = str(path)[root:].replace(os.sep, "/")
            if _KEY_FILE.fullmatch(relative):
                key_files.check_file(relative, _read(path, relative))
            elif not _ASSET.fullmatch(relative):  # the theme's own files hold no forum text
                found = passed[relative] = _found(path, relative, inputs, memory)
                clear.update(dict.fromkeys(found.pieces))
                if found.reference is not None:
                    key_files.references.append(found.reference)
            checked.append(relative)
        key_files.check_pages()
        # A digest per group of texts (a topic's): a digest per text was a tenth of a rebuild.
        groups = {gate_memory.secret_digest("\0".join(group)): group for group in inputs.secrets}
        remembered = memory.pieces()
        # Lines no earlier check read, for every text; lines it read, for the texts of groups
        # it did not look for. Together: every text in every line of this site.
        fresh = [piece for piece in clear if piece not in remembered]
        _check_secrets(passed, fresh, _every_text(inputs.secrets), inputs)
        new = _every_text(group for digest, group in groups.items() if digest not in memory.secrets)
        _check_secrets(passed, [piece for piece in clear if piece in remembered], new, inputs)
    except key_files_gate.KeyFileError as error:
        raise PublishError(str(error)) from None
    finally:
        _block_cipher.cache_clear()  # no content key kept in memory past the check
    gate_memory.save(memory_file, GateMemory(memory.inputs, passed, frozenset(groups)), memory)
    return checked


def _found(path: Path, relative: str, inputs: GateInputs, memory: GateMemory) -> Found:
    """What a file shows: as remembered if its bytes are those the last check passed, else
    read and checked now."""
    data = _read_bytes(path, relative)
    digest = gate_memory.file_digest(data)
    remembered = memory.files.get(relative)
    if remembered is not None and remembered.digest == digest:
        return remembered
    pieces = _check_file(data, relative, inputs)
    reference = None
    if relative.endswith(".html") and relative not in inputs.public_pages:
        reference = key_files_gate.page_reference(relative, _decoded(data, relative))
    return Found(digest, tuple(pieces), reference)


def _inputs_digest(inputs: GateInputs) -> str:
    credentials = [(c.key, c.opens, c.guest) for c in inputs.credentials]
    return gate_memory.inputs_digest(inputs.keys, inputs.public_pages, inputs.public_texts, credentials)


def _files(staging: Path) -> Iterable[Path]:
    """Every file under staging, folder by folder in name order; a symbolic link anywhere
    stops the build. (A folder's entries say what they are without a call per file.)"""
    pending = [str(staging)]
    while pending:
        folder = pending.pop()
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        for entry in entries:
            if entry.is_symlink():
                relative = Path(entry.path).relative_to(staging)
                raise PublishError(f"{relative}: a symbolic link; the site publishes none")
        pending += reversed([entry.path for entry in entries if entry.is_dir(follow_symlinks=False)])
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False):
                yield Path(entry.path)


def _check_file(data: bytes, relative: str, inputs: GateInputs) -> list[str]:
    """One file's checks; returns its readable pieces of text for the secrets' check."""
    if relative.endswith(".html"):
        text = _decoded(data, relative)
        if relative not in inputs.public_pages:
            _check_encrypted(text, relative, inputs.keys)
        return _readable(text)
    if _SEARCH.fullmatch(relative):
        text = _decoded(data, relative)
        if relative in ("search/search_index.json", "search/encrypted_search_parts.json"):
            return _readable(_json_text(text, relative))  # the list of parts: names and years
        _check_encrypted_index(text, relative, inputs.keys)
        return []
    if relative == "sitemap.xml":
        return _readable(_decoded(data, relative))
    if relative == "sitemap.xml.gz":
        try:
            return _readable(gzip.decompress(data).decode("utf-8"))
        except (OSError, ValueError) as error:
            raise PublishError(f"{relative}: cannot be read ({error})") from None
    raise PublishError(f"{relative}: not a kind of file the forum publishes")


def _read(path: Path, relative: str) -> str:
    return _decoded(_read_bytes(path, relative), relative)


def _read_bytes(path: Path, relative: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise PublishError(f"{relative}: cannot be read ({error})") from None


def _decoded(data: bytes, relative: str) -> str:
    try:
        return data.decode("utf-8")
    except ValueError as error:
        raise PublishError(f"{relative}: cannot be read ({error})") from None


def _json_text(text: str, relative: str) -> str:
    """A JSON file's strings, decoded (a title written with \\u escapes is still a title)."""
    try:
        return json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        raise PublishError(f"{relative}: not valid JSON") from None


# Encryption ------------------------------------------------------------------------------


def page_key_id(text: str) -> str | None:
    """The id of the content key an encrypted page says it is encrypted with."""
    start = text.find(_PAGE_KEY)
    if start < 0:
        return None
    start += len(_PAGE_KEY)
    return text[start : text.find('"', start)]


def _content(text: str) -> str | None:
    """A page's encrypted content, "iv;ciphertext"."""
    start = text.find(_CONTENT)
    if start < 0:
        return None
    start += len(_CONTENT)
    end = text.find("<", start)
    return None if end < 0 else text[start:end]


def opens(bundle: str, key: bytes, starts_well: Callable[[bytes], bool] | None = None) -> bool:
    """Whether an encrypted part ("iv;ciphertext", base64) was made with `key`: its padding
    is right and it starts as UTF-8 text (or as `starts_well` says). Only its first and last
    blocks are decoded and decrypted: a page's content is most of its bytes."""
    iv_b64, _, ciphertext_b64 = bundle.strip().partition(";")
    size = len(ciphertext_b64)
    length = size // 4 * 3 - len(ciphertext_b64) + len(ciphertext_b64.rstrip("="))
    if size % 4 or not length or length % 16 or ";" in ciphertext_b64:
        return False
    try:
        iv = base64.b64decode(iv_b64, validate=True)
        head = base64.b64decode(ciphertext_b64[:88], validate=True)[:64]
        tail = base64.b64decode(ciphertext_b64[-48:], validate=True)[-32:] if size > 88 else iv + head
    except ValueError:
        return False
    if len(iv) != 16:
        return False
    blocks = _block_cipher(key)
    start = _xor(blocks.decrypt(head), (iv + head)[: len(head)])
    last = _xor(blocks.decrypt(tail[-16:]), tail[-32:-16])
    try:
        unpad(last, 16)
        if starts_well is not None:
            return starts_well(start)
        codecs.getincrementaldecoder("utf-8")().decode(start, final=False)
    except ValueError:
        return False
    return True


def _zlib_header(start: bytes) -> bool:
    """The first bytes of a zlib stream (deflate, with a header check that divides by 31)."""
    return len(start) >= 2 and start[0] & 0x0F == 8 and (start[0] * 256 + start[1]) % 31 == 0


@functools.lru_cache(maxsize=64)
def _block_cipher(key: bytes) -> Any:
    """AES on single blocks (CBC's chaining is done by `opens`, for a few blocks only)."""
    return AES.new(key, AES.MODE_ECB)


def _xor(left: bytes, right: bytes) -> bytes:
    return (int.from_bytes(left, "big") ^ int.from_bytes(right, "big")).to_bytes(len(left), "big")


def _compressed(start: bytes) -> bool:
    """A part as the forum encrypts it: a zlib stream whose first bytes inflate without error."""
    if not _zlib_header(start):
        return False
    try:
        zlib.decompressobj().decompress(start)
    except zlib.error:
        return False
    return True


def page_opens(text: str, keys: Mapping[str, bytes]) -> bool:
    """Whether a page's content is encrypted with one of these keys, the one it names."""
    key = keys.get(page_key_id(text) or "")
    content = _content(text)
    return key is not None and content is not None and opens(content, key, _compressed)


def _check_encrypted(text: str, relative: str, keys: Mapping[str, bytes]) -> None:
    content = _content(text)
    if content is None or not content.strip():
        raise PublishError(
            f"{relative}: not encrypted; only the protocol and 404 pages may be published in clear"
        )
    key_id = page_key_id(text)
    key = keys.get(key_id or "")
    if key is None:
        raise PublishError(f"{relative}: encrypted with a key this build does not have ({key_id!r})")
    parts = [content, *(match[1] for match in _HIDDEN.finditer(text) if match[1].strip())]
    for part in parts:
        if not opens(part, key, _compressed):
            raise PublishError(
                f"{relative}: encrypted with other keys than this build's (a page of another build)"
            )


def _check_encrypted_index(text: str, relative: str, keys: Mapping[str, bytes]) -> None:
    """An encrypted search index: {key id: {page: "iv;ciphertext"}}, every bundle opened by
    this build's key of that id."""
    try:
        index = json.loads(text)
    except ValueError:
        raise PublishError(f"{relative}: not valid JSON") from None
    if not isinstance(index, dict):
        raise PublishError(f"{relative}: not an encrypted search index")
    for key_id, pages in index.items():
        key = keys.get(key_id)
        if key is None or not isinstance(pages, dict):
            raise PublishError(f"{relative}: entries under a key this build does not have ({key_id!r})")
        for page, bundle in pages.items():
            if not isinstance(bundle, str) or not _opens_bundle(bundle, key):
                raise PublishError(
                    f"{relative}: the entries of {page} are not encrypted with this build's keys"
                )


def _opens_bundle(bundle: str, key: bytes) -> bool:
    """A search bundle: compressed, then encrypted."""
    return isinstance(bundle, str) and opens(bundle, key, _zlib_header)


# Texts in clear --------------------------------------------------------------------------


def _readable(text: str) -> list[str]:
    """What a reader without a credential can read in a file: the file without its encrypted
    parts, line by line, as markup and as text (entities decoded, white space folded), each
    distinct piece once (in the gate's memory too: a page repeats half its lines). The same
    shell repeated on every page is read once."""
    text = _cut(text, _CONTENT, "<")  # the largest encrypted part
    return list(dict.fromkeys(piece for line in text.splitlines() for piece in _line_pieces(line)))


def _cut(text: str, opening: str, closing: str) -> str:
    """The text without what stands between `opening` and the next `closing`."""
    start = text.find(opening)
    if start < 0:
        return text
    start += len(opening)
    end = text.find(closing, start)
    return text if end < 0 else text[:start] + text[end:]


@functools.lru_cache(maxsize=65536)
def _line_pieces(line: str) -> tuple[str, ...]:
    without = _CIPHERTEXT.sub(" ", line) if ";" in line else line
    marked = (
        _SPACE.sub(" ", html_module.unescape(without)).strip()
        if "&" in without
        else " ".join(without.split())
    )
    if not marked:
        return ()
    plain = plain_text(without)
    return (marked,) if plain == marked else (marked, plain)


def plain_text(markup: str) -> str:
    """A line of HTML as a reader reads it: tags dropped, entities decoded, spaces folded."""
    return _SPACE.sub(" ", html_module.unescape(_TAG.sub("", markup))).strip()


def _check_secrets(
    passed: Mapping[str, Found], pieces: list[str], secrets: Sequence[str], inputs: GateInputs
) -> None:
    """Each secret text looked for in these readable pieces (each distinct piece once)."""
    if not pieces:
        return
    haystack = "\n".join(pieces).casefold()
    # Many texts: most are ruled out by a word the lines do not hold, faster than a search.
    words = set(_WORD.findall(haystack)) if len(secrets) > _FEW_SECRETS else None
    public = _SPACE.sub(" ", html_module.unescape(inputs.public_texts)).casefold()
    for secret in secrets:
        if words is not None:
            # Most texts are ruled out by their second word alone, folded on its own (folding
            # makes no space and removes none): folding every text whole was most of the time.
            parts = secret.split(" ", 2)
            if len(parts) == 3 and (word := parts[1].casefold()).isalnum() and word not in words:
                continue
        wanted = secret.casefold()
        # A word no line holds: one of the secret's own words between two spaces, which a line
        # showing the secret holds whole (the first and last may be cut in the line's text).
        # Its words split at its single spaces: a regular expression per text was half the
        # gate's time of a rebuild.
        if words is not None and any(w not in words for w in wanted.split(" ")[1:-1] if w.isalnum()):
            continue
        if wanted not in haystack or wanted in public:
            continue
        # The first file showing it, in the order they were walked.
        where = next(
            file for file, found in passed.items() if any(wanted in p.casefold() for p in found.pieces)
        )
        raise PublishError(f"{where}: shows forum content in clear ({_shown(secret)})")


def _every_text(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    """The texts of all groups, each once."""
    return tuple(dict.fromkeys(text for group in groups for text in group))


def _shown(secret: str) -> str:
    return repr(secret if len(secret) <= 40 else secret[:37] + "…")
