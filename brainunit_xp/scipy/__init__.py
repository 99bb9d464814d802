"""scipy with units: the functions that hand their input to ``np.asarray`` (which a dimensioned
Quantity refuses), wrapped per a declared unit rule.

``brainunit_xp.scipy.ndimage``, ``.fft``, ``.signal``, ``.special`` and ``.integrate`` have scipy's
names and signatures: each wrapper takes Quantities of any backend (and plain arrays, as
dimensionless), hands scipy their numpy values, and returns the result on the input's backend in
the unit its rule states (``help(fn)``, docs/scipy.md).  ``WRAPPED`` maps scipy's qualified names
(``"scipy.ndimage.gaussian_filter"``) to their rules; reading it does not import scipy, and
neither does ``import brainunit_xp``: each submodule imports its scipy module when first used.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ._table import MODULES, WRAPPED, Kind, Out, Rule

__all__ = ["MODULES", "WRAPPED", "Kind", "Out", "Rule", "fft", "integrate", "ndimage", "signal", "special"]


def __getattr__(name: str) -> ModuleType:
    if name in MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(MODULES))
