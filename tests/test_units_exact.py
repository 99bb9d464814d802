"""Conversion factors exact by definition are exact: each is the exact ratio of the two
definitions, rounded once (``(1.0 * year).to(day)`` is 365.2425, not 365.24999999999994)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import brainunit_xp as u
from brainunit_xp import Unit
from brainunit_xp._units.catalog import PREFIXES

F = Fraction
INCH, LB, GAL, LBF = F("0.0254"), F("0.45359237"), F("0.003785411784"), F("0.45359237") * F("9.80665")

#: The SI value of every unprefixed catalog unit whose definition is rational, from its
#: definition (NIST SP 811, the SI brochure; brainunit's value where it defines one of its own).
EXACT: dict[str, Fraction] = {
    **dict.fromkeys(["m", "s", "A", "K", "mol", "cd", "rad", "sr", "Hz", "N", "Pa", "J", "W", "C", "V"], F(1)),
    **dict.fromkeys(["F", "ohm", "S", "Wb", "T", "H", "degC", "lm", "lx", "Bq", "Gy", "Sv", "kat", "kg"], F(1)),
    "g": F(1, 1000), "l": F(1, 1000), "M": F(1000), "eV": F("1.602176634e-19"), "%": F(1, 100),
    "min": F(60), "h": F(3600), "d": F(86400), "wk": F(7 * 86400), "yr": F("365.2425") * 86400,
    "mon": F("365.2425") * 86400 / 12, "julian yr": F("365.25") * 86400,
    "Angstrom": F("1e-10"), "AU": F(149597870700), "ly": F("365.25") * 86400 * 299792458,
    "ha": F(10**4), "t": F(1000), "Da": F("1.66053906892e-27"), "u": F("1.66053906892e-27"),
    "in": INCH, "ft": 12 * INCH, "yd": 36 * INCH, "mi": 63360 * INCH, "mil": INCH / 1000,
    "pt": INCH / 72, "p": INCH / 6, "US survey ft": F(1200, 3937), "US survey mi": 5280 * F(1200, 3937),
    "nmi": F(1852), "acre": 43560 * (12 * INCH) ** 2, "gal": GAL, "imp gal": F("0.00454609"),
    "fl oz": GAL / 128, "imp fl oz": F("0.00454609") / 160, "bbl": 42 * GAL,
    "lb": LB, "oz": LB / 16, "st": 14 * LB, "gr": LB / 7000, "ct": F(2, 10**4),
    "slug": F("14.59390294"), "blob": F("175.126836"), "long ton": 2240 * LB, "short ton": 2000 * LB,
    "oz t": 480 * LB / 7000, "lb t": 12 * 480 * LB / 7000,
    "mph": 63360 * INCH / 3600, "km/h": F(1000, 3600), "kn": F(1852, 3600), "mach": F("340.5"),
    "kgf": F("9.80665"), "lbf": LBF, "dyn": F("1e-5"), "IMF": F("1.602176634e-9"),
    "bar": F(10**5), "atm": F(101325), "mmHg": F("133.322387415"), "torr": F(101325, 760),
    "psi": LBF / INCH**2, "gauss": F("1e-4"),
    "cal": F("4.184"), "cal IT": F("4.1868"), "Btu": F("1055.05585262"), "ton TNT": F("4.184e9"),
    "Btu th": F("4.184") * F("453.59237") * F(5, 9), "erg": F("1e-7"), "kcal/h": F(4184, 3600),
    "hp": 550 * 12 * INCH * LBF,
}  # fmt: skip
IRRATIONAL = {"deg", "arcmin", "arcsec", "pc"}  # π/180 …: the float brainunit uses, read exactly


def exact_value(symbol: str) -> Fraction | None:
    """The exact SI value of a catalog atom, from :data:`EXACT` and its SI prefix."""
    if symbol in EXACT:
        return EXACT[symbol]
    found = {
        EXACT[symbol[len(p) :]] * F(10) ** power
        for p, _, power in PREFIXES
        if symbol.startswith(p) and symbol[len(p) :] in EXACT
    }
    assert len(found) <= 1, symbol
    return found.pop() if found else None


ATOMS = sorted({unit for unit in Unit._atoms.values() if not unit.name[:1].isdigit()}, key=lambda x: x.name)
EXACT_ATOMS = [(a, exact_value(a.name)) for a in ATOMS if a.name not in IRRATIONAL]


def test_every_catalog_atom_has_its_definition() -> None:
    for unit, value in EXACT_ATOMS:
        assert value is not None, f"no definition for {unit.name!r}"
        assert unit == unit  # and its scale is the definition, exactly
        assert unit._factor * F(10) ** unit.exp10 == value, unit.name


def test_factor_to_is_the_exact_ratio_rounded_once_over_the_whole_catalog() -> None:
    by_dim: dict[object, list[tuple[Unit, Fraction]]] = {}
    for unit, value in EXACT_ATOMS:
        by_dim.setdefault(unit.dim, []).append((unit, value))  # type: ignore[arg-type]
    pairs = 0
    for group in by_dim.values():
        for a, va in group:
            for b, vb in group:
                ratio = va / vb
                if 1e-300 < ratio < 1e300:
                    assert a.factor_to(b) == float(ratio), (a.name, b.name)
                    pairs += 1
    assert pairs > 10_000


@pytest.mark.parametrize(
    ("value", "unit", "to", "expected"),
    [
        (1.0, u.year, u.day, 365.2425),
        (1.0, u.julian_year, u.day, 365.25),
        (1.0, u.month, u.day, 30.436875),
        (1.0, u.inch, u.cmeter, 2.54),
        (1.0, u.mile, u.kmeter, 1.609344),
        (1.0, u.mph, u.kmh, 1.609344),
        (1.0, u.knot, u.kmh, 1.852),
        (1.0, u.pound, u.ounce, 16.0),
        (1.0, u.gallon, u.fluid_ounce, 128.0),
        (1.0, u.torr, u.pascal, float(F(101325, 760))),
        (3.0, u.foot, u.inch, 36.0),
        (1.0, u.degree, u.arcminute, 60.0),
        (1.0, u.degree, u.arcsecond, 3600.0),
        (1.0, u.astronomical_unit, u.kmeter, 149597870.7),
    ],
)
def test_quantity_conversions(value: float, unit: Unit, to: Unit, expected: float) -> None:
    assert (value * unit).to(to).mantissa == expected


def test_degree_is_brainunits_pi_over_180() -> None:
    assert u.degree.factor_to(u.radian) == math.pi / 180
    assert u.arcminute.factor_to(u.radian) == 0.0002908882086657216  # brainunit's value


atoms_with_values = st.sampled_from([(a, v) for a, v in EXACT_ATOMS if v is not None and a.dim is not u.ONE.dim])


@given(st.lists(st.tuples(atoms_with_values, atoms_with_values, st.integers(-3, 3)), min_size=1, max_size=3))
def test_products_and_powers_stay_exact(terms: list[tuple[tuple[Unit, Fraction], tuple[Unit, Fraction], int]]) -> None:
    """``Π a_i^k_i`` to ``Π b_i^k_i`` (``b_i`` of ``a_i``'s dimension) is the exact ratio."""
    a = b = u.ONE
    ratio = F(1)
    for (x, vx), other, k in terms:
        y, vy = other if other[0].dim is x.dim else (x, vx)
        a, b = a * x**k, b * y**k
        ratio *= (vx / vy) ** k
    if 1e-300 < ratio < 1e300:
        assert a.factor_to(b) == float(ratio), (a.name, b.name)
        if a.dim is u.ONE.dim:
            assert a.product(b**-1) == (u.ONE, float(ratio)) or a is u.ONE
