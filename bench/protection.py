"""What password protection costs: page weight and build time with a full roster of
credentials (193 member states and 20 guests), with encryptcontent's key cache cold, then warm.

Run on demand: .venv/bin/python bench/protection.py
"""

from __future__ import annotations

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


def main() -> None:
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
        home = (folder / "site" / "index.html").stat().st_size
    print("credentials: 193 delegations + 20 guests; KDF PBKDF2-SHA256, 1,000,000 iterations")
    for run, seconds, pages in timings:
        print(f"build ({run}): {seconds:.1f} s for {pages} pages, {1000 * seconds / pages:.0f} ms a page")
    print(f"topic page: median {statistics.median(sizes) / 1024:.0f} KB, largest {max(sizes) / 1024:.0f} KB")
    print(f"home page: {home / 1024:.0f} KB")


if __name__ == "__main__":
    main()
