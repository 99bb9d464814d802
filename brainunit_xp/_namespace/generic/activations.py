"""brainunit's activation functions (``jax.nn``'s definitions), from standard functions, for every
backend.  Units are the factories' business: ``relu`` and ``leaky_relu`` keep the unit of x, the
others take dimensionless values."""

from __future__ import annotations

import math
from typing import Any

from ..._types import Array
from .elementwise import as_float
from .registry import generic

__all__ = [
    "celu", "elu", "erfc", "gelu", "glu", "hard_sigmoid", "hard_silu", "hard_tanh", "leaky_relu", "log_sigmoid",
    "mish", "relu", "relu6", "selu", "sigmoid", "silu", "soft_sign", "softplus", "sparse_plus", "sparse_sigmoid",
    "squareplus",
]  # fmt: skip

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _zeros(xp: Any, x: Array) -> Array:
    return xp.zeros_like(x)


@generic("relu")
def relu(xp: Any, x: Array) -> Array:
    """``max(x, 0)``."""
    return xp.where(x > 0, x, _zeros(xp, x))


@generic("relu6")
def relu6(xp: Any, x: Array) -> Array:
    """``min(max(x, 0), 6)``."""
    x = as_float(xp, x)
    return xp.clip(x, 0.0, 6.0)


@generic("sigmoid")
def sigmoid(xp: Any, x: Array) -> Array:
    """``1 / (1 + exp(-x))``, without overflow for large |x|."""
    x = as_float(xp, x)
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


@generic("softplus")
def softplus(xp: Any, x: Array) -> Array:
    """``log(1 + exp(x))``."""
    x = as_float(xp, x)
    return xp.logaddexp(x, _zeros(xp, x))


@generic("sparse_plus")
def sparse_plus(xp: Any, x: Array) -> Array:
    """0 below -1, x above 1, ``(x + 1)**2 / 4`` between."""
    x = as_float(xp, x)
    return xp.where(x <= -1.0, _zeros(xp, x), xp.where(x >= 1.0, x, (x + 1.0) ** 2 / 4.0))


@generic("sparse_sigmoid")
def sparse_sigmoid(xp: Any, x: Array) -> Array:
    """``clip((x + 1) / 2, 0, 1)``."""
    x = as_float(xp, x)
    return 0.5 * xp.clip(x + 1.0, 0.0, 2.0)


@generic("soft_sign")
def soft_sign(xp: Any, x: Array) -> Array:
    """``x / (|x| + 1)``."""
    x = as_float(xp, x)
    return x / (xp.abs(x) + 1.0)


@generic("silu")
@generic("swish")
def silu(xp: Any, x: Array) -> Array:
    """``x * sigmoid(x)``."""
    x = as_float(xp, x)
    return x * sigmoid(xp, x)


@generic("log_sigmoid")
def log_sigmoid(xp: Any, x: Array) -> Array:
    """``-softplus(-x)``."""
    return -softplus(xp, -as_float(xp, x))


@generic("leaky_relu")
def leaky_relu(xp: Any, x: Array, negative_slope: float = 0.01) -> Array:
    """x where x >= 0, ``negative_slope * x`` elsewhere."""
    x = as_float(xp, x)
    return xp.where(x >= 0, x, negative_slope * x)


@generic("hard_sigmoid")
def hard_sigmoid(xp: Any, x: Array) -> Array:
    """``relu6(x + 3) / 6``."""
    return relu6(xp, as_float(xp, x) + 3.0) / 6.0


@generic("hard_silu")
@generic("hard_swish")
def hard_silu(xp: Any, x: Array) -> Array:
    """``x * hard_sigmoid(x)``."""
    x = as_float(xp, x)
    return x * hard_sigmoid(xp, x)


@generic("hard_tanh")
def hard_tanh(xp: Any, x: Array) -> Array:
    """``clip(x, -1, 1)``."""
    return xp.clip(as_float(xp, x), -1.0, 1.0)


@generic("elu")
def elu(xp: Any, x: Array, alpha: float = 1.0) -> Array:
    """x above 0, ``alpha * (exp(x) - 1)`` elsewhere."""
    x = as_float(xp, x)
    return xp.where(x > 0, x, alpha * xp.expm1(xp.where(x > 0, _zeros(xp, x), x)))


@generic("celu")
def celu(xp: Any, x: Array, alpha: float = 1.0) -> Array:
    """``max(x, 0) + alpha * (exp(min(x, 0) / alpha) - 1)``."""
    x = as_float(xp, x)
    zero = _zeros(xp, x)
    return xp.maximum(x, zero) + alpha * xp.expm1(xp.minimum(x, zero) / alpha)


@generic("selu")
def selu(xp: Any, x: Array) -> Array:
    """The scaled ELU of Klambauer et al. (2017)."""
    return _SELU_SCALE * elu(xp, x, _SELU_ALPHA)


def erfc(xp: Any, x: Array) -> Array:
    """The complementary error function, with a relative error below 1.2e-7 everywhere (the
    Chebyshev fit of Numerical Recipes, ``erfcc``): the standard has no ``erf``."""
    z = xp.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = 0.17087277
    for c in (-0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196, 1.00002368):
        poly = c + t * poly
    ans = t * xp.exp(-z * z - 1.26551223 + t * poly)
    return xp.where(x >= 0, ans, 2.0 - ans)


@generic("gelu")
def gelu(xp: Any, x: Array, approximate: bool = True) -> Array:
    """Gaussian error linear unit: ``x * Phi(x)``, or its tanh approximation (the default)."""
    x = as_float(xp, x)
    if approximate:
        return 0.5 * x * (1.0 + xp.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))
    return 0.5 * x * erfc(xp, -x / math.sqrt(2.0))


@generic("glu")
def glu(xp: Any, x: Array, axis: int = -1) -> Array:
    """Gated linear unit: the first half of ``axis`` times the sigmoid of the second half."""
    x = as_float(xp, x)
    moved = xp.moveaxis(x, axis, -1)
    n = moved.shape[-1]
    if n % 2:
        raise ValueError(f"glu: the size of axis {axis} must be even, got {n}")
    out = moved[..., : n // 2] * sigmoid(xp, moved[..., n // 2 :])
    return xp.moveaxis(out, -1, axis)


@generic("squareplus")
def squareplus(xp: Any, x: Array, b: float = 4) -> Array:
    """``(x + sqrt(x**2 + b)) / 2``."""
    x = as_float(xp, x)
    return (x + xp.sqrt(x * x + b)) / 2.0


@generic("mish")
def mish(xp: Any, x: Array) -> Array:
    """``x * tanh(softplus(x))``."""
    x = as_float(xp, x)
    return x * xp.tanh(softplus(xp, x))
