"""The registry of generic implementations: functions of brainunit's surface composed from the
array-API standard, for backends without a numpy-like module (torch, ndonnx, array_api_strict).

Each takes the backend's bare namespace ``xp`` first: ``nanmean(xp, x, axis=None, keepdims=False)``.
They compute on plain arrays (mantissas); units are the factories' business."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["GENERIC", "generic"]

#: qualified name (``nanmean``, ``linalg.norm``) -> implementation taking ``xp`` first
GENERIC: dict[str, Callable[..., Any]] = {}

F = TypeVar("F", bound=Callable[..., Any])


def generic(name: str) -> Callable[[F], F]:
    """Register the decorated function as the generic implementation of ``name``."""

    def register(fn: F) -> F:
        GENERIC[name] = fn
        return fn

    return register
