"""The README's sample output is what the command it names really prints."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from nodeleaklint.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def test_readme_sample_finding_is_real_output(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"A finding looks like this \(from `nodeleaklint check (\S+)`\):\n\n```text\n(.*?)```",
        readme,
        re.DOTALL,
    )
    assert match, "README lost its sample finding"
    path, sample = match.groups()
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["check", "--no-cache", path])
    assert result.exit_code == 1
    assert result.output == sample
