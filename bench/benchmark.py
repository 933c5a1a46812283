"""Throughput of nodeleaklint against tree-sitter's own parse time, over the same files.

    python bench/benchmark.py [FOLDER] [--runs 7] [--repeat 1] [--json]

Without FOLDER a deterministic corpus (5,000 files, ~51 MB) is generated in a temporary
folder (``python bench/corpus.py --help`` writes one of any size where you choose). The
script lists the files nodeleaklint checks under FOLDER (with a benchmark configuration that
excludes nothing, so every JS/TS file up to the default ``max-file-size`` of 2 MB counts;
larger files are skipped by a real run too), then measures, for exactly those files:

- the parse floor: tree-sitter parsing every file, one core, in this process;
- ``nodeleaklint check --jobs 1 --no-cache`` (all rules, one core), process start included,
  and its peak memory (maximum resident set size); also as CPU time over the floor's CPU
  time, which load from other processes on a shared machine does not inflate;
- ``nodeleaklint check --no-cache`` (all cores, the default);
- a cached re-run (the cache filled by a first run, then the same command again), also
  as a ratio to the parse floor (SPEC §6 budget: 0.1x);
- a cached re-run after editing one file (on a copy of the corpus): the edited file, and
  the files whose project view it changes, are checked again, the rest comes from the
  cache;
- single-file editor latency: median wall time of ``python -m nodeleaklint check FILE``
  on a file of median size, process start included (with the package's bytecode written
  first, as an install does);
- the language server's warm check of that file, its project index loaded (SPEC §6: 30 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate

from nodeleaklint.config import ConfigResolver
from nodeleaklint.discovery import SourcePath, iter_source_files
from nodeleaklint.parsing import SHEBANG_PROBE, dialect_for_source, parse
from nodeleaklint.rules import ALL_RULES

CONFIG = """\
# Benchmark settings: check every JavaScript/TypeScript file up to the default size limit.
exclude = []
respect-gitignore = false
"""


def list_files(folder: Path, config: Path) -> list[Path]:
    """The files a run checks: every source file, except those above ``max-file-size``."""
    resolver = ConfigResolver(config)
    items = iter_source_files([str(folder)], resolver.for_folder)
    return [
        Path(item.path)
        for item in items
        if isinstance(item, SourcePath) and os.path.getsize(item.path) <= item.config.max_file_size
    ]


def parse_floor(files: list[Path]) -> tuple[float, float]:
    """Seconds tree-sitter takes to parse every file (reading excluded), one core: wall
    time, and CPU time (which other processes on a shared machine do not inflate)."""
    total = cpu = 0.0
    for path in files:
        data = path.read_bytes()
        dialect = dialect_for_source(path, data[:SHEBANG_PROBE])
        assert dialect is not None
        start, start_cpu = time.perf_counter(), time.process_time()
        parse(data, dialect)
        total += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
    return total, cpu


def children_cpu() -> float:
    """CPU seconds (user and system) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr.decode()}")
    return elapsed


def compile_package() -> None:
    """Write the package's bytecode, as installing it does: a process start then reads
    ``.pyc`` files instead of compiling every module (an environment that sets
    ``PYTHONDONTWRITEBYTECODE`` never caches it, and would time the compiler)."""
    import compileall

    import nodeleaklint

    compileall.compile_dir(str(Path(nodeleaklint.__file__).parent), quiet=1)


