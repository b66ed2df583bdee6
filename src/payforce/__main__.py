"""``python -m payforce`` runs the CLI."""

from payforce.cli import main

main()
