"""The binary unit rules: given two (mantissa, unit, backend) triples, each rule returns the
mantissas to combine, the result unit and a factor to fold into the result (the scale of a
dimensionless product), raising when the physics is wrong.  Operators and the namespaces' binary
functions share them."""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from typing import Any

from ._backends import Backend, select_backend
from ._conversion import convert, dimensionless, integral, numpy_scalar_on, scale, to_float, unit_free
from ._types import Array
from ._units import FREE, ONE, Unit

__all__ = ["Binary", "RuleFn", "apply", "rule_of"]

#: ``(op, m1, u1, b1, m2, u2, b2) -> (m1, m2, unit, fold)``
RuleFn = Callable[[str, Array, Unit, Any, Array, Unit, Any], tuple[Array, Array, Unit, float]]


def same(op: str, m1: Array, u1: Unit, b1: Any, m2: Array, u2: Unit, b2: Any) -> tuple[Array, Array, Unit, float]:
    """Same dimension in, the first operand's unit out (0/inf/nan take the other's unit)."""
    if u2 is u1:
        return m1, m2, u1, 1.0
    if u2 is FREE or (u2 is ONE and unit_free(m2)):
        return m1, m2, u1, 1.0
    if u1 is FREE or (u1 is ONE and unit_free(m1)):
        return m1, m2, u2, 1.0
    m2c = convert(m2, u2, u1, b2, op)
    if b1 is not None and integral(m1, b1) and integral(m2, b2) and not integral(m2c, b2):
        m1 = to_float(m1, b1)  # the conversion made x2 floating: promote x1 alike
    return m1, m2c, u1, 1.0


def compare(op: str, m1: Array, u1: Unit, b1: Any, m2: Array, u2: Unit, b2: Any) -> tuple[Array, Array, Unit, float]:
    """Same dimension in, dimensionless out."""
    m1, m2, _, _ = same(op, m1, u1, b1, m2, u2, b2)
    return m1, m2, ONE, 1.0


def equal(op: str, m1: Array, u1: Unit, b1: Any, m2: Array, u2: Unit, b2: Any) -> tuple[Array, Array, Unit, float]:
    """Same dimension: compared in the unit of x1; different dimensions are never equal (``==`` is
    False, ``!=`` True everywhere, as in pint, astropy and brainunit); dimensionless out."""
    if u1.dim is not u2.dim and not (u2 is FREE or u1 is FREE or unit_free(m1) or unit_free(m2)):
        return m1, m2 * math.nan, ONE, 1.0  # NaN compares unequal to everything, in x2's shape
    return compare(op, m1, u1, b1, m2, u2, b2)


def toward(op: str, m1: Array, u1: Unit, b1: Any, m2: Array, u2: Unit, b2: Any) -> tuple[Array, Array, Unit, float]:
    """Same dimension in, the first operand's unit out; from unit-free inputs a dimensionless
    result (``nextafter(0, 1)`` is a tiny number, not zero)."""
    m1, m2, u, fold = same(op, m1, u1, b1, m2, u2, b2)
    return m1, m2, (ONE if u is FREE else u), fold


def product(op: str, m1: Array, u1: Unit, b1: Any, m2: Array, u2: Unit, b2: Any) -> tuple[Array, Array, Unit, float]:
    """Units multiply; a dimensionless result's scale folds into the mantissa; unit-free times
    anything stays unit-free (0·x = 0, inf·x = ±inf or nan)."""
    if u1 is FREE or u2 is FREE:
        return m1, m2, FREE, 1.0
    u, fold = u1.product(u2)
    return m1, m2, u, fold


def quotient(op: str, m1: Array, u1: Unit, b1: Any, m2: Array, u2: Unit, b2: Any) -> tuple[Array, Array, Unit, float]:
    """Units divide; a dimensionless result's scale folds into the mantissa; unit-free over
    anything, or anything over unit-free, stays unit-free (0/x = 0, x/0 = ±inf, x/inf = 0)."""
    if u1 is FREE or u2 is FREE:
        return m1, m2, FREE, 1.0
    u, fold = u1.quotient(u2)
    return m1, m2, u, fold


