"""Memory stays flat over a long run: each file's model is freed promptly (SPEC §6)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from nodeleaklint import runner
from nodeleaklint.memory import MemoryGuard


class Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def no_automatic_collection() -> Iterator[None]:
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def test_the_guard_frees_cyclic_garbage_after_enough_source(
    no_automatic_collection: None,
) -> None:
    guard = MemoryGuard(every_bytes=1000)
    garbage = Cycle()
    alive = weakref.ref(garbage)
    del garbage
    guard.checked(600)
    assert alive() is not None  # not yet: collections are spread out
    guard.checked(600)
    assert alive() is None
    assert guard.pending == 0
    assert gc.get_freeze_count() > 0  # survivors are left out of later collections


def test_only_runs_that_own_the_process_manage_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.js").write_text(
        "bus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n", encoding="utf-8"
    )
    monkeypatch.setattr(runner, "_guard", None)
    library = runner.run([str(tmp_path)], jobs=1)
    assert runner._guard is None  # a host process keeps its own garbage collection
    command_line = runner.run([str(tmp_path)], jobs=1, own_process=True)
    assert isinstance(runner._guard, MemoryGuard)
    assert runner._guard.pending == len(
        "bus.setMaxListeners(0);\napp.get(r, () => bus.on(e, f));\n"
    )
    assert (
        [f.rule for f in library.findings] == [f.rule for f in command_line.findings] == ["NLL102"]
    )
