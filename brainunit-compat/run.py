"""Run brainunit's own test suite (from the pinned saiunit 0.6.0 wheel) on brainunit_xp.

    python brainunit-compat/run.py                 # run, compare with expectations.txt
    python brainunit-compat/run.py --ci            # the same within a time budget, one summary line
    python brainunit-compat/run.py --update --write-docs   # rewrite expectations.txt and the docs page

The wheel is downloaded (sha256-checked) into a cache outside the repository, its ``*_test.py``
files are copied there with their ``saiunit`` / ``brainunit`` imports rewritten to brainunit_xp
(``bxp_compat.py``: a name we lack fails only the tests that use it), and pytest runs them on our
interpreter and package.  Every test that does not pass must be listed in ``expectations.txt`` with
its reason (``missing:``, ``design:`` or ``env:``); a failure that is not listed fails the run, and
a listed test that passes is reported (and fails the run with ``--strict``).
"""

from __future__ import annotations

import argparse
import ast
import collections
import datetime
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

CONFIG = Path(__file__).resolve().parent
ROOT = CONFIG.parent
SETTINGS = tomllib.loads((CONFIG / "compat.toml").read_text())
PIN = SETTINGS["brainunit"]
EXPECTATIONS = CONFIG / "expectations.txt"
RESULTS = CONFIG / "results.json"
DOCS = ROOT / "docs" / "brainunit-compat.md"
MIGRATING = "docs/migrating-from-brainunit.md"
CLASSES = ("missing", "design", "env")
FAILED = {"failed", "error"}
SUITE = f"{PIN['dist']} {PIN['version']}"
LACKS = "brainunit_xp lacks"  # as bxp_compat.LACKS
PRIVATE = "a name private to brainunit"  # as bxp_compat.PRIVATE
PUBLIC = ("saiunit", "saiunit.math", "saiunit.linalg", "saiunit.fft", "saiunit.lax", "saiunit.autograd",
          "saiunit.sparse", "saiunit.constants", "saiunit.typing")  # fmt: skip


def cache_dir() -> Path:
    """Where the wheels, the unpacked suite and its rewritten copy live: ``$BRAINUNIT_COMPAT_DIR``,
    else ``brainunit-xp-compat`` in the system's temporary folder.  Never inside the repository."""
    path = Path(os.environ.get("BRAINUNIT_COMPAT_DIR") or Path(tempfile.gettempdir()) / "brainunit-xp-compat")
    return path.expanduser().resolve()


# -- getting the suite ---------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def download(dist: str, version: str, wheel: str, digest: str, folder: Path, python: str | None = None) -> Path:
    """The pinned wheel in ``folder``, downloaded from PyPI with pip if absent; its sha256 checked."""
    path = folder / wheel
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", str(folder)]
        command += ["--python-version", python] if python else []
        done = subprocess.run([*command, f"{dist}=={version}"], capture_output=True, text=True, check=False)
        if done.returncode or not path.exists():
            raise FileNotFoundError(
                f"pip download {dist}=={version} failed: {(done.stderr or done.stdout).strip()[-300:]}"
            )
    if sha256(path) != digest:
        raise ValueError(f"{path}: sha256 {sha256(path)} is not the pinned {digest} (compat.toml)")
    return path


def unpack(wheel: Path, folder: Path) -> Path:
    """The wheel unzipped into ``folder`` (once; a marker file records which wheel it holds)."""
    marker = folder / ".from-wheel"
    if not (marker.exists() and marker.read_text() == sha256(wheel)):
        shutil.rmtree(folder, ignore_errors=True)
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(folder)
        marker.write_text(sha256(wheel))
    return folder


