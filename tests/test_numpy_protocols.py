"""NumPy's protocols on Quantity (``__array_ufunc__``, ``__array_function__``): every NumPy ufunc and
function with a declared rule gives what the unit-aware namespace of the quantity's backend gives
(table-driven, on every backend, with the cases of tests/test_namespace.py and
tests/test_math_surface.py); ufunc methods; ``out=``; refusals of what has no rule; laws."""

from __future__ import annotations

import contextlib
import inspect
import math
import re
from typing import Any

import numpy as np
import pytest
from conftest import make, values, xp_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_math_surface import CASES as MATH_CASES
from test_math_surface import READS_VALUES
from test_namespace import CASES as STANDARD_CASES
from test_namespace import PAIRS, Ctx

import brainunit_xp as u
from brainunit_xp import ONE, BackendError, DimensionMismatchError, Quantity, UnitError
from brainunit_xp._errors import NoUnitRuleError
from brainunit_xp._namespace import MATH_RULES, RULES
from brainunit_xp._numpy_protocols import declared

TABLE = {**RULES, **MATH_RULES}


def _public(obj: Any) -> str:
    module = obj.__module__ if getattr(obj, "__module__", None) in ("numpy.linalg", "numpy.fft") else "numpy"
    return f"{module}.{obj.__name__}"


#: every NumPy callable with a declared rule, by its public name
DECLARED = {_public(obj): (obj, q) for obj, q in declared().items()}


def _lookup(module: Any, qualname: str) -> Any:
    ext, _, name = qualname.rpartition(".")
    return getattr(getattr(module, ext, None) if ext else module, name, None)


def _case(qualname: str) -> Any:
    rule = TABLE[qualname]
    name = rule.alias or qualname
    return STANDARD_CASES.get(name) or MATH_CASES.get(name)


def _numpy_accepts(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any] | None:
    """The keywords of a case that NumPy's callable takes too (``None``: its arguments do not fit)."""
    if isinstance(obj, np.ufunc):
        return {} if len(args) == obj.nin else None
    params = inspect.signature(obj).parameters
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        kwargs = {k: v for k, v in kwargs.items() if k in params}
    try:
        inspect.signature(obj).bind(*args, **kwargs)
    except TypeError:
        return None
    return kwargs


def _same(got: Any, want: Any, where: str) -> None:
    """NumPy's answer is the namespace's: same type, unit, backend, dtype and values."""
    if isinstance(want, (tuple, list)):
        assert type(got) is type(want) and len(got) == len(want), where
        for g, w in zip(got, want, strict=True):
            _same(g, w, where)
        return
    if not isinstance(want, Quantity):
        assert type(got) is type(want), where
        if hasattr(want, "eps") or hasattr(want, "bits"):  # finfo, iinfo
            assert got == want or repr(got) == repr(want), where
        else:
            assert got == want, where
        return
    assert isinstance(got, Quantity), f"{where} returned {type(got).__name__}"
    assert got.unit == want.unit and got.backend == want.backend, (where, got, want)
    g, w = values(got), values(want)
    assert g.shape == w.shape and g.dtype == w.dtype, (where, g, w)
    if "empty" not in where:
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=0, equal_nan=True, err_msg=where)


# -- the table ----------------------------------------------------------------------------------------------


def test_declared_callables_are_numpy_names_of_the_table() -> None:
    """Each declared NumPy callable is the NumPy object of that name of the rules table."""
    assert len(DECLARED) > 250
    for public, (obj, qualname) in DECLARED.items():
        assert qualname in TABLE, public
        ext, _, short = qualname.rpartition(".")
        assert getattr(getattr(np, ext) if ext else np, short) is obj
    assert MATH_RULES[DECLARED["numpy.arctan2"][1]].alias == "atan2"
    assert DECLARED["numpy.linalg.norm"][1] == "linalg.norm" and DECLARED["numpy.fft.fft"][1] == "fft.fft"
    # numpy.abs is numpy.absolute, numpy.permute_dims is numpy.transpose: the callable's own name
    assert DECLARED["numpy.absolute"][1] == "absolute" and DECLARED["numpy.transpose"][1] == "transpose"
    assert all(q.rpartition(".")[2] == public.rpartition(".")[2] for public, (_, q) in DECLARED.items())


