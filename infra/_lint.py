"""Per-resource cfn-lint acknowledgments and cdk-nag finding ids, kept next to the resources
they concern."""

from __future__ import annotations

from typing import Any

from aws_cdk import Acknowledgment, CfnResource, Stack, Validations
from constructs import IConstruct

SYNCHRONOUS = (
    "invoked synchronously (by SWF, a Function URL or CloudFormation's provider): a dead-letter "
    "queue applies only to asynchronous invocations, and the caller sees every failure"
)
UNTRACED = (
    "not traced: only the decider's path is worth a trace, and tracing would give this role "
    "X-Ray writes on Resource * for spans nobody reads"
)
CDK_INTERNAL = (
    "a function aws-cdk-lib creates for a custom resource (its memory, tracing and failure "
    "handling are the framework's); CloudFormation reports its failures on the stack"
)


def acknowledge_serverless(construct: IConstruct, reasons: dict[str, str]) -> None:
    """Acknowledge cdk-nag Serverless rules (`LambdaDLQ`, ...) on `construct`, each with why."""
    for rule, reason in reasons.items():
        Validations.of(construct).acknowledge(
            Acknowledgment(id=f"Serverless::Serverless-{rule}", reason=reason)
        )


def acknowledge_task_function(function: IConstruct) -> None:
    """The Serverless findings every small synchronous pyflow function shares."""
    acknowledge_serverless(function, {"LambdaDLQ": SYNCHRONOUS, "LambdaTracing": UNTRACED})


def acknowledge_cdk_internal(construct: IConstruct) -> None:
    """The Serverless findings of a function that aws-cdk-lib creates inside `construct`."""
    acknowledge_serverless(
        construct,
        {"LambdaDLQ": CDK_INTERNAL, "LambdaTracing": CDK_INTERNAL,
         "LambdaDefaultMemorySize": CDK_INTERNAL},
    )


def allow_redundant_role_dependency(function: IConstruct) -> None:
    """Let cfn-lint (run on its own, without flags) pass W3005 on this function.

    aws-cdk-lib makes every function DependsOn its role (and the role's policy, which is what
    matters: the function must not run before its permissions exist) while also reading the
    role's ARN with GetAtt, which cfn-lint reports as a redundant dependency.
    """
    resource = function.node.default_child
    if not isinstance(resource, CfnResource):
        raise TypeError(f"{function.node.path} has no CloudFormation resource")
    resource.add_metadata("cfn-lint", {"config": {"ignore_checks": ["W3005"]}})


def nag_resource(stack: Stack, value: str) -> str:
    """`value` (an ARN, say) as cdk-nag writes it in a finding id such as `Resource::...`.

    cdk-nag reads the synthesized template, where a pseudo parameter appears as a literal when
    the stack's environment fixes it (`eu-west-1`; the partition too, derived from the region)
    and as `<AWS::Region>` when it is a token. Rendering the value as the template holds it,
    rather than writing the `<AWS::...>` form by hand, keeps an acknowledgment matching its
    finding in an environment-agnostic stack and in one with a concrete account or region
    (the CDK CLI always supplies a region).
    """
    return _render(stack.resolve(value), value)


def _render(resolved: Any, original: str) -> str:
    if isinstance(resolved, str):
        return resolved
    if isinstance(resolved, dict) and set(resolved) == {"Fn::Join"}:
        separator, parts = resolved["Fn::Join"]
        return str(separator).join(_render(part, original) for part in parts)
    if isinstance(resolved, dict) and set(resolved) == {"Ref"}:
        return f"<{resolved['Ref']}>"
    if isinstance(resolved, dict) and set(resolved) == {"Fn::GetAtt"}:
        return f"<{'.'.join(resolved['Fn::GetAtt'])}>"
    raise ValueError(f"cannot name {original!r} in a cdk-nag finding: it resolves to {resolved!r}")
