"""Physical dimensions: rational exponents over the seven SI base quantities, interned.

Interning and the caches of results are thread-safe without slowing the hot path: a cache hit
is one lock-free ``dict.get``; only a miss takes :data:`LOCK` to check-and-insert.  The registry
of dimensions holds them weakly, so derived dimensions nobody uses any more are freed, and every
per-object cache is bounded (:data:`CACHE_LIMIT` entries, then cleared).  Caches keyed by
``id(other)`` keep ``other`` alive for as long as the entry exists (in ``_keep``), so an entry
can never be found again through the id of a dead object that a new object has reused.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Iterable
from fractions import Fraction
from typing import Any, ClassVar

from .._errors import UnitError, UnitTypeError

__all__ = [
    "BASE_SYMBOLS",
    "CACHE_LIMIT",
    "DIMENSIONLESS",
    "MAX_EXPONENT",
    "Dimension",
    "as_exponent",
    "get_or_create_dimension",
]

#: Symbols of the SI base quantities, in the order of ``Dimension.exponents``.
BASE_SYMBOLS = ("m", "kg", "s", "A", "K", "mol", "cd")
_NAMES = ("length", "mass", "time", "current", "temperature", "amount", "luminosity")

#: The largest numerator and denominator a unit exponent may have: larger powers of a unit are
#: never physical, and bounding them keeps unit arithmetic cheap and exact.
MAX_EXPONENT = 10**6

#: Entries a per-object cache holds before it is cleared (bounds the memory of derived units).
CACHE_LIMIT = 256

#: Taken on cache misses only, to insert into registries and caches atomically.
LOCK = threading.RLock()

_FIX = "use a finite rational exponent such as 2, -1 or 1/2"


def as_exponent(power: object) -> Fraction:
    """Return ``power`` as an exact rational exponent.

    Raises ``TypeError`` for what is not a real number and :class:`UnitError` (a ``ValueError``)
    for a number that is not a usable exponent: not finite, not a simple rational, or beyond
    ±:data:`MAX_EXPONENT`.
    """
    if isinstance(power, Fraction):
        frac = power
    elif isinstance(power, bool):
        raise TypeError("a unit exponent must be a number, not a bool")
    elif isinstance(power, int):
        if -MAX_EXPONENT <= power <= MAX_EXPONENT:
            return Fraction(power)
        frac = Fraction(power)
    elif isinstance(power, float):
        if not math.isfinite(power):
            raise UnitError(f"the exponent {power!r} is not finite; {_FIX}")
        if abs(power) > MAX_EXPONENT:
            raise UnitError(f"the exponent {power!r} is beyond ±{MAX_EXPONENT}; {_FIX}")
        frac = Fraction(power).limit_denominator(1000)
        if abs(float(frac) - power) > 1e-12 * max(1.0, abs(power)):
            raise UnitError(f"the exponent {power!r} is not a simple rational number; {_FIX}")
        return frac
    elif isinstance(power, (str, bytes)):
        raise TypeError(f"a unit exponent must be a real number, got the string {power!r}")
    else:
        index = getattr(power, "__index__", None)
        if index is not None:
            return as_exponent(index())
        try:
            value = float(power)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise TypeError(f"a unit exponent must be a real number, got {power!r}") from exc
        return as_exponent(value)
    if abs(frac.numerator) > MAX_EXPONENT * frac.denominator or frac.denominator > MAX_EXPONENT:
        raise UnitError(
            f"the exponent {frac} is beyond the range of unit exponents (±{MAX_EXPONENT}, "
            f"denominators up to {MAX_EXPONENT}); {_FIX}"
        )
    return frac


def remember(owner: Any, cache: dict, other: object, value: object, id_caches: Iterable[dict]) -> None:
    """Insert ``cache[id(other)] = value`` for ``owner``, keeping ``other`` alive in
    ``owner._keep`` while the entry exists; clears all of ``id_caches`` once the owner holds
    :data:`CACHE_LIMIT` objects.  Call on a cache miss only."""
    with LOCK:
        keep = owner._keep
        if len(keep) >= CACHE_LIMIT:
            for c in id_caches:  # entries go first, the objects that guard their ids after
                c.clear()
            keep.clear()
        keep[id(other)] = other
        cache[id(other)] = value


def remember_power(cache: dict, power: Fraction, value: object) -> None:
    """Insert ``cache[power] = value``, clearing the cache once it holds :data:`CACHE_LIMIT`."""
    with LOCK:
        if len(cache) >= CACHE_LIMIT:
            cache.clear()
        cache[power] = value


class Dimension:
    """A product of SI base quantities raised to rational powers.

    Dimensions are interned: equal dimensions are the same object, so ``is`` compares them.
    """

    __slots__ = ("__weakref__", "_keep", "_mul", "_pow", "exponents")
    _interned: ClassVar[weakref.WeakValueDictionary[tuple[int, ...], Dimension]] = weakref.WeakValueDictionary()
    exponents: tuple[Fraction, ...]
    _mul: dict[int, Dimension]
    _pow: dict[Fraction, Dimension]
    _keep: dict[int, Any]

    def __new__(cls, exponents: Iterable[object]) -> Dimension:
        try:
            exps = tuple(as_exponent(e) for e in exponents)
        except TypeError as exc:
            raise UnitTypeError(f"a dimension needs {len(BASE_SYMBOLS)} numeric (real) exponents: {exc}") from None
        if len(exps) != len(BASE_SYMBOLS):
            raise UnitError(f"a dimension has {len(BASE_SYMBOLS)} exponents, got {len(exps)}")
        return cls._get(exps)

    @classmethod
    def _get(cls, exps: tuple[Fraction, ...]) -> Dimension:
        """The interned dimension with these (valid) exponents."""
        key = tuple(x for e in exps for x in (e.numerator, e.denominator))  # ints hash fast
        self = cls._interned.get(key)
        if self is None:
            for e in exps:
                if abs(e.numerator) > MAX_EXPONENT * e.denominator or e.denominator > MAX_EXPONENT:
                    raise UnitError(
                        f"the dimension exponent {e} is beyond the range of unit exponents "
                        f"(±{MAX_EXPONENT}, denominators up to {MAX_EXPONENT}); {_FIX}"
                    )
            new = object.__new__(cls)
            new.exponents = exps
            new._mul = {}
            new._pow = {}
            new._keep = {}
            with LOCK:
                self = cls._interned.get(key)
                if self is None:
                    self = cls._interned[key] = new
        return self

    @classmethod
    def base(cls, symbol: str) -> Dimension:
        """The dimension of one SI base quantity, by its unit symbol (``'m'``, ``'kg'``, …)."""
        i = BASE_SYMBOLS.index(symbol)
        return cls(tuple(Fraction(int(j == i)) for j in range(len(BASE_SYMBOLS))))

    def __reduce__(self) -> tuple[type[Dimension], tuple[tuple[Fraction, ...]]]:
        return (Dimension, (self.exponents,))

    def __copy__(self) -> Dimension:
        return self

    def __deepcopy__(self, memo: dict) -> Dimension:
        return self

    @property
    def is_dimensionless(self) -> bool:
        return self is DIMENSIONLESS

    @property
    def dim(self) -> Dimension:
        """The dimension itself, so that ``x.dim`` works on a Quantity, a Unit and a Dimension alike."""
        return self

    def get_dimension(self, d: str) -> Fraction:
        """The exponent of one SI base quantity, named by quantity or unit (``'length'``, ``'m'``,
        ``'metre'``), exactly."""
        i = _KEYWORDS.get(d) if isinstance(d, str) else None
        if i is None:
            raise UnitError(
                f"get_dimension: unknown base quantity {d!r}; use one of {', '.join(_NAMES)} "
                f"or {', '.join(BASE_SYMBOLS)}"
            )
        return self.exponents[i]

    def __mul__(self, other: Dimension) -> Dimension:
        out = self._mul.get(id(other))
        if out is None:
            if not isinstance(other, Dimension):
                return NotImplemented
            out = Dimension._get(
                tuple(a + b if a and b else a or b for a, b in zip(self.exponents, other.exponents, strict=True))
            )
            remember(self, self._mul, other, out, (self._mul,))
        return out

    def __truediv__(self, other: Dimension) -> Dimension:
        if not isinstance(other, Dimension):
            return NotImplemented
        return self * other**-1

    def __pow__(self, power: object) -> Dimension:
        if type(power) is int or type(power) is float:  # equal numbers hash alike: 2 finds Fraction(2)
            out = self._pow.get(power)  # type: ignore[call-overload]
            if out is not None:
                return out
        p = as_exponent(power)
        out = self._pow.get(p)
        if out is None:
            out = Dimension._get(tuple(e * p if e else e for e in self.exponents))
            remember_power(self._pow, p, out)
        return out

    def __str__(self) -> str:
        if self is DIMENSIONLESS:
            return "1"
        parts = []
        for sym, e in zip(BASE_SYMBOLS, self.exponents, strict=True):
            if e == 1:
                parts.append(sym)
            elif e:
                parts.append(f"{sym}^{e}" if e.denominator == 1 else f"{sym}^({e})")
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"Dimension({self})"

    def describe(self) -> str:
        """A human description, e.g. ``'length / time'``, used in error messages."""
        if self is DIMENSIONLESS:
            return "dimensionless"
        num: list[str] = []
        den: list[str] = []
        for name, e in zip(_NAMES, self.exponents, strict=True):
            if e:
                side = num if e > 0 else den
                side.append(name if abs(e) == 1 else f"{name}^{abs(e)}")
        text = " * ".join(num) or "1"
        return f"{text} / {' / '.join(den)}" if den else text


DIMENSIONLESS = Dimension((Fraction(0),) * len(BASE_SYMBOLS))

#: keyword names of the base quantities accepted by :func:`get_or_create_dimension`
_KEYWORDS: dict[str, int] = {}
for _i, (_quantities, _units) in enumerate(
    (
        (("length",), ("metre", "metres", "meter", "meters", "m")),
        (("mass",), ("kilogram", "kilograms", "kg")),
        (("time",), ("second", "seconds", "s")),
        (("current", "electric current"), ("ampere", "amperes", "amp", "A")),
        (("temperature",), ("kelvin", "kelvins", "K")),
        (("substance", "quantity of substance", "amount"), ("mole", "moles", "mol")),
        (("luminosity",), ("candle", "candles", "candela", "cd")),
    )
):
    for _w in _quantities:
        _KEYWORDS[_w] = _KEYWORDS[_w.capitalize()] = _KEYWORDS[_w.title()] = _i
    for _w in _units:
        _KEYWORDS[_w] = _i


def get_or_create_dimension(*args: Iterable[object], **kwds: object) -> Dimension:
    """The (interned) dimension with the given exponents, as in brainunit.

    Either one sequence of the seven exponents of m, kg, s, A, K, mol, cd, or keywords naming
    base quantities by quantity or unit (``length=1, time=-1`` or ``m=1, s=-1``).
    """
    if args:
        if len(args) != 1 or kwds:
            raise TypeError("get_or_create_dimension() takes one sequence of 7 exponents, or keywords, not both")
        try:
            exps = list(args[0])
        except TypeError:
            raise TypeError(f"get_or_create_dimension() needs a sequence of 7 exponents, got {args[0]!r}") from None
        if len(exps) != len(BASE_SYMBOLS):
            raise TypeError(f"get_or_create_dimension() needs a sequence of exactly 7 exponents, got {len(exps)}")
    else:
        exps = [0] * len(BASE_SYMBOLS)
        for key, value in kwds.items():
            i = _KEYWORDS.get(key)
            if i is None:
                raise TypeError(
                    f"get_or_create_dimension(): unknown dimension name {key!r}; use one of "
                    f"{', '.join(_NAMES)} or {', '.join(BASE_SYMBOLS)}"
                )
            exps[i] = value
    return Dimension(exps)