def solve(op: str, m1: Array, u1: Unit, b1: Any, m2: Array, u2: Unit, b2: Any) -> tuple[Array, Array, Unit, float]:
    """The solution of ``x1 @ y = x2``: unit of x2 over unit of x1."""
    u, fold = u2.quotient(u1)
    return m1, m2, u, fold


def both_dimensionless(
    op: str, m1: Array, u1: Unit, b1: Any, m2: Array, u2: Unit, b2: Any
) -> tuple[Array, Array, Unit, float]:
    """Both operands dimensionless, dimensionless out."""
    return dimensionless(m1, u1, b1, op), dimensionless(m2, u2, b2, op), ONE, 1.0


def first(op: str, m1: Array, u1: Unit, b1: Any, m2: Array, u2: Unit, b2: Any) -> tuple[Array, Array, Unit, float]:
    """The first operand's unit out; the second is used for its sign only, in any unit."""
    return m1, m2, u1, 1.0


def factor(op: str, m1: Array, u1: Unit, b1: Any, m2: Array, u2: Unit, b2: Any) -> tuple[Array, Array, Unit, float]:
    """The first operand's unit out; the second a dimensionless integer exponent (``ldexp``): in a
    scaled dimensionless unit (``mV / V``), its value is rounded back to integers."""
    if u2 is ONE:
        return m1, m2, u1, 1.0
    m2 = dimensionless(m2, u2, b2, op)
    if b2 is None:
        return m1, round(m2), u1, 1.0
    xp = b2.xp
    return m1, xp.astype(xp.round(m2), xp.__array_namespace_info__().default_dtypes()["integral"]), u1, 1.0


def step(op: str, m1: Array, u1: Unit, b1: Any, m2: Array, u2: Unit, b2: Any) -> tuple[Array, Array, Unit, float]:
    """The first operand in any unit (only its sign matters); the second dimensionless; dimensionless
    out (``heaviside``)."""
    return m1, dimensionless(m2, u2, b2, op), ONE, 1.0


class Binary(enum.Enum):
    """The binary unit rules, by name (the parameter of binary entries of the rules table)."""

    SAME = "same"
    TOWARD = "toward"
    COMPARE = "compare"
    EQUAL = "equal"
    PRODUCT = "product"
    QUOTIENT = "quotient"
    SOLVE = "solve"
    DIMENSIONLESS = "dimensionless"
    FIRST = "first"
    FACTOR = "factor"
    STEP = "step"


_RULES: dict[Binary, RuleFn] = {
    Binary.SAME: same,
    Binary.TOWARD: toward,
    Binary.COMPARE: compare,
    Binary.EQUAL: equal,
    Binary.PRODUCT: product,
    Binary.QUOTIENT: quotient,
    Binary.SOLVE: solve,
    Binary.DIMENSIONLESS: both_dimensionless,
    Binary.FIRST: first,
    Binary.FACTOR: factor,
    Binary.STEP: step,
}


def rule_of(kind: Binary) -> RuleFn:
    """The rule function of ``kind``."""
    return _RULES[kind]


def apply(
    op: str,
    rule: RuleFn,
    fn: Callable[[Array, Array], Array],
    m1: Array,
    u1: Unit,
    b1: Backend | None,
    m2: Array,
    u2: Unit,
    b2: Backend | None,
) -> tuple[Array, Unit, Backend | None]:
    """``fn`` of two operands under ``rule``, on the backend chosen by the selection rule:
    ``(mantissa, unit, backend)`` of the result."""  # fmt: skip
    if b1 is not b2 and b1 is not None and b2 is not None:
        # a NumPy scalar joins the other operand's backend, as in the namespaces' functions
        if b2.name == "numpy" and (scalar := numpy_scalar_on(b1, m2, u2)) is not None:
            m2, b2 = scalar
        elif b1.name == "numpy" and (scalar := numpy_scalar_on(b2, m1, u1)) is not None:
            m1, b1 = scalar
        if b1 is not b2 and b1 is not None and b2 is not None:
            chosen = select_backend(b1, b2)
            m1, m2, b1, b2 = chosen.adopt(m1, b1, op), chosen.adopt(m2, b2, op), chosen, chosen
    m1, m2, u, fold = rule(op, m1, u1, b1, m2, u2, b2)
    out = fn(m1, m2)
    return (out if fold == 1.0 else scale(out, fold, b1 or b2)), u, b1 or b2
