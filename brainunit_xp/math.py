"""Every function of the array API standard, with units, on the backend chosen from the inputs.

One backend kind among the inputs wins; mixed inputs or none use the default backend
(``set_default_backend`` / ``using_backend``), which is jax unless set.

Beside the array functions (the rules table), brainunit's other ``math`` names live here: its
constants, dtype names, helpers about shapes and dtypes, and the getters it re-exports from the top
level.  Dtype names are numpy's scalar types (``bfloat16``, ``int4`` … from ml_dtypes), resolved on
first use so that importing brainunit_xp imports neither numpy nor jax; a namespace function given
one on torch, ndonnx or array_api_strict receives that backend's dtype of the same name.
"""

from __future__ import annotations

import math as _math
import sys as _sys
from typing import Any

from ._backends import backend_of as _backend_of
from ._backends import select_backend as _select_backend
from ._backends import to_numpy as _to_numpy
from ._custom_array import maybe_custom_array as _plain

# brainunit's math re-exports its top-level getters and decorators: the same objects here
from ._decorators import check_dims, check_units  # noqa: F401
from ._frontend import populate_frontend as _populate
from ._getters import (  # noqa: F401
    assert_quantity,
    display_in_unit,
    fail_for_dimension_mismatch,
    fail_for_unit_mismatch,
    get_dim,
    get_magnitude,
    get_mantissa,
    get_unit,
    is_dimensionless,
    is_unitless,
    maybe_decimal,
)
from ._namespace.generic.elementwise import set_exprel_order  # noqa: F401
from ._quantity import Quantity as _Quantity

_populate(_sys.modules[__name__])

# -- constants ---------------------------------------------------------------------------------------------
e = _math.e
pi = _math.pi
inf = _math.inf
nan = _math.nan
euler_gamma = 0.577215664901532860606512090082402431
newaxis = None

#: brainunit's dtype names -> (module, attribute): numpy's scalar types, ml_dtypes' narrow ones
_DTYPES = {
    **{n: ("numpy", n) for n in ("bool_", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32",
                                "int64", "float16", "float32", "float64", "complex64", "complex128", "int_",
                                "uint", "single", "double", "csingle", "cdouble", "inexact", "dtype")},
    "float_": ("numpy", "float64"),
    "complex_": ("numpy", "complex128"),
    **{n: ("ml_dtypes", n) for n in ("bfloat16", "int2", "int4", "uint2", "uint4")},
}  # fmt: skip
#: names brainunit re-exports from the top level that brainunit_xp's top level may define later
_TOP = ("get_or_create_dimension",)


def __getattr__(name: str) -> Any:
    if name in _DTYPES:
        module, attr = _DTYPES[name]
        value = getattr(__import__(module), attr, None)
        globals()[name] = value
        return value
    if name in _TOP:
        top = _sys.modules[__package__]
        if hasattr(top, name):
            return getattr(top, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_DTYPES})


# -- helpers: shapes, dtypes, kinds --------------------------------------------------------------------------


def _mantissa(a: Any) -> Any:
    a = _plain(a)
    return a._m if isinstance(a, _Quantity) else a


def is_quantity(x: Any) -> bool:
    """Is ``x`` a :class:`Quantity` (a ``CustomArray`` holding one counts)?"""
    return isinstance(_plain(x), _Quantity)


def shape(a: Any) -> tuple[int, ...]:
    """The shape of an array, a Quantity, a nested list or a number (``()``)."""
    m = _mantissa(a)
    if hasattr(m, "shape"):
        return tuple(m.shape)
    import numpy as np

    return tuple(np.shape(m))


def ndim(a: Any) -> int:
    """The number of dimensions of an array, a Quantity, a nested list or a number."""
    return len(shape(a))


def size(a: Any, axis: int | None = None) -> int:
    """The number of elements, or the length of ``axis``."""
    s = shape(a)
    return _math.prod(s) if axis is None else s[axis]


def isscalar(a: Any) -> bool:
    """Is ``a`` a single value: a number, a 0-d array or a 0-d Quantity?"""
    m = _mantissa(a)
    if isinstance(m, (bool, int, float, complex, str, bytes)):
        return True
    return getattr(m, "ndim", None) == 0


def get_dtype(a: Any) -> Any:
    """The dtype of an array or Quantity; for a Python number, the dtype the default backend gives it
    (``bool`` for a Python bool)."""
    m = _mantissa(a)
    if hasattr(m, "dtype"):
        return m.dtype
    if isinstance(m, bool):
        return bool
    if isinstance(m, (int, float, complex)):
        return _select_backend().xp.asarray(m).dtype
    raise ValueError(f"get_dtype: cannot tell the dtype of {type(a).__name__} {a!r}")


_finfo: Any = globals()["finfo"]  # the dispatchers that populate made
_iinfo: Any = globals()["iinfo"]


def finfo(type: Any, /) -> Any:
    """Machine limits of a floating dtype, of an array's or Quantity's, or of a Python number's
    default dtype."""
    return _finfo(get_dtype(type) if isinstance(type, (float, complex)) else type)


