"""brainunit_xp.sparse: sparse matrices of every format keep their unit through products."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import brainunit_xp as u
from brainunit_xp import sparse as sp

S, mS, mV, V = u.siemens, u.msiemens, u.mV, u.volt
DENSE = np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]], dtype=np.float32)
FORMATS = [sp.COO, sp.CSR, sp.CSC, sp.BCOO, sp.BCSR]


def _check(q, unit, value):
    assert isinstance(q, u.Quantity), q
    assert q.unit.dim is unit.dim and q.unit.scale == pytest.approx(unit.scale), (q.unit, unit)
    np.testing.assert_allclose(np.asarray(q.mantissa), value, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("cls", FORMATS, ids=lambda c: c.__name__)
def test_round_trip_and_properties(cls) -> None:
    A = cls.fromdense(jnp.asarray(DENSE) * S)
    assert A.unit is S and A.shape == (2, 3) and A.nse == 3 and A.dtype == jnp.float32 and A.ndim == 2
    _check(A.todense(), S, DENSE)
    _check(A.data, S, DENSE.T[DENSE.T != 0] if cls is sp.CSC else DENSE[DENSE != 0])
    assert cls.__name__ in repr(A) and "'S'" in repr(A)


@pytest.mark.parametrize("cls", FORMATS, ids=lambda c: c.__name__)
def test_matvec_multiplies_units(cls) -> None:
    A = cls.fromdense(jnp.asarray(DENSE) * S)
    v = jnp.array([1.0, 2.0, 3.0]) * mV
    _check(A @ v, S * mV, DENSE @ np.array([1.0, 2.0, 3.0]))
    _check((A @ v).to(u.uA), u.uA, DENSE @ np.array([1.0, 2.0, 3.0]) * 1000)
    _check(A @ jnp.ones((3, 2)), S, DENSE @ np.ones((3, 2)))
    if cls is not sp.BCSR:  # jax has no BCSR transpose
        _check(jnp.ones(2) * V @ A, V * S, np.ones(2) @ DENSE)
        _check(A.T.todense(), S, DENSE.T)


@pytest.mark.parametrize("cls", FORMATS, ids=lambda c: c.__name__)
def test_scaling_and_conversion(cls) -> None:
    A = cls.fromdense(jnp.asarray(DENSE) * S)
    _check((A * 2.0).todense(), S, 2 * DENSE)
    _check((2.0 * A).todense(), S, 2 * DENSE)
    _check((A * (2.0 * V)).todense(), S * V, 2 * DENSE)
    _check((A / (4.0 * u.second)).todense(), S / u.second, DENSE / 4)
    _check((-A).todense(), S, -DENSE)
    _check(A.to(mS).todense(), mS, 1000 * DENSE)
    with pytest.raises(u.DimensionMismatchError):
        A.to(V)
    with pytest.raises(TypeError, match="scalar"):
        A * (jnp.ones(3) * V)


def test_constructor_takes_quantity_data() -> None:
    A = sp.CSR((jnp.array([1.0, 2.0]) * u.meter, jnp.array([0, 1]), jnp.array([0, 1, 2])), shape=(2, 2))
    _check(A.todense(), u.meter, np.diag([1.0, 2.0]))
    B = sp.COO((jnp.array([1.0, 2.0]), jnp.array([0, 1]), jnp.array([1, 0])), shape=(2, 2), unit="mV")
    _check(B.todense(), mV, [[0.0, 1.0], [2.0, 0.0]])
    C = sp.CSR((jnp.array([1.0]) * V, jnp.array([0]), jnp.array([0, 1])), shape=(1, 1), unit=mV)
    _check(C.todense(), mV, [[1000.0]])


def test_bcoo_addition_converts_to_the_left_unit() -> None:
    A = sp.BCOO.fromdense(jnp.asarray(DENSE) * S)
    _check((A + A.to(mS)).todense(), S, 2 * DENSE)
    _check((A - A.to(mS)).todense(), S, 0 * DENSE)
    with pytest.raises(u.DimensionMismatchError, match="sparse \\+"):
        A + sp.BCOO.fromdense(jnp.asarray(DENSE) * u.second)
    with pytest.raises(TypeError, match="BCOO"):
        sp.CSR.fromdense(jnp.asarray(DENSE) * S) + sp.CSR.fromdense(jnp.asarray(DENSE) * S)


def test_jit_and_grad_through_sparse() -> None:
    A = sp.CSR.fromdense(jnp.asarray(DENSE) * S)
    _check(jax.jit(lambda A, v: A @ v)(A, jnp.ones(3) * V), S * V, DENSE.sum(1))
    g = u.autograd.grad(lambda v: u.math.sum(A @ v))(jnp.ones(3) * V)
    _check(g, S, DENSE.sum(0))


def test_refuses_other_backends() -> None:
    with pytest.raises(
        u.BackendError, match=r"requires the jax backend; got a Quantity of the numpy backend\. Call \.to_jax\(\)"
    ):
        sp.CSR.fromdense(u.Quantity(DENSE, unit=S))
    A = sp.CSR.fromdense(jnp.asarray(DENSE) * S)
    with pytest.raises(u.BackendError, match=r"\.to_jax\(\)"):
        A @ u.Quantity(np.ones(3), unit=V)