@pytest.mark.parametrize("public", sorted(DECLARED))
@given(data=st.data())
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
def test_numpy_callable_is_the_namespace_function(backend: str, public: str, data: st.DataObject) -> None:
    obj, qualname = DECLARED[public]
    ours = _lookup(getattr(u, backend), qualname)
    if ours is None:  # declared, but this backend has no such function: our error, naming it
        q = make(backend, [[1.0, 2.0], [3.0, 4.0]], u.meter)
        args = (q,) * (obj.nin if isinstance(obj, np.ufunc) else _required(obj))
        if not isinstance(obj, np.ufunc) and next(iter(inspect.signature(obj).parameters)) == "arrays":
            args = ([q, q],)  # multi_dot takes a sequence of arrays
        with pytest.raises(BackendError, match=rf"{re.escape(public)}: brainunit_xp.{backend} has no {qualname}"):
            obj(*args)
        return
    build = _case(qualname)
    assert build is not None, f"no case for {qualname}"
    call = build(Ctx(data, backend, qualname))
    quantities = [a for a in _flat((call.args, call.kwargs)) if isinstance(a, Quantity)]
    if not quantities:
        pytest.skip(f"the case of {qualname} has no Quantity argument: NumPy does not dispatch it")
    kwargs = _numpy_accepts(obj, call.args, call.kwargs)
    if kwargs is None:
        pytest.skip(f"the case of {qualname} does not fit {public}'s signature")
    if all(q.mantissa.__class__ in (int, float, complex, bool) for q in quantities):  # weak: the default backend
        ours = _lookup(getattr(u, Quantity(1.0).backend), qualname)
    lazy = u.computing_lazy_values() if qualname in READS_VALUES else contextlib.nullcontext()
    with lazy:
        try:
            want = ours(*call.args, **kwargs)
        except Exception as exc:  # the namespace refuses this case: NumPy's call the same way
            with pytest.raises(type(exc)):
                obj(*call.args, **kwargs)
            return
        got = obj(*call.args, **kwargs)
    if qualname in IN_PLACE:  # numpy's works in place and returns None
        assert got is None
        got = call.args[0]
    _same(got, want, public)


def _required(obj: Any) -> int:
    """How many positional arguments NumPy's function needs (any values reach the dispatch)."""
    params = inspect.signature(obj).parameters.values()
    return sum(p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
               for p in params)  # fmt: skip


#: declared functions that NumPy runs in place
IN_PLACE = {"fill_diagonal"}


def _flat(x: Any) -> list[Any]:
    if isinstance(x, dict):
        return _flat(list(x.values()))
    if isinstance(x, (list, tuple)):
        return [y for item in x for y in _flat(item)]
    return [x]


# -- the examples ----------------------------------------------------------------------------------------------


def test_examples_with_units(backend: str) -> None:
    xp = xp_of(backend)
    m, cm = make(backend, [1.0, 2.0], u.meter), make(backend, [50.0, 100.0], u.cmeter)
    angle = make(backend, [0.0, math.pi / 2])
    checks = [
        (np.sin(angle), ONE, [0.0, 1.0]),
        (np.add(m, cm), u.meter, [1.5, 3.0]),
        (np.multiply(m, m), u.meter**2, [1.0, 4.0]),
        (np.mean(m), u.meter, 1.5),
        (np.concatenate([m, cm]), u.meter, [1.0, 2.0, 0.5, 1.0]),
        (np.nanmean(m) if hasattr(getattr(u, backend), "nanmean") else np.mean(m), u.meter, 1.5),
        (np.add.reduce(m), u.meter, 3.0),
        (np.maximum.reduce(cm), u.cmeter, 100.0),
    ]
    if hasattr(getattr(u, backend), "linalg"):
        checks.append((np.linalg.norm(make(backend, [3.0, 4.0], u.mV)), u.mV, 5.0))
    if hasattr(getattr(getattr(u, backend), "fft", None), "fft"):
        signal = make(backend, [1.0, 1.0], u.second, dtype=xp_of(backend).complex128)  # strict: complex only
        checks.append((np.fft.fft(signal), u.second, [2.0, 0.0]))
    for got, unit, want in checks:
        assert isinstance(got, Quantity) and got.unit == unit and got.backend == backend, got
        np.testing.assert_allclose(values(got), want, atol=1e-6)
    assert isinstance(np.sin(angle).mantissa, type(xp.asarray([1.0])))
    with pytest.raises(UnitError, match=r"sin: needs a dimensionless argument, got unit 'm'"):
        np.sin(m)
    with pytest.raises(DimensionMismatchError, match=r"incompatible units 'm'.*'s'"):
        np.add(m, make(backend, [1.0, 2.0], u.second))
    with pytest.raises(DimensionMismatchError):
        np.concatenate([m, make(backend, [1.0], u.second)])


