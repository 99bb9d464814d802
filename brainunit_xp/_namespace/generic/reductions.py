"""NaN-ignoring reductions and statistics, from standard functions."""

from __future__ import annotations

from typing import Any

from ..._types import Array
from .registry import generic

__all__ = ["nanmax", "nanmean", "nanmin", "nansum"]


def _axis_count(xp: Any, keep: Array, axis: Any, keepdims: bool) -> Array:
    return xp.sum(xp.astype(keep, xp.int64 if hasattr(xp, "int64") else xp.int32), axis=axis, keepdims=keepdims)


@generic("nansum")
def nansum(xp: Any, a: Array, axis: Any = None, keepdims: bool = False) -> Array:
    """Sum treating NaN as zero."""
    return xp.sum(xp.where(xp.isnan(a), xp.zeros_like(a), a), axis=axis, keepdims=keepdims)


@generic("nanmean")
def nanmean(xp: Any, a: Array, axis: Any = None, keepdims: bool = False) -> Array:
    """Mean of the non-NaN elements (NaN where there are none)."""
    keep = ~xp.isnan(a)
    total = xp.sum(xp.where(keep, a, xp.zeros_like(a)), axis=axis, keepdims=keepdims)
    return total / xp.astype(_axis_count(xp, keep, axis, keepdims), total.dtype)


@generic("nanmax")
def nanmax(xp: Any, a: Array, axis: Any = None, keepdims: bool = False) -> Array:
    """Maximum of the non-NaN elements (NaN where there are none)."""
    out = xp.max(xp.where(xp.isnan(a), xp.full_like(a, -xp.inf), a), axis=axis, keepdims=keepdims)
    empty = xp.all(xp.isnan(a), axis=axis, keepdims=keepdims)
    return xp.where(empty, xp.full_like(out, xp.nan), out)


@generic("nanmin")
def nanmin(xp: Any, a: Array, axis: Any = None, keepdims: bool = False) -> Array:
    """Minimum of the non-NaN elements (NaN where there are none)."""
    out = xp.min(xp.where(xp.isnan(a), xp.full_like(a, xp.inf), a), axis=axis, keepdims=keepdims)
    empty = xp.all(xp.isnan(a), axis=axis, keepdims=keepdims)
    return xp.where(empty, xp.full_like(out, xp.nan), out)
