"""brainunit's ``math`` / ``linalg`` / ``fft`` names beyond the standard's (``MATH_RULES``), on every
backend that has them: each against numpy's function of the same name on the converted mantissas
(so generic compositions on torch, ndonnx and array_api_strict are checked against numpy), and
against its declared unit rule.  Cases are registered per name with ``@case`` as in
tests/test_namespace.py (whose ``Ctx``/``Call`` they reuse); a name with ``alias`` needs no case."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from conftest import make, values, xp_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_namespace import SCALED_ONE, Call, Ctx

import brainunit_xp as u
from brainunit_xp import ONE, Quantity, Unit, UnitError
from brainunit_xp._namespace import MATH_RULES, RULES, Kind

CASES: dict[str, Callable[[Ctx], Call]] = {}
DEFAULT_TOLERANCE = {"rtol": 1e-5, "atol": 1e-12}
#: looser where float32 backends (jax) solve a problem by another algorithm than numpy
TOLERANCE = {"linalg.lstsq": {"rtol": 1e-4, "atol": 1e-5}}
#: functions whose result's unit depends on the values (nanprod: how many are not NaN): a lazy (dask)
#: array is computed for them within ``computing_lazy_values()``
READS_VALUES = {"nanprod"}
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


# -- reductions, shapes, statistics, linalg, fft (mathb) --


def _qb(m: Any, unit: Unit = ONE) -> Quantity:
    return Quantity(m, unit)


def _np_flatten(x: Any, start_axis: int | None = None, end_axis: int | None = None) -> Any:
    shape = x.shape
    start = 0 if start_axis is None else start_axis % x.ndim
    end = x.ndim - 1 if end_axis is None else end_axis % x.ndim
    return x.reshape((*shape[:start], int(np.prod(shape[start : end + 1])), *shape[end + 1 :]))


def _np_gather(x: Any, dim: int, index: Any) -> Any:
    key = tuple(slice(None) if k == dim else slice(0, index.shape[k]) for k in range(x.ndim))
    return np.take_along_axis(x[key], index, axis=dim)


REFERENCE.update({
    "row_stack": np.vstack, "flatten": _np_flatten, "gather": _np_gather, "cumproduct": np.cumprod,
    "matrix_power": np.linalg.matrix_power, "multi_dot": np.linalg.multi_dot, "linalg.dot": np.dot,
    "linalg.vdot": np.vdot, "linalg.inner": np.inner, "linalg.kron": np.kron,
})  # fmt: skip


def _bools(c: Ctx, shape: tuple[int, ...]) -> Any:
    return c.xp.asarray(
        np.asarray(c.draw(st.lists(st.booleans(), min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))).reshape(
            shape
        )
    )


def _increasing(c: Ctx, n: int, lo: float = -10, hi: float = 10) -> Any:
    vals = c.draw(st.lists(st.floats(lo, hi), min_size=n, max_size=n, unique=True).map(sorted))
    if len(set(np.round(vals, 3))) < n:  # well separated points
        vals = list(np.linspace(lo, hi, n))
    return c.xp.asarray(np.asarray(vals, np.float64))


@case("vstack hstack dstack column_stack row_stack")
def _stacking(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    shape = c.draw(st.sampled_from([(3,), (2, 3)]))
    m1, m2 = c.arr(shape), c.arr(shape)
    return Call(([_qb(m1, u1), _qb(m2, u2)],), ([m1, m2 * (1 / f)],), u1)


@case("block")
def _block(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    a, b, d, e = c.arr((2, 2)), c.arr((2, 1)), c.arr((1, 2)), c.arr((1, 1))
    return Call(([[_qb(a, u1), _qb(b, u2)], [_qb(d, u1), _qb(e, u2)]],), ([[a, b * (1 / f)], [d, e * (1 / f)]],), u1)


@case("append")
def _append(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    m1, m2 = c.arr((2, 3)), c.arr((1, 3))
    axis = c.draw(st.sampled_from([None, 0]))
    return Call((_qb(m1, u1), _qb(m2, u2)), (m1, m2 * (1 / f)), u1, {"axis": axis})


SPLITS = {"split": [(2,), (4,), ([1, 3],)], "array_split": [(3,), ([2],)], "hsplit": [(2,), ([1],)],
          "vsplit": [(2,), ([3],)], "dsplit": [(2,), ([1],)]}  # fmt: skip


@case("split array_split hsplit vsplit dsplit")
def _splitting(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((4, 4, 2))
    extra = c.draw(st.sampled_from(SPLITS[c.name]))
    kwargs = {"axis": c.draw(st.sampled_from([0, 1, -1]))} if c.name == "split" and extra[0] == 2 else {}
    pieces = len(getattr(np, c.name)(values(m), *extra, **kwargs))
    return Call((_qb(m, un), *extra), (m, *extra), (un,) * pieces, kwargs)


@case("atleast_1d atleast_2d atleast_3d")
def _atleast(c: Ctx) -> Call:
    u1, u2 = c.unit(), c.unit()
    s1, s2 = c.draw(st.sampled_from([(), (3,), (2, 3)])), c.draw(st.sampled_from([(), (2,), (2, 2, 2)]))
    m1, m2 = c.arr(s1), c.arr(s2)
    if c.draw(st.booleans()):
        return Call((_qb(m1, u1),), (m1,), u1)
    return Call((_qb(m1, u1), _qb(m2, u2)), (m1, m2), (u1, u2))


REARRANGE: dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]] = {
    "ravel": [((), {})],
    "flatten": [((), {}), ((), {"start_axis": 1}), ((), {"start_axis": 0, "end_axis": 1})],
    "transpose": [((), {}), ((), {"axes": (1, 0, 2)})],
    "swapaxes": [((0, 2), {}), ((-1, 1), {})],
    "fliplr": [((), {})],
    "flipud": [((), {})],
    "rot90": [((), {}), ((), {"k": 2}), ((), {"k": 3, "axes": (1, 2)}), ((), {"k": -1})],
    "diagonal": [((), {}), ((), {"offset": 1}), ((), {"offset": -1, "axis1": 1, "axis2": 2})],
    "trace": [((), {}), ((), {"offset": 1}), ((), {"offset": -1, "axis1": 1, "axis2": 2})],
}


@case("ravel flatten transpose swapaxes fliplr flipud rot90 diagonal trace")
def _rearrange(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((2, 3, 4))
    extra, kwargs = c.draw(st.sampled_from(REARRANGE[c.name]))
    return Call((_qb(m, un), *extra), (m, *extra), un, dict(kwargs))


@case("gather")
def _gather(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((3, 4))
    dim = c.draw(st.sampled_from([0, 1]))
    idx = c.arr((2, 3), 0, m.shape[dim] - 1, "int")
    return Call((_qb(m, un), dim, idx), (m, dim, idx), un)


@case("compress extract")
def _masked_case(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((3, 4))
    if c.name == "extract":
        cond = _bools(c, (3, 4))
        return Call((cond, _qb(m, un)), (cond, m), un)
    axis = c.draw(st.sampled_from([None, 0, 1]))
    cond = _bools(c, ({None: 7, 0: 3, 1: 4}[axis],))
    return Call((cond, _qb(m, un)), (cond, m), un, {"axis": axis})


@case("choose")
def _choose_case(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    idx, a, b = c.arr((4,), 0, 1, "int"), c.arr((4,)), c.arr((4,))
    return Call((idx, [_qb(a, u1), _qb(b, u2)]), (idx, [a, b * (1 / f)]), u1)


@case("select")
def _select_case(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    c1, c2, a, b = _bools(c, (5,)), _bools(c, (5,)), c.arr(), c.arr()
    if c.draw(st.booleans()):
        d = c.scalar()
        return Call(([c1, c2], [_qb(a, u1), _qb(b, u2)]), ([c1, c2], [a, b * (1 / f)]), u1,
                    {"default": _qb(c.xp.asarray(d * f), u2)}, {"default": d * f * (1 / f)})  # fmt: skip
    return Call(([c1, c2], [_qb(a, u1), _qb(b, u2)]), ([c1, c2], [a, b * (1 / f)]), u1)


@case("argwhere flatnonzero")
def _nonzero_case(c: Ctx) -> Call:
    m = c.arr((3, 4), -1, 1, "int")
    return Call((_qb(m, c.unit()),), (m,), ONE)


@case("unique")
def _unique_case(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((7,), -3, 3, "int")
    flags = {k: c.draw(st.booleans()) for k in ("return_index", "return_inverse", "return_counts")}
    n = sum(flags.values())
    return Call((_qb(m, un),), (m,), (un,) + (ONE,) * n if n else un, flags)


@case("intersect1d")
def _intersect_case(c: Ctx) -> Call:
    un = c.unit()
    a, b = c.arr((6,), 0, 6, "int"), c.arr((5,), 0, 6, "int")
    if c.draw(st.booleans()):
        return Call((_qb(a, un), _qb(b, un)), (a, b), (un, ONE, ONE), {"return_indices": True})
    return Call((_qb(a, un), _qb(b, un)), (a, b), un)


@case("digitize")
def _digitize_case(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    x, bins = c.arr((6,)), _increasing(c, 4)
    if c.draw(st.booleans()):
        bins = c.xp.flip(bins)
    right = c.draw(st.booleans())
    return Call((_qb(x, u1), _qb(bins * f, u2)), (x, bins * f * (1 / f)), ONE, {"right": right})


@case("ediff1d")
def _ediff1d_case(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    m, end = c.arr((2, 3)), c.arr((2,))
    return Call((_qb(m, u1),), (m,), u1, {"to_end": _qb(end, u2), "to_begin": 0.0},
                {"to_end": values(end) * (1 / f), "to_begin": 0.0})  # fmt: skip


@case("gradient")
def _gradient_case(c: Ctx) -> Call:
    un, su = c.unit(), c.unit()
    per = un.quotient(su)[0]
    m = c.arr((5, 4))
    edge = {} if c.backend == "jax" else {"edge_order": c.draw(st.sampled_from([1, 2]))}  # jax has no edge_order
    variant = c.draw(st.sampled_from(["none", "scalar", "coords"]))
    if variant == "none":
        return Call((_qb(m, un),), (m,), (un, un), edge)
    if variant == "scalar":
        return Call((_qb(m, un), _qb(c.xp.asarray(0.5), su)), (m, 0.5), (per, per), edge)
    x = _increasing(c, 5)
    return Call((_qb(m, un), _qb(x, su)), (m, x), per, {"axis": 0, **edge})


@case("trapezoid")
def _trapezoid_case(c: Ctx) -> Call:
    un, xu = c.unit(), c.unit()
    y = c.arr((3, 5))
    variant = c.draw(st.sampled_from(["plain", "dx", "x"]))
    if variant == "plain":
        return Call((_qb(y, un),), (y,), un)
    if variant == "dx":
        return Call((_qb(y, un),), (y,), un.product(xu)[0], {"dx": _qb(c.xp.asarray(0.5), xu)}, {"dx": 0.5})
    x = _increasing(c, 5)
    return Call((_qb(y, un),), (y,), un.product(xu)[0], {"x": _qb(x, xu)}, {"x": values(x)})


PRODUCT_SHAPES = {
    "cross": [((4, 3), (3,)), ((2,), (2,)), ((3,), (2,))], "outer": [((3,), (2,)), ((2, 2), (3,))],
    "inner": [((2, 3), (4, 3)), ((3,), (3,))],
    "dot": [((2, 3), (3, 4)), ((3,), (3,)), ((2, 3, 4), (4,)), ((2, 3), (2, 3, 2))],
    "vdot": [((2, 3), (2, 3))], "kron": [((2, 2), (3,)), ((2, 3), (2, 2))],
    "convolve": [((5,), (3,)), ((3,), (5,))], "correlate": [((5,), (3,)), ((3,), (5,))],
}  # fmt: skip


@case("cross outer inner dot vdot kron convolve correlate linalg.dot linalg.vdot linalg.inner linalg.kron")
def _products(c: Ctx) -> Call:
    u1, u2 = c.unit(), c.unit()
    s1, s2 = c.draw(st.sampled_from(PRODUCT_SHAPES[c.name.rpartition(".")[2]]))
    m1, m2 = c.arr(s1), c.arr(s2)
    kwargs = {"mode": c.draw(st.sampled_from(["full", "same", "valid"]))} if c.name in ("convolve", "correlate") else {}
    return Call((_qb(m1, u1), _qb(m2, u2)), (m1, m2), u1.product(u2)[0], kwargs)


def _spd(c: Ctx, n: int = 3) -> Any:
    m = c.arr((n, n), -1, 1)
    return c.xp.matmul(m, c.xp.matrix_transpose(m)) + 3 * c.xp.eye(n, dtype=m.dtype)


@case("matrix_power")
def _matrix_power_case(c: Ctx) -> Call:
    un, n = c.unit(), c.draw(st.sampled_from([0, 1, 2, 3]))
    m = _spd(c)
    return Call((_qb(m, un), n), (m, n), un**n if n else ONE)


@case("cumsum nancumsum")
def _cumsum_case(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((3, 4))
    if c.name == "nancumsum":
        m = c.xp.where(_bools(c, (3, 4)), c.xp.asarray(float("nan")), m)
    return Call((_qb(m, un),), (m,), un, {"axis": c.draw(st.sampled_from([None, 0, 1]))})


@case("cumprod nancumprod cumproduct")
def _cumprod_case(c: Ctx) -> Call:
    un, s = c.draw(st.sampled_from(SCALED_ONE))
    m = c.arr((3, 4), -2 / s, 2 / s)
    if c.name == "nancumprod":
        m = c.xp.where(_bools(c, (3, 4)), c.xp.asarray(float("nan")), m)
    return Call((_qb(m, un),), (m if s == 1.0 else m * un.scale,), ONE, {"axis": c.draw(st.sampled_from([None, 0, 1]))})


def _nan_matrix(c: Ctx, keep_first: bool = True) -> Any:
    """A (3, 4) array with NaNs, none in the first row and column (every slice has a number)."""
    mask = np.asarray(c.draw(st.lists(st.booleans(), min_size=12, max_size=12))).reshape(3, 4)
    if keep_first:
        mask[0, :] = mask[:, 0] = False
    return c.xp.where(c.xp.asarray(mask), c.xp.asarray(float("nan")), c.arr((3, 4)))


@case("nanstd nanvar nanmedian nanargmax nanargmin")
def _nan_stats(c: Ctx) -> Call:
    un, m = c.unit(), _nan_matrix(c)
    unit = {"nanvar": un**2, "nanargmax": ONE, "nanargmin": ONE}.get(c.name, un)
    return Call((_qb(m, un),), (m,), unit, {"axis": c.draw(st.sampled_from([None, 0, 1]))})


@case("nanprod")
def _nanprod_case(c: Ctx) -> Call:
    un = c.unit()
    m = c.arr((3, 4), 0.5, 2)
    if c.draw(st.booleans()):  # one NaN per row: the same count along axis 1
        cols = c.draw(st.lists(st.integers(0, 3), min_size=3, max_size=3))
        mask = np.zeros((3, 4), bool)
        mask[range(3), cols] = True
        m = c.xp.where(c.xp.asarray(mask), c.xp.asarray(float("nan")), m)
        return Call((_qb(m, un),), (m,), un**3, {"axis": 1})
    m = c.xp.where(_bools(c, (3, 4)), c.xp.asarray(float("nan")), m)
    n = int(np.sum(~np.isnan(values(m))))
    return Call((_qb(m, un),), (m,), un**n if n else ONE)


@case("amax amin ptp median")
def _extremes(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    m = c.arr((3, 4))
    kwargs: dict[str, Any] = {"axis": c.draw(st.sampled_from([None, 0, 1]))}
    if not (c.name == "ptp" and c.backend == "dask"):  # dask's ptp takes no keepdims
        kwargs["keepdims"] = c.draw(st.booleans())
    if c.name in ("amax", "amin") and c.draw(st.booleans()):
        init = c.scalar()
        return Call((_qb(m, u1),), (m,), u1, {**kwargs, "initial": _qb(c.xp.asarray(init * f), u2)},
                    {**kwargs, "initial": init * f * (1 / f)})  # fmt: skip
    return Call((_qb(m, u1),), (m,), u1, kwargs)


@case("percentile quantile nanpercentile nanquantile")
def _quantiles(c: Ctx) -> Call:
    un = c.unit()
    m = _nan_matrix(c) if c.name.startswith("nan") else c.arr((3, 4))
    top = 100.0 if "percentile" in c.name else 1.0
    q = c.draw(st.sampled_from([0.5 * top, [0.0, 0.25 * top, top]]))
    qa = q if isinstance(q, float) else c.xp.asarray(q)
    axis = c.draw(st.sampled_from([None, 0, 1]))
    return Call((_qb(m, un), _qb(qa) if c.draw(st.booleans()) else qa), (m, qa), un, {"axis": axis})


@case("average")
def _average_case(c: Ctx) -> Call:
    un, wu = c.unit(), c.unit()
    m = c.arr((3, 4))
    returned = c.draw(st.booleans())
    if c.draw(st.booleans()):
        return Call((_qb(m, un),), (m,), (un, ONE) if returned else un, {"axis": 1, "returned": returned})
    w = c.arr((4,), 0.5, 2)
    kw = {"axis": 1, "returned": returned}
    return Call(
        (_qb(m, un),), (m,), (un, wu) if returned else un, {**kw, "weights": _qb(w, wu)}, {**kw, "weights": values(w)}
    )


@case("interp")
def _interp_case(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    fu = c.unit()
    pts, fp, x = _increasing(c, 5, -5, 5), c.arr((5,), 1, 10), c.arr((6,), -8, 8)
    if c.draw(st.booleans()):
        kw, ref = (
            {"left": _qb(c.xp.asarray(-1.0), fu), "right": _qb(c.xp.asarray(1.0), fu)},
            {"left": -1.0, "right": 1.0},
        )
    else:
        kw, ref = {}, {}
    return Call((_qb(x, u1), _qb(pts * f, u2), _qb(fp, fu)), (x, pts * f * (1 / f), fp), fu, kw, ref)


@case("histogram")
def _histogram_case(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    wu = c.unit()
    # an irregular ramp under the draws keeps values off the bin edges: a value on an edge computed from
    # the data (zeros between -9 and 9: the middle edge is 1e-15, not 0) lands in either bin by rounding
    a = c.arr((20,))
    a = a + c.xp.astype(c.xp.arange(20), a.dtype) * 0.0137 + 0.001
    variant = c.draw(st.sampled_from(["count", "range", "edges"]))
    if variant == "count":
        kw, ref = {"bins": 4}, {"bins": 4}
    elif variant == "range":
        kw = {"bins": 5, "range": (-5.0 * f * u2, 6.0 * f * u2)}
        ref = {"bins": 5, "range": (-5.0 * f * (1 / f), 6.0 * f * (1 / f))}
    else:
        edges = _increasing(c, 4)
        kw, ref = {"bins": _qb(edges * f, u2)}, {"bins": values(edges * f) * (1 / f)}
    counts = ONE
    if c.draw(st.booleans()):
        w = c.arr((20,), 0, 2)
        kw["weights"], ref["weights"], counts = _qb(w, wu), values(w), wu
    if c.draw(st.booleans()):
        kw["density"] = ref["density"] = True
        counts = u1**-1
    return Call((_qb(a, u1),), (a,), (counts, u1), kw, ref)


@case("bincount")
def _bincount_case(c: Ctx) -> Call:
    wu, x = c.unit(), c.arr((8,), 0, 5, "int")
    kw = {"minlength": c.draw(st.sampled_from([0, 8]))}
    if c.draw(st.booleans()):
        w = c.arr((8,))
        return Call((x,), (x,), wu, {**kw, "weights": _qb(w, wu)}, {**kw, "weights": values(w)})
    return Call((_qb(x),), (x,), ONE, kw)


@case("cov corrcoef")
def _cov_case(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    # a ramp under the draws keeps every row's and column's variance well away from zero: near-constant
    # data (zeros and one 1e-19) makes correlations 0/0, where backends round to different NaNs
    ramp = c.xp.reshape(c.xp.arange(15), (3, 5))
    m = c.arr((3, 5))
    m = m + c.xp.astype(ramp, m.dtype)
    unit = u1**2 if c.name == "cov" else ONE
    kw: dict[str, Any] = {"rowvar": c.draw(st.booleans())}
    if c.name == "cov" and c.draw(st.booleans()):
        kw["ddof"] = 0
    if c.draw(st.booleans()):
        y = c.arr((3, 5))
        y = y + c.xp.astype(ramp, y.dtype) * 2
        return Call((_qb(m, u1), _qb(y, u2)), (m, y * (1 / f)), unit, kw)
    return Call((_qb(m, u1),), (m,), unit, kw)


@case("allclose isclose")
def _close_case(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    a = c.arr((6,), -2, 2)
    noise = c.arr((6,), -0.05, 0.05) * c.xp.astype(_bools(c, (6,)), a.dtype)
    b = (a + noise) * f
    kw: dict[str, Any] = {"rtol": c.draw(st.sampled_from([1e-5, 1e-2]))}
    ref = dict(kw)
    atol = c.draw(st.sampled_from([None, 0, 0.02]))
    if atol == 0:
        kw["atol"] = ref["atol"] = 0
    elif atol is not None:
        kw["atol"], ref["atol"] = _qb(c.xp.asarray(atol * f), u2), atol * f * (1 / f)
    return Call((_qb(a, u1), _qb(b, u2)), (a, b * (1 / f)), ONE, kw, ref)


@case("array_equal")
def _array_equal_case(c: Ctx) -> Call:
    un = c.unit()
    a = c.arr((4,), -3, 3, "int")
    b = a if c.draw(st.booleans()) else c.arr((4,), -3, 3, "int")
    return Call((_qb(a, un), _qb(b, un)), (a, b), ONE)


@case("linalg.norm")
def _norm_case(c: Ctx) -> Call:
    un = c.unit()
    if c.draw(st.booleans()):
        m = c.arr((5,))
        order = c.draw(st.sampled_from([None, 1, 2, 3, np.inf, -np.inf, 0]))
        return Call((_qb(m, un),), (m,), ONE if order == 0 else un, {"ord": order})
    m = c.arr((3, 4))
    orders: list[Any] = [None, "fro", 1, -1, np.inf] + ([] if c.backend == "ndonnx" else [2, -2, "nuc"])
    kw = {"ord": c.draw(st.sampled_from(orders)), "keepdims": c.draw(st.booleans())}
    if kw["ord"] is None and c.draw(st.booleans()):
        kw["axis"] = 1
    return Call((_qb(m, un),), (m,), un, kw)


@case("linalg.lstsq")
def _lstsq_case(c: Ctx) -> Call:
    u1, u2 = c.unit(), c.unit()
    a = c.xp.concat([_spd(c), c.arr((2, 3), -1, 1)], axis=0)  # full rank: numpy gives residuals
    b = c.arr(c.draw(st.sampled_from([(5,), (5, 2)])))
    return Call((_qb(a, u1), _qb(b, u2)), (a, b), (u2.quotient(u1)[0], u2**2, ONE, u1))


@case("multi_dot linalg.multi_dot")
def _multi_dot_case(c: Ctx) -> Call:
    u1, u2, u3 = c.unit(), c.unit(), c.unit()
    a, b, d = c.arr((2, 3)), c.arr((3, 4)), c.arr((4,))
    unit = u1.product(u2)[0].product(u3)[0]
    return Call(([_qb(a, u1), _qb(b, u2), _qb(d, u3)],), ([a, b, d],), unit)


@case("linalg.cond")
def _cond_case(c: Ctx) -> Call:
    order = c.draw(st.sampled_from([None, 2, -2, 1, np.inf, "fro"]))
    m = _spd(c)
    return Call((_qb(m, c.unit()),), (m,), ONE, {} if order is None else {"p": order})


@case("linalg.tensorinv")
def _tensorinv_case(c: Ctx) -> Call:
    un, m = c.unit(), c.xp.reshape(_spd(c, 4), (4, 2, 2))
    return Call((_qb(m, un),), (m,), un**-1, {"ind": 1})


@case("linalg.tensorsolve")
def _tensorsolve_case(c: Ctx) -> Call:
    u1, u2 = c.unit(), c.unit()
    a, b = c.xp.reshape(_spd(c, 6), (2, 3, 6)), c.arr((2, 3))
    return Call((_qb(a, u1), _qb(b, u2)), (a, b), u2.quotient(u1)[0])


@case("fft.fft2 fft.ifft2 fft.rfft2 fft.irfft2")
def _fft2_case(c: Ctx) -> Call:
    un = c.unit()
    m = c.arr((4, 6))
    if c.name != "fft.rfft2" and c.backend != "ndonnx":  # complex128 (ndonnx has neither it nor fft)
        m = c.xp.asarray(values(m) + 1j * values(c.arr((4, 6))))
    kw = {"axes": (0, 1)} if c.draw(st.booleans()) else {}
    return Call((_qb(m, un),), (m,), un, kw)


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
            _lookup(u if "." in name else u.math, name)(*CASES[name](Ctx(data, backend, name)).args)
        return
    call = CASES[name](Ctx(data, backend, name))
    ref_fn = REFERENCE.get(name) or _lookup(np, name)
    ref = ref_fn(*_numpy(call.ref_args), **(call.kwargs if call.ref_kwargs is None else call.ref_kwargs))
    with u.computing_lazy_values() if name in READS_VALUES else contextlib.nullcontext():
        out = ours(*call.args, **call.kwargs)
    units = call.unit if isinstance(call.unit, tuple) else (call.unit,)
    outs, refs = (out, ref) if isinstance(call.unit, tuple) else ((out,), (ref,))
    for o, r, un in zip(outs, refs, units, strict=True):
        assert isinstance(o, Quantity) and o.unit == un, (name, o)
        got, want = values(o), np.asarray(r)
        tol = dict(TOLERANCE.get(name, DEFAULT_TOLERANCE))
        if got.dtype in (np.float32, np.complex64) and want.size:  # float32 (jax): sums cancel at its epsilon
            finite = np.abs(want[np.isfinite(want)]) if np.iscomplexobj(want) or want.dtype.kind == "f" else want
            tol["atol"] = max(tol["atol"], 1e-5 * float(np.max(finite, initial=1.0)))
        np.testing.assert_allclose(got, want, **tol, equal_nan=True)


# -- elementwise, creation, helpers (matha) ------------------------------------------------------------------

PAIRS = [(u.meter, u.cmeter, 100.0), (u.mV, u.uV, 1000.0), (u.second, u.ms, 1000.0), (u.nS, u.nS, 1.0)]
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
    un, to_degrees = c.draw(
        st.sampled_from([(u.ONE, 1.0), (u.degree, 1.0), (u.arcminute, 1 / 60), (u.radian, 180 / math.pi)])
    )
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
        pattern, extra, kw, unit = c.draw(
            st.sampled_from([("a b -> b a", (), {}, un), ("a (b c) -> (a b) c", (), {"c": 3}, un)])
        )
    elif c.name == "einrepeat":
        pattern, extra, kw, unit = "a b -> a b r", (), {"r": 2}, un
    else:
        red = c.draw(st.sampled_from(["sum", "mean", "max", "min", "prod"]))
        pattern, extra, kw, unit = "a b -> a", (red,), {}, un**6 if red == "prod" else un
    return Call((Quantity(m, un), pattern, *extra), (m, pattern, *extra), unit, kw)


# -- laws of the elementwise, activation and einsum families (matha) -----------------------------------------

LAW = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))


def _q(
    backend: str, data: st.DataObject, unit: Any, lo: float = -5, hi: float = 5, shape: tuple[int, ...] = (4,)
) -> Quantity:
    n = math.prod(shape)
    vals = data.draw(st.lists(st.floats(lo, hi, allow_subnormal=False, width=32), min_size=n, max_size=n))
    return make(backend, np.asarray(vals).reshape(shape), unit)


@pytest.mark.parametrize("name", ACTIVATIONS.split())
@given(data=st.data())
@LAW
def test_activation_laws(backend: str, name: str, data: st.DataObject) -> None:
    """Dimensionless in, dimensionless out; a dimensioned input needs unit_to_scale, and the result
    does not depend on the unit the input is written in."""
    fn = _lookup(getattr(u, backend), name)
    shape = (2, 4) if name == "glu" else (4,)
    q = _q(backend, data, u.mV, shape=shape)
    with pytest.raises(u.UnitError, match=name):
        fn(q)
    scaled = fn(q, unit_to_scale=u.mV)
    assert scaled.unit is u.ONE
    plain = fn(Quantity(q.mantissa))
    np.testing.assert_allclose(values(scaled), values(plain), rtol=1e-6)
    in_volts = fn(q.to(u.volt), unit_to_scale=u.mV)  # the same physical values
    np.testing.assert_allclose(values(in_volts), values(scaled), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["relu", "leaky_relu"])
@given(data=st.data())
@LAW
def test_positively_homogeneous_activations_commute_with_unit_changes(
    backend: str, name: str, data: st.DataObject
) -> None:
    fn = _lookup(getattr(u, backend), name)
    q = _q(backend, data, u.mV)
    out = fn(q)
    assert out.unit is u.mV
    np.testing.assert_allclose(values(fn(q.to(u.uV)).to(u.mV)), values(out), rtol=1e-5, atol=1e-9)


@given(data=st.data())
@LAW
def test_degrees_and_radians_round_trip(backend: str, data: st.DataObject) -> None:
    ns = getattr(u, backend)
    x = _q(backend, data, u.ONE, -400, 400)
    rad = ns.deg2rad(Quantity(x.mantissa, u.degree))
    assert rad.unit is u.ONE
    np.testing.assert_allclose(values(ns.rad2deg(rad)), values(x), rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(values(ns.deg2rad(x)), values(rad), rtol=1e-6)  # plain numbers are degrees
    arcmin = ns.radians(Quantity(x.mantissa * 60, u.arcminute))
    np.testing.assert_allclose(values(arcmin), values(rad), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(values(ns.degrees(rad * u.radian)), values(x), rtol=1e-5, atol=1e-4)
    with pytest.raises(u.UnitError, match="deg2rad"):
        ns.deg2rad(Quantity(x.mantissa, u.mV))


@given(data=st.data())
@LAW
def test_divmod_and_fmod_laws(backend: str, data: st.DataObject) -> None:
    ns = getattr(u, backend)
    x1, x2 = _q(backend, data, u.mV, -50, 50), _q(backend, data, u.uV, 500, 5000)
    q, r = ns.divmod(x1, x2)
    assert q.unit is u.ONE and r.unit is u.mV
    np.testing.assert_allclose(values(q * x2.to(u.mV) + r), values(x1), rtol=1e-5, atol=1e-4)
    f = ns.fmod(x1, x2)
    assert f.unit is u.mV
    fv, x1v, x2v = values(f), values(x1), values(x2) / 1000
    assert np.all(np.abs(fv) <= np.abs(x2v) * (1 + 1e-6)) and np.all((fv == 0) | (np.sign(fv) == np.sign(x1v)))


@given(data=st.data())
@LAW
def test_frexp_ldexp_round_trip(backend: str, data: st.DataObject) -> None:
    ns = getattr(u, backend)
    x = _q(backend, data, u.ONE, -1e6, 1e6)
    mant, exp = ns.frexp(x)
    assert mant.unit is u.ONE and exp.unit is u.ONE
    m = values(mant)
    assert np.all((m == 0) | ((np.abs(m) >= 0.5) & (np.abs(m) < 1)))
    np.testing.assert_allclose(values(ns.ldexp(mant, exp)), values(x), rtol=1e-6)
    with_unit = ns.ldexp(Quantity(x.mantissa, u.mV), exp)
    assert with_unit.unit is u.mV
    got = values(with_unit)  # XLA flushes subnormal results to zero: equal up to the smallest normal number
    np.testing.assert_allclose(got, np.ldexp(values(x), values(exp)), rtol=1e-6, atol=float(np.finfo(got.dtype).tiny))


@given(data=st.data())
@LAW
def test_einsum_units_multiply_and_agree_with_matmul(backend: str, data: st.DataObject) -> None:
    ns = getattr(u, backend)
    a, b = _q(backend, data, u.mV, shape=(2, 3)), _q(backend, data, u.nA, shape=(3, 2))
    out = ns.einsum("ij,jk->ik", a, b)
    want = ns.matmul(a, b)
    assert out.unit == want.unit == u.mV * u.nA
    np.testing.assert_allclose(values(out), values(want), rtol=1e-5, atol=1e-5)
    interleaved = ns.einsum(a, [0, 1], b, [1, 2], [0, 2])
    np.testing.assert_allclose(values(interleaved), values(out), rtol=1e-6, atol=1e-6)
    cm = ns.einsum("ij,jk->ik", Quantity(a.mantissa, u.meter), Quantity(b.mantissa, u.cmeter**-1))
    assert cm.unit is u.ONE  # m / cm: the scale folds into the values
    np.testing.assert_allclose(values(cm), values(want) * 100, rtol=1e-5, atol=1e-4)


@given(data=st.data())
@LAW
def test_einops_laws(backend: str, data: st.DataObject) -> None:
    ns = getattr(u, backend)
    q = _q(backend, data, u.mV, 0.5, 2, shape=(2, 3))
    back = ns.einrearrange(ns.einrearrange(q, "a b -> b a"), "b a -> a b")
    assert back.unit is u.mV
    np.testing.assert_array_equal(values(back), values(q))
    np.testing.assert_allclose(values(ns.einreduce(q, "a b -> a", "sum")), values(ns.sum(q, axis=1)), rtol=1e-6)
    assert ns.einreduce(q, "a b -> a", "prod").unit == u.mV**3
    assert ns.einreduce(q, "a b -> b", reduction="prod").unit == u.mV**2
    assert ns.einrepeat(q, "a b -> a b r", r=2).unit is u.mV
    stacked = ns.einrearrange([q, q.to(u.volt)], "s a b -> a b s")  # a list: converted to the first's unit
    assert stacked.unit is u.mV
    np.testing.assert_allclose(values(stacked)[..., 1], values(q), rtol=1e-5)
    custom = ns.einreduce(q, "a b -> a", lambda t, axes: ns.max(t, axis=axes) * t.unit)
    assert custom.unit == u.mV**2


@given(data=st.data())
@LAW
def test_nan_to_num_without_specials_is_the_identity(backend: str, data: st.DataObject) -> None:
    ns = getattr(u, backend)
    q = _q(backend, data, u.mV)
    out = ns.nan_to_num(q, nan=1 * u.volt)
    assert out.unit is u.mV
    np.testing.assert_array_equal(values(out), values(q))
    with pytest.raises(u.DimensionMismatchError, match="nan_to_num"):
        ns.nan_to_num(q, nan=1.0)


# -- brainunit's options and the math module's helpers (matha) -----------------------------------------------


def test_unit_to_scale_options(backend: str) -> None:
    ns = getattr(u, backend)
    q = make(backend, [1.0, 2.0], u.mV)
    np.testing.assert_allclose(values(ns.exp(q, unit_to_scale=u.volt)), np.exp([0.001, 0.002]), rtol=1e-6)
    np.testing.assert_allclose(values(ns.exp(q, u.mV)), np.exp([1.0, 2.0]), rtol=1e-6)  # positional, as brainunit
    np.testing.assert_allclose(values(ns.logaddexp(q, q, unit_to_scale=u.mV)), np.logaddexp([1, 2], [1, 2]), rtol=1e-6)
    np.testing.assert_allclose(values(ns.ldexp(q, 2, unit_to_scale=u.uV)), [4000.0, 8000.0], rtol=1e-6)
    with pytest.raises(u.DimensionMismatchError, match="exp"):
        ns.exp(q, unit_to_scale=u.second)
    with pytest.raises(u.UnitError, match="sigmoid: unit_to_scale must be a Unit such as mV, got str 'mV'") as info:
        ns.sigmoid(q, unit_to_scale="mV")
    assert isinstance(info.value, TypeError)  # a value of the wrong kind, as in brainunit
    with pytest.raises(TypeError, match="zeros: unit must be a Unit"):
        ns.zeros(3, unit="mV")


def test_unit_option_of_creation_functions(backend: str) -> None:
    ns = getattr(u, backend)
    assert ns.zeros(3, unit=u.mV).unit is u.mV
    assert ns.eye(2, unit=u.mV).unit is u.mV
    assert ns.identity(2, None, u.mV).unit is u.mV  # positional, as brainunit
    q = make(backend, [[1.0, 2.0], [3.0, 4.0]], u.mV)
    assert ns.zeros_like(q, unit=u.volt).unit is u.volt
    converted = ns.asarray(q, unit=u.volt)
    assert converted.unit is u.volt
    np.testing.assert_allclose(values(converted), values(q) / 1000)
    with pytest.raises(u.DimensionMismatchError):
        ns.asarray(make(backend, [1.0]), unit=u.mV)  # plain values are dimensionless: not converted to mV
    lower = ns.tril(q, unit=u.volt)
    assert lower.unit is u.volt
    np.testing.assert_allclose(values(lower), np.tril(values(q)) / 1000)
    assert ns.tril(Quantity(q.mantissa), unit=u.mV).unit is u.mV  # a plain array is taken in that unit
    assert ns.diag(q, unit=u.uV).unit is u.uV
    assert ns.vander(make(backend, [1.0, 2.0]), 3, unit=u.mV).unit is u.mV
    with pytest.raises(u.UnitError, match="vander"):
        ns.vander(q[0, :], 3)
    with pytest.raises(u.UnitError, match="unit must be a Unit"):
        ns.zeros(3, unit="mV")


def test_numpy_style_creation_signatures(backend: str) -> None:
    ns, xp = getattr(u, backend), xp_of(backend)
    for made in (ns.zeros((2,), xp.float32, u.mV), ns.full((2,), 1 * u.mV, xp.float32),
                 ns.arange(0 * u.mV, 3 * u.mV, 1 * u.mV, xp.float32), ns.zeros_like(ns.ones(2), xp.float32),
                 ns.asarray([1, 2], xp.float32), ns.identity(2, xp.float32)):  # fmt: skip
        assert made.dtype == xp.float32  # numpy's positional dtype
    assert ns.zeros((2,), xp.float32, u.mV).unit is u.mV
    r = ns.arange(stop=3 * u.meter, step=1 * u.meter)
    assert r.unit is u.meter
    np.testing.assert_array_equal(values(r), [0, 1, 2])
    if backend in ("numpy", "jax", "dask", "cupy"):  # their linspace has retstep
        samples, step = ns.linspace(0 * u.meter, 10 * u.meter, 5, retstep=True)
        assert samples.unit is step.unit is u.meter
        np.testing.assert_allclose(values(step), 2.5)


def test_fill_diagonal_in_place_and_errors(backend: str) -> None:
    ns = getattr(u, backend)
    a = make(backend, np.zeros((3, 3)), u.mV)
    out = ns.fill_diagonal(a, 2 * u.volt)
    np.testing.assert_array_equal(values(out), np.eye(3) * 2000)
    np.testing.assert_array_equal(values(a), np.zeros((3, 3)))  # a new array by default
    if backend in ("numpy", "torch", "array_api_strict"):
        ns.fill_diagonal(a, 2 * u.mV, inplace=True)
        np.testing.assert_array_equal(values(a), np.eye(3) * 2)
    with pytest.raises(u.DimensionMismatchError, match="fill_diagonal"):
        ns.fill_diagonal(Quantity(a.mantissa), 2 * u.mV)
    with pytest.raises(ValueError, match="square"):
        ns.remove_diag(make(backend, np.zeros((2, 3)), u.mV))


def test_math_helpers() -> None:
    import jax.numpy as jnp

    q = u.Quantity(jnp.ones((2, 3)), unit=u.mV)
    assert u.math.shape(q) == (2, 3) and u.math.size(q) == 6 and u.math.size(q, 1) == 3 and u.math.ndim(q) == 2
    assert u.math.shape([[1, 2, 3]]) == (1, 3) and u.math.shape(0) == () and u.math.ndim([0]) == 1
    assert u.math.isscalar(1 * u.mV) and u.math.isscalar(2.0) and not u.math.isscalar(q)
    assert u.math.is_quantity(q) and not u.math.is_quantity(q.mantissa)
    assert u.math.get_dtype(q) == jnp.float32 and u.math.get_dtype(True) is bool
    assert u.math.get_dtype(3.0) == jnp.asarray(3.0).dtype
    assert u.math.is_float(q) and not u.math.is_int(q) and u.math.is_int(3) and u.math.is_float(3.0)
    assert u.math.iscomplexobj(1j) and not u.math.iscomplexobj(q)
    assert u.math.issubdtype(u.math.float32, np.floating) and not u.math.issubdtype(u.math.int32, np.floating)
    assert u.math.issubdtype(u.math.bfloat16, jnp.floating)
    assert u.math.get_promote_dtypes(jnp.ones(2, jnp.int32), q) == jnp.float32
    as_np = u.math.as_numpy(q)
    assert as_np.unit is u.mV and isinstance(as_np.mantissa, np.ndarray)
    assert u.math.einshape(q, "a _") == {"a": 2}
    assert u.math.finfo(1.0).eps == jnp.finfo(jnp.asarray(1.0).dtype).eps and u.math.iinfo(3).max > 0
    assert (u.math.e, u.math.pi, u.math.newaxis) == (math.e, math.pi, None) and math.isnan(u.math.nan)
    assert u.math.inf == math.inf and abs(u.math.euler_gamma - float(np.euler_gamma)) < 1e-15
    assert u.math.float32 is np.float32 and u.math.bool_ is np.bool_ and u.math.int_ is np.int_
    assert u.math.float_ is np.float64 and u.math.complex_ is np.complex128 and u.math.dtype is np.dtype
    import ml_dtypes

    assert u.math.bfloat16 is ml_dtypes.bfloat16 and u.math.int4 is ml_dtypes.int4
    for name in ("get_unit", "get_dim", "get_mantissa", "get_magnitude", "is_unitless", "is_dimensionless",
                 "maybe_decimal", "check_units", "check_dims", "assert_quantity", "display_in_unit",
                 "fail_for_dimension_mismatch", "fail_for_unit_mismatch"):  # fmt: skip
        assert getattr(u.math, name) is getattr(u, name)


def test_tree_like() -> None:
    import jax.numpy as jnp

    tree = {"a": u.Quantity(jnp.arange(3.0), unit=u.mV), "b": [jnp.zeros(2), 1.5]}
    ones, zeros = u.math.tree_ones_like(tree), u.math.tree_zeros_like(tree)
    assert ones["a"].unit is u.mV and zeros["a"].unit is u.mV
    np.testing.assert_array_equal(values(ones["a"]), [1, 1, 1])
    np.testing.assert_array_equal(values(zeros["a"]), [0, 0, 0])
    assert isinstance(ones["b"][0], jnp.ndarray) and ones["b"][1] == 1.0 and zeros["b"][1] == 0.0


def test_from_numpy_gives_the_default_backend_and_dtypes_translate() -> None:
    import torch

    r = u.math.from_numpy(np.arange(3.0), unit=u.mV)
    assert r.unit is u.mV and u.is_jax_array(r.mantissa)
    with u.using_backend("torch"):
        z = u.math.zeros(2, dtype=u.math.float32)
        assert z.mantissa.dtype == torch.float32
        assert u.math.from_numpy(np.arange(3.0)).mantissa.dtype == torch.float64


def test_set_exprel_order() -> None:
    from brainunit_xp._namespace.generic.elementwise import exprel_order

    x = np.asarray([1e-8, -1e-8, 0.0])
    try:
        u.math.set_exprel_order(2)
        assert exprel_order() == 2
        np.testing.assert_allclose(values(u.math.exprel(u.numpy.asarray(x))), [1 + 5e-9, 1 - 5e-9, 1.0], rtol=1e-14)
        with pytest.raises(ValueError, match="2 to 20"):
            u.math.set_exprel_order(1)
        with pytest.raises(ValueError, match="2 to 20"):
            u.math.exprel(u.numpy.asarray(x), order=21)
    finally:
        u.math.set_exprel_order(5)


def _exprel_grad_reference(x: np.ndarray) -> np.ndarray:
    """d/dx exprel in float64: ``((x - 1) e^x + 1) / x^2``, its Taylor series where that cancels."""
    small = np.abs(x) < 1e-2
    xs = np.where(small, 1.0, x)
    series = sum((n + 1) / math.factorial(n + 2) * x**n for n in range(10))
    return np.where(small, series, ((xs - 1.0) * np.exp(xs) + 1.0) / xs**2)


EXPREL_GRID = np.concatenate([-np.logspace(-8, 1, 200)[::-1], np.logspace(-8, 1, 200)])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_exprel_values_accurate_to_the_dtype(backend: str, dtype: str) -> None:
    """exprel against scipy.special.exprel across 0, on every backend, in float32 and float64 (the
    switch between the Taylor series and expm1(x) / x loses no accuracy)."""
    import scipy.special

    xp = xp_of(backend)
    if dtype == "float64" and not _has_float64(backend):
        pytest.skip(f"{backend} computes in float32 here")
    x = EXPREL_GRID.astype(dtype)
    got = u.math.exprel(make(backend, x, dtype=getattr(xp, dtype)))
    assert got.unit is ONE
    want = scipy.special.exprel(x.astype(np.float64))
    np.testing.assert_allclose(values(got), want, rtol=4 * float(np.finfo(dtype).eps))


def _has_float64(backend: str) -> bool:
    xp = xp_of(backend)
    return str(xp.asarray(np.zeros(1)).dtype).endswith("float64")


@pytest.mark.parametrize("autodiff", ["jax", "torch"])
def test_exprel_gradients_accurate_in_float32(autodiff: str) -> None:
    """The derivatives of exprel through jax.grad and torch.autograd stay accurate in float32 near
    0, where those of expm1(x) / x cancel (the series takes over early enough)."""
    x32 = EXPREL_GRID.astype(np.float32)
    if autodiff == "jax":
        import jax
        import jax.numpy as jnp

        f = lambda t: u.math.exprel(u.Quantity(t)).to_value()  # noqa: E731
        grads = np.asarray(jax.vmap(jax.grad(f))(jnp.asarray(x32)), dtype=np.float64)
        second = float(jax.grad(jax.grad(f))(jnp.float32(0.0)))
    else:
        torch = pytest.importorskip("torch")
        t = torch.tensor(x32, requires_grad=True)
        u.math.exprel(u.Quantity(t)).to_value().sum().backward()
        assert t.grad is not None
        grads = t.grad.numpy().astype(np.float64)
        t0 = torch.tensor(0.0, requires_grad=True)
        (g0,) = torch.autograd.grad(u.math.exprel(u.Quantity(t0)).to_value(), t0, create_graph=True)
        second = float(torch.autograd.grad(g0, t0)[0])
    np.testing.assert_allclose(grads, _exprel_grad_reference(x32.astype(np.float64)), rtol=1e-5)
    assert second == pytest.approx(1.0 / 3.0, rel=1e-5)


# -- laws: reductions, shapes, statistics, linalg, fft (mathb) -----------------------------------------------


@given(data=st.data())
@LAW
def test_split_then_concatenate_round_trips_values_and_unit(backend: str, data: st.DataObject) -> None:
    c = Ctx(data, backend, "split")
    un, n = c.unit(), c.draw(st.integers(1, 4))
    m = c.arr((n + c.draw(st.integers(2, 4)), 3))
    sections = c.draw(st.sampled_from([n, [1], [0, 2], [1, 1]]))
    pieces = u.math.array_split(Quantity(m, un), sections, axis=0)
    assert all(p.unit is un for p in pieces)
    back = u.math.concatenate(pieces, axis=0)
    assert back.unit is un
    np.testing.assert_array_equal(values(back), values(m))
    stacked = u.math.vstack(u.math.vsplit(Quantity(m, un), [1]))
    assert stacked.unit is un
    np.testing.assert_array_equal(values(stacked), values(m))


NAN_PAIRS = [("nansum", "sum"), ("nanmean", "mean"), ("nanmax", "max"), ("nanmin", "min"), ("nanstd", "std"),
             ("nanvar", "var"), ("nanprod", "prod"), ("nanmedian", "median"), ("nancumsum", "cumsum"),
             ("nanargmax", "argmax"), ("nanargmin", "argmin"), ("nanpercentile", "percentile")]  # fmt: skip


@pytest.mark.parametrize(("nan_name", "name"), NAN_PAIRS)
@given(data=st.data())
@LAW
def test_nan_reductions_equal_the_plain_ones_without_nans(
    backend: str, nan_name: str, name: str, data: st.DataObject
) -> None:
    c = Ctx(data, backend, nan_name)
    un, m = c.unit(), c.arr((3, 4), 0.5, 2)
    axis = c.draw(st.sampled_from([None, 0, 1]))
    extra = (30.0,) if name == "percentile" else ()
    ours = _lookup(getattr(u, backend), nan_name)
    if ours is None:
        pytest.skip(f"{backend} has no {nan_name}")
    with u.computing_lazy_values():
        got = ours(Quantity(m, un), *extra, axis=axis)
    want = getattr(u.math, name)(Quantity(m, un), *extra, axis=axis)
    assert got.unit == want.unit
    np.testing.assert_allclose(values(got), values(want), rtol=1e-6)


@given(data=st.data())
@LAW
def test_lstsq_solution_times_a_is_in_the_unit_of_b(backend: str, data: st.DataObject) -> None:
    c = Ctx(data, backend, "linalg.lstsq")
    u1, u2 = c.unit(), c.unit()
    a = c.xp.concat([_spd(c), c.arr((2, 3), -1, 1)], axis=0)
    b = c.xp.matmul(a, c.arr((3,)))
    if _lookup(getattr(u, backend), "linalg.lstsq") is None:
        with pytest.raises(u.BackendError, match="backends that have it"):
            u.linalg.lstsq(Quantity(a, u1), Quantity(b, u2))
        return
    x, residuals, rank, sv = u.linalg.lstsq(Quantity(a, u1), Quantity(b, u2))
    assert x.unit == u2.quotient(u1)[0] and residuals.unit == u2**2 and rank.unit is ONE and sv.unit is u1
    back = u.math.matmul(Quantity(a, u1), x)
    assert back.unit.dim is u2.dim
    np.testing.assert_allclose(values(back.to(u2)), values(b), rtol=1e-4, atol=1e-4)


@given(data=st.data())
@LAW
def test_nanprod_counts_the_numbers_and_refuses_uneven_counts(backend: str, data: st.DataObject) -> None:
    c = Ctx(data, backend, "nanprod")
    un = c.unit()
    m = c.xp.asarray(np.asarray([[1.0, np.nan, 2.0], [3.0, 4.0, np.nan]]))
    if backend == "dask":  # the unit depends on the values: a lazy array must be computed for it
        with pytest.raises(u.BackendError, match="computing_lazy_values"):
            u.math.nanprod(Quantity(m, un))
        with u.computing_lazy_values():
            assert u.math.nanprod(Quantity(m, un)).unit == un**4
        return
    assert u.math.nanprod(Quantity(m, un)).unit == un**4
    rows = u.math.nanprod(Quantity(m, un), axis=1)  # two numbers in each row
    assert rows.unit == un**2
    np.testing.assert_allclose(values(rows), [2.0, 12.0])
    with pytest.raises(UnitError, match="different units"):
        u.math.nanprod(Quantity(m, un), axis=0)  # 2, 1 and 1 numbers
    out = u.math.nanprod(Quantity(m), axis=0)  # dimensionless: any counts
    assert out.unit is ONE
    np.testing.assert_allclose(values(out), [3.0, 4.0, 2.0])


@pytest.mark.parametrize("name", ["numpy", "jax"])
def test_prod_with_where_counts_the_kept_elements(name: str) -> None:
    x = make(name, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], u.mV)
    even = make(name, [[True, False, True], [False, True, True]]).mantissa
    out = u.math.prod(x, axis=1, where=even)
    assert out.unit == u.mV**2
    np.testing.assert_allclose(values(out), [3.0, 30.0])
    with pytest.raises(UnitError, match="different units"):
        u.math.prod(x, axis=1, where=make(name, [[True, False, True], [False, True, False]]).mantissa)


def test_cumprod_of_a_quantity_with_units_raises(backend: str) -> None:
    x = make(backend, [1.0, 2.0, 3.0], u.mV)
    for name in ("cumprod", "nancumprod", "cumproduct"):
        with pytest.raises(UnitError, match="dimensionless"):
            getattr(u.math, name)(x)
    np.testing.assert_allclose(values(u.math.cumprod(make(backend, [1.0, 2.0, 3.0]))), [1.0, 2.0, 6.0])


def test_allclose_tolerances_follow_the_unit_of_a(backend: str) -> None:
    a, b = make(backend, [1.0, 2.0], u.mV), make(backend, [1.0005, 2.0], u.mV)
    assert bool(u.math.allclose(a, b, atol=1 * u.uV).mantissa) is True
    assert bool(u.math.allclose(a, b, atol=0.1 * u.uV, rtol=0).mantissa) is False
    assert bool(u.math.allclose(a, b.to(u.volt), atol=0.001 * u.mV).mantissa) is True
    assert bool(u.math.allclose(a, b, atol=0, rtol=1e-3).mantissa) is True  # a plain 0: any unit
    with pytest.raises(u.DimensionMismatchError, match="atol"):
        u.math.allclose(a, b, atol=1e-3)  # a plain non-zero atol needs a dimensionless a
    with pytest.raises(u.DimensionMismatchError):
        u.math.isclose(a, make(backend, [1.0, 2.0], u.second))
    plain = make(backend, [1.0, 2.0])
    assert bool(u.math.allclose(plain, plain * 1.0001, atol=1e-3).mantissa) is True


def test_where_with_the_condition_only_is_nonzero(backend: str) -> None:
    cond = make(backend, [[0.0, 1.0], [2.0, 0.0]], u.mV)
    got = u.math.where(cond)
    want = np.nonzero(values(cond))
    assert len(got) == 2 and all(g.unit is ONE for g in got)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(values(g), w)


def test_histogram_needs_bins_in_the_unit_of_a(backend: str) -> None:
    a = make(backend, [0.1, 0.5, 1.5, 2.5], u.volt)
    counts, edges = u.math.histogram(a, bins=make(backend, [0.0, 1000.0, 2000.0, 3000.0], u.mV))
    assert counts.unit is ONE and edges.unit is u.volt
    np.testing.assert_array_equal(values(counts), [2, 1, 1])
    np.testing.assert_allclose(values(edges), [0.0, 1.0, 2.0, 3.0])
    with pytest.raises(u.DimensionMismatchError):
        u.math.histogram(a, bins=make(backend, [0.0, 1.0, 2.0], u.second))


def test_missing_function_names_the_backends_that_have_it() -> None:
    x = make("ndonnx", [[1.0, 2.0], [3.0, 4.0]], u.mV) if "ndonnx" in u._backends.BACKENDS else None
    if x is None or not u._backends.BACKENDS["ndonnx"].available:
        pytest.skip("ndonnx is not installed")
    with pytest.raises(u.BackendError, match=r"fft\.fft2 is not implemented by the ndonnx backend.*numpy"):
        u.fft.fft2(x)
