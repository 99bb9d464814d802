"""Compatibility sweep: scipy's and scikit-learn's array-API functions called with Quantities.

Every function of scipy's ``xp_capabilities`` registry (in scope, i.e. not ``np_only``) and every
estimator and metric of scikit-learn's array-API lists is called on each installed backend with
quantities, and each call is classified:

``correct``   a Quantity (or tuple / result object of them) whose values equal the plain call (same
              mantissas without units, times the unit scale) and whose unit is the expected one;
``physics``   refused by one of our unit errors for a physical reason (``exp`` of metres, a plain
              tolerance added to metres);
``upstream``  refused by the library's own code (``np.asarray`` before compiled code, non-standard
              API, ``float()`` of a dimensioned value, ...), with the library frame that failed;
``via brainunit_xp.scipy``  the unit call fails but ``brainunit_xp.scipy.WRAPPED`` wraps it, correctly;
``broken``    a bug of ours (wrong unit or value, silent unit loss, an internal error);
``n/a``       the plain call itself fails on that backend, or the function takes no array.

The expected unit is derived from homogeneity: the function is called without units on the data
scaled by 2, one data argument at a time (then the non-homogeneous ones jointly); ``f(2x) =
2^k f(x)`` fixes the exponent ``k`` of each output leaf, so the unit must be ``unit(x)^k``.  Data
arguments that are not homogeneous must be refused with a unit error when dimensioned (physics),
and give the plain answer when dimensionless.

Run ``python tools/interop_report.py`` (all backends, prints a summary), ``--write-docs`` writes
``docs/interop.json`` and ``docs/interop.md``; ``--only NAME,NAME`` and ``--backends numpy,torch``
restrict the sweep; ``--json PATH`` writes the records only; ``--render`` re-renders the page from
the recorded JSON.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import inspect
import json
import math
import os
import signal
import sys
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from array_api_compat import is_array_api_obj  # noqa: E402

import brainunit_xp as u  # noqa: E402
from brainunit_xp._backends import BACKENDS, to_numpy  # noqa: E402
from brainunit_xp._errors import BackendError, BrainUnitError  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from interop_recipes import KINDS, Recipe, recipe_for  # noqa: E402

DOCS_JSON = ROOT / "docs" / "interop.json"
DOCS_MD = ROOT / "docs" / "interop.md"
SWEEP_BACKENDS = ("numpy", "torch", "jax", "array_api_strict")
STATUSES = ("correct", "physics", "upstream", "via brainunit_xp.scipy", "broken", "n/a")
TIME_LIMIT_S = 20
SCALE = 2.0
# distinct, non-coherent units for the data arguments: a missing scale shows up as a wrong value
ARG_UNITS = (u.cmeter, u.msecond, u.mgram, u.mamp, u.mkelvin)
JOINT_UNIT = u.cmeter
SCIPY_MODULES = [
    "cluster.hierarchy",
    "cluster.vq",
    "constants",
    "differentiate",
    "fft",
    "integrate",
    "interpolate",
    "linalg",
    "ndimage",
    "optimize",
    "signal",
    "signal.windows",
    "spatial",
    "spatial.transform",
    "special",
    "stats",
]

# --------------------------------------------------------------------------------------------
# inputs


# --------------------------------------------------------------------------------------------
# outputs


@dataclasses.dataclass
class Leaf:
    path: str
    values: np.ndarray  # SI values (for Quantities) or plain values
    dim: Any  # Dimension of a Quantity leaf, None for a plain leaf
    unit: str


def _is_arraylike(x: Any) -> bool:
    return isinstance(x, u.Quantity | np.ndarray | np.generic) or is_array_api_obj(x)


def leaves(obj: Any, path: str = "", depth: int = 0) -> Iterator[tuple[str, Any]]:
    """The array / number leaves of a result: tuples, namedtuples, dicts and result objects."""
    if depth > 3:
        return
    if isinstance(obj, bool | int | float | complex) or _is_arraylike(obj):
        yield path or ".", obj
    elif hasattr(obj, "_asdict"):
        for k, v in obj._asdict().items():
            yield from leaves(v, f"{path}.{k}", depth + 1)
    elif isinstance(obj, tuple | list):
        for i, v in enumerate(obj):
            yield from leaves(v, f"{path}[{i}]", depth + 1)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(k, str) and not k.startswith("_"):
                yield from leaves(v, f"{path}.{k}", depth + 1)
    elif obj is not None and hasattr(obj, "__dict__") and not callable(obj) and not inspect.ismodule(obj):
        for k, v in vars(obj).items():
            if not k.startswith("_"):
                yield from leaves(v, f"{path}.{k}", depth + 1)
        for k in ("statistic", "pvalue"):  # scipy result objects keep these as properties
            if k not in vars(obj) and hasattr(type(obj), k):
                yield from leaves(getattr(obj, k), f"{path}.{k}", depth + 1)


def _np(x: Any) -> np.ndarray:
    if isinstance(x, bool | int | float | complex | np.ndarray | np.generic):
        return np.asarray(x)
    return np.asarray(to_numpy(x))


def flatten(obj: Any) -> list[Leaf]:
    out = []
    for path, v in leaves(obj):
        if isinstance(v, u.Quantity):
            out.append(Leaf(path, _np(v.mantissa) * float(v.unit.magnitude), v.unit.dim, str(v.unit)))
        else:
            out.append(Leaf(path, _np(v), None, ""))
    return out


def _close(a: np.ndarray, b: np.ndarray, rtol: float = 1e-6) -> bool:
    if a.shape != b.shape:
        return False
    if bool in (a.dtype, b.dtype):
        return bool(np.array_equal(a, b))
    a, b = a.astype(np.complex128), b.astype(np.complex128)
    scale = max(float(np.nanmax(np.abs(b), initial=0.0)), 1e-300)
    return bool(np.allclose(a, b, rtol=rtol, atol=rtol * scale * 1e-3, equal_nan=True))


MIXED = "mixed"


def _on_levels(ratio: np.ndarray, levels: np.ndarray) -> bool:
    """Whether every ratio is (nearly) 2^k for one of a few rational k."""
    want = SCALE**levels
    return bool(np.all(np.min(np.abs(ratio[:, None] / want[None, :] - 1), axis=1) < 1e-6))


def exponent(base: list[Leaf], scaled: list[Leaf]) -> list[Fraction | str | None]:
    """Per leaf, the ``k`` with ``f(2x) = 2^k f(x)``; ``None`` if not homogeneous, 'any' if undecidable."""
    if len(base) != len(scaled):
        return [None] * len(base)
    ks: list[Fraction | str | None] = []
    for b, s in zip(base, scaled, strict=True):
        bv, sv = b.values, s.values
        if bv.shape != sv.shape:
            ks.append(None)
            continue
        if bv.dtype.kind in "biu" and sv.dtype.kind in "biu":
            ks.append(Fraction(0) if np.array_equal(bv, sv) else None)
            continue
        bv, sv = bv.astype(np.complex128).ravel(), sv.astype(np.complex128).ravel()
        ok = np.isfinite(bv) & np.isfinite(sv) & (np.abs(bv) > 1e-12 * max(np.nanmax(np.abs(bv), initial=0), 1e-300))
        if not np.array_equal(np.isfinite(bv), np.isfinite(sv)):
            ks.append(None)
            continue
        if not ok.any():
            ks.append("any")
            continue
        ratio = sv[ok] / bv[ok]
        r0 = ratio.real.mean()
        if r0 <= 0 or not np.allclose(ratio, r0, rtol=1e-6, atol=0):
            # indices or counts beside data in one array (a linkage matrix): no single unit
            real = ratio.real
            pos = bool(np.allclose(ratio.imag, 0) and np.all(real > 0))
            levels = np.unique(np.round(np.log(np.abs(real)) / math.log(SCALE) * 6) / 6) if pos else np.zeros(0)
            ks.append(MIXED if 2 <= len(levels) <= 3 and _on_levels(real, levels) else None)
            continue
        k = Fraction(math.log(r0) / math.log(SCALE)).limit_denominator(6)
        ks.append(k if abs(float(k) - math.log(r0) / math.log(SCALE)) < 1e-6 else None)
    return ks


# --------------------------------------------------------------------------------------------
# one call


class CallTimeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise CallTimeout(f"took more than {TIME_LIMIT_S} s")


def timed(fn: Callable[[], Any]) -> Any:
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT_S)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


LIB_DIRS = ("/scipy/", "/sklearn/")


def where(exc: BaseException) -> tuple[str, str, bool]:
    """(library file:line of the last library frame, its source line, whether brainunit_xp ran after it)."""
    frames = traceback.extract_tb(exc.__traceback__)
    last, ours_after = None, False
    for i, fr in enumerate(frames):
        if any(d in fr.filename for d in LIB_DIRS):
            last = i
    if last is None:
        return "", "", any("brainunit_xp" in fr.filename for fr in frames)
    fr = frames[last]
    ours_after = any("brainunit_xp" in f.filename for f in frames[last + 1 :])
    fname = fr.filename
    for d in LIB_DIRS:
        if d in fname:
            fname = d.strip("/") + "/" + fname.split(d, 1)[1]
    return f"{fname}:{fr.lineno}", (fr.line or "").strip(), ours_after


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:200]


def upstream_cause(exc: BaseException, line: str) -> str:
    """A cause category for an exception raised through the library's own code."""
    msg = str(exc)
    if type(exc).__name__ == "NoUnitRuleError":  # a NumPy function reached through __array_function__
        return f"NumPy function without a unit rule ({msg.split(' ', 1)[0]})"
    if isinstance(exc, BrainUnitError) and not isinstance(exc, BackendError):
        head = msg.split(":", 1)[0]
        if head.startswith("numpy.") or "__array__" in msg:
            return "np.asarray of a dimensioned Quantity"
        if head in ("float", "int", "bool", "complex", "index", "operator.index", "__index__"):
            return f"{head}() of a dimensioned value"
    if isinstance(exc, BackendError):
        return "a plain array of another backend meets our namespace"
    if isinstance(exc, AttributeError):
        return "non-standard API (" + msg.split("attribute", 1)[-1].strip(" '") + ")"
    if "np." in line or "numpy" in msg:
        return "numpy-only code path"
    return type(exc).__name__


