"""torch's own tools on quantities: the torch pytree, ``torch.func`` (and its unit-aware wrappers in
``brainunit_xp.torch_func``), autograd attributes, devices and ``nn.Module`` code."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import brainunit_xp as u

torch = pytest.importorskip("torch")
tp = pytest.importorskip("torch.utils._pytree")
tf = u.torch_func


def q(values: object, unit: u.Unit, **kw: object) -> u.Quantity:
    return u.Quantity(torch.tensor(values, dtype=torch.float64, **kw), unit)


def energy(v: u.Quantity, c: u.Quantity) -> u.Quantity:
    return u.torch.sum(c * v * v / 2)


def test_quantity_is_a_torch_pytree() -> None:
    x = q([1.0, 2.0], u.mV)
    leaves, spec = tp.tree_flatten({"a": x, "b": (x, 3)})
    assert [type(leaf).__name__ for leaf in leaves] == ["Tensor", "Tensor", "int"]
    back = tp.tree_unflatten([leaf * 2 if torch.is_tensor(leaf) else leaf for leaf in leaves], spec)
    assert back["a"].unit is u.mV and back["a"].backend == "torch"
    assert back["a"].mantissa.tolist() == [2.0, 4.0]
    paths = [tp.keystr(p) for p, _ in tp.tree_flatten_with_path(x)[0]]
    assert paths == [".mantissa"]


def test_torch_registers_whichever_is_imported_first() -> None:
    code = """
        import {first}, {second}
        import torch, brainunit_xp as u
        x = u.Quantity(torch.arange(3.0), u.mV)
        print(torch.func.vmap(lambda r: r * 2)(x), 'torch._dynamo' in sys.modules)
    """
    for first, second in (("torch", "brainunit_xp"), ("brainunit_xp", "torch")):
        script = "import sys\n" + textwrap.dedent(code.format(first=first, second=second))
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        assert out.stdout.strip() == "tensor([0., 2., 4.]) mV False"


def test_vmap_keeps_units() -> None:
    batch = q([[1.0, 2.0], [3.0, 4.0]], u.mV)
    per_row = tf.vmap(lambda row: u.torch.sum(row).to(u.uV))(batch)
    assert per_row.unit is u.uV and per_row.mantissa.tolist() == [3000.0, 7000.0]
    assert torch.func.vmap(lambda row: row * row)(batch).unit == u.mV**2


def test_grad_has_the_unit_of_f_per_unit_of_x() -> None:
    v, c = q([1.0, 2.0, 3.0], u.mV), q(2.0, u.uF)
    dv = tf.grad(energy)(v, c)  # dE/dv = c v
    assert dv.unit == u.uF * u.mV
    assert dv.mantissa.tolist() == [2.0, 4.0, 6.0]
    dv, dc = tf.grad(energy, argnums=(0, 1))(v, c)
    assert dc.unit == u.mV**2 and float(dc.mantissa) == pytest.approx(7.0)
    # a plain (dimensionless) output: per unit of x
    plain = tf.grad(lambda v: energy(v, c).to_value(u.pJ))(v)  # the number of pJ = uF mV^2
    assert plain.unit == u.mV**-1
    np.testing.assert_allclose(plain.mantissa.numpy(), [2.0, 4.0, 6.0])
    (g, val) = tf.grad_and_value(energy)(v, c)
    assert val.unit == u.uF * u.mV**2 and float(val.mantissa) == pytest.approx(14.0)
    g, aux = tf.grad(lambda v: (energy(v, c), v * 2), has_aux=True)(v)  # aux: a quantity, as it is
    assert aux.unit is u.mV and aux.mantissa.tolist() == [2.0, 4.0, 6.0] and g.unit == u.uF * u.mV


def test_plain_torch_func_grad_returns_the_argument_structure() -> None:
    """What plain ``torch.func.grad`` does: a derivative in the argument's structure, so in its
    unit — the wrappers are there to give it the right one."""
    v = q([1.0, 2.0], u.mV)
    g = torch.func.grad(lambda v: u.torch.sum(v * v).mantissa)(v)
    assert g.unit is u.mV and g.mantissa.tolist() == [2.0, 4.0]
    with pytest.raises(RuntimeError, match="Tensor"):  # torch needs a tensor output, not a Quantity
        torch.func.grad(lambda v: u.torch.sum(v * v))(v)


def test_jacobians() -> None:
    v, r = q([1.0, 2.0], u.mV), q(4.0, u.kohm)
    j = tf.jacrev(lambda v: v * v / r)(v)
    assert j.unit == u.mV / u.kohm
    np.testing.assert_allclose(j.mantissa.numpy(), np.diag([0.5, 1.0]))
    j_out, j_v = tf.jacfwd(lambda v, r: (v / r, v), argnums=1)(v, r)
    assert j_out.unit == u.mV / u.kohm**2 and j_v.unit == u.mV / u.kohm
    np.testing.assert_allclose(j_out.mantissa.numpy(), [-1 / 16, -2 / 16])


@settings(max_examples=20, deadline=None)
@given(
    x=st.lists(st.floats(-10, 10, allow_nan=False), min_size=1, max_size=4),
    unit=st.sampled_from(["mV", "V", "uA", "m / s"]),
)
def test_grad_matches_a_finite_difference_in_units(x: list[float], unit: str) -> None:
    """d f / d x by autograd equals (f(x + h) - f(x)) / h, both as quantities."""
    un = u.parse_unit(unit)
    xq = q(x, un)

    def f(x: u.Quantity) -> u.Quantity:
        return u.torch.sum(x**3) / 3

    g = tf.grad(f)(xq)
    h = 1e-6 * un
    fd = [(f(xq + h * torch.nn.functional.one_hot(torch.tensor(i), len(x))) - f(xq)) / h for i in range(len(x))]
    assert g.unit == un**2
    np.testing.assert_allclose(g.mantissa.numpy(), [float(d.to(un**2) / un**2) for d in fd], rtol=1e-4, atol=1e-4)


# -- autograd attributes -------------------------------------------------------------------------------


def test_requires_grad_grad_and_backward() -> None:
    w = u.Quantity(torch.tensor([0.5, 2.0]), u.mA)
    assert w.requires_grad is False and w.grad is None
    assert w.requires_grad_() is w and w.requires_grad
    power = w**2 * (100 * u.ohm)
    (u.torch.sum(power) / u.mW).backward()  # a dimensionless loss: the number of mW
    assert w.grad.unit == u.mA**-1
    np.testing.assert_allclose(w.grad.mantissa.numpy(), [0.1, 0.4])  # dP/dI = 2 I R, in mW per mA
    assert w.detach().requires_grad is False and w.detach().unit is u.mA
    with pytest.raises(u.UnitError, match=r"backward: the loss has unit 'mW'.*\(loss / mW\)\.backward\(\)"):
        u.torch.sum(power).to(u.mW).backward()
    with pytest.raises(u.BackendError, match=r"requires_grad_: needs a torch Quantity.*numpy"):
        u.Quantity(np.ones(2), u.mA).requires_grad_()
    assert u.Quantity(np.ones(2), u.mA).requires_grad is False


def test_nn_module_with_units_trains() -> None:
    torch.manual_seed(0)

    class Ohmic(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.log_g = torch.nn.Parameter(torch.zeros(()))

        def forward(self, v: u.Quantity) -> u.Quantity:
            return u.Quantity(torch.exp(self.log_g), u.uS) * v

    model = Ohmic()
    v = u.Quantity(torch.linspace(-70.0, 30.0, 11), u.mV)
    target = (3.0 * u.uS * v).to(u.nA)
    opt = torch.optim.Adam(model.parameters(), lr=0.1)
    losses = []
    for _ in range(60):
        opt.zero_grad()
        loss = u.torch.mean((model(v) - target) ** 2) / u.nA**2
        loss.backward()
        opt.step()
        losses.append(float(loss.mantissa))
    assert losses[-1] < 1e-3 * losses[0]
    assert float(torch.exp(model.log_g)) == pytest.approx(3.0, rel=1e-2)
    assert model(v).to(u.nA).unit is u.nA


# -- devices ---------------------------------------------------------------------------------------------


def test_to_torch_and_to_device() -> None:
    x = u.Quantity(np.array([1.0, 2.0]), u.mV)
    t = x.to_torch(device="cpu", dtype=np.float32)
    assert (t.backend, t.dtype, str(t.device)) == ("torch", torch.float32, "cpu")
    meta = t.to_device("meta")
    assert str(meta.device) == "meta" and meta.unit is u.mV and meta.shape == (2,)
    assert str(t.to_torch(device="meta", dtype=torch.float64).device) == "meta"
    assert str(t.to_device("cpu").device) == "cpu"  # (a meta tensor has no data to copy back)


def test_mixing_devices_raises() -> None:
    cpu = q([1.0, 2.0], u.mV)
    with pytest.raises(RuntimeError, match="device"):
        cpu + cpu.to_device("meta")
