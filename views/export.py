"""Export: the filtered articles as CSV (all of them, streamed), and every aggregate the
dashboard shows. UTF-8 with a byte-order mark so Excel shows Cyrillic; formulas neutralized."""

import streamlit as st

from analytics.articles import EXPORT_COLUMNS, count_articles
from analytics.coverage import coverage_over_time, top_values
from analytics.crosstabs import crosstab
from analytics.export import articles_csv
from analytics.sources import source_profiles
from ui import show
from ui.data import current_database, query
from ui.filters import current_filters

filters = current_filters()
st.title("⬇️ Export")
show.selection_caption(filters)

st.subheader("Articles")
total = query(count_articles, filters)
include_body = st.checkbox("Include the full text (bigger file)", key="export_body")
columns = [*EXPORT_COLUMNS, *(["body"] if include_body else [])]
st.write(f"**{total:,} articles**, newest first, with the columns: " + ", ".join(columns) + ".")
st.caption(
    "No row limit: every matching article is written, streamed from the database. "
    "Countries and topics are `;`-separated codes; `story` groups copies of one story."
)
database = current_database()
st.download_button(
    f"⬇️ Download {total:,} articles (CSV)",
    data=lambda: articles_csv(database, filters, include_body),
    file_name=f"{filters.file_stem('articles')}.csv",
    mime="text/csv",
    disabled=total == 0,
    key="export_articles",
    on_click="ignore",
)

st.subheader("Aggregates")
show.plain_caption(
    "Each is the data of a chart, with the share-of-coverage denominator (`total`) where "
    "it applies. Charts also have their own download button."
)
EVERY_ROW = 10_000_000  # the aggregates are exported whole
AGGREGATES = {
    "coverage-over-time": ("Coverage over time", coverage_over_time, {}),
    "topics-over-time": ("Topics over time", coverage_over_time, {"by": "topic", "top": 50}),
    "top-topics": ("Topics", top_values, {"by": "topic", "limit": EVERY_ROW}),
    "top-countries": ("Countries mentioned", top_values, {"by": "country", "limit": EVERY_ROW}),
    "top-sources": ("Sources", top_values, {"by": "source", "limit": EVERY_ROW}),
    "top-agencies": ("Agencies", top_values, {"by": "agency", "limit": EVERY_ROW}),
    "topic-by-country": (
        "Topic × country",
        crosstab,
        {"rows": "topic", "columns": "country", "row_limit": EVERY_ROW, "column_limit": EVERY_ROW},
    ),
    "source-profiles": ("Source profiles", source_profiles, {"limit": EVERY_ROW}),
}
for what, (label, function, arguments) in AGGREGATES.items():
    frame = query(function, filters, **arguments)
    left, right = st.columns([3, 2])
    left.write(f"{label}: {len(frame):,} rows")
    with right:
        show.download(frame, filters, what, key=f"export_{what}")
