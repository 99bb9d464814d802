"""``brainunit_xp.scipy``: every row of its rules table, on every backend, against scipy's plain call
on the numpy values (arguments given in other units are converted first), and the result's unit
against the unit each case states; the errors for wrong units; laws checked with hypothesis."""

from __future__ import annotations

import contextlib
import importlib
import inspect
import math
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
import scipy.integrate
import scipy.ndimage
import scipy.signal
import scipy.special
from conftest import make, values, xp_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import brainunit_xp as u
from brainunit_xp import ONE, BackendError, DimensionMismatchError, Quantity, UnitError
from brainunit_xp._backends import BACKENDS
from brainunit_xp.scipy import MODULES, WRAPPED, Out
from brainunit_xp.scipy._table import RULES

RNG = np.random.default_rng(0)
IMAGE = RNG.normal(size=(6, 7))
SIGNAL = np.sin(np.linspace(0, 6, 40)) + 0.1 * RNG.normal(size=40)
LABELS = np.array(np.where(IMAGE > 0.3, 1, 0) + np.where(IMAGE > 1.0, 1, 0), dtype=np.int32)
BA = scipy.signal.butter(3, 0.2)
SOS = scipy.signal.butter(3, 0.2, output="sos")
PLAIN = "plain"  # the case expects scipy's own (non-array) result


@dataclass(frozen=True)
class A:
    """An argument: ``values`` (on the test's backend) in ``unit``, given to scipy as ``ref`` (the
    same values if ``ref`` is None); ``scalar``: a Quantity of a Python number, not an array."""

    values: Any
    unit: Any = None
    ref: Any = None
    scalar: bool = False


@dataclass(frozen=True)
class Case:
    args: tuple[Any, ...]
    unit: Any  # a Unit, PLAIN, or a tuple of them (one per output)
    kwargs: dict[str, Any] = field(default_factory=dict)


X = A(IMAGE, u.mV)
X1 = A(SIGNAL, u.mV)
POS = A(np.where(IMAGE > 0, IMAGE, 0.0), u.mV)
LAB = A(LABELS)
W2 = A(np.array([[0.0, 1, 0], [1, -4, 1], [0, 1, 0.5]]), u.second)
W1 = A(np.array([1.0, 2.0, -1.0]), u.second)
mV2 = u.mV**2


def c(value: float, unit: Any, ref: float) -> A:
    """A scalar Quantity ``value * unit`` that scipy gets as ``ref`` (in the unit of the input)."""
    return A(value, unit, ref, scalar=True)


CVAL = {"mode": "constant", "cval": c(0.0005, u.volt, 0.5)}
STATS = {"labels": LAB, "index": [1, 2]}


def _special_cases() -> dict[str, Case]:
    special = importlib.import_module("scipy.special")
    cases = {}
    grid = np.linspace(0.15, 0.85, 6)
    for name in (k for k in RULES if k.startswith("special.")):
        fn = getattr(special, name.partition(".")[2])
        n = fn.nin if isinstance(fn, np.ufunc) else 1
        cases[name] = Case(tuple(A(grid + 0.1 * i) for i in range(n)), ONE)
    for name in ("yn", "expn", "polygamma"):  # integer orders
        cases[f"special.{name}"] = Case((A(np.array([0, 1, 2, 3, 1, 2], np.int32)), A(grid + 1)), ONE)
    cases["special.multigammaln"] = Case((A(grid + 2), 2), ONE)
    for name in ("sindg", "cosdg", "tandg", "cotdg"):
        cases[f"special.{name}"] = Case((A(grid * 100),), ONE)
    cases["special.cbrt"] = Case((A(grid, u.meter**3),), u.meter)
    for name in ("huber", "pseudo_huber"):
        cases[f"special.{name}"] = Case((c(0.5, u.mV, 0.5), A(grid * 2000, u.uV, grid * 2)), mV2)
    return cases


