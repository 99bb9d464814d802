"""jax dispatch of quantities: a Quantity is a pytree whose unit is static aux data, so ``jax.jit``
traces once per set of units, and the traced program is the bare one with conversion factors
folded in (no more equations)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import brainunit_xp as u

jax = pytest.importorskip("jax")
jnp = jax.numpy

LENGTHS = ["m", "cm", "mm", "km", "um", "inch"]


def eqns(f: Any, *args: Any) -> int:
    return len(jax.make_jaxpr(f)(*args).jaxpr.eqns)


def test_jit_traces_once_per_set_of_units() -> None:
    traces: list[int] = []

    @jax.jit
    def add(x: u.Quantity, y: u.Quantity) -> u.Quantity:
        traces.append(1)
        return x + y

    a, b = jnp.linspace(1.0, 2.0, 1000), jnp.linspace(2.0, 3.0, 1000)
    out = add(u.Quantity(a, u.meter), u.Quantity(b, u.cmeter))
    assert out.unit is u.meter and out.backend == "jax"
    np.testing.assert_allclose(np.asarray(out.mantissa), np.asarray(a + 0.01 * b), rtol=1e-6)
    for _ in range(3):
        add(u.Quantity(b, u.meter), u.Quantity(a, u.cmeter))
    assert len(traces) == 1
    assert add(u.Quantity(a, u.meter), u.Quantity(b, u.mmeter)).unit is u.meter
    assert len(traces) == 2  # another unit: another trace
    leaves, tree = jax.tree_util.tree_flatten_with_path(u.Quantity(a, u.mV))
    assert jax.tree_util.keystr(leaves[0][0]) == ".mantissa" and tree.num_leaves == 1


def test_jaxpr_of_a_unit_function_is_the_bare_one() -> None:
    x, y, t = jnp.ones(4), jnp.full(4, 2.0), jnp.full(4, 4.0)

    def ours(x: u.Quantity, y: u.Quantity, t: u.Quantity) -> u.Quantity:
        xp = x.__array_namespace__()
        return xp.sum(((x + y) / t).to(u.kmeter / u.hour))

    def bare(a: Any, b: Any, c: Any) -> Any:
        return jnp.sum((a + b * 0.01) / c * 3.6)

    qx, qy, qt = u.Quantity(x, u.meter), u.Quantity(y, u.cmeter), u.Quantity(t, u.second)
    assert eqns(ours, qx, qy, qt) == eqns(bare, x, y, t)
    assert str(jax.make_jaxpr(ours)(qx, qy, qt)) == str(jax.make_jaxpr(bare)(x, y, t))  # the same program
    np.testing.assert_allclose(float(ours(qx, qy, qt).mantissa), float(bare(x, y, t)), rtol=1e-6)


@settings(max_examples=30, deadline=None)
@given(u1=st.sampled_from(LENGTHS), u2=st.sampled_from(LENGTHS), op=st.sampled_from(["add", "mul", "div", "lt"]))
def test_no_more_equations_than_the_bare_program(u1: str, u2: str, op: str) -> None:
    a1, a2 = u.parse_unit(u1), u.parse_unit(u2)
    factor = a2.factor_to(a1)  # u2 -> u1
    x, y = jnp.linspace(1.0, 2.0, 8), jnp.linspace(3.0, 4.0, 8)

    def scaled(b: Any) -> Any:
        return b if factor == 1.0 else b * factor

    ours_fn = {
        "add": lambda p, q: p + q,
        "mul": lambda p, q: p * q,
        "div": lambda p, q: p / q,
        "lt": lambda p, q: p < q,
    }[op]
    bare_fn = {
        "add": lambda a, b: a + scaled(b),
        "mul": lambda a, b: a * b,  # the product keeps both units: nothing to convert
        "div": lambda a, b: a / scaled(b),  # m / cm is dimensionless: the factor is folded in
        "lt": lambda a, b: a < scaled(b),
    }[op]
    p, q = u.Quantity(x, a1), u.Quantity(y, a2)
    assert eqns(ours_fn, p, q) <= eqns(bare_fn, x, y)
    out = ours_fn(p, q)
    m = out.mantissa if isinstance(out, u.Quantity) else out
    if op != "div" or out.unit is u.ONE:  # m / inch keeps its unit: its mantissa is x / y
        np.testing.assert_allclose(np.asarray(m), np.asarray(bare_fn(x, y)), rtol=1e-5)
