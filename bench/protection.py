"""What password protection costs: page weight and build time with a full roster of
credentials (193 member states and 20 guests), with encryptcontent's key cache cold, then warm.

Run on demand: .venv/bin/python bench/protection.py
           or: .venv/bin/python bench/protection.py --topics 65   (bench/generate.py's archive,
               65 topics with 30 replies: a topic page's bytes, raw and gzip-compressed as
               GitHub Pages serves it, and the key files a reader fetches once at sign-in)
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync.model.config import Project  # noqa: E402
from sync.model.content import load_forum  # noqa: E402
from sync.model.credentials import new_password  # noqa: E402
from sync.model.roster import COUNTRY_CODES  # noqa: E402
from sync.site.build import build_site  # noqa: E402


def credentials_file(folder: Path, topics: list[str]) -> Path:
    """193 delegations (ISO codes) and 20 guests spread over the demo's topics."""
    codes = sorted(COUNTRY_CODES)[:193]
    guests = {
        f"guest-{n:02d}": {
            "password": new_password(),
            "topics": [topics[n % len(topics)]],
            "requested_by": codes[n],
            "until": "2030-12-31",
        }
        for n in range(20)
    }
    document = {"delegations": {code: {"password": new_password()} for code in codes}, "guests": guests}
    path = folder / "credentials.yml"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def weights(site: Path) -> None:
    """The largest topic page, the home page and the key files: bytes raw and gzip-compressed."""

    def sizes(path: Path) -> str:
        data = path.read_bytes()
        return f"{len(data) / 1024:.1f} KB raw, {len(gzip.compress(data, 6)) / 1024:.1f} KB gzip"

    topic = max((site / "topics").rglob("index.html"), key=lambda p: p.stat().st_size)
    print(f"topic page (largest): {sizes(topic)} (target: at most 25 KB gzip)")
    print(f"home page: {sizes(site / 'index.html')}")
    for key_file in sorted((site / "assets" / "keys").glob("*.json")):
        level = json.loads(key_file.read_text(encoding="utf-8"))["level"]
        print(f"key file of level {level}: {sizes(key_file)} (fetched once at sign-in, cached)")


def generated(topics: int) -> None:
    """bench/generate.py's archive, built as `forum build` does (the keys derived once, cached)."""
    from bench.generate import generate

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / f"forum-{topics}"
        credentials = generate(folder, topics, 30)
        os.environ["FORUM_CREDENTIALS"] = str(credentials)
        os.environ["FORUM_STATS_AS_OF"] = "2026-11-25"
        started = time.perf_counter()
        report = build_site(Project(folder), folder / "site")
        seconds = time.perf_counter() - started
        print(f"{topics} topics x 30 replies, 213 credentials: {report.pages} pages in {seconds:.1f} s")
        weights(folder / "site")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, help="bench/generate.py's archive of this many topics")
    arguments = parser.parse_args()
    if arguments.topics:
        return generated(arguments.topics)
    project = Project(ROOT)
    forum = load_forum(project.content, project.languages())
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        os.environ["FORUM_CREDENTIALS"] = str(credentials_file(folder, [t.id for t in forum.topics]))
        timings = []
        for run in ("cold key cache", "warm key cache", "warm key cache"):
            started = time.perf_counter()
            report = build_site(project, folder / "site")
            timings.append((run, time.perf_counter() - started, report.pages))
        topic_pages = [p for p in (folder / "site" / "topics").rglob("index.html")]
        sizes = [p.stat().st_size for p in topic_pages]
        print("credentials: 193 delegations + 20 guests; KDF PBKDF2-SHA256, 1,000,000 iterations")
        for run, seconds, pages in timings:
            print(f"build ({run}): {seconds:.1f} s for {pages} pages, {1000 * seconds / pages:.0f} ms a page")
        print(
            f"topic page: median {statistics.median(sizes) / 1024:.0f} KB, largest {max(sizes) / 1024:.0f} KB"
        )
        weights(folder / "site")


if __name__ == "__main__":
    main()
