"""Run the brainunit_xp benchmarks and print a markdown report.

    python benchmarks/run.py                  # full run (about two minutes)
    python benchmarks/run.py --quick          # seconds: a smoke run, timings are rough
    python benchmarks/run.py --write-docs docs/performance.md --json results.json

Every number is a ratio measured in this one process (import times: in fresh interpreters),
so results compare across machines better than absolute times do.  See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: one thread per library (unless set otherwise): multithreaded BLAS and XLA kernels on a small shared
#: machine make even the reference times bimodal, and per-call overhead is what is measured here
THREADS = {
    "JAX_PLATFORMS": "cpu",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
}
for _key, _value in THREADS.items():
    os.environ.setdefault(_key, _value)
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # the sibling modules, and the brainunit_xp of this checkout

import importtime  # noqa: E402
from cases import (  # noqa: E402
    CASES,
    COUNTS,
    GPU_SIZE,
    GROUPS,
    OTHERS,
    SIZES,
    Case,
    gpu_namespace,
    namespace,
    versions,
)
from timing import compare, peak_bytes  # noqa: E402

IMPORT_TARGET = 0.060  # seconds on top of `import numpy`
#: memory target: no extra temporary of the full size (a quarter of one array is the slack)
MEMORY_SLACK = 0.25
X = "\N{MULTIPLICATION SIGN}"


@dataclass(frozen=True)
class Settings:
    rounds: int  # interleaved rounds; the best round counts
    sample: float  # seconds per timed sample
    import_runs: int  # fresh interpreters of each kind


FULL = Settings(rounds=25, sample=0.02, import_runs=15)
QUICK = Settings(rounds=3, sample=0.002, import_runs=3)


@dataclass
class Row:
    id: str
    group: str
    case: str
    size: int
    ours: float  # seconds per call (best of rounds)
    ref: float
    ratio: float  # best / best
    #: median over the rounds of ours / ref within a round: a noise check on ``ratio``
    paired: float
    target: float
    #: other libraries' time as a ratio to the reference; None where not available
    others: dict[str, float | None] = field(default_factory=dict)
    #: peak traced memory in bytes: "ours", "ref" and the others (memory cases only)
    memory: dict[str, int | None] = field(default_factory=dict)
    memory_ok: bool | None = None
    passed: bool = False
    #: seconds per call, one sample per round, for each statement
    samples: dict[str, list[float]] = field(default_factory=dict)


@dataclass
class CountRow:
    """Tasks in a dask graph: ours and the bare expression's (units must add none)."""

    case: str
    ours: int
    ref: int

    @property
    def passed(self) -> bool:
        return self.ours == self.ref


def count_tasks(ns: dict) -> list[CountRow]:
    return [CountRow(c.name, len(dict(eval(c.ours, ns).__dask_graph__())), len(dict(eval(c.ref, ns).__dask_graph__())))
            for c in COUNTS]  # fmt: skip


def count_table(rows: list[CountRow]) -> list[str]:
    out = ["| case | ours | bare | result |", "|---|---|---|---|"]
    out += [f"| `{r.case}` | {r.ours} | {r.ref} | {_verdict(r.passed)} |" for r in rows]
    return out


def _error(stmt: str, ns: dict) -> str | None:
    """Why ``stmt`` fails, or None if it runs."""
    try:
        eval(stmt, ns)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def run_case(case: Case, ns: dict, missing: dict[str, str], settings: Settings) -> Row:
    errors = {lib: missing.get(lib) or _error(stmt, ns) for lib, stmt in case.others.items()}
    for lib, why in errors.items():
        if why and lib not in missing:
            print(f"note: {case.id}: {lib} fails ({why}); its cell is empty", file=sys.stderr)
    stmts = {"ours": case.ours, "ref": case.ref} | {k: v for k, v in case.others.items() if not errors[k]}
    times = compare(stmts, ns, rounds=settings.rounds, sample=settings.sample)
    ours, ref = times["ours"].best, times["ref"].best
    paired = statistics.median(o / r for o, r in zip(times["ours"].samples, times["ref"].samples, strict=True))
    others = {lib: times[lib].best / ref if lib in times else None for lib in case.others}
    row = Row(case.id, case.group, case.name, case.size, ours, ref, ours / ref, paired, case.target, others)
    row.samples = {k: list(t.samples) for k, t in times.items()}
    if case.memory:
        row.memory = {k: peak_bytes(v, ns) for k, v in stmts.items() if k != "jax"}
        row.memory_ok = row.memory["ours"] <= row.memory["ref"] + MEMORY_SLACK * case.size * 8
    row.passed = row.ratio <= case.target and row.memory_ok is not False
    return row


