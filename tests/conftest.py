"""Shared fixtures: a small archive to write into, and built sites read as a reader would."""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from archive import ROOT, Archive
from bs4 import BeautifulSoup
from decrypt import open_page, open_part, sign_in
from playwright.sync_api import Browser, Page, sync_playwright

from sync.model.config import Project
from sync.model.content import load_forum
from sync.model.domain import Forum
from sync.site import build as build_module
from sync.site.build import build_site
from sync.site.protection import demo_password


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    """An empty forum checkout (roster, categories, protocol) for a test to fill."""
    return Archive(tmp_path / "forum")


@pytest.fixture
def credentials_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where $FORUM_CREDENTIALS points, outside the test's checkout (for a test to write)."""
    path = tmp_path / "secrets" / "credentials.yml"
    path.parent.mkdir()
    monkeypatch.setenv("FORUM_CREDENTIALS", str(path))
    return path


class BuiltSite:
    """A built site, read page by page as parsed HTML, as a signed-in reader sees it:
    encrypted pages are opened with the keys of the delegation `user`."""

    def __init__(self, site_dir: Path, user: str = "BR", password: str | None = None) -> None:
        self.dir = site_dir
        self.user = user
        self.password = password or demo_password(user)
        self._keys: dict[str, str] | None = None

    def raw(self, url: str) -> str:
        """The page's file as served, encrypted parts and all."""
        path = self.dir / url.strip("/") / "index.html" if not url.endswith(".html") else self.dir / url
        return path.read_text(encoding="utf-8")

    @property
    def keys(self) -> dict[str, str]:
        """The keys the reader's credential unlocks (signing in costs a key derivation)."""
        if self._keys is None:
            keys = sign_in(self.raw(""), self.user, self.password)
            assert keys, f"the credential of {self.user} opens nothing"
            self._keys = keys
        return self._keys

    def page(self, url: str) -> BeautifulSoup:
        """The page at a site-relative URL such as `fr/topics/ab12/`, decrypted."""
        html = self.raw(url)
        soup = BeautifulSoup(html, "html.parser")
        if "mkdocs-encrypted-content" in html:
            content = open_page(html, self.keys)
            assert content is not None, f"{url}: not opened by {self.user}'s credential"
            decrypted = soup.select_one("#mkdocs-decrypted-content")
            decrypted.clear()
            decrypted.append(BeautifulSoup(content, "html.parser"))
            soup.select_one("#mkdocs-encrypted-content").decompose()
            # The navigation, header and footer are encrypted too (encrypted_something).
            for hidden in soup.select('[style*="display:none !important"]'):
                bundle = hidden.get_text().strip()
                if bundle:
                    hidden.clear()
                    hidden.append(BeautifulSoup(open_part(html, bundle, self.keys), "html.parser"))
        return soup

    def text(self, url: str) -> str:
        """The visible text of a page's content area, white space folded."""
        article = self.page(url).select_one("article.md-content__inner")
        assert article is not None, url
        return " ".join(article.get_text(" ").split())

    def urls(self, pattern: str) -> list[str]:
        """Site-relative URLs of the pages whose URL matches a regular expression."""
        found = [str(p.parent.relative_to(self.dir)) + "/" for p in self.dir.rglob("index.html")]
        return sorted(url for url in found if re.fullmatch(pattern, url))


DEMO_DAY = date(2026, 11, 26)  # a Thursday of the demo's newest week, 2026-W48


