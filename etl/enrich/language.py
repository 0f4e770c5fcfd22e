"""The article's language (ISO 639-1) read from its title and body.

Two detectors choose among the languages listed in `etl/reference/languages.yaml`: py3langid
(fast, ~0.2 ms) decides when it is sure of a text long enough; short or unclear texts go to
lingua-language-detector, slower but stronger on little text. Then the alphabet check settles
the close Cyrillic languages when the text uses letters the pick lacks, and marker words
settle Latin-script Serbian vs Croatian.

A language the input claimed is a hint: it stands when the text is too short to judge or the
detector is unsure; when the text clearly reads otherwise the text wins and `language_note`
keeps the disagreement.
"""

from __future__ import annotations

from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from etl.lemmas import tokenize
from etl.record import Article
from etl.reference import load_yaml

SAMPLE_CHARS = 400  # detection cost grows with length; a paragraph is plenty
MIN_LETTERS = 20  # below this the text is too short to judge
CLEAR_CONFIDENCE = 0.9  # the detector's confidence needed to overrule the input's hint
FAST_MIN_LETTERS = 150  # py3langid decides alone only on texts at least this long ...
FAST_CONFIDENCE = 0.99  # ... and when it is at least this sure
MISSING_LETTER_SHARE = 0.004  # share of letters foreign to a language's alphabet it tolerates


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


@cache
def _marker_groups() -> tuple[dict[str, tuple[frozenset[str], tuple[str, ...]]], ...]:
    """Per group, per language: marker words, and marker stems (listed as `stem*`)."""
    groups = []
    for group in _config().get("word_markers", ()):
        groups.append(
            {
                code: (
                    frozenset(w for w in words if not w.endswith("*")),
                    tuple(w[:-1] for w in words if w.endswith("*")),
                )
                for code, words in group.items()
            }
        )
    return tuple(groups)


def _settle_by_words(code: str, sample: str) -> str:
    """Within a group of languages the detector confuses, the one whose marker words win."""
    for group in _marker_groups():
        if code in group:
            words = tokenize(sample)
            counts = {
                lang: sum(w in exact or w.startswith(stems) for w in words)
                for lang, (exact, stems) in group.items()
            }
            best = max(counts, key=counts.get)
            return best if counts[best] > counts[code] else code
    return code


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
            return _settle_by_words(code, sample), confidence
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
