"""Ctrl-C ends a parallel run at once: status 130, one line, no traceback, no worker left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BLOCK = """\
const {{ EventEmitter }} = require('events');
const bus{n} = new EventEmitter();
const seen{n} = new Map();
function handler{n}(req, res) {{
  bus{n}.on('tick', () => res.write(String(req.id) + '{n}'));
  seen{n}.set(req.id, {{ at: Date.now(), body: req.body, n: {n} }});
  setInterval(() => res.write('.'), 1000);
  return new Promise(() => {{}});
}}
module.exports.handler{n} = handler{n};
"""


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command may hold spaces and parentheses: the fields follow the last ')'.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if state[state.rindex(")") + 2] != "Z":
            alive.append(pid)
    return alive


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_ctrl_c_ends_a_parallel_run_within_a_second(tmp_path: Path) -> None:
    for index in range(240):
        body = "".join(BLOCK.format(n=index * 100 + k) for k in range(60))
        (tmp_path / f"m{index:03}.js").write_text(body, encoding="utf-8")
    # Standard error goes to a file, as to a terminal: the shell waits for the command, not
    # for every process that inherited the stream to close it (multiprocessing's resource
    # tracker may outlive the command by a moment, and a pipe's reader would wait for it).
    errors = (tmp_path / "stderr.txt").open("w+b")
    process = subprocess.Popen(
        [sys.executable, "-m", "nodeleaklint", "check", "--no-cache", "--jobs", "2", "."],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=errors,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while len(workers) < 2 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
            workers = _children(process.pid)
        assert len(workers) >= 2, "the run never started its workers"
        time.sleep(0.3)  # the workers are busy checking
        assert process.poll() is None, "the run ended before it could be interrupted"
        interrupted = time.monotonic()
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole group
        process.wait(timeout=10)
        took = time.monotonic() - interrupted
        errors.seek(0)
        stderr = errors.read()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        errors.close()
    assert process.returncode == 130
    assert took < 1.0
    assert "Traceback" not in stderr.decode()
    assert stderr.decode().strip() == "nodeleaklint: interrupted"
    time.sleep(0.2)
    assert _alive(workers) == []
