"""The one module of Node and framework vocabulary (``semantics/vocabulary.py``)."""

from __future__ import annotations

import ast
from pathlib import Path

from nodeleaklint.semantics import vocabulary
from nodeleaklint.semantics.vocabulary import END_EVENTS, end_events

VOCABULARY = Path(vocabulary.__file__)


def _top_level_names(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
    return names


def test_vocabulary_defines_no_name_twice() -> None:
    """Parallel branches append to this module: a second definition silently wins."""
    names = _top_level_names(ast.parse(VOCABULARY.read_text(encoding="utf-8")))
    twice = sorted({name for name in names if names.count(name) > 1})
    assert not twice, f"defined more than once in vocabulary.py: {twice}"


def test_every_end_of_work_set_is_a_view_of_the_one_table() -> None:
    every = set(END_EVENTS)
    for name in (
        "WORK_ENDED_EVENTS",
        "CONNECTION_END_EVENTS",
        "CLIENT_ENDED_EVENTS",
        "CLIENT_GONE_EVENTS",
        "SOURCE_FAILURE_EVENTS",
    ):
        assert getattr(vocabulary, name) <= every, name
    assert set(vocabulary.PARTIAL_END_EVENTS) <= every
    assert vocabulary.PIPE_CLOSE_EVENTS - {"unpipe"} <= every


def test_end_events_leave_failures_out_unless_asked() -> None:
    assert end_events("readable", "writable") == {"close", "finish", "end"}
    assert "error" in end_events("writable", failures=True)
    assert "aborted" not in end_events("readable")
    # ``'finish'`` and ``'end'`` miss a way of ending; ``'close'`` fires on every way.
    assert {"finish", "end"} <= set(vocabulary.PARTIAL_END_EVENTS)
    assert "close" not in vocabulary.PARTIAL_END_EVENTS
