"""The scipy / scikit-learn compatibility sweep (tools/interop_report.py).

Three parts: the classifier on small functions whose answer is known (in-process), the sweep itself
over a handful of representative scipy and scikit-learn functions on every sweep backend (one
subprocess: scipy reads ``SCIPY_ARRAY_API`` at import), and docs/interop.md against the recorded
results (no re-run of the full sweep).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from array_api_compat import array_namespace

import brainunit_xp as u

pytest.importorskip("scipy")
pytest.importorskip("sklearn")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import interop_report as report  # noqa: E402
from interop_recipes import Recipe  # noqa: E402


def _plain(x: Any) -> Any:
    return np.asarray(x.mantissa) if isinstance(x, u.Quantity) else x


CLASSIFIER_CASES = {
    # name: (function of one 1-D array, expected status, start of the cause)
    "sum of squares": (lambda x: array_namespace(x).sum(x * x), "correct", ""),
    "mean over std": (lambda x: array_namespace(x).mean(x) / array_namespace(x).std(x), "correct", ""),
    "exp": (lambda x: array_namespace(x).exp(x), "physics", "needs dimensionless data"),
    "log, unit cancels": (
        lambda x: array_namespace(x).exp(array_namespace(x).mean(array_namespace(x).log(x))),
        "physics",
        "unit-consistent overall",
    ),
    "np.asarray": (lambda x: np.sum(np.asarray(x) ** 2), "upstream", "np.asarray of a dimensioned Quantity"),
    "float()": (lambda x: float(array_namespace(x).sum(x)), "upstream", "float() of a dimensioned value"),
    "drops the unit": (lambda x: _plain(x) * 2, "broken", ".: silent unit loss"),
    "wrong unit": (lambda x: x if isinstance(x, u.Quantity) else x * x, "broken", ".: unit cm"),
    "wrong value": (lambda x: x * 3 if isinstance(x, u.Quantity) else x * 2, "broken", ".: values differ"),
    "accepts a non-homogeneous function": (
        lambda x: x + 1 if not isinstance(x, u.Quantity) else x,
        "broken",
        "a non-homogeneous function accepted",
    ),
}


@pytest.mark.parametrize("case", list(CLASSIFIER_CASES))
def test_classifier_on_known_functions(case: str, backend: str) -> None:
    if backend not in report.SWEEP_BACKENDS:
        pytest.skip(f"the sweep runs on {report.SWEEP_BACKENDS}")
    fn, status, cause = CLASSIFIER_CASES[case]
    out = report.Runner(backend, {}).classify(case, Recipe(("vec",), fn))
    assert (out.status, out.cause[: len(cause)]) == (status, cause)


def test_classifier_expects_the_product_of_argument_units(backend: str) -> None:
    """Two data arguments, each homogeneous: unit(x)·unit(y)^2, in their own (non-coherent) units."""
    if backend not in report.SWEEP_BACKENDS:
        pytest.skip(f"the sweep runs on {report.SWEEP_BACKENDS}")
    good = Recipe(("vec", "vec2"), lambda x, y: x * y * y)
    assert report.Runner(backend, {}).classify("x y^2", good).status == "correct"
    swapped = Recipe(("vec", "vec2"), lambda x, y: x * x * y if isinstance(x, u.Quantity) else x * y * y)
    out = report.Runner(backend, {}).classify("x^2 y", swapped)
    assert out.status == "broken" and "expected dimension" in out.cause


def _geomean(x: Any) -> Any:
    xp = array_namespace(x)
    return xp.exp(xp.mean(xp.log(x)))


def test_via_wrapper_when_the_wrapper_is_correct() -> None:
    """A refused function counts as ``via brainunit_xp.scipy`` when the wrapper answers correctly."""

    def wrapper(x: Any) -> Any:  # what a unit-aware wrapper does: mantissa in, unit back on
        return u.Quantity(_geomean(x.mantissa), x.unit) if isinstance(x, u.Quantity) else _geomean(x)

    name = "scipy.test.geomean"
    out = report.Runner("numpy", {name: wrapper}).classify(name, Recipe(("vec",), _geomean))
    assert out.status == "via brainunit_xp.scipy" and out.cause.startswith("physics")
    out = report.Runner("numpy", {name: _geomean}).classify(name, Recipe(("vec",), _geomean))
    assert out.status == "physics"


# the sweep itself on representative functions: (name, expected status on every backend)
REPRESENTATIVE = {
    "scipy.stats.moment": "correct",
    "scipy.stats.rankdata": "correct",
    "scipy.integrate.trapezoid": "correct",
    "scipy.fft.fft": "correct",
    "scipy.special.erf": "physics",
    "scipy.stats.gmean": "physics",
    "scipy.ndimage.median": "upstream",
    "sklearn.metrics.accuracy_score": "correct",
    "sklearn.metrics.euclidean_distances": "correct",
    "sklearn.metrics.mean_squared_error": "upstream",
}


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("interop") / "records.json"
    env = {**os.environ, "SCIPY_ARRAY_API": "1", "JAX_ENABLE_X64": "1", "JAX_PLATFORMS": "cpu"}
    cmd = [sys.executable, str(ROOT / "tools" / "interop_report.py"), "--only", ",".join(REPRESENTATIVE)]
    subprocess.run([*cmd, "--json", str(out)], check=True, env=env, capture_output=True, cwd=ROOT)
    return json.loads(out.read_text())


def test_sweep_classifies_representative_functions(sweep: dict[str, Any]) -> None:
    wrapped = report.wrapped_functions()
    backends = report.available_backends(report.SWEEP_BACKENDS)
    got = {(r["name"], r["backend"]): r for r in sweep["records"]}
    assert set(got) == {(n, b) for n in REPRESENTATIVE for b in backends}
    for (name, backend), r in got.items():
        want = REPRESENTATIVE[name]
        if name in wrapped and want == "upstream":  # brainunit_xp.scipy wraps it (when present)
            want = "via brainunit_xp.scipy"
        assert r["status"] == want, (name, backend, r)
        if r["status"] == "upstream":  # the library's own frame that failed is named
            assert r["where"].startswith(("scipy/", "sklearn/")), r


def test_sweep_finds_nothing_broken(sweep: dict[str, Any]) -> None:
    assert [r for r in sweep["records"] if r["status"] == "broken"] == []


def test_recorded_sweep_has_nothing_broken() -> None:
    data = json.loads(report.DOCS_JSON.read_text())
    assert [(r["name"], r["backend"], r["cause"]) for r in data["records"] if r["status"] == "broken"] == []


def test_docs_page_is_the_recorded_results() -> None:
    data = json.loads(report.DOCS_JSON.read_text())
    assert report.DOCS_MD.read_text() == report.render(data["meta"], data["records"]), (
        "run: python tools/interop_report.py --render"
    )


def test_numpy_scalars_are_scalars_in_every_namespace(backend: str) -> None:
    """jax's ``finfo(dtype).eps`` is a NumPy scalar; scikit-learn's log_loss clips with it
    (``xp.clip(p, eps, 1 - eps)``), as jax, torch and array-api-strict themselves accept."""
    from conftest import make, values, xp_of

    p = make(backend, [0.0, 0.5, 1.0])
    ns = p.__array_namespace__()
    eps = float(np.finfo(np.float64).eps) * 1e10
    got = ns.clip(p, np.float64(eps), 1 - np.float64(eps))
    bare = xp_of(backend)
    want = bare.clip(bare.asarray(np.asarray([0.0, 0.5, 1.0])), eps, 1 - eps)
    assert isinstance(got, u.Quantity) and got.unit.is_dimensionless
    np.testing.assert_allclose(values(got), values(want), rtol=1e-6)
    np.testing.assert_allclose(values(ns.add(p, np.float32(2.0))), [2.0, 2.5, 3.0])
    with pytest.raises(u.DimensionMismatchError):  # a NumPy scalar is a plain number: dimensionless
        ns.clip(make(backend, [1.0], u.meter), np.float64(0.5))
