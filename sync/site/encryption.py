"""mkdocs-encryptcontent as the forum runs it: the same encryption, the same pages and
scripts, without three costs that grow with the archive.

Registered as the MkDocs plugin `forum/encryptcontent` (pyproject.toml); mkdocs.yml uses it
in place of `encryptcontent`, with the same options. What changes, and why:

- Each plugin instance has its own state. Upstream keeps it in a class attribute shared by
  every instance in the process, so a second build there (a test, `forum serve` after an
  edit) would reuse the first build's passwords and content keys.
- The sign-in form's template is compiled once, not once per page (a third of the plugin's
  time on a large archive went to compiling the same Jinja template again).
- Navigation, header, footer and skip link (`encrypted_something`) are encrypted by cutting
  those elements out of the page's text, not by parsing the whole page with BeautifulSoup
  and writing it out again: that parse was the largest cost of a build after MkDocs itself.
  The rest of the page is left byte for byte as the theme wrote it.
- Protected pages' search entries are sorted out by location with a dictionary, not by
  comparing every entry with every protected page (quadratic in the archive's size).
- Content keys are kept from one build to the next while the credentials are the same,
  for at most CONTENT_KEY_DAYS; upstream draws them afresh at every build. Any change to
  the credentials (added, rotated, revoked, a guest's invitation expired) draws new keys,
  so a key kept from before a revocation still opens nothing built after it; keeping them
  otherwise lets a rebuild copy the pages of unchanged topics (sync.site.incremental) instead
  of encrypting them again.

These are the changes we would propose upstream; until then they live here.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import yaml
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from sync.model.files import write_atomically
from sync.model.roster import FAST_LOADER
from sync.site import signin
from sync.site.key_files_gate import EntryKey
from sync.site.page_parts import encrypt_elements
from sync.site.search_index import (
    CONTENT_LEVEL,
    Bundles,
    compressed,
    encrypt_bytes,
    encrypt_entries,
    encrypt_search_index,
    read_parts,
    year_of,
)
from sync.site.upstream_plugin import upstream

NAME = "forum/encryptcontent"
# How long content keys are kept while the credentials stay the same: a key copied out of a
# reader's browser opens new pages for a week at most.
CONTENT_KEY_DAYS = 7
_KEPT_KEYS = "forum_content_keys"  # their entry in encryptcontent's (secret) cache file
_ENTRY_SALT = "forum_entry_salt"  # the site's salt of key entries, kept with the derived keys
# The theme's indentation between two tags (a run of white space holding a line break): the
# same as one line break wherever white space collapses, which is everywhere in the page's
# frame and its encrypted parts (never the content, whose code blocks keep theirs).
_INDENTATION = re.compile(r">[ \t]*\n\s*<")
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, where PyYAML has it
_PARTS_KEPT = 512  # encrypted parts kept for the next pages: a build's navigations, many times over
_UNUSED_SCRIPT = "/* The forum's pages decrypt with assets/forum-decrypt.js (sync/site/encryption.py). */\n"

# Upstream renders the sign-in form with `Template(source)` for every page, compiling the
# same template each time; the same source now gives the same compiled template.
upstream.Template = functools.lru_cache(maxsize=16)(jinja2.Template)


class _LibYaml:
    """PyYAML as upstream's module calls it, its cache of derived keys read with libyaml
    (written with it too, by `_write_cache`): PyYAML's own reader took 0.05 s of every build
    for 213 credentials' keys, the same document read."""

    @staticmethod
    def safe_load(stream: Any) -> Any:
        return yaml.load(stream, Loader=FAST_LOADER)

    def __getattr__(self, name: str) -> Any:
        return getattr(yaml, name)


upstream.yaml = _LibYaml()


def _tight(html: str) -> str:
    """The page's frame or part without the indentation between tags (rendered the same)."""
    return _INDENTATION.sub(">\n<", html)