def fetch(wheel: Path | None = None) -> tuple[Path, list[Path]]:
    """The unpacked saiunit package folder and the folders of the test dependencies (downloading
    what the cache lacks).  Raises ``FileNotFoundError`` when a wheel cannot be had."""
    cache = cache_dir()
    if wheel is None:
        wheel = download(
            PIN["dist"], PIN["version"], PIN["wheel"], PIN["sha256"], cache / "wheels", PIN["python_version"]
        )
    elif sha256(wheel) != PIN["sha256"]:
        raise ValueError(f"{wheel}: sha256 {sha256(wheel)} is not the pinned {PIN['sha256']} (compat.toml)")
    package = unpack(wheel, cache / f"{PIN['dist']}-{PIN['version']}") / PIN["dist"]
    deps = []
    for dep in SETTINGS.get("dependency", []):
        path = download(dep["dist"], dep["version"], dep["wheel"], dep["sha256"], cache / "wheels")
        deps.append(unpack(path, cache / "deps" / f"{dep['dist']}-{dep['version']}"))
    return package, deps


# -- saiunit's layout, read statically from the wheel -----------------------------------------------------


def module_files(package: Path) -> dict[str, Path]:
    """``dotted module name -> file`` for every module of the saiunit package (tests excluded)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        if path.name.endswith("_test.py"):
            continue
        parts = [package.name, *path.relative_to(package).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


class Layout:
    """saiunit's modules, the names each binds at top level and each one's ``__all__``, found by
    reading the sources (saiunit 0.6.0 cannot be imported on 3.11, and we would not want to)."""

    def __init__(self, package: Path) -> None:
        self.files = module_files(package)
        self._bound: dict[str, set[str]] = {}
        self._all: dict[str, list[str]] = {}

    def relative(self, module: str, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        base = module.split(".")
        if self.files[module].name != "__init__.py":
            base = base[:-1]
        base = base[: len(base) - node.level + 1]
        return ".".join(base + ([node.module] if node.module else []))

    def _statements(self, module: str) -> list[ast.stmt]:
        body, out = ast.parse(self.files[module].read_text()).body, []
        while body:
            node = body.pop(0)
            out.append(node)
            if isinstance(node, ast.If | ast.Try):  # `if HAS_JAX:` / `try: import ...` at top level
                body[:0] = [
                    *node.body,
                    *getattr(node, "orelse", []),
                    *[s for h in getattr(node, "handlers", []) for s in h.body],
                ]
        return out

    def bound(self, module: str) -> set[str]:
        """Every name ``module`` binds at top level (imports, assignments, defs, star imports)."""
        if module in self._bound:
            return self._bound[module]
        self._bound[module] = names = set()
        for node in self._statements(module):
            if isinstance(node, ast.Import):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                source = self.relative(module, node)
                for alias in node.names:
                    if alias.name == "*":
                        names.update(self.all(source) if source in self.files else ())
                    else:
                        names.add(alias.asname or alias.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
        prefix = module + "."
        names.update(m[len(prefix) :] for m in self.files if m.startswith(prefix) and "." not in m[len(prefix) :])
        return names

    def all(self, module: str) -> list[str]:
        """``module.__all__`` as far as it can be evaluated statically, else its public names."""
        if module in self._all:
            return self._all[module]
        self._all[module] = []  # a cycle reads as empty
        env: dict[str, list[str]] = {}
        value: list[str] | None = None
        for node in self._statements(module):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name == "__all__" and self.relative(module, node) in self.files:
                        env[alias.asname or alias.name] = self.all(self.relative(module, node))
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
            ):
                value = self._evaluate(node.value, env)
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == "__all__":
                value = (value or []) + (self._evaluate(node.value, env) or [])
            elif (
                isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Attribute) and isinstance(node.value.func.value, ast.Name)
                and node.value.func.value.id == "__all__" and node.value.func.attr in ("extend", "append")
            ):  # fmt: skip
                arg = node.value.args[0] if node.value.args else None
                more = [arg.value] if isinstance(arg, ast.Constant) else self._evaluate(arg, env) if arg else []
                value = (value or []) + (more or [])
        if value is None:
            value = sorted(n for n in self.bound(module) if not n.startswith("_"))
        self._all[module] = value
        return value

    def _evaluate(self, node: ast.expr | None, env: dict[str, list[str]]) -> list[str] | None:
        if isinstance(node, ast.List | ast.Tuple):
            return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return (self._evaluate(node.left, env) or []) + (self._evaluate(node.right, env) or [])
        if isinstance(node, ast.Name):
            return env.get(node.id)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("list", "tuple", "sorted")
        ):
            return self._evaluate(node.args[0], env) if node.args else []
        return None

    def as_json(self) -> dict[str, object]:
        """What bxp_compat reads: the module names, each public module's public names, and the
        names of ``from <module> import *`` for every module."""
        public = {
            m: sorted(n for n in self.bound(m) | set(self.all(m)) if not n.startswith("_"))
            for m in PUBLIC
            if m in self.files
        }
        return {"modules": sorted(self.files), "public": public, "star": {m: self.all(m) for m in self.files}}


# -- rewriting the imports --------------------------------------------------------------------------------

PROLOGUE = "import bxp_compat as _bxp; from bxp_compat import getattr, hasattr"
SAIUNIT = ("saiunit", "brainunit")
OPTIONAL = ("brainstate",)  # as bxp_compat.OPTIONAL


def _import_statement(node: ast.Import | ast.ImportFrom) -> str | None:
    """The replacement of one import statement, or None when it imports nothing of ours."""
    if isinstance(node, ast.Import):
        parts = []
        for alias in node.names:
            root = alias.name.split(".")[0]
            if root in SAIUNIT:
                target = alias.name if alias.asname else root
                parts.append(f"{alias.asname or root} = _bxp.module({target!r})")
            elif root in OPTIONAL:
                target = alias.name if alias.asname else root
                parts.append(f"{alias.asname or root} = _bxp.optional({target!r})")
            else:
                parts.append(f"import {alias.name}" + (f" as {alias.asname}" if alias.asname else ""))
        return "; ".join(parts) if len(parts) != sum(p.startswith("import ") for p in parts) else None
    if node.level or not node.module:
        return None
    root = node.module.split(".")[0]
    if root not in (*SAIUNIT, *OPTIONAL):
        return None
    if [a.name for a in node.names] == ["*"]:
        return f"globals().update(_bxp.star({node.module!r}))"
    targets = ", ".join(a.asname or a.name for a in node.names)
    wanted = ", ".join(repr(a.name) for a in node.names)
    function = "names" if root in SAIUNIT else "optional_names"
    return f"{targets}, = _bxp.{function}({node.module!r}, {wanted})"


def rewrite(source: str) -> str:
    """``source`` with every import of saiunit / brainunit (and brainstate) replaced by bxp_compat
    calls, line for line (a statement of several lines keeps its first line; the rest go blank),
    so that tracebacks point at the same lines as the original."""
    tree = ast.parse(source)
    lines = source.encode().split(b"\n")
    edits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom) and (text := _import_statement(node)) is not None:
            edits.append((node.lineno, node.col_offset, node.end_lineno or node.lineno, node.end_col_offset or 0, text))
    if not edits:
        return source
    for start, col, end, end_col, text in sorted(edits, reverse=True):
        first, last = lines[start - 1], lines[end - 1]
        lines[start - 1] = first[:col] + text.encode() + last[end_col:]
        for i in range(start, end):
            lines[i] = b""
    plain = b"\n".join(lines).decode()
    # the prologue: after the docstring / __future__ imports, on the same line; else before line 1
    anchor = None
    for node in tree.body:
        if (isinstance(node, ast.ImportFrom) and node.module == "__future__") or (
            node is tree.body[0] and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        ):
            anchor = node
    if anchor is not None:
        line = lines[anchor.end_lineno - 1]  # type: ignore[operator]
        lines[anchor.end_lineno - 1] = (
            line[: anchor.end_col_offset] + b"; " + PROLOGUE.encode() + line[anchor.end_col_offset :]
        )  # type: ignore[index,operator]
    else:
        lines[0] = PROLOGUE.encode() + b"; " + lines[0]
    result = b"\n".join(lines).decode()
    try:
        ast.parse(result)
    except SyntaxError:  # e.g. line 1 opens a compound statement: the prologue gets a line of its own
        result = PROLOGUE + "\n" + plain
        ast.parse(result)
    return result


#: the folder of the rewritten test files (their ids start with it); not `saiunit/`, which would be
#: a package of that name, nor the bare folders, whose `math/` would shadow the standard library
TESTS = "saiunit_tests"
PYTEST_INI = """\
# written by brainunit-compat/run.py: brainunit's test files, imports rewritten to brainunit_xp
[pytest]
python_files = *_test.py
addopts = --import-mode=importlib -p bxp_compat -p no:cacheprovider
filterwarnings = ignore::DeprecationWarning
"""


def prepare(package: Path, out: Path) -> Path:
    """The rewritten copy of the suite in ``out``: ``*_test.py`` files with their imports rewritten
    (under ``saiunit_tests/``), layout.json for bxp_compat, a pytest.ini of its own."""
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(package.rglob("*_test.py")):
        target = out / TESTS / path.relative_to(package)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(rewrite(path.read_text()))
    (out / "layout.json").write_text(json.dumps(Layout(package).as_json(), indent=0))
    (out / "pytest.ini").write_text(PYTEST_INI)
    return out


# -- running it ---------------------------------------------------------------------------------------------


@dataclass
class Run:
    """Every test's outcome: ``nodeid -> {"outcome", "message", "lacks", "seen"}``."""

    tests: dict[str, dict]
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.counts = dict(collections.Counter(t["outcome"] for t in self.tests.values()))

    @property
    def failed(self) -> set[str]:
        return {k for k, v in self.tests.items() if v["outcome"] in FAILED}

    @property
    def passed(self) -> set[str]:
        return {k for k, v in self.tests.items() if v["outcome"] in ("passed", "xfailed", "xpassed")}


