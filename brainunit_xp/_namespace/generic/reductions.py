"""NaN-ignoring reductions and statistics, from standard functions."""

from __future__ import annotations

from typing import Any

from ..._types import Array
from .registry import generic

__all__ = [
    "amax",
    "amin",
    "cumprod",
    "cumsum",
    "nanargmax",
    "nanargmin",
    "nancumprod",
    "nancumsum",
    "nanmax",
    "nanmean",
    "nanmin",
    "nanprod",
    "nanstd",
    "nansum",
    "nanvar",
    "ptp",
]


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


# -- cumulative, nan-reductions, ptp (mathb) --------------------------------------------------------


def _flat(xp: Any, a: Array, axis: Any) -> tuple[Array, int]:
    """numpy's cumulative functions flatten when ``axis`` is None."""
    a = a if hasattr(a, "shape") else xp.asarray(a)
    return (xp.reshape(a, (-1,)), 0) if axis is None else (a, axis)


@generic("cumsum")
def cumsum(xp: Any, a: Array, axis: int | None = None, dtype: Any = None) -> Array:
    """Cumulative sum (of the flattened array when ``axis`` is None)."""
    a, axis = _flat(xp, a, axis)
    return xp.cumulative_sum(a, axis=axis, dtype=dtype)


def _scan_prod(xp: Any, a: Array, axis: int) -> Array:
    """Inclusive cumulative product along ``axis`` by doubling (Hillis-Steele): exact products only
    (ndonnx's ``cumulative_prod`` goes through logarithms and loses negative values)."""
    axis %= a.ndim
    n, step = a.shape[axis], 1
    while step < n:
        pad = xp.ones(tuple(step if d == axis else s for d, s in enumerate(a.shape)), dtype=a.dtype)
        head = a[(*(slice(None),) * axis, slice(0, n - step), ...)]
        a = a * xp.concat([pad, head], axis=axis)
        step *= 2
    return a


@generic("cumprod", "cumproduct")
def cumprod(xp: Any, a: Array, axis: int | None = None, dtype: Any = None) -> Array:
    """Cumulative product (of the flattened array when ``axis`` is None)."""
    a, axis = _flat(xp, a, axis)
    return _scan_prod(xp, a if dtype is None else xp.astype(a, dtype), axis)


@generic("nancumsum")
def nancumsum(xp: Any, a: Array, axis: int | None = None, dtype: Any = None) -> Array:
    """Cumulative sum treating NaN as zero."""
    a, axis = _flat(xp, a, axis)
    return xp.cumulative_sum(xp.where(xp.isnan(a), xp.zeros_like(a), a), axis=axis, dtype=dtype)


@generic("nancumprod")
def nancumprod(xp: Any, a: Array, axis: int | None = None, dtype: Any = None) -> Array:
    """Cumulative product treating NaN as one."""
    a, axis = _flat(xp, a, axis)
    return cumprod(xp, xp.where(xp.isnan(a), xp.ones_like(a), a), axis, dtype)


@generic("nanprod")
def nanprod(xp: Any, a: Array, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Array:
    """Product treating NaN as one."""
    return xp.prod(xp.where(xp.isnan(a), xp.ones_like(a), a), axis=axis, dtype=dtype, keepdims=keepdims)


@generic("nanvar")
def nanvar(xp: Any, a: Array, axis: Any = None, dtype: Any = None, ddof: float = 0, keepdims: bool = False) -> Array:
    """Variance of the non-NaN elements."""
    keep = ~xp.isnan(a)
    zero = xp.zeros_like(a)
    n = xp.astype(_axis_count(xp, keep, axis, True), a.dtype)
    mean = xp.sum(xp.where(keep, a, zero), axis=axis, keepdims=True) / n
    dev = xp.where(keep, a - mean, zero)
    sq = xp.real(dev * xp.conj(dev)) if xp.isdtype(a.dtype, "complex floating") else dev * dev
    out = xp.sum(sq, axis=axis, keepdims=True) / (n - ddof)
    if not keepdims:
        out = xp.squeeze(out, axis=tuple(range(a.ndim)) if axis is None else axis)
    return out if dtype is None else xp.astype(out, dtype)


@generic("nanstd")
def nanstd(xp: Any, a: Array, axis: Any = None, dtype: Any = None, ddof: float = 0, keepdims: bool = False) -> Array:
    """Standard deviation of the non-NaN elements."""
    return xp.sqrt(nanvar(xp, a, axis, dtype, ddof, keepdims))


@generic("nanargmax")
def nanargmax(xp: Any, a: Array, axis: int | None = None, keepdims: bool = False) -> Array:
    """Index of the largest non-NaN element."""
    return xp.argmax(xp.where(xp.isnan(a), xp.full_like(a, -xp.inf), a), axis=axis, keepdims=keepdims)


@generic("nanargmin")
def nanargmin(xp: Any, a: Array, axis: int | None = None, keepdims: bool = False) -> Array:
    """Index of the smallest non-NaN element."""
    return xp.argmin(xp.where(xp.isnan(a), xp.full_like(a, xp.inf), a), axis=axis, keepdims=keepdims)


@generic("ptp")
def ptp(xp: Any, a: Array, axis: Any = None, keepdims: bool = False) -> Array:
    """Range of values: maximum minus minimum."""
    return xp.max(a, axis=axis, keepdims=keepdims) - xp.min(a, axis=axis, keepdims=keepdims)


def _extreme(xp: Any, a: Array, axis: Any, keepdims: bool, initial: Any, where: Any, largest: bool) -> Array:
    a = a if hasattr(a, "shape") else xp.asarray(a)
    reduce, combine = (xp.max, xp.maximum) if largest else (xp.min, xp.minimum)
    if where is not None:
        if initial is None:
            raise ValueError("reduction with a where mask needs an initial value")
        a = xp.where(xp.asarray(where), a, xp.full_like(a, initial))
    out = reduce(a, axis=axis, keepdims=keepdims)
    return out if initial is None else combine(out, xp.asarray(initial, dtype=out.dtype))


@generic("amax")
def amax(xp: Any, a: Array, axis: Any = None, keepdims: bool = False, initial: Any = None, where: Any = None) -> Array:
    """Maximum (at least ``initial``; over the elements ``where`` keeps)."""
    return _extreme(xp, a, axis, keepdims, initial, where, largest=True)


@generic("amin")
def amin(xp: Any, a: Array, axis: Any = None, keepdims: bool = False, initial: Any = None, where: Any = None) -> Array:
    """Minimum (at most ``initial``; over the elements ``where`` keeps)."""
    return _extreme(xp, a, axis, keepdims, initial, where, largest=False)
