"""The only module that imports tree-sitter: grammars by file extension, and parsing."""

from __future__ import annotations

import enum
from functools import cache
from pathlib import PurePath

import tree_sitter_javascript
import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Query, QueryCursor, Tree, TreeCursor

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "Dialect",
    "Language",
    "Node",
    "Tree",
    "TreeCursor",
    "captures",
    "dialect_for_path",
    "parse",
]


class Dialect(enum.Enum):
    """A grammar: plain JavaScript (with JSX), TypeScript, or TSX."""

    JAVASCRIPT = "javascript"
    TYPESCRIPT = "typescript"
    TSX = "tsx"


_DIALECT_BY_EXTENSION: dict[str, Dialect] = {
    ".js": Dialect.JAVASCRIPT,
    ".mjs": Dialect.JAVASCRIPT,
    ".cjs": Dialect.JAVASCRIPT,
    ".jsx": Dialect.JAVASCRIPT,
    ".ts": Dialect.TYPESCRIPT,
    ".mts": Dialect.TYPESCRIPT,
    ".cts": Dialect.TYPESCRIPT,
    ".tsx": Dialect.TSX,
}

SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(sorted(_DIALECT_BY_EXTENSION))


def dialect_for_path(path: str | PurePath) -> Dialect | None:
    """The grammar for a file name, or None when the extension is not supported."""
    return _DIALECT_BY_EXTENSION.get(PurePath(path).suffix.lower())


@cache
def language(dialect: Dialect) -> Language:
    if dialect is Dialect.JAVASCRIPT:
        return Language(tree_sitter_javascript.language())
    if dialect is Dialect.TYPESCRIPT:
        return Language(tree_sitter_typescript.language_typescript())
    return Language(tree_sitter_typescript.language_tsx())


@cache
def _parser(dialect: Dialect) -> Parser:
    return Parser(language(dialect))


def parse(source: bytes, dialect: Dialect) -> Tree:
    """Parse bytes with the grammar of ``dialect``; tree-sitter always returns a tree."""
    return _parser(dialect).parse(source)


@cache
def _query(grammar: Language, pattern: str) -> Query:
    query: Query = Query(grammar, pattern)
    return query


def captures(grammar: Language, node: Node, pattern: str) -> dict[str, list[Node]]:
    """The nodes a tree-sitter query ``pattern`` (for ``grammar``) captures below ``node``,
    by capture name (each list by position, though a node nested at the same start may come
    before its parent). Queries are compiled once per grammar and pattern."""
    found: dict[str, list[Node]] = QueryCursor(_query(grammar, pattern)).captures(node)
    return found
