"""Module resolution inside the checked tree, the way Node and TypeScript find files.

Relative and absolute specifiers (with or without extension, ``.js`` written for a ``.ts``
file, ``index`` files of folders, a folder's ``package.json`` ``main``), packages of the
checked tree by name (a monorepo's workspaces: ``main``, ``module`` and ``exports``), and
TypeScript ``paths`` from the nearest ``tsconfig.json``. Only files being checked are
answers: a module outside the tree (``node_modules``, Node built-ins) resolves to None.
Reading ``package.json`` and ``tsconfig.json`` never fails a run: a file that does not
parse is treated as absent.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

from nodeleaklint.filestat import probe

EXTENSIONS = (".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx", ".mts", ".cts")
# ``import './x.js'`` in TypeScript means ``./x.ts``.
_TYPESCRIPT_FOR = {
    ".js": (".ts", ".tsx"),
    ".jsx": (".tsx",),
    ".mjs": (".mts",),
    ".cjs": (".cts",),
}
_ENTRY_CONDITIONS = ("node", "require", "import", "default", "module")


def absolute(path: str) -> str:
    """The absolute, normalised form every path of the project view is kept in."""
    return os.path.normpath(os.path.abspath(path))


def read_json(path: str, comments: bool = False) -> Any:
    """``path`` parsed as JSON (with ``//`` / ``/* */`` comments and trailing commas when
    ``comments``: tsconfig), or None when it is missing or not JSON."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return None
    if comments:
        text = _strip_jsonc(text)
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def unchanged(probes: Mapping[str, Any]) -> bool:
    """Whether every file in ``probes`` (``Resolver.probes`` of an earlier linking) is as
    it was then, so that linking again would resolve every specifier the same way."""
    return all(probe(path) == token for path, token in probes.items())


_JSONC = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def _strip_jsonc(text: str) -> str:
    text = _JSONC.sub(lambda m: m.group(1) or "", text)
    return _TRAILING_COMMA.sub(r"\1", text)


_UNKNOWN = "\0"  # not a path: an answer not yet worked out


