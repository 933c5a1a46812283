"""Heavyweight clients: which calls create one (SPEC §2 NLL602), by name and, where known,
by import provenance (``Pool`` from ``pg``, ``MongoClient`` from ``mongodb``).

The table is data; ``rules/nll602_unclosed_client.py`` reports the clients a function
drops, and ``resource_exports`` tells the project view which exported classes and
functions hand one to their callers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodeleaklint.parsing import Node
from nodeleaklint.records import record
from nodeleaklint.semantics.provenance import imported_name, origin_of
from nodeleaklint.semantics.scopes import CallSite
from nodeleaklint.semantics.syntax import text, unwrap
from nodeleaklint.semantics.vocabulary import (
    BROWSER_CLOSE_METHODS,
    BROWSER_MODULES,
    CLIENT_CLOSE_METHODS,
    CLIENT_STATIC_FACTORIES,
)

if TYPE_CHECKING:
    from nodeleaklint.semantics.model import SemanticModel


@record
class ClientKind:
    """A client that holds connections: how it is made and what it holds."""

    name: str  # the constructor or factory name
    is_new: bool
    modules: frozenset[str]
    main_export: bool = False  # the module object itself is the constructor/factory
    by_name: bool = False  # recognised whatever it is imported from (or a global)
    holds: str = "its connections and sockets"
    # Events after which the other side has ended it (a peer closing a WebSocket, a Worker's
    # script finishing): a listener for one means its end is handled.
    end_events: frozenset[str] = frozenset()


def make_kind(
    name: str,
    modules: set[str],
    *,
    new: bool = True,
    main: bool = False,
    by_name: bool = False,
    holds: str = "its connection pool and sockets",
    ends_on: frozenset[str] = frozenset(),
) -> ClientKind:
    return ClientKind(name, new, frozenset(modules), main, by_name, holds, ends_on)


_REDIS = "its socket and reconnection timers"
CLIENT_KINDS: tuple[ClientKind, ...] = (
    make_kind("PrismaClient", {"@prisma/client"}, by_name=True),
    make_kind("MongoClient", {"mongodb"}, by_name=True),
    make_kind(
        "Sequelize",
        {"sequelize", "@sequelize/core", "sequelize-typescript"},
        main=True,
        by_name=True,
    ),
    make_kind("Kafka", {"kafkajs"}, by_name=True, holds="its broker connections"),
    make_kind("Redis", {"ioredis"}, main=True, holds=_REDIS),
    make_kind("Cluster", {"ioredis"}, holds=_REDIS),
    make_kind("createClient", {"redis", "@redis/client"}, new=False, holds=_REDIS),
    make_kind("createCluster", {"redis", "@redis/client"}, new=False, holds=_REDIS),
    make_kind("Pool", {"pg", "pg-pool", "undici"}, main=True),
    make_kind("Client", {"pg", "undici"}),
    make_kind("createPool", {"mysql", "mysql2"}, new=False),
    make_kind("createConnection", {"mysql", "mysql2"}, new=False),
    make_kind("createPoolCluster", {"mysql", "mysql2"}, new=False),
    make_kind("knex", {"knex"}, new=False, main=True),
    make_kind("Knex", {"knex"}, new=False),
    make_kind("Agent", {"http", "https", "undici"}, holds="its keep-alive sockets"),
    make_kind(
        "WebSocket",
        {"ws", "isomorphic-ws"},
        main=True,
        by_name=True,
        holds="its socket",
        ends_on=frozenset({"close"}),
    ),
    make_kind("NodeSSH", {"node-ssh"}, holds="its SSH connection and socket"),
    make_kind("Client", {"ssh2"}, holds="its SSH connection and socket"),
    make_kind(
        "Worker",
        {"worker_threads"},
        holds="its thread, heap and message port",
        ends_on=frozenset({"exit"}),
    ),
)


def client_callee_names(model: SemanticModel, kinds: list[ClientKind]) -> list[str]:
    """The names a call that may create one of ``kinds`` goes by in this file: each kind's
    own, and the local names module-level imports give a kind (``const { Client: SSHClient }
    = require('ssh2')``, ``import { Pool as PgPool } from 'pg'``); ``client_kind`` then
    checks where each one comes from."""
    names, modules = _BUILTIN_NAMES if len(kinds) == len(CLIENT_KINDS) else _names(kinds)
    aliases: list[str] = []
    for binding in model.facts.module_scope.bindings.values():  # where imports are
        source = binding.module_source
        if source is None or binding.name in names or _package(source) not in modules:
            continue
        imported = imported_name(binding)
        if imported and imported.rsplit(".", 1)[-1] in names:
            aliases.append(binding.name)
    if aliases:
        return sorted(names.union(aliases))
    return _SORTED_NAMES if names is _BUILTIN_NAMES[0] else sorted(names)


def _names(
    kinds: list[ClientKind] | tuple[ClientKind, ...],
) -> tuple[frozenset[str], frozenset[str]]:
    """The kinds' constructor or factory names, and the packages they come from."""
    return (
        frozenset(kind.name for kind in kinds),
        frozenset(module for kind in kinds for module in kind.modules),
    )


