"""Duplicate groups through the real loader and a DuckDB file: copies share the group of the
earliest copy, translations and different stories do not, later batches find stored copies."""

from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
import yaml

from etl.dedup import RecentTexts, title_key, url_key
from etl.load import load_batch
from etl.record import Article
from etl.schema import migrate

LABELED = Path(__file__).parent / "fixtures" / "dedup" / "labeled.yaml"
STORIES = {item["id"]: item for item in yaml.safe_load(LABELED.read_text("utf-8"))["articles"]}


def story(name: str, **changes) -> Article:
    """A labeled article as the enrichers hand it to the loader (language already set)."""
    item = {**STORIES[name], **changes}
    return Article(
        origin=f"test:{name}",
        title=item["title"],
        body=item["body"],
        url=item["url"],
        source=item["source"],
        published_at=item["published_at"],
        language=item["language"],
    )


def copy_of(name: str, outlet: str, hours: float, **changes) -> Article:
    """Another outlet's copy, published some hours after the labeled article."""
    placement = {
        "url": f"https://{outlet}.example/{name}",
        "source": outlet.title(),
        "published_at": STORIES[name]["published_at"] + timedelta(hours=hours),
    }
    return story(name, **{**placement, **changes})


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "dedup.duckdb"))
    migrate(connection)
    yield connection
    connection.close()


@pytest.fixture(params=["texts read back", "texts the run remembers"])
def load(request):
    """`load_batch` as one ingest run calls it: stored copies' texts read back from the
    database, or (the same answers expected) the shingles the run kept of what it wrote."""
    recent = RecentTexts() if request.param == "texts the run remembers" else None
    return lambda con, articles: load_batch(con, articles, recent)


def groups(con) -> dict[str, tuple[str, str | None]]:
    """source -> (source of the group's original, dup_reason)."""
    rows = con.execute(
        """
        SELECT a.source, o.source, a.dup_reason
        FROM articles a JOIN articles o ON o.article_id = a.dup_group
        """
    ).fetchall()
    return {source: (original, reason) for source, original, reason in rows}


def test_wire_story_republished_by_outlets_is_one_story(con, load):
    body = STORIES["sanctions-package"]["body"]
    paragraphs = body.split("\n\n")
    load(
        con,
        [
            copy_of("sanctions-package", "harbour", 3),  # verbatim
            story("sanctions-package"),
            copy_of("sanctions-package", "valley", 5, title="Shadow fleet tankers hit by EU"),
            copy_of("sanctions-package", "ridge", 8, body="\n\n".join(paragraphs[:-1])),
            copy_of("sanctions-package", "teaser", 1, body=paragraphs[0]),
        ],
    )
    assert groups(con) == {
        "Brussels Wire": ("Brussels Wire", None),
        "Harbour": ("Brussels Wire", "title"),
        "Valley": ("Brussels Wire", "text"),
        "Ridge": ("Brussels Wire", "title"),
        "Teaser": ("Brussels Wire", "title"),
    }
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5


def test_hand_rewrite_by_another_outlet_joins_the_story(con, load):
    load(con, [story("quake-turkey"), story("quake-turkey-rewrite")])
    assert groups(con)["Evening Courier"] == ("Wire Service", "text")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("budget", "budget-en"),  # translation
        ("drones-kyiv", "drones-kyiv-ru"),  # translation into a close language
        ("metro-belgrade", "metro-belgrade-mk"),
        ("quake-turkey", "quake-greece"),  # same topic, the next day
        ("budget", "municipal-budget"),  # same topic, shared vocabulary
        ("weather-tuesday", "weather-wednesday"),  # same headline, tomorrow's forecast
        ("markets-monday", "markets-tuesday"),  # daily template
        ("inflation-eurozone-fr", "inflation-france"),
    ],
)
def test_different_stories_stay_apart(con, load, first, second):
    load(con, [story(first), story(second)])
    ids = con.execute("SELECT article_id, dup_group, dup_reason FROM articles").fetchall()
    assert all(article_id == group and reason is None for article_id, group, reason in ids)


