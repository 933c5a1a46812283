"""Repeating contexts (SPEC §1): how often each function body can run.

A function is REPEATING when it runs per event, per request or per call of something that
repeats: callbacks passed to registrations, route and server handlers, class methods and
constructors, functions with request-handler parameters, and functions called from any of
those or from an unbounded loop. Module top level runs once, and so does a named function
whose only calls are made from code that runs once, and the constructor of a class whose
every use in the file is a ``new`` in such code (``const manager = new Manager(); export
default manager``: a class neither exported nor handed out has the instances seen here). A
function that is exported, stored or never called in the file runs an UNKNOWN number of
times.

A callback handed to a call runs as often as the code around the call when the API is known
to call it inline or once (array methods, promise reactions, one-shot timers and events, test
blocks, Node's built-in modules, completion callbacks, local helpers that only call it: the
lists are in ``vocabulary``), and an UNKNOWN number of times when the API is not known
(``terminal.provideService('SQL', handler)``): a function handed to an API is usually a
handler it calls per event. See ``callback_repetition``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from nodeleaklint.parsing import Node
from nodeleaklint.semantics import frameworks
from nodeleaklint.semantics.constructions import complete_sites, declared_class
from nodeleaklint.semantics.scopes import (
    Binding,
    CallSite,
    FunctionInfo,
    ReasonKind,
    Repetition,
    Scope,
)
from nodeleaklint.semantics.syntax import (
    FUNCTION_KINDS,
    TRANSPARENT_KINDS,
    ancestors,
    outer,
    required_module,
    root_object,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.vocabulary import (
    COMMAND_MODULE_KEYS,
    INLINE_CALLBACK_METHODS,
    LISTEN_METHODS,
    NODE_BUILTINS,
    ONCE_CALLBACK_CONSTRUCTORS,
    ONCE_CALLBACK_FUNCTIONS,
    ONCE_CALLBACK_METHODS,
    TEST_DOUBLE_METHODS,
    TEST_FRAMEWORK_BLOCKS,
)

# Methods whose function arguments run once per event, request or tick, and object keys whose
# function values frameworks call per request (fastify route options, hooks): the built-in
# framework table's (``frameworks.active()`` holds a configuration's extensions too).
REGISTRATION_METHODS = frameworks.DEFAULT.registration_methods
HANDLER_KEYS = frameworks.DEFAULT.handler_keys
# Parameter-name pairs that mark a request handler.
HANDLER_PARAMS = frozenset(
    {
        ("req", "res"),
        ("request", "response"),
        ("request", "reply"),
        ("req", "reply"),
        ("ctx", "next"),
        ("request", "h"),
        ("err", "req"),
        ("error", "req"),
    }
)


# Lifecycle events an emitter emits at most once: a callback for one of them runs as often
# as the code that registers it, not once per event (termination signals end the process:
# their handlers are the shutdown path).
ONE_SHOT_EVENTS = frameworks.DEFAULT.one_shot_events


def is_registration(call: CallSite) -> bool:
    """A call whose function arguments run once per event: ``x.on(...)``, ``app.get(...)``.

    Listeners for one-shot lifecycle events (``server.on('listening', …)``) are not: they
    run once per emitter.
    """
    if call.is_new:
        return False
    if call.obj is None:
        return call.name in ("setInterval", "createServer")
    table = frameworks.active()
    if call.name not in table.registration_methods:
        return False
    if call.name in ("on", "addListener", "prependListener", "addEventListener") and call.args:
        return string_value(call.args[0]) not in table.one_shot_events
    return True


def has_handler_params(function: FunctionInfo) -> bool:
    params = function.params  # the first two names, without listing them all
    return len(params) >= 2 and (params[0].name, params[1].name) in HANDLER_PARAMS


def registration_label(call: CallSite) -> str:
    """``.on('data')``-style text naming what a callback is registered for."""
    event = string_value(call.args[0]) if call.args else None
    callee = re.sub(r"\s*\n\s*", "", text(call.callee))  # a chain split over lines
    if event is not None:
        return f"`{callee}('{event}')`"
    return f"`{callee}(…)`"


# How often a function runs, what kind of reason says so, and the reason's words.
Because = tuple[Repetition, ReasonKind, str]


def _per_instance(function: FunctionInfo) -> Because:
    owner = function.class_name or "a class"
    words = f"the constructor of `{owner}` (runs per instance)"
    return Repetition.REPEATING, ReasonKind.MEMBER, words


def class_binding(function: FunctionInfo) -> Binding | None:
    """The binding of a constructor's class declaration (``class X {…}`` names ``X`` in the
    scope around it)."""
    if function.method_kind != "constructor" or function.class_node is None:
        return None
    class_scope = function.scope.parent
    outer_scope = class_scope.parent if class_scope is not None else None
    name = function.class_name
    if outer_scope is None or name is None:
        return None
    return declared_class(outer_scope, name, function.class_node)


def _instantiations(
    function: FunctionInfo, calls: dict[int, CallSite], closed: Mapping[int, str]
) -> list[CallSite] | None:
    """Every ``new X(…)`` of a constructor's class when the file holds all of them
    (``constructions.complete_sites``; ``closed``: constructors of exported classes that
    the project view says no other non-test file imports) and there is at least one; None
    otherwise."""
    binding = class_binding(function)
    if binding is None:
        return None
    return complete_sites(binding, calls, function.node.id in closed) or None


def _base_repetition(function: FunctionInfo) -> Because | None:
    """Facts that fix a function's repetition regardless of other functions."""
    if function.class_node is not None:
        owner = function.class_name or "a class"
        if function.method_kind == "constructor":
            # A class whose instances the file alone makes: the constructor runs as often as
            # the code that makes them (``_constructor_repetition``).
            return None if class_binding(function) is not None else _per_instance(function)
        return (
            Repetition.REPEATING,
            ReasonKind.MEMBER,
            f"the method `{owner}.{function.name}` (runs per call)",
        )
    call = function.callback_of
    framework = framework_repetition(function)
    if framework is not None:
        return framework
    if call is not None and is_registration(call):
        return (
            Repetition.REPEATING,
            ReasonKind.REGISTERED,
            f"a callback registered with {registration_label(call)}",
        )
    if has_handler_params(function):
        names = ", ".join(function.param_names[:2])
        return Repetition.REPEATING, ReasonKind.HANDLER, f"a request handler (`{names}`)"
    if is_hook_key(function):
        return (
            Repetition.REPEATING,
            ReasonKind.HOOK,
            f"a `{function.property_key}` hook (runs per request)",
        )
    return None


