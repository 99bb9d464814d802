"""Run the official array-api-tests against ``brainunit_xp.<backend>`` and the bare backend.

    python array-api-tests-config/run.py --backend numpy --max-examples 20
    python array-api-tests-config/run.py --backend all --max-examples 100 --write-docs docs/conformance.md
    python array-api-tests-config/run.py --ci

The comparison mode runs the suite twice per backend — on the bare array-API namespace and on
ours — with the same settings and derandomized examples, and lists the failures the unit layer
*adds* (failed on ours, passed on bare); it exits 1 if there is any.  ``--ci`` runs ours on every
CPU backend with fast settings and the xfails as skips, re-runs any failure on the bare namespace,
and exits 1 on an added failure; without the suite it prints one line saying so and exits 0.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CONFIG = Path(__file__).resolve().parent
ROOT = CONFIG.parent
SUITE = tomllib.loads((CONFIG / "suite.toml").read_text())
BARE: dict[str, str] = SUITE["bare"]
CPU_BACKENDS = ("numpy", "jax", "torch", "dask", "ndonnx", "array_api_strict")
CI_ORDER = ("numpy", "array_api_strict", "torch", "ndonnx", "jax", "dask")  # cheapest first
CI_BUDGET = 1800.0  # seconds for all of --ci: CI's 90 minutes also hold install, pytest, the site, compat
FAILED = {"failed", "error"}
CACHE = Path.home() / ".cache" / "brainunit-xp"
RESULTS = CONFIG / "results.json"
DISTS = {"numpy": "numpy", "jax": "jax", "torch": "torch", "dask": "dask", "ndonnx": "ndonnx",
         "array_api_strict": "array-api-strict", "cupy": "cupy-cuda12x"}  # fmt: skip


# -- finding the suite ------------------------------------------------------------------------------


def pin(backend: str) -> dict[str, str]:
    """The suite pin for ``backend``: ndonnx has its own, the others share the default."""
    suite = SUITE["suite"]
    return {**{k: v for k, v in suite.items() if isinstance(v, str)}, **suite.get(backend, {})}


def suite_dir(backend: str) -> Path | None:
    """The checkout of the pinned suite for ``backend``, or None.

    ``ARRAY_API_TESTS_DIR`` names either a checkout of the suite at the default commit, or a
    folder holding checkouts named ``array-api-tests-<short commit>``; ndonnx's checkout may also
    be named by ``ARRAY_API_TESTS_NDONNX_DIR``.  The fallback folder is ~/.cache/brainunit-xp.
    """
    short = pin(backend)["commit"][:7]
    found = []
    if backend == "ndonnx" and os.environ.get("ARRAY_API_TESTS_NDONNX_DIR"):
        found.append(Path(os.environ["ARRAY_API_TESTS_NDONNX_DIR"]))
    if os.environ.get("ARRAY_API_TESTS_DIR"):
        base = Path(os.environ["ARRAY_API_TESTS_DIR"]).expanduser()
        if backend != "ndonnx":
            found.append(base)
        found.append(base / f"array-api-tests-{short}")
    found.append(CACHE / f"array-api-tests-{short}")
    for path in found:
        if (path / "array_api_tests").is_dir() and (path / "array-api" / "src").is_dir():
            return path
    return None


# -- running it ---------------------------------------------------------------------------------------


@dataclass
class Run:
    """The outcome of every test of one run of the suite."""

    outcomes: dict[str, str]
    messages: dict[str, str]
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for outcome in self.outcomes.values():
            key = "failed" if outcome in FAILED else outcome
            self.counts[key] = self.counts.get(key, 0) + 1

    @property
    def failed(self) -> set[str]:
        return {k for k, v in self.outcomes.items() if v in FAILED}

    def summary(self) -> str:
        keys = ("passed", "failed", "skipped", "xfailed", "xpassed")
        return ", ".join(f"{self.counts.get(k, 0)} {k}" for k in keys if self.counts.get(k) or k != "xpassed")


def read_list(path: Path) -> dict[str, str]:
    """``test id -> reason`` from an xfails/skips file; every entry must give a reason after ``#``."""
    entries: dict[str, str] = {}
    if not path.exists():
        return entries
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        test, _, reason = line.partition("#")
        if not reason.strip():
            raise SystemExit(f"{path}:{number}: every line needs a reason after '#': {line}")
        entries[test.strip()] = reason.strip()
    return entries


