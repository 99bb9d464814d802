"""Type aliases and the one tuple of Python scalar types, shared by every module."""

from __future__ import annotations

from typing import Any, TypeAlias

__all__ = ["SCALARS", "Array", "Scalar"]

#: an array of any backend (numpy, jax, torch, ...) or a Python number: the mantissa of a Quantity
Array: TypeAlias = Any

#: the Python number types: *weak* values that take the backend (and, for 0, inf and nan, the unit)
#: of what they meet.  ``bool`` is among them; it is never unit-free (booleans carry no unit).
SCALARS: tuple[type, ...] = (bool, int, float, complex)

Scalar: TypeAlias = bool | int | float | complex
