"""bench/reader.py's own parts, without the benchmark's build: the host that serves a site as
GitHub Pages does (compression, cache headers, 304s), the step accounting of what the
browser transferred, and the reader's steps in Chromium on hand-written pages."""

from __future__ import annotations

import gzip
import http.client
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages_host import serving
from bench.reader import Reader
from bench.traffic import Traffic

PAGE = "<!doctype html><title>t</title>" + "<p>The office strategy, again and again.</p>" * 200


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    (tmp_path / "topics" / "ab12").mkdir(parents=True)
    (tmp_path / "topics" / "ab12" / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "search.json").write_text('{"a": "' + "x" * 5000 + '"}', encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG" + bytes(range(256)) * 20)
    (tmp_path / "404.html").write_text("<p>Not here</p>", encoding="utf-8")
    with serving(tmp_path) as url:
        yield tmp_path, url


def get(url: str, path: str, **headers: str) -> http.client.HTTPResponse:
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    connection.request("GET", path, headers=headers)
    return connection.getresponse()


def test_text_is_sent_gzip_compressed_when_the_browser_accepts_it(site: tuple[Path, str]) -> None:
    _, url = site
    answer = get(url, "/topics/ab12/", **{"Accept-Encoding": "gzip, deflate, br"})
    body = answer.read()
    assert answer.status == 200
    assert answer.getheader("Content-Encoding") == "gzip"
    assert answer.getheader("Content-Type") == "text/html; charset=utf-8"
    assert gzip.decompress(body).decode() == PAGE
    assert int(answer.getheader("Content-Length")) == len(body) < len(PAGE) / 10
    assert answer.getheader("Vary") == "Accept-Encoding"
    json_answer = get(url, "/search.json", **{"Accept-Encoding": "gzip"})
    assert json_answer.getheader("Content-Encoding") == "gzip"


def test_without_accept_encoding_and_for_images_the_file_is_sent_as_it_is(site: tuple[Path, str]) -> None:
    root, url = site
    plain = get(url, "/topics/ab12/index.html")
    assert plain.getheader("Content-Encoding") is None
    assert plain.read().decode() == PAGE
    image = get(url, "/logo.png", **{"Accept-Encoding": "gzip"})
    assert image.getheader("Content-Encoding") is None
    assert image.getheader("Content-Type") == "image/png"
    assert image.read() == (root / "logo.png").read_bytes()


def test_cache_headers_are_github_pages_and_a_current_copy_gets_304(site: tuple[Path, str]) -> None:
    _, url = site
    first = get(url, "/topics/ab12/", **{"Accept-Encoding": "gzip"})
    first.read()
    assert first.getheader("Cache-Control") == "max-age=600"
    etag, modified = first.getheader("ETag"), first.getheader("Last-Modified")
    assert etag.startswith('W/"') and modified.endswith("GMT")
    again = get(url, "/topics/ab12/", **{"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status == 304 and again.read() == b""
    by_date = get(url, "/topics/ab12/", **{"If-Modified-Since": modified})
    assert by_date.status == 304
    stale = get(url, "/topics/ab12/", **{"If-None-Match": '"0-0"'})
    assert stale.status == 200 and stale.read().decode() == PAGE


def test_a_folder_without_its_slash_redirects_and_a_missing_page_is_the_sites_404(
    site: tuple[Path, str],
) -> None:
    _, url = site
    folder = get(url, "/topics/ab12")
    assert folder.status == 301 and folder.getheader("Location") == "/topics/ab12/"
    missing = get(url, "/topics/nothing/")
    assert missing.status == 404 and missing.read() == b"<p>Not here</p>"
    outside = get(url, "/../../etc/passwd")
    assert outside.status == 404


def event(kind: str, request_id: str, **fields: object) -> tuple[str, dict]:
    return kind, {"requestId": request_id, **fields}


def test_a_step_sums_the_bytes_on_the_wire_and_counts_cached_responses_as_zero() -> None:
    traffic = Traffic()
    handlers = {
        "sent": traffic.on_request,
        "cache": traffic.on_cached,
        "response": traffic.on_response,
        "finished": traffic.on_finished,
        "failed": traffic.on_failed,
    }
    page = [
        event("sent", "1", request={"url": "http://h/topics/a/"}),
        event("sent", "2", request={"url": "http://h/assets/forum.js"}),
        event("cache", "2"),
        event("sent", "3", request={"url": "http://h/assets/main.css"}),
        event("response", "3", response={"fromDiskCache": True}),
        event("finished", "2", encodedDataLength=0),
        event("finished", "3", encodedDataLength=350),  # the disk cache's own count: not downloaded
    ]
    for kind, fields in page:
        handlers[kind](fields)
    assert traffic.in_flight == 1
    assert traffic.so_far() == 0
    traffic.on_finished({"requestId": "1", "encodedDataLength": 12_345})
    step = traffic.take("topic page")
    assert (step.transferred, step.requests, step.from_cache) == (12_345, 3, 2)
    assert step.largest == (("http://h/topics/a/", 12_345),)

    traffic.on_request({"requestId": "4", "request": {"url": "http://h/search/index.json"}})
    traffic.on_failed({"requestId": "4"})
    traffic.on_request({"requestId": "5", "request": {"url": "http://h/search/2026.json"}})
    traffic.on_finished({"requestId": "5", "encodedDataLength": 800})
    search = traffic.take("search")
    assert (search.transferred, search.requests, search.from_cache) == (800, 2, 0)
    assert traffic.take("nothing").requests == 0


# The reader's steps in Chromium, on three hand-written pages (no build) -------------------

LATE_TITLE = """<!doctype html><html><body><header>{box}</header><article></article>
<script src="/late.js"></script></body></html>"""
# The content shows a moment after the HTML arrived, as a decrypted page's does.
LATE_JS = """setTimeout(() => {
  document.querySelector("article").innerHTML = "<h1>" + document.title + "Opened topic</h1>";
  if (location.pathname.includes("marked")) performance.mark("forum-content-visible");
}, 30);
document.addEventListener("submit", (event) => {
  event.preventDefault();
  const results = document.createElement("ol");
  results.id = "forum-search-results";
  results.innerHTML = '<li><a href="/topics/found/">Found</a></li>';
  document.body.append(results);
});"""
BOX = '<form class="forum-search"><input type="search"></form>'


@pytest.fixture
def reader_site(tmp_path: Path) -> Iterator[str]:
    for name, box in (("plain", ""), ("marked", ""), ("boxed", BOX)):
        (tmp_path / "topics" / name).mkdir(parents=True)
        (tmp_path / "topics" / name / "index.html").write_text(LATE_TITLE.format(box=box), encoding="utf-8")
    (tmp_path / "find").mkdir()
    (tmp_path / "find" / "index.html").write_text(LATE_TITLE.format(box="") + BOX, encoding="utf-8")
    (tmp_path / "late.js").write_text(LATE_JS, encoding="utf-8")
    with serving(tmp_path) as url:
        yield url


@pytest.mark.browser
def test_a_step_counts_the_page_and_when_its_content_showed(browser: Browser, reader_site: str) -> None:
    page = browser.new_page()
    reader = Reader(page, reader_site)
    page.goto(reader_site + "find/")
    reader.settle()
    reader.traffic.take("start")

    step, seen = reader.open("topics/plain/", "Opened topic", "plain")
    assert seen.method == "MutationObserver" and seen.ms is not None and seen.ms >= 0
    assert seen.painted is not None and seen.painted >= seen.ms, "the heading painted once visible"
    assert (step.requests, step.from_cache) == (2, 1)  # the page, and late.js from the cache
    assert 0 < step.transferred < 1000

    _, seen = reader.open("topics/marked/", "Opened topic", "marked")
    assert seen.method == "site's mark forum-content-visible"

    _, _, _, where = reader.search("word", "topics/found/", "from the search page")
    assert where == "search page"
    reader.open("topics/boxed/", "Opened topic", "boxed")
    _, _, _, where = reader.search("word", "topics/found/", "from the header")
    assert where == "header box"
    page.close()
