"""payforce command line. ``main`` is the console script; ``app`` is the Typer app.

Each area registers its commands in its own module, imported below.
"""

from __future__ import annotations

from payforce.cli.app import app

# Command modules: importing registers their commands on ``app``.
from payforce.cli import core  # noqa: E402,F401  (outlook, role, trace, signals, docs, codes, init)
from payforce.cli import workforce  # noqa: E402,F401  (sync bls/onet, pivot, backtest)
from payforce.cli import web  # noqa: E402,F401  (serve, report)
from payforce.cli import federal_register  # noqa: E402,F401  (sync federal-register, watch, …)
from payforce.cli import assessment  # noqa: E402,F401  (assess new/template/answer/report)
from payforce.cli import fee_schedule  # noqa: E402,F401  (pay, ledger, economics, demand, sync …)

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
