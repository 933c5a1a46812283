"""Objects attached to a library object that keeps them until they are taken back.

winston's ``logger.add(transport)`` keeps the transport (the logger is piped into it) until
``logger.remove(transport)``; ``logger.child(meta)`` shares its parent's transports, so a
transport added to a child made per call lands on the parent, which outlives the call
(``vocabulary.ATTACHING_LIBRARIES``). What is known here is the library's documented API,
found through the module a value comes from, never through a variable's name: a Set's
``add`` is not one of these.
"""

from __future__ import annotations

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.provenance import callee_origin, origin_of
from nodeleaklint.semantics.scopes import Binding, CallSite
from nodeleaklint.semantics.syntax import text, unwrap
from nodeleaklint.semantics.vocabulary import ATTACHING_LIBRARIES, AttachingLibrary

_MAX_DEPTH = 4


@record
class Attachment:
    """``call`` attaches ``added`` to the library object ``root`` (None: the module's own
    default object, process-lived), through a sharing call (``child``) made in the same run
    when ``shared_through`` is set."""

    call: CallSite
    added: Node
    library: AttachingLibrary
    module: str
    root: Binding | None
    shared_through: Node | None


def attachments(model: SemanticModel) -> list[Attachment]:
    """Every attaching call of the file whose receiver a library of
    ``ATTACHING_LIBRARIES`` made."""
    # (No shortcut on the file's bytes: the object may be made in another file, which the
    # project view says through ``imported_libraries``, asked key by key.)
    names = sorted({row.add for row in ATTACHING_LIBRARIES.values()})
    found: list[Attachment] = []
    for call in model.calls_named(*names):
        if call.is_new or len(call.args) != 1:
            continue
        made = _made_by(model, call.obj, 0)
        if made is None:
            continue
        module, library, root, through = made
        if call.name != library.add:
            continue
        added = unwrap(call.args[0])
        if added is not None:
            found.append(Attachment(call, added, library, module, root, through))
    return found


def _made_by(
    model: SemanticModel, node: Node | None, depth: int
) -> tuple[str, AttachingLibrary, Binding | None, Node | None] | None:
    """(module, row, the binding holding the object, the sharing call on the way) for an
    expression that denotes an object one of the libraries made."""
    node = unwrap(node)
    if node is None or depth > _MAX_DEPTH:
        return None
    if node.type == "call_expression":
        callee = unwrap(node.child_by_field_name("function"))
        if callee is not None and callee.type == "member_expression":
            parent = _made_by(model, callee.child_by_field_name("object"), depth + 1)
            prop = text(callee.child_by_field_name("property"))
            if parent is not None and prop in parent[1].shares:
                return parent[0], parent[1], parent[2], node
        return None
    if node.type != "identifier":
        return None
    binding = model.binding_of(node)
    if binding is None or binding.is_reassigned:
        return None
    imported = model.imported_libraries.get(binding.name) if binding.scope.is_module else None
    row = ATTACHING_LIBRARIES.get(imported) if imported is not None else None
    if imported is not None and row is not None and binding.module_source is not None:
        return imported, row, binding, None  # made by the library in another file
    if binding.destructured:
        return None
    origin = origin_of(model, node)
    if origin is not None and origin.is_main_export:
        row = ATTACHING_LIBRARIES.get(origin.module)
        if row is not None and row.module_is_one:
            return origin.module, row, None, None
        return None
    init = unwrap(binding.init)
    if init is None or init.type not in ("call_expression", "new_expression"):
        return None
    made = callee_origin(model, init)
    if made is not None:
        row = ATTACHING_LIBRARIES.get(made.module)
        if row is not None and made.export in row.makers:
            return made.module, row, binding, None
    if init.type != "call_expression":
        return None
    shared = _made_by(model, init, depth + 1)
    if shared is None:
        return None
    return shared[0], shared[1], shared[2], shared[3]


def library_of(model: SemanticModel, node: Node | None) -> str | None:
    """The library module that made the object ``node`` denotes (``winston.createLogger(…)``,
    or a module-level binding holding one), for the project view: a file importing it then
    knows it is one."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type in ("call_expression", "new_expression"):
        made = callee_origin(model, node)
        row = ATTACHING_LIBRARIES.get(made.module) if made is not None else None
        return (
            made.module
            if made is not None and row is not None and made.export in row.makers
            else None
        )
    if node.type != "identifier":
        return None
    found = _made_by(model, node, 0)
    return found[0] if found is not None and found[2] is not None else None


def taken_back(model: SemanticModel, attachment: Attachment) -> bool:
    """Whether anything in the file takes the attached object back: a remove given the same
    binding (``logger.remove(transport)``), or a remove-all / close of an object of the same
    library in the run that attached it (``logger.clear()``, ``child.close()``). An object
    attached through a child must be taken back through that same child: the pipe's
    ``'data'`` listener was added with the child as its source, and an unpipe from the
    parent (winston 3, Node 20) leaves it — and the transport it holds — on the parent."""
    added = attachment.added
    binding = model.binding_of(added) if added.type == "identifier" else None
    function = attachment.call.function
    receiver = unwrap(attachment.call.obj)
    through_child = attachment.shared_through is not None
    for call in model.calls_named(*sorted(attachment.library.removes)):
        if call.is_new:
            continue
        if through_child and not _same_receiver(model, call.obj, receiver):
            continue
        if not call.args:
            if call.function is function and _made_by(model, call.obj, 0) is not None:
                return True
            continue
        given = unwrap(call.args[0])
        if (
            binding is not None
            and given is not None
            and given.type == "identifier"
            and model.binding_of(given) is binding
        ):
            return True
    return False


def _same_receiver(model: SemanticModel, a: Node | None, b: Node | None) -> bool:
    """The same binding (``child.remove`` after ``child.add``); never a call (each
    ``logger.child()`` makes a new child)."""
    a, b = unwrap(a), unwrap(b)
    if a is None or b is None or a.type != "identifier" or b.type != "identifier":
        return False
    found = model.binding_of(a)
    return found is not None and found is model.binding_of(b)


def removed_elsewhere(model: SemanticModel, attachment: Attachment) -> list[CallSite]:
    """The removes given the attached object through another receiver than the child that
    attached it (``logger.remove(transport)`` after ``logger.child(m).add(transport)``):
    they take nothing back (``taken_back``), and the message says so."""
    added = attachment.added
    binding = model.binding_of(added) if added.type == "identifier" else None
    if binding is None or attachment.shared_through is None:
        return []
    receiver = unwrap(attachment.call.obj)
    found: list[CallSite] = []
    for call in model.calls_named(*sorted(attachment.library.removes)):
        given = unwrap(call.args[0]) if call.args and not call.is_new else None
        if given is None or given.type != "identifier" or model.binding_of(given) is not binding:
            continue
        if not _same_receiver(model, call.obj, receiver):
            found.append(call)
    return found
