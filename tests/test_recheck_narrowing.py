"""Which files are checked again with what the project view learned (SPEC §1 "In view"):
facts the file can never read are left out, so they ask for no second check; what a file
reads still brings it back, and findings are those of a check with every fact."""

from __future__ import annotations

import dataclasses
import operator
import shutil
from functools import partial
from pathlib import Path

import pytest

from nodeleaklint import runner
from nodeleaklint.config import ConfigResolver
from nodeleaklint.parsing import Dialect, Tree, dialect_for_source, parse
from nodeleaklint.project.summary import FileSummary, reads_of, summarize, watch_reads
from nodeleaklint.project.view import ProjectView
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.project_facts import (
    TABLES,
    AskedTable,
    ProjectFacts,
    ProjectReads,
    read_since,
    watch_functions,
)
from nodeleaklint.semantics.scopes import FunctionInfo, Repetition
from nodeleaklint.source import SourceFile

PROJECTS = Path(__file__).parent / "projects"


def _parsed(path: str, code: str) -> tuple[SourceFile, Tree, Dialect]:
    data = code.encode()
    dialect = dialect_for_source(path, data)
    assert dialect is not None
    return SourceFile(path, data), parse(data, dialect), dialect


def summary_of(path: str, code: str) -> FileSummary:
    return summarize(SemanticModel.build(*_parsed(path, code)))


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


