"""Forecast commands: backtest (rolling origins and horizons, against BLS and other baselines)."""

from __future__ import annotations

from typing import Annotated

import typer

from payforce.cli.app import DbOption, JsonOption, app, emit_json, open_cli_store, out
from payforce.errors import InputError

__all__ = ["backtest"]


def _horizons(values: list[str] | None) -> tuple[int | None, ...]:
    from payforce.forecasts.replay import HORIZONS

    if not values:
        return HORIZONS
    out_: list[int | None] = []
    for v in values:
        if v == "latest":
            out_.append(None)
        elif v.isdigit() and 0 < int(v) <= 15:
            out_.append(int(v))
        else:
            raise InputError(
                f"--horizon: not a number of years or 'latest' ({v!r})",
                hint="e.g. --horizon 3 --horizon 5 --horizon latest",
            )
    return tuple(out_)


def _fmt(v: float | None, pct: bool = False) -> str:
    if v is None:
        return "n/a"
    return f"{v:.0%}" if pct else f"{v:+.2f}"


@app.command()
def backtest(
    origin: Annotated[
        list[int] | None,
        typer.Option(
            "--origin", help="Origin year (as of 31 December); repeat. Default 2012-2021."
        ),
    ] = None,
    horizon: Annotated[
        list[str] | None,
        typer.Option("--horizon", help="Years from the base year, or 'latest'; repeat."),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Score forecasts made at past origins against the employment OEWS measured later.

    At each origin (31 December of the year) payforce forecasts every occupation series'
    employment change relative to all occupations from what was public then: the BLS
    Employment Projections vintage, OEWS momentum and payment-policy signals. Each
    (origin, horizon) is scored with Spearman, the share of correct faster/slower calls, mean
    absolute error and the Brier score of P(outpace), with bootstrap intervals, beside the BLS
    projection alone, momentum alone and "every healthcare occupation outpaces". Parameters are
    fitted on earlier origins only. See docs/backtest.md.

    Example: payforce backtest --origin 2015 --horizon 5
    """
    from payforce.forecasts.backtest import run_rolling_backtest
    from payforce.forecasts.replay import ORIGINS

    origins = tuple(origin) if origin else ORIGINS
    for o in origins:
        if not 2000 <= o <= 2100:
            raise InputError(f"--origin: not a year ({o})", hint="e.g. --origin 2015")
    result = run_rolling_backtest(open_cli_store(db), origins, _horizons(horizon))
    if json:
        emit_json(result.to_dict())
        return
    series = len({r.soc for r in result.rows})
    out(f"Rolling backtest: {series} occupation series, change relative to all occupations")
    out(f"(OEWS to May {result.latest_year}); inputs public on 31 December of each origin.")
    out("")
    out("origin years      n   Spearman             correct calls       policy")
    out("                      payforce  BLS   mom.  payforce BLS  all↑  adds ρ")
    for c in result.cells:
        s = c.scores
        out(
            f"{c.origin}   {c.base_year}→{c.end_year % 100:02d}  {c.n:>3}   "
            f"{_fmt(s['payforce']['spearman'].value):>7} {_fmt(s['bls']['spearman'].value):>6} "
            f"{_fmt(s['momentum']['spearman'].value):>6}  "
            f"{_fmt(s['payforce']['correct'].value, True):>6} "
            f"{_fmt(s['bls']['correct'].value, True):>5} "
            f"{_fmt(s['healthcare_grows']['correct'].value, True):>5}  "
            f"{_fmt(c.policy_vs_bls_residual.value):>6}"
        )
    for note in result.notes:
        out(f"Origin {note}.")
    out("")
    out("Against the BLS projection alone (better / equal / worse, by origin):")
    for h, g in result.summary().items():
        sp, cc = g["vs_bls"]["spearman"], g["vs_bls"]["correct"]
        ps = g["policy"]["spearman"]
        out(
            f"  {h:>6}: Spearman {sp['better']}/{sp['equal']}/{sp['worse']}, "
            f"correct calls {cc['better']}/{cc['equal']}/{cc['worse']}; "
            f"policy part on Spearman {ps['better']}/{ps['equal']}/{ps['worse']}"
        )
    out("")
    out("'policy adds ρ': Spearman of the policy index with what BLS missed")
    out("(realised − BLS). Parameters are fitted on earlier origins only; 95% intervals,")
    out("MAE and Brier scores for every predictor are in --json. See docs/backtest.md.")