def is_hook_key(function: FunctionInfo) -> bool:
    """A function stored under a key a framework calls per request (``handler``,
    ``preHandler``, ``onRequest``: Fastify/hapi route options, a Lambda's ``exports.handler``).
    Not the ``handler`` of a CLI command module (yargs: ``{ command, describe, builder,
    handler }``, or ``exports.command`` beside ``exports.handler``): the command line runs it
    once per process."""
    key = function.property_key
    if key not in frameworks.active().handler_keys:
        return False
    return key != "handler" or not _in_command_module(function)


def _in_command_module(function: FunctionInfo) -> bool:
    holder = function.node.parent
    while holder is not None and holder.type in TRANSPARENT_KINDS:
        holder = holder.parent
    if holder is not None and holder.type in ("pair", "object"):
        literal = (
            holder.parent if holder.type == "pair" else holder
        )  # ``handler: f`` / ``handler() {}``
        return literal is not None and any(
            pair.type == "pair"
            and text(pair.child_by_field_name("key")).strip("'\"") in COMMAND_MODULE_KEYS
            for pair in literal.named_children
        )
    if holder is not None and holder.type == "assignment_expression":
        root = holder
        while root.parent is not None:
            root = root.parent
        source = root.text or b""
        return any(f"exports.{key} =".encode() in source for key in COMMAND_MODULE_KEYS)
    return False