# -- formatting -------------------------------------------------------------------------------------


def _t(seconds: float) -> str:
    for unit, factor in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= factor:
            return f"{seconds / factor:.3g} {unit}"
    return f"{seconds * 1e9:.3g} ns"


def _x(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.2f}{X}"


def _mib(n: int | None) -> str:
    return "—" if n is None else f"{n / 2**20:.2f}"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else "pass" if ok else "**FAIL**"


def _size(n: int) -> str:
    return f"{n:,}"


def timing_table(rows: list[Row], group: str) -> list[str]:
    rows = [r for r in rows if r.group == group]
    if not rows:
        return ["Not measured here (the library or the GPU it needs is missing)."]
    others = [lib for lib in OTHERS if any(lib in r.others for r in rows)]
    head = ["case", "n", "ours", "reference", "ratio", "paired", "target", "result", *others]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [f"`{r.case}`", _size(r.size), _t(r.ours), _t(r.ref), f"**{r.ratio:.3f}{X}**", f"{r.paired:.3f}{X}"]
        cells += [f"≤ {r.target:g}{X}", _verdict(r.passed), *(_x(r.others.get(lib)) for lib in others)]
        out.append("| " + " | ".join(cells) + " |")
    return out


def memory_table(rows: list[Row]) -> list[str]:
    rows = [r for r in rows if r.memory]
    libs = [lib for lib in OTHERS if any(lib in r.memory for r in rows)]
    head = ["case", "group", "ours", "reference", "extra", "result", *libs]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        m = r.memory
        extra = _mib(m["ours"] - m["ref"]) if m["ours"] is not None and m["ref"] is not None else "—"
        cells = [f"`{r.case}`", r.group, _mib(m["ours"]), _mib(m["ref"]), extra, _verdict(r.memory_ok)]
        out.append("| " + " | ".join(cells + [_mib(m.get(lib)) for lib in libs]) + " |")
    return out


def import_table(cost: importtime.ImportCost) -> list[str]:
    top = ", ".join(f"{name} {s * 1e3:.1f} ms" for name, s in cost.top_self)
    heavy = ", ".join(cost.heavy_loaded) or "none"
    return [
        "| check | ours | reference | value | target | result |",
        "|---|---|---|---|---|---|",
        f"| `{importtime.OURS}` vs `{importtime.BASE}` (median of {cost.runs}) | {_t(cost.ours_median)} "
        f"| {_t(cost.base_median)} | **+{_t(cost.delta)}** | ≤ +{_t(IMPORT_TARGET)} "
        f"| {_verdict(cost.delta <= IMPORT_TARGET)} |",
        f"| same, best of {cost.runs} | {_t(cost.ours_best)} | {_t(cost.base_best)} "
        f"| +{_t(cost.ours_best - cost.base_best)} | — | — |",
        f"| heavy libraries imported by `import brainunit_xp` | {heavy} | — | — | none of jax, torch "
        f"| {_verdict(not cost.heavy_loaded)} |",
        "",
        f"`-X importtime`: brainunit_xp {_t(cost.cumulative)} cumulative; largest self times under it: {top}.",
    ]


