"""Every rule's annotated cases and documentation examples behave as annotated."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from annotations import parse_annotations, render_snapshot, run_annotated

from nodeleaklint import docgen
from nodeleaklint.rules import ALL_RULES
from nodeleaklint.rules.base import DOC_HEADINGS, Rule, code_blocks
from nodeleaklint.rules.headlines import fit, fit_choice

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"
SNAPSHOTS = ROOT / "tests" / "snapshots" / "cases"
# Set to rewrite the case snapshots after a reviewed change in what users see.
UPDATE = os.environ.get("NODELEAKLINT_UPDATE_SNAPSHOTS") == "1"
CASE_FILES = [
    (rule, path) for rule in ALL_RULES for path in sorted((RULES_DIR / rule.slug).glob("cases.*"))
]


def test_every_rule_has_js_and_ts_cases() -> None:
    for rule in ALL_RULES:
        names = {path.name for path in (RULES_DIR / rule.slug).glob("cases.*")}
        assert {"cases.js", "cases.ts"} <= names, f"{rule.slug} lacks cases.js or cases.ts"


def test_rule_folders_match_registry() -> None:
    folders = {p.name for p in RULES_DIR.iterdir() if p.is_dir()}
    assert folders == {rule.slug for rule in ALL_RULES}


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.id)
def test_rule_module_id_and_name_agree(rule: Rule) -> None:
    module = rule.check.__module__.rsplit(".", 1)[-1]
    assert module == f"{rule.id.lower()}_{rule.name.replace('-', '_')}"
    assert rule.name == rule.name.lower() and " " not in rule.name


@pytest.mark.parametrize(
    ("rule", "path"), CASE_FILES, ids=[f"{r.id}-{p.name}" for r, p in CASE_FILES]
)
def test_annotated_cases(rule: Rule, path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert parse_annotations(source, rule.id).expected, "a case file must flag something"
    outcome = run_annotated(str(path.relative_to(ROOT)), source, rule.id)
    assert outcome.ok, outcome.explain()
    # What users see of each case (span, confidence, message, related) is pinned: a change
    # is a reviewed diff. NODELEAKLINT_UPDATE_SNAPSHOTS=1 rewrites the snapshot.
    snapshot = SNAPSHOTS / f"{rule.slug}-{path.name}.txt"
    rendered = render_snapshot(outcome.findings)
    if UPDATE:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(rendered, encoding="utf-8")
    assert snapshot.exists(), f"no {snapshot.name}: run with NODELEAKLINT_UPDATE_SNAPSHOTS=1"
    assert snapshot.read_text(encoding="utf-8") == rendered, f"{snapshot.name} changed"


def test_no_rule_module_imports_another() -> None:
    """Rules ask the model; a rule importing a rule is a question the model has not learned."""
    modules = {rule.check.__module__.rsplit(".", 1)[-1] for rule in ALL_RULES}
    for path in (ROOT / "nodeleaklint" / "rules").glob("nll*.py"):
        source = path.read_text(encoding="utf-8")
        for other in modules - {path.stem}:
            assert other not in source, f"{path.name} imports {other}"


def test_no_rule_module_decides_high_confidence_itself() -> None:
    """High confidence comes from the model's one function of the evidence
    (``semantics.confidence.confidence_of``): a rule module that names ``Confidence.HIGH``
    (or builds it from its value) has a formula of its own."""
    for path in (ROOT / "nodeleaklint" / "rules").glob("nll*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            named = (
                isinstance(node, ast.Attribute)
                and node.attr == "HIGH"
                and isinstance(node.value, ast.Name)
                and node.value.id == "Confidence"
            )
            built = (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Confidence"
            )
            assert not named and not built, f"{path.name}:{node.lineno} decides high itself"
        # Every rule reports high somewhere, so every rule asks the model for it.
        assert "confidence_of(" in path.read_text(encoding="utf-8"), f"{path.name} never asks"


_RENDERED = {"headline", "message", "explanation"}


def test_no_rule_decides_from_its_rendered_text() -> None:
    """Explanations are rendered from structured data; which note to add follows from which
    headline ``fit_choice`` took, never from the headline's wording."""
    for path in (ROOT / "nodeleaklint" / "rules").glob("nll*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            read = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in ("startswith", "endswith"):
                    read = node.func.value
            elif isinstance(node, ast.Compare) and isinstance(node.ops[0], (ast.In, ast.NotIn)):
                read = node.comparators[0]
            named = isinstance(read, ast.Name) and read.id in _RENDERED
            assert not named, f"{path.name}:{node.lineno} decides from rendered text"


def test_fit_choice_is_the_variant_fit_takes() -> None:
    variants = ("x" * 130, "y" * 90, "z" * 10)
    assert fit_choice(*variants) == 1 and fit(*variants) == variants[1]
    assert fit_choice("x" * 200, "y" * 150) == 1  # none fits: the last, shortest one


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.id)
def test_docstring_has_the_fixed_headings(rule: Rule) -> None:
    for heading in (*DOC_HEADINGS, "Options", "Known limits"):
        assert rule.section(heading).strip(), f"{rule.id} docstring lacks '## {heading}'"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.id)
def test_flagged_docs_example_produces_its_annotated_findings(rule: Rule) -> None:
    blocks = code_blocks(rule.section("Example"))
    assert blocks, f"{rule.id}: the Example section has no code block"
    for language, code in blocks:
        assert parse_annotations(code, rule.id).expected, "the example must be annotated"
        outcome = run_annotated(f"example.{language or 'js'}", code, rule.id)
        assert outcome.ok, outcome.explain()


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.id)
def test_fixed_docs_example_is_silent(rule: Rule) -> None:
    blocks = code_blocks(rule.section("Use instead"))
    assert blocks, f"{rule.id}: the Use instead section has no code block"
    for language, code in blocks:
        assert not parse_annotations(code, rule.id).expected
        outcome = run_annotated(f"fixed.{language or 'js'}", code, rule.id)
        assert outcome.ok, outcome.explain()


def test_generated_docs_are_up_to_date() -> None:
    stale = [
        str(path.relative_to(ROOT))
        for path, content in docgen.expected_pages(ROOT).items()
        if not path.exists() or path.read_text(encoding="utf-8") != content
    ]
    assert not stale, f"run `python -m nodeleaklint.docgen`: stale {stale}"
