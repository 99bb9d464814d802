"""The catalog of named units — SI base and derived units with every SI prefix, their squares and
cubes, and brainunit's non-SI units — plus :func:`parse_unit` for unit expressions such as
``'m / s^2'``, ``'µF / cm²'`` or ``'10^3 * m'``.

Scales are exact: each definition is a rational number (``inch = 0.0254 m``, ``knot = 1852/3600
m/s``), and the few irrational ones (``degree = π/180``) are the float brainunit uses, read exactly.
"""

from __future__ import annotations

import keyword
import re
from fractions import Fraction
from typing import NamedTuple

from .._errors import UnitError
from .dimension import DIMENSIONLESS, MAX_EXPONENT, Dimension, as_exponent
from .unit import ONE, Unit, define_named

__all__ = ["PREFIXES", "PREFIX_POWERS", "UNITS", "catalog_markdown", "get_unit", "parse_unit"]

#: SI prefixes (symbol, name, power of ten), quecto to quetta
PREFIXES: tuple[tuple[str, str, int], ...] = (
    ("q", "quecto", -30), ("r", "ronto", -27), ("y", "yocto", -24), ("z", "zepto", -21),
    ("a", "atto", -18), ("f", "femto", -15), ("p", "pico", -12), ("n", "nano", -9),
    ("u", "micro", -6), ("m", "milli", -3), ("c", "centi", -2), ("d", "deci", -1),
    ("da", "deca", 1), ("h", "hecto", 2), ("k", "kilo", 3), ("M", "mega", 6),
    ("G", "giga", 9), ("T", "tera", 12), ("P", "peta", 15), ("E", "exa", 18),
    ("Z", "zetta", 21), ("Y", "yotta", 24), ("R", "ronna", 27), ("Q", "quetta", 30),
)  # fmt: skip
PREFIX_POWERS: dict[str, int] = {"": 0} | {sym: p for sym, _, p in PREFIXES}

#: every unit of the catalog by every name it goes by (``meter``, ``metre``, ``m``, ``cmeter``, …);
#: squares and cubes (``cmeter2``) are added on first use by :func:`get_unit`
UNITS: dict[str, Unit] = {"1": ONE, "one": ONE, "UNITLESS": ONE}

L, M, T, CUR, K, N, J = (Dimension.base(s) for s in ("m", "kg", "s", "A", "K", "mol", "cd"))
ENERGY, POWER, FORCE, PRESSURE, SPEED = M * L**2 * T**-2, M * L**2 * T**-3, M * L * T**-2, M * L**-1 * T**-2, L / T

_INCH = Fraction("0.0254")
_LBF = Fraction("0.45359237") * Fraction("9.80665")
_DEG = Fraction(repr(0.017453292519943295))  # π/180 as brainunit has it


class _Def(NamedTuple):
    """One catalog definition: the unit is ``factor * 10**exp10`` SI units of ``dim``."""

    names: tuple[str, ...]  # attribute names; the first is the full name
    symbol: str  # what it displays as and parses from
    dim: Dimension
    factor: Fraction
    exp10: int
    kind: str = "plain"  # 'si': prefixed and coherent; 'prefixed': prefixed; 'plain'
    unicode: str | None = None
    latex: str | None = None
    note: str = ""


def _d(names: str, symbol: str, dim: Dimension, factor: str | int | Fraction, exp10: int = 0, kind: str = "plain",
       unicode: str | None = None, latex: str | None = None, note: str = "") -> _Def:  # fmt: skip
    return _Def(tuple(names.split()), symbol, dim, Fraction(factor), exp10, kind, unicode, latex, note)


