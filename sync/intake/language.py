"""Which of the forum's languages a post is written in, guessed with lingua.

Only the languages switched on in mkdocs.yml are candidates: a reply is never filed as
Portuguese on a forum that has no Portuguese pages. The guess goes into the post's front
matter, where the moderator can correct it in the sync's pull request.
"""

from __future__ import annotations

import re
from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

# What says nothing about the language: code, links' targets, addresses, HTML tags.
_NOISE = re.compile(r"```.*?```|~~~.*?~~~|`[^`]*`|\]\([^)]*\)|https?://\S+|<[^>]*>", re.DOTALL)
_LETTER = re.compile(r"[^\W\d_]")
SAMPLE = 2000  # characters; a longer text decides nothing more and costs time


@cache
def _detector(languages: tuple[str, ...]) -> LanguageDetector:
    candidates = [Language.from_iso_code_639_1(IsoCode639_1.from_str(code)) for code in languages]
    if len(candidates) == 1:
        # lingua needs two candidates; any other one will never win against a forum language
        # on text in that language, and a text in neither is still filed under the forum's.
        candidates.append(Language.LATIN)
    return LanguageDetectorBuilder.from_languages(*candidates).build()


def detect_language(text: str, languages: tuple[str, ...]) -> str | None:
    """The ISO 639-1 code of `text`'s language among `languages`, or None if it cannot tell."""
    sample = _NOISE.sub(" ", text)[:SAMPLE]
    if len(_LETTER.findall(sample)) < 3:
        return None
    found = _detector(tuple(languages)).detect_language_of(sample)
    if found is None:
        return None
    code = found.iso_code_639_1.name.lower()
    return code if code in languages else None
