"""Generic implementations of brainunit's functions, composed from the array-API standard (one
module per family; each registers its functions in ``registry.GENERIC``)."""

from . import activations, creation, einstein, elementwise, reductions, windows
from .registry import GENERIC, generic

__all__ = ["GENERIC", "activations", "creation", "einstein", "elementwise", "generic", "reductions", "windows"]