def test_brief_quoted_whole_in_a_read_also_block_is_not_merged(con, load):
    brief = STORIES["brief-varna-airport"]["body"]
    extended = STORIES["budget"]["body"] + "\n\nПрочетете още:\n\n" + brief
    load(con, [story("brief-varna-airport"), copy_of("budget", "quoting", 2, body=extended)])
    assert set(groups(con).values()) == {("Морски вестник", None), ("Quoting", None)}


def test_mobile_and_amp_addresses_are_the_same_page(con, load):
    amp = story("budget", url="https://m.bta.example/bg/news/bulgaria/parlament-byudzhet-parvo-chetene/amp")
    load(con, [story("budget"), amp])
    reasons = {row[0] for row in con.execute("SELECT dup_reason FROM articles").fetchall()}
    assert reasons == {None, "url"}
    assert con.execute("SELECT count(DISTINCT dup_group) FROM articles").fetchone()[0] == 1


def test_copies_further_apart_than_the_window_are_separate_stories(con, load):
    load(con, [story("ruse-factory"), copy_of("ruse-factory", "late", 24 * 5)])
    assert con.execute("SELECT count(DISTINCT dup_group) FROM articles").fetchone()[0] == 2


def test_undated_articles_are_grouped_by_address_only(con, load):
    undated = copy_of("ruse-factory", "nodate", 0, published_at=None)
    load(con, [story("ruse-factory"), undated])
    assert groups(con)["Nodate"] == ("Nodate", None)


def test_later_batch_finds_the_stored_original(con, load):
    load(con, [story("hospital-smolyan"), story("vaccination-campaign")])
    load(con, [copy_of("hospital-smolyan", "mountain", 6, title="Нова болница за децата")])
    assert groups(con)["Mountain"] == ("Новини от Родопите", "text")
    assert groups(con)["Новини от Родопите"][1] is None


def test_earlier_original_arriving_later_takes_over_the_stored_group(con, load):
    load(
        con,
        [
            copy_of("danube-bridge", "first", 4),
            copy_of("danube-bridge", "second", 6, title="Nou pod peste Dunăre"),
        ],
    )
    assert groups(con)["Second"] == ("First", "text")
    load(con, [story("danube-bridge")])
    assert groups(con) == {
        "Agerpres": ("Agerpres", None),
        "First": ("Agerpres", "title"),
        "Second": ("Agerpres", "text"),
    }


def test_round_up_quoting_two_stories_joins_one_and_merges_none(con, load):
    load(con, [story("budget"), story("municipal-budget")])
    round_up = STORIES["budget"]["body"] + "\n\n" + STORIES["municipal-budget"]["body"]
    digest = copy_of("municipal-budget", "digest", 3, title="Денят в парламента", body=round_up)
    load(con, [digest])
    assert con.execute("SELECT count(DISTINCT dup_group) FROM articles").fetchone()[0] == 2
    assert groups(con)["Digest"][1] == "text"


def test_reingest_changes_nothing_and_keys_are_replaced_not_added(con, load):
    batch = [story("inflation-eurozone"), copy_of("inflation-eurozone", "echo", 2)]
    load(con, batch)
    rows = "SELECT article_id, dup_group, dup_reason FROM articles ORDER BY 1"
    before = con.execute(rows).fetchall()
    keys = con.execute("SELECT count(*) FROM dedup_keys").fetchone()[0]
    bands = con.execute("SELECT count(*) FROM dedup_bands").fetchone()[0]
    load(con, [story("inflation-eurozone"), copy_of("inflation-eurozone", "echo", 2)])
    assert con.execute(rows).fetchall() == before
    changed = copy_of("inflation-eurozone", "echo", 2, title="Inflation in the euro zone eases")
    load(con, [changed])
    assert con.execute("SELECT count(*) FROM dedup_keys").fetchone()[0] == keys == 2
    assert con.execute("SELECT count(*) FROM dedup_bands").fetchone()[0] == bands > 0
    assert groups(con)["Echo"] == ("Market Wire", "text")


