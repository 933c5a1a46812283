"""Parameters that receive a class's own instance (SPEC §1 *Arguments reach parameters*).

``function cleanupRequests(sftp) { sftp._requests = {} }``, called as
``cleanupRequests(this)`` from a method of ``SFTP`` (or from another such function that
hands its parameter on: ``doFatalSFTPError(this)`` → ``cleanupRequests(sftp)``): there,
``sftp._requests`` is the instance's ``this._requests``, and what the function does to it
counts for the field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.semantics.locations import value_binding
from nodeleaklint.semantics.scopes import Binding
from nodeleaklint.semantics.syntax import unwrap

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

# How many times a parameter may be handed on (``fail(this)`` → ``cleanup(sftp)``).
_HOPS = 2


def instance_parameters(model: SemanticModel, class_node: Node) -> frozenset[Binding]:
    """The parameters of functions outside the class (all of whose calls are in view) that
    a call passes an instance of it: ``this`` in one of its (non-static) methods, or such a
    parameter. Other calls may pass something else; on the calls that pass the instance,
    what the function does to the parameter's fields it does to the instance's."""
    key = f"instance_params:{class_node.id}"
    cached = model.cache.get(key)
    if isinstance(cached, frozenset):
        return cached
    found: set[Binding] = set()
    for _ in range(_HOPS):
        added = False
        for function in model.functions:
            if function.class_node is not None or not function.params:
                continue
            sites = model.call_sites_of(function)
            if not sites:
                continue
            for index, param in enumerate(function.params):
                if param in found or param.destructured or param.is_reassigned:
                    continue
                if any(
                    index < len(site.args)
                    and _is_instance(model, site.args[index], class_node, found)
                    for site in sites
                ):
                    found.add(param)
                    added = True
        if not added:
            break
    result = model.cache[key] = frozenset(found)
    return result


def _is_instance(
    model: SemanticModel, argument: Node, class_node: Node, found: set[Binding]
) -> bool:
    node = unwrap(argument)
    if node is not None and node.type == "identifier":
        binding = value_binding(model, node)
        return binding is not None and binding in found
    if node is None or node.type != "this":
        return False
    function = model.this_function(node)
    return (
        function is not None
        and function.class_node is not None
        and function.class_node.id == class_node.id
        and not function.is_static
    )