def framework_row(function: FunctionInfo) -> frameworks.Guarantee | None:
    """The framework table's row for a function handed to a package's API
    (``bot.command('x', fn)`` on a Telegraf bot, ``client.on('connect', fn)`` on an MQTT
    client) or stored under a key a framework's factory returns (an AngularJS directive's
    ``link``), when the framework runs it repeatedly."""
    call = function.callback_of
    row = frameworks.call_guarantee(call, function.scope) if call is not None else None
    if row is not None and row.runs.repeats:
        return row
    factory = function.parent.callback_of if function.parent is not None else None
    if factory is None or factory.name not in frameworks.active().key_factories:
        return None  # no keyed row can match (``keyed_guarantee``): the keys are not sought
    for key in _stored_under(function):
        row = frameworks.keyed_guarantee(key, factory)
        if row is not None and row.runs.repeats:
            return row
    return None


def framework_repetition(function: FunctionInfo) -> Because | None:
    """REPEATING, with the reason, when the framework table says the function repeats."""
    row = framework_row(function)
    if row is None:
        return None
    call = function.callback_of
    if row.kind is frameworks.Kind.KEY and function.parent is not None:
        call = function.parent.callback_of
        where = registration_label(call) if call is not None else "a framework factory"
        words = f"the `{row.name}` function of {where}, run {row.runs.value}"
        return Repetition.REPEATING, ReasonKind.FRAMEWORK_KEY, words
    where = registration_label(call) if call is not None else f"`{row.name}`"
    runs = f"`{row.framework}` runs it {row.runs.value}"
    return (
        Repetition.REPEATING,
        ReasonKind.REGISTERED,
        f"a callback registered with {where} ({runs})",
    )


def _stored_under(function: FunctionInfo) -> list[str]:
    """The object keys a function is stored under: ``{ link: function () {…} }``,
    ``{ link: link }``, ``{ link }``."""
    keys = [function.property_key] if function.property_key else []
    for reference in function.binding.references if function.binding is not None else ():
        if reference.type == "shorthand_property_identifier":
            keys.append(text(reference))
            continue
        parent = outer(reference).parent
        if parent is not None and parent.type == "pair":
            value = parent.child_by_field_name("value")
            if value is not None and value.id == outer(reference).id:
                keys.append(text(parent.child_by_field_name("key")))
    return keys


# -- callbacks handed to calls ---------------------------------------------------------------
# The words ending the reason of a callback given to an API the model does not know.
MAY_CALL_IT = "which may call it any number of times"


def callback_repetition(
    call: CallSite,
    callback: FunctionInfo,
    argument: Node,
    module_scope: Scope | None,
    functions: dict[int, FunctionInfo],
    tests: TestCalls | None = None,
) -> Because | None:
    """How often ``call`` runs its function argument ``callback``, when that is not "as often
    as ``call`` runs": None when the API runs it inline or once per call (array methods,
    promise reactions, timers that fire once, test blocks, Node's built-in modules, completion
    callbacks, helpers of this file that only call it), else UNKNOWN: a function handed to
    an API is usually a handler the API calls per event (``bot.command('start', ctx => …)``)
    and nothing in view says how often. Not REPEATING even when the call names an event: a
    string and a callback are as often a schema builder (``knex.schema.createTable('t',
    (table) => …)``) or a completion callback (``render('view', data, (html) => …)``) that
    runs once (15 of 25 such callbacks sampled from the ecosystem corpus).
    ``argument`` is the argument that passes ``callback`` (the function itself or a
    reference to it). ``tests`` keeps ``_in_test_block``'s answers for one file."""
    argument = outer(argument)
    tests = {} if tests is None else tests
    if _runs_callback_once(call, callback, argument, module_scope, functions, tests):
        return None
    where = re.sub(r"\s*\n\s*", "", call.display(limit=200))  # a chain split over lines
    where = where if len(where) <= 60 else where[:59] + "…"
    return (
        Repetition.UNKNOWN,
        ReasonKind.UNKNOWN_API,
        f"a callback passed to `{where}`, {MAY_CALL_IT}",
    )


_ONCE_METHODS = INLINE_CALLBACK_METHODS | ONCE_CALLBACK_METHODS | LISTEN_METHODS


