"""The front-ends ``brainunit_xp.math``, ``.linalg`` and ``.fft``: the namespace functions with
the backend picked from the inputs by the selection rule (one backend among the inputs wins;
mixed or none: the default backend; unset: jax)."""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

from ._backends import BACKENDS, Backend, backend_of, select_backend
from ._custom_array import maybe_custom_array
from ._errors import BackendError
from ._namespace import MATH_RULES, RULES, provided
from ._quantity import Quantity, scan_backends, wrap
from ._types import SCALARS

__all__ = ["populate_frontend"]

#: every function of the front-ends: the standard's and brainunit's other names
TABLE = {**RULES, **MATH_RULES}


def _move(x: Any, b: Backend) -> Any:
    """Arrays and quantities of other backends converted to ``b`` (lists and tuples too)."""
    x = maybe_custom_array(x)
    if isinstance(x, Quantity):
        return x if x._b is None or x._b is b else wrap(b.adopt(x._m, x._b, "brainunit_xp.math"), x._u, b)
    if isinstance(x, (list, tuple)):
        return type(x)(_move(item, b) for item in x)
    if x is None or isinstance(x, (*SCALARS, str, slice)):
        return x
    try:
        xb = backend_of(x)
    except BackendError:
        return x
    return b.adopt(x, xb, "brainunit_xp.math")


def _numpy_dtype(d: Any) -> bool:
    """Is ``d`` a numpy (or ml_dtypes) dtype: ``math.float32``, ``numpy.dtype('int32')``?"""
    if isinstance(d, type):
        return d.__module__ in ("numpy", "ml_dtypes")
    return type(d).__module__ == "numpy.dtypes"


def _native_dtypes(b: Backend, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """numpy dtypes among the arguments as the dtypes of the same name of ``b``'s namespace (torch,
    ndonnx and array_api_strict take only their own)."""
    import numpy as np

    def native(d: Any) -> Any:
        return getattr(b.xp, np.dtype(d).name, d) if _numpy_dtype(d) else d

    return tuple(native(a) for a in args), {k: native(v) for k, v in kwargs.items()}


def _dispatcher(qualname: str) -> Callable[..., Any]:
    ext, _, name = qualname.rpartition(".")

    def f(*args: Any, **kwargs: Any) -> Any:
        found: list[Backend] = []
        scan_backends(args, found)
        scan_backends(tuple(kwargs.values()), found)
        b = select_backend(*found)
        if len(set(found)) > 1:
            args, kwargs = _move(args, b), {k: _move(v, b) for k, v in kwargs.items()}
        if b.numpy_like is None and any(map(_numpy_dtype, (*args, *kwargs.values()))):
            args, kwargs = _native_dtypes(b, args, kwargs)
        ns = b.namespace()
        fn = getattr(getattr(ns, ext, None) if ext else ns, name, None)
        if fn is None:
            have = [
                other.name for other in BACKENDS.values() if other.available and provided(other, qualname) is not None
            ]
            raise BackendError(
                f"{qualname} is not implemented by the {b.name} backend (the backends that have it: "
                f"{', '.join(have) or 'none installed'}); convert the inputs to one of them first, e.g. with "
                f".to_{have[0] if have else 'numpy'}()"
            )
        return fn(*args, **kwargs)

    f.__name__ = f.__qualname__ = name
    rule = TABLE[qualname]
    f.__doc__ = f"``{qualname}`` with units, on the backend chosen from the inputs.\n\nUnit rule: {rule.unit}.\n"
    return f


def populate_frontend(module: types.ModuleType, ext: str = "") -> None:
    """Fill a front-end module with a dispatcher for every function of the rules table."""
    prefix = f"{ext}." if ext else ""
    names = [q for q in TABLE if (q.startswith(prefix) if ext else "." not in q)]
    for qualname in names:
        fn = _dispatcher(qualname)
        fn.__module__ = module.__name__
        setattr(module, fn.__name__, fn)
    module.__all__ = sorted(q.rpartition(".")[2] for q in names)  # type: ignore[attr-defined]
