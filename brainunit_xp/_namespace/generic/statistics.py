"""Statistics, integration, interpolation, histograms, convolution and comparisons of whole arrays,
from standard functions (numpy's semantics)."""

from __future__ import annotations

import math
from typing import Any

from ..._types import Array
from .registry import generic
from .shapes import along, asarray

__all__ = [
    "allclose",
    "array_equal",
    "average",
    "bincount",
    "convolve",
    "corrcoef",
    "correlate",
    "cov",
    "gradient",
    "histogram",
    "interp",
    "isclose",
    "median",
    "nanmedian",
    "nanpercentile",
    "nanquantile",
    "percentile",
    "quantile",
    "trapezoid",
]


def floats(xp: Any, a: Array) -> Array:
    """``a`` in a floating dtype (integers and booleans to the default one)."""
    if xp.isdtype(a.dtype, ("real floating", "complex floating")):
        return a
    return xp.astype(a, xp.__array_namespace_info__().default_dtypes()["real floating"])


def _axes(ndim: int, axis: Any) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    return tuple(sorted(a % ndim for a in ((axis,) if isinstance(axis, int) else axis)))


# -- quantiles -------------------------------------------------------------------------------------


def _quantile(xp: Any, a: Any, q: Any, axis: Any, keepdims: bool, method: str, nan: bool) -> Array:
    if method != "linear":
        raise NotImplementedError(f"method={method!r}: only 'linear' is available on this backend")
    a = floats(xp, asarray(xp, a))
    shape, axes = tuple(a.shape), _axes(a.ndim, axis)
    rest = [d for d in range(a.ndim) if d not in axes]
    y = xp.permute_dims(a, (*rest, *axes))
    y = xp.reshape(y, (*(shape[d] for d in rest), math.prod(shape[d] for d in axes)))
    qa = xp.asarray(q, dtype=a.dtype) if not hasattr(q, "shape") else xp.astype(q, a.dtype)
    qs = xp.reshape(qa, (-1,))
    if nan:
        missing = xp.isnan(y)
        n = xp.sum(xp.astype(~missing, a.dtype), axis=-1, keepdims=True)
        y = xp.sort(xp.where(missing, xp.asarray(xp.inf, dtype=a.dtype), y), axis=-1)
        pos = qs * (n - 1)  # rest + (k,)
        lo = xp.clip(xp.floor(pos), 0, None)
        hi = xp.clip(xp.ceil(pos), 0, None)
        r = _pick(xp, y, lo) + (_pick(xp, y, hi) - _pick(xp, y, lo)) * (pos - lo)
        r = xp.where(n == 0, xp.asarray(xp.nan, dtype=a.dtype), r)
    else:
        y = xp.sort(y, axis=-1)
        pos = qs * (y.shape[-1] - 1)
        lo, hi = xp.floor(pos), xp.ceil(pos)
        ylo = xp.take(y, xp.astype(lo, xp.int64), axis=y.ndim - 1)
        yhi = xp.take(y, xp.astype(hi, xp.int64), axis=y.ndim - 1)
        r = ylo + (yhi - ylo) * (pos - lo)
    r = xp.permute_dims(r, (r.ndim - 1, *range(r.ndim - 1)))  # q's axis first, as numpy
    kept = tuple(1 if d in axes else shape[d] for d in range(len(shape))) if keepdims else tuple(shape[d] for d in rest)
    return xp.reshape(r, (*qa.shape, *kept))


def _pick(xp: Any, y: Array, at: Array) -> Array:
    """``y[..., at[..., j]]`` for each j (positions differ per slice), by a one-hot sum."""
    idx = xp.reshape(xp.arange(y.shape[-1], dtype=at.dtype), (1,) * (y.ndim - 1) + (1, -1))
    hit = xp.expand_dims(at, axis=-1) == idx  # rest + (k, N)
    yy = xp.expand_dims(y, axis=-2)
    return xp.sum(xp.where(hit, yy, xp.zeros_like(yy)), axis=-1)


@generic("quantile")
def quantile(
    xp: Any, a: Any, q: Any, axis: Any = None, out: None = None, overwrite_input: bool = False,
    method: str = "linear", keepdims: bool = False,
) -> Array:  # fmt: skip
    """The q-th quantiles (q in [0, 1]), linearly interpolated."""
    return _quantile(xp, a, q, axis, keepdims, method, nan=False)