def test_reingested_original_that_joins_an_earlier_story_brings_its_copies(con, load):
    moment = datetime(2026, 3, 12, 18, 0)
    other = {"title": STORIES["quake-turkey"]["title"], "body": STORIES["quake-turkey"]["body"]}
    first = copy_of("budget", "first", 0, published_at=moment, language="en", **other)
    follower = copy_of("budget", "follower", 0, published_at=moment + timedelta(hours=1),
                       language="en", **other)
    load(con, [story("budget"), first, follower])
    assert groups(con)["Follower"] == ("First", "title")
    load(con, [copy_of("budget", "first", 0, published_at=moment)])  # corrected text
    assert groups(con) == {
        "БТА": ("БТА", None),
        "First": ("БТА", "title"),
        "Follower": ("БТА", "title"),
    }


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("UPDATE: Bayern win the derby in Munich", "Bayern win the derby in Munich", True),
        ("Обновена: Бюджетът мина на първо четене", "Бюджетът мина на първо четене", True),
        ("Energy prices fall for third month - Valley Post", "Energy prices fall for third month",
         True),
        ("Energy prices fall for third month", "Energy prices fall for fourth month", False),
        ("Analysis of the budget vote today", "The budget vote today", False),
    ],
)
def test_title_keys(first, second, same):
    assert (title_key(first, "Valley Post") == title_key(second, "Valley Post")) is same


@pytest.mark.parametrize("title", ["Weather", "Live updates", "Времето утре"])
def test_short_titles_identify_no_story(title):
    assert title_key(title, None) is None


@pytest.mark.parametrize(
    ("variant", "same"),
    [
        ("https://m.example.com/news/story-1", True),
        ("https://amp.example.com/news/story-1", True),
        ("https://example.com/news/story-1/amp", True),
        ("https://example.com/news/story-1?amp=1", True),
        ("https://example.com/news/story-2", False),
        ("https://example.com/news/story-1?page=2", False),
    ],
)
def test_url_keys(variant, same):
    assert (url_key(variant) == url_key("https://example.com/news/story-1")) is same


def test_dup_groups_hold_for_a_whole_ingest_run(tmp_path):
    """Through `etl.pipeline.ingest`: a feed and a saved page carrying the same story."""
    from etl.pipeline import ingest

    feed = tmp_path / "feed.rss"
    item = STORIES["ruse-factory"]
    paragraphs = item["body"].split("\n\n")
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Регион Русе'
        "</title><item><title>" + item["title"] + "</title><link>https://ruseregion.example/zavod"
        "</link><pubDate>Thu, 19 Mar 2026 18:00:00 +0000</pubDate><description>"
        + paragraphs[0] + "</description></item></channel></rss>",
        encoding="utf-8",
    )
    page = tmp_path / "page.html"
    page.write_text(
        '<html lang="bg"><head><meta charset="utf-8"><title>' + item["title"] + "</title>"
        '<meta property="og:site_name" content="БГНЕС">'
        '<meta property="article:published_time" content="2026-03-19T15:25:00+02:00">'
        '<link rel="canonical" href="' + item["url"] + '"></head><body><article><h1>'
        + item["title"] + "</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article></body></html>",
        encoding="utf-8",
    )
    db = tmp_path / "run.duckdb"
    ingest([tmp_path], db)
    with duckdb.connect(str(db), read_only=True) as con:
        assert groups(con) == {"БГНЕС": ("БГНЕС", None), "Регион Русе": ("БГНЕС", "title")}


def test_groups_point_at_the_earliest_copy_even_when_batches_arrive_out_of_order(con, load):
    copies = [copy_of("markets-monday", f"outlet{n}", 1 + n) for n in range(6)]
    load(con, copies[3:])
    load(con, copies[:3])
    load(con, [story("markets-monday")])
    wrong = con.execute(
        """
        SELECT count(*) FROM articles a JOIN articles o ON o.article_id = a.dup_group
        WHERE a.published_at < o.published_at OR o.dup_group <> o.article_id
        """
    ).fetchone()[0]
    assert wrong == 0
    assert con.execute("SELECT count(DISTINCT dup_group) FROM articles").fetchone()[0] == 1
    assert groups(con)["Market Wire"] == ("Market Wire", None)


def test_published_dates_are_kept_as_loaded():
    article = story("budget")
    assert article.published_at == datetime(2026, 3, 12, 16, 40)
