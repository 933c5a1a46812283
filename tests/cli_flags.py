"""Which options a ``nodeleaklint`` subcommand accepts, for checking integration files."""

from __future__ import annotations

import shlex

import click

from nodeleaklint.cli import cli


def options_of(command: str) -> set[str]:
    """Every option spelling (``--format``, ``-o`` …) of ``nodeleaklint COMMAND``."""
    assert isinstance(cli, click.Group)
    found = cli.commands[command]
    return {name for param in found.params for name in (*param.opts, *param.secondary_opts)}


def flags_in(command_line: str) -> list[str]:
    """The option names used in a shell command line (``--output=x`` gives ``--output``)."""
    words = shlex.split(command_line, comments=True)
    return [word.split("=", 1)[0] for word in words if word.startswith("-") and word != "-"]


def nodeleaklint_invocations(script: str) -> list[tuple[str, list[str]]]:
    """``(subcommand, flags)`` for each line of ``script`` that runs ``nodeleaklint``."""
    found: list[tuple[str, list[str]]] = []
    for line in script.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        if "nodeleaklint" not in words:
            continue
        rest = words[words.index("nodeleaklint") + 1 :]
        if not rest or rest[0].startswith("-"):
            continue
        found.append((rest[0], flags_in(shlex.join(rest[1:]))))
    return found
