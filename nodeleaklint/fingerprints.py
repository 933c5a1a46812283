"""Stable finding fingerprints: unchanged when unrelated lines are added above a finding."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from nodeleaklint.findings import Finding

FINGERPRINT_KEY = "nodeleaklint/v1"


def _normalize(text: str) -> str:
    return " ".join(text.split())


def with_fingerprints(findings: Iterable[Finding]) -> list[Finding]:
    """Give each finding a hash of rule, path, the code on its line and its rank among twins."""
    seen: Counter[tuple[str, str, str]] = Counter()
    result: list[Finding] = []
    for finding in sorted(findings, key=lambda f: f.sort_key):
        code = _normalize(finding.line_text)
        key = (finding.rule, finding.path.replace("\\", "/"), code)
        occurrence = seen[key]
        seen[key] += 1
        digest = hashlib.sha256("\0".join((*key, str(occurrence))).encode("utf-8")).hexdigest()
        result.append(replace(finding, fingerprint=digest[:32]))
    return result
