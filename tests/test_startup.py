"""A cold single-file check loads only what it uses (SPEC §6: 150 ms, process start
included), and records generate only ``__init__``."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from nodeleaklint.records import record
from nodeleaklint.runner import _Task
from nodeleaklint.semantics.resources import Judgement, Verdict

# Run as the ``nodeleaklint`` command runs, then list the modules the process loaded.
_LOADED = """\
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules))))
sys.argv = ["nodeleaklint", "check", sys.argv[1], "--no-cache", "-q"]
from nodeleaklint.__main__ import main
main()
"""

# None of these is needed to check one file named alone without a cache.
_NOT_NEEDED = (
    "pathspec",  # excludes and .gitignore: a named file matches no pattern
    "importlib.resources",  # the grammar packages' __init__ (query files)
    "tempfile",  # the cache writes files atomically
    "concurrent.futures",  # worker processes
    "multiprocessing",
    "nodeleaklint.baseline",
    "nodeleaklint.lsp",
    "nodeleaklint.reporters.sarif",
    "importlib.metadata",
)


def _loaded(tmp_path: Path, name: str, source: str) -> list[str]:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _LOADED, str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode in (0, 1), done.stderr
    modules: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return modules


def test_one_file_loads_only_what_it_uses(tmp_path: Path) -> None:
    modules = _loaded(tmp_path, "app.js", "const x = new Map();\nmodule.exports = x;\n")
    assert "nodeleaklint.engine" in modules  # the file was checked
    loaded = [name for name in _NOT_NEEDED if name in modules]
    assert loaded == []


@pytest.mark.parametrize("name", ["app.ts", "app.tsx"])
def test_typescript_checks_without_the_grammar_packages_init(tmp_path: Path, name: str) -> None:
    modules = _loaded(tmp_path, name, "const x: number = 1;\nexport default x;\n")
    assert "nodeleaklint.engine" in modules
    assert "importlib.resources" not in modules


def test_a_record_generates_only_init() -> None:
    @record
    class Pair:
        """Two numbers."""

        left: int
        right: int = 0

    pair = Pair(1, 2)
    assert dataclasses.is_dataclass(pair)
    assert [f.name for f in dataclasses.fields(Pair)] == ["left", "right"]
    assert dataclasses.replace(pair, right=3).right == 3
    for method in ("__eq__", "__hash__", "__repr__", "__setattr__", "__delattr__"):
        assert method not in Pair.__dict__, method
    assert pair != Pair(1, 2)  # identity, as nothing compares records by value


def test_records_of_the_model_and_runner_are_records() -> None:
    for cls in (Judgement, _Task):
        assert "__init__" in cls.__dict__
        assert "__eq__" not in cls.__dict__ and "__setattr__" not in cls.__dict__
    assert Judgement(Verdict.NEVER).verdict is Verdict.NEVER
