"""`forum serve` as the moderator uses it: edit a file in content/, the served pages show it,
and what the edit did not touch is not built again (issue 16)."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from archive import Archive
from conftest import forum_serve
from decrypt import open_page, sign_in
from ports import free_port

from sync.site.pages import topic_slug
from sync.site.protection import demo_password
from sync.site.serve import RELOAD_SCRIPT

_RELOAD_TAG = re.compile(
    r'<script src="/\.forum-livereload\.js" data-epoch="\d+" data-request="\d+"></script>'
)


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _until(condition: Callable[[], bool], seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


class Served:
    """`forum serve --demo` on an archive, read as Brazil's delegation reads it."""

    def __init__(self, address: str, log: Path) -> None:
        self.address = address
        self.log = log
        self._keys: dict[str, str] | None = None

    def raw(self, url: str) -> str:
        return _get(self.address + url)

    def key_file(self, page: str, reference: str) -> dict:
        """A key file the page names, fetched from the server as the browser does."""
        return json.loads(_get(urljoin(page, reference)) or "{}")

    def text(self, url: str) -> str:
        html = self.raw(url)
        if not html:
            return ""
        if self._keys is None:
            page = self.address + url
            self._keys = sign_in(
                html, "BR", demo_password("BR"), key_files=lambda ref: self.key_file(page, ref)
            )
            assert self._keys, f"{url}: Brazil's demo credential opens nothing"
        return open_page(html, self._keys) or ""

    def shows(self, url: str, text: str) -> bool:
        return _until(lambda: text in self.text(url))


@pytest.fixture
def served(archive: Archive, tmp_path: Path) -> Iterator[Served]:
    first = archive.topic("D_a", "Patent offices", "2026-W40", 1)
    archive.reply(first, "DC_a", "br-ana", "BR", 2, "Brazil's first view on patent offices.")
    second = archive.topic("D_b", "Copyright levies", "2026-W41", 8, category="copyright")
    archive.reply(second, "DC_b", "br-ana", "BR", 9, "Brazil's view on copyright levies.")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as errors:
        server = forum_serve(
            archive.root,
            port,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            address = f"http://127.0.0.1:{port}/"
            assert _until(lambda: bool(_get(address)), 120), log.read_text()
            yield Served(address, log)
        finally:
            server.terminate()
            server.wait(timeout=20)


def _reply_file(archive: Archive, topic_id: str, reply_id: str) -> Path:
    return next((archive.content / "topics").glob(f"*-{topic_id.lower()}")) / f"{reply_id}.md"


def test_an_edited_reply_is_on_its_page_and_the_home_page_and_the_other_topic_is_not_rebuilt(
    served: Served, archive: Archive
) -> None:
    page_a, page_b = f"topics/{topic_slug('D_a')}/", f"fr/topics/{topic_slug('D_b')}/"
    assert "Brazil's first view on patent offices." in served.text(page_a)
    untouched = _RELOAD_TAG.sub("", served.raw(page_b))
    reply = _reply_file(archive, "D_a", "DC_a")

    reply.write_text(reply.read_text(encoding="utf-8").replace("first view", "second view"), encoding="utf-8")

    assert served.shows(page_a, "Brazil's second view on patent offices."), served.log.read_text()
    assert served.shows("", "Brazil's second view on patent offices."), "the home page's latest replies"
    assert served.shows(f"es/topics/{topic_slug('D_a')}/", "Brazil's second view")
    assert _RELOAD_TAG.sub("", served.raw(page_b)) == untouched, "a topic the edit did not touch is copied"


def test_a_new_topic_title_reaches_its_listing_and_a_deleted_reply_leaves_its_page(
    served: Served, archive: Archive
) -> None:
    topic = next((archive.content / "topics").glob("*-d_b")) / "topic.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("Copyright levies", "Private copying levies"))
    assert served.shows("fr/categories/copyright/", "Private copying levies"), served.log.read_text()

    _reply_file(archive, "D_a", "DC_a").unlink()
    assert _until(lambda: "first view" not in served.text(f"topics/{topic_slug('D_a')}/"))
    assert "Patent offices" in served.text(f"topics/{topic_slug('D_a')}/")


def test_a_broken_file_keeps_the_last_good_site_and_says_why(served: Served, archive: Archive) -> None:
    page = f"topics/{topic_slug('D_a')}/"
    assert "Brazil's first view" in served.text(page)
    broken = _reply_file(archive, "D_a", "DC_bad")

    broken.write_text("---\nid: DC_bad\n---\n\nNo author.\n", encoding="utf-8")

    assert _until(lambda: "Rebuild failed" in served.log.read_text()), served.log.read_text()
    assert f"{broken}: field 'author'" in served.log.read_text()
    assert "Brazil's first view" in served.text(page), "the last good site stays served"


def test_the_reload_script_is_a_file_the_pages_policy_runs(served: Served) -> None:
    html = served.raw("")
    assert "script-src 'self'" in html, "the page's Content-Security-Policy runs no inline script"
    assert len(_RELOAD_TAG.findall(html)) == 1
    assert "livereload" not in _RELOAD_TAG.sub("", html), "no inline reload script"
    script = served.raw(RELOAD_SCRIPT.lstrip("/"))
    assert '"/livereload/" + epoch' in script


def test_stopping_serve_leaves_no_memory_of_its_folder_in_the_checkout(
    archive: Archive, tmp_path: Path
) -> None:
    archive.topic("D_a", "Patent offices", "2026-W40", 1)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = forum_serve(archive.root, port, stdout=output, stderr=output)
    try:
        assert _until(lambda: bool(_get(f"http://127.0.0.1:{port}/")), 120)
        assert list((archive.root / ".cache").glob("publish-gate-*.json")), (
            "the gate remembers the served site"
        )
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl+C, as the moderator stops it
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.send_signal(signal.SIGABRT)
            server.wait(timeout=30)
            pytest.fail("forum serve did not stop at Ctrl+C:\n" + log.read_text(encoding="utf-8")[-6000:])

    assert not list((archive.root / ".cache").glob("publish-gate-*.json"))
    manifests = json.loads((archive.root / ".cache" / "site-builds.json").read_text(encoding="utf-8"))
    assert manifests == {}, "nor of what the folder was built from"
