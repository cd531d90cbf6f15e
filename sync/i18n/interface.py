"""The forum's words in the reader's language: interface strings, names and dates.

Interface strings live in `sync/i18n/locales/<language>.yml`; names of member states and
languages and the shape of dates come from CLDR through Babel, so that switching Arabic,
Chinese or Russian on needs no translation work beyond those files.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path

import yaml
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit

from sync.model.roster import FAST_LOADER

LOCALES = Path(__file__).parent / "locales"


def interface_languages() -> list[str]:
    """The languages the forum has interface strings for."""
    return sorted(path.stem for path in LOCALES.glob("*.yml"))


@cache
def _strings(language: str) -> dict[str, str]:
    path = LOCALES / f"{language}.yml"
    if not path.is_file():
        raise LookupError(
            f"The forum has no interface strings for {language!r}: add {path} "
            f"(available: {', '.join(interface_languages())})"
        )
    return yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER)


@cache
def _names(language: str) -> tuple[dict[str, str], dict[str, str]]:
    """CLDR's names of territories and languages in `language`, looked up for every post of
    every listing: read out of Babel once per process."""
    locale = Locale.parse(language)
    return dict(locale.territories), dict(locale.languages)


# Every post's date, every count of every listing and every share and duration of the
# statistics is written through these: Babel's formatting costs microseconds each, and a
# ten-year archive has few distinct ones.
@lru_cache(maxsize=65536)
def _number(language: str, value: float) -> str:
    return format_decimal(value, locale=Locale.parse(language))


@lru_cache(maxsize=65536)
def _long_date(language: str, day: date) -> str:
    return format_date(day, format="long", locale=Locale.parse(language))


@lru_cache(maxsize=16384)
def _percent(language: str, share: float) -> str:
    return format_percent(share, locale=Locale.parse(language))


@lru_cache(maxsize=16384)
def _hours(language: str, hours: float) -> str:
    return format_unit(hours, "duration-hour", length="short", locale=Locale.parse(language))


class Interface:
    """Everything a page needs to speak one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.strings = _strings(language)
        self.locale = Locale.parse(language)
        self._territories, self._languages = _names(language)

    def __call__(self, key: str, **values: object) -> str:
        """The interface string `key`, with its {placeholders} filled in (numbers as this
        language writes them: 12,345, 12 345, 12.345…)."""
        filled = {name: self.number(v) if isinstance(v, int) else v for name, v in values.items()}
        return self.strings[key].format(**filled)

    def number(self, value: float) -> str:
        """A number as this language writes it (CLDR): 12,345.5, 12 345,5…"""
        return _number(self.language, value)

    def percent(self, share: float) -> str:
        """A share (0.25) as this language writes a percentage: 25 %, 25%…"""
        return _percent(self.language, share)

    def hours(self, hours: float) -> str:
        """A number of hours, short, as this language writes it: 2.5 h, 2,5 h…"""
        return _hours(self.language, hours)

    def sentences(self, *sentences: str) -> str:
        """Sentences one after the other: a space between them, none in Chinese."""
        return ("" if self.language == "zh" else " ").join(sentences)

    def listing(self, items: list[str]) -> str:
        """Items of a table cell or a byline, separated as this language separates them
        (", " in English, "، " in Arabic, "、" in Chinese); CLDR's list patterns add an
        "and", which suits a sentence and not a column of names."""
        return self.strings["list_separator"].join(items)

    @property
    def direction(self) -> str:
        """`rtl` for right-to-left languages such as Arabic, else `ltr`."""
        return direction(self.language)

    def language_name(self, code: str) -> str:
        """A language's name as readers of this language write it (français: « espagnol »)."""
        return self._languages.get(code, code)

    def member_state(self, code: str) -> str:
        """A member state's name in this language, from its ISO 3166 code."""
        return self._territories.get(code, code)

    def date(self, moment: datetime | date) -> str:
        """A date as this language writes it: 5 octobre 2026, October 5, 2026…"""
        day = moment.date() if isinstance(moment, datetime) else moment  # as Babel does
        return _long_date(self.language, day)


@cache
def direction(language: str) -> str:
    """`rtl` for right-to-left languages, else `ltr`."""
    return "rtl" if Locale.parse(language).character_order == "right-to-left" else "ltr"
