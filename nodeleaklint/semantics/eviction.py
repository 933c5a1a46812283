"""Eviction: does a delete reach the entries it is meant for, on every way their work ends?

SPEC §1 *Cleanup is verified, not assumed*: an entry keyed by a fresh id (a request, a
socket, a job, a session) must be deleted on every way its work can end — it completes, it
fails, it times out, the peer closes or vanishes. A delete that runs only on one of them
(only in a ``catch``, only on ``'finish'``, only when the client sends its goodbye) leaves
the entry in place on all the others. The same holds for a delete that names another key
than the entry it looked up, and for a delete registered by one growth site that cannot
reach the entries another growth site adds.

This module answers those questions for NLL301; it knows nothing about findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.locations import same_location
from nodeleaklint.semantics.scopes import Binding, BindingKind, CallSite, FunctionInfo
from nodeleaklint.semantics.syntax import (
    assigned_value,
    call_arguments,
    callee_parts,
    is_inside,
    outer,
    own_nodes,
    root_object,
    short,
    string_value,
    text,
    unwrap,
)
from nodeleaklint.semantics.vocabulary import (
    LISTEN_METHODS,
    PARTIAL_END_EVENTS,
    PARTIAL_END_HOOKS,
    SHRINK_METHODS,
    end_events,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

_MAX_CALLER_DEPTH = 2
_FAILURE = ("failure", "when the work fails", "when it completes normally")
_SUCCESS = ("success", "when the promise resolves", "when it rejects")


@record
class Ending:
    """The one way of ending a piece of work on which a delete runs."""

    way: str  # what identifies the way: "failure", "success", an event or hook name
    covered: str  # "when the work fails"
    missed: str  # "when it completes normally"
    where: str  # "in the `catch` of `CloudWorker.getOrClaimLease`"


def ending_of(model: SemanticModel, site: Node, depth: int = 0) -> Ending | None:
    """The one way of ending on which code at ``site`` runs, or None when it runs on any of
    them (or we cannot tell).

    One way: inside a ``catch`` clause, a ``.catch(…)`` / ``.then(_, onRejected)`` callback,
    a ``.then(onFulfilled)`` callback, a listener for an event that marks one way only
    (``'error'``, ``'finish'``, ``'end'``, ``'timeout'`` …, see ``PARTIAL_END_EVENTS``), an
    option hook that fires on one way only (``PARTIAL_END_HOOKS``), or a local function
    every call of which runs on that one way. A ``finally`` runs on every way."""
    function = model.enclosing_function(site)
    stop = function.node if function is not None else None
    current = site.parent
    while current is not None and (stop is None or current.id != stop.id):
        if current.type == "finally_clause":
            return None
        if current.type == "catch_clause":
            where = function.display() if function is not None else "module top level"
            return Ending(*_FAILURE, f"in the `catch` of {where}")
        current = current.parent
    if function is None:
        return None
    return _function_ending(model, function, depth)


def _function_ending(model: SemanticModel, function: FunctionInfo, depth: int) -> Ending | None:
    call = function.callback_of
    if call is not None:
        return _callback_ending(call, function.argument_index)
    key = function.property_key
    if key is not None and key in PARTIAL_END_HOOKS:
        covered, missed = PARTIAL_END_HOOKS[key]
        return Ending(key, covered, missed, f"in the `{key}` hook")
    return _caller_ending(model, function, depth)


def _callback_ending(call: CallSite, index: int) -> Ending | None:
    name = call.name
    shown = _shown(call)
    if (name == "catch" and index == 0) or (name == "then" and index == 1):
        return Ending(*_FAILURE, f"in `{shown}`")
    if name == "then" and index == 0 and len(call.args) == 1 and not _resolved(call.obj):
        return Ending(*_SUCCESS, f"in `{shown}`")
    if name in LISTEN_METHODS and index == 1 and call.args:
        event = string_value(call.args[0])
        if event is not None and event in PARTIAL_END_EVENTS:
            covered, missed = PARTIAL_END_EVENTS[event]
            return Ending(event, covered, missed, f"in the `'{event}'` listener `{shown}`")
    return None


def _resolved(promise: Node | None) -> bool:
    """``Promise.resolve(…)``: a promise that cannot reject (``.then`` on it only defers)."""
    promise = unwrap(promise)
    if promise is None or promise.type != "call_expression":
        return False
    obj, name = callee_parts(promise)
    return name == "resolve" and text(obj) == "Promise"


def _shown(call: CallSite) -> str:
    """``.catch(…)``, ``socket.on('end', …)``: a call for messages, on one line."""
    return (
        " ".join(call.display(40).split()) if "\n" not in call.callee_text else f".{call.name}(…)"
    )


def _caller_ending(model: SemanticModel, function: FunctionInfo, depth: int) -> Ending | None:
    """A local helper (``const markLost = () => { … }``) runs on the way its callers run."""
    binding = function.binding
    if (
        depth >= _MAX_CALLER_DEPTH
        or binding is None
        or binding.exported
        or binding.scope.is_module
        or function.class_node is not None
    ):
        return None
    endings: list[Ending] = []
    for reference in binding.references:
        if reference.id == binding.node.id:
            continue
        position = outer(reference)
        parent = position.parent
        if (
            parent is None
            or parent.type != "call_expression"
            or parent.child_by_field_name("function") != position
        ):
            return None  # passed on or stored: it may run anywhere
        ending = ending_of(model, parent, depth + 1)
        if ending is None:
            return None
        endings.append(ending)
    if not endings or len({e.way for e in endings}) != 1:
        return None
    first = endings[0]
    return Ending(
        first.way, first.covered, first.missed, f"in {function.display()}, called {first.where}"
    )


def one_way_only(model: SemanticModel, deletes: list[Node]) -> list[Ending] | None:
    """The endings of ``deletes`` when every one of them runs on the same single way of
    ending (all in ``catch``, all on ``'finish'`` …); None when any runs on every way, on a
    way we cannot name, or when they run on different ways."""
    endings: list[Ending] = []
    for delete in deletes:
        ending = ending_of(model, delete)
        if ending is None:
            return None
        endings.append(ending)
    if not endings or len({e.way for e in endings}) != 1:
        return None
    return endings


# -- a deadline that ends the work without a delete ---------------------------------------
_MAX_DEADLINE_DEPTH = 2


@record
class Deadline:
    """The timeout the adding function arms for each entry, and where it ends the work."""

    timer: CallSite  # ``setTimeout(…)`` beside the growth
    ends_in: str  # "`this._cancel(…)`": what the timeout's callback calls, for messages


def deadline_without_delete(
    model: SemanticModel, deletes: list[Node], site: Node
) -> Deadline | None:
    """``const timer = setTimeout(() => this._cancel(id), ms); pending.set(id, { timer,
    reject })``: the function that adds the entry (at ``site``) arms a timeout for it — its
    callback names the entry's key — and nothing on the timeout's path (the callback, and
    what it calls by name or through ``this``, two levels deep) deletes from the
    collection, while the deletes that exist run on another way of ending (a reply handler).
    The entries whose work times out stay. None when a delete is on that path, or in the
    adding function (a ``finally`` or a callback there may run on every way)."""
    function = model.enclosing_function(site)
    key = _growth_key(site)
    if function is None or key is None or not deletes:
        return None
    if any(is_inside(delete, function.node) for delete in deletes):
        return None
    for timer in function.calls:
        if timer.name != "setTimeout" or timer.is_new or timer.obj is not None or not timer.args:
            continue
        callback = model.function_at(unwrap(timer.args[0]) or timer.args[0])
        if callback is None or not _mentions(model, callback.node, key):
            continue
        path = _timeout_path(model, callback, 0)
        if any(is_inside(delete, f.node) for delete in deletes for f in path):
            return None
        called = [c for c in callback.calls if c.obj is None or model.is_this(c.obj)]
        shown = f"`{short(called[0].display(40), 48)}`" if called else "its callback"
        return Deadline(timer, shown)
    return None


def _growth_key(site: Node) -> Node | None:
    """The key identifier of ``c.set(k, …)`` / ``c[k] = …`` (only a plain name)."""
    if site.type == "call_expression":
        args = call_arguments(site)
        key = unwrap(args[0]) if args else None
    else:
        left = unwrap(site.child_by_field_name("left"))
        key = unwrap(left.child_by_field_name("index")) if left is not None else None
    return key if key is not None and key.type == "identifier" else None


def _mentions(model: SemanticModel, node: Node, key: Node) -> bool:
    """Whether ``node`` reads the same binding as the identifier ``key``."""
    binding = model.binding_of(key)
    return binding is not None and any(is_inside(ref, node) for ref in binding.references)


def _timeout_path(model: SemanticModel, function: FunctionInfo, depth: int) -> list[FunctionInfo]:
    """``function`` and what it calls by name or through ``this`` (``depth`` levels more)."""
    found = [function]
    if depth >= _MAX_DEADLINE_DEPTH:
        return found
    # Asked from inside the body: a method's own node lies outside its ``this``.
    method = model.this_function(function.body or function.node)
    owner = model.class_info(method.class_node) if method is not None else None
    for call in function.calls:
        targets: list[FunctionInfo] = []
        if call.obj is None:
            callee = unwrap(call.callee)
            binding = model.binding_of(callee) if callee is not None else None
            if binding is not None and binding.function is not None:
                targets.append(binding.function)
        elif owner is not None and model.is_this(call.obj):
            targets.extend(owner.methods.get(call.name, ()))
        for target in targets:
            if all(target is not f for f in found):
                found.extend(_timeout_path(model, target, depth + 1))
    return found


# -- key identity ---------------------------------------------------------------------------
_LOOKUPS = frozenset({"get", "has"})


def deleted_key(delete: Node) -> Node | None:
    """The key of ``c.delete(k)`` or ``delete c[k]``."""
    if delete.type == "call_expression":
        args = call_arguments(delete)
        return args[0] if len(args) == 1 else None
    if delete.type == "unary_expression":
        target = unwrap(delete.child_by_field_name("argument"))
        if target is not None and target.type == "subscript_expression":
            return target.child_by_field_name("index")
    return None


def deleted_collection(delete: Node) -> Node | None:
    """The collection of ``c.delete(k)`` or ``delete c[k]``."""
    if delete.type == "call_expression":
        obj, _name = callee_parts(delete)
        return obj
    target = unwrap(delete.child_by_field_name("argument"))
    return target.child_by_field_name("object") if target is not None else None


def mismatched_lookup(model: SemanticModel, delete: Node) -> Node | None:
    """``const cb = c.get(msg.callbackId); … c.delete(msg.msgId)``: the function looked the
    entry up under one property of an object and deletes another property of the same object,
    never looked up — the entry it found stays. Returns the lookup's key, else None."""
    key = unwrap(deleted_key(delete))
    collection = deleted_collection(delete)
    function = model.enclosing_function(delete)
    if key is None or collection is None or function is None or key.type != "member_expression":
        return None
    lookups = [
        k for k in _lookup_keys(model, function, collection) if k.start_byte < delete.start_byte
    ]
    if not lookups or any(_same_key(model, k, key) for k in lookups):
        return None
    owner = key.child_by_field_name("object")
    for lookup in lookups:
        if lookup.type == "member_expression" and same_location(
            model, lookup.child_by_field_name("object"), owner
        ):
            return lookup
    return None


