"""Bodies from GitHub: cleaned of unsafe HTML, and otherwise kept as written."""

from __future__ import annotations

import html
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from syncworld import World

from sync.intake.sanitize import sanitize_body
from sync.model.content import normal_body, read_file, write_post
from sync.model.domain import Reply
from sync.model.folders import slug
from sync.site.posts import _EXTENSIONS

pytest_plugins = ["syncfixtures"]  # the fake GitHub's fixtures, and `world`

UNSAFE_ELEMENTS = {"script", "style", "iframe", "object", "embed", "frame", "svg", "math", "form", "img"}


def unsafe_parts(body: str) -> list[str]:
    """What in a body, rendered by the forum's Markdown *without* the render-time cleaning,
    could run code, embed a page or load an image from elsewhere."""
    soup = BeautifulSoup(markdown.markdown(body, extensions=_EXTENSIONS), "html.parser")
    found = [f"<{element.name}>" for element in soup.find_all(UNSAFE_ELEMENTS)]
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            plain = "".join(html.unescape(text).split()).lower()
            if name.lower().startswith("on") or plain.startswith(("javascript:", "vbscript:", "data:")):
                found.append(f"{element.name}[{name}={text}]")
    return found


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("Hello <script>alert('x')</script>world", "Hello world"),
        ('<div onclick="steal()" class="note">Note</div>', "<div>Note</div>"),
        ('Watch <iframe src="https://evil.example"></iframe>this', "Watch this"),
        (
            "[Click](javascript:alert(document.cookie)) here",
            "[Click](#javascript:alert(document.cookie)) here",
        ),
        (
            "[x](  JAVA\tscript:x) [y](&#100;ata:text/html)",
            "[x](  #JAVA\tscript:x) [y](#&#100;ata:text/html)",
        ),
        ("[y]: vbscript:x\n\n[y]", "[y]: #vbscript:x\n\n[y]"),
        ('<a href="JaVa&#x53;cript:alert(1)">link</a>', "<a>link</a>"),
        ("<style>body{display:none}</style>Visible", "Visible"),
        ("<scr<script>x</script>ipt>alert(1)</script>", "&lt;script>alert(1)"),
        (
            "![chart](https://github.com/user-attachments/assets/1b2c3d)",
            "[chart](https://github.com/user-attachments/assets/1b2c3d)",
        ),
        (
            '<img width="300" alt="Screenshot" src="https://private-user-images.githubusercontent.com/1/a.png?jwt=x">',
            "[Screenshot](https://private-user-images.githubusercontent.com/1/a.png?jwt=x)",
        ),
        (
            "![](https://user-images.githubusercontent.com/1/b.png)",
            "[image](https://user-images.githubusercontent.com/1/b.png)",
        ),
        (
            "See `<b>` and\n\n```html\n<script>ok()</script>\n```\n",
            "See `<b>` and\n\n```html\n<script>ok()</script>\n```\n",
        ),
        ("<div>\n`<script>alert(1)</script>`\n</div>", "<div>\n``\n</div>"),
        ("```<script>alert(1)</script>", "```"),
        (
            "<details><summary>More</summary>\n\nHidden text\n</details>",
            "<details><summary>More</summary>\n\nHidden text\n</details>",
        ),
        ("Line one\r\nLine two", "Line one\nLine two"),
        (
            "Ask <delegate@example.org> or see <https://www.wipo.int>",
            "Ask <delegate@example.org> or see <https://www.wipo.int>",
        ),
    ],
)
def test_unsafe_html_is_removed_and_the_rest_kept(written: str, kept: str) -> None:
    assert sanitize_body(written) == kept
    assert unsafe_parts(sanitize_body(written)) == []


