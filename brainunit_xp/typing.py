"""Type annotations with units: brainunit's ``brainunit.typing``.

- Aliases for array-like values: ``ArrayLike``, ``ScalarOrArrayLike``, ``QuantityLike``,
  ``UnitLike``, ``DimensionLike``, ``DTypeLike``, ``Shape``, ``Axis``, ``Axes``, ``PyTree``,
  ``Array`` (``jax.Array``).
- Physical types: ``LENGTH``, ``VOLTAGE``, ``SPEED``, … are ``Quantity`` for static type checkers
  and, at run time, classes that ``isinstance`` accepts only for Quantities of that dimension;
  :class:`PhysicalType` (``PhysicalType("length")``) and :func:`quantity_type` (of a unit or a
  physical-type name) make more.
- :func:`validate_units` checks, on every call, the arguments annotated with such types (or with
  ``typing.Annotated[Quantity, unit]``).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, Union, get_origin, get_type_hints

import jax
import numpy as np

from ._errors import DimensionMismatchError, UnitMismatchError
from ._getters import UnitTypeError
from ._quantity import Quantity
from ._units import Dimension, Unit

__all__ = [
    "PhysicalType", "is_physical_type",
    "Array", "ArrayLike", "ScalarOrArrayLike", "DTypeLike", "Shape", "Axis", "Axes", "PyTree",
    "QuantityLike", "UnitLike", "DimensionLike",
    "HAS_UNIT", "LENGTH", "MASS", "TIME", "CURRENT", "TEMPERATURE", "SUBSTANCE", "LUMINOSITY",
    "FREQUENCY", "FORCE", "ENERGY", "POWER", "PRESSURE", "CHARGE", "VOLTAGE", "RESISTANCE",
    "CAPACITANCE", "CONDUCTANCE", "MAGNETIC_FLUX", "MAGNETIC_FIELD", "INDUCTANCE", "SPEED",
    "ACCELERATION", "AREA", "VOLUME", "DENSITY", "DIMENSIONLESS_TYPE",
    "quantity_type", "validate_units",
]  # fmt: skip

# -- aliases -----------------------------------------------------------------------------------------
Array: TypeAlias = jax.Array
#: arrays that have ``.shape``, ``.ndim`` and ``.dtype`` (not bare Python numbers)
ArrayLike: TypeAlias = Union[jax.Array, np.ndarray, np.number, np.bool_]  # noqa: UP007
#: arrays and Python numbers
ScalarOrArrayLike: TypeAlias = Union[ArrayLike, bool, int, float, complex]  # noqa: UP007
DTypeLike: TypeAlias = jax.typing.DTypeLike
Shape: TypeAlias = Sequence[int]
Axis: TypeAlias = int
Axes: TypeAlias = Union[int, Sequence[int]]  # noqa: UP007
PyTree: TypeAlias = Any
#: what ``Quantity(x)`` accepts: numbers, arrays and Quantities
QuantityLike: TypeAlias = Union[int, float, complex, np.number, np.ndarray, jax.Array, Quantity]  # noqa: UP007
#: a Unit, a unit expression (``"mV"``) or ``None`` (unitless)
UnitLike: TypeAlias = Union[Unit, str, None]  # noqa: UP007
#: a Dimension or a physical-type name (``"length"``)
DimensionLike: TypeAlias = Union[Dimension, str]  # noqa: UP007

# -- physical types ----------------------------------------------------------------------------------
_BASE = ("length", "mass", "time", "current", "temperature", "substance", "luminosity")
#: physical-type names -> exponents of (length, mass, time, current, temperature, amount, luminosity)
_PHYSICAL_TYPES: dict[str, tuple[int, ...]] = {
    **{name: tuple(int(i == j) for j in range(7)) for i, name in enumerate(_BASE)},
    "electric current": (0, 0, 0, 1, 0, 0, 0),
    "amount of substance": (0, 0, 0, 0, 0, 1, 0),
    "luminous intensity": (0, 0, 0, 0, 0, 0, 1),
    "dimensionless": (0, 0, 0, 0, 0, 0, 0),
    "frequency": (0, 0, -1, 0, 0, 0, 0),
    "angular velocity": (0, 0, -1, 0, 0, 0, 0),
    "force": (1, 1, -2, 0, 0, 0, 0),
    "energy": (2, 1, -2, 0, 0, 0, 0),
    "torque": (2, 1, -2, 0, 0, 0, 0),
    "power": (2, 1, -3, 0, 0, 0, 0),
    "pressure": (-1, 1, -2, 0, 0, 0, 0),
    "charge": (0, 0, 1, 1, 0, 0, 0),
    "voltage": (2, 1, -3, -1, 0, 0, 0),
    "electric potential": (2, 1, -3, -1, 0, 0, 0),
    "resistance": (2, 1, -3, -2, 0, 0, 0),
    "capacitance": (-2, -1, 4, 2, 0, 0, 0),
    "conductance": (-2, -1, 3, 2, 0, 0, 0),
    "magnetic flux": (2, 1, -2, -1, 0, 0, 0),
    "magnetic field": (0, 1, -2, -1, 0, 0, 0),
    "inductance": (2, 1, -2, -2, 0, 0, 0),
    "speed": (1, 0, -1, 0, 0, 0, 0),
    "velocity": (1, 0, -1, 0, 0, 0, 0),
    "acceleration": (1, 0, -2, 0, 0, 0, 0),
    "area": (2, 0, 0, 0, 0, 0, 0),
    "volume": (3, 0, 0, 0, 0, 0, 0),
    "density": (-3, 1, 0, 0, 0, 0, 0),
    "momentum": (1, 1, -1, 0, 0, 0, 0),
}


class _DimensionCheck(type):
    """Metaclass of the physical types: ``isinstance(q, T)`` is true for Quantities of T's
    dimension."""

    dimension: Dimension
    _key: tuple[Any, ...]
    _label: str

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, Quantity) and instance.dim is cls.dimension

    def __repr__(cls) -> str:
        return cls._label

    def __eq__(cls, other: object) -> bool:
        if isinstance(other, _DimensionCheck):
            return cls._key == other._key
        return NotImplemented

    def __hash__(cls) -> int:
        return hash(cls._key)


_cache: dict[tuple[Any, ...], type] = {}


def _dimension_of(name: str) -> Dimension:
    key = name.lower().strip()
    if key not in _PHYSICAL_TYPES:
        raise UnitTypeError(f"unknown physical type {name!r}; known: {', '.join(sorted(_PHYSICAL_TYPES))}")
    return Dimension(tuple(Fraction(e) for e in _PHYSICAL_TYPES[key]))


class PhysicalType:
    """``PhysicalType("length")``: a class that ``isinstance`` accepts for Quantities of that
    dimension (the same class for the same name).  An unknown name raises a ``ValueError``
    (our :class:`~brainunit_xp.UnitError`)."""

    physical_type: str
    dimension: Dimension

    def __new__(cls, physical_type: str) -> Any:
        dim = _dimension_of(physical_type)
        key = ("physical_type", physical_type.lower().strip())
        if key not in _cache:
            _cache[key] = _DimensionCheck(
                f"PhysicalType_{key[1].replace(' ', '_')}",
                (),
                {"physical_type": key[1], "dimension": dim, "_key": key, "_label": f"PhysicalType({key[1]!r})"},
            )
        return _cache[key]


def is_physical_type(obj: Any) -> bool:
    """Was ``obj`` made by :class:`PhysicalType`?"""
    return isinstance(obj, _DimensionCheck) and obj._key[0] == "physical_type"


def quantity_type(item: Unit | str) -> type[Quantity]:
    """A class that ``isinstance`` accepts for Quantities with the dimension of ``item`` (a Unit,
    or a physical-type name): what brainunit's ``Quantity[item]`` gives."""
    if isinstance(item, Unit):
        key: tuple[Any, ...] = ("unit", item.dim, item.name)
        meta: Any = item
        dim = item.dim
        label = f"Quantity[{item}]"
    elif isinstance(item, str):
        meta = PhysicalType(item)
        dim = meta.dimension
        key = ("str", item.lower().strip())
        label = f"Quantity[{item!r}]"
    else:
        raise UnitTypeError(f"Quantity[...] expects a Unit or a physical-type name, got {type(item).__name__}")
    if key not in _cache:
        _cache[key] = _DimensionCheck(label, (), {"dimension": dim, "_key": key, "_label": label, "_metadata": meta})
    return _cache[key]


