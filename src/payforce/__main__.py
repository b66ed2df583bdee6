"""``python -m payforce`` (and the ``payforce`` console script) runs the CLI.

``outlook``, ``role`` and ``signals`` are first tried on the fast read path
(:mod:`payforce.terminal.quick`): a cached answer for the same request, store and code is printed
without importing the CLI framework; anything else runs the full CLI.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point."""
    from payforce.terminal.quick import run

    if run(sys.argv[1:]):
        return
    from payforce.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
