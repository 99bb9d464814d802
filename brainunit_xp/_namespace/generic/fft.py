"""Two-dimensional DFTs, from the standard's n-dimensional ones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..._types import Array
from .registry import generic

__all__ = ["fft2", "ifft2", "irfft2", "rfft2"]

Axes = Sequence[int]


@generic("fft.fft2", needs=("fft.fftn",))
def fft2(xp: Any, x: Array, s: Any = None, axes: Axes = (-2, -1), norm: str = "backward") -> Array:
    """The 2-D discrete Fourier transform."""
    return xp.fft.fftn(x, s=s, axes=axes, norm=norm)


@generic("fft.ifft2", needs=("fft.ifftn",))
def ifft2(xp: Any, x: Array, s: Any = None, axes: Axes = (-2, -1), norm: str = "backward") -> Array:
    """The inverse 2-D discrete Fourier transform."""
    return xp.fft.ifftn(x, s=s, axes=axes, norm=norm)


@generic("fft.rfft2", needs=("fft.rfftn",))
def rfft2(xp: Any, x: Array, s: Any = None, axes: Axes = (-2, -1), norm: str = "backward") -> Array:
    """The 2-D discrete Fourier transform of a real array (the non-negative frequencies of the last axis)."""
    return xp.fft.rfftn(x, s=s, axes=axes, norm=norm)


@generic("fft.irfft2", needs=("fft.irfftn",))
def irfft2(xp: Any, x: Array, s: Any = None, axes: Axes = (-2, -1), norm: str = "backward") -> Array:
    """The inverse of ``rfft2``."""
    return xp.fft.irfftn(x, s=s, axes=axes, norm=norm)
