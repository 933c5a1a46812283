"""Instances that live as long as the process: the evidence that a class's ``this`` does.

A field of an instance is as long-lived as the instance. Whether the instance outlives the
work its methods do is not in the class itself; it is in how the program makes it:

- one instance made at module top level in the file (``const cache = new Cache()``), which
  the module keeps for the life of the process;
- one instance made at start-up in another file (the project view);
- for NLL301, also a decorated class (``@Injectable()``), with the growth per request or
  event that rule requires besides: decorators also mark classes made per view or per row
  (``@Component``, ``@Entity``), so a decorator alone is not enough.

Never the class's own name (``…Manager``, ``…Service``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.semantics.contexts import is_decorated

if TYPE_CHECKING:
    from nodeleaklint.semantics.classes import Factory
    from nodeleaklint.semantics.model import SemanticModel


def process_lived_class(
    model: SemanticModel,
    class_node: Node | None,
    elsewhere: bool = True,
    decorated: bool = False,
) -> str | None:
    """Why the instances of the class ``class_node`` live as long as the process, in words
    for a message, or None when nothing in view says so. ``elsewhere``: also take the
    project view's word that another file makes its one instance at start-up;
    ``decorated``: also take a decorator (a dependency-injection container) as evidence."""
    if class_node is None:
        return None
    if decorated and is_decorated(class_node):
        return "a decorated class, which a framework's container makes once and keeps"
    info = model.class_info(class_node)
    name = info.name if info is not None else None
    if name is None:
        return None
    for call in model.calls_named(name):
        if call.is_new and call.function is None and call.callee_text == name:
            line = model.source.line_number(call.node.start_byte)
            return f"whose one instance is made at module top level (line {line})"
    if elsewhere:
        where = model.created_once_elsewhere(name)
        if where is not None:
            return f"whose one instance is made at start-up ({where})"
    return None


def process_lived_factory(model: SemanticModel, factory: Factory) -> str | None:
    """Why what ``factory`` returns lives as long as the process, in words for a message:
    the file calls the factory at module top level and keeps the result in a module binding
    (``const getUser = memoize(loadUser)``, ``export const store = createStore()``); None
    when nothing in view says so. A call whose result is used and dropped keeps nothing."""
    binding = factory.function.binding
    if binding is None or binding.is_reassigned:
        return None
    for reference in binding.references:
        call = model.call_at(reference.parent) if reference.parent is not None else None
        if call is None or call.function is not None or call.callee is None:
            continue
        if call.callee.id != reference.id:
            continue
        kept = call.node.parent
        while kept is not None and kept.type in ("await_expression", "parenthesized_expression"):
            kept = kept.parent
        if kept is not None and kept.type in ("variable_declarator", "assignment_expression"):
            line = model.source.line_number(call.node.start_byte)
            return f"made once at module top level, line {line}"
    return None
