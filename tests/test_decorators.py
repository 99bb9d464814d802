"""``check_dims``, ``check_units`` and ``assign_units``: brainunit's argument and result checks,
``None``/``bool``/string specifications, error messages that name the function and the argument,
on every backend and under ``jax.jit``."""

from __future__ import annotations

import jax
import numpy as np
import pytest
from conftest import make, values

import brainunit_xp as u
from brainunit_xp import DimensionMismatchError, UnitMismatchError

V = np.array([1.0, 2.0, 4.0])


# -- check_dims -----------------------------------------------------------------------------------


@u.check_dims(I=u.amp.dim, R=u.ohm.dim, wibble=u.metre.dim, result=u.volt.dim)
def getvoltage(I, R, **k):  # noqa: E741
    return I * R


def test_check_dims_passes_and_checks_each_argument(backend: str) -> None:
    out = getvoltage(make(backend, V, u.mA), make(backend, V, u.kohm))
    assert out.dim is u.volt.dim and out.backend == backend
    np.testing.assert_allclose(values(out.to(u.volt)), V * V)
    getvoltage(make(backend, V, u.mA), make(backend, V, u.kohm), wibble=make(backend, V, u.cm))
    with pytest.raises(DimensionMismatchError, match=r"Function 'getvoltage' .* for argument 'wibble'"):
        getvoltage(make(backend, V, u.amp), make(backend, V, u.ohm), wibble=1)
    with pytest.raises(DimensionMismatchError, match="argument 'R'") as err:
        getvoltage(make(backend, V, u.amp), make(backend, V, u.second))
    assert err.value.dims == (u.second.dim,)


def test_check_dims_accepts_units_as_dimensions(backend: str) -> None:
    @u.check_dims(x=u.volt, result=u.volt)
    def f(x):
        return x

    assert f(make(backend, V, u.mV)).unit is u.mV


def test_check_dims_result(backend: str) -> None:
    @u.check_dims(result=u.second.dim)
    def wrong(x):
        return x

    with pytest.raises(DimensionMismatchError, match="return value of function 'wrong'"):
        wrong(make(backend, V, u.mV))

    @u.check_dims(result=lambda d: d**2)
    def square(x):
        return x**2

    assert square(make(backend, V, u.mV)).dim is u.volt.dim**2


def test_check_dims_same_as_other_argument(backend: str) -> None:
    @u.check_dims(a=None, b="a")
    def add(a, b):
        return a + b

    np.testing.assert_allclose(values(add(make(backend, V, u.mV), make(backend, V, u.volt))), V * 1001)
    with pytest.raises(DimensionMismatchError, match="argument 'b' to have the same dimensions as argument 'a'"):
        add(make(backend, V, u.mV), make(backend, V, u.nA))


# -- check_units ----------------------------------------------------------------------------------


@u.check_units(x=u.mV, result=u.mV)
def same_mv(x):
    return x


def test_check_units_is_exact(backend: str) -> None:
    assert same_mv(make(backend, V, u.mV)).unit is u.mV
    with pytest.raises(UnitMismatchError, match=r"Function 'same_mv' .* unit mV for argument 'x' .*\(unit is V\)"):
        same_mv(make(backend, V, u.volt))  # same dimension, other scale: refused
    with pytest.raises(UnitMismatchError, match=r"\(unit is 1\)"):
        same_mv(3)
    with pytest.raises(UnitMismatchError, match="argument 'x'"):
        same_mv(x=make(backend, V, u.volt))


def test_check_units_none_and_strings_are_not_checked_as_arguments() -> None:
    with pytest.raises(TypeError, match="expected a return value"):  # None passes, the result does not
        same_mv(None)
    with pytest.raises(UnitMismatchError, match="return value of function 'same_mv'"):
        same_mv("abc")


