"""Array-API-generic libraries consume quantities unchanged: scipy with ``SCIPY_ARRAY_API=1``."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("scipy")

SCRIPT = textwrap.dedent(
    """
    import numpy as np
    import scipy.integrate, scipy.stats
    import brainunit_xp as u

    t = u.Quantity(np.linspace(0.0, 1.0, 5), u.second)
    v = u.Quantity(np.array([0.0, 1.0, 2.0, 3.0, 5.0]), u.meter / u.second)
    print(scipy.integrate.trapezoid(v, t))
    print(scipy.integrate.cumulative_trapezoid(v, t)[-1])
    print(scipy.stats.moment(v, order=2).unit)
    print(scipy.stats.tmean(v, (1 * u.meter / u.second, 3 * u.meter / u.second)))
    print(scipy.stats.sem(v).unit, scipy.stats.iqr(v))
    print(round(float(scipy.stats.pearsonr(t, v).statistic), 6))
    try:
        scipy.stats.gmean(v)
    except u.UnitError as exc:
        print("UnitError", str(exc).split(":")[0])
    """
)


def test_scipy_array_api_functions_return_units() -> None:
    env = {**os.environ, "SCIPY_ARRAY_API": "1", "JAX_PLATFORMS": "cpu"}
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.splitlines() == [
        "2.125 m",
        "2.125 m",
        "m^2 / s^2",
        "2.0 m / s",
        "m / s 2.0 m / s",
        "0.986394",
        "UnitError log",
    ]
