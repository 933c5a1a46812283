from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import pytest

from nodeleaklint.config import ConfigResolver
from nodeleaklint.discovery import SourcePath, iter_source_files
from nodeleaklint.findings import Notification, NotificationKind, Severity


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def touch(*paths: str, text: str = "x;\n") -> None:
    for path in paths:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text, encoding="utf-8")


def collect(*paths: str, force_exclude: bool = False) -> tuple[list[str], list[Notification]]:
    files: list[str] = []
    notes: list[Notification] = []
    for item in iter_source_files(paths, ConfigResolver().for_folder, force_exclude):
        if isinstance(item, SourcePath):
            files.append(item.display)
        else:
            notes.append(item)
    return files, notes


def test_walk_is_sorted_and_keeps_only_supported_extensions() -> None:
    touch("src/b.ts", "src/a.js", "src/z/c.mjs", "src/y.cts", "src/readme.md", "src/x.json")
    touch("src/comp.tsx", "src/comp.jsx", "src/m.mts", "src/c.cjs", "top.js")
    files, notes = collect(".")
    assert files == [
        "top.js",
        "src/a.js",
        "src/b.ts",
        "src/c.cjs",
        "src/comp.jsx",
        "src/comp.tsx",
        "src/m.mts",
        "src/y.cts",
        "src/z/c.mjs",
    ]
    assert notes == []


def test_default_excludes() -> None:
    touch("node_modules/lib/index.js", "dist/out.js", "build/b.js", "coverage/lcov.js")
    touch("vendor/jquery.js", "src/vendor/lib.js")
    touch("src/vendor.min.js", "src/app.bundle.js", "src/app.js", "pkg/node_modules/x.js")
    files, _ = collect(".")
    assert files == ["src/app.js"]


def test_configured_excludes_are_relative_to_the_config_root() -> None:
    Path("nodeleaklint.toml").write_text(
        'extend-exclude = ["/generated", "*.gen.ts"]\n', encoding="utf-8"
    )
    touch("generated/a.js", "src/generated/b.js", "src/c.gen.ts", "src/d.ts")
    files, _ = collect("src")
    assert files == ["src/d.ts", "src/generated/b.js"]


def test_exclude_replaces_the_defaults() -> None:
    Path("nodeleaklint.toml").write_text('exclude = ["legacy"]\n', encoding="utf-8")
    touch("dist/a.js", "legacy/b.js")
    files, _ = collect(".")
    assert files == ["dist/a.js"]


def test_gitignore_root_and_nested_with_negation() -> None:
    Path(".gitignore").write_text("*.tmp.js\nout/\n", encoding="utf-8")
    Path("pkg").mkdir()
    Path("pkg/.gitignore").write_text("secret.js\n!keep.tmp.js\n", encoding="utf-8")
    touch("a.tmp.js", "out/o.js", "pkg/secret.js", "pkg/keep.tmp.js", "pkg/ok.js", "secret.js")
    files, _ = collect(".")
    assert files == ["secret.js", "pkg/keep.tmp.js", "pkg/ok.js"]


def test_gitignore_above_the_walked_folder_applies_inside_the_repository() -> None:
    Path(".git").mkdir()
    Path(".gitignore").write_text("generated/\n", encoding="utf-8")
    touch("app/generated/g.js", "app/main.js")
    files, _ = collect("app")
    assert files == ["app/main.js"]


def test_respect_gitignore_false() -> None:
    Path(".gitignore").write_text("ignored.js\n", encoding="utf-8")
    Path("nodeleaklint.toml").write_text("respect-gitignore = false\n", encoding="utf-8")
    touch("ignored.js")
    assert collect(".")[0] == ["ignored.js"]


def test_explicit_files_are_checked_unless_force_exclude() -> None:
    touch("node_modules/lib/index.js", "dist/out.js")
    assert collect("node_modules/lib/index.js", "dist/out.js")[0] == [
        "node_modules/lib/index.js",
        "dist/out.js",
    ]
    assert collect("node_modules/lib/index.js", "dist", force_exclude=True)[0] == []


def test_force_exclude_uses_config_patterns() -> None:
    Path("nodeleaklint.toml").write_text('extend-exclude = ["fixtures/"]\n', encoding="utf-8")
    touch("fixtures/a.js", "src/b.js")
    files, _ = collect("fixtures/a.js", "src/b.js", force_exclude=True)
    assert files == ["src/b.js"]


