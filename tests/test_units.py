"""Dimensions, units, the catalog and unit parsing."""

from __future__ import annotations

import copy
import math
import pickle
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import brainunit_xp as u
from brainunit_xp import DIMENSIONLESS, ONE, Dimension, Unit, UnitError, parse_unit
from brainunit_xp._units import get_unit as catalog_unit

# -- strategies ----------------------------------------------------------------------------------

exponents = st.fractions(min_value=-4, max_value=4, max_denominator=4)
dimensions = st.tuples(*[exponents] * 7).map(Dimension)
catalog_units = st.sampled_from(sorted({v for v in u.UNITS.values()}, key=lambda x: x.name))
small_powers = st.sampled_from([Fraction(-2), Fraction(-1), Fraction(1, 2), Fraction(2), Fraction(3)])


# -- dimensions -------------------------------------------------------------------------------------


@given(dimensions, dimensions, dimensions)
def test_dimension_product_is_an_abelian_group(a: Dimension, b: Dimension, c: Dimension) -> None:
    assert a * b is b * a
    assert (a * b) * c is a * (b * c)
    assert a * DIMENSIONLESS is a
    assert a * a**-1 is DIMENSIONLESS
    assert (a / b) * b is a


@given(dimensions, exponents, exponents)
def test_dimension_powers(a: Dimension, p: Fraction, q: Fraction) -> None:
    assert (a**p) ** q is a ** (p * q)
    assert a**p * a**q is a ** (p + q)
    assert Dimension(a.exponents) is a  # interned


def test_dimension_text() -> None:
    assert str(u.volt.dim) == "m^2 kg s^-3 A^-1"
    assert u.volt.dim.describe() == "length^2 * mass / time^3 / current"
    assert str((u.hertz**0.5).dim) == "s^(-1/2)"
    assert DIMENSIONLESS.describe() == "dimensionless"


# -- unit algebra -------------------------------------------------------------------------------------


@given(catalog_units, catalog_units, catalog_units)
def test_unit_product_laws(a: Unit, b: Unit, c: Unit) -> None:
    assert a * b == b * a
    assert (a * b) * c == a * (b * c)
    assert (a * b).dim is a.dim * b.dim
    assert math.isclose((a * b).scale, a.scale * b.scale, rel_tol=1e-12)
    assert a * ONE is a
    assert (a / a).dim is DIMENSIONLESS


@given(catalog_units, small_powers)
def test_unit_power_laws(a: Unit, p: Fraction) -> None:
    assert (a**p).dim is a.dim**p
    assert math.isclose((a**p).scale, a.scale ** float(p), rel_tol=1e-9)
    assert (a**p) ** -1 == a ** (-p)


@given(catalog_units, catalog_units)
def test_results_are_cached_and_interned(a: Unit, b: Unit) -> None:
    assert a * b is a * b
    assert a / b is a / b
    assert a**2 is a**2
    assert Unit._make(a.dim, a._factor, a.exp10, a.name, a.parts) is a
    assert parse_unit(a.name) is a


@given(catalog_units, catalog_units)
def test_conversion_factor_inverts(a: Unit, b: Unit) -> None:
    if a.dim is not b.dim:
        with pytest.raises(u.DimensionMismatchError, match="cannot convert"):
            a.factor_to(b)
        return
    assert math.isclose(a.factor_to(b) * b.factor_to(a), 1.0, rel_tol=1e-12)
    assert math.isclose(a.factor_to(b), a.scale / b.scale, rel_tol=1e-12)


def test_prefix_conversions_are_exact_powers_of_ten() -> None:
    assert u.meter.factor_to(u.cmeter) == 100.0
    assert u.cmeter.factor_to(u.meter) == 0.01
    assert u.mV.factor_to(u.uV) == 1000.0
    assert u.mmeter.factor_to(u.umeter) == 1000.0
    assert u.kilogram.factor_to(u.gram) == 1000.0


def test_equality_ignores_names_hash_is_consistent() -> None:
    assert u.meter2 == u.meter * u.meter
    assert u.joule == u.newton * u.meter
    assert u.hertz != u.second
    assert hash(u.joule) == hash(u.newton * u.meter)
    assert u.meter != "m"