def test_a_function_without_a_rule_is_refused(backend: str) -> None:
    q = make(backend, [1.0, 2.0], u.meter)
    with pytest.raises(NoUnitRuleError, match=r"numpy\.partition has no unit rule.*q\.to_decimal\(unit\)") as info:
        np.partition(q, 1)
    assert isinstance(info.value, TypeError) and isinstance(info.value, UnitError)
    with pytest.raises(NoUnitRuleError, match=r"numpy\.busday_count has no unit rule"):
        np.busday_count(q, q)
    with pytest.raises(NoUnitRuleError, match=r"numpy\.polyval has no unit rule"):
        np.polyval(q, q)
    with pytest.raises(NoUnitRuleError, match=r"numpy\.spacing has no unit rule"):  # a ufunc without a rule
        np.spacing(q)


def test_a_function_without_a_rule_computes_on_dimensionless_numbers(backend: str) -> None:
    """No unit to drop: NumPy's own answer on the plain numbers (scaled units converted), as brainunit."""
    for dimensionless, scale in ((make(backend, [2.0, 1.0]), 1.0), (make(backend, [2.0, 1.0], u.percent), 0.01)):
        if backend == "dask":  # a lazy array is not computed behind the user's back
            with pytest.raises(BackendError, match="lazy"):
                np.partition(dimensionless, 1)
            continue
        out = np.partition(dimensionless, 1)
        assert type(out) is np.ndarray
        np.testing.assert_allclose(out, np.array([1.0, 2.0]) * scale, rtol=1e-6)
        np.testing.assert_allclose(
            np.spacing(dimensionless), np.spacing((np.array([2.0, 1.0]) * scale).astype(out.dtype))
        )
        np.testing.assert_allclose(
            np.add.outer(dimensionless, dimensionless), np.add.outer(*[[2.0, 1.0]] * 2) * scale, rtol=1e-6
        )
    mixed = [make(backend, [1.0, 2.0]), make(backend, [1.0, 2.0], u.meter)]
    with pytest.raises(NoUnitRuleError, match=r"numpy\.polyval"):
        np.polyval(*mixed)


def test_ufunc_methods_without_a_rule_are_refused(backend: str) -> None:
    q = make(backend, [1.0, 2.0], u.meter)
    i = make(backend, [0, 1], dtype=xp_of(backend).int64)
    for what, call in [
        ("numpy.add.outer", lambda: np.add.outer(q, q)),
        ("numpy.multiply.reduceat", lambda: np.multiply.reduceat(q, [0, 1])),
        ("numpy.add.at", lambda: np.add.at(q, [0], q[:1])),
        ("numpy.subtract.reduce", lambda: np.subtract.reduce(q)),
        ("numpy.maximum.accumulate", lambda: np.maximum.accumulate(q)),
    ]:
        with pytest.raises(NoUnitRuleError, match=re.escape(what) + ".*has no unit rule"):
            call()
    with pytest.raises(NoUnitRuleError, match=r"numpy\.add\(\.\.\., where=.*has no counterpart"):
        np.add(q, q, where=i > 0)
    with pytest.raises(NoUnitRuleError, match=r"numpy\.add\.reduce\(\.\.\., initial=\.\.\.\).*brainunit_xp"):
        np.add.reduce(q, initial=1.0)


