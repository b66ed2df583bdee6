"""Forecast metrics on small inputs, checked by hand."""

from __future__ import annotations

import pytest

from payforce.forecasts.metrics import (
    bootstrap,
    brier,
    correct_calls,
    mean_absolute_error,
    normal_cdf,
    ranks,
    spearman,
)


def test_ranks_average_ties():
    assert ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4]


def test_spearman_by_hand():
    # ranks differ by d = 0, 1, 1, 0: rho = 1 - 6 * 2 / (4 * (16 - 1)) = 0.8
    assert spearman([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)
    assert spearman([1, 2, 3], [30, 20, 10]) == pytest.approx(-1.0)
    assert spearman([1, 1, 1], [1, 2, 3]) is None  # a constant forecast ranks nothing


def test_correct_calls_mae_and_brier_by_hand():
    pred, real = [1.0, -1.0, 2.0, -3.0], [0.5, 1.0, -1.0, -2.0]
    assert correct_calls(pred, real) == 0.5  # first and last right
    assert mean_absolute_error([1.0, 2.0], [3.0, -1.0]) == pytest.approx(2.5)
    # (1 - 0.8)^2 and (0 - 0.3)^2, averaged
    assert brier([0.8, 0.3], [1.0, -1.0]) == pytest.approx(0.065)


def test_normal_cdf():
    assert normal_cdf(0.0) == pytest.approx(0.5)
    assert normal_cdf(1.96) == pytest.approx(0.975, abs=1e-3)


def test_bootstrap_is_reproducible_and_brackets_the_value():
    pred = [float(i) for i in range(20)]
    real = [float(i + (3 if i % 2 else -3)) for i in range(20)]
    a = bootstrap(spearman, pred, real)
    b = bootstrap(spearman, pred, real)
    assert a == b
    assert a.low is not None and a.high is not None
    assert a.low <= a.value <= a.high <= 1.0


def test_fit_needs_ten_rows_and_then_learns_the_policy_coefficient():
    from payforce.forecasts.model import TrainingRow, fit_params

    few = [TrainingRow(3, 1.0, 1.0, 0.0, 1.0, "2012→2015")] * 9
    assert fit_params(few).policy_beta == 0.0 and fit_params(few).n_train == 9
    # realised = BLS + 2 pp a year per unit of policy score, over 3 years
    rows = [
        TrainingRow(3, float(i), float(i), p, float(i) + 3 * 2.0 * p, "o")
        for i, p in enumerate([0.0, 0.5, 1.0, 1.5, 2.0] * 4)
    ]
    params = fit_params(rows)
    assert 1.0 < params.policy_beta < 2.0  # shrunk toward 0 by the ridge, not past the truth
    # the intercept takes up the shrinkage: at the mean policy score (1.0) the fit is exact
    assert params.intercept + params.policy_beta == pytest.approx(2.0)


def test_forecast_without_policy_signals_has_no_policy_part():
    from payforce.forecasts.model import Params, forecast_series

    params = Params(policy_beta=2.0)
    f = forecast_series("29-1141", 5, 2014, (1.02, 1.01), (1.03, 1.01), 0.0, params)
    assert f is not None and f.policy_pp == 0.0
    # BLS alone: 100 * (1.02^5 - 1.01^5)
    assert f.prediction == pytest.approx(100 * (1.02**5 - 1.01**5))
    g = forecast_series("29-1141", 5, 2014, (1.02, 1.01), (1.03, 1.01), 0.5, params)
    assert g is not None and g.policy_pp == pytest.approx(5 * 2.0 * 0.5)
