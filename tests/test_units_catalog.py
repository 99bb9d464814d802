"""brainunit's catalog, its Unit API and the unit parser: every brainunit unit by its name, with
brainunit's display and value; every unit's ``str`` parses back to the same unit."""

from __future__ import annotations

import math
import pickle
from fractions import Fraction

import pytest

import brainunit_xp as u
from brainunit_xp import DIMENSIONLESS, ONE, Unit, UnitError, parse_unit
from brainunit_xp._units import FREE
from brainunit_xp._units.catalog import UNITS, get_unit

# brainunit 0.6.0's named (unprefixed) units: name -> (display, scale in SI, dimension)
BRAINUNIT: dict[str, tuple[str, str, str]] = {
    "Btu": ("Btu", "1055.05585262", "m^2 kg s^-2"),
    "Btu_IT": ("Btu", "1055.05585262", "m^2 kg s^-2"),
    "Btu_th": ("Btu th", "1054.350264488889", "m^2 kg s^-2"),
    "Hz": ("Hz", "1.0", "s^-1"),
    "IMF": ("IMF", "1.6021766340000002e-09", "m kg s^-2"),
    "Mohm": ("Mohm", "1000000.0", "m^2 kg s^-3 A^-2"),
    "UNITLESS": ("1", "1.0", "1"),
    "acre": ("acre", "4046.8564224", "m^2"),
    "amp": ("A", "1.0", "A"),
    "ampere": ("A", "1.0", "A"),
    "amu": ("u", "1.66053906892e-27", "kg"),
    "angstrom": ("Angstrom", "1e-10", "m"),
    "arcmin": ("arcmin", "0.0002908882086657216", "1"),
    "arcminute": ("arcmin", "0.0002908882086657216", "1"),
    "arcsec": ("arcsec", "4.84813681109536e-06", "1"),
    "arcsecond": ("arcsec", "4.84813681109536e-06", "1"),
    "astronomical_unit": ("AU", "149597870700.0", "m"),
    "atm": ("atm", "101325.0", "m^-1 kg s^-2"),
    "atmosphere": ("atm", "101325.0", "m^-1 kg s^-2"),
    "atomic_mass": ("u", "1.66053906892e-27", "kg"),
    "au": ("AU", "149597870700.0", "m"),
    "bar": ("bar", "100000.0", "m^-1 kg s^-2"),
    "barrel": ("bbl", "0.158987294928", "m^3"),
    "bbl": ("bbl", "0.158987294928", "m^3"),
    "becquerel": ("Bq", "1.0", "s^-1"),
    "blob": ("blob", "175.126836", "kg"),
    "calorie": ("cal", "4.184", "m^2 kg s^-2"),
    "calorie_IT": ("cal IT", "4.1868", "m^2 kg s^-2"),
    "calorie_th": ("cal", "4.184", "m^2 kg s^-2"),
    "candle": ("cd", "1.0", "cd"),
    "carat": ("ct", "0.0002", "kg"),
    "cm": ("cm", "0.01", "m"),
    "coulomb": ("C", "1.0", "s A"),
    "day": ("d", "86400.0", "s"),
    "degree": ("deg", "0.017453292519943295", "1"),
    "dyn": ("dyn", "1e-05", "m kg s^-2"),
    "dyne": ("dyn", "1e-05", "m kg s^-2"),
    "eV": ("eV", "1.6021766340000001e-19", "m^2 kg s^-2"),
    "electron_volt": ("eV", "1.6021766340000001e-19", "m^2 kg s^-2"),
    "erg": ("erg", "1e-07", "m^2 kg s^-2"),
    "farad": ("F", "1.0", "m^-2 kg^-1 s^4 A^2"),
    "fermi": ("fm", "1e-15", "m"),
    "fluid_ounce": ("fl oz", "2.95735295625e-05", "m^3"),
    "fluid_ounce_US": ("fl oz", "2.95735295625e-05", "m^3"),
    "fluid_ounce_imp": ("imp fl oz", "2.8413062500000005e-05", "m^3"),
    "foot": ("ft", "0.3048", "m"),
    "gallon": ("gal", "0.003785411784", "m^3"),
    "gallon_US": ("gal", "0.003785411784", "m^3"),
    "gallon_imp": ("imp gal", "0.004546090000000001", "m^3"),
    "grain": ("gr", "6.479891000000001e-05", "kg"),
    "gram": ("g", "0.001", "kg"),
    "gramme": ("g", "0.001", "kg"),
    "gray": ("Gy", "1.0", "m^2 s^-2"),
    "hectare": ("ha", "10000.0", "m^2"),
    "henry": ("H", "1.0", "m^2 kg s^-2 A^-2"),
    "hertz": ("Hz", "1.0", "s^-1"),
    "horsepower": ("hp", "745.6998715822702", "m^2 kg s^-3"),
    "hour": ("h", "3600.0", "s"),
    "hp": ("hp", "745.6998715822702", "m^2 kg s^-3"),
    "inch": ("in", "0.0254", "m"),
    "joule": ("J", "1.0", "m^2 kg s^-2"),
    "julian_year": ("julian yr", "31557600.0", "s"),
    "katal": ("kat", "1.0", "s^-1 mol"),
    "kcal_per_h": ("kcal/h", "1.1622222222222223", "m^2 kg s^-3"),
    "kelvin": ("K", "1.0", "K"),
    "kgf": ("kgf", "9.80665", "m kg s^-2"),
    "kilogram_force": ("kgf", "9.80665", "m kg s^-2"),
    "kmh": ("km/h", "0.2777777777777778", "m s^-1"),
    "knot": ("kn", "0.5144444444444445", "m s^-1"),
    "lb": ("lb", "0.45359237", "kg"),
    "lbf": ("lbf", "4.4482216152605", "m kg s^-2"),
    "light_year": ("ly", "9460730472580800.0", "m"),
    "liter": ("l", "0.001", "m^3"),
    "litre": ("l", "0.001", "m^3"),
    "long_ton": ("long ton", "1016.0469088", "kg"),
    "lumen": ("lm", "1.0", "cd"),
    "lux": ("lx", "1.0", "m^-2 cd"),
    "mA": ("mA", "0.001", "A"),
    "mM": ("mM", "1.0", "m^-3 mol"),
    "mS": ("mS", "0.001", "m^-2 kg^-1 s^3 A^2"),
    "mV": ("mV", "0.001", "m^2 kg s^-3 A^-1"),
    "mach": ("mach", "340.5", "m s^-1"),
    "meter": ("m", "1.0", "m"),
    "metre": ("m", "1.0", "m"),
    "metric_ton": ("t", "1000.0", "kg"),
    "micron": ("um", "1e-06", "m"),
    "mil": ("mil", "2.54e-05", "m"),
    "mile": ("mi", "1609.344", "m"),
    "minute": ("min", "60.0", "s"),
    "mm": ("mm", "0.001", "m"),
    "mmHg": ("mmHg", "133.322387415", "m^-1 kg s^-2"),
    "mol": ("mol", "1.0", "mol"),
    "molar": ("M", "1000.0", "m^-3 mol"),
    "mole": ("mol", "1.0", "mol"),
    "month": ("mon", "2629746.0", "s"),
    "mph": ("mph", "0.44704", "m s^-1"),
    "ms": ("ms", "0.001", "s"),
    "nA": ("nA", "1e-09", "A"),
    "nF": ("nF", "1e-09", "m^-2 kg^-1 s^4 A^2"),
    "nM": ("nM", "1e-06", "m^-3 mol"),
    "nS": ("nS", "1e-09", "m^-2 kg^-1 s^3 A^2"),
    "nautical_mile": ("nmi", "1852.0", "m"),
    "newton": ("N", "1.0", "m kg s^-2"),
    "ohm": ("ohm", "1.0", "m^2 kg s^-3 A^-2"),
    "ounce": ("oz", "0.028349523125", "kg"),
    "oz": ("oz", "0.028349523125", "kg"),
    "pA": ("pA", "1e-12", "A"),
    "pF": ("pF", "1e-12", "m^-2 kg^-1 s^4 A^2"),
    "parsec": ("pc", "3.085677581491367e+16", "m"),
    "pascal": ("Pa", "1.0", "m^-1 kg s^-2"),
    "pica": ("p", "0.004233333333333333", "m"),
    "point": ("pt", "0.0003527777777777778", "m"),
    "pound": ("lb", "0.45359237", "kg"),
    "pound_force": ("lbf", "4.4482216152605", "m kg s^-2"),
    "psi": ("psi", "6894.757293168361", "m^-1 kg s^-2"),
    "radian": ("rad", "1.0", "1"),
    "second": ("s", "1.0", "s"),
    "short_ton": ("short ton", "907.18474", "kg"),
    "siemens": ("S", "1.0", "m^-2 kg^-1 s^3 A^2"),
    "sievert": ("Sv", "1.0", "m^2 s^-2"),
    "slinch": ("blob", "175.126836", "kg"),
    "slug": ("slug", "14.593902940000001", "kg"),
    "speed_of_sound": ("mach", "340.5", "m s^-1"),
    "speed_unit": ("m / s", "1.0", "m s^-1"),
    "steradian": ("sr", "1.0", "1"),
    "stone": ("st", "6.35029318", "kg"),
    "survey_foot": ("US survey ft", "0.3048006096012192", "m"),
    "survey_mile": ("US survey mi", "1609.3472186944373", "m"),
    "tesla": ("T", "1.0", "kg s^-2 A^-1"),
    "ton_TNT": ("ton TNT", "4184000000.0", "m^2 kg s^-2"),
    "torr": ("torr", "133.32236842105263", "m^-1 kg s^-2"),
    "troy_ounce": ("oz t", "0.031103476799999998", "kg"),
    "troy_pound": ("lb t", "0.3732417216", "kg"),
    "u": ("u", "1.66053906892e-27", "kg"),
    "uA": ("uA", "1e-06", "A"),
    "uF": ("uF", "1e-06", "m^-2 kg^-1 s^4 A^2"),
    "uM": ("uM", "0.001", "m^-3 mol"),
    "uS": ("uS", "1e-06", "m^-2 kg^-1 s^3 A^2"),
    "um": ("um", "1e-06", "m"),
    "um_u": ("u", "1.66053906892e-27", "kg"),
    "us": ("us", "1e-06", "s"),
    "volt": ("V", "1.0", "m^2 kg s^-3 A^-1"),
    "watt": ("W", "1.0", "m^2 kg s^-3"),
    "weber": ("Wb", "1.0", "m^2 kg s^-2 A^-1"),
    "week": ("wk", "604800.0", "s"),
    "yard": ("yd", "0.9144", "m"),
    "year": ("yr", "31556951.999999996", "s"),
}

