"""The decider Lambda: Powertools around one call of `pyflow.aws_lambda.Decider` (see there)."""

import os
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from aws_lambda_powertools.utilities.typing import LambdaContext

from pyflow.aws_lambda import Decider

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "pyflow-decider")
logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "pyflow"))
# pyflow's loggers (with workflow_id/run_id on each record) write Powertools' JSON lines too.
copy_config_to_registered_loggers(source_logger=logger, include={"pyflow"})
decider = Decider()


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    return decider.invoke(context, metrics=metrics, tracer=tracer)