def _lookup_keys(model: SemanticModel, function: FunctionInfo, collection: Node) -> list[Node]:
    """Keys ``function`` reads ``collection`` with: ``c.get(k)``, ``c.has(k)``, ``c[k]``."""
    keys: list[Node] = []
    for call in function.calls:
        if (
            call.name in _LOOKUPS
            and len(call.args) == 1
            and _same_collection(model, call.obj, collection)
        ):
            key = unwrap(call.args[0])
            if key is not None:
                keys.append(key)
    return keys


def _same_collection(model: SemanticModel, a: Node | None, b: Node | None) -> bool:
    return same_location(model, a, b) or (
        a is not None and b is not None and text(unwrap(a)) == text(unwrap(b))
    )


def _same_key(model: SemanticModel, a: Node, b: Node) -> bool:
    return same_location(model, a, b) or text(a) == text(b)


# -- deletes that reach one growth site's entries only -----------------------------------
def paired_owner(model: SemanticModel, delete: Node) -> FunctionInfo | None:
    """The function whose entries ``delete`` can evict, when that is one function only: the
    delete sits in a callback registered inside it and keys by its own local or parameter
    (``add(user) { idx.set(user.id, user); user.once('destroy', () => idx.delete(user.id)) }``
    evicts only what ``add`` adds)."""
    callback = model.enclosing_function(delete)
    key = unwrap(deleted_key(delete))
    if callback is None or key is None or callback.callback_of is None:
        return None
    root = root_object(key)
    binding = model.binding_of(root) if root is not None and root.type == "identifier" else None
    owner = binding.function if binding is not None else None
    if binding is None or owner is None or owner is callback or binding.scope.is_module:
        return None
    current = callback.parent
    while current is not None:
        if current is owner:
            return owner
        current = current.parent
    return None


