"""Setup that runs again on the same instance (SPEC §1 *Method frequency*).

A method that gives the instance's emitters their listeners (``registerListeners()``, or an
``init()`` that calls it) is setup: it runs once per instance, and its listeners live as long
as the instance. The code itself says when it runs again: the instance is set up where it is
made (its constructor calls the method, or the function that makes it with ``new`` calls the
method on the new instance), and another method calls it again on ``this``
(``flushQueues() { await this.scheduler.stop(); await this.init(); }``). Each later run adds
the same listeners once more to emitters that kept the first ones.

Only calls through ``this`` in the class, or on an instance made in view, count, and a run
behind a latch (``if (this.ready) return``) does not. The caller that runs the setup again
must be a method that can run many times (not the constructor, not a static method).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics import frameworks
from nodeleaklint.semantics.latches import latch_of
from nodeleaklint.semantics.locations import member_index
from nodeleaklint.semantics.scopes import FunctionInfo
from nodeleaklint.semantics.syntax import text, unwrap

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

_MAX_DEPTH = 3  # setup reached through at most this many ``this.method()`` calls


@record
class SetupRerun:
    """A setup function run when the instance is made and again from another method."""

    setup: FunctionInfo  # the function that runs again (``init``)
    made: Node  # the call that runs it when the instance is made
    again: Node  # the call in another method that runs it again
    caller: FunctionInfo  # that method (``flushQueues``)
    # The ``this.x()`` calls from the setup down to the function asked about, outermost first
    # (``this.registerListeners()`` in ``init``); empty when that function is the setup.
    steps: tuple[Node, ...]


def setup_rerun(model: SemanticModel, function: FunctionInfo) -> SetupRerun | None:
    """Whether ``function`` (a member of a class), or a member that reaches it through
    ``this.x()`` calls, runs when the instance is made and again from another method."""
    key = f"setup_rerun:{function.node.id}"
    if key in model.cache:
        cached = model.cache[key]
        return cached if isinstance(cached, SetupRerun) else None
    found = _search(model, function)
    model.cache[key] = found if found is not None else False
    return found


def _search(model: SemanticModel, function: FunctionInfo) -> SetupRerun | None:
    frontier: list[tuple[FunctionInfo, tuple[Node, ...]]] = [(function, ())]
    seen: set[int] = set()
    for _ in range(_MAX_DEPTH):
        callers: list[tuple[FunctionInfo, tuple[Node, ...]]] = []
        for setup, steps in frontier:
            if setup.node.id in seen or not setup.name or setup.class_node is None:
                continue
            seen.add(setup.node.id)
            made: Node | None = None
            again: tuple[Node, FunctionInfo] | None = None
            for site, caller, at_creation in _runs_of(model, setup):
                if at_creation:
                    made = made or site
                    continue
                if caller is None:
                    continue
                if _may_run_again(caller, setup):
                    again = again or (site, caller)
                callers.append((caller, (site, *steps)))
            if made is not None and again is not None:
                return SetupRerun(setup, made, again[0], again[1], steps)
        frontier = callers
    return None


def _runs_of(
    model: SemanticModel, setup: FunctionInfo
) -> list[tuple[Node, FunctionInfo | None, bool]]:
    """Each unlatched call that runs ``setup`` on one instance: (site, the function it sits
    in, whether it runs when the instance is made)."""
    assert setup.name is not None and setup.class_node is not None
    class_node = setup.class_node
    found: list[tuple[Node, FunctionInfo | None, bool]] = []
    for call in model.calls_named(setup.name):
        if call.is_new or call.obj is None:
            continue
        caller = model.this_function(call.node)
        if model.is_this(call.obj) and model.in_class(call.node, class_node):
            if caller is setup:
                continue  # it calls itself: not a second setup of the instance
            stop = caller.node if caller is not None else None
            if latch_of(call.node, stop) is not None:
                continue
            at_creation = caller is not None and caller.method_kind == "constructor"
            found.append((call.node, caller, at_creation))
        elif _made_here(model, call.obj, class_node):
            found.append((call.node, model.enclosing_function(call.node), True))
    return found


def _made_here(model: SemanticModel, obj: Node, class_node: Node) -> bool:
    """``instance`` of ``const instance = new Queue(…); instance.init()``."""
    obj = unwrap(obj) or obj
    if obj.type != "identifier":
        return False
    binding = model.binding_of(obj)
    made = unwrap(binding.init) if binding is not None and not binding.is_reassigned else None
    if made is None or made.type != "new_expression":
        return False
    info = model.class_info(class_node)
    return (
        info is not None
        and info.name is not None
        and text(made.child_by_field_name("constructor")) == info.name
    )


def _may_run_again(caller: FunctionInfo, setup: FunctionInfo) -> bool:
    """A method other than the setup itself that the instance can run many times."""
    return (
        caller is not setup
        and caller.class_node is not None
        and caller.method_kind not in ("constructor", "static")
        and not caller.is_static
    )


def runs_once_per_instance(model: SemanticModel, method: FunctionInfo) -> bool:
    """A private method (TypeScript ``private``, or ``#name``) that only the constructor
    calls, directly on ``this``: nothing outside the class can call it, so it runs once per
    instance, as the constructor does (``constructor() { this.setupHandlers() }``). A call
    from a callback inside the constructor runs per event and does not count as once.

    Also a framework hook its package calls once per instance (``frameworks.hook_guarantee``:
    Polymer's ``ready()`` in a class that extends an element of ``@polymer/polymer``) when
    nothing in the file calls it but the framework (``_only_the_framework_calls``)."""
    name = method.name
    if method.class_node is None or method.method_kind != "method" or name is None:
        return False
    if frameworks.hook_guarantee(method) is not None:
        return _only_the_framework_calls(model, method, name)
    if not (name.startswith("#") or declared_private(method.node)):
        return False
    uses = [
        member
        for member in member_index(model).get(name, [])
        if model.is_this(member.child_by_field_name("object"))
        and model.in_class(member, method.class_node)
    ]
    if not uses:
        return False
    for member in uses:
        call = model.call_at(member.parent) if member.parent is not None else None
        if call is None or call.callee is None or call.callee.id != member.id:
            return False  # handed on (``this.m.bind(this)``) or stored: it may run any time
        caller = call.function
        if caller is None or caller.method_kind != "constructor":
            return False
        if caller.class_node is None or caller.class_node.id != method.class_node.id:
            return False
    return True


def _only_the_framework_calls(model: SemanticModel, method: FunctionInfo, name: str) -> bool:
    """No code of the file runs the hook ``name`` of ``method``'s class but the framework: the
    only members so named are ``super.name()`` (a subclass's own hook handing on to its
    parent's, in the same run), ``this.name`` in the methods of another class that does
    not extend this one (that class's own hook) and ``new Other().name()``. Anything else
    (``this.ready()`` in the class, ``el.ready()``) may run it again."""
    class_node = method.class_node
    if class_node is None:
        return False
    for member in member_index(model).get(name, []):
        target = member.child_by_field_name("object")
        if target is None:
            return False
        if target.type == "super" or _made_of_another_class(target, method.class_name):
            continue
        if not model.is_this(target):
            return False
        owner = model.this_function(member)
        other = owner.class_node if owner is not None else None
        if other is None or other.id == class_node.id or _extends(other, method.class_name):
            return False
    return True


def _made_of_another_class(target: Node, name: str | None) -> bool:
    """``new Other()`` (parenthesised or not) of a class other than ``name``."""
    made = unwrap(target)
    if made is None or made.type != "new_expression":
        return False
    constructor = made.child_by_field_name("constructor")
    return (
        constructor is not None and constructor.type == "identifier" and text(constructor) != name
    )


def _extends(class_node: Node, name: str | None) -> bool:
    """Whether the ``extends`` clause of ``class_node`` names ``name`` (``class B extends
    mixin(A)``): a subclass whose ``this`` may be an instance of ``name``."""
    heritage = next((c for c in class_node.named_children if c.type == "class_heritage"), None)
    if heritage is None or name is None:
        return False
    stack = [heritage]
    while stack:
        node = stack.pop()
        if node.type == "identifier" and text(node) == name:
            return True
        stack.extend(node.named_children)
    return False


def declared_private(node: Node) -> bool:
    """``private m() {}``: the TypeScript accessibility modifier of a method."""
    return any(
        child.type == "accessibility_modifier" and text(child) == "private"
        for child in node.children
    )