def run_suite(suite: Path, deps: list[Path], *, workers: str, files: list[str] | None = None,
              timeout: float | None = None, log: Path | None = None) -> Run:  # fmt: skip
    """pytest on the rewritten suite (our interpreter, our package, JAX on the CPU); past
    ``timeout`` seconds it is stopped, its workers too, and ``TimeoutExpired`` raised."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp, "report.json")
        command = [sys.executable, "-m", "pytest", *(files or [TESTS]), "-c", str(suite / "pytest.ini"),
                   "--rootdir", str(suite), "-q", "-n", workers, "-p", "no:randomly"]  # fmt: skip
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(CONFIG), str(ROOT), *map(str, deps), os.environ.get("PYTHONPATH", "")]),
            "JAX_PLATFORMS": os.environ.get("JAX_PLATFORMS", "cpu"),
            "BXP_COMPAT_REPORT": str(report),
            "BXP_COMPAT_LAYOUT": str(suite / "layout.json"),
            "MPLBACKEND": "Agg",
        }
        start = time.perf_counter()
        with open(log or os.devnull, "w") as out:
            process = subprocess.Popen(
                command, cwd=suite, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise
        seconds = time.perf_counter() - start
        if not report.exists():
            raise RuntimeError(f"pytest did not run brainunit's suite (exit {process.returncode}): {' '.join(command)}")
        return Run(json.loads(report.read_text()), seconds)


# -- expectations -----------------------------------------------------------------------------------------


def read_expectations(path: Path = EXPECTATIONS) -> dict[str, str]:
    """``test id (or a file / class prefix) -> reason``; each line ``<id>  # <class>: <reason>``."""
    entries: dict[str, str] = {}
    if not path.exists():
        return entries
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        test, sep, reason = line.partition("  # ")
        reason = reason.strip()
        if not sep or not reason:
            raise SystemExit(f"{path}:{number}: every line needs a reason after '  # ': {line}")
        kind = reason.split(":", 1)[0]
        if kind not in CLASSES:
            raise SystemExit(
                f"{path}:{number}: a reason starts with one of {', '.join(c + ':' for c in CLASSES)}: {line}"
            )
        if kind == "design" and f"({MIGRATING}#" not in reason:
            raise SystemExit(f"{path}:{number}: a design reason links its section of {MIGRATING}: {line}")
        if test.strip() in entries:
            raise SystemExit(f"{path}:{number}: listed twice: {test.strip()}")
        entries[test.strip()] = reason
    return entries


