"""The encrypted search index: the protected pages' search entries, compressed then
encrypted per page with their level's content key, and filed per language.

Split out of sync.site.encryption (the plugin) so that how the index is cut into files
has a home of its own.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from Crypto.Cipher import AES
from Crypto.Random import get_random_bytes
from Crypto.Util.Padding import pad
from mkdocs.exceptions import PluginError


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
    carried: Mapping[str, Mapping[str, str]],
) -> None:
    """search_index.json keeps the public pages' entries. The others go to one file per
    language, `encrypted_search_index.<language>.json`, a bundle per page, compressed
    then encrypted with its level's content key and filed under that key's name: a
    reader's browser fetches and opens only its language's pages, and a rebuild copies
    the bundles of the pages it copied."""
    index_path = folder / "search_index.json"
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PluginError(f"{index_path}: cannot read the search index to encrypt it ({error})") from None
    index["docs"], protected = split_search_index(index["docs"], locations)
    bundles: Bundles = {key_id: dict(pages) for key_id, pages in carried.items()}
    for key_id, (key, pages) in protected.items():
        for page, entries in pages.items():
            # Compressed first: a topic's text shrinks to about a third; ciphertext does not.
            text = zlib.compress(json.dumps(entries, ensure_ascii=False).encode("utf-8"))
            bundles.setdefault(key_id, {})[page] = encrypt_bytes(text, key)
    index_path.write_text(json.dumps(index), encoding="utf-8")
    by_language: dict[str, Bundles] = {language: {} for language in languages}
    for key_id, pages in bundles.items():
        for page, bundle in pages.items():
            language = language_of(page, languages, default)
            by_language.setdefault(language, {}).setdefault(key_id, {})[page] = bundle
    for language, part in by_language.items():
        (folder / search_index_name(language)).write_text(json.dumps(part), encoding="utf-8")


def search_index_name(language: str) -> str:
    """The encrypted search index of one language's pages."""
    return f"encrypted_search_index.{language}.json"


def language_of(page: str, languages: list[str], default: str) -> str:
    """A page's language, from its address: `fr/topics/…` is French, `topics/…` the default."""
    first = page.split("/", 1)[0]
    return first if first in languages and first != default else default


def encrypt_bytes(data: bytes, key: bytes) -> str:
    """AES-256-CBC with PKCS#7 padding, as encryptcontent does text: "iv;ciphertext", base64."""
    iv = get_random_bytes(16)
    ciphertext = AES.new(key, AES.MODE_CBC, iv).encrypt(pad(data, 16, style="pkcs7"))
    return f"{base64.b64encode(iv).decode()};{base64.b64encode(ciphertext).decode()}"
