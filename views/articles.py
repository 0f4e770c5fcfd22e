"""Articles: the matching articles (paged, sortable); select one to read it in full with its
tags, the terms behind them, and its copies elsewhere."""

import math

import streamlit as st

from analytics.articles import (
    DEFAULT_PAGE_SIZE,
    SORTS,
    article,
    article_copies,
    article_countries,
    article_topics,
    count_articles,
    matching_articles,
)
from analytics.search import highlight_markers
from ui import show
from ui.article import article_view
from ui.data import query
from ui.filters import current_filters

filters = current_filters()
st.title("📄 Articles")
show.selection_caption(filters)

total = query(count_articles, filters)
if total == 0:
    show.empty("No articles match this selection: widen the period or remove a filter.")
else:
    pages = math.ceil(total / DEFAULT_PAGE_SIZE)
    if st.session_state.get("articles_page", 1) > pages:
        st.session_state["articles_page"] = 1
    sort = st.selectbox(
        "Sort", list(SORTS), format_func=lambda key: SORTS[key][0], key="articles_sort"
    )
    page = st.session_state.get("articles_page", 1)
    rows = query(matching_articles, filters, sort=sort, page=page)
    st.caption(f"{total:,} articles · page {page} of {pages} · select a row to read it")
    chosen = show.article_list(rows, key="articles_table")
    if pages > 1:
        st.pagination(pages, key="articles_page")
    if chosen and chosen != st.session_state.get("articles_chosen"):
        # A new row choice opens that article; an unchanged one leaves a copy opened since.
        st.session_state["articles_chosen"] = chosen
        st.query_params["article"] = chosen

article_id = st.query_params.get("article")
if article_id:
    record = query(article, article_id, filters.timezone)
    if record is None:
        show.empty("That article is not in the database (any more).")
    else:
        copy = article_view(
            record,
            query(article_countries, article_id),
            query(article_topics, article_id),
            query(article_copies, article_id, filters.timezone),
            markers=query(highlight_markers, filters.text)
            if filters.text and filters.text_problem() is None
            else (),
        )
        if copy:
            st.query_params["article"] = copy
            st.rerun()
