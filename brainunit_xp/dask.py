"""The unit-aware array-API namespace over ``array_api_compat.dask.array``: every function of the standard, with units.

``from brainunit_xp import dask as xp``; ``q.__array_namespace__()`` returns this module for
quantities of the dask backend.  See docs/unit-rules.md for each function's unit rule.
"""

from ._namespace import populate

populate(__name__)
del populate

from ._dask import from_zarr, to_zarr  # noqa: E402, F401  # zarr stores that keep the unit
