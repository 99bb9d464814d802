"""Generic implementations of brainunit's functions, composed from the array-API standard (one
module per family; each registers its functions in ``registry.GENERIC``)."""

from . import reductions
from .registry import GENERIC, generic

__all__ = ["GENERIC", "generic", "reductions"]
