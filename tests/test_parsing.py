"""Grammar choice by extension, and every modern syntax the fixtures use parses cleanly."""

from __future__ import annotations

import pytest

from nodeleaklint.parsing import SUPPORTED_EXTENSIONS, Dialect, captures, dialect_for_path, parse

SYNTAX = {
    "jsx": (
        "app.jsx",
        "const App = () => <div className='x'>{items.map((i) => <li key={i} />)}</div>;",
    ),
    "tsx": ("app.tsx", "const App = <T,>(p: { v: T }): JSX.Element => <span>{String(p.v)}</span>;"),
    "decorators": (
        "svc.ts",
        "@Injectable()\nexport class Svc {\n"
        "  constructor(@Inject(BUS) private readonly bus: Bus) {}\n"
        "  @Get(':id') find(@Param('id') id: string) { return id; }\n}\n",
    ),
    "class fields": (
        "fields.js",
        "class A { #secret = 1; static count = 0; handler = () => this.#secret; "
        "static { A.count++; } }",
    ),
    "optional chaining": ("opt.mjs", "const n = a?.b?.[c]?.(d) ?? e;\nx ||= 1; y &&= 2; z ??= 3;"),
    "using declarations": (
        "using.mjs",
        "{ using res = open(); await using conn = await connect(); }",
    ),
    "top-level await": (
        "tla.mjs",
        "const config = await import('./config.js');\nawait start(config);",
    ),
    "esm": (
        "esm.mts",
        "import fs, { readFile as rf } from 'node:fs';\nimport * as path from 'node:path';\n"
        "export default function main() {}\nexport { rf };\nexport * from './other.js';",
    ),
    "commonjs": (
        "cjs.cjs",
        "const { EventEmitter } = require('events');\nmodule.exports = { EventEmitter };\n"
        "exports.run = async function run() {};",
    ),
    "typescript generics": (
        "gen.cts",
        "const cache = new Map<string, Array<Promise<User>>>();\n"
        "function pick<K extends keyof T, T>(o: T, k: K): T[K] { return o[k]; }\n"
        "type Handler = (req: Request) => Promise<void>;\nenum Level { A, B }\n",
    ),
    "satisfies and as const": ("sat.ts", "const cfg = { port: 1 } as const satisfies Config;"),
}


@pytest.mark.parametrize(("name", "case"), SYNTAX.items(), ids=list(SYNTAX))
def test_modern_syntax_parses_without_errors(name: str, case: tuple[str, str]) -> None:
    path, code = case
    dialect = dialect_for_path(path)
    assert dialect is not None
    tree = parse(code.encode("utf-8"), dialect)
    assert not tree.root_node.has_error, f"{name}: {tree.root_node}"


@pytest.mark.parametrize(
    ("path", "dialect"),
    [
        ("a.js", Dialect.JAVASCRIPT),
        ("a.JSX", Dialect.JAVASCRIPT),
        ("a.mjs", Dialect.JAVASCRIPT),
        ("a.cjs", Dialect.JAVASCRIPT),
        ("a.ts", Dialect.TYPESCRIPT),
        ("a.mts", Dialect.TYPESCRIPT),
        ("a.cts", Dialect.TYPESCRIPT),
        ("a.tsx", Dialect.TSX),
        ("a.json", None),
        ("Makefile", None),
    ],
)
def test_dialect_by_extension(path: str, dialect: Dialect | None) -> None:
    assert dialect_for_path(path) is dialect


def test_supported_extensions_are_the_documented_ones() -> None:
    assert set(SUPPORTED_EXTENSIONS) == {
        ".js",
        ".mjs",
        ".cjs",
        ".jsx",
        ".ts",
        ".mts",
        ".cts",
        ".tsx",
    }


def test_typescript_angle_bracket_casts_stay_out_of_tsx() -> None:
    code = b"const x = <any>value;"
    assert not parse(code, Dialect.TYPESCRIPT).root_node.has_error
    assert parse(code, Dialect.TSX).root_node.has_error


def test_captures_returns_query_matches_by_capture_name() -> None:
    tree = parse(b"a.b(); c['d']; e.f.g;", Dialect.JAVASCRIPT)
    found = captures(
        tree.language, tree.root_node, "(member_expression) @m (subscript_expression) @s"
    )
    assert sorted(node.text for node in found["m"]) == [b"a.b", b"e.f", b"e.f.g"]
    assert [node.text for node in found["s"]] == [b"c['d']"]
