"""pyflow's CDK constructs: one unit per module, composed by `PyflowApp` (`PyflowStack` is a
stack of one)."""

from .decider import Decider
from .domain import SwfDomain
from .example_functions import ExampleFunctions
from .lambda_role import SwfLambdaRole
from .layer import WorkflowsLayer
from .pyflow_app import PyflowApp
from .settings import Settings, SettingsError
from .stack import PyflowStack
from .worker_policy import ActivityWorkerPolicy

__all__ = [
    "ActivityWorkerPolicy",
    "Decider",
    "ExampleFunctions",
    "PyflowApp",
    "PyflowStack",
    "Settings",
    "SettingsError",
    "SwfDomain",
    "SwfLambdaRole",
    "WorkflowsLayer",
]
