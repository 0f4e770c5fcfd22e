"""Topics: topic volumes over time (lines or stacked), ranking, and topic × country."""

import streamlit as st

from analytics.coverage import coverage_over_time, top_values, topic_labels
from analytics.crosstabs import crosstab
from analytics.filters import MEASURES
from charts import figures
from ui import show
from ui.data import query
from ui.filters import current_filters

filters = current_filters()
measure = MEASURES[filters.measure]
topics = list(query(topic_labels))

st.title("🏷️ Topics")
show.selection_caption(filters)

style = st.segmented_control(
    "Chart", ["Lines", "Stacked"], default="Lines", key="topics_style", label_visibility="collapsed"
)
volumes = query(coverage_over_time, filters, by="topic", top=10)
if volumes.empty:
    show.empty(
        "No tagged, dated articles match this selection: widen the period or remove a filter."
    )
else:
    figure = figures.coverage_over_time(
        volumes,
        title=f"Topics over time ({measure.lower()}, top 10)",
        granularity=filters.granularity,
        measure_label=measure,
        mode=filters.mode,
        by="topic",
        topics=topics,
        stacked=style == "Stacked",
    )
    show.chart(figure, volumes, filters, key="topics_timeline", what="topics-over-time")

ranked = query(top_values, filters, "topic", limit=20)
if ranked.empty:
    show.empty("No topics in this selection.")
else:
    figure = figures.ranking(
        ranked,
        title="Topics",
        by="topic",
        measure_label=measure,
        mode=filters.mode,
        axis_title="",
        topics=topics,
    )
    show.chart(figure, ranked, filters, key="topics_ranking", what="topics")
matrix = query(crosstab, filters, "topic", "country", row_limit=12, column_limit=15)
if matrix.empty:
    show.empty("No article in this selection has both a topic and a country.")
else:
    figure = figures.bubble_matrix(
        matrix,
        title="Topic × country mentioned",
        rows="topic",
        columns="country",
        row_title="Topic",
        column_title="Country mentioned",
        measure_label=measure,
    )
    show.chart(figure, matrix, filters, key="topics_by_country", what="topic-by-country")