@pytest.fixture(scope="session")
def demo() -> Forum:
    """The bundled demo content, as the content model reads it."""
    project = Project(ROOT)
    return load_forum(project.content, project.languages())


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The bundled demo forum, built once for the whole session (a build costs seconds)."""
    site_dir = tmp_path_factory.mktemp("demo") / "site"
    # Built on a day of the demo's newest week (2026-W48), so that its home page has a topic
    # of the week whatever the machine's date.
    build_site(Project(ROOT), site_dir, demo=True, today=DEMO_DAY)
    return BuiltSite(site_dir)


@pytest.fixture
def build(archive: Archive) -> Callable[..., BuiltSite]:
    """Build the test's archive, optionally with mkdocs.yml changed first."""

    def run(
        configure: Callable[[dict], None] | None = None,
        stats_as_of: date | None = None,
        today: date | None = None,
    ) -> BuiltSite:
        if configure is not None:
            set_mkdocs(archive.root / "mkdocs.yml", configure)
        report = build_site(archive.project, demo=True, stats_as_of=stats_as_of, today=today)
        return BuiltSite(report.site_dir)

    return run


def set_mkdocs(path: Path, change: Callable[[dict], None]) -> None:
    """Edit mkdocs.yml as a maintainer would (it holds no custom YAML tags)."""
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(config)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def switched_off_languages() -> list[dict]:
    """The language blocks commented out in the project's mkdocs.yml (Arabic, Chinese,
    Russian), as a maintainer uncommenting them would switch them on."""
    lines = re.findall(
        r"^ *# ( *(?:- locale|name|build|site_name):.*)$", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M
    )
    return yaml.safe_load("\n".join(lines))


@pytest.fixture(scope="session")
def six_languages_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The demo with every language of mkdocs.yml switched on, built once for the session."""
    root = tmp_path_factory.mktemp("six-languages") / "forum"
    root.mkdir()
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "hooks", root / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    set_mkdocs(root / "mkdocs.yml", lambda config: i18n_languages(config).extend(switched_off_languages()))
    report = build_site(Project(root), root / "site", demo=True)
    return BuiltSite(report.site_dir)


def i18n_languages(config: dict) -> list[dict]:
    """The language entries of the i18n plugin in a loaded mkdocs.yml."""
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "i18n" in plugin:
            return plugin["i18n"]["languages"]
    raise AssertionError("no i18n plugin in mkdocs.yml")


# Browser tests ---------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium tries to reach Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def forum_serve(project_root: Path, port: int, **popen: object) -> subprocess.Popen:
    """`forum serve --demo` on the checkout, in a process of its own, as a moderator starts it
    from a terminal (`popen`: where its output goes): Ctrl+C reaches it even when the suite
    itself was started in the background (a shell starts those with SIGINT ignored, and
    Python keeps it so), and a serve stuck at the end says where on SIGABRT (faulthandler)."""
    command = ["serve", "--demo", "--port", str(port), "--project", str(project_root)]
    return subprocess.Popen(  # type: ignore[call-overload]
        [sys.executable, "-m", "sync.cli", *command],
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        **popen,
    )


@contextmanager
def serving(site_dir: Path) -> Iterator[str]:
    """A built site served on 127.0.0.1 as a static host would serve it; yields its address."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def demo_url(demo_site: BuiltSite) -> Iterator[str]:
    """The built demo, served on 127.0.0.1."""
    with serving(demo_site.dir) as url:
        yield url


def sign_in_page(page: Page, url: str, user: str = "BR", password: str | None = None) -> None:
    """Open `url` and sign in on its form, as a delegate would (demo password by default)."""
    page.goto(url)
    page.get_by_label(re.compile("User name|Nom d'utilisateur|Nombre de usuario")).fill(user)
    page.locator("#mkdocs-content-password").fill(password or demo_password(user))
    page.locator("#mkdocs-decrypt-button").click()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Browser tests need Debian's Chromium: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


@pytest.fixture
def tamper(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[Path], None]], None]:
    """Change the staging folder after MkDocs wrote it and before the gate reads it, as a
    plugin's bug would."""

    def install(change: Callable[[Path], None]) -> None:
        real_build = build_module.mkdocs_build

        def build_then_change(config: object) -> None:
            real_build(config)
            change(Path(config.site_dir))  # type: ignore[attr-defined]

        monkeypatch.setattr(build_module, "mkdocs_build", build_then_change)

    return install