def _runs_callback_once(
    call: CallSite,
    callback: FunctionInfo,
    argument: Node,
    module_scope: Scope | None,
    functions: dict[int, FunctionInfo],
    tests: TestCalls,
) -> bool:
    """Evidence that ``call`` runs its function argument inline or at most once per call."""
    if call.is_new:
        return text(root_object(call.callee)) in ONCE_CALLBACK_CONSTRUCTORS
    name = call.name
    if name in frameworks.active().once_methods:
        return True  # configured: ``x.boot(fn)`` runs ``fn`` once
    row = frameworks.call_guarantee(call, callback.scope)
    if row is not None and row.runs is frameworks.Runs.ONCE:
        return True  # ``program.command('x').action(fn)``: a CLI runs one command
    if call.obj is None:
        if name in ONCE_CALLBACK_FUNCTIONS or name in TEST_FRAMEWORK_BLOCKS:
            return True
    elif name in _ONCE_METHODS:  # (``.on`` here listens to a one-shot lifecycle event)
        return True
    elif name in TEST_DOUBLE_METHODS:
        return True  # ``vi.fn(impl)``, ``mock.mockImplementation(impl)``: test code
    root = _callee_root(call.callee)
    if root is not None and text(root) in TEST_FRAMEWORK_BLOCKS:
        return True  # ``describe.each(table)(name, fn)``, ``it.only(name, fn)``
    if _from_node_builtin(call, root, module_scope):
        return True
    if _awaited(call) or _error_first(callback) or _in_test_block(call, tests):
        return True
    return _local_helper_calls_it(call, argument, module_scope, functions)


def _callee_root(callee: Node | None) -> Node | None:
    """The identifier a callee chain starts from: ``describe`` in ``describe.each(t)``."""
    current = unwrap(callee)
    while current is not None:
        if current.type in ("member_expression", "subscript_expression"):
            current = unwrap(current.child_by_field_name("object"))
        elif current.type == "call_expression":
            current = unwrap(current.child_by_field_name("function"))
        else:
            return current if current.type == "identifier" else None
    return None


def _scope_at(call: CallSite, module_scope: Scope | None) -> Scope | None:
    return call.function.scope if call.function is not None else module_scope


def _from_node_builtin(call: CallSite, root: Node | None, module_scope: Scope | None) -> bool:
    """``fs.readFile(p, cb)``, ``require('dns').lookup(h, cb)``: a Node built-in module's
    function runs its callback once (its registrations, ``.on``, are handled before)."""
    source = required_module(root_object(call.callee))
    if source is None and root is not None and root.type == "identifier":
        scope = _scope_at(call, module_scope)
        binding = scope.lookup(text(root)) if scope is not None else None
        source = binding.module_source if binding is not None else None
    if source is None:
        return False
    return source.removeprefix("node:") in NODE_BUILTINS


def _awaited(call: CallSite) -> bool:
    """``await withTransaction(async (trx) => …)`` / ``return withLock(() => …)``: the caller
    waits for (or hands its caller) the call's own completion, so the callback is part of
    that one piece of work."""
    position = outer(call.node)
    parent = position.parent
    if parent is None:
        return False
    if parent.type in ("await_expression", "return_statement"):
        return True
    return parent.type == "arrow_function" and parent.child_by_field_name("body") == position


# Call node id -> whether it, or a call around it, is a test-framework block.
TestCalls = dict[int, bool]


def _in_test_block(call: CallSite, tests: TestCalls) -> bool:
    """Inside the arguments of a test-framework block (``it('x', testTask(() => …))``,
    ``describe('y', () => { addScenarios(tests) })``): test code, which runs per test.

    The calls around ``call`` are climbed only to the first one already answered for
    (``tests``: a call's answer stands for every call inside it that is not a block)."""
    passed: list[int] = []
    found = False
    for parent in ancestors(call.node):
        if parent.type != "call_expression":
            continue
        known = tests.get(parent.id)
        if known is not None:
            found = known
            break
        passed.append(parent.id)
        root = _callee_root(parent.child_by_field_name("function"))
        if root is not None and text(root) in TEST_FRAMEWORK_BLOCKS:
            found = True
            break
    for key in passed:
        tests[key] = found
    return found


