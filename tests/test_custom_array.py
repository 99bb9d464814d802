"""``CustomArray``: brainunit's mix-in that makes an object behave as the array or Quantity in its
``.data`` (or, brainstate-style, ``.value``), on every backend and as a JAX pytree."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from conftest import make, values, xp_of

import brainunit_xp as u

V = np.array([1.0, 2.0, 4.0])


class Box(u.CustomArray):
    """brainunit's idiom: the array in ``self.data``."""

    def __init__(self, data: Any) -> None:
        self.data = data


class State(u.CustomArray):
    """brainstate's idiom: the array behind a ``value`` property."""

    def __init__(self, value: Any) -> None:
        self._value = value

    @property
    def value(self) -> Any:
        return self._value

    @value.setter
    def value(self, new: Any) -> None:
        self._value = new


@jax.tree_util.register_pytree_node_class
class Registered(Box):
    pass


class Keyword(Box, pytree=True):
    pass


@pytest.mark.parametrize("cls", [Box, State])
def test_forwards_the_quantity_protocol(backend: str, cls: type) -> None:
    q = make(backend, V, u.mV)
    b = cls(q)
    assert b.data is q
    assert b.unit is u.mV and b.dim is u.volt.dim and b.backend == backend
    assert b.shape == (3,) and b.ndim == 1 and len(b) == 3
    np.testing.assert_array_equal(values(b.mantissa), V)
    np.testing.assert_allclose(values(b.to(u.volt)), V / 1000)
    np.testing.assert_allclose(values(b.to_value("uV")), V * 1000)
    assert str(b) == str(q) and repr(b) == f"{cls.__name__}({q!r})"
    assert [values(x).item() for x in b] == list(V)
    assert u.get_unit(b) is u.mV and u.get_dim(b) is u.volt.dim and u.get_mantissa(b) is q.mantissa
    assert u.have_same_dim(b, u.volt) and u.maybe_custom_array(b) is q


@pytest.mark.parametrize("cls", [Box, State])
def test_operators_return_the_held_values_results(backend: str, cls: type) -> None:
    b = cls(make(backend, V, u.mV))
    for out, expected, unit in (
        (b + 1 * u.mV, V + 1, u.mV),
        (1 * u.mV + b, V + 1, u.mV),
        (b - make(backend, V, u.uV), V - V / 1000, u.mV),
        (b * 2, V * 2, u.mV),
        (2 * b, V * 2, u.mV),
        (b / cls(make(backend, V, u.ms)), np.ones(3), u.mV / u.ms),
        (b**2, V**2, u.mV**2),
        (-b, -V, u.mV),
        (abs(cls(make(backend, -V, u.mV))), V, u.mV),
        (b[1:], V[1:], u.mV),
    ):
        assert isinstance(out, u.Quantity) and out.unit == unit and out.backend == backend
        np.testing.assert_allclose(values(out), expected)
    np.testing.assert_array_equal(values(b > 1.5 * u.mV), V > 1.5)
    np.testing.assert_array_equal(values(b == b), [True] * 3)
    with pytest.raises(u.UnitMismatchError):
        b + 1 * u.nA


@pytest.mark.parametrize("cls", [Box, State])
def test_in_place_operators_and_item_assignment_rebind_data(backend: str, cls: type) -> None:
    b = cls(make(backend, V, u.mV))
    before = b
    b += 1 * u.volt
    assert b is before and b.unit is u.mV
    np.testing.assert_allclose(values(b.data), V + 1000)
    b *= 2
    np.testing.assert_allclose(values(b.data), (V + 1000) * 2)
    b[0] = 5 * u.uV
    np.testing.assert_allclose(values(b.data)[0], 0.005)
    raw = cls(xp_of(backend).asarray(V))
    raw[1] = 9.0  # jax arrays are immutable: .at[].set is used
    np.testing.assert_array_equal(values(raw.data), [1.0, 9.0, 4.0])
    raw.zero_()
    np.testing.assert_array_equal(values(raw.data), np.zeros(3))


def test_plain_arrays_and_conversions(backend: str) -> None:
    b = Box(xp_of(backend).asarray(V))
    np.testing.assert_array_equal(values(b + 1), V + 1)
    np.testing.assert_array_equal(np.asarray(Box(np.asarray(V))), V)
    assert float(Box(np.float64(2.5))) == 2.5 and int(Box(np.int64(3))) == 3
    q = Box(make(backend, V, u.mV))
    assert q.__array_namespace__() is make(backend, V, u.mV).__array_namespace__()
    np.testing.assert_array_equal(values(q.to_numpy()), V)


def test_a_subclass_without_data_says_so() -> None:
    class Empty(u.CustomArray):
        pass

    with pytest.raises(AttributeError, match="holds no array"):
        Empty().shape  # noqa: B018


def test_maybe_custom_array_tree(backend: str) -> None:
    q = make(backend, V, u.mV)
    tree = [Box(q), {"k": (State(3.0), 4)}]
    out = u.maybe_custom_array_tree(tree)
    assert out[0] is q and out[1]["k"] == (3.0, 4)
    assert u.maybe_custom_array(5) == 5


@pytest.mark.parametrize("cls", [Registered, Keyword])
def test_pytree_registration_and_jit(cls: type) -> None:
    x = cls(make("jax", V, u.mV))
    leaves, treedef = jax.tree_util.tree_flatten(x)
    assert len(leaves) == 1 and isinstance(leaves[0], jnp.ndarray)
    back = jax.tree_util.tree_unflatten(treedef, leaves)
    assert type(back) is cls and back.unit is u.mV
    doubled = jax.jit(lambda a: cls(a.data * 2))(x)
    assert type(doubled) is cls and doubled.unit is u.mV
    np.testing.assert_array_equal(values(doubled.data), V * 2)
    out = jax.jit(lambda a: a + 1 * u.mV)(x)
    np.testing.assert_array_equal(values(out), V + 1)


def test_not_a_pytree_unless_registered() -> None:
    # as in brainunit: a plain subclass is one leaf (brainstate's State relies on that)
    assert isinstance(jax.tree_util.tree_leaves(Box(jnp.ones(2)))[0], Box)


def test_decorators_accept_custom_arrays() -> None:
    @u.check_units(x=u.mV, result=u.mV)
    def f(x):
        return x + 0 * u.mV

    np.testing.assert_array_equal(values(f(Box(V * u.mV))), V)
    with pytest.raises(u.UnitMismatchError, match="argument 'x'"):
        f(Box(V * u.volt))

    @u.assign_units(x=u.volt, result=u.volt)
    def g(x):
        return x

    np.testing.assert_allclose(values(g(Box(V * u.mV))), V / 1000)


def test_math_functions_unwrap_custom_arrays() -> None:
    out = u.math.sum(Box(V * u.mV))
    assert out.unit is u.mV and float(out.to_value(u.mV)) == V.sum()