#: the units brainunit 0.6.0 has that this catalog lacked before
ADDED = (
    "Btu",
    "Btu_IT",
    "Btu_th",
    "Ecandle",
    "Ecandle2",
    "Ecandle3",
    "Gcandle",
    "Gcandle2",
    "Gcandle3",
    "IMF",
    "Mcandle",
    "Mcandle2",
    "Mcandle3",
    "Pcandle",
    "Pcandle2",
    "Pcandle3",
    "Tcandle",
    "Tcandle2",
    "Tcandle3",
    "UNITLESS",
    "Ycandle",
    "Ycandle2",
    "Ycandle3",
    "Zcandle",
    "Zcandle2",
    "Zcandle3",
    "acandle",
    "acandle2",
    "acandle3",
    "acre",
    "amu",
    "atomic_mass",
    "au",
    "barrel",
    "bbl",
    "blob",
    "calorie_IT",
    "calorie_th",
    "candle",
    "candle2",
    "candle3",
    "carat",
    "ccandle",
    "ccandle2",
    "ccandle3",
    "dacandle",
    "dacandle2",
    "dacandle3",
    "dcandle",
    "dcandle2",
    "dcandle3",
    "electron_volt",
    "fcandle",
    "fcandle2",
    "fcandle3",
    "fermi",
    "fluid_ounce",
    "fluid_ounce_US",
    "fluid_ounce_imp",
    "gallon",
    "gallon_US",
    "gallon_imp",
    "grain",
    "hcandle",
    "hcandle2",
    "hcandle3",
    "horsepower",
    "hp",
    "kcal_per_h",
    "kcandle",
    "kcandle2",
    "kcandle3",
    "kgf",
    "kilogram_force",
    "kmh",
    "knot",
    "lb",
    "lbf",
    "long_ton",
    "mach",
    "mcandle",
    "mcandle2",
    "mcandle3",
    "micron",
    "mil",
    "month",
    "mph",
    "nautical_mile",
    "ncandle",
    "ncandle2",
    "ncandle3",
    "ounce",
    "oz",
    "pcandle",
    "pcandle2",
    "pcandle3",
    "pica",
    "point",
    "pound_force",
    "psi",
    "short_ton",
    "slinch",
    "slug",
    "speed_of_sound",
    "speed_unit",
    "stone",
    "survey_foot",
    "survey_mile",
    "ton_TNT",
    "torr",
    "troy_ounce",
    "troy_pound",
    "u",
    "ucandle",
    "ucandle2",
    "ucandle3",
    "um_u",
    "yard",
    "ycandle",
    "ycandle2",
    "ycandle3",
    "zcandle",
    "zcandle2",
    "zcandle3",
)

