"""Table-driven tests of the plain-text page parser on pages in many languages and layouts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from etl.readers.text_page import parse_page, read
from etl.record import Article, IngestError

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_f441dd9075d9dc22.txt"

# Each page: (name, text, expected date, expected title, first body words, last body words,
# phrases that must not be in the body).
PAGES = [
    (
        "bg: date first, title twice, caption, sign-off, share + comments, teasers",
        """12 Януари, 2026

Парламентът прие бюджета за 2026 година

Парламентът прие бюджета за 2026 година

Народното събрание,

Депутатите гласуваха окончателно държавния бюджет след тридневен дебат.

Финансовият министър заяви, че дефицитът ще остане под три процента. /БТА

Сподели:

Коментари (3)

Германия затваря последните си въглищни централи

Германия затваря последните си въглищни централи

Берлин обяви график за спиране на мощностите до 2030 година
""",
        datetime(2026, 1, 12),
        "Парламентът прие бюджета за 2026 година",
        "Депутатите гласуваха",
        "под три процента. /БТА",
        ["Германия", "Сподели", "Коментари", "Народното събрание,"],
    ),
    (
        "en: title before date line with label and time zone, Reuters dateline, related heading",
        """Oil prices climb as supply talks stall

Published: March 3, 2026 at 14:20 UTC

LONDON (Reuters) - Oil prices rose on Tuesday after producers failed to agree on output.

Brent crude futures gained 2% to $84 a barrel by 1400 GMT.

Share this article

Related stories

Japan's central bank holds rates steady
""",
        datetime(2026, 3, 3, 14, 20),
        "Oil prices climb as supply talks stall",
        "LONDON (Reuters) - Oil prices rose",
        "$84 a barrel by 1400 GMT.",
        ["Japan", "Share this article", "Related"],
    ),
    (
        "ru: breadcrumb, date with time, title once, share above text, read-also teasers",
        """Главная

20 марта 2026, 14:35

Москва и Пекин подписали соглашение о торговле

Поделиться

Россия и Китай договорились увеличить товарооборот в ближайшие пять лет.

Соглашение подписали министры экономики двух стран. (ТАСС)

Читайте также

Украина получила новую партию помощи
""",
        datetime(2026, 3, 20, 14, 35),
        "Москва и Пекин подписали соглашение о торговле",
        "Россия и Китай договорились",
        "двух стран. (ТАСС)",
        ["Украина", "Поделиться", "Читайте"],
    ),
    (
        "de: numeric date with label and Uhr, photo credit, tags line",
        """Veröffentlicht: 05.02.2026 um 09:15 Uhr

Bundestag debattiert über neue Rentenreform

Foto: dpa / Michael Kappeler

Die Abgeordneten haben am Donnerstag über die geplante Rentenreform gestritten.

Die Opposition kritisierte die Finanzierung scharf. – dpa

Schlagwörter: Rente, Bundestag

Teilen

Frankreich wählt ein neues Parlament
""",
        datetime(2026, 2, 5, 9, 15),
        "Bundestag debattiert über neue Rentenreform",
        "Die Abgeordneten haben",
        "Finanzierung scharf. – dpa",
        ["Frankreich", "Foto:", "Schlagwörter", "Teilen"],
    ),
    (
        "uk: date in genitive with time, repeated teaser titles without a heading",
        """15 квітня 2026 о 10:15

Київ домовився з Варшавою про спільні проєкти

Україна та Польща підписали меморандум про енергетичну співпрацю.

Документ передбачає будівництво нових ліній електропередачі. Укрінформ

Туреччина відкрила новий порт

Туреччина відкрила новий порт

Анкара інвестувала мільярд доларів у розбудову узбережжя
""",
        datetime(2026, 4, 15, 10, 15),
        "Київ домовився з Варшавою про спільні проєкти",
        "Україна та Польща",
        "ліній електропередачі. Укрінформ",
        ["Туреччина", "Анкара"],
    ),
    (
        "fr: date line with weekday, comments counter",
        """Vendredi 6 mars 2026

