"""Units: a dimension, an exact scale and a display name — interned values with cached algebra.

A unit's scale is ``factor * 10**exp10`` with ``factor`` an exact positive rational
(:class:`~fractions.Fraction`) and ``exp10`` an integer or rational power of ten.  Products and
integer powers stay exact, so a conversion factor is rounded once, when it is made a float
(``(1.0 * year).to(day)`` is exactly 365.2425), and huge or tiny units (``km ** 200``) are fine
as long as no value has to leave the float range.  Every unit keeps its *parts* — the named units
it is a product of, with rational exponents — from which its display name is derived (``m / s``),
cancelling parts that meet their inverse and collapsing to a named coherent unit where one matches
(``kg * m^2 / s^2`` displays as ``J``).

Interning and caching follow :mod:`.dimension`: lock-free cache hits, a lock on misses only, a
weak registry and bounded per-unit caches.
"""

from __future__ import annotations

import math
import sys
import weakref
from collections.abc import Callable
from decimal import Context, Decimal
from fractions import Fraction
from typing import Any, ClassVar, NoReturn

from .._errors import DimensionMismatchError, UnitError, UnitTypeError
from .dimension import (
    BASE_SYMBOLS,
    DIMENSIONLESS,
    LOCK,
    Dimension,
    as_exponent,
    remember,
    remember_power,
)

__all__ = ["FREE", "ONE", "STYLES", "Unit", "add_standard_unit"]

Parts = tuple[tuple[str, Fraction], ...]
Exp10 = int | Fraction
_ONE_F = Fraction(1)
_MIN_NORMAL = sys.float_info.min
_MAX_FLOAT = sys.float_info.max
#: a factor ``f ** n`` is computed exactly while its numerator and denominator stay this small
_EXACT_BITS = 1 << 16
#: the display styles of :meth:`Unit.to_string`
STYLES = ("ascii", "ascii_inline", "unicode", "unicode_inline", "latex", "latex_inline")
_WRAP = frozenset(" /*^()·")
_SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")
_TEN = "10"


# -- exact numbers ---------------------------------------------------------------------------------


def _div(a: Fraction, b: Fraction) -> Fraction:
    """``a / b`` exactly (factors may be ints, whose ``/`` would make a float)."""
    return Fraction(a.numerator * b.denominator, a.denominator * b.numerator)


def _log10(f: Fraction) -> float:
    return math.log10(f.numerator) - math.log10(f.denominator)


def _decimal_float(f: Fraction, e: Exp10) -> float | None:
    """``f * 10**e`` as a normal float64 — rounded once where ``e`` is an integer — or ``None``
    when it is beyond the float64 range."""
    est = _log10(f) + float(e)
    if not -309.0 < est < 309.5:
        return None
    n = math.floor(e)
    v = f * 10**n if n >= 0 else Fraction(f.numerator, f.denominator * 10**-n)
    try:
        x = float(v)
    except OverflowError:
        return None
    if n != e:
        x *= 10.0 ** float(e - n)
    return x if _MIN_NORMAL <= x <= _MAX_FLOAT else None


def _exact_power(f: Fraction, n: int) -> bool:
    """Whether ``f ** n`` is computed exactly (its numerator and denominator stay small)."""
    return abs(n) * max(f.numerator.bit_length(), f.denominator.bit_length()) <= _EXACT_BITS


_CONTEXT = Context(prec=40, Emax=10**9, Emin=-(10**9))


def _log10_decimal(f: Fraction) -> Decimal:
    return _CONTEXT.divide(Decimal(f.numerator), Decimal(f.denominator)).log10(_CONTEXT)


def _from_log10(log: Decimal) -> tuple[Fraction, int]:
    """``10**log`` as ``(factor in [1, 10), power of ten)``, the factor rounded once to a float."""
    k = int(log.to_integral_value(rounding="ROUND_FLOOR"))
    mantissa = _CONTEXT.power(Decimal(10), _CONTEXT.subtract(log, Decimal(k)))
    return Fraction(float(mantissa)), k


def _pow_factor(f: Fraction, p: Fraction) -> tuple[Fraction, Exp10]:
    """``f ** p`` as ``(factor, extra power of ten)``: exact for an integer ``p`` whose result
    stays small, else rounded once from a 40-digit value (an irrational power cannot be exact)."""
    if f == 1:
        return f, 0
    if p.denominator == 1 and _exact_power(f, p.numerator):
        return Fraction(f) ** p.numerator, 0
    exponent = _CONTEXT.divide(Decimal(p.numerator), Decimal(p.denominator))
    return _from_log10(_CONTEXT.multiply(_log10_decimal(f), exponent))