class Resolver:
    """Resolves specifiers to files of ``files`` (absolute, normalised paths)."""

    def __init__(self, files: Iterable[str]) -> None:
        self.files = set(files)
        self._manifests: dict[str, dict[str, Any] | None] = {}
        self._tsconfigs: dict[str, tuple[str, dict[str, Any]] | None] = {}
        self._packages: dict[str, str] | None = None
        self._folders_with_manifest: list[str] | None = None
        self._answers: dict[tuple[str, str], str | None] = {}
        self._by_importer: dict[tuple[str, str], str | None] = {}
        self._folders: dict[str, str] = {}
        # Every manifest and tsconfig looked for, with its stat (None: not there): the
        # answers hold for as long as these are unchanged (``unchanged``).
        self.probes: dict[str, list[int] | None] = {}

    def _read(self, path: str, comments: bool = False) -> Any:
        self.probes[path] = probe(path)
        return read_json(path, comments)

    # -- public ------------------------------------------------------------------------
    def resolve(self, specifier: str, importer: str) -> str | None:
        """The checked file ``specifier`` names when imported from ``importer`` (answers
        are remembered per folder: every file of a folder resolves a name the same way)."""
        known = self._by_importer.get((specifier, importer), _UNKNOWN)
        if known is not _UNKNOWN:  # linking asks again for each call: no ``dirname`` then
            return known
        folder = self._folders.get(importer)
        if folder is None:  # a file imports many specifiers: its folder worked out once
            folder = self._folders[importer] = os.path.dirname(importer)
        key = (specifier, folder)
        if key not in self._answers:
            self._answers[key] = self._resolve(specifier, importer)
        answer = self._by_importer[specifier, importer] = self._answers[key]
        return answer

    def _resolve(self, specifier: str, importer: str) -> str | None:
        if specifier.startswith(("./", "../")) or specifier in (".", ".."):
            return self._file_or_folder(os.path.join(os.path.dirname(importer), specifier))
        if specifier.startswith("/"):
            return self._file_or_folder(specifier)
        if specifier.startswith("node:"):
            return None
        from_paths = self._from_paths(specifier, importer)
        return from_paths if from_paths is not None else self._from_package(specifier)

    def entry_points(self) -> set[str]:
        """Files that a package of the tree hands to the outside world (``main``,
        ``module``, ``exports``): their exports have callers out of view."""
        entries: set[str] = set()
        for folder in self._package_folders():
            manifest = self._manifest(folder) or {}
            for target in _entry_targets(manifest):
                found = self._file_or_folder(os.path.join(folder, target))
                if found is not None:
                    entries.add(found)
        return entries

    # -- files and folders ---------------------------------------------------------------
    def _file_or_folder(self, base: str) -> str | None:
        base = os.path.normpath(base)
        found = self._file(base)
        if found is not None:
            return found
        manifest = self._manifest(base)
        if manifest is not None:
            for target in _entry_targets(manifest)[:1]:
                found = self._file(os.path.normpath(os.path.join(base, target)))
                if found is not None:
                    return found
        return self._file(os.path.join(base, "index"))

    def _file(self, base: str) -> str | None:
        if base in self.files:
            return base
        for extension in EXTENSIONS:
            if base + extension in self.files:
                return base + extension
        stem, extension = os.path.splitext(base)
        for alternative in _TYPESCRIPT_FOR.get(extension, ()):
            if stem + alternative in self.files:
                return stem + alternative
        return None

    # -- packages ------------------------------------------------------------------------
    def _manifest(self, folder: str) -> dict[str, Any] | None:
        if folder not in self._manifests:
            data = self._read(os.path.join(folder, "package.json"))
            self._manifests[folder] = data if isinstance(data, dict) else None
        return self._manifests[folder]

    def _package_folders(self) -> list[str]:
        """Folders holding a ``package.json``, at or above the checked files (worked out
        once: the entry points and the package names both ask)."""
        if self._folders_with_manifest is None:
            self._folders_with_manifest = self._find_package_folders()
        return self._folders_with_manifest

    def _find_package_folders(self) -> list[str]:
        folders: set[str] = set()
        seen: set[str] = set()
        for path in self.files:
            folder = os.path.dirname(path)
            while folder not in seen:
                seen.add(folder)
                if self._manifest(folder) is not None:
                    folders.add(folder)
                parent = os.path.dirname(folder)
                if parent == folder:
                    break
                folder = parent
        return sorted(folders)

    def _from_package(self, specifier: str) -> str | None:
        if self._packages is None:
            self._packages = {}
            for folder in self._package_folders():
                name = (self._manifest(folder) or {}).get("name")
                if isinstance(name, str):
                    self._packages.setdefault(name, folder)
        parts = specifier.split("/")
        count = 2 if specifier.startswith("@") else 1
        package = self._packages.get("/".join(parts[:count]))
        if package is None:
            return None
        rest = "/".join(parts[count:])
        return self._file_or_folder(os.path.join(package, rest) if rest else package)

    # -- TypeScript paths ----------------------------------------------------------------
    def _tsconfig(self, folder: str) -> tuple[str, dict[str, Any]] | None:
        if folder in self._tsconfigs:
            return self._tsconfigs[folder]
        found: tuple[str, dict[str, Any]] | None = None
        data = self._read(os.path.join(folder, "tsconfig.json"), comments=True)
        if isinstance(data, dict):
            options = data.get("compilerOptions")
            found = (folder, options if isinstance(options, dict) else {})
        else:
            parent = os.path.dirname(folder)
            found = self._tsconfig(parent) if parent != folder else None
        self._tsconfigs[folder] = found
        return found

    def _from_paths(self, specifier: str, importer: str) -> str | None:
        config = self._tsconfig(os.path.dirname(importer))
        if config is None:
            return None
        folder, options = config
        base = os.path.join(folder, str(options.get("baseUrl", ".")))
        paths = options.get("paths")
        if isinstance(paths, dict):
            for pattern, targets in paths.items():
                star = _match(str(pattern), specifier)
                if star is None or not isinstance(targets, list):
                    continue
                for target in targets:
                    found = self._file_or_folder(os.path.join(base, str(target).replace("*", star)))
                    if found is not None:
                        return found
        if "baseUrl" in options:
            return self._file_or_folder(os.path.join(base, specifier))
        return None


def _match(pattern: str, specifier: str) -> str | None:
    """What ``*`` stands for when ``specifier`` matches the ``paths`` pattern, else None."""
    if "*" not in pattern:
        return "" if pattern == specifier else None
    prefix, _, suffix = pattern.partition("*")
    if specifier.startswith(prefix) and specifier.endswith(suffix):
        return specifier[len(prefix) : len(specifier) - len(suffix)]
    return None


def _entry_targets(manifest: dict[str, Any]) -> list[str]:
    """The files a ``package.json`` names as its entry points, most specific first."""
    targets: list[str] = []
    _collect_exports(manifest.get("exports"), targets, depth=0)
    for key in ("main", "module"):
        value = manifest.get(key)
        if isinstance(value, str):
            targets.append(value)
    return targets


def _collect_exports(value: Any, targets: list[str], depth: int) -> None:
    if depth > 6:
        return
    if isinstance(value, str):
        if "*" not in value:
            targets.append(value)
    elif isinstance(value, list):
        for item in value:
            _collect_exports(item, targets, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key.startswith(".") or key in _ENTRY_CONDITIONS:
                _collect_exports(item, targets, depth + 1)
