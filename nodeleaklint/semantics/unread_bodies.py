"""Fetch responses whose body one way out of the code leaves unread.

``const res = await fetch(url); if (!res.ok) throw new Error(…); return res.json()``: the
body is read on the success path and neither read nor cancelled when the status test
fails. Node's fetch (undici) keeps the connection of a response until its body is read or
cancelled, and garbage collection does not give it back: measured on Node 20, fifty failed
calls whose error bodies were 20 KiB or more kept fifty connections (and a hundred file
descriptors) open until the server's idle timeout closed them, and for good when the
server could not finish sending (1 MiB). Small bodies (8 KiB) fit the buffers and cost
nothing. The code's own read on the other path says the body matters there.

Only a fetch of a URL the function's callers hand in is judged: an exported function, or a
public method of an exported class, that fetches a URL it takes as a parameter (also through
a private method or a function of the file that it passes the URL to). Such a wrapper cannot
know how large an error body is: its callers point it at any server. Application code that
calls one endpoint it names itself gets small JSON errors that fit the buffers (measured:
26 findings in applications without this condition, all of that kind), and is left alone.

Only code that may run in Node is judged (a browser's fetch pools its own connections): not a
file that names the browser's ``window`` or ``document``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.scopes import (
    Binding,
    BindingKind,
    CallSite,
    FunctionInfo,
    Repetition,
)
from nodeleaklint.semantics.setup_reruns import declared_private
from nodeleaklint.semantics.syntax import FUNCTION_KINDS, is_inside, outer, text, unwrap
from nodeleaklint.semantics.upstreams import Upstream, upstream_calls
from nodeleaklint.semantics.vocabulary import (
    BROWSER_GLOBALS,
    FETCH_BODY_READS,
    FETCH_RESPONSE_METADATA,
    FETCH_STATUS_PROPERTIES,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

_EXITS = frozenset({"throw_statement", "return_statement"})
# ``window.x`` / ``document.x``: a use of one of the browser's globals.
_BROWSER_USE = re.compile(rb"(?<![\w$.])(window|document)\s*\.")


@record
class UnreadBody:
    """A fetch whose response body one branch of a status test leaves unread."""

    upstream: Upstream
    response: Binding
    test: Node  # the condition that reads the status
    exit: Node  # the ``throw`` / ``return`` that leaves the body unread
    read: Node  # a read of the body on the other branch
    url: Binding  # the parameter the URL comes in by
    entry: FunctionInfo  # the function whose callers hand the URL in (out of view)


def unread_bodies(model: SemanticModel) -> list[UnreadBody]:
    """Every fetch of a URL handed in by callers out of view, in code that can run many
    times, whose status test sends one branch out with the body unread while the other
    branch reads it."""
    found: list[UnreadBody] = []
    for upstream in upstream_calls(model):
        if upstream.kind != "fetch":
            continue
        response = _response_binding(model, upstream.call.node)
        function = model.enclosing_function(response.node) if response is not None else None
        if response is None or function is None or model.repetition(function) is Repetition.ONCE:
            continue
        reads = _body_reads(response)
        if not reads:
            continue  # never read, or handed on: not this shape
        handed = _handed_in(model, upstream.call.args[0] if upstream.call.args else None)
        if handed is None:
            continue
        unread = _unread_branch(model, function, response, reads)
        if unread is not None:
            test, exit_, read = unread
            found.append(UnreadBody(upstream, response, test, exit_, read, *handed))
    return found if found and _runs_in_node(model) else []


def _runs_in_node(model: SemanticModel) -> bool:
    """Not browser code: the file does not use the browser's own globals (``window.…``,
    ``document.…``) without declaring them."""
    for match in _BROWSER_USE.finditer(model.source.data):
        name = match.group(1).decode()
        if name in BROWSER_GLOBALS and model.module_scope.lookup(name) is None:
            return False
    return True


def _handed_in(
    model: SemanticModel, value: Node | None, depth: int = 0
) -> tuple[Binding, FunctionInfo] | None:
    """The parameter ``value`` is, and the function whose callers are out of view that hands
    it in: the function itself when it is exported or a public method of an exported class;
    else, for a function every call of which is in view (a private method, a function of the
    file that is not exported), the same question asked of the argument each call passes."""
    value = unwrap(value)
    if value is None or value.type != "identifier" or depth > 2:
        return None
    binding = model.binding_of(value)
    if binding is None or binding.kind is not BindingKind.PARAM or binding.is_reassigned:
        return None
    owner = binding.scope.function
    if owner is None or binding.destructured or binding not in owner.params:
        return None
    if _entry_point(model, owner):
        return binding, owner
    index = owner.params.index(binding)
    sites = _sites_in_view(model, owner)
    if not sites:
        return None
    found: tuple[Binding, FunctionInfo] | None = None
    for site in sites:
        passed = site.args[index] if index < len(site.args) else None
        found = _handed_in(model, passed, depth + 1)
        if found is None:
            return None
    return found


def _entry_point(model: SemanticModel, function: FunctionInfo) -> bool:
    """Called from other files only: an exported function, or a public method of an exported
    class that nothing in the file calls."""
    if function.exported:
        return True
    if function.class_node is None or function.method_kind != "method" or function.is_static:
        return False
    name = function.name
    if name is None or name.startswith("#") or declared_private(function.node):
        return False
    info = model.class_info(function.class_node)
    if info is None or info.name is None:
        return False
    declared = model.module_scope.bindings.get(info.name)
    if declared is None or not declared.exported:
        return False
    return not _this_calls(model, function)


def _sites_in_view(model: SemanticModel, function: FunctionInfo) -> list[CallSite]:
    """Every call of ``function`` when all of them are in the file: a function of the file
    called by its name, or a private method called on ``this``."""
    if function.class_node is None:
        return model.call_sites_of(function) or []
    name = function.name
    if name is None or not (name.startswith("#") or declared_private(function.node)):
        return []
    return _this_calls(model, function)


def _this_calls(model: SemanticModel, method: FunctionInfo) -> list[CallSite]:
    """The calls ``this.m(…)`` of ``method`` inside its class."""
    sites: list[CallSite] = []
    class_node = method.class_node
    if class_node is None or method.name is None:
        return sites
    for call in model.calls_named(method.name):
        callee = call.callee
        if callee is None or callee.type != "member_expression":
            continue
        if model.is_this(callee.child_by_field_name("object")) and model.in_class(
            callee, class_node
        ):
            sites.append(call)
    return sites


def _response_binding(model: SemanticModel, call: Node) -> Binding | None:
    """``const res = await fetch(…)`` or ``fetch(…).then((res) => …)``: the response."""
    position = outer(call)
    parent = position.parent
    if parent is not None and parent.type == "await_expression":
        position = outer(parent)
        parent = position.parent
    if parent is not None and parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        return model.binding_of(name) if name is not None and name.type == "identifier" else None
    if parent is not None and parent.type == "assignment_expression":
        return _assigned_once(model, parent)
    if parent is None or parent.type != "member_expression":
        return None
    then = parent.parent
    if text(parent.child_by_field_name("property")) != "then" or then is None:
        return None
    site = model.call_at(then)
    callback = unwrap(site.args[0]) if site is not None and site.args else None
    info = model.function_at(callback) if callback is not None else None
    if info is None or not info.params or info.params[0].destructured:
        return None
    return info.params[0]


def _assigned_once(model: SemanticModel, assignment: Node) -> Binding | None:
    """``let res; … res = await fetch(…)``: a local with no initializer assigned only here."""
    left = assignment.child_by_field_name("left")
    if left is None or left.type != "identifier":
        return None
    binding = model.binding_of(left)
    if binding is None or binding.init is not None or binding.kind is BindingKind.PARAM:
        return None
    if [write.id for write in binding.writes] != [left.id]:
        return None
    return binding


def _body_reads(response: Binding) -> list[Node]:
    """The reads of the body (``res.json()``, ``res.body…``); [] when the response is also
    used any other way than for its status and headers (handed on, returned, stored)."""
    reads: list[Node] = []
    writes = {write.id for write in response.writes}
    for reference in response.references:
        if reference.id == response.node.id or reference.id in writes:
            continue
        parent = reference.parent
        if parent is None or parent.type != "member_expression":
            return []
        if parent.child_by_field_name("object") != reference:
            return []
        prop = text(parent.child_by_field_name("property"))
        if prop in FETCH_BODY_READS:
            reads.append(parent)
        elif prop not in FETCH_RESPONSE_METADATA:
            return []
    return reads


def _unread_branch(
    model: SemanticModel, function: FunctionInfo, response: Binding, reads: list[Node]
) -> tuple[Node, Node, Node] | None:
    """The status test of ``function`` one of whose ways on leaves by an exit with no read
    of the body, while the other reads it: (test, exit, read)."""
    aliases = _status_aliases(response)
    for statement in _own_ifs(model, function):
        condition = statement.child_by_field_name("condition")
        if condition is None or not _reads_status(condition, response, aliases):
            continue
        for taken, other in _ways(statement):
            exit_ = _unread_exit(model, function, taken, reads)
            read = next((r for r in reads if any(is_inside(r, part) for part in other)), None)
            if exit_ is not None and read is not None:
                return condition, exit_, read
    return None


def _status_aliases(response: Binding) -> list[Binding]:
    """Locals made from the status: ``const code = res.status``."""
    found: list[Binding] = []
    for reference in response.references:
        parent = reference.parent
        if parent is None or parent.type != "member_expression":
            continue
        if text(parent.child_by_field_name("property")) not in FETCH_STATUS_PROPERTIES:
            continue
        declarator = outer(parent).parent
        if declarator is not None and declarator.type == "variable_declarator":
            name = declarator.child_by_field_name("name")
            scope = response.scope
            binding = scope.lookup(text(name)) if name is not None else None
            if binding is not None and binding.node.id == (name.id if name else -1):
                found.append(binding)
    return found


def _reads_status(condition: Node, response: Binding, aliases: list[Binding]) -> bool:
    for reference in response.references:
        parent = reference.parent
        if (
            is_inside(reference, condition)
            and parent is not None
            and text(parent.child_by_field_name("property")) in FETCH_STATUS_PROPERTIES
        ):
            return True
    return any(is_inside(ref, condition) for alias in aliases for ref in alias.references)


def _own_ifs(model: SemanticModel, function: FunctionInfo) -> list[Node]:
    """The ``if`` statements of ``function``'s own body (not of functions inside it)."""
    body = function.body
    if body is None:
        return []
    found: list[Node] = []
    stack = [body]
    while stack:
        node = stack.pop()
        if node.type in FUNCTION_KINDS:
            continue
        if node.type == "if_statement":
            found.append(node)
        stack.extend(node.named_children)
    found.sort(key=lambda node: node.start_byte)
    return found


