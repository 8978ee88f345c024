"""The example workflow: upper-case the input, reverse it, wait 30 seconds, greet.

Input 'World' gives 'Hello DLROW'. The three Lambda functions are in `handlers/strings.py`.
"""

import pyflow

workflow = pyflow.Workflow("StringTransformer", version="1.0")
up = workflow.add(
    pyflow.LambdaTask(
        name="UpperCaser", lambda_function="string-upcase", depends_on=[workflow.start_task]
    )
)
rev = workflow.add(
    pyflow.LambdaTask(name="Reverser", lambda_function="string-reverse", depends_on=[up])
)
nap = workflow.add(pyflow.TimerTask(name="Sleep", duration=30, depends_on=[rev]))
workflow.add(
    pyflow.LambdaTask(
        name="Concat",
        lambda_function="string-concat",
        param="Hello",
        depends_on=[nap, rev],
        transform_input=lambda inp: [inp["param"], " ", inp["inputs"]["Reverser"]],
    )
)


if __name__ == "__main__":  # python -m workflows.string_transformer [INPUT]: a local run
    import sys

    import pyflow.local
    from handlers.strings import LAMBDAS

    outcome = pyflow.local.run(workflow, sys.argv[1] if len(sys.argv) > 1 else "World",
                               lambdas=LAMBDAS)
    print(outcome.result if outcome.status == "COMPLETED" else outcome)
    sys.exit(0 if outcome.status == "COMPLETED" else 1)
