"""brainunit's ``math`` / ``linalg`` / ``fft`` names beyond the standard's (``MATH_RULES``), on every
backend that has them: each against numpy's function of the same name on the converted mantissas
(so generic compositions on torch, ndonnx and array_api_strict are checked against numpy), and
against its declared unit rule.  Cases are registered per name with ``@case`` as in
tests/test_namespace.py (whose ``Ctx``/``Call`` they reuse); a name with ``alias`` needs no case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from conftest import make, values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_namespace import Call, Ctx

import brainunit_xp as u
from brainunit_xp import Quantity
from brainunit_xp._namespace import MATH_RULES, RULES, Kind

CASES: dict[str, Callable[[Ctx], Call]] = {}
#: the numpy function to compare with, where it is not ``numpy.<name>``
REFERENCE: dict[str, Callable[..., Any]] = {}


def case(names: str) -> Callable[[Callable[[Ctx], Call]], Callable[[Ctx], Call]]:
    def register(build: Callable[[Ctx], Call]) -> Callable[[Ctx], Call]:
        for name in names.split():
            CASES[name] = build
        return build

    return register


def _lookup(module: Any, qualname: str) -> Any:
    ext, _, name = qualname.rpartition(".")
    return getattr(getattr(module, ext, None) if ext else module, name, None)


def _numpy(x: Any) -> Any:
    """Reference arguments as numpy (backend arrays converted; other values as they are)."""
    if isinstance(x, (list, tuple)):
        return type(x)(_numpy(i) for i in x)
    try:
        return values(x)
    except Exception:
        return x


# -- cases ---------------------------------------------------------------------------------------------------


@case("nanmean nansum nanmax nanmin")
def _nan_reduction(c: Ctx) -> Call:
    un = c.unit()
    m = c.arr((3, 4))
    mask = c.xp.asarray(np.asarray(c.draw(st.lists(st.booleans(), min_size=12, max_size=12))).reshape(3, 4))
    m = c.xp.where(mask, c.xp.asarray(float("nan")), m)
    axis = c.draw(st.sampled_from([None, 0, 1]))
    return Call((Quantity(m, un),), (m,), un, kwargs={"axis": axis})


# -- tests -------------------------------------------------------------------------------------------------


def test_every_name_has_a_case_or_is_an_alias() -> None:
    need = {n for n, r in MATH_RULES.items() if r.alias is None}
    assert need <= set(CASES), sorted(need - set(CASES))
    assert all(r.alias in RULES for r in MATH_RULES.values() if r.alias)


@pytest.mark.parametrize("name", sorted(n for n, r in MATH_RULES.items() if r.alias))
def test_alias_is_the_standard_function(backend: str, name: str) -> None:
    ns, std = getattr(u, backend), MATH_RULES[name].alias or ""
    ours, theirs = _lookup(ns, name), _lookup(ns, std)
    assert (ours is None) == (theirs is None)
    if ours is None:
        return
    q = make(backend, [0.25, 0.5])
    kind = RULES[std].kind
    args = ([q, q],) if kind is Kind.SEQUENCE else (q, q) if kind in (Kind.BINARY, Kind.POW) else (q,)
    try:
        want = theirs(*args)
    except Exception as exc:  # the backend lacks this case (ndonnx atan2): the alias fails alike
        with pytest.raises(type(exc)):
            ours(*args)
        return
    got = ours(*args)
    assert got.unit is want.unit
    np.testing.assert_array_equal(values(got), values(want))


@pytest.mark.parametrize("name", sorted(n for n, r in MATH_RULES.items() if r.alias is None))
@given(data=st.data())
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_function_matches_numpy_and_unit_rule(backend: str, name: str, data: st.DataObject) -> None:
    ours = _lookup(getattr(u, backend), name)
    if ours is None:
        with pytest.raises(u.BackendError, match="backends that have it"):
            _lookup(u.math, name)(*CASES[name](Ctx(data, backend, name)).args)
        return
    call = CASES[name](Ctx(data, backend, name))
    ref_fn = REFERENCE.get(name) or _lookup(np, name)
    ref = ref_fn(*_numpy(call.ref_args), **(call.kwargs if call.ref_kwargs is None else call.ref_kwargs))
    out = ours(*call.args, **call.kwargs)
    units = call.unit if isinstance(call.unit, tuple) else (call.unit,)
    outs, refs = (out, ref) if isinstance(call.unit, tuple) else ((out,), (ref,))
    for o, r, un in zip(outs, refs, units, strict=True):
        assert isinstance(o, Quantity) and o.unit == un, (name, o)
        np.testing.assert_allclose(values(o), np.asarray(r), rtol=1e-5, atol=1e-12, equal_nan=True)
