"""Units: a dimension, a scale and a display name — interned values with cached algebra.

A unit's scale is ``factor * 10**exp10``: SI prefixes only move ``exp10``, so conversions between
prefixed units are exact powers of ten (``1 m + 1 cm`` is exactly ``1.01 m``).  Every unit keeps
its *parts* — the named units it is a product of, with rational exponents — from which its
display name is derived (``m / s``), cancelling parts that meet their inverse and collapsing to a
named coherent unit where one matches (``kg * m^2 / s^2`` displays as ``J``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any, ClassVar

from .._errors import DimensionMismatchError, UnitError
from .dimension import DIMENSIONLESS, Dimension, as_exponent

__all__ = ["FREE", "ONE", "Unit"]

Parts = tuple[tuple[str, Fraction], ...]
_ONE_F = Fraction(1)


def _pow10(e: Fraction) -> float:
    return 10.0 ** int(e) if e.denominator == 1 else 10.0 ** float(e)


class Unit:
    """A physical unit: ``dim`` (a :class:`Dimension`), ``scale`` relative to SI, and ``name``.

    Units are immutable and interned: the same dimension, scale and name give the same object,
    and the results of ``*``, ``/`` and ``**`` are cached, so hot code compares units with
    ``is``.  Two units are ``==`` when they have the same dimension and scale, whatever their
    names (``meter2 == meter * meter``).  ``value * unit`` makes a :class:`Quantity`.
    """

    __slots__ = ("_conv", "_mul", "_pow", "_qdiv", "_qmul", "dim", "exp10", "factor", "name", "parts", "scale")
    _interned: ClassVar[dict[tuple[Any, ...], Unit]] = {}
    #: named units by display name: the atoms that compound names are made of
    _atoms: ClassVar[dict[str, Unit]] = {}
    #: the coherent named unit (scale 1) that a compound of a given dimension collapses to
    _coherent: ClassVar[dict[Dimension, Unit]] = {}
    #: set by the quantity module: builds ``Quantity(value, unit)``
    _make_quantity: ClassVar[Callable[[Any, Unit], Any]]

    dim: Dimension
    factor: float
    exp10: Fraction
    name: str
    parts: Parts
    scale: float

    def __new__(
        cls, dim: Dimension, factor: float = 1.0, exp10: int | Fraction = 0, *, name: str, parts: Parts | None = None
    ) -> Unit:
        exp10 = Fraction(exp10)
        if exp10.denominator == 1:
            exp10 = int(exp10)  # type: ignore[assignment]  # ints hash and add faster
        factor = float(factor)
        key = (dim, factor, exp10, name)
        self = cls._interned.get(key)
        if self is None:
            self = object.__new__(cls)
            self.dim, self.factor, self.exp10, self.name = dim, factor, exp10, name
            self.parts = ((name, _ONE_F),) if parts is None else parts
            self.scale = factor * _pow10(exp10)
            self._mul: dict[int, Unit] = {}
            self._qmul: dict[int, tuple[Unit, float]] = {}
            self._qdiv: dict[int, tuple[Unit, float]] = {}
            self._pow: dict[Fraction, Unit] = {}
            self._conv: dict[int, float] = {}
            cls._interned[key] = self
        return self

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def create(cls, name: str, dim: Dimension, factor: float = 1.0, exp10: int = 0, *, coherent: bool = False) -> Unit:
        """Define a named unit (an atom of compound names) and register it by ``name``.

        ``coherent=True`` makes compounds of scale 1 and this dimension display as ``name``.
        """
        if name in cls._atoms:
            old = cls._atoms[name]
            if old.dim is not dim or old.scale != factor * _pow10(Fraction(exp10)):
                raise UnitError(f"a unit named {name!r} already exists with another definition ({old!r})")
            return old
        unit = cls(dim, factor, exp10, name=name)
        cls._atoms[name] = unit
        if coherent:
            cls._coherent.setdefault(dim, unit)
        return unit

    @classmethod
    def _from_parts(cls, dim: Dimension, factor: float, exp10: Fraction, parts: Parts) -> Unit:
        parts = tuple(p for p in parts if p[1])
        if len(parts) == 1 and parts[0][1] == 1:
            atom = cls._atoms.get(parts[0][0])
            if atom is not None and atom.dim is dim:
                return atom
        if factor == 1.0 and exp10 == 0:
            if dim is DIMENSIONLESS:
                return ONE
            named = cls._coherent.get(dim) if len(parts) > 1 else None
            if named is not None:
                return named
        return cls(dim, factor, exp10, name=_format(parts), parts=parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unpickle_unit, (self.dim, self.factor, self.exp10, self.name, self.parts))

    def __copy__(self) -> Unit:
        return self

    def __deepcopy__(self, memo: dict) -> Unit:
        return self

    # -- properties ---------------------------------------------------------------------------
    @property
    def is_dimensionless(self) -> bool:
        return self.dim is DIMENSIONLESS

    @property
    def is_one(self) -> bool:
        """True for the unit of plain numbers (dimensionless, scale 1)."""
        return self.dim is DIMENSIONLESS and self.scale == 1.0

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"Unit({self.name!r})"

    def __format__(self, spec: str) -> str:
        return format(self.name, spec)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Unit):
            return NotImplemented
        return self.dim is other.dim and math.isclose(self.scale, other.scale, rel_tol=1e-12, abs_tol=0.0)

    def __hash__(self) -> int:
        return hash(self.dim)

    # -- algebra ------------------------------------------------------------------------------
    def __mul__(self, other: object) -> Any:
        if isinstance(other, Unit):
            out = self._mul.get(id(other))
            if out is None:
                out = self._mul[id(other)] = _product(self, other)
            return out
        return Unit._make_quantity(1, self) * other

    def __rmul__(self, other: object) -> Any:
        return Unit._make_quantity(other, self)

    def __truediv__(self, other: object) -> Any:
        if isinstance(other, Unit):
            return self * other**-1
        return Unit._make_quantity(1, self) / other

    def __rtruediv__(self, other: object) -> Any:
        return Unit._make_quantity(other, self**-1)

    def __pow__(self, power: object) -> Unit:
        try:
            p = as_exponent(power)
        except (TypeError, ValueError) as exc:
            raise UnitError(f"pow: cannot raise unit {self.name!r} to {power!r}: {exc}") from None
        out = self._pow.get(p)
        if out is None:
            if p == 1:
                out = self
            else:
                parts = tuple((n, e * p) for n, e in self.parts)
                out = Unit._from_parts(self.dim**p, self.factor ** float(p), self.exp10 * p, parts)
            self._pow[p] = out
        return out

    # Units are not arrays: stop numpy, jax and torch from broadcasting over them.
    __array_ufunc__ = None

    # -- conversion ---------------------------------------------------------------------------
    def product(self, other: Unit) -> tuple[Unit, float]:
        """``(unit, fold)`` for a product of quantities: a dimensionless result has scale 1, its
        scale moved into the mantissa factor ``fold`` (``m / cm`` gives ``(ONE, 100.0)``)."""
        out = self._qmul.get(id(other))
        if out is None:
            unit = self * other
            out = (ONE, unit.scale) if unit.dim is DIMENSIONLESS and unit is not ONE else (unit, 1.0)
            self._qmul[id(other)] = out
        return out

    def quotient(self, other: Unit) -> tuple[Unit, float]:
        """``(unit, fold)`` for a quotient of quantities, like :meth:`product`."""
        out = self._qdiv.get(id(other))
        if out is None:
            out = self._qdiv[id(other)] = self.product(other**-1)
        return out

    def factor_to(self, other: Unit, op: str = "convert") -> float:
        """The number ``f`` with ``x [self] == x * f [other]``; raises if dimensions differ."""
        f = self._conv.get(id(other))
        if f is None:
            if self.dim is not other.dim:
                raise DimensionMismatchError(
                    f"{op}: cannot convert {self.name!r} ({self.dim.describe()}) to {other.name!r} "
                    f"({other.dim.describe()}): the dimensions differ. Use a unit of dimension "
                    f"{other.dim} or check the physics."
                )
            if self.factor == other.factor:
                f = _pow10(self.exp10 - other.exp10)
            else:
                f = (self.factor / other.factor) * _pow10(self.exp10 - other.exp10)
            if math.isclose(f, 1.0, rel_tol=1e-14):
                f = 1.0
            self._conv[id(other)] = f
        return f


def _unpickle_unit(dim: Dimension, factor: float, exp10: Fraction, name: str, parts: Parts) -> Unit:
    return Unit(dim, factor, exp10, name=name, parts=parts)


def _product(a: Unit, b: Unit) -> Unit:
    if a is ONE:
        return b
    if b is ONE:
        return a
    merged: dict[str, Fraction] = dict(a.parts)
    for n, e in b.parts:
        merged[n] = merged.get(n, Fraction(0)) + e
    return Unit._from_parts(a.dim * b.dim, a.factor * b.factor, a.exp10 + b.exp10, tuple(merged.items()))


def _format_power(name: str, e: Fraction) -> str:
    if e == 1:
        return name
    return f"{name}^{e}" if e.denominator == 1 else f"{name}^({e})"


def _format(parts: Parts) -> str:
    num = [_format_power(n, e) for n, e in parts if e > 0]
    den = [_format_power(n, -e) for n, e in parts if e < 0]
    text = " * ".join(num) or "1"
    if not den:
        return text
    return f"{text} / {den[0]}" if len(den) == 1 else f"{text} / ({' * '.join(den)})"


ONE = Unit(DIMENSIONLESS, 1.0, 0, name="1", parts=())
ONE._pow.update({Fraction(k): ONE for k in range(-4, 5)})

#: The unit of arrays made only of values that mean the same in every unit — zeros, infinities,
#: NaNs, uninitialized memory (``zeros``, ``empty``, ``full(shape, nan)``): dimensionless, but it
#: takes the unit of whatever it is combined with or assigned, like the Python numbers 0, inf, nan.
FREE = Unit(DIMENSIONLESS, 1.0, 0, name="unit-free", parts=())
