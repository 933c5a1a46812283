"""Instances that die with the call that makes them: the file-local twin of the project view's
``per_call`` fact (``SemanticModel.created_per_call_elsewhere``).

A class the file does not export, whose every ``new X(…)`` in the file initialises a local
variable of a function (``const acc = new Accumulator(…)`` in an action handler), and whose
locals are only used in place (their members read or called: never returned, stored,
passed on or aliased), has instances that live as long as one call of that function. What
their fields hold dies with them, however the fields grow while the call runs.

The evidence is the construction sites and the uses of each local, never a name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.semantics.constructions import construction_sites
from nodeleaklint.semantics.syntax import outer, text

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


def made_per_call_here(model: SemanticModel, class_node: Node | None, field: str) -> str | None:
    """Where the file makes the instances of ``class_node``, in words for a message, when
    each is a local of one call that never leaves it, and neither does its ``field``; None
    otherwise."""
    info = model.class_info(class_node)
    constructor = info.constructor if info is not None else None
    if constructor is None:
        return None
    sites = construction_sites(model, constructor)
    if not sites:
        return None
    for site in sites:
        if site.function is None or not site.is_new:
            return None  # made at module top level (or called as a function): not per call
        holder = outer(site.node).parent
        if holder is None or holder.type != "variable_declarator":
            return None
        name = holder.child_by_field_name("name")
        binding = model.binding_of(name) if name is not None else None
        if binding is None or binding.is_module_level or binding.is_reassigned:
            return None
        if not all(_used_in_place(reference, field) for reference in binding.references):
            return None
    lines = ", ".join(f"line {site.node.start_point[0] + 1}" for site in sites[:2])
    return f"each instance is a local of the call that makes it ({lines})"


def _used_in_place(reference: Node, field: str) -> bool:
    """``acc.add(x)``, ``acc.cost``, ``[...acc.urls]``: a use of the local that hands neither
    the instance nor its ``field`` to anyone."""
    position = outer(reference)
    parent = position.parent
    if parent is None or parent.type != "member_expression":
        return False
    obj = parent.child_by_field_name("object")
    if obj is None or obj.id != position.id:
        return False
    prop = text(parent.child_by_field_name("property"))
    if prop in ("bind", "call", "apply"):
        return False
    if prop != field:
        return True  # another member: the instance itself stays where it is
    member = outer(parent)
    user = member.parent
    if user is None:
        return False
    if user.type == "call_expression" and user.child_by_field_name("function") == member:
        return True  # ``acc.addUrls(links)``: a method of the instance runs
    # ``acc.urls`` handed on (returned, stored, passed, aliased) outlives the instance; read
    # in place (``acc.urls.size``, ``[...acc.urls]``, ``acc.urls.has(u)``) it does not
    return user.type not in _HANDS_ON


# Where an expression's value goes on living beyond the expression.
_HANDS_ON = frozenset(
    {
        "return_statement",
        "arrow_function",
        "assignment_expression",
        "augmented_assignment_expression",
        "variable_declarator",
        "arguments",
        "array",
        "pair",
        "shorthand_property_identifier",
        "yield_expression",
        "new_expression",
    }
)