def test_explicit_unsupported_file_is_skipped_with_a_note() -> None:
    touch("README.md")
    files, [note] = collect("README.md")
    assert files == []
    assert note.kind is NotificationKind.SKIPPED
    assert note.level is Severity.NOTE
    assert note.path == "README.md"


def test_missing_path_is_an_error_notification() -> None:
    touch("a.js")
    files, [note] = collect("missing.js", "a.js")
    assert files == ["a.js"]
    assert note.kind is NotificationKind.UNREADABLE
    assert note.level is Severity.ERROR
    assert note.path == "missing.js"
    assert "No such file or directory" in note.message


def test_paths_are_relative_to_cwd_and_each_file_is_yielded_once(tmp_path: Path) -> None:
    touch("src/a.js")
    files, _ = collect(str(tmp_path / "src"), "./src/a.js", "src")
    assert files == [os.path.join("src", "a.js")]


def test_paths_outside_cwd_are_kept_as_given(tmp_path: Path) -> None:
    touch("other/a.js")
    os.chdir(tmp_path / "other")
    Path("here").mkdir()
    os.chdir("here")
    files, _ = collect("../a.js")
    assert files == ["../a.js"]


def test_symlink_loops_terminate() -> None:
    touch("src/a.js", "src/inner/b.js")
    os.symlink("..", "src/inner/up")
    os.symlink(".", "src/self")
    files, _ = collect(".")
    assert sorted(files) == ["src/a.js", "src/inner/b.js"]


def test_symlinked_folder_is_followed_once() -> None:
    touch("real/a.js")
    os.symlink("real", "alias")
    files, _ = collect(".")
    assert files == ["alias/a.js"]


def test_deep_nesting_has_no_recursion_limit() -> None:
    levels = 400
    deep = Path(*(["d"] * levels))
    os.makedirs(deep)
    touch(str(deep / "x.js"))
    # Deeper than the stack allows: a recursive walk would raise RecursionError.
    limit = len(traceback.extract_stack()) + levels // 2
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        files, _ = collect(".")
    finally:
        sys.setrecursionlimit(old)
    assert files == [str(deep / "x.js")]


def test_force_exclude_outside_cwd_still_sees_excluded_folders(tmp_path: Path) -> None:
    touch("outside/node_modules/lib/a.js", "outside/src/b.js")
    Path("work").mkdir()
    os.chdir("work")
    base = tmp_path / "outside"
    files, _ = collect(
        str(base / "node_modules/lib/a.js"), str(base / "src/b.js"), force_exclude=True
    )
    assert files == [str(base / "src/b.js")]


NODE_SCRIPT = "#!/usr/bin/env node\nconst x = 1;\n"


def test_extensionless_node_scripts_are_javascript() -> None:
    touch("bin/cli", "bin/direct", "bin/other", "bin/tool.sh", text=NODE_SCRIPT)
    touch("bin/direct", text="#!/usr/bin/node\nx();\n")
    touch("bin/other", text="#!/bin/sh\necho hi\n")
    touch("bin/Makefile", text="all:\n\ttrue\n")
    files, notes = collect(".")
    assert files == ["bin/cli", "bin/direct"]  # tool.sh has an extension: not JavaScript
    assert notes == []
    files, notes = collect("bin/cli", "bin/other")
    assert files == ["bin/cli"]
    assert [(n.path, n.kind) for n in notes] == [("bin/other", NotificationKind.SKIPPED)]


def test_force_exclude_applies_gitignore_to_named_files() -> None:
    Path(".git").mkdir()
    Path(".gitignore").write_text("generated/\n*.tmp.js\n", encoding="utf-8")
    touch("generated/api.js", "src/a.tmp.js", "src/b.js")
    named = ("generated/api.js", "src/a.tmp.js", "src/b.js")
    assert collect(*named)[0] == list(named)  # named files are checked
    assert collect(*named, force_exclude=True)[0] == ["src/b.js"]
    Path("nodeleaklint.toml").write_text("respect-gitignore = false\n", encoding="utf-8")
    assert collect(*named, force_exclude=True)[0] == list(named)