class _OwnSearchFilter(logging.Filter):
    """encryptcontent warns that Material cannot read its encrypted search index; the forum
    reads it with its own script (hooks/theme/assets/forum-search.js), so the warning,
    which would fail a strict build, does not apply."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "needs to be customized (patched)" not in record.getMessage()


def _quiet_search_warning() -> None:
    log = logging.getLogger("mkdocs.plugins.encryptcontent")
    if not any(isinstance(f, _OwnSearchFilter) for f in log.filters):
        log.addFilter(_OwnSearchFilter())


def _still_usable(kept: Any, credentials: str, levels: dict[str, dict[str, Any]], today: date) -> bool:
    """Kept keys serve again for the same credentials, levels and key names, while young."""
    try:
        age = (today - date.fromisoformat(kept["since"])).days
        return (
            kept["credentials"] == credentials
            and 0 <= age < CONTENT_KEY_DAYS
            and set(kept["levels"]) == set(levels)
            and isinstance(kept.get("entry_nonce"), str)  # older builds labelled entries by user name
            and all(kept["levels"][level][0] == entry["id"] for level, entry in levels.items())
        )
    except (TypeError, KeyError, ValueError):
        return False


def _all_entries_made(setup: Mapping[str, Any], keystore: Mapping[Any, Any]) -> bool:
    """Whether upstream has encrypted every credential's entry of its keystore."""
    made = [
        setup.get(name) or {} for name in ("keystore_userpass", "keystore_password", "keystore_obfuscate")
    ]
    return all(any(index in entries for entries in made) for index in keystore)


