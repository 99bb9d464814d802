"""The catalog of named units: SI base and derived units with every SI prefix, their squares and
cubes, and common non-SI units — plus :func:`parse_unit` for unit expressions such as ``'m / s^2'``.
"""

from __future__ import annotations

import keyword
import math
import re
from fractions import Fraction

from .._errors import UnitError
from .dimension import DIMENSIONLESS, Dimension
from .unit import ONE, Unit

__all__ = ["PREFIXES", "UNITS", "get_unit", "parse_unit"]

#: SI prefixes (symbol, name, power of ten), quecto to quetta
PREFIXES: tuple[tuple[str, str, int], ...] = (
    ("q", "quecto", -30), ("r", "ronto", -27), ("y", "yocto", -24), ("z", "zepto", -21),
    ("a", "atto", -18), ("f", "femto", -15), ("p", "pico", -12), ("n", "nano", -9),
    ("u", "micro", -6), ("m", "milli", -3), ("c", "centi", -2), ("d", "deci", -1),
    ("da", "deca", 1), ("h", "hecto", 2), ("k", "kilo", 3), ("M", "mega", 6),
    ("G", "giga", 9), ("T", "tera", 12), ("P", "peta", 15), ("E", "exa", 18),
    ("Z", "zetta", 21), ("Y", "yotta", 24), ("R", "ronna", 27), ("Q", "quetta", 30),
)  # fmt: skip

#: every unit of the catalog by every name it goes by (``meter``, ``metre``, ``m``, ``cmeter``, …);
#: squares and cubes (``cmeter2``) are added on first use by :func:`get_unit`
UNITS: dict[str, Unit] = {"1": ONE, "one": ONE}

L, M, T, CUR, K, N, J = (Dimension.base(s) for s in ("m", "kg", "s", "A", "K", "mol", "cd"))

