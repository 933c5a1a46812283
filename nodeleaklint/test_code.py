"""Which files are test code: leaks there do not reach production, so findings in them are
reported with medium confidence at most (``min-confidence = "high"`` hides them)."""

from __future__ import annotations

import os
from pathlib import Path

TEST_FOLDERS = frozenset(
    {"test", "tests", "__tests__", "spec", "specs", "fixtures", "__fixtures__", "__mocks__", "e2e"}
)
TEST_SUFFIXES = (".test", ".spec", "-test", "-spec", "_test", "_spec")


def is_test_code(path: str) -> bool:
    """``test/x.js``, ``src/__tests__/x.ts``, ``x.test.ts``, ``x-spec.js``, ``fixtures/…``.

    String operations, not ``PurePath``: the project view asks this of every file."""
    parts = path.replace("\\", "/").lower().split("/")
    if any(part in TEST_FOLDERS for part in parts[:-1]):
        return True
    return parts[-1].rsplit(".", 1)[0].endswith(TEST_SUFFIXES)


def is_test_file(path: str, root: Path | None) -> bool:
    """Whether ``path`` is test code, judged relative to ``root`` (the configuration's
    folder) when inside it, so that a project kept under a folder named ``test`` is not all
    test code."""
    if root is not None:
        absolute, top = os.path.abspath(path), str(root)
        if absolute.startswith(top.rstrip(os.sep) + os.sep):
            return is_test_code(absolute[len(top.rstrip(os.sep)) + 1 :])
    return is_test_code(path)
