"""brainunit_xp.lax: every wrapper against jax.lax on the converted mantissas, with its unit rule."""

from __future__ import annotations

from fractions import Fraction

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import brainunit_xp as u
from brainunit_xp._namespace import LAX_RULES, Kind
from brainunit_xp._units import FREE

mV, V, s, m = u.mV, u.volt, u.second, u.meter
x = jnp.array([0.5, 1.0, 2.0, 4.0])  # mantissas in mV
y = jnp.array([0.001, 0.003, 0.002, 0.001])  # mantissas in V
r = jnp.array([0.2, 0.4, 0.6, 0.8])  # dimensionless, in (0, 1)
i = jnp.array([1, 2, 3, 4], dtype=jnp.int32)
mat = jnp.arange(1.0, 7.0).reshape(2, 3)
GATHER = jax.lax.GatherDimensionNumbers(offset_dims=(), collapsed_slice_dims=(0,), start_index_map=(0,))
SCATTER = jax.lax.ScatterDimensionNumbers(
    update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,)
)
idx = jnp.array([[1], [3]])
spd = jnp.array([[4.0, 2.0, 0.5], [2.0, 3.0, 1.0], [0.5, 1.0, 2.0]])  # symmetric positive definite
gen = jnp.array([[1.0, 2.0, 0.0], [3.0, 4.0, 1.0], [0.5, -1.0, 2.0]])
tri = jnp.tril(gen) + 3 * jnp.eye(3)
rhs = jnp.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0]])