def _package(source: str) -> str:
    """The package a module specifier names: ``mysql2`` for ``mysql2/promise``,
    ``@redis/client`` for itself, ``http`` for ``node:http``."""
    source = source.removeprefix("node:")
    parts = source.split("/", 2)
    return "/".join(parts[:2]) if source.startswith("@") else parts[0]


_BUILTIN_NAMES = _names(CLIENT_KINDS)
_SORTED_NAMES = sorted(_BUILTIN_NAMES[0])


def client_kind(model: SemanticModel, call: CallSite, kinds: list[ClientKind]) -> ClientKind | None:
    """The client a call creates, judged by name and, where known, by import provenance."""
    callee = unwrap(call.callee)
    if callee is None or callee.type not in ("identifier", "member_expression"):
        return None
    origin = origin_of(model, callee)
    local = callee.type == "identifier" and model.binding_of(callee) is not None
    for kind in kinds:
        if kind.is_new != call.is_new:
            continue
        if origin is not None:
            named = origin.export == kind.name or origin.export.endswith("." + kind.name)
            main = kind.main_export and origin.is_main_export and call.name == kind.name
            if origin.from_module(kind.modules) and (named or main):
                return kind
            if kind.by_name and call.name == kind.name:
                return kind
            continue
        if call.name != kind.name or not kind.by_name:
            continue
        if local:  # a class or function of this file with the same name
            continue
        if callee.type == "member_expression" and not kind.modules:
            return kind
        if callee.type == "identifier":
            return kind
    return None


@record
class Created:
    """A client or browser that an expression creates: the words for it ("a `MongoClient`")
    and the methods that close it."""

    words: str
    closes: frozenset[str]


def created_client(model: SemanticModel, node: Node | None) -> Created | None:
    """The client ``node`` evaluates to when it creates one (``new MongoClient(url)``,
    ``await MongoClient.connect(url).catch(log)``, ``await puppeteer.launch()``), else None."""
    call = model.call_at(_created_value(node)) if node is not None else None
    if call is None:
        return None
    kind = client_kind(model, call, list(CLIENT_KINDS))
    if kind is not None:
        return Created(f"a `{kind.name}`" if kind.is_new else f"a `{kind.name}()` client", _CLOSE)
    if call.is_new or call.obj is None:
        return None
    origin = origin_of(model, call.obj)
    if origin is None:
        return None
    if call.name == "launch" and origin.from_module(BROWSER_MODULES):
        return Created("a browser", BROWSER_CLOSE_METHODS)
    made = origin.export.rsplit(".", 1)[-1]
    for kind in CLIENT_KINDS:
        if kind.name != made or not origin.from_module(kind.modules):
            continue
        if call.name in CLIENT_STATIC_FACTORIES.get(made, frozenset()):
            return Created(f"a `{made}`", _CLOSE)
    return None


_CLOSE = CLIENT_CLOSE_METHODS


def _created_value(node: Node) -> Node:
    """The call under ``await``, parentheses, type assertions and a ``.catch(…)`` that
    only logs (``await X.connect(url).catch(log)`` is still the connection)."""
    current = unwrap(node) or node
    while True:
        if current.type == "await_expression" and current.named_children:
            current = unwrap(current.named_children[-1]) or current.named_children[-1]
            continue
        if current.type == "call_expression":
            callee = current.child_by_field_name("function")
            if (
                callee is not None
                and callee.type == "member_expression"
                and text(callee.child_by_field_name("property")) == "catch"
            ):
                inner = unwrap(callee.child_by_field_name("object"))
                if inner is not None:
                    current = inner
                    continue
        return current
