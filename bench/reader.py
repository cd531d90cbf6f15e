"""What a reader downloads and waits for, in Chromium, on a generated archive served as
GitHub Pages serves it (issue 16).

    .venv/bin/python bench/reader.py [--sizes 65 520] [--replies 30] [--keep DIR]

For each size N: an archive of N weekly topics x R replies (bench/generate.py: 193 member
states, 20 guests, 213 credentials), one word written into its oldest topic and one into its
newest, a full encrypted `forum build`, served on 127.0.0.1 (bench/pages_host.py: gzip,
ETag, max-age=600). Then a reader in headless Chromium signs in on a topic page with a
delegation's credential, opens a topic page, goes to another, makes 20 more navigations
between topic pages, and searches both words through the site's search (the header's box if
there is one, else the search page). Each step prints the bytes the browser transferred
(bench/traffic.py), its requests, and how long the decrypted content took to show; then the
issue's targets, met or not. Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from bench.pages_host import serving  # noqa: E402
from bench.traffic import Step, Traffic  # noqa: E402
from sync.model.content import load_forum  # noqa: E402
from sync.site.pages import topic_slug  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# No calls to Google's services (this network refuses them), no sandbox (containers).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]  # fmt: skip
OLD_WORD, NEW_WORD = "palimpsest", "hyperloop"  # in no generated text but these topics'
MEMBER = "BR"  # the delegation the reader signs in as
NEEDLE = "forum-bench-needle"  # sessionStorage: the text that shows the content is there

# Marks `forum-bench-visible` when an h1/h2 holding the expected text (the topic's title,
# from the archive) is visible; checked at each change of the document. The site's own mark
# `forum-content-visible`, where it sets one, is preferred. Both come before the browser has
# drawn the content (its style, layout and paint follow): `forum-bench-painted` is when that
# heading was painted, by Element Timing, printed beside them.
VISIBLE_JS = """(() => {
  let done = false;
  function check() {
    if (done || !document.body) return;
    const needle = sessionStorage.getItem("NEEDLE");
    if (!needle) return;
    for (const heading of document.querySelectorAll("h1, h2")) {
      if (heading.textContent.includes(needle)
          && heading.checkVisibility({ opacityProperty: true, visibilityProperty: true })) {
        performance.mark("forum-bench-visible");
        heading.setAttribute("elementtiming", "forum-bench-heading"); // before it is painted
        done = true;
        observer.disconnect();
        return;
      }
    }
  }
  // When the heading was painted (Element Timing: the frame that drew it, presented).
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.identifier === "forum-bench-heading" && entry.renderTime)
        performance.mark("forum-bench-painted", { startTime: entry.renderTime });
    }
  }).observe({ type: "element", buffered: true });
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, characterData: true,
    attributes: true, attributeFilter: ["style", "class", "hidden"] });
  document.addEventListener("DOMContentLoaded", check);
})();""".replace("NEEDLE", NEEDLE)

MARKS_JS = """() => {
  const at = (name) => { const m = performance.getEntriesByName(name, "mark"); return m.length ? m[0].startTime : null; };
  const navigation = performance.getEntriesByType("navigation")[0];
  return { responseEnd: navigation ? navigation.responseEnd : null, bench: at("forum-bench-visible"),
           site: at("forum-content-visible"), click: at("forum-bench-click"), painted: at("forum-bench-painted") };
}"""  # noqa: E501
BENCH_MARK = "performance.getEntriesByName('forum-bench-visible').length > 0"
EITHER_MARK = BENCH_MARK + " || performance.getEntriesByName('forum-content-visible').length > 0"
HEADER_SEARCH = "header form.forum-search input, header input[type=search]"
PAGE_SEARCH = "form.forum-search input[type=search], #forum-search-input"
SETTLE_SECONDS = 0.5  # no network event for this long: the step's downloads are over
UNSEEN_SECONDS = 3  # or this long, when a request stays open (a worker's, whose end the page never sees)


@dataclass(frozen=True)
class Archive:
    """A built archive: its site, the reader's credential, topic pages and the two words' topics."""

    site: Path
    password: str
    topics: tuple[tuple[str, str], ...]  # (site-relative address, English title), oldest first
    old_topic: str
    new_topic: str


@dataclass(frozen=True)
class Visible:
    """Milliseconds from a reference point (the HTML's responseEnd, or the click on Sign in)
    to the decrypted content visible, and which measurement gave it."""

    ms: float | None
    method: str
    painted: float | None = None  # to the content's heading painted, from the same reference


def prepare(folder: Path, topics: int, replies: int) -> Archive:
    """Generate the archive (or reuse one built before in `folder`), with the two words, and build it."""
    credentials = folder.with_name(folder.name + ".credentials.yml")
    if not (folder / "site" / "index.html").is_file():
        shutil.rmtree(folder, ignore_errors=True)  # what a failed run left
        generate(folder, topics, replies)
        folders = sorted((folder / "content" / "topics").iterdir())
        plant(folders[0], OLD_WORD)
        plant(folders[-1], NEW_WORD)
        environment = {**os.environ, "FORUM_CREDENTIALS": str(credentials), "FORUM_STATS_AS_OF": "2026-11-25"}
        command = [sys.executable, "-m", "sync.cli", "build", "--full", "--project", str(folder)]
        done = subprocess.run(command, env=environment, capture_output=True, text=True, cwd=folder)
        if done.returncode:
            raise SystemExit(f"forum build failed:\n{done.stdout}{done.stderr}")
    forum = load_forum(folder / "content", ("en", "fr", "es"))
    ordered = sorted(forum.topics, key=lambda topic: topic.date)
    pages = tuple((f"topics/{topic_slug(t.id)}/", t.title_in("en").strip()) for t in ordered)
    password = json.loads(credentials.read_text(encoding="utf-8"))["delegations"][MEMBER]["password"]
    return Archive(folder / "site", password, pages, pages[0][0], pages[-1][0])


def plant(topic_folder: Path, word: str) -> None:
    """End the topic's opening post, in every language, with a sentence holding `word`."""
    for path in sorted(topic_folder.glob("topic*.md")):
        with path.open("a", encoding="utf-8") as file:
            file.write(f"\n\nWe tried what we call the {word} method.\n")


class Reader:
    """A reader in one browser tab, with the tab's network accounting."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base
        self.traffic = Traffic()
        session = page.context.new_cdp_session(page)
        self.traffic.listen(session)
        session.send("Network.enable")
        page.add_init_script(VISIBLE_JS)

    def expect(self, text: str) -> None:
        """The text whose appearance, on the next pages, shows the decrypted content."""
        self.page.evaluate("([key, text]) => sessionStorage.setItem(key, text)", [NEEDLE, text])

    def settle(self, limit: float = 60) -> None:
        """Wait until the page has fetched what it will (nothing in flight for a while)."""
        ends = time.monotonic() + limit
        while time.monotonic() < ends:
            quiet = self.traffic.quiet_for()
            if quiet >= UNSEEN_SECONDS or (self.traffic.in_flight == 0 and quiet >= SETTLE_SECONDS):
                return
            self.page.wait_for_timeout(50)

    def wait_for_content(self, mark: str = EITHER_MARK, limit: float = 60) -> None:
        """Until the content shows (a mark is set). Polled from here: the pages'
        Content-Security-Policy forbids the eval that Playwright's wait_for_function needs."""
        ends = time.monotonic() + limit
        while not self.page.evaluate(mark):
            if time.monotonic() > ends:
                raise SystemExit(f"{self.page.url}: the expected content never showed")
            self.page.wait_for_timeout(50)

    def visible(self, since: str = "responseEnd") -> Visible:
        """Time to the decrypted content: the site's mark if it sets one, else the bench's own."""
        marks = self.page.evaluate(MARKS_JS)
        start = marks["click"] if since == "click" else marks["responseEnd"]
        methods = [("site", "site's mark forum-content-visible"), ("bench", "MutationObserver")]
        # After a click on Sign in, the bench's own mark: the site may mark its sign-in form shown.
        for key, method in reversed(methods) if since == "click" else methods:
            if marks[key] is not None and start is not None:
                painted = marks["painted"] - start if marks["painted"] is not None else None
                return Visible(marks[key] - start, method, painted)
        return Visible(None, "not seen")

    def open(self, address: str, title: str, name: str) -> tuple[Step, Visible]:
        """Go to a page of the site and wait for its decrypted content (its title shown)."""
        self.expect(title)
        self.page.goto(self.base + address, wait_until="commit")
        self.wait_for_content()
        self.settle()
        return self.traffic.take(name), self.visible()

    def sign_in(self, address: str, title: str, password: str) -> list[tuple[Step, Visible]]:
        """The sign-in form of a topic page (nothing cached yet), then signing in on it."""
        self.page.goto(self.base + address)
        self.page.locator("#mkdocs-content-password").wait_for(state="visible")
        self.settle()
        form = (self.traffic.take("sign-in page, nothing cached"), Visible(None, "-"))
        self.expect(title)
        self.page.locator("#mkdocs-content-user").fill(MEMBER)
        self.page.locator("#mkdocs-content-password").fill(password)
        self.page.evaluate("performance.mark('forum-bench-click')")
        self.page.locator("#mkdocs-decrypt-button").click()
        self.wait_for_content(BENCH_MARK)
        self.settle()
        return [form, (self.traffic.take("sign in (key derived, page decrypted)"), self.visible("click"))]

    def search(self, word: str, topic: str, name: str) -> tuple[Step, float, int, str]:
        """Search `word` through the site's search; (step, seconds and bytes until the result
        linking `topic` shows, which search UI)."""
        box = self.page.locator(HEADER_SEARCH)
        if box.count() and box.first.is_visible():
            where, field = "header box", box.first
        else:
            where = "search page"
            self.page.goto(self.base + "find/")
            field = self.page.locator(PAGE_SEARCH).first
            field.wait_for(state="visible")
        started = time.perf_counter()
        field.fill(word)
        field.press("Enter")
        hit = self.page.locator(f':is([id*="search"], [class*="search"]) a[href*="{topic}"]').first
        # Polled every 10 ms rather than with wait_for, whose answer comes a round trip late:
        # the site goes on to fetch the earlier years as soon as the first hits are drawn,
        # and those bytes, arriving after the result showed, are not the first search's.
        ends = time.monotonic() + 300
        while not hit.is_visible():
            if time.monotonic() > ends:
                raise SystemExit(f"{self.page.url}: no hit for {word!r} linking {topic}")
            self.page.wait_for_timeout(10)
        seconds, at_results = time.perf_counter() - started, self.traffic.so_far()
        self.settle()
        return self.traffic.take(name), seconds, at_results, where


@dataclass(frozen=True)
class Visit:
    """Every step of one reader's visit: sign-in and the first topic pages, the navigations,
    the searches (step, seconds and bytes until the result showed, which search UI)."""

    steps: list[tuple[Step, Visible]]
    rounds: list[tuple[Step, Visible]]
    searches: list[tuple[Step, float, int, str]]


def visit(browser_path: str, base: str, archive: Archive, navigations: int) -> Visit:
    """One reader's visit, from a fresh profile; every step's figures."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        reader = Reader(page, base)
        topics = archive.topics
        pick = [topics[(i * 7 + 3) % len(topics)] for i in range(len(topics))]  # spread over the years
        others = [t for t in dict.fromkeys(pick) if t[0] not in (archive.old_topic, archive.new_topic)]
        first, second, third, *rest = others
        steps = reader.sign_in(*first, archive.password)
        steps.append(reader.open(*topics[-1], "topic page (the newest)"))
        steps.append(reader.open(*second, "another topic page"))
        rounds = [reader.open(*t, f"navigation {n + 1}") for n, t in enumerate([third, *rest][:navigations])]
        searches = [
            reader.search(NEW_WORD, archive.new_topic, f"first search: {NEW_WORD!r}, newest topic"),
            reader.search(OLD_WORD, archive.old_topic, f"then: {OLD_WORD!r}, oldest topic"),
        ]
        browser.close()
    return Visit(steps, rounds, searches)


def kb(size: int) -> str:
    """Bytes, and in KB (1,024 bytes)."""
    return f"{size:,} B ({size / 1024:.1f} KB)"


def requests(step: Step) -> str:
    """How many requests, how many the cache answered, how many whose bytes went unseen."""
    unseen = f", {step.unseen} never seen ending (a worker's): bytes not counted" if step.unseen else ""
    return f"{step.requests + step.unseen:3d} requests ({step.from_cache} from cache{unseen})"


def report(size: int, figures: Visit) -> list[tuple[str, float, float, str]]:
    """Print the steps of one size; returns its rows of the targets table."""
    print(f"\n{size} topics — bytes: CDP Network.loadingFinished encodedDataLength (headers and body as")
    print("sent; a response from the browser's cache counts 0); visible: ms to the decrypted content")
    for step, seen in figures.steps:
        since = "after the click" if "sign in" in step.name else "after responseEnd"
        shown = f"{seen.ms:.0f} ms {since} ({seen.method})" if seen.ms is not None else ""
        print(f"  {step.name:<40} {kb(step.transferred):>24}  {requests(step)}  {shown}")
    rounds = figures.rounds
    sizes = [step.transferred for step, _ in rounds]
    times = [seen.ms for _, seen in rounds if seen.ms is not None]
    methods = sorted({seen.method for _, seen in rounds})
    painted = [seen.painted for _, seen in rounds if seen.painted is not None]
    drawn = ""
    if painted:  # the content's heading painted (Element Timing), after the marks above
        drawn = f"; painted median {statistics.median(painted):.0f} ms, worst {max(painted):.0f} ms"
    median = int(statistics.median(sizes))
    print(f"  {len(rounds)} navigations between topic pages: bytes median {kb(median)},"
          f" largest {kb(max(sizes))}; visible median {statistics.median(times):.0f} ms, worst"
          f" {max(times):.0f} ms after responseEnd ({', '.join(methods)}){drawn}")  # fmt: skip
    for step, seconds, at_results, where in figures.searches:
        print(f"  {step.name} ({where}): {kb(at_results)} until the result showed ({seconds:.1f} s),"
              f" {kb(step.transferred)} in all, {requests(step)}")  # fmt: skip
        for address, size in step.largest[:2]:
            print(f"    of which {urlsplit(address).path} {kb(size)}")
    topic_bytes = max([s.transferred for s, _ in figures.steps[2:]] + sizes)
    first_search = figures.searches[0][2]
    at = "" if size == 520 else " (the target is set at 520 topics)"
    return [
        (f"topic page, scripts and styles cached (largest of {len(sizes) + 2})", topic_bytes, 25 * 1024, "B"),
        (f"first search, bytes until its results{at}", first_search, 1024 * 1024, "B"),
        ("navigation: content visible after the HTML, median", statistics.median(times), 100, "ms"),
        ("navigation: content visible after the HTML, worst", max(times), 100, "ms"),
    ]


def targets(rows: dict[int, list[tuple[str, float, float, str]]], replies: int) -> None:
    """The issue's targets against the figures, one table per size."""
    for size, lines in rows.items():
        print(f"\nTargets at {size} topics, {replies} replies each, 213 credentials:\n")
        print("| target | figure | limit | figure/limit | |\n| --- | ---: | ---: | ---: | --- |")
        for name, figure, limit, unit in lines:
            met = "met" if figure <= limit else "NOT met"
            print(f"| {name} | {figure:,.0f} {unit} | {limit:,} {unit} | {figure / limit:.2f} | {met} |")


def main(arguments: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[65, 520])
    parser.add_argument("--replies", type=int, default=30)
    parser.add_argument("--navigations", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="Build the archives here; reuse those built before.")
    parser.add_argument("--chromium", default=CHROMIUM)
    options = parser.parse_args(arguments)
    with tempfile.TemporaryDirectory() as scratch:
        where = options.keep or Path(scratch)
        rows = {}
        for size in options.sizes:
            started = time.perf_counter()
            archive = prepare(where / f"reader-{size}", size, options.replies)
            print(f"{size} topics built in {time.perf_counter() - started:.0f} s", flush=True)
            with serving(archive.site) as base:
                rows[size] = report(size, visit(options.chromium, base, archive, options.navigations))
        targets(rows, options.replies)


if __name__ == "__main__":
    main()
