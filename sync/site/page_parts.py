"""Parts of a built page cut out as text and encrypted in place: the navigation, header and
footer of a protected page, without parsing and re-writing the whole page (a BeautifulSoup
round trip per page was most of a large build)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from mkdocs.exceptions import PluginError


@dataclass(frozen=True)
class _Element:
    """An element of a rendered page: its start tag, its inside, and its end tag."""

    start: int  # where its start tag begins
    inside: int  # where its start tag ends
    close: int  # where its end tag begins
    end: int  # where its end tag ends


_ATTRIBUTE = r"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""


def _attribute(start_tag: str, name: str) -> str | None:
    match = re.search(_ATTRIBUTE.format(name=re.escape(name)), start_tag)
    if match is None:
        return None
    return next(value for value in match.groups() if value is not None)


def _elements(html: str, tag: str, attribute: str, name: str) -> list[_Element]:
    """Every `tag` element whose `attribute` names `name` (one of its classes, or its id),
    with its matching end tag: nested elements of the same tag are counted."""
    tags = re.compile(rf"<(/?){re.escape(tag)}\b[^>]*>", re.IGNORECASE)
    found: list[_Element] = []
    for opening in tags.finditer(html):
        if opening[1]:
            continue
        value = _attribute(opening[0], attribute)
        if value is None or (name not in value.split() if attribute == "class" else value != name):
            continue
        depth = 1
        for other in tags.finditer(html, opening.end()):
            depth += -1 if other[1] else 1
            if depth == 0:
                found.append(_Element(opening.start(), opening.end(), other.start(), other.end()))
                break
        else:
            raise PluginError(f"<{tag} {attribute}={name!r}> has no end tag in the rendered page")
    return found


def _hidden(start_tag: str) -> str:
    """The start tag with `display:none !important`, which tells encryptcontent's script
    that the element holds a cipher text to decrypt."""
    style = re.search(r'\sstyle\s*=\s*"([^"]*)"', start_tag)
    if style is None:
        return start_tag[:-1].rstrip("/").rstrip() + ' style="display:none !important">'
    kept = style[1].rstrip().rstrip(";")
    joined = f"{kept}; display:none !important" if kept else "display:none !important"
    return f"{start_tag[: style.start(1)]}{joined}{start_tag[style.end(1) :]}"


def encrypt_elements(html: str, targets: Mapping[str, Sequence[str]], encrypt: Callable[[str], str]) -> str:
    """Replace the inside of every targeted element with `encrypt(inside)` and hide it.

    `targets` is encryptcontent's `encrypted_something`: {name: [tag, "class" | "id"]}.
    An element inside another targeted one is encrypted with it, not on its own.
    """
    found = [_elements(html, tag, attribute, name) for name, (tag, attribute) in targets.items()]
    elements = sorted((element for each in found for element in each), key=lambda element: element.start)
    parts: list[str] = []
    written = 0
    for element in elements:
        if element.start < written:  # inside an element already encrypted
            continue
        parts += [
            html[written : element.start],
            _hidden(html[element.start : element.inside]),
            encrypt(html[element.inside : element.close].strip()),
            html[element.close : element.end],
        ]
        written = element.end
    parts.append(html[written:])
    return "".join(parts)
