"""The SWF domain, registered by a custom resource because CloudFormation has no SWF types.

SWF domains cannot be deleted, only deprecated, and `RegisterDomain` on an existing domain
(deprecated or not) fails with `DomainAlreadyExistsFault`. Ignoring that fault alone would accept a
deprecated, unusable domain, so a second call follows: `UndeprecateDomain`, which re-enables a
deprecated domain and fails with the same fault on an active one (ignored). Nothing is called on
delete: the domain and its execution history outlive the stack.

CloudFormation calls a custom resource only when its properties change, so an unchanged stack
makes no calls and `cdk diff` shows no changes. To run both calls again (a domain deprecated
while the stack exists is re-enabled), deploy with a new `deploy_nonce` (`-c
deploy_nonce=$(date +%s)`): each call then carries it as a `DeployNonce` property, and a value
that differs from the last deployment's makes CloudFormation send an Update, which is the call.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, ArnFormat, CfnResource, RemovalPolicy, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import custom_resources as cr
from constructs import Construct

from ._lint import acknowledge_cdk_internal, allow_redundant_role_dependency

_EXISTS = "DomainAlreadyExistsFault"
REGISTER_DOMAIN_REASON = (
    "swf:RegisterDomain supports no resource-level permissions (SWF's API reference: IAM "
    "cannot control domain access for this action); it is the only action granted on *, and "
    "it can only create a domain"
)
_PROVIDER_ID = "AWS679f53fac002430cb0da5b7982bd2287"


class SwfDomain(Construct):
    """Registers `domain_name` (or re-enables it) and exposes its name and ARN."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domain_name: str,
        retention_days: int,
        log_retention: logs.RetentionDays,
        description: str = "pyflow workflows",
        deploy_nonce: str | None = None,
    ) -> None:
        """`deploy_nonce` (default: none) makes CloudFormation run the register and re-enable
        calls again whenever it differs from the last deployment's."""
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.domain_name = domain_name
        self.deploy_nonce = deploy_nonce
        self.domain_arn = domain_arn(stack, domain_name)
        self.log_group = logs.LogGroup(
            self, "Logs", retention=log_retention, removal_policy=RemovalPolicy.DESTROY
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Registers the SWF domain {domain_name} (pyflow custom resource)",
        )
        self.log_group.grant_write(self.role)
        # SWF's API reference for RegisterDomain: "You cannot use an IAM policy to control
        # domain access for this action", and the IAM service reference lists no resource type
        # for it, so a grant on the domain ARN may be refused on a first deploy. It is granted
        # on "*" (it can only create domains, never read or change one); UndeprecateDomain
        # takes the domain ARN and keeps it.
        self.role.add_to_principal_policy(
            iam.PolicyStatement(actions=["swf:RegisterDomain"], resources=["*"])
        )
        self.role.add_to_principal_policy(
            iam.PolicyStatement(actions=["swf:UndeprecateDomain"], resources=[self.domain_arn])
        )
        Validations.of(self.role).acknowledge(
            Acknowledgment(
                id="AwsSolutions::AwsSolutions-IAM5[Resource::*]",
                reason=REGISTER_DOMAIN_REASON,
            )
        )
        self.register = self._call(
            "Register",
            "registerDomain",
            {
                "name": domain_name,
                "workflowExecutionRetentionPeriodInDays": str(retention_days),
                "description": description,
            },
        )
        self.undeprecate = self._call("Undeprecate", "undeprecateDomain", {"name": domain_name})
        self.undeprecate.node.add_dependency(self.register)
        # The provider function both calls share; aws-cdk-lib names it after a fixed UUID.
        provider = stack.node.try_find_child(_PROVIDER_ID)
        if provider is not None:
            allow_redundant_role_dependency(provider)
            acknowledge_cdk_internal(provider)

    def _call(
        self,
        construct_id: str,
        action: str,
        parameters: dict[str, str],
    ) -> cr.AwsCustomResource:
        call = cr.AwsSdkCall(
            service="SWF",
            action=action,
            parameters=parameters,
            physical_resource_id=cr.PhysicalResourceId.of(f"{self.domain_name}-{action}"),
            ignore_error_codes_matching=_EXISTS,
        )
        resource = cr.AwsCustomResource(
            self,
            construct_id,
            on_create=call,
            on_update=call,
            role=self.role,
            log_group=self.log_group,
            install_latest_aws_sdk=False,
            removal_policy=RemovalPolicy.RETAIN,
        )
        if self.deploy_nonce is None:
            return resource
        # Ignored by the provider; a new value makes CloudFormation send an Update (the call).
        cfn = resource.node.find_child("Resource").node.default_child
        if not isinstance(cfn, CfnResource):
            raise TypeError(f"{resource.node.path} has no CloudFormation resource")
        cfn.add_property_override("DeployNonce", self.deploy_nonce)
        return resource


def domain_arn(stack: Stack, domain_name: str) -> str:
    """`arn:<partition>:swf:<region>:<account>:/domain/<name>`, the only SWF resource type."""
    return stack.format_arn(
        service="swf",
        resource="/domain",
        resource_name=domain_name,
        arn_format=ArnFormat.SLASH_RESOURCE_NAME,
    )