def _error_first(callback: FunctionInfo) -> bool:
    """A Node-style completion callback: its first parameter is tested or thrown
    (``(err, rows) => { if (err) … }``), so the API calls it once, when its work ends."""
    if len(callback.params) < 1:
        return False
    for reference in callback.params[0].references:
        position = outer(reference)
        parent = position.parent
        if parent is not None and parent.type == "unary_expression":
            position = outer(parent)
            parent = position.parent
        if parent is None:
            continue
        if parent.type == "throw_statement":
            return True
        if parent.type in ("if_statement", "ternary_expression") and (
            parent.child_by_field_name("condition") == position
        ):
            return True
    return False


def _local_helper_calls_it(
    call: CallSite, argument: Node, module_scope: Scope | None, functions: dict[int, FunctionInfo]
) -> bool:
    """A function of this file that only calls the parameter it receives the callback in
    (``function withLock(fn) { …; return fn(); }``) runs it once per call."""
    helper = _local_callee(call, module_scope, functions)
    if helper is None:
        return False
    index = next((i for i, arg in enumerate(call.args) if outer(arg).id == argument.id), -1)
    if index < 0 or index >= len(helper.params):
        return False
    references = helper.params[index].references
    return bool(references) and all(_runs_it_once(reference) for reference in references)


def _local_callee(
    call: CallSite, module_scope: Scope | None, functions: dict[int, FunctionInfo]
) -> FunctionInfo | None:
    """The function of this file a call calls: ``helper(…)`` by name, or a function
    expression called in place (a UMD wrapper ``(function (root, factory) {…})(this, f)``)."""
    callee = unwrap(call.callee)
    if callee is None or call.is_new:
        return None
    if callee.type in FUNCTION_KINDS:
        return functions.get(callee.id)
    if callee.type != "identifier":
        return None
    scope = _scope_at(call, module_scope)
    binding = scope.lookup(text(callee)) if scope is not None else None
    return binding.function if binding is not None else None


def _runs_it_once(reference: Node) -> bool:
    """A use of a helper's function parameter that calls it (``fn()``, ``fn.call(this)``) or
    hands it to an API that calls it once (``define([], factory)``), not one that keeps it."""
    position = outer(reference)
    parent = position.parent
    if (
        parent is not None
        and parent.type == "member_expression"
        and text(parent.child_by_field_name("property")) in ("call", "apply")
    ):
        position, parent = outer(parent), outer(parent).parent
    if parent is None:
        return False
    if parent.type == "call_expression":
        callee = parent.child_by_field_name("function")
        return callee is not None and callee.id == position.id
    if parent.type == "arguments" and parent.parent is not None:
        callee = parent.parent.child_by_field_name("function")
        return text(callee) in ONCE_CALLBACK_FUNCTIONS
    return False


def _call_use(
    reference: Node, functions: dict[int, FunctionInfo], calls: dict[int, CallSite]
) -> tuple[str, CallSite] | None:
    """How a reference to a function is used: called (``"call"``) or passed (``"argument"``)."""
    position = outer(reference)
    parent = position.parent
    if parent is None:
        return None
    if parent.type in ("call_expression", "new_expression"):
        call = calls.get(parent.id)
        callee = parent.child_by_field_name("function")
        if call is not None and callee is not None and callee.id == position.id:
            return "call", call
    if parent.type == "arguments" and parent.parent is not None:
        call = calls.get(parent.parent.id)
        if call is not None:
            return "argument", call
    if parent.type == "member_expression" and text(parent.child_by_field_name("property")) in (
        "call",
        "apply",
        "bind",
    ):
        grand = parent.parent
        if grand is not None and grand.type == "call_expression":
            call = calls.get(grand.id)
            if call is not None:
                return "call", call
    return None


def _site_repetition(call: CallSite) -> Repetition:
    if call.in_loop:
        return Repetition.REPEATING
    return call.function.repetition if call.function is not None else Repetition.ONCE


