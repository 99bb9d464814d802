"""Generic implementations of brainunit's functions, composed from the array-API standard (one
module per family; each registers its functions in ``registry.GENERIC``)."""

from . import fft, linalg, reductions, shapes, statistics
from .registry import GENERIC, NEEDS, generic, usable

__all__ = ["GENERIC", "NEEDS", "fft", "generic", "linalg", "reductions", "shapes", "statistics", "usable"]
