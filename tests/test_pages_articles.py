"""Articles page: the list follows the filters, a row opens the article as inert text with
its tags and copies, and a link with ?article= reproduces the view."""

from __future__ import annotations

import html
import re

from tests.conftest import Dashboard

HOSTILE_TITLE = "**x** <script>alert(1)</script> [a](javascript:x)"


def _select(dashboard: Dashboard, key: str, row: int) -> None:
    dashboard.app.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    dashboard.app.run()
    dashboard.assert_no_exception()


def test_the_list_follows_the_filters_and_opens_an_article(dashboard: Dashboard) -> None:
    dashboard.open("views/articles.py", source="bta.bg")
    app = dashboard.app
    table = app.dataframe(key="articles_table").value
    assert table["title"].tolist() == [
        '=HYPERLINK("http://example.invalid","click")',
        "Парламентът прие бюджета за 2026 г.",
        "Финансовият министър внесе проектобюджета",
    ]
    _select(dashboard, "articles_table", 1)
    texts = [text.value for text in app.text]
    assert "Парламентът прие бюджета за 2026 г." in texts
    assert any(text.startswith("Народното събрание прие окончателно") for text in texts)
    frames = [frame.value for frame in app.dataframe]
    countries = next(frame for frame in frames if "mentions" in frame.columns)
    assert countries[["country", "terms"]].values.tolist() == [["BG", "България"]]
    topics = next(frame for frame in frames if "score" in frame.columns)
    assert topics["label"].tolist() == ["politics", "economy, business and finance"]
    copies = next(frame for frame in frames if "dup_reason" in frame.columns)
    assert copies[["source", "agency"]].values.tolist() == [["dnevnik.bg", "БГНЕС"]]
    assert app.query_params["source"] == "bta.bg"
    article_id = app.query_params["article"]

    dashboard.app.query_params.clear()
    reopened = dashboard.open("views/articles.py", article=article_id, source="bta.bg")
    assert "Парламентът прие бюджета за 2026 г." in [text.value for text in reopened.app.text]


# The only tags highlighting may add: a wrapper keeping line breaks, and <mark> around matches.
_HIGHLIGHT_TAGS = re.compile(r'^<div style="white-space: pre-wrap">|</div>$|</?mark>')


def _marked_text(body: str) -> str:
    """The text an st.html body shows, once the highlighting tags are taken out."""
    return html.unescape(_HIGHLIGHT_TAGS.sub("", body))


def test_markup_in_an_article_renders_as_plain_text(dashboard: Dashboard) -> None:
    dashboard.open("views/articles.py")
    dashboard.app.sidebar.text_input[0].set_value("alert").run()
    _select(dashboard, "articles_table", 0)
    app = dashboard.app
    bodies = [element.value for element in app.html]
    assert _marked_text(bodies[0]) == HOSTILE_TITLE
    assert any("<img src=x onerror=alert(2)>" in _marked_text(body) for body in bodies)
    for body in bodies:
        assert "<" not in _HIGHLIGHT_TAGS.sub("", body)  # every tag from the text escaped
        assert "<mark>" in body
    for element in [*app.markdown, *app.caption]:
        assert "<script>" not in element.value and "alert(" not in element.value


def test_without_a_search_the_article_is_plain_text(dashboard: Dashboard) -> None:
    dashboard.open("views/articles.py", source="novinite.com")
    _select(dashboard, "articles_table", 0)
    assert not dashboard.app.html
    assert dashboard.app.text


def test_choosing_a_copy_opens_it(dashboard: Dashboard) -> None:
    dashboard.open("views/articles.py", source="novinite.com", q="talks")
    _select(dashboard, "articles_table", 0)
    copies_key = next(
        f.key for f in dashboard.app.dataframe if (f.key or "").startswith("copies_of")
    )
    _select(dashboard, copies_key, 0)
    texts = [_marked_text(element.value) for element in dashboard.app.html]
    assert any(text.startswith("KYIV (Reuters) - Ukraine and Russia agreed") for text in texts)
    captions = " ".join(caption.value for caption in dashboard.app.caption)
    assert "bbc.co.uk" in captions.replace("\\", "")


def test_an_empty_selection_says_what_to_do(dashboard: Dashboard) -> None:
    dashboard.open("views/articles.py", q="no such words anywhere")
    assert "widen the period" in dashboard.app.info[0].value
