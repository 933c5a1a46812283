"""The project view and key cardinality (SPEC §1 *Key cardinality*, "Arguments reach
parameters", "In view"): what every caller in the project passes for a parameter bounds a
key taken from it, and a caller passing something else keeps the finding and is named;
a method called only from a method of another singleton that runs once runs once too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nodeleaklint import runner
from nodeleaklint.findings import Finding
from nodeleaklint.parsing import dialect_for_source, parse
from nodeleaklint.project.summary import FileSummary, summarize
from nodeleaklint.project.view import ProjectView
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.project_facts import ProjectFacts
from nodeleaklint.semantics.values import _named_at_most
from nodeleaklint.source import SourceFile

PROJECTS = Path(__file__).parent / "projects"


def findings(path: Path, context: bool = True) -> list[Finding]:
    result = runner.run([str(path)], project_context=context)
    assert not [n for n in result.all_notifications if n.kind.value == "internal-error"]
    return result.findings


def at(found: list[Finding], path: str, line: int) -> list[Finding]:
    return [f for f in found if f.path.replace("\\", "/").endswith(path) and f.span.line == line]


def whole(finding: Finding) -> str:
    return " ".join((finding.message, *finding.notes))


def summary_of(path: str, code: str) -> FileSummary:
    data = code.encode()
    dialect = dialect_for_source(path, data)
    assert dialect is not None
    return summarize(SemanticModel.build(SourceFile(path, data), parse(data, dialect), dialect))


def view_of(project: str) -> tuple[ProjectView, Path]:
    root = (PROJECTS / project / "src").resolve()
    files = sorted(p for p in root.rglob("*") if p.suffix in (".js", ".ts"))
    summaries = {str(p): summary_of(str(p), p.read_text()) for p in files}
    return ProjectView(summaries, {p: os.path.relpath(p, root) for p in summaries}), root


def test_keys_every_caller_in_the_project_passes_as_literals_are_a_small_fixed_set() -> None:
    found = findings(PROJECTS / "fixed-keys")
    # ``getRow('SELECT …')`` in routes/api.js, through ``stmt(query)`` in the file.
    assert at(found, "src/lib/statements.js", 11) == []
    # ``formats.register('date', DATE)`` and ``register(unit)`` over a literal list.
    assert at(found, "src/lib/formats.ts", 6) == []
    # One caller passes the request's query: kept, and the caller is named.
    [label] = at(found, "src/lib/labels.js", 6)
    assert label.rule == "NLL301"
    assert "`req.query.text` passed at `" in whole(label)
    assert "routes/api.js:19`" in whole(label)
    [tag] = at(found, "src/lib/tags.ts", 6)
    assert "`req.query.name` passed at `" in whole(tag)
    # Alone, the files cannot see their callers: all four are reported.
    alone = findings(PROJECTS / "fixed-keys" / "src" / "lib", context=False)
    for path, line in [
        ("src/lib/statements.js", 11),
        ("src/lib/formats.ts", 6),
        ("src/lib/labels.js", 6),
        ("src/lib/tags.ts", 6),
    ]:
        assert [f.rule for f in at(alone, path, line)] == ["NLL301"], path


def test_the_view_says_what_every_caller_passes() -> None:
    view, root = view_of("fixed-keys")
    statements = view.facts_for(str(root / "lib" / "statements.js")).keys
    assert statements == {
        "getRow": (
            (True, "fixed values passed by every caller (`routes/api.js:11`, `routes/api.js:15`)"),
            (False, "`[req.params.id]` passed at `routes/api.js:11`"),
        )
    }
    formats = view.facts_for(str(root / "lib" / "formats.ts")).keys
    assert [bounded for bounded, _why in formats["Formats.register"]] == [True, True]
    assert formats["Formats.lookup"] == ((False, "`req.params.name` passed at `routes/api.js:24`"),)
    assert view.facts_for(str(root / "routes" / "api.js")).keys == {}


@pytest.mark.parametrize(
    ("code", "keys"),
    [
        ("import { f } from './m';\nf('a', 1, null);", ("", "", "")),
        (
            "import { f } from './m';\nimport { Kind } from './k';\n"
            "const A = 'a';\nf(A, Kind.Ready, A.length);",
            ("", "", "A.length"),
        ),
        ("import { f } from './m';\nfor (const u of ['ms', 's']) f(u);", ("",)),
        ("import { f } from './m';\n['ms', 's'].forEach((u) => f(u));", ("",)),
        ("import { f } from './m';\nexport function g(x) { f(x, `${x}`); }", ("x", "'${x}'")),
        ("import { f } from './m';\nfunction g(xs) { f('a', ...xs, 'b'); }", ("", "...xs")),
        ("import { f } from './m';\nsetTimeout(f, 10);", None),
        ("import { f } from './m';\nexport const handlers = { f };", None),
        ("import { C } from './m';\nnew C('a');", None),
    ],
)
def test_a_summary_says_which_arguments_are_fixed(code: str, keys: tuple[str, ...] | None) -> None:
    summary = summary_of("a.js", code)
    [call] = [c for c in summary.calls if c.name in ("f", "C")]
    assert call.keys == keys
    again = FileSummary.from_data(summary.to_data())
    assert again is not None and [c.keys for c in again.calls] == [c.keys for c in summary.calls]


def test_project_facts_keep_their_keys_through_the_cache_key() -> None:
    facts = ProjectFacts(keys={"f": ((True, "fixed"), (False, "`x` passed at `a.js:1`"))})
    assert ProjectFacts.from_key(facts.key()).keys == facts.keys
    assert facts.only_lowers()  # a finding is only ever removed or explained


def test_a_key_the_file_itself_passes_as_literals_is_bounded_without_the_view(
    tmp_path: Path,
) -> None:
    code = (
        "const cache = {};\n"
        "function stmt(sql) {\n"
        "  if (!(sql in cache)) cache[sql] = { sql };\n"
        "  return cache[sql];\n"
        "}\n"
        "require('http').createServer((req, res) => res.end(stmt('SELECT 1').sql)).listen(1);\n"
    )
    (tmp_path / "a.js").write_text(code)
    assert [f.rule for f in findings(tmp_path / "a.js", context=False)] == []
    (tmp_path / "a.js").write_text(code.replace("stmt('SELECT 1')", "stmt(req.url)"))
    assert [f.rule for f in findings(tmp_path / "a.js", context=False)] == ["NLL301"]


def test_a_method_called_from_a_method_of_another_singleton_that_runs_once_runs_once() -> None:
    found = findings(PROJECTS / "chained-startup")
    # ``twitchAuth.registerProviders()`` at main.ts's top level calls
    # ``authManager.registerProvider(…)``: start-up code, once.
    assert at(found, "src/auth/auth-manager.ts", 10) == []
    # ``chatAuth.refresh(…)`` runs per request, and with it ``tokenStore.remember(…)``.
    [kept] = at(found, "src/auth/token-store.ts", 6)
    assert kept.rule == "NLL301"
    alone = findings(PROJECTS / "chained-startup" / "src" / "auth", context=False)
    assert [f.rule for f in at(alone, "src/auth/auth-manager.ts", 10)] == ["NLL301"]


def test_the_view_follows_methods_that_run_once() -> None:
    view, root = view_of("chained-startup")
    twitch = view.summaries[str(root / "twitch" / "twitch-auth.ts")]
    assert {c.via_method for c in twitch.calls if c.member == "registerProvider"} == {
        "TwitchAuth.registerProviders"
    }
    facts = view.facts_for(str(root / "auth" / "auth-manager.ts"))
    assert facts.once_methods == {
        "AuthManager.registerProvider": "called only from start-up code at "
        "`twitch/twitch-auth.ts:9` (in `TwitchAuth.registerProviders`, which runs once), "
        "`twitch/twitch-auth.ts:10` (in `TwitchAuth.registerProviders`, which runs once)"
    }
    assert view.facts_for(str(root / "auth" / "token-store.ts")).once_methods == {}


def test_a_method_its_own_file_names_is_not_followed() -> None:
    # ``this.registerProviders()`` in the file: its own calls would decide how often the
    # method runs, so a call in it does not name it.
    code = (
        "import m from './m';\n"
        "class A {\n"
        "  go() { m.add(1); }\n"
        "  again() { this.go(); }\n"
        "}\n"
        "const a = new A();\n"
        "export = a;\n"
    )
    [call] = summary_of("a.ts", code).calls
    assert call.via_method is None
    assert summary_of("a.ts", code.replace("this.go()", "1")).calls[0].via_method == "A.go"


def _model(path: str, code: str) -> SemanticModel:
    data = code.encode()
    dialect = dialect_for_source(path, data)
    assert dialect is not None
    return SemanticModel.build(SourceFile(path, data), parse(data, dialect), dialect)


@pytest.mark.parametrize(
    ("code", "alone"),
    [
        # ``ipcMain.on`` is a member of another module's object, not of this instance.
        ("import { ipcMain } from 'electron';\nipcMain.on('x', () => 1);\n", True),
        ("const { ipcMain } = require('electron');\nipcMain.on('x', () => 1);\n", True),
        # A local object of this file may be this class's instance.
        ("const other = make();\nother.on('x', () => 1);\n", False),
        # Nothing else names it (and below: ``this[name]()`` in the class may call it).
        ("", True),
    ],
)
def test_a_method_is_named_only_where_it_is_called(code: str, alone: bool) -> None:
    source = code + "class C {\n  on(name: string): void {}\n  go(): void { this.on('a'); }\n}\n"
    model = _model("a.ts", source)
    [info] = model.classes
    assert _named_at_most(model, "on", 1, info.node) is alone
    dynamic = source.replace("this.on('a')", "this.on('a'); this[name]()")
    model = _model("a.ts", dynamic)
    assert _named_at_most(model, "on", 1, model.classes[0].node) is False
