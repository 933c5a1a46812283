"""Turn sarif-om objects into JSON-ready data, keeping explicit ``level`` and ``kind``.

sarif-om declares every SARIF property as an attrs field whose JSON name is in the
field's ``schema_property_name`` metadata. A field is written unless it is ``None`` or
equal to its declared default (the -1 "unset" sentinels, ``language: en-US``, default
lists); ``level`` and ``kind`` are always written because consumers otherwise inherit
the rule's default level. Anything that is not an attrs object, a dict, a list or a
JSON scalar is an error rather than being silently stringified.
"""

from __future__ import annotations

import enum
from typing import Any

import attr

ALWAYS_WRITTEN = frozenset({"level", "kind"})

JsonValue = Any


def _default(field: Any) -> Any:
    default = field.default
    if isinstance(default, attr.Factory):  # type: ignore[arg-type]
        return default.factory()
    return default


def to_data(value: Any) -> JsonValue:
    """JSON-ready data for a sarif-om object tree (or plain data holding such objects)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, enum.Enum):
        raise TypeError(f"enum {value!r} in a SARIF log: use its value")
    if isinstance(value, (str, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {_key(key): to_data(item) for key, item in value.items()}
    if attr.has(type(value)):
        return _object(value)
    raise TypeError(f"cannot write {type(value).__name__} into a SARIF log")


def _key(key: object) -> str:
    if not isinstance(key, str):
        raise TypeError(f"SARIF property names must be strings, not {key!r}")
    return key


def _object(obj: Any) -> dict[str, JsonValue]:
    data: dict[str, JsonValue] = {}
    for field in attr.fields(type(obj)):
        name = field.metadata.get("schema_property_name", field.name)
        value = getattr(obj, field.name)
        if value is None:
            continue
        if name not in ALWAYS_WRITTEN and field.default is not attr.NOTHING:
            default = _default(field)
            if type(value) is type(default) and value == default:
                continue
        data[name] = to_data(value)
    return data
