"""Post bodies rendered ahead of a large build, by worker processes beside this one.

Converting Markdown is most of a full build's time: 520 topics are some 32,000 posts and
translations, near a millisecond each, and a Python process renders on one processor.
Before the pages of a large build are made, the bodies they show are split into chunks;
workers take chunks from the first, this process from the last, until none is left; then
`posts.render_body` finds every body done. The HTML is the same: a worker runs the same
code (`posts.converted`) on the same text.

A worker is this module run as a program (`python -m sync.site.render_ahead`), fed chunks
on its standard input and answering on its standard output, rather than a process of
`multiprocessing`: that one imports the main module again, and so runs again any script
that builds without a `__main__` guard; a fork would copy whatever lock `forum serve`'s
server threads held. Anything going wrong with a worker costs only time: the bodies it
had are rendered here when a page shows them, and an error in one is met there, where a
page's errors are reported.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import IO

from sync.site import posts
from sync.site.programs import environment, program

WORTH_A_WORKER = 1000  # fewer bodies than this: a worker's start would cost what it saves
CHUNK = 200  # bodies a worker renders at once (about a fifth of a second)
_MOST_WORKERS = 3
_SIZE = 8  # bytes of a message's length, before the message

Take = Callable[[], "list[str] | None"]


def render_ahead(bodies: Iterable[str], workers: int | None = None) -> int:
    """Render these bodies (those not rendered yet) with `workers` processes beside this
    one (default: one per other processor, at most three); returns how many the workers
    rendered. Too few bodies, or no other processor: nothing is done ahead."""
    wanted = posts.not_rendered(bodies)
    workers = _other_processors() if workers is None else workers
    if workers < 1 or len(wanted) < WORTH_A_WORKER:
        return 0
    chunks = deque(wanted[start : start + CHUNK] for start in range(0, len(wanted), CHUNK))
    lock = threading.Lock()

    def take(first: bool) -> list[str] | None:
        with lock:
            return (chunks.popleft() if first else chunks.pop()) if chunks else None

    rendered: list[int] = []
    feeders = [
        threading.Thread(target=_feed, args=(lambda: take(True), rendered), daemon=True)
        for _ in range(workers)
    ]
    for feeder in feeders:
        feeder.start()
    while (chunk := take(False)) is not None:
        _render_here(chunk)
    for feeder in feeders:
        feeder.join()
    return sum(rendered)


def _feed(take: Take, rendered: list[int]) -> None:
    """One worker's share: chunks taken from the first until none is left. A worker that
    cannot start, or breaks, leaves the chunks to this process."""
    try:
        worker = subprocess.Popen(
            program(__name__),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=environment(),
        )
    except OSError:
        return
    try:
        while (chunk := take()) is not None:
            _send(worker.stdin, chunk)  # type: ignore[arg-type]
            answer = _received(worker.stdout)  # type: ignore[arg-type]
            if not isinstance(answer, list) or len(answer) != len(chunk):
                return  # not this module's answer: the rest is rendered here
            done = [(body, html) for body, html in zip(chunk, answer, strict=True) if isinstance(html, str)]
            posts.keep_rendered([body for body, _ in done], [html for _, html in done])
            rendered.append(len(done))
    except (OSError, ValueError, EOFError):
        return  # a worker gone: the chunk it had is rendered where a page shows it
    finally:
        _stop(worker)


def _stop(worker: subprocess.Popen[bytes]) -> None:
    for stream in (worker.stdin, worker.stdout):
        with contextlib.suppress(OSError):
            stream.close()  # type: ignore[union-attr]
    try:
        worker.wait(timeout=5)  # it stops at the end of its input
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _render_here(bodies: list[str]) -> None:
    for body in bodies:
        try:
            posts.render_body(body)
        except Exception:  # met again, and reported, when a page shows this body
            continue


def _send(stream: IO[bytes], value: object) -> None:
    data = marshal.dumps(value)
    stream.write(len(data).to_bytes(_SIZE, "big") + data)
    stream.flush()


def _received(stream: IO[bytes]) -> object:
    """One message (marshal: strings, lists and None only, never code run on loading)."""
    header = stream.read(_SIZE)
    if len(header) < _SIZE:
        raise EOFError
    size = int.from_bytes(header, "big")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return marshal.loads(data)


def _other_processors() -> int:
    """Processors this process may run on, but its own, up to _MOST_WORKERS."""
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = os.cpu_count() or 1
    return max(0, min(available - 1, _MOST_WORKERS))


def _serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """A worker: for each chunk of bodies, their HTML (None for a body that fails: the
    build renders it, and reports its error, itself)."""
    while True:
        try:
            bodies = _received(requests)
        except EOFError:
            return
        if not isinstance(bodies, list):
            return
        _send(answers, [_converted(body) for body in bodies])


def _converted(body: object) -> str | None:
    if not isinstance(body, str):
        return None
    try:
        return posts.converted(body)
    except Exception:  # see _serve
        return None


if __name__ == "__main__":
    _serve(sys.stdin.buffer, sys.stdout.buffer)
