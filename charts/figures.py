"""The dashboard's charts. Each takes a frame from the query layer and returns a figure with
a title, axis titles, readable hover text and drill-down `customdata` on every point."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from charts.colors import GAP_COLOR, SEQUENTIAL, TOTAL_COLOR, color_map

BUCKET_TITLES = {"day": "Day", "week": "Week (ISO, from Monday)", "month": "Month"}
_BUCKET_HOVER = {"day": "%{x|%a %d %b %Y}", "week": "Week of %{x|%d %b %Y}", "month": "%{x|%B %Y}"}


def _escaped(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Labels as plain text: plotly reads `<...>` in labels and hover text as markup."""
    frame = frame.copy()
    for column in columns:
        frame[column] = frame[column].astype(str).map(html.escape)
    return frame


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, height: int = 380):
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        xaxis_title=x_title,
        yaxis_title=y_title,
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "v", "x": 1.01, "y": 1, "title": None},
        hoverlabel={"font_size": 13},
        clickmode="event+select",
    )
    return fig


def _value_axis(measure_label: str, mode: str) -> tuple[str, str]:
    """The column to plot and its axis title, for raw counts or share of coverage."""
    if mode == "share":
        return "share", f"Share of coverage ({measure_label.lower()}, %)"
    return "count", measure_label


def _drill(
    bucket: pd.Series | str, granularity: str, by: str, values: pd.Series | str, n: int
) -> list[list]:
    """Drill-down keys per point: `granularity:YYYY-MM-DD` of its bucket (or ""), the
    dimension and value it stands for (or ""), and two empty slots for a second pair."""
    if isinstance(bucket, pd.Series):
        buckets = [f"{granularity}:{pd.Timestamp(b).date().isoformat()}" for b in bucket]
    else:
        buckets = [bucket] * n
    items = [str(v) for v in values] if isinstance(values, pd.Series) else [values] * n
    return [[b, by if v else "", v, "", ""] for b, v in zip(buckets, items, strict=True)]


def _hover_values(frame: pd.DataFrame) -> list[list]:
    share = (frame["share"] * 100).round(1).fillna(0)
    return [
        [count, total, pct]
        for count, total, pct in zip(frame["count"], frame["total"], share, strict=True)
    ]


