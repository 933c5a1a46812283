"""The composite GitHub Action and the example code scanning workflow.

Static checks parse the YAML: inputs reach scripts only through ``env``, every
``nodeleaklint`` option used exists, third-party actions are pinned by SHA, the upload is
guarded. The action's scripts are then run with bash on a sample project, with ``python3
-m venv`` and ``pip`` stubbed (opt-in: for real, with ``NODELEAKLINT_SLOW_TESTS=1``), up to
the upload itself, which needs GitHub.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_flags import nodeleaklint_invocations, options_of
from sarif_checks import assert_valid_sarif

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "docs" / "github-code-scanning.yml"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
LEAKY = (
    "const bus = require('./bus');\nbus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n"
    "other.setMaxListeners(0);\n"
)


def load(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def action_steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = load(ACTION)["runs"]["steps"]
    return steps


def workflow_steps() -> list[dict[str, Any]]:
    jobs = load(WORKFLOW)["jobs"]
    return [step for job in jobs.values() for step in job["steps"]]


def step_named(steps: list[dict[str, Any]], prefix: str) -> dict[str, Any]:
    return next(step for step in steps if step.get("name", "").startswith(prefix))


# -- static checks -----------------------------------------------------------------------


@pytest.mark.parametrize("steps", [action_steps, workflow_steps], ids=["action", "workflow"])
def test_run_scripts_never_interpolate_expressions(steps: Any) -> None:
    for step in steps():
        if "run" in step:
            assert "${{" not in step["run"], step["name"]


@pytest.mark.parametrize("steps", [action_steps, workflow_steps], ids=["action", "workflow"])
def test_every_nodeleaklint_option_used_exists(steps: Any) -> None:
    used = [call for step in steps() for call in nodeleaklint_invocations(step.get("run", ""))]
    assert used, "no nodeleaklint invocation found"
    for command, flags in used:
        assert set(flags) <= options_of(command), (command, flags)
    assert any("--output" in flags for _, flags in used)


@pytest.mark.parametrize("steps", [action_steps, workflow_steps], ids=["action", "workflow"])
def test_third_party_actions_are_pinned_by_sha(steps: Any) -> None:
    uses = [step["uses"] for step in steps() if "uses" in step]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    for target in uses:
        assert PINNED.match(target), target


def test_upload_sarif_is_v4_with_the_tag_in_a_comment() -> None:
    for path in (ACTION, WORKFLOW):
        lines = [line for line in path.read_text().splitlines() if "upload-sarif@" in line]
        assert lines and all(re.search(r"@[0-9a-f]{40} # v4\.\d+\.\d+$", line) for line in lines)


def test_action_inputs_reach_scripts_only_through_env() -> None:
    action = load(ACTION)
    inputs = action["inputs"]
    assert {"paths", "args", "sarif-file", "upload-sarif", "category", "version"} <= set(inputs)
    assert inputs["upload-sarif"]["default"] == "true"
    assert inputs["category"]["default"] == "nodeleaklint"
    referenced: set[str] = set()
    for step in action["runs"]["steps"]:
        assert "run" not in step or step.get("shell") == "bash"
        for value in step.get("env", {}).values():
            referenced.update(re.findall(r"inputs\.([\w-]+)", value))
        for value in (step.get("if", ""), *step.get("with", {}).values()):
            referenced.update(re.findall(r"inputs\.([\w-]+)", str(value)))
    assert referenced == set(inputs), set(inputs) ^ referenced
    upload = next(s for s in action["runs"]["steps"] if "upload-sarif@" in s.get("uses", ""))
    assert "inputs.upload-sarif == 'true'" in upload["if"]
    assert "!cancelled()" in upload["if"]
    assert upload["with"]["category"] == "${{ inputs.category }}"
    output = action["outputs"]["sarif-file"]["value"]
    assert output == "${{ steps.nodeleaklint.outputs.sarif-file }}"


def test_action_installs_its_own_copy_unless_a_version_is_given() -> None:
    script = step_named(action_steps(), "Run nodeleaklint")["run"]
    assert 'pip install --quiet "$GITHUB_ACTION_PATH"' in script
    assert '"nodeleaklint==$NLL_VERSION"' in script


def test_workflow_permissions_and_fork_guard() -> None:
    workflow = load(WORKFLOW)
    job = next(iter(workflow["jobs"].values()))
    assert job["permissions"]["security-events"] == "write"
    assert "head.repo.full_name != github.repository" in job["env"]["FROM_FORK"]
    upload = next(s for s in job["steps"] if "upload-sarif@" in s.get("uses", ""))
    assert "env.FROM_FORK != 'true'" in upload["if"]
    assert "!cancelled()" in upload["if"]
    assert upload["with"]["sarif_file"] == "nodeleaklint.sarif"
    fork = step_named(job["steps"], "Run nodeleaklint (annotations")
    assert fork["if"] == "env.FROM_FORK == 'true'"
    assert "--format github" in fork["run"]


# -- running the action's scripts ----------------------------------------------------------

MEDIUM_ONLY = "async function f() {\n  await new Promise(() => {});\n}\n"

_STUB = """#!/bin/sh
# python3 stub: `-m venv DIR` makes a fake virtualenv whose pip only logs its arguments.
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin"
  printf '%s\\n' '#!/bin/sh' \\
    'if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then echo "$@" >> "{log}"; exit 0; fi' \\
    'exec "{python}" "$@"' > "$3/bin/python"
  chmod +x "$3/bin/python"
  ln -s "{nodeleaklint}" "$3/bin/nodeleaklint"
  exit 0
