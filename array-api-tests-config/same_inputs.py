"""pytest plugin that ``run.py`` loads into every run of the suite, bare and ours alike, so that
both draw the same inputs.

* Hypothesis mixes the literal constants of *local* modules (an editable install is local) into
  its draws: importing ``brainunit_xp.<backend>`` here gives the bare run the same constants.
* The special-case tests draw their one input with ``strategy.example()``, which picks from its
  batch with the global ``random``: seeding it per test from the test id makes that draw
  reproducible, and the same on both namespaces.
"""

from __future__ import annotations

import importlib
import os
import random
import zlib

import pytest

importlib.import_module(f"brainunit_xp.{os.environ['BRAINUNIT_XP_CONFORMANCE_BACKEND']}")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    random.seed(zlib.crc32(item.nodeid.encode()))