def _as_factor(value: object, what: str) -> Fraction:
    """An exact positive rational: a float is read as the decimal it prints as (``0.0254``)."""
    if isinstance(value, Fraction):
        f = value
    elif isinstance(value, bool):
        raise UnitError(f"{what} must be a number, not a bool")
    elif isinstance(value, int):
        f = Fraction(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise UnitError(f"{what} must be finite, got {value!r}")
        f = Fraction(repr(value))
    else:
        try:
            return _as_factor(float(value), what)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise UnitError(f"{what} must be a positive real number, got {value!r}") from None
    if f <= 0:
        raise UnitError(f"{what} must be positive, got {value!r}")
    return f


def _as_exp10(value: object) -> Exp10:
    try:
        e = as_exponent(value)
    except (TypeError, ValueError) as exc:
        raise UnitError(f"a unit's scale (its power of ten) must be a finite rational number: {exc}") from None
    return e.numerator if e.denominator == 1 else e


def _number_name(v: Fraction) -> str:
    """The canonical text of a positive terminating decimal (``2.54``, ``3e-30``)."""
    if v.denominator == 1 and v < 10**16:
        return str(v.numerator)
    text = repr(float(v))
    if Fraction(text) == v:
        return text.removesuffix(".0")
    digits = len(str(v.numerator)) + len(str(v.denominator)) + 5
    return str(Context(prec=digits).divide(Decimal(v.numerator), Decimal(v.denominator)))


def _split_ten(v: Fraction) -> tuple[Fraction, int] | None:
    """``(d, k)`` with ``v == d * 10**k`` and ``1 <= d < 10``, or ``None`` if ``v`` is not a
    terminating decimal."""
    den = v.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:
        return None
    k = math.floor(_log10(v))
    d = v / 10**k if k >= 0 else v * 10**-k
    while d >= 10:
        d, k = d / 10, k + 1
    while d < 1:
        d, k = d * 10, k - 1
    return d, k


def _number_parts(v: Fraction) -> list[tuple[str, Fraction]]:
    """Parts that display the positive rational ``v`` canonically: ``0.0254``, ``10^-3``,
    ``2.5 * 10^20``, ``1 / 3``."""
    if v == 1:
        return []
    split = _split_ten(v)
    if split is None:
        return _number_parts(Fraction(v.numerator)) + [(n, -e) for n, e in _number_parts(Fraction(v.denominator))]
    d, k = split
    if d == 1:
        return [(_TEN, Fraction(k))]
    if -4 <= k < 6:
        return [(_number_name(v), _ONE_F)]
    return [(_number_name(d), _ONE_F), (_TEN, Fraction(k))]


def _numbers_value(parts: list[tuple[str, Fraction]]) -> tuple[Fraction, Exp10]:
    """``(factor, exp10)`` of numeric parts with integer exponents (``exp10`` may be rational)."""
    f, e = _ONE_F, Fraction(0)
    for name, p in parts:
        nf, ne = _number_atom(name)
        f *= Fraction(nf) ** int(p) if nf != 1 else 1
        e += ne * p
    return f, e.numerator if e.denominator == 1 else e


def _part_factor(name: str) -> tuple[Fraction, Exp10] | None:
    atom = Unit._atoms.get(name)
    if atom is not None:
        return atom._factor, atom.exp10
    return _number_atom(name) if _is_number(name) else None


def _rounded_parts(parts: Parts) -> bool:
    """Whether the scale of a product of these parts is rounded (an irrational or huge power)."""
    for name, e in parts:
        if e.denominator != 1:
            return True
        if abs(e.numerator) > 16:
            value = _part_factor(name)
            if value is not None and not _exact_power(value[0], e.numerator):
                return True
    return False


def _parts_value(parts: Parts) -> tuple[Fraction, Exp10] | None:
    """``(factor, exp10)`` of a product of named parts, the same whatever order they were
    combined in: exact powers exactly, the rest summed as 40-digit logarithms and rounded once
    (``None`` if a part is not a registered unit)."""
    exact, exp10, log = _ONE_F, Fraction(0), Decimal(0)
    for name, e in sorted(parts):
        value = _part_factor(name)
        if value is None:
            return None
        fa, ea = value
        exp10 += ea * e
        if fa == 1:
            continue
        n = math.floor(e)
        if not _exact_power(fa, n):
            n = 0
        exact *= Fraction(fa) ** n
        if n != e:
            rest = _CONTEXT.divide(Decimal((e - n).numerator), Decimal((e - n).denominator))
            log = _CONTEXT.add(log, _CONTEXT.multiply(_log10_decimal(Fraction(fa)), rest))
    if log:
        mantissa, k = _from_log10(log)
        exact *= mantissa
        exp10 += k
    return exact, exp10.numerator if exp10.denominator == 1 else exp10


def _is_number(name: str) -> bool:
    return name[:1].isdigit()


def _number_atom(name: str) -> tuple[Fraction, Exp10]:
    """``(factor, exp10)`` of a numeric part."""
    return (_ONE_F, 1) if name == _TEN else (Fraction(name), 0)


# -- the unit class ---------------------------------------------------------------------------------


def _refusing(op: str, symbol: str) -> Callable[[Unit, object], NoReturn]:
    """A ``+``, ``-``, ``//`` or ``%`` operator of units: it raises, saying these work on quantities."""

    def refuse(self: Unit, other: object) -> NoReturn:
        raise self._no_arithmetic(op, symbol)

    return refuse


class Unit:
    """A physical unit: ``dim`` (a :class:`Dimension`), a scale ``factor * 10**exp10`` relative to
    SI, and a display name.

    ``Unit(dim, scale=0, base=10.0, factor=1.0, name=None, dispname=None)`` is brainunit's
    constructor (``scale`` is the power of ten); ``Unit("mV / ms")`` parses a unit expression.

    Units are immutable and interned: the same dimension, scale and name give the same object,
    and the results of ``*``, ``/`` and ``**`` are cached, so hot code compares units with
    ``is``.  Two units are ``==`` when they have the same dimension and scale, whatever their
    names (``meter2 == meter * meter``).  ``value * unit`` makes a :class:`Quantity`.
    """

    __slots__ = (
        "__weakref__",
        "_conv",
        "_factor",
        "_keep",
        "_long",
        "_mul",
        "_pow",
        "_qdiv",
        "_qmul",
        "_scale",
        "dim",
        "exp10",
        "name",
        "parts",
    )
    _interned: ClassVar[weakref.WeakValueDictionary[tuple[Any, ...], Unit]] = weakref.WeakValueDictionary()
    #: named units by display name (and full name): the atoms that compound names are made of
    _atoms: ClassVar[dict[str, Unit]] = {}
    #: the coherent named unit (scale 1) that a compound of a given dimension collapses to
    _coherent: ClassVar[dict[Dimension, Unit]] = {}
    #: units that every compound of their dimension and scale displays as (``auto_simplify``)
    _auto: ClassVar[dict[tuple[Dimension, Fraction], Unit]] = {}
    #: symbols of the SI units (and their prefixed forms) that a unit written with numbers
    #: collapses to (``Unit(meter.dim, scale=3)`` and ``'10^3 * m'`` are ``km``)
    _numeric_symbols: ClassVar[list[str]] = []
    #: Unicode and LaTeX symbols of atoms whose symbols differ from the ASCII one
    _symbols: ClassVar[dict[str, tuple[str, str]]] = {}
    #: bumped when a name is registered (look-up tables and parse caches depend on the registry)
    _version: ClassVar[list[int]] = [0]
    _tables: ClassVar[dict[str, Any]] = {"version": -1}
    #: set by the quantity module: builds ``Quantity(value, unit)``
    _make_quantity: ClassVar[Callable[[Any, Unit], Any]]
    # per-unit caches, keyed by id() of the other unit (kept alive in ``_keep``) or the exponent
    _mul: dict[int, Unit]
    _qmul: dict[int, tuple[Unit, float]]
    _qdiv: dict[int, tuple[Unit, float]]
    _pow: dict[Fraction, Unit]
    _conv: dict[int, float]
    _keep: dict[int, Any]

    dim: Dimension
    exp10: Exp10
    name: str
    parts: Parts
    _factor: Fraction
    _scale: float
    _long: str | None

    def __new__(
        cls,
        dim: Dimension | str | None = None,
        scale: object = 0,
        base: object = 10.0,
        factor: object = 1.0,
        name: str | None = None,
        dispname: str | None = None,
        is_fullname: bool = True,
        display_parts: object = None,
    ) -> Unit:
        if isinstance(dim, str):
            given = {"scale": scale != 0, "base": base != 10.0, "factor": factor != 1.0, "name": name is not None}
            given |= {"dispname": dispname is not None, "is_fullname": is_fullname is not True}
            extras = [k for k, v in given.items() if v] + (["display_parts"] if display_parts is not None else [])
            if extras:
                raise UnitError(
                    f"Unit({dim!r}) parses a unit expression and takes no other argument, got "
                    f"{', '.join(extras)}; build it from a Dimension instead: Unit(dim, scale=..., factor=...)"
                )
            from .catalog import parse_unit

            return parse_unit(dim)
        if dim is None:
            dim = DIMENSIONLESS
        if not isinstance(dim, Dimension):
            raise UnitError(
                f"Unit(dim, ...) needs a Dimension (e.g. u.volt.dim or u.get_or_create_dimension(m=1)) "
                f"or a unit expression string, got {type(dim).__name__}"
            )
        if base != 10.0:
            raise UnitError(f"a unit's base must be 10, got base={base!r}; put other scales in factor=")
        if display_parts is not None:
            raise UnitError("Unit(display_parts=...) is not supported: units derive their display from their parts")
        f = _as_factor(factor, "a unit's factor")
        e = _as_exp10(scale)
        if name is not None and is_fullname:
            symbol = name if dispname is None else dispname
            _check_symbol(symbol)
            return cls._make(dim, f, e, symbol, ((symbol, _ONE_F),), long=name)
        return cls._anonymous(dim, f, e)

    @classmethod
    def _make(
        cls, dim: Dimension, factor: Fraction, exp10: Exp10, name: str, parts: Parts, long: str | None = None
    ) -> Unit:
        """The interned unit with these fields (made on first use)."""
        if type(exp10) is not int and exp10.denominator == 1:
            exp10 = exp10.numerator  # ints hash and add faster
        if type(factor) is not int and factor.denominator == 1:
            factor = factor.numerator  # type: ignore[assignment]
        key = (dim, factor, exp10, name)
        self = cls._interned.get(key)
        if self is None:
            new = object.__new__(cls)
            for field, value in (("dim", dim), ("exp10", exp10), ("name", name), ("parts", parts)):
                object.__setattr__(new, field, value)  # the public fields are read-only after this
            new._factor = factor
            new._long = long
            new._scale = 0.0  # computed on first use
            new._mul, new._qmul, new._qdiv, new._pow, new._conv, new._keep = {}, {}, {}, {}, {}, {}
            with LOCK:
                self = cls._interned.get(key)
                if self is None:
                    self = cls._interned[key] = new
        return self

    @classmethod
    def _anonymous(cls, dim: Dimension, factor: Fraction, exp10: Exp10) -> Unit:
        """A unit without a name, displayed as a number times SI base units (``2 * 10^3 * m``)."""
        numbers = list(_merge([*_number_parts(factor), (_TEN, Fraction(exp10))]))
        f, e = _numbers_value(numbers)
        parts = numbers + [(s, x) for s, x in zip(BASE_SYMBOLS, dim.exponents, strict=True) if x]
        return cls._from_parts(dim, f, e, tuple(parts))

    @staticmethod
    def create(
        dim: Dimension,
        name: str,
        dispname: str,
        scale: object = 0,
        base: object = 10.0,
        factor: object = 1.0,
        *,
        auto_simplify: bool = False,
        unicode: str | None = None,
        latex: str | None = None,
    ) -> Unit:
        """Define a named unit and register it (brainunit's signature): ``name`` is the full name
        (``'calorie'``), ``dispname`` the symbol it displays and parses as (``'cal'``), and its
        scale is ``factor * 10**scale`` in SI units of ``dim``.

        ``auto_simplify=True`` makes unit arithmetic with exactly this dimension and scale display
        as this unit; ``unicode``/``latex`` are its symbols for :meth:`to_string`.  Defining a
        symbol again with the same meaning returns the existing unit; with another, it raises.
        """
        if not isinstance(dim, Dimension):
            raise UnitError(f"Unit.create: dim must be a Dimension (e.g. u.meter.dim), got {type(dim).__name__}")
        if base != 10.0:
            raise UnitError(f"Unit.create: the base must be 10, got base={base!r}; put other scales in factor=")
        _check_symbol(dispname)
        f = _as_factor(factor, "Unit.create: the factor")
        e = _as_exp10(scale)
        with LOCK:
            old = Unit._atoms.get(dispname)
            if old is not None:
                if old.dim is not dim or not _same_scale(old._factor, old.exp10, f, e):
                    raise UnitError(
                        f"Unit.create: a unit with the symbol {dispname!r} already exists with another "
                        f"definition ({old!r}: {old.dim}, scale {old.magnitude_text()}); choose another symbol"
                    )
                return old
            unit = Unit._make(dim, f, e, dispname, ((dispname, _ONE_F),), long=name)
            if unicode is not None or latex is not None:
                Unit._symbols[dispname] = (unicode or dispname, latex or _latex_name(dispname))
            add_standard_unit(unit, auto_simplify=auto_simplify)
            if name != dispname and name.isidentifier():
                from .catalog import UNITS

                UNITS.setdefault(name, unit)
        return unit

    @staticmethod
    def create_power(baseunit: Unit, n: int, name: str | None = None) -> Unit:
        """``baseunit ** n``, registered under ``name`` (default: the base's name and ``n``,
        e.g. ``cmeter2``) so :func:`get_unit` and the parser find it."""
        from .catalog import UNITS

        unit = baseunit**n
        key = name if name is not None else f"{baseunit._long or baseunit.name}{n}"
        with LOCK:
            UNITS.setdefault(key, unit)
            Unit._version[0] += 1
        return unit

    @staticmethod
    def create_scaled_unit(baseunit: Unit, scalefactor: str) -> Unit:
        """The SI-prefixed form of a named unit: ``create_scaled_unit(volt, 'u')`` is ``uV``."""
        from .catalog import PREFIX_POWERS

        if scalefactor not in PREFIX_POWERS:
            raise UnitError(
                f"create_scaled_unit: unknown SI prefix {scalefactor!r}; use one of {', '.join(PREFIX_POWERS)}"
            )
        if len(baseunit.parts) != 1 or baseunit.parts[0][1] != 1:
            raise UnitError(f"create_scaled_unit: {baseunit.name!r} is not a named unit; prefix a named unit")
        symbol = scalefactor + baseunit.name
        long = scalefactor + (baseunit._long or baseunit.name)
        return Unit.create(
            baseunit.dim, long, symbol, baseunit.exp10 + PREFIX_POWERS[scalefactor], factor=baseunit._factor
        )

    @classmethod
    def _from_parts(cls, dim: Dimension, factor: Fraction, exp10: Exp10, parts: Parts) -> Unit:
        parts = tuple(p for p in parts if p[1])
        if _rounded_parts(parts):  # a rounded scale: make it the same whatever order
            value = _parts_value(parts)  # the parts were combined in
            if value is not None:
                factor, exp10 = value
        if len(parts) == 1 and parts[0][1] == 1:
            atom = cls._atoms.get(parts[0][0])
            if atom is not None and atom.dim is dim:
                return atom
        if factor == 1 and exp10 == 0:
            if dim is DIMENSIONLESS:
                return ONE
            named = cls._coherent.get(dim) if len(parts) > 1 else None
            if named is not None:
                return named
        numeric = any(_is_number(n) for n, _ in parts)
        if (numeric or cls._auto) and dim is not DIMENSIONLESS:
            key = _value_key(dim, factor, exp10)
            target = cls._auto.get(key) if key is not None else None
            if target is None and numeric and key is not None:
                target = _tables()["numeric"].get(key)
            if target is not None:
                return target
        return cls._make(dim, factor, exp10, _format(parts), parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unpickle_unit, (self.dim, self._factor, self.exp10, self.name, self.parts, self._long))

    def __copy__(self) -> Unit:
        return self

    def __deepcopy__(self, memo: dict) -> Unit:
        return self

    def __setattr__(self, field: str, value: object) -> None:
        if not field.startswith("_"):  # units are interned: a changed name would change every use
            raise AttributeError(
                f"Unit.{field} is read-only: units are immutable and shared; make another unit instead, "
                f"e.g. Unit.create(dim, name=..., dispname=...)"
            )
        object.__setattr__(self, field, value)

    def copy(self) -> Unit:
        """This unit: units are immutable interned values, so a copy is the unit itself."""
        return self

    # -- properties ---------------------------------------------------------------------------
    @property
    def factor(self) -> float:
        """The conversion factor, the scale without its power of ten (brainunit's ``factor``):
        ``scale == factor * 10**exp10``; 0.0254 for ``inch``, 1.0 for ``mV``."""
        x = _decimal_float(self._factor, 0)
        if x is None:
            raise UnitError(f"the factor of unit {self.name!r} is beyond the float64 range; read .exp10 and .scale")
        return x

    @property
    def base(self) -> float:
        """The base of the power of ten, always 10 (brainunit's ``base``)."""
        return 10.0

    @property
    def scale(self) -> float:
        """The size of this unit in SI units, ``factor * 10**exp10``, as a float (0.001 for mV).

        Raises :class:`UnitError` if it is beyond the float64 range (``km ** 200``)."""
        s = self._scale
        if s > 0.0:
            return s
        if s == 0.0:
            x = _decimal_float(self._factor, self.exp10)
            self._scale = s = x if x is not None else -1.0
            if x is not None:
                return x
        raise UnitError(
            f"the scale of unit {self.name!r} is {self.magnitude_text()}, beyond the float64 range; "
            f"express values in a unit closer in size to SI, or read .exp10 and .factor"
        )

    @property
    def magnitude(self) -> float:
        """The size of this unit in SI units (brainunit's name for :attr:`scale`)."""
        return self.scale

    def magnitude_text(self) -> str:
        """The exact scale as text where it is rational (``0.001``, ``1e600``, ``5/18``), else
        roughly (``about 10^1.5``)."""
        v = _value_key(self.dim, self._factor, self.exp10)
        if v is not None and max(v[1].numerator.bit_length(), v[1].denominator.bit_length()) < 1500:
            split = _split_ten(v[1])
            if split is None:
                if v[1].numerator < 10**20 and v[1].denominator < 10**20:
                    return str(v[1])
            elif -5 <= split[1] < 16:
                return _number_name(v[1])
            else:
                return f"{_number_name(split[0])}e{split[1]}"
        return f"about 10^{_log10(Fraction(self._factor)) + float(self.exp10):.4g}"

    @property
    def dispname(self) -> str:
        """The display name, ``str(unit)`` (``'mV'``)."""
        return self.name

    @property
    def is_fullname(self) -> bool:
        """Whether this is a named unit rather than a compound."""
        return self._long is not None

    @property
    def is_dimensionless(self) -> bool:
        return self.dim is DIMENSIONLESS

    @property
    def is_one(self) -> bool:
        """True for the unit of plain numbers (dimensionless, scale 1)."""
        return self.dim is DIMENSIONLESS and self._factor == 1 and self.exp10 == 0 and self is not FREE

    @property
    def is_unitless(self) -> bool:
        """Dimensionless with scale 1 (brainunit's name for :attr:`is_one`)."""
        return self.is_one

    @property
    def should_display_unit(self) -> bool:
        """Whether formatted output shows this unit (everything but ``1``)."""
        return self.name != "1"

    def has_same_dim(self, other: object) -> bool:
        """Whether ``other`` (a unit, quantity, dimension or number) has this unit's dimension."""
        return self.dim is _dim_of(other)

    def has_same_base(self, other: Unit) -> bool:
        """Whether ``other`` has the same base of its power of ten (always: the base is 10)."""
        return isinstance(other, Unit)

    def has_same_magnitude(self, other: Unit) -> bool:
        """Whether ``other`` has the same scale (``mV`` and ``mA``: True), whatever its dimension."""
        if not isinstance(other, Unit):
            return False
        ratio = _decimal_float(_div(self._factor, other._factor), self.exp10 - other.exp10)
        return ratio is not None and math.isclose(ratio, 1.0, rel_tol=1e-12)

    def reverse(self) -> Unit:
        """``1 / self``."""
        return self**-1

    def factorless(self) -> Unit:
        """This unit with its factor set to 1, keeping its power of ten: ``inch`` gives ``m``,
        ``calorie`` gives ``J``."""
        if self._factor == 1:
            return self
        return Unit._anonymous(self.dim, _ONE_F, self.exp10)

    def simplify(self) -> Unit:
        """The registered unit with exactly this dimension and scale (``V * s`` gives ``Wb``), or
        failing that this unit written as a number times SI base units (``mV / V`` gives
        ``10^-3``)."""
        key = _value_key(self.dim, self._factor, self.exp10)
        if self.dim is not DIMENSIONLESS and key is not None:
            unit = _tables()["standard"].get(key)
            if unit is not None:
                return unit
        if len(self.parts) == 1 and self.parts[0][1] == 1 and self._long is not None:
            return self
        return Unit._anonymous(self.dim, self._factor, self.exp10)

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f'Unit("{self.name}")'

    def to_string(self, format: str = "ascii") -> str:
        """The unit as text: ``'ascii'`` (``str(unit)``, which :func:`parse_unit` reads back:
        ``mS * nA / cm^2``), ``'ascii_inline'`` (``mS * nA * cm^-2``), ``'unicode'``
        (``mS·nA / cm²``), ``'unicode_inline'`` (``mS·nA·cm⁻²``), ``'latex'``, ``'latex_inline'``."""
        if format == "ascii":
            return self.name
        if format not in STYLES:
            raise UnitError(f"to_string: unknown format {format!r}; use one of {', '.join(STYLES)}")
        return _render(self.parts, format) if self.parts else self.name

    def __format__(self, spec: str) -> str:
        if spec in STYLES:
            return self.to_string(spec)
        return format(self.name, spec)

    def _repr_latex_(self) -> str:
        return f"${self.to_string('latex')}$"

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Unit):
            return NotImplemented
        if self.dim is not other.dim or self is FREE or other is FREE:
            return False
        try:
            f = self.factor_to(other)
        except UnitError:
            return False
        return math.isclose(f, 1.0, rel_tol=1e-12, abs_tol=0.0)

    def __hash__(self) -> int:
        return hash(self.dim)

    def __abs__(self) -> Unit:
        return self

    # -- algebra ------------------------------------------------------------------------------
    def __mul__(self, other: object) -> Any:
        if isinstance(other, Unit):
            out = self._mul.get(id(other))
            if out is None:
                out = _product(self, other, "multiply")
                remember(self, self._mul, other, out, self._id_caches())
            return out
        if isinstance(other, Dimension):
            raise UnitTypeError(f"cannot multiply unit {self.name!r} by a Dimension; use a unit, e.g. Unit({other!r})")
        return Unit._make_quantity(1, self) * other

    def __rmul__(self, other: object) -> Any:
        return Unit._make_quantity(other, self)

    def __truediv__(self, other: object) -> Any:
        if isinstance(other, Unit):
            return self * other**-1
        if isinstance(other, Dimension):
            raise UnitTypeError(f"cannot divide unit {self.name!r} by a Dimension; use a unit, e.g. Unit({other!r})")
        return Unit._make_quantity(1, self) / other

    def __rtruediv__(self, other: object) -> Any:
        return Unit._make_quantity(other, self**-1)

    def _no_arithmetic(self, op: str, symbol: str) -> UnitTypeError:
        """The error for ``+``, ``-``, ``//`` or ``%`` with a unit: units only multiply, divide
        and take powers; these are operations on quantities."""
        return UnitTypeError(
            f"{op}: units cannot be combined with {symbol!r} (unit {self.name!r}); units multiply, divide "
            f"and take powers; {symbol!r} works on quantities: attach values first, e.g. 1 * {self.name}"
        )

    __add__ = __radd__ = _refusing("add", "+")
    __sub__ = __rsub__ = _refusing("subtract", "-")
    __floordiv__ = __rfloordiv__ = _refusing("floor_divide", "//")
    __mod__ = __rmod__ = _refusing("remainder", "%")

    def __pow__(self, power: object) -> Unit:
        if type(power) is int or type(power) is float:  # equal numbers hash alike: 2 finds Fraction(2)
            out = self._pow.get(power)  # type: ignore[call-overload]
            if out is not None:
                return out
        shape = getattr(power, "shape", ())
        if shape != () and not isinstance(power, (int, float)):
            raise UnitTypeError(
                f"pow: cannot raise unit {self.name!r} to a non-scalar exponent (an array of shape "
                f"{tuple(shape)}); a unit takes one scalar exponent, since each element would need its own unit"
            )
        try:
            p = as_exponent(power)
        except TypeError as exc:
            raise UnitTypeError(f"pow: cannot raise unit {self.name!r} to {power!r}: {exc}") from None
        except ValueError as exc:
            raise UnitError(f"pow: cannot raise unit {self.name!r} to {power!r}: {exc}") from None
        out = self._pow.get(p)
        if out is None:
            if p == 1:
                out = self
            else:
                try:
                    parts = tuple((n, as_exponent(e * p)) for n, e in self.parts)
                    dim = self.dim**p
                except (TypeError, ValueError) as exc:
                    raise UnitError(f"pow: cannot raise unit {self.name!r} to {power!r}: {exc}") from None
                f, k = _pow_factor(self._factor, p)
                out = Unit._from_parts(dim, f, self.exp10 * p + k, parts)
            remember_power(self._pow, p, out)
        return out

    # Units are not arrays: stop numpy, jax and torch from broadcasting over them.
    __array_ufunc__ = None

    def _id_caches(self) -> tuple[dict, ...]:
        return (self._mul, self._qmul, self._qdiv, self._conv)

    # -- conversion ---------------------------------------------------------------------------
    def product(self, other: Unit) -> tuple[Unit, float]:
        """``(unit, fold)`` for a product of quantities: a dimensionless result has scale 1, its
        scale moved into the mantissa factor ``fold`` (``m / cm`` gives ``(ONE, 100.0)``)."""
        out = self._qmul.get(id(other))
        if out is None:
            out = _fold(self * other, "multiply")
            remember(self, self._qmul, other, out, self._id_caches())
        return out

    def quotient(self, other: Unit) -> tuple[Unit, float]:
        """``(unit, fold)`` for a quotient of quantities, like :meth:`product`."""
        out = self._qdiv.get(id(other))
        if out is None:
            out = _fold(self * other**-1, "divide")
            remember(self, self._qdiv, other, out, self._id_caches())
        return out

    def factor_to(self, other: Unit, op: str = "convert") -> float:
        """The number ``f`` with ``x [self] == x * f [other]``, rounded once from the exact ratio;
        raises if the dimensions differ or ``f`` is beyond the float64 range."""
        f = self._conv.get(id(other))
        if f is None:
            if self.dim is not other.dim:
                raise DimensionMismatchError(
                    f"{op}: cannot convert {self.name!r} ({self.dim.describe()}) to {other.name!r} "
                    f"({other.dim.describe()}): the dimensions differ. Use a unit of dimension "
                    f"{other.dim} or check the physics."
                )
            ratio = _div(self._factor, other._factor)
            de = self.exp10 - other.exp10
            f = _decimal_float(ratio, de)
            if f is None:
                raise UnitError(
                    f"{op}: the factor from {self.name!r} to {other.name!r} is about "
                    f"10^{_log10(ratio) + float(de):.4g}, beyond the float64 range; convert to a unit "
                    f"closer in size, or keep the values in {self.name!r}"
                )
            if f != 1.0 and math.isclose(f, 1.0, rel_tol=1e-14):
                f = 1.0
            remember(self, self._conv, other, f, self._id_caches())
        return f


