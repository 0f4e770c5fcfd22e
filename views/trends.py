"""Weekly trends: the last complete ISO week against the week before and the 4-week
average, per topic, country and source: risers, fallers, new entries and spikes, each spike
with the stories and words that drove it."""

from datetime import timedelta

import streamlit as st

from analytics.coverage import topic_labels
from analytics.filters import MEASURES, today_in
from analytics.trends import (
    BREAKDOWNS,
    DEFAULT_FLOOR,
    DEFAULT_RATIO,
    complete_weeks,
    last_complete_week,
    spike_stories,
    spike_terms,
    week_filters,
    weekly_changes,
)
from charts import figures
from ui import show
from ui.data import query
from ui.drill import open_filters
from ui.filters import current_filters

filters = current_filters()
measure = MEASURES[filters.measure]
topics = list(query(topic_labels))

st.title("📈 Weekly trends")
show.plain_caption(
    "Sidebar filters apply except the period: weeks are ISO weeks (Monday–Sunday) in "
    f"{filters.timezone}. " + show.describe(filters.with_range(None, None))
)
today = today_in(filters.timezone)
weeks = query(complete_weeks, filters, today)
if not weeks:
    show.empty("No complete week has coverage in this selection yet.")
    st.stop()
default_week = last_complete_week(today)
week = st.selectbox(
    "Week",
    weeks,
    index=weeks.index(default_week) if default_week in weeks else 0,
    format_func=lambda monday: (
        f"{monday:%G-W%V}: {monday:%d %b} – {monday + timedelta(6):%d %b %Y}"
    ),
    key="trends_week",
)
if default_week not in weeks:
    show.plain_caption(
        f"The last complete week ({default_week:%G-W%V}) has no coverage in this selection; "
        "the latest week that has is shown."
    )
with st.expander("Spike rule"):
    floor = st.number_input("Minimum volume this week", 1, 1000, DEFAULT_FLOOR, key="trends_floor")
    ratio = st.number_input(
        "Times the 4-week average", 1.0, 20.0, DEFAULT_RATIO, step=0.5, key="trends_ratio"
    )

for tab, by in zip(st.tabs(list(BREAKDOWNS.values())), BREAKDOWNS, strict=True):
    with tab:
        changes = query(weekly_changes, filters, by, week, floor=floor, ratio=ratio)
        if changes.empty:
            show.empty(f"No {BREAKDOWNS[by].lower()} in these weeks.")
            continue
        movers = changes[changes["change_vs_average"] != 0]
        movers = movers.reindex(
            movers["change_vs_average"].abs().sort_values(ascending=False).index
        )
        left, right = st.columns([2, 3])
        with left:
            if movers.empty:
                show.empty("Nothing moved against the 4-week average.")
            else:
                figure = figures.weekly_movers(
                    movers.head(12),
                    title="Risers and fallers",
                    by=by,
                    week=str(week),
                    measure_label=measure,
                    topics=topics,
                )
                show.chart(figure, changes, filters, key=f"trends_{by}", what=f"weekly-{by}")
        with right:
            table = changes.assign(
                flag=changes["is_spike"].map({True: "⚡ spike", False: ""})
                + changes["is_new"].map({True: " 🆕 new", False: ""})
            )
            st.dataframe(
                table[
                    [
                        "label",
                        "this_week",
                        "previous_week",
                        "change",
                        "average_4w",
                        "sparkline",
                        "flag",
                    ]
                ],
                hide_index=True,
                width="stretch",
                column_config={
                    "label": BREAKDOWNS[by][:-1],
                    "this_week": "This week",
                    "previous_week": "Week before",
                    "change": st.column_config.NumberColumn("Change", format="%+d"),
                    "average_4w": st.column_config.NumberColumn("4-week avg", format="%.1f"),
                    "sparkline": st.column_config.LineChartColumn("Last 8 weeks", y_min=0),
                    "flag": "",
                },
            )
        for spike in changes[changes["is_spike"]].head(3).itertuples():
            with st.expander(
                f"⚡ {show.escape_markdown(spike.label)}: {spike.this_week} {measure.lower()} "
                f"(4-week average {spike.average_4w:.1f})"
            ):
                stories, words = st.columns([3, 2])
                stories.dataframe(
                    query(spike_stories, filters, by, spike.value, week),
                    hide_index=True,
                    width="stretch",
                )
                words.dataframe(
                    query(spike_terms, filters, by, spike.value, week),
                    hide_index=True,
                    width="stretch",
                )
                if st.button("Open these articles", key=f"spike_{by}_{spike.value}"):
                    open_filters(week_filters(filters, by, spike.value, week))
