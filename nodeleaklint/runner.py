"""A run over many files: find them, pick each file's settings and rules, check, collect.

Command-line rule selection overrides the configuration like ruff's: ``--select``
replaces the configured ``select`` and ``ignore``; ``--ignore`` adds to the configured
``ignore``. A file that cannot be read, is too large or not a regular file gets a
notification and the run goes on; so does a file whose check fails unexpectedly.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from nodeleaklint.cache import (
    ResultCache,
    code_fingerprint,
    content_digest,
    entry_key,
    report_cacheable,
    settings_key,
    with_project,
)
from nodeleaklint.config import Config, ConfigResolver
from nodeleaklint.discovery import display_for, gitignore_spec, is_excluded, iter_source_files
from nodeleaklint.findings import (
    Confidence,
    FileFix,
    FileReport,
    Notification,
    NotificationKind,
    RunResult,
    Severity,
)
from nodeleaklint.fixes.apply import applicable, fix_file
from nodeleaklint.memory import MemoryGuard
from nodeleaklint.parsing import SHEBANG_PROBE, dialect_for_source
from nodeleaklint.project import linked
from nodeleaklint.project.resolve import absolute
from nodeleaklint.project.summary import FileSummary
from nodeleaklint.records import record
from nodeleaklint.rules import RULES_BY_ID, expand_selectors, select_rules
from nodeleaklint.rules.base import Rule
from nodeleaklint.sniff import not_source
from nodeleaklint.source import BOM
from nodeleaklint.test_code import is_test_file

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    import pathspec

    from nodeleaklint.semantics.project_facts import ProjectFacts

STDIN = "-"
# Below this many files a run stays in one process: starting workers costs more.
PARALLEL_THRESHOLD = 64
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


def _engine_check() -> Callable[..., tuple[FileReport, FileSummary | None]]:
    """``nodeleaklint.engine.check_and_summarize``, imported when a file is first checked."""
    from nodeleaklint.engine import check_and_summarize

    return check_and_summarize


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
                (gitignore_spec([pattern]), frozenset(expand_selectors(rules)))
                for pattern, rules in config.per_file_ignores.items()
            ]
            self._specs[id(config)] = specs
        return specs

    def rules_for(self, path: Path | str, display: str, config: Config) -> list[Rule]:
        rules = self._base(config)
        if not config.per_file_ignores:
            return rules
        relative = display
        if config.root is not None:
            with contextlib.suppress(ValueError):
                relative = Path(path).relative_to(config.root).as_posix()
        ignored = {
            rule_id
            for spec, ids in self._ignore_specs(config)
            if spec.match_file(relative)
            for rule_id in ids
        }
        return [rule for rule in rules if rule.id not in ignored] if ignored else rules


def _notice(kind: NotificationKind, message: str, path: str, level: Severity) -> Notification:
    return Notification(kind, message, path=path, level=level)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _read(path: Path | str, display: str, limit: int) -> bytes | Notification:
    """The file's bytes, or a notification saying why it was not read."""
    try:
        # One open and one fstat: O_NONBLOCK so that opening a FIFO cannot block.
        fd = os.open(path, _READ_FLAGS)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):  # a FIFO or device could block or never end
                return _notice(
                    NotificationKind.SKIPPED, "not a regular file; skipped", display, Severity.NOTE
                )
            if info.st_size > limit:
                return _too_large(display, info.st_size, limit)
            with os.fdopen(fd, "rb", closefd=False) as handle:
                return handle.read()
        finally:
            os.close(fd)
    except OSError as error:
        return _notice(
            NotificationKind.UNREADABLE,
            f"cannot read file: {error.strerror or error}",
            display,
            Severity.ERROR,
        )


# Facts keyed by an imported function or class as a callee names it (``getEmitter``,
# ``registry.getEmitter``), each read in one place only, by the text of a callee:
# ``returns`` in ``lifetimes._returned`` (``returned_elsewhere.get(text(callee))``),
# ``resources`` in ``resources._imported_acquisitions`` (``_names_import``: the callee's
# text equals the name), ``registrars`` in NLL101 (``imported.get(text(callee))``).
_BY_CALLEE = ("returns", "resources", "registrars")