def _fold(unit: Unit, op: str) -> tuple[Unit, float]:
    if unit.dim is not DIMENSIONLESS or unit is ONE:
        return (unit, 1.0)
    try:
        return (ONE, unit.scale)
    except UnitError:
        raise UnitError(
            f"{op}: the result is the number {unit.magnitude_text()} times the values ({unit.name}), "
            f"beyond the float64 range; use units closer in size"
        ) from None


def _same_scale(f1: Fraction, e1: Exp10, f2: Fraction, e2: Exp10) -> bool:
    """Whether ``f1 * 10**e1`` equals ``f2 * 10**e2``: exactly where both are rational."""
    if type(e1) is int and type(e2) is int and abs(e1 - e2) < 400:
        return f1 * 10 ** (e1 - e2) == f2 if e1 >= e2 else f1 == f2 * 10 ** (e2 - e1)
    ratio = _decimal_float(_div(f1, f2), e1 - e2)
    return ratio is not None and math.isclose(ratio, 1.0, rel_tol=1e-12)


def _dim_of(x: object) -> Dimension:
    if isinstance(x, Dimension):
        return x
    if isinstance(x, Unit):
        return x.dim
    dim = getattr(x, "dim", None)
    return dim if isinstance(dim, Dimension) else DIMENSIONLESS


