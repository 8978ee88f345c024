"""Powertools for AWS Lambda from the layer AWS publishes, by region, runtime and architecture.

Taking the managed layer keeps Powertools (and the X-Ray SDK its Tracer needs) out of the
workflows layer, so the layer holds only pyflow and the user's code. The version is pinned (a
layer version number never changes content), so a deploy never picks up a new Powertools
unasked; `bundle_powertools` builds it into the workflows layer instead, for partitions or
regions the managed layer does not reach.

ARNs from the Powertools docs ("Install", Lambda layer): `arn:aws:lambda:{region}:017000801446:
layer:AWSLambdaPowertoolsPythonV3-{python_version}-{arch}:{version}` in the commercial regions;
GovCloud and China regions publish from accounts of their own.
"""

from __future__ import annotations

from aws_cdk import ArnFormat, Stack, Token
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

POWERTOOLS_LAYER_VERSION = 27
"""The managed layer version deployed unless `powertools_layer_version` says otherwise."""
PUBLISHER = "017000801446"
# The regions whose layer is published from another account (Powertools docs).
REGIONAL_PUBLISHERS = {
    "cn-north-1": "498634801083",
    "us-gov-east-1": "165087284144",
    "us-gov-west-1": "165093116878",
}


def layer_name(runtime: lambda_.Runtime, architecture: lambda_.Architecture) -> str:
    """`AWSLambdaPowertoolsPythonV3-python314-arm64`: the runtime's name without its dot."""
    python = runtime.name.replace(".", "")
    return f"AWSLambdaPowertoolsPythonV3-{python}-{architecture.name}"


def powertools_layer(
    scope: Construct,
    construct_id: str,
    *,
    runtime: lambda_.Runtime,
    architecture: lambda_.Architecture,
    version: int = POWERTOOLS_LAYER_VERSION,
) -> lambda_.ILayerVersion:
    """The managed layer in the stack's region; its ARN follows the stack's partition and
    region (a token when the stack is environment-agnostic, resolved at deploy)."""
    stack = Stack.of(scope)
    region = stack.region
    publisher = PUBLISHER
    if not Token.is_unresolved(region):
        publisher = REGIONAL_PUBLISHERS.get(region, PUBLISHER)
    arn = stack.format_arn(
        service="lambda",
        account=publisher,
        resource="layer",
        resource_name=f"{layer_name(runtime, architecture)}:{version}",
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )
    return lambda_.LayerVersion.from_layer_version_arn(scope, construct_id, arn)
