"""Saved searches: name the current text query with its filters, reopen one from the list,
copy its link to share it."""

from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from analytics.database import database_path
from analytics.filters import Filters, today_in
from analytics.saved_searches import (
    MAX_NAME_CHARS,
    SavedSearchError,
    delete_search,
    load_saved,
    save_search,
    saved_path,
)
from analytics.search import SearchSyntaxError, pointed
from ui import drill, show
from ui.filters import current_filters

filters = current_filters()
path = saved_path(database_path())
st.title("🔖 Saved searches")

st.subheader("Save the current selection")
show.selection_caption(filters)
name = st.text_input("Name", key="saved_name", max_chars=MAX_NAME_CHARS)
if st.button("Save", key="saved_save"):
    try:
        save_search(path, name, filters.to_query_params())
    except SearchSyntaxError as error:
        st.error("The text query has an error: " + show.escape_markdown(error.message), icon="⚠️")
        st.code(pointed(filters.text, error), language=None)
    except SavedSearchError as problem:
        st.error(show.escape_markdown(str(problem)), icon="⚠️")
    else:
        st.success("Saved.", icon="✅")

st.subheader("Saved")
try:
    searches = load_saved(path)
except SavedSearchError as problem:
    st.error(show.escape_markdown(str(problem)), icon="⚠️")
    searches = []
if not searches:
    show.empty("Nothing saved yet.")
else:
    table = pd.DataFrame(
        {
            "Name": [search.name for search in searches],
            "Query": [search.query for search in searches],
            "Saved (UTC)": [search.saved_at.replace("T", " ")[:16] for search in searches],
        }
    )
    event = st.dataframe(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="saved_table",
        width="stretch",
    )
    rows = event.selection.rows if event else []
    if rows:
        chosen = searches[rows[0]]
        address = urlsplit(st.context.url or "")
        st.caption("Link to share:")
        st.code(chosen.url(f"{address.scheme}://{address.netloc}/articles"), language=None)
        open_column, delete_column = st.columns(2)
        if open_column.button("Open its articles", key="saved_open"):
            reopened = Filters.from_query_params(chosen.params, today_in(filters.timezone))
            st.session_state[drill.PENDING_KEY] = reopened
            st.switch_page(drill.ARTICLES_PAGE, query_params=reopened.to_query_params())
        if delete_column.button("Delete", key="saved_delete"):
            try:
                delete_search(path, chosen.name)
            except SavedSearchError as problem:
                st.error(show.escape_markdown(str(problem)), icon="⚠️")
            else:
                st.rerun()
