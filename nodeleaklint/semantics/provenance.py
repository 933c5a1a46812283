"""Provenance: which module, and which export of it, an expression denotes.

``Pool`` after ``const { Pool } = require('pg')`` is ``Origin('pg', 'Pool')``; ``pg.Pool``
after ``import pg from 'pg'`` is the same; ``Redis`` after ``import Redis from 'ioredis'``
is ``Origin('ioredis', 'default')`` and after ``const Redis = require('ioredis')`` is
``Origin('ioredis', '')`` (the module object itself). Locally declared names and globals
have no origin. Rules use this to tell a library's ``Client`` from a user's own class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.scopes import Binding, BindingKind
from nodeleaklint.semantics.syntax import required_module, text, unwrap

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


@record
class Origin:
    """Where an imported value comes from: the module and the export."""

    module: str
    export: str  # "" for the module object, "default" for a default import, else the name

    @property
    def is_main_export(self) -> bool:
        """The module object or its default export (``require('ioredis')``, ``import R from``)."""
        return self.export in ("", "default")

    def from_module(self, modules: frozenset[str] | set[str]) -> bool:
        """Whether the module is one of ``modules`` (``node:`` prefixes and subpaths allowed)."""
        name = self.module.removeprefix("node:")
        return any(name == m.removeprefix("node:") or name.startswith(m + "/") for m in modules)


def imported_name(binding: Binding) -> str | None:
    """The export a module binding names (``""`` for the module object), else None."""
    if binding.module_source is None:
        return None
    known = binding.imported
    if known is None:  # asked several times per binding: worked out once
        declarator = binding.declarator
        if declarator is not None and declarator.type == "import_statement":
            _name_imports(binding, declarator)  # every local of the statement at once
            known = binding.imported
        if known is None:
            known = binding.imported = (_imported_name(binding),)
    return known[0]


def _name_imports(binding: Binding, statement: Node) -> None:
    """Give each local an ``import`` statement binds its export name, in one pass over the
    statement (one search per local was quadratic in a long ``import { … }``)."""
    scope = binding.scope
    for local, name in _import_names(statement):
        other = scope.bindings.get(text(local))
        if other is not None and other.node.id == local.id and other.imported is None:
            other.imported = (name,)


def _imported_name(binding: Binding) -> str | None:
    declarator = binding.declarator
    if declarator is None:
        return None
    if declarator.type == "import_statement":
        local = binding.node.id
        return next((name for ident, name in _import_names(declarator) if ident.id == local), None)
    if binding.destructured:
        name = declarator.child_by_field_name("name")
        key = _pattern_key(name, binding.node)
        if key is None:
            return None
        base = _required_export(binding.init)
        return f"{base}.{key}" if base else key
    return _required_export(binding.init)


def _import_names(statement: Node) -> list[tuple[Node, str]]:
    """The locals an ``import`` statement binds and the export each names: ``"default"`` for
    the default import, ``""`` for a namespace, the imported name for a specifier."""
    found: list[tuple[Node, str]] = []
    for clause in statement.named_children:
        if clause.type != "import_clause":
            continue
        for part in clause.named_children:
            if part.type == "identifier":
                found.append((part, "default"))
            elif part.type == "namespace_import":
                found.extend(
                    (ident, "") for ident in part.named_children if ident.type == "identifier"
                )
            elif part.type == "named_imports":
                for specifier in part.named_children:
                    if specifier.type != "import_specifier":
                        continue
                    name = specifier.child_by_field_name("name")
                    target = specifier.child_by_field_name("alias") or name
                    if target is not None:
                        found.append((target, text(name).strip("'\"")))
    return found


def _pattern_key(pattern: Node | None, ident: Node) -> str | None:
    """The property key under which a destructuring pattern binds ``ident``."""
    if pattern is None or pattern.type != "object_pattern":
        return None
    for child in pattern.named_children:
        if child.type == "shorthand_property_identifier_pattern" and child.id == ident.id:
            return text(child)
        if child.type == "object_assignment_pattern":
            left = child.child_by_field_name("left")
            if left is not None and left.id == ident.id:
                return text(left)
        if child.type == "pair_pattern":
            value = child.child_by_field_name("value")
            if value is not None and value.type == "assignment_pattern":
                value = value.child_by_field_name("left")
            if value is not None and value.id == ident.id:
                return text(child.child_by_field_name("key")).strip("'\"")
    return None


def _required_export(init: Node | None) -> str:
    """``""`` for ``require('x')``, ``"a.b"`` for ``require('x').a.b``."""
    keys: list[str] = []
    current = unwrap(init)
    if current is not None and current.type == "await_expression" and current.named_children:
        current = unwrap(current.named_children[0])
    while current is not None and current.type == "member_expression":
        keys.append(text(current.child_by_field_name("property")))
        current = unwrap(current.child_by_field_name("object"))
    return ".".join(reversed(keys))


def callee_origin(model: SemanticModel, made: Node) -> Origin | None:
    """The module export that made ``made`` when it is a call or ``new`` (``lib()``,
    ``new lib.X()``, ``lib.create()``): ``origin_of`` its callee; None for anything else."""
    if made.type not in ("call_expression", "new_expression"):
        return None
    field = "function" if made.type == "call_expression" else "constructor"
    return origin_of(model, made.child_by_field_name(field))


def origin_of(model: SemanticModel, node: Node | None) -> Origin | None:
    """The module export ``node`` denotes, or None (locals, globals, computed values)."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "identifier":
        binding = model.binding_of(node)
        if binding is None or binding.module_source is None:
            return None
        if binding.kind is BindingKind.PARAM or binding.is_reassigned:
            return None
        export = imported_name(binding)
        return Origin(binding.module_source, export) if export is not None else None
    if node.type == "member_expression":
        base = origin_of(model, node.child_by_field_name("object"))
        if base is None:
            return None
        prop = text(node.child_by_field_name("property"))
        return Origin(base.module, prop if base.is_main_export else f"{base.export}.{prop}")
    module = required_module(node)
    return Origin(module, "") if module is not None else None
