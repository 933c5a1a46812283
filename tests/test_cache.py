"""The result cache: unchanged files are not checked again, anything relevant invalidates."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from nodeleaklint import cache as cache_module
from nodeleaklint import runner
from nodeleaklint.cache import CACHE_DIRNAME, FORMAT, STAT_INDEX, ResultCache, default_cache_dir
from nodeleaklint.cli import cli
from nodeleaklint.engine import check_and_summarize

LEAK = "bus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n"


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
        return check_and_summarize(path, data, *args, **kwargs)

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


def _non_finite(entries: dict[str, Any]) -> dict[str, Any]:
    """Every span of every finding made infinite (``json`` writes ``Infinity``)."""
    for entry in entries.values():
        if "findings" not in entry:  # a project-view summary
            continue
        for finding in entry["findings"]:
            finding[5] = [float("inf")] * 4
        entry["suppressed"] = float("nan")
    return entries


def _huge_exponent(entries: dict[str, Any]) -> bytes:
    return json.dumps(entries).replace('"suppressed": 0', '"suppressed": 1e999').encode()


DAMAGE: dict[str, Any] = {
    "garbage": b"not json",
    "binary": bytes(range(256)),
    "truncated": lambda data: data[: len(data) // 2],
    "empty": b"",
    "not an object": b"[1, 2]",
    "odd entries": b'{"x": 5}',
    "deeply nested": b"[" * 200_000 + b"]" * 200_000,
    "deeply nested entry": lambda data: json.dumps(
        {key: json.loads("[" * 800 + "]" * 800) for key in json.loads(data)}
    ).encode(),
    "entries of the wrong shape": lambda data: json.dumps(
        {key: {"findings": [[1, 2]], "path": 3} for key in json.loads(data)}
    ).encode(),
    "non-finite numbers": lambda data: json.dumps(_non_finite(json.loads(data))).encode(),
    "huge exponent": lambda data: _huge_exponent(json.loads(data)),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_cache_is_a_miss_not_a_failure(checked: list[str], damage: str) -> None:
    write("a.js", LEAK)
    write("b.js", "function f() {\n  " + LEAK + "}\n")
    first = invoke("--no-cache")
    assert invoke().stdout == first.stdout  # fills the cache
    for shard in (Path(CACHE_DIRNAME) / FORMAT).glob("*.json"):
        content = DAMAGE[damage]
        shard.write_bytes(content(shard.read_bytes()) if callable(content) else content)
    checked.clear()
    second = invoke()
    assert sorted(checked) == ["a.js", "b.js"]
    assert (second.stdout, second.stderr, second.exit_code) == (first.stdout, "", 1)
    checked.clear()
    assert invoke().stdout == first.stdout  # the damage was replaced by good entries
    assert checked == []


def test_a_cache_folder_that_vanishes_or_turns_read_only_mid_run(
    checked: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    write("a.js", LEAK)
    first = invoke("--no-cache")
    real_save = ResultCache.save

    def vanish_then_save(self: ResultCache) -> None:
        shutil.rmtree(CACHE_DIRNAME)
        real_save(self)

    monkeypatch.setattr(ResultCache, "save", vanish_then_save)
    result = invoke()
    assert (result.stdout, result.stderr) == (first.stdout, "")
    monkeypatch.setattr(ResultCache, "save", real_save)

    def read_only(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    invoke()  # a good cache again
    monkeypatch.setattr("tempfile.mkstemp", read_only)
    write("a.js", LEAK + LEAK)
    result = invoke()
    assert result.stderr == "" and result.exit_code == 1
    assert len(json.loads(result.stdout)) == 2


def test_a_run_killed_mid_write_leaves_the_old_shard_whole(checked: list[str]) -> None:
    write("a.js", LEAK)
    first = invoke()
    shards = {p: p.read_bytes() for p in (Path(CACHE_DIRNAME) / FORMAT).glob("*.json")}

    def killed(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt  # as if the process died between writing and renaming

    write("a.js", LEAK + LEAK)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("os.replace", killed)
        with pytest.raises(KeyboardInterrupt):
            runner.run(["."], cache_dir=CACHE_DIRNAME)
    assert {p: p.read_bytes() for p in shards} == shards  # never half-written
    write("a.js", LEAK)
    checked.clear()
    assert invoke().stdout == first.stdout
    assert checked == []


def test_two_runs_sharing_a_cache_lose_nothing_but_entries(checked: list[str]) -> None:
    write("a.js", LEAK)
    write("b.js", "const x = 1;\n")
    expected = invoke("--no-cache").stdout
    one = runner.run(["a.js"], cache_dir=CACHE_DIRNAME)
    # A second run opened before the first one saved, then both save their shards.
    cache = ResultCache.open(Path(CACHE_DIRNAME))
    assert cache is not None
    two = runner.run(["b.js"], cache_dir=CACHE_DIRNAME)
    assert one.files_checked == two.files_checked == 1
    checked.clear()
    assert invoke().stdout == expected
    assert set(checked) <= {"a.js", "b.js"}


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


# -- the stat index: unchanged files are neither read nor hashed ------------------------------


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The paths whose bytes the run reads (for the cache lookup or for checking)."""
    paths: list[str] = []
    real = runner._read

    def counting(path: Any, display: str, limit: int) -> Any:
        paths.append(display)
        return real(path, display, limit)

    monkeypatch.setattr(runner, "_read", counting)
    yield paths


def test_a_rerun_reads_no_unchanged_file(reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "RACY_NANOSECONDS", 0)  # files just written count as old
    write("a.js", LEAK)
    write("b.js", "const x = 1;\n")
    first = invoke()
    assert sorted(set(reads)) == ["a.js", "b.js"]
    reads.clear()
    second = invoke()
    assert reads == [] and second.stdout == first.stdout
    index = json.loads((Path(CACHE_DIRNAME) / FORMAT / STAT_INDEX).read_text())
    assert sorted(Path(path).name for path in index) == ["a.js", "b.js"]


def test_a_file_changed_within_the_racy_window_is_read_again(reads: list[str]) -> None:
    write("a.js", LEAK)
    invoke()
    reads.clear()
    invoke()
    assert reads == ["a.js"]  # just written: its stat may not tell a second change apart


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tools that restore modification times cannot restore the change time."""
    monkeypatch.setattr(cache_module, "RACY_NANOSECONDS", 0)
    target = write("a.js", LEAK)
    before = target.stat()
    assert json.loads(invoke().stdout)
    clean = "bus.setMaxListeners(9);\napp.get(r, () => bus.on(e, f));\n"
    assert len(clean) == len(LEAK)
    time.sleep(0.01)
    target.write_text(clean, encoding="utf-8")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert json.loads(invoke().stdout) == []


def test_a_damaged_stat_index_is_a_miss(reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "RACY_NANOSECONDS", 0)
    write("a.js", LEAK)
    first = invoke()
    index = Path(CACHE_DIRNAME) / FORMAT / STAT_INDEX
    [key] = json.loads(index.read_text())
    token = cache_module.stat_token(Path("a.js").stat())
    for entry in ([1, 2], [*token, 7], [*token[:3], 0, "0" * 40], "x"):
        index.write_text(json.dumps({key: entry}), encoding="utf-8")
        reads.clear()
        assert invoke().stdout == first.stdout
        assert reads == ["a.js"]
    for damage in ("{not json", "[]"):
        index.write_text(damage, encoding="utf-8")
        reads.clear()
        assert invoke().stdout == first.stdout
        assert reads == ["a.js"]
