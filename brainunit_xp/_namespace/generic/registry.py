"""The registry of generic implementations: functions of brainunit's surface composed from the
array-API standard, for backends without a numpy-like module (torch, ndonnx, array_api_strict).

Each takes the backend's bare namespace ``xp`` first: ``nanmean(xp, x, axis=None, keepdims=False)``.
They compute on plain arrays (mantissas); units are the factories' business."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["EAGER", "GENERIC", "NEEDS", "generic", "usable"]

#: qualified name (``nanmean``, ``linalg.norm``) -> implementation taking ``xp`` first
GENERIC: dict[str, Callable[..., Any]] = {}
#: qualified name -> the functions of ``xp`` the implementation needs (``linalg.svdvals``): a backend
#: without one of them lacks the function
NEEDS: dict[str, tuple[str, ...]] = {}
#: the implementations that go on computing with arrays of data-dependent size (``nonzero``'s): lazy
#: backends, which do not know such sizes, lack them
EAGER: set[str] = set()

F = TypeVar("F", bound=Callable[..., Any])


def generic(*names: str, needs: tuple[str, ...] = (), eager: bool = False) -> Callable[[F], F]:
    """Register the decorated function as the generic implementation of ``names``; ``needs``: the
    functions of ``xp`` it calls that some array-API namespaces lack (``"linalg.svdvals"``); ``eager``:
    it computes on with arrays of data-dependent size, which lazy backends cannot."""

    def register(fn: F) -> F:
        for name in names:
            GENERIC[name] = fn
            NEEDS[name] = needs
            if eager:
                EAGER.add(name)
        return fn

    return register


def usable(xp: Any, name: str, lazy: bool = False) -> bool:
    """Can the namespace ``xp`` (of a ``lazy`` backend or not) run the generic implementation of
    ``name``: has it every function that it needs?"""
    if lazy and name in EAGER:
        return False
    for need in NEEDS.get(name, ()):
        obj = xp
        for part in need.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                return False
    return True