@generic("percentile")
def percentile(
    xp: Any, a: Any, q: Any, axis: Any = None, out: None = None, overwrite_input: bool = False,
    method: str = "linear", keepdims: bool = False,
) -> Array:  # fmt: skip
    """The q-th percentiles (q in [0, 100]), linearly interpolated."""
    return _quantile(xp, a, asarray(xp, q) / 100, axis, keepdims, method, nan=False)


@generic("median")
def median(
    xp: Any, a: Any, axis: Any = None, out: None = None, overwrite_input: bool = False, keepdims: bool = False
) -> Array:
    """The median."""
    return _quantile(xp, a, 0.5, axis, keepdims, "linear", nan=False)


@generic("nanquantile")
def nanquantile(
    xp: Any, a: Any, q: Any, axis: Any = None, out: None = None, overwrite_input: bool = False,
    method: str = "linear", keepdims: bool = False,
) -> Array:  # fmt: skip
    """The q-th quantiles of the non-NaN elements."""
    return _quantile(xp, a, q, axis, keepdims, method, nan=True)


@generic("nanpercentile")
def nanpercentile(
    xp: Any, a: Any, q: Any, axis: Any = None, out: None = None, overwrite_input: bool = False,
    method: str = "linear", keepdims: bool = False,
) -> Array:  # fmt: skip
    """The q-th percentiles of the non-NaN elements."""
    return _quantile(xp, a, asarray(xp, q) / 100, axis, keepdims, method, nan=True)


@generic("nanmedian")
def nanmedian(
    xp: Any, a: Any, axis: Any = None, out: None = None, overwrite_input: bool = False, keepdims: bool = False
) -> Array:
    """The median of the non-NaN elements."""
    return _quantile(xp, a, 0.5, axis, keepdims, "linear", nan=True)


# -- averages, integrals, derivatives --------------------------------------------------------------


@generic("average")
def average(
    xp: Any, a: Any, axis: Any = None, weights: Any = None, returned: bool = False, *, keepdims: bool = False
) -> Any:
    """The (weighted) mean; ``returned``: also the sum of the weights."""
    a = floats(xp, asarray(xp, a))
    if weights is None:
        avg = xp.mean(a, axis=axis, keepdims=keepdims)
        count = math.prod(a.shape) // max(math.prod(avg.shape), 1)
        scl = xp.broadcast_to(xp.asarray(count, dtype=avg.dtype), avg.shape)
    else:
        w = asarray(xp, weights)
        if w.ndim == 1 and a.ndim > 1:
            if not isinstance(axis, int):
                raise TypeError("average: 1-D weights need an integer axis when a has more dimensions")
            w = xp.reshape(w, tuple(w.shape[0] if d == axis % a.ndim else 1 for d in range(a.ndim)))
        w = xp.broadcast_to(xp.astype(w, a.dtype) if not xp.isdtype(w.dtype, "real floating") else w, a.shape)
        scl = xp.sum(w, axis=axis, keepdims=keepdims)
        avg = xp.sum(a * w, axis=axis, keepdims=keepdims) / scl
    if returned:
        return avg, xp.broadcast_to(scl, avg.shape)
    return avg


@generic("trapezoid")
def trapezoid(xp: Any, y: Any, x: Any = None, dx: Any = 1.0, axis: int = -1) -> Array:
    """The integral by the trapezoidal rule along ``axis``."""
    y = floats(xp, asarray(xp, y))
    ax = axis % y.ndim
    if x is None:
        d = dx
    else:
        x = asarray(xp, x)
        if x.ndim == 1:
            d = xp.reshape(xp.diff(x), tuple(-1 if k == ax else 1 for k in range(y.ndim)))
        else:
            d = xp.diff(x, axis=ax)
    return xp.sum(d * (y[along(y.ndim, ax, slice(1, None))] + y[along(y.ndim, ax, slice(None, -1))]) / 2.0, axis=ax)


