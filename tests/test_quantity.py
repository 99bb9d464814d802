"""The Quantity on every backend: construction, operators, conversions, dtypes, indexing,
protocols, and the errors that stop silent unit loss."""

from __future__ import annotations

import copy
import operator
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
from conftest import make, values, xp_of

import brainunit_xp as u
from brainunit_xp import ONE, BackendError, DimensionMismatchError, Quantity, UnitError

# -- construction and attributes ----------------------------------------------------------------


def test_construction_forms(backend: str) -> None:
    xp = xp_of(backend)
    m = xp.asarray([1.0, 2.0])
    forms = [Quantity(m, unit=u.mV), Quantity(m, "mV"), u.mV * m]
    if backend != "array_api_strict":  # strict arrays raise instead of deferring to the unit
        forms.append(m * u.mV)
    for q in forms:
        assert isinstance(q, Quantity)
        assert q.unit is u.mV
        assert q.backend == backend
        np.testing.assert_allclose(values(q), [1.0, 2.0])
    plain = Quantity(m)
    assert plain.unit is ONE and plain.dim is u.DIMENSIONLESS


def test_attributes(backend: str) -> None:
    q = make(backend, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], u.meter)
    assert q.mantissa is not None and q.unit is u.meter and q.dim is u.meter.dim
    assert q.shape == (2, 3) and q.ndim == 2 and q.size == 6
    assert q.dtype == q.mantissa.dtype
    assert q.T.shape == (3, 2) and q.T.unit is u.meter
    assert q.mT.shape == (3, 2) and q.mT.unit is u.meter
    np.testing.assert_allclose(values(q.mT), values(q).T)
    assert q.device == Quantity(xp_of(backend).asarray([0.0])).device


def test_sequence_of_quantities_converts_to_the_first_unit() -> None:
    q = Quantity([1 * u.meter, 50 * u.cmeter])
    assert q.unit is u.meter and q.backend == "jax"
    np.testing.assert_allclose(values(q), [1.0, 0.5])
    with pytest.raises(DimensionMismatchError):
        Quantity([1 * u.meter, 1 * u.second])
    with u.using_backend("numpy"):
        assert Quantity([1 * u.mV, 2 * u.mV]).backend == "numpy"


def test_quantity_from_quantity_converts() -> None:
    q = Quantity(np.array([1.0]), u.meter)
    assert Quantity(q).unit is u.meter
    np.testing.assert_allclose(values(Quantity(q, u.cmeter)), [100.0])
    with pytest.raises(DimensionMismatchError):
        Quantity(q, u.second)


def test_bad_units_raise_our_error() -> None:
    with pytest.raises(UnitError, match="unknown unit 'blorp'"):
        Quantity(1.0, "blorp")
    with pytest.raises(UnitError, match="a unit must be a Unit or a string"):
        Quantity(1.0, 3)
    with pytest.raises(UnitError, match=r"use its \.unit"):
        Quantity(1.0, 3 * u.mV)
    with pytest.raises(BackendError, match="unsupported array type"):
        Quantity(object())


def test_dtype_argument(backend: str) -> None:
    xp = xp_of(backend)
    q = Quantity(xp.asarray([1, 2]), u.mV, dtype=xp.float32)
    assert q.dtype == xp.float32


# -- operators --------------------------------------------------------------------------------------

A = [1.0, 2.0, 4.0]
B = [0.5, 4.0, 2.0]