def covers(entry: str, test: str) -> bool:
    """Does expectations ``entry`` cover ``test``: the test itself, or its file, class, or function
    with every parametrization."""
    return test == entry or test.startswith((entry + "::", entry + "["))


def reason_for(test: str, expectations: dict[str, str]) -> str | None:
    if test in expectations:
        return expectations[test]
    return next((r for e, r in expectations.items() if covers(e, test)), None)


def kind(reason: str) -> str:
    return reason.split(":", 1)[0]


#: our classes whose missing attributes name what we lack (``'COO' object has no attribute 'x'``)
OUR_CLASSES = {
    **{c: f"brainunit_xp.{c}" for c in ("Quantity", "Unit", "Dimension", "DimensionMismatchError", "UnitError")},
    **{c: f"brainunit_xp.sparse.{c}" for c in ("COO", "CSR", "CSC", "BCOO", "BCSR")},
}


def derive(result: dict, rules: list[dict] | None = None) -> str | None:
    """The reason for a failure where it can be told from the failure itself: a name brainunit_xp
    lacks, a brainunit-private name, an absent test dependency, a method our Quantity / Unit lack;
    then the hand-written ``[[reason]]`` rules of compat.toml (first match); else None."""
    message = result.get("message", "")
    lacks = list(result.get("lacks") or [])
    found = re.search(rf"{LACKS} (\S+)", message)
    label = found.group(1).rstrip(",") if found else lacks[0] if lacks else None
    if label is not None and (PRIVATE in message or label.startswith("saiunit.")):
        return f"design: tests a name private to brainunit ({label}) ({MIGRATING}#private-names)"
    if label is not None and label.startswith("brainunit_xp"):
        return f"missing: {label}"
    absent = re.search(r"needs (\w+), which is not installed here", message)
    if absent:
        return f"env: needs {absent.group(1)}, a test dependency of brainunit that imports brainunit itself"
    attribute = re.search(r"(?:'|type object ')(\w+)'(?: object)? has no attribute '(\w+)'", message)
    if attribute and attribute.group(1) in OUR_CLASSES:
        label = f"{OUR_CLASSES[attribute.group(1)]}.{attribute.group(2)}"
        name = attribute.group(2)
        if name.startswith("_") and not (name.endswith("__") or name.startswith("_repr_")):  # protocols are public
            return f"design: tests a name private to brainunit ({label}) ({MIGRATING}#private-names)"
        return f"missing: {label}"
    module = re.search(r"module '(brainunit_xp[\w.]*)' has no attribute '(\w+)'", message)
    if module:
        return f"missing: {module.group(1)}.{module.group(2)}"
    for rule in rules if rules is not None else SETTINGS.get("reason", []):
        if re.search(rule.get("match", ""), message) and re.search(rule.get("test", ""), result.get("id", "")):
            return rule["reason"]
    return None


