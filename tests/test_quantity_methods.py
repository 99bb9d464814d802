"""brainunit's Quantity methods on every backend: each method's values against numpy's method (or
function) on the same numbers, and its unit; the in-place ones, the unit methods, the errors.

The table ``CASES`` holds one row per call: the method call on a Quantity, numpy's computation on
the mantissa's values, and the expected unit as a function of the input's unit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from conftest import make, values, xp_of
from hypothesis import given, settings
from hypothesis import strategies as st

import brainunit_xp as u
from brainunit_xp import ONE, BackendError, DimensionMismatchError, Quantity, UnitError

M = np.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])  # the 2 x 3 input of most rows
SQ = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
V3 = np.array([1.0, 2.0, 3.0])
NAN = np.array([[1.0, np.nan, 2.0], [3.0, 4.0, np.nan]])
SORTED = np.array([1.0, 2.0, 4.0, 8.0])

Unitf = Callable[[u.Unit], u.Unit]
SAME: Unitf = lambda x: x  # noqa: E731
DIMLESS: Unitf = lambda x: ONE  # noqa: E731


@dataclass(frozen=True)
class Case:
    """``call(q)`` against ``ref(values)``; ``unit(q.unit)`` is the result's unit."""

    id: str
    call: Callable[[Quantity], Any]
    ref: Callable[[np.ndarray], Any]
    unit: Unitf = SAME
    data: np.ndarray = field(default_factory=lambda: M)
    qunit: u.Unit = u.mV
    #: backends that cannot compute it (each raises BackendError naming the way out)
    lacking: tuple[str, ...] = ()
    #: backends whose own function computes it wrongly (strict xfail, with the reason in WRONG)
    wrong: tuple[str, ...] = ()


WRONG = "ndonnx's cumulative_prod gives NaN after a negative value (it multiplies through logarithms)"