CASES: dict[str, Case] = {
    # ndimage: linear filters
    **{f"ndimage.{n}": Case((X, 1.0), u.mV, CVAL) for n in ("gaussian_filter", "gaussian_filter1d",
                                                             "gaussian_laplace", "gaussian_gradient_magnitude")},
    **{f"ndimage.{n}": Case((X, 3), u.mV, CVAL) for n in ("uniform_filter", "uniform_filter1d")},
    **{f"ndimage.{n}": Case((X,), u.mV, CVAL) for n in ("sobel", "prewitt", "laplace")},
    **{f"ndimage.{n}": Case((X, W2), u.mV * u.second, CVAL) for n in ("convolve", "correlate")},
    **{f"ndimage.{n}": Case((X, W1), u.mV * u.second, CVAL) for n in ("convolve1d", "correlate1d")},
    **{f"ndimage.{n}": Case((X,), u.mV) for n in ("spline_filter", "spline_filter1d")},
    **{f"ndimage.{n}": Case((X, 1.0), u.mV) for n in ("fourier_gaussian", "fourier_uniform",
                                                     "fourier_ellipsoid", "fourier_shift")},
    # ndimage: rank filters, grey morphology
    **{f"ndimage.{n}": Case((X,), u.mV, {"size": 3, **CVAL}) for n in ("median_filter", "minimum_filter",
                                                                       "maximum_filter")},
    **{f"ndimage.{n}": Case((X, 3), u.mV, CVAL) for n in ("minimum_filter1d", "maximum_filter1d")},
    "ndimage.percentile_filter": Case((X, 30), u.mV, {"size": 3, **CVAL}),
    "ndimage.rank_filter": Case((X, 2), u.mV, {"size": 3, **CVAL}),
    **{f"ndimage.{n}": Case((X,), u.mV, {"structure": A(np.full((3, 3), 200.0), u.uV, np.full((3, 3), 0.2)),
                                         **CVAL})
       for n in ("grey_erosion", "grey_dilation", "grey_opening", "grey_closing", "morphological_gradient",
                 "morphological_laplace", "white_tophat", "black_tophat")},
    **{f"ndimage.{n}": Case((POS,), ONE) for n in ("binary_erosion", "binary_dilation", "binary_opening",
                                                   "binary_closing", "binary_fill_holes", "binary_propagation")},
    # ndimage: geometric transforms
    "ndimage.shift": Case((X, 1.5), u.mV, {"cval": c(0.0005, u.volt, 0.5)}),
    "ndimage.zoom": Case((X, 1.5), u.mV, {"cval": c(0.0005, u.volt, 0.5)}),
    "ndimage.affine_transform": Case((X, np.eye(2) * 0.9), u.mV, {"offset": 0.5, "cval": c(0.0005, u.volt, 0.5)}),
    "ndimage.geometric_transform": Case((X, lambda p: (p[0] * 0.9, p[1] * 1.1)), u.mV,
                                        {"cval": c(0.0005, u.volt, 0.5)}),
    "ndimage.map_coordinates": Case((X, A(np.array([[0.5, 1.5, 4.2], [2.0, 0.3, 6.5]]))), u.mV,
                                    {"cval": c(0.0005, u.volt, 0.5)}),
    "ndimage.rotate": Case((X, c(math.pi / 6, u.radian, 30.0)), u.mV, {"cval": c(0.0005, u.volt, 0.5)}),
    # ndimage: measurements
    "ndimage.label": Case((POS,), (ONE, PLAIN)),
    "ndimage.find_objects": Case((LAB,), PLAIN),
    **{f"ndimage.{n}": Case((X,), u.mV, STATS) for n in ("sum_labels", "sum", "mean", "minimum", "maximum",
                                                         "median", "standard_deviation")},
    "ndimage.variance": Case((X,), mV2, STATS),
    **{f"ndimage.{n}": Case((POS,), PLAIN, STATS) for n in ("center_of_mass", "minimum_position",
                                                            "maximum_position")},
    "ndimage.extrema": Case((X,), (u.mV, u.mV, PLAIN, PLAIN)),
    "ndimage.histogram": Case((X, c(-0.001, u.volt, -1.0), c(1000.0, u.uV, 1.0), 5), ONE),
    # fft
    **{f"fft.{n}": Case((X,), u.mV, {"norm": "ortho"}) for n in ("dct", "idct", "dst", "idst", "dctn", "idctn",
                                                                 "dstn", "idstn")},
    # signal
    **{f"signal.{n}": Case((X1, W1), u.mV * u.second) for n in ("convolve", "correlate", "fftconvolve",
                                                               "oaconvolve")},
    **{f"signal.{n}": Case((X, W2), u.mV * u.second, {"fillvalue": c(0.0005, u.volt, 0.5)})
       for n in ("convolve2d", "correlate2d")},
    "signal.upfirdn": Case((W1, X1, 2, 1), u.mV * u.second, {"mode": "constant", "cval": c(500.0, u.uV, 0.5)}),
    "signal.lfilter": Case((A(BA[0]), A(BA[1]), X1), (u.mV, u.mV),
                           {"zi": A(np.array([1.0, 2.0, 3.0]), u.volt, np.array([1000.0, 2000.0, 3000.0]))}),
    "signal.filtfilt": Case((A(BA[0]), A(BA[1]), X1), u.mV),
    "signal.sosfilt": Case((A(SOS), X1), u.mV),
    "signal.sosfiltfilt": Case((A(SOS), X1), u.mV),
    "signal.lfilter_zi": Case((A(BA[0]), A(BA[1])), ONE),
    "signal.sosfilt_zi": Case((A(SOS),), ONE),
    "signal.detrend": Case((X1,), u.mV),
    "signal.medfilt": Case((X1,), u.mV, {"kernel_size": 5}),
    "signal.medfilt2d": Case((X,), u.mV),
    "signal.order_filter": Case((X, np.ones((3, 3)), 4), u.mV),
    "signal.wiener": Case((X,), u.mV, {"noise": c(2e-6, u.volt**2, 2.0)}),
    "signal.savgol_filter": Case((X1, 7, 2), u.mV / u.ms, {"deriv": 1, "delta": c(0.1, u.ms, 0.1)}),
    **{f"signal.{n}": Case((X1 if n == "hilbert" else X,), u.mV) for n in ("hilbert", "hilbert2")},
    "signal.decimate": Case((X1, 2), u.mV),
    "signal.resample_poly": Case((X1, 3, 2), u.mV),
    **{f"signal.{n}": Case((3, c(100.0, u.Hz, 0.1)), PLAIN, {"fs": c(1.0, u.kHz, 1.0)})
       for n in ("butter", "bessel")},
    "signal.cheby1": Case((3, 1.0, c(100.0, u.Hz, 0.1)), PLAIN, {"fs": c(1.0, u.kHz, 1.0)}),
    "signal.cheby2": Case((3, 20.0, c(100.0, u.Hz, 0.1)), PLAIN, {"fs": c(1.0, u.kHz, 1.0)}),
    "signal.ellip": Case((3, 1.0, 20.0, c(100.0, u.Hz, 0.1)), PLAIN, {"fs": c(1.0, u.kHz, 1.0)}),
    "signal.iirfilter": Case((3, [c(100.0, u.Hz, 0.1), c(0.2, u.kHz, 0.2)]), PLAIN, {"fs": c(1.0, u.kHz, 1.0)}),
    "signal.firwin": Case((11, c(100.0, u.Hz, 0.1)), PLAIN, {"fs": c(1.0, u.kHz, 1.0)}),
    **{f"signal.{n}": Case((c(60.0, u.Hz, 60.0), 30.0), PLAIN, {"fs": c(1000.0, u.Hz, 1000.0)})
       for n in ("iirnotch", "iirpeak")},
    # special
    **_special_cases(),
    # integrate
    **{f"integrate.{n}": Case((X1,), u.mV * u.second, {"x": A(np.linspace(0, 2, 40), u.second)})
       for n in ("trapezoid", "simpson")},
    "integrate.cumulative_trapezoid": Case((X1,), u.mV * u.second,
                                           {"x": A(np.linspace(0, 2, 40), u.second), "initial": 0}),
    "integrate.cumulative_simpson": Case((X1,), u.mV * u.ms, {"dx": c(0.5, u.ms, 0.5),
                                                              "initial": c(0.002, u.volt * u.second, 2000.0)}),
    "integrate.romb": Case((A(SIGNAL[:17], u.mV),), u.mV * u.ms, {"dx": c(0.5, u.ms, 0.5)}),
}  # fmt: skip


