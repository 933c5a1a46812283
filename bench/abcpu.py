"""CPU time of the per-file check of two versions of nodeleaklint, side by side.

    python bench/abcpu.py BASE_DIR HEAD_DIR [FOLDER] [--step 3] [--rounds 2] [--chunks 40]

BASE_DIR and HEAD_DIR each hold a ``nodeleaklint`` package (``git archive REV nodeleaklint
| tar -x -C DIR`` makes one). Each version runs in its own worker process (two versions in
one process would mix: some modules import others inside functions, and those imports
find whichever version was loaded last). The workers read every ``step``-th checkable file
of FOLDER (default: the pinned npm corpus), then check the same chunk of files in turn,
the order alternating per chunk, for ``rounds`` passes; each reports the CPU time of
``check_and_summarize`` (the summary included, as a command-line run builds it). Load
from other processes on a shared machine slows both workers alike, so the ratio holds
where wall-clock figures do not (A/A runs read within 0.5%).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = "/tmp/nodeleaklint-ecosystem"
CONFIG = "exclude = []\nrespect-gitignore = false\n"


def _worker(code: str, folder: str, step: int, chunks: int) -> None:
    """Load the version in ``code``; answer each chunk number read from stdin with the CPU
    seconds its files took."""
    sys.path.insert(0, code)
    from nodeleaklint.config import ConfigResolver
    from nodeleaklint.discovery import SourcePath, iter_source_files
    from nodeleaklint.engine import check_and_summarize
    from nodeleaklint.rules import ALL_RULES

    loaded = sys.modules["nodeleaklint"].__file__ or ""
    assert loaded.startswith(code), f"loaded {loaded}, not the version in {code}"
    with tempfile.TemporaryDirectory() as temp:
        config = Path(temp) / "nodeleaklint.toml"
        config.write_text(CONFIG)
        resolver = ConfigResolver(config)
        items = [
            item
            for item in iter_source_files([folder], resolver.for_folder)
            if isinstance(item, SourcePath)
            and os.path.getsize(item.path) <= item.config.max_file_size
        ][::step]
    files = [(item, Path(item.path).read_bytes()) for item in items]
    rules = list(ALL_RULES)
    print(len(files), flush=True)
    for line in sys.stdin:
        start = time.process_time()
        for item, data in files[int(line) :: chunks]:
            check_and_summarize(item.path, data, item.config, rules)
        print(time.process_time() - start, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", help="folder holding the baseline's nodeleaklint package")
    parser.add_argument("head", help="folder holding the compared nodeleaklint package")
    parser.add_argument("folder", nargs="?", default=CORPUS, help="sources to check")
    parser.add_argument("--step", type=int, default=3, help="check every STEP-th file")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the files")
    parser.add_argument("--chunks", type=int, default=40, help="files per turn: 1/CHUNKS")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker, args.folder, args.step, args.chunks)
        return
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                args.base,
                args.head,
                args.folder,
                "--worker",
                code,
                "--step",
                str(args.step),
                "--chunks",
                str(args.chunks),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=tempfile.gettempdir(),  # not a folder with a nodeleaklint package in it
        )
        for code in (str(Path(args.base).resolve()), str(Path(args.head).resolve()))
    ]
    counts = [worker.stdout.readline().strip() for worker in workers if worker.stdout]
    seconds = [0.0, 0.0]
    for turn in range(args.rounds):
        for chunk in range(args.chunks):
            for index in (0, 1) if (chunk + turn) % 2 == 0 else (1, 0):
                worker = workers[index]
                assert worker.stdin is not None and worker.stdout is not None
                worker.stdin.write(f"{chunk}\n")
                worker.stdin.flush()
                seconds[index] += float(worker.stdout.readline())
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.close()
        worker.wait()
    print(
        f"files {counts[0]}, rounds {args.rounds}: base {seconds[0]:.2f} s CPU, "
        f"head {seconds[1]:.2f} s CPU, head/base {seconds[1] / seconds[0]:.4f}"
    )


if __name__ == "__main__":
    main()