@pytest.mark.parametrize(
    ("op", "ua", "ub", "unit", "expect"),
    [
        (operator.add, u.meter, u.meter, u.meter, np.add(A, B)),
        (operator.add, u.meter, u.cmeter, u.meter, np.add(A, np.multiply(B, 0.01))),
        (operator.sub, u.cmeter, u.meter, u.cmeter, np.subtract(A, np.multiply(B, 100))),
        (operator.mul, u.mV, u.nS, u.mV * u.nS, np.multiply(A, B)),
        (operator.truediv, u.meter, u.second, u.meter / u.second, np.divide(A, B)),
        (operator.truediv, u.meter, u.cmeter, ONE, np.divide(A, B) * 100),
        (operator.floordiv, u.meter, u.meter, ONE, np.floor_divide(A, B)),
        (operator.mod, u.second, u.second, u.second, np.mod(A, B)),
        (operator.lt, u.meter, u.cmeter, ONE, np.less(A, np.multiply(B, 0.01))),
        (operator.ge, u.meter, u.meter, ONE, np.greater_equal(A, B)),
        (operator.eq, u.mV, u.mV, ONE, np.equal(A, B)),
        (operator.ne, u.mV, u.mV, ONE, np.not_equal(A, B)),
    ],
)
def test_binary_operators(backend: str, op: object, ua: u.Unit, ub: u.Unit, unit: u.Unit, expect: np.ndarray) -> None:
    a, b = make(backend, A, ua), make(backend, B, ub)
    out = op(a, b)  # type: ignore[operator]
    assert isinstance(out, Quantity)
    assert out.unit == unit and out.backend == backend
    np.testing.assert_allclose(values(out), expect, rtol=1e-6)


def test_mismatched_dimensions_raise_with_op_units_and_fix(backend: str) -> None:
    a, b = make(backend, A, u.meter), make(backend, B, u.second)
    for op in (operator.add, operator.sub, operator.lt, operator.mod, operator.floordiv):
        with pytest.raises(DimensionMismatchError) as err:
            op(a, b)
        msg = str(err.value)
        assert "'m'" in msg and "'s'" in msg and ".to(" in msg and op.__name__ in msg


def test_matmul_and_power(backend: str) -> None:
    a = make(backend, [[1.0, 2.0], [3.0, 4.0]], u.ohm)
    b = make(backend, [1.0, 1.0], u.ampere)
    out = a @ b
    assert out.unit is u.volt
    np.testing.assert_allclose(values(out), [3.0, 7.0])
    sq = make(backend, A, u.cmeter) ** 2
    assert sq.unit is u.cmeter2
    np.testing.assert_allclose(values(sq), np.square(A))
    root = make(backend, A, u.hertz) ** 0.5
    assert root.unit == u.hertz**0.5
    np.testing.assert_allclose(values(root), np.sqrt(A), rtol=1e-6)
    ratio = make(backend, A, ONE) ** make(backend, B, ONE)
    np.testing.assert_allclose(values(ratio), np.power(A, B), rtol=1e-5)


def test_pow_needs_a_scalar_exponent(backend: str) -> None:
    a = make(backend, A, u.meter)
    with pytest.raises(UnitError, match="must be a scalar, got a non-scalar") as info:
        a ** make(backend, [1.0, 2.0, 3.0])
    assert isinstance(info.value, TypeError)  # a value of the wrong kind, as in brainunit
    with pytest.raises(UnitError, match="dimensionless"):
        a ** (2 * u.second)
    with pytest.raises(UnitError, match="dimensionless"):
        2.0**a
    if backend == "dask":  # a lazy exponent has no value to read the unit's power from
        with pytest.raises(BackendError, match="concrete"):
            a ** make(backend, 2.0)
    else:
        np.testing.assert_allclose(values(a ** make(backend, 2.0)), np.square(A))


def test_unary_operators(backend: str) -> None:
    a = make(backend, [-1.0, 2.0], u.mV)
    for out, expect in ((-a, [1.0, -2.0]), (+a, [-1.0, 2.0]), (abs(a), [1.0, 2.0])):
        assert out.unit is u.mV
        np.testing.assert_allclose(values(out), expect)
    ints = make(backend, [1, 2], dtype=xp_of(backend).int32)
    np.testing.assert_array_equal(values(~ints), [-2, -3])
    with pytest.raises(UnitError, match="dimensionless"):
        ~make(backend, [1, 2], u.mV, dtype=xp_of(backend).int32)


