import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nodeleaklint import runner
from nodeleaklint.engine import check_and_summarize


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the engine checked, in order (a second check shows a name twice)."""
    paths: list[str] = []

    def counting(path: str, data: bytes, *args: Any, **kwargs: Any) -> Any:
        paths.append(Path(path).name)
        return check_and_summarize(path, data, *args, **kwargs)

    monkeypatch.setattr(runner, "_engine_check", lambda: counting)
    return paths