# (names, symbol, dimension, scale factor, power of ten, prefixed, coherent)
_SI: tuple[tuple[tuple[str, ...], str, Dimension, float, int, bool, bool], ...] = (
    (("meter", "metre"), "m", L, 1.0, 0, True, True),
    (("gram", "gramme"), "g", M, 1.0, -3, True, False),
    (("second",), "s", T, 1.0, 0, True, True),
    (("ampere", "amp"), "A", CUR, 1.0, 0, True, True),
    (("kelvin",), "K", K, 1.0, 0, True, True),
    (("mole", "mol"), "mol", N, 1.0, 0, True, True),
    (("candela",), "cd", J, 1.0, 0, True, True),
    (("radian",), "rad", DIMENSIONLESS, 1.0, 0, True, False),
    (("steradian",), "sr", DIMENSIONLESS, 1.0, 0, True, False),
    (("hertz",), "Hz", T**-1, 1.0, 0, True, True),
    (("newton",), "N", M * L * T**-2, 1.0, 0, True, True),
    (("pascal",), "Pa", M * L**-1 * T**-2, 1.0, 0, True, True),
    (("joule",), "J", M * L**2 * T**-2, 1.0, 0, True, True),
    (("watt",), "W", M * L**2 * T**-3, 1.0, 0, True, True),
    (("coulomb",), "C", CUR * T, 1.0, 0, True, True),
    (("volt",), "V", M * L**2 * T**-3 * CUR**-1, 1.0, 0, True, True),
    (("farad",), "F", M**-1 * L**-2 * T**4 * CUR**2, 1.0, 0, True, True),
    (("ohm",), "ohm", M * L**2 * T**-3 * CUR**-2, 1.0, 0, True, True),
    (("siemens",), "S", M**-1 * L**-2 * T**3 * CUR**2, 1.0, 0, True, True),
    (("weber",), "Wb", M * L**2 * T**-2 * CUR**-1, 1.0, 0, True, True),
    (("tesla",), "T", M * T**-2 * CUR**-1, 1.0, 0, True, True),
    (("henry",), "H", M * L**2 * T**-2 * CUR**-2, 1.0, 0, True, True),
    # degree Celsius as a unit of temperature *differences* (same size as the kelvin)
    (("celsius", "degree_Celsius"), "degC", K, 1.0, 0, False, False),
    (("lumen",), "lm", J, 1.0, 0, True, False),
    (("lux",), "lx", J * L**-2, 1.0, 0, True, False),
    (("becquerel",), "Bq", T**-1, 1.0, 0, True, False),
    (("gray",), "Gy", L**2 * T**-2, 1.0, 0, True, False),
    (("sievert",), "Sv", L**2 * T**-2, 1.0, 0, True, False),
    (("katal",), "kat", N * T**-1, 1.0, 0, True, False),
    # non-SI units accepted for use with the SI, and other common ones
    (("liter", "litre"), "L", L**3, 1.0, -3, True, False),
    (("molar",), "M", N * L**-3, 1.0, 3, True, False),
    (("electronvolt",), "eV", M * L**2 * T**-2, 1.602176634, -19, True, False),
    (("minute",), "min", T, 6.0, 1, False, False),
    (("hour",), "h", T, 3.6, 3, False, False),
    (("day",), "d", T, 8.64, 4, False, False),
    (("week",), "week", T, 6.048, 5, False, False),
    (("year", "julian_year"), "yr", T, 3.15576, 7, False, False),
    (("degree",), "deg", DIMENSIONLESS, math.pi / 180, 0, False, False),
    (("arcminute",), "arcmin", DIMENSIONLESS, math.pi / 10800, 0, False, False),
    (("arcsecond",), "arcsec", DIMENSIONLESS, math.pi / 648000, 0, False, False),
    (("percent",), "%", DIMENSIONLESS, 1.0, -2, False, False),
    (("angstrom",), "angstrom", L, 1.0, -10, False, False),
    (("inch",), "inch", L, 2.54, -2, False, False),
    (("foot",), "ft", L, 3.048, -1, False, False),
    (("mile",), "mi", L, 1.609344, 3, False, False),
    (("astronomical_unit",), "au", L, 1.495978707, 11, False, False),
    (("light_year", "lightyear"), "ly", L, 9.4607304725808, 15, False, False),
    (("parsec",), "pc", L, 3.0856775814913673, 16, False, False),
    (("hectare",), "ha", L**2, 1.0, 4, False, False),
    (("tonne", "metric_ton"), "t", M, 1.0, 3, False, False),
    (("pound",), "lb", M, 4.5359237, -1, False, False),
    (("dalton",), "Da", M, 1.66053906892, -27, False, False),
    (("bar",), "bar", M * L**-1 * T**-2, 1.0, 5, True, False),
    (("atmosphere",), "atm", M * L**-1 * T**-2, 1.01325, 5, False, False),
    (("mmHg",), "mmHg", M * L**-1 * T**-2, 1.33322387415, 2, False, False),
    (("calorie",), "cal", M * L**2 * T**-2, 4.184, 0, True, False),
    (("erg",), "erg", M * L**2 * T**-2, 1.0, -7, False, False),
    (("dyne",), "dyn", M * L * T**-2, 1.0, -5, False, False),
    (("gauss",), "gauss", M * T**-2 * CUR**-1, 1.0, -4, False, False),
)

#: symbols not exported as Python names (too short or clashing with common variable names)
_UNEXPORTED_SYMBOLS = {"h", "d", "t", "%", "M", "au", "pc", "ft", "mi", "lb", "Da", "yr", "ly", "ha"}


def _add(name: str, unit: Unit) -> None:
    if name.isidentifier() and not keyword.iskeyword(name):
        UNITS.setdefault(name, unit)


def get_unit(name: str) -> Unit | None:
    """The catalog unit called ``name``, or ``None``.  Squares and cubes (``meter2``, ``cm3``)
    are made on first use and kept, so the catalog costs little at import."""
    unit = UNITS.get(name)
    if unit is None and name[-1:] in ("2", "3"):
        base = UNITS.get(name[:-1])
        if base is not None:
            unit = UNITS[name] = base ** int(name[-1])
    return unit


