"""The shared sidebar filters: seeded from the URL, written back to it, kept across pages."""

from __future__ import annotations

from datetime import date

from tests.conftest import Dashboard

POLITICS = "11000000"


def test_a_link_reproduces_the_view(dashboard: Dashboard) -> None:
    dashboard.open(
        period="custom",
        **{"from": "2026-03-23", "to": "2026-03-29"},
        topic=POLITICS,
        count="placements",
        mode="share",
        tz="Europe/Sofia",
    )
    app = dashboard.app
    state = app.session_state
    assert (state["f_period"], state["f_range"]) == (
        "custom",
        (date(2026, 3, 23), date(2026, 3, 29)),
    )
    assert (state["f_topics"], state["f_measure"], state["f_share"]) == (
        [POLITICS],
        "placements",
        True,
    )
    assert state["f_timezone"] == "Europe/Sofia"
    assert [metric.value for metric in app.metric][:2] == ["4", "6"]
    captions = " ".join(caption.value for caption in app.caption).replace("\\", "")
    # The derby (Sunday 22:30 UTC) is Monday in Sofia: 12 placements in that week, not 13.
    assert "Share of coverage: 50.0% of 12 placements" in captions
    timeline = dashboard.charts()["overview_timeline"]
    assert timeline["data"][0]["y"] == [50.0]
    assert timeline["layout"]["yaxis"]["title"]["text"] == "Share of coverage (placements, %)"
    assert app.query_params["tz"] == "Europe/Sofia"


def test_filters_stay_when_moving_between_pages(dashboard: Dashboard) -> None:
    dashboard.open()
    app = dashboard.app
    app.multiselect(key="f_countries").select("UA").run()
    app.switch_page("views/topics.py").run()
    dashboard.assert_no_exception()
    assert app.multiselect(key="f_countries").value == ["UA"]
    assert app.query_params["country"] == "UA"
    ranking = dashboard.charts()["topics_ranking"]["data"][0]
    assert (ranking["y"], ranking["x"]) == (["politics"], [4])


def test_nonsense_in_the_url_does_not_break_the_page(dashboard: Dashboard) -> None:
    dashboard.open(period="fortnight", **{"from": "soon"}, topic="no-such-topic", by="year")
    app = dashboard.app
    assert app.session_state["f_period"] == "all"
    assert app.multiselect(key="f_topics").value == ["no-such-topic"]
    assert "No dated articles match" in app.info[0].value
    assert "by" not in app.query_params


def test_a_custom_period_starts_from_a_sensible_range(dashboard: Dashboard) -> None:
    dashboard.open()
    app = dashboard.app
    app.selectbox(key="f_period").select("custom").run()
    dashboard.assert_no_exception()
    start, end = app.session_state["f_range"]
    assert (end - start).days == 29
    assert app.query_params["period"] == "custom"
