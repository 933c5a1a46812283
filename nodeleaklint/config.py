"""Configuration: the settings of a run, discovered from project files or given explicitly."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_EXCLUDES: tuple[str, ...] = (
    "node_modules",
    ".git",
    "dist",
    "build",
    "coverage",
    "*.min.js",
    "*.min.mjs",
    "*.min.cjs",
    "*-min.js",
    "*.bundle.js",
)
DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024


@dataclass(frozen=True)
class Config:
    """Resolved settings. ``root`` is the folder of the config file (None: built-in defaults)."""

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
