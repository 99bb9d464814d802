"""Every function of the array API standard, with units, on the backend chosen from the inputs.

One backend kind among the inputs wins; mixed inputs or none use the default backend
(``set_default_backend`` / ``using_backend``), which is jax unless set.
"""

import sys as _sys

from ._frontend import populate_frontend as _populate

_populate(_sys.modules[__name__])