def _given(a: Any, backend: str) -> Any:
    """The argument our wrapper gets."""
    if isinstance(a, list):
        return [_given(i, backend) for i in a]
    if not isinstance(a, A):
        return a
    if a.scalar:
        return Quantity(a.values, a.unit)
    return make(backend, a.values, a.unit)


def _ref(a: Any, given: Any) -> Any:
    """The argument scipy gets: the backend's own values (its dtype), or the converted ones."""
    if isinstance(a, list):
        return [_ref(i, g) for i, g in zip(a, given, strict=True)]
    if not isinstance(a, A):
        return a
    return np.array(values(given)) if a.ref is None else a.ref  # a writeable copy (jax's are read-only)


def _compare(got: Any, want: Any, unit: Any, tol: float) -> None:
    if unit == PLAIN:
        if isinstance(want, (list, tuple)) and want and isinstance(want[0], slice | type(None)):
            assert got == want
        elif isinstance(want, (list, tuple)):
            assert len(got) == len(want)
            for g, w in zip(got, want, strict=True):
                _compare(g, w, PLAIN, tol)
        else:
            np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=tol, atol=tol)
        return
    if isinstance(unit, tuple):
        assert len(got) == len(want) == len(unit)
        for g, w, un in zip(got, want, unit, strict=True):
            _compare(g, w, un, tol)
        return
    assert isinstance(got, Quantity), type(got)
    assert got.unit == unit, (got.unit, unit)
    want = np.asarray(want)
    assert tuple(got.shape) == want.shape
    scale = max(1.0, float(np.nanmax(np.abs(want)))) if want.size and np.isfinite(want).any() else 1.0
    np.testing.assert_allclose(values(got), want, rtol=tol, atol=tol * scale, equal_nan=True)


