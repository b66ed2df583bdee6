"""payforce command line. ``main`` is the console script; ``app`` is the Typer app.

Each area registers its commands in its own module; importing a module registers its commands:
core (init, outlook, role, trace, signals, docs, codes), workforce (sync bls/onet, pivot),
forecast (backtest), web (serve, report), federal_register (sync federal-register, watch,
digest, feed, calendar, rulemaking), assessment (assess …), fee_sync (sync
fee-schedule/hcpcs), fee_schedule (pay, ledger, economics, demand), mssp (sync mssp),
userdata (backup, restore), audit (audit).
"""

from __future__ import annotations

from payforce.cli import (
    assessment,
    audit,
    core,
    federal_register,
    fee_schedule,
    fee_sync,
    forecast,
    mssp,
    userdata,
    web,
    workforce,
)
from payforce.cli.app import app

__all__ = ["COMMAND_MODULES", "app", "main"]

COMMAND_MODULES = (
    core,
    workforce,
    web,
    federal_register,
    assessment,
    fee_schedule,
    fee_sync,
    mssp,
    userdata,
    forecast,
    audit,
)
"""Every module that registers commands (kept referenced so linters see them used)."""


def main() -> None:
    """Console-script entry point."""
    app()
