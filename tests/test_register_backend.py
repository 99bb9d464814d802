"""Adding a backend is one record: a throwaway backend (a second copy of array_api_strict under
another name) registered with ``register_backend`` gets quantities, conversions, pickling and a
unit-aware namespace, and passes the generic tests."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from throwaway_backend import NAME, record

import brainunit_xp as u
from brainunit_xp._backends import BACKENDS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> u.Backend:
    rec = record()
    monkeypatch.setitem(BACKENDS, NAME, rec)
    return rec


def test_one_record_gives_quantities_namespace_and_conversions(registered: u.Backend) -> None:
    q = u.Quantity(np.array([1.0, 2.0]), u.meter).to_backend(NAME)
    assert q.backend == NAME and registered.is_array(q.mantissa)
    s = q + 50 * u.cm
    assert s.backend == NAME and s.unit is u.meter
    np.testing.assert_allclose(s.to_numpy().mantissa, [1.5, 2.5])
    xp = q.__array_namespace__()
    assert xp is getattr(u, NAME) and xp.__name__ == f"brainunit_xp.{NAME}"
    assert xp.sum(q * q).unit == u.meter**2
    assert u.math.sqrt(q * q).backend == NAME  # the front-ends pick it from the inputs
    back = pickle.loads(pickle.dumps(q))
    assert back.backend == NAME and back.unit is u.meter
    with pytest.raises(u.BackendError, match=rf"requires the numpy backend; got an array of the {NAME} backend"):
        u.numpy.add(q, q)


def test_generic_tests_pass_on_the_throwaway_backend() -> None:
    env = {**os.environ, "BRAINUNIT_XP_THROWAWAY_BACKEND": "1"}
    cmd = [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", "-k", NAME,
           "tests/test_namespace.py", "tests/test_generated.py"]  # fmt: skip
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    summary = out.stdout.strip().splitlines()[-1]
    passed = re.search(r"(\d+) passed", summary)
    assert out.returncode == 0 and passed and int(passed.group(1)) > 100, out.stdout[-3000:]