def report(rows: list[Row], cost: importtime.ImportCost, settings: Settings, counts: list[CountRow]) -> str:
    lines = [
        f"`ours`, `reference`: best time per call over {settings.rounds} interleaved rounds. `ratio` = ours / "
        "reference; the targets apply to it. `paired` = the median over the rounds of the ratio within a round, "
        "a noise check: where it differs from `ratio` by more than a few percent, the row was noisy. `jax`, "
        "`pint`, `astropy`, `unyt`: the same operation with the same shapes and dtype (float64) in that "
        "library, its best time divided by the reference's. Lower is better.",
        "",
    ]
    for group, title in GROUPS.items():
        lines += [f"## {group}", "", f"{title}.", "", *timing_table(rows, group), ""]
    if counts:
        lines += [
            "## dask graph size",
            "",
            f"Tasks in the dask graph of {_size(SIZES[-1])} elements in 10 chunks; bare: the same expression on "
            "dask arrays with the conversion factors written out. Units must add no task.",
            "",
            *count_table(counts),
            "",
        ]
    lines += [
        f"## peak memory at {_size(SIZES[-1])} elements (MiB, tracemalloc)",
        "",
        "Peak memory traced while one call runs, its result included; `extra` = ours - reference. The "
        f"target: no extra full-size temporary (extra ≤ {MEMORY_SLACK:g} of one {_size(SIZES[-1])}-element "
        "float64 array).",
        "",
        *memory_table(rows),
        "",
        "## import time",
        "",
        *import_table(cost),
        "",
    ]
    checks = [*rows, *counts, cost]
    failed = [r.id for r in rows if not r.passed] + [f"dask graph/{c.case}" for c in counts if not c.passed]
    if cost.delta > IMPORT_TARGET or cost.heavy_loaded:
        failed.append("import")
    lines.append(f"**{len(checks) - len(failed)} of {len(checks)} targets met.**")
    if failed:
        lines.append("Missed: " + "; ".join(f"`{f}`" for f in failed) + ".")
    return "\n".join(lines) + "\n"


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        git = ["git", "-C", str(HERE.parent)]
        rev = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "brainunit_xp"], capture_output=True, text=True, check=False
        ).stdout
        rev += " (brainunit_xp/ has uncommitted changes)" if dirty.strip() else ""
    except OSError:
        rev = "unknown"
    libs = ", ".join(f"{k} {v}" for k, v in versions().items())
    return [
        f"- machine: {cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; {libs}",
        f"- brainunit_xp revision: {rev}",
        "- threads: " + ", ".join(f"`{k}={os.environ[k]}`" for k in THREADS if k != "JAX_PLATFORMS"),
    ]


def docs(body: str, settings: Settings, command: str) -> str:
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            "# Performance",
            "",
            f"Generated by `{command}` on {when} (best of {settings.rounds} interleaved rounds of "
            f"~{settings.sample * 1e3:g} ms per statement). How to run and read it: "
            "`benchmarks/README.md`.",
            "",
            *machine(),
            "",
            body,
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a few rounds of short samples: seconds, not minutes")
    parser.add_argument("--write-docs", metavar="PATH", help="also write the report as a markdown page")
    parser.add_argument("--json", metavar="PATH", help="also write every measurement as JSON")
    parser.add_argument(
        "--group",
        action="append",
        choices=list(GROUPS),
        help="only these groups (repeatable); skips the import time and the dask graph table",
    )
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL

    rows: list[Row] = []
    counts: list[CountRow] = []
    setups = {"cpu": namespace, "gpu": gpu_namespace}
    cases = [c for c in CASES if not args.group or c.group in args.group]
    for setup, size in sorted({(c.setup, c.size) for c in cases}):
        if setup == "gpu" and size != GPU_SIZE:
            continue
        ns, missing = setups[setup](size)
        for lib, why in missing.items():
            print(f"note: {lib} {why}; its column or rows are empty", file=sys.stderr)
        for case in cases:
            if case.setup == setup and case.size == size and case.requires not in missing:
                rows.append(run_case(case, ns, missing, settings))
                print(f"  {case.id}: {rows[-1].ratio:.2f}{X}", file=sys.stderr, flush=True)
        if setup == "cpu" and size == SIZES[-1] and "dask" not in missing and not args.group:
            counts = count_tasks(ns)
        del ns
    order = {group: i for i, group in enumerate(GROUPS)}
    rows.sort(key=lambda r: (order[r.group], r.size))
    if args.group:
        print("\n".join(line for group in args.group for line in [f"### {group}", "", *timing_table(rows, group), ""]))
        return 0
    cost = importtime.measure(settings.import_runs)
    body = report(rows, cost, settings, counts)
    print(body)
    if args.write_docs:
        command = "python benchmarks/run.py" + (" --quick" if args.quick else "")
        Path(args.write_docs).write_text(docs(body, settings, command))
    if args.json:
        data = {
            "settings": asdict(settings),
            "rows": [asdict(r) for r in rows],
            "dask_graph": [asdict(c) | {"passed": c.passed} for c in counts],
            "import": asdict(cost),
        }
        Path(args.json).write_text(json.dumps(data, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