def describe_callback(function: FunctionInfo) -> str:
    """``user.once('destroy', …)`` for a callback, for messages."""
    call = function.callback_of
    return f"`{_shown(call)}`" if call is not None else function.display()


# -- what is not eviction -----------------------------------------------------------------
COMPARISONS = frozenset({"<", "<=", ">", ">="})


def walks(comparison: Node) -> bool:
    """``for (let i = 0; i < list.length; i++)``: the test of a counting loop walks the
    collection; it bounds nothing."""
    parent = comparison.parent
    return (
        parent is not None
        and parent.type == "for_statement"
        and parent.child_by_field_name("condition") == comparison
        and parent.child_by_field_name("increment") is not None
    )


_EXITS = frozenset({"return_statement", "throw_statement"})


def turns_away(model: SemanticModel, comparison: Node, size: Node) -> bool:
    """``if (clients.length >= max) { ws.close(); return; }``: a check that the collection is
    full whose branch only leaves — it refuses the new entry and evicts none, so the entries
    already in stay for good (and once full, it refuses everyone). A branch that calls a
    method of the instance or a function of the file might evict: not a refusal."""
    operator = text(comparison.child_by_field_name("operator"))
    left = comparison.child_by_field_name("left")
    on_left = left is not None and left.id == size.id
    if (operator in (">", ">=")) != on_left:
        return False  # ``size < max``: tests for room, not for fullness
    test, current = comparison, comparison.parent
    while current is not None and current.type in ("parenthesized_expression", "binary_expression"):
        if (
            current.type == "binary_expression"
            and text(current.child_by_field_name("operator")) != "||"
        ):
            return False
        test, current = current, current.parent
    if current is None or current.type != "if_statement":
        return False
    if current.child_by_field_name("condition") != test and unwrap(
        current.child_by_field_name("condition")
    ) != unwrap(test):
        return False
    branch = current.child_by_field_name("consequence")
    if branch is None:
        return False
    statements = branch.named_children if branch.type == "statement_block" else [branch]
    if not statements or statements[-1].type not in _EXITS:
        return False
    collection = text(unwrap(size.child_by_field_name("object")))
    for node in own_nodes(branch):
        if node.type == "call_expression" and _may_evict(model, node):
            return False
        if (
            node.type == "unary_expression"
            and text(node.child_by_field_name("operator")) == "delete"
        ):
            return False
        if node.type == "assignment_expression" and text(
            node.child_by_field_name("left")
        ).startswith(collection):
            return False
    return True


