"""No silent wrong answer: each class of bug found on a3d2e3e, on every backend it concerns, plus
property-based laws for the classes (the unit-free invariant; conversion never wraps)."""

from __future__ import annotations

import copy
import math
import pickle
import sys
import types
from typing import Any

import numpy as np
import pytest
from conftest import make, values, xp_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import brainunit_xp as u
from brainunit_xp import BackendError, DimensionMismatchError, Quantity, UnitError
from brainunit_xp._units import FREE

# -- 1. integer conversion never wraps ---------------------------------------------------------------------


def test_integer_conversion_is_exact_when_it_fits_and_refused_when_not(backend: str) -> None:
    xp = xp_of(backend)
    small = make(backend, [1, 3], u.meter, dtype=xp.int32)
    out = small.to(u.cmeter)
    assert out.dtype == xp.int32 and values(out).tolist() == [100, 300]
    big = make(backend, [1000, 3000], u.ms, dtype=xp.int32)
    if backend == "dask":  # checked when computed: nothing computes behind your back
        lazy = big.to(u.ns)
        assert lazy.dtype == xp.int32
        with pytest.raises(UnitError, match="int32"):
            lazy.mantissa.compute()
        return
    with pytest.raises(UnitError, match=r"to: .*int32.*factor of 1000000.*astype"):
        big.to(u.ns)
    tiny = make(backend, [100], u.meter, dtype=xp.int8)
    with pytest.raises(UnitError, match="int8"):
        tiny.to(u.cmeter)
    with pytest.raises(UnitError, match="int8"):  # inside a mixed-unit operation too
        make(backend, [1], u.cmeter, dtype=xp.int8) + tiny
    with pytest.raises(UnitError, match="int8"):
        _ = make(backend, [1], u.cmeter, dtype=xp.int8) == tiny


def test_integer_conversion_under_jit_goes_floating() -> None:
    import jax
    import jax.numpy as jnp

    q = Quantity(jnp.array([1000, 3000], jnp.int32), u.ms)
    out = jax.jit(lambda x: x.to(u.ns))(q)  # values unreadable while tracing: exact floating result
    assert jnp.issubdtype(out.dtype, jnp.floating)
    np.testing.assert_allclose(values(out), [1e9, 3e9])


@given(
    dtype=st.sampled_from(["int8", "int16", "int32", "uint8", "uint16"]),
    pair=st.sampled_from([(u.meter, u.cmeter), (u.second, u.ms), (u.mV, u.uV), (u.kmeter, u.meter)]),
    data=st.data(),
)
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_conversion_never_wraps(dtype: str, pair: tuple[u.Unit, u.Unit], data: st.DataObject) -> None:
    info = np.iinfo(dtype)
    vals = data.draw(st.lists(st.integers(int(info.min), int(info.max)), min_size=1, max_size=6))
    frm, to = pair
    exact = [v * round(frm.factor_to(to)) for v in vals]
    for backend in ("numpy", "torch", "jax"):
        q = make(backend, np.asarray(vals, dtype), frm)
        try:
            out = q.to(to)
        except UnitError:
            assert any(not info.min <= e <= info.max for e in exact)
            continue
        assert values(out).astype(object).tolist() == exact  # exact, same values: no wrap-around


# -- 2. the unit-free invariant ------------------------------------------------------------------------


def test_unit_free_does_not_leak_through_real_numbers(backend: str) -> None:
    ns = getattr(u, backend)
    z = ns.zeros(3)
    assert z.unit is FREE
    clipped = ns.clip(z, 1.0, 2.0)  # the bounds are real numbers: dimensionless
    assert clipped.unit is u.ONE
    with pytest.raises(DimensionMismatchError):
        clipped + 1 * u.meter
    assert ns.clip(z, 1 * u.meter).unit is u.meter  # the reverse: metres meet unit-free zeros
    np.testing.assert_allclose(values(ns.clip(z, 1 * u.meter)), [1, 1, 1])
    prepended = ns.diff(z, prepend=xp_of(backend).asarray([5.0]))
    assert prepended.unit is u.ONE
    assert ns.diff(z, prepend=make(backend, [5.0], u.mV)).unit is u.mV
    assert ns.clip(z, 0.0, math.inf).unit is FREE  # only unit-free values: still unit-free