def test_check_units_unitless_and_bool() -> None:
    @u.check_units(value=1, absolute=bool, result=bool)
    def is_high(value, absolute=False):
        return bool(abs(value) >= 5) if absolute else bool(value >= 5)

    assert is_high(7) is True and is_high(-7, True) is True and is_high(True) is False
    with pytest.raises(TypeError, match="expected a boolean value for argument 'absolute' but got '4'"):
        is_high(3, 4)
    with pytest.raises(UnitMismatchError, match="argument 'value'"):
        is_high(7 * u.mV)

    @u.check_units(result=bool)
    def not_bool(x):
        return 3

    with pytest.raises(TypeError, match="expected to be a boolean"):
        not_bool(1)

    @u.check_units(x=u.mV, result=bool)
    def positive(x):
        return x > 0  # a dimensionless boolean Quantity in the closed namespace

    assert bool(positive(2 * u.mV))


def test_check_units_same_as_other_argument(backend: str) -> None:
    @u.check_units(summand_1=None, summand_2="summand_1")
    def multiply_sum(multiplicand, summand_1, summand_2):
        return multiplicand * (summand_1 + summand_2)

    out = multiply_sum(make(backend, V, u.nA), make(backend, V, u.mV), make(backend, V, u.mV))
    assert out.dim is u.watt.dim
    np.testing.assert_allclose(values(out.to(u.pwatt)), V * 2 * V)
    with pytest.raises(UnitMismatchError, match="'summand_2' has unit V, while argument 'summand_1' has unit mV"):
        multiply_sum(3, make(backend, V, u.mV), make(backend, V, u.volt))

    @u.check_units(b="c")
    def missing(a, b):
        return a

    with pytest.raises(TypeError, match="no argument of that name"):
        missing(1, 2)


def test_check_units_result_structures(backend: str) -> None:
    @u.check_units(result=(u.mV, u.nA))
    def pair(a, b):
        return a, b

    pair(make(backend, V, u.mV), make(backend, V, u.nA))
    with pytest.raises(UnitMismatchError, match="expected to have unit nA but got unit mV"):
        pair(make(backend, V, u.mV), make(backend, V, u.mV))

    @u.check_units(result=(u.mV, u.nA))
    def as_list(a):
        return [a, a]

    with pytest.raises(TypeError, match="expected a return value"):
        as_list(make(backend, V, u.mV))

    @u.check_units(result={"a": u.mV})
    def as_dict(a):
        return {"a": a}

    as_dict(make(backend, V, u.mV))
    with pytest.raises(UnitMismatchError):
        as_dict(make(backend, V, u.nA))

    @u.check_units(result=lambda a, b: a * b)
    def product(a, b):
        return a * b

    assert product(make(backend, V, u.mV), make(backend, V, u.nA)).unit == u.mV * u.nA


def test_check_units_checks_defaults() -> None:
    @u.check_units(x=u.mV)
    def f(x=3 * u.volt):
        return x

    with pytest.raises(UnitMismatchError, match="argument 'x'"):
        f()
    assert f(2 * u.mV).unit is u.mV


def test_check_units_converts_lists_and_refuses_non_arrays() -> None:
    with pytest.raises(UnitMismatchError, match=r"got '\[1 2\]'"):
        same_mv([1, 2])

    @u.check_units(x=u.mV)
    def f(x):
        return x

    with pytest.raises(TypeError, match="argument 'x' is not an array"):
        f(object())


def test_result_none_means_none_returned() -> None:
    @u.check_units(result=None)
    def f(x):
        return x

    assert f(None) is None
    with pytest.raises(TypeError, match="expected a return value of type None"):
        f(3 * u.mV)


def test_metadata_is_brainunits() -> None:
    assert same_mv._arg_names == ("x",)
    assert same_mv._arg_units == [u.mV]
    assert same_mv._return_unit is u.mV
    assert same_mv._returns_bool is False
    assert same_mv.__name__ == "same_mv"
    assert same_mv._orig_func(5) == 5
    assert set(same_mv._annotation_attributes) >= {"_arg_units", "_arg_names", "_return_unit", "_orig_func"}


def test_check_units_and_dims_under_jit(backend: str) -> None:
    jitted = jax.jit(same_mv)
    out = jitted(make("jax", V, u.mV))
    assert out.unit is u.mV
    np.testing.assert_array_equal(values(out), V)
    with pytest.raises(UnitMismatchError, match="argument 'x'"):
        jitted(make("jax", V, u.volt))
    out = jax.jit(getvoltage)(make("jax", V, u.mA), make("jax", V, u.kohm))
    np.testing.assert_allclose(values(out.to(u.volt)), V * V)
    if backend != "jax":  # the same decorated function keeps working eagerly on the other backends
        assert same_mv(make(backend, V, u.mV)).backend == backend