def stale(reason: str) -> bool:
    """Does ``reason`` say brainunit_xp lacks a name (``missing: brainunit_xp.math.exprel``) that it has now?"""
    found = re.fullmatch(r"missing: brainunit_xp((?:\.\w+)*)", reason)
    if found is None:
        return False
    obj: object = importlib.import_module("brainunit_xp")
    for part in found.group(1).split(".")[1:]:
        if not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return True


def update(expectations: dict[str, str], run: Run, ran_all: bool) -> tuple[dict[str, str], list[str]]:
    """The new expectations: existing entries (with their reasons) that still cover a failure, and
    every other failure with its derived reason; plus the failures no reason could be derived for.
    Entries for tests this run did not reach stay, unless it ran the whole suite; an entry whose
    reason is a name brainunit_xp has now (:func:`stale`) is dropped, and its failures told again."""
    new: dict[str, str] = {}
    unknown = []
    dropped = {}
    for entry, reason in expectations.items():
        if stale(reason):  # what it named exists now: the failure's reason is told again, below
            dropped[entry] = reason
            continue
        covered = [t for t in run.tests if covers(entry, t)]
        if any(t in run.failed for t in covered) or (not covered and not ran_all):
            new[entry] = reason
    for test in sorted(run.failed):
        if reason_for(test, new) is None:
            reason = derive({"id": test, **run.tests[test]})
            was = next((r for e, r in dropped.items() if covers(e, test)), None)
            if reason is None and was is not None:
                name = was.split(": ", 1)[1]
                reason = f"missing: a difference not yet classified ({name}, its earlier reason, exists now)"
            if reason is None:
                unknown.append(test)
            else:
                new[test] = reason
    return new, unknown