HAS_UNIT = Quantity
if TYPE_CHECKING:
    DIMENSIONLESS_TYPE = Quantity
    LENGTH = Quantity
    MASS = Quantity
    TIME = Quantity
    CURRENT = Quantity
    TEMPERATURE = Quantity
    SUBSTANCE = Quantity
    LUMINOSITY = Quantity
    FREQUENCY = Quantity
    FORCE = Quantity
    ENERGY = Quantity
    POWER = Quantity
    PRESSURE = Quantity
    CHARGE = Quantity
    VOLTAGE = Quantity
    RESISTANCE = Quantity
    CAPACITANCE = Quantity
    CONDUCTANCE = Quantity
    MAGNETIC_FLUX = Quantity
    MAGNETIC_FIELD = Quantity
    INDUCTANCE = Quantity
    SPEED = Quantity
    ACCELERATION = Quantity
    AREA = Quantity
    VOLUME = Quantity
    DENSITY = Quantity
else:
    DIMENSIONLESS_TYPE = quantity_type("dimensionless")
    LENGTH = quantity_type("length")
    MASS = quantity_type("mass")
    TIME = quantity_type("time")
    CURRENT = quantity_type("current")
    TEMPERATURE = quantity_type("temperature")
    SUBSTANCE = quantity_type("substance")
    LUMINOSITY = quantity_type("luminosity")
    FREQUENCY = quantity_type("frequency")
    FORCE = quantity_type("force")
    ENERGY = quantity_type("energy")
    POWER = quantity_type("power")
    PRESSURE = quantity_type("pressure")
    CHARGE = quantity_type("charge")
    VOLTAGE = quantity_type("voltage")
    RESISTANCE = quantity_type("resistance")
    CAPACITANCE = quantity_type("capacitance")
    CONDUCTANCE = quantity_type("conductance")
    MAGNETIC_FLUX = quantity_type("magnetic flux")
    MAGNETIC_FIELD = quantity_type("magnetic field")
    INDUCTANCE = quantity_type("inductance")
    SPEED = quantity_type("speed")
    ACCELERATION = quantity_type("acceleration")
    AREA = quantity_type("area")
    VOLUME = quantity_type("volume")
    DENSITY = quantity_type("density")