class ForumEncryption(upstream.encryptContentPlugin):
    """encryptcontent, with its state per instance and without its quadratic steps."""

    def __init__(self) -> None:
        super().__init__()
        self.setup: dict[str, Any] = {}
        _quiet_search_warning()

    def on_config(self, config: Any, **kwargs: Any) -> Any:
        names = list(config["plugins"])
        searches = [n for n, name in enumerate(names) if name.endswith("search")]
        if searches and searches[0] > names.index(NAME):
            # Upstream checks this for its own name only: the search plugin must index the
            # pages before they are encrypted, or the encrypted index stays empty.
            raise PluginError(f"mkdocs.yml: put the search plugin before {NAME} in plugins")
        config = super().on_config(config, **kwargs)
        if not self.config["webcrypto"]:
            raise PluginError(f"mkdocs.yml: {NAME} signs in with WebCrypto only; remove webcrypto: false")
        # The forum decrypts with its own script (hooks/theme/assets/forum-decrypt.js), which
        # the page names; upstream's file is still written, with nothing in it.
        self.setup["js_template"] = _UNUSED_SCRIPT
        if "forum_keys" not in self.setup:  # static-i18n calls on_config once per language
            self._keep_content_keys(date.today())
            self._plan_entries(self.config.get("guest_pages") or {})
        return config

    def _plan_entries(self, guest_pages: Mapping[str, str]) -> None:
        """Which levels are guests', the page of each guest level's key, and the one length
        every entry is padded to (so that no entry's size tells whose it is)."""
        levels = self.setup["level_keys"]
        self.setup["guest_levels"] = frozenset(guest_pages)
        self.setup["guest_pages"] = {
            levels[level]["id"]: page for level, page in guest_pages.items() if level in levels
        }
        self.setup["derived"] = {}
        self.setup.pop("key_files", None)
        lengths = [
            len(signin.entry_plaintext(keys, self._page_of(keys)))
            for index, keys in self.setup["keystore"].items()
            if isinstance(index[0], str)
        ]
        self.setup["entry_length"] = max(lengths, default=0)

    def __encrypt_keys_from_keystore__(self, index: Any, plaintext_length: int = -1) -> tuple[str, ...]:
        """A credential's key entry, labelled so that only its password finds it (sync.site.signin);
        upstream's label was the user name's SHA-256. A guest's entry also names their page."""
        user, password = index
        if not isinstance(user, str):  # a password without a user name: not the forum's levels
            raise PluginError("the forum's levels open with a user name and a password")
        cache = self.setup["cache"]
        salt = signin.user_salt(cache.setdefault(_ENTRY_SALT, signin.new_secret()), user)
        password_hash = hashlib.sha256(password.encode()).hexdigest()
        kept = str(cache["userpass"].get(user) or "").split(";")
        if len(kept) == 3 and kept[1] == salt.hex() and kept[2] == password_hash:
            key = bytes.fromhex(kept[0])
        else:
            key = signin.derive_key(password, salt, self.setup["kdf_iterations"])
            cache["userpass"][user] = f"{key.hex()};{salt.hex()};{password_hash}"
        spied_on, secret = self.__get_entropy_from_password__(password)
        for name, bits in (("min_enttropy_spied_on", spied_on), ("min_enttropy_secret", secret)):
            if self.setup.get(name, 0) == 0 or bits < self.setup[name]:
                self.setup[name] = bits  # upstream's names: the build warns about weak passwords
        keys = self.setup["keystore"][index]
        self.setup["derived"][index] = key
        entry = signin.encrypt_entry(
            keys, key, self.entry_nonce, self.setup["entry_length"], self._page_of(keys)
        )
        return tuple(entry.split(";"))

    def _page_of(self, keys: Mapping[str, str]) -> str | None:
        """A guest's own page (language-neutral), found from the keys their credential opens."""
        pages = self.setup["guest_pages"]
        return next((pages[key_id] for key_id in keys if key_id in pages), None)

    def __encrypt_text__(self, text: str, key: bytes) -> tuple[str, str]:
        """A page's content or part, compressed, then encrypted: HTML shrinks to a sixth, and
        ciphertext does not compress (the browser inflates it with DecompressionStream)."""
        return tuple(encrypt_bytes(compressed(text.encode("utf-8"), CONTENT_LEVEL), key).split(";"))  # type: ignore[return-value]

    def set_aside(self, page: Any) -> None:
        """A forum page's HTML, kept from the search plugin, which runs just before this one:
        the page is out of its index, and all it would do is strip data-search- attributes
        (the forum's pages have none) with a regular expression over the page's whole text, a
        tenth of a large build. Given back at this plugin's turn; a build without this plugin
        publishes the page empty, never in clear."""
        self.setup.setdefault("set_aside", {})[id(page)] = page.content
        page.content = ""

    def on_page_context(self, context: Any, page: Any, config: Any, **kwargs: Any) -> Any:
        self.setup["page_context"] = (context.get("i18n_page_locale"), config)
        held = self.setup.get("set_aside", {}).pop(id(page), None)
        if held is not None:
            page.content = held
        keystore = self.setup.get("keystore")
        if not keystore or not _all_entries_made(self.setup, keystore):
            return super().on_page_context(context, page, config, **kwargs)
        # Upstream walks every credential's keys on every page, twice: to find the longest
        # entry (serializing each) and to encrypt the entries not yet encrypted. Once all are
        # (from the first page on), both walks would find nothing to do: it is shown none.
        self.setup["keystore"] = {}
        try:
            return super().on_page_context(context, page, config, **kwargs)
        finally:
            self.setup["keystore"] = keystore

    def __encrypt_content__(
        self, content: str, base_path: str, encryptcontent_path: str, encryptcontent: Any
    ) -> str:
        """The sign-in form and the page's encrypted content, naming the key file of its level
        (the entries are no longer in the page: sync.site.signin)."""
        if encryptcontent.get("type") != "level":
            raise PluginError("the forum's pages are encrypted by level only")
        locale, config = self.setup["page_context"]
        files = self._key_files()
        level = encryptcontent["level"]
        own = files[signin.GUESTS if level in self.setup["guest_levels"] else level][0]
        words = (self.config["translations"] or {}).get(locale) or {}
        data = {
            "encryptcontent_id": encryptcontent["id"],
            "decryption_failure_message": encryptcontent["decryption_failure_message"],
            "forum_keys": base_path + own,
            "forum_guests": base_path + files[signin.GUESTS][0],
            "forum_salt": self.setup["cache"][_ENTRY_SALT],
            "forum_nonce": self.entry_nonce,
            "forum_iterations": self.setup["kdf_iterations"],
            "forum_parts": self.config["encrypted_something"],
            "forum_base": base_path,
            "forum_language": ((config.extra or {}).get("forum") or {}).get("language_prefix", ""),
        }
        iv, ciphertext = self.__encrypt_text__(content, encryptcontent["key"])
        return upstream.Template(self.setup["html_template"]).render(
            {
                "summary": encryptcontent["summary"],
                "placeholder": encryptcontent["placeholder"],
                "placeholder_user": encryptcontent["placeholder_user"],
                "password_button_text": encryptcontent["password_button_text"],
                "encryption_info_message": encryptcontent["encryption_info_message"],
                "remember_device": words.get("remember_device", ""),
                "form_class": self.config["form_class"],
                "input_class": self.config["input_class"],
                "button_class": self.config["button_class"],
                "ciphertext_bundle": f"{iv};{ciphertext}",
                "base_path": base_path,
                # A JSON data block: "</" written as "<\/" so that no text can end the script.
                "page_data": json.dumps(data).replace("</", "<\\/"),
            }
        )

    def _key_files(self) -> dict[str, tuple[str, bytes]]:
        """Each level's key file (site path, content), and the guests' one, made once per build."""
        if self.setup.get("key_files") is None:
            self.setup["key_files"] = signin.key_files(
                self.setup["password_inventory"],
                self.setup["guest_levels"],
                {level: entry["id"] for level, entry in self.setup["level_keys"].items()},
                self.setup["keystore_userpass"],
                self.setup["cache"][_ENTRY_SALT],
                self.entry_nonce,
            )
        return self.setup["key_files"]

    def entry_keys(self) -> tuple[EntryKey, ...]:
        """For the publish gate: each credential's derived key, the key ids it may hold, and
        whether it is a guest's."""
        guest_ids = set(self.setup["guest_pages"])
        return tuple(
            EntryKey(
                key,
                frozenset(self.setup["keystore"][index]),
                bool(guest_ids & set(self.setup["keystore"][index])),
            )
            for index, key in self.setup["derived"].items()
        )

    @property
    def entry_nonce(self) -> str:
        """What this build's key entries are labelled with, drawn with the content keys."""
        return self.setup["cache"][_KEPT_KEYS]["entry_nonce"]

    @property
    def keys_id(self) -> str:
        """Names this build's content keys (a digest of them): the same as the last build's
        if and only if it kept them, even where their cache was lost and keys drawn anew."""
        digest = hashlib.sha256(self.setup["forum_keys"].encode())
        for key_id, key in sorted(self.content_keys().items()):
            digest.update(len(key_id).to_bytes(4, "big") + key_id.encode() + key)
        return digest.hexdigest()

    def content_keys(self) -> dict[str, bytes]:
        """This build's content keys by the id a page names (for the publish gate)."""
        return {entry["id"]: entry["key"] for entry in self.setup["level_keys"].values()}

    def _keep_content_keys(self, today: date) -> None:
        """Use the content keys of the last build if the credentials are the same and the
        keys younger than CONTENT_KEY_DAYS; else keep the fresh ones drawn by upstream."""
        levels: dict[str, dict[str, Any]] = self.setup["level_keys"]
        credentials = hashlib.sha256(
            json.dumps(
                [self.setup["password_inventory"], self.setup["kdf_iterations"]], sort_keys=True
            ).encode()
        ).hexdigest()
        kept = self.setup["cache"].get(_KEPT_KEYS)
        if _still_usable(kept, credentials, levels, today):
            for level, entry in levels.items():
                fresh, old = entry["key"].hex(), kept["levels"][level][1]
                entry["key"] = bytes.fromhex(old)
                for store in self.setup["keystore"].values():  # each credential's keys
                    for key_id, value in store.items():
                        if value == fresh:
                            store[key_id] = old
        else:
            kept = {
                "credentials": credentials,
                "since": today.isoformat(),
                "levels": {level: [entry["id"], entry["key"].hex()] for level, entry in levels.items()},
                "entry_nonce": signin.new_secret(),
            }
            self.setup["cache"][_KEPT_KEYS] = kept
        self.setup["cache"].setdefault(_ENTRY_SALT, signin.new_secret())
        self.setup["forum_keys"] = hashlib.sha256(f"{credentials} {kept['since']}".encode()).hexdigest()

    def carry_search_entries(self, previous_folder: Path, pages: list[str]) -> None:
        """Pages copied from the last build (same keys): their encrypted search entries are
        copied too, from that build's index, not decrypted and encrypted again."""
        if "previous_bundles" not in self.setup:
            bundles, years, files = read_parts(previous_folder)
            self.setup["previous_bundles"], self.setup["previous_years"] = bundles, years
            self.setup["previous_parts"] = files  # a year of unchanged bundles: its file linked
        previous: Bundles = self.setup["previous_bundles"]
        for key_id, bundles in previous.items():
            for page in pages:
                if page in bundles:
                    self._ready(key_id, page, bundles[page], self.setup["previous_years"][page])

    def index_with_page(self, url: str, entries: list[dict[str, Any]]) -> None:
        """A protected page's search entries, encrypted with the page's key once it is known."""
        self.setup.setdefault("pending_entries", {})[url.lstrip("/")] = entries

    def _encrypt_pending_entries(self, page: str, key: bytes, key_id: str) -> None:
        entries = self.setup.get("pending_entries", {}).pop(page, None)
        if entries:
            self._ready(key_id, page, encrypt_entries(entries, key), year_of(entries))

    def _ready(self, key_id: str, page: str, bundle: str, year: str) -> None:
        """A page's encrypted search entries for this build's index, with the year it is filed
        under: copied from the last build with the page, or encrypted as the page was built."""
        self.setup.setdefault("ready_bundles", {}).setdefault(key_id, {})[page] = bundle
        self.setup.setdefault("ready_years", {})[page] = year

    def _part_encrypter(self, key: bytes) -> Callable[[str], str]:
        """Encrypts a page's navigation, header or footer. The navigation is the same on every
        topic page of a language and level: encrypted once, and the same cipher text used on
        each (it tells only what the pages show anyway, that their navigation is the same)."""
        parts: dict[tuple[bytes, str], str] = self.setup.setdefault("encrypted_parts", {})

        def encrypt(text: str) -> str:
            if (key, text) not in parts:
                if len(parts) >= _PARTS_KEPT:
                    parts.clear()
                parts[key, text] = ";".join(self.__encrypt_text__(_tight(text), key))
            return parts[key, text]

        return encrypt

    def on_post_page(self, output_content: str, page: Any, config: Any, **kwargs: Any) -> str:
        encryption = getattr(page, "encryptcontent", None)
        targets = self.config["encrypted_something"]
        if encryption is None or not targets or "inject" in encryption or self.config["sign_files"]:
            return super().on_post_page(output_content, page, config, **kwargs)
        key = encryption["key"]
        output_content = encrypt_elements(output_content, targets, self._part_encrypter(key))
        # The frame left in clear, after the encrypted parts are cut out: every protected page
        # carries it, about 350 bytes (gzip) less without the indentation.
        output_content = _tight(output_content)
        # What upstream does next: remember the page's key for its search entries.
        self.setup["locations"][page.url.lstrip("/")] = (key, encryption["id"])
        self._encrypt_pending_entries(page.url.lstrip("/"), key, encryption["id"])
        del page.encryptcontent
        return output_content

    def _write_cache(self, cache_file: Path) -> None:
        """The cache of derived keys, written when it differs from what this build wrote
        (static-i18n runs this for every language: the same keys, most often)."""
        snapshot = json.dumps(self.setup["cache"], sort_keys=True, default=repr)
        if snapshot != self.setup.get("cache_written"):
            write_atomically(cache_file, yaml.dump(self.setup["cache"], Dumper=_DUMPER), private=True)
            self.setup["cache_written"] = snapshot

    @event_priority(-200)  # as upstream: after the search plugin wrote its index
    def on_post_build(self, config: Any, **kwargs: Any) -> None:
        # Upstream writes its cache of derived keys with open(), readable by everyone (0644);
        # it holds every credential's derived key and the kept content keys: written here
        # instead, atomically and readable by its owner only, like the credentials file.
        # Every level's key file, even when every page naming it was copied from the last
        # build (made before the cache is written: making them derives the keys it keeps).
        key_files = self._key_files() if "guest_levels" in self.setup else {}
        cache_file = self.setup.pop("cache_file", None)
        try:
            self._post_build(config, **kwargs)
        finally:
            if cache_file is not None:
                self.setup["cache_file"] = cache_file
        if cache_file is not None:
            self._write_cache(Path(cache_file))
        # Written by every build (and every language's: the same bytes), never copied: a
        # rebuild's copied pages name the files of the same keys, which this build writes.
        for path, content in key_files.values():
            target = Path(config["site_dir"]) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)

    def _post_build(self, config: Any, **kwargs: Any) -> None:
        if not (self.setup["search_plugin_found"] and self.config["search_index"] == "dynamically"):
            return super().on_post_build(config, **kwargs)
        if not getattr(config["plugins"].get("i18n"), "building", False):
            # static-i18n builds the other languages inside the first one's post_build, then
            # writes the index of all languages: only that one is encrypted, once.
            i18n = config["plugins"].get("i18n")
            languages = list(i18n.build_languages) if i18n else [config["theme"]["language"]]
            default = i18n.default_language if i18n else languages[0]
            self._encrypt_search_index(Path(config["site_dir"]) / "search", languages, default)
        # The index is done; upstream's own pass over it would compare every entry with
        # every protected page.
        self.setup["search_plugin_found"] = False
        try:
            return super().on_post_build(config, **kwargs)
        finally:
            self.setup["search_plugin_found"] = True

    def _encrypt_search_index(self, folder: Path, languages: list[str], default: str) -> None:
        """The search index's protected entries, encrypted (sync.site.search_index)."""
        # Entries made for a page that was then not encrypted are dropped, never written in
        # clear: the publish gate stops the build on that page, naming it.
        self.setup.pop("pending_entries", None)
        encrypt_search_index(
            folder,
            languages,
            default,
            self.setup["locations"],
            self.setup.pop("ready_bundles", {}),
            self.setup.pop("ready_years", {}),
            self.setup.pop("previous_parts", None),
        )