def test_dimensionless_units_fold_in_products() -> None:
    assert u.meter.product(u.cmeter**-1) == (ONE, 100.0)
    assert u.kHz.product(u.ms) == (ONE, 1.0)
    assert u.meter.product(u.second) == (u.meter * u.second, 1.0)


# -- display --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "text"),
    [
        (u.meter, "m"),
        (u.metre, "m"),
        (u.mV, "mV"),
        (u.meter / u.second, "m / s"),
        (u.kilogram * u.meter**2 / u.second**2, "J"),
        (u.volt / u.ohm, "A"),
        (u.volt * u.ampere, "W"),
        (u.newton / u.meter2, "Pa"),
        (u.mV * u.ms, "mV * ms"),
        (u.cmeter3, "cm^3"),
        (u.meter2, "m^2"),
        (u.hertz**0.5, "Hz^(1/2)"),
        (u.second**-1, "1 / s"),
        (u.kilogram / (u.meter * u.second**2), "Pa"),
        (u.kilogram / (u.meter * u.second), "kg / (m * s)"),
        (u.mV * u.ms / u.ms, "mV"),
        (u.hertz * u.second, "1"),
        (ONE, "1"),
    ],
)
def test_display(unit: Unit, text: str) -> None:
    assert str(unit) == text
    assert repr(unit) == f'Unit("{text}")'


@given(catalog_units, catalog_units, small_powers)
def test_display_parses_back(a: Unit, b: Unit, p: Fraction) -> None:
    for unit in (a, a * b, a / b, a**p, (a * b) ** p):
        assert parse_unit(str(unit)) == unit


def test_parse_unit() -> None:
    assert parse_unit("mV") is u.mV
    assert parse_unit("m / s^2") == u.meter / u.second**2
    assert parse_unit("kg*m**2/s**2") is u.joule
    assert parse_unit("m^-1") == u.meter**-1
    assert parse_unit("Hz^(1/2)") == u.hertz**0.5
    assert parse_unit("cmeter3") is u.cmeter3
    for bad in ("blorp", "m /", "m ^ x", "(m", "m $"):
        with pytest.raises(UnitError, match="cannot parse unit"):
            parse_unit(bad)


# -- catalog --------------------------------------------------------------------------------------


def test_catalog_names_a_brainunit_user_knows() -> None:
    names = "meter metre cmeter cm mV ms nS pA um Hz kHz kilogram joule ohm ampere amp volt siemens"
    for name in names.split():
        assert isinstance(getattr(u, name), Unit), name
    assert u.amp is u.ampere
    assert u.cm is u.cmeter
    assert u.kilogram is u.kg
    assert u.meter2 is u.meter**2
    assert u.cmeter3 is u.cmeter**3


@pytest.mark.parametrize(
    ("prefix", "power"), [("q", -30), ("r", -27), ("y", -24), ("u", -6), ("da", 1), ("k", 3), ("R", 27), ("Q", 30)]
)
def test_every_si_prefix(prefix: str, power: int) -> None:
    assert catalog_unit(prefix + "meter").factor_to(u.meter) == 10.0**power
    assert catalog_unit(prefix + "volt").dim is u.volt.dim


def test_22_named_derived_units_with_prefixes() -> None:
    derived = [
        "radian",
        "steradian",
        "hertz",
        "newton",
        "pascal",
        "joule",
        "watt",
        "coulomb",
        "volt",
        "farad",
        "ohm",
        "siemens",
        "weber",
        "tesla",
        "henry",
        "celsius",
        "lumen",
        "lux",
        "becquerel",
        "gray",
        "sievert",
        "katal",
    ]
    assert len(derived) == 22
    for name in derived:
        unit = catalog_unit(name)
        assert unit is not None and unit.scale == 1.0, name
        if name != "celsius":
            assert catalog_unit("m" + name).factor_to(unit) == 1e-3, name


