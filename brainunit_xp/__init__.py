"""brainunit_xp: physical units for arrays of any array-API backend.

A :class:`Quantity` pairs a :class:`Unit` with an array mantissa on jax (the default), numpy,
cupy, torch, dask, ndonnx or array_api_strict.  Operators and ``brainunit_xp.math``, ``.linalg``
and ``.fft`` pick the backend from their inputs; ``q.__array_namespace__()`` gives a unit-aware
array-API namespace, so array-API-generic code runs on quantities unchanged.

Every catalog unit is an attribute: ``brainunit_xp.mV``, ``.cmeter3``, ``.kHz`` …
"""

from __future__ import annotations

import builtins
import importlib
from typing import Any

from . import _namespace, _pytree
from ._backends import (
    Backend,
    computing_lazy_values,
    get_default_backend,
    is_array_api_strict_array,
    is_cupy_array,
    is_dask_array,
    is_jax_array,
    is_ndonnx_array,
    is_numpy_array,
    is_torch_array,
    register_backend,
    set_default_backend,
    using_backend,
)
from ._errors import BackendError, BrainUnitError, DimensionMismatchError, UnitError
from ._quantity import Quantity
from ._units import DIMENSIONLESS, ONE, PREFIXES, UNITS, Dimension, Unit, get_unit, parse_unit

__version__ = "0.1.0"

_pytree.install()
del _namespace  # imported for its side effect: backends can now build their namespaces

#: array-API namespaces with units, one per backend, created on first access
NAMESPACES = ("jax", "numpy", "cupy", "torch", "dask", "ndonnx", "array_api_strict")
_SUBMODULES = ("math", "linalg", "fft", "lax", "autograd", "sparse", "onnx", "torch_func")

globals().update({name: unit for name, unit in UNITS.items() if name.isidentifier()})

__all__ = [  # noqa: PLE0604
    "Backend",
    "BackendError",
    "BrainUnitError",
    "DIMENSIONLESS",
    "Dimension",
    "DimensionMismatchError",
    "ONE",
    "PREFIXES",
    "Quantity",
    "UNITS",
    "Unit",
    "UnitError",
    "get_default_backend",
    "get_unit",
    "is_array_api_strict_array",
    "is_cupy_array",
    "is_dask_array",
    "is_jax_array",
    "is_ndonnx_array",
    "is_numpy_array",
    "is_torch_array",
    "parse_unit",
    "register_backend",
    "set_default_backend",
    "using_backend",
    "computing_lazy_values",
    *_SUBMODULES,
    # star-imports bring the units too, except those that would shadow a builtin (min)
    *sorted(n for n in UNITS if n.isidentifier() and not hasattr(builtins, n)),
]


def __getattr__(name: str) -> Any:
    if name in NAMESPACES or name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    unit = get_unit(name)
    if unit is not None:
        return unit
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(NAMESPACES) | set(_SUBMODULES))
