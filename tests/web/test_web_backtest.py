"""The backtest page, /api/backtest and the role page's forecast-over-time charts."""

from __future__ import annotations

import re


def _no_script_or_style(html: str) -> None:
    assert "<script" not in html
    assert not re.search(r"<[^>]+\sstyle=", html)  # the CSP forbids inline styles


def _headings_do_not_jump(html: str) -> None:
    levels = [int(h) for h in re.findall(r"<h([1-6])[\s>]", html)]
    assert levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"h{before} → h{after}"


def test_backtest_page_shows_predicted_vs_realised_with_baselines(client):
    r = client.get("/backtest")
    assert r.status_code == 200
    html = r.text
    _no_script_or_style(html)
    _headings_do_not_jump(html)
    assert "Origin 2015" in html and "BLS projection alone" in html
    assert "every healthcare occupation outpaces" in html
    assert html.count('<svg class="chart"') >= 8  # one scatter per origin with a 5-year outcome
    assert "29-1141 Registered Nurses: predicted" in html  # a dot names its series
    assert "Origin 2012" not in html  # nothing was public to forecast from
    latest = client.get("/backtest?horizon=latest").text
    assert "2015 → 2024" in latest or "May 2015 → May 2024" in latest


def test_backtest_page_rejects_an_unknown_horizon(client):
    r = client.get("/backtest?horizon=10y")
    assert r.status_code == 400
    assert "horizon: not one of 3y, 5y, latest" in r.text


def test_api_backtest_gives_every_row_in_the_envelope(client):
    r = client.get("/api/backtest")
    assert r.status_code == 200
    data = r.json()
    assert data["ok"] is True
    row = data["rows"][0]
    assert {"soc", "prediction", "realised", "baselines", "origin", "horizon"} <= set(row)
    assert {c["origin"] for c in data["cells"]} >= {2013, 2014, 2015, 2016, 2019}


def test_role_page_charts_the_forecast_over_time(client):
    html = client.get("/roles/care_manager_rn?as_of=2026-06-30").text
    _no_script_or_style(html)
    assert 'id="forecast-over-time"' in html and 'id="employment-over-time"' in html
    assert "Forecast over time" in html and "29-1141" in html
    # replayed as of 2015: the chart stops at 2015 and employment ends at the May 2014 survey
    old = client.get("/roles/care_manager_rn?as_of=2015-12-31").text
    assert "2016" not in re.findall(r'id="forecast-over-time".*?</figure>', old, re.S)[0]