# Pieces that make HTML, Markdown and their tricks, shuffled by hypothesis.
FRAGMENTS = [
    "<script>",
    "</script>",
    "<scr",
    "ipt>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=x>",
    '<a href="',
    "javascript:alert(1)",
    '">',
    "<div onmouseover='x'>",
    "</div>",
    "[a](",
    ")",
    "![i](",
    "https://x.org/i.png",
    "`",
    "```\n",
    "~~~\n",
    "\n",
    "\n\n",
    " ",
    "text",
    "<",
    ">",
    '"',
    "'",
    "=",
    "on",
    "!",
    "[",
    "]",
    "(",
    "/",
    "&#106;",
    "&",
    ";",
    "<!--",
    "-->",
    "<svg>",
    "<style>",
    "data:",
    "<b>",
    "</b>",
    "    ",
    "> ",
    "- ",
    "---",
    "[x]: https://x.org/i.png\n",
    "![x]",
    "[x]",
    "<https://a.org>",
    "<javascript:x>",
    "\\",
    "{",
    "}",
    ".js",
    "\t",
    "\x02",
]
bodies = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(bodies)
def test_sanitized_bodies_render_nothing_unsafe_and_stay_put(body: str) -> None:
    clean = sanitize_body(body)
    assert unsafe_parts(clean) == []
    assert sanitize_body(clean) == clean


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_characters="<>&`[]!\r\x00\x02\x03", blacklist_categories=("Cs",))
    )
)
def test_text_without_markup_is_kept_as_written(body: str) -> None:
    assert sanitize_body(body) == body


def test_slugs_are_ascii_and_short() -> None:
    assert slug("Évaluer l'impact d'une stratégie nationale de PI : quels indicateurs ?") == (
        "evaluer-l-impact-d-une-strategie-nationale-de-pi"
    )
    assert slug("产权组织技术援助") == ""
    assert slug("  --Training--of  trainers  ") == "training-of-trainers"


BODIES = {
    "huge": "\n\n".join(f"Paragraph {n}: " + "capacity building " * 40 for n in range(90)),
    "emoji": "Merci 🙏🏽 ! Our team 👩‍👩‍👧‍👦 agrees 👍 🇧🇷",
    "right-to-left": "نحن ندرّب المدرّبين منذ عامين، مع متابعة كل ثلاثة أشهر.\nالمكتب الوطني: WIPO‏ 2026",  # noqa: RUF001
    "front matter look-alike": "---\ntitle: Not a title\nauthor: someone\n---\n\nThe text after it.\n\n---\n\nAnd a rule.",
    "code first": "    indented code keeps its indentation\n    second line\n\nThen text.",
    "hard breaks": "First line  \nSecond line\\\nThird line",
    "yaml specials": "key: value\n- item\n? question\n# not a heading in YAML\n'quoted' \"double\"",
}


def test_bodies_round_trip_unchanged_through_the_sync(world: World) -> None:
    topic = world.topic("Bodies of every kind", "Opening post")
    comments = {name: world.reply(topic, "br-ana", text) for name, text in BODIES.items()}
    world.sync_and_merge()
    assert len(BODIES["huge"]) > 60_000
    for name, comment in comments.items():
        _, stored = read_file(world.post_file(comment.id))
        assert stored == normal_body(BODIES[name]), name
    assert world.sync(full=True).commit is None  # and nothing to rewrite the next time


def test_an_empty_post_is_held_back_rather_than_written(world: World) -> None:
    empty = world.topic("A title only", "")
    world.reply(empty, "br-ana", "A reply to an empty opening post.")
    scripted = world.reply(world.topic("Scripted"), "fr-luc", "<script>alert(1)</script>")
    world.sync()
    pull = world.open_pull()
    assert pull is not None
    assert f"[opening post]({empty.url}) | empty (1 comments wait with it) |" in pull.body
    assert f"[comment]({scripted.url}) | empty once unsafe HTML is removed |" in pull.body


def test_unsafe_html_never_reaches_the_archive(world: World) -> None:
    topic = world.topic(
        "Safety", 'Opening <img src="https://github.com/user-attachments/assets/9" alt="map">'
    )
    comment = world.reply(
        topic, "mx-eva", 'Hola <a href="javascript:alert(1)" onclick="x()">enlace</a><script>x</script>'
    )
    world.sync_and_merge()
    assert read_file(world.post_file(comment.id))[1] == "Hola <a>enlace</a>"
    opening = next(world.archive.content.glob("topics/*/topic.md"))
    assert read_file(opening)[1] == "Opening [map](https://github.com/user-attachments/assets/9)"


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_body_that_is_kept_reads_back_as_written(text: str) -> None:
    body = normal_body(sanitize_body(text))
    if not body.strip():
        return  # held back as empty: never written
    with tempfile.TemporaryDirectory() as folder:
        reply = Reply(
            id="DC_x",
            author="br-ana",
            language="en",
            date=datetime(2026, 10, 5, tzinfo=UTC),
            body=body,
            path=Path(folder) / "DC_x.md",
        )
        write_post(reply)
        assert read_file(reply.path)[1] == body
