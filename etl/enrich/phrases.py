"""Finds listed phrases in a text by their lemmas: the matcher behind the country, topic and
agency taggers.

A phrase is looked up word by word, longest phrase first, so "Южна Корея" wins over "Корея".
Each word of the text offers several keys: its lemma, its lower-case form, and that form with
one of the language's listed endings cut off or replaced (`etl/reference/endings.yaml`). A
listed phrase matches when every word offers the key the listed word gave. Matching is by
whole words only.

Capitalization carries meaning: a phrase listed with a capital (`Чад`, `Polish`) matches only
a capitalized word in the text, one listed in capitals (`ЕС`, `USA`) only capitals; a phrase
listed in lower case matches in any case. A term listed as `stem*` matches any word that
starts with the stem, `*stem` any word that ends with it (German compounds: `*turnier`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from etl.lemmas import lemma, tokenize
from etl.reference import load_yaml

_WORD_JOINERS = re.compile(r"[-'’ʼ]")
MIN_STEM_CHARS = 3


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # as written
    start: int  # character offset in the tagged text
    keys: tuple[str, ...]  # lemma, lower case, lower case without a listed ending


@dataclass(frozen=True, slots=True)
class Entry:
    value: object
    phrase: str  # as listed in the reference file
    case: str  # "any", "capital" or "upper"

    def accepts(self, word: Word) -> bool:
        if self.case == "capital":
            return word.text[:1].isupper()
        if self.case == "upper":
            return word.text.isupper()
        return True


@dataclass(frozen=True, slots=True)
class Match:
    entry: Entry
    first: int  # index of the first word
    end: int  # index after the last word
    start: int  # character offset of the match in the text
    stop: int  # character offset after the match

    def surface(self, text: str) -> str:
        """The matched words as written in the text."""
        return " ".join(text[self.start : self.stop].split())


@lru_cache(maxsize=64)
def _endings(language: str | None) -> tuple[tuple[str, str], ...]:
    """(ending, replacement) pairs: `ей>я` replaces, a plain `ом` cuts."""
    table = load_yaml("endings.yaml") or {}
    pairs = [tuple(f"{rule}>".split(">")[:2]) for rule in table.get(language or "", ()) or ()]
    return tuple(sorted(pairs, key=lambda pair: len(pair[0]), reverse=True))


def _split(text: str) -> list[tuple[str, int]]:
    """Words with their offsets; hyphenated words and apostrophes split into their parts."""
    words: list[tuple[str, int]] = []
    position = 0
    for token in tokenize(text):
        position = text.index(token, position)
        offset = position
        for part in _WORD_JOINERS.split(token):
            if part:
                words.append((part, offset))
            offset += len(part) + 1
        position += len(token)
    return words


@lru_cache(maxsize=200_000)
def word_keys(word: str, language: str | None) -> tuple[str, ...]:
    lowered = word.casefold()
    keys = [lemma(word, language), lowered]
    for ending, replacement in _endings(language):
        if lowered.endswith(ending) and len(lowered) - len(ending) >= MIN_STEM_CHARS:
            keys.append(lowered[: -len(ending)] + replacement)
    return tuple(dict.fromkeys(keys))


@lru_cache(maxsize=16)
def words(text: str, language: str | None) -> tuple[Word, ...]:
    """The words of a text with their lookup keys; cached so that every tagger shares them."""
    return tuple(Word(w, start, word_keys(w, language)) for w, start in _split(text))


def _case_of(phrase: str) -> str:
    letters = [c for c in phrase if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return "upper"
    return "capital" if letters and letters[0].isupper() else "any"


class PhraseIndex:
    """Phrases of one language, each mapped to a value (a country code, a topic term ...)."""

    def __init__(self, language: str | None):
        self.language = language
        self._entries: dict[tuple[str, ...], Entry] = {}
        self._first_keys: set[str] = set()
        self._prefixes: dict[str, Entry] = {}
        self._prefix_lengths: set[int] = set()
        self._suffixes: dict[str, Entry] = {}
        self._suffix_lengths: set[int] = set()
        self._longest = 1

    def __len__(self) -> int:
        return len(self._entries) + len(self._prefixes) + len(self._suffixes)

    def add(self, phrase: str, value: object) -> None:
        """List a phrase; the first value listed for a phrase wins."""
        phrase = phrase.strip()
        entry = Entry(value, phrase, _case_of(phrase))
        if phrase.endswith("*"):
            stem = phrase[:-1].casefold()
            if stem and stem not in self._prefixes:
                self._prefixes[stem] = entry
                self._prefix_lengths.add(len(stem))
            return
        if phrase.startswith("*"):
            stem = phrase[1:].casefold()
            if stem and stem not in self._suffixes:
                self._suffixes[stem] = Entry(value, phrase, "any")
                self._suffix_lengths.add(len(stem))
            return
        parts = [w for w, _ in _split(phrase)]
        if not parts:
            return
        keys = {tuple(w.casefold() for w in parts)}
        # A single capitalized name is not lemmatized: the lemmatizer may take it for a common
        # word ("Мали" -> "малък"); its inflected forms in the text still reach it by lemma.
        if entry.case == "any" or len(parts) > 1:
            keys.add(tuple(lemma(w, self.language) for w in parts))
        for key in keys:
            self._entries.setdefault(key, entry)
            self._first_keys.add(key[0])
        self._longest = max(self._longest, len(parts))

    def find(self, text_words: tuple[Word, ...]) -> list[Match]:
        """Non-overlapping matches, scanning left to right, longest phrase first."""
        found: list[Match] = []
        i = 0
        while i < len(text_words):
            match = self._match_at(text_words, i)
            if match:
                found.append(match)
                i = match.end
            else:
                i += 1
        return found

    def _match_at(self, text_words: tuple[Word, ...], i: int) -> Match | None:
        first = text_words[i]
        if any(key in self._first_keys for key in first.keys):
            for length in range(min(self._longest, len(text_words) - i), 0, -1):
                span = text_words[i : i + length]
                for key in product(*(w.keys for w in span)):
                    entry = self._entries.get(key)
                    if entry and entry.accepts(first):
                        last = span[-1]
                        return Match(entry, i, i + length, first.start, last.start + len(last.text))
        for key in first.keys[:2]:
            for size in self._prefix_lengths:
                entry = self._prefixes.get(key[:size])
                if entry and len(key) >= size and entry.accepts(first):
                    return Match(entry, i, i + 1, first.start, first.start + len(first.text))
            for size in self._suffix_lengths:
                entry = self._suffixes.get(key[-size:])
                if entry and len(key) > size:
                    return Match(entry, i, i + 1, first.start, first.start + len(first.text))
        return None