# name -> (unit-aware arguments, bare arguments (mantissas converted), expected unit or units)
Q = u.Quantity
CASES: dict[str, tuple[tuple, tuple, object]] = {
    "add": ((Q(x, mV), Q(y, V)), (x, y * 1000), mV),
    "sub": ((Q(x, mV), Q(y, V)), (x, y * 1000), mV),
    "max": ((Q(x, mV), Q(y, V)), (x, y * 1000), mV),
    "min": ((Q(x, mV), Q(y, V)), (x, y * 1000), mV),
    "rem": ((Q(x, mV), Q(y, V)), (x, y * 1000), mV),
    "nextafter": ((Q(x, mV), Q(y, V)), (x, y * 1000), mV),
    "complex": ((Q(x, mV), Q(y, V)), (x, y * 1000), mV),
    "mul": ((Q(x, mV), Q(x, s)), (x, x), mV * s),
    "div": ((Q(x, mV), Q(x, s)), (x, x), mV / s),
    "dot": ((Q(x, mV), Q(x, s)), (x, x), mV * s),
    "dot_general": ((Q(mat, m), Q(mat.T, s), (((1,), (0,)), ((), ()))), (mat, mat.T, (((1,), (0,)), ((), ()))), m * s),
    "batch_matmul": ((Q(mat[None], m), Q(mat.T[None], s)), (mat[None], mat.T[None]), m * s),
    "conv": (
        (Q(x[None, None], mV), Q(r[None, None, :2], s), (1,), "VALID"),
        (x[None, None], r[None, None, :2], (1,), "VALID"),
        mV * s,
    ),
    "conv_general_dilated": (
        (Q(x[None, None], mV), Q(r[None, None, :2], s), (1,), "VALID"),
        (x[None, None], r[None, None, :2], (1,), "VALID"),
        mV * s,
    ),
    "conv_with_general_padding": (
        (Q(x[None, None], mV), Q(r[None, None, :2], s), (1,), [(0, 0)], None, None),
        (x[None, None], r[None, None, :2], (1,), [(0, 0)], None, None),
        mV * s,
    ),
    "conv_transpose": (
        (Q(x[None, :, None], mV), Q(r[:2, None, None], s), (1,), "VALID"),
        (x[None, :, None], r[:2, None, None], (1,), "VALID"),
        mV * s,
    ),
    "eq": ((Q(x, mV), Q(y, V)), (x, y * 1000), u.ONE),
    "ne": ((Q(x, mV), Q(y, V)), (x, y * 1000), u.ONE),
    "lt": ((Q(x, mV), Q(y, V)), (x, y * 1000), u.ONE),
    "le": ((Q(x, mV), Q(y, V)), (x, y * 1000), u.ONE),
    "gt": ((Q(x, mV), Q(y, V)), (x, y * 1000), u.ONE),
    "ge": ((Q(x, mV), Q(y, V)), (x, y * 1000), u.ONE),
    "atan2": ((Q(x, mV), Q(y, V)), (x, y * 1000), u.ONE),
    "square": ((Q(x, mV),), (x,), mV**2),
    "sqrt": ((Q(x, mV),), (x,), mV**0.5),
    "rsqrt": ((Q(x, mV),), (x,), mV**-0.5),
    "cbrt": ((Q(x, mV),), (x,), mV ** (1 / 3)),
    "reciprocal": ((Q(x, mV),), (x,), mV**-1),
    "pow": ((Q(x, mV), 3), (x, 3), mV**3),
    "integer_pow": ((Q(x, mV), 2), (x, 2), mV**2),
    "clamp": ((Q(0.001, V), Q(x, mV), Q(3.0, mV)), (1.0, x, 3.0), mV),
    "select": ((Q(x > 1, u.ONE), Q(x, mV), Q(y, V)), (x > 1, x, y * 1000), mV),
    "select_n": ((jnp.array([0, 1, 1, 0]), Q(x, mV), Q(y, V)), (jnp.array([0, 1, 1, 0]), x, y * 1000), mV),
    "reduce_sum": ((Q(x, mV), (0,)), (x, (0,)), mV),
    "reduce_max": ((Q(x, mV), (0,)), (x, (0,)), mV),
    "reduce_min": ((Q(x, mV), (0,)), (x, (0,)), mV),
    "reduce_prod": ((Q(x, mV), (0,)), (x, (0,)), mV**4),
    "cumsum": ((Q(x, mV), 0), (x, 0), mV),
    "cummax": ((Q(x, mV), 0), (x, 0), mV),
    "cummin": ((Q(x, mV), 0), (x, 0), mV),
    "argmax": ((Q(x, mV), 0, jnp.int32), (x, 0, jnp.int32), u.ONE),
    "argmin": ((Q(x, mV), 0, jnp.int32), (x, 0, jnp.int32), u.ONE),
    "reduce_and": ((Q(x > 1, u.ONE), (0,)), (x > 1, (0,)), u.ONE),
    "reduce_or": ((Q(x > 1, u.ONE), (0,)), (x > 1, (0,)), u.ONE),
    "reduce_xor": ((Q(x > 1, u.ONE), (0,)), (x > 1, (0,)), u.ONE),
    "is_finite": ((Q(x, mV),), (x,), u.ONE),
    "sign": ((Q(-x, mV),), (-x,), u.ONE),
    "top_k": ((Q(x, mV), 2), (x, 2), (mV, u.ONE)),
    "approx_max_k": ((Q(x, mV), 2), (x, 2), (mV, u.ONE)),
    "approx_min_k": ((Q(x, mV), 2), (x, 2), (mV, u.ONE)),
    "sort": ((Q(y, V),), (y,), V),
    "sort_key_val": ((Q(y, V), Q(x, mV)), (y, x), (V, mV)),
    "slice": ((Q(x, mV), (1,), (3,)), (x, (1,), (3,)), mV),
    "slice_in_dim": ((Q(x, mV), 1, 3), (x, 1, 3), mV),
    "index_in_dim": ((Q(x, mV), 2), (x, 2), mV),
    "dynamic_slice": ((Q(x, mV), (Q(jnp.array(1), u.ONE),), (2,)), (x, (1,), (2,)), mV),
    "dynamic_slice_in_dim": ((Q(x, mV), 1, 2), (x, 1, 2), mV),
    "dynamic_index_in_dim": ((Q(x, mV), 1), (x, 1), mV),
    "index_take": ((Q(x, mV), (jnp.array([3, 0]),), (0,)), (x, (jnp.array([3, 0]),), (0,)), mV),
    "gather": ((Q(x, mV), idx, GATHER, (1,)), (x, idx, GATHER, (1,)), mV),
    "rev": ((Q(x, mV), (0,)), (x, (0,)), mV),
    "transpose": ((Q(mat, m), (1, 0)), (mat, (1, 0)), m),
    "reshape": ((Q(mat, m), (3, 2)), (mat, (3, 2)), m),
    "broadcast": ((Q(x, mV), (2,)), (x, (2,)), mV),
    "broadcast_in_dim": ((Q(x, mV), (2, 4), (1,)), (x, (2, 4), (1,)), mV),
    "broadcast_to_rank": ((Q(x, mV), 3), (x, 3), mV),
    "squeeze": ((Q(x[None], mV), (0,)), (x[None], (0,)), mV),
    "expand_dims": ((Q(x, mV), (0,)), (x, (0,)), mV),
    "collapse": ((Q(mat, m), 0), (mat, 0), m),
    "tile": ((Q(x, mV), (2,)), (x, (2,)), mV),
    "convert_element_type": ((Q(x, mV), jnp.int32), (x, jnp.int32), mV),
    "fft": ((Q(x.astype(jnp.complex64), mV), "FFT", (4,)), (x.astype(jnp.complex64), "FFT", (4,)), mV),
    "split": ((Q(x, mV), (1, 3)), (x, (1, 3)), [mV, mV]),
    "unstack": ((Q(mat, m),), (mat,), [m, m]),
    "concatenate": (([Q(x, mV), Q(y, V)], 0), ([x, y * 1000], 0), mV),
    "stack": (([Q(x, mV), Q(y, V)],), ([x, y * 1000],), mV),
    "dynamic_update_slice": ((Q(x, mV), Q(y[:2], V), (1,)), (x, y[:2] * 1000, (1,)), mV),
    "dynamic_update_slice_in_dim": ((Q(x, mV), Q(y[:2], V), 1, 0), (x, y[:2] * 1000, 1, 0), mV),
    "dynamic_update_index_in_dim": ((Q(x, mV), Q(y[:1], V), 2, 0), (x, y[:1] * 1000, 2, 0), mV),
    "pad": ((Q(x, mV), Q(0.001, V), [(1, 2, 0)]), (x, 1.0, [(1, 2, 0)]), mV),
    "scatter": ((Q(x, mV), idx, Q(y[:2], V), SCATTER), (x, idx, y[:2] * 1000, SCATTER), mV),
    "scatter_add": ((Q(x, mV), idx, Q(y[:2], V), SCATTER), (x, idx, y[:2] * 1000, SCATTER), mV),
    "scatter_sub": ((Q(x, mV), idx, Q(y[:2], V), SCATTER), (x, idx, y[:2] * 1000, SCATTER), mV),
    "scatter_max": ((Q(x, mV), idx, Q(y[:2], V), SCATTER), (x, idx, y[:2] * 1000, SCATTER), mV),
    "scatter_min": ((Q(x, mV), idx, Q(y[:2], V), SCATTER), (x, idx, y[:2] * 1000, SCATTER), mV),
    "scatter_mul": ((Q(x, mV), idx, r[:2], SCATTER), (x, idx, r[:2], SCATTER), mV),
    "full": (((3,), Q(2.0, mV)), ((3,), 2.0), mV),
    "full_like": ((Q(x, s), Q(2.0, mV)), (x, 2.0), mV),
    "iota": ((jnp.float32, 3), (jnp.float32, 3), u.ONE),
    "broadcasted_iota": ((jnp.float32, (2, 3), 1), (jnp.float32, (2, 3), 1), u.ONE),
    "reduce_precision": ((Q(x, mV), 5, 10), (x, 5, 10), mV),
    "stop_gradient": ((Q(x, mV),), (x,), mV),
    "neg": ((Q(x, mV),), (x,), mV),
    "floor": ((Q(x + 0.3, mV),), (x + 0.3,), mV),
    "ceil": ((Q(x + 0.3, mV),), (x + 0.3,), mV),
    "round": ((Q(x + 0.3, mV),), (x + 0.3,), mV),
    "abs": ((Q(-x, mV),), (-x,), mV),
    "real": ((Q(x.astype(jnp.complex64), mV),), (x.astype(jnp.complex64),), mV),
    "imag": ((Q(x.astype(jnp.complex64), mV),), (x.astype(jnp.complex64),), mV),
    "conj": ((Q(x.astype(jnp.complex64), mV),), (x.astype(jnp.complex64),), mV),
    "bitwise_and": ((i, Q(i, u.ONE)), (i, i), u.ONE),
    "bitwise_or": ((i, Q(i, u.ONE)), (i, i), u.ONE),
    "bitwise_xor": ((i, Q(i, u.ONE)), (i, i), u.ONE),
    "shift_left": ((i, Q(i, u.ONE)), (i, i), u.ONE),
    "shift_right_arithmetic": ((i, Q(i, u.ONE)), (i, i), u.ONE),
    "shift_right_logical": ((i, Q(i, u.ONE)), (i, i), u.ONE),
    "bitwise_not": ((Q(i, u.ONE),), (i,), u.ONE),
    "population_count": ((Q(i, u.ONE),), (i,), u.ONE),
    "clz": ((Q(i, u.ONE),), (i,), u.ONE),
    "igamma": ((Q(r + 1, u.ONE), r), (r + 1, r), u.ONE),
    "igammac": ((Q(r + 1, u.ONE), r), (r + 1, r), u.ONE),
    "igamma_grad_a": ((Q(r + 1, u.ONE), r), (r + 1, r), u.ONE),
    "random_gamma_grad": ((Q(r + 1, u.ONE), r), (r + 1, r), u.ONE),
    "polygamma": ((jnp.ones(4), Q(r + 1, u.ONE)), (jnp.ones(4), r + 1), u.ONE),
    "zeta": ((Q(r + 2, u.ONE), r + 1), (r + 2, r + 1), u.ONE),
    "betainc": ((Q(r + 1, u.ONE), r + 1, r), (r + 1, r + 1, r), u.ONE),
    "dynamic_slice_ind_dim": ((Q(x, mV), 1, 2), (x, 1, 2), mV),
    "bitcast_convert_type": ((Q(x, mV) / Q(1.0, V), jnp.int32), (x / 1000, jnp.int32), u.ONE),
    "scatter_apply": (
        (Q(x, mV), jnp.array([2]), lambda q: q * 2 + Q(1.0, V), SCATTER),
        (x, jnp.array([2]), lambda v: v * 2 + 1000, SCATTER),
        mV,
    ),
    "reduce": ((Q(x, mV), Q(0.0, V), jax.lax.add, (0,)), (x, 0.0, jax.lax.add, (0,)), mV),
    "zeros_like_array": ((Q(x, mV),), (x,), mV),
    "cholesky": ((Q(spd, m**2),), (spd,), m),
    "eig": ((Q(gen, s),), (gen,), (s, u.ONE, u.ONE)),
    "eigh": ((Q(spd, s),), (spd,), (u.ONE, s)),
    "hessenberg": ((Q(gen, s),), (gen,), (s, u.ONE)),
    "lu": ((Q(gen, s),), (gen,), (s, u.ONE, u.ONE)),
    "qdwh": ((Q(gen, s),), (gen,), (u.ONE, s, u.ONE, u.ONE)),
    "qr": ((Q(gen, m),), (gen,), (u.ONE, m)),
    "schur": ((Q(gen, s),), (gen,), (s, u.ONE)),
    "svd": ((Q(gen, m),), (gen,), (u.ONE, m, u.ONE)),
    "tridiagonal": ((Q(spd, s),), (spd,), (s, s, s, u.ONE)),
    "householder_product": ((Q(gen, s), r[:2]), (gen, r[:2]), u.ONE),
    "triangular_solve": ((Q(tri, V), Q(rhs.T, mV)), (tri * 1000, rhs.T), u.ONE),  # mV / V folds into the values
    "tridiagonal_solve": (
        (Q(r[:3], u.kohm), Q(x[:3] + 2, u.ohm), Q(r[1:], u.ohm), Q(rhs, V)),
        (r[:3] * 1000, x[:3] + 2, r[1:], rhs),
        V / u.ohm,
    ),
}
# brainunit's names for jax functions of another name or module
BARE = {"dynamic_slice_ind_dim": jax.lax.dynamic_slice_in_dim, "zeros_like_array": jnp.zeros_like}
# dimensionless one-argument functions: a ratio of units (mV / V) is converted before the call
_DIMLESS = "exp exp2 log log1p expm1 sin cos tan asin acos atan sinh cosh tanh asinh acosh atanh logistic erf"
for _name in [*_DIMLESS.split(), "erfc", "erf_inv", "lgamma", "digamma", "bessel_i0e", "bessel_i1e"]:
    _arg = r + 1 if _name == "acosh" else r
    CASES[_name] = ((Q(_arg, mV) / Q(1.0, V),), (_arg / 1000,), u.ONE)
