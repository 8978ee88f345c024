"""Workflows that several test files use, defined once.

`seed()` is DESIGN.md's StringTransformer verbatim (a fresh definition each call, since a task
belongs to one workflow); `workflows/string_transformer.py` ships the same graph as the example.
"""

from __future__ import annotations

import pyflow


def seed() -> pyflow.Workflow:
    wf = pyflow.Workflow('StringTransformer', version='1.0')
    up = wf.add(pyflow.LambdaTask(name='UpperCaser', lambda_function='string-upcase',
                                  depends_on=[wf.start_task]))
    rev = wf.add(pyflow.LambdaTask(name='Reverser', lambda_function='string-reverse',
                                   depends_on=[up]))
    nap = wf.add(pyflow.TimerTask(name='Sleep', duration=30, depends_on=[rev]))
    wf.add(pyflow.LambdaTask(name='Concat', lambda_function='string-concat', param='Hello',
                             depends_on=[nap, rev],
                             transform_input=lambda inp: [inp['param'], ' ',
                                                          inp['inputs']['Reverser']]))
    return wf
