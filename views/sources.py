"""Sources: outlets and agencies by volume, source × topic, and each outlet's profile
(languages, first and last article, how much of it is wire copy)."""

import streamlit as st

from analytics.coverage import top_values, topic_labels
from analytics.crosstabs import crosstab
from analytics.filters import MEASURES
from analytics.sources import source_profiles
from charts import figures
from ui import show
from ui.data import query
from ui.filters import current_filters

filters = current_filters()
measure = MEASURES[filters.measure]
topics = list(query(topic_labels))

st.title("🗞️ Sources")
show.selection_caption(filters)

for column, (by, title) in zip(
    st.columns(2), (("source", "Outlets"), ("agency", "Agencies (wire credits)")), strict=True
):
    with column:
        ranked = query(top_values, filters, by, limit=15)
        if ranked.empty:
            show.empty(f"No {title.lower()} in this selection.")
            continue
        figure = figures.ranking(
            ranked, title=title, by=by, measure_label=measure, mode=filters.mode, axis_title=""
        )
        show.chart(figure, ranked, filters, key=f"sources_{by}", what=f"top-{by}")

matrix = query(crosstab, filters, "source", "topic", row_limit=15, column_limit=12)
if matrix.empty:
    show.empty("No tagged articles from these sources in this selection.")
else:
    figure = figures.bubble_matrix(
        matrix,
        title="Source × topic",
        rows="source",
        columns="topic",
        row_title="Source",
        column_title="Topic",
        measure_label=measure,
    )
    show.chart(figure, matrix, filters, key="sources_by_topic", what="source-by-topic")

st.subheader("Outlet profiles")
profiles = query(source_profiles, filters)
if profiles.empty:
    show.empty("No sources in this selection.")
else:
    st.dataframe(
        profiles.drop(columns=["source_country"]),
        hide_index=True,
        width="stretch",
        column_config={
            "source": "Source",
            "country_name": "Country",
            "placements": "Placements",
            "stories": "Stories",
            "languages": "Languages",
            "first": st.column_config.DatetimeColumn("First article", format="YYYY-MM-DD"),
            "last": st.column_config.DatetimeColumn("Last article", format="YYYY-MM-DD"),
            "wire": "Wire copy",
            "wire_share": st.column_config.ProgressColumn(
                "Wire share",
                format="percent",
                min_value=0,
                max_value=1,
                help="Share of the outlet's articles that credit a news agency",
            ),
            "agencies": "Agencies credited",
        },
    )
    show.download(profiles, filters, "source-profiles", key="sources_profiles")
