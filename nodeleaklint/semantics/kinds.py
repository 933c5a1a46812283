"""Node kinds as small integers, per grammar, for a fast dispatch in the model's walk.

Comparing ``node.type`` strings costs a string allocation per node; ``node.kind_id`` is an
integer that indexes a table built once per grammar. The table maps each named kind to the
code its walk cares about (0 for "nothing special") and every anonymous kind (keywords,
punctuation) to ``ANONYMOUS``. Aliased kinds get the code of their visible name.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from nodeleaklint.parsing import Language

ANONYMOUS = 255
# tree-sitter's kind ids are 16-bit; ERROR is 65535, past ``node_kind_count``.
_TABLE_SIZE = 1 << 16


def kind_table(language: Language, codes: Mapping[str, int]) -> bytes:
    """``table[node.kind_id]``: the code of that kind's name in ``codes``, 0 if absent."""
    return _table(language, tuple(sorted(codes.items())))


@cache
def _table(language: Language, codes: tuple[tuple[str, int], ...]) -> bytes:
    by_name = dict(codes)
    table = bytearray(_TABLE_SIZE)
    for kind_id in range(language.node_kind_count):
        if not language.node_kind_is_named(kind_id):
            table[kind_id] = ANONYMOUS
            continue
        name = language.node_kind_for_id(kind_id)
        if name is not None:
            table[kind_id] = by_name.get(name, 0)
    return bytes(table)


@cache
def field_ids(language: Language, names: tuple[str, ...]) -> tuple[int, ...]:
    """The grammar's ids of the field ``names`` (for ``Node.child_by_field_id``)."""
    ids = tuple(language.field_id_for_name(name) for name in names)
    missing = [name for name, field_id in zip(names, ids, strict=True) if field_id is None]
    if missing:
        raise ValueError(f"fields missing from the grammar: {', '.join(missing)}")
    return tuple(field_id for field_id in ids if field_id is not None)
