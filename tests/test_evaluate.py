"""The accuracy report of `python -m etl evaluate`, and the quality floor of the shipped set."""

import json
from pathlib import Path

import pytest

from etl.evaluate import LabeledError, evaluate, main, read_labeled

LABELED = Path(__file__).parent / "fixtures" / "labeled" / "articles.jsonl"

PAGE = """\
14 Май, 2026

Гръцкият парламент прие новия изборен закон

Гръцкият парламент прие новия изборен закон

Депутатите в Атина гласуваха промените в изборния закон с голямо мнозинство.
Опозицията поиска референдум. (БТА)

Сподели:

Коментари (0)

Турция затвори границата

Турция затвори границата
"""

RECORDS = [
    {
        "id": "a",
        "language": "bg",
        "title": "Русия и Украйна подписаха примирие",
        "text": "Войната спря след мирните преговори, армиите се изтеглят.",
        "countries": ["RU", "UA"],
        "topic": "16000000",
        "agency": None,
    },
    {
        "id": "b",
        "language": "en",
        "title": "Germany's economy shrinks",
        "text": "Exports fell and inflation rose, the central bank said.",
        "countries": ["DE", "FR"],
        "topic": "04000000",
        "agency": None,
    },
    {
        "id": "c",
        "language": "bg",
        "page": PAGE,
        "countries": ["GR"],
        "topic": "11000000",
        "agency": "БТА",
    },
]


def write(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_report_numbers(tmp_path):
    report = evaluate(write(tmp_path / "labeled.jsonl", RECORDS))
    lines = report.splitlines()
    assert "language accuracy      1.000" in lines
    assert "country precision      1.000" in lines  # 4 right, none wrong
    assert "country recall         0.800" in lines  # FR is not in the text of b
    assert "country F1             0.889" in lines
    assert "topic accuracy (best)  1.000  over 3 records" in lines
    assert "agency accuracy        1.000" in lines
    assert "  b: missed [FR] wrongly tagged []" in lines
    assert any(line.startswith("bg          2     1.000") for line in lines)


def test_a_page_record_goes_through_the_text_page_reader(tmp_path):
    ((_, article),) = read_labeled(write(tmp_path / "page.jsonl", RECORDS[2:]))
    assert "Турция" not in article.body  # the teaser is not part of the article


def test_bad_line_names_file_and_line(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(RECORDS[0]) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(LabeledError, match=r"bad\.jsonl:2: not valid JSON"):
        read_labeled(path)
    assert main([str(path)]) == 2
    assert "bad.jsonl:2" in capsys.readouterr().err


def test_missing_file(tmp_path, capsys):
    assert main([str(tmp_path / "nope.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err


def _metric(report: str, name: str) -> float:
    line = next(line for line in report.splitlines() if line.startswith(name))
    return float(line[len(name) :].split()[0])


@pytest.mark.slow
def test_shipped_labeled_set_meets_the_quality_floor():
    report = evaluate(LABELED)
    assert "in 18 languages" in report.splitlines()[0]
    assert _metric(report, "language accuracy") >= 0.97
    assert _metric(report, "country F1") >= 0.85
    assert _metric(report, "topic accuracy (best)") >= 0.80
    assert _metric(report, "agency accuracy") >= 0.95
