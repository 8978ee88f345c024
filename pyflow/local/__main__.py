"""`python -m pyflow.local serve ...`: the same command, options and parser as
`pyflow local serve` (it needs the `cli` extra, like the `pyflow` command)."""

from __future__ import annotations

import sys

from ..cli import main

if __name__ == "__main__":
    main(["local", *sys.argv[1:]], prog_name="python -m pyflow.local")
