"""The forum's encryptcontent: the parts of a page it encrypts, and the search index split."""

from __future__ import annotations

import subprocess
import sys

import pytest
from mkdocs.exceptions import PluginError

from sync.site.page_parts import encrypt_elements
from sync.site.search_index import language_of, split_search_index

TARGETS = {
    "md-nav": ["nav", "class"],
    "md-header__topic": ["div", "class"],
    "md-skip": ["a", "class"],
    "forum-secret": ["div", "id"],
}

PAGE = """<html><body>
<a href="#reply-from-brazil" class="md-skip">Skip to content</a>
<header><div class="md-header__title"><div class="md-header__topic"><span>Forum</span></div>
<div class="md-header__topic" data-md-component="header-topic"><div><span>Patent offices</span></div></div></div></header>
<nav class="md-nav md-nav--primary" style="color: red;"><ul><li><nav class="md-nav"><a href="/t/">Patent offices</a></nav></li></ul></nav>
<div class="md-navigation">not a target: md-nav is not among its classes</div>
<div id="forum-secret"><p>A reply</p></div><div id="forum-secret-not">kept</div>
<abbr class="md-skip">an abbr is not an a</abbr>
</body></html>"""


def brackets(text: str) -> str:
    return f"[{text}]"


def test_each_targeted_element_is_encrypted_whole_and_hidden_and_the_rest_kept_as_written():
    out = encrypt_elements(PAGE, TARGETS, brackets)
    assert (
        '<a href="#reply-from-brazil" class="md-skip" style="display:none !important">[Skip to content]</a>'
        in out
    )
    assert '<div class="md-header__topic" style="display:none !important">[<span>Forum</span>]</div>' in out
    # The nested <div> and <nav> are counted: the element ends at its own end tag.
    assert (
        '<div class="md-header__topic" data-md-component="header-topic" style="display:none !important">'
        "[<div><span>Patent offices</span></div>]</div></div></header>" in out
    )
    assert (
        '<nav class="md-nav md-nav--primary" style="color: red; display:none !important">'
        '[<ul><li><nav class="md-nav"><a href="/t/">Patent offices</a></nav></li></ul>]</nav>' in out
    )
    assert '<div id="forum-secret" style="display:none !important">[<p>A reply</p>]</div>' in out
    for kept in (
        '<div class="md-navigation">not a target: md-nav is not among its classes</div>',
        '<div id="forum-secret-not">kept</div>',
        '<abbr class="md-skip">an abbr is not an a</abbr>',
        "<html><body>\n",
    ):
        assert kept in out
    assert out.count("[") == 5  # the inner nav went with the outer one, not on its own


def test_a_page_without_targets_is_returned_unchanged():
    page = "<html><body><p>Sign in</p></body></html>"
    assert encrypt_elements(page, TARGETS, brackets) == page


def test_an_element_without_its_end_tag_is_an_error_naming_it():
    with pytest.raises(PluginError, match=r"<nav class='md-nav'> has no end tag"):
        encrypt_elements('<nav class="md-nav"><ul></ul>', TARGETS, brackets)


def test_search_entries_go_with_their_page_key_or_stay_public():
    locations = {"": (b"home", "k1"), "topics/t1/": (b"forum", "k2"), "guests/g/": (b"guest", "k3")}
    entries = [
        {"location": "", "title": "Home"},
        {"location": "#latest", "title": "Latest"},
        {"location": "topics/t1/", "title": "Topic"},
        {"location": "topics/t1/#post-1", "title": "Reply"},
        {"location": "topics/t10/", "title": "Another page whose address starts alike"},
        {"location": "protocol/", "title": "Usage protocol"},
        {"location": "guests/g/#post-2", "title": "Guest copy"},
    ]
    public, protected = split_search_index(entries, locations)
    assert [e["title"] for e in public] == ["Another page whose address starts alike", "Usage protocol"]
    titles = {
        key_id: (key, {page: [e["title"] for e in found] for page, found in pages.items()})
        for key_id, (key, pages) in protected.items()
    }
    assert titles == {
        "k1": (b"home", {"": ["Home", "Latest"]}),
        "k2": (b"forum", {"topics/t1/": ["Topic", "Reply"]}),
        "k3": (b"guest", {"guests/g/": ["Guest copy"]}),
    }


