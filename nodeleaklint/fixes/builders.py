"""Rewrites that resolve a finding, built from syntax for the rule that reports it.

Each builder returns a ``Fix`` or None. None is the answer whenever the rewrite would not be
mechanical: a statement that is not alone in a block, a receiver with side effects, a name
already taken, a declaration the rewrite would move out of sight of its uses. A rule calls
one builder where it makes the finding (``ctx.finding(..., autofix=...)``); the builders
know syntax only, never why the code leaks.

Every fix here changes what the program does on failure (a listener limit comes back,
streams are destroyed on error, a release runs on the throwing path), so every fix is
``unsafe``: applied only under ``--fix --unsafe-fixes``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from nodeleaklint.findings import Edit, Fix, Span
from nodeleaklint.semantics.locations import value_binding
from nodeleaklint.semantics.syntax import (
    ancestors,
    is_require_call,
    required_module,
    string_value,
    text,
    unwrap,
)

if TYPE_CHECKING:
    from nodeleaklint.parsing import Node
    from nodeleaklint.semantics.model import SemanticModel
    from nodeleaklint.semantics.scopes import Binding
    from nodeleaklint.source import SourceFile

# Where a statement can be taken out (or wrapped) without leaving its parent without a body.
_STATEMENT_LISTS = frozenset({"program", "statement_block", "switch_case", "switch_default"})
# Expressions that may have an effect when evaluated: a statement holding one is not removed.
_EFFECTS = frozenset(
    {
        "call_expression",
        "new_expression",
        "assignment_expression",
        "augmented_assignment_expression",
        "update_expression",
        "await_expression",
        "yield_expression",
        "delete",
    }
)
# A line that starts with one of these continues the previous statement when it has no `;`.
_CONTINUES = ("(", "[", "`", "+", "-", "/")
_STREAM_MODULES = ("stream", "node:stream")
_PROMISE_MODULES = ("stream/promises", "node:stream/promises")
_DECLARATIONS = frozenset(
    {"lexical_declaration", "class_declaration", "function_declaration", "variable_declaration"}
)
_LEADING_SPACES = re.compile(rb"^( {2,8})(?=\S)", re.MULTILINE)
_IDENTIFIER_KINDS = frozenset(
    {"identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern"}
)


_Builder = TypeVar("_Builder", bound=Callable[..., "Fix | None"])


def _optional(builder: _Builder) -> _Builder:
    """A fix is an extra: a defect while building one must never cost the finding (the rule
    would otherwise fail on the file), so it means "no fix"."""

    @functools.wraps(builder)
    def guarded(*args: Any, **kwargs: Any) -> Fix | None:
        try:
            return builder(*args, **kwargs)
        except Exception:
            return None

    return cast(_Builder, guarded)


def edit(source: SourceFile, start: int, end: int, content: str) -> Edit:
    """An edit of bytes ``[start, end)`` with its line/UTF-16 span."""
    first, last = source.position(start), source.position(end)
    return Edit(start, end, content, Span(first.line, first.column, last.line, last.column))


# -- NLL102: `emitter.setMaxListeners(0)` removed ---------------------------------------------


@_optional
def remove_statement(source: SourceFile, call: Node) -> Fix | None:
    """Remove the statement that is exactly ``call`` (its whole line when it stands alone).

    Not when the call is part of a larger expression, the statement is the only body of an
    ``if`` or arrow, its receiver or arguments have effects of their own (``make().x(0)``),
    or taking it out would join the lines around it into one statement.
    """
    statement = _statement_of(call)
    if statement is None or any(_has_effects(child) for child in call.named_children):
        return None
    if not _safe_to_drop(source, statement):
        return None
    start, end = _line_extent(source, statement)
    return Fix(f"Remove `{_one_line(text(call), 60)}`", (edit(source, start, end, ""),))


def _statement_of(call: Node) -> Node | None:
    """The expression statement whose whole expression is ``call``, in a statement list."""
    statement = call.parent
    if statement is None or statement.type != "expression_statement":
        return None
    if statement.parent is None or statement.parent.type not in _STATEMENT_LISTS:
        return None
    return statement


def _has_effects(node: Node) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in _EFFECTS:
            return True
        stack.extend(current.children)
    return False


def _safe_to_drop(source: SourceFile, statement: Node) -> bool:
    """Whether removing ``statement`` keeps its neighbours apart: automatic semicolon
    insertion would otherwise join ``a = b`` and a following ``(x)()`` into ``a = b(x)()``."""
    following = source.data[statement.end_byte :].lstrip()
    if not following.startswith(tuple(mark.encode() for mark in _CONTINUES)):
        return True
    previous = statement.prev_named_sibling
    while previous is not None and previous.type == "comment":
        previous = previous.prev_named_sibling
    return previous is None or text(previous).rstrip().endswith((";", "}"))


def _line_extent(source: SourceFile, node: Node) -> tuple[int, int]:
    """The bytes to delete for ``node``: its whole lines when nothing else is on them,
    else the node and the blanks after it."""
    data = source.data
    line_start = source.line_starts[source.line_of(node.start_byte)]
    end_line = source.line_of(node.end_byte)
    starts = source.line_starts
    line_end = starts[end_line + 1] if end_line + 1 < len(starts) else len(data)
    before = data[line_start : node.start_byte]
    after = data[node.end_byte : line_end]
    if not before.strip(b" \t") and not after.strip():
        return line_start, line_end
    tail = len(after) - len(after.lstrip(b" \t"))
    return node.start_byte, node.end_byte + tail


# -- NLL501: `src.pipe(dst)` -> `pipeline(src, dst, callback)` ----------------------------------


@_optional
def pipe_to_pipeline(model: SemanticModel, source: SourceFile, call: Node) -> Fix | None:
    """Rewrite the statement ``a.pipe(b).pipe(c);`` as ``pipeline(a, b, c, (err) => …);``.

    ``pipeline`` destroys every stream when one fails or closes early, which is what the
    finding asks for. The callback form keeps the statement's timing (nothing awaits it).
    ``pipeline`` comes from an existing ``node:stream`` import or namespace when there is
    one, else an import is added in the file's module style; where ``pipeline`` is already
    the promise version (``node:stream/promises``) the rewrite is
    ``pipeline(a, b, c).catch(…)``. Not for a chain with options (``{ end: false }``) or
    other calls between the pipes, nor when the name ``pipeline`` means something else.
    """
    statement = _statement_of(call)
    stages = _pipe_stages(call)
    if statement is None or stages is None or _assembled(model, stages[0]):
        return None
    name = _pipeline_name(model, source, call)
    if name is None:
        return None
    callee, promised, import_edit = name
    indent = _indentation(source, statement)
    newline = _newline(source)
    unit = _indent_unit(source, indent)
    arguments = ", ".join(text(stage) for stage in stages)
    end = ";" if text(statement).rstrip().endswith(";") else ""  # the file's own style
    report = f"{newline}{indent}{unit}if (err) console.error(err){end}{newline}{indent}"
    if promised:
        report = f"{newline}{indent}{unit}console.error(err){end}{newline}{indent}"
        replacement = f"{callee}({arguments}).catch((err) => {{{report}}})"
    else:
        replacement = f"{callee}({arguments}, (err) => {{{report}}})"
    edits = [edit(source, call.start_byte, call.end_byte, replacement)]
    if import_edit is not None:
        edits.insert(0, import_edit)
    module = "`node:stream/promises`" if promised else "`node:stream`"
    return Fix(f"Replace `.pipe()` with `pipeline()` from {module}", tuple(edits))


def _assembled(model: SemanticModel, first: Node) -> bool:
    """Whether the chain's source is a variable that other pipes build up (``s = s.pipe(t)``
    in a loop): rewriting the last link alone would leave the others unmanaged."""
    binding = value_binding(model, first)
    if binding is None:
        return False
    assignments = [write.parent for write in binding.writes]  # each write is the target
    return any(".pipe(" in text(assignment) for assignment in assignments)


def _pipe_stages(call: Node) -> list[Node] | None:
    """``[a, b, c]`` for ``a.pipe(b).pipe(c)``; None unless every link is a plain
    ``.pipe(x)`` with one argument and at least one link exists."""
    stages: list[Node] = []
    current: Node | None = call
    while current is not None and current.type == "call_expression":
        callee = current.child_by_field_name("function")
        if callee is None or callee.type != "member_expression":
            break
        if text(callee.child_by_field_name("property")) != "pipe":
            break
        if any(child.type == "optional_chain" for child in callee.children):
            return None
        arguments = current.child_by_field_name("arguments")
        values = [child for child in (arguments.named_children if arguments else [])]
        if len(values) != 1 or values[0].type in ("spread_element", "comment"):
            return None
        stages.insert(0, values[0])
        current = callee.child_by_field_name("object")
    if current is None or not stages:
        return None
    stages.insert(0, current)
    return stages


def _pipeline_name(
    model: SemanticModel, source: SourceFile, at: Node
) -> tuple[str, bool, Edit | None] | None:
    """How to call ``pipeline`` at ``at``: (callee, whether it returns a promise, an import
    to add). An imported ``pipeline`` (callback or promise version), ``ns.pipeline`` of a
    namespace import of ``node:stream``, or ``pipeline`` with an import to add. None when
    the name ``pipeline`` means something else here."""
    named = model.resolve("pipeline", at)
    if named is not None:
        if _imports_pipeline(named, _STREAM_MODULES):
            return "pipeline", False, None
        if _imports_pipeline(named, _PROMISE_MODULES):
            return "pipeline", True, None
        return None
    for binding in model.module_scope.bindings.values():
        if _imports_pipeline(binding, (*_STREAM_MODULES, *_PROMISE_MODULES)):
            return None  # imported under another name: keep to the user's name
        namespace = binding.module_source in _STREAM_MODULES and _is_namespace(binding)
        if namespace and model.resolve(binding.name, at) is binding:
            return f"{binding.name}.pipeline", False, None
    if _name_used(model.root, "pipeline"):
        return None
    return "pipeline", False, _import_edit(model, source)


def _imports_pipeline(binding: Binding, modules: Sequence[str]) -> bool:
    """``import { pipeline } from 'stream'`` / ``const { pipeline } = require('stream')``
    (for one of ``modules``), under any local name."""
    if binding.module_source not in modules:
        return False
    parent = binding.node.parent
    if parent is None:
        return False
    if parent.type == "import_specifier":
        return text(parent.child_by_field_name("name")) == "pipeline"
    if parent.type == "object_pattern" and binding.destructured:
        return binding.name == "pipeline"  # shorthand `{ pipeline }`
    if parent.type == "pair_pattern":
        return text(parent.child_by_field_name("key")) == "pipeline"
    return False


def _is_namespace(binding: Binding) -> bool:
    """``const stream = require('stream')``, ``import * as stream`` or ``import stream``."""
    if binding.destructured:
        return False
    if binding.init is not None:
        init = unwrap(binding.init)
        return init is not None and init.type == "call_expression" and is_require_call(init)
    parent = binding.node.parent
    return parent is not None and parent.type in ("namespace_import", "import_clause")


def _name_used(root: Node, name: str) -> bool:
    """Whether an identifier ``name`` occurs under ``root``. Its text must spell the name, so
    most trees are ruled out by one search of their bytes, without a walk (a walk of the
    whole file per finding made NLL501's fix cost more than the rest of the check)."""
    if name.encode() not in (root.text or b""):
        return False
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in _IDENTIFIER_KINDS and text(node) == name:
            return True
        stack.extend(node.children)
    return False


def _import_edit(model: SemanticModel, source: SourceFile) -> Edit:
    """An edit adding ``pipeline``'s import in the file's style: into an existing named
    import of ``node:stream`` (``{ Readable }`` -> ``{ Readable, pipeline }``), else as a
    line after the last top-level import (or ``require``), else before the first statement."""
    root = model.root
    extended = _extend_stream_import(root)
    if extended is not None:
        return edit(source, extended, extended, ", pipeline")
    imports = [child for child in root.named_children if child.type == "import_statement"]
    requires = [child for child in root.named_children if _is_require_declaration(child)]
    esm = bool(imports) or any(c.type == "export_statement" for c in root.named_children)
    if not esm and not requires:
        esm = source.path.endswith((".mjs", ".mts", ".ts", ".tsx"))
    anchors = imports if esm else requires
    quote = _quote(anchors[-1]) if anchors else "'"
    semicolon = ";" if not anchors or text(anchors[-1]).rstrip().endswith(";") else ""
    newline = _newline(source)
    if esm:
        line = f"import {{ pipeline }} from {quote}node:stream{quote}{semicolon}"
    else:
        line = f"const {{ pipeline }} = require({quote}node:stream{quote}){semicolon}"
    if anchors:
        offset = _end_of_line(source, anchors[-1].end_byte)
        return edit(source, offset, offset, line + newline)
    first = next(
        (c for c in root.named_children if c.type not in ("comment", "hash_bang_line")), None
    )
    if first is not None and _is_directive(first):  # after 'use strict'
        offset = _end_of_line(source, first.end_byte)
        return edit(source, offset, offset, line + newline)
    offset = source.line_starts[source.line_of(first.start_byte)] if first is not None else 0
    return edit(source, offset, offset, line + newline)


def _extend_stream_import(root: Node) -> int | None:
    """Where to add ``, pipeline`` to a top-level ``import { … } from 'node:stream'`` or
    ``const { … } = require('node:stream')`` (after its last name), or None."""
    for statement in root.named_children:
        if statement.type == "import_statement":
            source = string_value(statement.child_by_field_name("source"))
            if source not in _STREAM_MODULES or text(statement).startswith("import type"):
                continue
            clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
            named = next(
                (c for c in (clause.named_children if clause else []) if c.type == "named_imports"),
                None,
            )
            names = [
                c for c in (named.named_children if named else []) if c.type == "import_specifier"
            ]
            if names:
                return names[-1].end_byte
        elif statement.type in ("lexical_declaration", "variable_declaration"):
            for declarator in statement.named_children:
                value = unwrap(declarator.child_by_field_name("value"))
                pattern = declarator.child_by_field_name("name")
                if pattern is None or pattern.type != "object_pattern":
                    continue
                if value is None or value.type != "call_expression":
                    continue
                if required_module(value) not in _STREAM_MODULES:
                    continue
                names = list(pattern.named_children)
                if names and all(n.type != "rest_pattern" for n in names):
                    return names[-1].end_byte
    return None


def _is_require_declaration(node: Node) -> bool:
    if node.type not in ("lexical_declaration", "variable_declaration"):
        return False
    for declarator in node.named_children:
        value = declarator.child_by_field_name("value")
        if declarator.type == "variable_declarator" and required_module(value) is not None:
            return True
        if declarator.type == "variable_declarator" and is_require_call(value):
            return True
    return False


def _is_directive(node: Node) -> bool:
    expression = node.named_children[0] if node.named_children else None
    return node.type == "expression_statement" and string_value(expression) is not None


def _quote(node: Node) -> str:
    match = re.search(r"""['"]""", text(node))
    return match.group() if match else "'"


def _end_of_line(source: SourceFile, offset: int) -> int:
    """The offset just after the line break ending the line that holds ``offset``."""
    starts = source.line_starts
    line = source.line_of(offset)
    if line + 1 < len(starts):
        return starts[line + 1]
    return len(source.data)


# -- NLL602: a release after awaits moved into `finally` -------------------------------------


@_optional
def release_in_finally(source: SourceFile, acquired: Node, release: Node | None) -> Fix | None:
    """Wrap the statements between an acquisition and its release in ``try``, and move the
    release into its ``finally``::

        const client = await pool.connect();     const client = await pool.connect();
        await client.query(q);               ->  try {
        client.release();                          await client.query(q);
        return done();                           } finally {
                                                   client.release();
                                                 }
                                                 return done();

    When a ``const``/``let``/``class``/``function`` declared between them is used after the
    release (``const rows = await client.query(q); client.release(); return rows;``), the
    ``try`` would hide it from those uses; the statements after the release then move into
    the ``try`` as well, but only when none of them awaits: they ran right after the
    release with nothing in between, and now run right before it.

    Only when both are statements of one block, the release is one expression statement,
    nothing in the moved code releases the same way (a second release would double it),
    each moved statement starts its own line, and no multi-line template literal is moved
    (re-indenting would change its text).
    """
    if release is None:
        return None
    acquisition = _enclosing_statement(acquired)
    releasing = _enclosing_statement(release)
    if acquisition is None or releasing is None or releasing.type != "expression_statement":
        return None
    block = acquisition.parent
    if block is None or block.type != "statement_block" or releasing.parent != block:
        return None
    if acquisition.type not in ("lexical_declaration", "variable_declaration"):
        return None
    siblings = list(block.named_children)
    first, last = siblings.index(acquisition), siblings.index(releasing)
    between, after = siblings[first + 1 : last], siblings[last + 1 :]
    if not [node for node in between if node.type != "comment"]:
        return None
    callee = _release_callee(releasing)
    if callee is None:
        return None
    hidden = {name for node in between for name in _declared_names(node)}
    if not any(_name_used(node, name) for node in after for name in hidden):
        after = []
    elif any(_suspends(node) for node in after) or _seen_before(after, siblings[: first + 1]):
        return None
    moved = [*between, *after]
    if any(callee in text(node) or _multiline_template(node) for node in moved):
        return None
    if not all(_starts_line(source, node) for node in (*moved, releasing)):
        return None
    if source.data[releasing.end_byte : _end_of_line(source, releasing.end_byte)].strip():
        return None
    return _wrap(source, acquisition, between, releasing, after)


def _release_callee(releasing: Node) -> str | None:
    """``client.release`` for the statement ``client.release();`` / ``await client.end();``."""
    expression = releasing.named_children[0] if releasing.named_children else None
    call = unwrap(expression)
    if call is not None and call.type == "await_expression" and call.named_children:
        call = unwrap(call.named_children[0])
    if call is None or call.type != "call_expression":
        return None
    return text(call.child_by_field_name("function")) or None


def _seen_before(moved: Sequence[Node], earlier: Sequence[Node]) -> bool:
    """Whether a name declared in ``moved`` is used by earlier statements of the block (a
    hoisted function, a closure reading a later ``let``): inside the ``try`` they would
    no longer see it."""
    names = {name for node in moved for name in _declared_names(node)}
    return any(_name_used(node, name) for node in earlier for name in names)


def _suspends(node: Node) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("await_expression", "yield_expression"):
            return True
        stack.extend(current.children)
    return False


def _starts_line(source: SourceFile, node: Node) -> bool:
    line_start = source.line_starts[source.line_of(node.start_byte)]
    return not source.data[line_start : node.start_byte].strip(b" \t")


def _enclosing_statement(node: Node) -> Node | None:
    """The statement (a direct child of a block) that holds ``node``."""
    for current in (node, *ancestors(node)):
        if current.parent is not None and current.parent.type in _STATEMENT_LISTS:
            return current
    return None


def _declared_names(node: Node) -> Iterator[str]:
    """Names a statement declares in its block: ``const``/``let``/``class``/``function``
    (``var`` belongs to the function and stays visible after the ``try``)."""
    if node.type not in _DECLARATIONS or node.type == "variable_declaration":
        return
    if node.type in ("class_declaration", "function_declaration"):
        name = node.child_by_field_name("name")
        if name is not None:
            yield text(name)
        return
    for declarator in node.named_children:
        target = declarator.child_by_field_name("name")
        stack = [target] if target is not None else []
        while stack:
            current = stack.pop()
            if current.type in _IDENTIFIER_KINDS:
                yield text(current)
            elif current.type == "pair_pattern":
                value = current.child_by_field_name("value")
                if value is not None:
                    stack.append(value)
            else:
                stack.extend(current.named_children)


def _multiline_template(node: Node) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "template_string" and b"\n" in (current.text or b""):
            return True
        stack.extend(current.children)
    return False


def _wrap(
    source: SourceFile,
    acquisition: Node,
    between: Sequence[Node],
    releasing: Node,
    after: Sequence[Node],
) -> Fix:
    outer = _indentation(source, acquisition)
    unit = _indent_unit(source, outer)
    newline = _newline(source)
    start = _line_start(source, between[0])
    moved = _text(source, start, between[-1].end_byte)
    end = releasing.end_byte
    if after:
        moved += newline + _text(source, _line_start(source, after[0]), after[-1].end_byte)
        end = after[-1].end_byte
    lines = [line if not line.strip() else unit + line for line in moved.split(newline)]
    release = text(releasing)
    content = newline.join(
        [
            f"{outer}try {{",
            *lines,
            f"{outer}}} finally {{",
            f"{outer}{unit}{release}",
            f"{outer}}}",
        ]
    )
    fix_edit = edit(source, start, end, content)
    return Fix(f"Move `{_one_line(release, 50)}` into a `finally` block", (fix_edit,))


def _line_start(source: SourceFile, node: Node) -> int:
    return source.line_starts[source.line_of(node.start_byte)]


def _text(source: SourceFile, start: int, end: int) -> str:
    return source.data[start:end].decode("utf-8", "surrogateescape")


# -- layout helpers --------------------------------------------------------------------------


def _indentation(source: SourceFile, node: Node) -> str:
    """The blanks that start ``node``'s line ("" when other code precedes it there)."""
    line_start = source.line_starts[source.line_of(node.start_byte)]
    before = source.data[line_start : node.start_byte]
    return before.decode("utf-8", "replace") if not before.strip(b" \t") else ""


def _indent_unit(source: SourceFile, indent: str = "") -> str:
    """One level of the file's indentation: a tab, or its smallest run of leading spaces."""
    if indent.startswith("\t"):
        return "\t"
    widths = {len(match) for match in _LEADING_SPACES.findall(source.data)}
    return " " * min(widths) if widths else "  "


def _newline(source: SourceFile) -> str:
    return "\r\n" if b"\r\n" in source.data else "\n"


def _one_line(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
