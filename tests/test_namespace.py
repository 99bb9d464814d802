"""The unit-aware namespace: every function of the rules table, on every backend, checked with
hypothesis against the backend's own function applied to the converted mantissas, and against
its declared unit rule; plus the namespace object itself (identity, naming, versions, closure)."""

from __future__ import annotations

import importlib
import importlib.util
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from conftest import make, values, xp_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import brainunit_xp as u
from brainunit_xp import ONE, BackendError, DimensionMismatchError, Quantity, Unit, UnitError
from brainunit_xp._backends import BACKENDS
from brainunit_xp._binary_rules import Binary
from brainunit_xp._namespace import RULES, Kind
from brainunit_xp._units import FREE

POOL = [u.mV, u.meter, u.second, u.nS, u.kilogram]
#: (U1, U2, f): 1 U1 == f U2, so a mantissa in U2 is ``m * (1 / f)`` in U1
PAIRS = [(u.meter, u.cmeter, 100.0), (u.mV, u.uV, 1000.0), (u.second, u.ms, 1000.0), (u.nS, u.nS, 1.0)]
SCALED_ONE = [(ONE, 1.0), (u.percent, 0.01), (u.degree, math.pi / 180)]


def _finite(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Floats in [lo, hi] whose float32 rounding is normal or zero (no subnormals anywhere)."""
    return st.floats(lo, hi, allow_subnormal=False).map(lambda x: 0.0 if abs(x) < 1e-30 else x)


@dataclass
class Call:
    """How to call our function and the bare one, and the expected unit(s) of the result."""

    args: tuple[Any, ...]
    ref_args: tuple[Any, ...]
    unit: Any  # a Unit, a tuple of Units (one per output), or None for non-array results
    kwargs: dict[str, Any] = field(default_factory=dict)
    ref_kwargs: dict[str, Any] | None = None


class Ctx:
    """Draws values, units and arrays for one example on one backend."""

    def __init__(self, data: st.DataObject, backend: str, name: str) -> None:
        self.data, self.backend, self.xp, self.name = data, backend, xp_of(backend), name

    def draw(self, strategy: st.SearchStrategy[Any]) -> Any:
        return self.data.draw(strategy)

    def arr(self, shape: tuple[int, ...] = (5,), lo: float = -10, hi: float = 10, kind: str = "float") -> Any:
        n = math.prod(shape)
        if kind == "float":
            vals = np.asarray(self.draw(st.lists(_finite(lo, hi), min_size=n, max_size=n)), np.float64)
        elif kind == "int":
            vals = np.asarray(self.draw(st.lists(st.integers(int(lo), int(hi)), min_size=n, max_size=n)), np.int32)
        elif kind == "complex":
            re = self.draw(st.lists(_finite(lo, hi), min_size=n, max_size=n))
            im = self.draw(st.lists(_finite(lo, hi), min_size=n, max_size=n))
            vals = np.asarray(re) + 1j * np.asarray(im)
        else:
            vals = np.asarray(self.draw(st.lists(st.booleans(), min_size=n, max_size=n)), bool)
        if kind == "complex":
            return self.xp.asarray(vals.reshape(shape), dtype=self.xp.complex64)
        return self.xp.asarray(vals.reshape(shape))

    def unit(self) -> Unit:
        return self.draw(st.sampled_from(POOL))

    def pair(self) -> tuple[Unit, Unit, float]:
        return self.draw(st.sampled_from(PAIRS))

    def scalar(self, lo: float = -5, hi: float = 5) -> float:
        return float(self.draw(st.floats(lo, hi, allow_subnormal=False)))


CASES: dict[str, Callable[[Ctx], Call]] = {}


def case(names: str) -> Callable[[Callable[[Ctx], Call]], Callable[[Ctx], Call]]:
    def register(build: Callable[[Ctx], Call]) -> Callable[[Ctx], Call]:
        for name in names.split():
            CASES[name] = build
        return build

    return register


def unary_case(names: str, unit: Callable[[Unit], Unit], shape: tuple[int, ...] = (5,), **arr: Any) -> None:
    kwargs = arr.pop("kwargs", {})

    def build(c: Ctx) -> Call:
        un, m = c.unit(), c.arr(shape, **arr)
        return Call((Quantity(m, un),), (m,), unit(un), dict(kwargs))

    case(names)(build)


keep = lambda un: un  # noqa: E731
one = lambda un: ONE  # noqa: E731

# -- elementwise -------------------------------------------------------------------------------------------
unary_case("abs ceil floor negative positive round trunc conj real imag", keep)
unary_case("isfinite isinf isnan sign signbit", one)
unary_case("square", lambda un: un**2)
unary_case("sqrt", lambda un: un**0.5, lo=0.1)
unary_case("reciprocal", lambda un: un**-1, lo=0.5)

DOMAINS = {"acos": (-0.9, 0.9), "asin": (-0.9, 0.9), "atanh": (-0.9, 0.9), "acosh": (1.1, 10), "log": (0.1, 10),
           "log2": (0.1, 10), "log10": (0.1, 10), "log1p": (-0.9, 10)}  # fmt: skip


@case("acos acosh asin asinh atan atanh cos cosh exp expm1 log log1p log2 log10 sin sinh tan tanh cumulative_prod")
def _dimensionless(c: Ctx) -> Call:
    lo, hi = DOMAINS.get(c.name, (-3, 3))
    un, s = c.draw(st.sampled_from(SCALED_ONE))
    m = c.arr((5,), lo / s, hi / s)
    return Call((Quantity(m, un),), (m if s == 1.0 else m * un.scale,), ONE)


@case("bitwise_invert")
def _invert(c: Ctx) -> Call:
    m = c.arr((5,), -50, 50, "int")
    return Call((Quantity(m),), (m,), ONE)


@case("logical_not")
def _lnot(c: Ctx) -> Call:
    m = c.arr((5,), kind="bool")
    return Call((Quantity(m),), (m,), ONE)


def binary_same(names: str, out: Callable[[Unit], Unit], lo2: float = -10) -> None:
    def build(c: Ctx) -> Call:
        u1, u2, f = c.pair()
        m1, m2 = c.arr(), (c.arr(lo=lo2) * f) if lo2 > 0 else c.arr()
        return Call((Quantity(m1, u1), Quantity(m2, u2)), (m1, m2 * (1 / f)), out(u1))

    case(names)(build)


binary_same("add subtract maximum minimum hypot nextafter", keep)
binary_same("remainder", keep, lo2=0.5)
binary_same("equal not_equal less less_equal greater greater_equal atan2", one)
binary_same("floor_divide", one, lo2=0.5)


@case("logaddexp")
def _logaddexp(c: Ctx) -> Call:
    m1, m2 = c.arr(), c.arr()
    return Call((Quantity(m1), Quantity(m2)), (m1, m2), ONE)


@case("bitwise_and bitwise_or bitwise_xor bitwise_left_shift bitwise_right_shift")
def _bitwise(c: Ctx) -> Call:
    m1, m2 = c.arr((5,), 0, 50, "int"), c.arr((5,), 0, 4, "int")
    return Call((Quantity(m1), m2), (m1, m2), ONE)


@case("logical_and logical_or logical_xor")
def _logical(c: Ctx) -> Call:
    m1, m2 = c.arr(kind="bool"), c.arr(kind="bool")
    return Call((Quantity(m1), Quantity(m2)), (m1, m2), ONE)


@case("multiply divide")
def _product(c: Ctx) -> Call:
    u1, u2 = c.unit(), c.unit()
    m1, m2 = c.arr(), c.arr(lo=0.5)
    if c.name == "multiply":
        return Call((Quantity(m1, u1), Quantity(m2, u2)), (m1, m2), u1.product(u2)[0])
    if c.draw(st.booleans()):  # m / cm: dimensionless, the scale folded into the mantissa
        p1, p2, f = c.pair()
        return Call((Quantity(m1, p1), Quantity(m2, p2)), (m1, m2 * (1 / f)), ONE)
    return Call((Quantity(m1, u1), Quantity(m2, u2)), (m1, m2), u1.product(u2**-1)[0])


@case("copysign")
def _copysign(c: Ctx) -> Call:
    u1, u2 = c.unit(), c.unit()
    m1, m2 = c.arr(), c.arr()
    return Call((Quantity(m1, u1), Quantity(m2, u2)), (m1, m2), u1)


@case("pow")
def _pow(c: Ctx) -> Call:
    if c.draw(st.booleans()):
        un, p = c.unit(), c.draw(st.sampled_from([2, 3, 0.5, -1]))
        m = c.arr(lo=0.5, hi=5)
        return Call((Quantity(m, un), p), (m, p), un**p)
    m1, m2 = c.arr(lo=0.5, hi=5), c.arr(lo=-2, hi=2)
    return Call((Quantity(m1), Quantity(m2)), (m1, m2), ONE)


@case("clip")
def _clip(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    m, lo, hi = c.arr(), c.scalar(-5, -1), c.scalar(1, 5)
    return Call(
        (Quantity(m, u1),), (m,), u1, {"min": lo * u1, "max": (hi * f) * u2}, {"min": lo, "max": hi * f * (1 / f)}
    )


@case("where")
def _where(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    cond, m1, m2 = c.arr(kind="bool"), c.arr(), c.arr()
    if c.draw(st.booleans()):
        return Call((Quantity(cond), Quantity(m1, u1), 0.0), (cond, m1, 0.0), u1)
    return Call((cond, Quantity(m1, u1), Quantity(m2, u2)), (cond, m1, m2 * (1 / f)), u1)


# -- statistical, searching, sorting, sets ---------------------------------------------------------------


def reduction(names: str, unit: Callable[[Unit, int], Unit], lo: float = -10, hi: float = 10) -> None:
    def build(c: Ctx) -> Call:
        un, m = c.unit(), c.arr((2, 3), lo, hi)
        axis = c.draw(st.sampled_from([None, 0, 1]))
        n = {None: 6, 0: 2, 1: 3}[axis]
        return Call((Quantity(m, un),), (m,), unit(un, n), {"axis": axis})

    case(names)(build)


reduction("max min mean sum std", lambda un, n: un)
reduction("var", lambda un, n: un**2)
reduction("prod", lambda un, n: un**n, 0.5, 2)
reduction("all any count_nonzero", lambda un, n: ONE)
unary_case("argmax argmin", one, kwargs={"axis": 0}, shape=(2, 3))
unary_case("sort cumulative_sum", keep, kwargs={"axis": 1}, shape=(2, 3))
unary_case("argsort", one, kwargs={"axis": 1}, shape=(2, 3))
unary_case("unique_values", keep, lo=-3, hi=3)
unary_case("nonzero", one, lo=-1, hi=1)


@case("unique_all unique_counts unique_inverse")
def _unique(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((6,), -3, 3)
    spec = {"unique_all": "u111", "unique_counts": "u1", "unique_inverse": "u1"}[c.name]
    return Call((Quantity(m, un),), (m,), tuple(un if s == "u" else ONE for s in spec))


@case("diff")
def _diff(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    m, p = c.arr(), c.arr((1,))
    return Call((Quantity(m, u1),), (m,), u1, {"prepend": Quantity(p, u2)}, {"prepend": p * (1 / f)})


@case("searchsorted")
def _searchsorted(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    m1 = c.xp.sort(c.arr())
    m2 = c.arr() * f
    return Call((Quantity(m1, u1), Quantity(m2, u2)), (m1, m2 * (1 / f)), ONE)


@case("isin")
def _isin(c: Ctx) -> Call:
    un = c.unit()
    m1, m2 = c.arr((5,), -3, 3, "int"), c.arr((4,), -3, 3, "int")
    return Call((Quantity(m1, un), Quantity(m2, un)), (m1, m2), ONE)


# -- indexing and manipulation ------------------------------------------------------------------------------


@case("take")
def _take(c: Ctx) -> Call:
    un, m, idx = c.unit(), c.arr(), c.arr((3,), 0, 4, "int")
    return Call((Quantity(m, un), Quantity(idx)), (m, idx), un, {"axis": 0})


@case("take_along_axis")
def _take_along(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((2, 3))
    idx = c.xp.argsort(m, axis=-1)
    return Call((Quantity(m, un), idx), (m, idx), un, {"axis": -1})


@case("repeat")
def _repeat(c: Ctx) -> Call:
    un, m = c.unit(), c.arr()
    return Call((Quantity(m, un), 2), (m, 2), un)


MANIP: dict[str, tuple[tuple[int, ...], tuple[Any, ...], dict[str, Any]]] = {
    "broadcast_to": ((5,), ((2, 5),), {}),
    "expand_dims": ((5,), (), {"axis": 0}),
    "flip": ((2, 3), (), {}),
    "moveaxis": ((2, 3), (0, 1), {}),
    "permute_dims": ((2, 3), ((1, 0),), {}),
    "reshape": ((2, 3), ((3, 2),), {}),
    "roll": ((5,), (), {"shift": 2}),
    "squeeze": ((1, 5), (), {"axis": 0}),
    "tile": ((5,), ((2,),), {}),
    "unstack": ((2, 3), (), {}),
    "tril": ((3, 3), (), {}),
    "triu": ((3, 3), (), {"k": 1}),
    "matrix_transpose": ((2, 3), (), {}),
    "linalg.matrix_transpose": ((2, 3), (), {}),
    "linalg.diagonal": ((3, 3), (), {}),
    "linalg.trace": ((3, 3), (), {}),
    "linalg.matrix_norm": ((3, 3), (), {}),
    "linalg.vector_norm": ((5,), (), {}),
    "linalg.svdvals": ((3, 3), (), {}),
    "fft.fftshift": ((6,), (), {}),
    "fft.ifftshift": ((6,), (), {}),
}


def _manip(c: Ctx) -> Call:
    shape, extra, kw = MANIP[c.name]
    un, m = c.unit(), c.arr(shape)
    return Call((Quantity(m, un), *extra), (m, *extra), un, dict(kw))


for _name in MANIP:
    CASES[_name] = _manip


@case("concat stack")
def _concat(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    m1, m2 = c.arr(), c.arr()
    return Call(([Quantity(m1, u1), Quantity(m2, u2)],), ([m1, m2 * (1 / f)],), u1, {"axis": 0})


@case("broadcast_arrays meshgrid")
def _each(c: Ctx) -> Call:
    u1, u2 = c.unit(), c.unit()
    shapes = ((1, 3), (2, 1)) if c.name == "broadcast_arrays" else ((3,), (2,))
    m1, m2 = c.arr(shapes[0]), c.arr(shapes[1])
    return Call((Quantity(m1, u1), Quantity(m2, u2)), (m1, m2), (u1, u2))


@case("broadcast_shapes")
def _bshapes(c: Ctx) -> Call:
    return Call(((2, 1), (1, 3)), ((2, 1), (1, 3)), None)


# -- creation ------------------------------------------------------------------------------------------------


@case("empty ones zeros")
def _creation(c: Ctx) -> Call:
    return Call(((2, 3),), ((2, 3),), ONE if c.name == "ones" else FREE)  # FREE != ONE (jit static data)


@case("eye")
def _eye(c: Ctx) -> Call:
    return Call((3,), (3,), ONE, {"k": 1})


@case("full")
def _full(c: Ctx) -> Call:
    un, v = c.unit(), c.scalar()
    return Call(((2, 3), v * un), ((2, 3), v), un)


@case("empty_like zeros_like ones_like full_like")
def _like(c: Ctx) -> Call:
    un, m = c.unit(), c.arr()
    if c.name == "full_like":
        if c.draw(st.booleans()):
            fu, v = c.unit(), c.scalar()
            return Call((Quantity(m, un), v * fu), (m, v), fu)
        return Call((Quantity(m, un), 0.0), (m, 0.0), un)
    return Call((Quantity(m, un),), (m,), ONE if c.name == "ones_like" else un)


@case("arange")
def _arange(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    start, stop, step = c.scalar(-5, 0), c.scalar(1, 5), c.scalar(0.5, 2)
    return Call((start * u1, (stop * f) * u2, step * u1), (start, stop * f * (1 / f), step), u1)


@case("linspace")
def _linspace(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    start, stop = c.scalar(-5, 0), c.scalar(1, 5)
    return Call((start * u1, (stop * f) * u2, 5), (start, stop * f * (1 / f), 5), u1)


@case("asarray")
def _asarray(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    a, b = c.scalar(), c.scalar()
    if c.draw(st.booleans()):
        m = c.arr()
        return Call((Quantity(m, u1),), (m,), u1)
    return Call(([a * u1, (b * f) * u2],), ([a, b * f * (1 / f)],), u1)


@case("from_dlpack")
def _from_dlpack(c: Ctx) -> Call:
    un, m = c.unit(), c.arr()
    return Call((Quantity(m, un),), (m,), un)


@case("astype")
def _astype(c: Ctx) -> Call:
    un, m = c.unit(), c.arr()
    return Call((Quantity(m, un), c.xp.float32), (m, c.xp.float32), un)


@case("can_cast result_type")
def _dtype_fns(c: Ctx) -> Call:
    m1, m2 = c.arr(), c.arr((5,), 0, 3, "int")
    if c.name == "can_cast":
        return Call((Quantity(m1, c.unit()), c.xp.float32), (m1, c.xp.float32), None)
    return Call((Quantity(m1, c.unit()), m2), (m1, m2), None)


@case("finfo")
def _finfo(c: Ctx) -> Call:
    m = c.arr()
    return Call((Quantity(m, c.unit()),), (m,), None)


@case("iinfo")
def _iinfo(c: Ctx) -> Call:
    m = c.arr((3,), 0, 3, "int")
    return Call((Quantity(m, c.unit()),), (m,), None)


@case("isdtype")
def _isdtype(c: Ctx) -> Call:
    return Call((c.xp.float32, "real floating"), (c.xp.float32, "real floating"), None)


# -- linear algebra -------------------------------------------------------------------------------------------


@case("matmul tensordot vecdot linalg.matmul linalg.tensordot linalg.vecdot linalg.outer linalg.cross")
def _matprod(c: Ctx) -> Call:
    u1, u2 = c.unit(), c.unit()
    shapes = {"vecdot": ((3,), (3,)), "outer": ((3,), (2,)), "cross": ((3,), (3,))}
    s1, s2 = shapes.get(c.name.rpartition(".")[2], ((2, 3), (3, 2)))
    m1, m2 = c.arr(s1), c.arr(s2)
    kw = {"axes": 1} if c.name.endswith("tensordot") else {}
    return Call((Quantity(m1, u1), Quantity(m2, u2)), (m1, m2), u1.product(u2)[0], kw)


def _spd(c: Ctx) -> Any:
    m = c.arr((3, 3), -1, 1)
    return c.xp.matmul(m, c.xp.matrix_transpose(m)) + 3 * c.xp.eye(3, dtype=m.dtype)


@case(
    "linalg.cholesky linalg.inv linalg.pinv linalg.det linalg.eigvalsh linalg.eigh linalg.svd linalg.qr linalg.eig "
    "linalg.eigvals"
)
def _decomp(c: Ctx) -> Call:
    un, m = c.unit(), _spd(c)
    name = c.name.rpartition(".")[2]
    units = {"cholesky": un**0.5, "inv": un**-1, "pinv": un**-1, "det": un**3, "eigvalsh": un, "eigh": (un, ONE),
             "eig": (un, ONE), "eigvals": un,
             "svd": (ONE, un, ONE), "qr": (ONE, un)}  # fmt: skip
    return Call((Quantity(m, un),), (m,), units[name])


@case("linalg.matrix_power")
def _mpow(c: Ctx) -> Call:
    un, m = c.unit(), _spd(c)
    return Call((Quantity(m, un), 2), (m, 2), un**2)


@case("linalg.matrix_rank")
def _rank(c: Ctx) -> Call:
    m = _spd(c)
    return Call((Quantity(m, c.unit()),), (m,), ONE)


@case("linalg.slogdet")
def _slogdet(c: Ctx) -> Call:
    m = _spd(c)
    return Call((Quantity(m),), (m,), (ONE, ONE))


@case("linalg.solve")
def _solve(c: Ctx) -> Call:
    u1, u2 = c.unit(), c.unit()
    a, b = _spd(c), c.arr((3, 2))
    return Call((Quantity(a, u1), Quantity(b, u2)), (a, b), u2.product(u1**-1)[0])


# -- fft -------------------------------------------------------------------------------------------------------


@case("fft.fft fft.ifft fft.fftn fft.ifftn fft.hfft fft.irfft fft.irfftn")
def _fft_complex(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((2, 6), kind="complex")
    return Call((Quantity(m, un),), (m,), un)


@case("fft.rfft fft.rfftn fft.ihfft")
def _fft_real(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((2, 6))
    return Call((Quantity(m, un),), (m,), un)


@case("fft.fftfreq fft.rfftfreq")
def _fftfreq(c: Ctx) -> Call:
    un, d = c.unit(), c.scalar(0.1, 2)
    return Call((8,), (8,), un**-1, {"d": d * un}, {"d": d})


# -- the checks -------------------------------------------------------------------------------------------------


def _lookup(ns: Any, qualname: str) -> Any:
    ext, _, name = qualname.rpartition(".")
    return getattr(getattr(ns, ext, None) if ext else ns, name, None)


def _check(out: Any, ref: Any, unit: Any, name: str) -> None:
    if unit is None:  # functions about dtypes and shapes return plain values
        for attr in ("eps", "max", "min", "bits", "dtype"):
            if hasattr(ref, attr) and not callable(getattr(ref, attr)):
                assert getattr(out, attr) == getattr(ref, attr)
        if not hasattr(ref, "bits"):
            assert out == ref
        return
    if isinstance(ref, (tuple, list)):
        assert type(out) is type(ref) and len(out) == len(ref)
        units = unit if isinstance(unit, tuple) else (unit,) * len(ref)
        for o, r, un in zip(out, ref, units, strict=True):
            _check(o, r, un, name)
        return
    assert isinstance(out, Quantity), f"{name} returned {type(out).__name__}, not a Quantity"
    assert out.unit == unit, f"{name}: unit {out.unit} != declared {unit}"
    got, want = values(out), values(ref)
    assert got.shape == want.shape and got.dtype == want.dtype
    if name not in ("empty", "empty_like"):
        np.testing.assert_allclose(got, want, rtol=1e-6, equal_nan=True)


def test_every_function_of_the_table_has_a_case() -> None:
    assert set(CASES) == set(RULES)


@pytest.mark.parametrize("name", sorted(RULES))
@given(data=st.data())
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_function_matches_backend_and_unit_rule(backend: str, name: str, data: st.DataObject) -> None:
    ns = getattr(u, backend)
    ours, bare = _lookup(ns, name), _lookup(xp_of(backend), name)
    if bare is None:
        assert ours is None  # we offer exactly what the backend offers
        pytest.skip(f"{backend} has no {name}")
    call = CASES[name](Ctx(data, backend, name))
    try:
        ref = bare(*call.ref_args, **(call.kwargs if call.ref_kwargs is None else call.ref_kwargs))
    except Exception as exc:  # the backend lacks this case: ours must fail the same way
        with pytest.raises(type(exc)):
            ours(*call.args, **call.kwargs)
        return
    _check(ours(*call.args, **call.kwargs), ref, call.unit, name)


# -- invalid units -------------------------------------------------------------------------------------------------

DIMLESS_ONLY = [n for n, r in RULES.items() if r.unit.startswith("x must be dimensionless")]
SAME_DIM = [n for n, r in RULES.items() if r.kind is Kind.BINARY and r.param in (Binary.SAME, Binary.COMPARE)]


@pytest.mark.parametrize("name", DIMLESS_ONLY)
def test_dimensionless_only_functions_refuse_units(backend: str, name: str) -> None:
    fn = _lookup(getattr(u, backend), name)
    if fn is None:
        pytest.skip(f"{backend} has no {name}")
    x = make(backend, [0.5, 0.25], u.mV)
    with pytest.raises(UnitError, match=rf"{name.rpartition('.')[2]}: needs a dimensionless argument.*'mV'"):
        fn(x)


@pytest.mark.parametrize("name", SAME_DIM)
def test_same_dimension_functions_refuse_mismatches(backend: str, name: str) -> None:
    fn = _lookup(getattr(u, backend), name)
    if fn is None:
        pytest.skip(f"{backend} has no {name}")
    with pytest.raises(DimensionMismatchError, match=rf"{name}: incompatible units 'm'.*'s'"):
        fn(make(backend, [1.0, 2.0], u.meter), make(backend, [1.0, 2.0], u.second))


def test_other_rules_refuse_bad_units(backend: str) -> None:
    xp = getattr(u, backend)
    x, t = make(backend, [1.0, 2.0], u.meter), make(backend, [1.0, 2.0], u.second)
    for call in (
        lambda: xp.clip(x, min=1 * u.second),
        lambda: xp.where(x > 0, x, t),
        lambda: xp.concat([x, t]),
        lambda: xp.searchsorted(x, t),
        lambda: xp.full_like(x, 1.0) + x,
        lambda: xp.arange(0 * u.meter, 3 * u.second),
        lambda: xp.asarray([1 * u.meter, 1 * u.second]),
        lambda: xp.diff(x, prepend=t[:1]),
    ):
        with pytest.raises(DimensionMismatchError):
            call()
    with pytest.raises(UnitError, match="where: needs a dimensionless"):
        xp.where(x, x, x)
    with pytest.raises(UnitError, match="must be a scalar"):
        xp.pow(x, make(backend, [1.0, 2.0]))
    with pytest.raises(UnitError, match="needs a dimensionless"):
        xp.take(x, make(backend, [0, 1], u.meter, dtype=xp_of(backend).int32), axis=0)


def test_options_may_be_dimensionless_quantities(backend: str) -> None:
    """The arguments after the arrays (rtol, sorter) are plain numbers: a dimensionless Quantity
    goes on as its mantissa, one with a unit is refused, naming the function and the keyword."""
    xp, bare = getattr(u, backend), xp_of(backend)
    m = bare.asarray(np.array([[4.0, 1.0], [2.0, 3.0], [1.0, 1.0]]))
    x = Quantity(m, u.meter)
    names = [n for n in ("pinv", "matrix_rank") if hasattr(getattr(bare, "linalg", None), n)]
    for name, rtol in [(n, r) for n in names for r in (0.05, 0.9)]:
        ours, ref = getattr(xp.linalg, name), getattr(bare.linalg, name)
        r = bare.asarray(rtol)
        try:
            expected = ref(m, rtol=r)
        except Exception as exc:  # dask's matrix_rank: the backend's own failure, unchanged
            with pytest.raises(type(exc)):
                ours(x, rtol=Quantity(r))
            continue
        out = ours(x, rtol=Quantity(r))
        assert out.unit == (u.meter**-1 if name == "pinv" else ONE)
        np.testing.assert_allclose(values(out), values(expected))
        with pytest.raises(UnitError, match=rf"{name}\(rtol=...\): needs a dimensionless argument, got unit 'mV'"):
            ours(x, rtol=Quantity(r, u.mV))
    sorter = Quantity(bare.asarray(np.array([1, 2, 0])))  # sorts [3, 1, 2]
    y = make(backend, [3.0, 1.0, 2.0], u.meter)
    try:
        bare.searchsorted(y.mantissa, bare.asarray([1.5]), sorter=sorter.mantissa)
    except NotImplementedError:  # dask has no sorter: ours says the same
        with pytest.raises(NotImplementedError):
            xp.searchsorted(y, make(backend, [150.0], u.cmeter), sorter=sorter)
    else:
        found = xp.searchsorted(y, make(backend, [150.0], u.cmeter), sorter=sorter)
        assert values(found).tolist() == [1] and found.unit == ONE
    with pytest.raises(UnitError, match=r"searchsorted\(sorter=...\): needs a dimensionless argument, got unit 's'"):
        xp.searchsorted(y, y, sorter=Quantity(sorter.mantissa, u.second))
    if names == []:
        assert backend in ("dask", "ndonnx")  # the backends without pinv and matrix_rank


# -- the namespace object ---------------------------------------------------------------------------------


def test_one_namespace_per_backend(backend: str) -> None:
    import array_api_compat

    q1, q2 = make(backend, [1.0], u.mV), make(backend, [2.0], u.second)
    ns = q1.__array_namespace__()
    assert ns is q2.__array_namespace__() is getattr(u, backend)
    if importlib.util.find_spec(f"brainunit_xp.{backend}"):  # a built-in backend's stub module
        assert importlib.import_module(f"brainunit_xp.{backend}") is ns
    assert array_api_compat.array_namespace(q1, q2) is ns
    assert ns.__name__ == f"brainunit_xp.{backend}"
    assert ns.__array_api_version__ == xp_of(backend).__array_api_version__
    assert (3 * u.mV).__array_namespace__() is u.jax


def test_api_version_argument(backend: str) -> None:
    q = make(backend, [1.0], u.mV)
    version = xp_of(backend).__array_api_version__
    assert q.__array_namespace__(api_version=version) is q.__array_namespace__(api_version="2023.12")
    for bad in ("2019.01", "2099.12"):
        with pytest.raises(ValueError, match="implements array API versions"):
            q.__array_namespace__(api_version=bad)


def test_namespace_is_complete(backend: str) -> None:
    ns, bare = getattr(u, backend), xp_of(backend)
    for name in RULES:
        assert (_lookup(ns, name) is None) == (_lookup(bare, name) is None), name
    for name in ("e", "pi", "inf", "nan", "newaxis", "float32", "int64", "bool", "__array_namespace_info__"):
        assert getattr(ns, name) is getattr(bare, name)
    info = ns.__array_namespace_info__()
    assert info.default_device() == bare.__array_namespace_info__().default_device()
    assert "real floating" in info.default_dtypes()


def test_foreign_arrays_raise_naming_the_conversion(backend: str) -> None:
    other = "numpy" if backend != "numpy" else "jax"
    ns = getattr(u, backend)
    mine, theirs = make(backend, [1.0], u.mV), make(other, [1.0], u.mV)
    with pytest.raises(BackendError, match=rf"got an array of the {other} backend.*\.to_{backend}\(\)"):
        ns.add(mine, theirs)
    with pytest.raises(BackendError, match=rf"\.to_{backend}\(\)"):
        ns.sin(theirs / u.mV)


def test_dtype_functions_accept_plain_arrays(backend: str) -> None:
    ns, bare = getattr(u, backend), xp_of(backend)
    m = bare.asarray([1.0, 2.0])
    assert ns.result_type(m, bare.float32) == bare.result_type(m, bare.float32)
    assert ns.can_cast(m, bare.float64) == bare.can_cast(m, bare.float64)
    assert ns.finfo(m).eps == bare.finfo(m).eps
    assert ns.iinfo(bare.int32).max == 2**31 - 1
    assert ns.isdtype(m.dtype, "real floating")


def test_signatures_follow_the_backend(backend: str) -> None:
    import inspect

    ns, bare = getattr(u, backend), xp_of(backend)
    for name in ("sum", "clip", "where", "astype", "linspace"):
        try:
            expected = inspect.signature(getattr(bare, name))
        except ValueError:
            continue
        assert inspect.signature(getattr(ns, name)) == expected


# -- front-ends ----------------------------------------------------------------------------------------------


def test_front_ends_pick_the_backend_from_the_inputs(backend: str) -> None:
    q = make(backend, [1.0, 4.0], u.meter2)
    out = u.math.sqrt(q)
    assert out.backend == backend and out.unit is u.meter
    np.testing.assert_allclose(values(out), [1.0, 2.0])
    a = make(backend, [[2.0, 0.0], [0.0, 2.0]], u.ohm)
    if getattr(getattr(xp_of(backend), "linalg", None), "det", None) is None:
        with pytest.raises(BackendError, match=rf"linalg.det is not implemented by the {backend} backend"):
            u.linalg.det(a)
    else:
        assert u.linalg.det(a).unit == u.ohm**2 and u.linalg.det(a).backend == backend
    assert u.fft.fftfreq(4, d=1 * u.ms).backend == "jax"


def test_front_ends_apply_the_selection_rule() -> None:
    import jax.numpy as jnp

    q_np, q_jax = Quantity(np.ones(2), u.mV), Quantity(jnp.ones(2), u.mV)
    assert u.math.add(q_np, q_np).backend == "numpy"
    assert u.math.add(q_np, q_jax).backend == "jax"
    assert u.math.concat([q_np, q_jax]).backend == "jax"
    with u.using_backend("numpy"):
        assert u.math.add(q_np, q_jax).backend == "numpy"
        assert u.math.zeros(3).backend == "numpy"
    assert u.math.zeros(3).backend == "jax"


# -- generic array-API code -------------------------------------------------------------------------------------


def rms(x: Any) -> Any:
    xp = x.__array_namespace__()
    return xp.sqrt(xp.mean(x**2))


def kinetic_energy(m: Any, v: Any) -> Any:
    xp = v.__array_namespace__()
    return 0.5 * m * xp.sum(v * v, axis=-1)


def least_squares(t: Any, y: Any) -> Any:
    """Fit y = a + b t: returns (a, b) via the normal equations."""
    xp = t.__array_namespace__()
    tm, ym = xp.mean(t), xp.mean(y)
    b = xp.sum((t - tm) * (y - ym)) / xp.sum((t - tm) ** 2)
    return ym - b * tm, b


def test_generic_code_gets_units_right(backend: str) -> None:
    v = make(backend, [[1.0, 2.0, 2.0], [0.0, 3.0, 4.0]], u.meter / u.second)
    r = rms(make(backend, [3.0, 4.0], u.mV))
    assert r.unit is u.mV
    np.testing.assert_allclose(values(r), math.sqrt(12.5), rtol=1e-6)
    e = kinetic_energy(make(backend, 2.0, u.kilogram), v)
    assert e.unit is u.joule
    np.testing.assert_allclose(values(e), [9.0, 25.0], rtol=1e-6)
    t = make(backend, [0.0, 1.0, 2.0, 3.0], u.second)
    y = make(backend, [1.0, 3.0, 5.0, 7.0], u.meter)
    a, b = least_squares(t, y)
    assert a.unit is u.meter and b.unit == u.meter / u.second
    np.testing.assert_allclose(values(a), 1.0, atol=1e-5)
    np.testing.assert_allclose(values(b), 2.0, rtol=1e-5)
    with pytest.raises(UnitError):
        rms(make(backend, [3.0, 4.0], u.mV)) + 1 * u.second


def test_generic_code_under_jit() -> None:
    import jax
    import jax.numpy as jnp

    v = Quantity(jnp.array([[1.0, 2.0, 2.0]]), u.meter / u.second)
    e = jax.jit(kinetic_energy)(Quantity(jnp.asarray(2.0), u.kilogram), v)
    assert e.unit is u.joule
    np.testing.assert_allclose(values(e), [9.0])
    _, b = jax.jit(least_squares)(Quantity(jnp.arange(4.0), u.second), Quantity(jnp.arange(4.0) * 2 + 1, u.meter))
    assert b.unit == u.meter / u.second
    np.testing.assert_allclose(values(b), 2.0, rtol=1e-5)


# -- unit-free buffers and booleans ---------------------------------------------------------------------


def test_unit_free_buffers_take_the_unit_they_meet(backend: str) -> None:
    ns = getattr(u, backend)
    x = make(backend, [1.0, 2.0, 3.0], u.mV)
    acc = ns.zeros(3, dtype=x.dtype)
    acc = acc + x  # an accumulator of zeros
    assert acc.unit is u.mV
    np.testing.assert_allclose(values(acc), [1.0, 2.0, 3.0])
    total = ns.zeros(3, dtype=x.dtype)
    total += x
    assert total.unit is u.mV
    assert ns.concat([ns.zeros(2, dtype=x.dtype), x]).unit is u.mV
    assert ns.where(x > 1 * u.mV, x, ns.full((3,), float("nan"), dtype=x.dtype)).unit is u.mV
    assert ns.zeros_like(x).unit is u.mV and ns.empty_like(x).unit is u.mV  # like x: keep its unit
    with pytest.raises(DimensionMismatchError):
        ns.ones(3, dtype=x.dtype) + x  # ones are numbers, not unit-free
    with pytest.raises(DimensionMismatchError):
        ns.full((3,), 2.0, dtype=x.dtype) + x
    if backend != "dask":  # dask has no boolean-mask assignment
        mask = make(backend, [True, False, True])
        buf = ns.full_like(mask, float("nan"), dtype=x.dtype)
        buf[mask] = x[mask]
        assert buf.unit is u.mV
        np.testing.assert_allclose(values(buf), [1.0, np.nan, 3.0])
        fixed = ns.zeros(3, dtype=x.dtype)
        fixed[0] = 5.0  # a plain number fixes the buffer as dimensionless
        with pytest.raises(DimensionMismatchError):
            fixed[1] = 1 * u.mV


def test_booleans_never_carry_units(backend: str) -> None:
    ns = getattr(u, backend)
    x = make(backend, [0.0, 2.0], u.mV)
    for out in (ns.astype(x, ns.bool), ns.zeros_like(x, dtype=ns.bool), ns.asarray(x, dtype=ns.bool), x > 0):
        assert out.unit is ONE
    np.testing.assert_array_equal(values(~ns.astype(x, ns.bool)), [True, False])


def test_extensions_only_where_the_backend_has_them(backend: str) -> None:
    """array-API code takes ``xp.linalg`` for the whole extension: ours has one exactly where the
    bare namespace has (ndonnx has neither, so brainunit's linalg extras are not there either)."""
    ns, xp = getattr(u, backend), BACKENDS[backend].xp
    for ext in ("linalg", "fft"):
        assert hasattr(ns, ext) == hasattr(xp, ext), ext
