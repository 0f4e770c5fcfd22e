"""Compare: up to four named text queries side by side over time, as counts or shares."""

import streamlit as st

from analytics.compare import MAX_NAME_CHARS, MAX_QUERIES, CompareError, compare_series
from analytics.filters import MEASURES, MODES
from analytics.search import SearchSyntaxError, compile_search, pointed
from charts import figures
from ui import show
from ui.data import query
from ui.filters import current_filters

filters = current_filters()
st.title("⚖️ Compare queries")
show.selection_caption(filters.replace(text=""))
st.caption(
    "Each line counts the selected articles that match its query (the sidebar's own text "
    'query is set aside). Query syntax: words, "phrases", AND / OR / NOT, (groups), '
    "prefix*, title:, source:, lang:."
)

named: list[tuple[str, str]] = []
for number, column in enumerate(st.columns(MAX_QUERIES), start=1):
    with column:
        name = st.text_input(
            f"Name {number}", key=f"compare_name_{number}", max_chars=MAX_NAME_CHARS
        )
        text = st.text_input(
            f"Query {number}", key=f"compare_query_{number}", placeholder="(НАТО OR NATO) Украйна"
        )
        if not text.strip():
            continue
        try:
            compile_search(text)
        except SearchSyntaxError as error:
            st.error(show.escape_markdown(error.message), icon="⚠️")
            st.code(pointed(text, error), language=None)
            continue
        named.append((name.strip() or f"Query {number}", text))

mode = st.radio(
    "Show",
    list(MODES),
    format_func=MODES.get,
    horizontal=True,
    key="compare_mode",
    index=list(MODES).index(filters.mode),
)
if not named:
    show.empty("Type up to four queries above to compare their coverage.")
else:
    try:
        series = query(compare_series, filters, tuple(named))
    except CompareError as problem:
        st.error(show.escape_markdown(str(problem)), icon="⚠️")
    else:
        measure = MEASURES[filters.measure]
        figure = figures.coverage_over_time(
            series,
            title=f"{measure} over time, per query",
            granularity=filters.granularity,
            measure_label=measure,
            mode=mode,
            by="query",
        )
        show.chart(figure, series, filters, key="compare_chart", what="compare", drillable=False)
