"""What signing in costs in Chromium with a full roster of credentials (193 member states and
20 guests): every page carries 213 key entries; the browser derives one key (PBKDF2-SHA256,
1,000,000 iterations) and finds its entry by the id that key gives (sync/site/signin.py).

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
from sync.site import signin  # noqa: E402
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


def lookup_seconds(browser: Browser, url: str, user: str, password: str) -> float:
    """The forum's entry lookup alone (sync/site/signin.py), run on the page's own keystore."""
    page = browser.new_page()
    page.goto(url)
    script = signin.LOOKUP_JS.replace("{{ kdf_iterations }}", "1000000")
    seconds = page.evaluate(
        """async ([script, user, password]) => {
          window.fromBase64 = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
          const lookup = new Function(script + "; return decrypt_key_from_bundle;")();
          const started = performance.now();
          const keys = await lookup(password, encryptcontent_keystore, user);
          if (!keys) throw new Error("no entry found");
          return (performance.now() - started) / 1000;
        }""",
        [script, user, password],
    )
    page.close()
    return seconds


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
            lookups = [lookup_seconds(browser, url, last, password) for _ in range(TRIES)]
            browser.close()
        server.shutdown()
    print(f"sign-in in Chromium, 213 credentials, user {last}: median {statistics.median(timings):.2f} s,"
          f" slowest {max(timings):.2f} s of {TRIES}; of which one PBKDF2 derivation alone:"
          f" median {statistics.median(derivations):.2f} s; the entry lookup (derivation, id, 213"
          f" entries scanned, keys decrypted): median {statistics.median(lookups):.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
