"""Set-up that follows a library's import, without importing it: ``when_imported("jax", setup,
ready)`` runs ``setup(module)`` at once if the library is imported, else right after its import
completes — whichever of brainunit_xp and the library is imported first."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

__all__ = ["when_imported"]

_done: set[str] = set()


class _ImportHook(importlib.abc.MetaPathFinder):
    """Finds nothing itself: wraps a library's own loader so that our setup follows its import."""

    def __init__(self, name: str, setup: Callable[[ModuleType], object]) -> None:
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


def when_imported(name: str, setup: Callable[[ModuleType], object], ready: Callable[[ModuleType], bool]) -> None:
    """Run ``setup(module)`` now if ``name`` is imported (``ready``), else right after its import."""
    module = sys.modules.get(name)
    if module is not None and ready(module):
        if name not in _done:
            _done.add(name)
            setup(module)
    elif not any(isinstance(f, _ImportHook) and f.name == name for f in sys.meta_path):
        sys.meta_path.insert(0, _ImportHook(name, setup))
