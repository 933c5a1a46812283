"""State a returned function shares across its calls although each call uses it as its own.

``function mw(handle) { const stack = []; return (event) => { stack.push(…); run(stack[0]) } }``:
the array is made once, when ``mw`` runs, and lives as long as the function it returns; every
call of that function appends to it and then reads it back as if it held only this call's
elements. Nothing removes them, so it grows by one element per call for as long as the
returned function is kept (a Lambda handler, an event listener). The same holds for a class
method that returns a closure (``trigger() { const responses = []; return async () => {
responses.push(await …); return responses } }``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.semantics.classes import RETURNED, Factory
from nodeleaklint.semantics.scopes import FunctionInfo
from nodeleaklint.semantics.syntax import FUNCTION_KINDS, is_inside, outer, unwrap
from nodeleaklint.semantics.values import is_constant

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

# Expressions whose value is computed afresh each time they are evaluated.
_MADE_EACH_TIME = frozenset(
    {
        *FUNCTION_KINDS,
        "object",
        "array",
        "call_expression",
        "new_expression",
        "await_expression",
        "template_string",
        "binary_expression",
    }
)


def method_factories(model: SemanticModel) -> Iterator[Factory]:
    """Class methods that return a closure they make (``model.factories`` holds functions
    outside classes only, whose locals are an object's state): the method's locals that the
    closure uses live as long as the closure, not as long as one call of the method."""
    # Only a method that makes a function can return one it makes (most make none: their
    # returned values are not worked out).
    makers = {id(f.parent) for f in model.functions if f.parent is not None}
    for function in model.functions:
        if function.class_node is None or function.method_kind == "constructor":
            continue
        if id(function) not in makers:
            continue
        closure = _returned_closure(model, function)
        if closure is not None:
            yield Factory(function, {RETURNED: closure})


def _returned_closure(model: SemanticModel, method: FunctionInfo) -> FunctionInfo | None:
    """The one function ``method`` makes and returns (an inline function, or a never
    reassigned local one), when every ``return`` hands out that function."""
    returned = model.returned_values(method)
    found: FunctionInfo | None = None
    for value in returned or ():
        value = unwrap(value)
        if value is None:
            return None
        closure: FunctionInfo | None = None
        if value.type in FUNCTION_KINDS:
            closure = model.function_at(value)
        elif value.type == "identifier":
            binding = model.binding_of(value)
            if binding is not None and not binding.is_reassigned and binding.function is not None:
                closure = binding.function if binding.scope is method.scope else None
        if closure is None or (found is not None and found is not closure):
            return None
        found = closure
    return found


def made_per_run(model: SemanticModel, value: Node | None, closure: FunctionInfo) -> bool:
    """Whether ``value`` is made anew on each run of ``closure``: an expression evaluated
    there (a function literal, an object, a call's or an ``await``'s result), or a name
    ``closure`` (or a function inside it) declares. A factory's parameter or local is the
    same value on every run: configuration, not per-call data."""
    value = unwrap(value)
    if value is None or not is_inside(value, closure.node) or is_constant(model, value):
        return False
    if value.type in _MADE_EACH_TIME:
        return True
    root = value
    while root.type in ("member_expression", "subscript_expression"):
        obj = root.child_by_field_name("object")
        if obj is None:
            return False
        root = unwrap(obj) or obj
    if root.type != "identifier":
        return False
    binding = model.binding_of(root)
    return binding is not None and is_inside(binding.node, closure.node)


def read_back(refs: list[Node], closure: FunctionInfo, after: Node) -> Node | None:
    """A use of the collection in ``closure`` after the growth at ``after``, other than
    another growth: the run reads back what it just added (``return responses``,
    ``stack[index]``, ``for (const x of list)``) and so treats the collection as its own."""
    for ref in refs:
        if ref.start_byte < after.end_byte or not is_inside(ref, closure.node):
            continue
        position = outer(ref)
        parent = position.parent
        if parent is None:
            continue
        if parent.type == "member_expression" and parent.child_by_field_name("object") == position:
            prop = parent.child_by_field_name("property")
            if prop is not None and prop.text in (b"push", b"unshift", b"length"):
                continue  # another growth, or a size read: nothing read back
        return parent
    return None


def measured(refs: list[Node], closure: FunctionInfo) -> bool:
    """Whether ``closure`` reads the collection's size (``if (results.length) return
    results[0]``): a run that tests how much it holds latches or bounds it, by design."""
    for ref in refs:
        if not is_inside(ref, closure.node):
            continue
        position = outer(ref)
        parent = position.parent
        if parent is not None and parent.type == "member_expression":
            prop = parent.child_by_field_name("property")
            if prop is not None and prop.text in (b"length", b"size"):
                return True
    return False
