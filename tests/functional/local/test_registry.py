"""Domains and types: registration, description, listing, deprecation, and SWF's faults."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from pyflow.local import LocalSWF


@pytest.fixture
def client(engine: LocalSWF):
    return engine.client()


def test_domain_round_trips_through_describe(client) -> None:
    client.register_domain(name="d", description="demo", workflowExecutionRetentionPeriodInDays="7")
    detail = client.describe_domain(name="d")
    assert detail["domainInfo"]["name"] == "d"
    assert detail["domainInfo"]["status"] == "REGISTERED"
    assert detail["domainInfo"]["description"] == "demo"
    assert detail["domainInfo"]["arn"].endswith(":/domain/d")
    assert detail["configuration"] == {"workflowExecutionRetentionPeriodInDays": "7"}


def test_registering_a_domain_twice_raises_domain_already_exists(client) -> None:
    client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
    with pytest.raises(client.exceptions.DomainAlreadyExistsFault):
        client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")


def test_unknown_domain_raises_unknown_resource(client) -> None:
    with pytest.raises(client.exceptions.UnknownResourceFault, match="Unknown domain"):
        client.describe_domain(name="missing")


def test_deprecated_domains_are_listed_separately(client) -> None:
    for name in ("a", "b", "c"):
        client.register_domain(name=name, workflowExecutionRetentionPeriodInDays="1")
    client.deprecate_domain(name="b")
    registered = client.list_domains(registrationStatus="REGISTERED")["domainInfos"]
    deprecated = client.list_domains(registrationStatus="DEPRECATED")["domainInfos"]
    assert [d["name"] for d in registered] == ["a", "c"]
    assert [d["name"] for d in deprecated] == ["b"]
    with pytest.raises(client.exceptions.DomainDeprecatedFault):
        client.deprecate_domain(name="b")


def test_list_domains_pages_with_next_page_token(client) -> None:
    for i in range(5):
        client.register_domain(name=f"d{i}", workflowExecutionRetentionPeriodInDays="1")
    first = client.list_domains(registrationStatus="REGISTERED", maximumPageSize=2)
    second = client.list_domains(registrationStatus="REGISTERED", maximumPageSize=2,
                                 nextPageToken=first["nextPageToken"])
    assert [d["name"] for d in first["domainInfos"]] == ["d0", "d1"]
    assert [d["name"] for d in second["domainInfos"]] == ["d2", "d3"]
    names = [d["name"] for page in client.get_paginator("list_domains").paginate(
        registrationStatus="REGISTERED", maximumPageSize=2) for d in page["domainInfos"]]
    assert names == [f"d{i}" for i in range(5)]


def test_workflow_type_keeps_its_defaults(client) -> None:
    client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
    client.register_workflow_type(domain="d", name="wf", version="1", description="x",
                                  defaultTaskList={"name": "tl"}, defaultChildPolicy="ABANDON",
                                  defaultLambdaRole="arn:aws:iam::1:role/r")
    detail = client.describe_workflow_type(domain="d", workflowType={"name": "wf", "version": "1"})
    assert detail["typeInfo"]["status"] == "REGISTERED"
    assert detail["typeInfo"]["description"] == "x"
    assert detail["configuration"] == {"defaultTaskList": {"name": "tl"},
                                       "defaultChildPolicy": "ABANDON",
                                       "defaultLambdaRole": "arn:aws:iam::1:role/r"}
    with pytest.raises(client.exceptions.TypeAlreadyExistsFault):
        client.register_workflow_type(domain="d", name="wf", version="1")


def test_type_lifecycle_deprecate_undeprecate_delete(client) -> None:
    client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
    ref = {"name": "act", "version": "1"}
    client.register_activity_type(domain="d", name="act", version="1")
    with pytest.raises(client.exceptions.TypeNotDeprecatedFault):
        client.delete_activity_type(domain="d", activityType=ref)
    client.deprecate_activity_type(domain="d", activityType=ref)
    assert client.list_activity_types(domain="d", registrationStatus="REGISTERED")[
        "typeInfos"] == []
    deprecated = client.list_activity_types(domain="d", registrationStatus="DEPRECATED")
    assert deprecated["typeInfos"][0]["activityType"] == ref
    assert "deprecationDate" in deprecated["typeInfos"][0]
    client.undeprecate_activity_type(domain="d", activityType=ref)
    with pytest.raises(client.exceptions.TypeAlreadyExistsFault):
        client.undeprecate_activity_type(domain="d", activityType=ref)
    client.deprecate_activity_type(domain="d", activityType=ref)
    client.delete_activity_type(domain="d", activityType=ref)
    with pytest.raises(client.exceptions.UnknownResourceFault):
        client.describe_activity_type(domain="d", activityType=ref)


def test_list_workflow_types_filters_by_name(client) -> None:
    client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
    for name, version in (("a", "1"), ("a", "2"), ("b", "1")):
        client.register_workflow_type(domain="d", name=name, version=version)
    infos = client.list_workflow_types(domain="d", name="a", registrationStatus="REGISTERED")
    assert [t["workflowType"] for t in infos["typeInfos"]] == [
        {"name": "a", "version": "1"}, {"name": "a", "version": "2"}]


@pytest.mark.parametrize("name, problem", [
    ("bad:name", "must not contain"), ("a/b", "must not contain"), ("arn", "literal"),
    (" padded", "whitespace"), ("x" * 257, "length less than or equal to 256"),
])
def test_invalid_domain_names_raise_validation_exception(client, name: str, problem: str) -> None:
    with pytest.raises(ClientError) as info:
        client.register_domain(name=name, workflowExecutionRetentionPeriodInDays="1")
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert problem in info.value.response["Error"]["Message"]


def test_domain_tags_can_be_added_listed_and_removed(client) -> None:
    client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1",
                           tags=[{"key": "team", "value": "a"}])
    arn = client.describe_domain(name="d")["domainInfo"]["arn"]
    client.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "dev"}])
    assert {t["key"] for t in client.list_tags_for_resource(resourceArn=arn)["tags"]} == {
        "team", "env"}
    client.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == [
        {"key": "env", "value": "dev"}]
    with pytest.raises(client.exceptions.UnknownResourceFault):
        client.list_tags_for_resource(resourceArn=arn + "x")


def test_a_deprecated_domain_refuses_new_types_until_undeprecated(client) -> None:
    client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
    client.deprecate_domain(name="d")
    with pytest.raises(client.exceptions.OperationNotPermittedFault, match="deprecated"):
        client.register_workflow_type(domain="d", name="W", version="1")
    with pytest.raises(client.exceptions.OperationNotPermittedFault, match="deprecated"):
        client.register_activity_type(domain="d", name="A", version="1")
    assert client.list_activity_types(domain="d", registrationStatus="DEPRECATED",
                                      )["typeInfos"] == []
    client.undeprecate_domain(name="d")
    client.register_activity_type(domain="d", name="A", version="1")
