"""Findings in test code carry medium confidence at most (leaks there stay out of production)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nodeleaklint.config import Config
from nodeleaklint.engine import check_source
from nodeleaklint.findings import Confidence
from nodeleaklint.rules import ALL_RULES
from nodeleaklint.test_code import is_test_code

LEAK = b"bus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n"  # NLL102, high confidence


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("test/app.js", True),
        ("src/__tests__/app.ts", True),
        ("packages/a/spec/app.js", True),
        ("test/fixtures/leak.js", True),
        ("src/app.test.ts", True),
        ("src/app.spec.js", True),
        ("src/app-test.js", True),
        ("src/app.js", False),
        ("src/latest.js", False),
        ("src/contest/app.js", False),
        ("src/test-utils.js", False),
        ("examples/leak.js", False),
    ],
)
def test_test_code_by_folder_or_file_name(path: str, expected: bool) -> None:
    assert is_test_code(path) is expected


def confidences(path: str, config: Config | None = None) -> list[Confidence]:
    report = check_source(path, LEAK, config or Config(), ALL_RULES)
    return [finding.confidence for finding in report.findings]


def test_findings_in_test_code_are_medium_elsewhere_unchanged() -> None:
    assert confidences("src/bus.js") == [Confidence.HIGH]
    assert confidences("test/bus.js") == [Confidence.MEDIUM]
    assert confidences("src/bus.spec.js") == [Confidence.MEDIUM]


def test_folders_above_the_project_do_not_make_it_test_code(tmp_path: Path) -> None:
    project = tmp_path / "test" / "service"
    source = project / "src" / "bus.js"
    config = Config(root=project)
    assert confidences(str(source), config) == [Confidence.HIGH]
    assert confidences(str(project / "test" / "bus.js"), config) == [Confidence.MEDIUM]