# The words a reason ends with when nothing in view bounds how often a function runs.
OPEN_ENDED = "so it may run any number of times"


# What the project view learned about an exported function: how often its callers in other
# files run, and why (function node id -> (repetition, kind of reason, reason)).
KnownRepetition = dict[int, Because]


def apply_known(
    functions: dict[int, FunctionInfo], facts: dict[int, tuple[Repetition, str, bool]]
) -> KnownRepetition:
    """Mark the functions the project view saw called per event (``driven_elsewhere``) and
    return what it learned about how often each runs. The view speaks only of functions
    called only from code that runs once, or from a caller that repeats."""
    known: KnownRepetition = {}
    for node_id, (repetition, reason, driven) in facts.items():
        kind = ReasonKind.ONCE if repetition is Repetition.ONCE else ReasonKind.CALLED_FROM
        known[node_id] = (repetition, kind, reason)
        function = functions.get(node_id)
        if function is not None and driven and repetition is Repetition.REPEATING:
            function.driven_elsewhere = True
    return known


class _Uses:
    """How references use functions, and how calls run the callbacks they receive, asked
    once: neither depends on the repetition the fixpoint is still computing, and every
    round of it asks again."""

    def __init__(
        self,
        functions: dict[int, FunctionInfo],
        calls: dict[int, CallSite],
        closed: Mapping[int, str] | None = None,
    ) -> None:
        self.functions = functions
        self.calls = calls
        self.closed: Mapping[int, str] = closed or {}
        self._uses: dict[int, tuple[str, CallSite] | None] = {}
        self._callbacks: dict[tuple[int, int], Because | None] = {}
        self._tests: TestCalls = {}

    def use(self, reference: Node) -> tuple[str, CallSite] | None:
        """``_call_use`` of ``reference``."""
        key = reference.id
        if key in self._uses:
            return self._uses[key]
        found = self._uses[key] = _call_use(reference, self.functions, self.calls)
        return found

    def callback(self, call: CallSite, callback: FunctionInfo, argument: Node) -> Because | None:
        """``callback_repetition`` of ``callback``, passed to ``call`` as ``argument`` (the
        function itself or a reference to it: either names the callback)."""
        key = (call.node.id, argument.id)
        if key in self._callbacks:
            return self._callbacks[key]
        scope = _module_scope(callback)
        given = callback_repetition(call, callback, argument, scope, self.functions, self._tests)
        self._callbacks[key] = given
        return given


def _constructor_repetition(
    function: FunctionInfo, sites: list[CallSite], closed: Mapping[int, str]
) -> Because:
    """A constructor whose class only this file instantiates runs once per ``new`` that runs:
    once when every ``new C(…)`` is at module top level or in code that runs once
    (``const manager = new Manager(); export default manager``), else per instance."""
    lines: list[int] = []
    for site in sites:
        if site.function is function or _site_repetition(site) is not Repetition.ONCE:
            return _per_instance(function)
        lines.append(site.node.start_point[0] + 1)
    owner = function.class_name or "a class"
    where = ", ".join(str(line) for line in lines)
    lines_word = "line" if len(lines) == 1 else "lines"
    return (
        Repetition.ONCE,
        ReasonKind.ONCE,
        f"the constructor of `{owner}`, whose instances are made only by code that runs once "
        f"({lines_word} {where}){_closed_words(function, closed)}",
    )


def _closed_words(function: FunctionInfo, closed: Mapping[int, str]) -> str:
    why = closed.get(function.node.id)
    return f"; the class is exported, but {why}" if why else ""


