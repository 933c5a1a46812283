"""Where a class is constructed: the ``new X(…)`` sites that hand its constructor arguments.

SPEC §1 *Arguments reach parameters*: when every call of a function is in view, its
parameters take the lifetimes of the arguments passed there. For a constructor the calls
are the ``new X(…)`` expressions; ``new X(a, b)`` hands ``a`` and ``b`` to the
constructor's parameters exactly as a call hands them to a function's. The set is complete
only when every other use of the class's name cannot construct it or hand it on: a static
member read (``X.create``, ``X.prototype.m = …``), ``x instanceof X``, and the ES5
heritage call ``util.inherits(X, Base)``. A subclass (``extends X``, ``X.call(this, …)``),
an export, a reassignment or any other use (passed on, stored) leaves callers out of view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.semantics.classes import INHERITS_CALLEES
from nodeleaklint.semantics.scopes import Binding, BindingKind, CallSite, FunctionInfo, Scope
from nodeleaklint.semantics.syntax import outer, text

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

# Member reads of a class that run it as a function (a subclass's ``X.call(this, …)``).
_RUNS_IT = frozenset({"call", "apply", "bind"})


def class_binding(model: SemanticModel, function: FunctionInfo) -> Binding | None:
    """The binding naming the class whose constructor ``function`` is: ``class X``'s name,
    ``const X = class {…}``'s variable, or an ES5 constructor function's own name."""
    class_node = function.class_node
    info = model.class_info(class_node)
    if info is None or info.constructor is not function or class_node is None:
        return None
    if info.es5:
        return function.binding
    name = class_node.child_by_field_name("name")
    if name is None:
        holder = outer(class_node).parent
        if holder is None or holder.type != "variable_declarator":
            return None
        name = holder.child_by_field_name("name")
    if name is None or name.type not in ("identifier", "type_identifier"):
        return None
    return model.binding_of(name)


def declared_class(scope: Scope, name: str | None, class_node: Node) -> Binding | None:
    """The binding ``class X {…}`` (``class_node``) declares as ``name`` in ``scope``, the
    scope around the declaration; None for any other binding of that name."""
    binding = scope.bindings.get(name or "")
    if (
        binding is None
        or binding.kind is not BindingKind.CLASS
        or binding.declarator is None
        or binding.declarator.id != class_node.id
    ):
        return None
    return binding


def construction_sites(model: SemanticModel, function: FunctionInfo) -> list[CallSite] | None:
    """Every ``new X(…)`` of the class whose constructor is ``function`` (direct calls
    ``X(…)`` of an ES5 constructor too), when the file holds all of them; None otherwise."""
    binding = class_binding(model, function)
    if binding is None or function.exported:
        return None
    return complete_sites(binding, model.facts.call_by_node)


def complete_sites(
    binding: Binding, calls: dict[int, CallSite], closed: bool = False
) -> list[CallSite] | None:
    """The calls (``new X(…)``, ``X(…)``) among the uses of a class's ``binding`` when no
    other use can construct it or hand it on; None otherwise (also for a class exported or
    reassigned). ``calls``: call sites by node id (the model's ``call_by_node``; repetition
    asks before the model exists). ``closed``: the project view found that no other file
    but tests imports the exported class (``ProjectFacts.closed_classes``), so its export
    hands it to nobody."""
    if binding.is_reassigned or (binding.exported and not closed):
        return None
    sites: list[CallSite] = []
    for reference in binding.references:
        position = outer(reference)
        parent = position.parent
        if parent is None:
            return None
        site = calls.get(parent.id)
        callee = site.callee if site is not None else None
        if site is not None and callee is not None and callee.id == position.id:
            sites.append(site)
        elif not _inert_use(calls, parent, position):
            return None
    return sites


def _inert_use(calls: dict[int, CallSite], parent: Node, position: Node) -> bool:
    """A use of the class's name that neither constructs it nor hands it on."""
    kind = parent.type
    if kind == "member_expression":
        prop = parent.child_by_field_name("property")
        obj = parent.child_by_field_name("object")
        return (
            obj is not None
            and obj.id == position.id
            and prop is not None
            and text(prop) not in _RUNS_IT
        )
    if kind == "binary_expression":
        operator = parent.child_by_field_name("operator")
        right = parent.child_by_field_name("right")
        return (
            operator is not None
            and text(operator) == "instanceof"
            and right is not None
            and right.id == position.id
        )
    if kind == "arguments":
        call = parent.parent
        site = calls.get(call.id) if call is not None else None
        return (
            site is not None
            and site.callee is not None
            and (site.name in INHERITS_CALLEES or text(site.callee) in INHERITS_CALLEES)
            and bool(site.args)
            and site.args[0].id == position.id
        )
    return False
