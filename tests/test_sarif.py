"""The SARIF reporter: schema validity, GitHub's requirements, and exact content."""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import pathlib
from typing import Any

import attr
import pytest
import sarif_om as om
from report_samples import (
    INTERVAL,
    LISTENER,
    PARSE_ERROR,
    RULES,
    make_rule,
    sample_run,
    single_run,
)
from sarif_checks import assert_valid_sarif, github_problems, schema_errors

from nodeleaklint import __version__
from nodeleaklint.findings import (
    Confidence,
    FileReport,
    Notification,
    NotificationKind,
    RunResult,
    Severity,
    report_level,
)
from nodeleaklint.reporters import render
from nodeleaklint.reporters.sarif import render as render_sarif
from nodeleaklint.reporters.sarif_json import to_data
from nodeleaklint.reporters.sarif_uri import artifact_uri
from nodeleaklint.rules import ALL_RULES

ROOT = "/work/project"


def sarif(result: RunResult, rules: Any = RULES, **options: Any) -> dict[str, Any]:
    return assert_valid_sarif(render_sarif(result, rules, root=ROOT, **options))


def only_run(doc: dict[str, Any]) -> dict[str, Any]:
    assert len(doc["runs"]) == 1
    run: dict[str, Any] = doc["runs"][0]
    return run


