"""Countries: the world map of countries mentioned, one country's timeline and the countries
named with it, and publisher country × country mentioned."""

import streamlit as st

from analytics.countries import co_mentioned, countries_on_map
from analytics.coverage import coverage_over_time
from analytics.crosstabs import crosstab
from analytics.filters import MEASURES
from charts import figures
from ui import show
from ui.data import query
from ui.filters import current_filters

filters = current_filters()
measure = MEASURES[filters.measure]

st.title("🌍 Countries")
show.selection_caption(filters)

mentioned = query(countries_on_map, filters)
if mentioned.empty:
    show.empty("No article in this selection mentions a country.")
    st.stop()
figure = figures.world_map(
    mentioned, title="Countries mentioned", measure_label=measure, mode=filters.mode
)
show.chart(figure, mentioned, filters, key="countries_map", what="countries")

names = dict(zip(mentioned["value"], mentioned["label"], strict=True))
preferred = [code for code in filters.countries if code in names]
focus = st.selectbox(
    "Country",
    list(names),
    index=list(names).index(preferred[0]) if preferred else 0,
    format_func=lambda code: f"{names[code]} ({code})",
    key="countries_focus",
)
left, right = st.columns([3, 2])
with left:
    timeline = query(coverage_over_time, filters.replace(countries=(focus,)))
    figure = figures.coverage_over_time(
        timeline,
        title=f"{names[focus]} over time",
        granularity=filters.granularity,
        measure_label=measure,
        mode=filters.mode,
    )
    show.chart(
        figure,
        timeline,
        filters.replace(countries=(focus,)),
        key="countries_timeline",
        what=f"{focus}-over-time",
    )
with right:
    together = query(co_mentioned, filters, focus)
    if together.empty:
        show.empty(f"No other country is named together with {names[focus]}.")
    else:
        figure = figures.ranking(
            together,
            title=f"Named together with {names[focus]}",
            by="country",
            measure_label=measure,
            axis_title="",
            also=("country", focus),
        )
        show.chart(
            figure,
            together,
            filters.replace(countries=(focus,)),
            key="countries_together",
            what=f"named-with-{focus}",
        )

matrix = query(crosstab, filters, "source_country", "country", row_limit=10, column_limit=15)
if matrix.empty:
    show.empty("No publisher countries are known for this selection.")
else:
    figure = figures.bubble_matrix(
        matrix,
        title="Publisher country × country mentioned",
        rows="source_country",
        columns="country",
        row_title="Publisher country",
        column_title="Country mentioned",
        measure_label=measure,
    )
    show.chart(figure, matrix, filters, key="countries_publishers", what="publisher-by-country")
