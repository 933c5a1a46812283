"""Which files are checked again with what the project view learned (SPEC §1 "In view"):
facts the file can never read are left out, so they ask for no second check; what a file
reads still brings it back, and findings are those of a check with every fact."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nodeleaklint import runner
from nodeleaklint.config import ConfigResolver
from nodeleaklint.parsing import dialect_for_source, parse
from nodeleaklint.project.summary import FileSummary, summarize
from nodeleaklint.project.view import ProjectView
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.project_facts import ProjectFacts
from nodeleaklint.source import SourceFile

PROJECTS = Path(__file__).parent / "projects"


def summary_of(path: str, code: str) -> FileSummary:
    data = code.encode()
    dialect = dialect_for_source(path, data)
    assert dialect is not None
    return summarize(SemanticModel.build(SourceFile(path, data), parse(data, dialect), dialect))


WATCHERS = """
function watch(target, options) { target.on('change', options.log); }
function route(req, res) { res.end(); }
function serve(request, limit) { return limit; }
function local(a) { return a; }
local(1);
module.exports = { watch, route, serve, handle(x) { return x; }, local, other: (y) => y };
"""


def test_summaries_name_the_parameters_read_from_callers_elsewhere() -> None:
    exports = summary_of("w.js", WATCHERS).exports
    assert exports["watch"].open_params == (0, 1)
    assert exports["route"].open_params == ()  # a handler's parameters are fresh per call
    assert exports["serve"].open_params == (1,)  # ``request`` is per request by its name
    assert exports["handle"].open_params == ()  # a method of an object: called per event
    assert exports["local"].open_params == (0,)  # exported: its calls here are not all
    assert exports["other"].open_params == ()  # a function in an object literal, too
    summary = summary_of("w.js", WATCHERS)
    assert FileSummary.from_data(summary.to_data()) == summary


@pytest.mark.parametrize(
    ("watched", "handed"), [(True, {"watch", "route", "handle"}), (False, set())]
)
def test_the_view_hands_on_arguments_only_when_one_reaches_a_read_parameter(
    tmp_path: Path, watched: bool, handed: set[str]
) -> None:
    # All or nothing: the model gives a function exported under several names the
    # arguments of the first name it finds, so a name left out could change its choice.
    callee, caller = str(tmp_path / "w.js"), str(tmp_path / "app.js")
    calls = """
const w = require('./w');
const settings = { log: console.log };
w.route(settings, settings);
w.handle(settings);
"""
    if watched:
        calls += "w.watch(settings, settings);\n"
    summaries = {callee: summary_of(callee, WATCHERS), caller: summary_of(caller, calls)}
    view = ProjectView(summaries, {callee: "w.js", caller: "app.js"})
    assert set(view.facts_for(callee).params) == handed


# Only the bytes are read: a mention in a comment is taken as a call (a second check).
@pytest.mark.parametrize(
    ("called", "again"), [("registry.freshEmitter();", 0), ("// registry.getEmitter", 1)]
)
def test_a_file_not_calling_what_returns_a_shared_value_is_not_checked_again(
    tmp_path: Path, checked: list[str], called: str, again: int
) -> None:
    project = tmp_path / "returns"
    shutil.copytree(PROJECTS / "returns", project)
    listener = project / "src" / "listener.js"
    code = listener.read_text(encoding="utf-8").replace("registry.getEmitter('inbound')", "{}")
    listener.write_text(code.replace("freshEmitter();", f"freshEmitter(); {called}"), "utf-8")
    found = runner.run([str(project)]).findings
    assert not [f for f in found if f.rule == "NLL101" and f.path.endswith("listener.js")]
    assert checked.count("listener.js") == 1 + again


def test_a_file_calling_what_returns_a_shared_value_is_checked_again(
    checked: list[str],
) -> None:
    found = runner.run([str(PROJECTS / "returns")]).findings
    assert [f.span.line for f in found if f.rule == "NLL101"] == [12]
    assert checked.count("listener.js") == 2


def test_facts_named_by_a_callee_are_kept_only_when_the_file_holds_the_name(
    tmp_path: Path,
) -> None:
    source = tmp_path / "app.js"
    source.write_text("const db = require('./db');\nconst c = new db.Db(url);\n", "utf-8")
    config = ConfigResolver(None).for_folder(tmp_path)
    task = runner._Task(str(source), "app.js", config, (), False)
    handed = ("new", "a `MongoClient`", ("close",), False, "db.js")
    registrar = (0, "tick", "the process", 3, "bus.js", (), False)
    facts = ProjectFacts(
        resources={"db.Db": handed, "db.Other": handed},
        registrars={"db.subscribe": registrar},
        returns={"db.get": "a shared emitter", "db.\ufffd": "a shared emitter"},
    )
    kept = runner._without_inert(facts, task)
    assert list(kept.resources) == ["db.Db"] and kept.registrars == {}
    assert list(kept.returns) == ["db.\ufffd"]  # it may stand for bytes that are no UTF-8
    source.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    assert runner._without_inert(facts, task) == facts  # a BOM is blanked before parsing


def test_a_function_exported_under_two_names_keeps_the_arguments_of_both(
    tmp_path: Path,
) -> None:
    # ``a`` is given nothing the file reads (its second argument has no parameter), ``b``
    # is: the model takes ``a``'s arguments for ``f`` (the first name), so both stay.
    callee, caller = str(tmp_path / "f.js"), str(tmp_path / "app.js")
    code = "function f(x) { x.on('tick', () => f); }\nmodule.exports = { a: f, b: f };\n"
    calls = "const m = require('./f');\nconst s = {};\nm.a(unknown(), s);\nm.b(s);\n"
    summaries = {callee: summary_of(callee, code), caller: summary_of(caller, calls)}
    view = ProjectView(summaries, {callee: "f.js", caller: "app.js"})
    params = view.facts_for(callee).params
    assert set(params) == {"a", "b"} and params["a"][0] is None
