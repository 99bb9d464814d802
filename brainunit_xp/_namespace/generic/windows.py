"""numpy's window functions, from standard functions, for backends without a numpy-like module
(and dask, whose module has none).  Windows are dimensionless, in the widest floating dtype."""

from __future__ import annotations

import math
from typing import Any

from ..._types import Array
from .registry import generic

__all__ = ["bartlett", "blackman", "hamming", "hanning", "i0", "kaiser"]


def _grid(xp: Any, M: int) -> tuple[Array, float]:
    """``(n, M - 1)``: the sample positions 0..M-1 in the widest floating dtype."""
    dtype = xp.float64 if hasattr(xp, "float64") else xp.float32
    return xp.arange(M, dtype=dtype), float(M - 1)


def _cosine(xp: Any, M: int, coefficients: tuple[float, ...]) -> Array:
    """The generalized cosine window ``sum_k (-1)**k a_k cos(2 pi k n / (M - 1))``."""
    n, span = _grid(xp, M)
    if M == 1:
        return xp.ones_like(n)
    out = xp.zeros_like(n) + coefficients[0]
    for k, a in enumerate(coefficients[1:], start=1):
        out = out + (-1) ** k * a * xp.cos(2.0 * math.pi * k * n / span)
    return out


@generic("bartlett")
def bartlett(xp: Any, M: int) -> Array:
    """The triangular window."""
    n, span = _grid(xp, M)
    if M == 1:
        return xp.ones_like(n)
    return 1.0 - xp.abs(2.0 * n / span - 1.0)


@generic("hanning")
def hanning(xp: Any, M: int) -> Array:
    """The Hann window."""
    return _cosine(xp, M, (0.5, 0.5))


@generic("hamming")
def hamming(xp: Any, M: int) -> Array:
    """The Hamming window."""
    return _cosine(xp, M, (0.54, 0.46))


@generic("blackman")
def blackman(xp: Any, M: int) -> Array:
    """The Blackman window."""
    return _cosine(xp, M, (0.42, 0.5, 0.08))


def i0(xp: Any, x: Array, terms: int) -> Array:
    """The modified Bessel function of the first kind, order 0: its power series
    ``sum_k ((x / 2) ** 2k) / (k!) ** 2``, to ``terms`` terms."""
    q = (x / 2.0) ** 2
    term, total = xp.ones_like(x), xp.ones_like(x)
    for k in range(1, terms):
        term = term * q / (k * k)
        total = total + term
    return total


@generic("kaiser")
def kaiser(xp: Any, M: int, beta: float) -> Array:
    """The Kaiser window: ``I0(beta sqrt(1 - (2n / (M - 1) - 1)**2)) / I0(beta)``."""
    n, span = _grid(xp, M)
    if M == 1:
        return xp.ones_like(n)
    beta = float(beta)
    terms = int(abs(beta)) + 30  # the series' terms peak near k = beta / 2, then fall fast
    r = 2.0 * n / span - 1.0
    arg = beta * xp.sqrt(xp.clip(1.0 - r * r, 0.0, None))
    return i0(xp, arg, terms) / i0(xp, xp.asarray(beta, dtype=n.dtype), terms)
