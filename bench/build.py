"""How `forum build` grows with the archive, against plain MkDocs on the same pages.

    .venv/bin/python bench/build.py [--sizes 65 130 260 520] [--replies 30] [--saves 7] [--repeat 1]

For each size N: a synthetic archive of N topics x R replies x 3 languages (bench/generate.py,
193 member states and 20 guests), a full encrypted build with search, its seconds, ms per
page and peak memory; then the baseline, plain MkDocs + Material + search over the same
topic pages written as ordinary Markdown (no hooks, no i18n, no encryption). At the largest
size: a rebuild after one new reply (`forum build` as a sync's merge runs it: pages that did
not change are copied from the last build), and the weight of a topic page. Each build runs
in a process of its own, so that peak memory is that build's alone, with the forum's modules
compiled first, as an installed package's are (compile_forum).

Then the moderator's loop on the demo: `forum serve --demo` on a copy of the checkout, a
reply's file saved under content/ (its text changed, then a new reply), and the time until
the served page, opened with a delegation's key, shows the new text: the median of several
saves (`--sizes` with no size runs this alone).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # decrypt.py: pages opened as the browser opens them

from decrypt import open_page, sign_in  # noqa: E402
from ports import free_port  # noqa: E402

from bench.generate import generate  # noqa: E402
from sync.model.content import load_forum  # noqa: E402
from sync.site.pages import topic_slug  # noqa: E402
from sync.site.protection import demo_password  # noqa: E402

LIVE_RELOAD_TARGET = 1.5  # seconds from a saved file to the served page showing it
REBUILD_TARGET = 3.0  # seconds of a rebuild after one new reply at 520 topics


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    pages: int


def timed(command: list[str], environment: dict[str, str], cwd: Path) -> Run:
    """Run a build in its own process: wall time and that process's peak resident memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    output = process.stdout.read().decode() + process.stderr.read().decode()  # type: ignore[union-attr]
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{output}")
    site = cwd / "site"
    pages = sum(1 for _ in site.rglob("index.html"))
    return Run(seconds, usage.ru_maxrss / 1024, pages)


def compile_forum() -> None:
    """The forum's modules compiled once, as pip compiles an installed package's: where the
    environment says not to write bytecode (PYTHONDONTWRITEBYTECODE, as on this project's
    machine), every `forum build` would compile its sixty modules again (0.1 s), which no
    installed copy does and which plain MkDocs, installed, never pays."""
    for folder in (ROOT / "sync", ROOT / "hooks"):
        compileall.compile_dir(str(folder), quiet=1)


def forum_build(folder: Path, credentials: Path, full: bool = True) -> Run:
    """`forum build`; full: every page built (as after a change of code or credentials),
    else what a sync's rebuild does (unchanged topics' pages copied from the last build)."""
    environment = {**os.environ, "FORUM_CREDENTIALS": str(credentials), "FORUM_STATS_AS_OF": "2026-11-25"}
    command = [sys.executable, "-m", "sync.cli", "build", "--project", str(folder)]
    return timed(command + (["--full"] if full else []), environment, folder)


def write_baseline(folder: Path, forum_folder: Path) -> None:
    """The same topic pages as ordinary Markdown, one per topic and language, for MkDocs alone."""
    forum = load_forum(forum_folder / "content", ("en", "fr", "es"))
    docs = folder / "docs"
    for language in ("en", "fr", "es"):
        for topic in forum.topics:
            lines = [f"# {topic.title_in(language)}", "", topic.body, ""]
            for reply in topic.replies:
                shown = reply.translation(language)
                lines += [f"## {reply.member_state} — {reply.author} — {reply.date:%Y-%m-%d}", ""]
                lines += [shown.body if shown else reply.body, ""]
            page = docs / language / "topics" / f"{topic_slug(topic.id)}.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text("\n".join(lines), encoding="utf-8")
    (docs / "index.md").write_text("# Forum\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: Baseline\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
        "nav:\n  - index.md\n",
        encoding="utf-8",
    )


def baseline_build(folder: Path) -> Run:
    return timed([sys.executable, "-m", "mkdocs", "build", "--quiet"], dict(os.environ), folder)


