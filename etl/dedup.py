"""Duplicate groups: copies of one story share `dup_group`, the id of its earliest copy.

Layer 1 (the same normalized URL) is the article id itself; until the title and near-text
layers are in, every article is the original of its own group.
"""

from __future__ import annotations

import duckdb

from etl.record import Article


def assign_dup_groups(con: duckdb.DuckDBPyConnection, articles: list[Article]) -> None:
    for article in articles:
        article.dup_group = article.article_id
        article.dup_reason = None
