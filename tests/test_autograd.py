"""brainunit_xp.autograd: derivatives carry unit(f) / unit(x), values match jax's."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainunit_xp as u
from brainunit_xp import autograd as ag

m, s, N, J, V = u.meter, u.second, u.newton, u.joule, u.volt
k = 2.0 * N / m


def energy(x):
    return 0.5 * k * x**2


def _check(q, unit, value):
    assert isinstance(q, u.Quantity), q
    assert q.unit.dim is unit.dim and q.unit.scale == pytest.approx(unit.scale), (q.unit, unit)
    np.testing.assert_allclose(np.asarray(q.mantissa), value, rtol=1e-6)


def test_grad_of_a_square_and_of_an_energy() -> None:
    _check(ag.grad(lambda x: x**2)(3.0 * m), m, 6.0)
    _check(ag.grad(energy)(jnp.array(0.1) * m), N, 0.2)  # dE/dx is a force


def test_value_and_grad_and_has_aux() -> None:
    value, g = ag.value_and_grad(energy)(jnp.array(0.1) * m)
    _check(value, J, 0.01)
    _check(g, N, 0.2)
    g, aux = ag.grad(lambda x: (x**2, "aux"), has_aux=True)(3.0 * m)
    _check(g, m, 6.0)
    assert aux == "aux"
    (value, aux), g = ag.value_and_grad(lambda x: (x**3, {"n": 1}), has_aux=True)(2.0 * s)
    _check(value, s**3, 8.0)
    _check(g, s**2, 12.0)
    assert aux == {"n": 1}


def test_argnums_tuple_gives_one_unit_per_argument() -> None:
    dx, dt = ag.grad(lambda x, t: x / t, argnums=(0, 1))(jnp.array(2.0) * m, jnp.array(4.0) * s)
    _check(dx, s**-1, 0.25)
    _check(dt, m / s**2, -0.125)
    dt_only = ag.grad(lambda x, t: x / t, argnums=1)(jnp.array(2.0) * m, jnp.array(4.0) * s)
    _check(dt_only, m / s**2, -0.125)


def test_pytree_arguments() -> None:
    g = ag.grad(lambda p: p["a"] * p["b"])({"a": 2.0 * m, "b": 3.0 * s})
    _check(g["a"], s, 3.0)
    _check(g["b"], m, 2.0)


def test_plain_inputs_and_outputs_are_dimensionless() -> None:
    assert float(ag.grad(lambda x: x**2)(3.0)) == 6.0
    _check(ag.grad(lambda x: jnp.sum(x.mantissa) * 1.0)(jnp.ones(2) * m), m**-1, [1.0, 1.0])


def test_dimensionless_quantities_stay_quantities() -> None:
    g = ag.grad(lambda x: (x * x).to_value())(u.Quantity(jnp.array(2.0)))  # f sees a Quantity
    _check(g, u.Quantity(1.0).unit, 4.0)
    value, g = ag.value_and_grad(lambda x: u.Quantity(x * 3.0))(jnp.array(2.0))
    _check(value, u.Quantity(1.0).unit, 6.0)
    _check(g, u.Quantity(1.0).unit, 3.0)


def test_options_pass_through_to_jax() -> None:
    _check(ag.grad(lambda z: z**2, holomorphic=True)(jnp.array(1.0 + 1.0j) * m), m, 2.0 + 2.0j)
    g = ag.grad(lambda x: x * 1.0, allow_int=True)(jnp.array(2) * m)
    assert not isinstance(g, u.Quantity) and g.dtype == jax.dtypes.float0  # jax's "no gradient"


@pytest.mark.parametrize("jac", [ag.jacobian, ag.jacrev, ag.jacfwd])
def test_jacobians(jac) -> None:
    v = jnp.arange(3.0) * m
    got = jac(lambda v: v * v * 2.0)(v)
    _check(got, m, np.diag(4.0 * np.arange(3.0)))
    want = jax.jacrev(lambda x: x * x * 2.0)(jnp.arange(3.0))
    np.testing.assert_allclose(np.asarray(got.mantissa), np.asarray(want))
    d = jac(lambda v, t: v / t, argnums=(0, 1))(v, jnp.array(2.0) * s)
    _check(d[0], s**-1, np.eye(3) / 2.0)
    _check(d[1], m / s**2, -np.arange(3.0) / 4.0)


def test_hessian_units_per_block() -> None:
    h = ag.hessian(lambda v: u.math.sum(v**3))(jnp.array([1.0, 2.0]) * m)
    _check(h, m, np.diag([6.0, 12.0]))  # m^3 / (m m)
    (haa, hab), (hba, hbb) = ag.hessian(lambda a, b: u.math.sum(a * a * b), argnums=(0, 1))(
        jnp.array(1.0) * m, jnp.array(2.0) * s
    )
    _check(haa, s, 4.0)
    _check(hab, m, 2.0)
    _check(hba, m, 2.0)
    _check(hbb, m**2 / s, 0.0)
    tree = ag.hessian(lambda p: p[0] ** 2 * p[1])((2.0 * m, 3.0 * s))
    _check(tree[0][0], s, 6.0)
    _check(tree[1][1], m**2 / s, 0.0)


def test_works_under_jit_and_vmap() -> None:
    _check(jax.jit(ag.grad(energy))(jnp.array(0.1) * m), N, 0.2)
    _check(jax.vmap(ag.grad(energy))(jnp.array([0.1, 0.2]) * m), N, [0.2, 0.4])


def test_errors() -> None:
    with pytest.raises(
        u.BackendError,
        match=r"autograd\.grad: requires the jax backend; got a Quantity of the numpy backend\. Call \.to_jax\(\)",
    ):
        ag.grad(energy)(u.Quantity(np.array(0.1), unit=m))
    with pytest.raises(u.UnitError, match="must return a Quantity or a jax array"):
        ag.grad(lambda x: "nope")(1.0 * m)
    with pytest.raises(TypeError, match="argnums"):
        ag.grad(energy, argnums=2)(1.0 * m)
    with pytest.raises(TypeError, match="scalar"):  # jax's own error for a non-scalar output
        ag.grad(lambda v: v * 2.0)(jnp.ones(2) * m)


@pytest.mark.parametrize("jac", [ag.jacrev, ag.jacfwd])
def test_jacobians_of_pytree_outputs_and_inputs(jac) -> None:
    ohm, mA, S = u.ohm, u.mA, u.siemens
    x, y, z = jnp.array([1.0, 2.0]) * ohm, jnp.array([3.0, 4.0]) * mA, jnp.array([5.0, 6.0]) * S

    def f(p):
        r = {"o1": p["x"] * p["y"], "o2": p["x"] * p["z"]}
        return r, r

    j, aux = jac(f, has_aux=True)({"x": x, "y": y, "z": z})
    assert aux["o1"].unit == ohm * mA  # aux is returned as the function gave it
    _check(j["o1"]["x"], mA, np.diag([3.0, 4.0]))  # d(x y)/dx = y, in (ohm mA) / ohm
    _check(j["o1"]["y"], ohm, np.diag([1.0, 2.0]))
    _check(j["o1"]["z"], ohm * mA / S, np.zeros((2, 2)))
    _check(j["o2"]["z"], ohm, np.diag([1.0, 2.0]))
    want = jax.jacrev(lambda p: {"o1": p["x"] * p["y"]})({"x": x.mantissa, "y": y.mantissa})
    np.testing.assert_allclose(np.asarray(j["o1"]["y"].mantissa), np.asarray(want["o1"]["y"]))
    (da, db) = jac(lambda a, b: (a * b, a + a), argnums=(0, 1))(x, jnp.array(2.0) * s)[0]
    _check(da, s, 2.0 * np.eye(2))
    _check(db, ohm, [1.0, 2.0])


def test_hessian_of_a_dict_with_aux() -> None:
    def f(p):
        return {"z": p["a"] ** 3 + p["b"] ** 3}, p["a"]

    h, aux = ag.hessian(f, has_aux=True)({"a": jnp.array(1.0) * u.ms, "b": jnp.array(2.0) * u.ms})
    _check(h["z"]["a"]["a"], u.ms, 6.0)  # ms^3 / ms^2
    _check(h["z"]["b"]["b"], u.ms, 12.0)
    _check(h["z"]["a"]["b"], u.ms, 0.0)
    _check(aux, u.ms, 1.0)


def test_vector_grad() -> None:
    v = jnp.array([3.0, 4.0]) * u.ms
    _check(ag.vector_grad(lambda x: x**2)(v), u.ms, [6.0, 8.0])
    _check(ag.vector_grad(lambda x: {"o": {"p": x**3}})(v), u.ms**2, [27.0, 48.0])  # one leaf in containers
    g, value = ag.vector_grad(lambda x: x**2, return_value=True)(v)
    _check(g, u.ms, [6.0, 8.0])
    _check(value, u.ms**2, [9.0, 16.0])
    g, value, aux = ag.vector_grad(lambda x: (x**2, u.math.sum(x)), has_aux=True, return_value=True)(v)
    _check(aux, u.ms, 7.0)
    g, aux = ag.vector_grad(lambda x: (x**2, "aux"), has_aux=True)(v)
    assert aux == "aux"
    gx, gy = ag.vector_grad(lambda x, y: x * y, argnums=[0, 1])(v, jnp.array([5.0, 6.0]) * u.mV)
    _check(gx, u.mV, [5.0, 6.0])
    _check(gy, u.ms, [3.0, 4.0])
    A = jnp.array([[1.0, 2.0], [3.0, 4.0]])
    _check(ag.vector_grad(lambda x: A @ x)(jnp.ones(2) * u.ohm), u.ONE, [4.0, 6.0])  # column sums of the Jacobian
    bare = ag.vector_grad(lambda x: x**3, unit_aware=False)(jnp.array([2.0]) * u.ms)
    assert not isinstance(bare, u.Quantity) and float(bare[0]) == 12.0
    with pytest.raises(ValueError, match="one array or Quantity, got 2 leaves"):
        ag.vector_grad(lambda x: (x, x))(v)
    with pytest.raises(TypeError, match="inexact"):
        ag.vector_grad(lambda x: (x > 1.0).astype(jnp.int32))(jnp.array([3.0]))


def test_derivative_of_an_integer_input_is_no_quantity() -> None:
    d = ag.jacrev(lambda i, x: x**2, argnums=(0, 1), allow_int=True)(jnp.array(2), jnp.array(3.0) * u.ms)
    assert not isinstance(d[0], u.Quantity)
    _check(d[1], u.ms, 6.0)


def test_argnums_and_callables_are_checked() -> None:
    _check(ag.grad(lambda x, t: x / t, argnums=-1)(jnp.array(2.0) * m, jnp.array(4.0) * s), m / s**2, -0.125)
    with pytest.raises(ValueError, match="must not repeat"):
        ag.grad(lambda x, t: x / t, argnums=(0, -2))(1.0 * m, 1.0 * s)
    with pytest.raises(ValueError, match="at least one"):
        ag.grad(energy, argnums=())(1.0 * m)
    with pytest.raises(TypeError, match="callable"):
        ag.value_and_grad(42)
    with pytest.raises(TypeError, match="staticmethod"):
        ag.grad(staticmethod(energy))

    def gen(x):
        yield x

    with pytest.raises(TypeError, match="generator"):
        ag.jacrev(gen)
    with pytest.raises(TypeError, match=r"has_aux=True the function must return a pair \(output, aux\)"):
        ag.value_and_grad(lambda x: x**2, has_aux=True)(jnp.array(1.0) * m)


# -- raw jax transforms on quantities ----------------------------------------------------------------


@pytest.mark.parametrize("raw", [jax.jacfwd, jax.jacrev, jax.jacobian], ids=lambda f: f.__name__)
def test_raw_jax_jacobians_give_unit_of_out_over_unit_of_in(raw) -> None:
    v = jnp.array([1.0, 2.0]) * m
    got = raw(lambda q: q**2 / (2.0 * s))(v)
    want = ag.jacrev(lambda q: q**2 / (2.0 * s))(v)
    _check(got, want.unit, want.mantissa)
    _check(got, m / s, np.diag([1.0, 2.0]))
    # dict in, dict out: jac[out][in], each block in its own unit
    p = {"a": v, "b": jnp.array([3.0, 4.0]) * s}
    d = raw(lambda p: {"o": p["a"] * p["b"]})(p)
    _check(d["o"]["a"], s, np.diag([3.0, 4.0]))
    _check(d["o"]["b"], m, np.diag([1.0, 2.0]))
    # the scale of a dimensionless ratio folds into the values: d(q in V)/d(q in mV) = 1
    _check(raw(lambda q: q.to(V))(jnp.array([1.0, 2.0]) * u.mV), u.ONE, np.eye(2))
    # several arguments, and the jit of a Jacobian
    dx, dt = raw(lambda x, t: x / t, argnums=(0, 1))(v, jnp.array(2.0) * s)
    _check(dx, s**-1, np.eye(2) / 2)
    _check(dt, m / s**2, [-0.25, -0.5])
    _check(jax.jit(raw(lambda q: q**2))(v), m, np.diag([2.0, 4.0]))


def test_raw_jax_hessian() -> None:
    v = jnp.array([1.0, 2.0]) * m
    _check(jax.hessian(lambda q: u.math.sum(q**3))(v), m, np.diag([6.0, 12.0]))  # m^3 / m^2
    h = jax.hessian(lambda p: p["a"] ** 2 * p["b"])({"a": jnp.array(2.0) * m, "b": jnp.array(3.0) * s})
    _check(h["a"]["a"], s, 6.0)
    _check(h["a"]["b"], m, 4.0)
    _check(h["b"]["b"], m**2 / s, 0.0)
    _check(jax.jacfwd(ag.grad(lambda q: u.math.sum(q**3)))(v), m, np.diag([6.0, 12.0]))  # mixed with ours


def test_raw_jax_grad_labels_the_gradient_with_the_input_unit() -> None:
    # documented limitation (docs/backends/jax.md): jax.grad of a plain-valued function cannot know the
    # output's unit; the gradient's values are right, its label is the input's unit
    x_m = jnp.array([1.0, 2.0]) * m
    g = jax.grad(lambda q: u.math.sum(q**2).to_value(u.cm**2))(x_m)
    assert g.unit is m
    np.testing.assert_allclose(np.asarray(g.mantissa), [20000.0, 40000.0])
    _check(ag.grad(lambda q: u.math.sum(q**2))(x_m).to(u.cm), u.cm, [200.0, 400.0])  # the unit-aware answer
    with pytest.raises(TypeError, match="scalar-output"):  # jax's own: a Quantity is no scalar array
        jax.grad(lambda q: u.math.sum(q**2))(x_m)


def test_a_quantity_mapped_to_a_quantity_raises() -> None:
    x_m = jnp.array([1.0, 2.0]) * m
    with pytest.raises(u.UnitError, match=r"jax rebuilt a Quantity in 'm' around a Quantity in 's'.*is_leaf"):
        jax.tree.map(lambda v: v * s, x_m)
    _check(jax.tree.map(lambda q: q * s, x_m, is_leaf=lambda q: isinstance(q, u.Quantity)), m * s, [1.0, 2.0])
    pair = jax.tree.map(lambda v: (v, 2 * v), x_m)  # containers may sit in a Quantity on the way
    a, b = jax.tree.transpose(jax.tree.structure(x_m), jax.tree.structure((0, 0)), pair)
    _check(a, m, [1.0, 2.0])
    _check(b, m, [2.0, 4.0])