def _may_evict(model: SemanticModel, call: Node) -> bool:
    """A call in a refusing branch that could evict: a shrink method, a method of the
    instance, or a function of this file (a parameter such as ``reject`` or a method of
    another object such as ``ws.close()`` cannot reach the collection's entries)."""
    obj, name = callee_parts(call)
    if name in SHRINK_METHODS or (obj is not None and obj.type == "this"):
        return True
    if obj is not None:
        return False
    callee = unwrap(call.child_by_field_name("function"))
    binding = (
        model.binding_of(callee) if callee is not None and callee.type == "identifier" else None
    )
    return binding is not None and binding.kind is not BindingKind.PARAM


def expiry_check(model: SemanticModel, reads: list[Node]) -> Node | None:
    """``const e = this.entries.get(k); if (e.expiresAt <= Date.now()) return undefined``: a
    read that compares the entry with the clock. The entries have a lifetime, so the
    collection outlives them; skipping an expired entry on read does not remove it."""
    for read in reads:
        parent = read.parent
        name = parent.child_by_field_name("name") if parent is not None else None
        if parent is None or parent.type != "variable_declarator" or name is None:
            continue
        binding = model.binding_of(name) if name.type == "identifier" else None
        for reference in binding.references if binding is not None else ():
            comparison = outer(reference).parent
            while comparison is not None and comparison.type == "member_expression":
                comparison = comparison.parent
            if (
                comparison is not None
                and comparison.type == "binary_expression"
                and text(comparison.child_by_field_name("operator")) in COMPARISONS
                and any(_reads_clock(side) for side in comparison.named_children)
            ):
                return comparison
    return None


def _reads_clock(node: Node) -> bool:
    """``Date.now()``, ``performance.now()``, ``+new Date()``: the current time."""
    node = unwrap(node) or node
    return any(_is_clock_read(current) for current in own_nodes(node))


def _is_clock_read(node: Node) -> bool:
    """``x.now()`` or ``new Date(…)``."""
    if node.type == "call_expression":
        return callee_parts(node)[1] == "now"
    return node.type == "new_expression" and (
        text(node.child_by_field_name("constructor")) == "Date"
    )


# -- deletes behind a guard that some paths never satisfy -----------------------------------
def expired_on_read(model: SemanticModel, delete: Node) -> Node | None:
    """``const e = store.get(key); if (!e || Date.now() > e.exp) { store.delete(key); … }``:
    the delete runs only when the same key is read again after its entry expired (lazy
    expiry on read). An entry whose key is never read again is never deleted. Returns the
    expiry comparison, else None."""
    key = unwrap(deleted_key(delete))
    collection = deleted_collection(delete)
    function = model.enclosing_function(delete)
    if key is None or collection is None or function is None:
        return None
    if function.callback_of is not None and function.callback_of.name in _TIMERS:
        return None  # a timer's sweep, not a read
    entries = _entry_locals(model, function, collection, key, delete)
    current = delete.parent
    while current is not None and current.id != function.node.id:
        if current.type in _LOOPS:
            return None  # a loop over entries is a sweep, not a read of one key
        if current.type == "if_statement":
            branch = current.child_by_field_name("consequence")
            condition = current.child_by_field_name("condition")
            if branch is not None and condition is not None and is_inside(delete, branch):
                comparison = _expiry_test(model, condition, entries, collection, key)
                if comparison is not None:
                    return comparison
        current = current.parent
    return None


def _entry_locals(
    model: SemanticModel, function: FunctionInfo, collection: Node, key: Node, before: Node
) -> set[int]:
    """Ids of the bindings ``function`` declares from a read of ``collection`` under ``key``
    (``const e = c.get(key)``, ``const e = c[key]``) before ``before``."""
    found: set[int] = set()
    for node in own_nodes(function.body or function.node):
        if node.start_byte >= before.start_byte:
            break
        if node.type != "variable_declarator":
            continue
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if (
            name is None
            or name.type != "identifier"
            or not _reads_entry(model, value, collection, key)
        ):
            continue
        binding = model.binding_of(name)
        if binding is not None:
            found.add(id(binding))
    return found