def _tolerance(given: Any) -> float:
    dtypes = [values(g).dtype for g in given if isinstance(g, Quantity) and hasattr(g.mantissa, "dtype")]
    return 2e-4 if any(d in (np.float32, np.complex64) for d in dtypes) else 1e-10


def _lazy(backend: str) -> Any:
    return u.computing_lazy_values() if BACKENDS[backend].lazy else contextlib.nullcontext()


def _scipy_fn(name: str) -> Any:
    sub, _, short = name.partition(".")
    return getattr(importlib.import_module(f"scipy.{sub}"), short)


def _ours(name: str) -> Any:
    sub, _, short = name.partition(".")
    return getattr(importlib.import_module(f"brainunit_xp.scipy.{sub}"), short)


def test_every_row_has_a_case() -> None:
    assert set(CASES) == set(RULES)


@pytest.mark.parametrize("name", sorted(RULES))
def test_row_matches_scipy_and_its_unit(backend: str, name: str) -> None:
    case = CASES[name]
    args = tuple(_given(a, backend) for a in case.args)
    kwargs = {k: _given(v, backend) for k, v in case.kwargs.items()}
    ref_args = tuple(_ref(a, g) for a, g in zip(case.args, args, strict=True))
    ref_kwargs = {k: _ref(v, kwargs[k]) for k, v in case.kwargs.items()}
    want = _scipy_fn(name)(*ref_args, **ref_kwargs)
    if backend == "ndonnx" and isinstance(want, np.ndarray) and np.iscomplexobj(want):
        with pytest.raises(BackendError, match=r"ndonnx backend cannot hold scipy's complex128 result"):
            _ours(name)(*args, **kwargs)
        return
    with _lazy(backend):
        got = _ours(name)(*args, **kwargs)
    _compare(got, want, case.unit, _tolerance([*args, *kwargs.values()]))
    outputs = got if isinstance(case.unit, tuple) else (got,)
    for g in outputs:  # every Quantity comes back on the input's backend
        if isinstance(g, Quantity) and not isinstance(g.mantissa, (int, float)):
            assert BACKENDS[backend].is_array(g.mantissa)


def test_plain_arrays_are_dimensionless(backend: str) -> None:
    from brainunit_xp.scipy import ndimage

    x = xp_of(backend).asarray(IMAGE)
    with _lazy(backend):
        got = ndimage.uniform_filter(x, 3)
    assert got.unit is ONE
    np.testing.assert_allclose(values(got), scipy.ndimage.uniform_filter(values(x), 3), rtol=1e-5)


# -- errors ---------------------------------------------------------------------------------------


def test_cval_in_another_dimension_names_the_function_units_and_fix() -> None:
    from brainunit_xp.scipy import ndimage, signal

    x = make("numpy", IMAGE, u.mV)
    with pytest.raises(DimensionMismatchError) as exc:
        ndimage.gaussian_filter(x, 1.0, mode="constant", cval=1.0)
    msg = str(exc.value)
    assert "scipy.ndimage.gaussian_filter" in msg and "cval" in msg and "mV" in msg and "cval=0.5 * mV" in msg
    with pytest.raises(DimensionMismatchError, match=r"fillvalue must be in the unit of in1 \(mV"):
        signal.convolve2d(x, x, fillvalue=1 * u.second)
    with pytest.raises(DimensionMismatchError, match="noise"):
        signal.wiener(x, noise=1e-6 * u.volt)  # a power: volt squared