def _gradient_axis(xp: Any, f: Array, ax: int, d: Any, edge_order: int) -> Array:
    nd = f.ndim

    def s(start: int | None, stop: int | None = None) -> Array:
        return f[along(nd, ax, slice(start, stop))]

    def at(i: int) -> Array:
        return f[along(nd, ax, slice(i, i + 1 if i != -1 else None))]

    if f.shape[ax] < edge_order + 1:
        raise ValueError(
            "Shape of array too small to calculate a numerical gradient, "
            "at least (edge_order + 1) elements are required."
        )
    uniform = not hasattr(d, "ndim") or d.ndim == 0
    if uniform:
        interior = (s(2) - s(None, -2)) / (2.0 * d)
        if edge_order == 1:
            first, last = (at(1) - at(0)) / d, (at(-1) - at(-2)) / d
        else:
            first = (-1.5 * at(0) + 2.0 * at(1) - 0.5 * at(2)) / d
            last = (0.5 * at(-3) - 2.0 * at(-2) + 1.5 * at(-1)) / d
    else:
        dxs = xp.diff(floats(xp, d))
        if dxs.shape[0] != f.shape[ax] - 1:
            raise ValueError("when 1d, distances must match the length of the corresponding dimension")

        def shaped(v: Array) -> Array:
            return xp.reshape(v, tuple(-1 if k == ax else 1 for k in range(nd)))

        dx1, dx2 = shaped(dxs[:-1]), shaped(dxs[1:])
        a = -dx2 / (dx1 * (dx1 + dx2))
        b = (dx2 - dx1) / (dx1 * dx2)
        c = dx1 / (dx2 * (dx1 + dx2))
        interior = a * s(None, -2) + b * s(1, -1) + c * s(2)
        if edge_order == 1:
            first, last = (at(1) - at(0)) / dxs[0], (at(-1) - at(-2)) / dxs[-1]
        else:
            d1, d2 = dxs[0], dxs[1]
            first = (-(2.0 * d1 + d2) / (d1 * (d1 + d2)) * at(0) + (d1 + d2) / (d1 * d2) * at(1)
                     - d1 / (d2 * (d1 + d2)) * at(2))  # fmt: skip
            d1, d2 = dxs[-2], dxs[-1]
            last = (d2 / (d1 * (d1 + d2)) * at(-3) - (d2 + d1) / (d1 * d2) * at(-2)
                    + (2.0 * d2 + d1) / (d2 * (d1 + d2)) * at(-1))  # fmt: skip
    return xp.concat([first, interior, last], axis=ax)


@generic("gradient")
def gradient(xp: Any, f: Any, *varargs: Any, axis: Any = None, edge_order: int = 1) -> Any:
    """The gradient by second-order central differences inside and one-sided ones at the edges."""
    f = floats(xp, asarray(xp, f))
    axes = (
        tuple(range(f.ndim))
        if axis is None
        else tuple(a % f.ndim for a in ((axis,) if isinstance(axis, int) else axis))
    )
    if edge_order not in (1, 2):
        raise ValueError("'edge_order' greater than 2 not supported")
    if not varargs:
        spacing: list[Any] = [1.0] * len(axes)
    elif len(varargs) == 1 and getattr(varargs[0], "ndim", 0) == 0:
        spacing = list(varargs) * len(axes)
    elif len(varargs) == len(axes):
        spacing = list(varargs)
    else:
        raise TypeError("invalid number of arguments")
    out = tuple(_gradient_axis(xp, f, ax, d, edge_order) for ax, d in zip(axes, spacing, strict=True))
    return out[0] if len(out) == 1 else out


# -- interpolation, histograms ---------------------------------------------------------------------


@generic("interp")
def interp(xp: Any, x: Any, xp_: Any, fp: Any, left: Any = None, right: Any = None, period: Any = None) -> Array:
    """Piecewise-linear interpolation of the points (xp, fp) at x (increasing xp)."""
    x, xs, fs = floats(xp, asarray(xp, x)), floats(xp, asarray(xp, xp_)), asarray(xp, fp)
    if period is not None:
        x, xs = x % period, xs % period
        order = xp.argsort(xs)
        xs, fs = xp.take(xs, order), xp.take(fs, order)
        xs = xp.concat([xs[-1:] - period, xs, xs[:1] + period])
        fs = xp.concat([fs[-1:], fs, fs[:1]])
    n = xs.shape[0]
    i = xp.clip(xp.searchsorted(xs, x, side="right"), 1, n - 1)
    x0, x1 = xp.take(xs, i - 1), xp.take(xs, i)
    f0, f1 = xp.take(fs, i - 1), xp.take(fs, i)
    t = (x - x0) / (x1 - x0)
    y = f0 + t * (f1 - f0)
    y = xp.where(x == x1, f1, y)
    if period is None:
        y = xp.where(x < xs[0], fs[0] if left is None else xp.asarray(left, dtype=y.dtype), y)
        y = xp.where(x > xs[-1], fs[-1] if right is None else xp.asarray(right, dtype=y.dtype), y)
    return y


