"""The confidential archive: nothing readable without a credential, each credential opening
what it should (a delegation the forum, a guest one topic), revocation and fresh keys."""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

import nh3
import pytest
from archive import STRONG, Archive, write_credentials
from conftest import BuiltSite
from decrypt import open_page, open_search_index, sign_in

from sync.i18n.interface import Interface
from sync.model.domain import Forum
from sync.site.build import BuildError, build_site
from sync.site.pages import guest_url, topic_slug
from sync.site.posts import excerpt, render_body, shown
from sync.site.protection import demo_password


def secrets_of(forum: Forum) -> tuple[set[str], set[str]]:
    """What an outsider must not read: titles and the sentences of every post; and, as
    names, who wrote them and which member states took part."""
    secrets: set[str] = set()
    names: set[str] = set()
    posts = [*forum.proposals, *(post for topic in forum.topics for post in [topic, *topic.replies])]
    for post in posts:
        names.add(post.author)
        texts = [post.body, *(t.body for t in post.translations.values())]
        titles = [getattr(post, "title", ""), *(t.title or "" for t in post.translations.values())]
        secrets.update(title for title in titles if title)
        for text in texts:
            # The text as a reader sees it, without Markdown: that is what a leak would show.
            plain = html.unescape(" ".join(nh3.clean(render_body(text), tags=set()).split()))
            secrets.update(s.strip() for s in re.split(r"(?<=[.!?:;])\s+", plain) if len(s.strip()) >= 25)
        if post.member_state:
            names.update(Interface(language).member_state(post.member_state) for language in forum.languages)
    return secrets, names