def test_bitwise_operators_need_dimensionless(backend: str) -> None:
    xp = xp_of(backend)
    a, b = make(backend, [1, 6], dtype=xp.int32), make(backend, [3, 3], dtype=xp.int32)
    np.testing.assert_array_equal(values(a & b), [1, 2])
    np.testing.assert_array_equal(values(a | b), [3, 7])
    np.testing.assert_array_equal(values(a ^ b), [2, 5])
    np.testing.assert_array_equal(values(a << b), [8, 48])
    np.testing.assert_array_equal(values(b >> make(backend, [1, 1], dtype=xp.int32)), [1, 1])
    with pytest.raises(UnitError):
        make(backend, [1, 6], u.meter, dtype=xp.int32) & b


def test_reflected_operators_with_plain_values(backend: str) -> None:
    xp = xp_of(backend)
    a = make(backend, A, u.meter)
    assert (2 * a).unit is u.meter and (a * 2).unit is u.meter
    np.testing.assert_allclose(values(2 * a), np.multiply(A, 2))
    inv = 1 / a
    assert inv.unit == u.meter**-1
    np.testing.assert_allclose(values(inv), np.divide(1, A))
    if backend != "array_api_strict":  # strict arrays refuse foreign operands instead of deferring
        plain = xp.asarray(B)
        out = plain * a
        assert out.unit is u.meter and out.backend == backend
        np.testing.assert_allclose(values(out), np.multiply(B, A), rtol=1e-6)
    dimless = make(backend, A)
    np.testing.assert_allclose(values(1 + dimless), np.add(A, 1))
    np.testing.assert_allclose(values(3 - dimless), np.subtract(3, A))


def test_zero_inf_nan_are_unit_free(backend: str) -> None:
    a = make(backend, [-1.0, 2.0], u.mV)
    np.testing.assert_array_equal(values(a > 0), [False, True])
    np.testing.assert_array_equal(values(a > 0), [False, True])
    assert (a + 0).unit is u.mV and (0 + a).unit is u.mV
    np.testing.assert_array_equal(values(a < float("inf")), [True, True])
    assert (a * 0).unit is u.mV
    with pytest.raises(DimensionMismatchError):
        a + 1
    with pytest.raises(DimensionMismatchError):
        a > 1  # noqa: B015


def test_builtin_sum_of_quantities() -> None:
    total = sum([1 * u.mV, 2 * u.mV, 500 * u.uV])
    assert total.unit is u.mV
    assert values(total) == pytest.approx(3.5)


def test_inplace_operators(backend: str) -> None:
    a = make(backend, [1.0, 2.0], u.meter)
    alias = a
    a += 50 * u.cmeter
    assert a is alias and a.unit is u.meter
    np.testing.assert_allclose(values(a), [1.5, 2.5])
    a -= make(backend, [0.5, 0.5], u.meter)
    a *= 2
    np.testing.assert_allclose(values(a), [2.0, 4.0])
    a *= 1 * u.second  # a new unit: the mantissa is rebound, never rescaled in place
    assert a.unit == u.meter * u.second
    a /= 2 * u.second
    assert a.unit is u.meter
    np.testing.assert_allclose(values(a), [1.0, 2.0])
    with pytest.raises(DimensionMismatchError):
        a += 1 * u.second


def test_inplace_is_in_place_on_mutable_backends() -> None:
    m = np.array([1.0, 2.0])
    a = Quantity(m, u.meter)
    a += 1 * u.meter
    assert a.mantissa is m
    np.testing.assert_allclose(m, [2.0, 3.0])


def test_inplace_keeps_the_left_backend() -> None:
    import jax.numpy as jnp

    a = Quantity(np.array([1.0]), u.meter)
    a += Quantity(jnp.array([1.0]), u.meter)
    assert a.backend == "numpy"


def test_divmod(backend: str) -> None:
    q, r = divmod(make(backend, [7.0, 9.0], u.meter), make(backend, [2.0, 4.0], u.meter))
    assert q.unit is ONE and r.unit is u.meter
    np.testing.assert_allclose(values(q), [3.0, 2.0])
    np.testing.assert_allclose(values(r), [1.0, 1.0])


