"""Shared fixtures: every test that takes ``backend`` runs once per array backend.

Backends that are not installed are skipped with the install command; cupy is skipped with a
clear reason on a machine without a CUDA GPU.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest
from hypothesis import settings

import brainunit_xp as u
from brainunit_xp._backends import BACKENDS, to_numpy

os.environ.setdefault("JAX_PLATFORMS", "cpu")

# No per-example deadline: a loaded 2-core CI machine is not a failing test (tests that set their
# own settings inherit this); HYPOTHESIS_PROFILE=thorough: 1000 examples where a test sets no count.
settings.register_profile("brainunit_xp", deadline=None)
settings.register_profile("thorough", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "brainunit_xp"))

if os.environ.get("BRAINUNIT_XP_THROWAWAY_BACKEND") == "1":  # tests/test_register_backend.py
    from throwaway_backend import record

    u.register_backend(record())

ALL_BACKENDS = tuple(BACKENDS)


def _gpu_reason() -> str | None:
    try:
        import cupy

        if cupy.cuda.runtime.getDeviceCount() > 0:
            return None
        return "cupy is installed but no CUDA GPU is present"
    except ImportError:
        return f"cupy is not installed ({BACKENDS['cupy'].install})"
    except Exception as exc:  # cupy raises CUDARuntimeError without a driver
        return f"cupy needs a CUDA GPU and none is usable here ({type(exc).__name__})"


def skip_reason(name: str) -> str | None:
    """Why tests of backend ``name`` cannot run here, or ``None``."""
    if name == "cupy":
        return _gpu_reason()
    if not BACKENDS[name].available:
        return f"{name} is not installed ({BACKENDS[name].install})"
    return None


@pytest.fixture(params=ALL_BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    reason = skip_reason(request.param)
    if reason:
        pytest.skip(reason)
    return request.param


def xp_of(name: str) -> Any:
    """The bare array-API namespace of backend ``name``."""
    return BACKENDS[name].xp


def make(name: str, values: Any, unit: Any = None, dtype: Any = None) -> u.Quantity:
    """A quantity on backend ``name`` from (nested) Python or numpy values."""
    kwargs = {} if dtype is None else {"dtype": dtype}
    return u.Quantity(xp_of(name).asarray(np.asarray(values), **kwargs), unit=unit)


def values(q: Any) -> np.ndarray:
    """The numpy values of a Quantity's mantissa (or of a plain array)."""
    m = q.mantissa if isinstance(q, u.Quantity) else q
    return np.asarray(to_numpy(m))
