"""Property-based fuzzing: no input makes checking fail, and the outputs always parse.

Inputs are real snippets from the rules' annotated case files, mutated (cut, duplicated,
spliced with other snippets, sprinkled with odd bytes), and plain random bytes. For each:
no exception escapes ``check_source``, no rule or the model reports an internal error, and
the JSON and SARIF renderings of the result parse and validate. Each property tries 200
examples; ``NODELEAKLINT_FUZZ_EXAMPLES=3000`` searches longer (about 30 s).
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sarif_checks import assert_valid_sarif

from nodeleaklint.config import Config
from nodeleaklint.engine import check_source
from nodeleaklint.findings import NotificationKind, RunResult
from nodeleaklint.reporters import render
from nodeleaklint.rules import ALL_RULES

CASES = Path(__file__).resolve().parent.parent / "rules"
ODD = [
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b"\r",
    b"\r\n",
    b"{",
    b"}",
    b"(",
    b"`",
    b"'",
    b"/*",
    b"\\",
]
FUZZ = settings(
    max_examples=int(os.environ.get("NODELEAKLINT_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


@cache
def snippets() -> list[bytes]:
    """Blank-line separated chunks of every ``rules/*/cases.*`` file."""
    chunks: list[bytes] = []
    for path in sorted(CASES.glob("*/cases.*")):
        chunks.extend(part for part in path.read_bytes().split(b"\n\n") if part.strip())
    return chunks


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from(snippets()))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        end = draw(st.integers(at, len(data)))
        action = draw(st.sampled_from(["cut", "repeat", "splice", "odd", "truncate"]))
        if action == "cut":
            data = data[:at] + data[end:]
        elif action == "repeat":
            data = data[:end] + data[at:end] + data[end:]
        elif action == "splice":
            data = data[:at] + draw(st.sampled_from(snippets())) + data[at:]
        elif action == "odd":
            data = data[:at] + draw(st.sampled_from(ODD)) + data[at:]
        else:
            data = data[:at]
    return data


def check_everything(data: bytes, path: str) -> None:
    report = check_source(path, data, Config(), ALL_RULES, report_unused_suppressions=True)
    failures = [n for n in report.notifications if n.kind is NotificationKind.INTERNAL_ERROR]
    assert not failures, (failures, data)
    result = RunResult(files=[report])
    json.loads(render("json", result, ALL_RULES))
    assert_valid_sarif(render("sarif", result, ALL_RULES))


@FUZZ
@given(mutated(), st.sampled_from(["a.js", "a.ts", "a.tsx", "a.mjs"]))
def test_mutated_real_snippets_never_break_a_check(data: bytes, path: str) -> None:
    check_everything(data, path)


@FUZZ
@given(st.binary(max_size=2048), st.sampled_from(["a.js", "a.ts", "a.tsx"]))
def test_random_bytes_never_break_a_check(data: bytes, path: str) -> None:
    check_everything(data, path)


def test_the_snippets_are_found() -> None:
    assert len(snippets()) > 20
