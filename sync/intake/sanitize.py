"""Making a body written on GitHub safe to keep in content/, without changing its meaning.

Bodies are Markdown from the outside world. Markdown passes raw HTML through, so the
HTML inside a body is cleaned here with nh3 (ammonia): no script, style, iframe or other
active element, no event handler, no `javascript:` link. Fenced code blocks are left as
written: Markdown shows them as text, never as HTML. Inline code is cleaned like prose,
because Markdown leaves it raw inside an HTML block, where it would run.

Images become links: GitHub's attachments need a GitHub session to load, and an image
from anywhere else would tell its host who reads the forum and when.

The site cleans every rendered post with nh3 again (`sync.site.posts.render_body`); cleaning
here as well means the moderator reviews, and the archive keeps, only what will be shown.
"""

from __future__ import annotations

import html
import re

import nh3
from markdown.extensions.fenced_code import FencedBlockPreprocessor

# Elements whose content is code or a document of its own: removed with everything inside.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript"}
    | {"noembed", "noframes", "template", "textarea", "title", "xmp", "svg", "math"}
)
VOID = frozenset({"area", "br", "col", "hr", "img", "wbr"})
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
MAX_PASSES = 5

_FENCED = FencedBlockPreprocessor.FENCED_BLOCK_RE
_HTML = re.compile(
    r"<!--.*?-->"  # comment
    r"|<\?.*?\?>"  # processing instruction
    r"|<!\[CDATA\[.*?\]\]>"
    r"|<![A-Za-z][^>]*>"  # declaration
    # An opening tag as a browser reads it: a name, then anything up to the first `>` that
    # is not inside quotes.
    r"|<(?P<name>[A-Za-z][A-Za-z0-9-]*)(?=[\s/>])(?:\"[^\"]*\"|'[^']*'|[^'\">])*>"
    r"|</(?P<close>[A-Za-z][A-Za-z0-9-]*)[^>]*>"  # closing tag
    r"|<(?P<scheme>[A-Za-z][A-Za-z0-9+.-]{1,31}):[^<>\s]*>"  # autolink
    r"|(?P<email><[\w.+-]+@[\w-]+(?:\.[\w-]+)+>)",  # e-mail autolink
    re.DOTALL,
)
# What is left of a tag the patterns above did not take (an unclosed quote, say) is shown
# as text rather than let a browser guess where it ends.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_IMAGE = re.compile(r"!(\[(?:[^\]\\]|\\.)*\])")  # inline, reference and shortcut images
# Where a Markdown link's destination starts: `[text](` and `[label]: ` definitions.
_DESTINATION = re.compile(r"\]\(\s*<?|^ {0,3}\[[^\]]+\]:\s*<?", re.MULTILINE)
# Where a link's title may open: after its destination, or after a reference definition's.
_TITLE = re.compile(r"""(?:\]\([^)\n]*?|^ {0,3}\[[^\]]+\]:[^\n]*?)["'(]""", re.MULTILINE)
_SRC = re.compile(r'\bsrc="([^"]*)"')
_ALT = re.compile(r'\balt="([^"]*)"')


def sanitize_body(body: str) -> str:
    """A body with unsafe HTML removed and images turned into links; code kept verbatim."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    text = text.replace("\x02", "").replace("\x03", "")  # Markdown's own markers, dropped there too
    # Removing a tag can join what surrounded it into a new one (`<scr<b></b>ipt>`): clean
    # until nothing changes.
    for _ in range(MAX_PASSES):
        cleaned = "".join(part if is_code else _clean_prose(part) for is_code, part in _segments(text))
        if cleaned == text:
            return cleaned
        text = cleaned
    return _TAG_START.sub("&lt;", text)


def _segments(text: str) -> list[tuple[bool, str]]:
    """The body cut into fenced code and prose, in order: (True, code) or (False, prose).

    A fence is code only where the site's Markdown reads it as code: its own pattern finds
    it, and a block it would not take (attributes in braces, no closing fence) stays prose.
    """
    parts: list[tuple[bool, str]] = []
    position = 0
    while (block := _FENCED.search(text, position)) is not None:
        if block["attrs"] is not None:
            parts.append((False, text[position : block.end()]))
        else:
            parts += [(False, text[position : block.start()]), (True, block[0])]
        position = block.end()
    return [*parts, (False, text[position:])]


def _clean_prose(text: str) -> str:
    text = _strip_html(text)
    text = _IMAGE.sub(_image_as_link, text)
    text = _DESTINATION.sub(_neutralize, text)
    return _TITLE.sub(_neutralize, text)


def _strip_html(text: str) -> str:
    out: list[str] = []
    position = 0
    while (tag := _HTML.search(text, position)) is not None:
        out.append(_TAG_START.sub("&lt;", text[position : tag.start()]))
        position = tag.end()
        name = (tag["name"] or "").lower()
        if name in DROPPED_WITH_CONTENT:
            end = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, position)
            position = end.end() if end else len(text)
        elif name:
            out.append(_clean_tag(tag[0], name))
        elif tag["close"]:
            closing = tag["close"].lower()
            out.append(f"</{closing}>" if closing in nh3.ALLOWED_TAGS and closing not in VOID else "")
        elif tag["scheme"]:
            out.append("" if _unsafe(tag[0][1:-1]) else tag[0])
        elif tag["email"]:
            out.append(tag[0])
    out.append(_TAG_START.sub("&lt;", text[position:]))
    return "".join(out)


def _clean_tag(tag: str, name: str) -> str:
    """One opening tag as nh3 would keep it: allowed elements with safe attributes only."""
    if name not in nh3.ALLOWED_TAGS:
        return ""
    cleaned = nh3.clean(tag if name in VOID else f"{tag}</{name}>", link_rel=None)
    if name == "img":
        return _image_link(cleaned)
    return cleaned.removesuffix(f"</{name}>")


def _image_link(img: str) -> str:
    src, alt = _SRC.search(img), _ALT.search(img)
    label = html.unescape(alt[1]).strip() if alt else ""
    label = label.replace("[", "").replace("]", "") or "image"
    return f"[{label}]({html.unescape(src[1])})" if src else label


def _image_as_link(image: re.Match[str]) -> str:
    """![alt](url) → [alt](url): a link to the image, not the image hot-linked."""
    return "[image]" if image[1] == "[]" else image[1]


def _neutralize(start: re.Match[str]) -> str:
    """A link to `javascript:` (or data:, vbscript:) becomes a link to `#javascript:…`: an
    anchor in the page, harmless, and still showing the moderator what was written."""
    rest = start.string[start.end() : start.end() + 60]
    return start[0] + "#" if _unsafe(rest) else start[0]


def _unsafe(url: str) -> bool:
    """True for a link that would run code or embed a document (entities decoded first)."""
    plain = re.sub(r"[\s\x00-\x1f]", "", html.unescape(url)).lower()
    return plain.startswith(UNSAFE_SCHEMES)
