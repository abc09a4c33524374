"""Shared by the benchmarks: scratch stores, synthetic feeds, and timing a child process."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from kinsight import testing

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def machine() -> str:
    cores = os.cpu_count()
    with open("/proc/meminfo") as handle:
        mem_kb = int(handle.readline().split()[1])
    return (
        f"{platform.processor() or platform.machine()}, {cores} cores, "
        f"{mem_kb / 1024 / 1024:.0f} GiB, Python {platform.python_version()}"
    )


@dataclass
class Run:
    seconds: float
    peak_mib: float
    returncode: int
    stdout: str
    # The child's own CPU seconds (user + system): on a shared machine, what a quiet core would
    # take. With PostgreSQL the server's work is not in it.
    cpu_seconds: float = 0.0


def run_measured(args: list[str], env: dict[str, str]) -> Run:
    """Run a child process; return its wall time and its own peak resident memory."""
    start = time.perf_counter()
    child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert child.stdout is not None
    stdout = child.stdout.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    return Run(
        seconds,
        usage.ru_maxrss / 1024,
        os.waitstatus_to_exitcode(status),
        stdout,
        usage.ru_utime + usage.ru_stime,
    )


def synth_feeds(families: int, seed: int = 1) -> list[Path]:
    """A synthetic population as feeds, written once and reused."""
    out = OUT / f"synth-{families}-{seed}"
    if not (out / "truth.json").exists():
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "kinsight", "synth", "--families", str(families),
             "--seed", str(seed), "--out", str(out)],
            check=True, env=base_env(),
        )  # fmt: skip
    return sorted(out.glob("*.jsonl"))


def count_events(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with path.open("rb") as handle:
            total += sum(1 for line in handle if b'"kind": "event"' in line)
    return total


def base_env() -> dict[str, str]:
    return {**os.environ, "KINSIGHT_ENV": "test"}


class ScratchStore(testing.ScratchStore):
    """A new, migrated store for a benchmark, made as the test suite makes its scratch stores;
    with `path` (SQLite only), in that file rather than a scratch one."""

    def __init__(self, backend: str, path: Path | None = None) -> None:
        if path is not None and backend != "sqlite":
            raise SystemExit("a kept store (--store) is SQLite only")
        OUT.mkdir(parents=True, exist_ok=True)
        super().__init__(
            OUT, "bench", postgres=backend == "postgres", path=path.resolve() if path else None
        )
        self.backend = backend
        subprocess.run([sys.executable, "-m", "kinsight", "migrate"], env=self.env(), check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