def _value_key(dim: Dimension, factor: Fraction, exp10: Exp10) -> tuple[Dimension, Fraction] | None:
    """``(dim, exact scale)`` for registry look-ups, or ``None`` for an irrational or huge scale."""
    if type(exp10) is not int:
        if exp10.denominator != 1:
            return None
        exp10 = exp10.numerator
    if not -400 < exp10 < 400:
        return None
    if exp10 >= 0:
        return (dim, Fraction(factor * 10**exp10))
    return (dim, Fraction(factor.numerator, factor.denominator * 10**-exp10))


def _check_symbol(symbol: object) -> None:
    if not isinstance(symbol, str) or not symbol.strip():
        raise UnitError(f"a unit's symbol must be a non-empty string, got {symbol!r}")
    bad = set("*^()") & set(symbol)
    if bad or _is_number(symbol) or symbol != symbol.strip() or " / " in symbol:
        raise UnitError(
            f"the unit symbol {symbol!r} could not be parsed back: a symbol may not start with a "
            f"digit, contain {' '.join(sorted(bad or '*^()'))} or ' / ', or start or end with spaces"
        )


def add_standard_unit(u: Unit, *, auto_simplify: bool = False) -> None:
    """Register a named unit (brainunit's ``add_standard_unit``): :func:`parse_unit` then reads
    its symbol and full name, :meth:`Unit.simplify` finds it, and with ``auto_simplify=True``
    unit arithmetic with exactly its dimension and scale displays as it."""
    if not isinstance(u, Unit):
        raise UnitError(f"add_standard_unit needs a Unit, got {type(u).__name__}")
    if len(u.parts) != 1 or u.parts[0][1] != 1 or _is_number(u.name):
        raise UnitError(f"add_standard_unit: {u.name!r} is a compound; register a named unit (Unit.create)")
    with LOCK:
        old = Unit._atoms.setdefault(u.name, u)
        if old is not u and (old.dim is not u.dim or old != u):
            raise UnitError(f"add_standard_unit: the symbol {u.name!r} already names {old!r}, another unit")
        key = _value_key(u.dim, u._factor, u.exp10)
        if auto_simplify and key is not None:
            Unit._auto.setdefault(key, u)
            if key[1] == 1:
                Unit._coherent.setdefault(u.dim, u)
        Unit._version[0] += 1