CASES["cumprod"] = ((Q(r, mV) / Q(1.0, V), 0), (r / 1000, 0), u.ONE)
CASES["cumlogsumexp"] = ((Q(r, mV) / Q(1.0, V), 0), (r / 1000, 0), u.ONE)
CONTROL = {n for n, rule in LAX_RULES.items() if rule.kind is Kind.CONTROL}
COLLECTIVE = {"psum", "pmean", "pmax", "pmin", "all_gather", "ppermute"}
PLAIN = {"broadcast_shapes"}


def bare(name: str):
    return BARE.get(name) or getattr(jax.lax, name, None) or getattr(jax.lax.linalg, name)


def _same(got, want, unit):
    if isinstance(unit, (list, tuple)):
        assert len(got) == len(want) == len(unit)
        for g, w, un in zip(got, want, unit, strict=True):
            _same(g, w, un)
        return
    assert isinstance(got, u.Quantity), got
    assert got.unit.dim is unit.dim and got.unit.scale == pytest.approx(unit.scale), (got.unit, unit)
    w = jnp.asarray(want)
    assert got.mantissa.dtype == w.dtype
    np.testing.assert_allclose(np.asarray(got.mantissa), np.asarray(w), rtol=2e-6, equal_nan=True)


def test_every_rule_has_a_case() -> None:
    assert set(LAX_RULES) - CONTROL - COLLECTIVE - PLAIN - set(CASES) == set()
    assert set(CASES) <= set(LAX_RULES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_lax_matches_jax_and_unit_rule(name: str) -> None:
    args, bare_args, unit = CASES[name]
    got = getattr(u.lax, name)(*args)
    want = bare(name)(*bare_args)
    _same(got, want, unit)


@pytest.mark.parametrize("name", sorted(set(CASES) - {"iota", "broadcasted_iota", "full"}))
def test_lax_refuses_numpy_backed_quantities(name: str) -> None:
    args = [a.to_numpy() if isinstance(a, u.Quantity) else a for a in CASES[name][0]]
    if isinstance(args[0], list):
        args[0] = [a.to_numpy() for a in args[0]]
    if not any(isinstance(a, (u.Quantity, list)) for a in args):
        pytest.skip("no Quantity argument")
    with pytest.raises(
        u.BackendError,
        match=rf"lax\.{name}: requires the jax backend; got a Quantity of the numpy backend\. Call \.to_jax\(\)",
    ):
        getattr(u.lax, name)(*args)


def test_lax_refuses_arrays_of_other_backends() -> None:
    torch = pytest.importorskip("torch")
    with pytest.raises(u.BackendError, match=r"got an array of the torch backend\. Call \.to_jax\(\)"):
        u.lax.add(Q(x, mV), torch.ones(4))


def test_numpy_arrays_are_dimensionless_constants() -> None:
    out = u.lax.mul(Q(x, mV), np.full(4, 2.0, dtype=np.float32))
    assert out.unit is mV and np.allclose(np.asarray(out.mantissa), 2 * np.asarray(x))


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: u.lax.add(Q(x, mV), Q(x, s)), u.DimensionMismatchError),
        (lambda: u.lax.exp(Q(x, mV)), u.UnitError),
        (lambda: u.lax.pad(Q(x, mV), Q(0.0, s), [(1, 1, 0)]), u.DimensionMismatchError),
        (lambda: u.lax.clamp(Q(0.0, s), Q(x, mV), Q(1.0, mV)), u.DimensionMismatchError),
        (lambda: u.lax.concatenate([Q(x, mV), Q(x, s)], 0), u.DimensionMismatchError),
        (lambda: u.lax.select(Q(x, mV), Q(x, mV), Q(x, mV)), u.UnitError),
        (lambda: u.lax.dynamic_slice(Q(x, mV), (Q(jnp.array(1), s),), (2,)), u.UnitError),
        (lambda: u.lax.scatter_mul(Q(x, mV), idx, Q(y[:2], V), SCATTER), u.UnitError),
        (lambda: u.lax.igamma(Q(r, mV), r), u.UnitError),
    ],
)
def test_lax_unit_errors(call, error) -> None:
    with pytest.raises(error, match=r"brainunit_xp\.lax\.\w+"):
        call()


