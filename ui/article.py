"""One article in full. Everything from the article is shown as text: titles and bodies go
through `st.text`, tables through dataframe cells, so markdown or HTML in them never renders.
With a search, title and text are shown with the matches marked instead: every piece of the
text HTML-escaped, only `<mark>` added around matches (`analytics.search.highlighted_html`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.search import Marker, highlight, highlighted_html
from ui.show import plain_caption

_SAFE_SCHEMES = ("http://", "https://")


def _text(text: str, markers: tuple[Marker, ...], language: str | None, in_title: bool) -> None:
    if markers:
        st.html(highlighted_html(highlight(text, markers, language, in_title=in_title)))
    else:
        st.text(text)


def article_view(
    record: dict,
    countries: pd.DataFrame,
    topics: pd.DataFrame,
    copies: pd.DataFrame,
    markers: tuple[Marker, ...] = (),
) -> str | None:
    """Show the article with the search's matches marked; returns the id of a copy the reader
    chose to open, if any."""
    with st.container(border=True):
        _text(record["title"] or "(no title)", markers, record["language"], in_title=True)
        published = record["published"]
        when = "undated" if pd.isna(published) else f"{published:%Y-%m-%d %H:%M}"
        facts = [
            when,
            record["source"] or "unknown source",
            f"agency {record['agency']}" if record["agency"] else "own reporting",
            record["language_name"],
        ]
        plain_caption(" · ".join(facts))
        url = record["url"] or ""
        if url.startswith(_SAFE_SCHEMES):
            st.link_button("Open the original", url)
        st.code(url or "(no URL)", language=None)
        cited = list(record["cited_agencies"] if record["cited_agencies"] is not None else [])
        if cited:
            plain_caption("Cites: " + ", ".join(cited))
        _text(record["body"] or "(no text)", markers, record["language"], in_title=False)
    left, right = st.columns(2)
    with left:
        st.markdown("**Countries** (and the words that named them)")
        st.dataframe(countries, hide_index=True, width="stretch")
    with right:
        st.markdown("**Topics** (and the terms that matched)")
        st.dataframe(topics, hide_index=True, width="stretch")
    st.markdown(f"**Copies elsewhere** ({len(copies)})")
    if copies.empty:
        plain_caption("No other outlet ran this story.")
        return None
    event = st.dataframe(
        copies.drop(columns=["article_id"]),
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=f"copies_of_{record['article_id']}",
        width="stretch",
    )
    rows = event.selection.rows if event else []
    return str(copies["article_id"].iloc[rows[0]]) if rows else None
