"""What must be unchanged for a file to count as unchanged without reading it."""

from __future__ import annotations

import os


def stat_token(info: os.stat_result) -> list[int]:
    """Size, modification and change times (the change time cannot be set back by tools
    that restore modification times) and the inode (a file replaced by rename)."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def probe(path: str) -> list[int] | None:
    """``path``'s stat token, or None when there is no such file."""
    try:
        return stat_token(os.stat(path))
    except OSError:
        return None