def test_sort_of_several_operands_keeps_each_unit() -> None:
    keys, values = u.lax.sort([Q(y, V), Q(x, mV)], num_keys=1)
    order = np.argsort(np.asarray(y), kind="stable")
    assert keys.unit is V and values.unit is mV
    np.testing.assert_allclose(np.asarray(values.mantissa), np.asarray(x)[order])


def test_control_flow_carries_units_and_jit() -> None:
    total, running = u.lax.scan(lambda c, v: (c + v, c + v), Q(0.0, mV), Q(y, V))
    assert total.unit is mV and float(total.to_value(V)) == pytest.approx(float(jnp.sum(y)))
    assert running.unit is mV
    out = u.lax.fori_loop(0, 3, lambda k, c: c * 2, Q(1.0, m))
    assert out.unit is m and float(out.mantissa) == 8.0
    with pytest.raises(TypeError, match="pytree"):
        u.lax.scan(lambda c, v: (c * v, v), Q(1.0, mV), Q(x, mV))
    f = jax.jit(lambda q: u.lax.reduce_prod(u.lax.dynamic_slice(q, (1,), (2,)), (0,)))
    got = f(Q(x, mV))
    assert got.unit == mV**2 and float(got.mantissa) == pytest.approx(2.0)


def test_collectives_keep_units_under_vmap() -> None:
    out = jax.vmap(lambda q: u.lax.psum(q, "i"), axis_name="i")(Q(x, mV))
    assert out.unit is mV and np.allclose(np.asarray(out.mantissa), float(jnp.sum(x)))
    mean = jax.vmap(lambda q: u.lax.pmean(q, "i"), axis_name="i")(Q(x, mV))
    assert mean.unit is mV and np.allclose(np.asarray(mean.mantissa), float(jnp.mean(x)))


