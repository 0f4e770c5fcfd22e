"""Shared fixtures: the dashboard's fixture database, built once per test session."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest

from analytics.database import Database
from etl.pipeline import ingest

DASHBOARD_FIXTURES = Path(__file__).parent / "fixtures" / "dashboard"


@pytest.fixture(scope="session")
def dashboard_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dashboard fixture database: tests/fixtures/dashboard through the real ingest."""
    db_path = tmp_path_factory.mktemp("dashboard") / "monitor.duckdb"
    ingest([DASHBOARD_FIXTURES / "articles.jsonl"], db_path)
    return db_path


@pytest.fixture(scope="session")
def dashboard_db(dashboard_db_path: Path) -> Database:
    return Database(dashboard_db_path)


def _plain(value):
    """Plotly JSON with its packed arrays ({"dtype", "bdata"}) unpacked into lists."""
    if isinstance(value, dict) and {"dtype", "bdata"} <= set(value):
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return array.tolist()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


class Dashboard:
    """Drives the dashboard in Streamlit's AppTest and reads what a user would get from it:
    figure data, downloads, clicks on chart points (which AppTest has no method for)."""

    def __init__(self, app, managers: list) -> None:
        self.app = app
        self._managers = managers

    def open(self, page: str | None = None, **query_params) -> Dashboard:
        self.app.query_params.update(query_params)
        self.app.run()
        if page:
            self.app.switch_page(page).run()
        self.assert_no_exception()
        return self

    def assert_no_exception(self) -> None:
        assert not self.app.exception, [item.value for item in self.app.exception]

    def charts(self) -> dict[str, dict]:
        """Every plotly chart on the page: its key → the figure as plotly JSON (plain lists)."""
        return {
            element.key: _plain(json.loads(element.proto.spec))
            for element in self.app.get("plotly_chart")
        }

    def point(self, chart_key: str, containing: str) -> list:
        """The customdata of the first point of a chart that has `containing` in it."""
        for trace in self.charts()[chart_key]["data"]:
            for custom in trace.get("customdata", []):
                if containing in custom:
                    return custom
        raise AssertionError(f"no point of {chart_key} has {containing!r}")

    def click(self, chart_key: str, customdata: list) -> Dashboard:
        """Select one point of a chart, as a click in the browser does, and rerun."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        chart = next(e for e in self.app.get("plotly_chart") if e.key == chart_key)
        states = self.app._tree.get_widget_states()
        state = WidgetState(id=chart.proto.id)
        point = {"curve_number": 0, "point_number": 0, "point_index": 0, "customdata": customdata}
        state.string_value = json.dumps(
            {"selection": {"points": [point], "point_indices": [0], "box": [], "lasso": []}}
        )
        states.widgets.append(state)
        self.app._run(states)
        self.assert_no_exception()
        return self

    def download(self, key: str):
        """What a download button sends: `.filename` and `.content` (bytes); a deferred
        download (data made on click) is made here as the click would."""
        button = next(b for b in self.app.get("download_button") if b.proto.id.endswith(key))
        manager = self._managers[-1]
        url = button.proto.url or manager.execute_deferred(button.proto.deferred_file_id)
        return manager._storage.get_file(url.rsplit("/", 1)[-1])


@pytest.fixture
def dashboard(dashboard_db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Dashboard:
    """The dashboard app on the fixture database, ready to `open()`."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.testing.v1 import AppTest, app_test

    managers: list = []

    class KeptMediaFileManager(MediaFileManager):
        def __init__(self, storage) -> None:
            super().__init__(storage)
            managers.append(self)

    monkeypatch.setattr(app_test, "MediaFileManager", KeptMediaFileManager)
    monkeypatch.setenv("MONITOR_DB", str(dashboard_db_path))
    monkeypatch.delenv("MONITOR_TIMEZONE", raising=False)
    root = Path(__file__).resolve().parents[1]
    app = AppTest.from_file(str(root / "dashboard.py"), default_timeout=60)
    return Dashboard(app, managers)
