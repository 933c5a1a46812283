"""Artifact URIs for SARIF: relative to the source root when possible, percent-encoded."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from urllib.parse import quote

from nodeleaklint.records import record

SRCROOT = "%SRCROOT%"


@record
class ArtifactUri:
    uri: str
    base_id: str | None


def _encode(path: str) -> str:
    raw = path.encode("utf-8", "surrogateescape")
    return quote(raw, safe="/")


def _posix(path: str) -> str:
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    if os.altsep and os.altsep != "/":
        path = path.replace(os.altsep, "/")
    return path


def artifact_uri(path: str, root: str) -> ArtifactUri:
    """The URI of ``path`` (relative to the cwd, or absolute) for a run rooted at ``root``.

    Paths inside ``root`` become relative references under ``%SRCROOT%`` (forward
    slashes, spaces as ``%20``, non-ASCII as percent-encoded UTF-8); paths outside it
    become absolute ``file://`` URIs without a base id.
    """
    absolute = os.path.normpath(os.path.join(root, path))
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:
        relative = absolute
    relative = posixpath.normpath(_posix(relative))
    if os.path.isabs(relative) or relative == ".." or relative.startswith("../"):
        return ArtifactUri(_file_uri(absolute), None)
    return ArtifactUri(_encode(relative), SRCROOT)


def _file_uri(absolute: str) -> str:
    try:
        return Path(absolute).as_uri()
    except ValueError:
        return "file://" + _encode(_posix(absolute))