_DEFS: tuple[_Def, ...] = (
    # SI base units and the 22 named derived units
    _d("meter metre", "m", L, 1, 0, "si"),
    _d("gram gramme", "g", M, 1, -3, "prefixed"),
    _d("second", "s", T, 1, 0, "si"),
    _d("ampere amp", "A", CUR, 1, 0, "si"),
    _d("kelvin", "K", K, 1, 0, "si"),
    _d("mole mol", "mol", N, 1, 0, "si"),
    _d("candela candle", "cd", J, 1, 0, "si"),
    _d("radian", "rad", DIMENSIONLESS, 1, 0, "prefixed"),
    _d("steradian", "sr", DIMENSIONLESS, 1, 0, "prefixed"),
    _d("hertz", "Hz", T**-1, 1, 0, "si"),
    _d("newton", "N", FORCE, 1, 0, "si"),
    _d("pascal", "Pa", PRESSURE, 1, 0, "si"),
    _d("joule", "J", ENERGY, 1, 0, "si"),
    _d("watt", "W", POWER, 1, 0, "si"),
    _d("coulomb", "C", CUR * T, 1, 0, "si"),
    _d("volt", "V", POWER / CUR, 1, 0, "si"),
    _d("farad", "F", M**-1 * L**-2 * T**4 * CUR**2, 1, 0, "si"),
    _d("ohm", "ohm", POWER / CUR**2, 1, 0, "si", "Ω", r"\Omega"),
    _d("siemens", "S", M**-1 * L**-2 * T**3 * CUR**2, 1, 0, "si"),
    _d("weber", "Wb", ENERGY / CUR, 1, 0, "si"),
    _d("tesla", "T", M * T**-2 * CUR**-1, 1, 0, "si"),
    _d("henry", "H", ENERGY / CUR**2, 1, 0, "si"),
    _d("celsius degree_Celsius", "degC", K, 1, 0, "plain", "°C", r"^{\circ}\mathrm{C}", "differences"),
    _d("lumen", "lm", J, 1, 0, "prefixed"),
    _d("lux", "lx", J * L**-2, 1, 0, "prefixed"),
    _d("becquerel", "Bq", T**-1, 1, 0, "prefixed"),
    _d("gray", "Gy", L**2 * T**-2, 1, 0, "prefixed"),
    _d("sievert", "Sv", L**2 * T**-2, 1, 0, "prefixed"),
    _d("katal", "kat", N / T, 1, 0, "prefixed"),
    # accepted for use with the SI
    _d("liter litre", "l", L**3, 1, -3, "prefixed"),
    _d("molar", "M", N * L**-3, 1, 3, "prefixed"),
    _d("electronvolt electron_volt eV", "eV", ENERGY, "1.602176634", -19, "prefixed"),
    _d("minute", "min", T, 6, 1),
    _d("hour", "h", T, "3.6", 3),
    _d("day", "d", T, "8.64", 4),
    _d("week", "wk", T, "6.048", 5),
    _d("month", "mon", T, "2.629746", 6, note="year / 12"),
    _d("year", "yr", T, "3.1556952", 7, note="365.2425 d, Gregorian"),
    _d("julian_year", "julian yr", T, "3.15576", 7, note="365.25 d"),
    _d("degree", "deg", DIMENSIONLESS, _DEG, 0, "plain", "°", r"^{\circ}", "π/180 rad"),
    _d("arcminute arcmin", "arcmin", DIMENSIONLESS, _DEG / 60 * 10**4, -4, note="deg / 60"),
    _d("arcsecond arcsec", "arcsec", DIMENSIONLESS, _DEG / 3600 * 10**6, -6, note="deg / 3600"),
    _d("percent", "%", DIMENSIONLESS, 1, -2),
    _d("angstrom", "Angstrom", L, 1, -10, "plain", "Å", r"\mathrm{\mathring{A}}"),
    _d("astronomical_unit au", "AU", L, "1.495978707", 11),
    _d("light_year lightyear", "ly", L, "9.4607304725808", 15),
    _d("parsec", "pc", L, "3.085677581491367", 16, note="648000/π au, as brainunit has it"),
    _d("hectare", "ha", L**2, 1, 4),
    _d("tonne metric_ton", "t", M, 1, 3),
    _d("dalton", "Da", M, "1.66053906892", -27),
    _d("atomic_mass amu u um_u", "u", M, "1.66053906892", -27),
    # imperial and US customary
    _d("inch", "in", L, _INCH),
    _d("foot", "ft", L, 12 * _INCH),
    _d("yard", "yd", L, 36 * _INCH),
    _d("mile", "mi", L, 63360 * _INCH / 1000, 3),
    _d("mil", "mil", L, _INCH / 1000),
    _d("point", "pt", L, _INCH / 72 * 10**4, -4, note="in / 72"),
    _d("pica", "p", L, _INCH / 6, note="in / 6"),
    _d("survey_foot", "US survey ft", L, Fraction(1200, 3937), note="1200/3937 m"),
    _d("survey_mile", "US survey mi", L, Fraction(5280 * 1200, 3937) / 1000, 3, note="5280 US survey ft"),
    _d("nautical_mile", "nmi", L, "1.852", 3),
    _d("acre", "acre", L**2, "4.0468564224", 3),
    _d("gallon gallon_US", "gal", L**3, "3.785411784", -3),
    _d("gallon_imp", "imp gal", L**3, "4.54609", -3),
    _d("fluid_ounce fluid_ounce_US", "fl oz", L**3, "2.95735295625", -5, note="gal / 128"),
    _d("fluid_ounce_imp", "imp fl oz", L**3, "2.84130625", -5, note="imp gal / 160"),
    _d("barrel bbl", "bbl", L**3, "1.58987294928", -1),
    _d("pound lb", "lb", M, "0.45359237"),
    _d("ounce oz", "oz", M, "2.8349523125", -2, note="lb / 16"),
    _d("stone", "st", M, "6.35029318", note="14 lb"),
    _d("grain", "gr", M, "6.479891", -5),
    _d("carat", "ct", M, 2, -4),
    _d("slug", "slug", M, "1.459390294", 1),
    _d("blob slinch", "blob", M, "1.75126836", 2),
    _d("long_ton", "long ton", M, "1.0160469088", 3, note="2240 lb"),
    _d("short_ton", "short ton", M, "0.90718474", 3, note="2000 lb"),
    _d("troy_ounce", "oz t", M, "3.11034768", -2),
    _d("troy_pound", "lb t", M, "0.3732417216", note="12 oz t"),
    _d("mph", "mph", SPEED, Fraction("1609.344") / 3600 * 10, -1, note="mi / h"),
    _d("kmh", "km/h", SPEED, Fraction(1000, 3600) * 10, -1, note="km / h"),
    _d("knot", "kn", SPEED, Fraction(1852, 3600) * 10, -1, note="nmi / h"),
    _d("mach speed_of_sound", "mach", SPEED, "3.405", 2),
    _d("kilogram_force kgf", "kgf", FORCE, "9.80665"),
    _d("pound_force lbf", "lbf", FORCE, _LBF, note="lb * 9.80665 m/s²"),
    _d("dyne dyn", "dyn", FORCE, 1, -5),
    _d("IMF", "IMF", FORCE, "1.602176634", -9, note="eV / nm"),
    _d("bar", "bar", PRESSURE, 1, 5, "prefixed"),
    _d("atmosphere atm", "atm", PRESSURE, "1.01325", 5),
    _d("mmHg", "mmHg", PRESSURE, "1.33322387415", 2),
    _d("torr", "torr", PRESSURE, Fraction(101325, 760) / 100, 2, note="atm / 760"),
    _d("psi", "psi", PRESSURE, _LBF / _INCH**2 / 1000, 3, note="lbf / in²"),
    _d("gauss", "gauss", M * T**-2 * CUR**-1, 1, -4),
    _d("calorie calorie_th", "cal", ENERGY, "4.184", 0, "prefixed"),
    _d("calorie_IT", "cal IT", ENERGY, "4.1868"),
    _d("Btu Btu_IT", "Btu", ENERGY, "1.05505585262", 3),
    _d(
        "Btu_th",
        "Btu th",
        ENERGY,
        Fraction("4.184") * Fraction("453.59237") * Fraction(5, 9) / 1000,
        3,
        note="cal / (g K) * lb * 5/9 K",
    ),
    _d("ton_TNT", "ton TNT", ENERGY, "4.184", 9),
    _d("erg", "erg", ENERGY, 1, -7),
    _d("kcal_per_h", "kcal/h", POWER, Fraction(4184, 3600), note="kcal / h"),
    _d("horsepower hp", "hp", POWER, 550 * 12 * _INCH * _LBF / 100, 2, note="550 ft lbf / s"),
)