def test_reduce_and_accumulate_are_the_reductions(backend: str) -> None:
    ns = getattr(u, backend)
    x = make(backend, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], u.mV)
    d = make(backend, [[1.0, 2.0, 3.0], [4.0, 5.0, 0.5]])
    for got, want in [
        (np.add.reduce(x), ns.sum(x, axis=0)),
        (np.add.reduce(x, axis=1, keepdims=True), ns.sum(x, axis=1, keepdims=True)),
        (np.add.reduce(x, axis=None), ns.sum(x)),
        (np.multiply.reduce(x, axis=1), ns.prod(x, axis=1)),
        (np.minimum.reduce(x, axis=1), ns.min(x, axis=1)),
        (np.maximum.reduce(x, axis=0), ns.max(x, axis=0)),
        (np.logical_and.reduce(d > 1, axis=1), ns.all(d > 1, axis=1)),
        (np.add.accumulate(x, axis=1), ns.cumulative_sum(x, axis=1)),
        (np.multiply.accumulate(d), ns.cumulative_prod(d, axis=0)),
    ]:
        _same(got, want, "reduce")
    assert np.multiply.reduce(x, axis=1).unit == u.mV**3
    with pytest.raises(UnitError, match="dimensionless"):
        np.multiply.accumulate(x)


def _agree(ours: Any, reference: Any, args: tuple[Any, ...], where: str) -> Any:
    """NumPy's ``ours(*args)`` gives what ``reference(*args)`` gives, or raises what it raises."""
    try:
        want = reference(*args)
    except Exception as exc:
        with pytest.raises(type(exc)):
            ours(*args)
        return None
    got = ours(*args)
    _same(got, want, where)
    return got


def test_mixing_with_plain_values(backend: str) -> None:
    ns, xp = getattr(u, backend), xp_of(backend)
    m = make(backend, [1.0, 2.0], u.meter)
    d = make(backend, [0.5, 0.25])
    plain = xp.asarray(np.array([2.0, 4.0]))
    for ufunc, args, unit in [
        (np.multiply, (m, plain), u.meter),
        (np.multiply, (plain, m), u.meter),
        (np.multiply, (m, 3), u.meter),
        (np.true_divide, (3.0, m), u.meter**-1),
        (np.hypot, (m, m), u.meter),
        (np.add, (d, plain), ONE),
        (np.arctan2, (m, m), ONE),
        (np.arctan2, (d, plain), ONE),
        (np.maximum, (plain, d), ONE),
    ]:
        got = _agree(ufunc, _lookup(ns, ufunc.__name__), args, ufunc.__name__)
        assert got is None or (got.unit == unit and got.backend == backend)
    with pytest.raises(DimensionMismatchError, match=r"incompatible units"):
        np.add(m, plain)
    with pytest.raises(DimensionMismatchError, match=r"incompatible units"):
        np.maximum(plain, m)


def test_plain_numpy_arrays_meet_quantities_of_other_backends(backend: str) -> None:
    """NumPy's own arrays in a NumPy call are taken onto the quantity's backend; quantities of
    another backend are refused by the namespace; the operator ufuncs are the operators (``ndarray
    * q`` behaves as it did before NumPy dispatched it)."""
    ns = getattr(u, backend)
    q, d = make(backend, [1.0, 2.0], u.meter), make(backend, [1.0, 2.0])
    a = np.array([2.0, 4.0])
    on_backend = make(backend, [2.0, 4.0])
    _agree(np.arctan2, lambda x, y: ns.arctan2(x, on_backend), (d, a), "numpy.arctan2(q, ndarray)")
    _agree(np.concatenate, lambda seq: ns.concatenate([d, on_backend]), ([d, a],), "numpy.concatenate")
    _agree(np.multiply, lambda x, y: y.__rmul__(x), (a, q), "numpy.multiply(ndarray, q)")
    _agree(lambda x, y: x * y, lambda x, y: y.__rmul__(x), (a, q), "ndarray * q")
    if backend == "numpy":
        assert np.hypot(q, a * u.meter).backend == "numpy"
        return
    with pytest.raises(BackendError, match=rf"brainunit_xp\.{backend}\.hypot: requires the {backend} backend"):
        np.hypot(q, a * u.meter)
    with pytest.raises(BackendError, match=rf"requires the {backend} backend"):
        np.concatenate([q, a * u.meter])


