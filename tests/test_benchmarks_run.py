"""Smoke test of the benchmarks: ``benchmarks/run.py --quick`` completes and reports every row.

There is no timing assertion here: a benchmark is not a timed test.  The numbers are in
docs/performance.md, produced by ``python benchmarks/run.py --write-docs docs/performance.md``.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPERATORS = ("a + b  [m + m]", "a * b  [m * s]", "a + b  [m + cm]")
FUNCTIONS = (
    "sin(x)  [dimensionless]",
    "sum(x)  [m]",
    "matmul(x, y)  [m, m; 1-D]",
    "where(c, x, y)  [m, m]",
    "einsum('i,i->', x, y)  [m, m]",
    "concatenate([x, y])  [m, m]",
    "nanmean(x)  [m]",
    "allclose(x, y)  [m, m]",
)
SIZES = (10, 1_000_000)
EXPECTED = {
    *(f"operators/{name}/{n}" for name in OPERATORS for n in SIZES),
    *(f"numpy namespace/{name}/{n}" for name in FUNCTIONS for n in SIZES),
    *(f"jax backend/{name}/{n}" for name in OPERATORS + FUNCTIONS for n in SIZES),
    "jax jit dispatch/jit(f)(x, y)  [m + cm]/1000",
    "jax jit dispatch/jit(f)(x, y)  [m + cm; node floor]/1000",
    *(f"torch backend/{name}/10" for name in OPERATORS),
}
#: rows that run only where a CUDA GPU is usable
GPU_ROWS = {
    f"gpu/{lib}: {name}/10000000"
    for lib in ("cupy", "torch-cuda", "jax-gpu")
    for name in ("a + b  [m + cm]", "sum(x)  [m]", "matmul(x, y)  [m, m; 1-D]")
}


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def test_quick_benchmark_reports_every_row(tmp_path: Path) -> None:
    out_json, out_doc = tmp_path / "results.json", tmp_path / "performance.md"
    cmd = [sys.executable, "benchmarks/run.py", "--quick", "--json", str(out_json), "--write-docs", str(out_doc)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-4000:]

    data = json.loads(out_json.read_text())
    rows = {row["id"]: row for row in data["rows"]}
    assert set(rows) - GPU_ROWS == EXPECTED and set(rows) & GPU_ROWS <= GPU_ROWS
    for row in rows.values():
        assert row["ours"] > 0 and row["ref"] > 0 and math.isfinite(row["ratio"]), row
        assert row["case"] in proc.stdout
        if row["group"] == "operators":  # plain arithmetic works in every units library
            for lib in ("jax", "pint", "astropy", "unyt"):
                assert (row["others"][lib] is not None) == _installed(lib), (row["id"], lib)
        if row["size"] == SIZES[-1] and row["group"] != "jax backend":
            assert row["memory"]["ours"] is not None and row["memory"]["ref"] is not None, row

    cost = data["import"]
    assert cost["runs"] == data["settings"]["import_runs"] and cost["ours_median"] > 0
    assert cost["base_median"] > 0 and cost["cumulative"] > 0
    assert len(data["dask_graph"]) == 5 and all(c["passed"] for c in data["dask_graph"]), data["dask_graph"]
    headings = ("## operators", "## numpy namespace", "## jax backend", "## jax jit dispatch", "## torch backend")
    for heading in (*headings, "## gpu", "## dask graph size", "## peak memory", "## import time"):
        assert heading in proc.stdout
        assert heading in out_doc.read_text()
    assert "targets met" in proc.stdout