fi
exec "{python}" "$@"
"""


def _run_action(
    tmp_path: Path, inputs: dict[str, str], *, stub: bool, source: str = LEAKY
) -> dict[str, Any]:
    """Run the action's bash steps as the runner would, up to (not including) the upload."""
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "app.js").write_text(source, encoding="utf-8")
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    output = tmp_path / "github-output"
    output.touch()
    env = {
        **os.environ,
        "RUNNER_TEMP": str(temp),
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_OUTPUT": str(output),
    }
    if stub:
        bin_dir = tmp_path / "stub-bin"
        bin_dir.mkdir()
        stub_python = bin_dir / "python3"
        nodeleaklint = Path(sys.executable).parent / "nodeleaklint"
        stub_python.write_text(
            _STUB.format(
                log=tmp_path / "pip.log", python=sys.executable, nodeleaklint=nodeleaklint
            ),
            encoding="utf-8",
        )
        stub_python.chmod(0o755)
        env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    action = load(ACTION)
    defaults = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    values = {**defaults, **inputs}
    outputs: dict[str, str] = {}
    status: list[int] = []
    for step in action["runs"]["steps"]:
        if "run" not in step:
            continue
        if "steps.nodeleaklint.outputs.sarif-file != ''" in step.get("if", "") and not outputs:
            continue
        if "inputs.fail-on-findings == 'true'" in step.get("if", "") and (
            values["fail-on-findings"] != "true"
        ):
            continue
        step_env = dict(env)
        for name, value in step.get("env", {}).items():
            step_env[name] = _expand(value, values, outputs)
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=project,
            env=step_env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        status.append(done.returncode)
        outputs = dict(
            line.split("=", 1) for line in output.read_text().splitlines() if "=" in line
        )
        if done.returncode != 0:
            break
    return {"project": project, "outputs": outputs, "status": status}


def _expand(value: str, inputs: dict[str, str], outputs: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        kind, name = match.group(1), match.group(2)
        return inputs[name] if kind == "inputs" else outputs.get(name, "")

    return re.sub(r"\$\{\{\s*(inputs|steps\.nodeleaklint\.outputs)\.([\w-]+)\s*\}\}", one, value)


def test_action_scripts_write_sarif_and_the_output(tmp_path: Path) -> None:
    ran = _run_action(
        tmp_path,
        {"paths": "src", "args": "--select NLL102", "category": "web/", "max-results": "1"},
        stub=True,
    )
    assert ran["status"] == [0, 0]
    assert ran["outputs"] == {"sarif-file": "nodeleaklint.sarif", "failing": "true"}
    log = assert_valid_sarif((ran["project"] / "nodeleaklint.sarif").read_text())
    run = log["runs"][0]
    assert run["automationDetails"] == {"id": "web/"}
    assert len(run["results"]) == 1  # capped by max-results, with a notification
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any(n["descriptor"]["id"] == "NLL-TRUNCATED" for n in notes)
    assert (tmp_path / "pip.log").read_text().split() == [
        "-m",
        "pip",
        "install",
        "--quiet",
        str(ROOT),
    ]


def test_action_fail_on_findings(tmp_path: Path) -> None:
    ran = _run_action(tmp_path, {"fail-on-findings": "true"}, stub=True)
    assert ran["status"] == [0, 0, 1]


@pytest.mark.parametrize(("args", "status"), [("", [0, 0, 0]), ("--fail-on medium", [0, 0, 1])])
def test_action_fails_on_medium_findings_only_when_asked(
    tmp_path: Path, args: str, status: list[int]
) -> None:
    ran = _run_action(
        tmp_path, {"fail-on-findings": "true", "args": args}, stub=True, source=MEDIUM_ONLY
    )
    assert ran["status"] == status
    log = assert_valid_sarif((ran["project"] / "nodeleaklint.sarif").read_text())
    assert [r["level"] for r in log["runs"][0]["results"]] == ["warning"]


def test_action_installs_a_pinned_version_when_asked(tmp_path: Path) -> None:
    _run_action(tmp_path, {"version": "0.1.0"}, stub=True)
    assert "nodeleaklint==0.1.0" in (tmp_path / "pip.log").read_text().split()


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("NODELEAKLINT_SLOW_TESTS") != "1" or shutil.which("python3") is None,
    reason="set NODELEAKLINT_SLOW_TESTS=1 (pip-installs the action's copy of nodeleaklint)",
)
def test_action_scripts_end_to_end_with_a_real_install(tmp_path: Path) -> None:
    ran = _run_action(tmp_path, {"paths": "src"}, stub=False)
    assert ran["status"] == [0, 0], ran
    log = assert_valid_sarif((ran["project"] / "nodeleaklint.sarif").read_text())
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["NLL102", "NLL102"]
    assert log["runs"][0]["automationDetails"] == {"id": "nodeleaklint/"}
