"""The result cache: unchanged files are not checked again, anything relevant invalidates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from nodeleaklint import runner
from nodeleaklint.cache import CACHE_DIRNAME, FORMAT, ResultCache, default_cache_dir
from nodeleaklint.cli import cli
from nodeleaklint.engine import check_source

LEAK = "bus.setMaxListeners(0);\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NODELEAKLINT_CACHE_DIR", raising=False)


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The paths the engine actually checks (not answered from the cache)."""
    paths: list[str] = []

    def counting(path: str, data: bytes, *args: Any, **kwargs: Any) -> Any:
        paths.append(path)
        return check_source(path, data, *args, **kwargs)

    monkeypatch.setattr(runner, "_engine_check", lambda: counting)
    yield paths


def write(path: str, text: str) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["check", "--format", "json", *args], catch_exceptions=False)


def test_a_rerun_answers_unchanged_files_from_the_cache(checked: list[str]) -> None:
    write("a.js", LEAK)
    write("b.js", "const x = 1;\n")
    first = invoke()
    assert sorted(checked) == ["a.js", "b.js"]
    checked.clear()
    second = invoke()
    assert checked == []
    assert second.stdout == first.stdout and second.exit_code == first.exit_code == 1
    assert json.loads(second.stdout)[0]["fingerprint"]


def test_the_cache_folder_ignores_itself_and_sits_in_the_project_root() -> None:
    write("nodeleaklint.toml", "select = ['NLL']\n")
    write("src/a.js", LEAK)
    invoke("src")
    folder = Path(CACHE_DIRNAME)
    assert (folder / ".gitignore").read_text() == "*\n"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172")
    assert list((folder / FORMAT).glob("*.json"))
    assert not (Path("src") / CACHE_DIRNAME).exists()
    assert default_cache_dir(["src"], None) == Path.cwd() / CACHE_DIRNAME


@pytest.mark.parametrize(
    ("change", "args"),
    [
        (lambda: write("a.js", LEAK + "// edited\n"), ()),
        (lambda: write("nodeleaklint.toml", "[rules.NLL102]\nthreshold = 10\n"), ()),
        (lambda: None, ("--select", "NLL102")),
        (lambda: None, ("--report-unused-suppressions",)),
    ],
    ids=["content", "rule options", "rule selection", "unused suppressions"],
)
def test_what_a_result_depends_on_invalidates_it(
    checked: list[str], change: Any, args: tuple[str, ...]
) -> None:
    write("a.js", LEAK)
    invoke("a.js")
    checked.clear()
    change()
    invoke("a.js", *args)
    assert checked == ["a.js"]


def test_no_cache_neither_reads_nor_writes(checked: list[str]) -> None:
    write("a.js", LEAK)
    invoke("--no-cache")
    invoke("--no-cache")
    assert checked == ["a.js", "a.js"]
    assert not Path(CACHE_DIRNAME).exists()


def test_an_unwritable_cache_location_quietly_turns_the_cache_off(checked: list[str]) -> None:
    write("a.js", LEAK)
    write("blocker", "a file where a folder should be\n")
    for _ in range(2):
        result = invoke("--cache-dir", "blocker/cache")
        assert result.exit_code == 1 and result.stderr == ""
    assert checked == ["a.js", "a.js"]
    assert ResultCache.open(Path("blocker/cache")) is None


@pytest.mark.parametrize(
    "content",
    [b"not json", b"[1, 2]", b'{"x": 5}', None],
    ids=["garbage", "not an object", "odd entries", "entries of the wrong shape"],
)
def test_a_damaged_cache_is_a_miss_not_a_failure(checked: list[str], content: bytes | None) -> None:
    write("a.js", LEAK)
    first = invoke()
    shards = list((Path(CACHE_DIRNAME) / FORMAT).glob("*.json"))
    for shard in shards:
        if content is None:
            entries = json.loads(shard.read_bytes())
            damaged = {key: {"findings": [[1, 2]], "path": 3} for key in entries}
            shard.write_text(json.dumps(damaged))
        else:
            shard.write_bytes(content)
    checked.clear()
    second = invoke()
    assert checked == ["a.js"]
    assert second.stdout == first.stdout


def test_internal_errors_are_not_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def failing(path: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(path)
        raise RuntimeError("transient")

    monkeypatch.setattr(runner, "_engine_check", lambda: failing)
    write("a.js", LEAK)
    assert invoke().exit_code == 2
    assert invoke().exit_code == 2
    assert calls == ["a.js", "a.js"]


def test_stdin_is_never_cached() -> None:
    result = CliRunner().invoke(cli, ["check", "-"], input=LEAK.encode())
    assert result.exit_code == 1
    assert not Path(CACHE_DIRNAME).exists()
