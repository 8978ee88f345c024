"""The payload bucket: encrypted, TLS only, private, expiring, and granted only where needed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from infra.settings import Settings, SettingsError

from .conftest import render
from .test_functions import _project

OBJECTS = "<AWS::S3::Bucket.Arn>/pyflow/payloads/*"
PAYLOAD_STATEMENT = {
    "Action": ["s3:GetObject", "s3:PutObject"],
    "Effect": "Allow",
    "Resource": OBJECTS,
}


@pytest.fixture(scope="module")
def stack(synth: Callable[..., Any], tmp_path_factory: pytest.TempPathFactory) -> Any:
    # With the user's functions (functions/charge.py, functions/ship/) and cdk-nag on.
    project = _project(tmp_path_factory.mktemp("project"))
    return synth({"example_functions": "false"}, project_root=project, nag=True)


def _function(stack: Any, function_name: str | None) -> dict[str, Any]:
    """The decider's properties (no name), or those of the function with this name."""

    def wanted(props: dict[str, Any]) -> bool:
        if function_name is None:
            return bool(props["Handler"] == "decider.lambda_handler")
        return bool(props.get("FunctionName") == function_name)

    (props,) = [
        f["Properties"]
        for f in stack.resources("AWS::Lambda::Function").values()
        if wanted(f["Properties"])
    ]
    return props  # type: ignore[no-any-return]


def _role_statements(stack: Any, function_name: str | None) -> list[Any]:
    resources = stack.json["Resources"]
    role_id = _function(stack, function_name)["Role"]["Fn::GetAtt"][0]
    statements: list[Any] = []
    for policy in stack.resources("AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Properties"]["Roles"]:
            statements += render(policy["Properties"]["PolicyDocument"]["Statement"], resources)
    return statements


def _environment(stack: Any, function_name: str | None) -> dict[str, Any]:
    variables = _function(stack, function_name)["Environment"]["Variables"]
    return render(variables, stack.json["Resources"])  # type: ignore[no-any-return]


def test_the_bucket_is_encrypted_private_tls_only_retained_and_expires(stack: Any) -> None:
    (bucket,) = stack.resources("AWS::S3::Bucket").values()
    props = bucket["Properties"]
    assert props["BucketEncryption"] == {
        "ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
        ]
    }
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    (rule,) = props["LifecycleConfiguration"]["Rules"]
    assert rule["Prefix"] == "pyflow/payloads/"
    assert rule["ExpirationInDays"] == 455
    assert rule["Status"] == "Enabled"
    assert rule["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1}
    assert bucket["DeletionPolicy"] == "Retain"
    (policy,) = stack.resources("AWS::S3::BucketPolicy").values()
    (deny,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_the_decider_may_only_read_and_write_payload_objects_and_knows_where(stack: Any) -> None:
    s3 = [s for s in _role_statements(stack, None) if "s3:" in str(s["Action"])]
    assert s3 == [PAYLOAD_STATEMENT]
    environment = _environment(stack, None)
    assert environment["PYFLOW_PAYLOAD_BUCKET"] == "<Ref AWS::S3::Bucket>"
    assert environment["PYFLOW_PAYLOAD_PREFIX"] == "pyflow/payloads/"


@pytest.mark.parametrize("name", ["charge", "ship"])
def test_the_stacks_task_functions_get_the_same_grant(stack: Any, name: str) -> None:
    s3 = [s for s in _role_statements(stack, name) if "s3:" in str(s["Action"])]
    assert s3 == [PAYLOAD_STATEMENT]
    assert _environment(stack, name)["PYFLOW_PAYLOAD_BUCKET"] == "<Ref AWS::S3::Bucket>"


def test_a_payload_policy_for_functions_elsewhere_and_outputs_name_the_bucket(stack: Any) -> None:
    resources = stack.json["Resources"]
    documents = [
        render(p["Properties"]["PolicyDocument"], resources)
        for p in stack.resources("AWS::IAM::ManagedPolicy").values()
    ]
    assert {"Version": "2012-10-17", "Statement": [PAYLOAD_STATEMENT]} in documents
    outputs = stack.json["Outputs"]
    assert render(outputs["PayloadBucketName"]["Value"], resources) == "<Ref AWS::S3::Bucket>"
    assert "PYFLOW_PAYLOAD_BUCKET" in outputs["PayloadBucketName"]["Description"]
    assert (
        render(outputs["PayloadPolicyArn"]["Value"], resources) == "<Ref AWS::IAM::ManagedPolicy>"
    )


def test_no_other_role_reaches_the_bucket(stack: Any) -> None:
    # Registration, the schedule and the SWF Lambda role have no business with payloads.
    resources = stack.json["Resources"]
    holders = set()
    for logical_id, policy in {
        **stack.resources("AWS::IAM::Policy"),
        **stack.resources("AWS::IAM::ManagedPolicy"),
    }.items():
        if "s3:" in str(policy["Properties"]["PolicyDocument"]):
            holders |= {r["Ref"] for r in policy["Properties"].get("Roles", [])} or {logical_id}
    kinds = sorted(
        resources[h]["Properties"].get("Description", h)
        if resources[h]["Type"] == "AWS::IAM::Role"
        else resources[h]["Properties"]["Description"]
        for h in holders
    )
    assert kinds == [
        "Read and write pyflow payloads (attach to activity workers and to task functions "
        "deployed outside the pyflow stack)",
        "Run pyflow activity workers on one SWF domain",
        "pyflow decider for SWF domain pyflow",
        "pyflow task function charge",
        "pyflow task function ship",
    ]


def test_payload_store_false_creates_no_bucket_and_no_grant(
    synth: Callable[..., Any], tmp_path: Path
) -> None:
    result = synth(
        {"example_functions": "false", "payload_store": "false"}, project_root=_project(tmp_path)
    )
    assert result.resources("AWS::S3::Bucket") == {}
    assert "s3:PutObject" not in str(result.json["Resources"])
    assert "PYFLOW_PAYLOAD_BUCKET" not in str(result.json["Resources"])
    assert "PayloadBucketName" not in result.json["Outputs"]


def test_settings_name_a_bad_expiry_or_prefix() -> None:
    with pytest.raises(SettingsError, match=r"payload_expiration_days \(30\) must exceed"):
        Settings.from_mapping({"payload_expiration_days": "30", "retention_days": "30"})
    with pytest.raises(SettingsError, match="payload_prefix 'payloads' must be"):
        Settings.from_mapping({"payload_prefix": "payloads"})
    with pytest.raises(SettingsError, match="payload_store must be true or false"):
        Settings.from_mapping({"payload_store": "maybe"})
    assert Settings.from_mapping({"payload_prefix": "team-a/big/"}).payload_prefix == "team-a/big/"
    # Off, the expiry no longer matters.
    assert not Settings.from_mapping(
        {"payload_store": "no", "payload_expiration_days": "1"}
    ).payload_store