def results_by_rule(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {result["ruleId"]: result for result in only_run(doc)["results"]}


# the log and the run


def test_sample_log_is_valid_for_schema_and_github() -> None:
    doc = sarif(sample_run())
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert doc["version"] == "2.1.0"
    assert list(doc) == ["$schema", "version", "runs"]


def test_render_dispatch_uses_the_cwd_as_root() -> None:
    assert_valid_sarif(render("sarif", sample_run(), RULES))


def test_run_level_properties() -> None:
    run = only_run(sarif(sample_run()))
    driver = run["tool"]["driver"]
    assert driver["name"] == "nodeleaklint"
    assert driver["semanticVersion"] == __version__
    assert driver["informationUri"] == "https://github.com/nodeleaklint/nodeleaklint"
    assert run["columnKind"] == "utf16CodeUnits"
    assert run["automationDetails"] == {"id": "nodeleaklint/"}
    assert list(run["originalUriBaseIds"]) == ["%SRCROOT%"]
    assert "uri" not in run["originalUriBaseIds"]["%SRCROOT%"]
    assert ROOT not in json.dumps(run)
    assert "language" not in run  # schema defaults are not written
    assert run["newlineSequences"] == ["\r\n", "\n", "\r"]  # the default lacks the lone CR


def test_empty_run_still_has_results() -> None:
    doc = sarif(RunResult(files=[FileReport("a.js")]))
    run = only_run(doc)
    assert run["results"] == []
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_output_is_byte_stable() -> None:
    shuffled = sample_run()
    shuffled.files.reverse()
    first = render_sarif(sample_run(), RULES, root=ROOT)
    assert first == render_sarif(shuffled, list(reversed(RULES)), root=ROOT)
    assert first.endswith("}\n")
    assert "é" not in first  # the only é is in a path, and URIs are percent-encoded
    assert "…" in first  # messages keep their characters (ensure_ascii=False)


# rules


def test_rule_metadata() -> None:
    rules = only_run(sarif(sample_run()))["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["NLL101", "NLL201", "NLL301"]
    listener = rules[0]
    assert listener["name"] == "unremoved-listener"
    assert listener["shortDescription"] == {"text": "Summary of unremoved-listener."}
    assert listener["fullDescription"] == {
        "text": "Flags a listener added per call to a long-lived emitter."
    }
    assert listener["help"]["markdown"].startswith(RULES[0].doc.strip())
    assert listener["help"]["text"] == listener["help"]["markdown"]
    assert "nodeleaklint-disable-next-line NLL101" in listener["help"]["text"]
    assert listener["helpUri"] == RULES[0].docs_url
    # A warning-severity rule whose findings are high confidence by default: error.
    assert listener["defaultConfiguration"] == {"level": "error"}
    assert listener["properties"] == {
        "tags": ["memory-leak", "reliability", "nodejs", "external/cwe/cwe-401"],
        "precision": "high",
        "problem.severity": "error",
    }
    assert rules[1]["defaultConfiguration"] == {"level": "error"}
    assert rules[1]["properties"]["problem.severity"] == "error"
    assert rules[2]["defaultConfiguration"] == {"level": "note"}
    assert rules[2]["properties"]["problem.severity"] == "recommendation"
    assert rules[2]["properties"]["precision"] == "medium"
    assert all("security-severity" not in rule["properties"] for rule in rules)


def test_long_descriptions_and_many_tags_are_capped() -> None:
    rule = make_rule("NLL101", "unremoved-listener", Severity.WARNING, what="word " * 400)
    meta = dataclasses.replace(rule.meta, tags=tuple(f"tag-{n}" for n in range(30)), cwe="CWE-772")
    rule = dataclasses.replace(rule, meta=meta)
    descriptor = only_run(sarif(single_run(LISTENER), [rule]))["tool"]["driver"]["rules"][0]
    assert len(descriptor["fullDescription"]["text"]) == 1024
    assert descriptor["fullDescription"]["text"].endswith("…")
    tags = descriptor["properties"]["tags"]
    assert len(tags) == 20 and tags[0] == "memory-leak"


def test_full_description_joins_wrapped_lines() -> None:
    what = "Flags a listener\nadded per call:\n- on `process`\n- on module emitters\n\nAlso `once`."
    rule = make_rule("NLL101", "unremoved-listener", Severity.WARNING, what=what)
    descriptor = only_run(sarif(RunResult(), [rule]))["tool"]["driver"]["rules"][0]
    assert descriptor["fullDescription"]["text"] == (
        "Flags a listener added per call:\n- on `process`\n- on module emitters\n\nAlso `once`."
    )
    assert what in descriptor["help"]["markdown"]


def test_finding_of_an_unlisted_rule_gets_a_descriptor() -> None:
    doc = sarif(sample_run(), RULES[:1])
    rules = only_run(doc)["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["NLL101", "NLL201", "NLL301"]
    assert rules[1]["properties"]["problem.severity"] == "error"


# results


def test_every_result_has_an_explicit_level() -> None:
    results = results_by_rule(sarif(sample_run()))
    assert results["NLL101"]["level"] == "error"  # high confidence
    assert results["NLL201"]["level"] == "error"
    assert results["NLL301"]["level"] == "note"  # a note-severity rule stays a note
    assert all(result["kind"] == "fail" for result in results.values())


def test_level_follows_confidence_and_confidence_is_a_property() -> None:
    medium = dataclasses.replace(LISTENER, confidence=Confidence.MEDIUM)
    [result] = only_run(assert_valid_sarif(render_sarif(single_run(medium), RULES)))["results"]
    assert result["level"] == "warning"  # the value sarif-om's default would hide
    assert result["properties"] == {"confidence": "medium"}
    [result] = only_run(assert_valid_sarif(render_sarif(single_run(LISTENER), RULES)))["results"]
    assert (result["level"], result["properties"]) == ("error", {"confidence": "high"})


def test_rule_index_matches_rule_id() -> None:
    run = only_run(sarif(sample_run()))
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]


def test_result_location_region_and_fingerprint() -> None:
    listener = results_by_rule(sarif(sample_run()))["NLL101"]
    assert listener["message"] == {
        "text": LISTENER.message,
        "markdown": f"{LISTENER.message}\n\nHelp: {LISTENER.help}",
    }
    assert listener["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "src/app.js", "uriBaseId": "%SRCROOT%"},
                "region": {"endColumn": 39, "endLine": 3, "startColumn": 3, "startLine": 3},
            }
        }
    ]
    assert listener["partialFingerprints"] == {"nodeleaklint/v1": "fp-listener"}
    assert listener["properties"] == {"confidence": "high"}
    assert listener["relatedLocations"] == [
        {
            "id": 1,
            "message": {"text": "`bus` is declared here"},
            "physicalLocation": {
                "artifactLocation": {"uri": "src/app.js", "uriBaseId": "%SRCROOT%"},
                "region": {"endColumn": 10, "endLine": 1, "startColumn": 7, "startLine": 1},
            },
        }
    ]