def _ways(statement: Node) -> list[tuple[list[Node], list[Node]]]:
    """The two ways on from an ``if``: (taken, other) pairs, each a list of statements. With
    no ``else`` and a branch that always leaves, the statements after the ``if`` are the
    other way."""
    consequence = statement.child_by_field_name("consequence")
    alternative = statement.child_by_field_name("alternative")
    if consequence is None:
        return []
    if alternative is not None:
        rest = [alternative]
    elif _always_leaves(consequence):
        rest = _following(statement)
    else:
        return []
    return [([consequence], rest), (rest, [consequence])]


def _always_leaves(branch: Node) -> bool:
    if branch.type in _EXITS:
        return True
    if branch.type == "statement_block":
        statements = [c for c in branch.named_children if c.type != "comment"]
        return bool(statements) and statements[-1].type in _EXITS
    return False


def _following(statement: Node) -> list[Node]:
    """The statements after ``statement`` in its block."""
    parent = statement.parent
    if parent is None:
        return []
    return [c for c in parent.named_children if c.start_byte >= statement.end_byte]


def _unread_exit(
    model: SemanticModel, function: FunctionInfo, parts: list[Node], reads: list[Node]
) -> Node | None:
    """The first ``throw`` / ``return`` of ``function`` in ``parts`` when no read of the body
    lies in ``parts`` at all."""
    if any(is_inside(read, part) for read in reads for part in parts):
        return None
    for part in parts:
        stack = [part]
        while stack:
            node = stack.pop()
            if node.type in FUNCTION_KINDS:
                continue
            if node.type in _EXITS and model.enclosing_function(node) is function:
                return node
            stack.extend(reversed(node.named_children))
    return None