CASES = [
    # -- reductions ---------------------------------------------------------------------------
    Case("sum", lambda q: q.sum(), np.sum),
    Case("sum-axis-keepdims", lambda q: q.sum(axis=0, keepdims=True), lambda a: a.sum(axis=0, keepdims=True)),
    Case("sum-positional-axis", lambda q: q.sum(1), lambda a: a.sum(1)),
    Case("sum-initial", lambda q: q.sum(initial=500 * u.uV), lambda a: a.sum() + 0.5),
    Case("sum-where", lambda q: q.sum(where=values(q) > 0), lambda a: a.sum(where=a > 0)),
    Case("mean", lambda q: q.mean(axis=1), lambda a: a.mean(axis=1)),
    Case("std", lambda q: q.std(), np.std),
    Case("std-ddof", lambda q: q.std(axis=0, ddof=1), lambda a: a.std(axis=0, ddof=1)),
    Case("var", lambda q: q.var(), np.var, lambda x: x**2),
    Case("var-axis", lambda q: q.var(1, ddof=1), lambda a: a.var(1, ddof=1), lambda x: x**2),
    Case("max", lambda q: q.max(), np.max),
    Case("max-axis", lambda q: q.max(axis=0), lambda a: a.max(axis=0)),
    Case("max-initial", lambda q: q.max(initial=4 * u.mV), lambda a: a.max(initial=4.0)),
    Case(
        "max-where", lambda q: q.max(where=values(q) < 4, initial=-10 * u.mV), lambda a: a.max(where=a < 4, initial=-10)
    ),
    Case("min-keepdims", lambda q: q.min(axis=1, keepdims=True), lambda a: a.min(axis=1, keepdims=True)),
    Case("ptp", lambda q: q.ptp(), np.ptp),
    Case("ptp-axis", lambda q: q.ptp(axis=0), lambda a: np.ptp(a, axis=0)),
    Case("prod", lambda q: q.prod(), np.prod, lambda x: x**6),
    Case("prod-axis", lambda q: q.prod(axis=0), lambda a: a.prod(axis=0), lambda x: x**2),
    Case("prod-initial", lambda q: q.prod(axis=1, initial=2.0), lambda a: a.prod(axis=1, initial=2.0), lambda x: x**3),
    Case(
        "prod-dimensionless-where",
        lambda q: q.prod(where=values(q) > 0),
        lambda a: a.prod(where=a > 0),
        DIMLESS,
        qunit=ONE,
    ),
    Case("nanprod", lambda q: q.nanprod(), np.nanprod, DIMLESS, NAN, ONE),
    Case(
        "nanprod-uniform-units",
        lambda q: q.nanprod(axis=1),
        lambda a: np.nanprod(a, axis=1),
        lambda x: x**2,
        NAN,
        lacking=("dask",),
    ),
    Case("cumsum", lambda q: q.cumsum(), np.cumsum),
    Case("cumsum-axis", lambda q: q.cumsum(axis=1), lambda a: a.cumsum(axis=1)),
    Case("cumprod", lambda q: q.cumprod(), np.cumprod, DIMLESS, qunit=ONE, wrong=("ndonnx",)),
    Case(
        "cumprod-axis", lambda q: q.cumprod(axis=0), lambda a: a.cumprod(axis=0), DIMLESS, qunit=ONE, wrong=("ndonnx",)
    ),
    Case("nancumprod", lambda q: q.nancumprod(), np.nancumprod, DIMLESS, NAN, ONE),
    Case("trace", lambda q: q.trace(), np.trace, data=SQ),
    Case("trace-offset", lambda q: q.trace(1), lambda a: a.trace(1)),
    Case("trace-negative-offset", lambda q: q.trace(-1), lambda a: a.trace(-1), data=SQ),
    # -- searching, testing -------------------------------------------------------------------
    Case("argmax", lambda q: q.argmax(), np.argmax, DIMLESS),
    Case("argmax-axis", lambda q: q.argmax(axis=0), lambda a: a.argmax(axis=0), DIMLESS),
    Case(
        "argmin-keepdims", lambda q: q.argmin(axis=1, keepdims=True), lambda a: a.argmin(axis=1, keepdims=True), DIMLESS
    ),
    Case("all", lambda q: q.all(), np.all, DIMLESS),
    Case("any-axis", lambda q: q.any(axis=0), lambda a: a.any(axis=0), DIMLESS, np.array([[0.0, 1.0], [0.0, 0.0]])),
    Case("argsort", lambda q: q.argsort(), lambda a: a.argsort(kind="stable"), DIMLESS),
    Case("argsort-flat", lambda q: q.argsort(axis=None), lambda a: a.argsort(axis=None, kind="stable"), DIMLESS),
    Case("searchsorted", lambda q: q.searchsorted(3 * u.mV), lambda a: a.searchsorted(3.0), DIMLESS, SORTED),
    Case(
        "searchsorted-right",
        lambda q: q.searchsorted([2, 5] * u.mV, side="right"),
        lambda a: a.searchsorted([2, 5], side="right"),
        DIMLESS,
        SORTED,
    ),
    Case("searchsorted-unit", lambda q: q.searchsorted(0.004 * u.volt), lambda a: a.searchsorted(4.0), DIMLESS, SORTED),
    Case("isfinite", lambda q: q.isfinite, np.isfinite, DIMLESS, NAN),
    Case("isinf", lambda q: q.isinf, np.isinf, DIMLESS, np.array([1.0, np.inf, -np.inf])),
    Case("isinfinite", lambda q: q.isinfinite, np.isinf, DIMLESS, np.array([1.0, np.inf])),
    Case("isnan", lambda q: q.isnan, np.isnan, DIMLESS, NAN),
    Case("isreal", lambda q: q.isreal, np.isreal, DIMLESS),
    # -- elementwise --------------------------------------------------------------------------
    Case("round", lambda q: q.round(), np.round, data=M / 3),
    Case("round-decimals", lambda q: q.round(2), lambda a: a.round(2), data=M / 3),
    Case("round-negative", lambda q: q.round(-1), lambda a: a.round(-1), data=M * 7),
    Case("builtin-round", lambda q: round(q, 1), lambda a: a.round(1), data=M / 3),
    Case("clip", lambda q: q.clip(-1 * u.mV, 0.004 * u.volt), lambda a: a.clip(-1, 4)),
    Case("clip-max", lambda q: q.clip(max=2 * u.mV), lambda a: a.clip(max=2)),
    Case("clip-zero", lambda q: q.clip(min=0), lambda a: a.clip(min=0)),
    Case("conj", lambda q: q.conj(), np.conj),
    Case("conjugate", lambda q: q.conjugate(), np.conjugate),
    Case("real", lambda q: q.real, np.real),
    Case("imag", lambda q: q.imag, np.imag),
    Case("astype", lambda q: q.astype(np.float32), lambda a: a.astype(np.float32)),
    Case("float", lambda q: q.float(), lambda a: a.astype(np.float32)),
    Case("double", lambda q: q.double(), lambda a: a.astype(np.float64)),
    Case("half", lambda q: q.half(), lambda a: a.astype(np.float16), lacking=("array_api_strict",)),
    Case("pow", lambda q: q.pow(2), lambda a: a**2, lambda x: x**2),
    Case("abs-copy", lambda q: abs(q.copy()), np.abs),
    Case("clone", lambda q: q.clone(), np.copy),
    # -- products -----------------------------------------------------------------------------
    Case("dot-matrix", lambda q: q.dot(q.T), lambda a: a.dot(a.T), lambda x: x**2),
    Case("dot-vector", lambda q: q.dot(make_like(q, V3, u.second)), lambda a: a.dot(V3), lambda x: x * u.second),
    Case("dot-1d", lambda q: q.dot(q), lambda a: a.dot(a), lambda x: x**2, V3),
    Case("dot-scalar", lambda q: q.dot(2.0), lambda a: a.dot(2.0)),
    Case("outer", lambda q: q.outer(make_like(q, V3, u.second)), lambda a: np.outer(a, V3), lambda x: x * u.second),
    Case(
        "cross",
        lambda q: q.cross(make_like(q, [[0.0, 0.0, 1.0]], u.nA)),
        lambda a: np.cross(a, [[0.0, 0.0, 1.0]]),
        lambda x: x * u.nA,
    ),
    Case(
        "cross-axis",
        lambda q: q.T.cross(make_like(q, [[0.0], [1.0], [0.0]], ONE), axis=0),
        lambda a: np.cross(a.T, [[0.0], [1.0], [0.0]], axis=0),
    ),
    Case("diagonal", lambda q: q.diagonal(), np.diagonal, data=SQ),
    Case("diagonal-offset", lambda q: q.diagonal(1), lambda a: a.diagonal(1)),
    Case("diagonal-negative", lambda q: q.diagonal(-1), lambda a: a.diagonal(-1)),
    Case("diagonal-axes", lambda q: q.diagonal(0, 1, 0), lambda a: a.diagonal(0, 1, 0), data=SQ.reshape(1, 3, 3).T),
    # -- shape --------------------------------------------------------------------------------
    Case("reshape-args", lambda q: q.reshape(3, 2), lambda a: a.reshape(3, 2)),
    Case("reshape-tuple", lambda q: q.reshape((1, 6)), lambda a: a.reshape((1, 6))),
    Case("reshape-F", lambda q: q.reshape(3, 2, order="F"), lambda a: a.reshape(3, 2, order="F")),
    Case("flatten", lambda q: q.flatten(), lambda a: a.flatten()),
    Case("flatten-F", lambda q: q.flatten("F"), lambda a: a.flatten("F")),
    Case("ravel", lambda q: q.ravel(), np.ravel),
    Case("squeeze", lambda q: q.squeeze(), np.squeeze, data=M.reshape(2, 1, 3)),
    Case("squeeze-axis", lambda q: q.squeeze(axis=1), lambda a: a.squeeze(axis=1), data=M.reshape(2, 1, 3, 1)),
    Case("expand_dims", lambda q: q.expand_dims(1), lambda a: np.expand_dims(a, 1)),
    Case("expand_dims-tuple", lambda q: q.expand_dims((0, -1)), lambda a: np.expand_dims(a, (0, -1))),
    Case("unsqueeze", lambda q: q.unsqueeze(0), lambda a: a[None]),
    Case(
        "expand_as",
        lambda q: q.expand_as(make_like(q, np.zeros((4, 3)), u.volt)),
        lambda a: np.broadcast_to(a, (4, 3)),
        data=V3,
    ),
    Case("expand_as-shape", lambda q: q.expand_as((2, 3)), lambda a: np.broadcast_to(a, (2, 3)), data=V3),
    Case("transpose", lambda q: q.transpose(), np.transpose),
    Case("transpose-args", lambda q: q.transpose(1, 0), lambda a: a.transpose(1, 0)),
    Case(
        "transpose-tuple", lambda q: q.transpose((2, 0, 1)), lambda a: a.transpose((2, 0, 1)), data=M.reshape(2, 3, 1)
    ),
    Case("swapaxes", lambda q: q.swapaxes(0, 1), lambda a: a.swapaxes(0, 1)),
    Case("T", lambda q: q.T, lambda a: a.T),
    Case("repeat", lambda q: q.repeat(2), lambda a: a.repeat(2)),
    Case("repeat-axis", lambda q: q.repeat(2, axis=1), lambda a: a.repeat(2, axis=1)),
    Case("tile", lambda q: q.tile(2), lambda a: np.tile(a, 2)),
    Case("tile-tuple", lambda q: q.tile((2, 1)), lambda a: np.tile(a, (2, 1))),
    Case("view-shape", lambda q: q.view(3, 2), lambda a: a.reshape(3, 2)),
    Case("take", lambda q: q.take([0, 4]), lambda a: a.take([0, 4])),
    Case("take-axis", lambda q: q.take(make_like(q, [2, 0], None, int), axis=1), lambda a: a.take([2, 0], axis=1)),
    Case("take-negative", lambda q: q.take([-1, 0]), lambda a: a.take([-1, 0])),
    Case("take-2d-index", lambda q: q.take([[0, 1], [5, 2]]), lambda a: a.take([[0, 1], [5, 2]])),
    Case("take-wrap", lambda q: q.take([7, -8], mode="wrap"), lambda a: a.take([7, -8], mode="wrap")),
    Case("take-clip", lambda q: q.take([7, -8, -1], mode="clip"), lambda a: a.take([7, -8, -1], mode="clip")),
    Case(
        "take-fill",
        lambda q: q.take([1, 9], mode="fill", fill_value=0.007 * u.volt),
        lambda a: np.array([a.flat[1], 7.0]),
    ),
    Case(
        "take-fill-default",
        lambda q: q.take([-9, 2], axis=1, mode="fill"),
        lambda a: np.stack([np.full(2, np.nan), a[:, 2]], 1),
    ),
    Case(
        "take-empty-axis",
        lambda q: q.take([0, 1], mode="fill", fill_value=9 * u.mV),
        lambda a: np.array([9.0, 9.0]),
        data=np.zeros(0),
    ),
    Case("take-empty-axis-clip", lambda q: q.take([0], mode="clip"), lambda a: np.array([np.nan]), data=np.zeros(0)),
    Case("nonzero", lambda q: q.nonzero()[1], lambda a: a.nonzero()[1], DIMLESS, np.array([[0.0, 1.0], [2.0, 0.0]])),
    Case("item", lambda q: q.item(4), lambda a: a.item(4), lacking=("dask",)),
    Case("at-get", lambda q: q.at[1, 2].get(), lambda a: a[1, 2]),
]