def _build() -> None:
    # unprefixed names first, so that a prefixed name never shadows a unit of its own
    for names, symbol, dim, factor, exp10, _, coherent in _SI:
        unit = Unit.create(symbol, dim, factor, exp10, coherent=coherent)
        for name in names:
            _add(name, unit)
        if symbol not in _UNEXPORTED_SYMBOLS:
            _add(symbol, unit)
    Unit._coherent[M] = Unit.create("kg", M, 1.0, 0)
    for names, symbol, dim, factor, exp10, prefixed, _ in _SI:
        if not prefixed:
            continue
        for p_sym, p_name, p_exp in PREFIXES:
            unit = Unit.create(p_sym + symbol, dim, factor, exp10 + p_exp)
            for name in names:
                _add(p_sym + name, unit)
                _add(p_name + name, unit)
            _add(p_sym + symbol, unit)


_build()

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:/\d+)?)|(?P<name>[A-Za-z_%][A-Za-z_0-9]*)|(?P<op>\*\*|[*/^()-]))")


def parse_unit(text: str) -> Unit:
    """Parse a unit expression: catalog names joined by ``*``, ``/``, ``^`` or ``**`` and
    parentheses, e.g. ``'mV'``, ``'m / s^2'``, ``'kg * m^2 / s^2'``, ``'Hz^(1/2)'``.

    Every ``str(unit)`` parses back to an equal unit.
    """
    if not isinstance(text, str):
        raise UnitError(f"a unit must be a Unit or a string, got {type(text).__name__}")
    try:
        tokens = _tokenize(text)
        unit, pos = _parse_product(tokens, 0)
        if pos != len(tokens):
            raise UnitError(f"unexpected {tokens[pos][1]!r}")
    except UnitError as exc:
        raise UnitError(f"cannot parse unit {text!r}: {exc}") from None
    return unit


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos, text = [], 0, text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise UnitError(f"unexpected character {text[pos]!r}")
        kind = match.lastgroup or "op"
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


def _parse_product(tokens: list[tuple[str, str]], pos: int) -> tuple[Unit, int]:
    unit, pos = _parse_power(tokens, pos)
    while pos < len(tokens) and tokens[pos][1] in "*/":
        op = tokens[pos][1]
        rhs, pos = _parse_power(tokens, pos + 1)
        unit = unit * rhs if op == "*" else unit / rhs
    return unit, pos


def _parse_power(tokens: list[tuple[str, str]], pos: int) -> tuple[Unit, int]:
    unit, pos = _parse_atom(tokens, pos)
    if pos < len(tokens) and tokens[pos][1] in ("^", "**"):
        pos += 1
        if pos < len(tokens) and tokens[pos][1] == "(":
            exp, pos = _parse_exponent(tokens, pos + 1)
            if pos >= len(tokens) or tokens[pos][1] != ")":
                raise UnitError("missing ')'")
            pos += 1
        else:
            exp, pos = _parse_exponent(tokens, pos)
        unit = unit**exp
    return unit, pos


def _parse_exponent(tokens: list[tuple[str, str]], pos: int) -> tuple[Fraction, int]:
    sign = 1
    if pos < len(tokens) and tokens[pos][1] == "-":
        sign, pos = -1, pos + 1
    if pos >= len(tokens) or tokens[pos][0] != "num":
        raise UnitError("expected a number after '^'")
    return sign * Fraction(tokens[pos][1]), pos + 1


def _parse_atom(tokens: list[tuple[str, str]], pos: int) -> tuple[Unit, int]:
    if pos >= len(tokens):
        raise UnitError("unexpected end")
    kind, value = tokens[pos]
    if value == "(":
        unit, pos = _parse_product(tokens, pos + 1)
        if pos >= len(tokens) or tokens[pos][1] != ")":
            raise UnitError("missing ')'")
        return unit, pos + 1
    if kind == "num" and value == "1":
        return ONE, pos + 1
    if kind == "name":
        unit = get_unit(value) or Unit._atoms.get(value)
        if unit is None:
            raise UnitError(f"unknown unit {value!r}")
        return unit, pos + 1
    raise UnitError(f"unexpected {value!r}")