def _reads_entry(model: SemanticModel, value: Node | None, collection: Node, key: Node) -> bool:
    """``c.get(key)`` or ``c[key]`` (through ``await`` too)."""
    value = unwrap(value)
    if value is not None and value.type == "await_expression":
        value = unwrap(value.named_children[0]) if value.named_children else None
    if value is None:
        return False
    if value.type == "call_expression":
        obj, name = callee_parts(value)
        args = call_arguments(value)
        return (
            name == "get"
            and len(args) == 1
            and _same_collection(model, obj, collection)
            and _same_key(model, unwrap(args[0]) or args[0], key)
        )
    if value.type == "subscript_expression":
        index = unwrap(value.child_by_field_name("index"))
        return (
            index is not None
            and _same_collection(model, value.child_by_field_name("object"), collection)
            and _same_key(model, index, key)
        )
    return False


def _expiry_test(
    model: SemanticModel, condition: Node, entries: set[int], collection: Node, key: Node
) -> Node | None:
    """A comparison in ``condition`` of the looked-up entry (or the lookup itself) with the
    clock: ``Date.now() > e.exp``, ``now - e.at > TTL``."""
    for node in own_nodes(condition):
        if node.type != "binary_expression":
            continue
        if text(node.child_by_field_name("operator")) not in COMPARISONS:
            continue
        if not any(_reads_clock(side) for side in node.named_children):
            continue
        for part in own_nodes(node):
            if part.type == "identifier":
                binding = model.binding_of(part)
                if binding is not None and id(binding) in entries:
                    return node
            elif _reads_entry(model, part, collection, key):
                return node
    return None


_ITERATORS = frozenset({"forEach", "map"})
_LOOPS = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})


@record
class KeptMembers:
    """A delete guarded by its entry being empty, and a branch that leaves the entry full."""

    guard: Node  # ``topicCallbacks.length === 0``
    branch: Node  # the branch that empties something else but not the entry
    removal: CallSite  # what it does to each member instead: ``removeListener(topic, cb)``


def emptied_on_some_paths(model: SemanticModel, delete: Node) -> KeptMembers | None:
    """``if (cbs.length === 0) delete subs[topic]`` after an ``if (callback) { cbs.splice(…) }
    else { cbs.forEach((cb) => emitter.removeListener(topic, cb)) }``: the delete runs only
    once the entry (the inner collection kept under the key) is empty, and one branch before
    it removes each member from somewhere else while leaving it in the entry. On that path
    the entry is never emptied, so its key is never deleted. Only a branch that walks the
    entry and removes what it walks counts: the author meant to drop everything there."""
    key = unwrap(deleted_key(delete))
    collection = deleted_collection(delete)
    function = model.enclosing_function(delete)
    if key is None or collection is None or function is None:
        return None
    guard_if = _enclosing_if(delete, function)
    if guard_if is None:
        return None
    entries = _entry_locals(model, function, collection, key, delete)
    guard = _emptiness_test(model, guard_if.child_by_field_name("condition"), entries)
    if guard is None:
        return None
    block = guard_if.parent
    if block is None:
        return None
    before = [s for s in block.named_children if s.start_byte < guard_if.start_byte]
    for index, statement in enumerate(before):
        if statement.type != "if_statement":
            continue
        if any(_empties(model, later, entries) for later in before[index + 1 :]):
            continue  # emptied after the branches, before the test
        for branch in _branches(statement):
            removal = _walks_without_emptying(model, branch, entries)
            if removal is not None:
                return KeptMembers(guard, branch, removal)
    return None


def _empties(model: SemanticModel, node: Node, entries: set[int]) -> bool:
    """Whether ``node`` shrinks or replaces the entry (``e.splice(0)``, ``e.length = 0``)."""
    for current in _all_nodes(node):
        if current.type == "call_expression":
            obj, name = callee_parts(current)
            if _is_entry(model, obj, entries) and (
                name in SHRINK_METHODS or name in ("delete", "clear")
            ):
                return True
        elif current.type == "assignment_expression" and _writes_entry(model, current, entries):
            return True
    return False


def _writes_entry(model: SemanticModel, assignment: Node, entries: set[int]) -> bool:
    """An assignment to an entry, or to a member that holds an entry's size."""
    left = unwrap(assignment.child_by_field_name("left"))
    return left is not None and (
        _is_entry(model, left, entries)
        or (left.type == "member_expression" and _entry_size(model, left, entries))
    )


def _enclosing_if(node: Node, function: FunctionInfo) -> Node | None:
    """The ``if`` whose consequence holds ``node`` directly (only blocks in between)."""
    current = node.parent
    while current is not None and current.id != function.node.id:
        if current.type == "if_statement":
            branch = current.child_by_field_name("consequence")
            return current if branch is not None and is_inside(node, branch) else None
        if current.type not in ("expression_statement", "statement_block"):
            return None
        current = current.parent
    return None


def _emptiness_test(model: SemanticModel, condition: Node | None, entries: set[int]) -> Node | None:
    """``e.length === 0``, ``e.size === 0``, ``!e.length``, ``e.length < 1`` on an entry local."""
    test = unwrap(condition)
    if test is None:
        return None
    if test.type == "unary_expression" and text(test.child_by_field_name("operator")) == "!":
        inner = unwrap(test.child_by_field_name("argument"))
        return test if inner is not None and _entry_size(model, inner, entries) else None
    if test.type != "binary_expression":
        return None
    operator = text(test.child_by_field_name("operator"))
    left = unwrap(test.child_by_field_name("left"))
    right = unwrap(test.child_by_field_name("right"))
    if left is None or right is None:
        return None
    if operator in ("===", "==", "<=") and text(right) == "0":
        return test if _entry_size(model, left, entries) else None
    if operator == "<" and text(right) == "1":
        return test if _entry_size(model, left, entries) else None
    return None