def make_like(q: Quantity, data: Any, unit: Any, dtype: Any = None) -> Any:
    """A quantity (or, for ``unit=None``, a plain array) on ``q``'s backend."""
    xp = xp_of(q.backend)
    arr = xp.asarray(np.asarray(data, dtype=dtype)) if dtype is not None else xp.asarray(np.asarray(data))
    return arr if unit is None else Quantity(arr, unit)


def _check(out: Any, ref: Any, unit: u.Unit) -> None:
    assert isinstance(out, Quantity), type(out)
    assert out.unit == unit, (out.unit, unit)
    expected = np.asarray(ref)
    got = values(out)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    if expected.dtype.kind in "biu":
        np.testing.assert_array_equal(got, expected)
    else:
        np.testing.assert_allclose(got, expected, rtol=2e-6, atol=1e-6, equal_nan=True)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_method_against_numpy(backend: str, case: Case) -> None:
    if backend in case.wrong:
        pytest.xfail(WRONG)
    q = make(backend, case.data, case.qunit)
    if backend in case.lacking:
        with pytest.raises(BackendError, match=backend):
            case.call(q)
        return
    data = values(q).astype(np.float64) if backend != "jax" else values(q)  # jax computes in float32
    _check(case.call(q), case.ref(data), case.unit(case.qunit))