def test_unit_free_constants_and_products(backend: str) -> None:
    ns = getattr(u, backend)
    for obj in (0.0, math.inf, [math.nan, 0.0]):
        assert ns.asarray(obj).unit is FREE, obj
    assert ns.asarray(1.0).unit is u.ONE and ns.asarray([0.0, 1.0]).unit is u.ONE
    x = make(backend, [1.0, 2.0], u.mV)
    assert (ns.zeros(2) * x).unit is FREE and (x / ns.zeros(2)).unit is FREE
    assert (ns.zeros(2) * u.mV).unit is u.mV  # attaching a unit to unit-free zeros gives it that unit
    assert ns.astype(ns.zeros(2), xp_of(backend).int32).unit is u.ONE  # nan and inf have no integer value
    try:
        assert ns.nextafter(ns.zeros(2), ns.ones(2)).unit is u.ONE
    except NotImplementedError:
        assert backend == "ndonnx"  # onnx has no nextafter


def test_numpy_scalar_zero_inf_nan_are_unit_free(backend: str) -> None:
    """NumPy's number scalars 0, inf and nan (xarray's and scipy's fill values) are unit-free as
    Python's are, on every backend; any other NumPy scalar is a dimensionless number."""
    ns = getattr(u, backend)
    q = make(backend, [1.0, -2.0], u.mV)
    filled = ns.where(q > 0 * u.mV, q, np.float64(np.nan))
    assert filled.unit is u.mV
    np.testing.assert_array_equal(values(filled), [1.0, np.nan])
    floor = ns.maximum(q, np.float32(0.0))
    assert floor.unit is u.mV
    np.testing.assert_array_equal(values(floor), [1.0, 0.0])
    assert ns.clip(q, np.float64(-np.inf), 0.5 * u.mV).unit is u.mV
    with pytest.raises(DimensionMismatchError):
        ns.where(q > 0 * u.mV, q, np.float64(1.0))
    with pytest.raises(DimensionMismatchError):
        ns.maximum(q, np.bool_(False))  # a bool is never unit-free


def test_numpy_scalars_in_operators_join_the_quantitys_backend(backend: str) -> None:
    """In an operator, a NumPy scalar is taken as the namespaces' functions take it: on the
    Quantity's backend (never a switch to the default backend), 0/inf/nan unit-free."""
    q = make(backend, [1.0, -2.0], u.mV)
    kind = type(q.mantissa)
    for out in (q + np.float64(0.0), np.float64(0.0) + q, q - np.float32(np.nan), q * np.float64(2.0)):
        assert type(out.mantissa) is kind and out.unit is u.mV, out
    np.testing.assert_array_equal(values(q * np.float64(2.0)), [2.0, -4.0])
    np.testing.assert_array_equal(values(q + np.float64(-np.inf)), [-np.inf, -np.inf])
    below = q < np.float64(0.0)
    assert type(below.mantissa) is kind and below.unit is u.ONE
    np.testing.assert_array_equal(values(below), [False, True])
    ratio = np.float64(4.0) / q
    assert type(ratio.mantissa) is kind and ratio.unit == u.mV**-1
    np.testing.assert_allclose(values(ratio), [4.0, -2.0])
    with pytest.raises(DimensionMismatchError, match="__add__"):
        q + np.float64(1.0)  # a nonzero number is dimensionless


UNIT_FREE_INPUTS = ("zeros", "inf", "nan")


def _inputs(backend: str, kind: str) -> Any:
    ns = getattr(u, backend)
    if kind == "zeros":
        return ns.zeros(4)
    if kind in ("inf", "nan"):
        return ns.full(4, math.inf if kind == "inf" else math.nan)
    if kind == "dimensionless":
        return make(backend, [0.5, 1.0, 2.0, 3.0])
    return make(backend, [0.5, 1.0, 2.0, 3.0], u.mV)


#: functions of one and two arrays that can take every kind of input; each keeps its rule
UNARY = ["abs", "negative", "sum", "max", "cumulative_sum", "flip", "sort", "round", "sqrt", "square", "exp", "mean"]
BINARY = ["add", "subtract", "multiply", "divide", "maximum", "minimum", "where", "clip", "concat", "nextafter"]


@given(data=st.data())
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_unit_free_invariant(data: st.DataObject) -> None:
    """Random compositions never give a unit-free result holding a value other than 0, inf or nan."""
    backend = data.draw(st.sampled_from(["numpy", "torch", "array_api_strict"]))
    ns = getattr(u, backend)
    x = _inputs(backend, data.draw(st.sampled_from([*UNIT_FREE_INPUTS, "dimensionless", "mV"])))
    for _ in range(data.draw(st.integers(1, 4))):
        other = _inputs(backend, data.draw(st.sampled_from([*UNIT_FREE_INPUTS, "dimensionless", "mV"])))
        name = data.draw(st.sampled_from(UNARY + BINARY))
        try:
            if name in UNARY:
                x = getattr(ns, name)(x)
            elif name == "where":
                x = (
                    ns.where(ns.greater(other, other), x, other)
                    if other.unit is not FREE
                    else ns.where(x > x, x, other)
                )
            elif name == "clip":
                x = ns.clip(x, other)
            elif name == "concat":
                x = ns.concat([x, other])[:4]
            else:
                x = getattr(ns, name)(x, other)
        except (UnitError, TypeError, ValueError, RuntimeError):
            continue  # the physics (or the backend) refuses: fine, as long as nothing is mislabelled
        if x.unit is FREE:
            v = values(x).astype(float)
            assert np.all((v == 0) | np.isinf(v) | np.isnan(v)), (name, v)


