"""brainunit's elementwise functions beyond the standard's (numpy's names), from standard functions
and array-api-extra, for backends without a numpy-like module.  Where the backend's namespace has a
function of the same name and meaning (torch's ``fmod``, ``frexp``, ``ldexp``, ``gcd``), it is used."""

from __future__ import annotations

import math
from typing import Any

from ..._types import Array
from .registry import generic

__all__ = [
    "angle", "around", "cbrt", "deg2rad", "divmod_", "exp2", "exprel", "exprel_order", "fabs", "fix", "float_power",
    "fmax", "fmin", "fmod", "frexp", "gcd", "heaviside", "isreal", "lcm", "ldexp", "logaddexp2", "modf", "nan_to_num",
    "rad2deg", "rint", "set_exprel_order", "sinc",
]  # fmt: skip


def is_floating(xp: Any, x: Array) -> bool:
    return bool(xp.isdtype(x.dtype, ("real floating", "complex floating")))


def as_float(xp: Any, x: Array) -> Array:
    """``x`` as the namespace's default floating dtype, unless it is floating already (numpy's rule
    for functions of integers with floating results)."""
    if is_floating(xp, x):
        return x
    return xp.astype(x, xp.__array_namespace_info__().default_dtypes()["real floating"])


def _like(xp: Any, v: Any, x: Array) -> Array:
    """A Python number ``v`` as an array of ``x``'s dtype (arrays pass through)."""
    return xp.asarray(v, dtype=x.dtype) if isinstance(v, (int, float, complex)) else v


def _native(xp: Any, name: str) -> Any:
    """The namespace's own function ``name`` (array_api_compat's torch namespace re-exports torch's),
    for the functions whose numpy meaning torch shares; Python numbers become arrays first."""
    fn = getattr(xp, name, None)
    if fn is None:
        return None

    def native(*args: Any) -> Any:
        return fn(*(xp.asarray(a) if isinstance(a, (int, float, complex)) else a for a in args))

    return native


@generic("around")
def around(xp: Any, x: Array, decimals: int = 0) -> Array:
    """Round to ``decimals`` decimals (half to even), as numpy: ``round(x * 10**d) / 10**d``."""
    if decimals == 0 or not is_floating(xp, x):
        return xp.round(x) if decimals == 0 else x
    factor = 10.0**decimals
    return xp.round(x * factor) / factor


@generic("rint")
def rint(xp: Any, x: Array) -> Array:
    """Round to the nearest integer, half to even."""
    return xp.round(x)


@generic("fix")
def fix(xp: Any, x: Array) -> Array:
    """Round towards zero."""
    return xp.trunc(x)


@generic("fabs")
def fabs(xp: Any, x: Array) -> Array:
    """Absolute value, as a floating array."""
    return xp.abs(as_float(xp, x))


@generic("fmax")
def fmax(xp: Any, x1: Array, x2: Array) -> Array:
    """Elementwise maximum, ignoring NaN where only one is NaN."""
    x1, x2 = _like(xp, x1, x2), _like(xp, x2, x1)
    return xp.where(xp.isnan(x1), x2, xp.where(xp.isnan(x2), x1, xp.maximum(x1, x2)))


@generic("fmin")
def fmin(xp: Any, x1: Array, x2: Array) -> Array:
    """Elementwise minimum, ignoring NaN where only one is NaN."""
    x1, x2 = _like(xp, x1, x2), _like(xp, x2, x1)
    return xp.where(xp.isnan(x1), x2, xp.where(xp.isnan(x2), x1, xp.minimum(x1, x2)))


@generic("fmod")
def fmod(xp: Any, x1: Array, x2: Array) -> Array:
    """C's remainder, with the sign of x1 (``remainder`` has the sign of x2)."""
    native = _native(xp, "fmod")
    if native is not None:
        return native(x1, x2)
    x1, x2 = _like(xp, x1, x2), _like(xp, x2, x1)
    r = xp.remainder(x1, x2)
    return xp.where((r != 0) & ((r < 0) != (x1 < 0)), r - x2, r)


@generic("divmod")
def divmod_(xp: Any, x1: Array, x2: Array) -> tuple[Array, Array]:
    """``(floor_divide(x1, x2), remainder(x1, x2))``."""
    return xp.floor_divide(x1, x2), xp.remainder(x1, x2)


@generic("modf")
def modf(xp: Any, x: Array) -> tuple[Array, Array]:
    """Fractional and integral parts, both with the sign of x (an infinity's fraction is 0)."""
    x = as_float(xp, x)
    whole = xp.trunc(x)
    return xp.where(xp.isinf(x), xp.zeros_like(x), x - whole), whole


def _pow2(xp: Any, e: Array, like: Array) -> tuple[Array, Array]:
    """``2**e`` as two factors (``2**(e//2)``, ``2**(e - e//2)``), each finite over the whole range
    of exponents of ``like``'s dtype."""
    e = xp.astype(e, like.dtype)
    half = xp.floor(e / 2)
    return 2.0**half, 2.0 ** (e - half)