#: brainunit 0.6.0's ``class:Unit`` names
UNIT_API = [
    "base",
    "copy",
    "create",
    "create_power",
    "create_scaled_unit",
    "dim",
    "dispname",
    "factor",
    "factorless",
    "has_same_base",
    "has_same_dim",
    "has_same_magnitude",
    "is_fullname",
    "is_unitless",
    "magnitude",
    "name",
    "reverse",
    "scale",
    "should_display_unit",
    "simplify",
    "to_string",
]


# -- brainunit's catalog -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BRAINUNIT))
def test_brainunit_units_have_brainunits_display_dimension_and_value(name: str) -> None:
    display, value, dim = BRAINUNIT[name]
    unit = getattr(u, name)
    assert isinstance(unit, Unit)
    assert str(unit) == display
    assert str(unit.dim) == dim
    # brainunit rounds factor * 10.0**scale twice; ours is rounded once from the exact value
    assert math.isclose(unit.scale, float(value), rel_tol=4.5e-16)


def test_the_units_brainunit_has_are_all_here() -> None:
    assert len(ADDED) == 124
    for name in ADDED:
        assert isinstance(getattr(u, name), Unit), name
    assert u.UNITLESS is ONE and u.speed_unit == u.meter / u.second
    assert u.candle is u.candela and u.kcandle2 is u.kcd**2 and u.Ecandle3.exp10 == 54
    assert u.fermi is u.fmeter and u.micron is u.umeter and u.electron_volt is u.eV
    assert u.Btu is u.Btu_IT and u.gallon is u.gallon_US and u.calorie_th is u.calorie
    assert u.amu is u.atomic_mass is u.u is u.um_u and u.slinch is u.blob and u.mach is u.speed_of_sound