def _without_inert(facts: ProjectFacts, task: _Task) -> ProjectFacts:
    """``facts`` without the parts that cannot change the check of ``task``'s file, to tell
    whether the file needs checking again with them (SPEC §1 "In view"; the project view
    leaves out the ``params`` its summary says are never read, ``ProjectView.facts_for``).

    A fact keyed by a callee's text (``_BY_CALLEE``) whose name is no callee's text changes
    nothing, and a callee's text is a slice of the bytes parsed: a name whose UTF-8 bytes
    the file does not hold is never asked for (a name with U+FFFD may stand for invalid
    bytes, and a file starting with a BOM is parsed with the BOM blanked: those are kept).
    Most such facts name every export of a namespace import (``credentials.get``,
    ``credentials.dirty`` …) of which the file calls one or none."""
    if not any(getattr(facts, part) for part in _BY_CALLEE):
        return facts
    data = _read(task.path, task.display, task.config.max_file_size)
    if isinstance(data, Notification) or data.startswith(BOM):
        return facts
    kept: dict[str, Any] = {}
    for part in _BY_CALLEE:
        found: dict[str, Any] = getattr(facts, part)
        kept[part] = {
            name: fact for name, fact in found.items() if "\ufffd" in name or name.encode() in data
        }
    return dataclasses.replace(facts, **kept)


def _too_large(display: str, size: int, limit: int) -> Notification:
    return _notice(
        NotificationKind.SKIPPED,
        f"file is {size} bytes, above max-file-size ({limit} bytes); skipped",
        display,
        Severity.NOTE,
    )


def _renamed(report: FileReport, path: str) -> FileReport:
    """``report`` with every path in it replaced by ``path``."""
    return dataclasses.replace(
        report,
        path=path,
        findings=[dataclasses.replace(f, path=path) for f in report.findings],
        notifications=[
            dataclasses.replace(n, path=path) if n.path is not None else n
            for n in report.notifications
        ],
    )


@record
class _Task:
    """One file to check; plain data, so it can be sent to a worker process."""

    path: str
    display: str
    config: Config
    rule_ids: tuple[str, ...]
    report_unused: bool
    cache_settings: str | None = None  # ``cache.settings_key`` when results are cached
    # The project view: summarize the file for it, or check it with what it learned.
    summarize: bool = False
    project: ProjectFacts | None = None


@record
class FixRequest:
    """Fixes were asked for (``--fix`` / ``--diff``); ``unsafe``: unsafe ones too."""

    unsafe: bool = False


ProgressCallback = Callable[[int, int, int], None]
"""Told (files done, files in all, of them answered by the cache) as a run goes on."""


class Outcome(NamedTuple):
    """A file's report (or why it was not read), its cache key (None: do not cache) and its
    summary for the project view (when asked for). ``cached``: the key of a report the
    cache answered (its summary, when asked for, is in the cache under that key too; it is
    read only when the project view has to be linked again)."""

    result: FileReport | Notification
    key: str | None
    summary: FileSummary | None = None
    cached: str | None = None


@dataclass(eq=False, repr=False)
class _InView:
    """A file of the project view: its task, the key its summary is cached under (None:
    not cached) and the summary, once in memory."""

    task: _Task
    key: str | None
    summary: FileSummary | None = None


def _in_view(task: _Task, outcome: Outcome) -> _InView | None:
    """``task`` as a file of the project view, when its outcome holds a summary (in memory,
    or in the cache under ``outcome.cached``)."""
    if outcome.summary is not None:
        return _InView(task, outcome.key, outcome.summary)
    if outcome.cached is not None:
        return _InView(task, outcome.cached)
    return None


def _internal_error(display: str, error: BaseException) -> FileReport:
    message = f"internal error while checking this file: {type(error).__name__}: {error}"
    notice = _notice(NotificationKind.INTERNAL_ERROR, message, display, Severity.ERROR)
    return FileReport(path=display, notifications=[notice])


def _check_data(
    task: _Task, data: bytes, check: CheckSource | None
) -> tuple[FileReport, FileSummary | None]:
    """Check ``data`` as ``task``'s file (with ``check`` when one was injected; the engine,
    summarizing for the project view when asked, otherwise)."""
    rules = [RULES_BY_ID[rule_id] for rule_id in task.rule_ids]
    try:
        if check is not None:
            report = check(
                task.display,
                data,
                task.config,
                rules,
                report_unused_suppressions=task.report_unused,
            )
            return report, None
        return _engine_check()(
            task.display,
            data,
            task.config,
            rules,
            report_unused_suppressions=task.report_unused,
            project=task.project,
            summarize=task.summarize,
        )
    except Exception as error:  # one file's failure must not end the run
        return _internal_error(task.display, error), None


