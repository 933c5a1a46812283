"""The command line: ``nodeleaklint check``, ``nodeleaklint rules``, ``nodeleaklint rule``.

Fixes (ruff's model): every fix a rule offers changes behaviour, so it is *unsafe*.
``--fix --unsafe-fixes`` writes them and reports what remains; ``--fix`` alone applies only
safe fixes (none yet) and says how many unsafe ones are available; ``--diff`` prints what
would change as a unified diff, writes nothing and exits 1 when there is a change.

Exit status: 0 when no finding reaches the failure threshold (``--fail-on`` / ``fail-on``,
default high: medium findings are reported but do not fail), 1 when one does (or, when
asked for, unused suppressions or stale baseline entries), 2 usage, configuration or
internal error (also a missing or unreadable path). ``--exit-zero`` turns 1 into 0, never
2 into 0. Results go to stdout (or ``--output``), diagnostics to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from nodeleaklint import __version__, terminal
from nodeleaklint.config import ConfigError
from nodeleaklint.findings import Confidence, NotificationKind, RunResult, Severity
from nodeleaklint.fixes.apply import StaleFileError, applicable, unified_diff
from nodeleaklint.fixes.apply import write as write_fixed
from nodeleaklint.reporters import HUMAN_FORMATS
from nodeleaklint.reporters.common import plural
from nodeleaklint.rules import ALL_RULES, UnknownRuleError, find_rule, matching_rules
from nodeleaklint.rules.base import Rule
from nodeleaklint.terminal import COLOR_CHOICES

FORMATS = ("text", "concise", "json", "sarif", "github")
# Formats whose output already lists notifications; for the others they go to stderr.
_FORMATS_WITH_NOTIFICATIONS = ("text", "concise", "github", "sarif")

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command ended by Ctrl-C


def split_selectors(values: Sequence[str]) -> list[str]:
    """``--select A,B --select C`` -> ``["A", "B", "C"]``."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _selectors(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[str] | None:
    selectors = split_selectors(values)
    for selector in selectors:
        try:
            matching_rules(selector)
        except UnknownRuleError:
            raise click.BadParameter(f"unknown rule selector {selector!r}") from None
    return selectors or None


def exit_status(result: RunResult, *, exit_zero: bool = False) -> int:
    """The process exit status for a run: findings fail it only at or above their file's
    ``fail-on`` confidence (``RunResult.failing``)."""
    failed = not result.successful or any(
        n.kind is NotificationKind.UNREADABLE for n in result.all_notifications
    )
    if failed:
        return EXIT_ERROR
    unused = any(
        n.kind in (NotificationKind.UNUSED_SUPPRESSION, NotificationKind.STALE_BASELINE)
        for n in result.all_notifications
    )
    if (result.failing or unused) and not exit_zero:
        return EXIT_FINDINGS
    return EXIT_OK


