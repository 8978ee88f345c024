"""A deployment with a new `deploy_nonce` calls RegisterDomain and UndeprecateDomain again, so
a domain deprecated while the stack exists is re-enabled; without one (the default) the template
is the same on every synthesis, so an unchanged project deploys and diffs as no change."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from infra.settings import Settings

from .conftest import TEST_NONCE


def _domain_calls(synth: Any) -> dict[str, dict[str, Any]]:
    """The domain's custom resources by logical id."""
    return synth.resources("Custom::AWS")


def _without_nonces(template: dict[str, Any]) -> dict[str, Any]:
    stripped = copy.deepcopy(template)
    for resource in stripped["Resources"].values():
        resource.get("Properties", {}).pop("DeployNonce", None)
    return stripped


@pytest.fixture(scope="module")
def first(synth: Callable[..., Any]) -> Any:
    return synth({"deploy_nonce": "deploy-1"})


@pytest.fixture(scope="module")
def second(synth: Callable[..., Any]) -> Any:
    return synth({"deploy_nonce": "deploy-2"})


def test_register_and_undeprecate_both_carry_the_nonce(first: Any) -> None:
    calls = _domain_calls(first)
    actions = {
        json.loads(r["Properties"]["Create"])["action"]: r["Properties"]["DeployNonce"]
        for r in calls.values()
    }
    assert actions == {"registerDomain": "deploy-1", "undeprecateDomain": "deploy-1"}


def test_a_new_nonce_updates_both_calls_and_nothing_else(first: Any, second: Any) -> None:
    before, after = _domain_calls(first), _domain_calls(second)
    assert set(before) == set(after), "the calls must be updated in place, not replaced"
    for logical_id, resource in after.items():
        props = resource["Properties"]
        assert props["DeployNonce"] != before[logical_id]["Properties"]["DeployNonce"]
        # CloudFormation sends Update, and the Update call is the register/undeprecate call.
        assert json.loads(props["Update"]) == json.loads(props["Create"])
    assert _without_nonces(first.json) == _without_nonces(second.json)


def test_without_a_nonce_two_syntheses_are_identical(synth: Callable[..., Any]) -> None:
    """The nonce is opt-in, so `cdk diff` on an unchanged project shows no changes."""
    first, second = (synth({"deploy_nonce": None}).json for _ in range(2))
    assert first == second
    calls = first["Resources"].values()
    assert not [r for r in calls if "DeployNonce" in r.get("Properties", {})]
    assert TEST_NONCE not in json.dumps(first)


@pytest.mark.parametrize(
    ("raw", "expected"), [("abc", "abc"), (7, "7"), (" ", None), ("v2 ", "v2")]
)
def test_deploy_nonce_is_read_from_context_as_text(raw: Any, expected: str | None) -> None:
    assert Settings.from_mapping({"deploy_nonce": raw}).deploy_nonce == expected


def test_an_overlong_deploy_nonce_is_rejected_naming_the_key() -> None:
    with pytest.raises(ValueError, match="deploy_nonce must be at most 256 characters"):
        Settings.from_mapping({"deploy_nonce": "x" * 257})
