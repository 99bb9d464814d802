"""brainunit's getters and helpers (``get_unit``, ``get_dim``, ``fail_for_*``, ``display_in_unit``,
``maybe_decimal``, the temperature conversions …) on every backend, with brainunit's meanings."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from conftest import make, values, xp_of
from hypothesis import given
from hypothesis import strategies as st

import brainunit_xp as u
from brainunit_xp import DIMENSIONLESS, UNITLESS, DimensionMismatchError, UnitMismatchError

V = np.array([1.0, -2.5, 3.0])


# -- get_unit / get_dim / get_mantissa -----------------------------------------------------------


def test_get_unit_and_dim_of_quantities(backend: str) -> None:
    q = make(backend, V, u.mV)
    assert u.get_unit(q) is u.mV
    assert u.get_dim(q) is u.volt.dim
    assert u.get_dim(q) is u.get_dim(u.mV) is u.get_dim(u.volt.dim)
    np.testing.assert_array_equal(values(u.get_mantissa(q)), V)
    assert u.get_magnitude is u.get_mantissa


def test_plain_values_are_unitless(backend: str) -> None:
    x = xp_of(backend).asarray(V)
    assert u.get_unit(x) is UNITLESS is u.ONE
    assert u.get_dim(x) is DIMENSIONLESS
    assert u.get_mantissa(x) is x
    for plain in (3, 2.5, True, [1, 2], "mV", None):
        assert u.get_unit(plain) is UNITLESS
        assert u.get_dim(plain) is DIMENSIONLESS
    assert u.get_unit(u.volt) is u.volt


def test_get_unit_is_not_a_catalog_lookup() -> None:
    # brainunit's meaning: a string has no unit; names are parsed with parse_unit
    assert u.get_unit("mV") is UNITLESS
    assert u.parse_unit("mV") is u.mV
    assert u.mV is u.UNITS["mV"]  # the catalog still reaches every unit by attribute


def test_split_mantissa_unit(backend: str) -> None:
    q = make(backend, V, u.nA)
    m, unit = u.split_mantissa_unit(q)
    assert m is q.mantissa and unit is u.nA
    x = xp_of(backend).asarray(V)
    m, unit = u.split_mantissa_unit(x)
    assert m is x and unit is UNITLESS
    m, unit = u.split_mantissa_unit([1.0, 2.0])
    assert unit is UNITLESS
    np.testing.assert_array_equal(values(m), [1.0, 2.0])


def test_get_dim_for_display() -> None:
    assert u.get_dim_for_display(DIMENSIONLESS) == "1"
    assert u.get_dim_for_display(1) == "1"
    assert u.get_dim_for_display(u.mV.dim) == "m^2 kg s^-3 A^-1"
    assert u.get_dim_for_display(u.mV) == "m^2 kg s^-3 A^-1"


# -- comparisons ----------------------------------------------------------------------------------


def test_same_dim_and_same_unit(backend: str) -> None:
    mv, v, s = make(backend, V, u.mV), make(backend, V, u.volt), make(backend, V, u.second)
    assert u.have_same_dim(mv, v) and u.have_same_dim(mv, u.volt) and u.have_same_dim(u.mV, u.volt.dim)
    assert not u.have_same_dim(mv, s)
    assert u.have_same_dim(1.0, xp_of(backend).asarray(V))
    assert u.has_same_unit(mv, u.mV) and u.has_same_unit(1.0, 2)
    assert not u.has_same_unit(mv, v)
    assert u.is_unit_equal_math(u.metre, u.meter)
    assert u.is_unit_equal_math(u.amp * u.ohm, u.volt)
    assert not u.is_unit_equal_math(u.mV, u.volt)
    assert not u.is_unit_equal_math(u.mV, 1)


def test_is_unitless_and_dimensionless(backend: str) -> None:
    ratio = make(backend, V, u.mV / u.volt)
    assert u.is_dimensionless(ratio) and not u.is_unitless(ratio)  # scale 1e-3: not unitless
    assert u.is_unitless(make(backend, V)) and u.is_unitless(xp_of(backend).asarray(V)) and u.is_unitless(2.0)
    assert not u.is_dimensionless(make(backend, V, u.mV))
    assert u.is_dimensionless(DIMENSIONLESS) and not u.is_dimensionless(u.mV.dim)
    with pytest.raises(TypeError, match="Dimension has no unit"):
        u.is_unitless(DIMENSIONLESS)
    with pytest.raises(u.UnitError):
        u.is_unitless(u.mV.dim)


def test_is_scalar_type(backend: str) -> None:
    xp = xp_of(backend)
    assert u.is_scalar_type(5) and u.is_scalar_type(2.5) and u.is_scalar_type(np.float64(2.0))
    assert u.is_scalar_type(xp.asarray(2.0)) and u.is_scalar_type(u.Quantity(xp.asarray(2.0)))
    assert not u.is_scalar_type(u.Quantity(xp.asarray(2.0), u.volt))
    assert not u.is_scalar_type(xp.asarray(V))
    assert not u.is_scalar_type("hello") and not u.is_scalar_type([1]) and not u.is_scalar_type(u.mV)


def test_is_scalar_type_is_false_for_traced_values() -> None:
    import jax

    seen = []
    jax.jit(lambda x: seen.append(u.is_scalar_type(x)) or x)(np.float32(2.0))
    assert seen == [False]


# -- fail_for_* -----------------------------------------------------------------------------------


def test_fail_for_dimension_mismatch(backend: str) -> None:
    mv, na = make(backend, V, u.mV), make(backend, V, u.nA)
    assert u.fail_for_dimension_mismatch(mv, make(backend, V, u.volt)) == (u.volt.dim, u.volt.dim)
    assert u.fail_for_dimension_mismatch(2.0) == (DIMENSIONLESS, DIMENSIONLESS)
    with pytest.raises(DimensionMismatchError) as err:
        u.fail_for_dimension_mismatch(mv, na)
    assert str(err.value) == "Dimension mismatch (units are m^2 kg s^-3 A^-1 and A)."
    assert err.value.dims == (u.volt.dim, u.amp.dim)
    with pytest.raises(DimensionMismatchError) as err:  # against a unit: only the value's dimension
        u.fail_for_dimension_mismatch(mv, u.second, "bad {a}", a=mv)
    assert str(err.value) == "bad [ 1.  -2.5  3. ] (unit is m^2 kg s^-3 A^-1)."
    with pytest.raises(DimensionMismatchError, match=r"^Dimension mismatch \(unit is A\)\.$"):
        u.fail_for_dimension_mismatch(na)


def test_fail_for_unit_mismatch(backend: str) -> None:
    mv = make(backend, V, u.mV)
    assert u.fail_for_unit_mismatch(mv, make(backend, V, u.volt)) == (u.mV, u.volt)
    with pytest.raises(UnitMismatchError) as err:
        u.fail_for_unit_mismatch(mv, make(backend, V, u.nA))
    assert str(err.value) == "Unit mismatch (units are mV and nA)."
    assert err.value.units == (u.mV, u.nA)
    with pytest.raises(UnitMismatchError, match=r"^Unit mismatch \(unit is mV\)\.$"):
        u.fail_for_unit_mismatch(mv)


def test_error_hierarchy_is_catchable_like_brainunits() -> None:
    # brainunit raises UnitMismatchError where our operators raise DimensionMismatchError
    with pytest.raises(UnitMismatchError):
        _ = 1 * u.mV + 1 * u.nA
    assert issubclass(DimensionMismatchError, UnitMismatchError)
    assert issubclass(UnitMismatchError, u.UnitError) and issubclass(UnitMismatchError, ValueError)
    e = UnitMismatchError("Addition", u.mV, u.volt)
    assert (e.desc, e.units, str(e)) == ("Addition", (u.mV, u.volt), "Addition (units are mV and V).")
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is UnitMismatchError and str(back) == str(e)
    assert str(DimensionMismatchError("plain message")) == "plain message"


# -- assert_quantity ------------------------------------------------------------------------------


def test_assert_quantity(backend: str) -> None:
    q = make(backend, V, u.mV)
    u.assert_quantity(q, V, u.mV)
    u.assert_quantity(q, V / 1000, u.volt)
    u.assert_quantity(make(backend, [np.nan, 1.0]), [np.nan, 1.0])
    with pytest.raises(AssertionError, match="Values do not match"):
        u.assert_quantity(q, V + 1, u.mV)
    with pytest.raises(AssertionError, match="Dimension mismatch"):
        u.assert_quantity(q, V, u.second)
    with pytest.raises(AssertionError, match="Expected a unitless quantity"):
        u.assert_quantity(q, V)


# -- display and conversion -----------------------------------------------------------------------


def test_display_in_unit_matches_brainunit_format(backend: str) -> None:
    assert u.display_in_unit(make(backend, 3.0, u.volt), u.mV) == "3000. mV"
    assert u.display_in_unit(make(backend, 123123.0, u.ms), u.second, 2) == "123.12 s"
    assert u.display_in_unit(make(backend, [1.0, 2.0], u.mV)) == "[1. 2.] mV"
    assert u.display_in_unit(make(backend, 5.0)) == "5."
    assert u.display_in_unit(make(backend, [0.0, 1.0, 2.0], u.mV), "V", 3) == "[0.    0.001 0.002] V"


def test_maybe_decimal(backend: str) -> None:
    q = make(backend, V, u.mV)
    np.testing.assert_allclose(values(u.maybe_decimal(q, u.volt)), V / 1000)
    assert u.maybe_decimal(q) is q  # dimensioned: unchanged
    ratio = make(backend, V, u.mV / u.volt)
    out = u.maybe_decimal(ratio)
    assert not isinstance(out, u.Quantity)
    np.testing.assert_allclose(values(out), V / 1000)
    assert u.maybe_decimal(u.Quantity(5.0)) == 5.0


def test_unit_scale_align_to_first(backend: str) -> None:
    a, b, c = make(backend, V, u.mV), make(backend, V, u.volt), make(backend, V, u.uvolt)
    out = u.unit_scale_align_to_first(a, b, c)
    assert [x.unit for x in out] == [u.mV, u.mV, u.mV]
    np.testing.assert_allclose(values(out[1]), V * 1000)
    np.testing.assert_allclose(values(out[2]), V / 1000)
    assert u.unit_scale_align_to_first() == []
    first, second = u.unit_scale_align_to_first(1.0, make(backend, V, u.mV / u.volt))
    assert first.unit is UNITLESS and second.unit is UNITLESS
    np.testing.assert_allclose(values(second), V / 1000)
    with pytest.raises(UnitMismatchError):
        u.unit_scale_align_to_first(a, make(backend, V, u.second))
    with pytest.raises(UnitMismatchError):
        u.unit_scale_align_to_first(a, 2.0)


def test_array_with_unit(backend: str) -> None:
    q = u.array_with_unit(xp_of(backend).asarray(V), u.volt)
    assert q.unit is u.volt and q.backend == backend
    np.testing.assert_array_equal(values(q), V)
    with pytest.raises(TypeError, match="expected an instance of Unit"):
        u.array_with_unit(1.0, "mV")  # type: ignore[arg-type]


@given(
    st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=5),
    st.sampled_from([u.mV, u.volt, u.kvolt, u.uvolt]),
    st.sampled_from([u.mV, u.volt, u.kvolt]),
)
def test_maybe_decimal_and_align_agree_with_to_value(vals: list[float], src: u.Unit, dst: u.Unit) -> None:
    q = u.Quantity(np.asarray(vals), src)
    np.testing.assert_allclose(u.maybe_decimal(q, dst), q.to_value(dst))
    aligned = u.unit_scale_align_to_first(u.Quantity(1.0, dst), q)[1]
    assert aligned.unit is dst
    np.testing.assert_allclose(aligned.mantissa, q.to_value(dst))


# -- temperatures ---------------------------------------------------------------------------------


def test_temperature_conversions(backend: str) -> None:
    xp = xp_of(backend)
    c = xp.asarray(np.array([-40.0, 0.0, 100.0]))
    k = u.celsius2kelvin(c)
    assert k.unit is u.kelvin and k.backend == backend
    np.testing.assert_allclose(values(k), [233.15, 273.15, 373.15])
    np.testing.assert_allclose(values(u.kelvin2celsius(k)), [-40.0, 0.0, 100.0], atol=1e-12)
    f = u.kelvin2fahrenheit(k)
    assert not isinstance(f, u.Quantity)
    np.testing.assert_allclose(values(f), [-40.0, 32.0, 212.0], atol=1e-12)
    np.testing.assert_allclose(values(u.fahrenheit2kelvin(f)), values(k))
    np.testing.assert_allclose(values(u.kelvin2celsius(make(backend, [300.0], u.mK))), [0.3 - 273.15])


def test_temperature_conversions_refuse_wrong_inputs() -> None:
    with pytest.raises(TypeError, match="should not be a Quantity"):
        u.celsius2kelvin(3 * u.kelvin)
    with pytest.raises(TypeError, match="should not be a Quantity"):
        u.fahrenheit2kelvin(3 * u.kelvin)
    with pytest.raises(TypeError, match="should be a Quantity with a temperature unit"):
        u.kelvin2celsius(300.0)
    with pytest.raises(u.UnitError, match="but got unit mV"):
        u.kelvin2fahrenheit(3 * u.mV)


@given(st.floats(-273.0, 1e4))
def test_temperature_round_trips(celsius: float) -> None:
    assert u.kelvin2celsius(u.celsius2kelvin(celsius)) == pytest.approx(celsius, abs=1e-9)
    f = celsius * 9 / 5 + 32
    assert u.kelvin2fahrenheit(u.fahrenheit2kelvin(f)) == pytest.approx(f, abs=1e-9)
    assert u.fahrenheit2kelvin(f).to_value(u.kelvin) == pytest.approx(celsius + 273.15, abs=1e-9)