def test_docstrings_state_the_rule() -> None:
    assert "Unit rule: unit of x1 times unit of x2" in u.lax.dot_general.__doc__
    assert u.lax.slice.__module__ == "brainunit_xp.lax" and "slice" in u.lax.__all__


def _q(got, unit, value, rtol=2e-5):
    assert isinstance(got, u.Quantity), got
    assert got.unit.dim is unit.dim and got.unit.scale == pytest.approx(unit.scale), (got.unit, unit)
    np.testing.assert_allclose(np.asarray(got.mantissa), np.asarray(value), rtol=rtol, atol=1e-5)


def test_decomposition_options_switch_outputs() -> None:
    (w,) = u.lax.eig(Q(gen, s), compute_left_eigenvectors=False, compute_right_eigenvectors=False)
    _q(w, s, jax.lax.linalg.eig(gen, compute_left_eigenvectors=False, compute_right_eigenvectors=False)[0])
    w, vr = u.lax.eig(Q(gen, s), False, True)  # brainunit's positional options
    assert w.unit is s and vr.unit is u.ONE
    _q(u.lax.svd(Q(gen, m), compute_uv=False), m, jax.lax.linalg.svd(gen, compute_uv=False))
    q, r_, p = u.lax.qr(Q(gen, m), pivoting=True)
    assert (q.unit, r_.unit, p.unit) == (u.ONE, m, u.ONE) and p.mantissa.dtype == jnp.int32
    (t,) = u.lax.schur(Q(gen, s), compute_schur_vectors=False)
    _q(t, s, jax.lax.linalg.schur(gen, compute_schur_vectors=False)[0])
    _, w = u.lax.eigh(Q(spd, s), True, False)  # lower=True, symmetrize_input=False
    _q(w, s, jax.lax.linalg.eigh(spd, lower=True, symmetrize_input=False)[1])
    _q(u.lax.cholesky(Q(spd, m**2), False), m, jax.lax.linalg.cholesky(spd, symmetrize_input=False))
    with pytest.raises(TypeError, match="at most 1 options"):
        u.lax.cholesky(Q(spd, m**2), False, True)
    with pytest.raises(TypeError, match="both positionally and as keywords"):
        u.lax.tridiagonal(Q(spd, s), True, lower=False)


