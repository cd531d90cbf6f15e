"""The front matter's short way (sync.model.front_matter) reads a file as PyYAML does, or not
at all: whatever it returns is what `yaml.load` returns for the same text."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import yaml
from archive import ROOT

from sync.model import front_matter
from sync.model.config import Project
from sync.model.content import load_forum
from sync.model.roster import FAST_LOADER

# Scalars YAML 1.1 types otherwise than as text, and texts that look like them.
SCALARS = [
    *[
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "y",
        "n",
    ],
    *[
        "null",
        "Null",
        "NULL",
        "~",
        "0",
        "12",
        "-3",
        "+4",
        "0x1F",
        "0o17",
        "017",
        "0b101",
        "1_000",
        "1:20",
        "190:20:30",
        "3.5",
        ".5",
        "1e3",
        "1.0e+3",
    ],
    *[
        ".inf",
        "-.Inf",
        ".NaN",
        "2026-11-24",
        "2026-11-24T10:00:00Z",
        "2026-11-24t10:00:00z",
        "2026-1-4T1:00:00Z",
    ],
    *["2026-11-24T10:00:00.123+01:00", "2026-11-24T10:00:00-05", "2026-11-24T10:00:00.5Z"],
    "2026-11-24 10:00:00",
    "2026-11-24 10:00:00 +02:00",
    *[
        "DC_kwDOA1",
        "delegate-br",
        "BR",
        "en",
        "fr",
        "es",
        "zh-Hans",
        "a.b",
        "a/b",
        "a:b",
        "http://x.org/p?q=1&r=2",
        "x-",
        "-x",
        "x:",
        "a#b",
    ],
    "WIPO Language Service",
    "two  spaces",
    "a : b",
    "a: b",
    "a #b",
    "ends with colon:",
    "'quoted'",
    '"quoted"',
    "[a, b]",
    "{a: b}",
    "&anchor x",
    "*alias",
    "!tag x",
    "<<",
    "=",
    "@at",
    "%percent",
    "|",
    ">",
    "?",
    "?x",
    "Ünïcode",
    "tab\there",
]
KEYS = ["id", "author", "date", "on", "yes", "No", "null", "1", "a_b", "<<", "=", "x y", "Date"]


def _same_as_yaml(header: str) -> bool:
    """Whether the short way read it (and then as YAML does)."""
    try:
        expected = yaml.load(header, Loader=FAST_LOADER)
    except (yaml.YAMLError, ValueError):
        expected = "refused"
    shortcut = front_matter._plain_fields(header)
    if shortcut is not None:
        assert shortcut == expected, header
        assert [type(v) for v in shortcut.values()] == [type(v) for v in expected.values()], header
        for value, wanted in zip(shortcut.values(), expected.values(), strict=True):
            if isinstance(value, datetime):
                assert value.tzinfo == wanted.tzinfo, header
    # And the module's own answer is YAML's, whichever way it went.
    try:
        loaded = front_matter.load_front_matter(header)
    except (yaml.YAMLError, ValueError):
        loaded = "refused"
    assert loaded == expected, header
    return shortcut is not None


def test_every_kind_of_scalar_is_read_as_yaml_reads_it() -> None:
    read = [_same_as_yaml(f"\nid: DC_x\n{key}: {value}\n") for key in KEYS for value in SCALARS]
    assert 100 < sum(read) < len(read)  # both ways taken


def test_random_front_matters_are_read_as_yaml_reads_them() -> None:
    """Lines drawn from the characters that mean something to YAML, many times over."""
    draw = random.Random(16)
    alphabet = "ab01_-.:/ #'\"[]{},&*!|>?%@`~=+\t\r\\ünO"
    read = 0
    for _ in range(20000):
        lines = []
        for _ in range(draw.randint(1, 4)):
            key = draw.choice([*KEYS, "".join(draw.choices(alphabet, k=draw.randint(1, 4)))])
            letters = draw.choice([alphabet, "aO0_-.:/ +~=?&%"])  # all of YAML's, or the plain ones
            value = draw.choice([*SCALARS, "".join(draw.choices(letters, k=draw.randint(1, 12)))])
            forms = [f"{key}: {value}", f"{key}:{value}", f" {key}: {value}", ""]
            lines.append(draw.choices(forms, weights=(12, 1, 1, 1))[0])
        read += _same_as_yaml("\n" + "\n".join(lines) + "\n")
    assert read > 400  # the short way taken often enough to mean something


def test_the_usual_files_take_the_short_way_and_the_others_yaml() -> None:
    assert front_matter._plain_fields(
        "\nid: DC_kwDOA1\nauthor: delegate-br\nmember_state: BR\nlanguage: en\ndate: 2026-11-24T10:00:00Z\n"
    ) == {
        "id": "DC_kwDOA1",
        "author": "delegate-br",
        "member_state": "BR",
        "language": "en",
        "date": datetime(2026, 11, 24, 10, 0, tzinfo=UTC),
    }
    # Norway's code is false to YAML 1.1: left to YAML, whose answer the model then refuses.
    assert front_matter._plain_fields("\nid: DC_x\nmember_state: NO\n") is None
    assert front_matter._plain_fields("\ntitle: 'Quoted: a title'\n") is None
    assert front_matter._plain_fields("\nid: a\nid: b\n") is None


def test_the_demo_reads_the_same_with_and_without_the_short_way(monkeypatch) -> None:
    project = Project(ROOT)
    quick = load_forum(project.content, project.languages())
    monkeypatch.setattr(front_matter, "_plain_fields", lambda header: None)
    assert load_forum(project.content, project.languages()) == quick
