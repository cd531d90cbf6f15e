"""The publish gate's check of the key files (sync.site.signin): a page opens only with a
credential of its level.

Every protected page names the key file of its level (`"forum_keys"` in its data block) and
the guests' key file (`"forum_guests"`). Before the site is published, each key file is read
whole and each of its entries opened with the derived key of the credential whose id it
carries; the lot is refused, naming the file, if

- the file's name is not its content's hash (a browser caches it for good by that name);
- an entry is of no credential of this build (a revoked one, another build's), or of a
  credential that does not open the file's level (a guest's entry among the delegations');
- an entry opens other keys than this build's, or keys its credential may not hold;
- a page names a key file that is not in the site, or the key file of another level.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from Crypto.Cipher import AES
from Crypto.Util.Padding import unpad

from sync.site.signin import GUESTS, entry_id

_DATA = re.compile(r'<script type="application/json" id="forum-encryptcontent">(.*?)</script>', re.DOTALL)


# A page's reference to key files: (page, key id, its level's key file, the guests' key file).
Reference = tuple[str, str, str, str]


class KeyFileError(Exception):
    """A key file or a page's reference to one failed the check (the publish gate's error)."""


@dataclass(frozen=True)
class EntryKey:
    """What the gate knows of one credential: its derived key and the key ids it may hold."""

    key: bytes
    opens: frozenset[str]
    guest: bool


@dataclass
class KeyFiles:
    """The key files of a site being checked, and the pages' references to them."""

    keys: Mapping[str, bytes]  # this build's content keys by id
    credentials: tuple[EntryKey, ...]
    levels: dict[str, str] = field(default_factory=dict)  # key file's site path → its level
    references: list[Reference] = field(default_factory=list)

    def check_file(self, relative: str, text: str) -> None:
        """One key file, whole: its name, its shape, and every entry opened."""

        def refuse(why: str) -> KeyFileError:
            return KeyFileError(f"{relative}: {why}")

        if f"assets/keys/{hashlib.sha256(text.encode()).hexdigest()[:20]}.json" != relative:
            raise refuse("its name is not its content's hash")
        try:
            document = json.loads(text)
            level, nonce, entries = document["level"], document["nonce"], document["entries"]
        except (ValueError, KeyError, TypeError):
            raise refuse("not a key file") from None
        if not isinstance(level, str) or not isinstance(nonce, str) or not isinstance(entries, list):
            raise refuse("not a key file")
        if level != GUESTS and level not in self.keys:
            raise refuse(f"the key file of a level this build does not have ({level!r})")
        if not self.credentials:
            raise refuse("no credential to check its entries with")
        by_id = {entry_id(credential.key, nonce): credential for credential in self.credentials}
        for entry in entries:
            self._check_entry(entry, level, by_id, refuse)
        self.levels[relative] = level

    def _check_entry(
        self, entry: object, level: str, by_id: Mapping[str, EntryKey], refuse: Callable[[str], KeyFileError]
    ) -> None:
        parts = entry.split(";") if isinstance(entry, str) else []
        credential = by_id.get(parts[2]) if len(parts) == 3 else None
        if credential is None:
            raise refuse("an entry of no credential of this build")
        if (level == GUESTS) != credential.guest or (level != GUESTS and level not in credential.opens):
            raise refuse("an entry of a credential that does not open this level")
        try:
            cipher = AES.new(credential.key, AES.MODE_CBC, base64.b64decode(parts[0], validate=True))
            opened = json.loads(unpad(cipher.decrypt(base64.b64decode(parts[1], validate=True)), 16))
            held = opened["keys"]
            assert isinstance(held, dict)
        except (ValueError, KeyError, TypeError, AssertionError):
            raise refuse("an entry its credential does not open") from None
        if not set(held) <= credential.opens or (level != GUESTS and level not in held):
            raise refuse("an entry holding keys its credential may not hold")
        if any(self.keys.get(key_id, b"").hex() != value for key_id, value in held.items()):
            raise refuse("an entry holding other keys than this build's")

    def check_pages(self) -> None:
        """Every protected page names its level's key file and the guests' one."""
        guest_ids = {
            key_id for credential in self.credentials if credential.guest for key_id in credential.opens
        }
        for page, key_id, own, guests in self.references:
            level = self.levels.get(own)
            if level is None:
                raise KeyFileError(f"{page}: names a key file the site does not hold ({own or 'none'})")
            if level != key_id and not (level == GUESTS and key_id in guest_ids):
                raise KeyFileError(f"{page}: names the key file of another level ({own})")
            if self.levels.get(guests) != GUESTS:
                raise KeyFileError(f"{page}: names no guests' key file ({guests or 'none'})")


def page_reference(relative: str, text: str) -> Reference:
    """Which key files a protected page names: (page, key id, its level's, the guests')."""
    block = _DATA.search(text)
    try:
        data = json.loads(block[1]) if block else {}
        assert isinstance(data, dict)
    except (ValueError, AssertionError):
        raise KeyFileError(f"{relative}: its key data is not valid JSON") from None
    folder = posixpath.dirname(relative)

    def resolved(name: str) -> str:
        value = data.get(name)
        return posixpath.normpath(posixpath.join(folder, value)) if isinstance(value, str) else ""

    key_id = data.get("encryptcontent_id")
    own_key = key_id if isinstance(key_id, str) else ""
    return (relative, own_key, resolved("forum_keys"), resolved("forum_guests"))