def test_non_ascii_path_and_utf16_columns() -> None:
    interval = results_by_rule(sarif(sample_run()))["NLL201"]
    location = interval["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "src/my%20dir/%C3%BCn%C3%AF.js"
    # `setInterval` follows "é😀": code point 16, UTF-16 unit 17, so column 18.
    assert location["region"] == {
        "startLine": INTERVAL.span.line,
        "startColumn": 18,
        "endLine": 2,
        "endColumn": 50,
    }


def test_multiline_region_and_related_ids() -> None:
    collection = results_by_rule(sarif(sample_run()))["NLL301"]
    region = collection["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["endLine"], region["endColumn"]) == (2, 4, 2)
    assert [related["id"] for related in collection["relatedLocations"]] == [1, 2]
    assert collection["properties"] == {"confidence": "medium"}


def test_no_primary_location_line_hash_and_no_empty_fingerprints() -> None:
    bare = dataclasses.replace(LISTENER, fingerprint="")
    result = only_run(sarif(single_run(bare)))["results"][0]
    assert "partialFingerprints" not in result
    assert "primaryLocationLineHash" not in render_sarif(sample_run(), RULES, root=ROOT)


# paths


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("src/app.js", "src/app.js"),
        ("./src/../lib/a b.js", "lib/a%20b.js"),
        (f"{ROOT}/src/app.js", "src/app.js"),
        ("src/ünï 😀.ts", "src/%C3%BCn%C3%AF%20%F0%9F%98%80.ts"),
        ("src/100%.js", "src/100%25.js"),
        ("src/a:b#c?.js", "src/a%3Ab%23c%3F.js"),
    ],
)
def test_relative_uris(path: str, uri: str) -> None:
    location = artifact_uri(path, ROOT)
    assert (location.uri, location.base_id) == (uri, "%SRCROOT%")


@pytest.mark.parametrize("path", ["/elsewhere/x y.js", "../sibling/x.js"])
def test_paths_outside_the_root_become_absolute_file_uris(path: str) -> None:
    finding = dataclasses.replace(LISTENER, path=path, related=())
    doc = json.loads(render_sarif(single_run(finding), RULES, root=ROOT))
    assert schema_errors(doc) == []
    artifact = only_run(doc)["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uri"].startswith("file:///")
    assert " " not in artifact["uri"]
    assert "uriBaseId" not in artifact


# notifications and invocations


def test_execution_notifications() -> None:
    invocation = only_run(sarif(sample_run()))["invocations"][0]
    # An unreadable file makes the run exit 2, and SARIF agrees with the exit status.
    assert invocation["executionSuccessful"] is False
    notifications = invocation["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notifications] == [
        "NLL-SKIPPED",
        "NLL-PARSE",
        "NLL-UNREADABLE",
    ]
    parse = notifications[1]
    assert parse == {
        "message": {"text": PARSE_ERROR.message},
        "descriptor": parse["descriptor"],
        "level": "warning",
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "src/broken.js", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 4},
                }
            }
        ],
    }
    assert [n["level"] for n in notifications] == ["note", "warning", "error"]


def test_notification_descriptors_are_declared() -> None:
    run = only_run(sarif(sample_run()))
    declared = run["tool"]["driver"]["notifications"]
    ids = [descriptor["id"] for descriptor in declared]
    assert ids == sorted(ids)
    assert {"NLL-PARSE", "NLL-UNREADABLE", "NLL-SKIPPED", "NLL-INTERNAL"} <= set(ids)
    for notification in run["invocations"][0]["toolExecutionNotifications"]:
        descriptor = notification["descriptor"]
        assert ids[descriptor["index"]] == descriptor["id"]


