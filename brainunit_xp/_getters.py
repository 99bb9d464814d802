"""brainunit's getters and helpers: the unit, dimension and mantissa of anything, checks that
raise brainunit's errors, display, and the temperature conversions.

Everything accepts Quantities of every backend, Units, Dimensions, plain numbers and arrays (which
are dimensionless) and :class:`~brainunit_xp.CustomArray` wrappers (unwrapped first).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ._custom_array import maybe_custom_array
from ._errors import DimensionMismatchError, UnitMismatchError, UnitTypeError
from ._quantity import Quantity
from ._units import DIMENSIONLESS, ONE, Dimension, Unit, parse_unit

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "UNITLESS",
    "UnitTypeError",
    "array_with_unit",
    "assert_quantity",
    "celsius2kelvin",
    "display_in_unit",
    "fahrenheit2kelvin",
    "fail_for_dimension_mismatch",
    "fail_for_unit_mismatch",
    "get_dim",
    "get_dim_for_display",
    "get_magnitude",
    "get_mantissa",
    "get_unit",
    "has_same_unit",
    "have_same_dim",
    "is_dimensionless",
    "is_scalar_type",
    "is_unit_equal_math",
    "is_unitless",
    "kelvin2celsius",
    "kelvin2fahrenheit",
    "maybe_decimal",
    "split_mantissa_unit",
    "unit_scale_align_to_first",
]

#: the unit of plain numbers (brainunit's name for it)
UNITLESS: Unit = ONE

_KELVIN = parse_unit("K")
_ZERO_CELSIUS = 273.15


def _quantity(x: Any) -> Quantity:
    x = maybe_custom_array(x)
    return x if isinstance(x, Quantity) else Quantity(x)


# -- getters -------------------------------------------------------------------------------------


def get_unit(obj: Any) -> Unit:
    """The unit of a Quantity or a Unit; :data:`UNITLESS` for anything else (numbers, arrays).

    Not a look-up by name: ``get_unit("mV")`` is ``UNITLESS`` as in brainunit; use
    :func:`brainunit_xp.parse_unit` for names.
    """
    obj = maybe_custom_array(obj)
    if isinstance(obj, Unit):
        return obj
    if isinstance(obj, Quantity):
        return obj.unit
    return ONE


def get_dim(obj: Any) -> Dimension:
    """The dimension of a Quantity, Unit or Dimension; ``DIMENSIONLESS`` for anything else."""
    obj = maybe_custom_array(obj)
    if isinstance(obj, Dimension):
        return obj
    if isinstance(obj, (Unit, Quantity)):
        return obj.dim
    return DIMENSIONLESS


def get_mantissa(obj: Any) -> Any:
    """The mantissa of a Quantity (its values in its own unit); anything else unchanged."""
    obj = maybe_custom_array(obj)
    return obj.mantissa if isinstance(obj, Quantity) else obj


#: brainunit's other name for :func:`get_mantissa`
get_magnitude = get_mantissa


def split_mantissa_unit(obj: Any) -> tuple[Any, Unit]:
    """``(mantissa, unit)``; a plain value becomes a dimensionless Quantity first (a list
    becomes an array of the default backend)."""
    q = _quantity(obj)
    return q.mantissa, q.unit


def get_dim_for_display(d: Any) -> str:
    """A dimension as text: ``'1'`` when dimensionless, else e.g. ``'m^2 kg s^-3 A^-1'``."""
    if isinstance(d, int) and not isinstance(d, bool) and d == 1:
        return "1"
    dim = get_dim(d)
    return "1" if dim is DIMENSIONLESS else str(dim)


# -- comparisons and checks ----------------------------------------------------------------------


def have_same_dim(obj1: Any, obj2: Any) -> bool:
    """Do two values (Quantities, Units, Dimensions, numbers) have the same dimension?"""
    return get_dim(obj1) is get_dim(obj2)


def is_unit_equal_math(u1: Any, u2: Any) -> bool:
    """Are two units the same physically (dimension and scale, whatever their names)?  ``False``
    when either is not a Unit."""
    return isinstance(u1, Unit) and isinstance(u2, Unit) and u1 == u2


def has_same_unit(obj1: Any, obj2: Any) -> bool:
    """Do two values have the same unit (dimension and scale: ``mV`` and ``V`` differ)?"""
    return is_unit_equal_math(get_unit(obj1), get_unit(obj2))


def is_dimensionless(obj: Any) -> bool:
    """Is the value (Quantity, Unit, Dimension, number, array) dimensionless?"""
    return get_dim(obj) is DIMENSIONLESS


def is_unitless(obj: Any) -> bool:
    """Has the value the unit of plain numbers (dimensionless *and* scale 1: ``mV/V`` is not)?

    A Dimension has no unit: it raises a ``TypeError`` (:class:`UnitTypeError`).
    """
    obj = maybe_custom_array(obj)
    if isinstance(obj, Dimension):
        raise UnitTypeError(f"is_unitless: a Dimension has no unit, got {obj}; use is_dimensionless(...) for it")
    return bool(get_unit(obj).is_one)


def is_scalar_type(obj: Any) -> bool:
    """Is ``obj`` a unitless scalar: a Python or numpy number, or a 0-d unitless array or Quantity
    (not a traced value under ``jax.jit``, not a string)?"""
    obj = maybe_custom_array(obj)
    if isinstance(obj, str):
        return False
    ndim = getattr(obj, "ndim", None)
    if ndim is None:
        import numpy as np

        return bool(np.isscalar(obj))
    if isinstance(obj, Unit):
        return False
    return ndim == 0 and is_unitless(obj) and not _is_tracer(get_mantissa(obj))


def _is_tracer(x: Any) -> bool:
    jax = sys.modules.get("jax")
    return jax is not None and isinstance(x, jax.core.Tracer)


@contextmanager
def _short_printoptions() -> Iterator[None]:
    import numpy as np

    old = np.get_printoptions()
    np.set_printoptions(edgeitems=2, threshold=5)
    try:
        yield
    finally:
        np.set_printoptions(**old)


def _short_str(x: Any) -> str:
    m = get_mantissa(x)
    if _is_tracer(m):
        return str(m)
    try:
        m = numpy_values(m)
    except Exception:
        return str(m)
    with _short_printoptions():
        return str(m)


def _format_message(error_message: str | None, default: str, error_arrays: dict[str, Any]) -> str:
    if error_message is None:
        return default
    return error_message.format(**{name: _short_str(q) for name, q in error_arrays.items()})


def fail_for_dimension_mismatch(
    obj1: Any, obj2: Any = None, error_message: str | None = None, **error_arrays: Any
) -> tuple[Dimension, Dimension]:
    """Raise :class:`DimensionMismatchError` unless ``obj1`` and ``obj2`` (dimensionless when
    ``None``) have the same dimension; return the two dimensions.

    ``error_message`` may hold ``{name}`` fields, filled with the short text of
    ``error_arrays[name]``.
    """
    dim1 = get_dim(obj1)
    dim2 = DIMENSIONLESS if obj2 is None else get_dim(obj2)
    if dim1 is dim2:
        return dim1, dim2
    message = _format_message(error_message, "Dimension mismatch", error_arrays)
    # compared with a bare unit or dimension, the message states it: name only the value's
    if obj2 is None or isinstance(obj2, (Dimension, Unit)):
        raise DimensionMismatchError(message, dim1)
    raise DimensionMismatchError(message, dim1, dim2)


def fail_for_unit_mismatch(
    obj1: Any, obj2: Any = None, error_message: str | None = None, **error_arrays: Any
) -> tuple[Unit, Unit]:
    """Raise :class:`UnitMismatchError` unless ``obj1`` and ``obj2`` (unitless when ``None``)
    have units of the same dimension (``mV`` and ``V`` pass); return the two units."""
    unit1 = get_unit(obj1)
    unit2 = ONE if obj2 is None else get_unit(obj2)
    if unit1.dim is unit2.dim:
        return unit1, unit2
    message = _format_message(error_message, "Unit mismatch", error_arrays)
    if obj2 is None or isinstance(obj2, (Dimension, Unit)):
        raise UnitMismatchError(message, unit1)
    raise UnitMismatchError(message, unit1, unit2)


def assert_quantity(q: Any, mantissa: Any, unit: Unit | None = None) -> None:
    """Assert that ``q`` equals ``mantissa`` in ``unit`` (NaNs equal, ``numpy.allclose``
    tolerances); without ``unit``, that ``q`` is unitless with those values."""
    import numpy as np

    expected = numpy_values(mantissa)
    q = maybe_custom_array(q)
    if unit is None:
        if isinstance(q, Quantity):
            assert q.unit.is_one, f"Expected a unitless quantity when 'unit' is not given, but got {q}"
        values = numpy_values(get_mantissa(q))
        assert np.allclose(values, expected, equal_nan=True), f"Values do not match: {values} != {expected}"
        return
    assert isinstance(unit, Unit), f"Expected a Unit, but got {unit}."
    q = _quantity(q)
    assert q.dim is unit.dim, f"Dimension mismatch: ({get_dim_for_display(q)}) ({get_dim_for_display(unit)})"
    values = numpy_values(q.to_value(unit))
    if not np.allclose(values, expected, equal_nan=True):
        raise AssertionError(f"Values do not match: {values} != {expected}")


# -- conversion and display ----------------------------------------------------------------------


def numpy_values(x: Any) -> np.ndarray:
    """Concrete values of a mantissa of any backend (a lazy dask array is computed)."""
    import numpy as np

    if isinstance(x, (list, tuple)):
        return np.asarray([numpy_values(v) for v in x])
    if isinstance(x, (bool, int, float, complex, np.ndarray, np.generic)):
        return np.asarray(x)
    return np.asarray(Quantity(x).to_numpy().mantissa)


def display_in_unit(x: Any, u: Unit | str | None = None, precision: int | None = None) -> str:
    """``x`` as text in unit ``u`` (its own unit by default), numpy-formatted with ``precision`` digits.

    ``display_in_unit(3 * volt, mvolt)`` is ``'3000. mV'``."""
    q = _quantity(x)
    if u is not None:
        q = q.to(u)
    m = q.mantissa
    if _is_tracer(m):
        text = str(m)
    else:
        import numpy as np

        text = np.array2string(numpy_values(m), precision=precision)
    return text if q.unit.is_one else f"{text} {q.unit}"


def maybe_decimal(val: Any, unit: Unit | str | None = None) -> Any:
    """The plain values of ``val`` in ``unit``; without ``unit``, the plain values if ``val`` is
    dimensionless (scale folded in: ``2 * mV / V`` gives ``0.002``), else ``val`` unchanged."""
    q = _quantity(val)
    if unit is not None:
        return q.to_value(unit)
    if q.dim is DIMENSIONLESS:
        return q.to_value(ONE)
    return val


def unit_scale_align_to_first(*args: Any) -> list[Any]:
    """Every argument expressed in the unit of the first (a plain first value is unitless);
    raises :class:`UnitMismatchError` (a :class:`DimensionMismatchError`) on another dimension."""
    if not args:
        return []
    first = maybe_custom_array(args[0])
    items: list[Any] = [first if isinstance(first, Quantity) else Quantity(first)]
    unit = items[0].unit
    items.extend(_quantity(x).to(unit) for x in args[1:])
    return items


def array_with_unit(mantissa: Any, unit: Unit, dtype: Any = None) -> Quantity:
    """``Quantity(mantissa, unit, dtype=dtype)``; ``unit`` must be a :class:`Unit`."""
    if not isinstance(unit, Unit):
        raise UnitTypeError(f"array_with_unit: expected an instance of Unit, but got {unit!r}; e.g. u.mV")
    return Quantity(mantissa, unit, dtype=dtype)


# -- temperatures --------------------------------------------------------------------------------


def _plain_temperature(x: Any, op: str) -> Any:
    x = maybe_custom_array(x)
    if isinstance(x, Quantity):
        raise UnitTypeError(
            f"{op}: the input value should not be a Quantity (got {x}); pass the plain number of "
            f"degrees, e.g. q.to_value(...)"
        )
    return x


def _kelvin_value(x: Any, op: str) -> Any:
    x = maybe_custom_array(x)
    if not isinstance(x, Quantity):
        raise UnitTypeError(f"{op}: the input value should be a Quantity with a temperature unit, e.g. 300 * u.kelvin")
    if x.dim is not _KELVIN.dim:
        raise UnitTypeError(
            f"{op}: the input value should be a Quantity with a temperature unit, but got unit {x.unit}"
        )
    return x.to_value(_KELVIN)


def celsius2kelvin(celsius: Any) -> Quantity:
    """Degrees Celsius (plain numbers) as a temperature in kelvin."""
    return Quantity(_plain_temperature(celsius, "celsius2kelvin") + _ZERO_CELSIUS, _KELVIN)


def kelvin2celsius(value: Quantity) -> Any:
    """A temperature Quantity as plain degrees Celsius."""
    return _kelvin_value(value, "kelvin2celsius") - _ZERO_CELSIUS


def fahrenheit2kelvin(fahrenheit: Any) -> Quantity:
    """Degrees Fahrenheit (plain numbers) as a temperature in kelvin."""
    f = _plain_temperature(fahrenheit, "fahrenheit2kelvin")
    return Quantity((f - 32.0) * (5.0 / 9.0) + _ZERO_CELSIUS, _KELVIN)


def kelvin2fahrenheit(value: Quantity) -> Any:
    """A temperature Quantity as plain degrees Fahrenheit."""
    return (_kelvin_value(value, "kelvin2fahrenheit") - _ZERO_CELSIUS) * (9.0 / 5.0) + 32.0