def test_plain_arguments_must_be_dimensionless() -> None:
    from brainunit_xp.scipy import ndimage, signal

    x = make("numpy", IMAGE, u.mV)
    with pytest.raises(UnitError, match=r"gaussian_filter\(sigma=...\).*mV"):
        ndimage.gaussian_filter(x, 1.0 * u.mV)
    with pytest.raises(UnitError, match=r"mean\(labels=...\)"):
        ndimage.mean(x, labels=make("numpy", LABELS, u.second))
    with pytest.raises(UnitError, match=r"find_objects\(input=...\)"):
        ndimage.find_objects(make("numpy", LABELS, u.mV))
    with pytest.raises(DimensionMismatchError, match="pass footprint= instead"):
        ndimage.grey_dilation(x, structure=np.zeros((3, 3)))
    with pytest.raises(UnitError, match=r"lfilter\(b=...\)"):
        signal.lfilter(BA[0] * u.mV, BA[1], x[0])
    assert ndimage.gaussian_filter(x, 100 * u.percent).unit == u.mV  # a scaled dimensionless: 1.0


def test_special_functions_refuse_dimensioned_input_as_the_namespaces_do(backend: str) -> None:
    from brainunit_xp.scipy import special

    x = make(backend, [0.1, 0.2], u.mV)
    with pytest.raises(UnitError) as ours:
        special.erf(x)
    with pytest.raises(UnitError) as namespace:
        u.math.exp(x)
    assert str(ours.value).partition(":")[2] == str(namespace.value).partition(":")[2]
    with pytest.raises(UnitError, match="dimensionless"):
        special.xlogy(make(backend, [1.0], ONE), x)
    got = special.erf(make(backend, [10.0, 20.0], u.percent))  # scaled: 0.1, 0.2
    np.testing.assert_allclose(values(got), scipy.special.erf([0.1, 0.2]), rtol=1e-6)


def test_output_arrays_are_refused() -> None:
    from brainunit_xp.scipy import ndimage

    x = make("numpy", IMAGE, u.mV)
    with pytest.raises(UnitError, match="output= must be a dtype"):
        ndimage.gaussian_filter(x, 1.0, output=np.empty_like(IMAGE))
    assert values(ndimage.gaussian_filter(x, 1.0, output=np.float32)).dtype == np.float32


def test_filter_design_frequencies() -> None:
    from brainunit_xp.scipy import signal

    b, a = signal.butter(4, 100 * u.Hz, fs=1 * u.kHz)
    rb, ra = scipy.signal.butter(4, 100, fs=1000)
    np.testing.assert_allclose(b, rb)
    np.testing.assert_allclose(a, ra)
    with pytest.raises(DimensionMismatchError, match=r"Wn must be in the unit of fs \(kHz"):
        signal.butter(4, 100.0, fs=1 * u.kHz)
    with pytest.raises(
        DimensionMismatchError,
        match=r"Wn must be dimensionless here, as fs is \(a plain number, or not given\); got 'Hz'",
    ):
        signal.butter(4, 100 * u.Hz)  # no fs: normalised frequencies are plain numbers
    with pytest.raises(UnitError, match="fs must be a sampling frequency"):
        signal.butter(4, 1 * u.second, fs=10 * u.second)
    np.testing.assert_allclose(signal.firwin(5, [0.1, 0.2] * u.kHz, fs=1000 * u.Hz),
                               scipy.signal.firwin(5, [100, 200], fs=1000))  # fmt: skip


def test_savgol_derivative_divides_by_the_spacing_unit() -> None:
    from brainunit_xp.scipy import signal

    x = make("numpy", SIGNAL, u.mV)
    assert signal.savgol_filter(x, 7, 3, deriv=2, delta=0.5 * u.ms).unit == u.mV / u.ms**2
    assert signal.savgol_filter(x, 7, 3, deriv=0, delta=0.5 * u.ms).unit == u.mV
    assert signal.savgol_filter(x, 7, 3, deriv=1).unit == u.mV  # delta in samples