def test_numpy_scalars_in_numpy_calls_are_taken_as_the_namespace_takes_them(backend: str) -> None:
    """A NumPy scalar in a NumPy call on a quantity of any backend: as in the namespace's own call
    (0, inf, nan unit-free; another number dimensionless), the result on the quantity's backend."""
    ns = getattr(u, backend)
    q = make(backend, [1.0, -2.0], u.mV)
    kind = type(q.mantissa)
    for got, want in (
        (np.maximum(q, np.float64(0.0)), ns.maximum(q, np.float64(0.0))),
        (np.clip(q, np.float64(0.0), 1 * u.mV), ns.clip(q, np.float64(0.0), 1 * u.mV)),
        (np.add(q, np.float32(np.inf)), ns.add(q, np.float32(np.inf))),
        (np.multiply(q, np.float64(2.0)), ns.multiply(q, np.float64(2.0))),
    ):
        assert type(got.mantissa) is kind and got.unit is want.unit is u.mV
        np.testing.assert_array_equal(values(got), values(want))
    np.testing.assert_array_equal(values(np.maximum(q, np.float64(0.0))), [1.0, 0.0])
    with pytest.raises(DimensionMismatchError, match="maximum"):
        np.maximum(q, np.float64(1.0))


def test_asarray_still_refuses_dimensioned_quantities(backend: str) -> None:
    with pytest.raises(UnitError, match=r"numpy\.asarray: needs a dimensionless argument, got unit 'm'"):
        np.asarray(make(backend, [1.0, 2.0], u.meter).to_numpy())
    if backend not in ("dask", "ndonnx"):  # lazy and symbolic values refuse for their own reason
        with pytest.raises(UnitError, match=r"numpy\.asarray: needs a dimensionless"):
            np.asarray(make(backend, [1.0, 2.0], u.meter))
        np.testing.assert_allclose(np.asarray(make(backend, [50.0], u.percent)), [0.5])
        assert isinstance(np.asarray(make(backend, [1.0, 2.0])), np.ndarray)


def test_metadata_functions_read_the_mantissa(backend: str) -> None:
    q = make(backend, [[1.0, 2.0, 3.0]], u.meter)
    assert np.shape(q) == (1, 3) and np.ndim(q) == 2 and np.size(q) == 3 and np.size(q, 1) == 3
    assert not np.iscomplexobj(q) and np.isrealobj(q)
    assert np.shape(3 * u.meter) == ()


# -- out= and in-place functions ---------------------------------------------------------------------------


def test_out_takes_the_result_in_its_unit(backend: str) -> None:
    a, b = make(backend, [1.0, 2.0], u.meter), make(backend, [50.0, 100.0], u.cmeter)
    out = make(backend, [0.0, 0.0], u.mm)
    assert np.add(a, b, out=out) is out
    assert out.unit == u.mm and out.backend == backend
    np.testing.assert_allclose(values(out), [1500.0, 3000.0])
    scalar = make(backend, 0.0, u.cmeter)
    assert np.mean(a, out=scalar) is scalar
    np.testing.assert_allclose(values(scalar), 150.0)
    same = make(backend, [1.0, 2.0], u.meter)
    np.add(same, b, out=same)  # in place, like numpy's a += b
    np.testing.assert_allclose(values(same), [1.5, 3.0])
    with pytest.raises(DimensionMismatchError, match=r"numpy\.multiply: the result is in 'm \* cm'"):
        np.multiply(a, b, out=make(backend, [0.0, 0.0], u.meter))
    with pytest.raises(ValueError, match=r"does not fit out="):
        np.add(a, b, out=make(backend, [0.0, 0.0, 0.0], u.meter))


def test_out_plain_array_takes_only_plain_numbers() -> None:
    arr = np.array([1.0, 2.0])
    arr += u.Quantity(np.array([50.0, 100.0]), u.percent)  # numpy.add(arr, q, out=(arr,))
    assert type(arr) is np.ndarray
    np.testing.assert_allclose(arr, [1.5, 3.0])
    with pytest.raises(DimensionMismatchError):
        arr += u.Quantity(np.array([1.0, 2.0]), u.meter)
    with pytest.raises(UnitError, match=r"numpy\.multiply with a plain out= array: needs a dimensionless"):
        arr *= u.Quantity(np.array([1.0, 2.0]), u.meter)
    np.testing.assert_allclose(arr, [1.5, 3.0])  # unchanged


