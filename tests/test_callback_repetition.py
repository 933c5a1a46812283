"""How often a callback runs when it is handed to a call (issue 12, "one lifetime model").

A function given to an API the model does not know runs an unknown number of times (a handler
the API calls per event); a function given to an API known to call it inline or once runs as
often as the code around the call.
"""

from __future__ import annotations

import pytest

from nodeleaklint.parsing import Dialect, dialect_for_path, parse
from nodeleaklint.semantics import Repetition, SemanticModel
from nodeleaklint.semantics.scopes import FunctionInfo, ReasonKind
from nodeleaklint.source import SourceFile


def build(code: str, path: str) -> SemanticModel:
    data = code.encode("utf-8")
    dialect = dialect_for_path(path) or Dialect.JAVASCRIPT
    return SemanticModel.build(SourceFile(path, data), parse(data, dialect), dialect)


def callback_of(model: SemanticModel, callee: str) -> FunctionInfo:
    return next(f for f in model.functions if f.callback_of and f.callback_of.callee_text == callee)


# One statement per line at module top level (which runs once); ``{T}`` is a type annotation
# in the TypeScript variant.
ONCE_APIS = """
import fs from 'node:fs';
const { promisify } = require('util');
[1, 2].map((n{T}) => n);
list.forEach((item{T}) => item);
rows.filter((row{T}) => row).sort((a{T}, b{T}) => a - b);
load().then((value{T}) => value).catch((error{T}) => error).finally(() => {});
new Promise((resolve{T}) => resolve(1));
setTimeout(() => {}, 10);
setImmediate(() => {});
process.nextTick(() => {});
queueMicrotask(() => {});
emitter.once('message', (msg{T}) => msg);
server.on('listening', () => {});
server.listen(3000, () => {});
describe('suite', () => { it('works', async () => {}); });
describe.each([1])('each %s', (n{T}) => n);
fs.readFile('a.txt', (err{T}, data{T}) => data);
const read = promisify((path{T}, cb{T}) => cb(null, path));
db.query(sql, (err{T}, rows{T}) => { if (err) throw err; use(rows); });
async function main() { await db.transaction(async (trx{T}) => trx); }
main();
function withLock(fn{T}) { return fn(); }
withLock(() => {});
(() => {})();
const mocked = vi.fn((x{T}) => x);
jest.mock('./db', () => ({ query: () => {} }));
"""

UNKNOWN_APIS = """
queue.process((job{T}) => job);
cron.schedule('*/5 * * * *', () => {});
program.action(async (options{T}) => options);
const limited = throttle(() => {}, 100);
function store(fn{T}) { handlers.push(fn); }
store(() => {});
"""

EVENT_APIS = """
terminal.provideService('SQL', schema, async (msg{T}, ctx{T}) => msg);
bot.command('start', (ctx{T}) => ctx);
router.register('/users/:id', (request{T}) => request);
"""


def _variant(code: str, path: str) -> str:
    return code.replace("{T}", ": any" if path.endswith(".ts") else "")


@pytest.mark.parametrize("path", ["m.js", "m.ts"])
def test_callbacks_given_to_once_apis_run_as_often_as_their_caller(path: str) -> None:
    model = build(_variant(ONCE_APIS, path), path)
    callbacks = [f for f in model.functions if f.callback_of is not None or f.is_iife]
    assert len(callbacks) >= 20
    wrong = [(f.callback_of.display() if f.callback_of else "iife", f.reason) for f in callbacks]
    assert all(f.repetition is Repetition.ONCE for f in callbacks), wrong


@pytest.mark.parametrize("path", ["m.js", "m.ts"])
@pytest.mark.parametrize(
    "callee", ["queue.process", "cron.schedule", "program.action", "throttle", "store"]
)
def test_callbacks_given_to_unknown_apis_may_run_any_number_of_times(
    path: str, callee: str
) -> None:
    model = build(_variant(UNKNOWN_APIS, path), path)
    callback = callback_of(model, callee)
    assert callback.repetition is Repetition.UNKNOWN, callback.reason
    assert callback.reason_kind.open_ended
    assert callback.reason == (
        f"a callback passed to `{callback.callback_of.display()}`, "  # type: ignore[union-attr]
        "which may call it any number of times"
    )


