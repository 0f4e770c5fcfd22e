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

from etl.lemmas import fold, lemma
from etl.reference import load_yaml

_WORD_PART = re.compile(r"[^\Wʼ]+")  # word characters; hyphens and apostrophes split words
MIN_STEM_CHARS = 3
MAX_MEMO = 200_000
_UNSEEN = object()


@dataclass(slots=True)  # not frozen: a frozen dataclass costs 4x to build, per word
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
    rules = [fold(rule, language) for rule in table.get(language or "", ()) or ()]
    pairs = [tuple(f"{rule}>".split(">")[:2]) for rule in rules]
    return tuple(sorted(pairs, key=lambda pair: len(pair[0]), reverse=True))


def _split(text: str) -> list[tuple[str, int]]:
    """Words with their offsets; hyphenated words and apostrophes split into their parts."""
    return [(match.group(), match.start()) for match in _WORD_PART.finditer(text)]


@lru_cache(maxsize=200_000)
def word_keys(word: str, language: str | None) -> tuple[str, ...]:
    lowered = fold(word, language)
    keys = [fold(lemma(word, language), language), lowered]
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
        self._beginnings: set[tuple[str, ...]] = set()  # every listed key and its beginnings
        self._first_words: set[str] = set()  # keys a listed phrase can start with
        self._prefixes: dict[str, Entry] = {}
        self._prefix_lengths: set[int] = set()
        self._suffixes: dict[str, Entry] = {}
        self._suffix_lengths: set[int] = set()
        self._affix_memo: dict[str, Entry | None] = {}  # word as written -> its affix entry

    def __len__(self) -> int:
        return len(self._entries) + len(self._prefixes) + len(self._suffixes)

    def add(self, phrase: str, value: object) -> None:
        """List a phrase; the first value listed for a phrase wins."""
        phrase = phrase.strip()
        entry = Entry(value, phrase, _case_of(phrase))
        if phrase.endswith("*"):
            stem = fold(phrase[:-1], self.language)
            if stem and stem not in self._prefixes:
                self._prefixes[stem] = entry
                self._prefix_lengths.add(len(stem))
            return
        if phrase.startswith("*"):
            stem = fold(phrase[1:], self.language)
            if stem and stem not in self._suffixes:
                self._suffixes[stem] = Entry(value, phrase, "any")
                self._suffix_lengths.add(len(stem))
            return
        parts = [w for w, _ in _split(phrase)]
        if not parts:
            return
        keys = {tuple(fold(w, self.language) for w in parts)}
        # A single capitalized name is not lemmatized: the lemmatizer may take it for a common
        # word ("Мали" -> "малък"); its inflected forms in the text still reach it by lemma.
        if entry.case == "any" or len(parts) > 1:
            keys.add(tuple(fold(lemma(w, self.language), self.language) for w in parts))
        for key in keys:
            self._entries.setdefault(key, entry)
            self._beginnings.update(key[:n] for n in range(1, len(key) + 1))
            self._first_words.add(key[0])

    def find(self, text_words: tuple[Word, ...]) -> list[Match]:
        """Non-overlapping matches, scanning left to right, longest phrase first."""
        first_words, affixes = self._first_words, bool(self._prefixes or self._suffixes)
        starts = [  # a cheap pass picks the words a phrase can start at
            i
            for i, w in enumerate(text_words)
            if not first_words.isdisjoint(w.keys) or (affixes and self._affix_entry(w))
        ]
        found: list[Match] = []
        taken_until = 0
        for i in starts:
            if i < taken_until:
                continue
            match = self._match_at(text_words, i)
            if match:
                found.append(match)
                taken_until = match.end
        return found

    def _match_at(self, text_words: tuple[Word, ...], i: int) -> Match | None:
        """The longest listed phrase starting at word i: keys grow word by word, and only
        while they still begin some listed phrase."""
        first = text_words[i]
        best: Match | None = None
        partial = [(key,) for key in first.keys if key in self._first_words]
        end = i + 1
        while partial:
            entry = next(
                (e for e in map(self._entries.get, partial) if e and e.accepts(first)), None
            )
            if entry:
                last = text_words[end - 1]
                best = Match(entry, i, end, first.start, last.start + len(last.text))
            if end == len(text_words):
                break
            following = text_words[end].keys
            longer = ((*key, k) for key in partial for k in following)
            partial = [key for key in longer if key in self._beginnings]
            end += 1
        if best is None and (self._prefixes or self._suffixes):
            entry = self._affix_entry(first)
            if entry:
                best = Match(entry, i, i + 1, first.start, first.start + len(first.text))
        return best

    def _affix_entry(self, word: Word) -> Entry | None:
        """The `stem*` or `*stem` entry a word's lemma or lower-case form matches (memoized)."""
        entry = self._affix_memo.get(word.text, _UNSEEN)
        if entry is _UNSEEN:
            if len(self._affix_memo) > MAX_MEMO:
                self._affix_memo.clear()
            entry = self._affix_memo[word.text] = self._find_affix_entry(word)
        return entry

    def _find_affix_entry(self, word: Word) -> Entry | None:
        for key in word.keys[:2]:
            for size in self._prefix_lengths:
                entry = self._prefixes.get(key[:size]) if len(key) >= size else None
                if entry and entry.accepts(word):
                    return entry
            for size in self._suffix_lengths:
                entry = self._suffixes.get(key[-size:]) if len(key) > size else None
                if entry:
                    return entry
        return None