def test_fill_diagonal_and_nan_to_num_work_in_place(backend: str) -> None:
    a = make(backend, [[1.0, 2.0], [3.0, 4.0]], u.meter)
    assert np.fill_diagonal(a, 50 * u.cmeter) is None
    np.testing.assert_allclose(values(a), [[0.5, 2.0], [3.0, 0.5]])
    with pytest.raises(DimensionMismatchError):
        np.fill_diagonal(a, 1 * u.second)
    x = make(backend, [1.0, float("nan")], u.meter)
    y = np.nan_to_num(x, nan=5 * u.cmeter)
    np.testing.assert_allclose(values(y), [1.0, 0.05])
    assert np.isnan(values(x)[1])
    assert np.nan_to_num(x, copy=False, nan=5 * u.cmeter) is x
    np.testing.assert_allclose(values(x), [1.0, 0.05])


def test_numpy_argument_names_and_forms(backend: str) -> None:
    ns = getattr(u, backend)
    x = make(backend, [[3.0, 1.0, 2.0], [6.0, 5.0, 4.0]], u.second)
    idx = make(backend, [0, 2], dtype=xp_of(backend).int64)
    _same(np.take(x, idx, 1), ns.take(x, idx, axis=1), "take")
    _same(np.var(x, ddof=1), ns.var(x, correction=1), "var")
    _same(np.std(x, axis=1, ddof=1), ns.std(x, axis=1, correction=1), "std")
    _same(np.sort(x, 0), ns.sort(x, axis=0), "sort")
    _same(np.clip(x, a_min=2 * u.second, a_max=5000 * u.ms), ns.clip(x, 2 * u.second, 5 * u.second), "clip")
    _same(np.where(x > 2.5 * u.second, x, 0 * u.second), ns.where(x > 2.5 * u.second, x, 0 * u.second), "where")
    if backend != "dask":  # unknown sizes
        _same(np.where(x > 2.5 * u.second), ns.nonzero(x > 2.5 * u.second), "where(condition)")
    if backend == "array_api_strict":  # the standard's sort takes no kind=
        with pytest.raises(NoUnitRuleError, match=r"numpy\.sort: its argument kind= has no counterpart"):
            np.sort(x, kind="stable")


# -- laws -------------------------------------------------------------------------------------------------------


@given(data=st.data())
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_numpy_operator_ufuncs_are_the_operators(backend: str, data: st.DataObject) -> None:
    """``numpy.add(a, b) == a + b`` (and the other operator ufuncs) for any compatible units."""
    u1, u2, _ = data.draw(st.sampled_from(PAIRS))
    floats = st.lists(st.floats(-1e3, 1e3, allow_subnormal=False), min_size=3, max_size=3)
    a, b = make(backend, data.draw(floats), u1), make(backend, data.draw(floats), u2)
    ops = [(np.add, "__add__", "__radd__"), (np.subtract, "__sub__", "__rsub__"),
           (np.multiply, "__mul__", "__rmul__"), (np.true_divide, "__truediv__", "__rtruediv__"),
           (np.less, "__lt__", "__gt__"), (np.equal, "__eq__", "__eq__")]  # fmt: skip
    for ufunc, forward, reflected in ops:
        _agree(ufunc, lambda x, y, f=forward: getattr(x, f)(y), (a, b), ufunc.__name__)
        _agree(ufunc, lambda x, y, r=reflected: getattr(y, r)(x), (values(a), b), f"ndarray {forward} q")
    assert np.multiply(a, b).unit == u1 * u2


@given(data=st.data())
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_unit_keeping_functions_commute_with_conversion(data: st.DataObject) -> None:
    """For a function that keeps the unit of x, ``f(q)`` in unit v is ``f`` of the values of q in v."""
    u1, u2, _ = data.draw(st.sampled_from(PAIRS))
    vals = np.asarray(data.draw(st.lists(st.floats(-1e3, 1e3, allow_subnormal=False), min_size=4, max_size=4)))
    q = u.Quantity(vals.reshape(2, 2), u1)
    plain = q.to_decimal(u2)
    for f in (np.mean, np.sum, np.max, np.sort, np.cumsum, np.median, np.ptp, np.transpose, np.fft.fft):
        np.testing.assert_allclose(f(q).to_decimal(u2), f(plain), rtol=1e-9, atol=1e-9)
