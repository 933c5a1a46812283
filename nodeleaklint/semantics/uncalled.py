"""Shrinks that nothing runs: a method that deletes from a collection, which no code calls.

A class (or the object of closures a factory returns) may own the only delete of its
collection in a method such as ``purgeLocal(id)`` or ``clearInstances()``. When neither its
own file nor any non-test file of the project names that method, nothing in production
ever runs the delete: it is no cleanup (SPEC §1 *Cleanup is verified, not assumed*). A file
cannot tell this alone, so its summary lists such methods (``shrinking_methods``: never
named in the file) and what member names it mentions (``mentioned_names``, as hashes); the
project view answers for each listed name whether another non-test file mentions it
(``ProjectFacts.uncalled``), and the model holds that answer (``uncalled_elsewhere``).

Mentions are read generously (any property of that name, on any object, read or called,
and any destructured or imported local of that name), so an answer errs towards "called".
"""

from __future__ import annotations

import base64
import re
import zlib
from array import array
from collections.abc import Iterable
from typing import TYPE_CHECKING

from nodeleaklint.semantics import frameworks
from nodeleaklint.semantics.classes import RETURNED
from nodeleaklint.semantics.locations import member_index

if TYPE_CHECKING:
    from nodeleaklint.parsing import Node
    from nodeleaklint.semantics.model import SemanticModel
    from nodeleaklint.semantics.scopes import FunctionInfo

# Bytes whose presence in a method's body may be a shrink (``.delete(``, ``delete x[k]``,
# ``.clear()``, ``.splice(``, ``.shift()``, ``.pop()``): a cheap first filter, the rule
# verifies the shrink itself.
_SHRINK_BYTES = (b"delete", b"clear", b"splice", b"shift", b"pop")


def shrinking_methods(model: SemanticModel) -> dict[str, tuple[list[FunctionInfo], set[str]]]:
    """The methods of this file's classes (ES5 prototypes too) and of the objects its
    factories return that may shrink a collection and that the file itself never names
    outside their definition (no ``this.m()``, ``x.m``, ``m()``), by name, with the names
    of their owners' other methods (the project must be seen to drive the owner by one of
    them). Worked out once."""
    cached = model.cache.get("uncalled.methods")
    if isinstance(cached, dict):
        return cached
    found: dict[str, tuple[list[FunctionInfo], set[str]]] = {}
    model.cache["uncalled.methods"] = found
    data = model.source.data
    if not (model.classes or model.factories) or not any(w in data for w in _SHRINK_BYTES):
        return found
    for name, function, siblings in _methods(model):
        start, end = function.node.start_byte, function.node.end_byte
        if all(data.find(word, start, end) < 0 for word in _SHRINK_BYTES):
            continue
        if _named_in_file(model, name, function, _definition_nodes(function)):
            continue
        functions, others = found.setdefault(name, ([], set()))
        functions.append(function)
        others.update(siblings)
    return found


def _methods(model: SemanticModel) -> Iterable[tuple[str, FunctionInfo, list[str]]]:
    """(name, method, the owner's other methods): methods a framework or a base class may
    call (lifecycle hooks, teardown, any method of a subclass or a decorated class) left
    out."""
    hooks = frameworks.active().teardown_methods | frameworks.active().instance_hooks
    for info in model.classes:
        if info.heritage is not None or _decorated(info.node):
            continue  # a base class or a framework may call its methods (``onModuleDestroy``)
        names = [n for n in info.methods if n and n not in hooks]
        for name in names:
            siblings = [n for n in names if n != name]
            for function in info.methods[name]:
                if function.method_kind != "constructor":
                    yield name, function, siblings
    for factory in model.factories:
        names = [n for n in factory.methods if n and n != RETURNED and n not in hooks]
        for name in names:
            siblings = [n for n in names if n != name]
            yield name, factory.methods[name], siblings


def _decorated(node: Node) -> bool:
    """``@Injectable() class …``: a framework makes and drives its instances."""
    for holder in (node, node.parent):
        if holder is not None and any(child.type == "decorator" for child in holder.children):
            return True
    return False


def _definition_nodes(function: FunctionInfo) -> set[int]:
    """``X.prototype.m = function`` / ``{ m: m }`` / ``{ m }``: the nodes naming the method
    where it is defined (not uses)."""
    ids: set[int] = set()
    parent = function.node.parent
    if parent is not None and parent.type == "assignment_expression":
        left = parent.child_by_field_name("left")
        if left is not None:
            ids.add(left.id)
    return ids


