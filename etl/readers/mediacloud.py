"""Media Cloud story exports (CSV): the generic record mapping plus Media Cloud's own fields.

Both the legacy export (`stories_id, publish_date, title, url, language, ap_syndicated,
media_id, media_name, media_url, ...`) and the search-tool export (`id, indexed_date,
language, media_name, media_url, publish_date, title, url`) carry no article text, only the
title; the title is what the taggers read. Media Cloud marks Associated Press copies with
`ap_syndicated`, which names the filing agency even without a text to find it in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from etl.readers.records import read_csv
from etl.record import Article, IngestError

SYNDICATION_AGENCY = "AP"  # the name under which reference/agencies.yaml files it
_TRUE = frozenset({"true", "t", "1", "yes"})


def apply_media_cloud_fields(article: Article) -> Article:
    """Move what Media Cloud says about a story from `extra` onto the article."""
    extra = article.extra
    story_id = extra.pop("stories_id", None) or extra.pop("id", None)
    if story_id:
        extra["mediacloud_story_id"] = str(story_id).strip()  # one name for both exports
    if str(extra.get("ap_syndicated", "")).strip().casefold() in _TRUE:
        article.agency = article.agency or SYNDICATION_AGENCY
    return article


def read(path: Path, source: str | None = None) -> Iterator[Article | IngestError]:
    for item in read_csv(path, source):
        yield apply_media_cloud_fields(item) if isinstance(item, Article) else item