def test_factors_multiply_back_to_x() -> None:
    A = Q(spd, u.mV)
    L = u.lax.cholesky(A)
    assert L.unit == u.mV ** Fraction(1, 2)
    _q(u.math.matmul(L, u.math.matrix_transpose(L)).to(u.mV), u.mV, spd)
    q, r_ = u.lax.qr(A)
    _q(u.math.matmul(q, r_), u.mV, spd)
    lu, _, perm = u.lax.lu(A)
    lower = jnp.tril(lu.mantissa, -1) + jnp.eye(3)
    _q(Q(lower @ jnp.triu(lu.mantissa), lu.unit), u.mV, spd[np.asarray(perm.mantissa)])
    h, taus = u.lax.hessenberg(A)
    qh = u.lax.householder_product(h, taus)  # the reflectors are read as stored, in h's unit
    assert qh.unit is u.ONE
    np.testing.assert_allclose(
        np.asarray(qh.mantissa),
        np.asarray(jax.lax.linalg.householder_product(*jax.lax.linalg.hessenberg(spd))),
        rtol=1e-5,
    )


@settings(max_examples=25, deadline=None)
@given(
    unit=st.sampled_from([u.mV, u.meter, u.second**2, u.siemens / u.meter]),
    diag=st.lists(st.floats(0.5, 5.0), min_size=3, max_size=3),
)
def test_solves_give_unit_of_b_over_unit_of_a(unit, diag) -> None:
    a = tri + jnp.diag(jnp.array(diag))
    b = Q(rhs, u.volt)
    x_ = u.lax.triangular_solve(Q(a, unit), b, left_side=True, lower=True)
    assert x_.unit.dim is (u.volt / unit).dim
    back = u.math.matmul(Q(a, unit), x_)  # a @ x == b, in b's unit
    _q(back.to(u.volt), u.volt, rhs, rtol=1e-4)
    xs = u.lax.tridiagonal_solve(Q(r[:3], unit), Q(jnp.array(diag) + 2, unit), Q(r[1:], unit), b)
    assert xs.unit.dim is (u.volt / unit).dim
    dense = jnp.diag(jnp.array(diag) + 2) + jnp.diag(r[1:3], -1) + jnp.diag(r[1:3], 1)
    _q(Q(dense @ xs.mantissa, unit * xs.unit).to(u.volt), u.volt, rhs, rtol=1e-4)


