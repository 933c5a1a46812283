"""What an exported class or function hands its callers that they must close (SPEC §2
NLL602, §1 "In view").

A class whose constructor or one of its methods keeps a client it creates in a field
(``this.client = await MongoClient.connect(url)``) and that has a method closing that field
(``destroy() { this.client.close() }``) gives every ``new X()`` a client to close: the
instance owns it, and its closing method is how the owner gives it back. A function whose
every ``return`` gives a client or browser it has just created (``return
puppeteer.launch()``, ``const c = new Client(); await c.connect(); return c``) gives every
caller one. The project view carries these facts to the files that import the class or
function, where ``new X()`` / ``f()`` is an acquisition like ``pool.connect()``
(``resources.acquisitions``): dropped on some path without the release, it is reported
where it is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.classes import ClassInfo
from nodeleaklint.semantics.clients import Created, created_client
from nodeleaklint.semantics.scopes import FunctionInfo
from nodeleaklint.semantics.syntax import own_nodes, text, unwrap
from nodeleaklint.semantics.vocabulary import BROWSER_CLOSE_METHODS, CLIENT_CLOSE_METHODS

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel

NEW = "new"  # ``new X()`` acquires it
CALL = "call"  # ``f()`` acquires it


@record
class Handed:
    """What callers get and must close: ``how`` they get it (``NEW`` / ``CALL``), the words
    for it ("a `MongoClient`"), whether the instance opens it only when a method first needs
    it (``lazy``), and the methods that close it (the class's teardown methods, or the
    client's own close methods)."""

    how: str
    words: str
    releases: tuple[str, ...]
    lazy: bool = False


def owned_client(model: SemanticModel, cls: ClassInfo) -> Handed | None:
    """The client each instance of ``cls`` creates and keeps in a field that one of its
    methods closes, or None (no such field, no method closes it, or ``new`` may hand out
    an instance that already exists)."""
    if not _may_close_a_field(model, cls):
        return None
    shares: bool | None = None  # worked out at the first stored client: most classes have none
    for member in cls.members:
        for field_name, created in _stored_clients(model, member):
            if shares is None:
                shares = cls.constructor is not None and _shares_instances(cls.constructor)
            if shares:
                return None
            closers = _closing_methods(model, cls, field_name, created)
            if closers:
                lazy = member is not cls.constructor
                return Handed(NEW, created.words, tuple(sorted(closers)), lazy)
    return None


# Every method a ``Created`` closes with (``clients.created_client``).
_CLOSING = tuple(sorted(CLIENT_CLOSE_METHODS | BROWSER_CLOSE_METHODS))


def _may_close_a_field(model: SemanticModel, cls: ClassInfo) -> bool:
    """Whether a method of ``cls`` may call ``<obj>.<field>.<close>()``: every closing
    method ``_closing_methods`` finds holds such a call (``_closes_field``: a close method
    of a client or browser, on a member), inside the method's node. Most classes close
    nothing so, and then the fields their members fill are not looked at
    (``_stored_clients``, the costly part)."""
    closing = [
        call.node
        for call in model.calls_named(*_CLOSING)
        if not call.is_new
        and (target := unwrap(call.obj)) is not None
        and target.type == "member_expression"
    ]
    return bool(closing) and any(
        method.node.start_byte <= node.start_byte and node.end_byte <= method.node.end_byte
        for methods in cls.methods.values()
        for method in methods
        for node in closing
    )


def _shares_instances(constructor: FunctionInfo) -> bool:
    """A constructor that returns a value (``if (X._instance) return X._instance``: a
    singleton) or stores ``this`` outside itself (``X._instance = this``, ``global.db =
    this``): ``new X()`` is then not a fresh instance its caller owns."""
    body = constructor.body
    if body is None:
        return False
    for node in own_nodes(body):
        if node.type == "return_statement" and node.named_children:
            return True
        if node.type != "this":
            continue
        position = node
        parent = position.parent
        while parent is not None and parent.type in ("parenthesized_expression", "as_expression"):
            position, parent = parent, parent.parent
        if parent is None or parent.type != "assignment_expression":
            continue
        right = parent.child_by_field_name("right")
        left = unwrap(parent.child_by_field_name("left"))
        if right is None or right.id != position.id or left is None:
            continue
        holder = unwrap(left.child_by_field_name("object")) if left.type != "identifier" else left
        if holder is not None and holder.type != "this":
            return True
    return False


def _stored_clients(model: SemanticModel, function: FunctionInfo) -> list[tuple[str, Created]]:
    """``this.field = <a client it creates>`` in ``function``: (field, what it creates)."""
    found: list[tuple[str, Created]] = []
    for assignment in model.assignments_in(function):
        if assignment.type != "assignment_expression":
            continue
        left = unwrap(assignment.child_by_field_name("left"))
        if left is None or left.type != "member_expression":
            continue
        if not model.is_this(left.child_by_field_name("object")):
            continue
        created = created_client(model, assignment.child_by_field_name("right"))
        if created is not None:
            found.append((text(left.child_by_field_name("property")), created))
    return found


def _closing_methods(
    model: SemanticModel, cls: ClassInfo, field_name: str, created: Created
) -> set[str]:
    """The methods of ``cls`` (not its constructor) that call ``this.<field>.<close>()``
    and leave it closed (a ``reconnect()`` that closes the client and makes a new one in
    the same field is not a teardown)."""
    found: set[str] = set()
    for name, functions in cls.methods.items():
        for function in functions:
            if not any(
                _closes_field(model, call, field_name, created) for call in _calls(function)
            ):
                continue
            if all(stored != field_name for stored, _ in _stored_clients(model, function)):
                found.add(name)
    return found


def _calls(function: FunctionInfo) -> list[Node]:
    body = function.body
    if body is None:
        return []
    return [node for node in own_nodes(body) if node.type == "call_expression"]


def _closes_field(model: SemanticModel, node: Node, field_name: str, created: Created) -> bool:
    call = model.call_at(node)
    if call is None or call.is_new or call.name not in created.closes:
        return False
    target = unwrap(call.obj)
    if target is None or target.type != "member_expression":
        return False
    return text(target.child_by_field_name("property")) == field_name and model.is_this(
        target.child_by_field_name("object")
    )


def returned_client(model: SemanticModel, function: FunctionInfo | None) -> Handed | None:
    """The client or browser every ``return`` of ``function`` gives that the function has
    just created (directly or through a local it created it in), or None."""
    if function is None or not may_return(model, function):
        return None
    returned = model.returned_values(function)  # ``() => new Client(url)`` too
    values = [value for value in returned or () if value is not None]
    if not values:
        return None
    made: Handed | None = None
    for value in values:
        handed = _handed_value(model, _local_value(model, value, function))
        if handed is None or (made is not None and handed != made):
            return None
        made = handed
    return made


def may_return(model: SemanticModel, function: FunctionInfo) -> bool:
    """Whether ``function`` may return a value: an arrow's expression body does; a block
    only when it holds the bytes ``return`` (a ``return`` statement's text starts with
    its keyword, which has no escaped spelling). Found in the file's bytes, nothing
    copied: the search up to ``model.returned_values``, which walks the whole body, is
    skipped for most exported functions, which return nothing."""
    body = function.body
    if body is None or body.type != "statement_block":
        return True
    return model.source.data.find(b"return", body.start_byte, body.end_byte) >= 0


def _handed_value(model: SemanticModel, value: Node) -> Handed | None:
    """A client ``value`` creates, or an instance of a class of this file that owns one
    (``return new Store(url)``): what the caller gets to close."""
    created = created_client(model, value)
    if created is not None:
        return Handed(CALL, created.words, tuple(sorted(created.closes)))
    node = unwrap(value)
    if node is not None and node.type == "await_expression" and node.named_children:
        node = unwrap(node.named_children[-1])
    if node is None or node.type != "new_expression":
        return None
    constructor = unwrap(node.child_by_field_name("constructor"))
    binding = model.binding_of(constructor) if constructor is not None else None
    if binding is None or not binding.scope.is_module or binding.module_source is not None:
        return None
    cls = next((c for c in model.classes if c.name == binding.name), None)
    owned = owned_client(model, cls) if cls is not None else None
    if cls is None or owned is None:
        return None
    return Handed(CALL, f"a `{cls.name}` holding {owned.words}", owned.releases, owned.lazy)


def _local_value(model: SemanticModel, value: Node, function: FunctionInfo) -> Node:
    """A returned local's initial value when the local is the function's own, never
    assigned again and not a parameter (``const c = new Client(); …; return c``)."""
    node = unwrap(value)
    if node is None or node.type != "identifier":
        return value
    binding = model.binding_of(node)
    if (
        binding is None
        or binding.is_reassigned
        or binding.destructured
        or binding.init is None
        or binding.function is not None
        or binding.scope.is_module
        or model.enclosing_function(binding.node) is not function
    ):
        return value
    return binding.init


def handed_by_export(
    model: SemanticModel, function: FunctionInfo | None, class_name: str | None
) -> Handed | None:
    """What an exported function or class gives its callers to close (``returned_client``
    for a function, ``owned_client`` for a class, ES5 constructors included)."""
    cls = model.class_info(function.node) if function is not None else None
    if cls is None and class_name is not None:
        cls = next((c for c in model.classes if c.name == class_name), None)
    if cls is not None:
        return owned_client(model, cls)
    return returned_client(model, function)
