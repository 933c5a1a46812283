"""Which files a run checks: walk the given paths, honour excludes and ``.gitignore``.

Folders are walked with ``os.scandir`` and an explicit stack (no recursion), entries in
sorted order, symlinked folders followed only once (by device and inode) so loops end.
Paths are plain strings in the walk (``pathlib`` costs more than the rest of a cached
run's discovery), and the configuration is looked up once per folder.
Explicitly named files are always checked unless ``force_exclude`` is set (as ruff does;
then excludes and ``.gitignore`` apply to them too); named files with an unsupported
extension are skipped with a notice. Extensionless files whose first line is a ``node``
shebang (``#!/usr/bin/env node``) are JavaScript, found by the walk or named.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from nodeleaklint.config import Config
from nodeleaklint.findings import Notification, NotificationKind, Severity
from nodeleaklint.parsing import SHEBANG_PROBE, dialect_for_path, is_node_script
from nodeleaklint.records import record

if TYPE_CHECKING:
    import pathspec

ConfigFor = Callable[[Path], Config]
"""Settings for the entries of an absolute folder path."""

MISSING_PATH = "No such file or directory"


@record
class SourcePath:
    """A file to check: its absolute ``path``, its ``display`` path, and its settings.

    ``identity`` is (device, inode) when the walk knows it without a ``stat`` (a file that
    is not a symlink); None means: ask ``os.stat``.
    """

    path: str
    display: str
    config: Config
    identity: tuple[int, int] | None = None


def display_for(given: str, absolute: Path) -> str:
    """``absolute`` relative to the working directory when below it, else as given."""
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return os.path.normpath(given)


# -- exclusion ---------------------------------------------------------------------------


def gitignore_spec(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    """Gitignore-style patterns compiled. ``pathspec`` is imported on first use: a file
    named alone (an editor's check) matches no pattern, and the import costs ~25 ms of a
    cold start."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


_SPECS: dict[tuple[str, ...], pathspec.GitIgnoreSpec] = {}


def _spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    spec = _SPECS.get(patterns)
    if spec is None:
        spec = _SPECS[patterns] = gitignore_spec(patterns)
    return spec


def _relative(path: str, base: str | None) -> str | None:
    """``path`` below folder ``base`` as a posix relative path (None: not below it)."""
    if base is None or not path.startswith(base):
        return None
    rest = path[len(base) :]
    if not rest.startswith(os.sep):
        if base.endswith(os.sep) and rest:  # base is a root such as "/"
            return rest.replace(os.sep, "/")
        return None
    rest = rest.lstrip(os.sep)
    return rest.replace(os.sep, "/") if rest else None


def _cwd() -> str:
    return os.getcwd()


def is_excluded(path: Path | str, config: Config, *, is_dir: bool = False) -> bool:
    """Whether ``exclude`` + ``extend-exclude`` match ``path`` or a folder above it.

    Patterns are gitignore-style and relative to the config root; without a root, or for
    paths outside it, relative to the working directory, and failing that to ``/``.
    """
    patterns = config.all_excludes
    if not patterns:
        return False
    path = os.fspath(path)
    relative = (
        _relative(path, _root(config))
        or _relative(path, _cwd())
        or Path(path).relative_to(Path(path).anchor).as_posix()
    )
    return _spec(patterns).match_file(relative + "/" if is_dir else relative)


_ROOTS: dict[Path, str] = {}


def _root(config: Config) -> str | None:
    if config.root is None:
        return None
    root = _ROOTS.get(config.root)
    if root is None:
        root = _ROOTS[config.root] = str(config.root)
    return root


@record
class _GitIgnore:
    """A ``.gitignore`` file's patterns and the folder they are relative to."""

    base: str
    spec: pathspec.GitIgnoreSpec


def _read_gitignore(folder: str, name: str = ".gitignore") -> _GitIgnore | None:
    try:
        with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    base = os.path.dirname(os.path.dirname(folder)) if name == "info/exclude" else folder
    return _GitIgnore(base, gitignore_spec(lines))


def _gitignored(path: str, is_dir: bool, ignores: tuple[_GitIgnore, ...]) -> bool:
    for ignore in reversed(ignores):  # the deepest file decides
        relative = _relative(path, ignore.base)
        if relative is None:
            continue
        result = ignore.spec.check_file(relative + "/" if is_dir else relative)
        if result.include is not None:
            return result.include
    return False


def _ancestor_gitignores(folder: str) -> tuple[_GitIgnore, ...]:
    """Ignore files that apply to ``folder`` from above it, within its git repository.

    That is ``.git/info/exclude`` and the ``.gitignore`` of each folder from the repository
    root down to ``folder``'s parent, outermost first (``folder``'s own is read by the walk).
    """
    chain: list[str] = []
    candidate = folder
    while True:
        chain.append(candidate)
        if os.path.exists(os.path.join(candidate, ".git")):
            break
        parent = os.path.dirname(candidate)
        if parent == candidate:
            return ()
        candidate = parent
    found = [_read_gitignore(candidate) for candidate in reversed(chain[1:])]
    exclude = _read_gitignore(os.path.join(chain[-1], ".git"), "info/exclude")
    return tuple(item for item in (exclude, *found) if item is not None)


def is_gitignored(path: Path | str, config: Config) -> bool:
    """Whether ``.gitignore`` (or ``.git/info/exclude``) ignores the file ``path``
    (for files named explicitly with ``--force-exclude``; the walk reads them as it goes)."""
    if not config.respect_gitignore:
        return False
    path = os.fspath(path)
    folder = os.path.dirname(path)
    own = _read_gitignore(folder)
    ignores = (*_ancestor_gitignores(folder), *((own,) if own is not None else ()))
    return _gitignored(path, False, ignores)


# -- walking -----------------------------------------------------------------------------


def _identity(path: str) -> tuple[int, int]:
    """Device and inode of what ``path`` points to: equal for every link to one file."""
    info = os.stat(path)
    return (info.st_dev, info.st_ino)


def _head(path: str) -> bytes:
    """The first bytes of a file (empty when it cannot be read), to look for a shebang."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return b""
    try:
        return os.read(fd, SHEBANG_PROBE)
    except OSError:
        return b""
    finally:
        os.close(fd)


def _is_source(name: str, path: str) -> bool:
    """A JavaScript/TypeScript file by extension, or an extensionless node script."""
    if dialect_for_path(name) is not None:
        return True
    return "." not in name.lstrip(".") and is_node_script(name, _head(path))


def _walk(
    root: str, display_root: str, config_for: ConfigFor
) -> Iterator[SourcePath | Notification]:
    inherited = _ancestor_gitignores(root)
    stack: list[tuple[str, str, tuple[_GitIgnore, ...]]] = [(root, display_root, inherited)]
    seen: set[tuple[int, int]] = set()
    while stack:
        folder, display, ignores = stack.pop()
        try:
            key = _identity(folder)
        except OSError:
            continue
        if key in seen:  # a symlink back into the walk
            continue
        seen.add(key)
        config = config_for(Path(folder))  # once per folder
        respect = config.respect_gitignore
        if respect:
            own = _read_gitignore(folder)
            if own is not None:
                ignores = (*ignores, own)
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            yield Notification(
                NotificationKind.UNREADABLE,
                f"cannot read folder: {error.strerror or error}",
                path=display,
                level=Severity.ERROR,
            )
            continue
        folders: list[tuple[str, str, tuple[_GitIgnore, ...]]] = []
        prefix = "" if display == "." else display + os.sep
        for entry in entries:
            name = entry.name
            path = entry.path
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                continue
            if not (is_dir or (is_file and _is_source(name, path))):
                continue
            if is_excluded(path, config, is_dir=is_dir):
                continue
            if respect and _gitignored(path, is_dir, ignores):
                continue
            if is_dir:
                folders.append((path, prefix + name, ignores))
            else:
                identity = None if entry.is_symlink() else (key[0], entry.inode())
                yield SourcePath(path, prefix + name, config, identity)
        stack.extend(reversed(folders))


def iter_source_files(
    paths: Iterable[str], config_for: ConfigFor, force_exclude: bool = False
) -> Iterator[SourcePath | Notification]:
    """Files to check under ``paths``, in a stable order, each real file once.

    Yields a ``Notification`` for a path that does not exist (an error: the run exits 2)
    and for a named file whose extension is not supported (a note: skipped); a named
    extensionless file is checked when its first line is a node shebang.
    ``config_for`` may raise ``ConfigError``; it propagates.
    """
    seen: set[tuple[int, int]] = set()
    for given in paths:
        absolute = os.path.abspath(given)
        display = display_for(given, Path(absolute))
        try:
            is_dir = stat.S_ISDIR(os.stat(absolute).st_mode)
        except OSError as error:
            missing = isinstance(error, (FileNotFoundError, NotADirectoryError))
            yield Notification(
                NotificationKind.UNREADABLE,
                MISSING_PATH if missing else f"cannot read: {error.strerror or error}",
                path=display,
                level=Severity.ERROR,
            )
            continue
        if force_exclude:
            config = config_for(Path(os.path.dirname(absolute)))
            if is_excluded(absolute, config, is_dir=is_dir):
                continue
            if not is_dir and is_gitignored(absolute, config):
                continue
        if is_dir:
            items: Iterable[SourcePath | Notification] = _walk(absolute, display, config_for)
        elif dialect_for_path(absolute) is None and not is_node_script(absolute, _head(absolute)):
            items = [
                Notification(
                    NotificationKind.SKIPPED,
                    "not a JavaScript or TypeScript file; skipped",
                    path=display,
                    level=Severity.NOTE,
                )
            ]
        else:
            items = [SourcePath(absolute, display, config_for(Path(os.path.dirname(absolute))))]
        for item in items:
            if isinstance(item, SourcePath):
                key = item.identity
                if key is None:
                    try:
                        key = _identity(item.path)
                    except OSError:
                        key = (-1, len(seen))
                if key in seen:
                    continue
                seen.add(key)
            yield item
