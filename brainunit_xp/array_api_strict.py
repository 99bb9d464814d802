"""The unit-aware array-API namespace over ``array_api_strict``: every function of the standard, with units.

``from brainunit_xp import array_api_strict as xp``; ``q.__array_namespace__()`` returns this module for
quantities of the array_api_strict backend.  See docs/unit-rules.md for each function's unit rule.
"""

from ._namespace import populate

populate(__name__)
del populate
