"""Configuration errors as a user sees them: the file, the key and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from nodeleaklint.config import ConfigError, discover_config


def error_for(folder: Path, filename: str, text: str) -> str:
    """The error a configuration file ``text`` named ``filename`` in ``folder`` raises."""
    (folder / filename).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        discover_config(folder)
    return str(error.value)
