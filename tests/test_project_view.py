"""The project view (SPEC §1 "In view"): how often a file's exports run is learned from
their callers in other files, across CJS, ESM, TypeScript ``paths``, workspaces and cycles."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nodeleaklint import runner
from nodeleaklint.cache import ResultCache
from nodeleaklint.findings import Confidence, Finding
from nodeleaklint.parsing import dialect_for_source, parse
from nodeleaklint.project import linked
from nodeleaklint.project.resolve import Resolver
from nodeleaklint.project.summary import FileSummary, summarize
from nodeleaklint.project.view import ProjectView
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.project_facts import ProjectFacts
from nodeleaklint.source import SourceFile

PROJECTS = Path(__file__).parent / "projects"


def findings(*paths: Path, cache: Path | None = None, context: bool = True) -> list[Finding]:
    result = runner.run([str(p) for p in paths], cache_dir=cache, project_context=context)
    assert not [n for n in result.all_notifications if n.kind.value == "internal-error"]
    return result.findings


def whole(finding: Finding) -> str:
    """The finding's whole explanation: its headline and its notes (SPEC §3)."""
    return " ".join((finding.message, *finding.notes))


def at(found: list[Finding], path: str, line: int) -> list[Finding]:
    return [f for f in found if f.path.replace("\\", "/").endswith(path) and f.span.line == line]


def test_a_helper_called_per_request_in_another_file_is_a_high_finding() -> None:
    found = findings(PROJECTS / "cjs")
    [listener] = at(found, "src/metrics.js", 5)
    assert listener.rule == "NLL101" and listener.confidence is Confidence.HIGH
    assert "src/routes/feed.js:5`" in whole(listener)
    assert "router.get('/feed')" in whole(listener)


def test_a_helper_called_once_at_start_up_is_not_reported() -> None:
    found = findings(PROJECTS / "cjs")
    # ``logTicks`` runs once from server.js; the test calling it in a loop is not a caller.
    assert at(found, "src/metrics.js", 10) == []


def test_a_file_named_alone_is_judged_with_the_rest_of_its_project(tmp_path: Path) -> None:
    # A pre-commit hook names the changed files: the project around them is in view through
    # the summaries a run over the project left in the cache (nothing else is parsed).
    metrics = PROJECTS / "cjs" / "src" / "metrics.js"
    cache = tmp_path / "cache"
    assert [f.confidence for f in findings(metrics, cache=cache)] == [Confidence.MEDIUM] * 2
    findings(PROJECTS / "cjs", cache=cache)
    [listener] = findings(metrics, cache=cache)
    assert listener.span.line == 5 and listener.confidence is Confidence.HIGH


def test_an_editor_buffer_on_stdin_is_judged_with_the_rest_of_its_project(
    tmp_path: Path, linkings: list[int]
) -> None:
    metrics = PROJECTS / "cjs" / "src" / "metrics.js"
    cache = tmp_path / "cache"
    text = metrics.read_bytes()

    def from_stdin(data: bytes) -> list[Finding]:
        result = runner.run([], stdin=data, stdin_filename=str(metrics), cache_dir=cache)
        return result.findings

    assert [f.confidence for f in from_stdin(text)] == [Confidence.MEDIUM] * 2  # no summaries
    findings(PROJECTS / "cjs", cache=cache)
    assert linkings == [5]
    [listener] = from_stdin(text + b"// unsaved\n")
    assert listener.span.line == 5 and listener.confidence is Confidence.HIGH
    assert linkings == [5]  # the buffer's summary is the saved file's: nothing linked
    [listener] = from_stdin(b"// unsaved\n" + text)
    assert listener.span.line == 6 and listener.confidence is Confidence.HIGH
    assert linkings == [5, 5]
    assert len(list(cache.rglob("views/*.json"))) == 1  # an unsaved buffer's is not kept


def test_the_caller_in_another_file_is_a_related_location_in_every_format(tmp_path: Path) -> None:
    [finding] = findings(PROJECTS / "cjs")
    place = [r for r in finding.related if r.path is not None]
    assert [(Path(r.path or "").name, r.span.line) for r in place] == [("feed.js", 5)]
    assert place[0].message.startswith("called from here, a callback registered with")
    sarif = json.loads(cli_output("--format", "sarif", str(PROJECTS / "cjs")))
    [result] = sarif["runs"][0]["results"]
    uris = [r["physicalLocation"]["artifactLocation"]["uri"] for r in result["relatedLocations"]]
    assert uris[-1].endswith("src/routes/feed.js") and uris[0].endswith("src/metrics.js")
    as_json = json.loads(cli_output("--format", "json", str(PROJECTS / "cjs")))
    assert as_json[0]["related"][-1]["path"].endswith("routes/feed.js")
    cache = tmp_path / "cache"
    assert findings(PROJECTS / "cjs", cache=cache) == findings(PROJECTS / "cjs", cache=cache)