# A mention in a comment passes the bytes test (``_without_inert``), but the check alone
# never asked the view about ``registry.getEmitter``: no second check either.
@pytest.mark.parametrize(
    ("called", "again"), [("registry.freshEmitter();", 0), ("// registry.getEmitter", 0)]
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


def test_an_asked_table_notes_each_key_and_a_whole_read() -> None:
    table = AskedTable()
    assert table.get("a") is None and table.get("b", ()) == () and "c" not in table
    with pytest.raises(KeyError):
        table["d"]
    assert table.asked == {"a", "b", "c", "d"} and not table.whole
    assert not table  # its truth: what a whole read of a table with entries could change
    assert table.whole
    whole_reads = (len, list, AskedTable.items, AskedTable.keys, AskedTable.values)
    compared = (partial(operator.ne, {}), partial(operator.ne, AskedTable()))
    for read in (*whole_reads, AskedTable.copy, *compared):
        fresh = AskedTable()
        assert not read(fresh)
        assert fresh.whole
    with pytest.raises(TypeError):
        table["a"] = 1  # written, it would answer otherwise than ``get`` says


def test_reads_ask_for_a_second_check_only_for_a_fact_asked_or_shaping_the_model() -> None:
    every = dict.fromkeys(TABLES, frozenset[object]())
    reads = ProjectReads({**every, "returns": frozenset({"get"}), "collections": None})
    assert not reads.change(ProjectFacts(returns={"other": "x"}, singletons={"A": "y"}))
    assert reads.change(ProjectFacts(returns={"get": "a shared emitter"}))
    assert reads.change(ProjectFacts(collections={"rooms": ("Map", "x")}))  # gone through
    assert reads.change(ProjectFacts(calls={"f": (Repetition.ONCE, "once", False)}))
    # The learned fields of the method ``R.s`` were read, those of ``R.other`` never were.
    methods = ProjectReads({**every, "calls": frozenset(), "once_methods": frozenset({"R.s"})})
    assert not methods.change(ProjectFacts(once_methods={"R.other": "start-up"}))
    assert methods.change(ProjectFacts(once_methods={"R.s": "start-up"}))
    assert reads.change(ProjectFacts(once_methods={"R.s": "start-up"}))  # never asked
    # The constructor of ``Tabs`` had a learned field read, that of ``Other`` never did.
    classes = ProjectReads({**every, "calls": frozenset(), "closed_classes": frozenset({"Tabs"})})
    assert not classes.change(ProjectFacts(closed_classes={"Other": "only tests import it"}))
    assert classes.change(ProjectFacts(closed_classes={"Tabs": "only tests import it"}))
    assert reads.change(ProjectFacts(closed_classes={"Tabs": "only tests import it"}))
    model_fields = {f.name for f in dataclasses.fields(SemanticModel)}
    assert set(TABLES.values()) <= model_fields
    shaping = {"calls", "places", "driven_methods", "once_methods", "closed_classes"}
    assert set(TABLES) | shaping == {f.name for f in dataclasses.fields(ProjectFacts)}


def test_the_tables_are_not_read_while_the_model_is_built() -> None:
    data = WATCHERS.encode()
    dialect = dialect_for_source("w.js", data)
    assert dialect is not None
    given = (("process-lived", "a module-level emitter"),)
    facts = ProjectFacts(params={"watch": given, "local": given}, singletons={"A": "x"})
    alone, learned = (
        SemanticModel.build(SourceFile("w.js", data), parse(data, dialect), dialect, project)
        for project in (None, facts)
    )
    shown = [(f.repetition, f.reason) for f in alone.functions]
    assert [(f.repetition, f.reason) for f in learned.functions] == shown
    assert len(learned.passed_in) == 2 and learned.singletons == {"A": "x"}


@pytest.mark.parametrize(("called", "again"), [("w.idle(settings);", 0), ("w.watch(settings);", 1)])
def test_a_file_is_checked_again_only_when_its_rules_asked_what_the_view_learned(
    tmp_path: Path, checked: list[str], called: str, again: int
) -> None:
    # What callers pass reaches ``idle``'s parameter, which no rule asks about (only the
    # summary does, for what ``idle`` returns); ``watch``'s target is asked about.
    (tmp_path / "w.js").write_text(
        "function watch(target) { target.on('change', () => console.log('changed')); }\n"
        "function idle(x) { return x; }\n"
        "module.exports = { watch, idle };\n",
        "utf-8",
    )
    (tmp_path / "app.js").write_text(
        "const { EventEmitter } = require('events');\n"
        "const w = require('./w');\n"
        "const settings = new EventEmitter();\n"
        f"function run() {{ {called} }}\n"
        "module.exports = { run };\n",
        "utf-8",
    )
    runner.run([str(tmp_path)], cache_dir=tmp_path / "cache")
    assert checked.count("w.js") == 1 + again
    checked.clear()
    runner.run([str(tmp_path)], cache_dir=tmp_path / "cache")
    assert checked == []  # the report kept as the check with the facts is in the cache


def test_a_watched_function_notes_a_read_of_what_the_view_may_change() -> None:
    model = SemanticModel.build(*_parsed("w.js", WATCHERS))
    functions = model.functions
    watch_functions(functions)
    assert read_since(functions) == []  # nothing read: every function plain again
    assert all(type(f) is FunctionInfo for f in functions)
    watch_functions(functions)
    first = functions[0]
    assert first.repetition is Repetition.UNKNOWN and first.reason  # read as before
    first.driven_elsewhere = first.driven_elsewhere  # a write notes it too
    assert read_since(functions) == [first]
    assert all(type(f) is FunctionInfo for f in functions)


DECIDED = """
const seen = new Map();
function track(key) { seen.set(key, Date.now()); }
function idle(x) { return [x].map((y) => y + 1); }
module.exports = { track, idle };
"""


def test_reads_name_the_exports_whose_repetition_was_read() -> None:
    model = SemanticModel.build(*_parsed("d.js", DECIDED))
    tables = watch_reads(model)
    idle = next(f for f in model.functions if f.name == "idle")
    callback = next(f for f in model.functions if f.parent is idle)
    assert callback.repetition is not None  # worked out from ``idle``'s
    reads = reads_of(model, tables)
    assert reads.asked["calls"] == frozenset({"idle"})
    fact = (Repetition.ONCE, "called once", False)
    assert not reads.change(ProjectFacts(calls={"track": fact}))
    assert reads.change(ProjectFacts(calls={"idle": fact}))


@pytest.mark.parametrize(("called", "again"), [("d.idle(1);", 0), ("d.track(1);", 1)])
def test_a_file_is_checked_again_only_when_its_rules_read_what_its_callers_decide(
    tmp_path: Path, checked: list[str], called: str, again: int
) -> None:
    # ``idle``'s repetition is read by no rule; ``track`` grows a module-level map, and
    # NLL301 asks how often it runs.
    (tmp_path / "d.js").write_text(DECIDED, "utf-8")
    (tmp_path / "app.js").write_text(
        f"const d = require('./d');\n{called}\nmodule.exports = {{}};\n", "utf-8"
    )
    runner.run([str(tmp_path)], cache_dir=tmp_path / "cache")
    assert checked.count("d.js") == 1 + again


@pytest.mark.parametrize(("body", "again"), [("return 1;", 0), ("bus.on('e', () => {});", 1)])
def test_a_method_start_up_calls_once_is_checked_again_only_when_its_rules_asked(
    tmp_path: Path, checked: list[str], body: str, again: int
) -> None:
    # ``setup`` runs once (start-up calls it on the one instance): a rule asks how often
    # only when the method does something whose repetition matters.
    (tmp_path / "m.js").write_text(
        "const { EventEmitter } = require('events');\n"
        "const bus = new EventEmitter();\n"
        f"class M {{ setup() {{ {body} }} }}\n"
        "module.exports = new M();\n",
        "utf-8",
    )
    (tmp_path / "app.js").write_text("require('./m').setup();\n", "utf-8")
    result = runner.run([str(tmp_path)], cache_dir=tmp_path / "cache")
    assert checked.count("m.js") == 1 + again
    assert result.findings == []  # the listener is added once


@pytest.mark.parametrize(("body", "again"), [("this.n = 1;", 0), ("bus.on('e', () => {});", 1)])
def test_a_class_only_tests_import_is_checked_again_only_when_its_rules_asked(
    tmp_path: Path, checked: list[str], body: str, again: int
) -> None:
    # ``export class M`` is imported by a test alone: the file's one ``new`` is all there is,
    # and a rule asks how often the constructor runs only when it does something that matters.
    (tmp_path / "m.ts").write_text(
        "import { EventEmitter } from 'events';\n"
        "const bus = new EventEmitter();\n"
        f"export class M {{ n = 0; constructor() {{ {body} }} }}\n"
        "const m = new M();\nexport default m;\n",
        "utf-8",
    )
    (tmp_path / "app.ts").write_text("import m from './m';\nexport const n = m.n;\n", "utf-8")
    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "m.test.ts").write_text(
        "import { M } from '../m';\nexport const made = new M();\n", "utf-8"
    )
    result = runner.run([str(tmp_path)], cache_dir=tmp_path / "cache")
    assert checked.count("m.ts") == 1 + again
    assert result.findings == []  # the listener is added once
