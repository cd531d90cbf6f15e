"""Opening encrypted pages in Python the way the browser does (encryptcontent's scheme), so
that tests can check who can read what without a browser."""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import json
import posixpath
import re
import tempfile
import zlib
from collections.abc import Callable
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


def page_data(html: str) -> dict:
    """The page's key data, as its data block declares it (hooks/encryptcontent/decrypt-form.html)."""
    data = re.search(r'<script type="application/json" id="forum-encryptcontent">(.*?)</script>', html)
    assert data, "not an encrypted page"
    return json.loads(data[1])


_KEY_FILES: dict[str, dict] = {}


def key_file(reference: str) -> dict:
    """A key file a page names. Its name is its content's hash, so whichever copy is found is
    the one the page names: looked for in the sites the tests built (pytest's folders)."""
    name = posixpath.basename(reference)
    if name not in _KEY_FILES:
        root = Path(tempfile.gettempdir()) / f"pytest-of-{getpass.getuser()}"
        for depth in range(2, 7):
            for path in root.glob("*/" * depth + f"assets/keys/{name}"):
                content = path.read_bytes()
                if f"{hashlib.sha256(content).hexdigest()[:20]}.json" == name:
                    _KEY_FILES[name] = json.loads(content)
                    break
            if name in _KEY_FILES:
                break
    assert name in _KEY_FILES, f"no key file {name} in the sites built"
    return _KEY_FILES[name]


def page_keystore(html: str) -> tuple[str, list[str]]:
    """The page's key id and the entries of its key file, after an item naming the site's salt
    and the nonce ("forum-entries;<salt>;<nonce>")."""
    data = page_data(html)
    document = key_file(data["forum_keys"])
    return data["encryptcontent_id"], [
        f"forum-entries;{document['salt']};{document['nonce']}",
        *document["entries"],
    ]


def _entry(document: dict, key: bytes, wanted: str) -> dict | None:
    for entry in document["entries"]:
        parts = entry.split(";")
        if len(parts) == 3 and parts[2] == wanted:
            try:
                return json.loads(_aes(key, parts[0], parts[1]).decode())
            except ValueError:
                return None
    return None


def sign_in(
    html: str,
    user: str,
    password: str,
    iterations: int = 10**6,
    key_files: Callable[[str], dict] | None = None,
) -> dict[str, str] | None:
    """The keys a credential unlocks, from any encrypted page; None if it unlocks nothing.

    As the browser does (hooks/theme/assets/forum-decrypt.js): one key derivation from the
    password, with a salt made of the site's salt and the user name, then the entry whose id
    is that key's HMAC of the nonce, in the key file the page names, else in the guests' one
    (a guest signing in on any page is sent to their topic). `key_files` reads a key file
    by the address the page gives; by default it is found in the sites the tests built."""
    data = page_data(html)
    name = quote(user.lower(), safe=_SAFE).encode()
    salt = hashlib.sha256(base64.b64decode(data["forum_salt"]) + b"\0" + name).digest()[:16]
    key = PBKDF2(quote(password, safe=_SAFE), salt, 32, count=iterations, hmac_hash_module=SHA256)
    id_key = hashlib.sha256(b"entry-id:" + key).digest()
    wanted = base64.b64encode(
        hmac.new(id_key, data["forum_nonce"].encode(), hashlib.sha256).digest()
    ).decode()
    for reference in (data["forum_keys"], data["forum_guests"]):
        document = (key_files or key_file)(reference)
        assert document["nonce"] == data["forum_nonce"] and document["salt"] == data["forum_salt"]
        found = _entry(document, key, wanted)
        if found is not None:
            return found["keys"]
    return None


def _open(key: str, bundle: str) -> str:
    iv, ciphertext = bundle.strip().split(";")
    return zlib.decompress(_aes(bytes.fromhex(key), iv, ciphertext)).decode()


def open_page(html: str, keys: dict[str, str]) -> str | None:
    """A page's decrypted content (compressed, then encrypted), or None if the keys do not open it."""
    page_id = page_data(html)["encryptcontent_id"]
    bundle = re.search(r'<div id="mkdocs-encrypted-content" style="display:none">([^<]*)</div>', html)
    assert bundle, "no encrypted content"
    if page_id not in keys:
        return None
    try:
        return _open(keys[page_id], bundle[1])
    except (ValueError, zlib.error):  # a key of the same name from another build: it opens nothing
        return None


def open_part(html: str, bundle: str, keys: dict[str, str]) -> str:
    """One of a page's other encrypted parts (navigation, header, footer)."""
    return _open(keys[page_data(html)["encryptcontent_id"]], bundle)


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