#: names that keep meaning what they meant before brainunit's catalog was adopted
_ALIASES: dict[str, str] = {"L": "l"}
#: prefixes of the units that unit arithmetic written with numbers collapses to (as brainunit)
_ENGINEERING = {sym for sym, _, p in PREFIXES if p % 3 == 0}


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


def _symbols(prefix: str, d: _Def) -> tuple[str, str] | None:
    """Unicode and LaTeX symbols of ``prefix + d.symbol`` where they differ from the ASCII one."""
    if prefix != "u" and d.unicode is None:
        return None
    uni = ("µ" if prefix == "u" else prefix) + (d.unicode or d.symbol)
    sym = r"\mathrm{" + d.symbol + "}"
    if prefix == "u":
        latex = r"\mu" + (d.latex or sym)
    else:
        latex = (r"\mathrm{" + prefix + "}" if prefix else "") + (d.latex or sym)
    return uni, latex


def _build() -> None:
    # unprefixed names first, so that a prefixed name never shadows a unit of its own
    for d in _DEFS:
        unit = define_named(d.dim, d.names[0], d.symbol, d.factor, d.exp10)
        if d.unicode is not None:
            Unit._symbols[d.symbol] = _symbols("", d)  # type: ignore[assignment]
        for name in d.names:
            _add(name, unit)
        if d.kind != "plain" and d.symbol not in ("M", "l"):
            _add(d.symbol, unit)  # SI symbols are names too (m, V, Hz, g, rad)
        if d.kind == "si":
            Unit._coherent.setdefault(d.dim, unit)
            Unit._numeric_symbols.append(d.symbol)
    Unit._coherent[M] = kg = define_named(M, "kilogram", "kg", Fraction(1), 0)
    Unit._numeric_symbols += ["kg", "g"]
    for d in _DEFS:
        if d.kind == "plain":
            continue
        for p_sym, p_name, p_exp in PREFIXES:
            symbol = p_sym + d.symbol
            unit = define_named(d.dim, p_sym + d.names[0], symbol, d.factor, d.exp10 + p_exp)
            symbols = _symbols(p_sym, d)
            if symbols is not None:
                Unit._symbols[symbol] = symbols
            for name in d.names:
                _add(p_sym + name, unit)
                _add(p_name + name, unit)
            _add(symbol, unit)
            if (d.kind == "si" or d.symbol == "g") and p_sym in _ENGINEERING:
                Unit._numeric_symbols.append(symbol)
    UNITS.setdefault("kilogram", kg)
    for old, new in _ALIASES.items():
        _add(old, Unit._atoms[new])
        for p_sym, _, _ in PREFIXES:
            _add(p_sym + old, Unit._atoms[p_sym + new])
    for name, target in {"fermi": "fm", "micron": "um"}.items():
        _add(name, Unit._atoms[target])
    for symbol in ("min", "deg", "arcmin", "arcsec", "cal", "atm", "mmHg", "erg", "degC", "gauss"):
        _add(symbol, Unit._atoms[symbol])
    UNITS["speed_unit"] = UNITS["meter"] / UNITS["second"]
    Unit._version[0] += 1