def readable_forms(path: Path) -> list[str]:
    """Every way a file's bytes may be read: as text, HTML-unescaped, JSON-unescaped, gunzipped."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="replace")
    forms = [text, html.unescape(text)]
    if path.suffix == ".json" or path.name.endswith(".json.gz"):
        forms.append(json.dumps(json.loads(text), ensure_ascii=False))
    return forms


def test_no_title_post_author_or_member_state_is_readable_in_any_built_file(
    demo: Forum, demo_site: BuiltSite
) -> None:
    secrets, names = secrets_of(demo)
    assert len(secrets) > 500 and len(names) > 40
    # A name is found as a whole word: "Inde" (India) is no leak inside "Index".
    name_pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(names))) + r")(?!\w)")
    files = [path for path in demo_site.dir.rglob("*") if path.is_file()]
    kinds = {path.suffix for path in files}
    assert {".html", ".js", ".json", ".xml", ".gz"} <= kinds, "every kind of output is searched"

    # Positive control: signed in, every one of these is on some page (the moderator's own
    # pages, the statistics' moderator's view and the register, with the moderator's credential).
    moderator = BuiltSite(demo_site.dir, "WIPO")
    moderator_pages = r"(\w\w/)?(statistics/moderator|invitations)/"
    opened = "".join(
        "".join(demo_site.page(url).get_text().split())
        for url in demo_site.urls(r"(?!(\w\w/)?guests/)(?!" + moderator_pages + r").*")
    ) + "".join("".join(moderator.page(url).get_text().split()) for url in moderator.urls(moderator_pages))
    assert [secret for secret in secrets if "".join(secret.split()) not in opened] == []

    leaks = set()
    for path in files:
        for form in readable_forms(path):
            leaks.update(f"{path.relative_to(demo_site.dir)}: {s[:40]!r}" for s in secrets if s in form)
            leaks.update(f"{path.relative_to(demo_site.dir)}: {m[0]!r}" for m in name_pattern.finditer(form))

    assert not leaks


def test_protected_pages_have_neutral_titles_and_the_protocol_stays_public(demo_site: BuiltSite) -> None:
    for url in demo_site.urls(r"(fr/)?(topics/[0-9a-f]+/|categories/\w[\w-]*/|statistics/|proposals/|)"):
        raw = demo_site.raw(url)
        assert re.search(
            r"<title>(WIPO Technical Assistance Forum|Forum de l'OMPI sur l'assistance technique)</title>",
            raw,
        ), url
        assert '<meta name="description"' not in raw
        assert "mkdocs-encrypted-content" in raw, f"{url} is encrypted"
    protocol = demo_site.raw("fr/protocol/")
    assert "mkdocs-encrypted-content" not in protocol
    assert "Protocole d'utilisation" in html.unescape(protocol), "its title, escaped as every title is"


def test_search_entries_are_only_in_the_encrypted_index_and_find_replies(
    demo: Forum, demo_site: BuiltSite
) -> None:
    public = json.loads((demo_site.dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert {entry["location"].split("#")[0] for entry in public["docs"]} == {
        "protocol/",
        "fr/protocol/",
        "es/protocol/",
    }

    entries = open_search_index(demo_site.dir, demo_site.keys)

    reply = demo.topics[1].replies[0]
    for language in demo.languages:
        prefix = "" if language == demo.default_language else f"{language}/"
        located = [
            e for e in entries if e["location"].startswith(f"{prefix}topics/{topic_slug(demo.topics[1].id)}/")
        ]
        words = excerpt(shown(reply, language).body)[:40]
        assert any(words in html.unescape(e["text"]) for e in located), (language, words)


def test_a_guest_opens_the_invited_topic_in_every_language_and_nothing_else(
    demo: Forum, demo_site: BuiltSite
) -> None:
    guest = demo.roster.guests[0]
    keys = sign_in(demo_site.raw(""), guest.login, demo_password(guest.login))
    assert keys, "the guest's credential is on every page"

    invited = guest_url(guest.topic)
    for language in demo.languages:
        prefix = "" if language == demo.default_language else f"{language}/"
        opened = open_page(demo_site.raw(prefix + invited), keys)
        assert opened and "forum-post--opening" in opened, language
        for other in (
            prefix,
            f"{prefix}proposals/",
            f"{prefix}statistics/",
            f"{prefix}topics/{topic_slug(demo.topics[0].id)}/",
        ):
            assert open_page(demo_site.raw(other), keys) is None, other
    searchable = {entry["location"].split("#")[0] for entry in open_search_index(demo_site.dir, keys)}
    assert searchable == {f"{prefix}{invited}" for prefix in ("", "fr/", "es/")}


def test_a_delegations_key_entry_holds_one_key_whatever_the_guests(demo_site: BuiltSite) -> None:
    """Guests read copies of their topics at levels of their own: a delegation's entry, carried
    by every page for every credential, does not grow with the number of guest topics."""
    assert len(demo_site.keys) == 1


def test_a_delegation_opens_every_protected_page(demo_site: BuiltSite) -> None:
    keys = sign_in(demo_site.raw(""), "KE", demo_password("KE"))

    for url in demo_site.urls(
        r"(\w\w/)?(topics/[0-9a-f]+/|categories/[\w-]+/|statistics/|proposals/|find/|)"
    ):
        assert open_page(demo_site.raw(url), keys) is not None, url


def test_a_wrong_password_or_unknown_user_opens_nothing(demo_site: BuiltSite) -> None:
    page = demo_site.raw("")

    assert sign_in(page, "BR", "demo-br-forum-passwort") is None
    assert sign_in(page, "XX", demo_password("XX")) is None


def test_a_revoked_delegation_is_refused_after_the_rebuild_even_with_a_saved_key(
    archive: Archive, credentials_file: Path
) -> None:
    archive.topic("D_a", "A topic", "2026-W40", 1)
    write_credentials(credentials_file, STRONG)
    first = build_site(archive.project).site_dir
    saved_keys = sign_in((first / "fr/index.html").read_text(), "BR", STRONG["BR"])
    assert saved_keys and open_page((first / "fr/index.html").read_text(), saved_keys)

    write_credentials(credentials_file, {"FR": STRONG["FR"]})
    second = build_site(archive.project).site_dir
    page = (second / "fr/index.html").read_text()

    assert sign_in(page, "BR", STRONG["BR"]) is None, "the password no longer opens anything"
    assert open_page(page, saved_keys) is None, "content keys are drawn afresh when credentials change"
    assert open_page(page, sign_in(page, "FR", STRONG["FR"]))


def test_an_expired_guest_is_no_longer_admitted(archive: Archive, credentials_file: Path) -> None:
    archive.topic("D_a", "A topic", "2026-W40", 1)
    document = {
        "delegations": {"BR": {"password": STRONG["BR"]}},
        "guests": {
            "old-guest": {
                "password": STRONG["FR"],
                "topics": ["D_a"],
                "requested_by": "BR",
                "until": "2026-01-31",
            }
        },
    }
    credentials_file.write_text(json.dumps(document), encoding="utf-8")

    site = build_site(archive.project).site_dir

    assert (
        sign_in((site / f"topics/{topic_slug('D_a')}/index.html").read_text(), "old-guest", STRONG["FR"])
        is None
    )


def test_credentials_inside_the_repository_are_refused(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside = archive.root / "credentials.yml"
    write_credentials(inside, STRONG)
    monkeypatch.setenv("FORUM_CREDENTIALS", str(inside))

    with pytest.raises(BuildError, match=r"credentials\.yml is inside the repository; keep it outside"):
        build_site(archive.project)


def test_the_key_cache_is_kept_beside_the_credentials_never_in_the_site(
    archive: Archive, credentials_file: Path
) -> None:
    archive.topic("D_a", "A topic", "2026-W40", 1)
    write_credentials(credentials_file, STRONG)

    site = build_site(archive.project).site_dir

    assert (credentials_file.parent / "credentials.yml.kdf-cache").is_file()
    assert not [p for p in site.rglob("*cache*")]
    assert not (archive.root / "encryptcontent.cache").exists()


def test_a_weak_password_fails_the_strict_build(archive: Archive, credentials_file: Path) -> None:
    archive.topic("D_a", "A topic", "2026-W40", 1)
    write_credentials(credentials_file, {"BR": "brazil2026"})

    with pytest.raises(BuildError, match=r"Aborted with 1 warnings in strict mode"):
        build_site(archive.project)