def test_every_method_of_brainunit_has_a_case_or_a_test() -> None:
    """brainunit's Quantity names (tests/data) all exist; the array methods among them are called
    by a row of CASES or by a test below (this file's text names them)."""
    import json
    from pathlib import Path

    names = json.loads((Path(__file__).parent / "data" / "brainunit-0.6.0-names.json").read_text())["names"]
    expected = names["class:Quantity"]
    assert [n for n in expected if not hasattr(Quantity, n)] == []
    text = "".join(
        (Path(__file__).parent / f).read_text()
        for f in ("test_quantity_methods.py", "test_at.py", "test_quantity.py", "test_backends.py")
    )
    untested = [n for n in expected if f".{n}" not in text and f'"{n}"' not in text]
    assert untested == []


# -- dtypes ---------------------------------------------------------------------------------------


def test_dtype_methods_keep_the_unit(backend: str) -> None:
    q = make(backend, M, u.mV)
    for out, name in [(q.float(), "float32"), (q.astype("float32"), "float32"), (q.astype(None), str(q.dtype))]:
        assert out.unit is u.mV and name in str(out.dtype)
    assert q.astype(u.numpy.bool if backend == "numpy" else q.__array_namespace__().bool).unit is ONE
    if backend not in ("jax",):  # jax computes in float32 unless x64 is enabled
        assert "float64" in str(q.double().dtype)
    assert q.itemsize == np.dtype(str(q.dtype).rsplit(".", 1)[-1]).itemsize
    assert q.nbytes == q.itemsize * 6


