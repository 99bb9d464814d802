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
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

from ._backends import _BY_TYPE, backend_of
from ._quantity import Quantity
from ._units import Unit

__all__ = ["install"]

_new = object.__new__
_type_backend = _BY_TYPE.get


def _flatten(q: Quantity) -> tuple[tuple[Any], Unit]:
    return (q._m,), q._u


def _unflatten(unit: Unit, children: Any) -> Quantity:
    # the body of ``wrap``, inlined: this runs once per Quantity output of every jitted call
    (m,) = children
    q = _new(Quantity)
    q._m = m
    q._u = unit
    b = _type_backend(type(m))
    q._b = b if b is not None else _detect(m)
    return q


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
    _hook("torch._dynamo", _register_dynamo, lambda m: hasattr(m, "substitute_in_graph"))


def _register_dynamo(dynamo: ModuleType) -> None:
    from ._torch import register_dynamo

    register_dynamo()


_done: set[str] = set()


class _ImportHook(importlib.abc.MetaPathFinder):
    """Finds nothing itself: wraps a library's own loader so that our setup follows its import."""

    def __init__(self, name: str, setup: Callable[[ModuleType], None]) -> None:
        self.name = name
        self.setup = setup

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        # stays in place until the module is *executed*: ``importlib.util.find_spec("jax")`` (an
        # availability check, as many libraries do) also lands here and imports nothing
        if fullname != self.name or self.name in _done:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_and_set_up(module: ModuleType) -> None:
            exec_module(module)
            if self in sys.meta_path:
                sys.meta_path.remove(self)
            if self.name not in _done:
                _done.add(self.name)
                self.setup(module)

        loader.exec_module = exec_and_set_up  # type: ignore[method-assign]
        return spec


def _hook(name: str, setup: Callable[[ModuleType], None], ready: Callable[[ModuleType], bool]) -> None:
    """Run ``setup(module)`` now if ``name`` is imported (``ready``), else right after its import."""
    module = sys.modules.get(name)
    if module is not None and ready(module):
        if name not in _done:
            _done.add(name)
            setup(module)
    elif not any(isinstance(f, _ImportHook) and f.name == name for f in sys.meta_path):
        sys.meta_path.insert(0, _ImportHook(name, setup))


def install() -> None:
    """Register Quantity with jax and torch now, or as soon as each is imported."""
    _hook("jax", _register_jax, lambda m: hasattr(m, "tree_util"))
    _hook("torch", _register_torch, lambda m: hasattr(m, "func"))