def write_expectations(entries: dict[str, str], path: Path = EXPECTATIONS) -> None:
    """One line per entry, grouped by reason (env, design, missing; then the reason), a comment
    with the count heading each group."""
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for test, reason in entries.items():
        groups[reason].append(test)
    lines = [
        f"# brainunit's own tests ({SUITE} wheel) on brainunit_xp: every test that does not pass, with its",
        "# reason. `missing: <name>` brainunit_xp does not have it yet; `design: <why> (<section of",
        f"# {MIGRATING}>)` a deliberate difference; `env: <why>` this environment cannot run it.",
        "# An entry covers a test id, or every test under a file / class / function id.",
        "# Written by `python brainunit-compat/run.py --update` (which keeps the reasons of existing entries).",
    ]
    order = sorted(groups, key=lambda r: (CLASSES.index(kind(r)), r))
    for reason in order:
        lines += ["", f"# {reason} [{len(groups[reason])}]"]
        lines += [f"{test}  # {reason}" for test in sorted(groups[reason])]
    path.write_text("\n".join(lines) + "\n")


# -- reporting ---------------------------------------------------------------------------------------------


@dataclass
class Comparison:
    unexpected: list[str]  # failed, not listed
    now_passing: list[str]  # listed (exactly), passed
    stale: list[str]  # listed, matched no test of a run of the whole suite
    reasons: dict[str, str]  # failed test -> its listed reason


def compare(run: Run, expectations: dict[str, str], ran_all: bool) -> Comparison:
    reasons = {t: r for t in sorted(run.failed) if (r := reason_for(t, expectations)) is not None}
    unexpected = sorted(run.failed - set(reasons))
    now_passing = sorted(t for t in run.passed if reason_for(t, expectations) is not None)
    stale = sorted(e for e in expectations if ran_all and not any(covers(e, t) for t in run.tests))
    return Comparison(unexpected, now_passing, stale, reasons)


def file_of(test: str) -> str:
    return test.split("::", 1)[0]


def missing_names(run: Run, reasons: dict[str, str]) -> list[tuple[str, int, int]]:
    """``(name, tests it blocks, tests that touch it)`` for every name listed as ``missing:``, most
    blocking first: *blocks* counts the failures whose reason it is (the first lacking name the
    test used), *touches* the tests that resolved it to a placeholder at all."""
    blocks = collections.Counter(r.removeprefix("missing: ") for r in reasons.values() if kind(r) == "missing")
    touches = collections.Counter(label for t in run.tests.values() for label in t.get("seen") or [])
    names = set(blocks) | {n for n in touches if n.startswith("brainunit_xp")}
    return sorted(((n, blocks[n], touches[n]) for n in names), key=lambda x: (-x[1], -x[2], x[0]))


def summary(run: Run, comparison: Comparison) -> dict[str, object]:
    classes = collections.Counter(kind(r) for r in comparison.reasons.values())
    per_file: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for test, result in run.tests.items():
        counts = per_file[file_of(test)]
        counts["collected"] += result["outcome"] != "error" or "::" in test
        outcome = result["outcome"]
        if outcome in FAILED:
            outcome = "expected" if test in comparison.reasons else "unexpected"
        counts[outcome] += 1
    return {
        "collected": sum(c["collected"] for c in per_file.values()),
        "counts": dict(sorted(run.counts.items())),
        "expected": {c: classes.get(c, 0) for c in CLASSES},
        "unexpected": len(comparison.unexpected),
        "now_passing": len(comparison.now_passing),
        "files": {f: dict(sorted(c.items())) for f, c in sorted(per_file.items())},
        "top_missing": [list(x) for x in missing_names(run, comparison.reasons)[:40]],
    }


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def record(run: Run, comparison: Comparison, workers: str) -> dict[str, object]:
    results = {
        "suite": f"{SUITE} wheel, sha256 {PIN['sha256'][:12]}",
        "date": datetime.date.today().isoformat(),
        "python": sys.version.split()[0],
        "jax": version("jax"),
        "workers": workers,
        "seconds": round(run.seconds),
        **summary(run, comparison),
    }
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    return results


