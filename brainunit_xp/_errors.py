"""The error hierarchy: every failure of the unit layer raises one of these."""

from __future__ import annotations

__all__ = [
    "BackendError",
    "BackendNotImplementedError",
    "BrainUnitError",
    "DimensionMismatchError",
    "NoUnitRuleError",
    "UnitError",
    "UnitMismatchError",
    "UnitTypeError",
    "wrong_backend",
]


class BrainUnitError(Exception):
    """Base class of every error raised by brainunit_xp."""


class UnitError(BrainUnitError, ValueError):
    """A unit is malformed, unknown, or not allowed for an operation."""


class UnitTypeError(UnitError, TypeError):
    """A value of the wrong kind where a unit matters: one of our :class:`UnitError` s, and a
    ``TypeError`` where brainunit raises ``TypeError`` (so its ``except`` clauses still catch it)."""


class UnitMismatchError(UnitError):
    """Two units that an operation needs to agree differ (brainunit's name and signature).

    ``UnitMismatchError(description, *units)``: the units, if given, are appended to the message
    as brainunit does (``"... (units are mV and nA)."``) and kept in ``.units``; ``.desc`` is the
    description.  :class:`DimensionMismatchError` derives from it, so brainunit code that catches
    ``UnitMismatchError`` around an addition of incompatible quantities catches ours too.
    """

    def __init__(self, description: object = "", *units: object) -> None:
        super().__init__(description, *units)
        self.desc = description
        self.units: tuple[object, ...] = units

    def __str__(self) -> str:
        text, units = str(self.desc), [str(x) or "1" for x in self.units]
        if len(units) == 1:
            return f"{text} (unit is {units[0]})."
        if len(units) == 2:
            return f"{text} (units are {units[0]} and {units[1]})."
        return f"{text} (units are {', '.join(units)})." if units else text


class DimensionMismatchError(UnitMismatchError):
    """Two units that an operation needs to agree have different dimensions.

    ``DimensionMismatchError(description, *dims)`` as in brainunit; ``.dims`` holds the dimensions.
    """

    @property
    def dims(self) -> tuple[object, ...]:
        return self.units


class NoUnitRuleError(UnitError, TypeError):
    """A function that has no declared unit rule met a Quantity (a NumPy function reached through
    ``__array_function__`` / ``__array_ufunc__``, a ufunc method, an option with no unit-aware
    counterpart).  A ``TypeError`` too, as NumPy raises for a function that a type does not implement."""


class BackendError(BrainUnitError, TypeError):
    """A backend is missing, mixed where it must not be, or asked for a value it cannot give.

    Raised when a backend is requested but not installed (the message carries the ``pip install``
    command), when a namespace receives an array of another backend (the message names the
    ``.to_<backend>()`` call), when a JAX-only feature meets another backend, and when a lazy
    (dask) value is asked for concretely.
    """


class BackendNotImplementedError(BackendError, NotImplementedError):
    """A backend that cannot do an operation at all (dask's indexing with an n-d integer array):
    one of our :class:`BackendError` s, and a ``NotImplementedError`` where brainunit raises that."""


def wrong_backend(op: str, got: str, expected: str, what: str = "an array", hint: str = "") -> BackendError:
    """The one error for an input of backend ``got`` where ``op`` computes with ``expected``."""
    return BackendError(
        f"{op}: requires the {expected} backend; got {what} of the {got} backend. "
        f"Call .to_{expected}() on it first{hint}."
    )
