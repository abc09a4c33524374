"""This process's CPU time and memory, as the timings and debug logs of long passes report them."""

from __future__ import annotations

import ctypes
import gc
import os
import resource
import sys

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


def release_free_memory() -> None:
    """Hand back to the system the memory a finished pass has freed but the allocators keep.

    The ingest's passes run one after another in one process: memory the link pass freed stays
    with glibc's allocator (and Arrow's pool) while the text and rules passes take new memory of
    their own, so each pass's leftovers add to the next pass's peak (docs/performance.md).
    """
    gc.collect()
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is not None:
        pyarrow.default_memory_pool().release_unused()
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return
    trim(0)
