"""Fixes: the rewrites rules offer, applying them pass by pass, and each rule's annotated
cases fixed, pinned as a reviewed diff and re-checked clean."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from report_samples import LISTENER

from nodeleaklint.config import Config
from nodeleaklint.engine import check_source
from nodeleaklint.findings import Edit, FileFix, FileReport, Finding, Fix, NotificationKind, Span
from nodeleaklint.fixes import builders
from nodeleaklint.fixes.apply import (
    StaleFileError,
    apply_fixes,
    fix_file,
    unified_diff,
    write,
)
from nodeleaklint.rules import ALL_RULES
from nodeleaklint.rules.base import Rule

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "tests" / "snapshots" / "fixes"
UPDATE = os.environ.get("NODELEAKLINT_UPDATE_SNAPSHOTS") == "1"
# Rules that offer a rewrite; their annotated cases must exercise it.
FIXING_RULES = {"NLL102", "NLL501", "NLL602"}
CASE_FILES = [
    (rule, path)
    for rule in ALL_RULES
    for path in sorted((ROOT / "rules" / rule.slug).glob("cases.*"))
]
SPAN = Span(1, 1, 1, 1)


def _edit(start: int, end: int, content: str) -> Edit:
    return Edit(start, end, content, SPAN)


def _check(name: str, data: bytes) -> FileReport:
    return check_source(name, data, Config(), ALL_RULES)


def fixed_text(source: str, path: str = "app.js", rule: str | None = None) -> str:
    """``source`` after every fix its findings offer (of ``rule`` only, when given)."""
    data = source.encode("utf-8")

    def check(text: bytes) -> FileReport:
        report = _check(path, text)
        if rule is not None:
            report.findings = [f for f in report.findings if f.rule == rule]
        return report

    return fix_file(path, path, data, check(data), check, unsafe=True).fixed.decode("utf-8")


def fixes_of(source: str, rule: str, path: str = "app.js") -> list[Fix]:
    report = _check(path, source.encode("utf-8"))
    return [f.fix for f in report.findings if f.rule == rule and f.fix is not None]


# -- applying ----------------------------------------------------------------------------------


def test_apply_takes_non_overlapping_fixes_and_defers_the_rest() -> None:
    data = b"abcdef"
    first = Fix("a", (_edit(0, 2, "X"),))
    overlapping = Fix("b", (_edit(1, 3, "Y"),))
    apart = Fix("c", (_edit(4, 5, "Z"),))
    out, count = apply_fixes(data, [overlapping, apart, first])
    assert (out, count) == (b"XcdZf", 2)  # ordered by position: "a" first, "b" waits


def test_identical_edits_of_two_fixes_are_applied_once() -> None:
    """Two pipes in one file both add the same import: it is added once, both rewrites land."""
    data = b"one;two;"
    shared = _edit(0, 0, "import;")
    out, count = apply_fixes(
        data, [Fix("1", (shared, _edit(0, 3, "ONE"))), Fix("2", (shared, _edit(4, 7, "TWO")))]
    )
    assert (out, count) == (b"import;ONE;TWO;", 2)


def test_two_insertions_at_one_offset_conflict() -> None:
    out, count = apply_fixes(b"x", [Fix("1", (_edit(0, 0, "a"),)), Fix("2", (_edit(0, 0, "b"),))])
    assert (out, count) == (b"ax", 1)


def test_an_edit_outside_the_bytes_is_never_applied() -> None:
    assert apply_fixes(b"abc", [Fix("far", (_edit(2, 9, ""),))]) == (b"abc", 0)


def test_fixing_runs_passes_until_nothing_applies() -> None:
    """A fix deferred by an overlap is recomputed on the re-checked text in the next pass."""
    checked: list[bytes] = []

    def check(text: bytes) -> FileReport:
        checked.append(text)
        findings = []
        for offset, char in enumerate(text):
            if char == ord("a"):  # 'a' and the byte after it become 'b' and that byte
                end = min(offset + 2, len(text))
                content = "b" + text[offset + 1 : end].decode()
                findings.append(_finding(Fix("a->b", (_edit(offset, end, content),))))
        return FileReport(path="x.js", findings=findings)

    result = fix_file("x.js", "x.js", b"aaaa", check(b"aaaa"), check, unsafe=True)
    assert (result.fixed, result.applied) == (b"bbbb", 4)
    assert checked == [b"aaaa", b"baba", b"bbbb"]  # two passes, each re-checked


def test_a_pass_that_breaks_the_parse_is_dropped() -> None:
    def check(text: bytes) -> FileReport:
        return _check("app.js", text)

    broken = _finding(Fix("break it", (_edit(0, 5, "const = ;"),)))
    report = FileReport(path="app.js", findings=[broken])
    result = fix_file("app.js", "app.js", b"let a = 1;\n", report, check, unsafe=True)
    assert result.fixed == b"let a = 1;\n" and result.applied == 0


def test_unsafe_fixes_need_unsafe() -> None:
    report = FileReport(path="a.js", findings=[_finding(Fix("x", (_edit(0, 1, ""),)))])
    result = fix_file("a.js", "a.js", b"x", report, lambda text: report, unsafe=False)
    assert not result.changed and result.applied == 0


def test_write_refuses_a_file_changed_since_it_was_checked(tmp_path: Path) -> None:
    target = tmp_path / "a.js"
    target.write_bytes(b"new")
    fixed = FileFix(str(target), "a.js", b"old", b"fixed", 1, FileReport(path="a.js"))
    with pytest.raises(StaleFileError):
        write(fixed)
    assert target.read_bytes() == b"new"
    target.write_bytes(b"old")
    write(fixed)
    assert target.read_bytes() == b"fixed"


def test_unified_diff_marks_a_missing_final_newline() -> None:
    fixed = FileFix("a.js", "a.js", b"a\nb", b"a\nc", 1, FileReport(path="a.js"))
    assert unified_diff(fixed).splitlines() == [
        "--- a.js",
        "+++ a.js",
        "@@ -1,2 +1,2 @@",
        " a",
        "-b",
        "\\ No newline at end of file",
        "+c",
        "\\ No newline at end of file",
    ]


def _finding(fix: Fix) -> Finding:
    return dataclasses.replace(LISTENER, fix=fix)


def test_a_defect_while_building_a_fix_never_costs_the_finding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object) -> bool:
        raise RuntimeError("defect")

    monkeypatch.setattr(builders, "_statement_of", broken)
    report = _check("app.js", (NLL102_HEAD + "bus.setMaxListeners(0);\n").encode())
    assert [(f.rule, f.fix) for f in report.findings] == [("NLL102", None)]
    assert not report.notifications


# -- NLL102: setMaxListeners(0) removed ----------------------------------------------------------

NLL102_HEAD = "const { EventEmitter } = require('events');\nconst bus = new EventEmitter();\n"


def test_nll102_removes_the_statement_and_its_line() -> None:
    source = NLL102_HEAD + "bus.setMaxListeners(0);\nbus.on('x', f);\n"
    assert fixed_text(source, rule="NLL102") == NLL102_HEAD + "bus.on('x', f);\n"


def test_nll102_keeps_a_comment_on_the_same_line() -> None:
    source = NLL102_HEAD + "  bus.setMaxListeners(Infinity); // many tabs\n"
    assert fixed_text(source, rule="NLL102") == NLL102_HEAD + "  // many tabs\n"


def test_nll102_offers_no_fix_for_a_finite_limit_or_a_lone_if_body() -> None:
    assert not fixes_of(NLL102_HEAD + "bus.setMaxListeners(500);\n", "NLL102")
    assert not fixes_of(NLL102_HEAD + "if (debug) bus.setMaxListeners(0);\n", "NLL102")
    assert not fixes_of(NLL102_HEAD + "makeBus().setMaxListeners(0);\n", "NLL102")
    assert not fixes_of(NLL102_HEAD + "const b = bus.setMaxListeners(0);\n", "NLL102")


def test_nll102_keeps_statements_apart_under_automatic_semicolons() -> None:
    """`a = b` then `(f)()` would join into `a = b(f)()` once the line between is gone."""
    source = NLL102_HEAD + "let a = 1;\nbus.setMaxListeners(0);\n(function () {})()\n"
    assert fixed_text(source, rule="NLL102") == NLL102_HEAD + "let a = 1;\n(function () {})()\n"
    hazard = NLL102_HEAD + "let a = 1\nbus.setMaxListeners(0);\n(function () {})()\n"
    assert not fixes_of(hazard, "NLL102")


# -- NLL501: .pipe() -> pipeline() ----------------------------------------------------------------

PIPE_CJS = """const fs = require('fs');
const express = require('express');
const app = express();
app.get('/f', (req, res) => {
  fs.createReadStream('f').pipe(res);
});
"""


def test_nll501_adds_a_require_in_a_commonjs_file() -> None:
    assert fixed_text(PIPE_CJS, rule="NLL501") == (
        "const fs = require('fs');\n"
        "const express = require('express');\n"
        "const { pipeline } = require('node:stream');\n"
        "const app = express();\n"
        "app.get('/f', (req, res) => {\n"
        "  pipeline(fs.createReadStream('f'), res, (err) => {\n"
        "    if (err) console.error(err);\n"
        "  });\n"
        "});\n"
    )
    assert not [f for f in _check("app.js", fixed_text(PIPE_CJS).encode()).findings]


def test_nll501_adds_an_import_in_a_module_and_once_for_two_pipes() -> None:
    source = (
        'import fs from "node:fs"\n'
        'import express from "express"\n'
        "const app = express()\n"
        "app.get('/a', (req, res) => {\n  fs.createReadStream('a').pipe(res)\n})\n"
        "app.get('/b', (req, res) => {\n  fs.createReadStream('b').pipe(res)\n})\n"
    )
    out = fixed_text(source, path="app.mjs", rule="NLL501")
    assert out.count('import { pipeline } from "node:stream"\n') == 1  # quotes, no `;`
    assert out.count("pipeline(fs.createReadStream(") == 2
    assert out.index("import { pipeline }") > out.index('import express from "express"')


def test_nll501_extends_an_existing_named_import_of_node_stream() -> None:
    required = PIPE_CJS.replace(
        "const express", "const { Readable } = require('node:stream');\nconst express"
    )
    out = fixed_text(required, rule="NLL501")
    assert "const { Readable, pipeline } = require('node:stream');\n" in out
    assert out.count("pipeline") == 2  # the import and the call: no second import line
    imported = (
        "import fs from 'node:fs'\nimport { Transform } from 'stream'\nimport express from 'x'\n"
        "const app = express()\napp.get('/f', (req, res) => {\n"
        "  fs.createReadStream('f').pipe(res)\n})\n"
    )
    out = fixed_text(imported, path="app.ts", rule="NLL501")
    assert "import { Transform, pipeline } from 'stream'\n" in out
    assert "    if (err) console.error(err)\n" in out  # no semicolons, as in the file


def test_nll501_uses_the_files_own_pipeline_or_stream_namespace() -> None:
    own = "const { pipeline } = require('stream');\n" + PIPE_CJS
    assert "require('node:stream')" not in fixed_text(own, rule="NLL501")
    assert "  pipeline(fs.createReadStream('f'), res, (err) => {" in fixed_text(own)
    namespace = "const stream = require('stream');\n" + PIPE_CJS
    assert "  stream.pipeline(fs.createReadStream('f'), res, (err) => {" in fixed_text(namespace)
    promised = "const { pipeline } = require('node:stream/promises');\n" + PIPE_CJS
    assert "  pipeline(fs.createReadStream('f'), res).catch((err) => {" in fixed_text(promised)


def test_nll501_offers_no_fix_where_the_rewrite_is_not_mechanical() -> None:
    taken = "const pipeline = 3;\n" + PIPE_CJS
    assert not fixes_of(taken, "NLL501")
    options = PIPE_CJS.replace(".pipe(res)", ".pipe(res, { end: false })")
    assert not fixes_of(options, "NLL501")
    loop = PIPE_CJS.replace(
        "  fs.createReadStream('f').pipe(res);",
        "  let s = fs.createReadStream('f');\n  for (const f of steps) s = s.pipe(f());\n"
        "  s.pipe(res);",
    )
    assert not fixes_of(loop, "NLL501")  # only the last link of a chain built in a loop


def test_nll501_keeps_the_source_expression_verbatim() -> None:
    """`.on()` returns its emitter: the piped source is whatever the expression yields."""
    listener = PIPE_CJS.replace(".pipe(res)", ".on('open', f).pipe(res)")
    out = fixed_text(listener, rule="NLL501")
    assert "  pipeline(fs.createReadStream('f').on('open', f), res, (err) => {" in out


def test_nll501_fixes_a_chain_in_one_call() -> None:
    chain = PIPE_CJS.replace(".pipe(res)", ".pipe(zlib.createGzip()).pipe(res)")
    chain = "const zlib = require('zlib');\n" + chain
    assert "  pipeline(fs.createReadStream('f'), zlib.createGzip(), res, (err) => {" in (
        fixed_text(chain, rule="NLL501")
    )


# -- NLL602: release moved into finally ------------------------------------------------------

POOL = """const { Pool } = require('pg');
const pool = new Pool();
app.get('/u', async (req, res) => {
  const client = await pool.connect();
{body}
});
"""


def test_nll602_moves_the_release_into_finally() -> None:
    body = "  await client.query('update');\n  client.release();\n  res.end();"
    assert fixed_text(POOL.replace("{body}", body), rule="NLL602") == POOL.replace(
        "{body}",
        "  try {\n    await client.query('update');\n  } finally {\n    client.release();\n  }\n"
        "  res.end();",
    )


def test_nll602_takes_synchronous_uses_of_moved_declarations_along() -> None:
    body = "  const { rows } = await client.query('q');\n  client.release();\n  res.json(rows);"
    assert fixed_text(POOL.replace("{body}", body), rule="NLL602") == POOL.replace(
        "{body}",
        "  try {\n    const { rows } = await client.query('q');\n    res.json(rows);\n"
        "  } finally {\n    client.release();\n  }",
    )


def test_nll602_offers_no_fix_that_would_double_a_release_or_hold_across_awaits() -> None:
    twice = (
        "  const r = await client.query('q');\n  if (!r) { client.release(); return; }\n"
        "  client.release();\n  res.json(r);"
    )
    assert not fixes_of(POOL.replace("{body}", twice), "NLL602")
    later = "  const r = await client.query('q');\n  client.release();\n  await send(r);"
    assert not fixes_of(POOL.replace("{body}", later), "NLL602")
    hoisted = "  const r = await client.query('q');\n  client.release();\n  let last = r;"
    earlier = POOL.replace("{body}", hoisted).replace(
        "  const client = await", "  const show = () => last;\n  const client = await"
    )
    assert not fixes_of(earlier, "NLL602")  # `show` would no longer see `last`
    assert fixes_of(POOL.replace("{body}", hoisted), "NLL602")


# -- the annotated cases ---------------------------------------------------------------------


def _own(rule: Rule, report: FileReport) -> FileReport:
    return dataclasses.replace(report, findings=[f for f in report.findings if f.rule == rule.id])


@pytest.mark.parametrize(
    ("rule", "path"), CASE_FILES, ids=[f"{r.id}-{p.name}" for r, p in CASE_FILES]
)
def test_fixes_of_the_annotated_cases(rule: Rule, path: Path) -> None:
    """Each rule's fixes applied to its case file: the diff is pinned (a reviewed snapshot,
    ``NODELEAKLINT_UPDATE_SNAPSHOTS=1`` rewrites it), the fixed text parses as well as the
    original, every fixed finding is gone, and no rule reports more than before."""
    name = str(path.relative_to(ROOT))
    data = path.read_bytes()
    before = _check(name, data)
    fixable = [f for f in before.findings if f.rule == rule.id and f.fix is not None]
    snapshot = SNAPSHOTS / f"{rule.slug}-{path.name}.diff"
    if rule.id not in FIXING_RULES:
        assert not fixable, f"{rule.id} offers fixes: add it to FIXING_RULES"
        return
    assert fixable, f"{name} exercises no fix of {rule.id}"
    result = fix_file(
        name, name, data, _own(rule, before), lambda t: _own(rule, _check(name, t)), unsafe=True
    )
    assert result.applied == len(fixable)
    diff = unified_diff(result)
    if UPDATE:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(diff, encoding="utf-8")
    assert snapshot.exists(), f"no {snapshot.name}: run with NODELEAKLINT_UPDATE_SNAPSHOTS=1"
    assert snapshot.read_text(encoding="utf-8") == diff, f"{snapshot.name} changed"
    after = _check(name, result.fixed)
    errors = [n for n in after.notifications if n.kind is NotificationKind.PARSE_ERROR]
    assert len(errors) <= sum(
        1 for n in before.notifications if n.kind is NotificationKind.PARSE_ERROR
    )
    own_before = [f for f in before.findings if f.rule == rule.id]
    own_after = [f for f in after.findings if f.rule == rule.id]
    assert not [f for f in own_after if f.fix is not None]
    assert len(own_after) == len(own_before) - len(fixable), [f.message for f in own_after]
    for other in ALL_RULES:
        count = sum(1 for f in after.findings if f.rule == other.id)
        assert count <= sum(1 for f in before.findings if f.rule == other.id), other.id