def define_named(dim: Dimension, long: str, symbol: str, factor: Fraction, exp10: int) -> Unit:
    """Register a catalog atom (the fast path of :meth:`Unit.create`, no checks)."""
    unit = Unit._atoms.get(symbol)
    if unit is None:
        unit = Unit._atoms[symbol] = Unit._make(dim, factor, exp10, symbol, ((symbol, _ONE_F),), long)
    return unit


def _tables() -> dict[str, Any]:
    """Look-up tables derived from the registry, rebuilt after it changes: registered units by
    dimension and exact scale (the first registered wins) and the targets of numeric units."""
    tables = Unit._tables
    if tables["version"] != Unit._version[0]:
        with LOCK:
            standard: dict[tuple[Dimension, Fraction], Unit] = {}
            for unit in list(Unit._atoms.values()):
                key = _value_key(unit.dim, unit._factor, unit.exp10)
                if key is not None and not _is_number(unit.name):
                    standard.setdefault(key, unit)
            numeric: dict[Any, Unit] = {}
            for symbol in Unit._numeric_symbols:
                unit = Unit._atoms[symbol]
                key = _value_key(unit.dim, unit._factor, unit.exp10)
                if key is not None:
                    numeric.setdefault(key, unit)
            Unit._tables = {"version": Unit._version[0], "standard": standard, "numeric": numeric}
    return Unit._tables


