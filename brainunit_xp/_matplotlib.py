"""Quantities on matplotlib axes: a units converter for ``matplotlib.units.registry``.

With it, ``plt.plot(t, v)`` takes Quantities of any backend: each axis takes the unit of the first
data plotted on it and shows it as its label; later data in a unit of the same dimension is
converted to the axis' unit (``mV`` on a ``V`` axis), data of another dimension is refused with
matplotlib's ``ConversionError``.  Plain numbers pass through as values in the axis' unit.

The converter is registered as soon as ``matplotlib.units`` is imported (before or after
brainunit_xp: an import hook waits for it, without importing matplotlib itself);
:func:`enable_matplotlib_support` registers it again, e.g. after the registry was cleared.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from ._getters import numpy_values
from ._import_hooks import when_imported
from ._quantity import Quantity

__all__ = ["enable_matplotlib_support", "install"]

_MODULE = "matplotlib.units"


def _contains_quantity(value: Any) -> bool:
    if isinstance(value, Quantity):
        return True
    if isinstance(value, (list, tuple)):
        return any(_contains_quantity(v) for v in value)
    return False


def _first_unit(value: Any) -> Any:
    if isinstance(value, Quantity):
        return value.unit
    if isinstance(value, (list, tuple)):
        for v in value:
            unit = _first_unit(v)
            if unit is not None:
                return unit
    return None


def _make_converter(units: ModuleType) -> Any:
    class QuantityConverter(units.ConversionInterface):  # type: ignore[name-defined]
        """Converts Quantities to plain numbers in the axis' unit, labels the axis with it."""

        @staticmethod
        def axisinfo(unit: Any, axis: Any) -> Any:
            if unit is None:
                return None
            if getattr(unit, "is_one", False):
                return units.AxisInfo()
            return units.AxisInfo(label=str(unit))

        @staticmethod
        def default_units(x: Any, axis: Any) -> Any:
            return _first_unit(x)

        @staticmethod
        def convert(value: Any, unit: Any, axis: Any) -> Any:
            if not _contains_quantity(value):
                return value  # already in axis units (matplotlib converts some values twice)
            try:
                q = value if isinstance(value, Quantity) else Quantity(value)
            except Exception as exc:
                raise units.ConversionError(
                    f"cannot plot {type(value).__name__}: its items are not Quantities of one dimension ({exc})"
                ) from exc
            if unit is None:
                return numpy_values(q.mantissa)
            if q.dim is not unit.dim:
                raise units.ConversionError(
                    f"cannot plot values in {q.unit} ({q.dim.describe()}) on an axis in {unit} "
                    f"({unit.dim.describe()}): the dimensions differ. Plot them on another axis "
                    f"(ax.twinx()), or convert them first."
                )
            return numpy_values(q.to_value(unit))

    QuantityConverter.__module__ = "brainunit_xp"
    return QuantityConverter


def _register(units: ModuleType) -> bool:
    registry = getattr(units, "registry", None)
    if registry is None or not hasattr(units, "ConversionInterface"):
        return False
    registry[Quantity] = _make_converter(units)()
    return True


def enable_matplotlib_support(units_module: Any = None) -> bool:
    """Register the Quantity converter in matplotlib's units registry (imports matplotlib).

    Returns ``True`` on success, ``False`` when matplotlib is not installed
    (``pip install "brainunit-xp[plot]"``).  ``units_module`` is a ``matplotlib.units``-like
    module to register with instead (for tests).
    """
    if units_module is None:
        try:
            import matplotlib.units as units_module
        except ImportError:
            return False
    return _register(units_module)


def install() -> None:
    """Register now if ``matplotlib.units`` is imported, else as soon as it is."""
    when_imported(_MODULE, _register, lambda module: True)