def _check_task(task: _Task, check: CheckSource | None = None) -> Outcome:
    """Read and check one file (also the worker-process entry point).

    The cache key is computed from the bytes this call read, so a file edited while the
    run goes on is cached under the content that was actually checked.
    """
    data = _read(task.path, task.display, task.config.max_file_size)
    if isinstance(data, Notification):
        return Outcome(data, None)
    reason = not_source(data)
    if reason is not None:
        return Outcome(_notice(NotificationKind.SKIPPED, reason, task.display, Severity.NOTE), None)
    report, summary = _check_data(task, data, check)
    if _guard is not None:
        _guard.checked(len(data))
    if task.cache_settings is None or not report_cacheable(report):
        return Outcome(report, None, summary)
    key = entry_key(task.cache_settings, task.display, content_digest(data))
    return Outcome(report, with_project(key, task.project), summary)


# Set in processes that nodeleaklint owns (see ``nodeleaklint.memory``).
_guard: MemoryGuard | None = None


def _own_process() -> None:
    """Mark this process as nodeleaklint's own: free each file's model promptly."""
    global _guard
    _guard = MemoryGuard()


def _worker_init() -> None:
    """A worker leaves Ctrl-C to the main process, which ends it (no traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _own_process()


def _stop(pool: ProcessPoolExecutor) -> None:
    """End ``pool``'s workers now, not after the chunks they are working on."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=1)


