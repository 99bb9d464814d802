"""A throwaway backend for the registration recipe: a second copy of array_api_strict, imported
under another module name (so its arrays are a type of their own), registered as ``strict_copy``.

``BRAINUNIT_XP_THROWAWAY_BACKEND=1 python -m pytest tests/test_namespace.py -k strict_copy``
runs the generic tests on it (tests/test_register_backend.py does)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import numpy as np

from brainunit_xp import Backend

NAME = "strict_copy"
MODULE = "array_api_strict_copy"


def load_copy() -> ModuleType:
    """array_api_strict, imported a second time as ``array_api_strict_copy``."""
    if MODULE in sys.modules:
        return sys.modules[MODULE]
    import array_api_strict

    origin = array_api_strict.__file__
    assert origin is not None
    spec = importlib.util.spec_from_file_location(
        MODULE, origin, submodule_search_locations=[origin.rpartition("/")[0]]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE] = module
    spec.loader.exec_module(module)
    return module


def record() -> Backend:
    """The one record that adds the backend."""
    copy = load_copy()
    array_type = copy._array_object.Array
    return Backend(
        name=NAME,
        module="array_api_strict",
        namespace_path=MODULE,
        is_array=lambda x: isinstance(x, array_type),
        install='pip install "brainunit-xp[test]"',
        to_numpy=np.from_dlpack,
    )
