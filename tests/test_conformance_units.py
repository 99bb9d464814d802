"""The official suite's checks, re-run with units (the suite itself only builds dimensionless arrays).

For random shapes with broadcasting, float32 and float64, and special values (nan, ±inf, ±0),
every function whose rule admits dimensioned inputs gets them in two compatible units (m and cm):
the result must have the broadcast shape and the bare function's dtype, carry the rule's unit, and
hold exactly the bare function's values on the converted mantissas. Incompatible units must raise.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from conftest import skip_reason, values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import brainunit_xp as u
from brainunit_xp._backends import BACKENDS

m, cm, s = u.meter, u.cmeter, u.second
CM = 0.01  # cm in m
SETTINGS = settings(
    max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None
)
SPECIAL = [0.0, -0.0, math.inf, -math.inf, math.nan, 1.0, -2.5]


def _dtypes(backend: str) -> list[str]:
    return ["float32"] if backend == "jax" else ["float32", "float64"]  # jax runs without x64


def _arrays(dtype: str, shape: tuple[int, ...], special: bool = True) -> st.SearchStrategy[np.ndarray]:
    finite = st.floats(-100, 100, width=32)
    return hnp.arrays(dtype, shape, elements=st.one_of(finite, st.sampled_from(SPECIAL)) if special else finite)


def _setup(backend: str, data: st.DataObject, name: str | None = None) -> tuple[Any, Any, str]:
    """The bare and unit-aware namespaces of ``backend`` and a drawn float dtype (skips where absent)."""
    reason = skip_reason(backend)
    if reason:
        pytest.skip(reason)
    xp = BACKENDS[backend].xp
    if name is not None and not hasattr(xp, name):
        pytest.skip(f"{backend} has no {name}")
    return xp, getattr(u, backend), data.draw(st.sampled_from(_dtypes(backend)))


def _same(got: u.Quantity, want: object, unit: u.Unit) -> None:
    assert isinstance(got, u.Quantity)
    assert got.unit.dim is unit.dim and got.unit.scale == pytest.approx(unit.scale), (got.unit, unit)
    w = values(want)
    g = values(got)
    assert g.shape == w.shape
    assert g.dtype == w.dtype
    np.testing.assert_array_equal(g, w)  # same operations on the same arrays: exactly equal, nan too


BACKEND_NAMES = [b for b in BACKENDS if b != "cupy"] + ["cupy"]
SAME = ["add", "subtract", "maximum", "minimum", "hypot", "copysign"]
COMPARE = ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]
PRODUCT = {"multiply": m * cm, "divide": m / cm}


def _pair(draw: st.DrawFn, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3)).input_shapes
    return draw(_arrays(dtype, shapes[0])), draw(_arrays(dtype, shapes[1]))


@pytest.mark.parametrize("backend", BACKEND_NAMES)
@pytest.mark.parametrize("name", SAME + COMPARE + list(PRODUCT))
@given(data=st.data())
@SETTINGS
def test_binary_broadcasting_dtypes_special_values(backend: str, name: str, data: st.DataObject) -> None:
    xp, ns, dtype = _setup(backend, data, name)
    a, c = (xp.asarray(v) for v in _pair(data.draw, dtype))
    try:
        bare = getattr(xp, name)(a, c if name in PRODUCT or name == "copysign" else c * CM)
    except NotImplementedError:
        pytest.skip(f"{backend} does not implement {name}")
    got = getattr(ns, name)(u.Quantity(a, unit=m), u.Quantity(c, unit=cm))
    if name in PRODUCT:  # the result's unit may fold the scale into the values (m / cm is the number 100)
        want = PRODUCT[name]
        assert got.unit.dim is want.dim and got.shape == bare.shape and got.dtype == bare.dtype
        np.testing.assert_allclose(
            values(got) * got.unit.scale, values(bare) * want.scale, rtol=1e-6, atol=0, equal_nan=True
        )
    else:  # copysign takes only the sign of x2, in any unit: no conversion
        _same(got, bare, m if name in SAME else u.ONE)
    if name in ("equal", "not_equal"):  # different dimensions are never equal, in the broadcast shape
        out = getattr(ns, name)(u.Quantity(a, unit=m), u.Quantity(c, unit=s))
        assert out.unit is u.ONE and out.shape == bare.shape
        assert (values(out) == (name == "not_equal")).all()
    elif name not in PRODUCT and name != "copysign":
        with pytest.raises(u.DimensionMismatchError, match=name):
            getattr(ns, name)(u.Quantity(a, unit=m), u.Quantity(c, unit=s))


KEEP_UNARY = ["abs", "negative", "positive", "floor", "ceil", "trunc", "round"]
POWER_UNARY = {"square": m**2, "sqrt": m**0.5, "reciprocal": m**-1}


@pytest.mark.parametrize("backend", BACKEND_NAMES)
@pytest.mark.parametrize("name", KEEP_UNARY + list(POWER_UNARY))
@given(data=st.data())
@SETTINGS
def test_unary_shapes_dtypes_special_values(backend: str, name: str, data: st.DataObject) -> None:
    xp, ns, dtype = _setup(backend, data)
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=3, max_side=3))
    a = xp.asarray(data.draw(_arrays(dtype, shape)))
    unit = POWER_UNARY.get(name, cm)
    got = getattr(ns, name)(u.Quantity(a, unit=m if name in POWER_UNARY else cm))
    _same(got, getattr(xp, name)(a), unit)


REDUCTIONS = {"sum": 1, "mean": 1, "max": 1, "min": 1, "std": 1, "var": 2, "prod": None, "cumulative_sum": 1}


@pytest.mark.parametrize("backend", BACKEND_NAMES)
@pytest.mark.parametrize("name", list(REDUCTIONS))
@given(data=st.data())
@SETTINGS
def test_reductions_over_random_axes(backend: str, name: str, data: st.DataObject) -> None:
    xp, ns, dtype = _setup(backend, data, name)
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    a = xp.asarray(data.draw(_arrays(dtype, shape, special=name not in ("std", "var"))))
    if name == "cumulative_sum":
        axis = data.draw(st.integers(0, len(shape) - 1))
    else:
        axis = data.draw(st.none() | st.integers(0, len(shape) - 1))
    got = getattr(ns, name)(u.Quantity(a, unit=cm), axis=axis)
    n = REDUCTIONS[name]
    if n is None:  # prod: unit to the number of reduced elements
        n = math.prod(shape) if axis is None else shape[axis]
    _same(got, getattr(xp, name)(a, axis=axis), cm**n)


@pytest.mark.parametrize("backend", BACKEND_NAMES)
@given(data=st.data())
@SETTINGS
def test_where_clip_concat_stack_convert_to_the_first_unit(backend: str, data: st.DataObject) -> None:
    xp, ns, dtype = _setup(backend, data)
    a, c = (xp.asarray(v) for v in _pair(data.draw, dtype))
    qa, qc = u.Quantity(a, unit=m), u.Quantity(c, unit=cm)
    cond = a > c
    _same(ns.where(cond, qa, qc), xp.where(cond, a, c * CM), m)
    lo, hi = u.Quantity(xp.asarray(-50.0, dtype=a.dtype), unit=cm), u.Quantity(xp.asarray(0.25, dtype=a.dtype), unit=m)
    _same(ns.clip(qa, lo, hi), xp.clip(a, xp.asarray(-0.5, dtype=a.dtype), xp.asarray(0.25, dtype=a.dtype)), m)
    flat_a, flat_c = xp.reshape(a, (-1,)), xp.reshape(c, (-1,))
    got = ns.concat([u.Quantity(flat_a, unit=m), u.Quantity(flat_c, unit=cm)])
    _same(got, xp.concat([flat_a, flat_c * CM]), m)
    _same(ns.stack([qa, qa]), xp.stack([a, a]), m)
    for call in (
        lambda: ns.where(cond, qa, u.Quantity(c, unit=s)),
        lambda: ns.clip(qa, u.Quantity(xp.asarray(0.0, dtype=a.dtype), unit=s), None),
        lambda: ns.concat([u.Quantity(flat_a, unit=m), u.Quantity(flat_c, unit=s)]),
    ):
        with pytest.raises(u.DimensionMismatchError):
            call()


@pytest.mark.parametrize("backend", BACKEND_NAMES)
@given(data=st.data())
@SETTINGS
def test_dimensionless_functions_convert_scaled_ratios_and_refuse_dimensions(backend: str, data: st.DataObject) -> None:
    xp, ns, dtype = _setup(backend, data)
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    a = xp.asarray(data.draw(_arrays(dtype, shape, special=False)))
    pct = u.Quantity(a, unit=u.percent)  # dimensionless with scale 0.01: converted before the call
    for name in ("exp", "sin", "tanh", "expm1"):
        got = getattr(ns, name)(pct)
        assert got.unit is u.ONE
        np.testing.assert_allclose(values(got), values(getattr(xp, name)(a * 0.01)), rtol=1e-6, equal_nan=True)
        with pytest.raises(u.UnitError, match=name):
            getattr(ns, name)(u.Quantity(a, unit=m))


@pytest.mark.parametrize("backend", BACKEND_NAMES)
@given(data=st.data())
@SETTINGS
def test_linalg_on_batched_dimensioned_matrices(backend: str, data: st.DataObject) -> None:
    xp, ns, dtype = _setup(backend, data, "linalg")
    n = data.draw(st.integers(1, 3))
    batch = data.draw(hnp.array_shapes(min_dims=0, max_dims=1, max_side=2))
    raw = data.draw(hnp.arrays("float64", (*batch, n, n), elements=st.floats(-1, 1)))
    spd = raw @ np.swapaxes(raw, -1, -2) + n * np.eye(n)  # well conditioned, symmetric positive definite
    A = xp.asarray(spd.astype(dtype))
    qa = u.Quantity(A, unit=cm)
    checks = {
        "det": (lambda: ns.linalg.det(qa), lambda: xp.linalg.det(A), cm**n),
        "inv": (lambda: ns.linalg.inv(qa), lambda: xp.linalg.inv(A), cm**-1),
        "eigvalsh": (lambda: ns.linalg.eigvalsh(qa), lambda: xp.linalg.eigvalsh(A), cm),
        "cholesky": (lambda: ns.linalg.cholesky(qa), lambda: xp.linalg.cholesky(A), cm**0.5),
        "svdvals": (lambda: ns.linalg.svdvals(qa), lambda: xp.linalg.svdvals(A), cm),
    }
    for name, (ours, bare, unit) in checks.items():
        if not hasattr(xp.linalg, name):
            continue
        try:
            want = bare()
        except Exception:  # the bare backend does not implement it (ndonnx)
            continue
        got = ours()
        assert got.unit.dim is unit.dim and got.unit.scale == pytest.approx(unit.scale), (name, got.unit)
        np.testing.assert_allclose(values(got), values(want), rtol=1e-4, atol=1e-6)
    if hasattr(xp.linalg, "solve"):
        rhs = xp.asarray(np.ones((*batch, n, 1), dtype=dtype))
        try:
            want = xp.linalg.solve(A, rhs)
        except Exception:
            return
        got = ns.linalg.solve(qa, u.Quantity(rhs, unit=u.newton))
        assert got.unit.dim is (u.newton / cm).dim
        np.testing.assert_allclose(values(got), values(want), rtol=1e-4, atol=1e-6)
