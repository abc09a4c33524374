"""This process's CPU time and memory, as the timings and debug logs of long passes report them."""

from __future__ import annotations

import os
import resource

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def cpu_seconds() -> float:
    """This process's CPU time and that of its finished children (the worker processes of
    `ingest --jobs` and of `link run`)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def resident_mib() -> float:
    """Resident memory now (Linux; 0 where /proc is missing): a step's own use shows here,
    where the peak so far hides it behind an earlier step's."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE / 2**20
    except OSError:  # pragma: no cover - not Linux
        return 0.0


def peak_mib() -> float:
    """The most resident memory this process has held so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