def _entry_size(model: SemanticModel, node: Node, entries: set[int]) -> bool:
    if node.type != "member_expression":
        return False
    prop = text(node.child_by_field_name("property"))
    return prop in ("length", "size") and _is_entry(
        model, node.child_by_field_name("object"), entries
    )


def _is_entry(model: SemanticModel, node: Node | None, entries: set[int]) -> bool:
    node = unwrap(node)
    if node is None or node.type != "identifier":
        return False
    binding = model.binding_of(node)
    return binding is not None and id(binding) in entries


def _branches(statement: Node) -> list[Node]:
    """The consequence and the ``else`` of an ``if`` statement."""
    found: list[Node] = []
    consequence = statement.child_by_field_name("consequence")
    if consequence is not None:
        found.append(consequence)
    alternative = statement.child_by_field_name("alternative")
    if alternative is not None:
        found.append(alternative)
    return found


def _walks_without_emptying(
    model: SemanticModel, branch: Node, entries: set[int]
) -> CallSite | None:
    """The removal a branch applies to each member of the entry it walks
    (``e.forEach((cb) => emitter.removeListener(topic, cb))``, ``for (const cb of e) …``)
    when the branch never shrinks the entry itself. None otherwise."""
    walked: Node | None = None
    for node in _all_nodes(branch):
        if node.type == "call_expression":
            obj, name = callee_parts(node)
            if _is_entry(model, obj, entries):
                if name in SHRINK_METHODS or name in ("delete", "clear"):
                    return None
                if name in _ITERATORS:
                    walked = node
        elif node.type == "for_in_statement":
            if _is_entry(model, node.child_by_field_name("right"), entries):
                walked = node
        elif node.type == "assignment_expression" and _writes_entry(model, node, entries):
            return None
    if walked is None:
        return None
    for node in _all_nodes(walked):
        if node.type != "call_expression":
            continue
        function = model.enclosing_function(node)
        site = next((c for c in function.calls if c.node.id == node.id), None) if function else None
        if site is not None and site.name in _MEMBER_REMOVALS:
            return site
    return None


# What a branch may do to each member it walks instead of removing it from the entry.
_MEMBER_REMOVALS = frozenset(
    {
        "off",
        "removeListener",
        "removeEventListener",
        "unsubscribe",
        "delete",
        "clearTimeout",
        "clearInterval",
        "destroy",
        "close",
    }
)


def _all_nodes(node: Node) -> list[Node]:
    """``node`` and every named descendant, nested functions included."""
    found: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(reversed(current.named_children))
    return found


def sibling_deleted_alone(model: SemanticModel, deletes: list[Node], site: Node) -> CallSite | None:
    """``cache.set(hash, data); lastUpdate.set(hash, now)`` in one function, which on another
    path (a missing or expired session) runs ``cache.delete(hash)`` and leaves (a ``return``
    or ``throw`` follows: the key is dropped, not replaced) but never deletes from
    ``lastUpdate``: sibling collections keyed by the same id are evicted together (SPEC §1),
    and this one keeps the key on that path. Only when every delete of this collection is
    elsewhere (an explicit logout). Returns the sibling's delete, else None."""
    function = model.enclosing_function(site)
    key = _growth_key(site)
    if function is None or key is None or site.type != "call_expression":
        return None
    if any(is_inside(delete, function.node) for delete in deletes):
        return None
    own, _name = callee_parts(site)
    own_text = text(unwrap(own))
    siblings: set[str] = set()
    for call in function.calls:
        if call.name == "set" and call.obj is not None and call.args:
            arg = unwrap(call.args[0])
            sibling = text(unwrap(call.obj))
            if arg is not None and text(arg) == text(key) and sibling != own_text:
                siblings.add(sibling)
    for call in function.calls:
        if call.name != "delete" or call.obj is None or len(call.args) != 1:
            continue
        arg = unwrap(call.args[0])
        if (
            arg is not None
            and text(arg) == text(key)
            and text(unwrap(call.obj)) in siblings
            and _then_leaves(call.node)
        ):
            return call
    return None


def _then_leaves(node: Node) -> bool:
    """Whether the statement holding ``node`` is followed, in its block, by a ``return`` or
    ``throw``: the path drops the key and ends (``cache.delete(id); return null``), it does
    not replace the entry."""
    statement = node
    while statement.parent is not None and statement.parent.type != "statement_block":
        if statement.type in _FUNCTION_NODES:
            return False
        statement = statement.parent
    block = statement.parent
    if block is None:
        return False
    after = [c for c in block.named_children if c.start_byte > statement.start_byte]
    return any(c.type in _EXITS for c in after)