def run_suite(
    backend: str, module: str, *, max_examples: int, workers: str, seed: int | None, xfails: dict[str, str],
    skips: dict[str, str], xfail_mark: str = "xfail", ids: list[str] | None = None, timeout: float | None = None,
    shrink: bool = True,
) -> Run:  # fmt: skip
    """Run the pinned suite on ``module`` and collect the outcome of every test.

    Past ``timeout`` seconds the run is stopped, its workers too, and ``TimeoutExpired`` raised.
    ``shrink=False`` turns hypothesis' shrinking off: which tests fail is unchanged, only their
    reported example is not minimised."""
    suite = suite_dir(backend)
    assert suite is not None
    with tempfile.TemporaryDirectory() as tmp:
        report, xfails_file, skips_file = Path(tmp, "report.json"), Path(tmp, "xfails.txt"), Path(tmp, "skips.txt")
        xfails_file.write_text("".join(f"{t}\n" for t in xfails))
        skips_file.write_text("".join(f"{t}\n" for t in skips))
        command = [
            sys.executable, "-m", "pytest", *(ids or ["array_api_tests"]), "-q", "-p", "no:cacheprovider",
            "-p", "same_inputs",  # bare and ours draw the same inputs: see same_inputs.py
            "--max-examples", str(max_examples), "--disable-deadline", "-n", workers,
            "--xfails-file", str(xfails_file), "--skips-file", str(skips_file),
            "--json-report", f"--json-report-file={report}", "--json-report-omit", "keywords", "streams", "log",
            "traceback", "collectors", "warnings",
        ]  # fmt: skip
        command += ["--derandomize"] if seed is None else [f"--hypothesis-seed={seed}"]
        env = {
            **os.environ,
            "ARRAY_API_TESTS_MODULE": module,
            "ARRAY_API_TESTS_XFAIL_MARK": xfail_mark,
            "PYTHONPATH": os.pathsep.join([str(CONFIG), str(ROOT), os.environ.get("PYTHONPATH", "")]),
            "BRAINUNIT_XP_CONFORMANCE_BACKEND": backend,
            "JAX_PLATFORMS": os.environ.get("JAX_PLATFORMS", "cpu"),
            "BRAINUNIT_XP_CONFORMANCE_SHRINK": "1" if shrink else "0",
        }
        env.update(pin(backend).get("env", {}))
        if pin(backend).get("skip_dtypes"):
            env["ARRAY_API_TESTS_SKIP_DTYPES"] = pin(backend)["skip_dtypes"]
        start = time.perf_counter()
        # a session of its own, so that a timeout stops the xdist workers too
        process = subprocess.Popen(
            command, cwd=suite, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        seconds = time.perf_counter() - start
        if not report.exists():
            raise SystemExit(f"array-api-tests did not run for {module}: {' '.join(command)}")
        data = json.loads(report.read_text())
    outcomes, messages = {}, {}
    for test in data.get("tests", []):
        outcomes[test["nodeid"]] = test["outcome"]
        for stage in ("call", "setup", "teardown"):
            crash = (test.get(stage) or {}).get("crash")
            if crash:
                messages[test["nodeid"]] = crash["message"].strip().splitlines()[0][:160]
                break
    return Run(outcomes, messages, seconds)


def installed(backend: str) -> bool:
    try:
        importlib.import_module(BARE[backend])
    except Exception:
        return False
    if backend == "cupy":
        import cupy

        try:
            return cupy.cuda.runtime.getDeviceCount() > 0
        except Exception:
            return False
    return True


def lists(backend: str) -> tuple[dict[str, str], dict[str, str]]:
    return read_list(CONFIG / "xfails" / f"{backend}.txt"), read_list(CONFIG / "skips" / f"{backend}.txt")


def matches(test: str, entry: str) -> bool:
    """Does xfails/skips ``entry`` cover ``test``?  As the suite's ``check_id_match`` decides."""
    return (
        test == entry
        or test.startswith(entry.removesuffix("/") + "/")
        or (entry.endswith(".py") and test.startswith(entry))
        or test.split("::", 1)[0] == entry
        or test.split("[", 1)[0] == entry
    )


def suite_settings(args: argparse.Namespace) -> dict:
    """The hypothesis and xdist settings of ``run_suite`` that the command line chose."""
    return {"max_examples": args.max_examples, "workers": args.workers, "seed": args.seed, "shrink": args.shrink}


def recheck(
    backend: str, bare: Run, suspects: set[str], skips: dict[str, str], args: argparse.Namespace,
    tries: int = 8, deadline: float = float("inf"),
) -> Run:  # fmt: skip
    """Re-run ``suspects`` on the bare namespace — at the same settings (same draws) unless ``bare``
    already ran them so, then with 10x the examples — up to ``tries`` runs in all and until
    ``deadline`` (a perf_counter time): a test that fails there is the backend's failure, one that
    never does is added by the units."""
    outcomes, messages, seconds = dict(bare.outcomes), dict(bare.messages), bare.seconds
    for attempt in range(tries):
        suspects = {t for t in suspects if outcomes.get(t) not in FAILED}
        if not suspects or time.perf_counter() >= deadline:
            break
        factor = 10 if attempt or bare.outcomes else 1
        try:
            more = run_suite(
                backend, BARE[backend], max_examples=factor * args.max_examples, workers=args.workers,
                seed=args.seed, xfails={}, skips=skips, ids=sorted(suspects), timeout=deadline - time.perf_counter(),
                shrink=args.shrink,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            break
        outcomes.update({t: o for t, o in more.outcomes.items() if o in FAILED})
        messages.update(more.messages)
        seconds += more.seconds
    return Run(outcomes, messages, seconds)


# -- modes ----------------------------------------------------------------------------------------------


def compare(args: argparse.Namespace, backends: list[str]) -> int:
    """Bare vs ours on each backend; report added failures; optionally rewrite xfails and docs."""
    status = 0
    for backend in backends:
        xfails, skips = lists(backend)
        settings = suite_settings(args)
        known = xfails if args.skip_xfails else {}  # failures both share: skipped on both, not shrunk
        bare = run_suite(backend, BARE[backend], xfails=known, skips=skips, xfail_mark="skip", **settings)
        if args.fast:  # what bare fails cannot be a failure the units add: skip it on ours
            known = {**known, **{t: "bare fails" for t in bare.failed}}
        ours = run_suite(backend, f"brainunit_xp.{backend}", xfails=known, skips=skips, xfail_mark="skip", **settings)
        bare = recheck(backend, bare, ours.failed - bare.failed, skips, args)
        added = sorted(ours.failed - bare.failed)
        unmatched = (
            [] if known else sorted(e for e in xfails if not any(matches(t, e) for t in bare.failed & ours.failed))
        )
        print(f"{backend}: bare {BARE[backend]}: {bare.summary()} [{bare.seconds:.0f} s]")
        print(f"{backend}: brainunit_xp.{backend}: {ours.summary()} [{ours.seconds:.0f} s]")
        print(f"{backend}: failures added by units: {len(added)}")
        for test in added:
            print(f"  ADDED {test}: {ours.messages.get(test, '')}")
        for entry in unmatched:
            print(f"  note: xfail no longer failing on both at these settings: {entry}")
        status |= bool(added)
        if args.update_xfails:  # with --skip-xfails the listed entries were not run: they stay
            both = sorted(bare.failed if args.fast else bare.failed & ours.failed)
            header = (
                f"# {backend}: tests that fail on the bare namespace, {BARE[backend]}"
                + (" (--fast: not run on ours)" if args.fast else f", as well as on brainunit_xp.{backend}")
                + f";\n# each reason is the bare failure. Written by run.py --update-xfails (max-examples "
                f"{args.max_examples});\n# an entry may only cover a failure the bare backend has.\n"
            )
            keep = {
                e: r
                for e, r in xfails.items()
                if e not in both and (args.skip_xfails or any(matches(t, e) for t in bare.failed))
            }
            body = [f"{t}  # bare fails too: {bare.messages.get(t, 'failed')}" for t in both]
            body += [f"{e}  # {r}" for e, r in keep.items()]
            path = CONFIG / "xfails" / f"{backend}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(header + "".join(f"{line}\n" for line in sorted(body)))
        if args.write_docs:
            record(backend, bare, ours, len(added), len(xfails), args)
    if args.write_docs:
        Path(args.write_docs).write_text(docs())
        print(f"wrote {args.write_docs} (from {RESULTS.relative_to(ROOT)})")
    return status


def record(backend: str, bare: Run, ours: Run, added: int, xfails: int, args: argparse.Namespace) -> None:
    """Keep this backend's numbers in results.json, from which docs/conformance.md is written."""
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[backend] = {
        "version": version(DISTS[backend]),
        "suite": pin(backend)["commit"][:7],
        "spec": pin(backend)["spec_commit"][:7],
        "max_examples": args.max_examples,
        "seed": args.seed,
        "workers": args.workers,
        "xfails_skipped": bool(args.skip_xfails),
        "bare_failures_skipped_on_ours": bool(args.fast),
        "shrink": args.shrink,
        "date": datetime.date.today().isoformat(),
        "python": sys.version.split()[0],
        "array_api_compat": version("array-api-compat"),
        "bare": bare.counts,
        "ours": ours.counts,
        "added": added,
        "xfails": xfails,
        "seconds": [round(bare.seconds), round(ours.seconds)],
        **({"env": " ".join(f"{k}={v}" for k, v in pin(backend)["env"].items())} if pin(backend).get("env") else {}),
    }
    RESULTS.write_text(json.dumps(dict(sorted(results.items())), indent=1) + "\n")


def ci(args: argparse.Namespace) -> int:
    """Fast conformance of every installed CPU backend within ``args.budget`` seconds; 1 on a failure
    the units add.  Backends run cheapest first; one the budget does not reach says so plainly."""
    present = [b for b in CI_ORDER if installed(b) and suite_dir(b) is not None]
    missing = [b for b in CI_ORDER if suite_dir(b) is None]
    if not present:
        print(
            "conformance: SKIPPED — the array-api-tests suite was not found (set ARRAY_API_TESTS_DIR; "
            "see array-api-tests-config/README.md)"
        )
        return 0
    if missing:
        print(f"conformance: no suite checkout for {', '.join(missing)}; those backends are skipped")
    for backend in sorted(set(CI_ORDER) - set(present) - set(missing)):
        print(f"conformance {backend}: not installed; skipped")
    deadline = time.perf_counter() + args.budget
    status = 0
    for backend in present:
        xfails, skips = lists(backend)
        settings = suite_settings(args)
        try:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise subprocess.TimeoutExpired("array-api-tests", args.budget)
            ours = run_suite(
                backend, f"brainunit_xp.{backend}", xfails=xfails, skips=skips, xfail_mark="skip", timeout=left,
                **settings,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            print(
                f"conformance {backend}: NOT CHECKED — the --ci budget of {args.budget:.0f} s ran out; run "
                f"`python array-api-tests-config/run.py --backend {backend} --max-examples {args.max_examples}`"
            )
            continue
        added: list[str] = []
        if ours.failed:  # was it the units? re-run exactly those tests on the bare namespace
            bare = recheck(backend, Run({}, {}, 0.0), ours.failed, skips, args, tries=3, deadline=deadline)
            added = sorted(ours.failed - bare.failed)
            for test in sorted(ours.failed - set(added)):
                print(f"  note ({backend}): bare fails too, not in xfails/{backend}.txt: {test}")
        print(
            f"conformance {backend}: {ours.summary()} (xfails skipped) "
            f"[{ours.seconds:.0f} s]; failures added by units: {len(added)}"
        )
        for test in added:
            print(f"  ADDED {test}: {ours.messages.get(test, '')}")
        status |= bool(added)
    return status


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def docs() -> str:
    """docs/conformance.md: bare vs ours per backend, with the suite commit and the settings."""
    results = json.loads(RESULTS.read_text())
    lines = [
        "# Conformance",
        "",
        "<!-- written by `python array-api-tests-config/run.py ... --write-docs docs/conformance.md` from",
        "     array-api-tests-config/results.json; do not edit -->",
        "",
        "The official [array-api-tests](https://github.com/data-apis/array-api-tests) suite, run on each",
        "bare array-API namespace and on the unit-aware `brainunit_xp.<backend>` namespace that wraps it,",
        "with the same settings and the same derandomized examples (`same_inputs.py` gives both runs the",
        "same hypothesis constants and seeds the special-case draws). *Added* counts the tests that fail on",
        "ours and pass on the bare namespace: failures the unit layer would add. The suite only builds",
        "dimensionless arrays, so these runs check that units cost nothing where there are none;",
        "`tests/test_conformance_units.py` repeats the suite's checks with units.",
        "",
        "| backend | version | suite (spec) | examples | bare: passed | failed | skipped | ours: passed | "
        "failed | skipped | added | xfails | run |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for backend, r in results.items():
        b, o = r["bare"], r["ours"]
        examples = str(r["max_examples"]) + ("" if r["seed"] is None else f", seed {r['seed']}")
        lines.append(
            f"| {backend} | {r['version']} | `{r['suite']}` (`{r['spec']}`) | {examples} | {b.get('passed', 0)} | "
            f"{b.get('failed', 0)} | {b.get('skipped', 0)} | {o.get('passed', 0)} | {o.get('failed', 0)} | "
            f"{o.get('skipped', 0)} | **{r['added']}** | {r['xfails']}"
            + (" (skipped on both)" if r["xfails_skipped"] else "")
            + (" (bare failures skipped on ours)" if r.get("bare_failures_skipped_on_ours") else "")
            + ("" if r.get("shrink", True) else " (no shrinking)")
            + (f" (`{r['env']}`)" if r.get("env") else "")
            + f" | {r['date']} |"
        )
    lines += [
        "",
        "Settings: `--disable-deadline`, pytest-xdist, hypothesis `--derandomize` unless a seed is shown;",
        "jax runs with `JAX_ENABLE_X64=1`, as JAX's own array-API CI does (in its default 32-bit mode,",
        "the *jax (32-bit)* row, bare jax fails a quarter of the suite only because float64 is asked",
        "for and float32 comes back, so those tests check nothing for us);",
        "ndonnx runs the older suite commit without complex dtypes (ndonnx has none); dask runs with",
        "`BRAINUNIT_XP_COMPUTE_LAZY=1` (the suite reads values of lazy arrays). Where the xfails",
        "are marked *skipped on both*, the failures that bare and ours already share (found at fewer",
        "examples) were skipped on both runs, so that hypothesis does not spend the run shrinking them;",
        "where *bare failures skipped on ours*, ours did not run the tests that bare had just failed",
        "(they cannot be failures the units add), so ours' failed count is 0 by construction there.",
        "Where *no shrinking*, hypothesis' shrink phase was off on both runs (`--no-shrink`): the same",
        "examples are drawn and the same tests fail, only a failure's example is not minimised.",
        "`.ci/run` repeats this for every CPU backend at 10 examples with the xfails skipped",
        "(`run.py --ci`).",
        "Each shared failure is listed, with the bare failure as its reason, in",
        "`array-api-tests-config/xfails/<backend>.txt`. cupy needs a CUDA GPU; its configuration",
        "(`--backend cupy`) is ready and runs where one is present.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", action="append", help="backend to run (repeatable), or 'all'")
    parser.add_argument("--max-examples", type=int, default=None, help="hypothesis examples per test")
    parser.add_argument("--workers", default="auto", help="pytest-xdist workers (default: auto)")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: derandomized)")
    parser.add_argument("--ci", action="store_true", help="fast run of every CPU backend, xfails as skips")
    parser.add_argument(
        "--budget", type=float, default=CI_BUDGET, help=f"seconds for all of --ci (default {CI_BUDGET:.0f})"
    )
    parser.add_argument("--update-xfails", action="store_true", help="rewrite xfails/<backend>.txt")
    parser.add_argument("--write-docs", metavar="PATH", help="record results.json; write docs/conformance.md")
    parser.add_argument(
        "--fast", action="store_true", help="run bare first and skip on ours what bare fails (saves shrinking)"
    )
    parser.add_argument(
        "--skip-xfails", action="store_true", help="skip the known shared failures on both runs (saves shrinking)"
    )
    parser.add_argument(
        "--no-shrink", dest="shrink", action="store_false", help="turn hypothesis' shrinking off on both runs"
    )
    args = parser.parse_args()
    if args.ci:
        args.max_examples = args.max_examples or 10
        return ci(args)
    args.max_examples = args.max_examples or 20
    names = args.backend or ["numpy"]
    backends = list(CPU_BACKENDS) if "all" in names else names
    for backend in backends:
        if backend not in BARE:
            parser.error(f"unknown backend {backend!r}; choose from {', '.join(BARE)} or 'all'")
        if suite_dir(backend) is None:
            parser.error(
                f"array-api-tests at {pin(backend)['commit'][:7]} not found; see array-api-tests-config/README.md"
            )
    return compare(args, backends)


if __name__ == "__main__":
    sys.exit(main())
