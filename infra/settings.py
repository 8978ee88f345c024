"""The settings a user changes between deployments, read from CDK context.

Every value has a default, so `cdk deploy` works without any; `-c key=value` on the command line
(always a string) and `cdk.json` (JSON types) are both accepted. A bad value fails synthesis with
a message naming the key, before anything reaches CloudFormation.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from constructs import Node

from pyflow._workflow._names import lambda_name_problem, swf_name_problem

from ._signal_rules import SettingsError, SignalRule, as_rules
from .powertools import POWERTOOLS_LAYER_VERSION

ARCHITECTURES = ("arm64", "x86_64")
PYTHON_VERSIONS = ("3.11", "3.12", "3.13", "3.14")
"""Lambda's Python runtimes that pyflow runs on (it needs 3.11 or later)."""
LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)

# The decider stops polling when less than this is left: a long poll lasts up to 60 s.
POLL_DEADLINE_MARGIN = 70


@dataclass(frozen=True)
class Settings:
    """What `cdk deploy -c key=value` can change; the field name is the context key."""

    stage: str | None = None
    """An environment name (`-c stage=prod`): unless given, the stack name becomes
    `Pyflow-<stage>`, the domain `pyflow-<stage>`, and the example functions (fixed names,
    one copy per account and region) are not deployed, so stages coexist in one account."""
    stack_name: str = "Pyflow"
    """CloudFormation stack name."""
    domain: str = "pyflow"
    """SWF domain to register (kept when the stack is deleted)."""
    retention_days: int = 30
    """Days SWF keeps closed executions' history (0-90); only applies when the domain is new."""
    decider_task_list: str = "pyflow-decider"
    """Task list the decider polls; executions must be started on it."""
    decider_schedule: str = "rate(1 minute)"
    """EventBridge schedule expression that starts a decider invocation."""
    decider_iterations: int | None = None
    """Most PollForDecisionTask calls per invocation; None: as many as the invocation's time
    allows (the decider stops on its deadline)."""
    decider_timeout: int = 120
    """Decider function timeout in seconds (75-900); it stops polling with 70 s left."""
    decider_concurrency: int | None = None
    """Reserved concurrency of the decider; none by default, because any reservation fails
    the function's CREATE in an account still at the default concurrency quota of 10 (the
    schedule's maximum event age already bounds the overlap)."""
    decider_memory: int = 256
    """Decider memory in MB."""
    alarm_email: str | None = None
    """If set, this address is subscribed to the alarm topic (SNS asks it to confirm)."""
    pending_decisions_alarm: int = 10
    """Alarm when at least this many decision tasks wait as an invocation starts."""
    architecture: str = "arm64"
    """Lambda architecture of every function and of the layer: arm64 or x86_64."""
    python_version: str = "3.14"
    """Python runtime of every function and of the layer, and of the worker image. When a
    CPython of this version is at hand at synthesis (`infra._compiler`), the layer ships
    bytecode (cold starts do not compile pyflow and the workflows); otherwise source only."""
    log_retention_days: int = 30
    """Retention of every log group the stack creates."""
    example_functions: bool = True
    """Deploy string-upcase, string-reverse and string-concat for the StringTransformer."""
    lambda_function_prefix: str | None = None
    """If set, SWF may also invoke any function whose name starts with this prefix."""
    lambda_functions: tuple[str, ...] = ()
    """More function names (comma-separated) SWF may invoke, beyond those the workflows name."""
    deprecate_removed_types: bool = False
    """Deprecate the workflow types a deployment no longer defines (they are always listed in
    the DisappearedWorkflowTypes output); off, since open executions may still need them."""
    deploy_nonce: str | None = None
    """Opt-in: a new value makes the deploy register the domain again and re-enable it if it
    was deprecated; unset, an unchanged project deploys (and diffs) as no change."""

    payload_store: bool = True
    """Create the S3 payload bucket (inputs, outputs and results over 32,000 characters go
    there; SWF holds a reference) and give the decider, the task functions and the worker
    policy access to it; off, an oversize payload fails its task."""
    payload_prefix: str = "pyflow/payloads/"
    """Key prefix of payload objects in the bucket (the grants cover only this prefix)."""
    payload_expiration_days: int = 455
    """Days before a payload object expires; must exceed retention_days, since a history SWF
    keeps refers to its payloads (default: SWF's longest execution, 365 days, plus its
    longest retention, 90)."""

    bundle_sdk: bool = False
    """Bundle boto3/botocore into the layer instead of using the Lambda runtime's (for a
    workflow that needs a newer SDK than the runtime ships; the layer grows from 0.3 MB to
    17.7 MB zipped)."""
    bundle_powertools: bool = False
    """Build Powertools into the workflows layer instead of taking AWS's managed Powertools
    layer (for a partition or region without it)."""
    powertools_layer_version: int = POWERTOOLS_LAYER_VERSION
    """Version of the managed Powertools layer (pinned: a new one is taken only when asked)."""
    signal_endpoint: bool = False
    """Deploy the signal ingress Function URL (IAM auth): POST a SignalTask's token and an
    input, or a workflow id and signal name, to signal an execution of this domain."""
    signal_rules: tuple[SignalRule, ...] = ()
    """EventBridge rules whose matching events signal an execution, as JSON: a list of
    {"pattern": {...}, "workflow_id": "id or $.detail.path", "signal_name": "..."}."""

    worker_service: bool = False
    """Run `pyflow worker` on ECS Fargate for the workflows' activities (the image is built from
    pyflow and the workflows package by `cdk deploy`, which needs Docker; synth does not)."""
    worker_target: str | None = None
    """What the workers run (a module, or MODULE:ATTRIBUTE); default: the workflows package."""
    worker_task_list: str | None = None
    """Activity task list the workers poll; default: each activity's own."""
    worker_count: int = 1
    """Worker tasks (containers) the service keeps running."""
    worker_concurrency: int = 4
    """Activities each worker task runs at once (`pyflow worker --concurrency`)."""
    worker_cpu: int = 256
    """Fargate CPU units of a worker task: 256, 512, 1024, 2048 or 4096."""
    worker_memory: int = 512
    """Memory (MiB) of a worker task, within what Fargate allows for `worker_cpu`."""

    @classmethod
    def from_context(cls, node: Node) -> Settings:
        """Read every field from the node's context, keeping the default where unset."""
        values = {f.name: node.try_get_context(f.name) for f in dataclasses.fields(cls)}
        return cls.from_mapping({k: v for k, v in values.items() if v is not None})

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> Settings:
        """Parse and check raw context values (strings from `-c`, JSON types from cdk.json)."""
        unknown = set(raw) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise SettingsError(f"unknown pyflow setting(s): {', '.join(sorted(unknown))}")
        parsed: dict[str, Any] = {}
        for key, value in raw.items():
            parsed[key] = _PARSERS[key](key, value)
        stage = parsed.get("stage")
        if stage is not None:
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,24}", stage):
                raise SettingsError(
                    f"stage {stage!r} must be 1-25 lowercase letters, digits or '-' "
                    "(it goes into the stack and domain names)"
                )
            parsed.setdefault("stack_name", f"Pyflow-{stage}")
            parsed.setdefault("domain", f"pyflow-{stage}")
            parsed.setdefault("example_functions", False)
        settings = cls(**parsed)
        settings.check()
        return settings

    def check(self) -> None:
        """Reject combinations that would deploy but not work."""
        _in_range("retention_days", self.retention_days, 0, 90)
        _in_range("decider_timeout", self.decider_timeout, POLL_DEADLINE_MARGIN + 5, 900)
        if self.decider_iterations is not None:
            _in_range("decider_iterations", self.decider_iterations, 1, 100_000)
        _in_range("decider_memory", self.decider_memory, 128, 10240)
        _in_range("pending_decisions_alarm", self.pending_decisions_alarm, 1, 1_000_000)
        if self.alarm_email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+", self.alarm_email):
            raise SettingsError(f"alarm_email {self.alarm_email!r} is not an email address")
        if self.decider_concurrency is not None:
            _in_range("decider_concurrency", self.decider_concurrency, 1, 1000)
        _one_of("architecture", self.architecture, ARCHITECTURES)
        _one_of("python_version", self.python_version, PYTHON_VERSIONS,
                "Lambda's runtimes pyflow runs on")
        _one_of("log_retention_days", self.log_retention_days, LOG_RETENTION_DAYS,
                "CloudWatch's values")
        for key in ("domain", "decider_task_list"):
            problem = swf_name_problem(getattr(self, key))
            if problem:
                raise SettingsError(f"{key} {getattr(self, key)!r} {problem}")
        for name in self.lambda_functions:
            problem = lambda_name_problem(name)
            if problem:
                raise SettingsError(f"lambda_functions: {name!r} {problem}")
        prefix = self.lambda_function_prefix
        if prefix is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,63}", prefix):
            raise SettingsError(
                f"lambda_function_prefix {prefix!r} must be 1-63 letters, digits, '-' or '_' "
                "(the start of a Lambda function name)"
            )
        self._check_payloads()
        _check_workers(self)
        _in_range("powertools_layer_version", self.powertools_layer_version, 1, 100_000)
        if not self.stack_name.strip() or not self.decider_schedule.strip():
            raise SettingsError("stack_name and decider_schedule must not be empty")

    def _check_payloads(self) -> None:
        _in_range("payload_expiration_days", self.payload_expiration_days, 1, 36_500)
        if self.payload_store and self.payload_expiration_days <= self.retention_days:
            raise SettingsError(
                f"payload_expiration_days ({self.payload_expiration_days}) must exceed "
                f"retention_days ({self.retention_days}): closed histories SWF keeps refer to "
                "their payloads, which would be gone"
            )
        if not re.fullmatch(r"([A-Za-z0-9!_.'()-]+/)+", self.payload_prefix):
            raise SettingsError(
                f"payload_prefix {self.payload_prefix!r} must be one or more S3 key segments, "
                "each ending in '/' (e.g. 'pyflow/payloads/')"
            )


