from __future__ import annotations

from typing import Any

import pytest

import pyflow

from .conftest import DOMAIN


@pyflow.activity(name="resize", version="2.0", task_list="images", heartbeat_timeout=30)
def resize(value: Any) -> Any:
    return value


def _workflow_with_child() -> pyflow.Workflow:
    child = pyflow.Workflow("Child", "1.0")
    child.add(pyflow.ActivityTask(name="Resize", activity=resize, depends_on=[child.start_task]))
    parent = pyflow.Workflow("Parent", "1.0", execution_timeout=600, decision_timeout=20)
    parent.add(pyflow.WorkflowTask(name="Kid", workflow=child, depends_on=[parent.start_task]))
    parent.add(
        pyflow.ActivityTask(
            name="Foreign", activity_type="ocr", activity_version="1", task_list="java-workers",
            start_to_close_timeout=45, depends_on=["Kid"],
        )
    )
    return parent


def test_domain_registration_is_idempotent(moto_swf: Any) -> None:
    pyflow.ensure_domain_registered("new-domain", retention_days=3, client=moto_swf)
    pyflow.ensure_domain_registered("new-domain", retention_days=3, client=moto_swf)
    info = moto_swf.describe_domain(name="new-domain")
    assert info["domainInfo"]["status"] == "REGISTERED"
    assert info["configuration"]["workflowExecutionRetentionPeriodInDays"] == "3"


def test_deprecated_domain_is_a_clear_error(moto_swf: Any) -> None:
    moto_swf.deprecate_domain(name=DOMAIN)
    with pytest.raises(pyflow.DeprecatedError, match="deprecated"):
        pyflow.ensure_domain_registered(DOMAIN, client=moto_swf)


def test_retention_days_out_of_range_is_rejected(moto_swf: Any) -> None:
    with pytest.raises(ValueError, match="between 0 and 90"):
        pyflow.ensure_domain_registered("d", retention_days=91, client=moto_swf)


def test_workflow_registration_covers_children_and_activities(moto_swf: Any) -> None:
    pyflow.ensure_workflow_registered(
        _workflow_with_child(), domain=DOMAIN, task_list="deciders", client=moto_swf
    )
    parent = moto_swf.describe_workflow_type(
        domain=DOMAIN, workflowType={"name": "Parent", "version": "1.0"}
    )["configuration"]
    assert parent["defaultTaskList"] == {"name": "deciders"}
    assert parent["defaultExecutionStartToCloseTimeout"] == "600"
    assert parent["defaultTaskStartToCloseTimeout"] == "20"
    assert parent["defaultChildPolicy"] == "TERMINATE"
    child = moto_swf.describe_workflow_type(
        domain=DOMAIN, workflowType={"name": "Child", "version": "1.0"}
    )["configuration"]
    assert child["defaultTaskList"] == {"name": "deciders"}
    declared = moto_swf.describe_activity_type(
        domain=DOMAIN, activityType={"name": "resize", "version": "2.0"}
    )["configuration"]
    assert declared["defaultTaskList"] == {"name": "images"}
    assert declared["defaultTaskHeartbeatTimeout"] == "30"
    assert declared["defaultTaskStartToCloseTimeout"] == "300"
    assert declared["defaultTaskScheduleToStartTimeout"] == "NONE"
    foreign = moto_swf.describe_activity_type(
        domain=DOMAIN, activityType={"name": "ocr", "version": "1"}
    )["configuration"]
    assert foreign["defaultTaskList"] == {"name": "java-workers"}
    assert foreign["defaultTaskStartToCloseTimeout"] == "45"


def test_workflow_registration_is_idempotent(moto_swf: Any) -> None:
    workflow = _workflow_with_child()
    pyflow.ensure_workflow_registered(workflow, domain=DOMAIN, client=moto_swf)
    pyflow.ensure_workflow_registered(workflow, domain=DOMAIN, client=moto_swf)
    types = moto_swf.list_workflow_types(domain=DOMAIN, registrationStatus="REGISTERED")
    assert sorted(t["workflowType"]["name"] for t in types["typeInfos"]) == ["Child", "Parent"]


def test_workflow_task_list_wins_over_the_callers(moto_swf: Any) -> None:
    workflow = pyflow.Workflow("Own", "1.0", task_list="own-list")
    pyflow.ensure_workflow_registered(workflow, domain=DOMAIN, task_list="other", client=moto_swf)
    config = moto_swf.describe_workflow_type(
        domain=DOMAIN, workflowType={"name": "Own", "version": "1.0"}
    )["configuration"]
    assert config["defaultTaskList"] == {"name": "own-list"}


def test_unknown_domain_says_how_to_create_it(moto_swf: Any) -> None:
    with pytest.raises(pyflow.UnknownDomainError, match="ensure_domain_registered"):
        pyflow.ensure_workflow_registered(
            pyflow.Workflow("W", "1"), domain="no-such-domain", client=moto_swf
        )


def test_deprecated_workflow_type_is_a_clear_error(moto_swf: Any) -> None:
    workflow = pyflow.Workflow("Old", "1.0")
    pyflow.ensure_workflow_registered(workflow, domain=DOMAIN, client=moto_swf)
    moto_swf.deprecate_workflow_type(domain=DOMAIN, workflowType={"name": "Old", "version": "1.0"})
    with pytest.raises(pyflow.DeprecatedError, match="'Old' version '1.0' is deprecated"):
        pyflow.ensure_workflow_registered(workflow, domain=DOMAIN, client=moto_swf)


def test_two_definitions_with_one_version_are_rejected(moto_swf: Any) -> None:
    parent = pyflow.Workflow("P", "1")
    parent.add(pyflow.WorkflowTask(name="A", workflow=pyflow.Workflow("C", "1")))
    parent.add(pyflow.WorkflowTask(name="B", workflow=pyflow.Workflow("C", "1")))
    with pytest.raises(pyflow.PyflowError, match="two different definitions of workflow 'C'"):
        pyflow.ensure_workflow_registered(parent, domain=DOMAIN, client=moto_swf)


def test_activity_registration_alone(moto_swf: Any) -> None:
    pyflow.ensure_activity_registered(resize, domain=DOMAIN, client=moto_swf)
    pyflow.ensure_activity_registered(resize, domain=DOMAIN, client=moto_swf)
    types = moto_swf.list_activity_types(domain=DOMAIN, registrationStatus="REGISTERED")
    assert [t["activityType"]["name"] for t in types["typeInfos"]] == ["resize"]
