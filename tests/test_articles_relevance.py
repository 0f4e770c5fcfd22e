"""Relevance order of the drill-down list."""

from __future__ import annotations

from analytics.articles import matching_articles
from analytics.database import Database
from analytics.filters import Filters
from analytics.search import compile_search


def test_relevance_sort_follows_the_search_score(dashboard_db: Database) -> None:
    filters = Filters(period="all", text="Украйна OR Ukraine OR Украина")
    matches, params = compile_search(filters.text).matches(prefix="r")
    scores = dict(dashboard_db.frame(matches, params).itertuples(index=False))
    assert len(scores) >= 2
    rows = matching_articles(dashboard_db, filters, sort="relevance", page_size=100)
    listed = [scores[article_id] for article_id in rows["article_id"]]
    assert sorted(rows["article_id"]) == sorted(scores)
    assert listed == sorted(listed, reverse=True)


def test_relevance_without_a_search_lists_newest_first(dashboard_db: Database) -> None:
    filters = Filters(period="all")
    by_relevance = matching_articles(dashboard_db, filters, sort="relevance", page_size=100)
    newest = matching_articles(dashboard_db, filters, sort="newest", page_size=100)
    assert by_relevance["article_id"].tolist() == newest["article_id"].tolist()