def docs(results: dict | None = None) -> str:
    """docs/brainunit-compat.md, from results.json."""
    r = results or json.loads(RESULTS.read_text())
    counts, expected = r["counts"], r["expected"]
    lines = [
        "# brainunit's own tests",
        "",
        "<!-- written by `python brainunit-compat/run.py --write-docs` from brainunit-compat/results.json;",
        "     do not edit -->",
        "",
        f"brainunit's own test suite — the {len(r['files'])} `*_test.py` files of the {r['suite'].split(',')[0]} —",
        "run on brainunit_xp: their `saiunit` / `brainunit` imports are rewritten to ours, and a name we",
        "lack fails only the tests that use it (`brainunit-compat/README.md`). Every test that does not pass",
        "is listed in `brainunit-compat/expectations.txt` with its reason: **missing** (brainunit_xp does not",
        "have it yet), **design** (a deliberate difference, explained in",
        f"[migrating from brainunit]({MIGRATING.removeprefix('docs/')})) or **env** (this environment cannot run it).",
        "",
        f"{r['date']}, {r['suite']}, Python {r['python']}, jax {r['jax']}, `-n {r['workers']}`, {r['seconds']} s:",
        "",
        "| collected | passed | failed: missing | design | env | unexpected | skipped |",
        "|---|---|---|---|---|---|---|",
        f"| {r['collected']} | {counts.get('passed', 0) + counts.get('xfailed', 0) + counts.get('xpassed', 0)} | "
        f"{expected['missing']} | {expected['design']} | {expected['env']} | **{r['unexpected']}** | "
        f"{counts.get('skipped', 0)} |",
        "",
        "Per file (*expected*: failures listed in expectations.txt; a file whose import fails counts as one):",
        "",
        "| file | collected | passed | expected | unexpected | skipped |",
        "|---|---|---|---|---|---|",
    ]
    for name, c in r["files"].items():
        passed = c.get("passed", 0) + c.get("xfailed", 0) + c.get("xpassed", 0)
        lines.append(
            f"| `{name}` | {c.get('collected', 0)} | {passed} | {c.get('expected', 0)} | "
            f"{c.get('unexpected', 0)} | {c.get('skipped', 0)} |"
        )
    lines += [
        "",
        "## What to build next",
        "",
        "The names brainunit_xp lacks, by the number of tests each one blocks (the first lacking name a",
        "failing test used) and touches (the tests that reached it at all):",
        "",
        "| name | blocks | touches |",
        "|---|---|---|",
        *[f"| `{name}` | {blocks} | {touches} |" for name, blocks, touches in r["top_missing"]],
        "",
        "Skipped tests are skipped by brainunit's suite itself (cupy without a GPU, a library it",
        "does not find). `.ci/run` runs all of it (`run.py --ci`, within a time budget).",
        "",
    ]
    return "\n".join(lines)


# -- modes ---------------------------------------------------------------------------------------------------