_FUNCTION_NODES = frozenset(
    {"function_declaration", "function_expression", "arrow_function", "method_definition"}
)


def evicts_by_age(model: SemanticModel, delete: Node) -> bool:
    """Whether a delete may remove entries because they are old, not because a caller named
    them: the functions around it (a ``forEach`` callback and the method that runs it) read
    the clock (a sweep comparing each entry's time), run in a timer's callback, or are handed
    to a timer or called from a timer's callback by name (``setTimeout(() => cacheDel(key),
    ttl)``, ``setInterval(this.sweep.bind(this))``)."""
    function = model.enclosing_function(delete)
    if function is None:
        return True
    names: set[str] = set()
    current: FunctionInfo | None = function
    while current is not None:
        call = current.callback_of
        if call is not None and call.name in _TIMERS:
            return True
        if current.name or current.property_key or call is None:
            if _clock_anywhere(current.body or current.node):
                return True
            names.update(n for n in (current.name, current.property_key) if n)
            break  # a named function: what calls it is asked by name below
        current = current.parent
    if not names:
        return False
    for timer in model.calls_named(*_TIMERS):
        for arg in timer.args:
            for node in _all_nodes(arg):
                if node.type in ("identifier", "property_identifier") and text(node) in names:
                    return True
    return False


_TIMERS = frozenset({"setTimeout", "setInterval", "setImmediate"})


def _clock_anywhere(node: Node) -> bool:
    """Whether ``node`` reads the current time anywhere, nested functions included."""
    return any(_is_clock_read(current) for current in _all_nodes(node))


# Flags a response sets when it has sent everything, never when its client goes away first.
_COMPLETION_FLAGS = frozenset({"finished", "writableFinished", "writableEnded"})
# Flags that do say the client went away: a test of one of them covers that way too.
_GONE_FLAGS = frozenset({"destroyed", "closed", "aborted"})


def finished_only(model: SemanticModel, delete: Node) -> Node | None:
    """``for (id in pending) if (pending[id].finished) delete pending[id]``: the delete runs
    only once the entry (a response) has finished sending. A response whose client
    disconnects first is destroyed, never finished, and its entry stays. Returns the test of
    the completion flag, else None (also when the test reads ``destroyed`` / ``closed``)."""
    function = model.enclosing_function(delete)
    current: Node | None = delete.parent
    child = delete
    while current is not None and function is not None and current.id != function.node.id:
        if current.type == "if_statement":
            condition = current.child_by_field_name("condition")
            consequence = current.child_by_field_name("consequence")
            in_consequence = consequence is not None and is_inside(child, consequence)
            flag = _completion_test(condition, negated=not in_consequence)
            if flag is not None:
                return flag
        child = current
        current = current.parent
    return None


def _completion_test(condition: Node | None, negated: bool) -> Node | None:
    """The ``x.finished`` read that decides ``condition`` (``!x.finished`` when ``negated``),
    alone or in a chain of ``&&``; None when the condition reads a gone flag too."""
    test = unwrap(condition)
    if test is None:
        return None
    for node in own_nodes(test):
        if (
            node.type == "member_expression"
            and text(node.child_by_field_name("property")) in _GONE_FLAGS
        ):
            return None
        if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "||":
            return None
    if negated:
        if test.type != "unary_expression" or text(test.child_by_field_name("operator")) != "!":
            return None
        test = unwrap(test.child_by_field_name("argument"))
        if test is None:
            return None
    parts = [test]
    while parts and parts[0].type == "binary_expression":
        if text(parts[0].child_by_field_name("operator")) != "&&":
            return None
        first = parts.pop(0)
        parts.extend(
            p for p in (first.child_by_field_name("left"), first.child_by_field_name("right")) if p
        )
    for part in parts:
        flag = unwrap(part)
        if (
            flag is not None
            and flag.type == "member_expression"
            and text(flag.child_by_field_name("property")) in _COMPLETION_FLAGS
        ):
            return flag
    return None


# -- deletes keyed by another collection's keys ------------------------------------------
def walked_collection(model: SemanticModel, key: Node | None) -> Node | None:
    """The collection whose keys ``key`` walks, when it is the key of an iteration over
    another collection: the key parameter of ``other.forEach((value, key) => …)``, or the
    loop variable of ``for (const [key] of other)``, ``for (const key of other.keys())``,
    ``for (const key in other)``."""
    key = unwrap(key)
    if key is None or key.type != "identifier":
        return None
    binding = model.binding_of(key)
    if binding is None or binding.is_reassigned:
        return None
    function = binding.function
    if binding.kind is BindingKind.PARAM and function is not None:
        call = function.callback_of
        params = function.params
        if call is not None and call.name == "forEach" and len(params) > 1 and params[1] is binding:
            return call.obj
        return None
    loop = binding.node.parent
    while loop is not None and loop.type in (
        "array_pattern",
        "variable_declarator",
        "lexical_declaration",
    ):
        loop = loop.parent
    if loop is None or loop.type != "for_in_statement":
        return None
    left, right = loop.child_by_field_name("left"), unwrap(loop.child_by_field_name("right"))
    if left is None or right is None or not is_inside(binding.node, left):
        return None
    keyword = next((c.type for c in loop.children if c.type in ("of", "in")), None)
    if keyword == "in":
        return right if left.type != "array_pattern" else None
    pattern = binding.node.parent
    if pattern is not None and pattern.type == "array_pattern":
        first = pattern.named_children[0] if pattern.named_children else None
        return right if first is not None and first.id == binding.node.id else None
    if right.type == "call_expression":
        obj, name = callee_parts(right)
        return obj if name == "keys" and not call_arguments(right) else None
    return None