def test_year_is_gregorian_as_in_brainunit() -> None:
    assert u.year.factor_to(u.day) == 365.2425
    assert u.julian_year.factor_to(u.day) == 365.25
    assert str(u.julian_year) == "julian yr"


# -- every display parses back ----------------------------------------------------------------------


def all_catalog_units() -> list[Unit]:
    names = [n for n in UNITS if n.isidentifier()]
    powers = [get_unit(n + k) for n in names for k in ("2", "3")]
    return list({id(x): x for x in [*UNITS.values(), *powers] if x is not None}.values())


def test_every_catalog_unit_parses_back_to_the_same_unit() -> None:
    units = all_catalog_units()
    assert len(units) > 2500
    for unit in units:
        assert parse_unit(str(unit)) is unit, str(unit)
        assert Unit(str(unit)) is unit
        assert parse_unit(unit.to_string("unicode")) is unit, unit.to_string("unicode")
        assert parse_unit(unit.to_string("ascii_inline")) == unit


def test_every_catalog_name_parses_to_its_unit() -> None:
    for name, unit in UNITS.items():
        assert parse_unit(name) is unit, name


def test_compound_displays_parse_back() -> None:
    atoms = [u.kmh, u.fluid_ounce, u.survey_foot, u.inch, u.mV, u.nS, u.degree, u.percent, u.liter, u.kcal_per_h]
    for a in atoms:
        for b in atoms:
            for unit in (a * b, a / b, a**2 / b, (a * b) ** Fraction(1, 2), a**-1):
                assert parse_unit(str(unit)) is unit, str(unit)
                assert parse_unit(unit.to_string("unicode")) == unit, unit.to_string("unicode")


