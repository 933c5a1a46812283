"""The recall corpus (bench/recall/leakfixes.json) is well-formed, varied and fair.

Fair means: no case comes from a repository whose leak-fix history is reserved for an
independent evaluation (``../shared/reserved-repos.txt`` beside the project, when present).
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "bench" / "recall" / "leakfixes.json"
RESERVED = ROOT.parent / "shared" / "reserved-repos.txt"

REQUIRED = {
    "id": str,
    "repo": str,
    "fix_commit": str,
    "parent_commit": str,
    "path": str,
    "leak_lines": list,
    "family": str,
    "kind": str,
    "summary": str,
    "source": str,
}
PACKAGE_FIELDS = ("package", "leaking_version", "fixed_version", "package_path")
FAMILIES = {"listener", "timer", "collection", "closure", "stream", "other"}
SHA = re.compile(r"^[0-9a-f]{40}$")
SOURCE_EXTENSIONS = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")


def _cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return cases


def _score_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("recall_score", MANIFEST.parent / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def test_every_case_has_the_fields_and_nothing_else_unknown() -> None:
    for case in _cases():
        for key, kind in REQUIRED.items():
            assert isinstance(case.get(key), kind), f"{case.get('id')}: {key} missing or wrong"
        unknown = set(case) - set(REQUIRED) - set(PACKAGE_FIELDS) - {"fix_completed"}
        assert not unknown, f"{case['id']}: unknown fields {sorted(unknown)}"
        present = [key for key in PACKAGE_FIELDS if key in case]
        assert present in ([], list(PACKAGE_FIELDS)), f"{case['id']}: partial package fields"


def test_coordinates_are_well_formed() -> None:
    for case in _cases():
        name = case["id"]
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", case["repo"]), name
        assert SHA.match(case["fix_commit"]) and SHA.match(case["parent_commit"]), name
        assert case["fix_commit"] != case["parent_commit"], name
        assert case["path"].endswith(SOURCE_EXTENSIONS), name
        start, end = case["leak_lines"]
        assert isinstance(start, int) and isinstance(end, int), name
        assert 1 <= start <= end, f"{name}: leak_lines out of order"
        assert end - start <= 15, f"{name}: leak_lines should name one statement"
        assert case["family"] in FAMILIES, name
        assert case["kind"] in ("application", "library"), name
        assert case["source"].startswith("https://"), name
        assert case["summary"].strip() and "\n" not in case["summary"], name


def test_a_completed_fix_names_its_commit_and_what_the_first_fix_left() -> None:
    completed = [c for c in _cases() if "fix_completed" in c]
    assert completed, "no case names the commit that finished a partial fix"
    for case in completed:
        completion = case["fix_completed"]
        assert set(completion) == {"commit", "why"}, case["id"]
        assert SHA.match(completion["commit"]), case["id"]
        assert completion["commit"] not in (case["fix_commit"], case["parent_commit"]), case["id"]
        assert len(completion["why"]) > 40 and "\n" not in completion["why"], case["id"]


def test_ids_and_fixes_are_unique() -> None:
    cases = _cases()
    assert len({c["id"] for c in cases}) == len(cases)
    assert len({(c["repo"], c["fix_commit"], c["path"]) for c in cases}) == len(cases)
    for case in cases:
        assert case["id"].startswith(case["family"] + "-"), case["id"]


def test_the_corpus_is_large_and_varied() -> None:
    cases = _cases()
    assert len(cases) >= 60
    assert len({c["repo"].lower() for c in cases}) >= 30
    families = Counter(c["family"] for c in cases)
    assert set(families) == FAMILIES, families
    applications = sum(c["kind"] == "application" for c in cases)
    assert applications * 3 >= len(cases), f"{applications} of {len(cases)} from applications"
    per_repo = Counter(c["repo"].lower() for c in cases)
    assert max(per_repo.values()) <= 4, per_repo.most_common(3)


@pytest.mark.skipif(not RESERVED.exists(), reason="shared/reserved-repos.txt is not beside us")
def test_no_case_comes_from_a_reserved_repository() -> None:
    reserved = {
        line.strip().lower()
        for line in RESERVED.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    assert reserved, "the reserved list is empty"
    used = [c["id"] for c in _cases() if c["repo"].lower() in reserved]
    assert not used, f"cases from reserved repositories: {used}"


def test_fixed_lines_follow_the_leak_through_the_fix() -> None:
    score = _score_module()
    leaking = "a\nb\nleak()\nc\n"
    fixed = "a\nnew1\nnew2\nb\nleak(); cleanup()\nc\n"
    assert score.carry_lines(leaking, fixed, 3, 3) == (5, 5)
    assert score.carry_lines(leaking, fixed, 4, 4) == (6, 6)
    assert score.carry_lines(leaking, "a\nb\nc\n", 3, 3) == (3, 3)  # deleted: where it stood


def test_a_hit_is_a_family_finding_or_related_line_near_the_leak() -> None:
    score = _score_module()
    source = "const m = new Map();\nexport function f(id, v) {\n  m.set(id, v);\n}\n"
    findings = score.lint("src/a.js", source)
    assert [f.rule for f in findings] == ["NLL301"]
    assert score.near(findings, 3, 3, 0)
    assert score.near(findings, 1, 1, 0)  # the declaration is a related location
    assert not score.near(findings, 10, 12, 3)


_POOL_VERSIONS = {
    "leaking": (
        'import { Pool } from "pg";\n'
        "const pool = new Pool();\n"
        "export async function handle(sql) {\n"
        "  const client = await pool.connect();\n"
        "  return client.query(sql);\n"
        "}\n"
    ),
    "first fix": (
        'import { Pool } from "pg";\n'
        "const pool = new Pool();\n"
        "export async function handle(sql) {\n"
        "  const client = await pool.connect();\n"
        "  const rows = await client.query(sql);\n"
        "  client.release();\n"
        "  return rows;\n"
        "}\n"
    ),
    "completed": (
        'import { Pool } from "pg";\n'
        "const pool = new Pool();\n"
        "export async function handle(sql) {\n"
        "  const client = await pool.connect();\n"
        "  try {\n"
        "    return await client.query(sql);\n"
        "  } finally {\n"
        "    client.release();\n"
        "  }\n"
        "}\n"
    ),
}


def _commit(repo: Path, text: str, message: str) -> str:
    import subprocess

    (repo / "db.js").write_text(text, encoding="utf-8")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "add", "db.js"], check=True, capture_output=True)
    subprocess.run([*git, "commit", "-qm", message], check=True, capture_output=True)
    done = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    return done.stdout.strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_partial_fix_is_acknowledged_only_where_it_was_completed(tmp_path: Path) -> None:
    import subprocess

    score = _score_module()
    repo = tmp_path / "mirrors" / "o+r"
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    parent = _commit(repo, _POOL_VERSIONS["leaking"], "leak")
    fix = _commit(repo, _POOL_VERSIONS["first fix"], "release after the query")
    done = _commit(repo, _POOL_VERSIONS["completed"], "release in finally")
    case: dict[str, object] = {
        "id": "other-x",
        "repo": "o/r",
        "path": "db.js",
        "parent_commit": parent,
        "fix_commit": fix,
        "leak_lines": [4, 4],
        "family": "other",
        "fix_completed": {"commit": done, "why": "the first fix released only on success"},
    }
    outcome = score.score_case(case, score.from_mirror(tmp_path / "mirrors", case), 3)
    assert outcome.hit and outcome.partial_fix and outcome.fix_quiet
    assert "completed in" in score.case_line(outcome, False)

    case["fix_completed"] = {"commit": fix, "why": "names the first fix again: still flagged"}
    outcome = score.score_case(case, score.from_mirror(tmp_path / "mirrors", case), 3)
    assert outcome.hit and outcome.partial_fix and not outcome.fix_quiet

    del case["fix_completed"]
    outcome = score.score_case(case, score.from_mirror(tmp_path / "mirrors", case), 3)
    assert outcome.hit and not outcome.partial_fix and not outcome.fix_quiet