def _derived_repetition(
    function: FunctionInfo,
    memo: _Uses,
    known: KnownRepetition,
    export_sites: set[int],
) -> Because:
    """Repetition from the places that call or receive the function (in this file, and in
    other files when the project view knows its callers: ``known``)."""
    if function.method_kind == "constructor":
        sites = _instantiations(function, memo.calls, memo.closed)
        if sites is None:
            return _per_instance(function)
        return _constructor_repetition(function, sites, memo.closed)
    call = function.callback_of
    if call is not None or function.is_iife:
        site = call if call is not None else None
        parent = function.parent
        inherited = parent.repetition if parent is not None else Repetition.ONCE
        if site is not None and site.in_loop:
            return (
                Repetition.REPEATING,
                ReasonKind.LOOP,
                f"called from a loop via `{site.display()}`",
            )
        if site is not None:
            given = memo.callback(site, function, function.node)
            if given is not None and given[0] > inherited:
                return given
        where = parent.display() if parent is not None else "module top level"
        return inherited, ReasonKind.INHERITED, f"runs as often as {where}"
    fact = known.get(function.node.id)
    binding = function.binding
    if binding is None or binding.is_reassigned:
        if fact is not None:
            return fact
        return Repetition.UNKNOWN, ReasonKind.STORED, "stored or returned, called from elsewhere"
    best = Repetition.ONCE
    said, reason = ReasonKind.ONCE, "called only from code that runs once"
    uses = 0
    for reference in binding.references:
        use = memo.use(reference)
        if use is None:
            if fact is not None and reference.id in export_sites:
                continue  # the export itself: its callers are the project view's ``fact``
            return Repetition.UNKNOWN, ReasonKind.PASSED, f"passed around or stored, {OPEN_ENDED}"
        uses += 1
        kind, site = use
        if kind == "argument" and is_registration(site):
            label = registration_label(site)
            return Repetition.REPEATING, ReasonKind.REGISTERED_BY_NAME, f"registered with {label}"
        if site.function is function:
            return Repetition.REPEATING, ReasonKind.RECURSIVE, "it calls itself"
        value = _site_repetition(site)
        given = memo.callback(site, function, reference) if kind == "argument" else None
        if given is not None and given[0] > value and given[0] > best:
            best, said, reason = given
        elif value > best:
            best = value
            where = site.function.display() if site.function is not None else "module top level"
            said, reason = ReasonKind.CALLED_FROM, f"called from {where}"
    if fact is not None:
        return (best, said, reason) if best is Repetition.REPEATING else fact
    if uses == 0 or binding.exported or function.exported:
        if best is Repetition.REPEATING:
            return best, said, reason
        if binding.exported or function.exported:
            return Repetition.UNKNOWN, ReasonKind.EXPORTED, f"exported, {OPEN_ENDED}"
        return (
            Repetition.UNKNOWN,
            ReasonKind.NEVER_CALLED,
            f"never called in this file, {OPEN_ENDED}",
        )
    return best, said, reason


def _module_scope(function: FunctionInfo) -> Scope:
    scope = function.scope
    while scope.parent is not None:
        scope = scope.parent
    return scope


def compute_repetition(
    functions: list[FunctionInfo],
    function_by_node: dict[int, FunctionInfo],
    calls: dict[int, CallSite],
    known: KnownRepetition | None = None,
    export_sites: set[int] | None = None,
    closed: Mapping[int, str] | None = None,
) -> Readers:
    """Fill ``repetition`` and ``reason`` on every function (a monotone fixpoint).

    ``known`` carries what the project view learned about exported functions from their
    callers in other files; ``export_sites`` are the references that export a function
    (``module.exports = { f }``, ``export { f }``): the export, not a use of it; ``closed``
    the constructors of exported classes no other non-test file imports (constructor node
    id -> why, ``ProjectFacts.closed_classes``). Returns
    which functions' repetition each function's may decide (``_readers``): what else a
    fact about one function can change."""
    known = known or {}
    export_sites = export_sites or set()
    pending: list[FunctionInfo] = []
    memo = _Uses(function_by_node, calls, closed)
    for function in functions:
        base = _base_repetition(function)
        if base is not None and base[1] is ReasonKind.MEMBER and function.node.id in known:
            # A method the project view saw called only from start-up code elsewhere, on
            # the one instance, and never named in its own file (``model._once_methods``).
            base = known[function.node.id]
        if base is not None:
            function.repetition, function.reason_kind, function.reason = base
        else:
            function.repetition, function.reason_kind, function.reason = (
                Repetition.ONCE,
                ReasonKind.NONE,
                "",
            )
            pending.append(function)
    readers = _readers(pending, memo)
    # A function is worked out again only when a function whose repetition it reads has
    # changed since it was last worked out: otherwise the answer is the one it got then,
    # which changes nothing (repetition only grows), so skipping it leaves every round
    # (and the reasons, which keep the first answer that reached each level) as they were.
    stale = set(pending)  # (FunctionInfo hashes by identity)
    for _ in range(len(pending) + 2):
        changed = False
        for function in pending:
            if function not in stale:
                continue
            stale.discard(function)
            value, kind, reason = _derived_repetition(function, memo, known, export_sites)
            if value > function.repetition or function.reason_kind is ReasonKind.NONE:
                if value != function.repetition:
                    changed = True
                    stale.update(readers.get(function, ()))
                function.repetition, function.reason_kind, function.reason = value, kind, reason
        if not changed:
            break
    return readers


