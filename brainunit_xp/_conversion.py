"""Mantissa conversion: the unit of an argument, unit-free values, scaling by a conversion factor,
dimension checks and exponents.  Functions of (mantissa, unit, backend) triples; no Quantity."""

from __future__ import annotations

import functools
import math
import sys
from typing import Any

from ._backends import Backend, backend_of, refuses_concrete
from ._errors import BackendError, DimensionMismatchError, UnitError, UnitTypeError
from ._types import SCALARS, Array
from ._units import DIMENSIONLESS, FREE, ONE, Unit, parse_unit
from ._units.dimension import as_exponent

__all__ = [
    "as_unit",
    "convert",
    "dimensionless",
    "exponent",
    "floating",
    "integral",
    "mismatch",
    "numpy_scalar_on",
    "power_unit",
    "scale",
    "to_float",
    "unit_free",
]

_NUMBERS = SCALARS[1:]  # int, float, complex: a bool is never unit-free
_INF = math.inf


def as_unit(unit: object) -> Unit:
    """``unit`` as a :class:`Unit`: ``None`` is dimensionless, a string is parsed."""
    if unit is None:
        return ONE
    if type(unit) is Unit:
        return unit
    if isinstance(unit, str):
        return parse_unit(unit)
    if hasattr(unit, "_u") and hasattr(unit, "_m"):
        raise UnitError(f"a unit is needed, got the Quantity {unit!r}; use its .unit, or multiply: value * quantity")
    raise UnitError(f"a unit must be a Unit or a string, got {type(unit).__name__}")


def _numpy_number(x: object) -> bool:
    """Is ``x`` one of NumPy's number scalars (``np.float64``, not ``np.bool_``)?  NumPy is not imported
    for it: without NumPy imported there are none."""
    np = sys.modules.get("numpy")
    return np is not None and isinstance(x, (np.integer, np.floating, np.complexfloating))


def numpy_scalar_on(b: Backend, m: Any, u: Unit) -> tuple[Any, Backend | None] | None:
    """A NumPy scalar (``np.float64``, ``np.int32``: not an ndarray; jax's ``finfo(dtype).eps``) met
    with an array of another backend ``b``, as that backend would take it: a unit-free one (0, inf,
    nan in ``u`` dimensionless: xarray's fill value) as the Python number, weak; any other as a 0-d
    array of ``b``.  ``None`` when ``m`` is not a NumPy scalar."""
    np = sys.modules.get("numpy")
    if np is None or not isinstance(m, np.generic):
        return None
    if u is ONE and unit_free(m):
        return m.item(), None
    return b.xp.asarray(m), b


def unit_free(x: object) -> bool:
    """0, inf and nan carry no unit: they mean the same in every unit.  Python numbers, and NumPy's
    number scalars (``np.float64(nan)``, what xarray and scipy fill with); never a bool or an array."""
    if type(x) not in _NUMBERS and not _numpy_number(x):
        return False
    return bool(x == 0 or x != x or x in (_INF, -_INF))


def integral(m: Array, b: Backend | None) -> bool:
    """Is ``m`` an array of an integer (or boolean) dtype?  Python numbers are not."""
    dt = getattr(m, "dtype", None)
    if dt is None or b is None:
        return False  # Python numbers promote by themselves
    kind = getattr(dt, "kind", None)
    if kind is not None:
        return kind in "biu"
    return bool(b.xp.isdtype(dt, ("bool", "integral")))


def to_float(m: Array, b: Backend) -> Array:
    """``m`` in the backend's default real floating dtype."""
    xp = b.xp
    return xp.astype(m, xp.__array_namespace_info__().default_dtypes()["real floating"])


#: id(dtype) -> (dtype, is it floating?): by identity, since dtypes of different libraries must not
#: be compared (array_api_strict warns), and holding the dtype keeps its id from being reused
_FLOATING: dict[int, tuple[Any, bool]] = {}


def floating(m: Array) -> bool:
    """Is ``m`` a floating (real or complex) array or a Python float?  (Cached per dtype.)"""
    try:
        dt = m.dtype
    except AttributeError:
        return type(m) is float
    hit = _FLOATING.get(id(dt))
    if hit is None:
        kind = getattr(dt, "kind", None)
        if kind is not None:
            out = kind in ("f", "c")
        else:
            out = bool(getattr(dt, "is_floating_point", False) or getattr(dt, "is_complex", False))
        hit = _FLOATING[id(dt)] = (dt, out)
    return hit[1]


def scale(m: Array, factor: float, b: Backend | None, op: str = "convert") -> Array:
    """``m * factor``, keeping the dtype where the factor allows it, and never wrapping around.

    A fractional factor promotes integers to the backend's default floating dtype.  A whole factor
    keeps integers exact in their dtype when every value times the factor fits it; when one does
    not, :class:`UnitError` names the dtype and the fix; when the values cannot be read (a jax
    tracer under ``jit``, a lazy dask array, a symbolic ndonnx value) the result is floating."""
    if factor == 1.0:
        return m
    whole = factor.is_integer() and abs(factor) < 2**53
    if b is None or not integral(m, b):
        return m * int(factor) if whole else m * factor
    if whole:
        f = int(factor)
        fits = _fits(m, f, b)
        if fits:
            return _times(m, f, b.xp)
        if fits is not None:
            raise _overflow(op, m.dtype, f)
        if b.map_blocks is not None:  # lazy: each block is checked when it is computed
            return b.map_blocks(functools.partial(_checked_product, f, op), m)
    return to_float(m, b) * factor


