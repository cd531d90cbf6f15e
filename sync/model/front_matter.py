"""A post's front matter as PyYAML's safe loader reads it, without its cost on the usual files.

Reading an archive is reading tens of thousands of front matters; even with libyaml's parser,
PyYAML builds every document in Python, and that was half of a full build's reading. Almost
every file holds a few `key: value` lines of plain words, identifiers and dates, as the sync
and translators write them. Those lines are read here directly; each key and value is typed
by PyYAML's own resolver, and a date by its own constructor, so that the result is the one
`yaml.load` gives. Anything else (quotes, comments, lists, a number, true or null, a second
line of a value, a key twice) is left to `yaml.load`: a shortcut that can only say "not
mine" cannot read a file differently.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from sync.model.roster import FAST_LOADER

# `key: value` where both are single-line plain scalars that start and end with a word
# character, a dot or a slash; inside, only characters with no meaning to YAML there. A
# colon is allowed inside a value but never before a space (the start of a mapping).
_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): ([A-Za-z0-9](?:[A-Za-z0-9_.:/?=&%+~ -]*[A-Za-z0-9_./])?)")
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()


def load_front_matter(header: str) -> Any:
    """The front matter's fields, as `yaml.load(header, Loader=FAST_LOADER)` returns them
    (and raising what it raises)."""
    return _plain_fields(header) or yaml.load(header, Loader=FAST_LOADER)


def _plain_fields(header: str) -> dict[str, Any] | None:
    """The fields of a front matter made only of plain `key: value` lines, else None."""
    fields: dict[str, Any] = {}
    for line in header.split("\n"):
        if not line:
            continue  # blank lines between fields mean nothing to YAML
        match = _LINE.fullmatch(line)
        if match is None or ": " in match[2] or match[1] in fields:
            return None
        key, value = match[1], match[2]
        if _tag(key) != _STR:
            return None  # `on:`, `yes:`, `null:`… are not text to YAML 1.1
        tag = _tag(value)
        if tag == _STR:
            fields[key] = value
        elif tag == _TIMESTAMP:
            fields[key] = _moment(value)
        else:
            return None  # a number, a truth value, null: left to YAML as it is
    return fields or None


# Keys, languages, member states, logins and translators' names come back again and again.
@lru_cache(maxsize=4096)
def _tag(scalar: str) -> str:
    return _RESOLVER.resolve(ScalarNode, scalar, (True, False))


@lru_cache(maxsize=4096)
def _moment(scalar: str) -> Any:
    return _CONSTRUCTOR.construct_yaml_timestamp(ScalarNode(_TIMESTAMP, scalar))