# -- dtypes ---------------------------------------------------------------------------------------


def test_float32_stays_float32(backend: str) -> None:
    xp = xp_of(backend)
    a = make(backend, [1.0, 2.0], u.meter, dtype=xp.float32)
    b = make(backend, [1.0, 2.0], u.cmeter, dtype=xp.float32)
    for out in (a + b, a - b, a * b, a / b, a.to(u.mmeter), a * 2.5):
        assert out.dtype == xp.float32
    np.testing.assert_allclose(values(a + b), [1.01, 2.02], rtol=1e-6)


def test_integers_stay_integers_when_the_factor_is_whole(backend: str) -> None:
    xp = xp_of(backend)
    a = make(backend, [1, 2], u.cmeter, dtype=xp.int32)
    b = make(backend, [1, 2], u.meter, dtype=xp.int32)
    out = a + b
    assert out.dtype == xp.int32
    np.testing.assert_array_equal(values(out), [101, 202])
    frac = b + a  # 0.01 is not whole: promoted to the default floating dtype
    assert xp.isdtype(frac.dtype, "real floating")
    np.testing.assert_allclose(values(frac), [1.01, 2.02], rtol=1e-6)


# -- conversion ------------------------------------------------------------------------------------


def test_to_and_to_value(backend: str) -> None:
    a = make(backend, [1.0, 2.0], u.meter)
    cm = a.to(u.cmeter)
    assert cm.unit is u.cmeter and cm.backend == backend
    np.testing.assert_allclose(values(cm), [100.0, 200.0])
    np.testing.assert_allclose(values(a.to("mm")), [1000.0, 2000.0])
    np.testing.assert_allclose(values(a.to_value(u.kmeter)), [0.001, 0.002])
    assert a.to_value() is a.mantissa
    assert a.to_decimal(u.cmeter) is not None
    with pytest.raises(DimensionMismatchError, match=r"'m'.*'s'"):
        a.to(u.second)


def test_dimensionless_scale_folds(backend: str) -> None:
    out = make(backend, [1.0], u.meter) / make(backend, [1.0], u.cmeter)
    assert out.unit is ONE
    np.testing.assert_allclose(values(out), [100.0])
    ang = make(backend, [90.0], u.degree)
    np.testing.assert_allclose(values(ang / u.radian), [np.pi / 2])


# -- weak Python scalars and backend selection ----------------------------------------------------------


def test_python_scalar_quantities_are_weak(backend: str) -> None:
    a = make(backend, [1.0, 2.0], u.mV)
    assert (a + 3 * u.mV).backend == backend
    assert (3 * u.mV + a).backend == backend
    assert (a * (2 * u.ms)).backend == backend
    scalar = 3 * u.mV
    assert type(scalar.mantissa) is int
    assert (scalar + 2 * u.mV).mantissa == 5


def test_selection_rule_for_every_operator() -> None:
    import jax.numpy as jnp

    q_np = Quantity(np.array([1.0, 2.0]), u.meter)
    q_jax = Quantity(jnp.array([2.0, 4.0]), u.meter)
    ops = [operator.add, operator.sub, operator.mul, operator.truediv, operator.mod, operator.lt, operator.eq]
    for op in ops:
        assert op(q_np, q_np).backend == "numpy"
        assert op(q_np, q_jax).backend == "jax"
        with u.using_backend("numpy"):
            assert op(q_np, q_jax).backend == "numpy"


# -- indexing ---------------------------------------------------------------------------------------