def timed_cpu(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command`` in a child process."""
    before = children_cpu()
    wall = timed(command)
    return wall, children_cpu() - before


def measure(folder: Path, runs: int, repeat: int = 1) -> dict[str, Any]:
    compile_package()
    work = Path(tempfile.mkdtemp(prefix="nodeleaklint-bench-"))
    config = work / "nodeleaklint.toml"
    config.write_text(CONFIG, encoding="utf-8")
    files = list_files(folder, config)
    if not files:
        sys.exit(f"no JavaScript or TypeScript files under {folder}")
    size = sum(path.stat().st_size for path in files)
    base = [sys.executable, "-m", "nodeleaklint", "check", str(folder), "--config", str(config)]
    base += ["--format", "json", "--exit-zero"]
    # On a shared machine each figure is the best of ``repeat`` runs: load from elsewhere
    # only ever slows a run down, so the fastest is the one closest to the code's own cost.
    floors = [parse_floor(files) for _ in range(repeat)]
    floor, floor_cpu = min(f[0] for f in floors), min(f[1] for f in floors)
    one_cores = [timed_cpu([*base, "--no-cache", "--jobs", "1"]) for _ in range(repeat)]
    one_core, one_core_cpu = min(r[0] for r in one_cores), min(r[1] for r in one_cores)
    # The peak of the one-core runs, in KiB (Linux reports ``ru_maxrss`` in KiB).
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    all_cores = min(timed([*base, "--no-cache"]) for _ in range(repeat))
    cache = ["--cache-dir", str(work / "cache")]
    timed([*base, *cache])
    cached = min(timed([*base, *cache]) for _ in range(repeat))
    by_size = sorted(files, key=lambda path: path.stat().st_size)
    single = by_size[len(by_size) // 2]
    edited = _cached_after_edit(folder, single, config, work)
    one_file = [sys.executable, "-m", "nodeleaklint", "check", str(single), "--no-cache"]
    latencies = [timed(one_file) for _ in range(runs)]
    server_ms = _language_server_check(folder, single, work, runs)
    return {
        "folder": str(folder),
        "files": len(files),
        "megabytes": round(size / 1_000_000, 1),
        "cores": os.cpu_count(),
        "rules": [rule.id for rule in ALL_RULES],
        "parse_floor_s": round(floor, 2),
        "one_core_s": round(one_core, 2),
        "all_cores_s": round(all_cores, 2),
        "one_core_ratio": round(one_core / floor, 2),
        "one_core_cpu_ratio": round(one_core_cpu / floor_cpu, 2),
        "one_core_peak_mb": round(peak_kib * 1024 / 1_000_000),
        "all_cores_ratio": round(all_cores / floor, 2),
        "cached_rerun_s": round(cached, 2),
        "cached_ratio": round(cached / floor, 3),
        "edited_rerun_s": round(edited, 2),
        "edited_ratio": round(edited / floor, 3),
        "single_file_ms": round(statistics.median(latencies) * 1000),
        "single_file_bytes": single.stat().st_size,
        "server_check_ms": round(server_ms, 1),
    }


def _language_server_check(folder: Path, single: Path, work: Path, runs: int) -> float:
    """Median milliseconds of the language server's check of ``single`` once its project
    index is loaded (what ``NodeLeakLintServer.diagnostics`` runs: the document read from
    memory, the facts a dictionary lookup in the linked view). The index's cache goes to
    the work folder, never into the corpus."""
    from nodeleaklint import runner
    from nodeleaklint.project.index import ProjectIndex

    os.environ["NODELEAKLINT_CACHE_DIR"] = str(work / "server-cache")
    index = ProjectIndex()
    index.load(folder)
    data = single.read_bytes()
    times: list[float] = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        facts = index.facts_for(str(single))
        runner.run((), stdin=data, stdin_filename=str(single), force_exclude=True, project=facts)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:]) * 1000


def _cached_after_edit(folder: Path, edited: Path, config: Path, work: Path) -> float:
    """A cached re-run of a copy of ``folder`` after one of its files changed (a comment
    appended to ``edited``); the corpus itself is never written to."""
    copy = work / "edited-copy"
    shutil.copytree(folder, copy, symlinks=True)
    command = [sys.executable, "-m", "nodeleaklint", "check", str(copy), "--config", str(config)]
    command += ["--format", "json", "--exit-zero", "--cache-dir", str(work / "edited-cache")]
    timed(command)
    target = copy / edited.relative_to(folder)
    with target.open("a", encoding="utf-8") as handle:
        handle.write("\n// edited\n")
    return timed(command)


def report(r: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"corpus           {r['folder']}: {r['files']} files, {r['megabytes']} MB",
            f"rules            {', '.join(r['rules'])}",
            f"parse floor      {r['parse_floor_s']} s (tree-sitter only, one core)",
            f"--jobs 1         {r['one_core_s']} s ({r['one_core_ratio']}x the floor; CPU time "
            f"{r['one_core_cpu_ratio']}x the floor's), peak memory {r['one_core_peak_mb']} MB",
            f"all {r['cores']} cores      {r['all_cores_s']} s ({r['all_cores_ratio']}x the floor)",
            f"cached re-run    {r['cached_rerun_s']} s ({r['cached_ratio']}x the floor)",
            f"one file edited  {r['edited_rerun_s']} s ({r['edited_ratio']}x the floor, "
            "cached re-run after editing one file)",
            f"one file         {r['single_file_ms']} ms median of runs "
            f"({r['single_file_bytes']} bytes, process start included)",
            f"language server  {r['server_check_ms']} ms median of warm checks of that file "
            "(project index loaded)",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", nargs="?", type=Path, help="sources to measure")
    parser.add_argument("--runs", type=int, default=7, help="single-file runs (median)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs of the parse floor, one core, all cores and the cached re-run; each "
        "figure is the best",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    folder = args.folder
    if folder is None:
        folder = generate(Path(tempfile.mkdtemp(prefix="nodeleaklint-corpus-")))
    result = measure(folder.resolve(), args.runs, max(1, args.repeat))
    print(json.dumps(result, indent=2) if args.json else report(result))


if __name__ == "__main__":
    main()