# Fargate's CPU units and the memory (MiB) each allows.
FARGATE_SIZES = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4097, 1024)),
    1024: tuple(range(2048, 8193, 1024)),
    2048: tuple(range(4096, 16385, 1024)),
    4096: tuple(range(8192, 30721, 1024)),
}


def _check_workers(settings: Settings) -> None:
    _in_range("worker_count", settings.worker_count, 0, 1000)
    _in_range("worker_concurrency", settings.worker_concurrency, 1, 1000)
    memory = FARGATE_SIZES.get(settings.worker_cpu)
    if memory is None:
        raise SettingsError(
            f"worker_cpu must be one of {', '.join(map(str, FARGATE_SIZES))}, "
            f"not {settings.worker_cpu}"
        )
    if settings.worker_memory not in memory:
        raise SettingsError(
            f"worker_memory {settings.worker_memory} is not a Fargate size for worker_cpu "
            f"{settings.worker_cpu}: use one of {', '.join(map(str, memory))}"
        )
    target = settings.worker_target
    if target is not None:
        module, colon, attribute = target.partition(":")
        names = module.split(".") + ([attribute] if colon else [])
        if not all(name.isidentifier() for name in names):
            raise SettingsError(
                f"worker_target {target!r} must be a module name (pkg.module) or MODULE:ATTRIBUTE"
            )
    if settings.worker_task_list is not None:
        problem = swf_name_problem(settings.worker_task_list)
        if problem:
            raise SettingsError(f"worker_task_list {settings.worker_task_list!r} {problem}")