# -- 3. unit-free and dimensionless are different static data under jit ------------------------------------


def test_jit_tells_unit_free_from_dimensionless() -> None:
    import jax
    import jax.numpy as jnp

    f = jax.jit(lambda q: q + 1 * u.meter)
    assert f(u.jax.zeros(2)).unit is u.meter
    with pytest.raises(DimensionMismatchError):
        f(Quantity(jnp.ones(2)))  # dimensionless now: must not reuse the unit-free trace


# -- 4. copy.copy copies ------------------------------------------------------------------------------------


def test_copy_does_not_alias(backend: str) -> None:
    q = make(backend, [1.0, 2.0], u.meter)
    c = copy.copy(q)
    c[0] = 5 * u.meter
    assert values(q)[0] == 1.0 and values(c)[0] == 5.0
    d = copy.deepcopy(q)
    assert d.unit is u.meter and values(d).tolist() == [1.0, 2.0]


# -- 5, 6. norms and products whose unit depends on a mode ---------------------------------------------------


def test_vector_norm_ord_zero_is_a_count(backend: str) -> None:
    ns = getattr(u, backend)
    if not hasattr(getattr(ns, "linalg", None), "vector_norm"):
        pytest.skip(f"{backend} has no linalg.vector_norm")
    q = make(backend, [0.0, 3.0, 4.0], u.mV)
    zero = ns.linalg.vector_norm(q, ord=0)
    assert zero.unit is u.ONE and values(zero) == 2.0
    for order in (1, 2, math.inf, -math.inf):
        assert ns.linalg.vector_norm(q, ord=order).unit is u.mV
    for order in ("fro", "nuc", 1, 2, math.inf):
        assert ns.linalg.matrix_norm(make(backend, [[1.0, 2.0], [3.0, 4.0]], u.mV), ord=order).unit is u.mV


def test_prod_with_where_needs_one_count() -> None:
    q = Quantity(np.arange(1.0, 7.0).reshape(2, 3), u.mV)
    with pytest.raises(UnitError, match=r"where= mask.*2 to 3"):
        u.numpy.prod(q, axis=1, where=np.array([[True, False, True], [True, True, True]]))
    out = u.numpy.prod(q, axis=1, where=np.array([[True, False, True], [True, False, True]]))
    assert out.unit == u.mV**2 and values(out).tolist() == [3.0, 24.0]
    dimless = u.numpy.prod(q / u.mV, axis=1, where=np.array([[True, False, True], [True, True, True]]))
    assert dimless.unit is u.ONE


# -- 9. detection never raises ------------------------------------------------------------------------------


def test_is_array_helpers_survive_a_half_imported_library(monkeypatch: pytest.MonkeyPatch) -> None:
    half = types.ModuleType("jax")  # as seen while another thread is importing jax: no Array yet
    monkeypatch.setitem(sys.modules, "jax", half)
    assert u.is_jax_array(np.ones(2)) is False


# -- 11, 12. lazy and symbolic values ----------------------------------------------------------------------


def test_symbolic_ndonnx_values_raise_backend_error() -> None:
    ndx = pytest.importorskip("ndonnx")
    q = Quantity(ndx.argument(shape=("N",), dtype=ndx.float64), u.ONE)
    for call in (lambda: float(q), lambda: bool(q), lambda: np.asarray(q), q.to_numpy,
                 lambda: pickle.dumps(q), lambda: len(q)):  # fmt: skip
        with pytest.raises(BackendError, match=r"symbolic|not known"):
            call()


def test_unknown_dask_length_raises_backend_error() -> None:
    da = pytest.importorskip("dask.array")
    x = da.from_array(np.arange(6.0), chunks=3)
    q = Quantity(x[x > 2], u.mV)  # unknown chunk sizes
    with pytest.raises(BackendError, match="compute_chunk_sizes"):
        len(q)


def test_mixing_lazy_dask_with_another_backend_does_not_compute() -> None:
    pytest.importorskip("dask.array")
    import torch

    qd = Quantity(np.arange(3.0), u.mV).to_dask()
    qt = Quantity(torch.arange(3.0), u.mV)
    with pytest.raises(BackendError, match="would compute it"):
        qd + qt
    with pytest.raises(BackendError, match="would compute it"):
        qt[:] = qd
    with u.computing_lazy_values():
        assert (qd + qt).unit is u.mV
    assert qd.to_numpy().backend == "numpy"  # asking explicitly is fine