def _named_in_file(
    model: SemanticModel, name: str, function: FunctionInfo, definitions: set[int]
) -> bool:
    """Whether the file names the method anywhere but where it is defined: a property of
    that name (``this.m``, ``obj.m``, ``obj['m']``), or the function's own local binding
    used other than as a shorthand entry of the object it is returned in. A name whose
    bytes occur once in the file (its definition) is named nowhere else: the member index
    is not built for it."""
    if model.source.data.count(name.encode("utf-8", errors="replace")) <= 1:
        return False
    for node in member_index(model).get(name, ()):
        if node.id not in definitions:
            return True
    binding = function.binding
    if binding is not None:
        for ref in binding.references:
            if ref.id == binding.node.id:
                continue
            if not _returned_entry(ref):
                return True
    return False


def _returned_entry(ref: Node) -> bool:
    """``return { clear }`` / ``return { clear: clear }``: the reference is the entry."""
    parent = ref.parent
    if parent is None:
        return False
    if parent.type == "shorthand_property_identifier":
        return True
    if ref.type == "shorthand_property_identifier":
        return True
    if parent.type == "pair":
        value = parent.child_by_field_name("value")
        return value is not None and value.id == ref.id
    return False


_COMPUTED_REQUIRE = re.compile(rb"require\(\s*[A-Za-z_$]")


def required_tails(model: SemanticModel) -> list[str]:
    """``require(ROOT + '/include/session.js')``: the literal ends of required paths whose
    start is computed (the project view resolves them by the file whose path ends so, only
    to learn that something imports that file)."""
    tails: list[str] = []
    if _COMPUTED_REQUIRE.search(model.source.data) is None:
        return tails  # (most files: the calls' arguments are not worked out)
    for call in model.calls_by_name.get("require", ()):
        args = call.args
        if len(args) != 1 or args[0].type != "binary_expression":
            continue
        right = args[0].child_by_field_name("right")
        if right is None or right.type != "string":
            continue
        tail = model.source.data[right.start_byte + 1 : right.end_byte - 1].decode(
            "utf-8", errors="replace"
        )
        if tail.startswith("/") and tail.count("/") >= 2:
            tails.append(tail)
    return sorted(set(tails))


def name_hash(name: str) -> int:
    """A stable 32-bit hash of a name (the same in every process and run)."""
    return zlib.crc32(name.encode("utf-8", errors="replace"))


# ``x.name``, ``x?.name``, ``x['name']``: read from the bytes (comments and strings too,
# which only errs towards "called"); C-speed passes instead of the member index, which most
# files never need (one alternation pattern costs three times these two).
_DOTTED = re.compile(rb"\.\s*([A-Za-z_$][\w$]*)")
_INDEXED = re.compile(rb"""\[\s*['"]([A-Za-z_$][\w$]*)['"]""")


def mentioned_names(model: SemanticModel) -> str:
    """The names this file may call a method by, as sorted 32-bit hashes in base64: every
    property read or called (``x.name``, ``x['name']``), destructured and imported locals.
    Compact in the cached summary (a name is one of four billion hashes: a collision only
    errs towards "called")."""
    data = model.source.data
    names = set(_DOTTED.findall(data))
    if b"['" in data or b'["' in data:
        names.update(_INDEXED.findall(data))
    for binding in model.facts.bindings:
        if binding.destructured or binding.module_source is not None:
            names.add(binding.name.encode("utf-8", errors="replace"))
    hashes = array("I", sorted({zlib.crc32(name) for name in names}))
    return base64.b64encode(hashes.tobytes()).decode("ascii")


def decode_mentions(encoded: str) -> frozenset[int]:
    """The hashes ``mentioned_names`` encoded."""
    if not encoded:
        return frozenset()
    hashes = array("I")
    hashes.frombytes(base64.b64decode(encoded))
    return frozenset(hashes)


def never_run(model: SemanticModel, shrink: Node) -> tuple[str, tuple[str, ...]] | None:
    """When ``shrink`` lies in a method of this file that no code of the project runs (the
    project view, ``uncalled_elsewhere``): the words for it and the owner's methods that
    other files of the project do call; else None."""
    function = model.enclosing_function(shrink)
    methods = shrinking_methods(model)
    while function is not None:
        for named, (listed, _others) in methods.items():
            if function in listed:
                found = model.uncalled_elsewhere.get(named)
                if found is None:
                    return None
                why, driven = found
                return f"`{named}()`, which {why}", driven
        function = function.parent
    return None


def seen_to_run(model: SemanticModel, function: FunctionInfo, driven: tuple[str, ...]) -> bool:
    """Whether code in view runs ``function`` (where a collection grows): it is no method
    (a callback, a helper: the model tells how often it runs), or a method that this file
    names (``this.setLocal(s)``) or that other files of the project call (``driven``). A
    method nothing in view names may be called from files the view cannot read (a
    ``.vue`` component), with keys nobody can see."""
    owners = {id(f): name for name, f, _s in _methods(model)}
    current: FunctionInfo | None = function
    while current is not None:
        name = owners.get(id(current))
        if name is not None:
            return name in driven or _named_in_file(
                model, name, current, _definition_nodes(current)
            )
        current = current.parent
    return True