def test_getitem(backend: str) -> None:
    a = make(backend, [[1.0, 2.0], [3.0, 4.0]], u.mV)
    assert a[0, :].unit is u.mV
    np.testing.assert_allclose(values(a[0, :]), [1.0, 2.0])
    np.testing.assert_allclose(values(a[1, 0]), 3.0)
    np.testing.assert_allclose(values(a[:, 1]), [2.0, 4.0])
    mask = a > 2 * u.mV
    if backend not in ("dask", "ndonnx"):  # data-dependent shapes
        np.testing.assert_allclose(values(a[mask]), [3.0, 4.0])
    idx = make(backend, 1, dtype=xp_of(backend).int64 if backend != "jax" else None)
    np.testing.assert_allclose(values(make(backend, [5.0, 6.0, 7.0], u.mV)[idx]), 6.0)


def test_slice_bounds_may_be_dimensionless_quantities(backend: str) -> None:
    xp = getattr(u, backend)
    a = make(backend, [1.0, 2.0, 3.0, 4.0], u.mV)
    start, stop = xp.asarray(1), xp.asarray(1) + xp.asarray(2)  # as generic code computes them
    assert isinstance(stop, Quantity)
    part = a[start:stop]
    assert part.unit is u.mV
    np.testing.assert_allclose(values(part), [2.0, 3.0])
    np.testing.assert_allclose(values(a[:stop:start]), [1.0, 2.0, 3.0])
    with pytest.raises(UnitError, match="index: needs a dimensionless argument, got unit 'm'"):
        a[0 : 2 * u.meter]


def test_setitem_converts_and_checks(backend: str) -> None:
    if backend in ("dask",):
        pytest.skip("dask arrays support only limited item assignment")
    a = make(backend, [1.0, 2.0, 3.0], u.meter)
    a[0] = 50 * u.cmeter
    a[1] = 0
    a[2] = make(backend, 2.0, u.kmeter)
    np.testing.assert_allclose(values(a), [0.5, 0.0, 2000.0])
    assert a.unit is u.meter
    with pytest.raises(DimensionMismatchError):
        a[0] = 1 * u.second
    with pytest.raises(DimensionMismatchError):
        a[0] = 1.0


def test_setitem_on_dask_is_lazy_and_converts() -> None:
    pytest.importorskip("dask")
    a = Quantity(np.array([1.0, 2.0, 3.0]), u.meter).to_dask()
    a[0] = 50 * u.cmeter
    assert a.backend == "dask"
    np.testing.assert_allclose(values(a), [0.5, 2.0, 3.0])


def test_len_and_iter(backend: str) -> None:
    a = make(backend, [1.0, 2.0], u.mV)
    assert len(a) == 2
    items = list(a)
    assert all(isinstance(i, Quantity) and i.unit is u.mV for i in items)
    assert [values(i / u.mV).item() for i in items] == [1.0, 2.0]


# -- display and value semantics ---------------------------------------------------------------------


def test_seed_display() -> None:
    assert str(Quantity(np.array([1.0]), unit=u.meter)) == "[1.] m"
    assert repr(Quantity(np.array([1.0]), unit=u.meter)) == "Quantity(array([1.]), unit='m')"
    assert str(3 * u.mV) == "3 mV"
    assert str(Quantity(np.array([1.0]))) == "[1.]"
    assert f"{Quantity(np.float64(1.23456), u.mV):.2f}" == "1.23 mV"
    assert str(u.Quantity(np.array([2.0]), u.kilogram * u.meter2 / u.second2)) == "[2.] J"


def test_a_unit_written_with_numbers_joins_with_a_star() -> None:
    """``2.5 10^3`` reads as two numbers: a unit that starts with a number joins with ``*``."""
    q = u.Quantity(2.5, unit=u.Unit(scale=3))
    assert str(q) == f"{q:.1f}" == q.repr_in_unit() == "2.5 * 10^3"
    mixed = u.Quantity(np.array([1.0]), u.Unit(u.meter.dim, scale=3, factor=2.0))
    assert str(mixed) == "[1.] * 2 * 10^3 * m"
    assert str(2.5 * u.mV) == "2.5 mV" and str(2.5 / u.mV) == "2.5 mV^-1"