@generic("frexp")
def frexp(xp: Any, x: Array) -> tuple[Array, Array]:
    """Mantissa in [0.5, 1) and integer exponent with ``x == mantissa * 2**exponent``."""
    native = _native(xp, "frexp")
    if native is not None:
        return tuple(native(x))
    x = as_float(xp, x)
    a = xp.abs(x)
    ok = xp.isfinite(x) & (a > 0)
    e = xp.where(ok, xp.floor(xp.log2(xp.where(ok, a, xp.ones_like(a)))) + 1, xp.zeros_like(a))
    p1, p2 = _pow2(xp, e, x)
    m = x / p1 / p2
    big = xp.abs(m) >= 1  # log2 rounded down a power of two's neighbour: one step to fix
    m, e = xp.where(big, m / 2, m), xp.where(big, e + 1, e)
    small = ok & (xp.abs(m) < 0.5)
    m, e = xp.where(small, m * 2, m), xp.where(small, e - 1, e)
    return m, xp.astype(e, xp.int32)


@generic("ldexp")
def ldexp(xp: Any, x1: Array, x2: Array) -> Array:
    """``x1 * 2**x2``."""
    native = _native(xp, "ldexp")
    if native is not None:
        return native(x1, x2)
    x1 = as_float(xp, xp.asarray(x1))
    p1, p2 = _pow2(xp, xp.asarray(x2), x1)
    return x1 * p1 * p2


def _gcd(xp: Any, x1: Array, x2: Array) -> Array:
    a, b = xp.broadcast_arrays(xp.abs(xp.asarray(x1)), xp.abs(xp.asarray(x2)))
    steps = int(xp.iinfo(a.dtype).bits * 1.5) + 2  # Euclid needs fewer steps than 1.44 log2(max) + 2
    for _ in range(steps):  # a fixed count: lazy arrays cannot be asked whether they are done
        nz = b != 0
        a, b = xp.where(nz, b, a), xp.where(nz, xp.remainder(a, xp.where(nz, b, xp.ones_like(b))), b)
    return a


@generic("gcd")
def gcd(xp: Any, x1: Array, x2: Array) -> Array:
    """Greatest common divisor of integers (Euclid's algorithm)."""
    native = _native(xp, "gcd")
    return native(x1, x2) if native is not None else _gcd(xp, x1, x2)


@generic("lcm")
def lcm(xp: Any, x1: Array, x2: Array) -> Array:
    """Least common multiple of integers."""
    native = _native(xp, "lcm")
    if native is not None:
        return native(x1, x2)
    g = _gcd(xp, x1, x2)
    zero = g == 0
    return xp.where(zero, g, xp.abs(xp.floor_divide(x1, xp.where(zero, xp.ones_like(g), g)) * x2))


@generic("float_power")
def float_power(xp: Any, x1: Array, x2: Array) -> Array:
    """``x1 ** x2`` in the widest floating dtype."""
    wide = xp.float64 if hasattr(xp, "float64") else None
    x1 = xp.asarray(x1)
    x1 = xp.astype(x1, wide) if wide is not None and not xp.isdtype(x1.dtype, "complex floating") else x1
    return xp.pow(x1, xp.astype(xp.asarray(x2), x1.dtype))


@generic("cbrt")
def cbrt(xp: Any, x: Array) -> Array:
    """Real cube root."""
    x = as_float(xp, x)
    return xp.sign(x) * xp.abs(x) ** (1.0 / 3.0)


@generic("exp2")
def exp2(xp: Any, x: Array) -> Array:
    """``2 ** x``."""
    return 2.0 ** as_float(xp, x)


@generic("logaddexp2")
def logaddexp2(xp: Any, x1: Array, x2: Array) -> Array:
    """``log2(2**x1 + 2**x2)`` without overflow."""
    x1, x2 = _like(xp, x1, x2), _like(xp, x2, x1)
    x1, x2 = as_float(xp, x1), as_float(xp, x2)
    top = xp.maximum(x1, x2)
    out = top + xp.log1p(2.0 ** (-xp.abs(x1 - x2))) / math.log(2.0)
    return xp.where(x1 == x2, x1 + 1.0, out)  # equal infinities: no inf - inf


@generic("sinc")
def sinc(xp: Any, x: Array) -> Array:
    """``sin(pi x) / (pi x)``, 1 at 0."""
    import array_api_extra as xpx

    return xpx.sinc(as_float(xp, x), xp=xp)


@generic("deg2rad")
@generic("radians")
def deg2rad(xp: Any, x: Array) -> Array:
    """Degrees to radians."""
    import array_api_extra as xpx

    return xpx.deg2rad(as_float(xp, x), xp=xp)


@generic("rad2deg")
@generic("degrees")
def rad2deg(xp: Any, x: Array) -> Array:
    """Radians to degrees."""
    import array_api_extra as xpx

    return xpx.rad2deg(as_float(xp, x), xp=xp)