def _overflow(op: str, dtype: Any, factor: int) -> UnitError:
    return UnitError(
        f"{op}: converting these {dtype} values needs a factor of {factor}, and the result does not fit "
        f"{dtype}; convert to a wider or floating type first, e.g. q.astype(float64), or pick a unit "
        f"closer to the values' own"
    )


def _bounds(m: Array, factor: int, xp: Any) -> tuple[bool, int, int]:
    """``(fits, lo, hi)`` for integers ``m`` times ``factor`` in ``m``'s dtype."""
    info = xp.iinfo(m.dtype)
    lo, hi = sorted((int(xp.min(m)) * factor, int(xp.max(m)) * factor))
    return info.min <= lo and hi <= info.max, lo, hi


def _fits(m: Array, factor: int, b: Backend) -> bool | None:
    """Do the integers ``m`` times ``factor`` fit their dtype?  ``None`` when they cannot be read."""
    xp = b.xp
    try:
        xp.iinfo(m.dtype)
    except Exception:  # booleans: Python promotes them to a wide integer
        return True
    if refuses_concrete(b):
        return None
    if 0 in tuple(getattr(m, "shape", ())):
        return True
    try:
        return _bounds(m, factor, xp)[0]
    except Exception:  # tracers and symbolic values have no concrete extremes
        return None


def _checked_product(factor: int, op: str, block: Any) -> Any:
    """One block of a lazy array times ``factor``, refusing to wrap around."""
    import numpy as np

    if block.size and not _bounds(block, factor, np)[0]:
        raise _overflow(op, block.dtype, factor)
    return _times(block, factor, np)


def _times(m: Array, factor: int, xp: Any) -> Array:
    """Integers ``m`` (known to fit) times ``factor``; a factor beyond the dtype's range can only
    have met zeros."""
    try:
        too_big = factor > xp.iinfo(m.dtype).max
    except Exception:  # booleans
        too_big = False
    return xp.zeros_like(m) if too_big else m * factor


def mismatch(op: str, u1: Unit, u2: Unit) -> DimensionMismatchError:
    """The error for two units that ``op`` needs to agree."""
    return DimensionMismatchError(
        f"{op}: incompatible units {u1.name!r} ({u1.dim.describe()}) and {u2.name!r} "
        f"({u2.dim.describe()}); the operands need the same dimension. Convert one with "
        f".to(...), or check the physics."
    )


def convert(m: Array, frm: Unit, to: Unit, b: Backend | None, op: str) -> Array:
    """Mantissa ``m`` in unit ``frm`` expressed in unit ``to``; raises if dimensions differ."""
    if frm is to or frm is FREE:
        return m
    if frm.dim is not to.dim:
        raise mismatch(op, to, frm)
    return scale(m, frm.factor_to(to), b, op)


def dimensionless(m: Array, u: Unit, b: Backend | None, op: str) -> Array:
    """Mantissa ``m`` in unit ``u`` as a plain number; raises unless ``u`` is dimensionless."""
    if u is ONE:
        return m
    if u.dim is not DIMENSIONLESS:
        unit = u.name if " " not in u.name else f"({u.name})"
        raise UnitError(
            f"{op}: needs a dimensionless argument, got unit {u.name!r} ({u.dim.describe()}). "
            f"Divide by a unit first, e.g. x / {unit}, or pass x.to_value({u.name!r})."
        )
    return scale(m, u.scale, b, op)


def exponent(m: Array, u: Unit, b: Backend | None, op: str) -> int | float:
    """A concrete scalar exponent (a Python number) for a base that has units."""
    p = dimensionless(m, u, b, op)
    if type(p) in (int, float) or isinstance(p, (int, float)):
        return p
    shape = tuple(getattr(p, "shape", ()))
    if shape != ():
        raise UnitTypeError(
            f"{op}: the exponent of a base with units must be a scalar, got a non-scalar array of shape {shape}; "
            f"the result's unit would differ element by element"
        )
    lazy = b or backend_of(p)
    if lazy is not None and refuses_concrete(lazy):
        raise BackendError(
            f"{op}: the exponent of a base with units must be concrete; got a lazy {lazy.name} array "
            f"(compute it first, or with brainunit_xp.computing_lazy_values())"
        )
    try:
        return p.item() if hasattr(p, "item") else float(p)
    except Exception as exc:  # tracers and symbolic arrays raise their own errors
        raise UnitError(
            f"{op}: the exponent of a base with units must be a concrete number, not a traced or "
            f"symbolic value ({type(exc).__name__}); pass it as a Python number (static under jit)"
        ) from None


def power_unit(u: Unit, pm: Array, pu: Unit, pb: Backend | None, op: str) -> tuple[Unit, int | float]:
    """``(unit, exponent)`` of ``u ** p`` for the exponent triple ``(pm, pu, pb)``; the exponent
    comes back as a Python number."""
    p = exponent(pm, pu, pb, op)
    try:
        frac = as_exponent(p)
    except (TypeError, ValueError) as exc:
        raise UnitError(f"{op}: cannot raise unit {u.name!r} to {p!r}: {exc}") from None
    return u**frac, p
