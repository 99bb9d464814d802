"""Quantity as a JAX pytree (mantissa a leaf, unit static), registered without importing jax.

If jax is already imported, registration happens at once; otherwise an import hook registers
Quantity right after ``import jax`` completes (and then removes itself), so ``jax.jit``, ``jax.vmap`` and
``jax.pmap`` accept quantities whichever of the two libraries is imported first.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from types import ModuleType
from typing import Any

from ._backends import backend_of, backend_of_type
from ._quantity import Quantity, wrap
from ._units import Unit

__all__ = ["install"]

_done = False


def _flatten(q: Quantity) -> tuple[tuple[Any], Unit]:
    return (q._m,), q._u


def _unflatten(unit: Unit, children: Any) -> Quantity:
    (m,) = children
    # jax also rebuilds trees around placeholder leaves; those get no backend
    b = backend_of_type(type(m))
    return wrap(m, unit, b if b is not None else _detect(m))


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