def test_reduce_knows_the_unit_of_add_max_min_mul_only() -> None:
    q = Q(x, mV)
    _q(u.lax.reduce(q, 0.0, jax.lax.add, (0,)), mV, jnp.sum(x))
    _q(u.lax.reduce(q, -jnp.inf, jnp.maximum, (0,)), mV, jnp.max(x))
    _q(u.lax.reduce(q, Q(1.0, V), u.lax.min, (0,)), mV, jnp.min(x))  # brainunit's own min: jax's is used
    _q(u.lax.reduce(q, 1.0, jax.lax.mul, (0,)), mV**4, jnp.prod(x))
    _q(u.lax.reduce(Q(x, mV) / Q(1.0, V), 1.0, lambda a, b: a * b + 0.0, (0,)), u.ONE, jnp.prod(x / 1000))
    with pytest.raises(u.UnitError, match=r"lax\.reduce: the unit of a reduction by <lambda> .*'mV' is unknown"):
        u.lax.reduce(q, 0.0, lambda a, b: a + b, (0,))
    with pytest.raises(u.UnitError, match="dimensionless"):
        u.lax.reduce(q, Q(1.0, s), jax.lax.mul, (0,))
    with pytest.raises(u.DimensionMismatchError, match=r"lax\.reduce"):
        u.lax.reduce(q, Q(0.0, s), jax.lax.add, (0,))
    with pytest.raises(u.DimensionMismatchError, match=r"lax\.reduce"):  # plain values, init in metres
        u.lax.reduce(r, Q(0.0, m), jax.lax.add, (0,))
    with pytest.raises(u.DimensionMismatchError, match=r"lax\.reduce"):  # a jax zero is a number, not unit-free
        u.lax.reduce(q, jnp.float32(0), jax.lax.add, (0,))
    with pytest.raises(u.UnitError, match="dimensionless"):
        u.lax.reduce((q, q), (0.0, 0.0), lambda a, b: (a[0] + b[0], a[1] + b[1]), (0,))
    a, b = u.lax.reduce((r, r), (0.0, 1.0), lambda a, b: (a[0] + b[0], a[1] * b[1]), (0,))
    assert a.unit is u.ONE and float(a.mantissa) == pytest.approx(float(jnp.sum(r)))
    assert b.unit is u.ONE and float(b.mantissa) == pytest.approx(float(jnp.prod(r)))


