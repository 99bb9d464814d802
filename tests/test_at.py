"""``Quantity.at[key]`` on every backend: each update against numpy's (``ufunc.at`` or item
assignment) on the same numbers, the unit rules (values converted to the quantity's unit; factors
dimensionless; powers of dimensionless quantities only), jax's out-of-bound modes, repeated
indices, and that the original quantity is never changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from conftest import make, values, xp_of
from hypothesis import given, settings
from hypothesis import strategies as st

import brainunit_xp as u
from brainunit_xp import ONE, DimensionMismatchError, Quantity, UnitError
from brainunit_xp._errors import BackendNotImplementedError

X = np.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0], [7.0, 8.0, 9.0], [0.5, 0.25, -1.0]])

#: the keys of the updates: how to build each on a backend, and numpy's own
KEYS: dict[str, tuple[Callable[[str], Any], Any]] = {
    "int": (lambda b: 2, 2),
    "negative-int": (lambda b: -1, -1),
    "tuple": (lambda b: (1, 2), (1, 2)),
    "slice": (lambda b: slice(1, 3), slice(1, 3)),
    "row-slice": (lambda b: (slice(None), 0), (slice(None), 0)),
    "ellipsis": (lambda b: (..., 1), (..., 1)),
    "int-array": (lambda b: xp_of(b).asarray(np.array([3, 0])), np.array([3, 0])),
    "list": (lambda b: [0, 2], [0, 2]),
    "numpy-index": (lambda b: np.array([1, 3]), np.array([1, 3])),
    "mask": (lambda b: xp_of(b).asarray(X > 2.0), X > 2.0),
    "quantity-index": (lambda b: Quantity(xp_of(b).asarray(np.array([2, 1], dtype=np.int32))), np.array([2, 1])),
}
#: each update: the value given (in volts, the quantity being in mV), numpy's mantissa value, and
#: numpy's ufunc (``None``: item assignment)
OPS: dict[str, tuple[Any, float, Any]] = {
    "set": (0.002 * u.volt, 2.0, None),
    "add": (0.003 * u.volt, 3.0, np.add),
    "subtract": (500 * u.uV, 0.5, np.subtract),
    "multiply": (3.0, 3.0, np.multiply),
    "divide": (4 * u.mV / u.volt, 0.004, np.true_divide),
    "min": (0.0025 * u.volt, 2.5, np.minimum),
    "max": (0.0025 * u.volt, 2.5, np.maximum),
}
#: backends on which repeated indices of an update accumulate, as in jax (the others: last write wins)
ACCUMULATE = {"jax", "numpy", "cupy", "ndonnx", "array_api_strict"}


def _numpy_update(op: str, key: Any, value: float | np.ndarray) -> np.ndarray:
    out = X.copy()
    ufunc = OPS[op][2]
    if ufunc is None:
        out[key] = value
    else:
        ufunc.at(out, key, value)
    return out


def _close(q: Quantity, ref: Any, unit: u.Unit = u.mV) -> None:
    assert isinstance(q, Quantity) and q.unit == unit, q
    np.testing.assert_allclose(values(q), ref, rtol=1e-6)


@pytest.mark.parametrize("key", sorted(KEYS))
@pytest.mark.parametrize("op", sorted(OPS))
def test_update_against_numpy(backend: str, op: str, key: str) -> None:
    q = make(backend, X, u.mV)
    build, np_key = KEYS[key]
    given_value, plain, _ = OPS[op]
    before = values(q).copy()
    out = getattr(q.at[build(backend)], op)(given_value)
    _close(out, _numpy_update(op, np_key, plain))
    assert out.backend == backend
    np.testing.assert_array_equal(values(q), before)  # functional: the original is unchanged


@pytest.mark.parametrize("key", ["int", "slice", "int-array", "mask"])
def test_get_apply_power(backend: str, key: str) -> None:
    build, np_key = KEYS[key]
    q = make(backend, X, u.mV)
    _close(q.at[build(backend)].get(), X[np_key])
    ref = X.copy()
    ref[np_key] = np.abs(X[np_key])
    _close(q.at[build(backend)].apply(abs), ref)
    ratio = make(backend, X, u.mV) / u.volt  # dimensionless, scale folded: X / 1000
    ref = X / 1000
    np.power.at(ref, np_key, 2)
    _close(ratio.at[build(backend)].power(2), ref, ONE)


def test_value_arrays_and_lists(backend: str) -> None:
    q = make(backend, X, u.mV)
    rows = make(backend, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], u.volt)
    ref = X.copy()
    ref[[0, 2]] = [[1000.0, 2000.0, 3000.0], [4000.0, 5000.0, 6000.0]]
    _close(q.at[[0, 2]].set(rows), ref)
    ref = X.copy()
    ref[1] += [1.0, 2.0, 3.0]
    _close(q.at[1].add([1, 2, 3] * u.mV), ref)  # a list quantity (default backend) moves to q's
    ref = X.copy()
    ref[:, 1] *= [1.0, 2.0, 3.0, 4.0]
    _close(q.at[:, 1].multiply(xp_of(backend).asarray(np.array([1.0, 2.0, 3.0, 4.0]))), ref)


def test_repeated_indices(backend: str) -> None:
    q = make(backend, [1.0, 2.0, 3.0], u.mV)
    idx = xp_of(backend).asarray(np.array([0, 0, 2]))
    added = q.at[idx].add([1.0, 2.0, 4.0] * u.mV)
    if backend in ACCUMULATE | {"torch"}:
        _close(added, [4.0, 2.0, 7.0])  # jax's rule: every update applies
    else:
        _close(added, [3.0, 2.0, 7.0])  # the backend's item assignment: the last write wins
    if backend in ACCUMULATE:
        _close(q.at[idx].multiply(2.0), [4.0, 2.0, 6.0])
        _close(q.at[idx].min([0.5, -1.0, 9.0] * u.mV), [-1.0, 2.0, 3.0])
    else:
        _close(q.at[idx].multiply(2.0), [2.0, 2.0, 6.0])
    _close(q.at[idx].set([5.0, 6.0, 7.0] * u.mV), [6.0, 2.0, 7.0])


def test_out_of_bounds_by_default_as_jax(backend: str) -> None:
    """Without a mode, out-of-bound updates are dropped and reads clamped, as jax (and brainunit)
    do, for integer and 1-D integer indices."""
    q = make(backend, [10.0, 20.0, 30.0], u.mV)
    _close(q.at[10].add(5 * u.mV), [10.0, 20.0, 30.0])
    _close(q.at[[1, 7]].set([1.0, 2.0] * u.mV), [10.0, 1.0, 30.0])
    _close(q.at[20].get(), 30.0)
    _close(q.at[[-1, -9]].get(), [30.0, 10.0])


def test_unit_free_values_and_quantities(backend: str) -> None:
    q = make(backend, X, u.mV)
    ref = X.copy()
    ref[0] = 0.0
    _close(q.at[0].set(0), ref)
    ref = X.copy()
    ref[1, 1] = np.inf
    _close(q.at[1, 1].set(float("inf")), ref)
    ref = X.copy()
    ref[2] = np.minimum(ref[2], 0.0)
    _close(q.at[2].min(0), ref)
    buffer = q.__array_namespace__().zeros(3)  # unit-free: takes the unit of what it receives
    _close(buffer.at[1].set(2 * u.mV), [0.0, 2.0, 0.0])
    _close(buffer.at[1].add(2 * u.second), [0.0, 2.0, 0.0], u.second)


def test_unit_errors_name_the_update(backend: str) -> None:
    q = make(backend, X, u.mV)
    with pytest.raises(DimensionMismatchError, match=r"at\[\.\.\.\]\.set"):
        q.at[0].set(1 * u.second)
    with pytest.raises(DimensionMismatchError, match=r"at\[\.\.\.\]\.add"):
        q.at[0].add(1.0)  # a plain number is not a voltage
    with pytest.raises(DimensionMismatchError, match=r"at\[\.\.\.\]\.max"):
        q.at[0].max(2.0)
    with pytest.raises(UnitError, match=r"at\[\.\.\.\]\.multiply"):
        q.at[0].multiply(2 * u.mV)
    with pytest.raises(UnitError, match=r"at\[\.\.\.\]\.divide"):
        q.at[0].divide(2 * u.second)
    with pytest.raises(UnitError, match=r"at\[\.\.\.\]\.power"):
        q.at[0].power(2)
    with pytest.raises(UnitError, match=r"at\[\.\.\.\]\.apply"):
        q.at[0].apply(abs, unit_fun=lambda x: x**2)
    with pytest.raises(DimensionMismatchError, match=r"at\[\.\.\.\]\.get"):
        q.at[9].get(mode="fill", fill_value=1.0)
    with pytest.raises(UnitError, match="index"):
        q.at[Quantity(xp_of(backend).asarray(np.array([1], dtype=np.int32)), u.mV)].get()
    with pytest.raises(ValueError, match="mode"):
        q.at[0].set(0, mode="nearest")


@pytest.mark.parametrize("mode", ["clip", "drop", "fill", "promise_in_bounds"])
def test_out_of_bound_modes_as_jax(backend: str, mode: str) -> None:
    """jax's ``mode`` (emulated on the other backends for integer and 1-D integer indices) gives
    what jax gives on the same numbers."""
    jnp = pytest.importorskip("jax.numpy")
    base = np.array([1.0, 2.0, 3.0], dtype=np.float32)
    q, ref = make(backend, base, u.mV), jnp.asarray(base)
    idx = [-1, 5, 1] if mode != "promise_in_bounds" else [-1, 1]
    fill = -7.0 if mode == "fill" else None
    got = q.at[idx].get(mode=mode, fill_value=None if fill is None else fill * u.mV)
    np.testing.assert_allclose(values(got), np.asarray(ref.at[jnp.asarray(idx)].get(mode=mode, fill_value=fill)))
    assert got.unit is u.mV
    if mode == "promise_in_bounds":
        return
    unique = [-4, 5, 1]  # distinct after clipping too: the order of repeated writes differs by backend
    new = np.array([10.0, 20.0, 30.0], dtype=np.float32)
    for op in ("set", "add", "multiply"):
        value = new if op == "multiply" else new * u.mV
        got = getattr(q.at[unique], op)(value, mode=mode)
        want = getattr(ref.at[jnp.asarray(unique)], op)(jnp.asarray(new), mode=mode)
        np.testing.assert_allclose(values(got), np.asarray(want), err_msg=op)
    for i in (7, -7, 1):
        np.testing.assert_allclose(values(q.at[i].add(1 * u.mV, mode=mode)), np.asarray(ref.at[i].add(1.0, mode=mode)))


def test_scatter_methods(backend: str) -> None:
    q = make(backend, [1.0, 2.0, 3.0], u.mV)
    _close(q.scatter_add(0, 10 * u.mV), [11.0, 2.0, 3.0])
    _close(q.scatter_sub(1, 0.001 * u.volt), [1.0, 1.0, 3.0])
    _close(q.scatter_mul(2, 10.0), [1.0, 2.0, 30.0])
    _close(q.scatter_div(2, 2.0), [1.0, 2.0, 1.5])
    _close(q.scatter_max(0, 5 * u.mV), [5.0, 2.0, 3.0])
    _close(q.scatter_min(2, 0.5 * u.mV), [1.0, 2.0, 0.5])
    with pytest.raises(UnitError, match="multiply"):
        q.scatter_mul(0, 2 * u.mV)


def test_mul_div_aliases_and_repr() -> None:
    q = Quantity(np.array([1.0, 2.0]), u.mV)
    _close(q.at[0].mul(3.0), [3.0, 2.0])
    _close(q.at[1].div(2.0), [1.0, 1.0])
    assert "IndexUpdate" in repr(q.at) and "IndexUpdate" in repr(q.at[0])


def test_at_under_jit() -> None:
    jax = pytest.importorskip("jax")

    @jax.jit
    def bump(q: Quantity) -> Quantity:
        return q.at[1].add(1 * u.mV).at[0].set(0.5 * u.mV)

    out = bump(make("jax", [1.0, 2.0], u.volt))
    assert out.unit is u.volt
    np.testing.assert_allclose(values(out), [0.0005, 2.001], rtol=1e-6)


# -- laws -----------------------------------------------------------------------------------------

sizes = st.integers(1, 6)


@settings(max_examples=40, deadline=None)
@given(st.data(), st.sampled_from(["numpy", "jax", "torch", "array_api_strict", "ndonnx"]))
def test_set_then_get_round_trips(data: st.DataObject, backend: str) -> None:
    n = data.draw(sizes)
    base = data.draw(st.lists(st.floats(-100, 100, width=32), min_size=n, max_size=n))
    idx = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
    new = data.draw(st.lists(st.floats(-100, 100, width=32), min_size=len(idx), max_size=len(idx)))
    q = make(backend, np.asarray(base, dtype=np.float32), u.mV)
    updated = q.at[idx].set(make(backend, np.asarray(new, dtype=np.float32), u.mV) / 1000 * u.volt / u.mV)
    np.testing.assert_allclose(values(updated.at[idx].get()), new, rtol=1e-5, atol=1e-5)
    untouched = [i for i in range(n) if i not in idx]
    np.testing.assert_array_equal(values(updated)[untouched], np.asarray(base, dtype=np.float32)[untouched])


@settings(max_examples=40, deadline=None)
@given(st.data(), st.sampled_from(sorted(ACCUMULATE - {"cupy"})))
def test_add_accumulates_like_numpy_add_at(data: st.DataObject, backend: str) -> None:
    n = data.draw(sizes)
    idx = data.draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=8))
    add = data.draw(st.lists(st.integers(-50, 50), min_size=len(idx), max_size=len(idx)))
    q = make(backend, np.arange(n, dtype=np.float32), u.mV)
    got = q.at[np.asarray(idx)].add(make(backend, np.asarray(add, dtype=np.float32), u.mV))
    want = np.arange(n, dtype=np.float32)
    np.add.at(want, idx, add)
    np.testing.assert_allclose(values(got), want)


@pytest.mark.parametrize("op", ["get", "set", "add"])
def test_nd_integer_index(backend: str, op: str) -> None:
    """A lone 2-D integer index array picks rows, as in numpy, on every backend (dask, ndonnx and
    array_api_strict cannot index so themselves: the update goes through its ravel)."""
    q = make(backend, X, u.mV)
    key = np.array([[0, 2], [3, 1]])
    if op == "get":
        _close(q.at[key].get(), X[key])
        _close(q.at[xp_of(backend).asarray(key)].get(), X[key])
    elif op == "set":
        rows = np.arange(12.0).reshape(2, 2, 3)  # one row of values per index
        _close(q.at[key].set(Quantity(xp_of(backend).asarray(rows), u.mV)), _numpy_update("set", key, rows))
    else:
        _close(q.at[key.tolist()].add(3 * u.mV), _numpy_update("add", key, 3.0))


def test_dask_several_integer_arrays() -> None:
    """dask takes one integer array per index: two are our error (a ``NotImplementedError`` too,
    as brainunit raises), naming the update, dask and the fix, instead of dask's own."""
    q = make("dask", X, u.mV)
    rows, cols = np.array([0, 1]), np.array([1, 2])
    with pytest.raises(BackendNotImplementedError, match=r"at\[\.\.\.\]\.get.*dask.*\.to_numpy\(\)"):
        q.at[rows, cols].get()
    with pytest.raises(NotImplementedError, match=r"at\[\.\.\.\]\.set.*dask"):
        q.at[rows, cols].set(1 * u.mV)
    np.testing.assert_allclose(values(q.to_numpy().at[rows, cols].get()), X[rows, cols])
