"""Ecosystem check: what a change to nodeleaklint changes on real projects.

Runs two versions of nodeleaklint over the same pinned corpus and prints what changed:
findings added and removed, per rule and confidence, then every added, removed and
re-worded finding with its path, line and message (the habit of ruff's ecosystem check
and mypy_primer). Read every added finding in context before a rule change lands.

The corpus is the npm packages pinned in ``bench/ecosystem/packages.json`` (rebuilt from
the registry alone: ``npm pack`` of each pinned version, unpacked once into ``--corpus``),
plus, optionally, a folder of checked-out applications (``--apps``), each subfolder one
project.

    python bench/ecosystem.py                              # HEAD against the working tree
    python bench/ecosystem.py --base main~3 --head HEAD    # two revisions
    python bench/ecosystem.py --base-command nodeleaklint  # an installed baseline
    python bench/ecosystem.py --apps /tmp/apps --save /tmp/eco.json
    python bench/ecosystem.py --apps /tmp/apps --base-saved /tmp/eco.json  # saved baseline

A revision is exported with ``git archive`` into a temporary folder and run with the
current interpreter (so with the dependencies installed here). Needs the npm registry the
first time; neither this script nor the corpus runs in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PACKAGES = HERE / "ecosystem" / "packages.json"
DEFAULT_CORPUS = Path(tempfile.gettempdir()) / "nodeleaklint-ecosystem"

CONFIG = """\
# Ecosystem settings: published packages ship their code in dist/ and build/ too.
exclude = ["node_modules", ".git", "*.min.js", "*.min.mjs"]
respect-gitignore = false
"""

Key = tuple[str, str, int, int]  # path, rule, line, column


def pinned_packages(path: Path = PACKAGES) -> list[str]:
    packages: list[str] = json.loads(path.read_text(encoding="utf-8"))["packages"]
    return packages


def _split_spec(spec: str) -> tuple[str, str]:
    name, _, version = spec.rpartition("@")
    return name, version


def build_corpus(corpus: Path, packages: Sequence[str]) -> Path:
    """Unpack every pinned package once under ``corpus/packages/<name>@<version>``."""
    target = corpus / "packages"
    tarballs = corpus / "tarballs"
    target.mkdir(parents=True, exist_ok=True)
    tarballs.mkdir(parents=True, exist_ok=True)
    for spec in packages:
        name, version = _split_spec(spec)
        folder = target / f"{name.replace('/', '+')}@{version}"
        if folder.exists():
            continue
        print(f"fetching {spec}", file=sys.stderr)
        done = subprocess.run(
            ["npm", "pack", spec, "--silent", "--pack-destination", str(tarballs)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"  could not fetch {spec}: {done.stderr.strip()}", file=sys.stderr)
            continue
        tarball = tarballs / done.stdout.strip().splitlines()[-1]
        partial = folder.with_name(folder.name + ".partial")
        partial.mkdir(exist_ok=True)
        with tarfile.open(tarball) as archive:
            archive.extractall(partial, filter="data")
        inner = next(partial.iterdir())  # npm tarballs hold one folder, usually package/
        inner.rename(folder)
        partial.rmdir()
    return target


def _export_revision(revision: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f"nodeleaklint-{revision.replace('/', '_')}-"))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "nodeleaklint"],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def run_version(
    command: list[str], env: dict[str, str], folders: Sequence[Path], config: Path, cwd: Path
) -> list[dict[str, Any]]:
    arguments = [*command, "check", *map(str, folders), "--config", str(config)]
    arguments += ["--format", "json", "--no-cache", "--exit-zero"]
    done = subprocess.run(arguments, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"{shlex.join(arguments)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    findings: list[dict[str, Any]] = json.loads(done.stdout)
    return findings


def version_command(revision: str | None, command: str | None) -> tuple[list[str], dict[str, str]]:
    """How to run one side: an installed command, a git revision, or the working tree."""
    env = dict(os.environ)
    if command:
        return shlex.split(command), env
    source = ROOT if revision is None else _export_revision(revision)
    env["PYTHONPATH"] = str(source) + os.pathsep + env.get("PYTHONPATH", "")
    return [sys.executable, "-m", "nodeleaklint"], env


def _key(finding: dict[str, Any]) -> Key:
    return (finding["path"], finding["rule"], finding["line"], finding["column"])


def diff(
    base: list[dict[str, Any]], head: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[dict[str, Any], dict[str, Any]]]]:
    before = {_key(f): f for f in base}
    after = {_key(f): f for f in head}
    added = [after[k] for k in sorted(after.keys() - before.keys())]
    removed = [before[k] for k in sorted(before.keys() - after.keys())]
    changed = [
        (before[k], after[k])
        for k in sorted(before.keys() & after.keys())
        if (before[k]["confidence"], before[k]["message"])
        != (after[k]["confidence"], after[k]["message"])
    ]
    return added, removed, changed


def pair_moves(
    added: list[dict[str, Any]], removed: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[dict[str, Any], dict[str, Any]]]]:
    """Pair an added and a removed finding of one rule in one file that name the same thing
    (their messages open alike): the finding moved (a new report site), it is not new."""
    moved: list[tuple[dict[str, Any], dict[str, Any]]] = []
    left = list(removed)
    still_added: list[dict[str, Any]] = []
    for new in added:
        match = next(
            (
                old
                for old in left
                if (old["path"], old["rule"]) == (new["path"], new["rule"])
                and old["message"].split(" (")[0][:40] == new["message"].split(" (")[0][:40]
            ),
            None,
        )
        if match is None:
            still_added.append(new)
        else:
            left.remove(match)
            moved.append((match, new))
    return still_added, left, moved


def _line(sign: str, finding: dict[str, Any]) -> str:
    where = f"{finding['path']}:{finding['line']}:{finding['column']}"
    return f"{sign} {finding['rule']} {finding['confidence']:<6} {where}  {finding['message']}"


def render(
    base: list[dict[str, Any]],
    head: list[dict[str, Any]],
    added: list[dict[str, Any]],
    removed: list[dict[str, Any]],
    changed: list[tuple[dict[str, Any], dict[str, Any]]],
) -> str:
    out = [f"base: {len(base)} findings, head: {len(head)} findings"]
    plus = Counter((f["rule"], f["confidence"]) for f in added)
    minus = Counter((f["rule"], f["confidence"]) for f in removed)
    total_base = Counter((f["rule"], f["confidence"]) for f in base)
    total_head = Counter((f["rule"], f["confidence"]) for f in head)
    out.append(f"{'rule':<8} {'conf':<7} {'base':>6} {'head':>6} {'added':>6} {'removed':>8}")
    for rule, confidence in sorted(total_base.keys() | total_head.keys()):
        k = (rule, confidence)
        out.append(
            f"{rule:<8} {confidence:<7} {total_base[k]:>6} {total_head[k]:>6} "
            f"{plus[k]:>6} {minus[k]:>8}"
        )
    added, removed, moved = pair_moves(added, removed)
    out.append(f"changed wording or confidence: {len(changed)}; moved: {len(moved)}")
    if added:
        out += ["", "added:"] + [_line("+", f) for f in added]
    if removed:
        out += ["", "removed:"] + [_line("-", f) for f in removed]
    if moved:
        out += ["", "moved (same finding, new report site or wording):"]
        for old, new in moved:
            out += [_line("<", old), _line(">", new)]
    if changed:
        out += ["", "changed:"]
        for old, new in changed:
            out += [_line("<", old), _line(">", new)]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run two versions of nodeleaklint over a pinned corpus; print the diff.",
    )
    parser.add_argument("--base", default="HEAD", help="git revision of the baseline (HEAD)")
    parser.add_argument("--head", help="git revision to compare (default: the working tree)")
    parser.add_argument("--base-command", help="run this installed command as the baseline")
    parser.add_argument(
        "--base-saved", type=Path, help="read the baseline from a --save file instead of running it"
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder")
    parser.add_argument("--apps", type=Path, help="also check each subfolder of this folder")
    parser.add_argument("--only", action="append", default=[], help="only folders matching")
    parser.add_argument("--save", type=Path, help="write the head's findings here (JSON)")
    args = parser.parse_args(argv)

    packages_root = build_corpus(args.corpus, pinned_packages())
    folders = sorted(p for p in packages_root.iterdir() if p.is_dir())
    if args.apps:
        folders += sorted(p for p in args.apps.iterdir() if p.is_dir())
    if args.only:
        folders = [p for p in folders if any(word in p.name for word in args.only)]
    # A configuration of this run's own: runs sharing the corpus never see each other's.
    config = Path(tempfile.mkdtemp(prefix="nodeleaklint-ecosystem-")) / "nodeleaklint.toml"
    config.write_text(CONFIG, encoding="utf-8")
    cwd = args.corpus

    head_cmd, head_env = version_command(args.head, None)
    if args.base_saved:
        base = json.loads(args.base_saved.read_text(encoding="utf-8"))
    else:
        base_cmd, base_env = version_command(args.base, args.base_command)
        base = run_version(base_cmd, base_env, folders, config, cwd)
    head = run_version(head_cmd, head_env, folders, config, cwd)
    if args.save:
        args.save.write_text(json.dumps(head, indent=1) + "\n", encoding="utf-8")
    print(render(base, head, *diff(base, head)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