# -- the parser ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("µm", u.umeter),
        ("μm", u.umeter),  # Greek mu
        ("µF / cm²", u.ufarad / u.cmeter**2),
        ("Ω", u.ohm),
        ("Ω", u.ohm),  # ohm sign
        ("kΩ", u.kohm),
        ("MΩ·cm", u.Mohm * u.cmeter),
        ("m·s", u.meter * u.second),
        ("m⋅s", u.meter * u.second),
        ("m×s", u.meter * u.second),  # noqa: RUF001
        ("°", u.degree),
        ("°C", u.celsius),
        ("Å", u.angstrom),
        ("cm²", u.cmeter**2),
        ("s⁻¹", u.second**-1),
        ("m⁻²", u.meter**-2),
        ("kg·m²·s⁻²", u.joule),
        ("10^3 * m", u.kmeter),
        ("10^3 * Hz", u.kHz),
        ("1e-3 * g", u.mgram),
        ("10^-3", Unit(DIMENSIONLESS, scale=-3)),
        ("2 * m", Unit(u.meter.dim, factor=2)),
        ("2.54 * 10^-2 * m", u.inch),
        ("m**2", u.meter2),
        ("m ^ -1", u.meter**-1),
        ("m^(-1/2)", u.meter ** Fraction(-1, 2)),
        ("Hz^0.5", u.hertz ** Fraction(1, 2)),
        ("Hz^(1/2)", u.hertz ** Fraction(1, 2)),
        ("J / kg / K", u.joule / (u.kilogram * u.kelvin)),
        ("(m / s) * kg", u.meter / u.second * u.kilogram),
        ("1 / s", u.second**-1),
        ("km/h", u.kmh),
        ("(km/h)^2", u.kmh**2),
        ("km/h * s", u.kmh * u.second),
        ("fl oz", u.fluid_ounce),
        ("imp fl oz", u.fluid_ounce_imp),
        ("US survey ft", u.survey_foot),
        ("mL", u.mliter),
        ("kilogram", u.kilogram),
        ("uS / cm^2", u.usiemens / u.cmeter**2),
        ("one", ONE),
        ("1", ONE),
    ],
)
def test_parser_reads(text: str, expected: Unit) -> None:
    got = parse_unit(text)
    assert got == expected and got.dim is expected.dim
    if got is not expected:  # equal; a different spelling may display differently
        assert math.isclose(got.factor_to(expected), 1.0, rel_tol=1e-15)


def test_unit_with_a_string_parses() -> None:
    assert Unit("uS / cm^2") is parse_unit("uS / cm^2")
    assert str(Unit("uS / cm^2")) == "uS / cm^2"
    assert Unit("mV") is u.mV


def test_division_chains_and_the_ambiguous_form() -> None:
    assert parse_unit("m / s / s") is parse_unit("m / s^2")
    assert parse_unit("J / kg / K") == parse_unit("J / (kg * K)")
    with pytest.raises(UnitError, match="ambiguous"):
        parse_unit("J / kg * K")


# -- brainunit's Unit API ----------------------------------------------------------------------------


def test_unit_has_brainunits_api() -> None:
    assert len(UNIT_API) == 21
    for name in UNIT_API:
        assert hasattr(Unit, name), name


def test_constructor_with_brainunits_signature() -> None:
    length = u.meter.dim
    assert Unit(length, scale=3) is u.kmeter  # a SI prefix is found
    assert Unit(length, scale=-6) is u.umeter
    assert Unit(u.kilogram.dim, scale=-3) is u.gram
    assert str(Unit(length, scale=-2)) == "10^-2 * m"  # as brainunit: no centi/deci/deca/hecto
    assert str(Unit(length, scale=-2, factor=2.54)) == "2.54 * 10^-2 * m"
    assert Unit(length, scale=-2, factor=2.54) == u.inch == Unit(length, factor=0.0254)
    assert str(Unit(length, factor=0.3048)) == "0.3048 * m"
    assert str(Unit(length * u.second.dim)) == "m * s"
    assert str(Unit(length, scale=Fraction(3, 2))) == "10^(3/2) * m"
    assert Unit() is ONE and Unit(length) is u.meter and Unit(u.joule.dim) is u.joule
    foo = Unit(length, name="foometer", dispname="fom", scale=2)
    assert str(foo) == "fom" and foo.is_fullname and foo.scale == 100.0
    with pytest.raises(UnitError, match="unknown unit 'fom'"):
        parse_unit("fom")
    u.add_standard_unit(foo)
    assert parse_unit("fom / s") is foo / u.second


