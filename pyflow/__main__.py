"""`python -m pyflow`: the `pyflow` command, where its console script is not installed (the
worker image copies the package rather than installing it)."""

from pyflow.cli import main

main()