def add_reply(folder: Path, number: int = 0) -> None:
    """One new reply in the newest topic, as a sync would write it."""
    topic = sorted((folder / "content" / "topics").iterdir())[-1]
    name = f"DC_benchnew{number or ''}"
    (topic / f"{name}.md").write_text(
        f"---\nid: {name}\nauthor: delegate-br\nmember_state: BR\nlanguage: en\n"
        f"date: 2026-11-24T10:{number % 60:02d}:00Z\n---\n\nOne more reply, written after the full build.\n",
        encoding="utf-8",
    )


def _page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _key_file(page: str, reference: str) -> dict:
    """A key file the served page names, as the browser fetches it."""
    return json.loads(_page(urljoin(page, reference)) or "{}")


def _shown(url: str, keys: dict[str, str], text: str) -> bool:
    html = _page(url)
    return bool(html) and text in (open_page(html, keys) or "")


def live_reload(saves: int) -> tuple[list[float], list[float]]:
    """`forum serve --demo` on a copy of the checkout: seconds from saving a reply's file to
    the served topic page showing its new text, for an edited reply and for a new one."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "forum"
        folder.mkdir()
        shutil.copy2(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
        shutil.copytree(ROOT / "content", folder / "content")
        shutil.copytree(ROOT / "hooks", folder / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
        forum = load_forum(folder / "content", ("en", "fr", "es"))
        shown = next(t for t in forum.topics if t.replies)  # the newest topic with replies
        topic_id, topic, reply = shown.id, shown.path.parent, shown.replies[0].path
        original = reply.read_text(encoding="utf-8")
        port = free_port()
        url = f"http://127.0.0.1:{port}/topics/{topic_slug(topic_id)}/"
        command = [sys.executable, "-m", "sync.cli", "serve", "--demo", "--port", str(port)]
        log = (folder / "serve.log").open("w")  # what the server said, for a failure's message
        server = subprocess.Popen([*command, "--project", str(folder)], stdout=subprocess.DEVNULL, stderr=log)
        try:
            deadline = time.monotonic() + 300
            while not (html := _page(url)) and time.monotonic() < deadline:
                time.sleep(0.2)
            keys = sign_in(
                html, "BR", demo_password("BR"), key_files=lambda ref: json.loads(_page(urljoin(url, ref)))
            )
            if not keys:
                raise SystemExit(f"{url}: not served, or the demo credential does not open it")
            edits, additions = [], []
            for n in range(saves):
                text = f"Edited for the live-reload check number {n}"
                edited = original.replace("\n\n", f"\n\n{text}. ", 1)
                edits.append(_saved(reply, edited, url, keys, text, folder / "serve.log"))
                text = f"A new reply for the live-reload check number {n}"
                new = topic / f"DC_livereload{n}.md"
                body = f"---\nid: DC_livereload{n}\nauthor: delegate-br\nmember_state: BR\nlanguage: en\n"
                body += f"date: 2026-11-24T10:00:00Z\n---\n\n{text}.\n"
                additions.append(_saved(new, body, url, keys, text, folder / "serve.log"))
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
            if os.environ.get("BENCH_SERVE_LOG"):
                print((folder / "serve.log").read_text(), file=sys.stderr)
    return edits, additions


def _saved(path: Path, text: str, url: str, keys: dict[str, str], expected: str, log: Path) -> float:
    """Save a file as an editor does, once the server is idle, and time until the page shows
    `expected`."""
    quiet = waited = time.monotonic()
    while time.monotonic() - quiet < 1.0 and time.monotonic() - waited < 300:  # built it all, 1 s ago
        said = log.read_text(encoding="utf-8").strip().splitlines()
        if not said or not said[-1].startswith("Built") or said[-1].endswith("follow"):
            quiet = time.monotonic()
        time.sleep(0.1)
    started = time.perf_counter()
    path.write_text(text, encoding="utf-8")
    while not _shown(url, keys, expected):
        if time.perf_counter() - started > 120:
            raise SystemExit(f"{url} never showed {expected!r}")
        time.sleep(0.02)
    return time.perf_counter() - started


def print_live_reload(saves: int) -> None:
    edits, additions = live_reload(saves)
    for what, seconds in (("an edited reply", edits), ("a new reply", additions)):
        median = statistics.median(seconds)
        verdict = "met" if median <= LIVE_RELOAD_TARGET else "NOT met"
        print(
            f"live reload, forum serve --demo, {what}: median {median:.2f} s, worst {max(seconds):.2f} s "
            f"over {len(seconds)} saves (target: at most {LIVE_RELOAD_TARGET} s: {verdict})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[65, 130, 260, 520])
    parser.add_argument("--replies", type=int, default=30)
    parser.add_argument("--saves", type=int, default=7, help="saves timed in the live-reload figure")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="builds of each kind, the forum's and the baseline's one after the other (the machine's "
        "speed drifts within minutes): each pair printed, the table from the fastest of each",
    )
    arguments = parser.parse_args()
    compile_forum()
    if arguments.sizes:
        build_figures(arguments.sizes, arguments.replies, max(1, arguments.repeat))
    print_live_reload(arguments.saves)


def build_figures(sizes: list[int], replies: int, repeat: int = 1) -> None:
    """The table of full builds against the baseline, and the rebuild at the largest size;
    with `repeat`, each build that many times, alternately, the table from the fastest."""
    results: dict[int, tuple[Run, Run]] = {}
    if repeat > 1:
        print(
            f"each build {repeat} times, the forum's and the baseline's alternately; the table: the fastest"
        )
    print(
        "topics  pages  forum s  ms/page  peak MB  |  baseline pages  s  ms/page  peak MB  |  forum/baseline"
    )
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            folder = Path(scratch) / f"forum-{size}"
            credentials = generate(folder, size, replies)
            forum_build(folder, credentials)  # derives the 213 credentials' keys once (cached)
            plain_folder = Path(scratch) / f"baseline-{size}"
            write_baseline(plain_folder, folder)
            forums, baselines = [], []
            for run in range(repeat):
                # Measured cold, as MkDocs alone runs: no topic kept read from the build before.
                shutil.rmtree(folder / ".cache", ignore_errors=True)
                forums.append(forum_build(folder, credentials))
                baselines.append(baseline_build(plain_folder))
                if repeat > 1:
                    forum_s, baseline_s = forums[-1].seconds, baselines[-1].seconds
                    pair = forum_s / baseline_s
                    print(f"  run {run + 1}: forum {forum_s:.1f} s, baseline {baseline_s:.1f} s, {pair:.2f}")
            forum = min(forums, key=lambda r: r.seconds)
            baseline = min(baselines, key=lambda r: r.seconds)
            results[size] = (forum, baseline)
            print(
                f"{size:6d}  {forum.pages:5d}  {forum.seconds:7.1f}"
                f"  {1000 * forum.seconds / forum.pages:7.0f}"
                f"  {forum.peak_mb:7.0f}  |  {baseline.pages:14d}  {baseline.seconds:4.1f}"
                f"  {1000 * baseline.seconds / baseline.pages:7.0f}  {baseline.peak_mb:7.0f}"
                f"  |  {forum.seconds / baseline.seconds:14.2f}",
                flush=True,
            )
        largest = max(sizes)
        if 130 in results and largest != 130:
            ratio = results[largest][0].seconds / results[130][0].seconds
            print(
                f"time({largest})/time(130) = {ratio:.2f} (linear growth: at most {largest / 130 * 1.1:.1f})"
            )
        folder = Path(scratch) / f"forum-{largest}"
        rebuilds = []
        for run in range(repeat):
            add_reply(folder, run)
            rebuilds.append(
                forum_build(folder, folder.with_name(folder.name + ".credentials.yml"), full=False)
            )
        if repeat > 1:
            print("  rebuilds: " + ", ".join(f"{r.seconds:.1f} s" for r in rebuilds))
        rebuild = sorted(rebuilds, key=lambda r: r.seconds)[(len(rebuilds) - 1) // 2]  # the median
        share = rebuild.seconds / results[largest][0].seconds
        verdict = "met" if rebuild.seconds <= REBUILD_TARGET else "NOT met"
        verdict = verdict if largest == 520 else "measured at 520 only"
        print(
            f"rebuild after one new reply{' (median)' if repeat > 1 else ''}: {rebuild.seconds:.1f} s = "
            f"{share:.2f} of a full build, "
            f"peak {rebuild.peak_mb:.0f} MB (target at 520 topics: at most {REBUILD_TARGET} s: {verdict})"
        )
        pages = [p.stat().st_size for p in (folder / "site" / "topics").rglob("index.html")]
        print(f"topic page with {replies} replies, 213 credentials: {max(pages) / 1024:.0f} KB at most")


if __name__ == "__main__":
    main()
