"""The pre-commit hook: a valid manifest, the right files, and the CLI behaviour it relies on."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_flags import flags_in, options_of
from click.testing import CliRunner
from pre_commit.clientlib import load_manifest
from pre_commit.commands.run import Classifier, filter_by_include_exclude

from nodeleaklint.cli import cli
from nodeleaklint.parsing import dialect_for_path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
LEAKY = "const bus = require('./bus');\nbus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n"

# name -> contents; binary contents are bytes.
SAMPLES: dict[str, str | bytes] = {
    "a.js": LEAKY,
    "b.mjs": LEAKY,
    "c.cjs": LEAKY,
    "d.jsx": LEAKY,
    "e.ts": LEAKY,
    "f.d.ts": "export declare const x: number;\n",
    "g.tsx": LEAKY,
    "h.mts": LEAKY,
    "i.cts": LEAKY,
    "UPPER.JS": LEAKY,
    "README.md": "# readme\n",
    "data.json": "{}\n",
    "style.css": "a {}\n",
    "script.sh": "#!/bin/sh\necho hi\n",
    "tsconfig.json.bak": "{}\n",
    "notes.js.txt": "text\n",
    "logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
}


def hook() -> dict[str, Any]:
    hooks = load_manifest(str(MANIFEST))
    assert [h["id"] for h in hooks] == ["nodeleaklint"]
    found: dict[str, Any] = hooks[0]
    return found


def test_manifest_validates_with_pre_commit() -> None:
    spec = hook()
    assert spec["language"] == "python"
    assert spec["entry"] == "nodeleaklint check --force-exclude"
    assert spec["require_serial"] is True
    assert spec["pass_filenames"] is True
    assert spec["types"] == ["text"]
    assert spec["types_or"] == []


def test_hook_entry_uses_only_existing_options() -> None:
    entry = hook()["entry"]
    assert entry.split()[:2] == ["nodeleaklint", "check"]
    assert set(flags_in(entry)) <= options_of("check")


def test_hook_receives_exactly_the_supported_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, contents in SAMPLES.items():
        if isinstance(contents, bytes):
            Path(name).write_bytes(contents)
        else:
            Path(name).write_text(contents, encoding="utf-8")
    spec = hook()
    # The same two steps as pre-commit's own run: global include/exclude, then the hook's.
    classifier = Classifier.from_config(sorted(SAMPLES), "", "^$")
    selected = set(
        classifier.by_types(
            filter_by_include_exclude(classifier.filenames, spec["files"], spec["exclude"]),
            spec["types"],
            spec["types_or"],
            spec["exclude_types"],
        )
    )
    expected = {name for name in SAMPLES if dialect_for_path(name) is not None}
    assert selected == expected
    assert {"h.mts", "i.cts", "f.d.ts", "UPPER.JS"} <= selected


def test_files_regex_matches_what_the_cli_checks() -> None:
    pattern = re.compile(hook()["files"])
    for name in ("x.js", "x.jsx", "x.mjs", "x.cjs", "x.ts", "x.tsx", "x.mts", "x.cts", "x.py"):
        assert bool(pattern.search(name)) == (dialect_for_path(name) is not None), name


def test_cli_as_the_hook_runs_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Findings exit 1 with text; unsupported names are a notice; excludes hold."""
    monkeypatch.chdir(tmp_path)
    Path("src").mkdir()
    Path("src/app.js").write_text(LEAKY, encoding="utf-8")
    Path("dist").mkdir()
    Path("dist/bundle.js").write_text(LEAKY, encoding="utf-8")
    Path("README.md").write_text("# hi\n", encoding="utf-8")
    entry = hook()["entry"].split()[1:]
    runner = CliRunner()
    names = ["src/app.js", "dist/bundle.js", "README.md"]
    result = runner.invoke(cli, [*entry, *names], catch_exceptions=False)
    assert result.exit_code == 1
    assert "src/app.js:2:" in result.stdout
    assert "NLL102" in result.stdout
    assert "dist/bundle.js" not in result.output
    assert "README.md" in result.output and "skipped" in result.output
    clean = runner.invoke(cli, [*entry, "README.md", "dist/bundle.js"], catch_exceptions=False)
    assert clean.exit_code == 0, clean.output


# -- end to end (opt-in: needs pip to build the hook's virtualenv) -------------------------


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _hook_repository(target: Path) -> Path:
    """A committed copy of the project, so uncommitted work is what gets installed."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(ROOT / "nodeleaklint", target / "nodeleaklint", ignore=ignore)
    for name in ("pyproject.toml", ".pre-commit-hooks.yaml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, target / name)
    if not (target / "README.md").exists():
        (target / "README.md").write_text("# nodeleaklint\n", encoding="utf-8")
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "hook repository")
    return target


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("NODELEAKLINT_SLOW_TESTS") != "1",
    reason="set NODELEAKLINT_SLOW_TESTS=1 (installs the hook with pip)",
)
def test_pre_commit_try_repo_end_to_end(tmp_path: Path) -> None:
    hook_repo = _hook_repository(tmp_path / "hook")
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    for name in ("src/app.js", "src/mod.mts", "src/ok.cts", "node_modules/x/index.js", "a.md"):
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("export {};\n" if name.endswith(".cts") else LEAKY, encoding="utf-8")
    _git(project, "add", "-A", "-f")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hook_repo),
            "nodeleaklint",
            "--all-files",
            "--verbose",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "src/app.js:2:" in output
    assert "src/mod.mts:2:" in output
    assert "node_modules/x/index.js" not in output
    assert "Failed" in output
