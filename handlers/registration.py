"""Deploy-time registration: a CloudFormation custom resource (CDK's Provider framework) that
registers the domain and every workflow type the layer's workflows package defines.

It runs on Create and on every Update (a new layer version is a new property value), so when
`cdk deploy` returns, executions of every workflow can start: no waiting for the decider's
first cold start. It loads the workflows from the layer, the same code the decider runs, rather
than trusting the list read at synthesis (which that list only cross-checks). Types that the
previous deployment registered and this one no longer defines are reported in the `Disappeared`
attribute (a stack output); they are deprecated only when `DeprecateRemoved` is "true", since an
execution still open may need its type. Delete does nothing: SWF types, like domains, outlive
the stack, and their histories stay readable.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

import boto3
from botocore.exceptions import ClientError

import pyflow
from pyflow._workflow._catalog import workflow_closure

logger = logging.getLogger("pyflow.registration")
logger.setLevel(logging.INFO)

# CloudFormation caps a custom resource's response at 4 KB: attributes are cut well below it.
_ATTRIBUTE_LIMIT = 1500
NONE = "none"


def on_event(event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
    """The Provider framework's onEvent handler: returns the physical id and the attributes."""
    props = event["ResourceProperties"]
    physical_id = f"pyflow-workflow-types-{props['Domain']}"
    if event["RequestType"] == "Delete":
        return {"PhysicalResourceId": event.get("PhysicalResourceId", physical_id)}
    old = event.get("OldResourceProperties") or {}
    registered, disappeared = register_all(
        domain=props["Domain"],
        package=props.get("WorkflowsPackage", "workflows"),
        task_list=props["TaskList"],
        lambda_role=props["LambdaRoleArn"],
        retention_days=int(props.get("RetentionDays", "30")),
        expected=props.get("WorkflowTypes", []),
        previous=old.get("WorkflowTypes", []) if old.get("Domain") == props["Domain"] else [],
        deprecate_removed=str(props.get("DeprecateRemoved", "false")).lower() == "true",
    )
    return {
        "PhysicalResourceId": physical_id,
        "Data": {"Registered": _attribute(registered), "Disappeared": _attribute(disappeared)},
    }


def register_all(
    *,
    domain: str,
    package: str,
    task_list: str,
    lambda_role: str,
    retention_days: int,
    expected: Iterable[str] = (),
    previous: Iterable[str] = (),
    deprecate_removed: bool = False,
    swf: Any = None,
) -> tuple[list[str], list[str]]:
    """Register the domain and every workflow of `package` (children and activity types
    included); return the registered type keys (`name:version`) and the disappeared ones."""
    swf = swf or boto3.client("swf")
    workflows = pyflow.load_workflows(package)
    types = workflow_closure(workflows)
    registered = sorted(f"{name}:{version}" for name, version in types)
    unexpected = sorted(set(registered) ^ set(expected))
    if expected and unexpected:
        logger.warning(
            "the layer's workflows differ from those read at synthesis (%s); registering "
            "the layer's, which the decider runs",
            ", ".join(unexpected),
        )
    pyflow.ensure_domain_registered(domain, retention_days=retention_days, client=swf)
    for workflow in workflows:
        pyflow.ensure_workflow_registered(
            workflow, domain=domain, task_list=task_list, lambda_role=lambda_role, client=swf
        )
    logger.info("registered %d workflow type(s) in %r: %s", len(registered), domain, registered)
    disappeared = sorted(set(previous) - set(registered))
    if disappeared:
        logger.warning("workflow types no longer in the layer: %s", ", ".join(disappeared))
        if deprecate_removed:
            for key in disappeared:
                _deprecate(swf, domain, key)
    return registered, disappeared


def _deprecate(swf: Any, domain: str, key: str) -> None:
    name, _, version = key.partition(":")
    try:
        swf.deprecate_workflow_type(domain=domain, workflowType={"name": name, "version": version})
        logger.info("deprecated workflow type %s in %r", key, domain)
    except ClientError as exc:
        # Already deprecated, or never registered here: nothing left to do.
        code = exc.response.get("Error", {}).get("Code", "")
        if code not in ("TypeDeprecatedFault", "UnknownResourceFault"):
            raise


def _attribute(keys: list[str]) -> str:
    if not keys:
        return NONE
    text = ", ".join(keys)
    if len(text) <= _ATTRIBUTE_LIMIT:
        return text
    shown: list[str] = []
    for key in keys:
        if len(", ".join([*shown, key])) > _ATTRIBUTE_LIMIT - 20:
            break
        shown.append(key)
    return f"{', '.join(shown)} and {len(keys) - len(shown)} more"