def test_strides(backend: str) -> None:
    q = make(backend, M, u.mV)
    if backend == "dask":
        with pytest.raises(BackendError, match="memory layout"):
            _ = q.strides
        return
    assert q.strides == (3 * q.itemsize, q.itemsize)


def test_flat_iterates_over_scalars(backend: str) -> None:
    q = make(backend, M, u.mV)
    items = list(q.flat)
    assert len(items) == 6 and all(i.unit is u.mV and i.ndim == 0 for i in items)
    np.testing.assert_allclose([values(i) for i in items], M.ravel())


def test_view_dtype(backend: str) -> None:
    q = make(backend, np.array([1.0, 2.0], dtype=np.float32), u.mV, dtype=None)
    q = q.astype(np.float32)
    if backend in ("ndonnx", "array_api_strict"):
        with pytest.raises(BackendError, match="view"):
            q.view(np.int32)
        return
    out = q.view(np.int32)
    assert out.unit is u.mV
    np.testing.assert_array_equal(values(out), np.array([1.0, 2.0], dtype=np.float32).view(np.int32))


def test_isscalar_and_scalar_mantissas(backend: str) -> None:
    assert make(backend, 3.0, u.mV).isscalar and not make(backend, V3, u.mV).isscalar
    q = 3.0 * u.mV  # a weak Python-number mantissa: the methods compute on the default backend
    assert q.isscalar and q.prod().unit is u.mV and float(q.sum() / u.mV) == 3.0
    assert q.item().unit is u.mV and q.item().mantissa == 3.0


# -- split, nonzero ------------------------------------------------------------------------------


def test_split(backend: str) -> None:
    q = make(backend, M, u.mV)
    for args, kwargs in [((3,), {"axis": 1}), (([1],), {}), (([1, 2],), {"axis": -1})]:
        got = q.split(*args, **kwargs)
        want = np.split(values(q), *args, **kwargs)
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert g.unit is u.mV
            np.testing.assert_allclose(values(g), w)
    with pytest.raises(ValueError, match="equal"):
        q.split(4, axis=1)


def test_nonzero_is_a_tuple_of_index_arrays(backend: str) -> None:
    q = make(backend, [[0.0, 1.0], [2.0, 0.0]], u.mV)
    got = q.nonzero()
    assert isinstance(got, tuple) and len(got) == 2 and all(i.unit is ONE for i in got)
    for g, w in zip(got, np.nonzero([[0.0, 1.0], [2.0, 0.0]]), strict=True):
        np.testing.assert_array_equal(values(g), w)


# -- in place -------------------------------------------------------------------------------------


