"""Rolling backtest on the bundled data: what each origin could see, the rows, the scores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from payforce.forecasts.backtest import run_rolling_backtest
from payforce.forecasts.inputs import OutlookCache, load_inputs, origin_date, policy_by_series
from payforce.forecasts.metrics import correct_calls, spearman
from payforce.forecasts.replay import replay
from payforce.store.db import Store
from payforce.store.snapshot import load_snapshot
from payforce.workforce.labour import oews_panel, series_catalog


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One bundled store for this module's read-only tests."""
    path = Path(tmp_path_factory.mktemp("bt")) / "payforce.db"
    store = Store.open(f"sqlite:///{path}")
    load_snapshot(store)
    yield store
    store.dispose()


@pytest.fixture(scope="module")
def result(shared_store):
    return run_rolling_backtest(shared_store)


@pytest.mark.parametrize(
    ("origin", "vintage"),
    [(2013, "2012-22"), (2014, "2012-22"), (2015, "2014-24"), (2016, "2014-24"), (2019, "2016-26")],
)
def test_an_origin_sees_only_vintages_public_on_31_december(shared_store, origin, vintage):
    inputs = load_inputs(shared_store, origin_date(origin), OutlookCache(shared_store))
    assert inputs.base_year == origin - 1  # May O-1 is released in the spring of O
    assert inputs.vintage is not None and inputs.vintage.label == vintage
    assert max(max(years) for years in inputs.panel.values() if years) == origin - 1
    for what, day in inputs.available_from.items():
        assert date.fromisoformat(day) <= origin_date(origin), what


def test_later_origins_do_not_change_an_earlier_forecast(shared_store):
    # The parameters at 2016 are fitted on 2013-2015 outcomes published by 2016-12-31 only:
    # replaying up to 2016 or up to 2021 gives the same 2016 forecasts.
    short = replay(shared_store, (2013, 2014, 2015, 2016))
    full = replay(shared_store)
    a = {(r.soc, r.horizon): r.prediction for r in short.rows if r.origin == 2016}
    b = {(r.soc, r.horizon): r.prediction for r in full.rows if r.origin == 2016}
    assert a and a == b
    assert short.fits[2016].params.trained_on == full.fits[2016].params.trained_on
    assert all(int(label[-4:]) <= 2015 for label in full.fits[2016].params.trained_on)


def test_policy_part_is_zero_without_signals(shared_store, monkeypatch):
    catalog = series_catalog(shared_store)
    assert set(policy_by_series(catalog, []).values()) == {0.0}
    monkeypatch.setattr(OutlookCache, "get", lambda self, as_of: [])
    rep = replay(shared_store, (2013, 2014, 2015, 2016, 2017), outlooks=OutlookCache(shared_store))
    assert rep.rows
    assert {r.parts["policy"] for r in rep.rows} == {0.0}
    assert all(r.value("payforce") == r.value("payforce_no_policy") for r in rep.rows)


def test_rows_carry_prediction_realised_and_baselines(shared_store, result):
    row = next(
        r for r in result.rows if r.origin == 2015 and r.horizon == "latest" and r.soc == "29-1141"
    )
    panel = oews_panel(shared_store)
    rn, total = panel["29-1141"], panel["00-0000"]
    by_hand = 100 * (rn[2024] / rn[2014] - total[2024] / total[2014])
    assert row.realised == pytest.approx(by_hand)
    d = row.to_dict()
    assert {"soc", "prediction", "realised", "baselines"} <= set(d)
    assert set(d["baselines"]) == {"bls", "momentum", "healthcare_grows", "payforce_no_policy"}
    assert sum(row.parts.values()) == pytest.approx(row.prediction)


def test_cells_score_every_origin_and_explain_the_empty_one(result):
    origins = {c.origin for c in result.cells}
    assert {2013, 2014, 2015, 2016, 2019} <= origins
    assert any(n.startswith("2012:") for n in result.notes)  # only May 2011 was public
    cell = next(c for c in result.cells if c.origin == 2015 and c.horizon == "latest")
    rows = [
        r
        for r in result.rows
        if r.origin == 2015
        and r.horizon == "latest"
        and r.bls is not None
        and r.momentum is not None
    ]
    assert cell.n == len(rows)
    bls = [r.bls or 0.0 for r in rows]
    real = [r.realised for r in rows]
    assert cell.scores["bls"]["spearman"].value == pytest.approx(spearman(bls, real))
    assert cell.scores["bls"]["correct"].value == pytest.approx(correct_calls(bls, real))
    assert cell.scores["healthcare_grows"]["spearman"].value is None  # a constant ranks nothing
    # no parameter is fitted at the first origins: payforce is the BLS projection there
    first = next(c for c in result.cells if c.origin == 2013)
    assert first.params.n_train == 0
    assert first.scores["payforce"]["spearman"].value == first.scores["bls"]["spearman"].value


def test_cli_backtest_json_rows_and_a_bad_horizon(cli_env):
    import json

    from typer.testing import CliRunner

    from payforce.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["backtest", "--origin", "2015", "--horizon", "5", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["ok"] is True and data["origins"] == [2015]
    assert {c["horizon"] for c in data["cells"]} == {"5y"}
    row = next(r for r in data["rows"] if r["soc"] == "29-1141")
    assert (row["base_year"], row["end_year"]) == (2014, 2019)
    assert {"prediction", "realised", "baselines"} <= set(row)
    bad = runner.invoke(app, ["backtest", "--horizon", "soon"])
    assert bad.exit_code == 1
    assert "--horizon: not a number of years or 'latest' ('soon')" in bad.output


def test_outlook_and_role_carry_the_forecast_with_its_public_dates(shared_store):
    from payforce.views.gather import gather_outlook, gather_role

    day = date(2016, 6, 30)
    out = gather_outlook(shared_store, day)["forecast"]
    assert out["base_year"] == 2015 and out["projection_vintage"] == "2014-24"
    assert all(date.fromisoformat(v) <= day for v in out["available_from"].values())
    # fitted on origins 2013 and 2014 whose end years (≤ 2015) OEWS had published by then
    assert all(int(label[-4:]) <= 2015 for label in out["params"]["trained_on"])
    rn = next(s for s in out["series"] if s["series"] == "29-1141")
    assert sum(rn["parts_pp"].values()) == pytest.approx(rn["prediction_pp"], abs=0.01)
    role = gather_role(shared_store, "care manager", day)["forecast"]
    assert role["series"] == "29-1141" and role["prediction_pp"] == rn["prediction_pp"]
