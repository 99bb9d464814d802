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

from . import _matplotlib, _namespace, _pytree, _xarray
from ._backends import (
    BACKENDS,
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
from ._custom_array import CustomArray, maybe_custom_array, maybe_custom_array_tree
from ._decorators import assign_units, check_dims, check_units
from ._errors import (
    BackendError,
    BackendNotImplementedError,
    BrainUnitError,
    DimensionMismatchError,
    NoUnitRuleError,
    UnitError,
    UnitMismatchError,
    UnitTypeError,
)
from ._getters import (
    UNITLESS,
    array_with_unit,
    assert_quantity,
    celsius2kelvin,
    display_in_unit,
    fahrenheit2kelvin,
    fail_for_dimension_mismatch,
    fail_for_unit_mismatch,
    get_dim,
    get_dim_for_display,
    get_magnitude,
    get_mantissa,
    get_unit,
    has_same_unit,
    have_same_dim,
    is_dimensionless,
    is_scalar_type,
    is_unit_equal_math,
    is_unitless,
    kelvin2celsius,
    kelvin2fahrenheit,
    maybe_decimal,
    split_mantissa_unit,
    unit_scale_align_to_first,
)
from ._matplotlib import enable_matplotlib_support
from ._quantity import Quantity
from ._units import (
    DIMENSIONLESS,
    ONE,
    PREFIXES,
    UNITS,
    Dimension,
    Unit,
    add_standard_unit,
    get_or_create_dimension,
    parse_unit,
)
from ._units import get_unit as _catalog_unit

__version__ = "0.1.0"

_pytree.install()
_matplotlib.install()
_xarray.install()
del _namespace  # imported for its side effect: backends can now build their namespaces

_SUBMODULES = ("math", "linalg", "fft", "lax", "autograd", "sparse", "onnx", "torch_func")
#: submodules reachable as attributes but not star-imported (``typing`` would shadow the stdlib's,
#: ``scipy`` scipy itself)
_LAZY_MODULES = ("constants", "typing", "scipy")
#: brainunit's top-level names of physical constants -> their names in ``brainunit_xp.constants``
_CONSTANTS = {
    "avogadro_constant": "avogadro",
    "boltzmann_constant": "boltzmann",
    "electric_constant": "electric",
    "electron_mass": "electron_mass",
    "elementary_charge": "elementary_charge",
    "faraday_constant": "faraday",
    "gas_constant": "gas",
    "magnetic_constant": "magnetic",
    "molar_mass_constant": "molar_mass",
}

globals().update({name: unit for name, unit in UNITS.items() if name.isidentifier()})

__all__ = [  # noqa: PLE0604
    "Backend",
    "BackendError",
    "BackendNotImplementedError",
    "BrainUnitError",
    "DIMENSIONLESS",
    "Dimension",
    "DimensionMismatchError",
    "NoUnitRuleError",
    "ONE",
    "PREFIXES",
    "Quantity",
    "UNITS",
    "Unit",
    "UnitError",
    "add_standard_unit",
    "get_or_create_dimension",
    "get_default_backend",
    "get_unit",
    # brainunit's helpers, decorators and errors
    "UNITLESS",
    "UnitMismatchError",
    "UnitTypeError",
    "CustomArray",
    "array_with_unit",
    "assert_quantity",
    "assign_units",
    "celsius2kelvin",
    "check_dims",
    "check_units",
    "display_in_unit",
    "enable_matplotlib_support",
    "fahrenheit2kelvin",
    "fail_for_dimension_mismatch",
    "fail_for_unit_mismatch",
    "get_dim",
    "get_dim_for_display",
    "get_magnitude",
    "get_mantissa",
    "has_same_unit",
    "have_same_dim",
    "is_dimensionless",
    "is_scalar_type",
    "is_unit_equal_math",
    "is_unitless",
    "kelvin2celsius",
    "kelvin2fahrenheit",
    "maybe_custom_array",
    "maybe_custom_array_tree",
    "maybe_decimal",
    "split_mantissa_unit",
    "unit_scale_align_to_first",
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
    if name in _SUBMODULES or name in _LAZY_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in BACKENDS:
        return BACKENDS[name].namespace()
    if name in _CONSTANTS:
        return getattr(importlib.import_module(f"{__name__}.constants"), _CONSTANTS[name])
    unit = _catalog_unit(name)
    if unit is not None:
        return unit
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(BACKENDS) | set(_SUBMODULES) | set(_LAZY_MODULES) | set(_CONSTANTS))
