"""brainunit's ``math`` / ``linalg`` / ``fft`` names beyond the standard's (``MATH_RULES``), on every
backend that has them: each against numpy's function of the same name on the converted mantissas
(so generic compositions on torch, ndonnx and array_api_strict are checked against numpy), and
against its declared unit rule.  Cases are registered per name with ``@case`` as in
tests/test_namespace.py (whose ``Ctx``/``Call`` they reuse); a name with ``alias`` needs no case."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
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
        got = values(o)
        atol = 1e-6 if got.dtype in (np.float32, np.complex64) else 1e-12  # float32 values near 0: rounding
        np.testing.assert_allclose(got, np.asarray(r), rtol=1e-5, atol=atol, equal_nan=True)


# -- elementwise, creation, helpers (matha) ------------------------------------------------------------------

PAIRS = [(u.meter, u.cmeter, 100.0), (u.mV, u.uV, 1000.0), (u.second, u.ms, 1000.0), (u.nS, u.nS, 1.0)]
#: dimensionless units and their scales: a mantissa m in them is the number m * scale
SCALED_ONE = [(u.ONE, 1.0), (u.percent, 0.01), (u.degree, math.pi / 180)]
ACTIVATIONS = ("relu6 sigmoid softplus sparse_plus sparse_sigmoid soft_sign silu swish log_sigmoid hard_sigmoid "
               "hard_silu hard_swish hard_tanh elu celu selu gelu glu squareplus mish")  # fmt: skip


def _jax_nn(name: str) -> Callable[..., Any]:
    """``jax.nn.<name>`` in float64, as the reference of an activation."""

    def ref(x: Any, *args: Any, **kwargs: Any) -> Any:
        import jax

        with jax.enable_x64(True):
            return np.asarray(getattr(jax.nn, name)(np.asarray(x, np.float64), *args, **kwargs))

    return ref


def _scipy_exprel(x: Any) -> Any:
    import scipy.special

    return scipy.special.exprel(x)


def _filled_diagonal(a: Any, val: Any, wrap: bool = False) -> Any:
    out = np.array(a, copy=True)
    np.fill_diagonal(out, val, wrap=wrap)
    return out


def _einops_ref(name: str) -> Callable[..., Any]:
    def ref(x: Any, *args: Any, **kwargs: Any) -> Any:
        import einops

        return getattr(einops, name)(np.asarray(x), *args, **kwargs)

    return ref


REFERENCE.update(
    {name: _jax_nn(name) for name in ("relu leaky_relu " + ACTIVATIONS).split()}
    | {name: _einops_ref(name[3:]) for name in ("einrearrange", "einrepeat", "einreduce")}
    | {
        "exprel": _scipy_exprel,
        "fill_diagonal": _filled_diagonal,
        "from_numpy": np.asarray,
        "unflatten": lambda x, axis, sizes: np.reshape(x, (*x.shape[:axis], *sizes, *x.shape[axis + 1 :])),
        "remove_diag": lambda x: x[~np.eye(x.shape[0], dtype=bool)].reshape(x.shape[0], -1),
        "promote_dtypes": lambda *a: [np.asarray(x, np.result_type(*a)) for x in a],
    }
)


@case("around rint fix fabs")
def _rounding(c: Ctx) -> Call:
    un, m = c.unit(), c.arr()
    kwargs = {"decimals": c.draw(st.sampled_from([0, 1, 2, -1]))} if c.name == "around" else {}
    return Call((Quantity(m, un),), (m,), un, kwargs)


@case("modf")
def _modf(c: Ctx) -> Call:
    un, m = c.unit(), c.arr()
    return Call((Quantity(m, un),), (m,), (un, un))


def _with_nans(c: Ctx, m: Any) -> Any:
    mask = c.xp.asarray(np.asarray(c.draw(st.lists(st.booleans(), min_size=5, max_size=5))))
    return c.xp.where(mask, c.xp.asarray(float("nan"), dtype=m.dtype), m)


@case("fmax fmin fmod")
def _same_binary(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    m1, m2 = c.arr(), c.arr(lo=0.5) * f
    if c.name != "fmod":
        m1, m2 = _with_nans(c, m1), _with_nans(c, m2)
    return Call((Quantity(m1, u1), Quantity(m2, u2)), (m1, m2 * (1 / f)), u1)


@case("gcd lcm")
def _gcd(c: Ctx) -> Call:
    un = c.unit()
    m1, m2 = c.arr((5,), -60, 60, "int"), c.arr((5,), -60, 60, "int")
    return Call((Quantity(m1, un), Quantity(m2, un)), (m1, m2), un)


@case("divmod")
def _divmod(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    m1, m2 = c.arr(), c.arr(lo=0.5) * f
    return Call((Quantity(m1, u1), Quantity(m2, u2)), (m1, m2 * (1 / f)), (u.ONE, u1))


@case("float_power")
def _float_power(c: Ctx) -> Call:
    if c.draw(st.booleans()):
        un, p = c.unit(), c.draw(st.sampled_from([2, 3, 0.5, -1]))
        m = c.arr(lo=0.5, hi=5)
        return Call((Quantity(m, un), p), (m, p), un**p)
    m1, m2 = c.arr(lo=0.5, hi=5), c.arr(lo=-2, hi=2)
    return Call((Quantity(m1), Quantity(m2)), (m1, m2), u.ONE)


@case("cbrt")
def _cbrt(c: Ctx) -> Call:
    un, m = c.unit(), c.arr()
    return Call((Quantity(m, un),), (m,), un ** Fraction(1, 3))


def _scaled_input(c: Ctx, lo: float, hi: float, shape: tuple[int, ...] = (5,)) -> tuple[Quantity, Any, dict[str, Any]]:
    """A dimensionless input in a scaled unit (percent, degree), or one in a dimensioned unit with
    ``unit_to_scale``: ``(quantity, the number it stands for, kwargs)``."""
    if c.draw(st.booleans()):
        un, s = c.draw(st.sampled_from(SCALED_ONE))
        m = c.arr(shape, lo / s, hi / s)
        return Quantity(m, un), (m if s == 1.0 else m * s), {}
    un, m = c.unit(), c.arr(shape, lo, hi)
    return Quantity(m, un), m, {"unit_to_scale": un}


@case("exp2 sinc exprel " + ACTIVATIONS)
def _scaled_dimensionless(c: Ctx) -> Call:
    shape = (2, 4) if c.name == "glu" else (5,)
    q, ref, kwargs = _scaled_input(c, -3, 3, shape)
    if c.name == "sinc":  # away from the integers, where sinc is 0 up to rounding
        scale = 1.0 if kwargs else q.unit.scale
        q, ref = q + Quantity(0.1234567 / scale, q.unit), ref + 0.1234567
    options = {"elu": {"alpha": 0.5}, "celu": {"alpha": 2.0}, "gelu": {"approximate": c.draw(st.booleans())},
               "squareplus": {"b": 2.0}, "glu": {"axis": c.draw(st.sampled_from([0, -1]))}}  # fmt: skip
    extra = options.get(c.name, {})
    return Call((q,), (ref,), u.ONE, {**kwargs, **extra}, extra)


@case("frexp")
def _frexp(c: Ctx) -> Call:
    q, ref, kwargs = _scaled_input(c, -1e3, 1e3)
    return Call((q,), (ref,), (u.ONE, u.ONE), kwargs, {})


@case("ldexp")
def _ldexp(c: Ctx) -> Call:
    un, m, e = c.unit(), c.arr(), c.arr((5,), -4, 4, "int")
    return Call((Quantity(m, un), Quantity(e)), (m, e), un)


@case("logaddexp2")
def _logaddexp2(c: Ctx) -> Call:
    if c.draw(st.booleans()):
        un, m1, m2 = c.unit(), c.arr(), c.arr()
        return Call((Quantity(m1, un), Quantity(m2, un)), (m1, m2), u.ONE, {"unit_to_scale": un}, {})
    m1, m2 = c.arr(), c.arr()
    return Call((Quantity(m1), m2), (m1, m2), u.ONE)


@case("heaviside")
def _heaviside(c: Ctx) -> Call:
    un = c.unit()
    m = c.xp.astype(c.arr((5,), -2, 2, "int"), c.xp.float64 if c.backend != "jax" else c.xp.float32)
    h = c.scalar(0, 1)
    return Call((Quantity(m, un), Quantity(h)), (m, h), u.ONE)


@case("deg2rad radians")
def _deg2rad(c: Ctx) -> Call:
    un, to_degrees = c.draw(st.sampled_from([(u.ONE, 1.0), (u.degree, 1.0), (u.arcminute, 1 / 60), (u.radian, 180 / math.pi)]))
    m = c.arr()
    return Call((Quantity(m, un),), (m * to_degrees if to_degrees != 1.0 else m,), u.ONE)


@case("rad2deg degrees")
def _rad2deg(c: Ctx) -> Call:
    q, ref, kwargs = _scaled_input(c, -7, 7)
    return Call((q,), (ref,), u.ONE, kwargs, {})


@case("angle isreal")
def _angle(c: Ctx) -> Call:
    un = c.unit()
    complex_ok = c.backend != "ndonnx"  # ndonnx has no complex dtypes
    m = c.arr(kind="complex") if complex_ok and c.draw(st.booleans()) else c.arr()
    kwargs = {"deg": c.draw(st.booleans())} if c.name == "angle" else {}
    return Call((Quantity(m, un),), (m,), u.ONE, kwargs)


@case("nan_to_num")
def _nan_to_num(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    m = c.arr()
    flags = c.draw(st.lists(st.sampled_from([0, 1, 2, 3]), min_size=5, max_size=5))
    special = c.xp.asarray(np.asarray([0.0, np.nan, np.inf, -np.inf])[flags], dtype=m.dtype)
    m = c.xp.where(c.xp.asarray(np.asarray(flags) > 0), special, m)
    nan, big = c.scalar(), c.scalar(10, 100)
    kwargs = {"nan": Quantity(nan * f, u2), "posinf": Quantity(big, u1), "neginf": Quantity(-big, u1)}
    return Call((Quantity(m, u1),), (m,), u1, kwargs, {"nan": nan * f * (1 / f), "posinf": big, "neginf": -big})


@case("relu leaky_relu")
def _positively_homogeneous(c: Ctx) -> Call:
    un, m = c.unit(), c.arr()
    kwargs = {"negative_slope": 0.2} if c.name == "leaky_relu" else {}
    return Call((Quantity(m, un),), (m,), un, kwargs)


@case("array")
def _array(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    m = c.arr() * f
    return Call((Quantity(m, u2),), (m * (1 / f),), u1, {"unit": u1}, {})


@case("from_numpy")
def _from_numpy(c: Ctx) -> Call:
    un = c.unit()
    m = np.asarray(c.draw(st.lists(st.floats(-5, 5), min_size=3, max_size=3)))
    return Call((m,), (m,), un, {"unit": un}, {})


CREATION_ARGS: dict[str, Callable[[Ctx], tuple[Any, ...]]] = {
    "identity": lambda c: (c.draw(st.integers(0, 4)),),
    "tri": lambda c: (c.draw(st.integers(1, 4)), c.draw(st.integers(1, 4)), c.draw(st.integers(-2, 2))),
    "logspace": lambda c: (c.scalar(-2, 2), c.scalar(-2, 2), c.draw(st.integers(0, 6))),
    "bartlett": lambda c: (c.draw(st.integers(0, 9)),),
    "blackman": lambda c: (c.draw(st.integers(0, 9)),),
    "hamming": lambda c: (c.draw(st.integers(0, 9)),),
    "hanning": lambda c: (c.draw(st.integers(0, 9)),),
    "kaiser": lambda c: (c.draw(st.integers(0, 9)), c.scalar(0, 14)),
    "tril_indices": lambda c: (c.draw(st.integers(1, 4)), c.draw(st.integers(-2, 2)), c.draw(st.integers(1, 4))),
    "triu_indices": lambda c: (c.draw(st.integers(1, 4)), c.draw(st.integers(-2, 2)), c.draw(st.integers(1, 4))),
}


@case(" ".join(CREATION_ARGS))
def _creation(c: Ctx) -> Call:
    args = CREATION_ARGS[c.name](c)
    many = c.name.endswith("_indices")
    if not many and c.draw(st.booleans()):  # brainunit's unit= option
        un = c.unit()
        return Call(args, args, un, {"unit": un}, {})
    return Call(args, args, (u.ONE, u.ONE) if many else u.ONE)


@case("tril_indices_from triu_indices_from diag_indices_from")
def _indices_from(c: Ctx) -> Call:
    shape = (3, 3) if c.name == "diag_indices_from" else (3, 4)
    un, m = c.unit(), c.arr(shape)
    kwargs = {"k": c.draw(st.integers(-2, 2))} if c.name != "diag_indices_from" else {}
    return Call((Quantity(m, un),), (m,), (u.ONE, u.ONE), kwargs)


@case("diag diagflat")
def _diag(c: Ctx) -> Call:
    shape = c.draw(st.sampled_from([(4,), (3, 3), (2, 4)]))
    un, m = c.unit(), c.arr(shape)
    return Call((Quantity(m, un),), (m,), un, {"k": c.draw(st.integers(-2, 2))})


@case("unflatten")
def _unflatten(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((2, 6))
    return Call((Quantity(m, un), 1, (2, 3)), (m, 1, (2, 3)), un)


@case("remove_diag")
def _remove_diag(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((3, 3))
    return Call((Quantity(m, un),), (m,), un)


@case("vander")
def _vander(c: Ctx) -> Call:
    m = c.arr((4,), -3, 3)
    return Call((Quantity(m),), (m,), u.ONE, {"N": c.draw(st.integers(1, 5)), "increasing": c.draw(st.booleans())})


@case("fill_diagonal")
def _fill_diagonal(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    shape, wrap = c.draw(st.sampled_from([((3, 3), False), ((5, 2), True), ((5, 2), False), ((2, 2, 2), False)]))
    m, v = c.arr(shape), c.scalar()
    return Call((Quantity(m, u1), Quantity(v * f, u2)), (m, v * f * (1 / f)), u1, {"wrap": wrap})


@case("promote_dtypes")
def _promote(c: Ctx) -> Call:
    u1, u2 = c.unit(), c.unit()
    m1, m2 = c.arr((3,), -5, 5, "int"), c.arr((3,))
    return Call((Quantity(m1, u1), Quantity(m2, u2)), (m1, m2), (u1, u2))


EINSUM_SPECS = [("ij,jk->ik", [(2, 3), (3, 4)]), ("i,i", [(3,), (3,)]), ("ii", [(3, 3)]), ("ij->ji", [(2, 3)]),
                ("...j,j->...", [(2, 3), (3,)]), ("ij,ij,j->i", [(2, 3), (2, 3), (3,)]), ("iij->j", [(2, 2, 3)]),
                ("i,j", [(2,), (3,)])]  # fmt: skip


@case("einsum")
def _einsum(c: Ctx) -> Call:
    spec, shapes = c.draw(st.sampled_from(EINSUM_SPECS))
    units = [c.unit() for _ in shapes]
    ms = [c.arr(s, -3, 3) for s in shapes]
    unit = u.ONE
    for un in units:
        unit = unit.product(un)[0]
    return Call((spec, *(Quantity(m, un) for m, un in zip(ms, units, strict=True))), (spec, *ms), unit)


@case("einrearrange einrepeat einreduce")
def _einops(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((2, 6), -2, 2)
    if c.name == "einrearrange":
        pattern, extra, kw, unit = c.draw(st.sampled_from([("a b -> b a", (), {}, un), ("a (b c) -> (a b) c", (), {"c": 3}, un)]))
    elif c.name == "einrepeat":
        pattern, extra, kw, unit = "a b -> a b r", (), {"r": 2}, un
    else:
        red = c.draw(st.sampled_from(["sum", "mean", "max", "min", "prod"]))
        pattern, extra, kw, unit = "a b -> a", (red,), {}, un**6 if red == "prod" else un
    return Call((Quantity(m, un), pattern, *extra), (m, pattern, *extra), unit, kw)
