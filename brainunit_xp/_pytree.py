"""Quantity as a pytree of jax and of torch (mantissa a leaf, unit static), registered without
importing either library.

A library that is already imported is set up at once; otherwise an import hook sets it up right
after its import completes (and then removes itself), so ``jax.jit``, ``jax.vmap``,
``torch.func.vmap``, ``torch.compile`` … accept quantities whichever library is imported first.
``torch._dynamo`` (imported by the first ``torch.compile``) gets the compile support of
:mod:`brainunit_xp._torch` the same way.

How the jax node is registered was measured (``benchmarks/pytree_options.py``: ``jax.jit`` of
``x + y`` on two 1,000-element quantities, against the bare 4.1 µs call): ``register_pytree_node``
with ``wrap`` 1.17 times, ``register_pytree_with_keys`` 1.15 times, ``register_pytree_node_class`` 1.25 times,
``register_dataclass`` (C++ flatten, keyword constructor) 1.13 to 1.15 times, an identity-hashed aux
token 1.21 times, and this module's registration (keys, the unflatten inlined) 1.12 to 1.14 times.  The rest is
jax calling back into Python once per Quantity in and out.  The unit is the aux data: units are
interned, so jax's cache compares them by identity first.

``jax.jacfwd``, ``jax.jacrev`` (``jax.jacobian``) and ``jax.hessian`` lay a derivative out as the
output's tree with the input's tree at each leaf, so jax rebuilds a Quantity around a Quantity; that
nesting becomes one Quantity in unit(out) / unit(in) (:func:`_nested`).  Anywhere else a Quantity
around a Quantity has no meaning and raises.
"""

from __future__ import annotations

import sys
from types import FrameType, ModuleType
from typing import Any

from ._backends import backend_of, backend_of_type
from ._conversion import scale
from ._errors import UnitError
from ._import_hooks import when_imported
from ._quantity import Quantity, wrap
from ._units import Unit

__all__ = ["install"]

_new = object.__new__


def _flatten(q: Quantity) -> tuple[tuple[Any], Unit]:
    return (q._m,), q._u


def _unflatten(unit: Unit, children: Any) -> Any:
    # the body of ``wrap``, inlined: this runs once per Quantity output of every jitted call
    (m,) = children
    b = backend_of_type(type(m))
    if b is None:
        if isinstance(m, (Quantity, tuple, list, dict)):
            return _nested(unit, m)
        b = _detect(m)
    q = _new(Quantity)
    q._m = m
    q._u = unit
    q._b = b
    return q


def _jacobian_frame() -> str | None:
    """The qualified name of the jax Jacobian function (``jacrev.<locals>.jacfun``) that is
    rebuilding a tree right now, if one is (it is a few frames above jax's tree functions)."""
    frame: FrameType | None = sys._getframe(3)  # above _jacobian_frame, _nested, _unflatten: jax's tree function
    for _ in range(4):
        if frame is None:
            return None
        if frame.f_code.co_name == "jacfun" and frame.f_globals.get("__name__") == "jax._src.api":
            return frame.f_code.co_qualname
        frame = frame.f_back
    return None


def _nested(unit: Unit, child: Any) -> Any:
    """A Quantity in ``unit`` that jax rebuilds around a Quantity or a container: in a jax Jacobian,
    the derivative block(s), each in ``unit / unit(inner)`` (``unit`` for a plain inner value);
    elsewhere a container is left inside (an intermediate tree jax flattens again) and a Quantity
    raises."""
    jacobian = _jacobian_frame()
    if jacobian is None:
        if isinstance(child, Quantity):
            raise UnitError(
                f"jax rebuilt a Quantity in {unit.name!r} around a Quantity in {child._u.name!r}: a function "
                f"mapped over the values of a Quantity (jax.tree.map) returned a Quantity. Return a plain "
                f"array, or map over whole quantities with is_leaf=lambda x: isinstance(x, brainunit_xp.Quantity)"
            )
        return wrap(child, unit, None)
    if jacobian.startswith("jacrev.") and sys._getframe(2).f_code.co_name == "tree_map":  # above _unflatten
        return child  # jacrev's intermediate (input tree around output tree): transposed next, units unused
    jax = sys.modules["jax"]

    def block(inner: Any) -> Any:
        if not isinstance(inner, Quantity):
            return _unflatten(unit, (inner,))
        u, fold = unit.quotient(inner._u)
        return wrap(inner._m if fold == 1.0 else scale(inner._m, fold, inner._b), u, inner._b)

    return jax.tree.map(block, child, is_leaf=lambda x: isinstance(x, Quantity))


def _detect(m: Any) -> Any:
    # jax and torch also rebuild trees around placeholder leaves (None, object()): no backend
    try:
        return backend_of(m)
    except Exception:
        return None


def _register_jax(jax: ModuleType) -> None:
    key = (jax.tree_util.GetAttrKey("mantissa"),)

    def flatten_with_keys(q: Quantity) -> tuple[tuple[tuple[Any, Any]], Unit]:
        return ((key[0], q._m),), q._u

    jax.tree_util.register_pytree_with_keys(Quantity, flatten_with_keys, _unflatten, _flatten)


def _register_torch(torch: ModuleType) -> None:
    from ._torch import register_pytree

    register_pytree()
    when_imported("torch._dynamo", _register_dynamo, lambda m: hasattr(m, "substitute_in_graph"))


def _register_dynamo(dynamo: ModuleType) -> None:
    from ._torch import register_dynamo

    register_dynamo()


def install() -> None:
    """Register Quantity with jax and torch now, or as soon as each is imported."""
    when_imported("jax", _register_jax, lambda m: hasattr(m, "tree_util"))
    when_imported("torch", _register_torch, lambda m: hasattr(m, "func"))
