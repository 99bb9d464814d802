"""The registry of generic implementations: functions of brainunit's surface composed from the
array-API standard, for backends without a numpy-like module (torch, ndonnx, array_api_strict).

Each takes the backend's bare namespace ``xp`` first: ``nanmean(xp, x, axis=None, keepdims=False)``.
They compute on plain arrays (mantissas); units are the factories' business."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["GENERIC", "NEEDS", "generic", "usable"]

#: qualified name (``nanmean``, ``linalg.norm``) -> implementation taking ``xp`` first
GENERIC: dict[str, Callable[..., Any]] = {}
#: qualified name -> the functions of ``xp`` the implementation needs (``linalg.svdvals``): a backend
#: without one of them lacks the function
NEEDS: dict[str, tuple[str, ...]] = {}

F = TypeVar("F", bound=Callable[..., Any])


def generic(*names: str, needs: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Register the decorated function as the generic implementation of ``names``; ``needs``: the
    functions of ``xp`` it calls that some array-API namespaces lack (``"linalg.svdvals"``)."""

    def register(fn: F) -> F:
        for name in names:
            GENERIC[name] = fn
            NEEDS[name] = needs
        return fn

    return register


def usable(xp: Any, name: str) -> bool:
    """Does ``xp`` have every function that the generic implementation of ``name`` needs?"""
    for need in NEEDS.get(name, ()):
        obj = xp
        for part in need.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                return False
    return True
