"""The article's language (ISO 639-1) read from its title and body.

Two detectors choose among the languages listed in `etl/reference/languages.yaml`: py3langid
(fast, ~0.2 ms) decides when it is sure of a text long enough; short or unclear texts go to
lingua-language-detector, slower but stronger on little text. Then the alphabet check settles
the close Cyrillic languages when the text uses letters the pick lacks, and the marker words of
`etl/reference/serbian_croatian.yaml` (ekavian vs ijekavian forms, each standard's own words,
month names) settle Latin-script Serbian vs Croatian when their evidence is clear.

A language the input claimed is a hint: it stands when the text is too short to judge or the
detector is unsure; when the text clearly reads otherwise the text wins and `language_note`
keeps the disagreement.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from etl.record import Article
from etl.reference import load_yaml

SAMPLE_CHARS = 400  # detection cost grows with length; a paragraph is plenty
MIN_LETTERS = 20  # below this the text is too short to judge
CLEAR_CONFIDENCE = 0.9  # the detector's confidence needed to overrule the input's hint
FAST_MIN_LETTERS = 150  # py3langid decides alone only on texts at least this long ...
FAST_CONFIDENCE = 0.99  # ... and when it is at least this sure
MISSING_LETTER_SHARE = 0.004  # share of letters foreign to a language's alphabet it tolerates
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_SENTENCE_ENDS = frozenset(".!?:\"'«»„“”–—-\n")


@cache
def _config() -> dict:
    return load_yaml("languages.yaml")


@cache
def detector() -> LanguageDetector:
    languages = [
        Language.from_iso_code_639_1(IsoCode639_1.from_str(code)) for code in _config()["detect"]
    ]
    return (
        LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()
    )


@cache
def fast_detector() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([c for c in _config()["detect"] if c in identifier.nb_classes])
    return identifier


def normalize_hint(hint: str | None) -> str | None:
    """`bg-BG`, `sr_Latn`, `EN` -> `bg`, `sr`, `en`; None when it is not a language code."""
    if not hint:
        return None
    code = hint.strip().replace("_", "-").split("-")[0].lower()
    code = _config()["hint_aliases"].get(code, code)
    return code if len(code) == 2 and code.isalpha() else None


def _fits_alphabet(code: str, sample: str, letters: int) -> bool:
    foreign = _config()["missing"].get(code)
    if not foreign:
        return True
    count = sum(sample.count(letter) for letter in foreign)
    return count <= max(1, letters * MISSING_LETTER_SHARE)


@dataclass(frozen=True)
class _Markers:
    """One language's marker words, stems (listed as `stem*`) and phrases, with weights."""

    words: dict[str, float]
    stems: dict[str, tuple[tuple[str, float], ...]]  # by their first two letters
    phrases: dict[tuple[str, str], float]

    def _weight(self, word: str) -> float | None:
        if word in self.words:
            return self.words[word]
        for stem, weight in self.stems.get(word[:2], ()):
            if word.startswith(stem):
                return weight
        return None

    def evidence(self, words: list[str | None]) -> float:
        """Weighted count of the distinct markers among the words (None: a name, skipped)."""
        found: dict[object, float] = {}
        for word, following in zip(words, [*words[1:], None], strict=True):
            if word is None:
                continue
            weight = self._weight(word)
            if weight:
                found[word] = weight
            if following is not None and (word, following) in self.phrases:
                found[(word, following)] = self.phrases[(word, following)]
        return sum(found.values())


@cache
def _serbian_croatian() -> tuple[dict, dict[str, _Markers]]:
    """The rule's thresholds and each language's markers (etl/reference/serbian_croatian.yaml)."""
    rule = load_yaml("serbian_croatian.yaml")
    markers = {}
    for code in rule["languages"]:
        words, stems, phrases = {}, defaultdict(list), {}
        for group in rule["groups"].values():
            weight = float(group["weight"])
            for marker in group[code]:
                if " " in marker:
                    first, second = marker.split()
                    phrases[(first, second)] = weight
                elif marker.endswith("*"):
                    stems[marker[:2]].append((marker[:-1], weight))
                else:
                    words[marker] = weight
        by_start = {start: tuple(group) for start, group in stems.items()}
        markers[code] = _Markers(words, by_start, phrases)
    return rule, markers


def _words_without_names(text: str) -> list[str | None]:
    """Lower-cased words; a capitalized word inside a sentence is a name and becomes None."""
    words: list[str | None] = []
    previous_end = 0
    for match in _WORD.finditer(text):
        word, gap = match.group(), text[previous_end : match.start()]
        starts_sentence = not words or not _SENTENCE_ENDS.isdisjoint(gap)
        words.append(word.lower() if starts_sentence or not word[0].isupper() else None)
        previous_end = match.end()
    return words


def serbian_or_croatian(text: str, pick: str) -> str:
    """`sr` or `hr` by the markers of each standard; the detector's pick unless they are clear."""
    rule, markers = _serbian_croatian()
    words = _words_without_names(text)
    evidence = sorted(((m.evidence(words), code) for code, m in markers.items()), reverse=True)
    (best, code), (runner_up, _) = evidence[0], evidence[1]
    if best >= rule["min_evidence"] and best >= rule["min_ratio"] * runner_up:
        return code
    return pick


def _ranked(sample: str, letters: int) -> list[tuple[str, float]]:
    """Candidate languages, most likely first, with confidences (0..1)."""
    if letters >= FAST_MIN_LETTERS:
        ranked = fast_detector().rank(sample)
        if ranked[0][1] >= FAST_CONFIDENCE:
            return ranked
    return [
        (value.language.iso_code_639_1.name.lower(), value.value)
        for value in detector().compute_language_confidence_values(sample)
    ]


def detect(text: str) -> tuple[str | None, float]:
    """The most likely language of a text and the detector's confidence (0..1)."""
    sample = text[:SAMPLE_CHARS].lower()
    letters = sum(c.isalpha() for c in sample)
    if letters < MIN_LETTERS:
        return None, 0.0
    ranked = _ranked(sample, letters)
    for code, confidence in ranked:
        if _fits_alphabet(code, sample, letters):
            if code in _serbian_croatian()[0]["languages"]:
                code = serbian_or_croatian(text[:SAMPLE_CHARS], code)
            return code, confidence
    return ranked[0]


def tag_language(article: Article) -> None:
    hint = normalize_hint(article.language_hint)
    if not article.text_enriched:
        article.language = article.language or hint
        return
    detected, confidence = detect(f"{article.title}\n{article.body}")
    if detected is None or (hint and hint != detected and confidence < CLEAR_CONFIDENCE):
        article.language = hint or detected
        return
    article.language = detected
    if hint and hint != detected:
        article.language_note = (
            f"input said {hint!r} but the text reads as {detected!r} "
            f"(confidence {confidence:.2f}); the text wins"
        )
