"""The payload bucket: where pyflow keeps inputs, outputs and results too large for SWF.

S3-managed encryption, TLS only, no public access, and a lifecycle rule that expires objects
only after every history that could refer to one is gone (pyflow never deletes a payload:
keys are content hashes, so two executions may share an object). The bucket is retained when
the stack is deleted, since histories SWF still keeps refer to it. Access is granted on the
prefix only and only to read and write objects: the decider and the stack's task functions get
it directly, activity workers and functions deployed elsewhere through `policy`.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Duration, RemovalPolicy, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from constructs import Construct, IConstruct

from ._lint import nag_resource

# What S3PayloadStore calls: PutObject to offload, GetObject to resolve (and nothing that lists
# or deletes, so a leaked worker credential cannot enumerate or destroy other runs' data).
PAYLOAD_ACTIONS = ("s3:GetObject", "s3:PutObject")


class PayloadBucket(Construct):
    """`bucket`, `prefix`, and `policy` (a managed policy to attach to workers)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        expiration_days: int,
    ) -> None:
        super().__init__(scope, construct_id)
        self.prefix = prefix
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=RemovalPolicy.RETAIN,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="ExpirePayloads",
                    prefix=prefix,
                    # A rewrite of the same content (a new execution with the same payload)
                    # restarts the object's age, so live references keep their object.
                    expiration=Duration.days(expiration_days),
                    abort_incomplete_multipart_upload_after=Duration.days(1),
                )
            ],
        )
        Validations.of(self.bucket).acknowledge(
            Acknowledgment(
                id="AwsSolutions::AwsSolutions-S1",
                reason="Payload objects are written and read only by pyflow's own roles with "
                "content-hash keys; server access logs would double the bucket's requests for "
                "no audit value beyond CloudTrail data events, which a user can enable",
            )
        )
        self.policy = iam.ManagedPolicy(
            self,
            "Policy",
            description="Read and write pyflow payloads (attach to activity workers and to "
            "task functions deployed outside the pyflow stack)",
            statements=[self.statement()],
        )
        self.allow_prefix_wildcard(self.policy)

    @property
    def objects_arn(self) -> str:
        """Every object under the prefix, and nothing else in the bucket."""
        return self.bucket.arn_for_objects(f"{self.prefix}*")

    def statement(self) -> iam.PolicyStatement:
        """Read and write objects under the prefix."""
        return iam.PolicyStatement(actions=list(PAYLOAD_ACTIONS), resources=[self.objects_arn])

    def allow_prefix_wildcard(self, holder: IConstruct) -> None:
        """Acknowledge cdk-nag's IAM5 for `holder`'s grant on `<prefix>*`: payload keys are
        content hashes, unknown until written, so only a prefix can name them."""
        resource = nag_resource(Stack.of(self), self.objects_arn)
        Validations.of(holder).acknowledge(
            Acknowledgment(
                id=f"AwsSolutions::AwsSolutions-IAM5[Resource::{resource}]",
                reason="Payload objects are keyed by the sha256 of their content, so the grant "
                "names the payload prefix; it allows only GetObject and PutObject",
            )
        )

    def environment(self) -> dict[str, str]:
        """What `pyflow.store_from_environment` (and so the Lambda wrapper) reads."""
        return {
            "PYFLOW_PAYLOAD_BUCKET": self.bucket.bucket_name,
            "PYFLOW_PAYLOAD_PREFIX": self.prefix,
        }

    def give_to(self, function: lambda_.Function) -> None:
        """Let `function` resolve and offload payloads: grant, and tell it where."""
        function.add_to_role_policy(self.statement())
        if function.role is not None:
            self.allow_prefix_wildcard(function.role)
        for key, value in self.environment().items():
            function.add_environment(key, value)