def is_unit_refusal(exc: BaseException) -> bool:
    return isinstance(exc, BrainUnitError) and not isinstance(exc, BackendError)


@dataclasses.dataclass
class Outcome:
    status: str
    cause: str = ""
    where: str = ""
    seconds: float = 0.0


def _to_backend(xp: Any, arr: np.ndarray) -> Any:
    return xp.asarray(arr)


class Runner:
    """Calls one recipe on one backend and classifies it."""

    def __init__(self, backend: str, wrapped: dict[str, Callable[..., Any]]) -> None:
        self.backend = backend
        self.xp = BACKENDS[backend].xp
        self.wrapped = wrapped
        self.ns = u.Quantity(self.xp.asarray([1.0])).__array_namespace__()

    def data(self, kinds: tuple[str, ...], scale: dict[int, float], units: dict[int, Any] | None) -> list[Any]:
        out: list[Any] = []
        for i, kind in enumerate(kinds):
            if kind == "XP":  # the namespace itself (``xp=``): plain, or ours
                out.append(self.xp if units is None else self.ns)
                continue
            make, scalable = KINDS[kind]
            arr = make()
            if scalable and i in scale:
                arr = arr * scale[i]
            plain = _to_backend(self.xp, arr)
            if units is None:
                out.append(plain)
            else:
                out.append(u.Quantity(plain, units.get(i, u.ONE)))
        return out

    def call(self, rec: Recipe, scale: dict[int, float], units: dict[int, Any] | None) -> Any:
        args = self.data(rec.data, scale, units)
        return timed(lambda: rec.call(*args))

    def classify(self, name: str, rec: Recipe) -> Outcome:
        t0 = time.perf_counter()
        out = self._classify(name, rec)
        fix = STATUS_OVERRIDES.get((name, self.backend))
        if fix and out.status == fix[0] and out.cause.startswith(fix[1]):
            out = Outcome(fix[2], fix[3], fix[4])
        out.seconds = round(time.perf_counter() - t0, 3)
        return out

    def _classify(self, name: str, rec: Recipe) -> Outcome:
        if rec.skipped:
            return Outcome("n/a", rec.reason)
        scalable = [i for i, k in enumerate(rec.data) if KINDS[k][1]]
        try:
            base = flatten(self.call(rec, {}, None))
        except CallTimeout as exc:
            return Outcome("n/a", f"slow: {exc}")
        except Exception as exc:
            loc, _, _ = where(exc)
            return Outcome("n/a", f"fails without units too: {first_line(exc)}", loc)
        if not base:
            return Outcome("n/a", "returns no array")
        # exponents per data argument, then jointly for the non-homogeneous ones
        ks: dict[int, list[Any]] = {}
        for i in scalable:
            try:
                ks[i] = exponent(base, flatten(self.call(rec, {i: SCALE}, None)))
            except Exception:
                ks[i] = [None] * len(base)
        single = [i for i in scalable if all(k is not None and k != MIXED for k in ks[i])]
        rest = [i for i in scalable if i not in single]
        joint: list[Any] | None = None
        if len(rest) > 1:
            try:
                joint = exponent(base, flatten(self.call(rec, dict.fromkeys(rest, SCALE), None)))
            except Exception:
                joint = None
            if joint is not None and any(k is None or k == MIXED for k in joint):
                joint = None
        units = {i: ARG_UNITS[n % len(ARG_UNITS)] for n, i in enumerate(single)}
        nonhomog = rest if joint is None else []
        if joint is not None:
            units.update(dict.fromkeys(rest, JOINT_UNIT))
        for i in nonhomog:
            units[i] = JOINT_UNIT
        expect = self._expected(base, ks, single, rest, joint, units)
        first = self._unit_call(rec, units, expect, base)
        mixed = any(MIXED in ks[i] for i in nonhomog)
        need = "the result mixes unit powers in one array" if mixed else "needs dimensionless data"
        if nonhomog and first.status == "upstream" and first.cause.startswith("np.asarray"):
            first = Outcome("physics", f"{need}: refused at {first.cause}", first.where)
        elif first.status == "physics":
            kind = need if nonhomog else "unit-consistent overall, refused inside"
            first.cause = f"{kind}: {first.cause}"
        if nonhomog:
            if first.status == "physics":
                # the same call with those arguments dimensionless must work
                dimless = {i: v for i, v in units.items() if i not in nonhomog}
                second = self._unit_call(rec, dimless, self._expected(base, ks, single, [], None, dimless), base)
                if second.status == "broken":
                    return second
                first.cause += f" (dimensionless: {second.status})"
                return first
            if first.status in ("correct", "broken"):
                detail = f" ({first.cause})" if first.cause else ""
                return Outcome("broken", f"a non-homogeneous function accepted dimensioned data{detail}", first.where)
        if first.status in ("upstream", "physics", "broken") and name in self.wrapped:
            via = self._unit_call(recipe_for(name, self.wrapped[name]), units, expect, base)
            if via.status == "correct":
                return Outcome("via brainunit_xp.scipy", f"{first.status}: {first.cause}", first.where)
        return first

    def _expected(
        self,
        base: list[Leaf],
        ks: dict[int, list[Any]],
        single: list[int],
        rest: list[int],
        joint: Any,
        units: dict[int, Any],
    ) -> list[tuple[Any, float] | None]:
        """Per leaf: (expected unit, factor from plain values to SI), or None when undecidable."""
        out: list[tuple[Any, float] | None] = []
        for j in range(len(base)):
            unit, factor = u.ONE, 1.0
            groups = [(ks[i][j], [i]) for i in single if i in units]
            if joint is not None and rest and all(i in units for i in rest):
                groups.append((joint[j], rest))
            undecidable = False
            for k, idx in groups:
                if k == "any":
                    undecidable = True
                    continue
                un = units[idx[0]]
                if k != 0:
                    unit = unit * un ** (int(k) if k.denominator == 1 else float(k))
                    factor *= float(un.magnitude) ** float(k)
            out.append(None if undecidable else (unit, factor))
        return out

    def _unit_call(self, rec: Recipe, units: dict[int, Any], expect: list[Any], base: list[Leaf]) -> Outcome:
        try:
            got = flatten(self.call(rec, {}, units))
        except CallTimeout as exc:
            return Outcome("n/a", f"slow with units: {exc}")
        except Exception as exc:
            loc, line, ours_after = where(exc)
            if is_unit_refusal(exc):
                cause = upstream_cause(exc, line)
                if cause.startswith(
                    ("np.asarray", "NumPy function", "float()", "int()", "bool()", "complex()", "index()")
                ):
                    return Outcome("upstream", cause, loc)
                return Outcome("physics", first_line(exc), loc)
            internal = ours_after or not loc
            known = next((c for m, c in KNOWN_REFUSALS.items() if m in str(exc)), None)
            if known:
                return Outcome("upstream", known, loc)
            if internal and _raised_by_backend(exc):
                # we forwarded the library's own request, and the array library refused it
                return Outcome("upstream", f"the backend refuses the library's operation: {first_line(exc)}", loc)
            if internal and not isinstance(exc, BackendError | AttributeError):
                return Outcome("broken", f"internal error: {first_line(exc)}", loc or _our_frame(exc))
            return Outcome("upstream", f"{upstream_cause(exc, line)}: {first_line(exc)}", loc)
        if len(got) != len(base):
            return Outcome("broken", f"{len(got)} result leaves, plain call gives {len(base)}")
        for leaf, ref, exp in zip(got, base, expect, strict=True):
            if exp is None:
                continue
            unit, factor = exp
            want_dim = unit.dim
            if leaf.dim is None:
                if not unit.is_dimensionless:
                    return Outcome("broken", f"{leaf.path}: silent unit loss (expected {unit.dim})")
            elif leaf.dim != want_dim:
                return Outcome("broken", f"{leaf.path}: unit {leaf.unit}, expected dimension {want_dim}")
            if ref.values.dtype.kind in "biu" and leaf.values.dtype.kind in "fc":
                factor = 1.0
            if not _close(leaf.values, ref.values * factor):
                return Outcome("broken", f"{leaf.path}: values differ from the plain call ({leaf.unit})")
        return Outcome("correct")