def _unpickle_unit(
    dim: Dimension, factor: Fraction, exp10: Exp10, name: str, parts: Parts, long: str | None = None
) -> Unit:
    return Unit._make(dim, factor, exp10, name, parts, long)


def _merge(parts: list[tuple[str, Fraction]] | Parts) -> Parts:
    merged: dict[str, Fraction] = {}
    for n, e in parts:
        merged[n] = merged.get(n, Fraction(0)) + e
    return tuple(merged.items())


def _product(a: Unit, b: Unit, op: str) -> Unit:
    if a is ONE:
        return b
    if b is ONE:
        return a
    merged: dict[str, Fraction] = dict(a.parts)
    for n, e in b.parts:
        merged[n] = merged.get(n, Fraction(0)) + e
    try:
        dim = a.dim * b.dim
        for e in merged.values():
            as_exponent(e)
    except (TypeError, ValueError) as exc:
        raise UnitError(f"{op}: cannot multiply units {a.name!r} and {b.name!r}: {exc}") from None
    return Unit._from_parts(dim, a._factor * b._factor, a.exp10 + b.exp10, tuple(merged.items()))


# -- display ---------------------------------------------------------------------------------------


def _format_exponent(e: Fraction) -> str:
    return str(e.numerator) if e.denominator == 1 else f"({e})"


