"""Which files a run checks: walk the given paths, honour excludes and ``.gitignore``.

Folders are walked with ``os.scandir`` and an explicit stack (no recursion), entries in
sorted order, symlinked folders followed only once (by device and inode) so loops end.
Explicitly named files are always checked unless ``force_exclude`` is set (as ruff does);
named files with an unsupported extension are skipped with a notice.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

from nodeleaklint.config import Config
from nodeleaklint.findings import Notification, NotificationKind, Severity
from nodeleaklint.parsing import dialect_for_path

ConfigFor = Callable[[Path], Config]
"""Settings for the entries of an absolute folder path."""

MISSING_PATH = "No such file or directory"


@dataclass(frozen=True)
class SourcePath:
    """A file to check: its absolute ``path``, its ``display`` path, and its settings."""

    path: Path
    display: str
    config: Config


def display_for(given: str, absolute: Path) -> str:
    """``absolute`` relative to the working directory when below it, else as given."""
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return os.path.normpath(given)


# -- exclusion ---------------------------------------------------------------------------

_SPECS: dict[tuple[str, ...], pathspec.GitIgnoreSpec] = {}


def _spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    spec = _SPECS.get(patterns)
    if spec is None:
        spec = _SPECS[patterns] = pathspec.GitIgnoreSpec.from_lines(patterns)
    return spec


def _relative(path: Path, base: Path | None) -> str | None:
    if base is None:
        return None
    try:
        relative = path.relative_to(base)
    except ValueError:
        return None
    return relative.as_posix() if relative.parts else None


def is_excluded(path: Path, config: Config, *, is_dir: bool = False) -> bool:
    """Whether ``exclude`` + ``extend-exclude`` match ``path`` or a folder above it.

    Patterns are gitignore-style and relative to the config root; without a root, or for
    paths outside it, relative to the working directory, and failing that to ``/``.
    """
    patterns = config.all_excludes
    if not patterns:
        return False
    relative = (
        _relative(path, config.root)
        or _relative(path, Path.cwd())
        or path.relative_to(path.anchor).as_posix()
    )
    return _spec(patterns).match_file(relative + "/" if is_dir else relative)


@dataclass(frozen=True)
class _GitIgnore:
    base: Path
    spec: pathspec.GitIgnoreSpec


def _read_gitignore(folder: Path, name: str = ".gitignore") -> _GitIgnore | None:
    try:
        lines = (folder / name).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    base = folder.parent.parent if name == "info/exclude" else folder
    return _GitIgnore(base, pathspec.GitIgnoreSpec.from_lines(lines))


def _gitignored(path: Path, is_dir: bool, ignores: tuple[_GitIgnore, ...]) -> bool:
    for ignore in reversed(ignores):  # the deepest file decides
        relative = _relative(path, ignore.base)
        if relative is None:
            continue
        result = ignore.spec.check_file(relative + "/" if is_dir else relative)
        if result.include is not None:
            return result.include
    return False


def _ancestor_gitignores(folder: Path) -> tuple[_GitIgnore, ...]:
    """Ignore files that apply to ``folder`` from above it, within its git repository.

    That is ``.git/info/exclude`` and the ``.gitignore`` of each folder from the repository
    root down to ``folder``'s parent, outermost first (``folder``'s own is read by the walk).
    """
    chain: list[Path] = []
    for candidate in (folder, *folder.parents):
        chain.append(candidate)
        if (candidate / ".git").exists():
            break
    else:
        return ()
    found = [_read_gitignore(candidate) for candidate in reversed(chain[1:])]
    exclude = _read_gitignore(chain[-1] / ".git", "info/exclude")
    return tuple(item for item in (exclude, *found) if item is not None)


# -- walking -----------------------------------------------------------------------------


def _identity(path: Path) -> tuple[int, int]:
    """Device and inode of what ``path`` points to: equal for every link to one file."""
    info = os.stat(path)
    return (info.st_dev, info.st_ino)


def _walk(
    root: Path, display_root: str, config_for: ConfigFor
) -> Iterator[SourcePath | Notification]:
    inherited = _ancestor_gitignores(root)
    stack: list[tuple[Path, str, tuple[_GitIgnore, ...]]] = [(root, display_root, inherited)]
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
        config = config_for(folder)
        if config.respect_gitignore:
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
        folders: list[tuple[Path, str, tuple[_GitIgnore, ...]]] = []
        for entry in entries:
            path = folder / entry.name
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                continue
            if not (is_dir or (is_file and dialect_for_path(entry.name) is not None)):
                continue
            if is_excluded(path, config, is_dir=is_dir):
                continue
            if config.respect_gitignore and _gitignored(path, is_dir, ignores):
                continue
            child_display = os.path.join(display, entry.name) if display != "." else entry.name
            if is_dir:
                folders.append((path, child_display, ignores))
            else:
                yield SourcePath(path, child_display, config)
        stack.extend(reversed(folders))


def iter_source_files(
    paths: Iterable[str], config_for: ConfigFor, force_exclude: bool = False
) -> Iterator[SourcePath | Notification]:
    """Files to check under ``paths``, in a stable order, each real file once.

    Yields a ``Notification`` for a path that does not exist (an error: the run exits 2)
    and for a named file whose extension is not supported (a note: skipped).
    ``config_for`` may raise ``ConfigError``; it propagates.
    """
    seen: set[tuple[int, int]] = set()
    for given in paths:
        absolute = Path(os.path.abspath(given))
        display = display_for(given, absolute)
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
        if force_exclude and is_excluded(absolute, config_for(absolute.parent), is_dir=is_dir):
            continue
        if is_dir:
            items: Iterable[SourcePath | Notification] = _walk(absolute, display, config_for)
        elif dialect_for_path(absolute) is None:
            items = [
                Notification(
                    NotificationKind.SKIPPED,
                    "not a JavaScript or TypeScript file; skipped",
                    path=display,
                    level=Severity.NOTE,
                )
            ]
        else:
            items = [SourcePath(absolute, display, config_for(absolute.parent))]
        for item in items:
            if isinstance(item, SourcePath):
                try:
                    key = _identity(item.path)
                except OSError:
                    key = (-1, len(seen))
                if key in seen:
                    continue
                seen.add(key)
            yield item
