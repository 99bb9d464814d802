"""The cost of ``import brainunit_xp`` on top of ``import numpy``, in fresh interpreters."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ImportCost", "measure"]

ROOT = Path(__file__).resolve().parent.parent
BASE = "import numpy"
OURS = "import numpy, brainunit_xp"
HEAVY = ("jax", "jaxlib", "torch")
_LOADED = "import numpy, brainunit_xp, sys, json; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"


@dataclass(frozen=True)
class ImportCost:
    """Medians (and bests) of the wall time of fresh interpreters, in seconds."""

    base_median: float
    ours_median: float
    base_best: float
    ours_best: float
    runs: int
    #: heavy libraries (jax, torch) that ``import brainunit_xp`` brought in
    heavy_loaded: list[str]
    #: brainunit_xp's cumulative import time and the largest self times under it (-X importtime)
    cumulative: float
    top_self: list[tuple[str, float]]

    @property
    def delta(self) -> float:
        return self.ours_median - self.base_median


def _env() -> dict[str, str]:
    """Our checkout first on the path; bytecode caches written (as an installed wheel has them, like
    numpy's), even where PYTHONDONTWRITEBYTECODE is set: else every run would recompile us."""
    path = os.environ.get("PYTHONPATH")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | {"PYTHONPATH": str(ROOT) + (os.pathsep + path if path else "")}


def _python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], env=_env(), cwd=ROOT, capture_output=True, text=True, check=True)


def _wall(code: str) -> float:
    start = time.perf_counter()
    _python("-c", code)
    return time.perf_counter() - start


def _importtime() -> tuple[float, list[tuple[str, float]]]:
    """brainunit_xp's cumulative import time and the 5 largest self times of what it imports."""
    lines = _python("-X", "importtime", "-c", OURS).stderr.splitlines()
    rows = []
    for line in lines:
        if not line.startswith("import time:") or "|" not in line or "[us]" in line:
            continue
        self_us, cumulative_us, name = (part.strip() for part in line[len("import time:") :].split("|"))
        rows.append((name, int(self_us) / 1e6, int(cumulative_us) / 1e6))
    end_of_numpy = next(i for i, row in enumerate(rows) if row[0] == "numpy")
    ours = rows[end_of_numpy + 1 :]  # everything after numpy is brainunit_xp's import tree
    cumulative = next(c for name, _, c in ours if name == "brainunit_xp")
    top = sorted(((name, s) for name, s, _ in ours), key=lambda row: -row[1])[:5]
    return cumulative, top


def measure(runs: int) -> ImportCost:
    """Time ``runs`` fresh interpreters of each kind, alternating, after one warm-up of each."""
    _wall(BASE), _wall(OURS)  # write bytecode caches, warm the file cache
    base: list[float] = []
    ours: list[float] = []
    for i in range(runs):
        pair = ((BASE, base), (OURS, ours))
        for code, times in pair if i % 2 == 0 else pair[::-1]:
            times.append(_wall(code))
    loaded = json.loads(_python("-c", _LOADED).stdout)
    cumulative, top = _importtime()
    return ImportCost(
        base_median=statistics.median(base),
        ours_median=statistics.median(ours),
        base_best=min(base),
        ours_best=min(ours),
        runs=runs,
        heavy_loaded=[m for m in HEAVY if m in loaded],
        cumulative=cumulative,
        top_self=top,
    )
