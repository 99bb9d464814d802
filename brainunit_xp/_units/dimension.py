"""Physical dimensions: rational exponents over the seven SI base quantities, interned."""

from __future__ import annotations

from fractions import Fraction
from typing import ClassVar

__all__ = ["BASE_SYMBOLS", "DIMENSIONLESS", "Dimension", "as_exponent"]

#: Symbols of the SI base quantities, in the order of ``Dimension.exponents``.
BASE_SYMBOLS = ("m", "kg", "s", "A", "K", "mol", "cd")
_NAMES = ("length", "mass", "time", "current", "temperature", "amount", "luminosity")


def as_exponent(power: object) -> Fraction:
    """Return ``power`` as an exact rational exponent, or raise ``TypeError``/``ValueError``."""
    if isinstance(power, Fraction):
        return power
    if isinstance(power, bool):
        raise TypeError("a unit exponent must be a number, not a bool")
    if isinstance(power, int):
        return Fraction(power)
    if isinstance(power, float):
        frac = Fraction(power).limit_denominator(1000)
        if abs(float(frac) - power) > 1e-12 * max(1.0, abs(power)):
            raise ValueError(f"exponent {power!r} is not a simple rational number")
        return frac
    try:
        return as_exponent(power.__index__())  # type: ignore[attr-defined]
    except AttributeError:
        pass
    try:
        return as_exponent(float(power))  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise TypeError(f"a unit exponent must be a real number, got {power!r}") from exc


class Dimension:
    """A product of SI base quantities raised to rational powers.

    Dimensions are interned: equal dimensions are the same object, so ``is`` compares them.
    """

    __slots__ = ("_mul", "_pow", "exponents")
    _interned: ClassVar[dict[tuple[Fraction, ...], Dimension]] = {}
    exponents: tuple[Fraction, ...]

    def __new__(cls, exponents: tuple[Fraction, ...]) -> Dimension:
        key = tuple(Fraction(e) for e in exponents)
        if len(key) != len(BASE_SYMBOLS):
            raise ValueError(f"a dimension has {len(BASE_SYMBOLS)} exponents, got {len(key)}")
        self = cls._interned.get(key)
        if self is None:
            self = object.__new__(cls)
            self.exponents = key
            self._mul: dict[int, Dimension] = {}
            self._pow: dict[Fraction, Dimension] = {}
            cls._interned[key] = self
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

    def __mul__(self, other: Dimension) -> Dimension:
        out = self._mul.get(id(other))
        if out is None:
            if not isinstance(other, Dimension):
                return NotImplemented
            out = Dimension(tuple(a + b for a, b in zip(self.exponents, other.exponents, strict=True)))
            self._mul[id(other)] = out
        return out

    def __truediv__(self, other: Dimension) -> Dimension:
        if not isinstance(other, Dimension):
            return NotImplemented
        return self * other**-1

    def __pow__(self, power: object) -> Dimension:
        p = as_exponent(power)
        out = self._pow.get(p)
        if out is None:
            out = Dimension(tuple(e * p for e in self.exponents))
            self._pow[p] = out
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
        num, den = [], []
        for name, e in zip(_NAMES, self.exponents, strict=True):
            if e:
                side = num if e > 0 else den
                side.append(name if abs(e) == 1 else f"{name}^{abs(e)}")
        text = " * ".join(num) or "1"
        return f"{text} / {' / '.join(den)}" if den else text


DIMENSIONLESS = Dimension((Fraction(0),) * len(BASE_SYMBOLS))
