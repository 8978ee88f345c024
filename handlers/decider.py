"""The decider Lambda: Powertools around one call of `pyflow.aws_lambda.Decider` (see there).

No Powertools Tracer: it imports the X-Ray SDK, which was most of this module's cold import
(about 0.4 s of 0.8 s), while the function's active tracing already records each invocation.
"""

import os
from typing import Any

# boto3 first, from the shallowest frame. CPython 3.11 (measured here) keeps its frames in 16 KiB
# chunks and frees a chunk as soon as the frame that needed it returns, so code that runs just
# across a chunk's edge maps and unmaps one on every call. Imported from deep inside pyflow,
# botocore's import met that edge in urllib3's regular expressions: about 1,900 mmap/munmap
# pairs, some 20 ms of the cold import (`benchmarks/cold_import.py` prints the page faults).
import boto3  # noqa: F401  (imported for its side effect: see above)
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from aws_lambda_powertools.utilities.typing import LambdaContext

from pyflow.aws_lambda import Decider

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "pyflow-decider")
logger = Logger(service=SERVICE)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "pyflow"))
# pyflow's loggers (with workflow_id/run_id on each record) write Powertools' JSON lines too.
copy_config_to_registered_loggers(source_logger=logger, include={"pyflow"})
decider = Decider()


@metrics.log_metrics
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    return decider.invoke(context, metrics=metrics)
