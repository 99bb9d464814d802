"""brainunit's creation functions and matrix helpers beyond the standard's (numpy's names), from
standard functions and array-api-extra, for backends without a numpy-like module."""

from __future__ import annotations

import math
from typing import Any

from ..._types import Array
from .registry import generic

__all__ = [
    "array", "diag", "diag_indices_from", "diagflat", "fill_diagonal", "from_numpy", "identity", "logspace",
    "promote_dtypes", "remove_diag", "tri", "tril_indices", "tril_indices_from", "triu_indices", "triu_indices_from",
    "unflatten", "vander",
]  # fmt: skip


@generic("array")
def array(xp: Any, obj: Any, dtype: Any = None, *, copy: bool | None = True, **kwargs: Any) -> Array:
    """numpy's ``array``: ``asarray`` that copies by default."""
    return xp.asarray(obj, dtype=dtype, copy=copy, **kwargs)


@generic("from_numpy")
def from_numpy(xp: Any, x: Any, dtype: Any = None) -> Array:
    """A numpy array (or anything ``asarray`` takes) as an array of the namespace."""
    return xp.asarray(x, dtype=dtype)


@generic("identity")
def identity(xp: Any, n: int, dtype: Any = None, **kwargs: Any) -> Array:
    """The n x n identity matrix."""
    return xp.eye(n, dtype=dtype, **kwargs)


@generic("tri")
def tri(xp: Any, N: int, M: int | None = None, k: int = 0, dtype: Any = None, **kwargs: Any) -> Array:
    """Ones at and below the k-th diagonal of an N x M matrix, zeros elsewhere."""
    return xp.tril(xp.ones((N, N if M is None else M), dtype=dtype, **kwargs), k=k)


@generic("logspace")
def logspace(
    xp: Any,
    start: Any,
    stop: Any,
    num: int = 50,
    endpoint: bool = True,
    base: float = 10.0,
    dtype: Any = None,
    axis: int = 0,
) -> Array:
    """``base ** linspace(start, stop, num)``."""
    out = base ** xp.linspace(start, stop, num, endpoint=endpoint)
    return out if dtype is None else xp.astype(out, dtype)


@generic("tril_indices")
def tril_indices(xp: Any, n: int, k: int = 0, m: int | None = None) -> tuple[Array, Array]:
    """Row and column indices of the lower triangle of an n x m matrix (to the k-th diagonal)."""
    import array_api_extra as xpx

    return xpx.tril_indices(n, offset=k, m=m, xp=xp)


@generic("triu_indices")
def triu_indices(xp: Any, n: int, k: int = 0, m: int | None = None) -> tuple[Array, Array]:
    """Row and column indices of the upper triangle of an n x m matrix (from the k-th diagonal)."""
    import array_api_extra as xpx

    return xpx.triu_indices(n, offset=k, m=m, xp=xp)


@generic("tril_indices_from")
def tril_indices_from(xp: Any, arr: Array, k: int = 0) -> tuple[Array, Array]:
    """``tril_indices`` of the shape of a matrix."""
    return tril_indices(xp, arr.shape[-2], k, arr.shape[-1])


@generic("triu_indices_from")
def triu_indices_from(xp: Any, arr: Array, k: int = 0) -> tuple[Array, Array]:
    """``triu_indices`` of the shape of a matrix."""
    return triu_indices(xp, arr.shape[-2], k, arr.shape[-1])


@generic("diag_indices_from")
def diag_indices_from(xp: Any, arr: Array) -> tuple[Array, ...]:
    """The indices of the main diagonal of an array whose dimensions all have the same size."""
    import array_api_extra as xpx

    if len(set(arr.shape)) != 1 or arr.ndim < 2:
        raise ValueError(f"diag_indices_from: needs at least 2 dimensions, all of the same size; got shape {arr.shape}")
    return xpx.diag_indices(arr.shape[0], ndim=arr.ndim, xp=xp)


def _diagonal(xp: Any, v: Array, k: int) -> Array:
    """The k-th diagonal of a matrix (``take`` on the flattened matrix: every backend has it)."""
    n, m = v.shape
    length = max(0, min(n, m - k) if k >= 0 else min(n + k, m))
    first = k if k >= 0 else -k * m
    idx = xp.arange(first, first + length * (m + 1), m + 1) if length else xp.arange(0)
    return xp.take(xp.reshape(v, (-1,)), xp.astype(idx, xp.int64 if hasattr(xp, "int64") else xp.int32))