def _map_in_pool(
    tasks: list[_Task], jobs: int, advance: Callable[[], None] | None = None
) -> list[Outcome]:
    """``_check_task`` over ``tasks`` in worker processes, results in task order.

    Ctrl-C (``KeyboardInterrupt`` in this process) terminates the workers before it
    propagates, so an interrupted run ends at once and leaves no process behind.
    """
    from concurrent.futures import ProcessPoolExecutor  # not needed for one file: start-up
    from concurrent.futures.process import BrokenProcessPool

    results: list[Outcome] = []
    # Chunks of at most 16 files: when the last chunks run, one worker may wait for the
    # other's; by the files' CPU times over the npm corpus, 32 kept the two cores apart
    # 0.75% of the run on average, 16 0.4% (more chunks cost a message each, no more).
    chunksize = max(1, min(16, len(tasks) // (jobs * 4)))
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init)
    try:
        # Workers are started by ``map`` (and ignore SIGINT from their first line on).
        with _sigint_deferred():
            outcomes = pool.map(_check_task, tasks, chunksize=chunksize)
        for outcome in outcomes:
            results.append(outcome)
            if advance is not None:
                advance()
    except BrokenProcessPool as error:  # a worker died (e.g. killed); report, do not crash
        results.extend(
            Outcome(_internal_error(task.display, error), None) for task in tasks[len(results) :]
        )
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    return results


@contextlib.contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Ctrl-C while workers are being started is held back until they are (a worker forked
    in the middle of handling it would print a traceback of its own), then raised: it is
    never lost, so the run still ends at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def _split_shard(tasks: list[_Task], index: int, count: int) -> tuple[list[_Task], list[_Task]]:
    """The tasks of slice ``index`` (1-based) of ``count``, and the others. A file's slice
    depends only on its path as shown, so every job of a matrix agrees."""
    mine: list[_Task] = []
    others: list[_Task] = []
    for task in tasks:
        digest = hashlib.blake2b(task.display.encode("utf-8", "surrogateescape"), digest_size=8)
        (mine if int.from_bytes(digest.digest(), "big") % count == index - 1 else others).append(
            task
        )
    return mine, others


def _project_root(task: _Task) -> Path | None:
    """The project a named file belongs to: its configuration's folder, else the nearest
    folder above it that is a git work tree's top or holds a ``package.json``."""
    if task.config.root is not None:
        return task.config.root
    folder = Path(absolute(task.path)).parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists() or (candidate / "package.json").is_file():
            return candidate
    return None


class _Run:
    """One run's settings and caches: how to check a file and with which rules."""

    def __init__(
        self,
        check: CheckSource | None,
        resolver: ConfigResolver,
        selection: RuleSelection,
        report_unused: bool,
        jobs: int | None,
        cache: ResultCache | None = None,
        min_confidence: Confidence | None = None,
        fail_on: Confidence | None = None,
        progress: ProgressCallback | None = None,
        project_context: bool = True,
        shard: tuple[int, int] | None = None,
        fixes: FixRequest | None = None,
    ) -> None:
        self.check_source = check
        self.project_context = project_context
        self.shard = shard
        self.fixes = fixes
        self.progress = progress
        self.min_confidence = min_confidence
        self.fail_on = fail_on
        self.resolver = resolver
        self.selection = selection
        self.report_unused = report_unused
        self.jobs = jobs
        self.cache = cache if check is None else None  # an injected check is not cached
        self._settings: dict[tuple[int, tuple[str, ...]], tuple[Config, str]] = {}
        self._rule_ids: dict[int, tuple[Config, tuple[str, ...]]] = {}  # keeps ``config``

    def task(
        self, path: Path | str, display: str, config: Config, summarize: bool = False
    ) -> _Task:
        if config.per_file_ignores:
            rule_ids = tuple(r.id for r in self.selection.rules_for(path, display, config))
        else:  # the same for every file of this configuration: worked out once
            known = self._rule_ids.get(id(config))
            if known is None:
                ids = tuple(r.id for r in self.selection.rules_for(path, display, config))
                known = self._rule_ids[id(config)] = (config, ids)
            rule_ids = known[1]
        return _Task(
            os.fspath(path),
            display,
            config,
            rule_ids,
            self.report_unused,
            self._cache_settings(config, rule_ids),
            summarize,
        )

    def _cache_settings(self, config: Config, rule_ids: tuple[str, ...]) -> str | None:
        if self.cache is None:
            return None
        known = self._settings.get((id(config), rule_ids))
        if known is None:  # ``config`` is kept alive with its key, so ``id`` stays unique
            key = settings_key(
                rule_ids,
                config.rule_options,
                self.report_unused,
                config.root,
                frameworks=config.frameworks,
            )
            known = self._settings[(id(config), rule_ids)] = (config, key)
        return known[1]

    def _from_cache(
        self, tasks: list[_Task], advance: Callable[[bool], None]
    ) -> tuple[dict[int, Outcome], list[int]]:
        """Answers the cache has (by task index), and the indexes still to check. A task
        that must be summarized for the project view needs its summary cached too."""
        if self.cache is None:
            return {}, list(range(len(tasks)))
        answered: dict[int, Outcome] = {}
        missing: list[int] = []
        now = time.time_ns()
        for index, task in enumerate(tasks):
            digest = self._digest(task, now)
            if isinstance(digest, Notification):
                answered[index] = Outcome(digest, None)
                advance(False)
                continue
            assert task.cache_settings is not None
            key = with_project(entry_key(task.cache_settings, task.display, digest), task.project)
            report = self.cache.get(key)
            if report is None or (task.summarize and self.cache.summary_digest(key) is None):
                missing.append(index)
            else:
                answered[index] = Outcome(report, None, None, key)
                advance(True)
        return answered, missing

    def _digest(self, task: _Task, now_ns: int) -> str | Notification:
        """The digest of the file's bytes: from the stat index when the file's stat is the
        one remembered, else read and hashed (and remembered under the stat taken before
        reading). A notification when it cannot be read."""
        assert self.cache is not None
        try:
            info: os.stat_result | None = os.stat(task.path)
        except OSError:
            info = None  # ``_read`` says why
        if info is not None and stat.S_ISREG(info.st_mode):
            known = self.cache.digest_for(task.path, info)
            if known is not None and info.st_size <= task.config.max_file_size:
                return known
        data = _read(task.path, task.display, task.config.max_file_size)
        if isinstance(data, Notification):
            return data
        digest = content_digest(data)
        if info is not None and info.st_size == len(data):
            self.cache.remember(task.path, info, digest, now_ns)
        return digest

    def _counter(self, total: int) -> Callable[[bool], None]:
        """Counts files done (``True``: answered by the cache) and tells ``progress``."""
        progress = self.progress
        done = cached = 0

        def advance(from_cache: bool) -> None:
            nonlocal done, cached
            done += 1
            cached += from_cache
            if progress is not None:
                progress(done, total, cached)

        return advance

    def confident(self, report: FileReport, config: Config) -> FileReport:
        """``report`` without the findings below the minimum confidence (the command line's,
        else the file's configuration's), counting them as hidden, and with the file's
        failure threshold (``--fail-on``, else ``fail-on``). Suppressions were matched
        before: a suppression of a hidden finding is still used."""
        minimum = self.min_confidence or config.min_confidence
        # Reports are fresh (checked or read from the cache in this run): set in place.
        if minimum is not Confidence.MEDIUM and report.findings:
            kept = [f for f in report.findings if f.confidence.at_least(minimum)]
            report.hidden = len(report.findings) - len(kept)
            report.findings = kept
        report.fail_on = self.fail_on or config.fail_on
        return report

    def _workers(self, count: int) -> int:
        if self.check_source is not None:  # an injected check may not survive pickling
            return 1
        if self.jobs is not None:
            return max(1, min(self.jobs, count))
        if count < PARALLEL_THRESHOLD:
            return 1
        return max(1, min(os.cpu_count() or 1, count // PARALLEL_THRESHOLD * 4))

    def _context(self, tasks: list[_Task]) -> list[_Task]:
        """The rest of the project around files named one by one (a pre-commit hook, an
        editor): every other source file under the project root (see ``_project_root``).
        Their summaries come from the cache; their findings are not checked."""
        root = _project_root(tasks[0])
        if root is None:
            return []
        named = {absolute(task.path) for task in tasks}
        shown = os.path.relpath(root) if not os.path.relpath(root).startswith("..") else str(root)
        return [
            self.task(item.path, item.display, item.config)
            for item in iter_source_files([shown], self.resolver.for_folder, True)
            if not isinstance(item, Notification) and absolute(item.path) not in named
        ]

    def _cached_summaries(self, tasks: list[_Task]) -> list[_InView]:
        """The files of ``tasks`` (the rest of the project around files named one by one)
        whose summaries the cache holds: a run over the project fills it. Nothing is parsed
        here, so a pre-commit hook or an editor naming one file stays fast."""
        if self.cache is None:
            return []
        found: list[_InView] = []
        now = time.time_ns()
        for task in tasks:
            digest = self._digest(task, now)
            if isinstance(digest, Notification) or task.cache_settings is None:
                continue
            key = entry_key(task.cache_settings, task.display, digest)
            if self.cache.summary_digest(key) is not None:
                found.append(_InView(task, key))
        return found

    def _summarized(
        self, tasks: list[_Task], advance: Callable[[bool], None] | None = None
    ) -> list[_InView]:
        """``tasks`` summarized for the project view only (no rule runs), from the cache
        when it has them (``advance`` is told of each file done)."""
        context = [
            dataclasses.replace(
                task,
                rule_ids=(),
                summarize=True,
                cache_settings=self._cache_settings(task.config, ()),
            )
            for task in tasks
        ]
        answered = self._check(context, advance or (lambda _cached: None))
        summarized: list[_InView] = []
        for index, task in enumerate(context):
            member = _in_view(task, answered[index])
            if member is None:
                continue
            if member.summary is not None and member.key is not None and self.cache is not None:
                self.cache.put_summary(member.key, member.summary)
            summarized.append(member)
        return summarized

    def _summary(self, member: _InView) -> FileSummary | None:
        """``member``'s summary: in memory, else read from the cache."""
        if member.summary is None and member.key is not None and self.cache is not None:
            member.summary = self.cache.get_summary(member.key)
        return member.summary

    def files(self, paths: Iterable[str], force_exclude: bool) -> RunResult:
        paths = list(paths)
        result = RunResult()
        tasks: list[_Task] = []
        # Made to be summarized for the project view, as nearly every run is (copying
        # thousands of tasks afterwards cost a tenth of a cached re-run).
        summarize = self.check_source is None
        for item in iter_source_files(paths, self.resolver.for_folder, force_exclude):
            if isinstance(item, Notification):
                result.notifications.append(item)
            else:
                tasks.append(self.task(item.path, item.display, item.config, summarize))
        named_files = bool(tasks) and not any(os.path.isdir(path) for path in paths)
        in_view = summarize and (len(tasks) > 1 or named_files)
        if summarize and not in_view:  # one file found in a folder: no project to view
            tasks = [dataclasses.replace(task, summarize=False) for task in tasks]
        outside: list[_Task] = []
        if self.shard is not None:
            tasks, outside = _split_shard(tasks, *self.shard)
        advance = self._counter(len(tasks))
        answered = self._check(tasks, advance)
        if in_view:
            context = self._summarized(outside)
            if named_files and self.project_context and tasks and self.cache is not None:
                context += self._cached_summaries(self._context(tasks))
            self._with_project_view(tasks, answered, context)
        for index in range(len(tasks)):
            outcome, key, summary, _cached = answered[index]
            if isinstance(outcome, Notification):
                result.notifications.append(outcome)
                continue
            if key is not None and self.cache is not None:
                self.cache.put(key, outcome)  # whole: the threshold may change next run
                if summary is not None:
                    self.cache.put_summary(key, summary)
            report = self.confident(outcome, tasks[index].config)
            fixed = self.fix(tasks[index], report)
            if fixed is not None:
                result.fixed.append(fixed)
                report = fixed.report
            result.files.append(report)
        if self.cache is not None:
            self.cache.save()
        result.notifications.extend(self.resolver.notices)
        result.shard = self.shard
        return result

    def _check(self, tasks: list[_Task], advance: Callable[[bool], None]) -> dict[int, Outcome]:
        """Every task's outcome (by index): from the cache, else checked (in workers)."""
        answered, missing = self._from_cache(tasks, advance)
        todo = [tasks[index] for index in missing]
        jobs = self._workers(len(todo))
        if jobs > 1:
            checked = _map_in_pool(todo, jobs, lambda: advance(False))
        else:
            checked = []
            for task in todo:
                checked.append(_check_task(task, self.check_source))
                advance(False)
        answered.update(zip(missing, checked, strict=True))
        return answered

    def _with_project_view(
        self,
        tasks: list[_Task],
        answered: dict[int, Outcome],
        context: list[_InView],
    ) -> None:
        """Link the files' summaries (and those of the ``context``: the rest of the
        project) and check again, with what the project view learned, each file whose
        exports it learned something about (SPEC §1 "In view"), unless that check is known
        to end as the first: facts that cannot add a finding to a file without any, or
        facts its first check never asked for (``ProjectReads.change``)."""
        members: list[_InView] = []
        where: dict[int, str] = {}
        for index, task in enumerate(tasks):
            member = _in_view(task, answered[index])
            if member is not None:
                members.append(member)
                where[index] = absolute(task.path)
        learned = self._link([*members, *context], set(where.values()))
        again: list[_Task] = []
        positions: list[int] = []
        for index, path in where.items():
            facts = learned.get(path)
            first = answered[index]
            alone = first.result
            if facts and self.fixes is None:  # a fix's new text is checked with these facts
                facts = _without_inert(facts, tasks[index])
            if not facts or (
                facts.only_lowers() and isinstance(alone, FileReport) and not alone.findings
            ):
                continue  # "runs once" cannot add a finding to a file that has none
            reads = first.summary.reads if first.summary is not None else None
            unchanged = reads is not None and not reads.change(facts)
            facts = learned[path]  # checked with all it learned, as the cache keys say
            task = dataclasses.replace(tasks[index], summarize=False, project=facts)
            if unchanged:
                # Checked again, the file would ask of the facts only what it asked alone,
                # and get the same answers: that check's report is the first one.
                self._keep_alone(first)
                key = with_project(first.key, facts) if first.key is not None else None
                answered[index], tasks[index] = Outcome(alone, key), task
                continue
            again.append(task)
            positions.append(index)
        rechecked = self._check(again, lambda _cached: None)
        for position, index in enumerate(positions):
            self._keep_alone(answered[index])
            outcome = rechecked[position]
            answered[index] = Outcome(outcome.result, outcome.key)
            tasks[index] = again[position]  # a fix is re-checked with the same view

    def _keep_alone(self, first: Outcome) -> None:
        """Keep for the next run the check of a file alone, and its summary: the run reports
        the check with what the project view learned."""
        if first.key is not None and self.cache is not None:
            assert isinstance(first.result, FileReport) and first.summary is not None
            self.cache.put(first.key, first.result)
            self.cache.put_summary(first.key, first.summary)

    def _link(
        self, members: list[_InView], wanted: set[str], keep: bool = True
    ) -> dict[str, ProjectFacts]:
        """What the project view learns about each file of ``members`` (at least those of
        ``wanted``): kept in the cache (``project.linked``), so a project whose summaries
        did not change is not linked again (``keep``: keep a new linking too; not for an
        editor's unsaved buffer, which would push the project's own out of the cache)."""
        rows: list[linked.Row] | None = [] if self.cache is not None else None
        for member in members:
            if rows is None or self.cache is None:
                break
            if member.summary is not None:
                digest: str | None = member.summary.digest()
            else:
                digest = None if member.key is None else self.cache.summary_digest(member.key)
            if digest is None:
                rows = None
                break
            path = absolute(member.task.path)
            test = is_test_file(member.task.path, member.task.config.root)
            rows.append((path, member.task.display, digest, test))
        key = linked.view_key(rows, code_fingerprint()) if rows is not None else None
        if key is not None and self.cache is not None:
            stored = self.cache.get_view(key)
            known = linked.from_data(stored) if stored is not None else None
            if known is not None:
                return known
        lost = [member.task for member in members if self._summary(member) is None]
        if lost:  # the cache lost them (a damaged shard): summarize those files again
            members = [m for m in members if m.summary is not None] + self._summarized(lost)
        summaries: dict[str, FileSummary] = {}
        displays: dict[str, str] = {}
        tests: set[str] = set()
        for member in members:
            summary = self._summary(member)
            if summary is None:
                continue
            path = absolute(member.task.path)
            summaries[path], displays[path] = summary, member.task.display
            if is_test_file(member.task.path, member.task.config.root):
                tests.add(path)
        keep = keep and key is not None
        facts, kept = linked.link(
            summaries, displays, frozenset(tests), summaries if keep else wanted
        )
        if keep and key is not None and self.cache is not None:
            self.cache.put_view(key, kept)
        return facts

    def _stdin_in_view(self, task: _Task, data: bytes) -> FileReport:
        """Check ``data``, read from stdin as ``task``'s file, with the rest of its project
        in view (the summaries the cache holds, as for a file named alone). An editor's
        buffer whose summary is the saved file's reuses the linking kept in the cache."""
        if not self.project_context or self.cache is None or self.check_source is not None:
            return _check_data(task, data, self.check_source)[0]
        report, summary = _check_data(dataclasses.replace(task, summarize=True), data, None)
        context = self._cached_summaries(self._context([task]))
        if summary is None or not context:
            return report
        path = absolute(task.path)
        facts = self._link([_InView(task, None, summary), *context], {path}, keep=False).get(path)
        if not facts or (facts.only_lowers() and not report.findings):
            return report
        return _check_data(dataclasses.replace(task, project=facts), data, None)[0]

    def fix(self, task: _Task, report: FileReport) -> FileFix | None:
        """Fix one file when fixes were asked for and its report offers one that applies.

        The file is read and checked afresh (a cached report may describe other bytes), and
        re-checked after each pass; nothing is written here."""
        request = self.fixes
        if request is None or not any(
            f.fix is not None and applicable(f.fix, request.unsafe) for f in report.findings
        ):
            return None
        data = _read(task.path, task.display, task.config.max_file_size)
        if isinstance(data, Notification):
            return None

        def recheck(text: bytes) -> FileReport:
            return self.confident(_check_data(task, text, self.check_source)[0], task.config)

        return fix_file(
            task.path, task.display, data, recheck(data), recheck, unsafe=request.unsafe
        )

    def stdin(
        self,
        data: bytes,
        filename: str | None,
        force_exclude: bool,
        project: ProjectFacts | None = None,
    ) -> RunResult:
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
        if dialect_for_source(absolute, data[:SHEBANG_PROBE]) is None:
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
        elif (reason := not_source(data)) is not None:
            shown = display if filename is not None else STDIN
            result.notifications.append(
                _notice(NotificationKind.SKIPPED, reason, shown, Severity.NOTE)
            )
        else:
            task = self.task(absolute, display, config)
            if project is None and filename is not None:
                report = self._stdin_in_view(task, data)
            else:
                task = dataclasses.replace(task, project=project)
                report = _check_data(task, data, self.check_source)[0]
            report = self.confident(report, config)
            result.files.append(report if filename is not None else _renamed(report, STDIN))
        result.notifications.extend(self.resolver.notices)
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
    jobs: int | None = None,
    check: CheckSource | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    own_process: bool = False,
    min_confidence: Confidence | None = None,
    fail_on: Confidence | None = None,
    progress: ProgressCallback | None = None,
    project_context: bool = True,
    shard: tuple[int, int] | None = None,
    project: ProjectFacts | None = None,
    fixes: FixRequest | None = None,
) -> RunResult:
    """Check ``paths`` (or ``stdin``, reported as ``stdin_filename``) and collect the results.

    ``jobs`` is the number of worker processes (default: one per core for large inputs,
    none for a few files). ``check`` replaces ``nodeleaklint.engine.check_source`` (for
    tests; it always runs in this process). ``cache_dir`` turns on the result cache in that
    folder (quietly off when it cannot be written). ``own_process`` says the calling process
    is nodeleaklint's own (the command line), so memory can be managed for a long run (see
    ``nodeleaklint.memory``); worker processes always are. ``min_confidence`` hides findings
    below it (default: each file's ``min-confidence`` setting); ``fail_on`` is the lowest
    confidence of a finding that fails the run (default: each file's ``fail-on``).
    ``progress`` is called with (files done, files in all, files answered by the cache)
    as the run goes on. Files are judged with the project in view (SPEC §1): the checked
    files' summaries are linked across files; when files are named one by one,
    ``project_context`` adds the rest of their project (the summaries the cache holds).
    ``shard`` = (K, N) checks and reports only the K-th of N deterministic slices of the
    files (CI job matrices); every slice still summarizes all files for the project view.
    ``project`` gives a file read from ``stdin`` what a kept project view (the language
    server's ``ProjectIndex``) knows about it. ``fixes`` computes the fixes of each file's findings
    (``RunResult.fixed``; that file's report is then the check of the fixed text); nothing
    is written (``nodeleaklint.fixes.apply.write`` does that). Raises
    ``ConfigError`` for an unusable configuration file and ``UnknownRuleError`` for an
    unknown ``select``/``ignore`` selector.
    """
    if own_process:
        _own_process()
    if select:
        select_rules(select, ignore)  # fail early on unknown selectors
    elif ignore:
        expand_selectors(ignore)
    state = _Run(
        check,
        ConfigResolver(config_path),
        RuleSelection(select, ignore),
        report_unused_suppressions,
        jobs,
        ResultCache.open(Path(cache_dir)) if cache_dir is not None else None,
        min_confidence,
        fail_on,
        progress,
        project_context,
        shard,
        fixes,
    )
    if stdin is not None:
        return state.stdin(stdin, stdin_filename, force_exclude, project)
    return state.files(paths, force_exclude)


def summarize_project(
    root: Path, progress: Callable[[int, int], None] | None = None
) -> list[tuple[str, str, FileSummary, bool]]:
    """Every source file under ``root`` summarized for the project view (the language
    server's index): (absolute path, path as shown, summary, whether it is test code). The
    project's cache answers what it can and keeps what is computed."""
    from nodeleaklint.cache import default_cache_dir

    shown = os.path.relpath(root) if not os.path.relpath(root).startswith("..") else str(root)
    state = _Run(
        None,
        ConfigResolver(None),
        RuleSelection(None, ()),
        False,
        None,
        ResultCache.open(default_cache_dir([shown], None)),
    )
    tasks = [
        state.task(item.path, item.display, item.config)
        for item in iter_source_files([shown], state.resolver.for_folder, True)
        if not isinstance(item, Notification)
    ]
    if progress is not None:
        state.progress = lambda done, total, _cached: progress(done, total)
    summarized = state._summarized(tasks, state._counter(len(tasks)))
    found = []
    for member in summarized:
        summary = state._summary(member)
        if summary is not None:
            task = member.task
            test = is_test_file(task.path, task.config.root)
            found.append((absolute(task.path), task.display, summary, test))
    if state.cache is not None:
        state.cache.save()
    return found


def summarize_source(path: str, data: bytes) -> FileSummary | None:
    """The project-view summary of ``data`` as the file at ``path`` (None: not a source
    file, or it could not be modelled)."""
    if dialect_for_source(path, data[:SHEBANG_PROBE]) is None or not_source(data) is not None:
        return None
    config = ConfigResolver(None).for_folder(Path(path).parent)
    return _engine_check()(path, data, config, [], summarize=True)[1]
