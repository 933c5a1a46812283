"""Configuration: the settings of a run, discovered from project files or given explicitly.

Configuration is data only. Files are parsed with ``tomllib``/``json`` and validated key by
key; nothing found in a project is ever imported or executed.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

from nodeleaklint.findings import Confidence, Notification, NotificationKind, Severity
from nodeleaklint.rules import UnknownRuleError, find_rule, matching_rules
from nodeleaklint.rules.base import RuleOption
from nodeleaklint.semantics.frameworks import CONFIG_KEYS as FRAMEWORK_KEYS

DEFAULT_EXCLUDES: tuple[str, ...] = (
    "node_modules",
    ".git",
    "dist",
    "build",
    "coverage",
    "vendor",
    "*.min.js",
    "*.min.mjs",
    "*.min.cjs",
    "*-min.js",
    "*.bundle.js",
)
DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024

# Looked for in each folder, in this order; the first folder holding one of them wins.
CONFIG_FILENAMES: tuple[str, ...] = (
    "nodeleaklint.toml",
    ".nodeleaklint.toml",
    "pyproject.toml",
    "package.json",
)
KEYS: tuple[str, ...] = (
    "select",
    "ignore",
    "exclude",
    "extend-exclude",
    "per-file-ignores",
    "max-file-size",
    "respect-gitignore",
    "min-confidence",
    "fail-on",
    "rules",
    "resources",
    "frameworks",
)


@dataclass(frozen=True)
class Config:
    """Resolved settings. ``root`` is the folder of the config file (None: built-in defaults).

    ``per_file_ignores`` maps gitignore-style patterns, relative to ``root``, to rule
    selectors. ``rule_options`` maps a rule id to the options set in the file (defaults
    are not filled in).
    """

    root: Path | None = None
    source: Path | None = None
    select: tuple[str, ...] = ("NLL",)
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    respect_gitignore: bool = True
    min_confidence: Confidence = Confidence.MEDIUM
    fail_on: Confidence = Confidence.HIGH
    # ``[frameworks.<name>]``: rows added to the framework lifecycle table (validated).
    frameworks: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def all_excludes(self) -> tuple[str, ...]:
        return (*self.exclude, *self.extend_exclude)


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the key."""