def _onehot_sum(xp: Any, idx: Array, n: int, weights: Array | None, keep: Array | None = None) -> Array:
    hit = xp.reshape(idx, (-1, 1)) == xp.reshape(xp.arange(n, dtype=idx.dtype), (1, -1))
    if keep is not None:
        hit = hit & xp.reshape(keep, (-1, 1))
    if weights is None:
        return xp.sum(xp.astype(hit, xp.int64), axis=0)
    w = xp.reshape(weights, (-1, 1))
    return xp.sum(xp.where(hit, w, xp.zeros_like(w)), axis=0)


@generic("histogram")
def histogram(
    xp: Any, a: Any, bins: Any = 10, range: Any = None, density: Any = None, weights: Any = None
) -> tuple[Array, Array]:
    """Counts of the values in each bin (the last bin includes its right edge), and the edges."""
    a = xp.reshape(asarray(xp, a), (-1,))
    if isinstance(bins, int):
        if range is None:
            lo, hi = (float(xp.min(a)), float(xp.max(a))) if a.shape[0] else (0.0, 1.0)
        else:
            lo, hi = float(range[0]), float(range[1])
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        edges = xp.linspace(lo, hi, bins + 1, dtype=floats(xp, a).dtype)
    else:
        edges = asarray(xp, bins)
    nbins = edges.shape[0] - 1
    idx = xp.searchsorted(edges, a, side="right") - 1
    idx = xp.where(a == edges[-1], xp.asarray(nbins - 1, dtype=idx.dtype), idx)
    keep = (a >= edges[0]) & (a <= edges[-1])
    w = None if weights is None else xp.reshape(asarray(xp, weights), (-1,))
    counts = _onehot_sum(xp, idx, nbins, w, keep)
    if density:
        counts = floats(xp, counts)
        counts = counts / xp.sum(counts) / xp.astype(xp.diff(edges), counts.dtype)
    return counts, edges


@generic("bincount")
def bincount(xp: Any, x: Any, weights: Any = None, minlength: int = 0) -> Array:
    """How many times each non-negative integer occurs in x (or the sum of its weights)."""
    x = xp.reshape(asarray(xp, x), (-1,))
    if x.shape[0] and bool(xp.min(x) < 0):
        raise ValueError("bincount: x must be non-negative")
    n = max(int(xp.max(x)) + 1 if x.shape[0] else 0, minlength)
    w = None if weights is None else floats(xp, xp.reshape(asarray(xp, weights), (-1,)))
    return _onehot_sum(xp, x, n, w)


# -- covariance, correlation, convolution ----------------------------------------------------------


@generic("cov")
def cov(
    xp: Any, m: Any, y: Any = None, rowvar: bool = True, bias: bool = False, ddof: int | None = None,
    fweights: Any = None, aweights: Any = None, *, dtype: Any = None,
) -> Array:  # fmt: skip
    """The covariance matrix of the variables (rows of m, and of y)."""
    from .shapes import _atleast

    x = floats(xp, _atleast(xp, m, 2))
    if not rowvar and x.shape[0] != 1:
        x = xp.permute_dims(x, (1, 0))
    if y is not None:
        yy = floats(xp, _atleast(xp, y, 2))
        if not rowvar and yy.shape[0] != 1:
            yy = xp.permute_dims(yy, (1, 0))
        x = xp.concat([x, xp.astype(yy, x.dtype)], axis=0)
    if dtype is not None:
        x = xp.astype(x, dtype)
    ddof = (0 if bias else 1) if ddof is None else ddof
    w = None
    if fweights is not None:
        w = xp.astype(asarray(xp, fweights), x.dtype)
    if aweights is not None:
        aw = xp.astype(asarray(xp, aweights), x.dtype)
        w = aw if w is None else w * aw
    if w is None:
        avg = xp.mean(x, axis=1)
        fact = x.shape[1] - ddof
    else:
        w_sum = xp.sum(w)
        avg = xp.sum(x * w, axis=1) / w_sum
        if ddof == 0:
            fact = w_sum
        elif aweights is None:
            fact = w_sum - ddof
        else:
            fact = w_sum - ddof * xp.sum(w * xp.astype(asarray(xp, aweights), x.dtype)) / w_sum
    x = x - xp.reshape(avg, (-1, 1))
    xw = x if w is None else x * w
    conj = xp.conj(x) if xp.isdtype(x.dtype, "complex floating") else x
    c = xp.matmul(xw, xp.permute_dims(conj, (1, 0))) / fact
    return xp.squeeze(c, axis=tuple(d for d in range(c.ndim) if c.shape[d] == 1)) if 1 in c.shape else c