def test_scatter_apply_hands_func_quantities() -> None:
    with pytest.raises(u.UnitError, match="func got elements in 'mV' as Quantities and could not take them"):
        u.lax.scatter_apply(Q(x, mV), jnp.array([1]), jnp.sin, SCATTER)
    with pytest.raises(u.UnitError, match="func got elements in 'mV' and returned a plain"):
        u.lax.scatter_apply(Q(x, mV), jnp.array([1]), lambda q: q.mantissa, SCATTER)
    with pytest.raises(u.DimensionMismatchError):
        u.lax.scatter_apply(Q(x, mV), jnp.array([1]), lambda q: q * s, SCATTER)
    out = u.lax.scatter_apply(Q(r, mV) / Q(1.0, V), jnp.array([1]), jnp.sin, SCATTER)  # dimensionless: plain
    _q(out, u.ONE, jax.lax.scatter_apply(r / 1000, jnp.array([1]), jnp.sin, SCATTER))


def test_misc_names() -> None:
    _q(u.lax.iota(jnp.float32, 3, unit=s), s, [0.0, 1.0, 2.0])  # brainunit's unit= option
    _q(u.lax.broadcasted_iota(jnp.float32, (2, 3), 1, unit="mV"), mV, jax.lax.broadcasted_iota(jnp.float32, (2, 3), 1))
    assert u.lax.broadcast_shapes((2, 1), (3,)) == (2, 3)
    z = u.lax.zeros_like_array(Q(x, mV), unit=V)
    _q(z, V, jnp.zeros(4))
    assert u.lax.zeros_like_array(x).unit is FREE  # zeros like a dimensionless array: unit-free, as zeros_like
    assert u.lax.zeros_like_array(x, unit="ms").unit == u.ms
    with pytest.raises(u.DimensionMismatchError, match="zeros_like_array"):
        u.lax.zeros_like_array(Q(x, mV), unit=s)
    with pytest.raises(u.UnitError, match=r"bitcast_convert_type: needs a dimensionless argument"):
        u.lax.bitcast_convert_type(Q(x, mV), jnp.int32)
    with pytest.raises(u.UnitError, match="householder_product"):
        u.lax.householder_product(Q(gen, s), Q(r[:2], s))
    with pytest.raises(u.DimensionMismatchError, match="tridiagonal_solve"):  # 1.0 is no resistance
        u.lax.tridiagonal_solve(r[:3], Q(x[:3], u.ohm), Q(r[1:], u.ohm), Q(rhs, V))
