"""The pyflow CDK app's constructs: one unit per module, composed by `PyflowStack`."""

from .decider import Decider
from .domain import SwfDomain
from .example_functions import ExampleFunctions
from .lambda_role import SwfLambdaRole
from .layer import WorkflowsLayer
from .settings import Settings, SettingsError
from .stack import PyflowStack
from .worker_policy import ActivityWorkerPolicy

__all__ = [
    "ActivityWorkerPolicy",
    "Decider",
    "ExampleFunctions",
    "PyflowStack",
    "Settings",
    "SettingsError",
    "SwfDomain",
    "SwfLambdaRole",
    "WorkflowsLayer",
]
