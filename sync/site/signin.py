"""Finding a credential's key entry at sign-in, without telling anyone who holds a credential.

Each credential has a key entry: its content keys, encrypted with a key derived from its
password (PBKDF2-SHA256). The entries are in key files, one per level (`assets/keys/<hash>.json`,
named by their content), that a page names and the browser fetches once at sign-in and
caches, rather than in every page (213 entries were three quarters of a topic page). Upstream
encryptcontent labels each entry with SHA-256 of the user name, unsalted, so that the browser
derives one key instead of trying them all; but hashing the ~250 ISO codes then tells anyone
which member states hold a credential, and when one disappears.

Here an entry is labelled with an id only its password gives: the key is derived from the
password with a salt made of the site's salt and the user name, and the id is an HMAC of a
nonce under a key hashed from that derived key. The browser still derives one key (the same
cost as upstream's sign-in), then looks its id up. Without the password an entry says nothing;
the nonce is drawn again with the content keys, so entries cannot be followed from one week's
build to the next either. The browser's side is hooks/theme/assets/forum-decrypt.js.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Collection, Mapping
from urllib.parse import quote

from Crypto.Cipher import AES
from Crypto.Hash import SHA256
from Crypto.Protocol.KDF import PBKDF2
from Crypto.Util.Padding import pad

_SAFE = "~()*!'"  # what JavaScript's encodeURIComponent leaves alone, as upstream quotes


def new_secret() -> str:
    """16 random bytes, base64: the site's salt, or an entry nonce."""
    return base64.b64encode(secrets.token_bytes(16)).decode()


def user_salt(site_salt: str, user: str) -> bytes:
    """PBKDF2's salt for a user: SHA-256(site salt, 0, user name as the browser encodes it)."""
    name = quote(user.lower(), safe=_SAFE).encode()
    return hashlib.sha256(base64.b64decode(site_salt) + b"\0" + name).digest()[:16]


def derive_key(password: str, salt: bytes, iterations: int) -> bytes:
    """The key a password opens its entry with (the browser derives the same at sign-in)."""
    return PBKDF2(quote(password, safe=_SAFE), salt, 32, count=iterations, hmac_hash_module=SHA256)


def entry_id(key: bytes, nonce: str) -> str:
    """The entry's label: HMAC-SHA256(SHA-256("entry-id:" + key), nonce), base64."""
    id_key = hashlib.sha256(b"entry-id:" + key).digest()
    return base64.b64encode(hmac.new(id_key, nonce.encode(), hashlib.sha256).digest()).decode()


def encrypt_entry(keys: dict[str, str], key: bytes, nonce: str, length: int, page: str | None = None) -> str:
    """ "iv;ciphertext;id": {"keys": the content keys, "page": a guest's own page}, padded with
    spaces to `length` so that every entry has the same size, encrypted with AES-256-CBC under
    the derived key. The IV is an HMAC of what is encrypted: the same keys give the same entry,
    so a key file stays byte for byte the same while the content keys are kept (pages copied
    by a rebuild name it)."""
    plaintext = entry_plaintext(keys, page)
    plaintext += " " * max(0, length - len(plaintext))
    data = plaintext.encode()
    iv = hmac.new(key, b"entry-iv:" + nonce.encode() + b"\0" + data, hashlib.sha256).digest()[:16]
    ciphertext = AES.new(key, AES.MODE_CBC, iv).encrypt(pad(data, 16, style="pkcs7"))
    encoded = base64.b64encode
    return f"{encoded(iv).decode()};{encoded(ciphertext).decode()};{entry_id(key, nonce)}"


def entry_plaintext(keys: dict[str, str], page: str | None = None) -> str:
    """What an entry holds: a credential's content keys, and for a guest their topic's page."""
    return json.dumps({"keys": keys, "page": page} if page else {"keys": keys}, sort_keys=True)


KEY_FOLDER = "assets/keys"
GUESTS = "guests"  # the key file of every guest's entry: guest pages', and where a guest signing
# in on any other page is found and sent to their topic


def key_file(level_id: str, site_salt: str, nonce: str, entries: list[str]) -> bytes:
    """A key file: the entries of one level's credentials (or of every guest), sorted by
    their ids so that their order tells nothing (the credentials file is alphabetical)."""
    document = {
        "level": level_id,
        "salt": site_salt,
        "nonce": nonce,
        "entries": sorted(entries, key=lambda entry: entry.rsplit(";", 1)[-1]),
    }
    return json.dumps(document, separators=(",", ":")).encode()


def key_files(
    inventory: Mapping[str, Mapping[str, str]],
    guest_levels: Collection[str],
    level_ids: Mapping[str, str],
    entries: Mapping[tuple[str, str], str],
    site_salt: str,
    nonce: str,
) -> dict[str, tuple[str, bytes]]:
    """The key file of each level but the guests' (its credentials' entries), and the guests'
    one (every guest's entry): level or GUESTS → (site path, content)."""
    made = {}
    for level, users in inventory.items():
        if level not in guest_levels:
            content = key_file(level_ids[level], site_salt, nonce, [entries[item] for item in users.items()])
            made[level] = (key_file_path(content), content)
    guests = sorted({item for level in guest_levels for item in inventory.get(level, {}).items()})
    content = key_file(GUESTS, site_salt, nonce, [entries[item] for item in guests])
    made[GUESTS] = (key_file_path(content), content)
    return made


def key_file_path(content: bytes) -> str:
    """Where a key file is published: named by its content, so that a browser caches it for
    good and a change of keys (or of credentials) is a new name."""
    return f"{KEY_FOLDER}/{hashlib.sha256(content).hexdigest()[:20]}.json"
