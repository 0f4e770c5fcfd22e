"""The query layer: one `Filters` value → parameterized SQL → small chart-shaped DataFrames.

Nothing here draws or imports Streamlit; every function takes a read-only `Database`.
"""
