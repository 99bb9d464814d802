"""Products and linear algebra beyond the standard's, from standard functions (numpy's semantics)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..._types import Array
from .registry import generic
from .shapes import asarray

__all__ = [
    "cond",
    "cross",
    "dot",
    "inner",
    "kron",
    "lstsq",
    "matrix_power",
    "multi_dot",
    "norm",
    "outer",
    "tensorinv",
    "tensorsolve",
    "vdot",
]


def _conj(xp: Any, a: Array) -> Array:
    return xp.conj(a) if xp.isdtype(a.dtype, "complex floating") else a


def _pair(xp: Any, a: Any, b: Any) -> tuple[Array, Array]:
    a, b = asarray(xp, a), asarray(xp, b)
    dtype = xp.result_type(a, b)
    return xp.astype(a, dtype), xp.astype(b, dtype)


@generic("dot", "linalg.dot")
def dot(xp: Any, a: Any, b: Any) -> Array:
    """numpy's ``dot``: products of scalars, inner products of vectors, matrix products, and the sum
    over the last axis of a and the second-to-last of b."""
    a, b = _pair(xp, a, b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    return xp.tensordot(a, b, axes=([a.ndim - 1], [max(b.ndim - 2, 0)]))


@generic("vdot", "linalg.vdot")
def vdot(xp: Any, a: Any, b: Any) -> Array:
    """The inner product of the flattened arrays, the first conjugated."""
    a, b = _pair(xp, a, b)
    return xp.sum(_conj(xp, xp.reshape(a, (-1,))) * xp.reshape(b, (-1,)))


@generic("inner", "linalg.inner")
def inner(xp: Any, a: Any, b: Any) -> Array:
    """The sum product over the last axes."""
    a, b = _pair(xp, a, b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    return xp.tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 1]))


@generic("outer")
def outer(xp: Any, a: Any, b: Any) -> Array:
    """``out[i, j] = a[i] * b[j]`` of the flattened arrays."""
    a, b = _pair(xp, a, b)
    return xp.reshape(a, (-1, 1)) * xp.reshape(b, (1, -1))


@generic("kron", "linalg.kron")
def kron(xp: Any, a: Any, b: Any) -> Array:
    """The Kronecker product: blocks of b scaled by the elements of a."""
    a, b = _pair(xp, a, b)
    nd = max(a.ndim, b.ndim)
    a = xp.reshape(a, (1,) * (nd - a.ndim) + tuple(a.shape))
    b = xp.reshape(b, (1,) * (nd - b.ndim) + tuple(b.shape))
    ae = xp.reshape(a, tuple(s for d in a.shape for s in (d, 1)))
    be = xp.reshape(b, tuple(s for d in b.shape for s in (1, d)))
    return xp.reshape(ae * be, tuple(p * q for p, q in zip(a.shape, b.shape, strict=True)))


@generic("cross")
def cross(xp: Any, a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: int | None = None) -> Array:
    """The cross product of 2- or 3-element vectors (2-element: the z component)."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = _pair(xp, a, b)
    a, b = xp.moveaxis(a, axisa, -1), xp.moveaxis(b, axisb, -1)
    na, nb = a.shape[-1], b.shape[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError("incompatible dimensions for cross product (dimension must be 2 or 3)")
    a0, a1, b0, b1 = a[..., 0], a[..., 1], b[..., 0], b[..., 1]
    if na == 2 and nb == 2:
        return a0 * b1 - a1 * b0
    a2 = a[..., 2] if na == 3 else xp.zeros_like(a0)
    b2 = b[..., 2] if nb == 3 else xp.zeros_like(b0)
    out = xp.stack(xp.broadcast_arrays(a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0), axis=-1)
    return xp.moveaxis(out, -1, axisc)


def _svdvals(xp: Any, x: Array) -> Array:
    """The singular values (from the reduced ``svd``: dask's ``svdvals`` asks for the full one)."""
    return xp.linalg.svd(x, full_matrices=False)[1]


def _vector_norm(xp: Any, x: Array, ord: Any, axis: Any, keepdims: bool) -> Array:
    ax = xp.abs(x)
    if ord is None or ord == 2:
        return xp.sqrt(xp.sum(ax * ax, axis=axis, keepdims=keepdims))
    if ord == math.inf:
        return xp.max(ax, axis=axis, keepdims=keepdims)
    if ord == -math.inf:
        return xp.min(ax, axis=axis, keepdims=keepdims)
    if ord == 0:
        return xp.sum(xp.astype(x != 0, ax.dtype), axis=axis, keepdims=keepdims)
    if ord == 1:
        return xp.sum(ax, axis=axis, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order {ord!r} for vectors")
    return xp.sum(ax**ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)


def _matrix_norm(xp: Any, x: Array, ord: Any, axes: tuple[int, int], keepdims: bool) -> Array:
    r, c = axes
    ax = xp.abs(x)
    if ord is None or ord == "fro":
        out = xp.sqrt(xp.sum(ax * ax, axis=axes))
    elif ord in (1, -1):
        s = xp.sum(ax, axis=r, keepdims=True)
        out = (xp.max if ord == 1 else xp.min)(s, axis=axes)
    elif ord in (math.inf, -math.inf):
        s = xp.sum(ax, axis=c, keepdims=True)
        out = (xp.max if ord == math.inf else xp.min)(s, axis=axes)
    elif ord in (2, -2, "nuc"):
        others = tuple(d for d in range(x.ndim) if d not in axes)
        sv = _svdvals(xp, xp.permute_dims(x, (*others, r, c)))
        out = xp.sum(sv, axis=-1) if ord == "nuc" else (xp.max if ord == 2 else xp.min)(sv, axis=-1)
    else:
        raise ValueError(f"Invalid norm order {ord!r} for matrices")
    if keepdims:
        for d in sorted(axes):
            out = xp.expand_dims(out, axis=d)
    return out


@generic("linalg.norm")
def norm(xp: Any, x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Array:
    """numpy's ``linalg.norm``: vector norms over one axis, matrix norms over two."""
    x = asarray(xp, x)
    if axis is None:
        if ord is None:
            out = _vector_norm(xp, xp.reshape(x, (-1,)), None, 0, False)
            return xp.reshape(out, (1,) * x.ndim) if keepdims else out
        axis = tuple(range(x.ndim))
        if x.ndim not in (1, 2):
            raise ValueError("Improper number of dimensions to norm.")
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    axes = tuple(a % x.ndim for a in axes)
    if len(axes) == 1:
        return _vector_norm(xp, x, ord, axes[0], keepdims)
    if len(axes) == 2:
        return _matrix_norm(xp, x, ord, (axes[0], axes[1]), keepdims)
    raise ValueError("Improper number of dimensions to norm.")


@generic("linalg.lstsq", needs=("linalg.pinv", "linalg.svdvals", "linalg.matrix_rank"))
def lstsq(xp: Any, a: Any, b: Any, rcond: float | None = None) -> tuple[Array, Array, Array, Array]:
    """The least-squares solution of ``a @ x = b``, the residuals, the rank of a, its singular values."""
    a, b = _pair(xp, a, b)
    m, n = a.shape[-2], a.shape[-1]
    if rcond is None:
        rcond = xp.finfo(a.dtype).eps * max(m, n)
    x = xp.matmul(xp.linalg.pinv(a, rtol=rcond), b)
    rank = xp.linalg.matrix_rank(a, rtol=rcond)
    if int(rank) == n and m > n:
        r = b - xp.matmul(a, x)
        residuals = xp.sum(xp.abs(r) ** 2, axis=0)
        residuals = xp.reshape(residuals, (1,)) if b.ndim == 1 else residuals
    else:
        residuals = xp.zeros((0,), dtype=xp.real(a).dtype if xp.isdtype(a.dtype, "complex floating") else a.dtype)
    return x, residuals, rank, xp.linalg.svdvals(a)


@generic("multi_dot", "linalg.multi_dot")
def multi_dot(xp: Any, arrays: Sequence[Any]) -> Array:
    """The product of two or more matrices (the first may be a row vector, the last a column)."""
    items = [asarray(xp, a) for a in arrays]
    if len(items) < 2:
        raise ValueError("Expecting at least two arrays.")
    first_vec, last_vec = items[0].ndim == 1, items[-1].ndim == 1
    if first_vec:
        items[0] = xp.reshape(items[0], (1, -1))
    if last_vec:
        items[-1] = xp.reshape(items[-1], (-1, 1))
    out = items[0]
    for item in items[1:]:
        out = xp.matmul(out, item)
    if first_vec and last_vec:
        return xp.reshape(out, ())
    if first_vec or last_vec:
        return xp.reshape(out, (-1,))
    return out


@generic("linalg.cond", needs=("linalg.svd", "linalg.inv"))
def cond(xp: Any, x: Any, p: Any = None) -> Array:
    """The condition number of a matrix in the norm ``p`` (2 by default)."""
    x = asarray(xp, x)
    if p is None or p in (2, -2):
        s = _svdvals(xp, x)
        hi, lo = xp.max(s, axis=-1), xp.min(s, axis=-1)
        return hi / lo if p != -2 else lo / hi
    axes = (x.ndim - 2, x.ndim - 1)
    return _matrix_norm(xp, x, p, axes, False) * _matrix_norm(xp, xp.linalg.inv(x), p, axes, False)


@generic("linalg.tensorinv", needs=("linalg.inv",))
def tensorinv(xp: Any, a: Any, ind: int = 2) -> Array:
    """The inverse of an N-dimensional array for ``tensordot(..., ind)``."""
    a = asarray(xp, a)
    if ind <= 0:
        raise ValueError("Invalid ind argument.")
    front, back = tuple(a.shape[:ind]), tuple(a.shape[ind:])
    inv = xp.linalg.inv(xp.reshape(a, (math.prod(front), math.prod(back))))
    return xp.reshape(inv, back + front)


@generic("linalg.tensorsolve", needs=("linalg.solve",))
def tensorsolve(xp: Any, a: Any, b: Any, axes: Sequence[int] | None = None) -> Array:
    """The x of ``tensordot(a, x, axes=x.ndim) = b``."""
    a, b = _pair(xp, a, b)
    if axes is not None:
        order = [k for k in range(a.ndim) if k not in [ax % a.ndim for ax in axes]]
        order += [ax % a.ndim for ax in axes]
        a = xp.permute_dims(a, tuple(order))
    shape = tuple(a.shape[-(a.ndim - b.ndim) :])
    rows, cols = math.prod(a.shape[: b.ndim]), math.prod(shape)
    if rows != cols:
        raise ValueError("tensorsolve: the first dimensions of a must multiply to the product of the rest")
    x = xp.linalg.solve(xp.reshape(a, (rows, cols)), xp.reshape(b, (rows, 1)))
    return xp.reshape(x, shape)


@generic("matrix_power")
def matrix_power(xp: Any, a: Any, n: int) -> Array:
    """The square matrix (or stack of them) to the integer power n, by repeated squaring."""
    a = asarray(xp, a)
    if n < 0:
        a, n = xp.linalg.inv(a), -n
    out = None
    while n:
        if n & 1:
            out = a if out is None else xp.matmul(out, a)
        n >>= 1
        if n:
            a = xp.matmul(a, a)
    if out is None:
        eye = xp.eye(a.shape[-1], dtype=a.dtype)
        return xp.broadcast_to(eye, a.shape)
    return out
