"""Key entries say nothing without the password: no user name's hash in the built site (which
member states hold a credential), entries found only with the password, and relabelled when
the content keys are drawn again (a revocation cannot be told from another build)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from urllib.parse import quote

from archive import STRONG, Archive, write_credentials
from conftest import BuiltSite
from decrypt import page_keystore, sign_in

from sync.model.domain import Forum
from sync.model.roster import COUNTRY_CODES
from sync.site.build import build_site
from sync.site.protection import demo_password


def name_hashes(names: set[str]) -> set[str]:
    """Every unsalted hash of every spelling of every name, as hex and as base64."""
    found = set()
    for name in names:
        for spelling in {name, name.lower(), name.upper(), quote(name.lower(), safe="~()*!'")}:
            for algorithm in ("md5", "sha1", "sha256", "sha512"):
                digest = hashlib.new(algorithm, spelling.encode()).digest()
                encoded = base64.b64encode(digest).decode()
                found |= {
                    digest.hex(),
                    encoded,
                    encoded.rstrip("="),
                    base64.urlsafe_b64encode(digest).decode(),
                }
    return found


def keystore_ids(site: Path) -> set[str]:
    _, entries = page_keystore((site / "index.html").read_text(encoding="utf-8"))
    return {entry.split(";")[-1] for entry in entries if not entry.startswith("forum-entries;")}


def test_no_hash_of_any_user_name_or_iso_code_appears_in_the_built_site(
    demo: Forum, demo_site: BuiltSite
) -> None:
    users = {*demo.roster.member_states, "WIPO", *(guest.login for guest in demo.roster.guests)}
    hashes = name_hashes(users | set(COUNTRY_CODES))
    assert len(hashes) > 5_000
    # Base64 and hex runs of the lengths these digests take, in every file.
    token = re.compile(r"[A-Za-z0-9+/_=-]{22,}")
    leaks = []
    for path in (p for p in demo_site.dir.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", errors="replace")
        for match in token.finditer(text):
            if any(part in hashes for part in {match[0], *re.split(r"[;=]", match[0])}):
                leaks.append(f"{path.relative_to(demo_site.dir)}: {match[0][:24]}")
    assert leaks == []
    # Positive control: every delegation still signs in, by user name and password.
    home = demo_site.raw("")
    assert sign_in(home, "BR", demo_password("BR"))


def test_an_entry_is_found_only_with_its_password(demo_site: BuiltSite) -> None:
    home = demo_site.raw("")
    _, entries = page_keystore(home)
    assert entries[0].startswith("forum-entries;") and all(len(e.split(";")) == 3 for e in entries[1:])

    assert sign_in(home, "BR", demo_password("BR"))
    assert sign_in(home, "br", demo_password("BR")), "user names are not case-sensitive"
    assert sign_in(home, "BR", demo_password("FR")) is None
    assert sign_in(home, "FR", demo_password("BR")) is None
    assert sign_in(home, "ZZ", demo_password("ZZ")) is None


def test_new_content_keys_relabel_every_entry_so_a_revocation_cannot_be_followed(
    archive: Archive, credentials_file: Path
) -> None:
    archive.topic("D_t1", "Clinics", "2026-W40", 1)
    passwords = {**STRONG, "MX": "h7vq-2kdm-w9zt-p4xe-c8rn-3fja", "KE": "q3ne-7wzv-k9tm-d2xh-f8pa-4cru"}
    write_credentials(credentials_file, passwords)
    site = build_site(archive.project).site_dir
    before = keystore_ids(site)
    assert sign_in((site / "index.html").read_text(encoding="utf-8"), "KE", passwords["KE"])

    del passwords["KE"]  # revoked: the other three keep their passwords
    write_credentials(credentials_file, passwords)
    build_site(archive.project)
    after = keystore_ids(site)

    assert len(before) == 4 and len(after) == 3
    assert before.isdisjoint(after), "an entry kept its label: one could tell which credential went"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert (
        sign_in(home, "MX", passwords["MX"]) and sign_in(home, "KE", "q3ne-7wzv-k9tm-d2xh-f8pa-4cru") is None
    )
