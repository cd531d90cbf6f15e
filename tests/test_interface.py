"""Interface strings: every language says everything, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from sync.i18n.interface import Interface, interface_languages


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_forum_speaks_the_six_un_languages() -> None:
    assert interface_languages() == ["ar", "en", "es", "fr", "ru", "zh"]


@pytest.mark.parametrize("language", ["ar", "es", "fr", "ru", "zh"])
def test_each_language_has_every_string_with_the_same_placeholders(language: str) -> None:
    english = Interface("en").strings
    other = Interface(language).strings

    assert set(other) == set(english)
    for key, text in english.items():
        assert placeholders(other[key]) == placeholders(text), f"{language}.yml: {key}"
        assert other[key].strip(), f"{language}.yml: {key} is empty"


def test_names_and_dates_come_in_the_readers_language() -> None:
    from datetime import UTC, datetime

    french, arabic = Interface("fr"), Interface("ar")

    assert french.member_state("MX") == "Mexique"
    assert french.language_name("es") == "espagnol"
    assert french.date(datetime(2026, 10, 5, tzinfo=UTC)) == "5 octobre 2026"
    assert arabic.direction == "rtl" and french.direction == "ltr"


def test_a_language_without_strings_is_refused_with_a_way_out() -> None:
    with pytest.raises(LookupError, match=r"no interface strings for 'de': add .*de\.yml"):
        Interface("de")