def test_sort_in_place(backend: str) -> None:
    q = make(backend, [[3.0, 1.0, 2.0], [0.0, -1.0, 5.0]], u.mV)
    assert q.sort() is q and q.unit is u.mV
    np.testing.assert_allclose(values(q), [[1.0, 2.0, 3.0], [-1.0, 0.0, 5.0]])
    q.sort(axis=0)
    np.testing.assert_allclose(values(q), [[-1.0, 0.0, 3.0], [1.0, 2.0, 5.0]])
    q.sort(axis=None)
    np.testing.assert_allclose(values(q), [-1.0, 0.0, 1.0, 2.0, 3.0, 5.0])
    with pytest.raises(NotImplementedError):
        q.sort(order="field")


def test_fill_put_resize(backend: str) -> None:
    q = make(backend, M, u.volt)
    assert q.fill(2 * u.mV) is q and q.unit is u.volt
    np.testing.assert_allclose(values(q), np.full((2, 3), 0.002))
    q.fill(0)  # unit-free
    np.testing.assert_allclose(values(q), np.zeros((2, 3)))
    with pytest.raises(DimensionMismatchError, match="__setitem__"):
        q.fill(1 * u.second)
    q = make(backend, M, u.volt)
    assert q.put([0, 5], [10, 30] * u.volt) is q and q.unit is u.volt
    ref = M.copy()
    ref.flat[[0, 5]] = [10, 30]
    np.testing.assert_allclose(values(q), ref)
    with pytest.raises(DimensionMismatchError, match="put"):
        q.put([1], 1.0)
    r = make(backend, V3, u.mV)
    assert r.resize((2, 4)) is r and r.shape == (2, 4) and r.unit is u.mV
    np.testing.assert_allclose(values(r), np.resize(V3, (2, 4)))
    r.resize(2)
    np.testing.assert_allclose(values(r), [1.0, 2.0])


def test_update_mantissa(backend: str) -> None:
    q = make(backend, V3, u.mV)
    q.update_mantissa([4.0, 5.0, 6.0])
    assert q.unit is u.mV and q.backend == backend
    np.testing.assert_allclose(values(q), [4.0, 5.0, 6.0])
    q.update_mantissa(xp_of(backend).asarray(np.asarray([7.0, 8.0, 9.0], dtype=values(q).dtype)))
    np.testing.assert_allclose(values(q), [7.0, 8.0, 9.0])
    with pytest.raises(ValueError, match="shape"):
        q.update_mantissa([1.0, 2.0])
    with pytest.raises(TypeError, match="Quantity"):
        q.update_mantissa(q)
    with pytest.raises(ValueError, match="dtype"):
        q.update_mantissa(xp_of(backend).asarray(np.asarray([1, 2, 3], dtype=np.int32)))


def test_cpu_keeps_the_values(backend: str) -> None:
    q = make(backend, V3, u.mV)
    assert q.cpu() is q and q.backend == backend and q.unit is u.mV
    np.testing.assert_allclose(values(q), V3)
    if backend in ("numpy", "dask", "ndonnx", "array_api_strict"):
        with pytest.raises(BackendError, match="cuda"):
            q.cuda()


# -- units: conversions, display ------------------------------------------------------------------


def test_unit_methods(backend: str) -> None:
    q = make(backend, [1.0, 2.0], u.mV)
    assert q.magnitude is q.mantissa
    volts = q.in_unit(u.volt)
    assert volts.unit is u.volt and volts.backend == backend
    np.testing.assert_allclose(values(volts), [0.001, 0.002])
    np.testing.assert_allclose(values(q.to_decimal(u.volt)), [0.001, 0.002])
    np.testing.assert_allclose(values(q.to_decimal("uV")), [1000.0, 2000.0])
    with pytest.raises(DimensionMismatchError, match="to_decimal"):
        q.to_decimal()  # brainunit's: by default, plain numbers, which a voltage is not
    with pytest.raises(DimensionMismatchError, match="in_unit"):
        q.in_unit(u.second)
    with pytest.raises(DimensionMismatchError, match="custom message"):
        q.in_unit(u.second, "custom message")
    ratio = q / make(backend, [1.0, 1.0], u.volt)
    np.testing.assert_allclose(values(ratio.to_decimal()), [0.001, 0.002])
    assert not q.is_unitless and make(backend, V3, None).is_unitless
    assert q.has_same_unit(3 * u.mV) and not q.has_same_unit(3 * u.volt) and not q.has_same_unit(1.0)
    w = Quantity.with_unit(q.mantissa, u.volt)
    assert w.unit is u.volt and w.backend == backend


