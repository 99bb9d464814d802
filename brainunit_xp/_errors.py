"""The error hierarchy: every failure of the unit layer raises one of these."""

from __future__ import annotations

__all__ = ["BackendError", "BrainUnitError", "DimensionMismatchError", "UnitError", "wrong_backend"]


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


def wrong_backend(op: str, got: str, expected: str, what: str = "an array", hint: str = "") -> BackendError:
    """The one error for an input of backend ``got`` where ``op`` computes with ``expected``."""
    return BackendError(
        f"{op}: requires the {expected} backend; got {what} of the {got} backend. "
        f"Call .to_{expected}() on it first{hint}."
    )
