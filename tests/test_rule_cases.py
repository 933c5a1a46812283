"""Every rule's annotated cases and documentation examples behave as annotated."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from annotations import parse_annotations, render_snapshot, run_annotated

from nodeleaklint import docgen
from nodeleaklint.parsing import SHEBANG_PROBE, dialect_for_source, parse
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
def test_case_file_parses(rule: Rule, path: Path) -> None:
    """A case file is valid code: a syntax error would leave the rest of the file to the
    parser's error recovery, and the cases after it would test that instead."""
    data = path.read_bytes()
    dialect = dialect_for_source(path, data[:SHEBANG_PROBE])
    assert dialect is not None
    root = parse(data, dialect).root_node
    assert not root.has_error, f"{path.relative_to(ROOT)} does not parse ({rule.id})"


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


# Names and attributes that hold rendered words (a headline, a message, a function's
# reason, a stream's or a value's description), and the calls that render them.
_RENDERED = {"headline", "message", "explanation", "description", "reason", "origin", "words"}
_RENDERING_CALLS = {
    "describe",
    "describe_origin",
    "display",
    "where_it_runs",
    "stream_origin",
    "registration_label",
}


def _renders(node: ast.expr | None, rendered_names: set[str]) -> bool:
    """Whether ``node`` is rendered text: a rendered name or attribute, or a rendering call."""
    if isinstance(node, ast.Name):
        return node.id in _RENDERED or node.id in rendered_names
    if isinstance(node, ast.Attribute):
        return node.attr in _RENDERED
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        return name in _RENDERING_CALLS
    return False


def decisions_from_rendered_text(source: str) -> list[int]:
    """Lines that test rendered text: ``startswith``/``endswith`` on it, ``in``/``not in``
    with it on the right, or ``==``/``!=`` against it."""
    tree = ast.parse(source)
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, _FUNCTIONS))]
    lines: set[int] = set()
    for scope in scopes:
        own = list(_own_nodes(scope))
        # Names this scope binds to rendered words (``inner = describe_origin(…)``).
        rendered_names = {
            target.id
            for node in own
            if isinstance(node, ast.Assign) and _renders(node.value, set())
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        lines.update(node.lineno for node in own if _tests(node, rendered_names))
    return sorted(lines)


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _own_nodes(scope: ast.AST) -> list[ast.AST]:
    """The nodes of a module or function, not entering the functions nested in it."""
    found: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, _FUNCTIONS):
            stack.extend(ast.iter_child_nodes(node))
    return found


def _tests(node: ast.AST, rendered_names: set[str]) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        tested = node.func.attr in ("startswith", "endswith")
        return tested and _renders(node.func.value, rendered_names)
    if not isinstance(node, ast.Compare):
        return False
    operands = [node.left, *node.comparators]
    for index, op in enumerate(node.ops):
        left, right = operands[index], operands[index + 1]
        contains = isinstance(op, (ast.In, ast.NotIn)) and _renders(right, rendered_names)
        equal = isinstance(op, (ast.Eq, ast.NotEq)) and (
            _renders(left, rendered_names) or _renders(right, rendered_names)
        )
        if contains or equal:
            return True
    return False


def test_no_rule_or_model_module_decides_from_rendered_text() -> None:
    """Explanations are rendered from structured data (which variant ``fit_choice`` took, a
    function's ``reason_kind``, a stream's ``handle``), never decided from their wording."""
    package = ROOT / "nodeleaklint"
    paths = [*(package / "rules").glob("nll*.py"), *(package / "semantics").glob("*.py")]
    found = [
        f"{path.name}:{line}"
        for path in paths
        for line in decisions_from_rendered_text(path.read_text(encoding="utf-8"))
    ]
    assert not found, f"decides from rendered text: {found}"


@pytest.mark.parametrize(
    "code",
    [
        "if headline.startswith('leaves'): pass",
        "inherited = self.reason.startswith(('runs as often', 'called from'))",
        "handle = any(word in description for word in WORDS)",
        "inner = describe_origin(model, init)\nok = not inner.startswith('`')",
        "if function.describe() == 'x': pass",
        "named = info.description.startswith('the ')",
    ],
)
def test_decisions_from_rendered_text_are_found(code: str) -> None:
    """The check above finds the shapes the model and rules used before (issue 12)."""
    assert decisions_from_rendered_text(code) == [code.count("\n") + 1]


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