def test_read_only_unit_and_dim() -> None:
    q = 3 * u.mV
    with pytest.raises(NotImplementedError, match="read-only"):
        q.unit = u.volt
    with pytest.raises(NotImplementedError, match="read-only"):
        q.dim = u.volt.dim
    assert q.unit is u.mV


def test_factorless_and_simplify(backend: str) -> None:
    q = make(backend, [3.0], u.minute)
    f = q.factorless()
    assert f.unit.factor == 1.0 and f.unit.exp10 == u.minute.exp10 and f.unit.dim is u.second.dim
    np.testing.assert_allclose(values(f.to(u.second)), [180.0])
    same = make(backend, [3.0], u.mV)
    assert same.factorless() is same
    s = (make(backend, [3.0], u.volt) * u.second).simplify()
    assert s.unit.dim is u.weber.dim and str(s.unit) == "Wb"
    np.testing.assert_allclose(values(s), [3.0])


def test_repr_in_unit_and_format(backend: str) -> None:
    q = make(backend, [25.0, 1.5], u.mV)
    text = q.repr_in_unit()
    if backend == "dask":
        assert text.endswith(" mV") and "dask" in text  # never computes
    else:
        assert text == "[25.   1.5] mV"
        assert format(q, ".2f") == "[25.00 1.50] mV"
        assert format(make(backend, 0.5, None), ".1%") == "50.0%"
    assert (25.0 * u.mV).repr_in_unit() == "25. mV"
    assert format(0.5 * u.mV, "%>10") == "%%%%%%%0.5 mV"
    with pytest.raises(ValueError, match="%"):
        format(q, ".1%")


def test_item_and_tolist(backend: str) -> None:
    q = make(backend, [[1.0, 2.0], [3.0, 4.0]], u.mV)
    if backend == "dask":
        with pytest.raises(BackendError, match="lazy"):
            q.tolist()
        with u.computing_lazy_values():
            assert q.item(3).mantissa == 4.0
        return
    listed = q.tolist()
    assert [[float(x / u.mV) for x in row] for row in listed] == [[1.0, 2.0], [3.0, 4.0]]
    assert all(x.unit is u.mV for row in listed for x in row)
    assert Quantity(listed).unit is u.mV  # round trip, as brainunit's test_list
    assert q.item(1, 0).unit is u.mV and q.item(1, 0).mantissa == 3.0
    ratio = q / make(backend, [[1.0, 1.0], [1.0, 1.0]], u.volt)
    np.testing.assert_allclose(ratio.tolist(), [[0.001, 0.002], [0.003, 0.004]], rtol=1e-6)  # plain numbers
    assert isinstance(ratio.tolist()[0][0], float)
    assert isinstance(ratio.item(0), float)


def test_construction_forms() -> None:
    assert Quantity(3, "mV").unit is u.mV and Quantity(3, "mV").mantissa == 3
    one = Quantity(u.mV)
    assert one.unit is u.mV and one.mantissa == 1.0
    listed = Quantity([1 * u.mV, 2 * u.volt])
    assert listed.unit is u.mV
    np.testing.assert_allclose(values(listed), [1.0, 2000.0])
    converted = Quantity(2 * u.volt, unit=u.mV)
    assert converted.unit is u.mV and float(converted / u.mV) == 2000.0
    with pytest.raises(TypeError, match="unit='mV'"):
        Quantity("mV")
    with pytest.raises(UnitError, match="once"):
        Quantity(u.mV, unit=u.volt)


def test_tree_flatten_round_trip(backend: str) -> None:
    q = make(backend, V3, u.mV)
    leaves, unit = q.tree_flatten()
    back = Quantity.tree_unflatten(unit, leaves)
    assert back.unit is u.mV and back.backend == backend and back.mantissa is q.mantissa
    assert Quantity.tree_unflatten(None, (5.0,)).unit is ONE
    assert Quantity.tree_unflatten(u.mV, ("f32[3]",)).mantissa == "f32[3]"  # jax's placeholders


# -- errors ---------------------------------------------------------------------------------------


