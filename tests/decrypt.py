"""Opening encrypted pages in Python the way the browser does (encryptcontent's scheme), so
that tests can check who can read what without a browser."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import zlib
from pathlib import Path
from urllib.parse import quote

from Crypto.Cipher import AES
from Crypto.Hash import SHA256
from Crypto.Protocol.KDF import PBKDF2
from Crypto.Util.Padding import unpad

_SAFE = "~()*!'"  # what JavaScript's encodeURIComponent leaves alone


def _aes(key: bytes, iv_b64: str, ciphertext_b64: str) -> bytes:
    cipher = AES.new(key, AES.MODE_CBC, base64.b64decode(iv_b64))
    return unpad(cipher.decrypt(base64.b64decode(ciphertext_b64)), 16)


def page_keystore(html: str) -> tuple[str, list[str]]:
    """The page's key id and its keystore entries, as the page's script declares them."""
    data = re.search(r'<script type="application/json" id="forum-encryptcontent">(.*?)</script>', html)
    assert data, "not an encrypted page"
    values = json.loads(data[1])
    return values["encryptcontent_id"], values["encryptcontent_keystore"]


def sign_in(html: str, user: str, password: str, iterations: int = 10**6) -> dict[str, str] | None:
    """The keys a credential unlocks, from any encrypted page; None if it unlocks nothing.

    As the browser does (sync/site/signin.py): the keystore's first item gives the site's salt
    and the nonce; one key derivation from the password, with a salt made of the site's salt and
    the user name, then the entry whose id is that key's HMAC of the nonce."""
    _, entries = page_keystore(html)
    head = next((entry for entry in entries if entry.startswith("forum-entries;")), None)
    assert head is not None, "no forum-entries item in the page's keystore"
    _, site_salt, nonce = head.split(";")
    name = quote(user.lower(), safe=_SAFE).encode()
    salt = hashlib.sha256(base64.b64decode(site_salt) + b"\0" + name).digest()[:16]
    key = PBKDF2(quote(password, safe=_SAFE), salt, 32, count=iterations, hmac_hash_module=SHA256)
    id_key = hashlib.sha256(b"entry-id:" + key).digest()
    wanted = base64.b64encode(hmac.new(id_key, nonce.encode(), hashlib.sha256).digest()).decode()
    for entry in entries:
        parts = entry.split(";")
        if len(parts) == 3 and parts[2] == wanted:
            try:
                return json.loads(_aes(key, parts[0], parts[1]).decode())
            except ValueError:
                return None
    return None


def open_page(html: str, keys: dict[str, str]) -> str | None:
    """A page's decrypted content, or None if the keys do not open it."""
    page_id, _ = page_keystore(html)
    bundle = re.search(r'<div id="mkdocs-encrypted-content" style="display:none">([^<]*)</div>', html)
    assert bundle, "no encrypted content"
    if page_id not in keys:
        return None
    iv, ciphertext = bundle[1].split(";")
    try:
        return _aes(bytes.fromhex(keys[page_id]), iv, ciphertext).decode()
    except ValueError:  # a key of the same name from another build: it opens nothing
        return None


def open_part(html: str, bundle: str, keys: dict[str, str]) -> str:
    """One of a page's other encrypted parts (navigation, header, footer)."""
    page_id, _ = page_keystore(html)
    iv, ciphertext = bundle.strip().split(";")
    return _aes(bytes.fromhex(keys[page_id]), iv, ciphertext).decode()


def open_search_index(site: Path, keys: dict[str, str]) -> list[dict]:
    """The search entries the keys open, from search/encrypted_search_index.<language>.json
    (compressed, then encrypted)."""
    entries: list[dict] = []
    for part in sorted((site / "search").glob("encrypted_search_index.*.json")):
        for key_id, pages in json.loads(part.read_text(encoding="utf-8")).items():
            if key_id in keys:
                for bundle in pages.values():
                    iv, ciphertext = bundle.split(";")
                    clear = zlib.decompress(_aes(bytes.fromhex(keys[key_id]), iv, ciphertext))
                    entries += json.loads(clear.decode("utf-8"))
    return entries