# -- assign_units ---------------------------------------------------------------------------------


@u.assign_units(I=u.amp, R=u.ohm, result=u.volt)
def voltage(I, R):  # noqa: E741
    return I * R


def test_assign_units_strips_and_assigns(backend: str) -> None:
    out = voltage(make(backend, V, u.mA), make(backend, V, u.kohm))
    assert out.unit is u.volt and out.backend == backend
    np.testing.assert_allclose(values(out), V * V)
    plain = voltage.without_result_units(make(backend, V, u.mA), make(backend, V, u.kohm))
    assert not isinstance(plain, u.Quantity)
    np.testing.assert_allclose(values(plain), V * V)


def test_assign_units_refusals(backend: str) -> None:
    with pytest.raises(TypeError, match="expected a Quantity for argument 'I'"):
        voltage(1, 2)
    with pytest.raises(UnitMismatchError):  # mV is not a current
        voltage(make(backend, V, u.mV), make(backend, V, u.ohm))

    @u.assign_units(x="abc")
    def bad_spec(x):
        return x

    with pytest.raises(TypeError, match="target unit object"):
        bad_spec(1)


def test_assign_units_unitless_bool_and_none(backend: str) -> None:
    @u.assign_units(x=1, b=bool, result=(u.mV, None))
    def g(x, b=False):
        return x, b

    out, flag = g(3.0)
    assert out.unit is u.mV and flag is False
    assert g(3.0, True)[1] is True
    with pytest.raises(TypeError, match="number \\(unitless\\) for argument 'x'"):
        g(make(backend, V, u.mV))
    with pytest.raises(TypeError, match="boolean value for argument 'b'"):
        g(3, 1)
    # a dimensionless Quantity (a ratio, a comparison) passes as its plain value, scale folded
    out, _ = g(make(backend, V, u.mV / u.volt))
    np.testing.assert_allclose(values(out), V / 1000)


def test_assign_units_structured_arguments_and_results(backend: str) -> None:
    @u.assign_units(x=(u.mV, u.nA), result={"a": u.mV})
    def g(x):
        return {"a": x[0] + x[1] * 0}

    out = g((make(backend, V, u.volt), make(backend, V, u.uA)))["a"]
    assert out.unit is u.mV
    np.testing.assert_allclose(values(out), V * 1000)
    with pytest.raises(TypeError, match="structure like"):
        g([make(backend, V, u.volt), make(backend, V, u.uA)])
    with pytest.raises(TypeError, match="structure like"):
        g(make(backend, V, u.volt))

    @u.assign_units(result=u.mV)
    def two():
        return [1.0, 2.0]

    with pytest.raises(TypeError, match="structure"):
        two()


def test_assign_units_result_callable_sees_declared_units(backend: str) -> None:
    @u.assign_units(x=u.mV, result=lambda x: x**2)
    def square(x):
        return x**2

    out = square(make(backend, V, u.volt))
    # the function got values in mV, so the result is in mV^2 (physically V^2 * 1e6 mV^2/V^2)
    assert out.unit == u.mV**2
    np.testing.assert_allclose(values(out.to(u.volt**2)), V**2)


def test_assign_units_extra_positional_and_partial(backend: str) -> None:
    @u.assign_units(x=u.mV, result=u.mV)
    def g(x, *rest):
        return x + sum(rest)

    np.testing.assert_allclose(values(g(make(backend, V, u.volt), 1, 2)), V * 1000 + 3)
    deco = u.assign_units(x=u.volt)
    assert callable(deco)
    np.testing.assert_allclose(values(deco(lambda x: x)(make(backend, V, u.mV))), V / 1000)


def test_assign_units_under_jit() -> None:
    out = jax.jit(voltage)(make("jax", V, u.mA), make("jax", V, u.kohm))
    assert out.unit is u.volt
    np.testing.assert_allclose(values(out), V * V)