# where homogeneity cannot decide: (name, backend) -> (status seen, its cause's start, status, cause, where)
STATUS_OVERRIDES: dict[tuple[str, str], tuple[str, str, str, str, str]] = {
    ("scipy.signal.freqs_zpk", "jax"): (
        "broken",
        "[0]: values differ",
        "upstream",
        "is_jax(xp) is false for our namespace: findfreqs skips its round() fudge and picks another "
        "frequency grid (the plain jax call has the fudge)",
        "scipy/signal/_filter_design.py:165",
    ),
}

# backend refusals raised in compiled code (no Python frame of the backend to recognise them by)
KNOWN_REFUSALS = {
    "step must be greater than zero": "is_torch(xp) is false for our namespace: the generic path slices "
    "with a negative step, which torch refuses",
}
BACKEND_DIRS = ("/array_api_strict/", "/torch/", "/jax/", "/jaxlib/", "/numpy/", "/dask/")


def _raised_by_backend(exc: BaseException) -> bool:
    """Whether the innermost frame is the array library's own code (reached through ours)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and any(d in frames[-1].filename for d in BACKEND_DIRS)


def _our_frame(exc: BaseException) -> str:
    for fr in reversed(traceback.extract_tb(exc.__traceback__)):
        if "brainunit_xp" in fr.filename:
            return f"brainunit_xp/{fr.filename.split('brainunit_xp/', 1)[-1]}:{fr.lineno}"
    return ""


# --------------------------------------------------------------------------------------------
# the function lists


def scipy_functions() -> dict[str, Callable[..., Any]]:
    """Public name -> function, for every in-scope entry of scipy's ``xp_capabilities`` registry."""
    for m in SCIPY_MODULES:
        importlib.import_module(f"scipy.{m}")
    from scipy._lib._array_api import xp_capabilities_table

    public: dict[int, str] = {}
    for m in SCIPY_MODULES:
        mod = importlib.import_module(f"scipy.{m}")
        for attr in getattr(mod, "__all__", dir(mod)):
            obj = getattr(mod, attr, None)
            if obj is not None and id(obj) not in public:
                public[id(obj)] = f"scipy.{m}.{attr}"
            if inspect.isclass(obj):
                for meth, val in vars(obj).items():
                    fn = getattr(val, "__func__", val)
                    public.setdefault(id(fn), f"scipy.{m}.{attr}.{meth}")
    out = {}
    for f, cap in xp_capabilities_table.items():
        if cap["np_only"]:
            continue
        name = public.get(id(f)) or f"{f.__module__}.{getattr(f, '__qualname__', f.__name__)}"
        out[name] = f
    return dict(sorted(out.items()))