_build()


# -- parsing ---------------------------------------------------------------------------------------

_SUP_CHARS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺"
_FROM_SUP = str.maketrans(_SUP_CHARS, "0123456789-+")
_NAME_CHARS = rf"(?:[^\W{_SUP_CHARS}]|[%°])"
_NAME = re.compile(rf"(?:[^\W\d{_SUP_CHARS}]|[%°]){_NAME_CHARS}*")
_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    rf"|(?P<sup>[{_SUP_CHARS}]+)"
    rf"|(?P<name>{_NAME.pattern})"
    r"|(?P<op>\*\*|[*·⋅×/^()+-]))"  # noqa: RUF001 - the multiplication signs
)
_MUL = frozenset("*·⋅×")  # noqa: RUF001
_MAX_DEPTH = 64
_PARSED: dict[str, Unit] = {}
_CACHE_LIMIT = 1024
_state: dict[str, object] = {"version": -1, "specials": (), "unicode": {}}


def _registry() -> tuple[tuple[str, ...], dict[str, Unit]]:
    """Multi-word symbols (``fl oz``, ``km/h``), longest first, and atoms by Unicode symbol."""
    version = Unit._version[0]
    if _state["version"] != version:
        unicode = {uni: Unit._atoms[name] for name, (uni, _) in Unit._symbols.items() if name in Unit._atoms}
        names = [*Unit._atoms, *unicode]
        specials = sorted({n for n in names if not _NAME.fullmatch(n) and not n[:1].isdigit()}, key=len, reverse=True)
        _state.update(version=version, specials=tuple(specials), unicode=unicode)
        _PARSED.clear()
    return _state["specials"], _state["unicode"]  # type: ignore[return-value]