def foreign_keys(
    model: SemanticModel, delete: Node, function: FunctionInfo, key: Node | None
) -> tuple[Node, list[Node]] | None:
    """``channels.set(orderId, …)`` in ``function``, and the only delete is
    ``subscriptions.forEach((clients, k) => channels.delete(k))``: the delete walks the keys
    of another collection, which ``function`` itself looks up with other keys (``
    subscriptions.get(displayId)``) and never with ``orderId``. The two collections are
    keyed by different things, so the delete matches no entry added here. Returns the other
    collection and the keys ``function`` gives it, else None."""
    other = walked_collection(model, deleted_key(delete))
    key = unwrap(key)
    if other is None or key is None or key.type != "identifier":
        return None
    used: list[Node] = []
    for call in function.calls:
        if call.name in ("get", "has", "set", "delete") and _same_collection(
            model, call.obj, other
        ):
            found = unwrap(call.args[0]) if call.args else None
            if found is None:
                return None
            used.append(found)
    if not used or any(_related_keys(model, found, key) for found in used):
        return None
    return other, used


def _related_keys(model: SemanticModel, a: Node, b: Node) -> bool:
    """Whether two keys may hold the same value: the same text or variable, or a variable
    ever assigned from the other (``const id = key``, ``id = other || key``, ``const id =
    msg.id`` and ``msg.id``). Two different expressions that are not variables (``a.x`` and
    ``a.y``) are different keys; a variable with no initial value (a parameter) may be any."""
    if _same_key(model, a, b):
        return True
    if a.type != "identifier" and b.type != "identifier":
        return False
    if a.type != "identifier":
        a, b = b, a
    first = model.binding_of(a)
    if first is None:
        return True
    if b.type != "identifier":
        return _assigned_from(first, text(b))
    second = model.binding_of(b)
    if second is None or first is second:
        return True
    return _assigned_from(first, second.name) or _assigned_from(second, first.name)


def _assigned_from(binding: Binding, shown: str) -> bool:
    """Whether ``binding`` may hold the value written ``shown``: one of the values it is
    given mentions it, or one of them is unknown (a parameter, ``x++``, a destructuring)."""
    values = [binding.init, *(assigned_value(write) for write in binding.writes)]
    return any(
        value is None or any(text(node) == shown for node in own_nodes(value)) for value in values
    )


# -- entries whose own end the code hears and leaves in -----------------------------------
_HEARD_ENDINGS = end_events("readable", "writable", "connection", "process", "client")


def ended_in_place(model: SemanticModel, growth: Node, refs: list[Node]) -> Node | None:
    """``sessions.set(uid, session); session.on('exit', () => rpc.emit('exit', { uid }))``:
    the function that adds an entry listens for the end of the stored value's own work (its
    ``'exit'``, ``'close'``, ``'end'``), and that listener does not touch the collection
    (``refs``): the code knows when the entry is done and leaves it in. Returns the
    registration, else None."""
    args = call_arguments(growth) if growth.type == "call_expression" else []
    value = unwrap(args[-1]) if args else None
    function = model.enclosing_function(growth)
    if value is None or value.type != "identifier" or function is None:
        return None
    binding = model.binding_of(value)
    if binding is None or binding.is_reassigned:
        return None
    for call in function.calls:
        if call.name not in LISTEN_METHODS or len(call.args) < 2 or call.obj is None:
            continue
        obj = unwrap(call.obj)
        if obj is None or obj.type != "identifier" or model.binding_of(obj) is not binding:
            continue
        if string_value(call.args[0]) not in _HEARD_ENDINGS:
            continue
        listener = unwrap(call.args[1])
        if listener is None or listener.type not in _FUNCTION_NODES:
            return None  # a named handler may delete: not followed
        if any(is_inside(ref, listener) for ref in refs):
            return None
        return call.node
    return None


def wholesale(model: SemanticModel, shrinks: list[Node]) -> bool:
    """Whether every shrink empties the collection at once: ``clear()``, or a delete of the
    key a walk over the same collection is at (``sessions.forEach((s, key) =>
    sessions.delete(key))``)."""
    for shrink in shrinks:
        if shrink.type == "call_expression" and callee_parts(shrink)[1] == "clear":
            continue
        walked = walked_collection(model, deleted_key(shrink))
        if walked is None or not _same_collection(model, walked, deleted_collection(shrink)):
            return False
    return bool(shrinks)
