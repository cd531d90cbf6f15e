"""Posts rendered ahead of a large build by worker processes (sync.site.render_ahead): the
same HTML as rendered in the build's own process, whoever rendered it; a worker that is
missing or broken costs time, never a post."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from sync.site import posts, render_ahead

# Posts as a hostile delegate may write them: markup to be cleaned, headings to be moved,
# tables, nested lists, code, entities, right-to-left text, a long body.
HOSTILE = [
    "Hello <script>alert(1)</script> **world**",
    "# A heading\n\n## Another\n\ntext",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "- one\n  - two\n    - three\n\n1. first\n2. second",
    "```\n<b>code</b>\n```",
    '<img src=x onerror="alert(1)"> [link](javascript:alert(1)) &amp; &lt;',
    "مرحبا بالعالم، هذا نص عربي.\nسطر ثان.",
    "中文内容\u3001第二行\n第三行",
    "a line\nanother line",
    "long " * 5000,
    "",
]


def fresh(count: int) -> list[str]:
    """Bodies no test rendered before (render_body keeps what it rendered)."""
    mark = uuid.uuid4().hex
    return [f"{HOSTILE[index % len(HOSTILE)]}\n\npost {index} {mark}" for index in range(count)]


def test_a_worker_renders_what_the_build_would_render() -> None:
    bodies = fresh(30)
    chunks = [bodies[:20], bodies[20:]]
    rendered: list[int] = []
    render_ahead._feed(lambda: chunks.pop(0) if chunks else None, rendered)
    assert rendered == [20, 10]
    assert posts.not_rendered(bodies) == []
    assert [posts.render_body(body) for body in bodies] == [posts.converted(body) for body in bodies]
    assert "<script>" not in posts.render_body(bodies[0]) and "<h3>" in posts.render_body(bodies[1])


def test_the_worker_answers_each_chunk_until_its_input_ends() -> None:
    """The worker as the build runs it: chunks in, their HTML out, then a clean stop."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "sync.site.render_ahead"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        for chunk in (HOSTILE, ["only one"]):
            render_ahead._send(worker.stdin, chunk)
            assert render_ahead._received(worker.stdout) == [posts.converted(body) for body in chunk]
        render_ahead._send(worker.stdin, ["ok", 7, None])  # not text: nothing rendered for it
        assert render_ahead._received(worker.stdout) == [posts.converted("ok"), None, None]
    finally:
        worker.stdin.close()
        assert worker.wait(timeout=30) == 0
        worker.stdout.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_every_body_of_a_large_build_is_rendered_once_whoever_renders_it(
    monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(render_ahead, "WORTH_A_WORKER", 10)
    monkeypatch.setattr(render_ahead, "CHUNK", 7)
    bodies = fresh(400)
    by_workers = render_ahead.render_ahead(bodies + bodies[:50], workers)
    assert 0 <= by_workers <= len(bodies)
    assert posts.not_rendered(bodies) == []
    assert [posts.render_body(body) for body in bodies] == [posts.converted(body) for body in bodies]


@pytest.mark.parametrize("executable", ["/bin/false", "/nonexistent/python"])
def test_a_worker_that_cannot_start_or_answer_leaves_every_body_to_the_build(
    monkeypatch: pytest.MonkeyPatch, executable: str
) -> None:
    monkeypatch.setattr(render_ahead, "WORTH_A_WORKER", 10)
    monkeypatch.setattr(render_ahead, "CHUNK", 5)
    monkeypatch.setattr(sys, "executable", executable)
    bodies = fresh(60)
    assert render_ahead.render_ahead(bodies, 1) == 0
    assert [posts.render_body(body) for body in bodies] == [posts.converted(body) for body in bodies]


def test_a_worker_answering_nonsense_is_not_believed(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """An answer that is not one HTML text per body asked for is dropped, not kept."""
    liar = tmp_path / "liar.py"
    liar.write_text(
        "import marshal, sys\n"
        "header = sys.stdin.buffer.read(8)\n"
        "sys.stdin.buffer.read(int.from_bytes(header, 'big'))\n"
        "data = marshal.dumps(['<p>not this</p>'])\n"
        "sys.stdout.buffer.write(len(data).to_bytes(8, 'big') + data); sys.stdout.buffer.flush()\n"
    )
    monkeypatch.setattr(render_ahead, "WORTH_A_WORKER", 10)
    monkeypatch.setattr(render_ahead, "CHUNK", 5)
    monkeypatch.setattr(render_ahead, "__name__", "liar")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    bodies = fresh(40)
    chunks = [bodies[:5]]
    rendered: list[int] = []
    render_ahead._feed(lambda: chunks.pop(0) if chunks else None, rendered)
    assert rendered == [] and posts.not_rendered(bodies[:5]) == bodies[:5]
    assert render_ahead.render_ahead(bodies, 1) == 0
    assert [posts.render_body(body) for body in bodies] == [posts.converted(body) for body in bodies]


def test_few_bodies_or_no_other_processor_start_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_ahead.subprocess, "Popen", lambda *a, **k: pytest.fail("a worker started"))
    assert render_ahead.render_ahead(fresh(render_ahead.WORTH_A_WORKER - 1), 3) == 0
    assert render_ahead.render_ahead(fresh(render_ahead.WORTH_A_WORKER + 1), 0) == 0