def parse_unit(text: str) -> Unit:
    """Parse a unit expression, e.g. ``'mV'``, ``'m / s^2'``, ``'kg * m^2 / s^2'``,
    ``'Hz^(1/2)'``, ``'µF / cm²'``, ``'kΩ'``, ``'10^3 * m'``, ``'(km/h)^2'``.

    Names are those of the catalog (and of units registered with :meth:`Unit.create`), by
    attribute name or symbol.  ``a / b / c`` is ``a / (b * c)``; ``a / b * c`` is refused as
    ambiguous.  Every ``str(unit)`` parses back to the same unit.
    """
    if not isinstance(text, str):
        raise UnitError(f"a unit must be a Unit or a string, got {type(text).__name__}")
    specials, unicode = _registry()
    unit = _PARSED.get(text)
    if unit is not None:
        return unit
    if "unit-free" in text:
        raise UnitError(
            f"cannot parse unit {_quote(text)}: 'unit-free' is not a unit to ask for. It marks values that "
            f"mean the same in every unit (0, ±inf, nan, zeros and empty arrays), and only such values "
            f"carry it; for plain numbers use '1' (dimensionless)"
        )
    try:
        parser = _Parser(_tokenize(text.replace("μ", "µ").replace("Ω", "Ω"), specials), unicode)
        unit = parser.expr(0)
        if parser.pos != len(parser.tokens):
            raise UnitError(f"unexpected {parser.tokens[parser.pos][1]!r}")
    except UnitError as exc:
        raise UnitError(f"cannot parse unit {_quote(text)}: {exc}") from None
    if len(_PARSED) >= _CACHE_LIMIT:
        _PARSED.clear()
    _PARSED[text] = unit
    return unit


def _tokenize(text: str, specials: tuple[str, ...]) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos, text = 0, text.strip()
    while pos < len(text):
        while text[pos].isspace():
            pos += 1
        for sym in specials:
            end = pos + len(sym)
            if text.startswith(sym, pos) and (end == len(text) or not _NAME.match(text[end])):
                tokens.append(("name", sym))
                pos = end
                break
        else:
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                raise UnitError(f"unexpected character {text[pos]!r}")
            kind = match.lastgroup or "op"
            tokens.append((kind, match.group(kind)))
            pos = match.end()
    return tokens


def _quote(text: str) -> str:
    """``text`` quoted for a message, shortened when long."""
    return repr(text if len(text) <= 60 else f"{text[:45]}…{text[-10:]}")


def _number(text: str, what: str) -> Fraction:
    mantissa, _, exp = text.lower().partition("e")
    if len(mantissa) > 40 or len(exp) > 6 or (exp and abs(int(exp)) > 1000):
        raise UnitError(f"the {what} {_quote(text)} is too large; write a smaller number")
    return Fraction(text)