def test_create_with_brainunits_signature() -> None:
    furlong = Unit.create(u.meter.dim, "furlong", "fur", factor=201.168)
    assert str(furlong) == "fur" and furlong.name == "fur" and furlong.is_fullname
    assert furlong.factor_to(u.meter) == 201.168 and furlong.factor == 201.168 and furlong.exp10 == 0
    assert parse_unit("fur / min") is furlong / u.minute and get_unit("furlong") is furlong
    assert Unit.create(u.meter.dim, "furlong", "fur", scale=2, factor=2.01168) is furlong  # same definition
    with pytest.raises(UnitError, match="already exists with another definition"):
        Unit.create(u.meter.dim, "furlong", "fur", factor=200)


def test_create_auto_simplify_unicode_and_latex() -> None:
    energy = u.joule.dim
    septa = Unit.create(energy, "septajoule", "J7", factor=7, auto_simplify=True, unicode="J₇", latex=r"J_7")
    assert Unit(energy, factor=7) is septa
    assert parse_unit("7 * J") is septa
    assert (septa / u.second).to_string("unicode") == "J₇ / s"
    assert (septa / u.second).to_string("latex") == r"\frac{J_7}{\mathrm{s}}"
    assert parse_unit("J₇ / s") is septa / u.second


def test_create_power_and_create_scaled_unit() -> None:
    inch2 = Unit.create_power(u.inch, 2)
    assert inch2 is u.inch**2 and str(inch2) == "in^2" and get_unit("inch2") is inch2
    assert Unit.create_scaled_unit(u.volt, "u") is u.uvolt
    assert Unit.create_scaled_unit(u.siemens, "") is u.siemens
    kfur = Unit.create_scaled_unit(Unit.create(u.meter.dim, "furlong", "fur", factor=201.168), "k")
    assert str(kfur) == "kfur" and kfur.factor_to(u.meter) == 201168.0
    with pytest.raises(UnitError, match="unknown SI prefix 'x'"):
        Unit.create_scaled_unit(u.volt, "x")


def test_unit_properties() -> None:
    assert (u.inch.factor, u.inch.exp10, u.inch.base, u.inch.scale, u.inch.magnitude) == (
        0.0254,
        0,
        10.0,
        0.0254,
        0.0254,
    )
    assert (u.mV.factor, u.mV.exp10, u.mV.scale) == (1.0, -3, 0.001)
    assert u.mV.dispname == "mV" and u.mV.is_fullname and not (u.mV * u.ms).is_fullname
    assert u.mV.has_same_dim(u.volt) and u.mV.has_same_dim(3 * u.volt) and not u.mV.has_same_dim(u.amp)
    assert u.mV.has_same_magnitude(u.mA) and not u.mV.has_same_magnitude(u.volt)
    assert u.mV.has_same_base(u.volt)
    assert u.mV.reverse() is u.mV**-1 and str(u.second.reverse()) == "1 / s"
    assert ONE.is_unitless and u.radian.is_unitless and not u.mV.is_unitless and not (u.mV / u.volt).is_unitless
    assert u.mV.should_display_unit and not ONE.should_display_unit and (u.mV / u.volt).should_display_unit
    assert (u.volt * u.second).simplify() is u.weber
    assert str((u.mV / u.volt).simplify()) == "10^-3"
    assert u.mV.simplify() is u.mV
    assert u.inch.factorless() is u.meter and u.calorie.factorless() is u.joule and u.mV.factorless() is u.mV
    assert u.mV.copy() is u.mV and pickle.loads(pickle.dumps(u.kmh**2)) is u.kmh**2