def test_lazy_dask_is_not_computed_behind_the_callers_back() -> None:
    pytest.importorskip("dask")
    from brainunit_xp.scipy import ndimage, special

    x = make("dask", IMAGE, u.mV)
    with pytest.raises(BackendError, match=r"gaussian_filter: a dask Quantity is lazy.*computing_lazy_values"):
        ndimage.gaussian_filter(x, 1.0)
    with u.computing_lazy_values():
        got = ndimage.gaussian_filter(x, 1.0)
    assert u.is_dask_array(got.mantissa)
    # elementwise special functions stay lazy: applied block by block
    y = make("dask", IMAGE / 10, ONE)
    lazy = special.erf(y)
    assert u.is_dask_array(lazy.mantissa) and lazy.unit is ONE
    np.testing.assert_allclose(values(lazy), scipy.special.erf(IMAGE / 10), rtol=1e-12)
    ints = special.gamma(make("dask", [1, 2, 3, 4], ONE))
    np.testing.assert_allclose(values(ints), [1.0, 1.0, 2.0, 6.0])


# -- the module ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RULES))
def test_names_signatures_and_docstrings(name: str) -> None:
    ours, theirs = _ours(name), _scipy_fn(name)
    assert ours.__name__ == theirs.__name__
    sig = inspect.signature(ours)
    if isinstance(theirs, np.ufunc):
        assert len([p for p in sig.parameters.values() if p.kind is p.POSITIONAL_ONLY]) == theirs.nin
    else:
        assert sig == inspect.signature(theirs)
    assert f"scipy.{name}" in ours.__doc__ and RULES[name].unit in ours.__doc__


def test_wrapped_lists_every_function_by_scipy_name() -> None:
    assert set(WRAPPED) == {f"scipy.{k}" for k in RULES}
    for sub in MODULES:
        module = importlib.import_module(f"brainunit_xp.scipy.{sub}")
        assert sorted(module.__all__) == sorted(k.rpartition(".")[2] for k in WRAPPED if k.split(".")[1] == sub)
    assert all(isinstance(r.out, (Out, tuple)) for r in WRAPPED.values())


def test_importing_brainunit_xp_does_not_import_scipy() -> None:
    code = (
        "import sys, brainunit_xp as u\n"
        "assert 'scipy' not in sys.modules\n"
        "assert len(u.scipy.WRAPPED) > 100 and 'scipy' not in sys.modules\n"
        "u.scipy.ndimage.gaussian_filter\n"
        "assert 'scipy.ndimage' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- laws --------------------------------------------------------------------------------------------

LINEAR = [
    ("ndimage.gaussian_filter", (1.0,)),
    ("ndimage.uniform_filter", (3,)),
    ("ndimage.sobel", ()),
    ("ndimage.median_filter", (3,)),
    ("ndimage.shift", (0.5,)),
    ("fft.dctn", ()),
    ("signal.detrend", ()),
    ("signal.lfilter", None),
]


@pytest.mark.parametrize(("name", "extra"), LINEAR, ids=[n for n, _ in LINEAR])
@given(data=st.data())
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_unit_keeping_filters_do_not_depend_on_the_unit(name: str, extra: tuple[Any, ...] | None,
                                                         data: st.DataObject) -> None:  # fmt: skip
    """f(q.to(cm)) == f(q), and f(k q) == k f(q) for the linear (and positively homogeneous) ones."""
    vals = np.asarray(data.draw(st.lists(st.floats(-1e3, 1e3), min_size=20, max_size=20))).reshape(4, 5)
    q = Quantity(vals, u.meter)
    fn = _ours(name)

    def call(v: Quantity) -> Quantity:
        return fn(BA[0], BA[1], v) if extra is None else fn(v, *extra)

    base = call(q)
    np.testing.assert_allclose(call(q.to(u.cmeter)).to_value(u.meter), base.to_value(u.meter), rtol=1e-9, atol=1e-9)
    k = data.draw(st.floats(0.01, 100))
    np.testing.assert_allclose(call(q * k).to_value(u.meter), k * base.to_value(u.meter), rtol=1e-9, atol=1e-6)


@given(data=st.data())
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_integral_unit_is_y_times_x(data: st.DataObject) -> None:
    from brainunit_xp.scipy import integrate

    y = np.asarray(data.draw(st.lists(st.floats(-100, 100), min_size=5, max_size=12)))
    x = np.cumsum(np.asarray(data.draw(st.lists(st.floats(0.1, 2), min_size=len(y), max_size=len(y)))))
    got = integrate.trapezoid(Quantity(y, u.mV), x=Quantity(x * 1000, u.ms))
    assert got.unit == u.mV * u.ms
    np.testing.assert_allclose(got.to_value(u.mV * u.second), scipy.integrate.trapezoid(y, x), rtol=1e-9, atol=1e-9)
