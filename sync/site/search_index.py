"""The encrypted search index: the protected pages' search entries, compressed then
encrypted per page with their level's content key, and filed per language.

Split out of sync.site.encryption (the plugin) so that how the index is cut into files
has a home of its own.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from Crypto.Cipher import AES
from Crypto.Random import get_random_bytes
from Crypto.Util.Padding import pad
from mkdocs.exceptions import PluginError
from zlib_ng import zlib_ng


def page_of(location: str) -> str:
    """The page a search entry belongs to: its location without the section anchor."""
    return location.split("#", 1)[0]


Bundles = dict[str, dict[str, str]]  # key id → page → "iv;ciphertext" of its entries


def split_search_index(
    entries: list[dict[str, Any]], locations: Mapping[str, tuple[bytes | None, str]]
) -> tuple[list[dict[str, Any]], dict[str, tuple[bytes, dict[str, list[dict[str, Any]]]]]]:
    """Public entries, and the protected ones by the key of their page's level, then by page."""
    public: list[dict[str, Any]] = []
    protected: dict[str, tuple[bytes, dict[str, list[dict[str, Any]]]]] = {}
    for entry in entries:
        page = page_of(entry["location"])
        level = locations.get(page)
        if level is None:
            public.append(entry)
            continue
        key, key_id = level
        if key is not None:
            protected.setdefault(key_id, (key, {}))[1].setdefault(page, []).append(entry)
    return public, protected


def encrypt_search_index(
    folder: Path,
    languages: list[str],
    default: str,
    locations: Mapping[str, tuple[bytes | None, str]],
    ready: Mapping[str, Mapping[str, str]],
    ready_years: Mapping[str, str] | None = None,
    previous: PreviousParts | None = None,
) -> None:
    """search_index.json keeps the public pages' entries. The others go to one file per
    language and year, a bundle per page, compressed then encrypted with its level's content
    key and filed under that key's name; `encrypted_search_parts.json` lists each language's
    files, newest year first. A reader's browser fetches its language's years one by one.
    `ready` holds the bundles already encrypted, with their years: those a rebuild copied with
    their pages, and those encrypted with their page as it was built (the forum's topics);
    `previous`, the files of the site replaced (write_parts)."""
    index_path = folder / "search_index.json"
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PluginError(f"{index_path}: cannot read the search index to encrypt it ({error})") from None
    index["docs"], protected = split_search_index(index["docs"], locations)
    bundles: Bundles = {key_id: dict(pages) for key_id, pages in ready.items()}
    years = dict(ready_years or {})
    for key_id, (key, pages) in protected.items():
        for page, entries in pages.items():
            bundles.setdefault(key_id, {})[page] = encrypt_entries(entries, key)
            years[page] = year_of(entries)
    index_path.write_text(json.dumps(index), encoding="utf-8")
    parts: dict[tuple[str, str], Bundles] = {}
    for key_id, pages in bundles.items():
        for page, bundle in pages.items():
            part = (language_of(page, languages, default), years.get(page, OTHER_YEAR))
            parts.setdefault(part, {}).setdefault(key_id, {})[page] = bundle
    write_parts(folder, languages, parts, previous)


# Deflate's levels, as zlib-ng counts them, for what a reader downloads and a build spends:
# a topic page's content at 8 is within 0.1% of zlib's smallest (9) in two thirds of its
# time; search entries, fetched a year at a time, at 6: within 0.3% of zlib's default (6),
# in half its time.
CONTENT_LEVEL = 8
ENTRIES_LEVEL = 6


def compressed(data: bytes, level: int) -> bytes:
    """Data in zlib's format (what the browser's DecompressionStream("deflate") and the
    publish gate inflate), written by zlib-ng: the same format, in about half zlib's time."""
    return zlib_ng.compress(data, level)


def encrypt_entries(entries: list[dict[str, Any]], key: bytes) -> str:
    """A page's search entries as one bundle: compressed first (a topic's text shrinks to
    about a third; ciphertext does not), then encrypted with the page's content key."""
    data = json.dumps(entries, ensure_ascii=False).encode("utf-8")
    return encrypt_bytes(compressed(data, ENTRIES_LEVEL), key)


OTHER_YEAR = "0000"  # a page whose entries carry no date: searched last
_PARTS = "encrypted_search_parts.json"
_PART = re.compile(r"encrypted_search_index\.([a-z]{2,3}(?:-[A-Za-z]+)?)\.(\d{4})\.[0-9a-f]{16}\.json")


