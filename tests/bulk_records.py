"""Large synthetic inputs for the fault and concurrency tests: JSONL news records in several
languages, varied enough (outlets, places, subjects, dates) that tagging and dedup do real work.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

# language -> (outlet domain, title templates, body templates, places, subjects)
LANGUAGES = {
    "bg": (
        "novini.example.bg",
        ["{place}: {subject} е във фокуса на правителството", "Нови мерки за {subject} в {place}"],
        [
            "Министрите обсъдиха {subject} на заседание в {place} във вторник.",
            "Според експерти {subject} ще остане основна тема през следващите месеци.",
            "Опозицията поиска повече информация за плановете на кабинета.",
        ],
        ["София", "Пловдив", "Варна", "Брюксел", "Атина"],
        ["енергетиката", "бюджета", "здравеопазването", "образованието", "транспорта"],
    ),
    "en": (
        "daily.example.com",
        ["{place} weighs new rules on {subject}", "Talks on {subject} resume in {place}"],
        [
            "Officials in {place} met on Monday to discuss {subject}.",
            "Analysts said {subject} would dominate the agenda for weeks.",
            "Opposition lawmakers demanded a full report before any vote.",
        ],
        ["London", "Washington", "Ottawa", "Berlin", "Tokyo"],
        ["energy prices", "the budget", "public health", "schools", "rail transport"],
    ),
    "de": (
        "zeitung.example.de",
        ["{place} berät über {subject}", "Neue Regeln für {subject} in {place}"],
        [
            "Die Regierung in {place} hat am Mittwoch über {subject} beraten.",
            "Fachleute erwarten, dass {subject} noch lange Thema bleibt.",
            "Die Opposition forderte einen ausführlichen Bericht.",
        ],
        ["Berlin", "Wien", "München", "Paris", "Warschau"],
        ["die Energiepreise", "den Haushalt", "die Gesundheit", "die Schulen", "die Bahn"],
    ),
    "fr": (
        "journal.example.fr",
        ["{place} se penche sur {subject}", "Nouvelles mesures pour {subject} à {place}"],
        [
            "Le gouvernement s'est réuni jeudi à {place} pour parler de {subject}.",
            "Selon les experts, {subject} restera au cœur du débat.",
            "L'opposition réclame un rapport complet avant tout vote.",
        ],
        ["Paris", "Lyon", "Bruxelles", "Genève", "Madrid"],
        ["l'énergie", "le budget", "la santé", "l'école", "le rail"],
    ),
    "uk": (
        "novyny.example.ua",
        ["{place}: уряд обговорює {subject}", "Нові правила щодо {subject} у {place}"],
        [
            "Уряд у {place} у п'ятницю обговорив {subject}.",
            "Експерти вважають, що {subject} залишиться головною темою.",
            "Опозиція вимагає повного звіту перед голосуванням.",
        ],
        ["Київ", "Львів", "Варшава", "Одеса", "Харків"],
        ["енергетику", "бюджет", "охорону здоров'я", "освіту", "залізницю"],
    ),
    "es": (
        "diario.example.es",
        ["{place} debate sobre {subject}", "Nuevas medidas para {subject} en {place}"],
        [
            "El gobierno se reunió el sábado en {place} para hablar de {subject}.",
            "Los expertos creen que {subject} seguirá en el centro del debate.",
            "La oposición pidió un informe completo antes de votar.",
        ],
        ["Madrid", "Sevilla", "Lisboa", "Buenos Aires", "México"],
        ["la energía", "el presupuesto", "la sanidad", "la educación", "el tren"],
    ),
}


def record(number: int, rng: random.Random, start: datetime) -> dict:
    """One news record; its URL carries `number`, so every record is a different article."""
    language = list(LANGUAGES)[number % len(LANGUAGES)]
    outlet, titles, bodies, places, subjects = LANGUAGES[language]
    slots = {"place": rng.choice(places), "subject": rng.choice(subjects)}
    body = " ".join(rng.sample(bodies, k=len(bodies))).format(**slots)
    return {
        "url": f"https://{outlet}/news/{number}",
        "title": rng.choice(titles).format(**slots) + f" ({number})",
        "text": f"{body} ({number})",
        "published_at": (start + timedelta(minutes=17 * number)).isoformat() + "Z",
        "source": outlet,
        "lang": language,
    }


def write_records(
    folder: Path, count: int, per_file: int = 100, seed: int = 11, first: int = 0
) -> list[Path]:
    """`count` records (numbers `first`..) in JSONL files of `per_file` records under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    start = datetime(2026, 1, 5, 6, 0)
    paths = []
    for file_start in range(first, first + count, per_file):
        numbers = range(file_start, min(file_start + per_file, first + count))
        path = folder / f"records-{file_start:06d}.jsonl"
        lines = (json.dumps(record(n, rng, start), ensure_ascii=False) for n in numbers)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
