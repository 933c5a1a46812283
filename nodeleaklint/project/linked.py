"""Linking kept between runs: what the project view taught each file, stored in the cache.

Linking reads every summary of the project and resolves every import; a re-run over a
project whose summaries did not change would learn the same facts again. So the facts of
one linking are kept under a key made of every file's path, how it is shown, whether it
is test code and the digest of its summary (not of its bytes: an edit that changes no
summary — a body edited without moving a call — links the same way, as an incremental
compiler's early cut-off does), together with the stat of every ``package.json`` and
``tsconfig.json`` the resolver looked for (a changed or new one means linking again).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from nodeleaklint.project.resolve import unchanged
from nodeleaklint.project.summary import FileSummary
from nodeleaklint.project.view import ProjectView
from nodeleaklint.semantics.project_facts import ProjectFacts

Row = tuple[str, str, str, bool]
"""One file of a view: absolute path, path as shown, summary digest, whether test code."""


def view_key(rows: Iterable[Row], code: str) -> str:
    """The key a linking of exactly these files and summaries, by this version of the code
    (``code``: ``cache.code_fingerprint``), is kept under."""
    text = json.dumps([code, sorted(rows)], separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def link(
    summaries: Mapping[str, FileSummary],
    displays: Mapping[str, str],
    tests: frozenset[str],
    paths: Iterable[str],
) -> tuple[dict[str, ProjectFacts], dict[str, Any]]:
    """The facts the project view learns for each of ``paths`` (only non-empty ones), and
    what to keep of this linking (``from_data`` reads it back)."""
    view = ProjectView(summaries, displays, tests)
    facts = {path: found for path in paths if (found := view.facts_for(path))}
    kept = {
        "probes": view.resolver.probes,
        "facts": {path: found.key() for path, found in facts.items()},
    }
    return facts, kept


def from_data(data: Mapping[str, Any]) -> dict[str, ProjectFacts] | None:
    """The facts of a kept linking, or None when it no longer holds (a manifest or
    tsconfig changed) or the entry is damaged."""
    try:
        probes, facts = data["probes"], data["facts"]
        if not isinstance(probes, dict) or not isinstance(facts, dict) or not unchanged(probes):
            return None
        return {str(path): ProjectFacts.from_key(str(text)) for path, text in facts.items()}
    except (KeyError, TypeError, ValueError):
        return None
