"""The unit-aware array-API namespace over ``jax.numpy``: every function of the standard, with units.

``from brainunit_xp import jax as xp``; ``q.__array_namespace__()`` returns this module for
quantities of the jax backend.  See docs/unit-rules.md for each function's unit rule.
"""

from ._namespace import populate

populate(__name__)
del populate