def statistics(result: RunResult, fmt: str) -> str:
    """Findings counted per rule, most frequent first, then a total (``--statistics``)."""
    counts = Counter((finding.rule, finding.name) for finding in result.findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if fmt == "json":
        items = [{"rule": rule, "name": name, "count": count} for (rule, name), count in rows]
        return json.dumps(items, indent=2) + "\n"
    total = sum(counts.values())
    width = len(str(total))
    lines = [f"{count:>{width}}\t{rule}\t{name}\n" for (rule, name), count in rows]
    return "".join(lines) + f"{total:>{width}}\ttotal\n"


def _diagnose(result: RunResult, quiet: bool = False) -> None:
    for notification in result.all_notifications:
        if quiet and notification.level is not Severity.ERROR:
            continue
        where = notification.path or "nodeleaklint"
        if notification.path is not None and notification.line is not None:
            where += f":{notification.line}"
        level = "error" if notification.level is Severity.ERROR else "warning"
        click.echo(f"{level}: {where}: {notification.message}", err=True)


def _interrupted() -> NoReturn:
    """End the process now, without the interpreter's exit handlers: the runner has already
    terminated its workers, and ``concurrent.futures`` joins a pool's manager thread at
    exit, which can wait for good on a queue whose readers are gone (a Ctrl-C that did not
    end the run, seen in about one full test run in three)."""
    click.echo("nodeleaklint: interrupted", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED)


class _Group(click.Group):
    """Ctrl-C anywhere in a command ends it with status 130 and one line, no traceback
    (click's own handling prints "Aborted!" and exits 1). Worker processes are ended by
    the runner before the interrupt gets here."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _interrupted()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nodeleaklint")
def cli() -> None:
    """Find memory-leak patterns in Node.js JavaScript and TypeScript."""


def _shard(value: str | None) -> tuple[int, int] | None:
    """``--shard K/N``: 1 <= K <= N."""
    if value is None:
        return None
    index, _, count = value.partition("/")
    if not (index.isdigit() and count.isdigit()) or not 1 <= int(index) <= int(count):
        raise click.BadParameter(f"expected K/N with 1 <= K <= N, got {value!r}")
    return int(index), int(count)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write results to FILE instead of stdout (- is stdout).",
)
@click.option(
    "--select",
    multiple=True,
    callback=_selectors,
    help="Rules to enable (ids, names or prefixes; comma-separated, repeatable). "
    "Replaces the configured selection.",
)
@click.option(
    "--ignore",
    multiple=True,
    callback=_selectors,
    help="Rules to disable, added to the configured ignore list.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Use this configuration file for every path.",
)
@click.option(
    "--stdin-filename",
    metavar="NAME",
    help="Read source from stdin, reported and configured as NAME.",
)
@click.option(
    "--min-confidence",
    type=click.Choice([level.value for level in Confidence]),
    help="Report only findings of this confidence or higher (default: the configuration's "
    "min-confidence, medium).",
)
@click.option(
    "--fail-on",
    type=click.Choice([level.value for level in Confidence]),
    help="Exit 1 only for findings of this confidence or higher (default: the configuration's "
    "fail-on, high: medium findings are reported but do not fail the run).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule.")
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="Print the findings only: no summary, no notices (errors still go to stderr).",
)
@click.option(
    "--color",
    type=click.Choice(COLOR_CHOICES),
    default="auto",
    show_default=True,
    help="Colour the text and concise formats (auto: on a terminal, honouring NO_COLOR "
    "and FORCE_COLOR).",
)
@click.option(
    "--fix",
    "apply_fix",
    is_flag=True,
    help="Apply fixes to the files, then report what remains (unsafe fixes need --unsafe-fixes).",
)
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="With --fix or --diff, include fixes that change behaviour (all of today's fixes).",
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print the fixes as a unified diff instead of writing them; exit 1 if any.",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply excludes to explicitly named paths too (for pre-commit).",
)
@click.option(
    "--report-unused-suppressions",
    is_flag=True,
    help="Report suppression comments that suppress nothing.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    metavar="N",
    help="Worker processes (default: one per core for large inputs).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Check every file again instead of reusing results of unchanged files.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Cache folder (default: .nodeleaklint_cache in the project root).",
)
@click.option(
    "--max-results",
    type=click.IntRange(min=0),
    metavar="N",
    help="Cap the number of results in SARIF output.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Report only findings that FILE (from --write-baseline) does not record.",
)
@click.option(
    "--write-baseline",
    "write_baseline",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Record the current findings in FILE; they are then not reported.",
)
@click.option(
    "--report-stale-baseline",
    is_flag=True,
    help="With --baseline, report entries that match no finding any more.",
)
@click.option(
    "--shard",
    callback=lambda _ctx, _param, value: _shard(value),
    metavar="K/N",
    help="Check and report only the K-th of N slices of the files (a CI job matrix); "
    "each slice still reads the whole project.",
)
def check(
    paths: tuple[str, ...],
    fmt: str,
    output: Path | None,
    select: list[str] | None,
    ignore: list[str] | None,
    config_path: str | None,
    stdin_filename: str | None,
    min_confidence: str | None,
    fail_on: str | None,
    exit_zero: bool,
    statistics: bool,
    quiet: bool,
    color: str,
    apply_fix: bool,
    unsafe_fixes: bool,
    show_diff: bool,
    force_exclude: bool,
    report_unused_suppressions: bool,
    jobs: int | None,
    no_cache: bool,
    cache_dir: Path | None,
    max_results: int | None,
    baseline_file: str | None,
    write_baseline: str | None,
    report_stale_baseline: bool,
    shard: tuple[int, int] | None,
) -> None:
    """Check PATHS (default: the current folder). A path of - reads stdin."""
    from nodeleaklint import runner

    use_stdin = stdin_filename is not None or "-" in paths
    if use_stdin and any(path != "-" for path in paths):
        raise click.UsageError("reading stdin (- or --stdin-filename) takes no other paths")
    fixing = apply_fix or show_diff
    if use_stdin and fixing:
        raise click.UsageError("--fix and --diff work on files, not on stdin")
    source = sys.stdin.buffer.read() if use_stdin else None
    progress = None if use_stdin else terminal.progress_for(quiet)
    try:
        result = runner.run(
            paths or (".",),
            select=select,
            ignore=ignore or (),
            config_path=config_path,
            force_exclude=force_exclude,
            stdin=source,
            stdin_filename=stdin_filename,
            report_unused_suppressions=report_unused_suppressions,
            jobs=jobs,
            cache_dir=None if no_cache or use_stdin else _cache_dir(paths, config_path, cache_dir),
            own_process=True,
            min_confidence=Confidence(min_confidence) if min_confidence else None,
            fail_on=Confidence(fail_on) if fail_on else None,
            progress=progress,
            shard=shard,
            fixes=runner.FixRequest(unsafe=unsafe_fixes) if fixing else None,
        )
    except ConfigError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    except UnknownRuleError as error:
        raise click.UsageError(str(error)) from None
    finally:
        if progress is not None:
            progress.close()
    if show_diff:
        sys.exit(_diff(result, output, unsafe_fixes, quiet))
    if apply_fix:
        _apply_fixes(result, unsafe_fixes, quiet)
    result = _with_baseline(result, baseline_file, write_baseline, report_stale_baseline, quiet)
    if source is None and result.files_checked == 0 and not result.all_notifications and not quiet:
        click.echo("warning: no JavaScript or TypeScript files found", err=True)
    to_file = None if output == Path("-") else output
    palette = terminal.Palette(
        fmt in HUMAN_FORMATS and to_file is None and terminal.wants_color(color, sys.stdout)
    )
    _write(result, fmt, to_file, statistics, max_results, quiet, palette)
    sys.exit(exit_status(result, exit_zero=exit_zero))


def _fixes(count: int) -> str:
    return f"{count} fix" if count == 1 else f"{count} fixes"


def _unsafe_hint(result: RunResult, unsafe: bool) -> str | None:
    """ "N unsafe fixes are available …" when fixes were withheld for want of the flag."""
    withheld = sum(1 for fix in result.fixable if not applicable(fix, unsafe))
    if not withheld:
        return None
    fixes = "fix is" if withheld == 1 else "fixes are"
    return f"{withheld} unsafe {fixes} available with --unsafe-fixes (not applied)"


def _diff(result: RunResult, output: Path | None, unsafe: bool, quiet: bool) -> int:
    """Print the fixes as a unified diff; the exit status is 1 when a file would change."""
    changed = [fixed for fixed in result.fixed if fixed.changed]
    text = "".join(unified_diff(fixed) for fixed in changed)
    if output is not None and output != Path("-"):
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            click.echo(f"error: cannot write {output}: {error.strerror or error}", err=True)
            return EXIT_ERROR
    else:
        click.echo(text, nl=False)
    if not quiet:
        count = sum(fixed.applied for fixed in changed)
        click.echo(f"would apply {_fixes(count)} in {plural(len(changed), 'file')}", err=True)
        hint = _unsafe_hint(result, unsafe)
        if hint is not None:
            click.echo(hint, err=True)
    if not result.successful:
        return EXIT_ERROR
    return EXIT_FINDINGS if changed else EXIT_OK


def _apply_fixes(result: RunResult, unsafe: bool, quiet: bool) -> None:
    """Write every fixed file (a file changed since it was checked is left alone, with an
    error) and say how many fixes were applied."""
    applied = files = 0
    for fixed in result.fixed:
        if not fixed.changed:
            continue
        try:
            write_fixed(fixed)
        except (OSError, StaleFileError) as error:
            reason = (
                "it changed while being checked"
                if isinstance(error, StaleFileError)
                else (getattr(error, "strerror", None) or str(error))
            )
            click.echo(f"error: {fixed.display}: fixes not written: {reason}", err=True)
            sys.exit(EXIT_ERROR)
        applied += fixed.applied
        files += 1
    if quiet:
        return
    click.echo(f"applied {_fixes(applied)} in {plural(files, 'file')}", err=True)
    hint = _unsafe_hint(result, unsafe)
    if hint is not None:
        click.echo(hint, err=True)


def _cache_dir(paths: tuple[str, ...], config_path: str | None, given: Path | None) -> Path:
    if given is not None:
        return given
    from nodeleaklint.cache import default_cache_dir

    return default_cache_dir(paths, config_path)


def _with_baseline(
    result: RunResult,
    baseline_file: str | None,
    write_file: str | None,
    report_stale: bool,
    quiet: bool = False,
) -> RunResult:
    if baseline_file is None and write_file is None:
        return result
    from nodeleaklint import baseline

    try:
        if write_file is not None:
            written = baseline.write(write_file, result)
            if not quiet:
                count = len(set(written.entries))
                entries = "baseline entry" if count == 1 else "baseline entries"
                click.echo(f"wrote {count} {entries} to {write_file}", err=True)
            return baseline.apply(result, written)
        return baseline.use(
            result, baseline_file=baseline_file, write_file=None, report_stale=report_stale
        )
    except baseline.BaselineError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_ERROR)


def _write(
    result: RunResult,
    fmt: str,
    output: Path | None,
    stats: bool,
    max_results: int | None,
    quiet: bool = False,
    palette: terminal.Palette = terminal.PLAIN,
) -> None:
    if stats:
        text = statistics(result, fmt)
    else:
        from nodeleaklint.reporters import render

        text = render(fmt, result, ALL_RULES, max_results=max_results, quiet=quiet, palette=palette)
    if output is not None or stats or fmt not in _FORMATS_WITH_NOTIFICATIONS or quiet:
        _diagnose(result, quiet)
    if output is None:
        click.echo(text, nl=False, color=palette.enabled)  # click strips colour when not told
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        click.echo(f"error: cannot write {output}: {error.strerror or error}", err=True)
        sys.exit(EXIT_ERROR)


@cli.command("rules")
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True
)
def list_rules(fmt: str) -> None:
    """List every rule: id, name, summary, severity and confidence."""
    if fmt == "json":
        items = [_rule_summary(rule) for rule in ALL_RULES]
        click.echo(json.dumps(items, indent=2))
        return
    rows = [(r.id, r.name, r.meta.severity.value, r.meta.confidence.value) for r in ALL_RULES]
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(4)]
    for rule, row in zip(ALL_RULES, rows, strict=True):
        cells = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo(f"{cells}  {rule.meta.summary}")


def _rule_summary(rule: Rule) -> dict[str, str]:
    meta = rule.meta
    return {
        "id": meta.id,
        "name": meta.name,
        "summary": meta.summary,
        "severity": meta.severity.value,
        "confidence": meta.confidence.value,
        "url": rule.docs_url,
    }


def rule_markdown(rule: Rule) -> str:
    """A rule's documentation page: the one ``rules/<ID>-<name>/README.md`` holds, made
    from the installed rule module, so it needs neither the repository nor a network."""
    from nodeleaklint.docgen import GENERATED_NOTE, rule_page

    page = rule_page(rule).removeprefix(GENERATED_NOTE + "\n")
    return f"{page.rstrip()}\n\nOnline: {rule.docs_url}\n"


@cli.command("rule")
@click.argument("selector", metavar="ID|NAME")
def show_rule(selector: str) -> None:
    """Print the documentation page of one rule (works offline)."""
    try:
        rule = find_rule(selector)
    except UnknownRuleError:
        raise click.UsageError(f"unknown rule {selector!r}; see `nodeleaklint rules`") from None
    click.echo(rule_markdown(rule), nl=False)


LSP_EXTRA_MISSING = (
    "error: `nodeleaklint server` needs the lsp extra: pip install 'nodeleaklint[lsp]'"
)


@cli.command("server")
def language_server() -> None:
    """Run the language server on stdin/stdout (for editors; needs the lsp extra)."""
    try:
        from nodeleaklint import lsp
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] not in ("pygls", "lsprotocol"):
            raise
        click.echo(LSP_EXTRA_MISSING, err=True)
        sys.exit(EXIT_ERROR)
    lsp.main()


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="nodeleaklint")
    except KeyboardInterrupt:
        _interrupted()