def _wrap(name: str) -> str:
    return f"({name})" if not _WRAP.isdisjoint(name) else name


def _format_power(name: str, e: Fraction, alone: bool) -> str:
    if e == 1:
        return name if alone else _wrap(name)
    return f"{_wrap(name)}^{_format_exponent(e)}"


def _format(parts: Parts) -> str:
    num = [(n, e) for n, e in parts if e > 0 or n == _TEN]
    den = [(n, -e) for n, e in parts if e < 0 and n != _TEN]
    alone = len(num) + len(den) == 1
    text = " * ".join(_format_power(n, e, alone) for n, e in num) or "1"
    if not den:
        return text
    den_text = " * ".join(_format_power(n, e, len(den) == 1 and not num) for n, e in den)
    return f"{text} / {den_text}" if len(den) == 1 else f"{text} / ({den_text})"


def _latex_name(name: str) -> str:
    return r"\mathrm{" + name.replace(" ", r"\ ") + "}"


def _symbol(name: str, style: str) -> str:
    custom = Unit._symbols.get(name)
    if style.startswith("unicode"):
        return custom[0] if custom else name
    if name[:1].isdigit():  # a number (4.184, 10): math, not an upright name
        return name
    return custom[1] if custom else _latex_name(name)


def _join(items: list[tuple[str, str]], sep: str, latex: bool) -> str:
    """Rendered ``(name, text)`` items joined by ``sep``; in LaTeX a number times a number is written
    ``4.184 \\times 10^{3}``."""
    out = ""
    for i, (name, text) in enumerate(items):
        if i:
            numbers = latex and name[:1].isdigit() and items[i - 1][0][:1].isdigit()
            out += r" \times " if numbers else sep
        out += text
    return out