@generic("angle")
def angle(xp: Any, z: Array, deg: bool = False) -> Array:
    """The phase of complex numbers (0 or pi for real ones)."""
    z = as_float(xp, z)
    if xp.isdtype(z.dtype, "complex floating"):
        out = xp.atan2(xp.imag(z), xp.real(z))
    else:
        negative = (z < 0) | ((z == 0) & (1.0 / z < 0))  # -0.0 too: 1 / -0.0 is -inf
        half = xp.where(negative, xp.full_like(z, math.pi), xp.zeros_like(z))
        out = xp.where(xp.isnan(z), z, half)
    return out * (180.0 / math.pi) if deg else out


@generic("heaviside")
def heaviside(xp: Any, x1: Array, x2: Array) -> Array:
    """0 where x1 < 0, x2 where x1 == 0, 1 where x1 > 0 (NaN stays NaN)."""
    x1 = as_float(xp, xp.asarray(x1))
    x2 = xp.asarray(x2, dtype=x1.dtype) if isinstance(x2, (int, float)) else x2
    x1, x2 = xp.broadcast_arrays(x1, x2)
    out = xp.where(x1 < 0, xp.zeros_like(x2), xp.where(x1 > 0, xp.ones_like(x2), x2))
    return xp.where(xp.isnan(x1), x1, out)


@generic("isreal")
def isreal(xp: Any, x: Array) -> Array:
    """True where the imaginary part is zero (everywhere, for real dtypes)."""
    if xp.isdtype(x.dtype, "complex floating"):
        return xp.imag(x) == 0
    return xp.ones(x.shape, dtype=xp.bool)


@generic("nan_to_num")
def nan_to_num(xp: Any, x: Array, copy: bool = True, nan: Any = 0.0, posinf: Any = None, neginf: Any = None) -> Array:
    """NaN replaced by ``nan``, infinities by ``posinf``/``neginf`` (the dtype's extremes by default)."""
    if not is_floating(xp, x):
        return x
    if xp.isdtype(x.dtype, "complex floating"):
        parts = (nan_to_num(xp, xp.real(x), copy, nan, posinf, neginf),
                 nan_to_num(xp, xp.imag(x), copy, nan, posinf, neginf))  # fmt: skip
        return xp.astype(parts[0], x.dtype) + xp.astype(parts[1], x.dtype) * xp.asarray(1j, dtype=x.dtype)
    big = xp.finfo(x.dtype).max
    top = xp.asarray(big if posinf is None else posinf, dtype=x.dtype)
    bottom = xp.asarray(-big if neginf is None else neginf, dtype=x.dtype)
    out = xp.where(xp.isnan(x), xp.asarray(nan, dtype=x.dtype), x)
    return xp.where(xp.isinf(x), xp.where(x > 0, top, bottom), out)


#: ``exprel``'s Taylor order near 0 (brainunit's ``set_exprel_order``)
_EXPREL_ORDER = [5]


def _exprel_threshold(eps: float, order: int) -> float:
    """Where ``exprel``'s Taylor series of ``order`` takes over from ``expm1(x) / x``: half the
    |x| at which its first left-out term, ``x**(order+1) / (order+2)!``, reaches ``eps``.  There
    the series is exact to the dtype, and the derivatives of ``expm1(x) / x`` (which cancel
    terms of size 1/|x|, so lose ``eps / |x|``) are accurate where it is used (float32, order 5:
    0.13, gradients to about 1e-6)."""
    return 0.5 * (eps * math.factorial(order + 2)) ** (1.0 / (order + 1))


def _checked_order(order: Any, op: str) -> int:
    if not isinstance(order, int) or isinstance(order, bool) or not 2 <= order <= 20:
        raise ValueError(f"{op}: order must be an integer from 2 to 20, got {order!r}")
    return order


def set_exprel_order(order: int) -> None:
    """The order of the Taylor series ``exprel`` uses near 0: an integer from 2 to 20 (default 5)."""
    _EXPREL_ORDER[0] = _checked_order(order, "set_exprel_order")


def exprel_order() -> int:
    """The Taylor order ``exprel`` uses now."""
    return _EXPREL_ORDER[0]


@generic("exprel")
def exprel(xp: Any, x: Array, order: int | None = None) -> Array:
    """``(exp(x) - 1) / x``, 1 at 0: ``expm1(x) / x``, and a Taylor series of ``order`` (by default
    ``set_exprel_order``'s) where |x| is tiny."""
    x = as_float(xp, x)
    order = exprel_order() if order is None else _checked_order(order, "exprel")
    small = xp.abs(x) <= _exprel_threshold(float(xp.finfo(x.dtype).eps), order)
    safe = xp.where(small, xp.ones_like(x), x)
    series = xp.zeros_like(x)
    for n in range(order, -1, -1):  # Horner: sum of x**n / (n + 1)!
        series = series * x + 1.0 / math.factorial(n + 1)
    return xp.where(small, series, xp.expm1(safe) / safe)
