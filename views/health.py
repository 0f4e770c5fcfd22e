"""Data health: ingest runs and their errors, articles per day per source with gaps,
undated articles, and how far language and tags reach."""

import streamlit as st

from analytics.health import (
    corpus_status,
    daily_volume,
    ingest_errors,
    ingest_runs,
    language_coverage,
    tag_coverage,
    undated_articles,
)
from charts import figures
from ui import show
from ui.data import query
from ui.filters import current_filters

filters = current_filters()
st.title("🩺 Data health")

status = query(corpus_status)
cells = st.columns(4)
cells[0].metric("Articles", f"{status['articles']:,}")
cells[1].metric("First published", f"{status['first']:%Y-%m-%d}" if status["first"] else "–")
cells[2].metric("Last published", f"{status['last']:%Y-%m-%d}" if status["last"] else "–")
cells[3].metric("Ingest runs", f"{status['runs']:,}")

st.subheader("Ingest runs")
runs = query(ingest_runs)
st.dataframe(runs, hide_index=True, width="stretch")
errors, error_count = query(ingest_errors)
st.subheader(f"Errors and warnings ({error_count:,})")
if error_count == 0:
    st.success("No input was rejected.", icon="✅")
else:
    if error_count > len(errors):
        st.caption(f"The latest {len(errors):,} of {error_count:,} are listed.")
    st.dataframe(errors, hide_index=True, width="stretch")
    show.download(errors, filters, "ingest-errors", key="health_errors")

st.subheader("Articles per day per source")
show.plain_caption(
    "Period, sources and languages from the sidebar; a red × marks a day without articles "
    "between a source's first and last day (a possible collection gap). Click a day to read "
    "that source's articles of that day. " + show.describe(filters.scope())
)
volume = query(daily_volume, filters)
if volume.empty:
    show.empty("No dated articles in this period.")
else:
    figure = figures.daily_volume(volume, title="Articles per day")
    show.chart(figure, volume, filters, key="health_daily", what="daily-volume")
    gaps = volume[volume["gap"]]
    st.caption(f"{len(gaps):,} gap days across {gaps['source'].nunique():,} sources.")

undated, undated_count = query(undated_articles, filters)
st.subheader(f"Undated articles ({undated_count:,})")
if undated_count:
    st.dataframe(undated, hide_index=True, width="stretch")
else:
    st.success("Every article has a publication date.", icon="✅")

left, right = st.columns(2)
with left:
    st.subheader("Languages")
    st.dataframe(
        query(language_coverage, filters),
        hide_index=True,
        width="stretch",
        column_config={"share": st.column_config.ProgressColumn("Share", format="percent")},
    )
with right:
    st.subheader("Tag coverage")
    st.caption("All dates; sources and languages from the sidebar.")
    st.dataframe(
        query(tag_coverage, filters).drop(columns=["check"]),
        hide_index=True,
        width="stretch",
        column_config={"share": st.column_config.ProgressColumn("Share", format="percent")},
    )