# Function -> the functions whose repetition is worked out from its (``_readers``).
Readers = dict[FunctionInfo, list[FunctionInfo]]


def _readers(pending: list[FunctionInfo], memo: _Uses) -> Readers:
    """Function -> the pending functions whose ``_derived_repetition`` may read its
    repetition: a callback's or IIFE's parent; a named function's callers and the functions
    that pass it on (every use, a superset of those read before an early answer)."""
    readers: Readers = {}
    for function in pending:
        if function.method_kind == "constructor":
            sites = _instantiations(function, memo.calls, memo.closed) or []
            read = [site.function for site in sites if site.function is not None]
        elif function.callback_of is not None or function.is_iife:
            read = [function.parent] if function.parent is not None else []
        elif function.binding is None or function.binding.is_reassigned:
            read = []
        else:
            uses = (memo.use(reference) for reference in function.binding.references)
            read = [use[1].function for use in uses if use is not None and use[1].function]
        for function_read in read:
            readers.setdefault(function_read, []).append(function)
    return readers


_MAX_EVENT_DEPTH = 40
# Process events that fire at most a handful of times in a process's life.
RARE_EVENTS = frozenset(
    {
        "uncaughtException",
        "unhandledRejection",
        "exit",
        "beforeExit",
        "SIGINT",
        "SIGTERM",
        "SIGHUP",
        "SIGQUIT",
    }
)


def _rare_event(call: CallSite) -> bool:
    return bool(call.args) and string_value(call.args[0]) in RARE_EVENTS


def is_event_driven(
    function: FunctionInfo,
    functions: dict[int, FunctionInfo],
    calls: dict[int, CallSite],
    depth: int = 0,
    seen: set[int] | None = None,
) -> bool:
    """Whether a function runs per external event rather than per internal call.

    True for callbacks registered with ``.on``/routes/``setInterval``, request handlers and
    framework hooks, for inline callbacks and IIFEs inside such a function, and for named
    functions registered as listeners or called from one. Class methods are not event-driven
    by themselves (they run per call of an API whose callers are unknown): a rule uses this to
    tell "grows per request" from "grows per call of a helper that may see few distinct inputs".
    """
    seen = set() if seen is None else seen
    if depth > _MAX_EVENT_DEPTH or function.node.id in seen:
        return False
    if function.driven_elsewhere:
        return True
    seen.add(function.node.id)
    call = function.callback_of
    if call is not None and is_registration(call):
        return not _rare_event(call)
    if has_handler_params(function) or is_hook_key(function):
        return True
    if framework_row(function) is not None:
        return True  # per job, message, element or reconnect (the framework table)
    if function.class_node is not None and function.method_kind != "field":
        return False
    parent = function.parent
    if call is not None or function.is_iife:
        return parent is not None and is_event_driven(parent, functions, calls, depth + 1, seen)
    binding = function.binding
    if binding is None:
        return False
    for reference in binding.references:
        use = _call_use(reference, functions, calls)
        if use is None:
            continue
        kind, site = use
        if kind == "argument" and is_registration(site) and not _rare_event(site):
            return True
        caller = site.function
        if (
            kind == "call"
            and caller is not None
            and caller is not function
            and is_event_driven(caller, functions, calls, depth + 1, seen)
        ):
            return True
    return False
