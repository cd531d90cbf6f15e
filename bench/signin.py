"""What signing in costs in Chromium with a full roster of credentials (193 member states and
20 guests): the browser derives one key (PBKDF2-SHA256, 1,000,000 iterations) while it fetches
its level's key file (213 entries at most), and finds its entry by the id that key gives
(sync/site/signin.py); then what a navigation once signed in costs: from the page's HTML
arriving to its content decrypted and shown (the decryptor's performance marks
forum-decrypt-start and forum-content-visible, hooks/theme/assets/forum-decrypt.js).

Run on demand: .venv/bin/python bench/signin.py
"""

from __future__ import annotations

import functools
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from protection import credentials_file  # noqa: E402

from sync.model.config import Project  # noqa: E402
from sync.model.content import load_forum  # noqa: E402
from sync.site.build import build_site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
TRIES = 5


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def sign_in_seconds(browser: Browser, url: str, user: str, password: str) -> float:
    """From the click on "Sign in" to the decrypted page, in a fresh browser context."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.locator("#mkdocs-content-user").fill(user)
    page.locator("#mkdocs-content-password").fill(password)
    started = time.perf_counter()
    page.locator("#mkdocs-decrypt-button").click()
    page.locator("#mkdocs-decrypt-form").wait_for(state="detached", timeout=30_000)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


DERIVE = """async () => {
  const material = await crypto.subtle.importKey(
    "raw", new TextEncoder().encode("k3fz-9qpa-k3fz-9qpa-k3fz-9qpa"), "PBKDF2", false, ["deriveBits"]);
  const started = performance.now();
  await crypto.subtle.deriveBits(
    {name: "PBKDF2", salt: new Uint8Array(16), iterations: 1000000, hash: "SHA-256"}, material, 256);
  return (performance.now() - started) / 1000;
}"""


def derive_seconds(browser: Browser, url: str) -> float:
    """One PBKDF2-SHA256 derivation of 1,000,000 iterations in the page: the floor of any sign-in."""
    page = browser.new_page()
    page.goto(url)
    seconds = page.evaluate(DERIVE)
    page.close()
    return seconds


NAVIGATION = """() => {
  const arrived = performance.getEntriesByType("navigation")[0].responseStart;
  const shown = performance.getEntriesByName("forum-content-visible")[0];
  return shown ? (shown.startTime - arrived) / 1000 : null;
}"""


def navigation_seconds(browser: Browser, url: str, user: str, password: str, pages: list[str]) -> list[float]:
    """Signed in once, then each page opened: from its HTML's first byte to its content shown."""
    page = browser.new_page()
    page.goto(url)
    page.locator("#mkdocs-content-user").fill(user)
    page.locator("#mkdocs-content-password").fill(password)
    page.locator("#mkdocs-decrypt-button").click()
    page.locator("#mkdocs-decrypt-form").wait_for(state="detached", timeout=30_000)
    found = []
    for address in pages:
        page.goto(url + address)
        page.locator("article h1").first.wait_for()
        seconds = page.evaluate(NAVIGATION)
        if seconds is None:
            raise SystemExit(f"{address}: no forum-content-visible mark")
        found.append(seconds)
    page.close()
    return found


def main() -> None:
    project = Project(ROOT)
    forum = load_forum(project.content, project.languages())
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        path = credentials_file(folder, [t.id for t in forum.topics])
        os.environ["FORUM_CREDENTIALS"] = str(path)
        build_site(project, folder / "site")
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        last = sorted(document["delegations"])[-1]  # the last entry of 213
        password = document["delegations"][last]["password"]
        handler = functools.partial(_Quiet, directory=str(folder / "site"))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            timings = [sign_in_seconds(browser, url, last, password) for _ in range(TRIES)]
            derivations = [derive_seconds(browser, url) for _ in range(TRIES)]
            topics = sorted(p.parent.name for p in (folder / "site" / "topics").glob("*/index.html"))
            pages = [f"topics/{topics[n % len(topics)]}/" for n in range(20)]
            navigations = navigation_seconds(browser, url, last, password, pages)
            browser.close()
        server.shutdown()
    print(f"sign-in in Chromium, 213 credentials, user {last}: median {statistics.median(timings):.2f} s,"
          f" slowest {max(timings):.2f} s of {TRIES}; of which one PBKDF2 derivation alone:"
          f" median {statistics.median(derivations):.2f} s")  # fmt: skip
    print(f"navigation once signed in, {len(navigations)} topic pages: content shown"
          f" {1000 * statistics.median(navigations):.0f} ms (median), {1000 * max(navigations):.0f} ms"
          " (worst) after the page's HTML arrived (target: within 100 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