def _render(parts: Parts, style: str) -> str:
    inline = style.endswith("_inline")
    if style.startswith("ascii"):
        items = [_format_power(n, e, len(parts) == 1) for n, e in parts if e > 0 or n == _TEN]
        items += [f"{_wrap(n)}^{_format_exponent(e)}" for n, e in parts if e < 0 and n != _TEN]
        return " * ".join(items) or "1"
    latex = style.startswith("latex")
    sep = r"\," if latex else "·"

    def item(name: str, e: Fraction, alone: bool) -> str:
        sym = _symbol(name, style)
        if not latex and (not alone or e != 1) and not _WRAP.isdisjoint(sym):
            sym = f"({sym})"
        if e == 1:
            return sym
        if latex:
            return f"{sym}^{{{e}}}"
        if e.denominator == 1:
            return sym + str(e.numerator).translate(_SUPERSCRIPT)
        return f"{sym}^({e})"

    if inline:
        return _join([(n, item(n, e, len(parts) == 1)) for n, e in parts], sep, latex) or "1"
    num = [(n, e) for n, e in parts if e > 0 or n == _TEN]
    den = [(n, -e) for n, e in parts if e < 0 and n != _TEN]
    alone = len(num) + len(den) == 1
    top = _join([(n, item(n, e, alone)) for n, e in num], sep, latex) or "1"
    if not den:
        return top
    bottom = _join([(n, item(n, e, alone)) for n, e in den], sep, latex)
    if latex:
        return rf"\frac{{{top}}}{{{bottom}}}"
    return f"{top} / {bottom}" if len(den) == 1 else f"{top} / ({bottom})"


ONE = Unit._make(DIMENSIONLESS, _ONE_F, 0, "1", ())
for _k in range(-4, 5):
    remember_power(ONE._pow, Fraction(_k), ONE)

#: The unit of arrays made only of values that mean the same in every unit — zeros, infinities,
#: NaNs, uninitialized memory (``zeros``, ``empty``, ``full(shape, nan)``): dimensionless, but it
#: takes the unit of whatever it is combined with or assigned, like the Python numbers 0, inf, nan.
#: It equals only itself (not ``ONE``) and is not a unit one can ask for: ``parse_unit`` refuses
#: its display name ``unit-free``.
FREE = Unit._make(DIMENSIONLESS, _ONE_F, 0, "unit-free", ())
