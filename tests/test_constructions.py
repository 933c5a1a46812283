"""Constructor parameters take what every ``new X(…)`` passes (SPEC §1 *Arguments reach
parameters*): ``call_sites_of`` gives a constructor its ``new`` sites only when no other
use of the class's name can construct it or hand it on."""

from __future__ import annotations

import pytest

from nodeleaklint.parsing import Dialect, dialect_for_path, parse
from nodeleaklint.semantics.lifetimes import Lifetime, lifetime_of
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.source import SourceFile


def build(code: str, path: str = "m.js") -> SemanticModel:
    data = code.encode("utf-8")
    dialect = dialect_for_path(path) or Dialect.JAVASCRIPT
    return SemanticModel.build(SourceFile(path, data), parse(data, dialect), dialect)


def sites(code: str, path: str = "m.js") -> list[str] | None:
    model = build(code, path)
    info = next(c for c in model.classes if c.name in ("A", None))
    assert info.constructor is not None
    found = model.call_sites_of(info.constructor)
    return None if found is None else [site.display(60) for site in found]


HUB = "const hub = new (require('events'))();\n"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "class A { constructor(h) {} static make() {} }\n"
            "new A(hub); A.make(); if (x instanceof A) {}",
            ["new A(hub)"],
        ),
        (
            "function A(h) {}\nA.prototype.m = function () {};\n"
            "require('util').inherits(A, B);\nfunction f() { return new A(hub) }",
            ["new A(hub)"],
        ),
        ("class A { constructor(h) {} }\nclass B extends A {}\nnew A(hub);", None),
        ("class A { constructor(h) {} }\nregister(A);\nnew A(hub);", None),
        ("class A { constructor(h) {} }\nmodule.exports = A;\nnew A(hub);", None),
        ("function A(h) {}\nA.prototype.m = function () {};\nA.call(this, hub);", None),
        ("const A = class { constructor(h) {} };\nnew A(hub);", ["new A(hub)"]),
        ("let A = class { constructor(h) {} };\nA = null;\nnew A(hub);", None),
    ],
)
def test_construction_sites(code: str, expected: list[str] | None) -> None:
    assert sites(HUB + code) == expected


def test_typescript_class_name() -> None:
    code = HUB + "class A { constructor(private h: any) {} }\nexport function f() { new A(hub) }"
    assert sites(code, "m.ts") == ["new A(hub)"]


def test_parameter_takes_the_argument_lifetime() -> None:
    model = build(
        HUB
        + "class A { constructor(h) { h.on('x', () => this) } }\n"
        + "function f() { new A(hub) }\nfunction g(e) { new A(e) }"
    )
    (info,) = model.classes
    assert info.constructor is not None
    param = info.constructor.params[0]
    # `g(e)` passes an argument of unknown lifetime: no answer from the callers.
    assert lifetime_of(model, param.node).lifetime is Lifetime.UNKNOWN
    model = build(HUB + "class A { constructor(h) {} }\nfunction f() { new A(hub) }")
    (info,) = model.classes
    assert info.constructor is not None
    holder = lifetime_of(model, info.constructor.params[0].node)
    assert holder.lifetime is Lifetime.PROCESS
    assert "which its callers give the module-level `hub`" in holder.description
