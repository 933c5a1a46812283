"""The only module that imports tree-sitter: grammars by file extension, and parsing."""

from __future__ import annotations

import enum
import importlib
import importlib.machinery
import importlib.util
import os
import re
from functools import cache
from pathlib import PurePath
from types import ModuleType

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
    "dialect_for_source",
    "is_node_script",
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


def _suffix(name: str) -> str:
    """``PurePath(name).suffix`` for a file name, without building a path."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def dialect_for_path(path: str | PurePath) -> Dialect | None:
    """The grammar for a file name, or None when the extension is not supported."""
    name = os.path.basename(path) if isinstance(path, str) else path.name
    return _DIALECT_BY_EXTENSION.get(_suffix(name).lower())


# ``#!/usr/bin/env node``, ``#!/usr/bin/env -S node --flag``, ``#!/usr/local/bin/node``.
_NODE_SHEBANG = re.compile(
    rb"#![ \t]*(?:\S*/)?(?:env[ \t]+(?:-\S+[ \t]+)*)?(?:node|nodejs)(?:[ \t]|\r|\n|$)"
)
SHEBANG_PROBE = 128  # bytes read from an extensionless file to look for a node shebang


def is_node_script(name: str, head: bytes) -> bool:
    """An extensionless file whose first line runs it with ``node``: JavaScript."""
    return not _suffix(os.path.basename(name)) and _NODE_SHEBANG.match(head) is not None


def dialect_for_source(path: str | PurePath, head: bytes) -> Dialect | None:
    """The grammar for a file by its extension, else by a node shebang in ``head``."""
    dialect = dialect_for_path(path)
    if dialect is None and is_node_script(str(path), head):
        return Dialect.JAVASCRIPT
    return dialect


def _grammar(package: str) -> ModuleType:
    """A grammar package's compiled ``_binding`` module, loaded without running the
    package's ``__init__``: that imports ``importlib.resources`` (and with it ``tempfile``,
    ``shutil``, ``random``, ``lzma`` ...) for query files nodeleaklint never reads, about
    9 ms of an editor's cold single-file check. Any other layout gets the ordinary import,
    which exposes the same functions."""
    spec = importlib.util.find_spec(package)  # a top-level package: nothing is executed
    folders = spec.submodule_search_locations if spec is not None else None
    binding = None
    if folders:
        binding = importlib.machinery.PathFinder.find_spec(f"{package}._binding", folders)
    if binding is None or binding.loader is None:
        return importlib.import_module(package)
    module = importlib.util.module_from_spec(binding)
    binding.loader.exec_module(module)
    return module


@cache
def language(dialect: Dialect) -> Language:
    """The grammar of ``dialect``, loaded on first use: a JavaScript file never loads the
    TypeScript grammars."""
    if dialect is Dialect.JAVASCRIPT:
        return Language(_grammar("tree_sitter_javascript").language())
    grammars = _grammar("tree_sitter_typescript")
    if dialect is Dialect.TYPESCRIPT:
        return Language(grammars.language_typescript())
    return Language(grammars.language_tsx())


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