@pytest.mark.parametrize("path", ["m.js", "m.ts"])
@pytest.mark.parametrize(
    ("callee", "shown"),
    [
        ("terminal.provideService", "terminal.provideService('SQL', …)"),
        ("bot.command", "bot.command('start', …)"),
        ("router.register", "router.register('/users/:id', …)"),
    ],
)
def test_handlers_for_a_named_event_may_run_any_number_of_times(
    path: str, callee: str, shown: str
) -> None:
    """UNKNOWN, not REPEATING: a name and a callback are as often a schema builder or a
    completion callback that runs once; downstream findings stay medium."""
    model = build(_variant(EVENT_APIS, path), path)
    handler = callback_of(model, callee)
    assert handler.repetition is Repetition.UNKNOWN, handler.reason
    expected = f"a callback passed to `{shown}`, which may call it any number of times"
    assert handler.reason == expected
    assert handler.describe() == handler.reason
    assert not model.is_event_driven(handler)


def test_schema_builders_and_completion_callbacks_are_not_per_event() -> None:
    code = (
        "knex.schema.createTable('users', (table) => { table.string('name'); });\n"
        "app.render('view', data, (html) => send(html));\n"
    )
    model = build(code, "m.js")
    for callee in ("knex.schema.createTable", "app.render"):
        assert callback_of(model, callee).repetition is Repetition.UNKNOWN


def test_callbacks_inside_repeating_code_keep_repeating() -> None:
    code = "app.get('/x', (req, res) => { queue.process((job) => job); });"
    model = build(code, "m.js")
    assert callback_of(model, "queue.process").repetition is Repetition.REPEATING


def test_named_functions_passed_to_unknown_and_once_apis() -> None:
    code = (
        "function onJob(job) { return job; }\n"
        "queue.process(onJob);\n"
        "function square(n) { return n * n; }\n"
        "[1, 2].map(square);\n"
    )
    model = build(code, "m.js")
    on_job = next(f for f in model.functions if f.name == "onJob")
    square = next(f for f in model.functions if f.name == "square")
    assert on_job.repetition is Repetition.UNKNOWN, on_job.reason
    assert square.repetition is Repetition.ONCE, square.reason


def test_a_local_helper_that_keeps_its_callback_is_not_inline() -> None:
    code = "function later(fn) { setInterval(fn, 10); }\nlater(() => {});"
    model = build(code, "m.js")
    assert callback_of(model, "later").repetition is Repetition.UNKNOWN


@pytest.mark.parametrize("path", ["m.js", "m.ts"])
def test_a_umd_factory_runs_once(path: str) -> None:
    code = (
        "(function (root{T}, factory{T}) {\n"
        "  if (typeof define === 'function') { define([], factory); }\n"
        "  else if (typeof exports === 'object') { module.exports = factory(); }\n"
        "  else { root.lib = factory.call(root); }\n"
        "})(this, function () { return {}; });\n"
    )
    model = build(_variant(code, path), path)
    factory = next(f for f in model.functions if f.callback_of is not None)
    assert factory.repetition is Repetition.ONCE, factory.reason


def test_the_reason_names_a_chained_call_on_one_line() -> None:
    code = "program\n  .command('serve')\n  .action(async (options) => options);\n"
    model = build(code, "m.js")
    action = next(f for f in model.functions if f.callback_of is not None)
    assert action.repetition is Repetition.UNKNOWN
    assert "\n" not in action.reason
    assert action.reason.startswith("a callback passed to `program.command('serve').action(")


def test_removing_a_listener_does_not_call_it() -> None:
    code = "function onData(chunk) {}\nsource.removeListener('data', onData);\n"
    model = build(code, "m.js")
    on_data = next(f for f in model.functions if f.name == "onData")
    assert on_data.repetition is Repetition.ONCE, on_data.reason


def test_messages_name_a_function_from_the_kind_of_its_reason() -> None:
    """``describe`` picks its wording from ``reason_kind``: a reason that is a phrase for the
    function stands alone for a callback or an anonymous function, and follows a name in
    parentheses otherwise; the open-ended kinds already say the function may run any number
    of times."""
    model = build(
        """
function onData(chunk) { use(chunk); }
stream.on('data', onData);
stream.on('message', () => use(1));
export function handle(x) { use(x); }
""",
        "m.js",
    )
    by_name = {f.name: f for f in model.functions if f.name}
    on_data, handle = by_name["onData"], by_name["handle"]
    assert on_data.reason_kind is ReasonKind.REGISTERED_BY_NAME
    assert on_data.describe() == "`onData` (registered with `stream.on('data')`)"
    registered = callback_of(model, "stream.on")
    assert registered.reason_kind is ReasonKind.REGISTERED
    assert registered.describe() == registered.reason
    assert handle.reason_kind is ReasonKind.EXPORTED and handle.reason_kind.open_ended
    assert handle.where_it_runs() == f"`handle` ({handle.reason})"
