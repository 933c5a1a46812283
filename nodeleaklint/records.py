"""``@record``: the immutable data class most of nodeleaklint is made of.

A record is a dataclass that the type checker treats as frozen (mypy, strict, rejects
assigning to a field) and that compares by identity. At run time it is a plain dataclass
with only its ``__init__`` generated.

Why not ``@dataclass(frozen=True)``: the standard library compiles every generated method
from source when the module is imported, and a frozen class gets two more of them
(``__setattr__``, ``__delattr__``), plus ``__eq__``, ``__hash__`` and ``__repr__`` by
default. Over the 56 records of the model, the rules and the runner that was some 280
compilations, about 30 ms of a cold single-file check (SPEC §6: 150 ms, process start
included), and a frozen ``__init__`` sets each field through ``object.__setattr__``.
The immutability that matters is the one the type checker proves; nothing compares,
hashes by value or prints these objects. A class whose instances are compared or used
as keys by value (``Span``, ``Place``, ``ProjectFacts`` ...) stays a
``@dataclass(frozen=True)``.
"""

from __future__ import annotations

from dataclasses import Field, dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_options: Any) -> Any:
        """Only the type checker reads the options (``typing`` has it from 3.11 on)."""
        return lambda decorator: decorator


_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, eq_default=False, field_specifiers=(field, Field))
def record(cls: type[_T]) -> type[_T]:
    """``cls`` as a record: fields and ``__init__`` as a dataclass, nothing else generated."""
    return dataclass(eq=False, repr=False)(cls)
