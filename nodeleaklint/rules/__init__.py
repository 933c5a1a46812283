"""The rule registry: an explicit, sorted list, and selection by id, name or id prefix."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType

from nodeleaklint.rules.base import Rule

# One module per rule, in id order. Add a rule by adding its module name here.
RULE_MODULES: tuple[str, ...] = (
    "nll101_unremoved_listener",
    "nll102_raised_max_listeners",
    "nll201_uncleared_interval",
    "nll301_unbounded_collection",
    "nll501_unmanaged_pipe",
    "nll401_closure_retains_large_value",
    "nll601_never_settling_promise",
    "nll602_unclosed_client",
)
_MODULES: tuple[ModuleType, ...] = tuple(
    importlib.import_module(f"nodeleaklint.rules.{name}") for name in RULE_MODULES
)


def _rule_from_module(module: ModuleType) -> Rule:
    return Rule(meta=module.META, doc=module.__doc__ or "", check=module.check)


ALL_RULES: tuple[Rule, ...] = tuple(
    sorted((_rule_from_module(module) for module in _MODULES), key=lambda rule: rule.id)
)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}


class UnknownRuleError(ValueError):
    """A selector that names no rule."""


def matching_rules(selector: str) -> list[Rule]:
    """Rules named by a selector: id (``NLL101``), name, id prefix (``NLL1``) or ``ALL``."""
    text = selector.strip()
    upper = text.upper()
    if upper in ("ALL", "NLL"):
        return list(ALL_RULES)
    by_name = [rule for rule in ALL_RULES if rule.name == text.lower()]
    if by_name:
        return by_name
    by_prefix = [rule for rule in ALL_RULES if rule.id.startswith(upper)] if upper else []
    if by_prefix:
        return by_prefix
    raise UnknownRuleError(f"unknown rule selector {selector!r}")


def find_rule(selector: str) -> Rule:
    """Exactly one rule by id or name."""
    text = selector.strip()
    for rule in ALL_RULES:
        if text.upper() == rule.id or text.lower() == rule.name:
            return rule
    raise UnknownRuleError(f"unknown rule {selector!r}")


def select_rules(select: Iterable[str], ignore: Iterable[str] = ()) -> list[Rule]:
    """The enabled rules, in id order: everything ``select`` names minus what ``ignore`` names."""
    selected = {rule.id for selector in select for rule in matching_rules(selector)}
    ignored = {rule.id for selector in ignore for rule in matching_rules(selector)}
    return [rule for rule in ALL_RULES if rule.id in selected - ignored]


def expand_selectors(selectors: Iterable[str]) -> set[str]:
    """The rule ids a list of selectors names (used by suppressions and per-file ignores)."""
    return {rule.id for selector in selectors for rule in matching_rules(selector)}