class _Parser:
    """Recursive descent over the tokens; parentheses nest at most :data:`_MAX_DEPTH` deep."""

    def __init__(self, tokens: list[tuple[str, str]], unicode: dict[str, Unit]) -> None:
        self.tokens, self.pos, self.unicode = tokens, 0, unicode

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def at(self, ops: str | tuple[str, ...] | frozenset[str]) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] == "op" and tok[1] in ops

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise UnitError("unexpected end")
        self.pos += 1
        return tok

    def expr(self, depth: int) -> Unit:
        unit = self.product(depth)
        while self.at("/"):
            self.take()
            unit = unit / self.power(depth)
            if self.at(_MUL):
                raise UnitError(
                    "'a / b * c' is ambiguous (brainunit reads a / (b * c)); write (a / b) * c or a / (b * c)"
                )
        return unit

    def product(self, depth: int) -> Unit:
        unit = self.power(depth)
        while self.at(_MUL):
            self.take()
            unit = unit * self.power(depth)
        return unit

    def power(self, depth: int) -> Unit:
        unit = self.atom(depth)
        tok = self.peek()
        if tok is not None and tok[0] == "sup":
            self.take()
            text = tok[1].translate(_FROM_SUP)
            if not re.fullmatch(r"[+-]?\d+", text):
                raise UnitError(f"bad superscript exponent {tok[1]!r}")
            return unit ** self.exponent_value(Fraction(_number(text, "exponent")))
        if self.at(("^", "**")):
            self.take()
            return unit ** self.exponent()
        return unit

    def exponent_value(self, value: Fraction) -> Fraction:
        try:
            return as_exponent(value)
        except (TypeError, ValueError) as exc:
            raise UnitError(str(exc)) from None

    def signed(self) -> Fraction:
        sign = 1
        while self.at("+-"):
            sign = -sign if self.take()[1] == "-" else sign
        kind, value = self.take()
        if kind != "num":
            raise UnitError(f"expected a number in the exponent, got {value!r}")
        return sign * _number(value, "exponent")

    def exponent(self) -> Fraction:
        if not self.at("("):
            return self.exponent_value(self.signed())
        self.take()
        value = self.signed()
        if self.at("/"):
            self.take()
            den = self.signed()
            if den == 0:
                raise UnitError("division by zero in the exponent")
            value /= den
        if not self.at(")"):
            raise UnitError("missing ')' after the exponent")
        self.take()
        return self.exponent_value(value)

    def atom(self, depth: int) -> Unit:
        kind, value = self.take()
        if value == "(" and kind == "op":
            if depth >= _MAX_DEPTH:
                raise UnitError(f"parentheses nest deeper than {_MAX_DEPTH} levels")
            unit = self.expr(depth + 1)
            if not self.at(")"):
                raise UnitError("missing ')'")
            self.take()
            return unit
        if kind == "num":
            v = _number(value, "number")
            if v == 0:
                raise UnitError("a unit's factor must be positive, got 0")
            return Unit._anonymous(DIMENSIONLESS, v, 0)
        if kind == "name":
            found = _lookup(value, self.unicode)
            if found is None:
                raise UnitError(
                    f"unknown unit {value!r}; use a name of the catalog (brainunit_xp.UNITS) or "
                    f"define it with Unit.create"
                )
            return found
        raise UnitError(f"unexpected {value!r}")


def _lookup(name: str, unicode: dict[str, Unit]) -> Unit | None:
    unit = UNITS.get(name) or Unit._atoms.get(name) or unicode.get(name) or get_unit(name)
    if unit is None and name[:1] == "µ":
        return _lookup("u" + name[1:], unicode)
    return unit


# -- the generated catalog page ----------------------------------------------------------------------


def catalog_markdown() -> str:
    """The catalog as Markdown tables, for docs/units.md (``python docs/generate.py``)."""
    si_prefixed = ", ".join(f"`{s}`" for s, _, _ in PREFIXES)
    lines = [
        "| unit | also | symbol | = in SI | prefixes |",
        "|---|---|---|---|---|",
    ]
    for d in _DEFS:
        unit = Unit._atoms[d.symbol]
        si = Unit._coherent.get(d.dim) or Unit._anonymous(d.dim, Fraction(1), 0)
        value = unit.magnitude_text()
        if "/" in value:
            value = f"{value} ≈ {unit.scale!r}" if len(value) < 20 else f"≈ {unit.scale!r}"
        if si is not ONE:
            value = f"{value} {si.name}"
        if d.note:
            value = f"{value} ({d.note})"
        extra = [*d.names[1:], *(n for n, x in UNITS.items() if x is unit and n not in d.names)]
        also = ", ".join(f"`{n}`" for n in dict.fromkeys(extra) if n != d.symbol)
        prefixes = "all" if d.kind != "plain" else ""
        lines.append(f"| `{d.names[0]}` | {also} | `{d.symbol}` | {value} | {prefixes} |")
    lines += [
        "",
        f"Prefixes (`all` above): {si_prefixed} — e.g. `mV`, `mvolt`, `millivolt`; squares and cubes "
        f"of every name by appending `2` or `3` (`cmeter2`, `cm3`, `kcandle3`).",
        f"Unit exponents are rationals with numerator and denominator up to {MAX_EXPONENT:,}.",
    ]
    return "\n".join(lines) + "\n"