def test_internal_error_makes_the_run_unsuccessful() -> None:
    crash = Notification(
        NotificationKind.INTERNAL_ERROR, "NLL101 crashed", "src/app.js", level=Severity.ERROR
    )
    result = RunResult(files=[FileReport("src/app.js", [LISTENER], [crash])])
    invocation = only_run(sarif(result))["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["descriptor"]["id"] == "NLL-INTERNAL"
    assert notification["level"] == "error"


def test_configuration_errors_are_configuration_notifications() -> None:
    problem = Notification(NotificationKind.CONFIG_ERROR, "unknown key `x`", level=Severity.ERROR)
    invocation = only_run(sarif(RunResult(notifications=[problem])))["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "toolExecutionNotifications" not in invocation
    [notification] = invocation["toolConfigurationNotifications"]
    assert notification["descriptor"]["id"] == "NLL-CONFIG"
    assert "locations" not in notification


# max_results


def test_max_results_keeps_the_most_severe() -> None:
    doc = sarif(sample_run(), max_results=2)
    run = only_run(doc)
    assert [result["ruleId"] for result in run["results"]] == ["NLL101", "NLL201"]
    first = run["invocations"][0]["toolExecutionNotifications"][0]
    assert first["descriptor"]["id"] == "NLL-TRUNCATED"
    assert first["level"] == "warning"
    assert first["message"]["text"].startswith("Only 2 of 3 results are in this log (1 left out")


def test_max_results_not_reached_adds_nothing() -> None:
    doc = sarif(sample_run(), max_results=3)
    notifications = only_run(doc)["invocations"][0]["toolExecutionNotifications"]
    assert "NLL-TRUNCATED" not in [n["descriptor"]["id"] for n in notifications]
    assert len(only_run(doc)["results"]) == 3


def test_max_results_through_render() -> None:
    doc = assert_valid_sarif(render("sarif", sample_run(), RULES, max_results=1))
    assert [result["ruleId"] for result in only_run(doc)["results"]] == ["NLL101"]


def test_max_results_keeps_high_confidence_first() -> None:
    medium = dataclasses.replace(LISTENER, confidence=Confidence.MEDIUM)
    run = RunResult(
        files=[FileReport("src/app.js", [medium]), FileReport(INTERVAL.path, [INTERVAL])]
    )
    doc = assert_valid_sarif(render("sarif", run, RULES, max_results=1))
    assert [result["ruleId"] for result in only_run(doc)["results"]] == ["NLL201"]


# the serializer


def test_serializer_drops_sentinels_and_keeps_explicit_levels() -> None:
    data = to_data(
        om.Result(
            message=om.Message(text="m"),
            level="warning",
            locations=[
                om.Location(physical_location=om.PhysicalLocation(region=om.Region(start_line=1)))
            ],
        )
    )
    assert data == {
        "message": {"text": "m"},
        "kind": "fail",
        "level": "warning",
        "locations": [{"physicalLocation": {"region": {"startLine": 1}}}],
    }


def test_serializer_rejects_non_json_values() -> None:
    with pytest.raises(TypeError, match="enum"):
        to_data(om.Message(text=Severity.NOTE))
    with pytest.raises(TypeError, match=r"PosixPath|WindowsPath"):
        to_data(om.ArtifactLocation(uri=pathlib.Path("a.js")))


def test_no_suppression_state_anywhere() -> None:
    assert "state" not in {field.name for field in attr.fields(om.Result)}
    assert '"state"' not in render_sarif(sample_run(), RULES, root=ROOT)


# the checks themselves


def test_checks_catch_broken_logs() -> None:
    good = json.loads(render_sarif(sample_run(), RULES, root=ROOT))
    broken = copy.deepcopy(good)
    result = broken["runs"][0]["results"][0]
    del result["level"]
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "src/a b.js"
    result["partialFingerprints"]["primaryLocationLineHash"] = "x"
    del result["locations"][0]["physicalLocation"]["region"]["endColumn"]
    del broken["runs"][0]["tool"]["driver"]["rules"][1]["fullDescription"]
    errors = schema_errors(broken)
    assert any("uri" in error for error in errors), errors
    problems = "\n".join(github_problems(broken))
    for expected in (
        "no explicit level",
        "is not a relative, encoded path",
        "primaryLocationLineHash",
        "region lacks endColumn",
        "fullDescription",
    ):
        assert expected in problems
    unknown = copy.deepcopy(good)
    unknown["runs"][0]["results"][0]["ruleID"] = "NLL101"
    assert schema_errors(unknown)


# the real rules


def test_real_rules_render_valid_sarif() -> None:
    assert ALL_RULES
    findings = [
        dataclasses.replace(
            LISTENER,
            rule=rule.id,
            name=rule.name,
            severity=rule.meta.severity,
            confidence=rule.meta.confidence,
            span=dataclasses.replace(LISTENER.span, line=number, end_line=number),
        )
        for number, rule in enumerate(ALL_RULES, start=1)
    ]
    result = RunResult(files=[FileReport("src/app.js", findings)])
    doc = assert_valid_sarif(render_sarif(result, ALL_RULES, root=os.getcwd()))
    rules = only_run(doc)["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == sorted(rule.id for rule in ALL_RULES)
    for descriptor, rule in zip(rules, sorted(ALL_RULES, key=lambda r: r.id), strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["fullDescription"]["text"].strip()
        assert descriptor["help"]["markdown"].strip()
        assert "memory-leak" in descriptor["properties"]["tags"]
        assert any(tag.startswith("external/cwe/") for tag in descriptor["properties"]["tags"])
        level = descriptor["defaultConfiguration"]["level"]
        assert level == report_level(rule.meta.severity, rule.meta.confidence).value
        precision = "high" if rule.meta.confidence is Confidence.HIGH else "medium"
        assert descriptor["properties"]["precision"] == precision
