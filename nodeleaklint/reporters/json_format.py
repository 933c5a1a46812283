"""One JSON array of findings, sorted by path and position, indented by two spaces.

Each element::

    {
      "rule": "NLL101", "name": "unremoved-listener",
      "severity": "warning", "confidence": "high",
      "path": "src/app.js", "line": 3, "column": 5, "end_line": 3, "end_column": 41,
      "message": "...", "fix": "...",
      "related": [{"line": 1, "column": 7, "end_line": 1, "end_column": 10, "message": "..."}],
      (a related location in another file of the project also has its "path")
      "fingerprint": "...", "url": "https://.../NLL101-unremoved-listener/README.md",
      "notes": [],
      "edit": {"title": "...", "applicability": "unsafe",
               "edits": [{"line": 3, "column": 1, "end_line": 4, "end_column": 1,
                          "start_byte": 40, "end_byte": 63, "content": ""}]}
    }

Lines are 1-based; columns are 1-based UTF-16 code units with an exclusive end.
``message`` is the rule's whole message and ``notes`` the notes it gave apart; ``fix`` is
the advice in words (the help line) and ``edit`` the rewrite ``--fix --unsafe-fixes``
applies (``null`` when there is none); its byte offsets count the file's bytes.
``url`` is ``null`` for a rule not in the rule list. Notifications are not part of
this format.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from nodeleaklint.findings import Finding, Fix, RunResult, Span
from nodeleaklint.reporters.common import clean
from nodeleaklint.rules.base import Rule


def _position(span: Span) -> dict[str, int]:
    return {
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def finding_dict(finding: Finding, urls: dict[str, str]) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "name": finding.name,
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "path": clean(finding.path),
        **_position(finding.span),
        "message": clean(finding.message),
        "fix": clean(finding.help),
        "related": [
            {
                **_position(related.span),
                "message": clean(related.message),
                **({"path": clean(related.path)} if related.path is not None else {}),
            }
            for related in finding.related
        ],
        "fingerprint": finding.fingerprint,
        "url": urls.get(finding.rule),
        "notes": [clean(note) for note in finding.notes],
        "edit": fix_dict(finding.fix),
    }


def fix_dict(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "title": clean(fix.title),
        "applicability": fix.applicability.value,
        "edits": [
            {
                **_position(edit.span),
                "start_byte": edit.start,
                "end_byte": edit.end,
                "content": edit.content,
            }
            for edit in fix.edits
        ],
    }


# The C string encoder ``json.dumps`` uses for ``ensure_ascii=False``.
_encode_string = (
    getattr(json.encoder, "c_encode_basestring", None) or json.encoder.encode_basestring
)


def _pretty(value: Any, indent: str, out: list[str]) -> None:
    """Append ``value`` as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it.

    With ``indent`` set, ``json`` falls back to its pure-Python encoder, which took most
    of a cached re-run's time over a large corpus; this writes the same bytes faster.
    """
    if isinstance(value, str):
        out.append(_encode_string(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = indent + "  "
        out.append("{\n" + inner)
        first = True
        for key, item in value.items():
            if not first:
                out.append(",\n" + inner)
            first = False
            out.append(_encode_string(key) + ": ")
            _pretty(item, inner, out)
        out.append("\n" + indent + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = indent + "  "
        out.append("[\n" + inner)
        for number, item in enumerate(value):
            if number:
                out.append(",\n" + inner)
            _pretty(item, inner, out)
        out.append("\n" + indent + "]")
    elif value is None:
        out.append("null")
    elif value is True or value is False:
        out.append("true" if value else "false")
    elif type(value) is int:
        out.append(int.__repr__(value))
    else:
        out.append(json.dumps(value))


def render(result: RunResult, rules: Sequence[Rule]) -> str:
    urls = {rule.id: rule.docs_url for rule in rules}
    elements: list[str] = []
    for finding in result.findings:  # one finding at a time: few objects alive at once
        out: list[str] = []
        _pretty(finding_dict(finding, urls), "  ", out)
        elements.append("".join(out))
    if not elements:
        return "[]\n"
    return "[\n  " + ",\n  ".join(elements) + "\n]\n"