def test_to_string_styles_match_brainunit() -> None:
    styles = ("ascii", "ascii_inline", "unicode", "unicode_inline", "latex", "latex_inline")
    cases = {
        u.msiemens * u.nA / u.cmeter**2: (
            "mS * nA / cm^2", "mS * nA * cm^-2", "mS·nA / cm²", "mS·nA·cm⁻²",
            r"\frac{\mathrm{mS}\,\mathrm{nA}}{\mathrm{cm}^{2}}", r"\mathrm{mS}\,\mathrm{nA}\,\mathrm{cm}^{-2}",
        ),
        u.ufarad / u.cmeter**2: (
            "uF / cm^2", "uF * cm^-2", "µF / cm²", "µF·cm⁻²",
            r"\frac{\mu\mathrm{F}}{\mathrm{cm}^{2}}", r"\mu\mathrm{F}\,\mathrm{cm}^{-2}",
        ),
        u.kohm: ("kohm", "kohm", "kΩ", "kΩ", r"\mathrm{k}\Omega", r"\mathrm{k}\Omega"),
        u.meter**-1: ("1 / m", "m^-1", "1 / m", "m⁻¹", r"\frac{1}{\mathrm{m}}", r"\mathrm{m}^{-1}"),
        u.kmh**2: ("(km/h)^2", "(km/h)^2", "(km/h)²", "(km/h)²", r"\mathrm{km/h}^{2}", r"\mathrm{km/h}^{2}"),
        u.fluid_ounce / u.second: (
            "(fl oz) / s", "(fl oz) * s^-1", "(fl oz) / s", "(fl oz)·s⁻¹",
            r"\frac{\mathrm{fl\ oz}}{\mathrm{s}}", r"\mathrm{fl\ oz}\,\mathrm{s}^{-1}",
        ),
        u.degree: ("deg", "deg", "°", "°", r"^{\circ}", r"^{\circ}"),
    }  # fmt: skip
    for unit, expected in cases.items():
        assert tuple(unit.to_string(s) for s in styles) == expected
        assert f"{unit:unicode}" == expected[2] and f"{unit:>12}" == f"{expected[0]:>12}"
    with pytest.raises(UnitError, match="unknown format 'html'"):
        u.mV.to_string("html")


def test_get_or_create_dimension() -> None:
    force = u.newton.dim
    assert u.get_or_create_dimension(length=1, mass=1, time=-2) is force
    assert u.get_or_create_dimension(m=1, kg=1, s=-2) is force
    assert u.get_or_create_dimension([1, 1, -2, 0, 0, 0, 0]) is force
    assert u.get_or_create_dimension(metre=1, Mass=1, second=-2) is force
    assert u.get_or_create_dimension(length=0.5) is u.meter.dim ** Fraction(1, 2)
    assert u.get_or_create_dimension(amount=1, candle=1) is u.mole.dim * u.candela.dim
    assert u.get_or_create_dimension() is DIMENSIONLESS


def test_add_standard_unit_refuses_compounds() -> None:
    with pytest.raises(UnitError, match="compound"):
        u.add_standard_unit(u.meter / u.second)


# -- the unit-free unit ------------------------------------------------------------------------------


def test_the_unit_free_unit_says_what_it_is_and_is_not_dimensionless() -> None:
    assert str(FREE) == "unit-free" and repr(FREE) == 'Unit("unit-free")'
    assert FREE != ONE and ONE != FREE and FREE == FREE
    assert not FREE.is_unitless and not FREE.is_one and FREE.dim is DIMENSIONLESS
    with pytest.raises(UnitError, match=r"'unit-free' is not a unit to ask for.*use '1'"):
        parse_unit(str(FREE))
    with pytest.raises(UnitError, match="not a unit to ask for"):
        Unit(repr(FREE)[6:-2])


def test_latex_writes_numbers_as_numbers() -> None:
    """A unit written with numbers: the numbers in math type, a number times a number with ``\\times``."""
    kcal = Unit(u.joule.dim, scale=3, factor=4.184)
    assert kcal.to_string("latex") == r"\frac{4.184 \times 10^{3}\,\mathrm{m}^{2}\,\mathrm{kg}}{\mathrm{s}^{2}}"
    assert kcal.to_string("latex_inline") == r"4.184 \times 10^{3}\,\mathrm{m}^{2}\,\mathrm{kg}\,\mathrm{s}^{-2}"
    assert Unit(scale=3).to_string("latex") == "10^{3}"
    assert (u.mV * u.ms).to_string("latex") == r"\mathrm{mV}\,\mathrm{ms}"
