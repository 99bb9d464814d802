"""Quantity as a JAX pytree (mantissa a leaf, unit static), registered without importing jax.

If jax is already imported, registration happens at once; otherwise an import hook registers
Quantity right after ``import jax`` completes (and then removes itself), so ``jax.jit``, ``jax.vmap`` and
``jax.pmap`` accept quantities whichever of the two libraries is imported first.

``jax.jacfwd``, ``jax.jacrev`` (``jax.jacobian``) and ``jax.hessian`` lay a derivative out as the
output's tree with the input's tree at each leaf, so jax rebuilds a Quantity around a Quantity; that
nesting becomes one Quantity in unit(out) / unit(in) (:func:`_nested`).  Anywhere else a Quantity
around a Quantity has no meaning and raises.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from types import FrameType, ModuleType
from typing import Any

from ._backends import backend_of, backend_of_type
from ._conversion import scale
from ._errors import UnitError
from ._quantity import Quantity, wrap
from ._units import Unit

__all__ = ["install"]

_done = False


def _flatten(q: Quantity) -> tuple[tuple[Any], Unit]:
    return (q._m,), q._u


def _unflatten(unit: Unit, children: Any) -> Any:
    (m,) = children
    b = backend_of_type(type(m))
    if b is not None:
        return wrap(m, unit, b)
    if isinstance(m, (Quantity, tuple, list, dict)):
        return _nested(unit, m)
    # jax also rebuilds trees around placeholder leaves; those get no backend
    return wrap(m, unit, _detect(m))


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
    try:
        return backend_of(m)
    except Exception:
        return None


def _register(jax: ModuleType) -> None:
    global _done
    if not _done:
        jax.tree_util.register_pytree_node(Quantity, _flatten, _unflatten)
        _done = True


class _JaxImportHook(importlib.abc.MetaPathFinder):
    """Finds nothing itself: wraps jax's own loader so that registration follows its import."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        # stays in place until jax is *executed*: ``importlib.util.find_spec("jax")`` (an
        # availability check, as many libraries do) also lands here and imports nothing
        if fullname != "jax" or _done:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_and_register(module: ModuleType) -> None:
            exec_module(module)
            _register(module)
            if self in sys.meta_path:
                sys.meta_path.remove(self)

        loader.exec_module = exec_and_register  # type: ignore[method-assign]
        return spec


def install() -> None:
    """Register Quantity with jax now, or as soon as jax is imported."""
    jax = sys.modules.get("jax")
    if jax is not None and hasattr(jax, "tree_util"):
        _register(jax)
    elif not any(isinstance(f, _JaxImportHook) for f in sys.meta_path):
        sys.meta_path.insert(0, _JaxImportHook())