def coverage_over_time(
    frame: pd.DataFrame,
    *,
    title: str,
    granularity: str,
    measure_label: str,
    mode: str = "count",
    by: str | None = None,
    topics: list[str] | None = None,
    stacked: bool = False,
) -> go.Figure:
    """Lines (or stacked areas) of coverage per time bucket, one per value of `by`."""
    frame = _escaped(frame, *(["label"] if by else []))
    column, y_title = _value_axis(measure_label, mode)
    fig = go.Figure()
    groups = [(None, frame)] if by is None else list(frame.groupby("value", sort=False))
    colors = color_map(by or "total", [v for v, _ in groups if v is not None], topics or [])
    for value, part in groups:
        label = part["label"].iloc[0] if value is not None else measure_label
        scale = 100 if mode == "share" else 1
        customdata = [
            drill + hover + [label]
            for drill, hover in zip(
                _drill(part["bucket"], granularity, by or "", value or "", len(part)),
                _hover_values(part),
                strict=True,
            )
        ]
        fig.add_trace(
            go.Scatter(
                x=part["bucket"],
                y=part[column] * scale,
                name=label,
                mode="lines+markers",
                line={"color": colors.get(value, TOTAL_COLOR), "width": 2},
                marker={"size": 7},
                stackgroup="one" if stacked else None,
                customdata=customdata,
                hovertemplate=(
                    "<b>%{customdata[8]}</b><br>"
                    + _BUCKET_HOVER[granularity]
                    + f"<br>{measure_label}: %{{customdata[5]}}"
                    + "<br>Share: %{customdata[7]}% of %{customdata[6]}<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(type="date")
    return _layout(fig, title, BUCKET_TITLES[granularity], y_title)


def ranking(
    frame: pd.DataFrame,
    *,
    title: str,
    by: str,
    measure_label: str,
    mode: str = "count",
    axis_title: str,
    topics: list[str] | None = None,
    also: tuple[str, str] = ("", ""),
) -> go.Figure:
    """Horizontal bars of the top values of a dimension, biggest at the top.

    `also` is a (dimension, value) pair every bar stands for as well (a drill-down to the
    articles of a country *and* the country it is named with)."""
    frame = _escaped(frame, "label")
    column, x_title = _value_axis(measure_label, mode)
    ordered = frame.iloc[::-1]
    colors = color_map(by, ordered["value"], topics or [])
    customdata = [
        [*drill[:3], *also, *hover, label]
        for drill, hover, label in zip(
            _drill("", "", by, ordered["value"], len(ordered)),
            _hover_values(ordered),
            ordered["label"],
            strict=True,
        )
    ]
    fig = go.Figure(
        go.Bar(
            x=ordered[column] * (100 if mode == "share" else 1),
            y=ordered["label"],
            orientation="h",
            marker={"color": [colors[v] for v in ordered["value"]]},
            customdata=customdata,
            hovertemplate=(
                "<b>%{customdata[8]}</b>"
                + f"<br>{measure_label}: %{{customdata[5]}}"
                + "<br>Share: %{customdata[7]}% of %{customdata[6]}<extra></extra>"
            ),
        )
    )
    height = max(260, 60 + 28 * len(frame))
    return _layout(fig, title, x_title, axis_title, height=height)


def world_map(frame: pd.DataFrame, *, title: str, measure_label: str, mode: str = "count"):
    """Countries shaded by how much coverage mentions them."""
    frame = _escaped(frame, "label")
    column, legend = _value_axis(measure_label, mode)
    shown = frame.dropna(subset=["iso3"])
    customdata = [
        drill + hover + [label]
        for drill, hover, label in zip(
            _drill("", "", "country", shown["value"], len(shown)),
            _hover_values(shown),
            shown["label"],
            strict=True,
        )
    ]
    fig = go.Figure(
        go.Choropleth(
            locations=shown["iso3"],
            locationmode="ISO-3",
            z=shown[column] * (100 if mode == "share" else 1),
            colorscale=SEQUENTIAL,
            marker_line_color="#ffffff",
            marker_line_width=0.5,
            colorbar={"title": {"text": legend}},
            customdata=customdata,
            hovertemplate=(
                "<b>%{customdata[8]}</b>"
                + f"<br>{measure_label}: %{{customdata[5]}}"
                + "<br>Share: %{customdata[7]}% of %{customdata[6]}<extra></extra>"
            ),
        )
    )
    fig.update_geos(
        projection_type="natural earth",
        projection_rotation_lon=0,
        lonaxis_range=[-180, 180],
        lataxis_range=[-58, 85],
        showframe=False,
        showcountries=True,
        countrycolor="#c8ced6",
        showcoastlines=False,
        showland=True,
        landcolor="#f4f5f7",
    )
    return _layout(fig, title, "", "", height=460)


def bubble_matrix(
    frame: pd.DataFrame,
    *,
    title: str,
    rows: str,
    columns: str,
    row_title: str,
    column_title: str,
    measure_label: str,
) -> go.Figure:
    """A matrix of two dimensions; each bubble's size and shade show its count."""
    frame = _escaped(frame, "row_label", "column_label")
    biggest = max(int(frame["count"].max()), 1)
    customdata = [
        ["", rows, str(r), columns, str(c), int(n), rl, cl]
        for r, c, n, rl, cl in zip(
            frame["row"],
            frame["column"],
            frame["count"],
            frame["row_label"],
            frame["column_label"],
            strict=True,
        )
    ]
    fig = go.Figure(
        go.Scatter(
            x=frame["column_label"],
            y=frame["row_label"],
            mode="markers+text",
            text=frame["count"],
            textposition="middle center",
            textfont={"size": 10, "color": "#111111"},
            marker={
                # Bubbles shrink as columns multiply, so neighbours never overlap.
                "size": 8 + (36 - frame["column"].nunique()) * (frame["count"] / biggest) ** 0.5,
                "color": frame["count"],
                "colorscale": SEQUENTIAL,
                "cmin": 0,
                "showscale": True,
                "colorbar": {"title": {"text": measure_label}},
                "line": {"width": 1, "color": "#4a6fa5"},
            },
            customdata=customdata,
            hovertemplate=(
                "<b>%{customdata[6]}</b> × <b>%{customdata[7]}</b>"
                + f"<br>{measure_label}: %{{customdata[5]}}<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(type="category", tickangle=-35)
    fig.update_yaxes(type="category", autorange="reversed")
    height = max(320, 120 + 40 * frame["row"].nunique())
    return _layout(fig, title, column_title, row_title, height=height)


def daily_volume(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Articles per source per day; days without articles inside a source's span are gaps."""
    raw_sources = frame["source"]
    frame = _escaped(frame, "source")
    grid = frame.pivot(index="source", columns="day", values="articles")
    fig = go.Figure(
        go.Heatmap(
            x=list(grid.columns),
            y=list(grid.index),
            z=grid.values,
            colorscale=SEQUENTIAL,
            colorbar={"title": {"text": "Articles"}},
            hoverinfo="skip",  # the clickable layer below tells each cell's count
        )
    )
    gaps = frame[frame["gap"]]
    fig.add_trace(
        go.Scatter(
            x=gaps["day"],
            y=gaps["source"],
            mode="markers",
            name="Gap (no articles)",
            marker={"symbol": "x", "size": 9, "color": GAP_COLOR},
            hovertemplate="<b>%{y}</b><br>%{x|%a %d %b %Y}<br>No articles: a gap<extra></extra>",
        )
    )
    # Heatmap cells are not selectable: an invisible marker on each day with articles carries
    # the cell's drill-down keys, so a click on the cell opens that source's articles that day.
    # (The raw source goes into customdata; the escaped one only labels the axis.)
    days = frame[frame["articles"] > 0]
    fig.add_trace(
        go.Scatter(
            x=days["day"],
            y=days["source"],
            mode="markers",
            name="Articles",
            showlegend=False,
            marker={"symbol": "square", "size": 14, "opacity": 0},
            customdata=[
                [f"day:{day:%Y-%m-%d}", "source", raw, "", "", int(count)]
                for day, raw, count in zip(
                    days["day"], raw_sources[days.index], days["articles"], strict=True
                )
            ],
            hovertemplate="<b>%{y}</b><br>%{x|%a %d %b %Y}<br>Articles: %{customdata[5]}"
            "<extra></extra>",
        )
    )
    fig.update_yaxes(type="category", autorange="reversed")
    height = max(260, 90 + 26 * len(grid.index))
    return _layout(fig, title, "Day", "Source", height=height)


def weekly_movers(
    frame: pd.DataFrame,
    *,
    title: str,
    by: str,
    week: str,
    measure_label: str,
    topics: list[str] | None = None,
) -> go.Figure:
    """Bars of the change against the 4-week average: risers to the right, fallers left."""
    frame = _escaped(frame, "label")
    # Largest rise at the top; equal changes in alphabetical order from the top.
    ordered = frame.sort_values(["change_vs_average", "label"], ascending=[True, False])
    colors = color_map(by, ordered["value"], topics or [])
    customdata = [
        [f"week:{week}", by, str(value), "", "", int(now), round(float(avg), 1), label]
        for value, now, avg, label in zip(
            ordered["value"],
            ordered["this_week"],
            ordered["average_4w"],
            ordered["label"],
            strict=True,
        )
    ]
    fig = go.Figure(
        go.Bar(
            x=ordered["change_vs_average"],
            y=ordered["label"],
            orientation="h",
            marker={"color": [colors[v] for v in ordered["value"]]},
            customdata=customdata,
            hovertemplate=(
                "<b>%{customdata[7]}</b>"
                + f"<br>This week: %{{customdata[5]}} {measure_label.lower()}"
                + "<br>4-week average: %{customdata[6]}"
                + "<br>Change: %{x:+.1f}<extra></extra>"
            ),
        )
    )
    height = max(240, 60 + 28 * len(frame))
    return _layout(
        fig, title, f"Change vs 4-week average ({measure_label.lower()})", "", height=height
    )