def sklearn_functions() -> dict[str, Callable[..., Any]]:
    """Name -> estimator class or metric, for scikit-learn's array-API estimators and metrics."""
    from sklearn.utils import all_estimators, get_tags

    out: dict[str, Callable[..., Any]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sklearn.utils._test_common.instance_generator import _construct_instances

        for name, cls in all_estimators():
            try:
                inst = next(_construct_instances(cls))
            except Exception:
                continue
            if get_tags(inst).array_api_support:
                out[f"sklearn.{cls.__module__.split('.')[1]}.{name}"] = cls
        from sklearn.metrics.tests.test_common import array_api_metric_checkers

        for f in array_api_metric_checkers:
            base = getattr(f, "func", f)
            kw = ", ".join(f"{k}={v}" for k, v in getattr(f, "keywords", {}).items())
            mod = base.__module__.split(".")
            out[f"sklearn.{mod[1]}.{base.__name__}" + (f"({kw})" if kw else "")] = f
    return dict(sorted(out.items()))


# --------------------------------------------------------------------------------------------
# recipes


# --------------------------------------------------------------------------------------------
# sweep and page


def wrapped_functions() -> dict[str, Callable[..., Any]]:
    """Public scipy name -> wrapper, from ``brainunit_xp.scipy.WRAPPED`` when that module exists.

    ``WRAPPED`` maps ``"scipy.<module>.<name>"`` to the wrapper's rule; the wrapper itself is
    ``brainunit_xp.scipy.<module>.<name>``.  Only this checkout's package counts (an editable
    install elsewhere must not lend its submodule).
    """
    pkg = Path(u.__file__).parent
    if not (pkg / "scipy").is_dir() and not (pkg / "scipy.py").is_file():
        return {}
    mod = importlib.import_module("brainunit_xp.scipy")
    out: dict[str, Callable[..., Any]] = {}
    for key, val in dict(getattr(mod, "WRAPPED", {})).items():
        name = key if key.startswith("scipy.") else f"scipy.{key}"
        if callable(val) and not hasattr(val, "kind"):
            out[name] = val
            continue
        modname, attr = name[len("scipy.") :].rsplit(".", 1)
        fn = getattr(importlib.import_module(f"brainunit_xp.scipy.{modname}"), attr, None)
        if fn is not None:
            out[name] = fn
    return out


def available_backends(wanted: tuple[str, ...]) -> list[str]:
    return [b for b in wanted if b in BACKENDS and BACKENDS[b].available]


def sweep(only: set[str] | None, backends: list[str], log: bool = False) -> list[dict[str, Any]]:
    wrapped = wrapped_functions()
    records = []
    for lib, funcs in (("scipy", scipy_functions()), ("sklearn", sklearn_functions())):
        for name, f in funcs.items():
            if only and name not in only and name.rsplit(".", 1)[-1] not in only:
                continue
            rec = recipe_for(name, f)
            for b in backends:
                out = Runner(b, wrapped).classify(name, rec)
                row = {"lib": lib, "name": name, "backend": b, **dataclasses.asdict(out)}
                records.append(row)
                if log:
                    print(f"{out.status:9} {b:16} {name}  {out.cause[:110]}  {out.where}", flush=True)
    return records


def summary(records: list[dict[str, Any]]) -> dict[tuple[str, str], Counter[str]]:
    out: dict[tuple[str, str], Counter[str]] = {}
    for r in records:
        out.setdefault((r["lib"], r["backend"]), Counter())[r["status"]] += 1
    return out


def _cell(r: dict[str, Any]) -> str:
    if r["status"] == "correct":
        return "correct"
    text = f"{r['status']}: {r['cause']}"
    if r.get("where"):
        text += f" (`{r['where']}`)"
    return text.replace("|", "\\|").replace("\n", " ")


def render(meta: dict[str, Any], records: list[dict[str, Any]]) -> str:
    """docs/interop.md from the recorded results."""
    backends = meta["backends"]
    lines = [
        "# Interoperability: scipy and scikit-learn with Quantities",
        "",
        "<!-- generated by tools/interop_report.py --write-docs from docs/interop.json; do not edit -->",
        "",
        f"Every in-scope function of scipy {meta['scipy']}'s array-API registry (`xp_capabilities`, "
        f"{meta['n_scipy']} functions) and every array-API estimator and metric of scikit-learn "
        f"{meta['sklearn']} ({meta['n_sklearn']}) called with Quantities, with `SCIPY_ARRAY_API=1` "
        "and `sklearn.set_config(array_api_dispatch=True)`.",
        "",
        "- **correct**: Quantities whose values equal the plain call (times the unit scale), in the "
        "unit that homogeneity demands: `f(2x) = 2^k f(x)` without units fixes `unit(x)^k`.",
        "- **physics**: refused by our unit error; the message's first line is shown.",
        "- **upstream**: refused by the library's own code; the cause and the library frame that failed.",
        "- **via brainunit_xp.scipy**: the wrapper of `brainunit_xp.scipy` gives the correct answer.",
        "- **broken**: a bug of ours (must stay 0).",
        "- **n/a**: the call fails without units too on that backend, or there is no recipe.",
        "",
        "## Summary",
        "",
        "| library | backend | " + " | ".join(STATUSES) + " |",
        "|---|---|" + "---|" * len(STATUSES),
    ]
    for (lib, b), c in sorted(summary(records).items(), key=lambda kv: (kv[0][0], backends.index(kv[0][1]))):
        lines.append(f"| {lib} | {b} | " + " | ".join(str(c.get(s, 0)) for s in STATUSES) + " |")
    causes = Counter((r["lib"], r["cause"].split(":")[0]) for r in records if r["status"] == "upstream").most_common()
    lines += ["", "## Upstream causes (all backends)", "", "| library | cause | calls |", "|---|---|---|"]
    lines += [f"| {lib} | {c.replace('|', '/')} | {n} |" for (lib, c), n in causes]
    kinds = Counter(
        (
            r["lib"],
            r["cause"].split(":")[0]
            + (" (dimensionless: correct)" if "(dimensionless: correct)" in r["cause"] else ""),
        )
        for r in records
        if r["status"] == "physics"
    ).most_common()
    lines += ["", "## Physics refusals by kind (all backends)", "", "| library | kind | calls |", "|---|---|---|"]
    lines += [f"| {lib} | {c} | {n} |" for (lib, c), n in kinds]
    for lib in ("scipy", "sklearn"):
        rows = [r for r in records if r["lib"] == lib]
        names = sorted({r["name"] for r in rows})
        by = {(r["name"], r["backend"]): r for r in rows}
        lines += [
            "",
            f"## {lib}",
            "",
            f"*same*: as on {backends[0]}.",
            "",
            "| function | " + " | ".join(backends) + " |",
            "|---|" + "---|" * len(backends),
        ]
        for n in names:
            cells = [_cell(by[(n, b)]) if (n, b) in by else "" for b in backends]
            cells = [cells[0]] + [c if c != cells[0] or c == "correct" else "same" for c in cells[1:]]
            lines.append(f"| `{n}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def dump(payload: dict[str, Any]) -> str:
    """The results as JSON, one record a line (diffs stay readable)."""
    rows = ",\n".join(json.dumps(r) for r in payload["records"])
    return f'{{"meta": {json.dumps(payload["meta"])},\n"records": [\n{rows}\n]}}\n'


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--only", help="comma-separated function names (full or last component)")
    ap.add_argument("--backends", default=",".join(SWEEP_BACKENDS))
    ap.add_argument("--write-docs", action="store_true", help="write docs/interop.json and docs/interop.md")
    ap.add_argument("--json", help="write the records to this path")
    ap.add_argument("--render", action="store_true", help="re-render docs/interop.md from docs/interop.json")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    # before scipy and jax are imported: scipy's array-API mode, jax in float64 like the others
    os.environ.setdefault("SCIPY_ARRAY_API", "1")
    os.environ.setdefault("JAX_ENABLE_X64", "1")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    if args.render:
        data = json.loads(DOCS_JSON.read_text())
        DOCS_MD.write_text(render(data["meta"], data["records"]))
        return 0
    import scipy
    import sklearn

    sklearn.set_config(array_api_dispatch=True)
    backends = available_backends(tuple(args.backends.split(",")))
    only = set(args.only.split(",")) if args.only else None
    t0 = time.perf_counter()
    records = sweep(only, backends, log=args.verbose)
    seconds = time.perf_counter() - t0
    meta = {
        "scipy": scipy.__version__,
        "sklearn": sklearn.__version__,
        "backends": backends,
        "n_scipy": len({r["name"] for r in records if r["lib"] == "scipy"}),
        "n_sklearn": len({r["name"] for r in records if r["lib"] == "sklearn"}),
        "seconds": round(seconds, 1),
    }
    for (lib, b), c in sorted(summary(records).items()):
        print(f"{lib:8} {b:17}", "  ".join(f"{s}={c.get(s, 0)}" for s in STATUSES))
    print(f"{len(records)} calls in {seconds:.1f} s")
    payload = {"meta": meta, "records": records}
    if args.json:
        Path(args.json).write_text(dump(payload))
    if args.write_docs:
        DOCS_JSON.write_text(dump(payload))
        DOCS_MD.write_text(render(meta, records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
