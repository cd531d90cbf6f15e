"""A post's Markdown cut into what a translator translates: one segment per paragraph (a
Markdown block), its markup turned into numbered codes that a CAT tool shows as tags and a
translator cannot edit; and the way back, from translated segments to Markdown.

A code is either a pair around translatable text (emphasis, a link's text: XLIFF 1.2's
`<g>`) or a piece standing alone (inline code, a URL, raw HTML, a list marker: `<ph>`; a line
break: `<x/>`). The markup a code stands for is taken from the source again when the
translation comes back, so a translator's tool can neither change a link's address nor
break a code span; a code missing, repeated or unknown in a translation is an error naming
the segment.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# Inline markup, in the order Markdown reads it: code spans first (nothing inside them is
# markup), then images, links, autolinks and raw HTML, then emphasis, then bare addresses.
_INLINE = re.compile(
    r"(?P<code>(?P<ticks>`+).+?(?P=ticks))"
    r"|(?P<image>!\[[^\]\n]*\]\([^)\n]*\))"
    r"|(?P<link>\[(?P<link_text>[^\]\n]+)\](?P<link_target>\([^)\n]*\)))"
    r"|(?P<autolink><(?:https?://|mailto:)[^>\s]+>)"
    r"|(?P<html></?[A-Za-z][^>\n]*>)"
    r"|(?P<strong>(?P<strong_mark>\*\*|__)(?=\S)(?P<strong_text>.+?)(?<=\S)(?P=strong_mark))"
    r"|(?P<em>(?P<em_mark>\*|(?<!\w)_)(?=\S)(?P<em_text>[^*_\n]+?)(?<=\S)(?:\*|_(?!\w)))"
    r"|(?P<url>https?://[^\s<>()]+[^\s<>().,;:!?])",
)
# What opens a line of a block without being text: headings, list items, quotes, table pipes.
_LINE_START = re.compile(r"^[ \t]*(?:(?:#{1,6}|[-*+]|\d{1,9}[.)]|>)[ \t]+|>)*")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


@dataclass
class Code:
    """Markup standing for itself: `kind` is "ph" (a piece), "x" (a line break) or "g" (a
    pair around `children`, which are translated)."""

    id: str
    kind: str
    markup: str = ""  # the piece, or the pair's opening markup
    closing: str = ""  # the pair's closing markup
    children: list[Node] = field(default_factory=list)


Node = str | Code


@dataclass
class Segment:
    """One paragraph (or a title) to translate: its key in the post and its content."""

    key: str  # "title", "p1", "p2"…
    nodes: list[Node]

    def codes(self) -> dict[str, Code]:
        """Every code in the segment, by id."""
        return {code.id: code for code in walk(self.nodes)}

    def text(self) -> str:
        """The segment's words (markup left out), for counting and for translation memories."""
        return plain(self.nodes)


@dataclass
class Skeleton:
    """A post's body as pieces: untranslated text (separators, code blocks) between segments."""

    pieces: list[str | Segment]

    def segments(self) -> list[Segment]:
        """The translatable paragraphs, in order."""
        return [piece for piece in self.pieces if isinstance(piece, Segment)]


def walk(nodes: list[Node]) -> list[Code]:
    """Every code in `nodes`, pairs before what they hold."""
    found: list[Code] = []
    for node in nodes:
        if isinstance(node, Code):
            found += [node, *walk(node.children)]
    return found


def plain(nodes: list[Node]) -> str:
    """The text of nodes without their markup."""
    return "".join(
        node if isinstance(node, str) else plain(node.children) if node.kind == "g" else " " for node in nodes
    ).strip()


def to_markdown(nodes: list[Node]) -> str:
    """Nodes written back as Markdown."""
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif node.kind == "g":
            out.append(node.markup + to_markdown(node.children) + node.closing)
        else:
            out.append(node.markup)
    return "".join(out)


class _Counter:
    def __init__(self) -> None:
        self.value = 0

    def next(self) -> str:
        self.value += 1
        return str(self.value)