def display_path(path: Path) -> str:
    """A path for messages: relative to the working directory when below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# -- reading files -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Section:
    """Where the settings live in one file, for messages (``[tool.nodeleaklint]``)."""

    file: Path
    table: tuple[str, ...]
    json_style: bool

    def label(self, *more: str) -> str:
        parts = (*self.table, *more)
        if not parts:
            return ""
        return f'"{".".join(parts)}"' if self.json_style else f"[{'.'.join(parts)}]"

    def error(self, problem: str, *more: str) -> ConfigError:
        label = self.label(*more)
        where = f" {label}" if label else ""
        return ConfigError(f"{display_path(self.file)}:{where} {problem}")


def _read_document(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{display_path(path)}: cannot read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
        if path.name.endswith(".json"):
            return json.loads(text)
        return tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(f"{display_path(path)}: not valid UTF-8") from None
    except json.JSONDecodeError as error:
        raise ConfigError(f"{display_path(path)}: invalid JSON: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{display_path(path)}: invalid TOML: {error}") from None


def _read_section(path: Path) -> tuple[_Section, Any] | None:
    """The nodeleaklint settings of one file, or None when the file has none."""
    document = _read_document(path)
    if path.name == "pyproject.toml":
        tool = document.get("tool")
        if not isinstance(tool, dict) or "nodeleaklint" not in tool:
            return None
        return _Section(path, ("tool", "nodeleaklint"), json_style=False), tool["nodeleaklint"]
    if path.name == "package.json":
        if not isinstance(document, dict) or "nodeleaklint" not in document:
            return None
        return _Section(path, ("nodeleaklint",), json_style=True), document["nodeleaklint"]
    return _Section(path, (), json_style=path.name.endswith(".json")), document


# -- validation --------------------------------------------------------------------------


def _suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word.replace("_", "-"), choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}.get(
        type(value), f"a {type(value).__name__}"
    )


def _strings(section: _Section, key: str, value: Any, *table: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise section.error(f"{key!r} must be a list of non-empty strings", *table)
    return tuple(value)


def _selectors(section: _Section, key: str, value: Any, *table: str) -> tuple[str, ...]:
    selectors = _strings(section, key, value, *table)
    for selector in selectors:
        try:
            matching_rules(selector)
        except UnknownRuleError:
            raise section.error(f"{key!r}: unknown rule selector {selector!r}", *table) from None
    return selectors


def _option_value(section: _Section, option: RuleOption, value: Any, table: str) -> Any:
    kind = option.kind
    problem = f"option {option.name!r} must be {kind.__name__}, got {_type_name(value)}"
    if kind is bool:
        if isinstance(value, bool):
            return value
    elif kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif kind is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif kind in (list, tuple):
        if isinstance(value, list):
            sample = next(iter(option.default), None) if option.default else None
            if sample is None or all(isinstance(item, type(sample)) for item in value):
                return kind(value)
            problem = f"option {option.name!r} must be a list of {type(sample).__name__}"
    elif isinstance(value, kind) and not (isinstance(value, bool) and kind is not bool):
        return value
    raise section.error(problem, "rules", table)


def _rule_options(section: _Section, value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise section.error("'rules' must be a table keyed by rule id or name")
    options: dict[str, dict[str, Any]] = {}
    for key, settings in value.items():
        try:
            rule = find_rule(key)
        except UnknownRuleError:
            raise section.error(f"unknown rule {key!r} in 'rules'") from None
        if not isinstance(settings, dict):
            raise section.error("must be a table of rule options", "rules", key)
        known = {option.name: option for option in rule.meta.options}
        chosen = options.setdefault(rule.id, {})
        for name, item in settings.items():
            if name not in known:
                names = sorted(known)
                hint = _suggest(name, names) or (
                    f" (options: {', '.join(names)})" if names else " (this rule has no options)"
                )
                raise section.error(f"unknown option {name!r} for {rule.id}{hint}", "rules", key)
            chosen[name] = _option_value(section, known[name], item, key)
    return options


# Keys of one ``[resources.<method>]`` table: an acquire/release pair for NLL602.
RESOURCE_KEYS: tuple[str, ...] = ("releases", "owner-releases", "noun")
# The rule that reads the pair table, and the option it reaches it under.
RESOURCES_RULE, RESOURCES_OPTION = "NLL602", "resources"


def _resources(section: _Section, value: Any) -> dict[str, dict[str, Any]]:
    """``[resources.checkout] releases = ["checkin"]``: results of ``x.checkout()`` must be
    given back with ``.checkin()`` (or ``x.checkin(result)`` for ``owner-releases``) on
    every path. Validated here; NLL602 reads it as its ``resources`` option."""
    if not isinstance(value, dict):
        raise section.error("'resources' must be a table keyed by the acquiring method")
    pairs: dict[str, dict[str, Any]] = {}
    for method, settings in value.items():
        if not method.replace("$", "").replace("_", "").isalnum():
            raise section.error(f"{method!r} is not a method name", "resources")
        if not isinstance(settings, dict):
            raise section.error(
                "must be a table (releases, owner-releases, noun)", "resources", method
            )
        for key in settings:
            if key not in RESOURCE_KEYS:
                hint = _suggest(key, RESOURCE_KEYS) or f" (keys: {', '.join(RESOURCE_KEYS)})"
                raise section.error(f"unknown key {key!r}{hint}", "resources", method)
        if "releases" not in settings and "owner-releases" not in settings:
            raise section.error("needs 'releases' or 'owner-releases'", "resources", method)
        releases = _strings(section, "releases", settings.get("releases", []), "resources", method)
        owner = _strings(
            section, "owner-releases", settings.get("owner-releases", []), "resources", method
        )
        noun = settings.get("noun", method + " result")
        if not isinstance(noun, str) or not noun.strip():
            raise section.error("'noun' must be a non-empty string", "resources", method)
        pairs[method] = {"releases": releases, "owner-releases": owner, "noun": noun.strip()}
    return pairs


# A name a ``[frameworks.<name>]`` list may hold: a method, an object key or an event name.
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$:.-]*")


def _frameworks(section: _Section, value: Any) -> dict[str, dict[str, tuple[str, ...]]]:
    """``[frameworks.my-bus] per-event-methods = ["onCommand"]``: rows added to the framework
    lifecycle table (``semantics.frameworks``), for the whole model and every rule."""
    if not isinstance(value, dict):
        raise section.error("'frameworks' must be a table keyed by framework name")
    keys = tuple(FRAMEWORK_KEYS)
    added: dict[str, dict[str, tuple[str, ...]]] = {}
    for name, settings in value.items():
        if not isinstance(settings, dict):
            raise section.error(f"must be a table ({', '.join(keys)})", "frameworks", name)
        rows: dict[str, tuple[str, ...]] = {}
        for key, names in settings.items():
            if key not in FRAMEWORK_KEYS:
                hint = _suggest(key, keys) or f" (keys: {', '.join(keys)})"
                raise section.error(f"unknown key {key!r}{hint}", "frameworks", name)
            rows[key] = _strings(section, key, names, "frameworks", name)
            bad = [item for item in rows[key] if not _IDENTIFIER.fullmatch(item)]
            if bad:
                raise section.error(
                    f"{key!r}: {bad[0]!r} is not a method, event or key name", "frameworks", name
                )
        added[name] = rows
    return added


def _per_file_ignores(section: _Section, value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise section.error("'per-file-ignores' must be a table of pattern -> list of rules")
    return {
        pattern: _selectors(section, pattern, selectors, "per-file-ignores")
        for pattern, selectors in value.items()
    }


def _positive_int(section: _Section, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise section.error(f"{key!r} must be a positive integer (bytes), got {value!r}")
    return value


def _confidence(section: _Section, key: str, value: Any) -> Confidence:
    choices = [level.value for level in Confidence]
    if not isinstance(value, str) or value not in choices:
        raise section.error(f"{key!r} must be one of {', '.join(choices)}, got {value!r}")
    return Confidence(value)


def _boolean(section: _Section, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise section.error(f"{key!r} must be true or false, got {value!r}")
    return value


_FIELDS: dict[str, tuple[str, Callable[[_Section, str, Any], Any]]] = {
    "select": ("select", _selectors),
    "ignore": ("ignore", _selectors),
    "exclude": ("exclude", _strings),
    "extend-exclude": ("extend_exclude", _strings),
    "per-file-ignores": ("per_file_ignores", lambda s, _key, v: _per_file_ignores(s, v)),
    "max-file-size": ("max_file_size", _positive_int),
    "respect-gitignore": ("respect_gitignore", _boolean),
    "min-confidence": ("min_confidence", _confidence),
    "fail-on": ("fail_on", _confidence),
    "rules": ("rule_options", lambda s, _key, v: _rule_options(s, v)),
    "resources": ("resources", lambda s, _key, v: _resources(s, v)),
    "frameworks": ("frameworks", lambda s, _key, v: _frameworks(s, v)),
}


def _build(section: _Section, settings: Any) -> Config:
    if not isinstance(settings, dict):
        raise section.error("must be a table of settings")
    values: dict[str, Any] = {}
    for key, value in settings.items():
        if key not in _FIELDS:
            raise section.error(f"unknown key {key!r}{_suggest(key, KEYS)}")
        name, convert = _FIELDS[key]
        values[name] = convert(section, key, value)
    pairs = values.pop("resources", None)
    if pairs:  # the pair table reaches NLL602 as its ``resources`` option
        options = {rule: dict(chosen) for rule, chosen in values.get("rule_options", {}).items()}
        options.setdefault(RESOURCES_RULE, {})[RESOURCES_OPTION] = pairs
        values["rule_options"] = options
    return Config(root=section.file.parent, source=section.file, **values)


# -- entry points ------------------------------------------------------------------------


def load_config(path: str | os.PathLike[str]) -> Config:
    """The settings of an explicitly named file (``--config FILE``).

    ``pyproject.toml`` is read from ``[tool.nodeleaklint]``, ``package.json`` from its
    ``"nodeleaklint"`` key, any other file as top-level settings (JSON when its name ends
    in ``.json``, TOML otherwise).
    """
    file = Path(os.path.abspath(path))
    if not file.is_file():
        raise ConfigError(f"{display_path(file)}: no such configuration file")
    found = _read_section(file)
    if found is None:
        where = (
            "[tool.nodeleaklint] table" if file.name == "pyproject.toml" else '"nodeleaklint" key'
        )
        raise ConfigError(f"{display_path(file)}: no {where}")
    return _build(*found)


# Files that are other tools' first: one that does not parse is ours to complain about only
# when it holds our settings.
_SHARED_FILES = {"pyproject.toml": b"nodeleaklint", "package.json": b'"nodeleaklint"'}


def _config_in(folder: Path, notices: list[Notification] | None = None) -> Config | None:
    for name in CONFIG_FILENAMES:
        candidate = folder / name
        if candidate.is_file():
            try:
                found = _read_section(candidate)
            except ConfigError as error:
                if not _foreign(candidate):
                    raise
                if notices is not None:
                    notices.append(_ignored(candidate, error))
                continue
            if found is not None:
                return _build(*found)
    return None


def _foreign(path: Path) -> bool:
    """Whether a shared file that does not parse shows no sign of our settings."""
    marker = _SHARED_FILES.get(path.name)
    if marker is None:
        return False
    try:
        return marker not in path.read_bytes()
    except OSError:
        return True


def _ignored(path: Path, error: ConfigError) -> Notification:
    problem = str(error).split(": ", 1)[-1]
    return Notification(
        NotificationKind.SKIPPED,
        f"{problem}; it holds no nodeleaklint settings, so the search for a configuration "
        "went on above it",
        path=display_path(path),
        level=Severity.NOTE,
    )


def discover_config(start: str | os.PathLike[str]) -> Config:
    """The settings for a file or folder: the nearest config found walking up from it."""
    return ConfigResolver().for_path(Path(start))


class ConfigResolver:
    """Finds the settings for each checked folder; every folder is looked up once per run.

    With an explicit config file, every path gets that file's settings. A
    ``pyproject.toml`` or ``package.json`` that does not parse and shows no sign of our
    settings is another tool's problem: it becomes a note in ``notices`` and the search
    goes on above it (one that mentions ``nodeleaklint`` is an error, as is any broken
    ``nodeleaklint.toml``).
    """

    def __init__(self, explicit: str | os.PathLike[str] | None = None) -> None:
        self._explicit = load_config(explicit) if explicit is not None else None
        self._by_folder: dict[Path, Config] = {}
        # Other tools' files that did not parse and were passed over (each once).
        self.notices: list[Notification] = []

    def for_path(self, path: Path) -> Config:
        """Settings for a file (from its folder) or for a folder."""
        absolute = Path(os.path.abspath(path))
        return self.for_folder(absolute if absolute.is_dir() else absolute.parent)

    def for_folder(self, folder: Path) -> Config:
        """Settings that apply to the entries of ``folder`` (an absolute path)."""
        if self._explicit is not None:
            return self._explicit
        visited: list[Path] = []
        config: Config | None = None
        candidate = folder
        while True:
            config = self._by_folder.get(candidate)
            if config is not None:
                break
            visited.append(candidate)
            config = _config_in(candidate, self.notices)
            if config is not None or candidate.parent == candidate:
                break
            candidate = candidate.parent
        resolved = config if config is not None else Config()
        for candidate in visited:
            self._by_folder[candidate] = resolved
        return resolved

    __call__ = for_folder