def test_a_pages_language_is_read_from_its_address():
    languages = ["en", "fr", "es"]
    assert language_of("fr/topics/ab12/", languages, "en") == "fr"
    assert language_of("topics/ab12/", languages, "en") == "en"
    assert language_of("", languages, "en") == "en"
    assert language_of("en/", languages, "en") == "en"
    assert language_of("ar/topics/ab12/", languages, "en") == "en", "a language not built"


def test_a_build_starts_without_what_encryptcontent_imports_for_features_it_does_not_use() -> None:
    """encryptcontent's BeautifulSoup (and Soup Sieve's grammar, a tenth of a second), its
    downloader and its file signing are imported only if upstream's code calls them
    (sync.site.upstream_plugin); then they are the real ones."""
    program = (
        "import sys\n"
        "import sync.site.build, sync.site.encryption as forum\n"
        "unused = ['bs4', 'soupsieve', 'urllib.request', 'ssl', 'Crypto.PublicKey.ECC', 'Crypto.Signature.eddsa']\n"
        "print([name for name in unused if name in sys.modules])\n"
        "soup = forum.upstream.BeautifulSoup('<p>a <b>b</b></p>', 'html.parser')\n"
        "print(type(soup).__module__, soup.b.text, sys.modules['bs4'].__name__)\n"
        "key = forum.upstream.ECC.generate(curve='Ed25519')\n"
        "signature = forum.upstream.eddsa.new(key, 'rfc8032').sign(b'a file')\n"
        "print(type(key).__module__, len(signature), sys.modules['Crypto.PublicKey.ECC'].__file__ is not None)\n"
        "try:\n"
        "    forum.upstream.urlopen('file:///nowhere/at/all')\n"
        "except OSError as error:\n"
        "    print(type(error).__module__, 'urlopen' in dir(sys.modules['urllib.request']))\n"
        "import urllib.request\n"
        "print(urllib.request.urlopen.__module__)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == [
        "[]",
        "bs4 b bs4",
        "Crypto.PublicKey.ECC 64 True",
        "urllib.error True",
        "urllib.request",
    ]


def test_a_build_loads_the_cipher_library_without_cffi_which_stays_importable() -> None:
    """PyCryptodome through ctypes: through cffi, each of its modules parses C declarations
    when imported (sync.site's docstring). cffi itself is not taken from anyone after."""
    program = (
        "import sys\n"
        "import sync.site.build\n"
        "from Crypto.Util import _raw_api\n"
        "print(_raw_api.backend, 'cffi' in sys.modules, 'pycparser' in sys.modules)\n"
        "import cffi\n"
        "print(type(cffi.FFI()).__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["ctypes False False", "FFI"]


def test_upstream_reads_its_cache_of_derived_keys_with_libyaml_as_pyyaml_would() -> None:
    """encryptcontent's `yaml.safe_load` of its key cache is libyaml's (sync.site.encryption):
    the same document as PyYAML's own reader gives, for what the forum writes there."""
    import io

    import yaml

    from sync.site import encryption

    cache = {
        "kdf_iterations": 10000,
        "userpass": {"BR": "ab12;cd34;ef56", "guest-7": "0f;1e;2d"},
        "password": {},
        "forum_entry_salt": "00ff",
        "forum_content_keys": {"since": "2026-11-25", "keys": {"1": "aa"}, "entry_nonce": "bb"},
    }
    text = yaml.dump(cache, Dumper=yaml.CSafeDumper)
    assert encryption.upstream.yaml.safe_load(io.StringIO(text)) == yaml.safe_load(text) == cache
    assert encryption.upstream.yaml.dump is yaml.dump  # everything else is PyYAML's
    assert encryption.FAST_LOADER is yaml.CSafeLoader
