"""Overview: headline numbers, coverage over time, top topics, countries and sources, and
the latest articles."""

import streamlit as st

from analytics.articles import matching_articles
from analytics.coverage import coverage_over_time, headline_numbers, top_values, topic_labels
from analytics.filters import MEASURES
from charts import figures
from ui import show
from ui.data import query
from ui.filters import current_filters

filters = current_filters()
measure = MEASURES[filters.measure]
topics = list(query(topic_labels))

st.title("📰 Overview")
show.selection_caption(filters)
show.kpis(query(headline_numbers, filters), filters)

timeline = query(coverage_over_time, filters)
if timeline.empty:
    show.empty("No dated articles match this selection: widen the period or remove a filter.")
else:
    figure = figures.coverage_over_time(
        timeline,
        title=f"{measure} over time",
        granularity=filters.granularity,
        measure_label=measure,
        mode=filters.mode,
    )
    show.chart(figure, timeline, filters, key="overview_timeline", what="coverage-over-time")

RANKINGS = (
    ("topic", "Top topics"),
    ("country", "Top countries mentioned"),
    ("source", "Top sources"),
)
for column, (by, title) in zip(st.columns(3), RANKINGS, strict=True):
    with column:
        ranked = query(top_values, filters, by, limit=10)
        if ranked.empty:
            show.empty(f"No {title.lower().removeprefix('top ')} in this selection.")
            continue
        figure = figures.ranking(
            ranked,
            title=title,
            by=by,
            measure_label=measure,
            mode=filters.mode,
            axis_title="",
            topics=topics,
        )
        show.chart(figure, ranked, filters, key=f"overview_{by}", what=f"top-{by}")

st.subheader("Latest articles")
latest = query(matching_articles, filters, page_size=10)
if latest.empty:
    show.empty("No articles match this selection.")
elif chosen := show.article_list(latest, key="overview_latest"):
    show.open_article(filters, chosen)
