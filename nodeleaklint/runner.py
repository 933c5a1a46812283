"""A run over many files: find them, pick each file's settings and rules, check, collect.

Command-line rule selection overrides the configuration like ruff's: ``--select``
replaces the configured ``select`` and ``ignore``; ``--ignore`` adds to the configured
``ignore``. A file that cannot be read, is too large or not a regular file gets a
notification and the run goes on; so does a file whose check fails unexpectedly.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import pathspec

from nodeleaklint.config import Config, ConfigResolver
from nodeleaklint.discovery import display_for, is_excluded, iter_source_files
from nodeleaklint.findings import FileReport, Notification, NotificationKind, RunResult, Severity
from nodeleaklint.parsing import dialect_for_path
from nodeleaklint.rules import expand_selectors, select_rules
from nodeleaklint.rules.base import Rule

STDIN = "-"
# Without --stdin-filename, stdin is checked as JavaScript and reported as "-".
_STDIN_NAME = "stdin.js"


class CheckSource(Protocol):
    """Checks one file's bytes (``nodeleaklint.engine.check_source``)."""

    def __call__(
        self,
        path: str,
        data: bytes,
        config: Config,
        rules: Sequence[Rule],
        *,
        report_unused_suppressions: bool = False,
    ) -> FileReport: ...


def _engine_check() -> CheckSource:
    from nodeleaklint.engine import check_source

    return check_source


class RuleSelection:
    """The enabled rules for each file: configuration, command line, per-file ignores."""

    def __init__(self, select: Sequence[str] | None, ignore: Sequence[str]) -> None:
        self._select = tuple(select) if select else None
        self._ignore = tuple(ignore)
        self._rules: dict[int, tuple[Config, list[Rule]]] = {}
        self._specs: dict[int, list[tuple[pathspec.GitIgnoreSpec, frozenset[str]]]] = {}

    def _base(self, config: Config) -> list[Rule]:
        cached = self._rules.get(id(config))
        if cached is None:
            if self._select is not None:
                rules = select_rules(self._select, self._ignore)
            else:
                rules = select_rules(config.select, (*config.ignore, *self._ignore))
            cached = self._rules[id(config)] = (config, rules)  # keeps ``config`` alive
        return cached[1]

    def _ignore_specs(self, config: Config) -> list[tuple[pathspec.GitIgnoreSpec, frozenset[str]]]:
        specs = self._specs.get(id(config))
        if specs is None:
            specs = [
                (pathspec.GitIgnoreSpec.from_lines([pattern]), frozenset(expand_selectors(rules)))
                for pattern, rules in config.per_file_ignores.items()
            ]
            self._specs[id(config)] = specs
        return specs

    def rules_for(self, path: Path, display: str, config: Config) -> list[Rule]:
        rules = self._base(config)
        if not config.per_file_ignores:
            return rules
        relative = display
        if config.root is not None:
            with contextlib.suppress(ValueError):
                relative = path.relative_to(config.root).as_posix()
        ignored = {
            rule_id
            for spec, ids in self._ignore_specs(config)
            if spec.match_file(relative)
            for rule_id in ids
        }
        return [rule for rule in rules if rule.id not in ignored] if ignored else rules


def _notice(kind: NotificationKind, message: str, path: str, level: Severity) -> Notification:
    return Notification(kind, message, path=path, level=level)