La France accueille un sommet sur le climat

Les dirigeants européens se réunissent à Paris pour discuter des émissions.

Le sommet doit aboutir à une déclaration commune. (AFP)

Commentaires (12)

À lire aussi

L'Espagne face à la sécheresse
""",
        datetime(2026, 3, 6),
        "La France accueille un sommet sur le climat",
        "Les dirigeants européens",
        "déclaration commune. (AFP)",
        ["Espagne", "Commentaires"],
    ),
    (
        "sr: Cyrillic Serbian with date under the title and share line",
        """Србија и Мађарска отварају нови гранични прелаз

18. мај 2026.

Председници две земље отворили су прелаз код Суботице.

Очекује се да ће саобраћај бити бржи. /Танјуг

Подели:

Повезане вести

Хрватска уводи евро на наплатним рампама
""",
        datetime(2026, 5, 18),
        "Србија и Мађарска отварају нови гранични прелаз",
        "Председници две земље",
        "бити бржи. /Танјуг",
        ["Хрватска", "Подели"],
    ),
    (
        "tr + el: date after body (site prints it under the text), no furniture",
        """Türkiye ve Yunanistan deprem tatbikatı düzenledi

İki ülkenin kurtarma ekipleri ortak bir tatbikat gerçekleştirdi.

Tatbikat üç gün sürdü ve yüzlerce gönüllü katıldı.

10 Haziran 2026
""",
        datetime(2026, 6, 10),
        "Türkiye ve Yunanistan deprem tatbikatı düzenledi",
        "İki ülkenin kurtarma",
        "yüzlerce gönüllü katıldı.",
        ["10 Haziran"],
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "date", "title", "starts", "ends", "absent"), PAGES, ids=[p[0] for p in PAGES]
)
def test_page_layouts(name, text, date, title, starts, ends, absent):
    article = parse_page(text, origin="page.txt")
    assert article is not None
    assert article.published_at == date
    assert article.title == title
    assert article.body.startswith(starts)
    assert article.body.endswith(ends)
    assert title not in article.body
    for phrase in absent:
        assert phrase not in article.body


def test_future_date_line_keeps_the_article_without_a_date():
    article = parse_page("1 January 2099\n\nA headline here\n\nSome text of the story.", "p.txt")
    assert article.published_at is None
    assert "future" in article.date_problem
    assert article.body == "Some text of the story."


def test_page_with_only_furniture_is_an_error(tmp_path):
    page = tmp_path / "empty.txt"
    page.write_text("Share this article\n\nComments (0)\n", encoding="utf-8")
    results = list(read(page))
    assert len(results) == 1
    assert isinstance(results[0], IngestError)
    assert "no article text" in results[0].message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1251"])
def test_page_encodings(tmp_path, encoding):
    page = tmp_path / "page.txt"
    page.write_bytes(PAGES[0][1].encode(encoding))
    (article,) = read(page)
    assert isinstance(article, Article)
    assert article.title == "Парламентът прие бюджета за 2026 година"


@pytest.mark.skipif(not SEED.exists(), reason="the seed page lives in ../shared/seed")
def test_seed_page():
    (article,) = read(SEED)
    assert article.published_at == datetime(2026, 3, 20)
    assert article.title == "НАТО и Южна Корея засилват сътрудничеството си по отношение на Украйна"
    assert article.body.count(article.title) == 0
    assert article.body.startswith("Столтенберг е поканил във Вашингтон лидерите")
    assert article.body.endswith("каза още Столтенберг. /БГНЕС")
    for furniture_or_teaser in (
        "Сподели",
        "Коментари",
        "Нетахяну",
        "Беларус",
        "Леопард",
        "Иран губи",
    ):
        assert furniture_or_teaser not in article.body
