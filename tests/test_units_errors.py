"""Bad input to the unit layer gets our UnitError, naming the operation and the fix — never a
foreign exception — and huge or tiny units that are fine units work."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import brainunit_xp as u
from brainunit_xp import Unit, UnitError, parse_unit
from brainunit_xp._units.dimension import as_exponent


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: u.meter ** np.array([2, 3]), r"pow: cannot raise unit 'm' to a non-scalar exponent .*shape \(2,\)"),
        (lambda: u.meter ** "2", r"pow: cannot raise unit 'm' to '2': .*real number"),
        (lambda: u.get_or_create_dimension(["a"] * 7), r"a dimension needs 7 numeric \(real\) exponents.*'a'"),
        (lambda: u.get_or_create_dimension("abcdefg"), r"a dimension needs 7 numeric"),
    ],
)
def test_values_of_the_wrong_kind_are_type_errors(make: Callable[[], object], match: str) -> None:
    """An exponent that is not a number (a string, an array) is a TypeError, as in brainunit, and
    one of our UnitErrors."""
    with pytest.raises(u.UnitTypeError, match=match) as info:
        make()
    assert isinstance(info.value, TypeError) and isinstance(info.value, UnitError)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: u.meter ** float("inf"), r"pow: cannot raise unit 'm' to inf.*not finite.*such as 2"),
        (lambda: u.meter ** float("nan"), r"pow: .*not finite"),
        (lambda: u.cmeter**1e308, r"pow: cannot raise unit 'cm'.*beyond ±1000000"),
        (lambda: u.meter ** (10**400), r"pow: .*beyond the range of unit exponents"),
        (lambda: u.meter ** Fraction(1, 10**7), r"pow: .*denominators up to 1000000"),
        (lambda: u.meter**math.pi, r"pow: .*not a simple rational"),
        (lambda: u.meter**1j, r"pow: .*real number"),
        (lambda: u.meter ** "2", r"pow: .*real number"),
        (lambda: (u.meter**999_999) ** 2, r"pow: .*beyond the range"),
        (lambda: u.meter**999_999 * u.meter**999_999, r"multiply: cannot multiply units 'm\^999999'"),
        (lambda: parse_unit("m^(1/0)"), r"cannot parse unit 'm\^\(1/0\)': division by zero in the exponent"),
        (lambda: parse_unit("(" * 3000 + "m" + ")" * 3000), r"parentheses nest deeper than 64"),
        (lambda: parse_unit("cm^" + "9" * 400), r"the exponent '9+…9+' is too large"),
        (lambda: parse_unit("cm^" + "9" * 5000), r"too large"),
        (lambda: parse_unit("m^1e999999999"), r"too large"),
        (lambda: parse_unit("1e99999 * m"), r"the number .* is too large"),
        (lambda: parse_unit("m^2000000"), r"beyond the range of unit exponents"),
        (lambda: parse_unit("0 * m"), r"factor must be positive"),
        (lambda: parse_unit("m / s * kg"), r"ambiguous.*\(a / b\) \* c or a / \(b \* c\)"),
        (lambda: parse_unit("m^x"), r"expected a number in the exponent"),
        (lambda: parse_unit("blorp"), r"unknown unit 'blorp'.*Unit.create"),
        (lambda: parse_unit("m $"), r"unexpected character '\$'"),
        (lambda: parse_unit("(m"), r"missing '\)'"),
        (lambda: parse_unit("m^(1/2"), r"missing '\)' after the exponent"),
        (lambda: parse_unit("m²⁻"), r"bad superscript exponent"),
        (lambda: parse_unit(""), r"unexpected end"),
        (lambda: parse_unit(3), r"must be a Unit or a string"),
        (lambda: Unit(u.meter.dim, base=2), r"base must be 10"),
        (lambda: Unit(u.meter.dim, factor=-1.0), r"factor must be positive"),
        (lambda: Unit(u.meter.dim, factor=float("inf")), r"factor must be finite"),
        (lambda: Unit(u.meter.dim, scale=float("inf")), r"scale .* must be a finite rational"),
        (lambda: Unit("mV", scale=3), r"takes no other argument, got scale"),
        (lambda: Unit(u.mV), r"needs a Dimension"),
        (lambda: Unit(u.meter.dim, name="a*b"), r"could not be parsed back"),
        (lambda: Unit.create(u.meter.dim, "bad", "2x"), r"could not be parsed back"),
        (lambda: u.get_or_create_dimension(m=float("inf")), r"not finite"),
        (lambda: u.Dimension((1, 2)), r"a dimension has 7 exponents"),
    ],
)
def test_bad_input_raises_our_error(make: Callable[[], object], match: str) -> None:
    with pytest.raises(UnitError, match=match):
        make()


def test_get_or_create_dimension_argument_errors_are_type_errors() -> None:
    with pytest.raises(TypeError, match="unknown dimension name 'furlongs'"):
        u.get_or_create_dimension(furlongs=1)
    with pytest.raises(TypeError, match="exactly 7"):
        u.get_or_create_dimension([1, 2])


def test_large_powers_of_prefixed_units_are_fine_units() -> None:
    km200 = u.kmeter**200
    assert km200.dim is u.meter.dim**200 and km200.exp10 == 600 and km200.name == "km^200"
    q = (1.0 * u.kmeter) ** 200  # Quantity.__pow__ goes through power_unit
    assert q.unit is km200 and q.mantissa == 1.0
    assert (q / q).unit is u.ONE and (q / q).mantissa == 1.0
    assert ((2.0 * u.kmeter) ** 2).to(u.meter**2).mantissa == 4e6
    ns = u.nsiemens**-40
    assert ns.exp10 == 360 and ns.factor_to(u.usiemens**-40) == 1e120
    assert (u.kmeter**200 * u.mmeter**200).factor_to(u.meter**400) == 1.0


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: (u.kmeter**200).scale, r"the scale of unit 'km\^200' is about 10\^600, beyond the float64"),
        (lambda: (u.nsiemens**-40).scale, r"'1 / nS\^40' is 1e360, beyond the float64 range"),
        (lambda: (u.kmeter**200).factor_to(u.meter**200), r"convert: the factor from 'km\^200' to 'm\^200'"),
        (lambda: ((1.0 * u.kmeter) ** 200).to(u.meter**200), r"to: the factor .* about 10\^600"),
        (lambda: (1.0 * u.kmeter) ** 200 / (1.0 * u.meter) ** 200, r"divide: the result is the number about"),
        (lambda: (1.0 * u.kmeter) ** 200 * (1.0 * u.meter) ** -200, r"multiply: the result"),
        (lambda: 1.0 * u.fmeter**21 / u.meter**21, r"beyond the float64 range"),
    ],
)
def test_values_that_cannot_be_represented_raise_clearly(make: Callable[[], object], match: str) -> None:
    with pytest.raises(UnitError, match=match):
        make()


texts = st.text(alphabet="mskgVAHz0123456789.eE-+*/^() ·µΩ°²³⁻¹%_xq", max_size=30)


@settings(max_examples=400)
@given(texts)
def test_parsing_anything_gives_a_unit_or_our_error(text: str) -> None:
    try:
        unit = parse_unit(text)
    except UnitError as exc:
        assert str(exc).startswith("cannot parse unit"), exc
        return
    assert isinstance(unit, Unit)
    assert parse_unit(str(unit)) is unit


exponents = st.one_of(
    st.integers(-(10**7), 10**7),
    st.floats(allow_nan=True, allow_infinity=True),
    st.fractions(max_denominator=10**7),
    st.integers(-(10**7), 10**7).map(np.int64),
    st.floats(-1e7, 1e7).map(np.float32),
)


@given(st.sampled_from([u.meter, u.kmeter, u.inch, u.nsiemens, u.degree, u.mV / u.ms]), exponents)
def test_any_power_gives_a_unit_or_our_error(unit: Unit, p: object) -> None:
    try:
        out = unit**p
    except UnitError as exc:
        assert str(exc).startswith(f"pow: cannot raise unit {unit.name!r}"), exc
        return
    assert out.dim is unit.dim ** as_exponent(p)
    try:
        scale = out.scale
    except UnitError:  # beyond the float range: its log tells
        assert abs(float(as_exponent(p)) * math.log10(unit.scale)) > 300
        return
    assert math.isclose(math.log(scale), float(as_exponent(p)) * math.log(unit.scale), rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize(
    "make",
    [
        lambda: u.mV + u.mV,
        lambda: u.mV - u.volt,
        lambda: 1 + u.mV,
        lambda: 2.0 - u.mV,
        lambda: u.mV // u.mV,
        lambda: 3 // u.mV,
        lambda: u.mV % u.second,
        lambda: 3 % u.mV,
    ],
)
def test_sums_and_remainders_of_units_are_our_type_errors(make: Callable[[], object]) -> None:
    """Units multiply, divide and take powers; ``+ - // %`` are for quantities: our error (a
    ``TypeError`` as in brainunit), naming the operation, the unit and the fix."""
    with pytest.raises(u.UnitTypeError, match=r"units cannot be combined with '(\+|-|//|%)'.*attach values first"):
        make()


def test_a_unit_times_a_dimension_is_a_type_error() -> None:
    with pytest.raises(u.UnitTypeError, match="cannot multiply unit 'mV' by a Dimension"):
        u.mV * u.meter.dim
    with pytest.raises(u.UnitTypeError, match="cannot divide unit 'mV' by a Dimension"):
        u.mV / u.meter.dim
    assert (u.mV * u.meter).dim == u.mV.dim * u.meter.dim


def test_unit_plus_quantity_names_the_fix() -> None:
    q = u.Quantity(np.array([1.0, 2.0]), u.mV)
    with pytest.raises(UnitError, match="1 \\* mV"):
        u.mV + q
    with pytest.raises(UnitError, match="1 \\* mV"):
        q - u.mV


def test_a_bare_unit_in_a_quantity_operation_is_a_type_error() -> None:
    """``q + mV``, ``q -= mV``: our UnitTypeError (a ``TypeError``, as brainunit raises) with the fix."""
    q = u.Quantity(3.0, u.mV)
    with pytest.raises(u.UnitTypeError, match=r"__sub__: got the bare Unit 'mV'.*write 1 \* mV"):
        q -= u.mV
    with pytest.raises(u.UnitTypeError, match=r"__add__: got the bare Unit 'mV'"):
        q + u.mV
    assert (q - 1 * u.mV).to_value(u.mV) == 2.0