# -- run-time validation -------------------------------------------------------------------------


def _constraint(hint: Any) -> tuple[str, Any] | None:
    """``("unit", Unit)`` or ``("physical_type", PhysicalType)`` from an annotation, or None."""
    if isinstance(hint, _DimensionCheck):
        meta = getattr(hint, "_metadata", hint)
        return ("unit", meta) if isinstance(meta, Unit) else ("physical_type", meta)
    if get_origin(hint) is Annotated:
        for meta in hint.__metadata__:
            if isinstance(meta, Unit):
                return ("unit", meta)
            if isinstance(meta, _DimensionCheck):
                return _constraint(meta)
    return None


def validate_units(func: Callable[..., Any] | None = None, *, strict: bool = False) -> Any:
    """Check the arguments annotated with a unit or a physical type on every call.

    ``strict=True`` wants the very unit (``mV`` does not pass for ``V``); by default the
    dimension is enough.  A wrong dimension raises :class:`~brainunit_xp.DimensionMismatchError`,
    a wrong unit under ``strict`` :class:`~brainunit_xp.UnitMismatchError`, a value that is not a
    Quantity a ``TypeError``; ``None`` passes.
    """
    if func is None:
        return functools.partial(validate_units, strict=strict)
    try:
        hints = get_type_hints(func, include_extras=True)
    except Exception:
        hints = {}
    constraints = {n: c for n, h in hints.items() if n != "return" and (c := _constraint(h)) is not None}
    if not constraints:
        return func
    sig = inspect.signature(func)
    fname = getattr(func, "__name__", "function")

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        for name, (kind, ref) in constraints.items():
            value = bound.arguments.get(name)
            if value is None:
                continue
            if not isinstance(value, Quantity):
                raise UnitTypeError(f"Argument {name!r} of {fname!r} expected a Quantity, got {type(value).__name__}.")
            dim = ref.dim if kind == "unit" else ref.dimension
            if value.dim is not dim:
                expected = (
                    f"dimension compatible with {ref}" if kind == "unit" else f"physical type {ref.physical_type!r}"
                )
                raise DimensionMismatchError(
                    f"Argument {name!r} of {fname!r} expected {expected}, got {value.unit} ({value.dim.describe()})."
                )
            if kind == "unit" and strict and value.unit != ref:
                raise UnitMismatchError(f"Argument {name!r} of {fname!r} expected unit {ref}, got {value.unit}.")
        return func(*args, **kwargs)

    return wrapper
