"""pytest plugin that ``run.py`` loads into every run of the suite, bare and ours alike, so that
both draw the same inputs.

* Hypothesis mixes the literal constants of *local* modules (an editable install is local) into
  its draws: importing ``brainunit_xp.<backend>`` here gives the bare run the same constants.
* The special-case tests draw their one input with ``strategy.example()``, which picks from its
  batch with the global ``random``: seeding it per test from the test id makes that draw
  reproducible, and the same on both namespaces.
* ``run.py --no-shrink`` turns hypothesis' shrink (and explain) phase off for both runs: the same
  examples are drawn and the same tests fail; only a failure's example is not minimised.
"""

from __future__ import annotations

import importlib
import os
import random
import zlib

import pytest
from hypothesis import Phase, settings

importlib.import_module(f"brainunit_xp.{os.environ['BRAINUNIT_XP_CONFORMANCE_BACKEND']}")


@pytest.hookimpl(trylast=True)  # after the suite's conftest has loaded its profile
def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("BRAINUNIT_XP_CONFORMANCE_SHRINK", "1") == "0":
        profile = settings.get_profile("array-api-tests")
        phases = [p for p in profile.phases if p not in (Phase.shrink, Phase.explain)]
        settings.register_profile("array-api-tests-no-shrink", parent=profile, phases=phases)
        settings.load_profile("array-api-tests-no-shrink")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    random.seed(zlib.crc32(item.nodeid.encode()))