def test_pickle_copy_deepcopy(backend: str) -> None:
    a = make(backend, [1.0, 2.0], u.mV)
    for b in (pickle.loads(pickle.dumps(a)), copy.copy(a), copy.deepcopy(a)):
        assert isinstance(b, Quantity)
        assert b.unit is u.mV and b.backend == backend
        np.testing.assert_allclose(values(b), [1.0, 2.0])


# -- no silent unit loss -------------------------------------------------------------------------------


def test_concrete_conversions_refuse_units(backend: str) -> None:
    if backend == "dask":
        pytest.skip("dask is covered by test_dask_refuses_concrete_values")
    q = make(backend, 2.0, u.mV)
    for fn in (float, int, complex, np.asarray):
        with pytest.raises(UnitError, match="dimensionless"):
            fn(q)
    with pytest.raises(UnitError, match="dimensionless"):
        q.__dlpack__()
    with pytest.raises(UnitError, match="dimensionless"):
        operator.index(make(backend, 2, u.mV, dtype=xp_of(backend).int32))
    plain = make(backend, 2.0)
    assert float(plain) == 2.0 and int(plain) == 2 and complex(plain) == 2.0
    np.testing.assert_allclose(np.asarray(plain), 2.0)
    assert float(make(backend, 50.0, u.percent)) == pytest.approx(0.5)
    assert bool(make(backend, 2.0, u.mV))  # zero is zero in every unit
    assert operator.index(make(backend, 3, dtype=xp_of(backend).int32)) == 3


def test_dask_refuses_concrete_values() -> None:
    pytest.importorskip("dask")
    q = Quantity(np.array([1.0, 2.0]), u.mV).to_dask()
    s = (q / u.mV)[0]
    for fn in (float, int, bool, hash, operator.index, np.asarray, lambda x: x.tolist()):
        with pytest.raises(BackendError, match=r"lazy.*compute\(\)"):
            fn(s)
    assert q.backend == "dask"
    assert (q + q).backend == "dask" and (q * q).backend == "dask"
    assert hasattr((q + q).mantissa, "compute")


def test_dask_computes_on_request_and_still_checks_units() -> None:
    pytest.importorskip("dask")
    q = Quantity(np.array([1.0, 2.0]), u.mV).to_dask()
    s = (q / u.uV)[1]
    with u.computing_lazy_values():
        assert float(s) == 2000.0 and int(s) == 2000 and bool(s)
        assert (q / u.mV).tolist() == [1.0, 2.0]
        np.testing.assert_allclose(np.asarray(q / u.mV), [1.0, 2.0])
        assert operator.index(Quantity(np.array(3), u.ONE).to_dask()) == 3
        squared = q ** Quantity(np.array(2.0)).to_dask()  # a lazy exponent is read too
        assert squared.unit == u.mV**2 and squared.backend == "dask"
        np.testing.assert_allclose(values(squared), [1.0, 4.0])
        with pytest.raises(UnitError, match="float: needs a dimensionless argument, got unit 'mV'"):
            float(q[0])
        with pytest.raises(TypeError, match="unhashable"):
            hash(s)
    with pytest.raises(BackendError, match=r"computing_lazy_values\(\)"):
        float(s)  # the block is over: refused again


def test_computing_lazy_values_from_the_environment() -> None:
    pytest.importorskip("dask")
    code = "import numpy as np, brainunit_xp as u; print(float(u.Quantity(np.array(2.5)).to_dask()))"
    env = {**os.environ, "BRAINUNIT_XP_COMPUTE_LAZY": "1", "JAX_PLATFORMS": "cpu"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "2.5"


def test_hash_is_refused(backend: str) -> None:
    if backend == "dask":
        return
    with pytest.raises(TypeError, match="unhashable"):
        hash(make(backend, [1.0], u.mV))


def test_error_hierarchy() -> None:
    assert issubclass(DimensionMismatchError, UnitError)
    assert issubclass(UnitError, u.BrainUnitError) and issubclass(UnitError, ValueError)
    assert issubclass(BackendError, u.BrainUnitError) and issubclass(BackendError, TypeError)
