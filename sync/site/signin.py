"""Finding a credential's key entry at sign-in, without telling anyone who holds a credential.

Every protected page carries one key entry per credential: the page's content keys,
encrypted with a key derived from that credential's password (PBKDF2-SHA256). Upstream
encryptcontent labels each entry with SHA-256 of the user name, unsalted, so that the browser
derives one key instead of trying them all; but hashing the ~250 ISO codes then tells anyone
which member states hold a credential, and when one disappears.

Here an entry is labelled with an id only its password gives: the key is derived from the
password with a salt made of the site's salt and the user name, and the id is an HMAC of a
nonce under a key hashed from that derived key. The browser still derives one key (the same
cost as upstream's sign-in), then looks its id up. Without the password an entry says nothing;
the nonce is drawn again with the content keys, so entries cannot be followed from one week's
build to the next either.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from urllib.parse import quote

from Crypto.Cipher import AES
from Crypto.Hash import SHA256
from Crypto.Protocol.KDF import PBKDF2
from Crypto.Util.Padding import pad
from mkdocs.exceptions import PluginError

HEADER = "forum-entries"  # the keystore's first item: "forum-entries;<site salt>;<nonce>"
_SAFE = "~()*!'"  # what JavaScript's encodeURIComponent leaves alone, as upstream quotes


def new_secret() -> str:
    """16 random bytes, base64: the site's salt, or an entry nonce."""
    return base64.b64encode(secrets.token_bytes(16)).decode()


def header(site_salt: str, nonce: str) -> str:
    """The keystore item that tells the browser how to find its entry."""
    return f"{HEADER};{site_salt};{nonce}"


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


def encrypt_entry(keys: dict[str, str], key: bytes, nonce: str, length: int) -> str:
    """"iv;ciphertext;id": the content keys, padded with spaces to `length` so that every
    entry has the same size, encrypted with AES-256-CBC under the derived key."""
    plaintext = json.dumps(keys)
    plaintext += " " * max(0, length - len(plaintext))
    iv = secrets.token_bytes(16)
    ciphertext = AES.new(key, AES.MODE_CBC, iv).encrypt(pad(plaintext.encode(), 16, style="pkcs7"))
    encoded = base64.b64encode
    return f"{encoded(iv).decode()};{encoded(ciphertext).decode()};{entry_id(key, nonce)}"


# Upstream's decrypt-contents.js finds the entry by the user name's hash; this function takes
# the place of its `decrypt_key_from_bundle` (same name and arguments, WebCrypto only).
_START = "/* Split key bundle and try to decrypt it */"
_END = "/* Decrypts the content from the ciphertext bundle. */"
LOOKUP_JS = """/* The forum's entry lookup (sync/site/signin.py): one key derivation, then the entry whose
   id only this password gives. */
async function decrypt_key_from_bundle(password, ciphertext_bundle, username) {
    if (!ciphertext_bundle || !username) {
        return false;
    }
    const head = ciphertext_bundle.find((item) => item.startsWith("%(header)s;"));
    if (!head) {
        return false;
    }
    const [, site_salt_b64, nonce] = head.split(";");
    const encoder = new TextEncoder();
    const site_salt = fromBase64(site_salt_b64);
    const name = encoder.encode(encodeURIComponent(username.toLowerCase()));
    const salted = new Uint8Array(site_salt.length + 1 + name.length);
    salted.set(site_salt);
    salted.set(name, site_salt.length + 1);
    const salt = new Uint8Array(await crypto.subtle.digest("SHA-256", salted)).slice(0, 16);
    const material = await crypto.subtle.importKey(
        "raw", encoder.encode(encodeURIComponent(password)), "PBKDF2", false, ["deriveBits"]
    );
    const key = new Uint8Array(await crypto.subtle.deriveBits(
        {name: "PBKDF2", salt: salt, iterations: {{ kdf_iterations }}, hash: "SHA-256"}, material, 256
    ));
    const prefixed = new Uint8Array(9 + key.length);
    prefixed.set(encoder.encode("entry-id:"));
    prefixed.set(key, 9);
    const id_key = await crypto.subtle.importKey(
        "raw", await crypto.subtle.digest("SHA-256", prefixed), {name: "HMAC", hash: "SHA-256"}, false, ["sign"]
    );
    const id = new Uint8Array(await crypto.subtle.sign("HMAC", id_key, encoder.encode(nonce)));
    const wanted = btoa(String.fromCharCode.apply(null, id));
    const entry = ciphertext_bundle.find((item) => item.split(";")[2] === wanted);
    if (!entry) {
        return false;
    }
    const parts = entry.split(";");
    try {
        const aes = await crypto.subtle.importKey("raw", key, "AES-CBC", false, ["decrypt"]);
        const plain = await crypto.subtle.decrypt(
            {name: "AES-CBC", iv: fromBase64(parts[0])}, aes, fromBase64(parts[1])
        );
        const keystore = JSON.parse(new TextDecoder().decode(plain));
        return encryptcontent_id in keystore ? keystore : false;
    } catch (err) {
        return false;
    }
};

""" % {"header": HEADER}


def patch_decrypt_script(template: str) -> str:
    """Upstream's decrypt-contents.js template with the forum's entry lookup; refuses a
    template without the function (another plugin version), rather than sign in the old way."""
    start, end = template.find(_START), template.find(_END)
    if start < 0 or end < start:
        raise PluginError(
            "encryptcontent's decrypt-contents.js has no decrypt_key_from_bundle where the forum "
            "expects it (sync/site/signin.py): check the plugin's version in pyproject.toml"
        )
    return template[:start] + LOOKUP_JS + template[end:]
