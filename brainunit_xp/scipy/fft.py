"""``scipy.fft`` with units: the functions of the table in ``brainunit_xp/scipy/_table.py``."""

import sys as _sys

from ._wrap import populate as _populate

_populate(_sys.modules[__name__], "fft")