def _one_of(key: str, value: object, choices: tuple[object, ...], what: str = "") -> None:
    if value not in choices:
        listed = ", ".join(map(str, choices))
        raise SettingsError(
            f"{key} must be one of {what + ' (' + listed + ')' if what else listed}, "
            f"not {value!r}"
        )


def _in_range(key: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise SettingsError(f"{key} must be between {low} and {high}, not {value}")


def _as_str(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise SettingsError(f"{key} must be a string, not {value!r}")
    return value


def _as_int(key: str, value: Any) -> int:
    if isinstance(value, bool):
        raise SettingsError(f"{key} must be a whole number, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise SettingsError(f"{key} must be a whole number, not {value!r}")


def _as_optional_int(key: str, value: Any) -> int | None:
    if isinstance(value, str) and value.strip().lower() in ("none", "null", ""):
        return None
    return _as_int(key, value)


def _as_optional_str(key: str, value: Any) -> str | None:
    text = _as_str(key, value).strip()
    return text or None


def _as_nonce(key: str, value: Any) -> str | None:
    """Any short text; JSON numbers too (`-c deploy_nonce=7` is a string, cdk.json's 7 is not)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    text = _as_optional_str(key, value)
    if text is not None and len(text) > 256:
        raise SettingsError(f"{key} must be at most 256 characters, not {len(text)}")
    return text


def _as_bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "no", "0"):
        return False
    raise SettingsError(f"{key} must be true or false, not {value!r}")


def _as_names(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        raise SettingsError(f"{key} must be a comma-separated string or a list, not {value!r}")
    names = tuple(_as_str(key, item).strip() for item in items)
    return tuple(name for name in names if name)


_PARSERS: dict[str, Callable[[str, Any], Any]] = {
    "stage": _as_optional_str,
    "stack_name": _as_str,
    "domain": _as_str,
    "retention_days": _as_int,
    "decider_task_list": _as_str,
    "decider_schedule": _as_str,
    "decider_iterations": _as_optional_int,
    "decider_timeout": _as_int,
    "decider_concurrency": _as_optional_int,
    "decider_memory": _as_int,
    "alarm_email": _as_optional_str,
    "pending_decisions_alarm": _as_int,
    "architecture": _as_str,
    "python_version": _as_str,
    "log_retention_days": _as_int,
    "example_functions": _as_bool,
    "lambda_function_prefix": _as_optional_str,
    "lambda_functions": _as_names,
    "deploy_nonce": _as_nonce,
    "deprecate_removed_types": _as_bool,
    "payload_store": _as_bool,
    "payload_prefix": _as_str,
    "payload_expiration_days": _as_int,
    "bundle_sdk": _as_bool,
    "bundle_powertools": _as_bool,
    "powertools_layer_version": _as_int,
    "signal_endpoint": _as_bool,
    "signal_rules": as_rules,
    "worker_service": _as_bool,
    "worker_target": _as_optional_str,
    "worker_task_list": _as_optional_str,
    "worker_count": _as_int,
    "worker_concurrency": _as_int,
    "worker_cpu": _as_int,
    "worker_memory": _as_int,
}