@pytest.mark.parametrize(
    ("name", "si", "factor"),
    [
        ("minute", u.second, 60.0),
        ("hour", u.second, 3600.0),
        ("day", u.second, 86400.0),
        ("litre", u.meter3, 1e-3),
        ("angstrom", u.meter, 1e-10),
        ("electronvolt", u.joule, 1.602176634e-19),
        ("degree", ONE, math.pi / 180),
        ("mM", u.mole / u.meter3, 1.0),
    ],
)
def test_non_si_units(name: str, si: Unit, factor: float) -> None:
    unit = catalog_unit(name)
    assert unit is not None
    assert math.isclose(unit.factor_to(si), factor, rel_tol=1e-12)


def test_star_import_does_not_shadow_builtins() -> None:
    assert "min" not in u.__all__
    assert "mV" in u.__all__
    assert catalog_unit("min").factor_to(u.second) == 60.0


# -- value semantics ---------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", [u.mV, u.meter / u.second, u.hertz**0.5, ONE, u.joule])
def test_units_pickle_and_copy_to_the_same_object(unit: Unit) -> None:
    assert pickle.loads(pickle.dumps(unit)) is unit
    assert copy.copy(unit) is unit
    assert copy.deepcopy(unit) is unit
    assert pickle.loads(pickle.dumps(unit.dim)) is unit.dim


def test_unit_exponent_errors() -> None:
    with pytest.raises(UnitError, match="not a simple rational"):
        u.meter**math.pi
    with pytest.raises(UnitError, match="bool"):
        u.meter**True


def test_redefining_a_unit_name_differently_is_refused() -> None:
    assert Unit.create(u.volt.dim, "mvolt", "mV", -3) is u.mV
    with pytest.raises(UnitError, match="already exists"):
        Unit.create(u.meter.dim, "mvolt", "mV")


def test_unit_free_and_dimensionless_are_different_static_data_under_jit() -> None:
    """``FREE == ONE`` made jax.jit reuse a trace of unit-free input for dimensionless input:
    ``jit(neg)(ones)`` came back unit-free and ``+ 1 mV`` then silently gave mV."""
    jax = pytest.importorskip("jax")
    from brainunit_xp._units import FREE

    assert FREE != ONE and hash(FREE) == hash(ONE)
    f = jax.jit(lambda q: -q)
    xp = u.jax
    assert f(xp.zeros(3)).unit is FREE
    ones = f(xp.ones(3))
    assert ones.unit is ONE
    with pytest.raises(u.DimensionMismatchError, match="incompatible units '1'"):
        ones + 1 * u.mV


@pytest.mark.parametrize("field", ["name", "dim", "exp10", "parts", "dispname", "scale", "factor", "base"])
def test_units_are_read_only(field: str) -> None:
    """A unit is interned and shared, so its fields cannot be set: setting the name of one
    dimensionless unit must not rename ``UNITLESS`` everywhere."""
    unit = u.Unit(u.DIMENSIONLESS)
    with pytest.raises(AttributeError, match=f"Unit.{field} is read-only"):
        setattr(unit, field, "foo")
    assert str(u.UNITLESS) == "1" and u.UNITLESS.name == "1"
    assert str(u.mV * u.second) == "mV * s"


@given(dimensions)
def test_dimension_get_dimension_reads_each_exponent(d: Dimension) -> None:
    """``d.get_dimension(name)`` is the exponent of that base quantity, by quantity name, unit
    symbol or unit name; ``d.dim`` is ``d`` (as ``q.dim`` and ``unit.dim`` are dimensions)."""
    names = ("length", "mass", "time", "current", "temperature", "amount", "luminosity")
    symbols = ("m", "kg", "s", "A", "K", "mol", "cd")
    for i, (name, symbol) in enumerate(zip(names, symbols, strict=True)):
        assert d.get_dimension(name) == d.get_dimension(symbol) == d.exponents[i]
    assert d.get_dimension("metre") == d.exponents[0]
    assert u.get_or_create_dimension(**{s: d.get_dimension(s) for s in symbols}) is d
    assert d.dim is d and (u.volt.dim.dim is u.volt.dim)


def test_dimension_get_dimension_of_an_unknown_name_is_our_error() -> None:
    with pytest.raises(UnitError, match=r"get_dimension: unknown base quantity 'furlong'.*length"):
        u.volt.dim.get_dimension("furlong")
