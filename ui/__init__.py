"""Streamlit glue shared by the pages: cached data access, the sidebar filters, drill-down,
and small display helpers. Logic lives in `analytics/` and `charts/`; this only wires it."""
