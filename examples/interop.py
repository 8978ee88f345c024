"""The workflows served by the example workers in other languages: one activity each,
scheduled by its SWF type name, so that only the Ruby or Node worker implements it.

    pyflow local serve --register examples.interop
    pyflow decider examples.interop
    ruby examples/ruby-worker/worker.rb          # or: node examples/node-worker/worker.mjs
    pyflow start examples.interop:ruby_workflow --input '{"words": ["hello", "swf"]}' --wait

The activity (`ruby-shout` or `node-shout`) takes `{"words": [...], "pause": seconds}`, waits
`pause` seconds before each word and returns `{"worker": ..., "words": [the words in capitals],
"letters": ..., "heartbeats": ...}`. A word that is not a string fails it with reason
`TypeError`.
"""

from __future__ import annotations

import pyflow

HEARTBEAT_TIMEOUT = 2
"""Seconds a worker may go without a heartbeat: shorter than a few words' pauses, so a task
that takes longer completes only because its worker heartbeats."""


def _shout(language: str) -> pyflow.Workflow:
    workflow = pyflow.Workflow(f"{language.title()}Shout", version="1")
    workflow.add(
        pyflow.ActivityTask(
            name="Shout",
            activity_type=f"{language}-shout",
            activity_version="1",
            task_list=f"{language}-workers",
            start_to_close_timeout=120,
            heartbeat_timeout=HEARTBEAT_TIMEOUT,
            depends_on=[workflow.start_task],
        )
    )
    return workflow


ruby_workflow = _shout("ruby")
node_workflow = _shout("node")