def report(run: Run, comparison: Comparison, strict: bool, verbose: bool = True) -> int:
    classes = collections.Counter(kind(r) for r in comparison.reasons.values())
    skipped = run.counts.get("skipped", 0)
    passed = len(run.passed)
    print(
        f"brainunit-compat {SUITE} tests: {passed} passed, {len(comparison.reasons)} failing as expected "
        f"({', '.join(f'{classes.get(c, 0)} {c}' for c in CLASSES)}), {skipped} skipped [{run.seconds:.0f} s]; "
        f"unexpected failures: {len(comparison.unexpected)}; listed but passing: {len(comparison.now_passing)}"
    )
    for test in comparison.unexpected:
        print(f"  UNEXPECTED {test}: {run.tests[test]['message']}")
    if verbose or strict:
        for test in comparison.now_passing:
            print(f"  NOW PASSES {test} (listed: {reason_for(test, read_expectations())})")
        for entry in comparison.stale:
            print(f"  STALE {entry}: no such test")
    return int(bool(comparison.unexpected) or (strict and bool(comparison.now_passing or comparison.stale)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", help="test files or ids of the suite to run (default: all)")
    parser.add_argument("--ci", action="store_true", help="CI: within --budget seconds, one summary line")
    parser.add_argument("--budget", type=float, default=SETTINGS["ci"]["budget"], help="seconds for --ci")
    parser.add_argument("-n", "--workers", default=None, help="pytest-xdist workers (default: compat.toml [ci])")
    parser.add_argument("--strict", action="store_true", help="a listed test that passes fails the run too")
    parser.add_argument("--update", action="store_true", help="rewrite expectations.txt from this run")
    parser.add_argument("--write-docs", action="store_true", help="record results.json, write docs/brainunit-compat.md")
    parser.add_argument("--wheel", type=Path, help="use this saiunit wheel instead of downloading it")
    parser.add_argument("--log", type=Path, help="write pytest's output here")
    parser.add_argument("--keep", action="store_true", help="keep the rewritten suite (its folder is printed)")
    parser.add_argument("--save-run", type=Path, metavar="JSON", help="keep every test's outcome in this file")
    parser.add_argument("--replay", type=Path, metavar="JSON", help="compare a saved run instead of running")
    args = parser.parse_args()
    workers = args.workers or SETTINGS["ci"]["workers"]
    try:
        package, deps = fetch(args.wheel)
    except (OSError, ValueError) as exc:
        print(f"brainunit-compat: SKIPPED — could not get the {SUITE} wheel ({exc}); see brainunit-compat/README.md")
        return 0 if args.ci else 1
    if args.replay:
        saved = json.loads(args.replay.read_text())
        run, workers = Run(saved["tests"], saved["seconds"]), saved["workers"]
    else:
        # a folder of this run's own, beside the unpacked wheel (runs at the same time do not clash)
        out = Path(tempfile.mkdtemp(prefix=f"{PIN['dist']}-{PIN['version']}-rewritten-", dir=package.parent.parent))
        try:
            run = run_suite(prepare(package, out), deps, workers=workers, files=args.files, log=args.log,
                            timeout=args.budget if args.ci else None)  # fmt: skip
        except subprocess.TimeoutExpired:
            print(
                f"brainunit-compat: NOT CHECKED — the --ci budget of {args.budget:.0f} s ran out; run "
                f"`python brainunit-compat/run.py -n auto`"
            )
            return 0
        finally:
            if args.keep:
                print(f"the rewritten suite is kept in {out}")
            else:
                shutil.rmtree(out, ignore_errors=True)
    if args.save_run:
        args.save_run.write_text(json.dumps({"tests": run.tests, "seconds": run.seconds, "workers": workers}))
    ran_all = not args.files
    expectations = read_expectations()
    if args.update:
        expectations, unknown = update(expectations, run, ran_all)
        for test in unknown:
            print(f"  NO REASON {test}: {run.tests[test]['message']}")
        write_expectations(expectations)
        print(f"wrote {EXPECTATIONS.relative_to(ROOT)} ({len(expectations)} entries; {len(unknown)} without a reason)")
    comparison = compare(run, expectations, ran_all)
    if args.write_docs:
        if not ran_all:
            parser.error("--write-docs records a run of the whole suite: give no test files")
        DOCS.write_text(docs(record(run, comparison, workers)))
        print(f"wrote {DOCS.relative_to(ROOT)} (from {RESULTS.relative_to(ROOT)})")
    return report(run, comparison, args.strict, verbose=not args.ci)


if __name__ == "__main__":
    sys.exit(main())
