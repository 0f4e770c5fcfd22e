"""Display helpers: text that never renders as markup, charts with their data download and
drill-down, empty states."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.coverage import topic_labels
from analytics.export import frame_csv
from analytics.filters import Filters
from analytics.labels import country_name, language_name
from ui import drill
from ui.data import query

# Plotly fetches map outlines from this folder (served by Streamlit's static file serving)
# instead of a CDN, so the world map works offline.
PLOTLY_CONFIG = {"topojsonURL": "app/static/topojson/", "displaylogo": False}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def escape_markdown(text: str) -> str:
    """Text that Streamlit's markdown shows literally (no emphasis, links, HTML or math)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def plain_caption(text: str) -> None:
    st.caption(escape_markdown(text))


def empty(message: str) -> None:
    st.info(message, icon="🔍")


def download(frame: pd.DataFrame, filters: Filters, what: str, key: str) -> None:
    st.download_button(
        "⬇️ Download data (CSV)",
        frame_csv(frame),
        file_name=f"{filters.file_stem(what)}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )


def chart(
    fig: go.Figure,
    frame: pd.DataFrame,
    filters: Filters,
    *,
    key: str,
    what: str,
    drillable: bool = True,
) -> None:
    """Show a figure with a button for its data; a click on a point opens its articles."""
    event = st.plotly_chart(
        fig,
        key=key,
        on_select="rerun" if drillable else "ignore",
        selection_mode="points",
        config=PLOTLY_CONFIG,
        width="stretch",
    )
    download(frame, filters, what, key)
    if drillable and event and event.selection.points:
        drill.open_articles(filters, event.selection.points[0])


def describe(filters: Filters) -> str:
    """The selection in words, with names instead of codes."""
    topics = query(topic_labels)
    names = {
        "topics": lambda value: topics.get(value, value),
        "countries": country_name,
        "source_countries": country_name,
        "languages": language_name,
    }

    def label(facet: str, value: str) -> str:
        return names[facet](value) if facet in names else value

    return filters.describe(label)


def selection_caption(filters: Filters) -> None:
    plain_caption("Selection: " + describe(filters))


def kpis(numbers: pd.DataFrame, filters: Filters) -> None:
    """Headline numbers with the change against the previous equal period."""
    columns = st.columns(len(numbers))
    for column, row in zip(columns, numbers.itertuples(), strict=True):
        delta = None
        if row.previous is not None and not pd.isna(row.previous):
            delta = f"{int(row.value - row.previous):+,} vs previous period"
        column.metric(row.label, f"{int(row.value):,}", delta=delta)
    if filters.mode == "share":
        measure = numbers.set_index("metric").loc[filters.measure]
        if measure["total"]:
            plain_caption(
                f"Share of coverage: {measure['share']:.1%} of {int(measure['total']):,} "
                f"{filters.measure} in the same period, sources and languages."
            )


LIST_COLUMNS = {
    "published": st.column_config.DatetimeColumn("Published", format="YYYY-MM-DD HH:mm"),
    "source": "Source",
    "agency": "Agency",
    "language": "Lang",
    "title": st.column_config.TextColumn("Title", width="large"),
    "countries": "Countries",
    "topics": "Topics",
    "copies": st.column_config.NumberColumn("Copies", help="Placements of the same story"),
}


def article_list(frame: pd.DataFrame, key: str) -> str | None:
    """A table of articles (cells are plain text); returns the id of the selected row."""
    event = st.dataframe(
        frame[list(LIST_COLUMNS)],
        column_config=LIST_COLUMNS,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        width="stretch",
    )
    rows = event.selection.rows if event else []
    return str(frame["article_id"].iloc[rows[0]]) if rows else None


def open_article(filters: Filters, article_id: str) -> None:
    """Switch to the Articles page with one article open."""
    st.session_state[drill.PENDING_KEY] = filters
    st.switch_page(
        drill.ARTICLES_PAGE, query_params={**filters.to_query_params(), "article": article_id}
    )
