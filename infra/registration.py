"""Deploy-time registration of the workflow types: a custom resource (CDK's Provider
framework) whose handler, `handlers/registration.py`, loads the workflows layer.

CloudFormation calls it on create and whenever a property changes; the layer's version ARN is
one, so every new layer (any change to pyflow, the workflows or their requirements) registers
again, and executions can start the moment `cdk deploy` returns. `disappeared` (an attribute,
shown as a stack output) lists the types the previous deployment registered that this one no
longer defines; they are deprecated only when `deprecate_removed` is set.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import (
    Acknowledgment,
    CfnResource,
    CustomResource,
    Duration,
    RemovalPolicy,
    Stack,
    Validations,
)
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import custom_resources as cr
from constructs import Construct

from ._lint import (
    acknowledge_cdk_internal,
    acknowledge_task_function,
    allow_redundant_role_dependency,
)
from .domain import REGISTER_DOMAIN_REASON

HANDLER = "registration.on_event"
RESOURCE_TYPE = "Custom::PyflowWorkflowTypes"

# pyflow.ensure_domain_registered and ensure_workflow_registered: register (or find) the
# domain, then each workflow and activity type, describing a type that already exists.
REGISTRATION_SWF_ACTIONS = (
    "swf:DescribeDomain",
    "swf:RegisterWorkflowType",
    "swf:DescribeWorkflowType",
    "swf:RegisterActivityType",
    "swf:DescribeActivityType",
)


class WorkflowRegistration(Construct):
    """The registration function, its Provider, and the custom resource that runs it."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        code: lambda_.Code,
        layer: lambda_.ILayerVersion,
        runtime: lambda_.Runtime,
        architecture: lambda_.Architecture,
        domain_name: str,
        domain_arn: str,
        retention_days: int,
        task_list: str,
        lambda_role: iam.IRole,
        workflow_types: Sequence[str],
        log_retention: logs.RetentionDays,
        workflows_package: str = "workflows",
        deprecate_removed: bool = False,
    ) -> None:
        super().__init__(scope, construct_id)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"pyflow: registers the workflow types of SWF domain {domain_name}",
        )
        actions = list(REGISTRATION_SWF_ACTIONS)
        if deprecate_removed:
            actions.append("swf:DeprecateWorkflowType")
        self.role.add_to_principal_policy(
            iam.PolicyStatement(actions=actions, resources=[domain_arn])
        )
        # ensure_domain_registered calls RegisterDomain first, and RegisterDomain supports no
        # resource-level permission (see SwfDomain): "*" is the only grant that works.
        self.role.add_to_principal_policy(
            iam.PolicyStatement(actions=["swf:RegisterDomain"], resources=["*"])
        )
        # Each type gets the Lambda role as its default: registering hands the role to SWF.
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["iam:PassRole"],
                resources=[lambda_role.role_arn],
                conditions={"StringEquals": {"iam:PassedToService": "swf.amazonaws.com"}},
            )
        )
        Validations.of(self.role).acknowledge(
            Acknowledgment(
                id="AwsSolutions::AwsSolutions-IAM5[Resource::*]",
                reason=REGISTER_DOMAIN_REASON,
            )
        )
        self.log_group = logs.LogGroup(
            self, "Logs", retention=log_retention, removal_policy=RemovalPolicy.DESTROY
        )
        self.log_group.grant_write(self.role)
        self.function = lambda_.Function(
            self,
            "Function",
            description=f"pyflow: registers the workflow types of SWF domain {domain_name}",
            code=code,
            handler=HANDLER,
            runtime=runtime,
            architecture=architecture,
            layers=[layer],
            role=self.role,
            timeout=Duration.minutes(5),
            memory_size=256,
            log_group=self.log_group,
            logging_format=lambda_.LoggingFormat.JSON,
        )
        allow_redundant_role_dependency(self.function)
        acknowledge_task_function(self.function)
        provider = self._provider(log_retention)
        self.resource = CustomResource(
            self,
            "Resource",
            service_token=provider.service_token,
            resource_type=RESOURCE_TYPE,
            properties={
                "Domain": domain_name,
                "RetentionDays": str(retention_days),
                "TaskList": task_list,
                "LambdaRoleArn": lambda_role.role_arn,
                "WorkflowsPackage": workflows_package,
                "WorkflowTypes": sorted(workflow_types),
                "LayerVersionArn": layer.layer_version_arn,
                "DeprecateRemoved": "true" if deprecate_removed else "false",
            },
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.registered = self.resource.get_att_string("Registered")
        self.disappeared = self.resource.get_att_string("Disappeared")

    def _provider(self, log_retention: logs.RetentionDays) -> cr.Provider:
        """The framework function relays CloudFormation's request to the handler; its own role
        may only log and invoke that one function (not the AWS-managed basic execution policy)."""
        role = iam.Role(
            self,
            "ProviderRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="pyflow: relays CloudFormation's registration requests to the handler",
        )
        log_group = logs.LogGroup(
            self, "ProviderLogs", retention=log_retention, removal_policy=RemovalPolicy.DESTROY
        )
        log_group.grant_write(role)
        provider = cr.Provider(
            self,
            "Provider",
            on_event_handler=self.function,
            framework_on_event_role=role,
            log_group=log_group,
        )
        framework = provider.node.try_find_child("framework-onEvent")
        if framework is not None:
            allow_redundant_role_dependency(framework)
            acknowledge_cdk_internal(framework)
        function = self.function.node.default_child
        if not isinstance(function, CfnResource):
            raise TypeError(f"{self.function.node.path} has no CloudFormation resource")
        logical_id = Stack.of(self).resolve(Stack.of(self).get_logical_id(function))
        Validations.of(role).acknowledge(
            Acknowledgment(
                id=f"AwsSolutions::AwsSolutions-IAM5[Resource::<{logical_id}.Arn>:*]",
                reason="The Provider framework may invoke the registration function in any of "
                "its versions (`<function ARN>:*`, as aws-cdk-lib grants it); no other function",
            )
        )
        return provider
