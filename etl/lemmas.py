"""Word tokens and their lemmas, per language: the one analyzer shared by the taggers and search.

simplemma does the lemmatization; results are memoized per (word, language) because news
vocabulary repeats heavily and a dictionary lookup costs tens of microseconds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries import DefaultDictionaryFactory

# simplemma files Serbian, Croatian and Bosnian under one code.
_SIMPLEMMA_CODES = {"sr": "hbs", "hr": "hbs", "bs": "hbs"}
_SUPPORTED = frozenset(
    "ar bg ca cs cy da de el en es et fa fi fr ga gl hbs he hi hu hy id is it ka la lb lt lv mk "
    "ml ms nb nl nn pl pt ro ru sk sl sq sv sw tl tr uk".split()
)
# simplemma's default keeps 8 dictionaries in memory; with more languages in one corpus it
# reloads them again and again (seconds each), so keep one per supported language.
_LEMMATIZER = Lemmatizer(
    lemmatization_strategy=DefaultStrategy(
        dictionary_factory=DefaultDictionaryFactory(cache_max_size=len(_SUPPORTED))
    )
)
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# Languages whose words are compared without accents (`fold`): Greek drops the tonos in
# capitals (ΕΛΛΑΔΑ for Ελλάδα) and writers often leave it or the diaeresis out.
_ACCENTLESS = frozenset({"el"})
_ACCENTS = dict.fromkeys(map(ord, "\u0300\u0301\u0308\u0313\u0314\u0342\u0345"))
# casefold() turns Greek final ς into σ, and simplemma's Greek dictionary spells it ς: the
# lemmatizer gets the lower-case form of these languages instead (str.lower keeps final sigma).
_LOWER_FOR_LEMMATIZER = frozenset({"el"})


def tokenize(text: str) -> list[str]:
    """Words of the text, in order, as written (hyphenated words and apostrophes kept whole)."""
    return _WORD.findall(text)


def lemmatizer_code(language: str | None) -> str | None:
    """simplemma's code for an ISO 639-1 language, or None when it has no dictionary."""
    code = _SIMPLEMMA_CODES.get(language or "", language)
    return code if code in _SUPPORTED else None


@lru_cache(maxsize=500_000)
def lemma(word: str, language: str | None) -> str:
    """Lower-case lemma of one word; the lower-cased word itself when the language is unknown."""
    code = lemmatizer_code(language)
    lowered = word.casefold()
    if code is None:
        return lowered
    query = word.lower() if code in _LOWER_FOR_LEMMATIZER else lowered
    return _LEMMATIZER.lemmatize(query, lang=code).casefold()


@lru_cache(maxsize=500_000)
def fold(word: str, language: str | None) -> str:
    """The form words are compared in: case-folded, and without accents where a language
    writes them inconsistently (Greek: Ελλάδας, ΕΛΛΑΔΑΣ and ελλαδας fold alike)."""
    folded = word.casefold()
    if language not in _ACCENTLESS:
        return folded
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", folded).translate(_ACCENTS))


def lemmas(text: str, language: str | None) -> list[str]:
    """Lemmas of every word of the text, in order."""
    return [lemma(word, language) for word in tokenize(text)]
