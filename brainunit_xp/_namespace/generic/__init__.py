"""Generic implementations of brainunit's functions, composed from the array-API standard (one
module per family; each registers its functions in ``registry.GENERIC``)."""

from . import activations, creation, einstein, elementwise, fft, linalg, reductions, shapes, statistics, windows
from .registry import GENERIC, NEEDS, generic, usable

__all__ = [
    "GENERIC",
    "NEEDS",
    "activations",
    "creation",
    "einstein",
    "elementwise",
    "fft",
    "generic",
    "linalg",
    "reductions",
    "shapes",
    "statistics",
    "usable",
    "windows",
]
