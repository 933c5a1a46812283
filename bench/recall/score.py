"""Score nodeleaklint on real leak fixes: does it flag the leak, and is the fix quiet?

Every case of ``leakfixes.json`` names a leak that a project's maintainers fixed: the
repository, the fix commit and its parent, the file and the lines of the leaking statement.
This script rebuilds both versions of the file (from a folder of git mirrors, or from the
npm registry when the case names the published package), lints each one as the file at
its own path, and prints per case

    HIT|MISS  <id>  <family>  rules near the leak: ...  [fix quiet|fix still flagged]

then one line ``family-recall H/N, fix-acknowledged G/H, any-rule A/N`` and the same
figures per family. A *hit* is a finding of a rule of the case's family whose line, or one
of whose related lines, lies within ``--slack`` (3) lines of ``leak_lines``. The fix is
*acknowledged* when the fixed file has no finding of that family near the same statement
(its lines are carried over to the fixed file by a line diff).

Some fixes were partial: the leak stayed on one path, and the maintainers finished the fix
in a later commit (often within hours). Such a case names that commit in
``fix_completed`` (``{"commit": …, "why": …}``, the why saying what the first fix left).
When the first fixed version is still flagged, the file at the completing commit is linted
too, and the fix counts as acknowledged only if that version is quiet; the line says
``partial fix still flagged, completed in <commit>: quiet|still flagged`` so the count
never hides a finding on the first fix.

    python bench/recall/score.py --mirrors /work/.mirror
    python bench/recall/score.py --npm-cache /tmp/recall-npm      # released cases only
    python bench/recall/score.py --mirrors DIR --family listener --verbose

Needs git for mirrors and ``npm`` (the registry) for tarballs; neither runs in CI.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from nodeleaklint.config import Config  # noqa: E402
from nodeleaklint.engine import check_source  # noqa: E402
from nodeleaklint.findings import Finding  # noqa: E402
from nodeleaklint.rules import ALL_RULES  # noqa: E402

MANIFEST = HERE / "leakfixes.json"
_SOURCE_EXTENSIONS = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
_MANIFESTS = ("package.json", "tsconfig.json")

# Which rules answer for which family of leak.
FAMILY_RULES: dict[str, frozenset[str]] = {
    "listener": frozenset({"NLL101", "NLL102"}),
    "timer": frozenset({"NLL201"}),
    "collection": frozenset({"NLL301"}),
    "closure": frozenset({"NLL401"}),
    "stream": frozenset({"NLL501"}),
    "other": frozenset({"NLL601", "NLL602", "NLL102"}),
}
FAMILIES: tuple[str, ...] = tuple(FAMILY_RULES)


@dataclass
class Versions:
    """The leaking and the fixed text of one case's file (None: could not be rebuilt).

    ``trees``: for a case rebuilt from git, how to rebuild each whole project (the git
    directory, the parent and the fix commit, and the file's path in the fix) for
    ``--project`` scoring."""

    leaking: str | None
    fixed: str | None
    origin: str
    problem: str = ""
    trees: tuple[Path, str, str, str] | None = None
    completed: str | None = None


@dataclass
class Outcome:
    case: dict[str, object]
    hit: bool = False
    any_rule: bool = False
    fix_quiet: bool = False
    partial_fix: bool = False  # the first fix is still flagged; the completing one decided
    rules_near: list[str] = field(default_factory=list)
    problem: str = ""
    all_findings: list[str] = field(default_factory=list)


def load_cases(path: Path = MANIFEST) -> list[dict[str, object]]:
    cases: list[dict[str, object]] = json.loads(path.read_text(encoding="utf-8"))
    return cases


# -- rebuilding the two versions ----------------------------------------------------------


def _git_dir(mirrors: Path, repo: str) -> Path | None:
    owner, _, name = repo.partition("/")
    for candidate in (
        mirrors / f"{owner}+{name}" / "repo",
        mirrors / f"{owner}+{name}",
        mirrors / owner / name,
        mirrors / f"{name}.git",
        mirrors / name,
    ):
        if (candidate / ".git" / "HEAD").exists():
            return candidate / ".git"
        if (candidate / "HEAD").exists():
            return candidate
    return None


def _git_show(git_dir: Path, commit: str, path: str) -> str | None:
    done = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="replace")


def _renamed_path(git_dir: Path, parent: str, fix: str, path: str) -> str | None:
    """Where ``path`` went in ``fix`` when the fix renamed it."""
    done = subprocess.run(
        ["git", "--git-dir", str(git_dir), "diff", "-M", "--name-status", parent, fix],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in done.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].startswith("R") and parts[1] == path:
            return parts[2]
    return None


def from_mirror(mirrors: Path, case: dict[str, object]) -> Versions | None:
    git_dir = _git_dir(mirrors, str(case["repo"]))
    if git_dir is None:
        return None
    path = str(case["path"])
    parent, fix = str(case["parent_commit"]), str(case["fix_commit"])
    leaking = _git_show(git_dir, parent, path)
    if leaking is None:
        return Versions(None, None, "git", f"{path} not found at {parent[:10]}")
    fixed = _git_show(git_dir, fix, path)
    fixed_path = path
    if fixed is None:
        moved = _renamed_path(git_dir, parent, fix, path)
        fixed = _git_show(git_dir, fix, moved) if moved else ""
        fixed_path = moved or path
    completed = _completed_text(git_dir, case, fix, fixed_path)
    return Versions(
        leaking, fixed, "git", trees=(git_dir, parent, fix, fixed_path), completed=completed
    )


def _completed_commit(case: dict[str, object]) -> str | None:
    completion = case.get("fix_completed")
    return str(completion["commit"]) if isinstance(completion, dict) else None


def _completed_text(git_dir: Path, case: dict[str, object], fix: str, path: str) -> str | None:
    """The file at the commit that finished a partial fix (None: the case names none)."""
    commit = _completed_commit(case)
    if commit is None:
        return None
    text = _git_show(git_dir, commit, path)
    if text is None:
        moved = _renamed_path(git_dir, fix, commit, path)
        text = _git_show(git_dir, commit, moved) if moved else None
    return text


def _npm_file(cache: Path, package: str, version: str, inner: str) -> str | None:
    folder = cache / f"{package.replace('/', '+')}@{version}"
    if not folder.exists():
        folder.mkdir(parents=True)
        done = subprocess.run(
            ["npm", "pack", f"{package}@{version}", "--silent", "--pack-destination", str(folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            return None
    for tarball in folder.glob("*.tgz"):
        with tarfile.open(tarball) as archive:
            for member in archive.getmembers():
                if member.name.split("/", 1)[-1] == inner:
                    handle = archive.extractfile(member)
                    if handle is not None:
                        return handle.read().decode("utf-8", errors="replace")
    return None


def from_npm(cache: Path, case: dict[str, object]) -> Versions | None:
    keys = ("package", "leaking_version", "fixed_version", "package_path")
    if not all(case.get(key) for key in keys):
        return None
    package, inner = str(case["package"]), str(case["package_path"])
    leaking = _npm_file(cache, package, str(case["leaking_version"]), inner)
    fixed = _npm_file(cache, package, str(case["fixed_version"]), inner)
    if leaking is None:
        return Versions(None, None, "npm", f"{inner} not in {package}@{case['leaking_version']}")
    return Versions(leaking, fixed or "", "npm")


# -- linting and matching ----------------------------------------------------------------


def lint(path: str, text: str) -> list[Finding]:
    report = check_source(path, text.encode("utf-8"), Config(), ALL_RULES)
    return report.findings


def _check_out(git_dir: Path, commit: str, folder: Path) -> bool:
    """Write the sources and manifests of ``commit`` under ``folder`` (no ``node_modules``;
    mirrors may lack large blobs, and a missing one is skipped)."""
    listed = subprocess.run(
        ["git", "--git-dir", str(git_dir), "ls-tree", "-r", "-z", commit],
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        return False
    wanted: list[tuple[str, str]] = []
    for entry in listed.stdout.split(b"\0"):
        meta, _, name = entry.decode("utf-8", "replace").partition("\t")
        parts = meta.split()
        if len(parts) != 3 or parts[1] != "blob" or "node_modules/" in f"/{name}":
            continue
        if name.endswith(_SOURCE_EXTENSIONS) or name.rsplit("/", 1)[-1] in _MANIFESTS:
            wanted.append((parts[2], name))
    batch = subprocess.run(
        ["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
        input="".join(f"{sha}\n" for sha, _ in wanted).encode(),
        capture_output=True,
        check=False,
    )
    data, at = batch.stdout, 0
    for _sha, name in wanted:
        end = data.index(b"\n", at)
        header = data[at:end].split()
        at = end + 1
        if len(header) != 3:  # "<sha> missing"
            continue
        size = int(header[2])
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data[at : at + size])
        at += size + 1
    return True


def lint_in_project(git_dir: Path, commit: str, path: str) -> list[Finding] | None:
    """The findings in ``path`` when the whole project at ``commit`` is checked out and
    checked (the project view links every file)."""
    from nodeleaklint import runner

    with tempfile.TemporaryDirectory(prefix="nodeleaklint-recall-") as folder:
        if not _check_out(git_dir, commit, Path(folder)):
            return None
        target = os.path.abspath(Path(folder) / path)
        result = runner.run([folder])  # the whole project in view
        return [f for f in result.findings if os.path.abspath(f.path) == target]


def _lines_of(finding: Finding) -> Iterable[int]:
    yield finding.span.line
    for related in finding.related:
        yield related.span.line


def near(findings: Sequence[Finding], start: int, end: int, slack: int) -> list[Finding]:
    low, high = start - slack, end + slack
    return [f for f in findings if any(low <= line <= high for line in _lines_of(f))]


def carry_lines(leaking: str, fixed: str, start: int, end: int) -> tuple[int, int]:
    """The lines of the fixed file that stand where ``start..end`` stood in the leaking one."""
    old, new = leaking.splitlines(), fixed.splitlines()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    mapped: list[int] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for line in range(max(start, i1 + 1), min(end, i2) + 1):
            if tag == "equal":
                mapped.append(j1 + (line - 1 - i1) + 1)
            else:  # replaced or deleted: the whole new block stands for it
                mapped.extend((j1 + 1, max(j1 + 1, j2)))
    if not mapped:
        return start, end
    return min(mapped), max(mapped)


def score_case(
    case: dict[str, object], versions: Versions, slack: int, project: bool = False
) -> Outcome:
    outcome = Outcome(case)
    if versions.leaking is None:
        outcome.problem = versions.problem or "file not rebuilt"
        return outcome
    path = str(case["path"])
    start, end = (int(n) for n in case["leak_lines"])  # type: ignore[attr-defined]
    family_rules = FAMILY_RULES[str(case["family"])]
    trees = versions.trees if project else None
    found = lint_in_project(trees[0], trees[1], path) if trees else None
    findings = found if found is not None else lint(path, versions.leaking)
    outcome.all_findings = [f"{f.rule}:{f.span.line}:{f.confidence.value}" for f in findings]
    close = near(findings, start, end, slack)
    outcome.rules_near = sorted({f"{f.rule}/{f.confidence.value}" for f in close})
    outcome.any_rule = bool(close)
    outcome.hit = any(f.rule in family_rules for f in close)
    if outcome.hit and versions.fixed is not None:
        fixed_start, fixed_end = carry_lines(versions.leaking, versions.fixed, start, end)
        fixed_found = lint_in_project(trees[0], trees[2], trees[3]) if trees else None
        if fixed_found is None:
            fixed_found = lint(path, versions.fixed)
        after = near(fixed_found, fixed_start, fixed_end, slack)
        outcome.fix_quiet = not any(f.rule in family_rules for f in after)
        if not outcome.fix_quiet and versions.completed is not None:
            outcome.partial_fix = True
            outcome.fix_quiet = _quiet_when_completed(case, versions, path, slack, project)
    return outcome


def _quiet_when_completed(
    case: dict[str, object], versions: Versions, path: str, slack: int, project: bool
) -> bool:
    """Whether the version that finished a partial fix has no finding of the family near
    the leak (its lines carried over from the leaking file through the completed one)."""
    assert versions.leaking is not None and versions.completed is not None
    start, end = (int(n) for n in case["leak_lines"])  # type: ignore[attr-defined]
    first, last = carry_lines(versions.leaking, versions.completed, start, end)
    trees, commit = versions.trees, _completed_commit(case)
    found = lint_in_project(trees[0], commit, trees[3]) if project and trees and commit else None
    if found is None:
        found = lint(path, versions.completed)
    family_rules = FAMILY_RULES[str(case["family"])]
    return not any(f.rule in family_rules for f in near(found, first, last, slack))


# -- report ------------------------------------------------------------------------------


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole}"


def summary(outcomes: Sequence[Outcome]) -> list[str]:
    scored = [o for o in outcomes if not o.problem]
    hits = [o for o in scored if o.hit]
    lines = [
        f"family-recall {_ratio(len(hits), len(scored))}, "
        f"fix-acknowledged {_ratio(sum(o.fix_quiet for o in hits), len(hits))}, "
        f"any-rule {_ratio(sum(o.any_rule for o in scored), len(scored))}"
    ]
    by_family: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in scored:
        by_family[str(outcome.case["family"])].append(outcome)
    for family in FAMILIES:
        group = by_family.get(family, [])
        family_hits = [o for o in group if o.hit]
        lines.append(
            f"  {family:<10} recall {_ratio(len(family_hits), len(group)):>6}, "
            f"fix-acknowledged {_ratio(sum(o.fix_quiet for o in family_hits), len(family_hits))}, "
            f"any-rule {_ratio(sum(o.any_rule for o in group), len(group))}"
        )
    kinds = Counter(str(o.case.get("kind", "?")) for o in scored)
    kind_hits = Counter(str(o.case.get("kind", "?")) for o in hits)
    lines.append(
        "  by kind: " + ", ".join(f"{k} {kind_hits[k]}/{n}" for k, n in sorted(kinds.items()))
    )
    partial = [o for o in hits if o.partial_fix]
    if partial:
        lines.append(
            f"  partial fixes still flagged at their first commit: {len(partial)} "
            f"(quiet where completed: {sum(o.fix_quiet for o in partial)})"
        )
    unscored = [o for o in outcomes if o.problem]
    if unscored:
        lines.append(f"  not scored: {len(unscored)} (no mirror or tarball, or file missing)")
    return lines


def case_line(outcome: Outcome, verbose: bool) -> str:
    case = outcome.case
    if outcome.problem:
        return f"SKIP  {case['id']}  {case['family']}  {outcome.problem}"
    verdict = "HIT " if outcome.hit else "MISS"
    near_rules = ", ".join(outcome.rules_near) or "none"
    fix = ("fix quiet" if outcome.fix_quiet else "fix still flagged") if outcome.hit else ""
    if outcome.partial_fix:
        completed = str(_completed_commit(case))[:10]
        settled = "quiet" if outcome.fix_quiet else "still flagged"
        fix = f"partial fix still flagged, completed in {completed}: {settled}"
    text = f"{verdict}  {case['id']}  {case['family']}  near the leak: {near_rules}  {fix}"
    if verbose:
        lines = case["leak_lines"]
        text += f"\n      {case['repo']} {case['path']}:{lines}  all: {outcome.all_findings}"
    return text.rstrip()


def rebuild(
    case: dict[str, object], mirrors: Path | None, npm_cache: Path | None
) -> Versions | None:
    versions = from_mirror(mirrors, case) if mirrors else None
    if (versions is None or versions.leaking is None) and npm_cache is not None:
        versions = from_npm(npm_cache, case) or versions
    return versions


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Score nodeleaklint on the real leak fixes of bench/recall/leakfixes.json.",
        epilog="Give --mirrors, --npm-cache or both; a case is skipped when neither rebuilds it.",
    )
    parser.add_argument(
        "--mirrors",
        type=Path,
        help="folder of git mirrors (owner+name/repo, owner+name, owner/name or name.git)",
    )
    parser.add_argument(
        "--npm-cache",
        type=Path,
        help="folder to keep npm tarballs in; cases with package fields are rebuilt from npm",
    )
    parser.add_argument("--manifest", type=Path, default=MANIFEST, help="the cases (JSON)")
    parser.add_argument("--family", choices=FAMILIES, help="score only this family")
    parser.add_argument("--case", action="append", default=[], help="score only this id")
    parser.add_argument("--slack", type=int, default=3, help="lines around leak_lines (3)")
    parser.add_argument("--json", type=Path, help="also write per-case outcomes here")
    parser.add_argument("--verbose", action="store_true", help="show every finding per case")
    parser.add_argument(
        "--project",
        action="store_true",
        help="check out each whole project (git cases) and lint the file with it in view",
    )
    args = parser.parse_args(argv)
    if args.mirrors is None and args.npm_cache is None:
        parser.error("give --mirrors DIR and/or --npm-cache DIR")
    cases = load_cases(args.manifest)
    if args.family:
        cases = [c for c in cases if c["family"] == args.family]
    if args.case:
        cases = [c for c in cases if c["id"] in args.case]
    outcomes: list[Outcome] = []
    for case in cases:
        versions = rebuild(case, args.mirrors, args.npm_cache)
        if versions is None:
            outcome = Outcome(case, problem="no mirror or npm tarball for this case")
        else:
            outcome = score_case(case, versions, args.slack, args.project)
        outcomes.append(outcome)
        print(case_line(outcome, args.verbose), flush=True)
    print()
    print("\n".join(summary(outcomes)))
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "id": o.case["id"],
                        "family": o.case["family"],
                        "hit": o.hit,
                        "fix_quiet": o.fix_quiet,
                        "partial_fix": o.partial_fix,
                        "any_rule": o.any_rule,
                        "near": o.rules_near,
                        "problem": o.problem,
                    }
                    for o in outcomes
                ],
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
