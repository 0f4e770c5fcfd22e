"""Pure figure builders: a chart-shaped frame in, a plotly figure out. No Streamlit, no SQL.

Every clickable point carries its drill-down in `customdata`: `[bucket, dimension, value,
dimension, value]` (empty strings where a part does not apply), read back by `ui.drill`.
"""
