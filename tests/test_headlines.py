"""Short headlines (SPEC §3 "Messages", issue 16): the rules that build their explanation
themselves (NLL101, NLL102, NLL201, NLL301, NLL401, NLL501, NLL601, NLL602) give every finding
of their annotated cases a one-line headline of at most ``HEADLINE_LIMIT`` characters and put
the rest of the explanation in notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from annotations import run_annotated

from nodeleaklint.config import Config
from nodeleaklint.engine import check_source
from nodeleaklint.rules import ALL_RULES
from nodeleaklint.rules.base import HEADLINE_LIMIT, explain
from nodeleaklint.rules.headlines import fit, sentence

ROOT = Path(__file__).resolve().parent.parent
STRUCTURED = ("NLL101", "NLL102", "NLL201", "NLL301", "NLL401", "NLL501", "NLL601", "NLL602")
CASES = [
    (rule, path)
    for rule in STRUCTURED
    for folder in sorted((ROOT / "rules").glob(f"{rule}-*"))
    for path in sorted(folder.glob("cases.*"))
]


def test_every_structured_rule_has_cases() -> None:
    assert {rule for rule, _ in CASES} == set(STRUCTURED)
    assert {path.suffix for _, path in CASES} >= {".js", ".ts", ".jsx", ".tsx"}


@pytest.mark.parametrize(("rule", "path"), CASES, ids=lambda v: getattr(v, "name", v))
def test_case_findings_have_a_short_headline_and_notes(rule: str, path: Path) -> None:
    outcome = run_annotated(path.name, path.read_text(encoding="utf-8"), rule)
    findings = outcome.findings
    assert findings, f"{path.name}: no {rule} finding to check"
    for finding in findings:
        explanation = explain(finding)
        where = f"{path.name}:{finding.span.line}"
        # The rule gave its notes itself: the headline is its message, never a split of it.
        assert finding.notes, f"{where}: {rule} gave no notes"
        assert explanation.headline == finding.message
        assert len(explanation.headline) <= HEADLINE_LIMIT, f"{where}: {explanation.headline}"
        assert "\n" not in explanation.headline
        for note in explanation.notes:
            assert note[:1].isupper() or note[:1] in "`'0123456789", f"{where}: {note}"
            assert note.endswith("."), f"{where}: {note}"


def test_fit_takes_the_first_variant_within_the_limit() -> None:
    long = "x" * (HEADLINE_LIMIT + 1)
    assert fit(long, "short", "shorter") == "short"
    assert fit("a", long) == "a"


def test_fit_falls_back_to_the_last_variant() -> None:
    long = "x" * (HEADLINE_LIMIT + 1)
    assert fit(long, long + "y") == long + "y"


def test_sentence_capitalises_and_ends_with_a_full_stop() -> None:
    assert sentence("the pool stays open") == "The pool stays open."
    assert sentence("`pool` stays open.") == "`pool` stays open."


def test_notes_stay_on_one_line_when_the_quoted_callee_spans_lines() -> None:
    # winston's file transport: the callback is passed to `.on` of a call chain broken by a
    # comment; the quoted callee kept its newlines and split the note across lines.
    source = (
        "const fs = require('fs');\n"
        "const http = require('http');\n"
        "http.createServer((req, res) => {\n"
        "  fs.createWriteStream(req.url)\n"
        "    // wait until it is open\n"
        "    .on('open', () => {\n"
        "      const file = fs.createReadStream(req.url);\n"
        "      file.pipe(res);\n"
        "    });\n"
        "}).listen(8080);\n"
    )
    report = check_source("server.js", source.encode("utf-8"), Config(), ALL_RULES)
    [finding] = [f for f in report.findings if f.rule == "NLL501"]
    assert "// wait until it is open" in finding.notes[0]
    assert all("\n" not in text for text in (finding.message, *finding.notes))
