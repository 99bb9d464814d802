"""brainunit's ``math`` / ``linalg`` / ``fft`` names beyond the standard's (``MATH_RULES``), on every
backend that has them: each against numpy's function of the same name on the converted mantissas
(so generic compositions on torch, ndonnx and array_api_strict are checked against numpy), and
against its declared unit rule.  Cases are registered per name with ``@case`` as in
tests/test_namespace.py (whose ``Ctx``/``Call`` they reuse); a name with ``alias`` needs no case."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from conftest import make, values
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


def _q(m: Any, unit: Unit = ONE) -> Quantity:
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
    return Call(([_q(m1, u1), _q(m2, u2)],), ([m1, m2 * (1 / f)],), u1)


@case("block")
def _block(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    a, b, d, e = c.arr((2, 2)), c.arr((2, 1)), c.arr((1, 2)), c.arr((1, 1))
    return Call(([[_q(a, u1), _q(b, u2)], [_q(d, u1), _q(e, u2)]],), ([[a, b * (1 / f)], [d, e * (1 / f)]],), u1)


@case("append")
def _append(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    m1, m2 = c.arr((2, 3)), c.arr((1, 3))
    axis = c.draw(st.sampled_from([None, 0]))
    return Call((_q(m1, u1), _q(m2, u2)), (m1, m2 * (1 / f)), u1, {"axis": axis})


SPLITS = {"split": [(2,), (4,), ([1, 3],)], "array_split": [(3,), ([2],)], "hsplit": [(2,), ([1],)],
          "vsplit": [(2,), ([3],)], "dsplit": [(2,), ([1],)]}  # fmt: skip


@case("split array_split hsplit vsplit dsplit")
def _splitting(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((4, 4, 2))
    extra = c.draw(st.sampled_from(SPLITS[c.name]))
    kwargs = {"axis": c.draw(st.sampled_from([0, 1, -1]))} if c.name == "split" and extra[0] == 2 else {}
    pieces = len(getattr(np, c.name)(values(m), *extra, **kwargs))
    return Call((_q(m, un), *extra), (m, *extra), (un,) * pieces, kwargs)


@case("atleast_1d atleast_2d atleast_3d")
def _atleast(c: Ctx) -> Call:
    u1, u2 = c.unit(), c.unit()
    s1, s2 = c.draw(st.sampled_from([(), (3,), (2, 3)])), c.draw(st.sampled_from([(), (2,), (2, 2, 2)]))
    m1, m2 = c.arr(s1), c.arr(s2)
    if c.draw(st.booleans()):
        return Call((_q(m1, u1),), (m1,), u1)
    return Call((_q(m1, u1), _q(m2, u2)), (m1, m2), (u1, u2))


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
    return Call((_q(m, un), *extra), (m, *extra), un, dict(kwargs))


@case("gather")
def _gather(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((3, 4))
    dim = c.draw(st.sampled_from([0, 1]))
    idx = c.arr((2, 3), 0, m.shape[dim] - 1, "int")
    return Call((_q(m, un), dim, idx), (m, dim, idx), un)


@case("compress extract")
def _masked_case(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((3, 4))
    if c.name == "extract":
        cond = _bools(c, (3, 4))
        return Call((cond, _q(m, un)), (cond, m), un)
    axis = c.draw(st.sampled_from([None, 0, 1]))
    cond = _bools(c, ({None: 7, 0: 3, 1: 4}[axis],))
    return Call((cond, _q(m, un)), (cond, m), un, {"axis": axis})


@case("choose")
def _choose_case(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    idx, a, b = c.arr((4,), 0, 1, "int"), c.arr((4,)), c.arr((4,))
    return Call((idx, [_q(a, u1), _q(b, u2)]), (idx, [a, b * (1 / f)]), u1)


@case("select")
def _select_case(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    c1, c2, a, b = _bools(c, (5,)), _bools(c, (5,)), c.arr(), c.arr()
    if c.draw(st.booleans()):
        d = c.scalar()
        return Call(([c1, c2], [_q(a, u1), _q(b, u2)]), ([c1, c2], [a, b * (1 / f)]), u1,
                    {"default": _q(c.xp.asarray(d * f), u2)}, {"default": d * f * (1 / f)})  # fmt: skip
    return Call(([c1, c2], [_q(a, u1), _q(b, u2)]), ([c1, c2], [a, b * (1 / f)]), u1)


@case("argwhere flatnonzero")
def _nonzero_case(c: Ctx) -> Call:
    m = c.arr((3, 4), -1, 1, "int")
    return Call((_q(m, c.unit()),), (m,), ONE)


@case("unique")
def _unique_case(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((7,), -3, 3, "int")
    flags = {k: c.draw(st.booleans()) for k in ("return_index", "return_inverse", "return_counts")}
    n = sum(flags.values())
    return Call((_q(m, un),), (m,), (un,) + (ONE,) * n if n else un, flags)


@case("intersect1d")
def _intersect_case(c: Ctx) -> Call:
    un = c.unit()
    a, b = c.arr((6,), 0, 6, "int"), c.arr((5,), 0, 6, "int")
    if c.draw(st.booleans()):
        return Call((_q(a, un), _q(b, un)), (a, b), (un, ONE, ONE), {"return_indices": True})
    return Call((_q(a, un), _q(b, un)), (a, b), un)


@case("digitize")
def _digitize_case(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    x, bins = c.arr((6,)), _increasing(c, 4)
    if c.draw(st.booleans()):
        bins = c.xp.flip(bins)
    right = c.draw(st.booleans())
    return Call((_q(x, u1), _q(bins * f, u2)), (x, bins * f * (1 / f)), ONE, {"right": right})


@case("ediff1d")
def _ediff1d_case(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    m, end = c.arr((2, 3)), c.arr((2,))
    return Call((_q(m, u1),), (m,), u1, {"to_end": _q(end, u2), "to_begin": 0.0},
                {"to_end": values(end) * (1 / f), "to_begin": 0.0})  # fmt: skip


@case("gradient")
def _gradient_case(c: Ctx) -> Call:
    un, su = c.unit(), c.unit()
    per = un.quotient(su)[0]
    m = c.arr((5, 4))
    edge = {} if c.backend == "jax" else {"edge_order": c.draw(st.sampled_from([1, 2]))}  # jax has no edge_order
    variant = c.draw(st.sampled_from(["none", "scalar", "coords"]))
    if variant == "none":
        return Call((_q(m, un),), (m,), (un, un), edge)
    if variant == "scalar":
        return Call((_q(m, un), 0.5 * su), (m, 0.5), (per, per), edge)
    x = _increasing(c, 5)
    return Call((_q(m, un), _q(x, su)), (m, x), per, {"axis": 0, **edge})


@case("trapezoid")
def _trapezoid_case(c: Ctx) -> Call:
    un, xu = c.unit(), c.unit()
    y = c.arr((3, 5))
    variant = c.draw(st.sampled_from(["plain", "dx", "x"]))
    if variant == "plain":
        return Call((_q(y, un),), (y,), un)
    if variant == "dx":
        return Call((_q(y, un),), (y,), un.product(xu)[0], {"dx": _q(c.xp.asarray(0.5), xu)}, {"dx": 0.5})
    x = _increasing(c, 5)
    return Call((_q(y, un),), (y,), un.product(xu)[0], {"x": _q(x, xu)}, {"x": values(x)})


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
    return Call((_q(m1, u1), _q(m2, u2)), (m1, m2), u1.product(u2)[0], kwargs)


def _spd(c: Ctx, n: int = 3) -> Any:
    m = c.arr((n, n), -1, 1)
    return c.xp.matmul(m, c.xp.matrix_transpose(m)) + 3 * c.xp.eye(n, dtype=m.dtype)


@case("matrix_power")
def _matrix_power_case(c: Ctx) -> Call:
    un, n = c.unit(), c.draw(st.sampled_from([0, 1, 2, 3]))
    m = _spd(c)
    return Call((_q(m, un), n), (m, n), un**n if n else ONE)


@case("cumsum nancumsum")
def _cumsum_case(c: Ctx) -> Call:
    un, m = c.unit(), c.arr((3, 4))
    if c.name == "nancumsum":
        m = c.xp.where(_bools(c, (3, 4)), c.xp.asarray(float("nan")), m)
    return Call((_q(m, un),), (m,), un, {"axis": c.draw(st.sampled_from([None, 0, 1]))})


@case("cumprod nancumprod cumproduct")
def _cumprod_case(c: Ctx) -> Call:
    un, s = c.draw(st.sampled_from(SCALED_ONE))
    m = c.arr((3, 4), -2 / s, 2 / s)
    if c.name == "nancumprod":
        m = c.xp.where(_bools(c, (3, 4)), c.xp.asarray(float("nan")), m)
    return Call((_q(m, un),), (m if s == 1.0 else m * un.scale,), ONE, {"axis": c.draw(st.sampled_from([None, 0, 1]))})


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
    return Call((_q(m, un),), (m,), unit, {"axis": c.draw(st.sampled_from([None, 0, 1]))})


@case("nanprod")
def _nanprod_case(c: Ctx) -> Call:
    un = c.unit()
    m = c.arr((3, 4), 0.5, 2)
    if c.draw(st.booleans()):  # one NaN per row: the same count along axis 1
        cols = c.draw(st.lists(st.integers(0, 3), min_size=3, max_size=3))
        mask = np.zeros((3, 4), bool)
        mask[range(3), cols] = True
        m = c.xp.where(c.xp.asarray(mask), c.xp.asarray(float("nan")), m)
        return Call((_q(m, un),), (m,), un**3, {"axis": 1})
    m = c.xp.where(_bools(c, (3, 4)), c.xp.asarray(float("nan")), m)
    n = int(np.sum(~np.isnan(values(m))))
    return Call((_q(m, un),), (m,), un**n if n else ONE)


@case("amax amin ptp median")
def _extremes(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    m = c.arr((3, 4))
    kwargs: dict[str, Any] = {"axis": c.draw(st.sampled_from([None, 0, 1]))}
    if not (c.name == "ptp" and c.backend == "dask"):  # dask's ptp takes no keepdims
        kwargs["keepdims"] = c.draw(st.booleans())
    if c.name in ("amax", "amin") and c.draw(st.booleans()):
        init = c.scalar()
        return Call((_q(m, u1),), (m,), u1, {**kwargs, "initial": _q(c.xp.asarray(init * f), u2)},
                    {**kwargs, "initial": init * f * (1 / f)})  # fmt: skip
    return Call((_q(m, u1),), (m,), u1, kwargs)


@case("percentile quantile nanpercentile nanquantile")
def _quantiles(c: Ctx) -> Call:
    un = c.unit()
    m = _nan_matrix(c) if c.name.startswith("nan") else c.arr((3, 4))
    top = 100.0 if "percentile" in c.name else 1.0
    q = c.draw(st.sampled_from([0.5 * top, [0.0, 0.25 * top, top]]))
    qa = q if isinstance(q, float) else c.xp.asarray(q)
    axis = c.draw(st.sampled_from([None, 0, 1]))
    return Call((_q(m, un), _q(qa) if c.draw(st.booleans()) else qa), (m, qa), un, {"axis": axis})


@case("average")
def _average_case(c: Ctx) -> Call:
    un, wu = c.unit(), c.unit()
    m = c.arr((3, 4))
    returned = c.draw(st.booleans())
    if c.draw(st.booleans()):
        return Call((_q(m, un),), (m,), (un, ONE) if returned else un, {"axis": 1, "returned": returned})
    w = c.arr((4,), 0.5, 2)
    kw = {"axis": 1, "returned": returned}
    return Call(
        (_q(m, un),), (m,), (un, wu) if returned else un, {**kw, "weights": _q(w, wu)}, {**kw, "weights": values(w)}
    )


@case("interp")
def _interp_case(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    fu = c.unit()
    pts, fp, x = _increasing(c, 5, -5, 5), c.arr((5,), 1, 10), c.arr((6,), -8, 8)
    if c.draw(st.booleans()):
        kw, ref = {"left": _q(c.xp.asarray(-1.0), fu), "right": _q(c.xp.asarray(1.0), fu)}, {"left": -1.0, "right": 1.0}
    else:
        kw, ref = {}, {}
    return Call((_q(x, u1), _q(pts * f, u2), _q(fp, fu)), (x, pts * f * (1 / f), fp), fu, kw, ref)


@case("histogram")
def _histogram_case(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    wu = c.unit()
    a = c.arr((20,))
    variant = c.draw(st.sampled_from(["count", "range", "edges"]))
    if variant == "count":
        kw, ref = {"bins": 4}, {"bins": 4}
    elif variant == "range":
        kw = {"bins": 5, "range": (-5.0 * f * u2, 6.0 * f * u2)}
        ref = {"bins": 5, "range": (-5.0 * f * (1 / f), 6.0 * f * (1 / f))}
    else:
        edges = _increasing(c, 4)
        kw, ref = {"bins": _q(edges * f, u2)}, {"bins": values(edges * f) * (1 / f)}
    counts = ONE
    if c.draw(st.booleans()):
        w = c.arr((20,), 0, 2)
        kw["weights"], ref["weights"], counts = _q(w, wu), values(w), wu
    if c.draw(st.booleans()):
        kw["density"] = ref["density"] = True
        counts = u1**-1
    return Call((_q(a, u1),), (a,), (counts, u1), kw, ref)


@case("bincount")
def _bincount_case(c: Ctx) -> Call:
    wu, x = c.unit(), c.arr((8,), 0, 5, "int")
    kw = {"minlength": c.draw(st.sampled_from([0, 8]))}
    if c.draw(st.booleans()):
        w = c.arr((8,))
        return Call((x,), (x,), wu, {**kw, "weights": _q(w, wu)}, {**kw, "weights": values(w)})
    return Call((_q(x),), (x,), ONE, kw)


@case("cov corrcoef")
def _cov_case(c: Ctx) -> Call:
    u1, u2, f = c.pair()
    m = c.arr((3, 5))
    unit = u1**2 if c.name == "cov" else ONE
    kw: dict[str, Any] = {"rowvar": c.draw(st.booleans())}
    if c.name == "cov" and c.draw(st.booleans()):
        kw["ddof"] = 0
    if c.draw(st.booleans()):
        y = c.arr((3, 5))
        return Call((_q(m, u1), _q(y, u2)), (m, y * (1 / f)), unit, kw)
    return Call((_q(m, u1),), (m,), unit, kw)


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
        kw["atol"], ref["atol"] = atol * f * u2, atol * f * (1 / f)
    return Call((_q(a, u1), _q(b, u2)), (a, b * (1 / f)), ONE, kw, ref)


@case("array_equal")
def _array_equal_case(c: Ctx) -> Call:
    un = c.unit()
    a = c.arr((4,), -3, 3, "int")
    b = a if c.draw(st.booleans()) else c.arr((4,), -3, 3, "int")
    return Call((_q(a, un), _q(b, un)), (a, b), ONE)


@case("linalg.norm")
def _norm_case(c: Ctx) -> Call:
    un = c.unit()
    if c.draw(st.booleans()):
        m = c.arr((5,))
        order = c.draw(st.sampled_from([None, 1, 2, 3, np.inf, -np.inf, 0]))
        return Call((_q(m, un),), (m,), ONE if order == 0 else un, {"ord": order})
    m = c.arr((3, 4))
    orders: list[Any] = [None, "fro", 1, -1, np.inf] + ([] if c.backend == "ndonnx" else [2, -2, "nuc"])
    kw = {"ord": c.draw(st.sampled_from(orders)), "keepdims": c.draw(st.booleans())}
    if kw["ord"] is None and c.draw(st.booleans()):
        kw["axis"] = 1
    return Call((_q(m, un),), (m,), un, kw)


@case("linalg.lstsq")
def _lstsq_case(c: Ctx) -> Call:
    u1, u2 = c.unit(), c.unit()
    a = c.xp.concat([_spd(c), c.arr((2, 3), -1, 1)], axis=0)  # full rank: numpy gives residuals
    b = c.arr(c.draw(st.sampled_from([(5,), (5, 2)])))
    return Call((_q(a, u1), _q(b, u2)), (a, b), (u2.quotient(u1)[0], u2**2, ONE, u1))


@case("multi_dot linalg.multi_dot")
def _multi_dot_case(c: Ctx) -> Call:
    u1, u2, u3 = c.unit(), c.unit(), c.unit()
    a, b, d = c.arr((2, 3)), c.arr((3, 4)), c.arr((4,))
    unit = u1.product(u2)[0].product(u3)[0]
    return Call(([_q(a, u1), _q(b, u2), _q(d, u3)],), ([a, b, d],), unit)


@case("linalg.cond")
def _cond_case(c: Ctx) -> Call:
    order = c.draw(st.sampled_from([None, 2, -2, 1, np.inf, "fro"]))
    m = _spd(c)
    return Call((_q(m, c.unit()),), (m,), ONE, {} if order is None else {"p": order})


@case("linalg.tensorinv")
def _tensorinv_case(c: Ctx) -> Call:
    un, m = c.unit(), c.xp.reshape(_spd(c, 4), (4, 2, 2))
    return Call((_q(m, un),), (m,), un**-1, {"ind": 1})


@case("linalg.tensorsolve")
def _tensorsolve_case(c: Ctx) -> Call:
    u1, u2 = c.unit(), c.unit()
    a, b = c.xp.reshape(_spd(c, 6), (2, 3, 6)), c.arr((2, 3))
    return Call((_q(a, u1), _q(b, u2)), (a, b), u2.quotient(u1)[0])


@case("fft.fft2 fft.ifft2 fft.rfft2 fft.irfft2")
def _fft2_case(c: Ctx) -> Call:
    un = c.unit()
    m = c.arr((4, 6))
    if c.name != "fft.rfft2" and c.backend != "ndonnx":  # complex128 (ndonnx has neither it nor fft)
        m = c.xp.asarray(values(m) + 1j * values(c.arr((4, 6))))
    kw = {"axes": (0, 1)} if c.draw(st.booleans()) else {}
    return Call((_q(m, un),), (m,), un, kw)


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


# -- laws: reductions, shapes, statistics, linalg, fft (mathb) -----------------------------------------------

LAW = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))


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
