"""Bad input and missing setup give one clear line, a hint, a non-zero exit, no traceback."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from click.testing import Result

from pyflow.cli._errors import CliError
from pyflow.cli._values import parse_mapping, parse_payload, parse_since


def _one_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: ")
    assert all(line.startswith(("Error: ", "Hint: ")) for line in lines), lines
    return result.stderr


def test_plain_text_input_is_a_string_as_in_swf() -> None:
    assert parse_payload("World") == "World"
    assert parse_payload('{"a": [1, 2]}') == {"a": [1, 2]}
    assert parse_payload("12") == 12
    assert parse_payload(None) is None


@pytest.mark.parametrize("text", ['{"a": 1', "[1, 2", '"unterminated'])
def test_text_that_starts_like_json_but_does_not_parse_is_an_error(text: str) -> None:
    with pytest.raises(CliError, match="--input is not valid JSON"):
        parse_payload(text)


def test_input_from_a_file(tmp_path: object) -> None:
    path = f"{tmp_path}/in.json"
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"n": 3}')
    assert parse_payload("@" + path) == {"n": 3}
    with pytest.raises(CliError, match="cannot read"):
        parse_payload("@" + path + ".missing")


def test_since_reads_ages_and_iso_times() -> None:
    age = time.time() - parse_since("2h").timestamp()
    assert 7190 < age < 7210
    assert parse_since("2024-05-01T12:00").isoformat() == "2024-05-01T12:00:00+00:00"
    with pytest.raises(CliError, match="cannot read 'yesterday' as a time"):
        parse_since("yesterday")


def test_mapping_needs_name_and_target() -> None:
    assert parse_mapping("a-b=m:f", option="--lambda") == ("a-b", "m:f")
    with pytest.raises(CliError, match="is not NAME=MODULE:FUNCTION"):
        parse_mapping("m:f", option="--lambda")


def test_malformed_json_input_on_the_command_line(invoke: Callable[..., Result]) -> None:
    err = _one_error(invoke("start", "X", "--workflow-version", "1", "--input", '{"a": 1'))
    assert "Error: --input is not valid JSON: Expecting" in err
    assert "Hint: quote JSON for your shell" in err


def test_unreachable_endpoint_fails_fast_and_says_where(
    invoke: Callable[..., Result], isolated_aws: str
) -> None:
    started = time.monotonic()
    err = _one_error(invoke("list"))
    assert time.monotonic() - started < 10
    assert f"cannot reach SWF: Could not connect to the endpoint URL: \"{isolated_aws}/\"" in err
    assert "pyflow local serve" in err


def test_no_region_and_no_endpoint(
    invoke: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL_SWF")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    err = _one_error(invoke("describe", "some-id"))
    assert "Error: no AWS region configured" in err
    assert "--region" in err and "--endpoint-url" in err


def test_no_credentials_for_aws(
    invoke: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL_SWF")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    err = _one_error(invoke("history", "some-id", "--region", "eu-west-1"))
    assert "Error: no AWS credentials found" in err
    assert "AWS_PROFILE" in err


def test_unknown_profile(invoke: Callable[..., Result]) -> None:
    err = _one_error(invoke("list", "--profile", "nope"))
    assert "The config profile (nope) could not be found" in err


def test_local_endpoint_needs_no_credentials_or_region(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pyflow.cli._options import AwsOptions

    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    client = AwsOptions(endpoint_url="http://localhost:1").client()
    assert client.meta.region_name == "us-east-1"
    assert client.meta.endpoint_url == "http://localhost:1"


def test_missing_module_for_run(invoke: Callable[..., Result]) -> None:
    err = _one_error(invoke("run", "nowhere_pkg.flows:workflow", "--input", "x"))
    assert "Error: no module named 'nowhere_pkg.flows'" in err


def test_user_module_that_raises_on_import(
    invoke: Callable[..., Result], user_module: Callable[[str, str], str]
) -> None:
    user_module("broken_flow", "x = 1\nraise RuntimeError('boom')\n")
    err = _one_error(invoke("graph", "broken_flow:workflow"))
    assert "importing 'broken_flow' failed: RuntimeError: boom (" in err
    assert "broken_flow.py, line 2)" in err


def test_user_module_with_a_syntax_error_names_file_and_line(
    invoke: Callable[..., Result], user_module: Callable[[str, str], str]
) -> None:
    user_module("typo_flow", "x = 1\ndef f(:\n")
    err = _one_error(invoke("graph", "typo_flow:workflow"))
    assert "importing 'typo_flow' failed: syntax error in " in err
    assert "typo_flow.py, line 2" in err
    assert "Hint: fix the syntax there" in err


def test_a_package_without_workflows_says_so_with_a_hint(
    invoke: Callable[..., Result], user_module: Callable[[str, str], str]
) -> None:
    user_module("empty_pkg.nothing", "x = 1\n")
    err = _one_error(invoke("graph", "empty_pkg"))
    assert "Error: module 'empty_pkg' defines no pyflow.Workflow" in err
    assert "Hint: define one at module level, or name it as MODULE:ATTRIBUTE" in err


def test_invalid_workflow_definition_names_the_problem(
    invoke: Callable[..., Result], user_module: Callable[[str, str], str]
) -> None:
    user_module(
        "bad_flow",
        """
        import pyflow
        wf = pyflow.Workflow("Bad", "1")
        wf.add(pyflow.TimerTask(name="T", duration=1, depends_on=["Missing"]))
        """,
    )
    err = _one_error(invoke("graph", "bad_flow:wf"))
    assert "never added: 'Missing' (needed by T)" in err


def test_debug_flag_shows_the_traceback(invoke: Callable[..., Result]) -> None:
    from botocore.exceptions import EndpointConnectionError

    with pytest.raises(EndpointConnectionError):
        invoke("--debug", "list")


def test_usage_errors_exit_2(invoke: Callable[..., Result]) -> None:
    result = invoke("describe")
    assert result.exit_code == 2
    assert "Missing argument 'WORKFLOW_ID'" in result.stderr


def test_endpoint_without_scheme(invoke: Callable[..., Result]) -> None:
    err = _one_error(invoke("list", "--endpoint-url", "localhost:8765"))
    assert "Error: endpoint 'localhost:8765' is not an http:// or https:// URL" in err


def test_too_many_tags(invoke: Callable[..., Result]) -> None:
    tags = [arg for i in range(6) for arg in ("--tag", f"t{i}")]
    err = _one_error(invoke("start", "X", "--workflow-version", "1", *tags))
    assert "6 tags given; SWF allows at most 5 per execution" in err


def test_start_by_type_name_without_version_points_to_workflow_version(
    invoke: Callable[..., Result],
) -> None:
    result = invoke("start", "StringTransformer", "--input", "World")
    assert result.exit_code == 1
    assert "Hint: to start a registered type by name, add its version" in result.stderr
    assert "--workflow-version VERSION" in result.stderr


def test_list_type_version_needs_type(invoke: Callable[..., Result]) -> None:
    result = invoke("list", "--type-version", "1.0")
    assert result.exit_code == 2
    assert "--type-version needs --type" in result.stderr


def test_start_help_says_plain_text_input_is_accepted(invoke: Callable[..., Result]) -> None:
    text = " ".join(invoke("start", "--help").stdout.split())
    assert "JSON if it parses, @FILE to read a file, else plain text" in text


def test_graph_to_a_missing_directory_is_one_clear_error(
    invoke: Callable[..., Result], tmp_path: object
) -> None:
    target = f"{tmp_path}/no/such/dir/x.mmd"
    result = invoke("graph", "workflows.string_transformer:workflow", "-o", target)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write {target}: No such file or directory")
    assert "unexpected" not in result.stderr


def test_decider_that_never_reaches_swf_exits_non_zero_naming_the_endpoint(
    invoke: Callable[..., Result], isolated_aws: str, user_module: Callable[[str, str], str]
) -> None:
    user_module("unreached_flows", "import pyflow\nwf = pyflow.Workflow('Unreached', '1')\n")
    result = invoke("decider", "unreached_flows", "--iterations", "2")
    assert result.exit_code == 1, result.output
    err = result.stderr.splitlines()[-2]  # after the "deciding ..." line: Error, then Hint
    assert err.startswith("Error: ") and "Traceback" not in result.output
    assert f"no poll of task list 'pyflow-decider' reached SWF at {isolated_aws}" in err
    assert "(2 failed)" in err