@generic("diag")
def diag(xp: Any, v: Array, k: int = 0) -> Array:
    """A 1-d array as the k-th diagonal of a square matrix, or a matrix's k-th diagonal."""
    import array_api_extra as xpx

    if v.ndim == 1:
        return xpx.create_diagonal(v, offset=k, xp=xp)
    if v.ndim == 2:
        return _diagonal(xp, v, k)
    raise ValueError(f"diag: needs a 1-d or 2-d array, got {v.ndim} dimensions")


@generic("diagflat")
def diagflat(xp: Any, v: Array, k: int = 0) -> Array:
    """The flattened input as the k-th diagonal of a square matrix."""
    return diag(xp, xp.reshape(v, (-1,)), k)


@generic("vander")
def vander(xp: Any, x: Array, N: int | None = None, increasing: bool = False) -> Array:
    """The Vandermonde matrix: columns are powers of x (decreasing unless ``increasing``)."""
    n = x.shape[0] if N is None else N
    powers = xp.arange(n) if increasing else xp.arange(n - 1, -1, -1)
    return xp.reshape(x, (-1, 1)) ** xp.astype(xp.reshape(powers, (1, -1)), x.dtype)


@generic("fill_diagonal")
def fill_diagonal(xp: Any, a: Array, val: Any, wrap: bool = False, inplace: bool = False) -> Array:
    """``a`` with its main diagonal set to ``val`` (a scalar, or values repeated along the diagonal);
    ``wrap``: for tall matrices, the diagonal starts again every ``ncols + 1`` rows, as numpy's.  A new
    array, unless ``inplace`` (backends whose arrays are mutable)."""
    if a.ndim < 2 or (a.ndim > 2 and len(set(a.shape)) != 1):
        raise ValueError(
            f"fill_diagonal: needs a 2-d array or one whose dimensions all have the same size, got {a.shape}"
        )
    size = math.prod(a.shape)
    # numpy's flat step along the diagonal: ncols + 1 for a matrix, 1 + n + n**2 + ... for a cube
    step = a.shape[1] + 1 if a.ndim == 2 else 1 + sum(math.prod(a.shape[:i]) for i in range(1, a.ndim))
    end = size if wrap or a.ndim > 2 else a.shape[1] * a.shape[1]
    flat = xp.arange(size)
    on = (flat % step == 0) & (flat < end)
    val = xp.asarray(val, dtype=a.dtype)
    if val.ndim:
        vals = xp.reshape(val, (-1,))
        picked = xp.take(vals, xp.astype((flat // step) % vals.shape[0], flat.dtype))
    else:
        picked = xp.broadcast_to(val, (size,))
    out = xp.reshape(xp.where(on, picked, xp.reshape(a, (-1,))), a.shape)
    if inplace:
        a[...] = out
        return a
    return out


@generic("unflatten")
def unflatten(xp: Any, x: Array, axis: int, sizes: Any) -> Array:
    """Axis ``axis`` split into axes of the given sizes (one may be -1)."""
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"unflatten: axis {axis} is out of bounds for an array of {x.ndim} dimensions")
    axis = axis % x.ndim
    return xp.reshape(x, (*x.shape[:axis], *sizes, *x.shape[axis + 1 :]))


@generic("remove_diag")
def remove_diag(xp: Any, x: Array) -> Array:
    """A square matrix without its main diagonal: shape (n, n - 1)."""
    if x.ndim != 2 or x.shape[0] != x.shape[1]:
        raise ValueError(f"remove_diag: needs a square matrix, got shape {x.shape}")
    n = x.shape[0]
    if n < 2:
        return xp.reshape(x, (n, 0))
    rest = xp.reshape(xp.reshape(x, (-1,))[1:], (n - 1, n + 1))[:, :-1]  # each row: n off-diagonal entries
    return xp.reshape(rest, (n, n - 1))


@generic("promote_dtypes")
def promote_dtypes(xp: Any, *arrays: Array) -> list[Array]:
    """The arrays converted to their common dtype (``result_type``)."""
    try:
        dtype = xp.result_type(*arrays)
    except TypeError:  # kinds the namespace will not mix (array_api_strict): the highest kind's type
        kinds = ("complex floating", "real floating", "signed integer", "unsigned integer", "bool")
        top = next(k for k in kinds if any(xp.isdtype(a.dtype, k) for a in arrays))
        dtype = xp.result_type(*(a for a in arrays if xp.isdtype(a.dtype, top)))
    return [xp.astype(a, dtype) for a in arrays]
