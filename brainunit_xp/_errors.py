"""The error hierarchy: every failure of the unit layer raises one of these."""

from __future__ import annotations

__all__ = ["BrainUnitError", "UnitError", "DimensionMismatchError", "BackendError"]


class BrainUnitError(Exception):
    """Base class of every error raised by brainunit_xp."""


class UnitError(BrainUnitError, ValueError):
    """A unit is malformed, unknown, or not allowed for an operation."""


class DimensionMismatchError(UnitError):
    """Two units that an operation needs to agree have different dimensions."""


class BackendError(BrainUnitError, TypeError):
    """A backend is missing, mixed where it must not be, or asked for a value it cannot give.

    Raised when a backend is requested but not installed (the message carries the ``pip install``
    command), when a namespace receives an array of another backend (the message names the
    ``.to_<backend>()`` call), when a JAX-only feature meets another backend, and when a lazy
    (dask) value is asked for concretely.
    """