def test_unit_errors_name_the_method(backend: str) -> None:
    q = make(backend, M, u.mV)
    with pytest.raises(DimensionMismatchError, match="clip"):
        q.clip(0.5, 2.5)
    with pytest.raises(DimensionMismatchError, match="sum"):
        q.sum(initial=1.0)
    with pytest.raises(DimensionMismatchError, match="max"):
        q.max(initial=1 * u.second)
    with pytest.raises(TypeError, match="cumprod"):  # one of our UnitErrors, and brainunit's TypeError
        q.cumprod()
    with pytest.raises(UnitError, match="nancumprod"):
        q.nancumprod()
    with pytest.raises(UnitError, match=r"prod\(where"):
        q.prod(where=values(q) > 0)
    with pytest.raises(UnitError, match=r"prod\(initial"):
        q.prod(initial=2 * u.mV)
    with pytest.raises(DimensionMismatchError, match="searchsorted"):
        make(backend, SORTED, u.mV).searchsorted(2.0)
    with pytest.raises(DimensionMismatchError, match="expand_as"):
        q.expand_as(make(backend, np.zeros((2, 3)), u.second))
    with pytest.raises(DimensionMismatchError, match="take"):
        q.take([9], mode="fill", fill_value=1.0)
    with pytest.raises(BackendError if backend == "dask" else UnitError, match="nanprod"):
        make(backend, [[1.0, np.nan], [2.0, 3.0]], u.mV).nanprod(axis=1)
    with pytest.raises(ValueError, match="initial"):
        q.max(where=values(q) > 0)
    with pytest.raises(TypeError, match="out="):
        q.sum(out=q)


def test_products_pick_the_backend_as_operators_do(backend: str) -> None:
    """``q.dot(other)`` of another backend computes where ``q @ other`` does (the selection rule);
    values that go into a quantity (bounds, queries, updates) move to its backend."""
    other = "numpy" if backend != "numpy" else "torch"
    a, b = make(backend, SQ, u.mV), make(other, SQ, u.second)
    if backend == "dask":  # a lazy operand is not computed behind your back
        with pytest.raises(u.BackendError, match="would compute it"):
            a @ b  # the selection rule picks jax here: the dask graph would be computed
        return
    for got in (a.dot(b), a.outer(b)):
        assert got.backend == (a @ b).backend and got.unit == u.mV * u.second
    np.testing.assert_allclose(values(a.dot(b)), SQ @ SQ, rtol=1e-6)
    sorted_q = make(backend, SORTED, u.mV)
    assert sorted_q.searchsorted(make(other, [3.0], u.mV)).backend == backend
    assert sorted_q.clip(make(other, 2.0, u.mV)).backend == backend


# -- laws -----------------------------------------------------------------------------------------

finite = st.floats(-1e3, 1e3, allow_nan=False, width=32)
arrays = st.integers(1, 4).flatmap(lambda n: st.lists(st.lists(finite, min_size=3, max_size=3), min_size=n, max_size=n))


@settings(max_examples=30, deadline=None)
@given(arrays, st.sampled_from(["numpy", "torch", "array_api_strict"]))
def test_reductions_commute_with_unit_conversion(data: list[list[float]], backend: str) -> None:
    """Reducing then converting equals converting then reducing (the unit rules are linear)."""
    q = make(backend, np.asarray(data), u.mV)
    for name in ("sum", "mean", "max", "min", "ptp", "std", "cumsum"):
        a = getattr(q, name)(axis=0).to(u.volt)
        b = getattr(q.to(u.volt), name)(axis=0)
        assert a.unit is b.unit is u.volt
        np.testing.assert_allclose(values(a), values(b), rtol=1e-5, atol=1e-9)
    assert q.var().unit == u.mV**2 and q.prod(axis=1).unit == u.mV**3


@settings(max_examples=30, deadline=None)
@given(arrays)
def test_shape_methods_round_trip(data: list[list[float]]) -> None:
    q = make("numpy", np.asarray(data), u.mV)
    n, k = q.shape
    assert q.flatten().reshape(n, k).unit is u.mV
    np.testing.assert_array_equal(values(q.flatten().reshape(n, k)), values(q))
    np.testing.assert_array_equal(values(q.transpose().transpose()), values(q))
    np.testing.assert_array_equal(values(q.expand_dims((0, 2)).squeeze()), values(q).squeeze())
    parts = q.split(n, axis=0)
    assert math.prod(parts[0].shape) == k and all(p.unit is u.mV for p in parts)
