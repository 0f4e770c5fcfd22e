"""Media Monitor: `streamlit run dashboard.py`.

The entry point: page navigation, the shared sidebar filters, and the first-run demo build.
Each page reads the filters, asks the query layer (`analytics/`) and draws (`charts/`).
"""

from __future__ import annotations

import streamlit as st

from access import require_sign_in
from analytics.database import DatabaseUnavailable
from ui.bootstrap import database_ready
from ui.filters import sidebar_filters

st.set_page_config(page_title="Media Monitor", page_icon="📰", layout="wide")
require_sign_in()

PAGES = [
    st.Page("views/overview.py", title="Overview", icon="📰", default=True),
    st.Page("views/topics.py", title="Topics", icon="🏷️"),
    st.Page("views/countries.py", title="Countries", icon="🌍"),
    st.Page("views/sources.py", title="Sources", icon="🗞️"),
    st.Page("views/articles.py", title="Articles", icon="📄"),
    st.Page("views/compare.py", title="Compare queries", icon="⚖️"),
    st.Page("views/saved.py", title="Saved searches", icon="🔖"),
    st.Page("views/trends.py", title="Weekly trends", icon="📈"),
    st.Page("views/export.py", title="Export", icon="⬇️"),
    st.Page("views/health.py", title="Data health", icon="🩺"),
]

navigation = st.navigation(PAGES)
if database_ready():
    try:
        sidebar_filters()
        navigation.run()
    except DatabaseUnavailable as problem:
        st.warning(str(problem), icon="⏳")