def iinfo(type: Any, /) -> Any:
    """Machine limits of an integer dtype, of an array's or Quantity's, or of a Python int's default
    dtype."""
    return _iinfo(get_dtype(type) if isinstance(type, int) and not isinstance(type, bool) else type)


def _isdtype(a: Any, kind: str) -> bool:
    m = _mantissa(a)
    if isinstance(m, (bool, int, float, complex)):
        python = {"bool": bool, "integral": int, "real floating": float, "complex floating": complex}[kind]
        return type(m) is python
    b = _backend_of(m) or _select_backend()
    return bool(b.xp.isdtype(m.dtype, kind))


def is_float(array: Any) -> bool:
    """Has ``array`` a real floating dtype?"""
    return _isdtype(array, "real floating")


def is_int(array: Any) -> bool:
    """Has ``array`` an integer dtype?"""
    return _isdtype(array, "integral")


def iscomplexobj(x: Any) -> bool:
    """Has ``x`` a complex dtype (a complex number counts)?"""
    return _isdtype(x, "complex floating")


def issubdtype(a: Any, b: Any) -> bool:
    """Is dtype ``a`` ``b`` or below it in numpy's type hierarchy (``issubdtype(float32, floating)``)?
    jax's rule, which knows ``bfloat16`` and the narrow integers."""
    import jax.numpy as jnp

    return bool(jnp.issubdtype(a, b))


def get_promote_dtypes(*args: Any) -> Any:
    """The dtype that arrays, Quantities and numbers promote to together (``result_type``)."""
    ms = [_mantissa(a) for a in args]
    found = [b for b in map(_backend_of, ms) if b is not None]
    return _select_backend(*found).xp.result_type(*ms)


def as_numpy(x: Any) -> Any:
    """``x`` on numpy: a Quantity keeps its unit (a numpy mantissa; brainunit returns the bare
    mantissa); an array becomes a numpy array."""
    x = _plain(x)
    return x.to_numpy() if isinstance(x, _Quantity) else _to_numpy(x)


def from_numpy(x: Any, unit: Any = None, dtype: Any = None) -> Any:
    """A numpy array as an array of the default backend (``set_default_backend``; jax unless set),
    in ``unit`` (dimensionless by default)."""
    ns = _select_backend().namespace()
    return ns.from_numpy(x, dtype=dtype, unit=unit)


def einshape(x: Any, pattern: str) -> dict[str, int]:
    """einops' ``parse_shape``: the lengths of the named axes of ``x`` (``_`` skips an axis)."""
    import einops
    import numpy as np

    return dict(einops.parse_shape(np.broadcast_to(np.empty((), bool), shape(x)), pattern))


def _tree_map(fn: Any, tree: Any) -> Any:
    """``fn`` on every leaf of a pytree (Quantities are leaves)."""
    try:
        import jax
    except ImportError:  # nested lists, tuples and dicts
        if isinstance(tree, dict):
            return type(tree)((k, _tree_map(fn, v)) for k, v in tree.items())
        if isinstance(tree, (list, tuple)):
            items = [_tree_map(fn, v) for v in tree]
            return type(tree)(*items) if hasattr(tree, "_fields") else type(tree)(items)
        return fn(tree)
    return jax.tree.map(fn, tree, is_leaf=lambda v: isinstance(v, _Quantity))


def _filled(value: int) -> Any:
    def fill(leaf: Any) -> Any:
        leaf = _plain(leaf)
        if isinstance(leaf, (bool, int, float, complex)):
            return type(leaf)(value)
        m = leaf._m if isinstance(leaf, _Quantity) else leaf
        b = _backend_of(m) or _select_backend()
        out = (b.xp.ones_like if value else b.xp.zeros_like)(b.xp.asarray(m))
        return _Quantity(out, unit=leaf.unit) if isinstance(leaf, _Quantity) else out

    return fill


def tree_ones_like(tree: Any) -> Any:
    """A pytree of the same structure with ones in every leaf: a Quantity's in its unit (as
    brainunit), an array's plain."""
    return _tree_map(_filled(1), tree)


def tree_zeros_like(tree: Any) -> Any:
    """A pytree of the same structure with zeros in every leaf: a Quantity's in its unit, an
    array's plain."""
    return _tree_map(_filled(0), tree)


from . import fft, linalg  # noqa: E402, F401  # brainunit's math.fft and math.linalg: the front-ends

#: brainunit's other math names join the array functions in ``__all__`` (star-imports see them too)
_OTHERS = [
    "e", "pi", "inf", "nan", "euler_gamma", "newaxis", "check_dims", "check_units", "assert_quantity",
    "display_in_unit", "fail_for_dimension_mismatch", "fail_for_unit_mismatch", "get_dim", "get_magnitude",
    "get_mantissa", "get_unit", "is_dimensionless", "is_unitless", "maybe_decimal", "set_exprel_order",
    "is_quantity", "shape", "ndim", "size", "isscalar", "get_dtype", "is_float", "is_int", "iscomplexobj",
    "issubdtype", "get_promote_dtypes", "as_numpy", "einshape", "tree_ones_like", "tree_zeros_like", "fft", "linalg",
]  # fmt: skip
globals()["__all__"] = sorted({*globals()["__all__"], *_DTYPES, *_OTHERS})
