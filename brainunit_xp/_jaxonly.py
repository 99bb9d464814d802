"""What the JAX-only subpackages (``lax``, ``autograd``, ``sparse``) share: the jax backend and the
check that refuses a Quantity or array of another backend with the fix in the message."""

from __future__ import annotations

from typing import Any

from ._backends import Backend, backend_of, get_backend
from ._errors import BackendError, wrong_backend
from ._quantity import Quantity
from ._types import SCALARS

__all__ = ["JAX", "jax_inputs"]

JAX: Backend = get_backend("jax")
_PLAIN = (*SCALARS, str, bytes, slice, type(None), type(Ellipsis))


def _check(op: str, x: Any) -> Any:
    if isinstance(x, Quantity):
        b = x._b
        if b is not None and b is not JAX:
            raise wrong_backend(op, b.name, "jax", "a Quantity")
        return x
    if isinstance(x, (list, tuple)):
        return type(x)(_check(op, item) for item in x) if type(x) in (list, tuple) else x
    if isinstance(x, dict):
        return {k: _check(op, v) for k, v in x.items()}
    if type(x) in _PLAIN or callable(x):
        return x
    try:
        b = backend_of(x)
    except BackendError:
        return x  # dtypes, precisions, dimension numbers and other options
    if b is None or b is JAX:
        return x
    if b.name == "numpy":
        return JAX.xp.asarray(x)  # jax takes NumPy arrays as constants; so do we (dimensionless)
    raise wrong_backend(op, b.name, "jax")


def jax_inputs(op: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """``args`` and ``kwargs`` with every array on jax; a Quantity of another backend raises
    :class:`BackendError` naming ``op`` and the ``.to_jax()`` fix."""
    return tuple(_check(op, a) for a in args), {k: _check(op, v) for k, v in kwargs.items()}