def cli_output(*arguments: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "nodeleaklint", "check", "--no-cache", "--exit-zero", *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_the_file_alone_still_guesses_medium_for_both() -> None:
    found = findings(PROJECTS / "cjs" / "src" / "metrics.js", context=False)
    assert [(f.span.line, f.confidence) for f in found] == [
        (5, Confidence.MEDIUM),
        (10, Confidence.MEDIUM),
    ]
    assert all("may run any number of times" in whole(f) for f in found)


def test_esm_re_exports_namespaces_and_default_exports_are_followed() -> None:
    found = findings(PROJECTS / "esm")
    [track] = at(found, "src/lib/track.js", 6)
    assert track.confidence is Confidence.HIGH and "src/app.js:8`" in whole(track)
    # ``export { default as warmUp }``, called once at the top of app.js.
    assert at(found, "src/lib/track.js", 10) == []


def test_typescript_paths_from_a_tsconfig_with_comments_are_resolved() -> None:
    found = findings(PROJECTS / "ts-paths")
    [interval] = at(found, "src/infra/clock.ts", 2)
    assert interval.rule == "NLL201" and interval.confidence is Confidence.HIGH
    assert "src/app/main.ts:12`" in whole(interval)


def test_a_workspace_package_imported_by_name_is_in_view() -> None:
    found = findings(PROJECTS / "monorepo")
    [listener] = at(found, "packages/core/src/watch.js", 2)
    assert listener.confidence is Confidence.HIGH
    assert "packages/api/src/server.js:4`" in whole(listener)


def test_modules_that_import_each_other_settle() -> None:
    # ``a.listen`` is called only from ``b.start``, which a.js calls once at its top level.
    assert findings(PROJECTS / "cycles") == []


def test_editing_a_caller_rechecks_the_callee_from_the_cache(
    tmp_path: Path, checked: list[str]
) -> None:
    project = tmp_path / "cjs"
    shutil.copytree(PROJECTS / "cjs", project)
    cache = tmp_path / "cache"
    assert at(findings(project, cache=cache), "src/metrics.js", 5)
    checked.clear()
    assert at(findings(project, cache=cache), "src/metrics.js", 5)
    assert checked == []  # everything, project view included, from the cache
    feed = project / "src" / "routes" / "feed.js"
    feed.write_text(
        "const metrics = require('../metrics');\nmetrics.attachMetrics(process.stdout);\n",
        encoding="utf-8",
    )
    found = findings(project, cache=cache)
    assert at(found, "src/metrics.js", 5) == []  # now called once, at start-up
    assert sorted(checked) == ["feed.js", "metrics.js"]  # the edited file and its callee


@pytest.fixture
def linkings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many files each linking of the project view read (one item per linking)."""
    done: list[int] = []
    real = linked.link

    def counting(summaries: Any, *args: Any) -> Any:
        done.append(len(summaries))
        return real(summaries, *args)

    monkeypatch.setattr(linked, "link", counting)
    return done


def test_a_cached_re_run_neither_links_nor_reads_a_summary(
    tmp_path: Path, checked: list[str], linkings: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "cjs"
    shutil.copytree(PROJECTS / "cjs", project)
    cache = tmp_path / "cache"
    first = findings(project, cache=cache)
    assert at(first, "src/metrics.js", 5) and linkings == [5]
    read: list[str] = []
    real = ResultCache.get_summary
    monkeypatch.setattr(
        ResultCache, "get_summary", lambda self, key: read.append(key) or real(self, key)
    )
    checked.clear()
    assert findings(project, cache=cache) == first
    assert (checked, linkings, read) == ([], [5], [])


def test_an_edit_that_changes_no_summary_keeps_the_linked_view(
    tmp_path: Path, checked: list[str], linkings: list[int]
) -> None:
    project = tmp_path / "cjs"
    shutil.copytree(PROJECTS / "cjs", project)
    cache = tmp_path / "cache"
    first = findings(project, cache=cache)
    feed = project / "src" / "routes" / "feed.js"
    feed.write_text(feed.read_text(encoding="utf-8") + "// a comment at the end\n", "utf-8")
    checked.clear()
    assert findings(project, cache=cache) == first
    # Only the edited file is checked (alone, then with what the view says of it), and the
    # view is not linked again: its summary is the same (an early cut-off).
    assert set(checked) == {"feed.js"} and linkings == [5]
    feed.write_text("// a line above every call\n" + feed.read_text(encoding="utf-8"), "utf-8")
    assert at(findings(project, cache=cache), "src/metrics.js", 5)
    assert linkings == [5, 5]  # the calls moved: linked again


def test_a_changed_manifest_links_the_project_again(tmp_path: Path, linkings: list[int]) -> None:
    project = tmp_path / "cjs"
    shutil.copytree(PROJECTS / "cjs", project)
    cache = tmp_path / "cache"
    findings(project, cache=cache)
    manifest = project / "package.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("{", '{"x": 1,', 1), "utf-8")
    findings(project, cache=cache)
    assert linkings == [5, 5]
    (project / "src" / "routes" / "package.json").write_text("{}", encoding="utf-8")
    findings(project, cache=cache)  # a manifest where there was none
    assert linkings == [5, 5, 5]


def test_summaries_the_cache_lost_are_made_again_when_linking(
    tmp_path: Path, linkings: list[int]
) -> None:
    project = tmp_path / "cjs"
    shutil.copytree(PROJECTS / "cjs", project)
    cache = tmp_path / "cache"
    first = findings(project, cache=cache)
    for kept in [*cache.rglob("views/*.json"), *cache.rglob("summaries/*.json")]:
        kept.write_text("garbage", encoding="utf-8")
    assert findings(project, cache=cache) == first
    assert linkings == [5, 5]


def test_a_damaged_linked_view_is_linked_again(tmp_path: Path, linkings: list[int]) -> None:
    project = tmp_path / "cjs"
    shutil.copytree(PROJECTS / "cjs", project)
    cache = tmp_path / "cache"
    first = findings(project, cache=cache)
    for kept in cache.rglob("views/*.json"):
        kept.write_text('{"probes": {}, "facts": {"x": "[1]"}}', encoding="utf-8")
    assert findings(project, cache=cache) == first
    assert linkings == [5, 5]


def summary_of(path: str, code: str) -> FileSummary:
    data = code.encode()
    dialect = dialect_for_source(path, data)
    assert dialect is not None
    return summarize(SemanticModel.build(SourceFile(path, data), parse(data, dialect), dialect))


@pytest.mark.parametrize(
    ("code", "exported"),
    [
        ("module.exports = function () {};", {"default": True}),
        ("module.exports = { a, b: () => 1, c() {} }; function a() {}", {"a", "b", "c"}),
        ("exports.run = function run() {}; module.exports.stop = () => {};", {"run", "stop"}),
        ("export function f() {}\nexport const g = () => 1, n = 2;", {"f", "g", "n"}),
        ("export default () => {};", {"default": True}),
        ("function h() {}\nexport { h as handler };", {"handler"}),
        ("export { x as y } from './x';\nexport * from './z';", {"y", "*"}),
    ],
)
def test_summaries_name_every_form_of_export(code: str, exported: Any) -> None:
    summary = summary_of("m.mjs" if "export " in code else "m.js", code)
    assert set(summary.exports) == set(exported)
    if isinstance(exported, dict):
        assert {name: fact.function for name, fact in summary.exports.items()} == exported


def test_summaries_record_calls_of_imports_with_how_often_they_run() -> None:
    summary = summary_of(
        "m.js",
        "const { a } = require('./a');\nconst ns = require('./b');\n"
        "a();\napp.get('/x', (req, res) => ns.f(req));\nexports.g = () => a();\n",
    )
    calls = {(c.source, c.name, c.member, c.line): c for c in summary.calls}
    assert calls[("./a", "a", None, 3)].repetition.name == "ONCE"
    per_request = calls[("./b", "*", "f", 4)]
    assert per_request.repetition.name == "REPEATING" and per_request.driven
    assert calls[("./a", "a", None, 5)].via == "g"  # decided by the callers of ``g``
    assert FileSummary.from_data(summary.to_data()) == summary


def test_a_latch_makes_a_call_run_once_only_while_its_flag_lives() -> None:
    summary = summary_of(
        "m.js",
        "const { make } = require('./a');\nlet cache;\n"
        "exports.get = () => { if (!cache) cache = make(); return cache; };\n"
        "exports.each = () => {\n  let conn;\n"
        "  const use = () => { if (!conn) conn = make(); return conn; };\n  return use();\n};\n",
    )
    calls = {c.line: c for c in summary.calls}
    assert calls[3].repetition.name == "ONCE"  # a module-level slot: once for good
    # a local slot is made anew by each run of ``each``: once per run of it
    assert calls[6].repetition.name != "ONCE"


def test_a_damaged_summary_is_a_miss() -> None:
    assert FileSummary.from_data({"v": 1, "exports": {"a": [1]}, "calls": []}) is None
    assert FileSummary.from_data("garbage") is None


def test_resolution_follows_node_and_typescript(tmp_path: Path) -> None:
    files = {
        "src/a.ts": "",
        "src/lib/index.js": "",
        "pkg/package.json": '{"main": "./main.js"}',
        "pkg/main.js": "",
        "tsconfig.json": '{ "compilerOptions": { /* x */ "paths": { "~/*": ["src/*"], } } }',
    }
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    sources = [str(tmp_path / n) for n in files if not n.endswith(".json")]
    resolver = Resolver(sources)
    importer = str(tmp_path / "src" / "x.js")
    assert resolver.resolve("./a.js", importer) == str(tmp_path / "src/a.ts")
    assert resolver.resolve("./lib", importer) == str(tmp_path / "src/lib/index.js")
    assert resolver.resolve("../pkg", importer) == str(tmp_path / "pkg/main.js")
    assert resolver.resolve("~/a", importer) == str(tmp_path / "src/a.ts")
    assert resolver.resolve("express", importer) is None
    assert resolver.resolve("node:fs", importer) is None
    assert str(tmp_path / "pkg/main.js") in resolver.entry_points()


def test_a_class_whose_one_instance_another_module_exports_lives_for_the_process() -> None:
    found = findings(PROJECTS / "singleton")
    [tokens] = at(found, "src/token-book.js", 11)
    assert tokens.rule == "NLL301" and tokens.confidence is Confidence.HIGH
    assert "created at start-up, in `" in whole(tokens) and "src/tokens.js:3`" in whole(tokens)
    assert "src/routes.js:9`" in whole(tokens)  # the method runs per request, over there


def test_a_class_each_request_builds_for_itself_is_not_reported() -> None:
    assert at(findings(PROJECTS / "singleton"), "src/scratch.js", 10) == []
    alone = findings(PROJECTS / "singleton" / "src" / "scratch.js", context=False)
    assert [f.confidence for f in alone] == [Confidence.MEDIUM]  # the file alone guesses


def test_shards_split_the_findings_of_one_project_and_keep_its_view() -> None:
    whole = {
        (f.path, f.span, f.message) for f in findings(PROJECTS / "singleton", PROJECTS / "cjs")
    }
    parts = [
        {
            (f.path, f.span, f.message)
            for f in runner.run(
                [str(PROJECTS / "singleton"), str(PROJECTS / "cjs")], shard=(k, 3)
            ).findings
        }
        for k in (1, 2, 3)
    ]
    assert set().union(*parts) == whole and sum(map(len, parts)) == len(whole)
    assert len(whole) == 2  # both need files of another slice in view to be found


def test_each_shard_uploads_under_its_own_category() -> None:
    from click.testing import CliRunner

    from nodeleaklint.cli import cli

    result = CliRunner().invoke(
        cli, ["check", "--no-cache", "--format", "sarif", "--shard", "2/3", str(PROJECTS / "cjs")]
    )
    assert '"id": "nodeleaklint-shard-2-of-3/"' in result.stdout
    bad = CliRunner().invoke(cli, ["check", "--shard", "4/3", str(PROJECTS / "cjs")])
    assert bad.exit_code == 2 and "1 <= K <= N" in bad.output


def test_arguments_reach_parameters_across_files() -> None:
    found = findings(PROJECTS / "params")
    [watch] = at(found, "src/watch.js", 3)
    assert watch.confidence is Confidence.HIGH
    assert "which its callers give the module-level `settings`" in whole(watch)
    assert "`http.createServer(…)`" in whole(watch)  # a chain over lines, shown on one
    assert at(found, "src/watch.js", 7) == []  # ``follow`` is given the request itself
    assert findings(PROJECTS / "params" / "src" / "watch.js", context=False) == []


def test_a_function_also_passed_around_is_not_taken_to_run_once() -> None:
    [listener] = findings(PROJECTS / "stored")
    assert listener.confidence is Confidence.MEDIUM and listener.span.line == 8


def test_a_shared_map_grown_per_connection_and_shrunk_nowhere_in_the_project() -> None:
    found = findings(PROJECTS / "registry")
    [sockets] = at(found, "src/server.js", 8)
    assert sockets.rule == "NLL301" and sockets.confidence is Confidence.MEDIUM
    assert "The imported `sockets` of `" in whole(sockets)
    assert "Nothing in this project deletes" in whole(sockets)
    assert at(found, "src/server.js", 9) == []  # ``rooms`` is pruned in cleanup.js
    assert findings(PROJECTS / "registry" / "src" / "server.js", context=False) == []


def test_a_raised_limit_is_high_when_another_file_adds_listeners_per_request() -> None:
    express = Path(__file__).parent.parent / "examples" / "express-api"
    [raised] = [f for f in findings(express) if f.rule == "NLL102"]
    assert raised.confidence is Confidence.HIGH
    [elsewhere] = [n for n in raised.notes if n.startswith("Another file of the project")]
    assert "src/routes/orders.js:26`" in elsewhere
    alone = findings(express / "src" / "events.js", context=False)
    assert [f.confidence for f in alone if f.rule == "NLL102"] == [Confidence.MEDIUM]


def test_what_a_function_of_another_file_returns_keeps_its_lifetime() -> None:
    # ``registry.getEmitter()`` returns an entry of a module-level registry: a field holding
    # it is that process-wide emitter, and a listener added to it per instance stays.
    project = PROJECTS / "returns"
    listener = project / "src" / "listener.js"
    [found] = [f for f in findings(project) if f.rule == "NLL101"]
    assert found.path.endswith("listener.js") and found.span.line == 12
    assert "what `registry.getEmitter()` returns" in whole(found)
    assert "(in `" in whole(found) and "emitters.js`)" in whole(found)
    # The file alone cannot tell what the call returns; a fresh emitter is not shared.
    assert [f for f in findings(listener, context=False) if f.rule == "NLL101"] == []


def test_a_listener_added_through_a_registrar_of_another_file_is_judged_at_the_call() -> None:
    # ``bus.js`` exports subscribe(fn) / unsubscribe(fn) over a module-level emitter: the
    # caller owns the listener, so the calls are judged — the server hands its listener to
    # unsubscribe when the request closes, the watcher keeps the disposer watch returns, the
    # feed (run per request from the server) never removes its listener.
    project = PROJECTS / "registrar"
    found = [f for f in findings(project) if f.rule == "NLL101"]
    assert [(Path(f.path).name, f.span.line) for f in found] == [("feed.js", 4)]
    [feed] = found
    assert feed.confidence is Confidence.HIGH
    assert "`events.subscribe(…)`" in feed.message and "(in `" in whole(feed)
    added = feed.related[0]
    assert (Path(added.path or "").name, added.span.line) == ("bus.js", 7)
    # The file alone cannot tell what subscribe does.
    alone = findings(project / "src" / "feed.js", context=False)
    assert [f for f in alone if f.rule == "NLL101"] == []


def test_a_function_registered_as_a_callback_gets_nothing_from_the_registering_call(
    tmp_path: Path,
) -> None:
    # ``io.use(middleware)`` hands the middleware to socket.io, which calls it per connection
    # with that connection's socket: the arguments of ``io.use`` (the imported middleware,
    # process-lived) are not what its parameters receive.
    (tmp_path / "package.json").write_text('{"name": "app"}', "utf-8")
    (tmp_path / "server.ts").write_text(
        "import { Server } from 'socket.io';\n"
        "import { middleware } from './middleware';\n"
        "const io = new Server(8080);\n"
        "io.use(middleware);\n",
        encoding="utf-8",
    )
    (tmp_path / "middleware.ts").write_text(
        "export function middleware(socket: any, next: () => void) {\n"
        "  socket.on('error', (err: Error) => console.error(err));\n"
        "  next();\n"
        "}\n",
        encoding="utf-8",
    )
    assert [f for f in findings(tmp_path) if f.rule == "NLL101"] == []


def test_a_call_behind_a_lazy_initialisation_latch_runs_once(tmp_path: Path) -> None:
    project = tmp_path / "lazy"
    shutil.copytree(PROJECTS / "lazy", project)
    [listener] = findings(project)  # ``fresh`` makes a cache per request
    assert listener.confidence is Confidence.HIGH and listener.span.line == 8
    routes = project / "src" / "routes.js"
    lazy_only = routes.read_text(encoding="utf-8").split("// Per request, and a cache")[0]
    routes.write_text(lazy_only, encoding="utf-8")
    assert findings(project) == []  # ``if (!cache) cache = createCache(…)``: made once


def test_a_stream_made_by_a_helper_in_another_file_is_a_stream_here() -> None:
    project = PROJECTS / "streams"
    [pipe] = findings(project)
    assert pipe.rule == "NLL501" and at([pipe], "src/export.js", 7)
    assert "returns `mapStream(describe)` and leaves `query` open" in pipe.message
    assert "a `Transform` stream" in whole(pipe)
    # The file alone cannot tell what ``mapStream`` makes: nothing to report.
    assert findings(project / "src" / "export.js", context=False) == []


def test_a_client_owned_by_a_class_of_another_file_is_closed_on_every_path() -> None:
    # ``Db`` keeps the MongoClient its methods open in a field that ``destroy()`` closes:
    # every ``new Db()`` in another file is a client its owner must destroy.
    project = PROJECTS / "handed"
    found = [f for f in findings(project) if f.rule == "NLL602"]
    [never] = at(found, "src/acl.js", 5)
    assert never.confidence is Confidence.MEDIUM
    assert never.message.startswith("`new Db()` holds a `MongoClient` (in `db.js`)")
    assert "`destroy()` closes; this function returns without calling it" in never.message
    [early] = at(found, "src/acl.js", 24)
    assert "the `return` at line 33 leaves without calling it" in early.message
    assert at(found, "src/acl.js", 14) == []  # destroyed in a `finally`
    # ``new SharedDb()`` returns the one instance its constructor keeps: nothing to close.
    assert [f.span.line for f in found if f.path.endswith("acl.js")] == [5, 24]
    # ``openBrowser()`` launches a browser for its caller; the page dies with it, so the
    # browser is reported, not the page. ``sharedBrowser()`` hands out one shared browser.
    [browser] = at(found, "src/render.js", 4)
    assert "`openBrowser()` returns a browser (in `browser.js`) that `close()` closes" in (
        browser.message
    )
    assert at(found, "src/render.js", 5) == []
    assert [f.span.line for f in found if f.path.endswith("render.js")] == [4]
    # The files alone cannot tell what ``new Db()`` or ``openBrowser()`` hold.
    alone = findings(project / "src" / "acl.js", project / "src" / "render.js", context=False)
    assert not [f for f in alone if "(in `" in f.message]
    # Alone, only the file's own pairs speak: two of three ``new Db()`` results are destroyed.
    assert [(f.span.line, "unlike 2 other" in f.message) for f in at(alone, "acl.js", 5)] == [
        (5, True)
    ]
    assert at(alone, "acl.js", 24) == [] and at(alone, "render.js", 4) == []


def test_a_typescript_store_owning_a_pool_through_tsconfig_paths() -> None:
    project = PROJECTS / "handed-ts"
    found = [f for f in findings(project) if f.rule == "NLL602"]
    assert [(f.span.line, f.confidence) for f in found] == [
        (7, Confidence.MEDIUM),
        (12, Confidence.MEDIUM),
    ]
    opened, returned = found
    assert "`new Store(…)` opens a `Pool` (in `store.ts`) that `close()` closes" in opened.message
    assert "`openStore(…)` returns a `Store` holding a `Pool`" in returned.message
    assert "the `return` at line 16 leaves without calling `close()`" in returned.message
    assert "The function (in `" in whole(returned) and "store.ts`) returns" in whole(returned)
    # ``Holder`` closes a pool it is given, not one it creates: nothing to hand over.


def test_summaries_record_what_callers_must_close() -> None:
    source = (
        "const { MongoClient } = require('mongodb');\n"
        "class Db {\n"
        "  async connect() { this.client = await MongoClient.connect(this.url); }\n"
        "  async destroy() { await this.client.close(); }\n"
        "}\n"
        "class Keeper {\n"
        "  constructor() { this.client = new MongoClient('x'); }\n"
        "}\n"
        "class Single {\n"
        "  constructor() { if (Single.one) return Single.one; Single.one = this; }\n"
        "  async connect() { this.client = await MongoClient.connect(this.url); }\n"
        "  async destroy() { await this.client.close(); }\n"
        "}\n"
        "function open() { return new MongoClient('x'); }\n"
        "function shared() { return cached; }\n"
        "module.exports = { Db, Keeper, Single, open, shared };\n"
    )
    summary = summary_of("db.js", source)
    assert summary.exports["Db"].resource == ("new", "a `MongoClient`", ("destroy",), True)
    assert summary.exports["Keeper"].resource is None  # nothing closes the field
    assert summary.exports["Single"].resource is None  # ``new Single()`` may be the old one
    how, words, releases, lazy = summary.exports["open"].resource or ("", "", (), True)
    assert (how, words, lazy) == ("call", "a `MongoClient`", False) and "close" in releases
    assert summary.exports["shared"].resource is None
    assert FileSummary.from_data(summary.to_data()) == summary
    es5 = summary_of(
        "db5.js",
        "const { MongoClient } = require('mongodb');\n"
        "function Db(url) { this.client = new MongoClient(url); }\n"
        "Db.prototype.close = function () { return this.client.close(); };\n"
        "module.exports = Db;\n",
    )
    assert es5.exports["default"].resource == ("new", "a `MongoClient`", ("close",), False)
    # A ``reconnect()`` that closes the client and makes a new one is not its teardown.
    reconnects = summary_of(
        "r.js",
        "const { MongoClient } = require('mongodb');\n"
        "class R {\n"
        "  constructor(url) { this.client = new MongoClient(url); }\n"
        "  async reconnect() { await this.client.close(); this.client = new MongoClient(''); }\n"
        "}\n"
        "module.exports = { R };\n",
    )
    assert reconnects.exports["R"].resource is None


def test_facts_about_handed_clients_survive_the_cache_and_can_add_findings() -> None:
    facts = ProjectFacts(
        resources={"db.Db": ("new", "a `MongoClient`", ("destroy",), True, "db.js")}
    )
    assert facts and ProjectFacts.from_key(facts.key()) == facts
    # A file with no findings must be checked again with them: they can add one.
    assert not facts.only_lowers()
    assert ProjectFacts().key() != facts.key()


def test_a_module_required_inside_a_function_or_block_is_linked_like_an_import() -> None:
    # ``const routing = require('./routing')`` inside start(), and ``const { runAPI } =
    # require('./api')`` inside an if block at the top level: both run once, so the listener
    # and the interval they add at start-up are not reported; ``track`` required inside a
    # request handler runs per request, and its listener is (with the handler named).
    found = findings(PROJECTS / "local-require")
    assert at(found, "src/routing.js", 3) == []
    assert at(found, "src/api.js", 3) == []
    [listener] = at(found, "src/track.js", 3)
    assert listener.rule == "NLL101" and listener.confidence is Confidence.HIGH
    assert "src/main.js:16" in whole(listener)


def test_a_transport_added_per_call_to_a_logger_another_file_makes_stays_on_it() -> None:
    # ``lib/logger.ts`` exports ``winston.createLogger(…)``; the scraper adds a transport per
    # call to a child of it (a child shares its parent's transports) and never removes it.
    project = PROJECTS / "transports"
    [added] = findings(project)
    assert added.rule == "NLL101" and at([added], "src/scraper/scrape.ts", 6)
    assert added.confidence is Confidence.MEDIUM
    assert "the winston logger `logger`" in whole(added)
    assert "shares the transports of its parent" in whole(added)
    # The file alone cannot tell what ``logger`` is: nothing to report.
    assert findings(project / "src" / "scraper" / "scrape.ts", context=False) == []


def test_summaries_record_an_exported_object_a_library_made() -> None:
    code = (
        "import * as winston from 'winston';\n"
        "export const logger = winston.createLogger({});\n"
        "const audit = winston.createLogger({});\n"
        "export { audit };\n"
        "export const cache = new Set();\n"
    )
    source = SourceFile("logger.ts", code.encode())
    dialect = dialect_for_source("logger.ts", b"")
    assert dialect is not None
    summary = summarize(SemanticModel.build(source, parse(source.data, dialect), dialect))
    assert summary.exports["logger"].library == "winston"
    assert summary.exports["audit"].library == "winston"
    assert summary.exports["cache"].library is None
    again = FileSummary.from_data(summary.to_data())
    assert again is not None and again.exports["logger"].library == "winston"
    facts = ProjectFacts(libraries={"logger": "winston"})
    assert ProjectFacts.from_key(facts.key()) == facts and not facts.only_lowers()


def test_a_shrink_in_a_method_no_file_of_the_project_calls_is_no_cleanup() -> None:
    # ``purge`` (a prototype method) and ``clearJobs`` (a factory's closure) hold the only
    # shrink of their collection, and only the tests call them (SPEC §1 *Cleanup is
    # verified*): nothing that runs in production removes an entry.
    project = PROJECTS / "uncalled"
    found = [f for f in findings(project) if f.rule == "NLL301"]
    [sessions] = at(found, "src/sessions.js", 8)
    assert sessions.confidence is Confidence.MEDIUM
    assert "is in `purge()`, which only tests call (`" in whole(sessions)
    assert "sessions.test.js`)" in whole(sessions)
    [jobs] = at(found, "src/jobs.js", 6)
    assert "`jobs.clear()`, is in `clearJobs()`" in whole(jobs)
    assert "made once: `createJobBoard` is called only from code that runs once" in whole(jobs)
    # ``release`` and ``forget`` are called by the server: their shrinks are cleanup. No
    # file in view names ``Registry.register``: its growth is not seen to run.
    assert [f.path.replace("\\", "/").rsplit("/", 2)[-2:] for f in found] == [
        ["src", "jobs.js"],
        ["src", "sessions.js"],
    ]
    # Alone, a file cannot tell that nothing calls the method: no finding.
    assert findings(project / "src" / "sessions.js", context=False) == []


def test_a_method_named_by_another_file_is_taken_to_run(tmp_path: Path) -> None:
    project = tmp_path / "uncalled"
    shutil.copytree(PROJECTS / "uncalled", project)
    server = project / "src" / "server.js"
    text = server.read_text()
    server.write_text(text.replace("res.on('finish'", "sessions.purge(id);\n    res.on('finish'"))
    found = [f for f in findings(project) if f.rule == "NLL301"]
    assert at(found, "src/sessions.js", 8) == []
    assert len(at(found, "src/jobs.js", 6)) == 1


def test_a_file_loaded_with_a_computed_path_counts_as_imported() -> None:
    from nodeleaklint.project.view import _ends_with

    assert _ends_with("/app/include/session/session.js", "/include/session/session.js")
    assert _ends_with("/app/include/session/session.js", "/include/session/session")
    assert not _ends_with("/app/include/session/session.js", "/include/session.js")


def test_the_summary_lists_shrinking_methods_its_own_file_never_names() -> None:
    text = b"""
class Book {
  constructor() { this.m = new Map(); }
  add(k, v) { this.m.set(k, v); }
  drop(k) { this.m.delete(k); }
  reset() { this.m.clear(); }
  close() { this.reset(); }
  size() { return this.m.size; }
}
function make() {
  const s = new Set();
  function wipe() { s.clear(); }
  function purge() { s.clear(); }
  return { add: (v) => s.add(v), wipe, purge, tidy() { purge(); } };
}
module.exports = { Book, make };
"""
    dialect = dialect_for_source("book.js", text)
    assert dialect is not None
    model = SemanticModel.build(SourceFile("book.js", text), parse(text, dialect), dialect)
    summary = summarize(model)
    # ``reset`` is called by ``close``, ``purge`` by ``tidy``; ``size`` shrinks nothing.
    assert summary.uncalled == [
        ("drop", ("add", "reset", "size")),
        ("wipe", ("add", "purge", "tidy")),
    ]
    again = FileSummary.from_data(json.loads(json.dumps(summary.to_data())))
    assert again is not None and again.digest() == summary.digest()
    assert again.uncalled == summary.uncalled and again.mentions == summary.mentions


def test_a_method_of_a_singleton_called_only_from_start_up_code_elsewhere_runs_once() -> None:
    # ``export = rolesManager`` (TypeScript) of ``new RolesManager()``, whose method
    # ``setupListeners`` only start-up code calls, through ``(await import(…)).default``.
    found = findings(PROJECTS / "startup-methods")
    assert at(found, "src/roles/roles-manager.ts", 18) == []
    [per_request] = at(found, "src/roles/roles-manager.ts", 25)  # called from a route
    assert per_request.rule == "NLL101" and per_request.confidence is Confidence.HIGH
    assert "src/http/routes.ts:8`" in whole(per_request)
    # ``start`` is called once by start-up code, and again by ``restart`` in its own file.
    [again] = at(found, "src/roles/audit.ts", 10)
    assert again.rule == "NLL101"
    alone = findings(PROJECTS / "startup-methods" / "src" / "roles", context=False)
    assert at(alone, "src/roles/roles-manager.ts", 18)  # the file alone: a method, per call
    # ``register`` grows ``this.known`` once per built-in role, at start-up (NLL301).
    assert at(found, "src/roles/roles-manager.ts", 13) == []
    assert [f.rule for f in at(alone, "src/roles/roles-manager.ts", 13)] == ["NLL301"]


def test_the_view_says_which_methods_start_up_code_alone_calls() -> None:
    root = (PROJECTS / "startup-methods" / "src").resolve()
    summaries = {str(p): summary_of(str(p), p.read_text()) for p in sorted(root.rglob("*.ts"))}
    view = ProjectView(summaries, {p: os.path.relpath(p, root) for p in summaries})
    facts = view.facts_for(str(root / "roles" / "roles-manager.ts"))
    assert facts.once_methods == {
        "RolesManager.setupListeners": "called only from start-up code at `events/when-ready.ts:5`",
        "RolesManager.register": "called only from start-up code at `events/when-ready.ts:8`",
    }
    assert set(facts.driven_methods) == {"RolesManager.watchRole"}
    # The view speaks of ``Audit.start`` too: that ``restart`` calls it is its file's say.
    assert set(view.facts_for(str(root / "roles" / "audit.ts")).once_methods) == {"Audit.start"}


@pytest.mark.parametrize(
    ("code", "exported", "instance"),
    [
        ("class A {}\nconst a = new A();\nexport = a;", {"default"}, "A"),
        ("class A {}\nconst a = new A();\nexport { a as manager };", {"manager"}, "A"),
        ("function load() {}\nexport = { load };", {"load"}, None),
        ("class A {}\nlet a = new A();\na = new A();\nexport default a;", {"default"}, None),
    ],
)
def test_typescript_export_assignments_and_instances_held_in_a_const(
    code: str, exported: set[str], instance: str | None
) -> None:
    summary = summary_of("m.ts", code)
    assert set(summary.exports) == exported
    made = [fact.instance_of for fact in summary.exports.values()]
    assert made == [("", instance) if instance else None]


def test_a_module_loaded_in_the_calling_expression_is_a_call_of_its_export() -> None:
    summary = summary_of(
        "m.ts",
        "async function start() {\n  (await import('./roles')).default.setup();\n}\n"
        "require('./jobs').run();\nPromise.resolve().then(start);\n",
    )
    calls = {(c.source, c.name, c.member, c.repetition.name) for c in summary.calls}
    assert ("./roles", "default", "setup", "ONCE") in calls  # ``start``: a reaction, once
    assert ("./jobs", "*", "run", "ONCE") in calls


def test_a_class_exported_only_for_its_tests_has_the_instances_of_its_own_file() -> None:
    # ``export class TabManager`` is imported only by a test; the application uses the one
    # instance the file makes at its top level, so the constructor runs once.
    found = findings(PROJECTS / "closed-class")
    assert at(found, "src/tabs/tab-manager.ts", 8) == []
    # ``UpdateNotifier``'s class is imported by ``popouts.ts``, which makes one per popout.
    [twin] = at(found, "src/updates/update-notifier.ts", 8)
    assert twin.rule == "NLL101" and "per instance" in twin.message
    alone = findings(PROJECTS / "closed-class" / "src" / "tabs", context=False)
    assert [f.rule for f in at(alone, "src/tabs/tab-manager.ts", 8)] == ["NLL101"]


def test_the_view_says_which_exported_classes_only_tests_import() -> None:
    root = (PROJECTS / "closed-class").resolve()
    paths = sorted(root.rglob("*.ts"))
    summaries = {str(p): summary_of(str(p), p.read_text()) for p in paths}
    tests = frozenset(str(p) for p in paths if "/test/" in str(p))
    view = ProjectView(summaries, {p: os.path.relpath(p, root) for p in summaries}, tests)
    facts = view.facts_for(str(root / "src" / "tabs" / "tab-manager.ts"))
    assert facts.closed_classes == {
        "TabManager": "no file of the project but tests (`test/tab-manager.test.ts`) imports it"
    }
    assert view.facts_for(str(root / "src" / "updates" / "update-notifier.ts")).closed_classes == {}
    # Test code counted as application code: the class is imported, so not closed.
    plain = ProjectView(summaries, {p: os.path.relpath(p, root) for p in summaries})
    assert plain.facts_for(str(root / "src" / "tabs" / "tab-manager.ts")).closed_classes == {}
    again = ProjectFacts.from_key(facts.key())
    assert again.closed_classes == facts.closed_classes


@pytest.mark.parametrize(
    ("importer", "closed"),
    [
        ("import manager from './manager';\nmanager.run();\n", True),
        ("import { Manager } from './manager';\nexport const m = new Manager();\n", False),
        ("import * as all from './manager';\nall.default.run();\n", False),
        ("export { Manager } from './manager';\n", False),
        ("const { Manager } = require('./manager');\nmodule.exports = new Manager();\n", False),
        ("module.exports = () => new (require('./manager').Manager)();\n", False),
    ],
)
def test_a_class_is_closed_only_when_no_application_file_can_reach_it(
    tmp_path: Path, importer: str, closed: bool
) -> None:
    manager = (
        "export class Manager {\n  constructor() { process.on('message', () => this.run()); }\n"
        "  run() {}\n}\nconst manager = new Manager();\nexport default manager;\n"
    )
    files = {tmp_path / "manager.ts": manager, tmp_path / "main.ts": importer}
    summaries = {str(p): summary_of(str(p), code) for p, code in files.items()}
    view = ProjectView(summaries, {p: os.path.basename(p) for p in summaries})
    facts = view.facts_for(str(tmp_path / "manager.ts"))
    expected = {"Manager": "no other file of the project imports it"} if closed else {}
    assert facts.closed_classes == expected