# -- 13. booleans never carry units ------------------------------------------------------------------------


def test_booleans_refuse_units(backend: str) -> None:
    xp = xp_of(backend)
    with pytest.raises(UnitError, match="booleans carry no unit"):
        Quantity(xp.asarray([True, False]), u.meter)
    q = make(backend, [1.0, 2.0], u.meter)
    spellings = (bool, xp.bool, "bool", np.bool_) if backend == "numpy" else (bool, xp.bool)
    for spelling in spellings:
        assert getattr(u, backend).zeros_like(q, dtype=spelling).unit is u.ONE, spelling


# -- 15, 16, 17. calls that raised or printed nonsense ------------------------------------------------------


def test_fftfreq_with_positional_spacing(backend: str) -> None:
    ns = getattr(u, backend)
    if not hasattr(getattr(ns, "fft", None), "fftfreq"):
        pytest.skip(f"{backend} has no fft.fftfreq")
    f = ns.fft.fftfreq(4, 0.1 * u.second)
    assert f.unit == u.second**-1
    np.testing.assert_allclose(values(f), np.fft.fftfreq(4, 0.1))


def test_linspace_retstep() -> None:
    samples, step = u.numpy.linspace(0 * u.mV, 1 * u.mV, 5, retstep=True)
    assert samples.unit is u.mV and step.unit is u.mV and float(step / u.mV) == 0.25


def test_format_spec(backend: str) -> None:
    q = make(backend, [1.234, 2.5], u.mV)
    if backend != "dask":
        assert f"{q:.1f}" == "[1.2 2.5] mV"
    assert f"{3 * u.mV:.2f}" == "3.00 mV"
    with pytest.raises(UnitError, match="percentage"):
        f"{3 * u.mV:%}"
    assert f"{(3 * u.mV) / (6 * u.mV):.0%}" == "50%"


def test_format_under_jit() -> None:
    import jax
    import jax.numpy as jnp

    seen: list[str] = []
    jax.jit(lambda q: seen.append(f"{q:.1f}") or q)(Quantity(jnp.array(1.0), u.mV))
    assert seen and seen[0].endswith(" mV")


def test_equality_across_dimensions(backend: str) -> None:
    a, b = make(backend, [1.0, 2.0], u.mV), make(backend, [1.0, 2.0], u.second)
    assert values(a == b).tolist() == [False, False] and values(a != b).tolist() == [True, True]
    assert not bool(1 * u.mV == 1 * u.second) and bool(1 * u.mV != 1 * u.second)
    assert (1 * u.mV in [1 * u.second]) is False
    with pytest.raises(DimensionMismatchError):
        a < b  # noqa: B015  # ordering across dimensions stays an error


def test_bare_unit_in_addition_raises_with_the_hint() -> None:
    for bad in (lambda: u.mV + 3 * u.mV, lambda: 3 * u.mV + u.mV, lambda: 3 * u.mV - u.mV):
        with pytest.raises(UnitError, match=r"e\.g\. 1 \* mV|write 1 \* mV"):
            bad()
    assert (3 * u.mV * u.mV).unit == u.mV**2  # multiplying by a unit still makes quantities


# -- the operators' fast path converts the right operand alone ----------------------------------------------


def test_remainder_and_floor_divide_convert_before_the_operation(backend: str) -> None:
    x1, x2 = make(backend, [1.0, 2.5, 4.0], u.mV), make(backend, [300.0, 2500.0, 5000.0], u.uV)
    np.testing.assert_allclose(values(x1 % x2), [0.1, 0.0, 4.0], atol=1e-6)
    np.testing.assert_allclose(values(x1 // x2), [3.0, 1.0, 0.0])


# -- 14. dimensionless predicates and bounds in lax control flow --------------------------------------------


def test_lax_control_flow_takes_dimensionless_quantities() -> None:
    import jax.numpy as jnp

    s = u.second
    out = u.lax.while_loop(lambda c: c < 3 * s, lambda c: c + 1 * s, jnp.array(0.0) * s)
    assert out.unit is s and float(out / s) == 3.0
    lo, hi = Quantity(jnp.array(0)), Quantity(jnp.array(3))
    assert float(u.lax.fori_loop(lo, hi, lambda i, c: c + 1 * s, jnp.array(0.0) * s) / s) == 3.0
    assert float(u.lax.cond(Quantity(jnp.array(True)), lambda x: x * 2, lambda x: x, jnp.array(1.0) * s) / s) == 2.0
    with pytest.raises(UnitError, match="while_loop: needs a dimensionless"):
        u.lax.while_loop(lambda c: c, lambda c: c + 1 * s, jnp.array(0.0) * s)
