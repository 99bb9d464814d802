"""Measurement primitives: interleaved best-of-N timing and peak traced memory.

Every statement of a comparison is timed in the same process, in rounds: each round times each
statement once (``number`` loops, calibrated so that one sample lasts about ``sample`` seconds),
rotating the order so that no statement always runs first.  The best (minimum) per-loop time over
the rounds is the estimate: noise on a shared machine only ever adds time.
"""

from __future__ import annotations

import gc
import math
import statistics
import timeit
import tracemalloc
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Timing", "compare", "peak_bytes"]


@dataclass(frozen=True)
class Timing:
    """Seconds per call of one statement, one sample per round."""

    samples: tuple[float, ...]

    @property
    def best(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def _calibrate(timer: timeit.Timer, sample: float) -> int:
    """Loops per sample so that one sample takes about ``sample`` seconds."""
    timer.timeit(1)  # warm-up: lazy imports, jit compilation, caches
    number = 1
    while True:
        elapsed = timer.timeit(number)
        if elapsed >= sample / 8:
            return max(1, math.ceil(number * sample / elapsed))
        number *= 8


def compare(stmts: Mapping[str, str], namespace: dict[str, Any], *, rounds: int, sample: float) -> dict[str, Timing]:
    """Time each statement (evaluated in ``namespace``), interleaved round by round."""
    timers = {key: timeit.Timer(stmt, globals=namespace) for key, stmt in stmts.items()}
    numbers = {key: _calibrate(timer, sample) for key, timer in timers.items()}
    samples: dict[str, list[float]] = {key: [] for key in timers}
    keys = list(timers)
    for r in range(rounds):
        shift = r % len(keys)
        for key in keys[shift:] + keys[:shift]:
            samples[key].append(timers[key].timeit(numbers[key]) / numbers[key])
    return {key: Timing(tuple(s)) for key, s in samples.items()}


def peak_bytes(expr: str, namespace: dict[str, Any]) -> int:
    """Peak memory traced by :mod:`tracemalloc` while evaluating ``expr`` (its result included).

    numpy reports its array buffers to tracemalloc, so this counts every temporary array that the
    expression allocates; jax and torch buffers are not seen.
    """
    code = compile(expr, "<bench>", "eval")
    eval(code, namespace)  # warm-up, outside the trace
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        result = eval(code, namespace)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del result
    return peak - base
