"""``torch.compile`` on functions of quantities: dynamo traces through the unit layer (the units
are Python-side constants, checked at trace time) and the graph holds only the tensor math.

Unit algebra already seen by the process (every pair of units the library has combined is cached)
traces without a graph break; fresh unit algebra (a new unit, a new conversion factor) runs in
Python at a graph break, with the right result.  ``brainunit_xp.torch_func.compile`` compiles
once per set of argument units: plain ``torch.compile`` may reuse a trace made for other units.
"""

from __future__ import annotations

import numpy as np
import pytest

import brainunit_xp as u

torch = pytest.importorskip("torch")
dynamo = pytest.importorskip("torch._dynamo")


def q(values: object, unit: u.Unit) -> u.Quantity:
    return u.Quantity(torch.tensor(values, dtype=torch.float64), unit)


def circuit(v: u.Quantity, i: u.Quantity, g: u.Quantity) -> tuple[u.Quantity, u.Quantity, u.Quantity]:
    """Ohm's law and power on tensors with units (mixed prefixes: conversions in the graph)."""
    xp = v.__array_namespace__()
    leak = g * (v - 10 * u.mV) + i  # nS * mV = pA; pA + pA
    power = xp.sum(leak * v, axis=-1)
    return leak, power, leak > i


@pytest.fixture
def inputs() -> tuple[u.Quantity, u.Quantity, u.Quantity]:
    return q([[-70.0, -50.0], [0.0, 20.0]], u.mV), q([1.0, 2.0], u.pA), q(3.0, u.nS)


def check_same(ours: tuple[u.Quantity, ...], expected: tuple[u.Quantity, ...]) -> None:
    for a, b in zip(ours, expected, strict=True):
        assert a.unit == b.unit and a.backend == "torch"
        np.testing.assert_allclose(a.mantissa.numpy(), b.mantissa.numpy())


def test_units_add_no_graph_break(inputs: tuple[u.Quantity, ...]) -> None:
    expected = circuit(*inputs)  # eager: the unit algebra of these units is now cached
    dynamo.reset()
    explained = dynamo.explain(circuit)(*inputs)
    assert explained.graph_break_count == 0 and explained.graph_count == 1
    compiled = torch.compile(circuit, fullgraph=True, backend="aot_eager")
    check_same(compiled(*inputs), expected)
    # a unit error is raised while tracing, as in eager mode
    with pytest.raises(u.DimensionMismatchError, match="__add__: incompatible units 'mV'"):
        torch.compile(lambda v: v + 1 * u.second, backend="eager")(inputs[0])


def test_torch_func_compile_specializes_on_units(inputs: tuple[u.Quantity, ...]) -> None:
    v, i, g = inputs
    compiled = u.torch_func.compile(circuit, backend="eager")
    check_same(compiled(v, i, g), circuit(v, i, g))
    v2 = v.to(u.volt)  # the same values in another unit: a new trace, the right result
    check_same(compiled(v2, i, g), circuit(v2, i, g))
    check_same(compiled(v, i, g), circuit(v, i, g))
    decorated = u.torch_func.compile(backend="eager", fullgraph=True)(circuit)
    check_same(decorated(v2, i, g), circuit(v2, i, g))


@pytest.mark.xfail(
    strict=True,
    reason="torch 2.13 dynamo: `is` between user objects is answered without a guard, so a unit "
    "change does not recompile; use brainunit_xp.torch_func.compile",
)
def test_plain_torch_compile_recompiles_for_other_units(inputs: tuple[u.Quantity, ...]) -> None:
    def shift(v: u.Quantity) -> u.Quantity:
        return v - 10 * u.mV

    compiled = torch.compile(shift, backend="eager")
    v = inputs[0]
    check_same((compiled(v),), (shift(v),))
    check_same((compiled(v.to(u.volt)),), (shift(v.to(u.volt)),))


def test_fresh_unit_algebra_breaks_the_graph_but_computes() -> None:
    def fresh(x: u.Quantity) -> u.Quantity:
        return (x**3 / (7 * u.msecond)).to(u.uV**3 / u.second)  # units never combined before

    x = q([1.0, 2.0], u.mV)
    out = torch.compile(fresh, backend="eager")(x)
    expected = fresh(x)
    assert out.unit == expected.unit
    np.testing.assert_allclose(out.mantissa.numpy(), expected.mantissa.numpy())
