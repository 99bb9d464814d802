"""Shared fixtures: every test that takes ``backend`` runs once per array backend.

Backends that are not installed are skipped with the install command; cupy is skipped with a
clear reason on a machine without a CUDA GPU.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import settings

import brainunit_xp as u
from brainunit_xp._backends import BACKENDS, to_numpy

os.environ.setdefault("JAX_PLATFORMS", "cpu")

# The default profile is derandomized: every run draws the same examples (each test seeds from its own
# name), so a run here predicts CI's and a red CI run replays here. No per-example deadline: a loaded
# 2-core CI machine is not a failing test (tests that set their own settings inherit both).
# HYPOTHESIS_PROFILE=explore draws new examples each run; =thorough also 1000 where a test sets no count.
settings.register_profile("brainunit_xp", deadline=None, derandomize=True)
settings.register_profile("explore", deadline=None)
settings.register_profile("thorough", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "brainunit_xp"))

if os.environ.get("BRAINUNIT_XP_THROWAWAY_BACKEND") == "1":  # tests/test_register_backend.py
    from throwaway_backend import record

    u.register_backend(record())

ALL_BACKENDS = tuple(BACKENDS)


#: interpreter health per test process, reported at the end of the run (see pytest_terminal_summary):
#: the stack depth tests start at, and where RecursionErrors were raised
_HEALTH: dict[str, Any] = {"first depth": None, "max depth": 0, "recursion": []}


def _stack_depth() -> int:
    frame, depth = sys._getframe(1), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


@pytest.fixture(autouse=True)
def _interpreter_state_kept(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts from the same interpreter state: a test (or a library it imports: jedi sets
    3000) that changes the recursion limit gets it restored, with a warning naming it (hypothesis sizes
    its own limit from the current one), and a hypothesis test keeps its one settings object."""
    depth = _stack_depth()
    if _HEALTH["first depth"] is None:
        _HEALTH["first depth"] = depth
    _HEALTH["max depth"] = max(_HEALTH["max depth"], depth)
    limit = sys.getrecursionlimit()
    # hypothesis' pytest plugin wraps a parametrized @given test's settings in a new layer (parent: the
    # previous layer) on every call; 1557 calls of one test make a chain that settings.database walks
    # recursively when nothing read it before (derandomized runs), ending in RecursionError
    fn = getattr(request.function, "__func__", request.function)
    layered = fn.__dict__.get("_hypothesis_internal_use_settings")
    yield
    if layered is not None:
        fn._hypothesis_internal_use_settings = layered
    changed = sys.getrecursionlimit()
    if changed != limit:
        sys.setrecursionlimit(limit)
        warnings.warn(f"{request.node.nodeid} changed the recursion limit {limit} -> {changed}; restored", stacklevel=1)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Where a RecursionError came from (also one hypothesis hides behind an error of its own)."""
    yield
    exc = call.excinfo.value if call.excinfo is not None else None
    while exc is not None and not isinstance(exc, RecursionError):
        exc = exc.__context__
    if exc is None or len(_HEALTH["recursion"]) >= 3:
        return
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno} {tb.tb_frame.f_code.co_name}")
        tb = tb.tb_next
    innermost = " <- ".join(list(dict.fromkeys(reversed(frames)))[:10])  # the recursion's cycle, then its callers
    _HEALTH["recursion"].append(
        f"{item.nodeid}: {len(frames)} frames, limit {sys.getrecursionlimit()}, innermost {innermost}"
    )


def _health_lines(health: dict[str, Any], who: str) -> list[str]:
    lines = [f"{who}: tests started at stack depth {health['first depth']} .. {health['max depth']}"]
    return lines + [f"{who}: RecursionError in {r}" for r in health["recursion"]]


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workeroutput"):  # an xdist worker: hand the report to the controller
        session.config.workeroutput["health"] = _health_lines(_HEALTH, os.environ.get("PYTEST_XDIST_WORKER", "?"))


_WORKER_HEALTH: list[str] = []


def pytest_testnodedown(node: Any, error: Any) -> None:
    _WORKER_HEALTH.extend(getattr(node, "workeroutput", {}).get("health", []))


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: Any) -> None:
    lines = _WORKER_HEALTH or (_health_lines(_HEALTH, "main") if _HEALTH["first depth"] is not None else [])
    if any("RecursionError" in line for line in lines) or os.environ.get("BRAINUNIT_XP_TEST_HEALTH"):
        terminalreporter.write_sep("-", "interpreter health")
        for line in lines:
            terminalreporter.write_line(line)


def _gpu_reason() -> str | None:
    try:
        import cupy

        if cupy.cuda.runtime.getDeviceCount() > 0:
            return None
        return "cupy is installed but no CUDA GPU is present"
    except ImportError:
        return f"cupy is not installed ({BACKENDS['cupy'].install})"
    except Exception as exc:  # cupy raises CUDARuntimeError without a driver
        return f"cupy needs a CUDA GPU and none is usable here ({type(exc).__name__})"


def skip_reason(name: str) -> str | None:
    """Why tests of backend ``name`` cannot run here, or ``None``."""
    if name == "cupy":
        return _gpu_reason()
    if not BACKENDS[name].available:
        return f"{name} is not installed ({BACKENDS[name].install})"
    return None


@pytest.fixture(params=ALL_BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    reason = skip_reason(request.param)
    if reason:
        pytest.skip(reason)
    return request.param


def xp_of(name: str) -> Any:
    """The bare array-API namespace of backend ``name``."""
    return BACKENDS[name].xp


def make(name: str, values: Any, unit: Any = None, dtype: Any = None) -> u.Quantity:
    """A quantity on backend ``name`` from (nested) Python or numpy values."""
    kwargs = {} if dtype is None else {"dtype": dtype}
    return u.Quantity(xp_of(name).asarray(np.asarray(values), **kwargs), unit=unit)


def values(q: Any) -> np.ndarray:
    """The numpy values of a Quantity's mantissa (or of a plain array)."""
    m = q.mantissa if isinstance(q, u.Quantity) else q
    return np.asarray(to_numpy(m))