def _read(path: Path, display: str, limit: int) -> bytes | Notification:
    """The file's bytes, or a notification saying why it was not read."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device could block or never end
            return _notice(
                NotificationKind.SKIPPED, "not a regular file; skipped", display, Severity.NOTE
            )
        if info.st_size > limit:
            return _too_large(display, info.st_size, limit)
        return path.read_bytes()
    except OSError as error:
        return _notice(
            NotificationKind.UNREADABLE,
            f"cannot read file: {error.strerror or error}",
            display,
            Severity.ERROR,
        )


def _too_large(display: str, size: int, limit: int) -> Notification:
    return _notice(
        NotificationKind.SKIPPED,
        f"file is {size} bytes, above max-file-size ({limit} bytes); skipped",
        display,
        Severity.NOTE,
    )


def _renamed(report: FileReport, path: str) -> FileReport:
    """``report`` with every path in it replaced by ``path``."""
    return FileReport(
        path=path,
        findings=[dataclasses.replace(f, path=path) for f in report.findings],
        notifications=[
            dataclasses.replace(n, path=path) if n.path is not None else n
            for n in report.notifications
        ],
        suppressed=report.suppressed,
    )


class _Run:
    """One run's settings and caches: how to check a file and with which rules."""

    def __init__(
        self,
        check: CheckSource,
        resolver: ConfigResolver,
        selection: RuleSelection,
        report_unused: bool,
    ) -> None:
        self.check_source = check
        self.resolver = resolver
        self.selection = selection
        self.report_unused = report_unused

    def check(self, path: Path, display: str, data: bytes, config: Config) -> FileReport:
        rules = self.selection.rules_for(path, display, config)
        try:
            return self.check_source(
                display, data, config, rules, report_unused_suppressions=self.report_unused
            )
        except Exception as error:  # one file's failure must not end the run
            return FileReport(
                path=display,
                notifications=[
                    _notice(
                        NotificationKind.INTERNAL_ERROR,
                        f"internal error while checking this file: {type(error).__name__}: {error}",
                        display,
                        Severity.ERROR,
                    )
                ],
            )

    def files(self, paths: Iterable[str], force_exclude: bool) -> RunResult:
        result = RunResult()
        for item in iter_source_files(paths, self.resolver.for_folder, force_exclude):
            if isinstance(item, Notification):
                result.notifications.append(item)
                continue
            data = _read(item.path, item.display, item.config.max_file_size)
            if isinstance(data, Notification):
                result.notifications.append(data)
            else:
                result.files.append(self.check(item.path, item.display, data, item.config))
        return result

    def stdin(self, data: bytes, filename: str | None, force_exclude: bool) -> RunResult:
        result = RunResult()
        if filename is None:
            absolute = Path.cwd() / _STDIN_NAME
            display = _STDIN_NAME
        else:
            absolute = Path(os.path.abspath(filename))
            display = display_for(filename, absolute)
        config = self.resolver.for_folder(absolute.parent)
        if force_exclude and is_excluded(absolute, config):
            return result
        if dialect_for_path(absolute) is None:
            result.notifications.append(
                _notice(
                    NotificationKind.SKIPPED,
                    "not a JavaScript or TypeScript file; skipped",
                    display,
                    Severity.NOTE,
                )
            )
        elif len(data) > config.max_file_size:
            result.notifications.append(_too_large(display, len(data), config.max_file_size))
        else:
            report = self.check(absolute, display, data, config)
            result.files.append(report if filename is not None else _renamed(report, STDIN))
        return result


def run(
    paths: Iterable[str],
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    config_path: str | os.PathLike[str] | None = None,
    force_exclude: bool = False,
    stdin: bytes | None = None,
    stdin_filename: str | None = None,
    report_unused_suppressions: bool = False,
    check: CheckSource | None = None,
) -> RunResult:
    """Check ``paths`` (or ``stdin``, reported as ``stdin_filename``) and collect the results.

    ``check`` replaces ``nodeleaklint.engine.check_source`` (for tests). Raises
    ``ConfigError`` for an unusable configuration file and ``UnknownRuleError`` for an
    unknown ``select``/``ignore`` selector.
    """
    if select:
        select_rules(select, ignore)  # fail early on unknown selectors
    elif ignore:
        expand_selectors(ignore)
    state = _Run(
        check or _engine_check(),
        ConfigResolver(config_path),
        RuleSelection(select, ignore),
        report_unused_suppressions,
    )
    if stdin is not None:
        return state.stdin(stdin, stdin_filename, force_exclude)
    return state.files(paths, force_exclude)
