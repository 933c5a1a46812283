"""The entities of the semantic model: scopes, bindings, functions and call sites."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from nodeleaklint.parsing import Node
from nodeleaklint.semantics.syntax import call_arguments, callee_parts, text, unwrap

# A line break before the next link of a call chain (``promise\n    .then``).
_CHAIN_BREAK = re.compile(r"\s*\n\s*(?=\.)")


class ScopeKind(enum.Enum):
    MODULE = "module"
    FUNCTION = "function"
    BLOCK = "block"
    CLASS = "class"


class BindingKind(enum.Enum):
    VAR = "var"
    LET = "let"
    CONST = "const"
    FUNCTION = "function"
    CLASS = "class"
    PARAM = "parameter"
    IMPORT = "import"
    CATCH = "catch"


class Repetition(enum.IntEnum):
    """How often a function body can run; ordered so that ``max`` combines evidence."""

    ONCE = 0
    UNKNOWN = 1
    REPEATING = 2


class ReasonKind(enum.Enum):
    """What a function's ``reason`` says about how often it runs. Messages are rendered from
    the kind, never from the reason's words."""

    NONE = "none"  # no reason (module top level, or not yet known)
    MEMBER = "member"  # the method or constructor of a class (here, or driven from elsewhere)
    REGISTERED = "registered"  # a callback registered with `x.on('e')` or a framework's API
    HANDLER = "handler"  # a request handler (`req, res`)
    HOOK = "hook"  # a `preHandler` hook (runs per request)
    FRAMEWORK_KEY = "framework key"  # the `link` function of a framework's factory
    UNKNOWN_API = "unknown api"  # a callback passed to an API that may call it any number of times
    INHERITED = "inherited"  # runs as often as the function around it
    LOOP = "loop"  # called from a loop
    CALLED_FROM = "called from"  # called from a function of this file, or of another file
    REGISTERED_BY_NAME = "registered by name"  # passed by name to a registration
    RECURSIVE = "recursive"  # it calls itself
    ONCE = "once"  # called only from code that runs once (here, or in the project)
    PASSED = "passed"  # passed around or stored, so it may run any number of times
    STORED = "stored"  # stored or returned, called from elsewhere
    EXPORTED = "exported"  # exported, so it may run any number of times
    NEVER_CALLED = "never called"  # never called in this file, so it may run any number of times

    @property
    def names_function(self) -> bool:
        """The reason is itself a phrase for the function ("a callback registered with …",
        "the method `Queue.drain` (…)"), so a function with no name of its own is shown by it."""
        return self in _NAMING_REASONS

    @property
    def open_ended(self) -> bool:
        """The reason already says the function may run any number of times."""
        return self in _OPEN_ENDED_REASONS


_NAMING_REASONS = frozenset(
    {
        ReasonKind.MEMBER,
        ReasonKind.REGISTERED,
        ReasonKind.HANDLER,
        ReasonKind.HOOK,
        ReasonKind.FRAMEWORK_KEY,
        ReasonKind.UNKNOWN_API,
    }
)
_OPEN_ENDED_REASONS = frozenset(
    {ReasonKind.UNKNOWN_API, ReasonKind.PASSED, ReasonKind.EXPORTED, ReasonKind.NEVER_CALLED}
)


# Read once: an enum member read off its class costs a metaclass lookup, and rules ask
# ``is_module`` of many scopes.
_MODULE = ScopeKind.MODULE


@dataclass(eq=False, repr=False, slots=True)
class Scope:
    """A lexical scope: its syntax node, enclosing scope and function, and the names bound in it."""

    kind: ScopeKind
    node: Node
    parent: Scope | None = field(repr=False)
    function: FunctionInfo | None = field(repr=False)
    bindings: dict[str, Binding] = field(default_factory=dict, repr=False)

    def lookup(self, name: str) -> Binding | None:
        scope: Scope | None = self
        while scope is not None:
            binding = scope.bindings.get(name)
            if binding is not None:
                return binding
            scope = scope.parent
        return None

    @property
    def is_module(self) -> bool:
        return self.kind is _MODULE


@dataclass(eq=False, repr=False, slots=True)
class Binding:
    """A declared name. ``init`` is the initializer (for destructuring: the whole right side)."""

    name: str
    kind: BindingKind
    scope: Scope = field(repr=False)
    node: Node
    declarator: Node | None = None
    init: Node | None = None
    destructured: bool = False
    function: FunctionInfo | None = field(default=None, repr=False)
    module_source: str | None = None
    exported: bool = False
    references: list[Node] = field(default_factory=list, repr=False)
    writes: list[Node] = field(default_factory=list, repr=False)
    # ``provenance.imported_name``, worked out on first use (a one-item tuple once known).
    imported: tuple[str | None] | None = field(default=None, init=False, repr=False)

    @property
    def is_module_level(self) -> bool:
        return self.scope.is_module

    @property
    def is_reassigned(self) -> bool:
        return bool(self.writes)

    @property
    def is_this_alias(self) -> bool:
        """``const self = this`` / ``var _this = this``, never reassigned: it *is* ``this``."""
        init = unwrap(self.init)
        return (
            init is not None
            and init.type == "this"
            and not self.is_reassigned
            and not self.destructured
        )