def year_of(entries: list[dict[str, Any]]) -> str:
    """The year a page is filed under: its first post's (a topic's opening), from the entries' dates."""
    dates = sorted(str(e["date"]) for e in entries if re.fullmatch(r"\d{4}-\d\d-\d\d", str(e.get("date"))))
    return dates[0][:4] if dates else OTHER_YEAR


@dataclass(frozen=True)
class PreviousParts:
    """The files of the site a rebuild replaces, each language's and year's, as read."""

    folder: Path
    parts: Mapping[tuple[str, str], tuple[str, Bundles]]  # (language, year) → file name, its bundles


def write_parts(
    folder: Path,
    languages: list[str],
    parts: Mapping[tuple[str, str], Bundles],
    previous: PreviousParts | None = None,
) -> None:
    """One file per language and year, named by its content (unchanged years keep their
    name, so a reader's browser keeps them), and the list of them, newest year first. A
    year whose bundles are those of the `previous` site's file is that file, linked, not
    written again (after one new reply, every year but that reply's topic's)."""
    listing: dict[str, list[dict[str, Any]]] = {language: [] for language in languages}
    for language, year in sorted(parts, key=lambda part: (part[0], part[1]), reverse=True):
        kept = _kept_part(folder, previous, (language, year), parts[language, year])
        if kept is not None:
            name, size = kept
        else:
            data = json.dumps(parts[language, year], sort_keys=True).encode("utf-8")
            name, size = part_name(language, year, hashlib.sha256(data).hexdigest()[:16]), len(data)
            (folder / name).write_bytes(data)
        keys = sorted(parts[language, year])  # a reader fetches only the years of levels they open
        entry = {"year": year, "file": name, "bytes": size, "keys": keys}
        listing.setdefault(language, []).append(entry)
    (folder / _PARTS).write_text(json.dumps(listing, sort_keys=True), encoding="utf-8")


def _kept_part(
    folder: Path, previous: PreviousParts | None, part: tuple[str, str], bundles: Bundles
) -> tuple[str, int] | None:
    """The previous site's file of this language and year, given a second name here, if it
    holds exactly these bundles: its name and size; else None."""
    found = previous.parts.get(part) if previous is not None else None
    if found is None or found[1] != bundles:
        return None
    name = found[0]
    try:
        os.link(previous.folder / name, folder / name)  # type: ignore[union-attr]
        return name, (folder / name).stat().st_size
    except OSError:
        return None  # gone, or another file system: written afresh


def part_name(language: str, year: str, digest: str) -> str:
    """The file of one language's pages of one year."""
    return f"encrypted_search_index.{language}.{year}.{digest}.json"


def read_parts(folder: Path) -> tuple[Bundles, dict[str, str], PreviousParts]:
    """The bundles of a site's encrypted search index, by key id then page, each page's
    year, and its files as read; what cannot be read is left out (its pages are found by no
    search until rebuilt)."""
    bundles: Bundles = {}
    years: dict[str, str] = {}
    files: dict[tuple[str, str], tuple[str, Bundles]] = {}
    for path in sorted(folder.glob("encrypted_search_index.*.json")):
        match = _PART.fullmatch(path.name)
        try:
            part = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if match is None or not isinstance(part, dict):
            continue
        for key_id, pages in part.items():
            if isinstance(pages, dict):
                bundles.setdefault(key_id, {}).update(pages)
                years.update(dict.fromkeys(pages, match[2]))
        files[match[1], match[2]] = (path.name, part)
    return bundles, years, PreviousParts(folder, files)


def language_of(page: str, languages: list[str], default: str) -> str:
    """A page's language, from its address: `fr/topics/…` is French, `topics/…` the default."""
    first = page.split("/", 1)[0]
    return first if first in languages and first != default else default


def encrypt_bytes(data: bytes, key: bytes) -> str:
    """AES-256-CBC with PKCS#7 padding, as encryptcontent does text: "iv;ciphertext", base64."""
    iv = get_random_bytes(16)
    ciphertext = AES.new(key, AES.MODE_CBC, iv).encrypt(pad(data, 16, style="pkcs7"))
    return f"{base64.b64encode(iv).decode()};{base64.b64encode(ciphertext).decode()}"