def skeleton(body: str) -> Skeleton:
    """A post's Markdown as segments and the text between them."""
    pieces: list[str | Segment] = []
    block: list[str] = []
    fence: str | None = None
    lines = body.split("\n")

    def flush(last: bool = False) -> None:
        if block:
            pieces.append(_block(block, f"p{sum(isinstance(p, Segment) for p in pieces) + 1}"))
            pieces.append("" if last else "\n")  # the paragraph's last line break
            block.clear()

    for index, line in enumerate(lines):
        newline = "\n" if index < len(lines) - 1 else ""
        if fence is not None:  # inside a fenced code block: nothing to translate
            pieces.append(line + newline)
            if line.strip().startswith(fence):
                fence = None
        elif match := _FENCE.match(line):
            flush()
            fence = match[1]
            pieces.append(line + newline)
        elif not line.strip() or (line.startswith(("    ", "\t")) and not block):
            flush()  # a blank line ends a paragraph; an indented block is code
            pieces.append(line + newline)
        else:
            block.append(line)
    flush(last=True)
    return Skeleton(_merge_text(pieces))


def _merge_text(pieces: list[str | Segment]) -> list[str | Segment]:
    merged: list[str | Segment] = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def _block(lines: list[str], key: str) -> Segment:
    """One paragraph: each line's leading marker and each line break become codes."""
    ids = _Counter()
    nodes: list[Node] = []
    for number, line in enumerate(lines):
        if number:
            nodes.append(Code(ids.next(), "x", "\n"))
        if _TABLE_RULE.match(line):
            nodes.append(Code(ids.next(), "ph", line))
            continue
        start = _LINE_START.match(line)
        marker = start[0] if start else ""
        if marker:
            nodes.append(Code(ids.next(), "ph", marker))
        nodes += _inline(line[len(marker) :], ids, table="|" in line)
    return Segment(key, nodes)


def _inline(text: str, ids: _Counter, table: bool = False) -> list[Node]:
    nodes: list[Node] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            nodes += _text(text[position : match.start()], ids, table)
        group = next(name for name in (*_PAIRS, *_PIECES) if match[name] is not None)
        if group == "link":
            code = Code(ids.next(), "g", "[", "]" + match["link_target"])
            code.children = _inline(match["link_text"], ids)
        elif group in ("strong", "em"):
            mark = match[f"{group}_mark"]
            inner = match[f"{group}_text"]
            code = Code(ids.next(), "g", mark, match[0][len(mark) + len(inner) :])
            code.children = _inline(inner, ids)
        else:
            code = Code(ids.next(), "ph", match[0])
        nodes.append(code)
        position = match.end()
    if position < len(text):
        nodes += _text(text[position:], ids, table)
    return nodes


_PAIRS = ("link", "strong", "em")
_PIECES = ("code", "image", "autolink", "html", "url")


def _text(text: str, ids: _Counter, table: bool) -> list[Node]:
    """Plain text; in a table row, its pipes are codes too."""
    if not table:
        return [text]
    nodes: list[Node] = []
    for index, part in enumerate(re.split(r"(\|)", text)):
        if index % 2:
            nodes.append(Code(ids.next(), "ph", part))
        elif part:
            nodes.append(part)
    return nodes


class PlaceholderError(ValueError):
    """A translation whose codes do not match its source's; the message says which."""


def restore(source: Segment, translated: list[Node]) -> str:
    """The Markdown of a translated segment, each code's markup taken from the source."""
    codes = source.codes()
    seen = Counter(code.id for code in walk(translated))
    for code_id, count in seen.items():
        if code_id not in codes:
            raise PlaceholderError(f"tag {code_id} is not in the source")
        if count > 1:
            raise PlaceholderError(f"tag {code_id} appears {count} times")
    missing = [code_id for code_id in codes if code_id not in seen]
    if missing:
        listed = ", ".join(missing)
        raise PlaceholderError(
            f"tags {listed} are missing" if len(missing) > 1 else f"tag {listed} is missing"
        )
    for code in walk(translated):
        if code.kind != codes[code.id].kind:
            raise PlaceholderError(f"tag {code.id} was <{codes[code.id].kind}> and is now <{code.kind}>")
    return to_markdown(_with_source_markup(translated, codes))


def _with_source_markup(nodes: list[Node], codes: dict[str, Code]) -> list[Node]:
    result: list[Node] = []
    for node in nodes:
        if isinstance(node, str):
            result.append(node)
            continue
        source = codes[node.id]
        children = _with_source_markup(node.children, codes)
        result.append(Code(node.id, source.kind, source.markup, source.closing, children))
    return result


def rebuild(skeleton_: Skeleton, translated: dict[str, str]) -> str:
    """The post's Markdown with each segment replaced by its translation's Markdown."""
    return "".join(
        translated[piece.key] if isinstance(piece, Segment) else piece for piece in skeleton_.pieces
    )