@dataclass(eq=False, repr=False, slots=True)
class CallSite:
    """A call or ``new`` expression, indexed once for every rule."""

    node: Node
    name: str
    function: FunctionInfo | None = field(repr=False)
    in_loop: bool  # inside an unbounded loop (``while``, ``do``, ``for await``) of its function
    is_new: bool = False

    # ``obj`` and ``args`` are derived from ``node`` on first use: most calls never need them.
    _parts: tuple[Node | None, str] | None = field(default=None, init=False, repr=False)
    _args: list[Node] | None = field(default=None, init=False, repr=False)

    @property
    def obj(self) -> Node | None:
        """The object of a method call's callee: ``emitter`` in ``emitter.on(…)``."""
        if self._parts is None:
            self._parts = callee_parts(self.node)
        return self._parts[0]

    @property
    def args(self) -> list[Node]:
        """The argument expressions (comments skipped)."""
        if self._args is None:
            self._args = call_arguments(self.node)
        return self._args

    @property
    def callee(self) -> Node | None:
        return self.node.child_by_field_name("constructor" if self.is_new else "function")

    @property
    def callee_text(self) -> str:
        return text(self.callee)

    def display(self, limit: int = 60) -> str:
        """A short rendering of the call for messages: ``bus.on('tick', …)`` (a callee that
        spans lines, ``promise\n  .then``, on one line)."""
        head = self.callee_text
        if "\n" in head:
            head = " ".join(_CHAIN_BREAK.sub("", head).split())
        if not self.args:
            rendered = f"{head}()"
        else:
            first = text(self.args[0])
            first = first if len(first) <= 30 and "\n" not in first else "…"
            rendered = f"{head}({first}{', …' if len(self.args) > 1 else ''})"
        if self.is_new:
            rendered = f"new {rendered}"
        return rendered if len(rendered) <= limit else rendered[: limit - 1] + "…"


def nested_in(function: FunctionInfo | None, outer: FunctionInfo) -> bool:
    """Whether ``function`` is ``outer`` or a function nested (at any depth) inside it."""
    current = function
    while current is not None:
        if current is outer:
            return True
        current = current.parent
    return False


@dataclass(eq=False, repr=False, slots=True)
class FunctionInfo:
    """One function (declaration, expression, arrow or method) and what the walk learned."""

    node: Node
    parent: FunctionInfo | None = field(repr=False)
    scope: Scope = field(repr=False)
    name: str | None = None
    params: list[Binding] = field(default_factory=list, repr=False)
    binding: Binding | None = field(default=None, repr=False)
    class_node: Node | None = None
    class_name: str | None = None
    method_kind: str | None = None
    is_static: bool = False
    callback_of: CallSite | None = field(default=None, repr=False)
    argument_index: int = -1
    property_key: str | None = None
    exported: bool = False
    is_iife: bool = False
    # Returned by its enclosing function: ``return () => …``, ``return { m: () => … }``, or
    # the body of an arrow (``() => () => …``).
    returned: bool = False
    repetition: Repetition = Repetition.ONCE
    reason: str = ""
    # What the reason says (messages are rendered from it, not from the reason's words).
    reason_kind: ReasonKind = ReasonKind.NONE
    # The project view saw it called per request, event or loop turn from another file.
    driven_elsewhere: bool = False
    calls: list[CallSite] = field(default_factory=list, repr=False)
    param_properties: list[str] = field(default_factory=list)

    @property
    def is_arrow(self) -> bool:
        return self.node.type == "arrow_function"

    @property
    def is_promise_executor(self) -> bool:
        """The executor of a ``new Promise(…)``: what it returns is dropped, and its
        ``resolve`` and ``reject`` are new for every promise."""
        call = self.callback_of
        return (
            call is not None and call.is_new and call.name == "Promise" and self.argument_index == 0
        )

    @property
    def is_class_member(self) -> bool:
        return self.class_node is not None

    @property
    def param_names(self) -> list[str]:
        return [param.name for param in self.params]

    @property
    def body(self) -> Node | None:
        return self.node.child_by_field_name("body")

    def display(self) -> str:
        """How messages name the function: ``Queue.drain`` in backticks, or a description."""
        if self.class_name and self.name:
            return f"`{self.class_name}.{self.name}`"
        if self.name:
            return f"`{self.name}`"
        if self.callback_of is not None:
            return f"the callback passed to `{self.callback_of.display()}`"
        return "an anonymous function"

    def where_it_runs(self) -> str:
        """``describe()``, plus ", which may run any number of times" when the function does
        not repeat for sure and its reason does not say so already."""
        where = self.describe()
        if self.repetition is not Repetition.REPEATING and not self.reason_kind.open_ended:
            where += ", which may run any number of times"
        return where

    def describe(self) -> str:
        """The function and why it repeats: ``the method `Queue.drain` (runs per call)``.

        A reason that is itself a phrase for the function (``a callback registered with …``)
        stands alone for a function known by its role rather than by a name of its own (an
        anonymous function, a callback, a class member); otherwise the reason follows the
        function's display in parentheses."""
        kind = self.reason_kind
        if kind is ReasonKind.NONE:
            return self.display()
        by_role = self.name is None or self.callback_of is not None or self.is_class_member
        if by_role and kind.names_function:
            return self.reason
        return f"{self.display()} ({self.reason})"
