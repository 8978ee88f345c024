"""Tests are split by scope, each folder with its own fixtures:

    unit/         pure: the model, the decider, rendering (no engine, no threads)
    functional/   the embedded engine or moto in-process: runtime, CLI, local.run
    integration/  subprocesses, HTTP servers, moto_server, the AWS CLI, the console script
    infra/        the CDK app (synthesis, cdk-nag, cfn-lint, the decider handler)
    support/      helpers and workflows shared by several test files

`make test-unit` runs unit/ alone; `make test` runs everything.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The example `workflows/` and `handlers/` packages, and `tests.support`, live at the
# repository root; pytest's importlib mode does not put it on sys.path by itself when pytest
# runs from another directory.
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