@generic("corrcoef")
def corrcoef(xp: Any, x: Any, y: Any = None, rowvar: bool = True, *, dtype: Any = None) -> Array:
    """Pearson's correlation coefficients of the variables."""
    c = cov(xp, x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    d = _diag(xp, c)
    sd = xp.sqrt(xp.real(d) if xp.isdtype(d.dtype, "complex floating") else d)
    c = c / xp.reshape(sd, (-1, 1)) / xp.reshape(sd, (1, -1))
    if xp.isdtype(c.dtype, "complex floating"):
        return c
    return xp.clip(c, -1.0, 1.0)


def _diag(xp: Any, c: Array) -> Array:
    n = c.shape[0]
    return xp.take(xp.reshape(c, (-1,)), xp.arange(n) * (n + 1))


def _full_convolution(xp: Any, a: Array, v: Array) -> Array:
    n, m = a.shape[0], v.shape[0]
    zeros = xp.zeros((m - 1,), dtype=a.dtype)
    padded = xp.concat([zeros, a, zeros])
    k = xp.reshape(xp.arange(n + m - 1), (-1, 1))
    j = xp.reshape(xp.arange(m), (1, -1))
    windows = xp.reshape(xp.take(padded, xp.reshape(k + (m - 1) - j, (-1,))), (n + m - 1, m))
    return xp.sum(windows * xp.reshape(v, (1, -1)), axis=1)


def _convolve(xp: Any, a: Any, v: Any, mode: str) -> Array:
    a, v = asarray(xp, a), asarray(xp, v)
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError("object too deep for desired array: convolve takes 1-D arrays")
    if a.shape[0] == 0 or v.shape[0] == 0:
        raise ValueError("v cannot be empty" if v.shape[0] == 0 else "a cannot be empty")
    dtype = xp.result_type(a, v)
    a, v = xp.astype(a, dtype), xp.astype(v, dtype)
    if v.shape[0] > a.shape[0]:
        a, v = v, a
    n, m = a.shape[0], v.shape[0]
    full = _full_convolution(xp, a, v)
    if mode == "full":
        return full
    if mode == "same":
        start = (m - 1) // 2
        return full[start : start + n]
    if mode == "valid":
        return full[m - 1 : n]
    raise ValueError(f"mode must be one of 'valid', 'same', 'full', got {mode!r}")


@generic("convolve")
def convolve(xp: Any, a: Any, v: Any, mode: str = "full") -> Array:
    """The discrete linear convolution of two 1-D sequences."""
    return _convolve(xp, a, v, mode)


@generic("correlate")
def correlate(xp: Any, a: Any, v: Any, mode: str = "valid") -> Array:
    """The cross-correlation of two 1-D sequences: ``c[k] = sum_n a[n + k] * conj(v[n])``."""
    a, v = asarray(xp, a), asarray(xp, v)
    swap = v.shape[0] > a.shape[0]
    if swap:
        a, v = v, a
    vc = xp.conj(v) if xp.isdtype(v.dtype, "complex floating") else v
    out = _convolve(xp, a, xp.flip(vc), mode)
    if swap:
        out = xp.flip(out)
        return xp.conj(out) if xp.isdtype(out.dtype, "complex floating") else out
    return out


# -- comparisons of whole arrays -------------------------------------------------------------------


@generic("isclose")
def isclose(xp: Any, a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Array:
    """Elementwise ``|a - b| <= atol + rtol * |b|``."""
    import array_api_extra as xpx

    return xpx.isclose(asarray(xp, a), asarray(xp, b), rtol=rtol, atol=atol, equal_nan=equal_nan, xp=xp)


@generic("allclose")
def allclose(xp: Any, a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Array:
    """Are all elements close (``isclose``)?"""
    return xp.all(isclose(xp, a, b, rtol, atol, equal_nan))


@generic("array_equal")
def array_equal(xp: Any, a1: Any, a2: Any, equal_nan: bool = False) -> Array:
    """Same shape and the same elements (NaNs equal with ``equal_nan``)?"""
    a1, a2 = asarray(xp, a1), asarray(xp, a2)
    if tuple(a1.shape) != tuple(a2.shape):
        return xp.asarray(False)
    same = a1 == a2
    if equal_nan:
        same = same | (xp.isnan(a1) & xp.isnan(a2))
    return xp.all(same)
