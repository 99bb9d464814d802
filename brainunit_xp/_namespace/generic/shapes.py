"""Stacking, splitting, rearranging, indexing and sets, from standard functions (numpy's semantics)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

from ..._types import Array
from .registry import generic

__all__ = [
    "append",
    "argwhere",
    "array_split",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "block",
    "choose",
    "column_stack",
    "compress",
    "diagonal",
    "digitize",
    "dsplit",
    "dstack",
    "ediff1d",
    "extract",
    "flatnonzero",
    "flatten",
    "fliplr",
    "flipud",
    "gather",
    "hsplit",
    "hstack",
    "intersect1d",
    "ravel",
    "rot90",
    "select",
    "split",
    "swapaxes",
    "trace",
    "transpose",
    "unique",
    "vsplit",
    "vstack",
]


def asarray(xp: Any, x: Any) -> Array:
    """``x`` as an array of ``xp`` (arrays pass through)."""
    return x if hasattr(x, "shape") and hasattr(x, "dtype") else xp.asarray(x)


def along(ndim: int, axis: int, key: Any) -> tuple[Any, ...]:
    """The indexing key that applies ``key`` (a slice or an int) along ``axis`` only."""
    return (*(slice(None),) * (axis % ndim), key, ...)


def _atleast(xp: Any, x: Any, n: int) -> Array:
    x = asarray(xp, x)
    if x.ndim >= n:
        return x
    if n == 1 or x.ndim == 0:
        return xp.reshape(x, (1,) * n)
    if n == 2 or x.ndim == 2:  # (N,) -> (1, N); (M, N) -> (M, N, 1)
        return xp.expand_dims(x, axis=0) if n == 2 else xp.expand_dims(x, axis=2)
    return xp.reshape(x, (1, x.shape[0], 1))  # (N,) -> (1, N, 1)


def _each(xp: Any, arrays: tuple[Any, ...], n: int) -> Any:
    out = tuple(_atleast(xp, a, n) for a in arrays)
    return out[0] if len(out) == 1 else out


@generic("atleast_1d")
def atleast_1d(xp: Any, *arrays: Any) -> Any:
    """Each array with at least one dimension."""
    return _each(xp, arrays, 1)


@generic("atleast_2d")
def atleast_2d(xp: Any, *arrays: Any) -> Any:
    """Each array with at least two dimensions (a vector becomes a row)."""
    return _each(xp, arrays, 2)


@generic("atleast_3d")
def atleast_3d(xp: Any, *arrays: Any) -> Any:
    """Each array with at least three dimensions (numpy's placement)."""
    return _each(xp, arrays, 3)


@generic("vstack", "row_stack")
def vstack(xp: Any, arrays: Sequence[Any], **kwargs: Any) -> Array:
    """Stack along the first axis (vectors as rows)."""
    return xp.concat([_atleast(xp, a, 2) for a in arrays], axis=0, **kwargs)


@generic("hstack")
def hstack(xp: Any, arrays: Sequence[Any], **kwargs: Any) -> Array:
    """Stack along the second axis (the first, for vectors)."""
    items = [_atleast(xp, a, 1) for a in arrays]
    return xp.concat(items, axis=0 if items and items[0].ndim == 1 else 1, **kwargs)


@generic("dstack")
def dstack(xp: Any, arrays: Sequence[Any]) -> Array:
    """Stack along the third axis."""
    return xp.concat([_atleast(xp, a, 3) for a in arrays], axis=2)


@generic("column_stack")
def column_stack(xp: Any, arrays: Sequence[Any]) -> Array:
    """Stack vectors as the columns of a matrix."""
    items = [asarray(xp, a) for a in arrays]
    return xp.concat([a if a.ndim >= 2 else xp.reshape(a, (-1, 1)) for a in items], axis=1)


def _depth(x: Any) -> int:
    return 1 + max((_depth(i) for i in x), default=0) if isinstance(x, list) else 0


def _leaves(x: Any) -> list[Any]:
    return [leaf for item in x for leaf in _leaves(item)] if isinstance(x, list) else [x]


@generic("block")
def block(xp: Any, arrays: Any) -> Array:
    """Assemble an array from nested lists of blocks: the innermost lists along the last axis."""
    if not isinstance(arrays, list):
        return asarray(xp, arrays)
    depth = _depth(arrays)
    ndim = max([depth, *(asarray(xp, leaf).ndim for leaf in _leaves(arrays))])

    def build(x: Any, level: int) -> Array:
        if isinstance(x, list):
            return xp.concat([build(item, level + 1) for item in x], axis=ndim - depth + level)
        a = asarray(xp, x)
        return xp.reshape(a, (1,) * (ndim - a.ndim) + tuple(a.shape))

    return build(arrays, 0)


@generic("append")
def append(xp: Any, arr: Any, values: Any, axis: int | None = None) -> Array:
    """``arr`` with ``values`` appended (both flattened when ``axis`` is None)."""
    arr, values = asarray(xp, arr), asarray(xp, values)
    if axis is None:
        return xp.concat([xp.reshape(arr, (-1,)), xp.reshape(values, (-1,))])
    return xp.concat([arr, values], axis=axis)


def _split(xp: Any, a: Array, sections: Any, axis: int, equal: bool) -> list[Array]:
    n = a.shape[axis]
    if isinstance(sections, int) or getattr(sections, "ndim", 1) == 0:
        parts = int(sections)
        if parts <= 0:
            raise ValueError("number sections must be larger than 0.")
        if equal and n % parts:
            raise ValueError("array split does not result in an equal division")
        size, extra = divmod(n, parts)
        bounds = [0]
        for i in range(parts):
            bounds.append(bounds[-1] + size + (1 if i < extra else 0))
    else:
        bounds = [0, *(int(i) for i in sections), n]
    bounds = [min(max(b + n if b < 0 else b, 0), n) for b in bounds]
    return [a[along(a.ndim, axis, slice(lo, max(lo, hi)))] for lo, hi in itertools.pairwise(bounds)]


@generic("split")
def split(xp: Any, ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Array]:
    """Split into equal sections, or at the given indices."""
    return _split(xp, asarray(xp, ary), indices_or_sections, axis, equal=True)


@generic("array_split")
def array_split(xp: Any, ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Array]:
    """Split into sections (the first ones one longer where they cannot be equal), or at indices."""
    return _split(xp, asarray(xp, ary), indices_or_sections, axis, equal=False)


def _dim_split(xp: Any, ary: Any, sections: Any, least: int, axis: int) -> list[Array]:
    a = asarray(xp, ary)
    if a.ndim < least:
        raise ValueError(f"this split works only on arrays of {least} or more dimensions")
    return _split(xp, a, sections, axis, equal=True)


@generic("hsplit")
def hsplit(xp: Any, ary: Any, indices_or_sections: Any) -> list[Array]:
    """Split along the second axis (the first, for vectors)."""
    a = asarray(xp, ary)
    return _dim_split(xp, a, indices_or_sections, 1, 1 if a.ndim > 1 else 0)


@generic("vsplit")
def vsplit(xp: Any, ary: Any, indices_or_sections: Any) -> list[Array]:
    """Split along the first axis."""
    return _dim_split(xp, ary, indices_or_sections, 2, 0)


@generic("dsplit")
def dsplit(xp: Any, ary: Any, indices_or_sections: Any) -> list[Array]:
    """Split along the third axis."""
    return _dim_split(xp, ary, indices_or_sections, 3, 2)


@generic("ravel")
def ravel(xp: Any, a: Any, order: str = "C") -> Array:
    """The elements as a vector, in row-major order."""
    if order != "C":
        raise ValueError(f"ravel: only order='C' is available on this backend, got {order!r}")
    return xp.reshape(asarray(xp, a), (-1,))


@generic("flatten")
def flatten(xp: Any, x: Any, start_axis: int | None = None, end_axis: int | None = None) -> Array:
    """brainunit's ``flatten``: the axes ``start_axis`` to ``end_axis`` (inclusive) merged into one."""
    x = asarray(xp, x)
    shape, ndim = tuple(x.shape), max(x.ndim, 1)
    start = 0 if start_axis is None else start_axis % ndim
    end = ndim - 1 if end_axis is None else end_axis % ndim
    if x.ndim == 0:
        return xp.reshape(x, (1,))
    return xp.reshape(x, (*shape[:start], math.prod(shape[start : end + 1]), *shape[end + 1 :]))


@generic("transpose")
def transpose(xp: Any, a: Any, axes: Sequence[int] | None = None) -> Array:
    """The axes permuted (reversed by default)."""
    a = asarray(xp, a)
    return xp.permute_dims(a, tuple(reversed(range(a.ndim))) if axes is None else tuple(axes))


@generic("swapaxes")
def swapaxes(xp: Any, a: Any, axis1: int, axis2: int) -> Array:
    """Two axes interchanged."""
    a = asarray(xp, a)
    order = list(range(a.ndim))
    i, j = axis1 % a.ndim, axis2 % a.ndim
    order[i], order[j] = order[j], order[i]
    return xp.permute_dims(a, tuple(order))


@generic("fliplr")
def fliplr(xp: Any, m: Any) -> Array:
    """Reversed along the second axis."""
    m = asarray(xp, m)
    if m.ndim < 2:
        raise ValueError("fliplr: the input must have at least 2 dimensions")
    return xp.flip(m, axis=1)


@generic("flipud")
def flipud(xp: Any, m: Any) -> Array:
    """Reversed along the first axis."""
    m = asarray(xp, m)
    if m.ndim < 1:
        raise ValueError("flipud: the input must have at least 1 dimension")
    return xp.flip(m, axis=0)


@generic("rot90")
def rot90(xp: Any, m: Any, k: int = 1, axes: tuple[int, int] = (0, 1)) -> Array:
    """Rotated by 90 degrees ``k`` times in the plane of ``axes``, from the first towards the second."""
    m = asarray(xp, m)
    a0, a1 = axes[0] % m.ndim, axes[1] % m.ndim
    if a0 == a1:
        raise ValueError("rot90: the axes must be different")
    k %= 4
    if k == 0:
        return m
    if k == 2:
        return xp.flip(xp.flip(m, axis=a0), axis=a1)
    order = list(range(m.ndim))
    order[a0], order[a1] = order[a1], order[a0]
    if k == 1:
        return xp.permute_dims(xp.flip(m, axis=a1), tuple(order))
    return xp.flip(xp.permute_dims(m, tuple(order)), axis=a1)


@generic("diagonal")
def diagonal(xp: Any, a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Array:
    """The diagonal of the plane of ``axis1`` and ``axis2``, as the last axis."""
    a = asarray(xp, a)
    i, j = axis1 % a.ndim, axis2 % a.ndim
    rest = [d for d in range(a.ndim) if d not in (i, j)]
    a = xp.permute_dims(a, (*rest, i, j))
    n, m = a.shape[-2], a.shape[-1]
    length = max(0, min(n, m - offset) if offset >= 0 else min(n + offset, m))
    rows = xp.arange(length) + max(0, -offset)
    flat = xp.reshape(a, (*a.shape[:-2], n * m))
    return xp.take(flat, rows * m + rows + offset, axis=flat.ndim - 1)


@generic("trace")
def trace(xp: Any, a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None) -> Array:
    """The sum along a diagonal."""
    d = diagonal(xp, a, offset, axis1, axis2)
    return xp.sum(d, axis=d.ndim - 1, dtype=dtype)


@generic("choose")
def choose(xp: Any, a: Any, choices: Sequence[Any], mode: str = "raise") -> Array:
    """Element ``i`` from ``choices[a[i]]`` (``mode``: raise, wrap or clip out-of-range indices)."""
    idx, *cs = xp.broadcast_arrays(asarray(xp, a), *(asarray(xp, c) for c in choices))
    n = len(cs)
    if mode == "wrap":
        idx = idx % n
    elif mode == "clip":
        idx = xp.clip(idx, 0, n - 1)
    elif bool(xp.any((idx < 0) | (idx >= n))):
        raise ValueError("invalid entry in choice array")
    out = cs[0]
    for j in range(1, n):
        out = xp.where(idx == j, cs[j], out)
    return out


@generic("compress")
def compress(xp: Any, condition: Any, a: Any, axis: int | None = None) -> Array:
    """The slices of ``a`` along ``axis`` (of its elements, flattened) where ``condition`` is true."""
    a = asarray(xp, a)
    if axis is None:
        a, axis = xp.reshape(a, (-1,)), 0
    c = xp.reshape(asarray(xp, condition), (-1,))
    c = c[: min(c.shape[0], a.shape[axis])]
    return xp.take(a, xp.nonzero(c)[0], axis=axis % a.ndim)


@generic("extract")
def extract(xp: Any, condition: Any, arr: Any) -> Array:
    """The elements of ``arr`` where ``condition`` is non-zero (both flattened)."""
    c = xp.reshape(asarray(xp, condition), (-1,))
    return xp.take(xp.reshape(asarray(xp, arr), (-1,)), xp.nonzero(c)[0])


@generic("select")
def select(xp: Any, condlist: Sequence[Any], choicelist: Sequence[Any], default: Any = 0) -> Array:
    """From the first choice whose condition holds, else ``default``."""
    choices = [asarray(xp, c) for c in choicelist]
    out = xp.asarray(default, dtype=xp.result_type(*choices)) if choices else asarray(xp, default)
    for cond, choice in reversed(list(zip(condlist, choices, strict=True))):
        out = xp.where(asarray(xp, cond), choice, out)
    return out


@generic("gather", needs=("take_along_axis",))
def gather(xp: Any, x: Any, dim: int, index: Any) -> Array:
    """torch's ``gather``: ``out[i][j] = x[i][index[i][j]]`` for ``dim=1`` (index may be smaller)."""
    x, index = asarray(xp, x), asarray(xp, index)
    d = dim % x.ndim
    key = tuple(slice(None) if k == d else slice(0, index.shape[k]) for k in range(x.ndim))
    return xp.take_along_axis(x[key], xp.astype(index, xp.int64), axis=d)


@generic("argwhere")
def argwhere(xp: Any, a: Any) -> Array:
    """The indices of the non-zero elements, one row per element."""
    a = asarray(xp, a)
    if a.ndim == 0:
        return argwhere(xp, xp.reshape(a, (1,)))[:, :0]
    return xp.stack(xp.nonzero(a), axis=-1)


@generic("flatnonzero")
def flatnonzero(xp: Any, a: Any) -> Array:
    """The indices of the non-zero elements of the flattened array."""
    return xp.nonzero(xp.reshape(asarray(xp, a), (-1,)))[0]


def _sorted_unique(xp: Any, x: Array) -> tuple[Array, Array, Array, Array]:
    """values (sorted), indices of their first occurrences, inverse indices, counts: by a stable sort."""
    order = xp.argsort(x, stable=True)
    s = xp.take(x, order)
    n = s.shape[0]
    new = xp.concat([xp.ones((min(n, 1),), dtype=xp.bool), s[1:] != s[:-1]])
    starts = xp.nonzero(new)[0]
    group = xp.cumulative_sum(xp.astype(new, xp.int64)) - 1
    inverse = xp.take(group, xp.argsort(order))
    counts = xp.diff(xp.concat([starts, xp.asarray([n], dtype=starts.dtype)]))
    return xp.take(s, starts), xp.take(order, starts), inverse, counts


@generic("unique")
def unique(
    xp: Any,
    ar: Any,
    return_index: bool = False,
    return_inverse: bool = False,
    return_counts: bool = False,
    axis: int | None = None,
    *,
    equal_nan: bool = True,
) -> Any:
    """numpy's ``unique``: the sorted unique elements, with first indices, inverse and counts."""
    if axis is not None:
        raise NotImplementedError("unique(axis=...) needs numpy's unique: use the numpy, jax, cupy or dask backend")
    a = asarray(xp, ar)
    x = xp.reshape(a, (-1,))
    if not (return_index or return_inverse or return_counts):
        return _sorted_unique(xp, x)[0]
    values, first, inverse, counts = _sorted_unique(xp, x)
    out = [values]
    out += [first] if return_index else []
    out += [xp.reshape(inverse, tuple(a.shape))] if return_inverse else []
    out += [counts] if return_counts else []
    return tuple(out)


def _member(xp: Any, sorted_values: Array, x: Array) -> tuple[Array, Array]:
    """Is each of ``x`` in ``sorted_values``, and where (a position to use where it is)."""
    n = sorted_values.shape[0]
    if n == 0:
        return xp.zeros(x.shape, dtype=xp.bool), xp.zeros(x.shape, dtype=xp.int64)
    pos = xp.clip(xp.searchsorted(sorted_values, x), 0, n - 1)
    return xp.take(sorted_values, pos) == x, pos


@generic("intersect1d", eager=True)
def intersect1d(xp: Any, ar1: Any, ar2: Any, assume_unique: bool = False, return_indices: bool = False) -> Any:
    """The sorted unique values in both arrays (and where they first occur in each)."""
    a1, a2 = xp.reshape(asarray(xp, ar1), (-1,)), xp.reshape(asarray(xp, ar2), (-1,))
    v1, i1, _, _ = _sorted_unique(xp, a1)
    v2, i2, _, _ = _sorted_unique(xp, a2)
    found, pos = _member(xp, v2, v1)
    keep = xp.nonzero(found)[0]
    common = xp.take(v1, keep)
    if not return_indices:
        return common
    return common, xp.take(i1, keep), xp.take(i2, xp.take(pos, keep))


@generic("digitize")
def digitize(xp: Any, x: Any, bins: Any, right: bool = False) -> Array:
    """The index of the bin of each value (bins increasing or decreasing)."""
    x, bins = asarray(xp, x), asarray(xp, bins)
    side = "left" if right else "right"
    if bins.shape[0] > 1 and bool(bins[-1] < bins[0]):
        return bins.shape[0] - xp.searchsorted(xp.flip(bins), x, side=side)
    return xp.searchsorted(bins, x, side=side)


@generic("ediff1d")
def ediff1d(xp: Any, ary: Any, to_end: Any = None, to_begin: Any = None) -> Array:
    """The differences of consecutive elements of the flattened array, with values before and after."""
    d = xp.diff(xp.reshape(asarray(xp, ary), (-1,)))
    parts = [xp.reshape(xp.astype(asarray(xp, v), d.dtype), (-1,)) for v in (to_begin,) if v is not None]
    parts.append(d)
    parts += [xp.reshape(xp.astype(asarray(xp, v), d.dtype), (-1,)) for v in (to_end,) if v is not None]
    return xp.concat(parts) if len(parts) > 1 else d
