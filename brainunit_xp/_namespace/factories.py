"""One factory per kind of the rules table.

A factory takes a backend, a function name, the backend's bare function and the rule's typed
parameter, and returns the unit-aware function: it reads units off the arguments, converts or
checks them, calls the bare function on the mantissas, and wraps the result in the rule's unit.
Arguments may be Quantities, plain arrays of the namespace's backend (dimensionless) and Python
numbers; an array of another backend raises :class:`BackendError`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from .._backends import Backend, backend_of_type, refuses_concrete
from .._binary_rules import Binary, rule_of, same
from .._conversion import convert, dimensionless, numpy_scalar_on, power_unit, scale, unit_free
from .._errors import BackendError, UnitError, UnitTypeError, wrong_backend
from .._quantity import Quantity, sequence_mantissas, unpack, wrap
from .._types import SCALARS, Array
from .._units import DIMENSIONLESS, FREE, ONE, Unit, get_unit
from .table import Count, Kind, Lead, Like, Out, Outputs, Rule

__all__ = ["FACTORIES", "Factory", "arg", "count", "index", "to_unit"]

Fn = Callable[..., Any]
_new = object.__new__  # the hot paths build Quantities as wrap() does, inlined
#: ``(backend, name, bare function, rule) -> unit-aware function``
Factory = Callable[[Backend, str, Fn, Rule], Fn]


def arg(B: Backend, x: Any, op: str) -> tuple[Array, Unit]:
    """``(mantissa, unit)`` of an argument of a namespace function of backend ``B``; plain arrays
    and numbers are dimensionless; an array of another backend raises."""
    m, u, b = unpack(x)
    if b is B or b is None:
        return m, u
    if b.name == "numpy" and (scalar := numpy_scalar_on(B, m, u)) is not None:
        return scalar[0], u  # jax's ``finfo(dtype).eps``, xarray's np.float64(nan) fill value
    raise wrong_backend(
        f"brainunit_xp.{B.name}.{op}", b.name, B.name, hint=" (brainunit_xp.math picks the backend for you)"
    )


def strong(B: Backend, m: Array) -> Array:
    """A Python number as an array of the backend (arrays pass through)."""
    return B.xp.asarray(m) if type(m) in SCALARS else m


def to_unit(B: Backend, v: Any, u: Unit, op: str) -> Array:
    """Mantissa of ``v`` in unit ``u`` (0, inf and nan pass in any unit)."""
    m, vu = arg(B, v, op)
    if vu is u or (vu is ONE and unit_free(m)):
        return m
    return convert(m, vu, u, B, op)


def common(items: list[tuple[Array, Unit]]) -> Unit:
    """The unit that values meeting in one result share: the first that is not unit-free (a
    unit-free array, or a Python 0, inf or nan); only when all are unit-free is the result too."""
    for m, u in items:
        if u is not FREE and not (u is ONE and unit_free(m)):
            return u
    return FREE if items else ONE


def index(B: Backend, v: Any, op: str) -> Any:
    """An index argument: a Python int stays, anything else must be dimensionless."""
    if type(v) is int or v is None:
        return v
    m, u = arg(B, v, op)
    return dimensionless(m, u, B, op)


def options(
    B: Backend, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The arguments after the arrays (a tolerance, a sorter, an axis) are plain numbers: a Quantity
    among them must be dimensionless and goes on as its mantissa (``linalg.pinv(x, rtol=q)``)."""
    if any(isinstance(a, Quantity) for a in args):
        args = tuple(index(B, a, name) if isinstance(a, Quantity) else a for a in args)
    if any(isinstance(v, Quantity) for v in kwargs.values()):
        kwargs = {k: index(B, v, f"{name}({k}=...)") if isinstance(v, Quantity) else v for k, v in kwargs.items()}
    return args, kwargs


def respell(name: str, kwargs: dict[str, Any], spellings: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """numpy's keyword spellings (the rule's ``spellings``: ``ddof``, which xarray and brainunit pass)
    as the standard's (``correction``, which every backend takes: array_api_strict, ndonnx and torch
    refuse ``ddof``)."""
    for numpy_kw, standard in spellings:
        if numpy_kw not in kwargs:
            continue
        kwargs = dict(kwargs)
        value = kwargs.pop(numpy_kw)
        if standard in kwargs and kwargs[standard] != value:
            raise TypeError(
                f"{name}: {numpy_kw}={value!r} and {standard}={kwargs[standard]!r} name the same option; give one"
            )
        kwargs[standard] = value
    return kwargs


def is_bool(B: Backend, dtype: Any) -> bool:
    """Is ``dtype`` a boolean dtype, in any spelling (``bool``, ``xp.bool``, ``numpy.bool_``,
    ``"bool"``)?  Booleans never carry a unit."""
    if dtype is None:
        return False
    if dtype is bool or (isinstance(dtype, str) and dtype in ("bool", "?", "b1")):
        return True
    if isinstance(dtype, type):
        return getattr(dtype, "__name__", "") in ("bool", "bool_")
    try:
        return bool(dtype == B.xp.bool)
    except Exception:  # a dtype of another library: not this backend's boolean
        return False


def boolean(B: Backend, kwargs: dict[str, Any]) -> bool:
    """Is a boolean ``dtype=`` asked for?  If so, spelled as the backend's own (``xp.bool``)."""
    if is_bool(B, kwargs.get("dtype")):
        kwargs["dtype"] = B.xp.bool
        return True
    return False


def is_floating(B: Backend, dtype: Any) -> bool:
    """Is ``dtype`` a real or complex floating dtype of the backend?"""
    try:
        return bool(B.xp.isdtype(dtype, ("real floating", "complex floating")))
    except Exception:
        return False


def _many(out: Any, unit: Unit, B: Backend) -> Any:
    return type(out)(wrap(o, unit, B) for o in out)


def _all_unit_free(seq: Any) -> bool:
    """Is a nested list of Python numbers made only of 0, inf and nan?"""
    if isinstance(seq, (list, tuple)):
        return all(_all_unit_free(x) for x in seq)
    return unit_free(seq)


def unit_option(
    args: tuple[Any, ...], kwargs: dict[str, Any], key: str, op: str
) -> tuple[tuple[Any, ...], dict[str, Any], Unit | None]:
    """brainunit's unit options (``unit=`` of its creation functions, ``unit_to_scale=`` of its
    dimensionless ones): the keyword ``key``, or a ``Unit`` among the positional options (never a
    valid positional option otherwise); ``(args, kwargs, unit or None)``."""
    unit = kwargs.pop(key, None) if key in kwargs else None
    if any(isinstance(a, Unit) for a in args):
        unit = next(a for a in args if isinstance(a, Unit))
        args = tuple(a for a in args if not isinstance(a, Unit))
    if unit is not None and not isinstance(unit, Unit):
        raise UnitTypeError(f"{op}: {key} must be a Unit such as mV, got {type(unit).__name__} {unit!r}")
    return args, kwargs, unit


@functools.cache
def _dtype_types(B: Backend) -> frozenset[type]:
    """The types of the dtypes of ``B``'s namespace (``numpy.dtypes.Float32DType``, ``torch.dtype``)."""
    names = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64",
             "complex64", "complex128")  # fmt: skip
    return frozenset(type(getattr(B.xp, n)) for n in names if hasattr(B.xp, n))


def dtype_option(B: Backend, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """numpy's positional dtype (``zeros((2,), float32)``, ``arange(0, 3, 1, float32)``): a dtype
    among the positional arguments goes on as ``dtype=`` (the standard's dtype is keyword-only)."""
    for i, a in enumerate(args):
        if isinstance(a, type) and a.__module__.partition(".")[0] in ("numpy", "jax", "ml_dtypes"):
            pass  # a scalar type such as numpy.float32
        elif type(a) not in _dtype_types(B):
            continue
        if "dtype" in kwargs:
            raise TypeError(f"{B.name}: got two dtypes, {a!r} among the arguments and dtype={kwargs['dtype']!r}")
        return args[:i] + args[i + 1 :], {**kwargs, "dtype": a}
    return args, kwargs


def scaled(B: Backend, x: Any, unit: Unit, op: str) -> Array:
    """``unit_to_scale``: the mantissa of ``x`` in ``unit``, as a plain (dimensionless) array."""
    m, u = arg(B, x, op)
    return strong(B, convert(m, u, unit, B, op))


def count(m: Array, axis: Any, op: str) -> int:
    """How many elements a reduction over ``axis`` combines (the unit's power for ``prod``)."""
    shape = tuple(m.shape)
    axes = range(len(shape)) if axis is None else (axis,) if isinstance(axis, int) else axis
    sizes = [shape[a] for a in axes]
    if any(s is None or s != s for s in sizes):
        raise BackendError(
            f"{op}: the result's unit depends on how many elements are reduced, and this lazy "
            f"array's shape {shape} is not known; compute its chunk sizes first"
        )
    return math.prod(int(s) for s in sizes)


# -- factories ------------------------------------------------------------------------------------


def keep(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """One array in, the unit of x out (each output's, for a function returning a tuple)."""
    many, spellings = rule.many, rule.spellings

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            if spellings:
                kwargs = respell(name, kwargs, spellings)
            args, kwargs = options(B, name, args, kwargs)
        if type(x) is Quantity and x._b is B:
            m, u = x._m, x._u
        else:
            m, u = arg(B, x, name)
            m = strong(B, m)
        out = fn(m, *args, **kwargs) if args or kwargs else fn(m)
        if many:
            return _many(out, u, B)
        q = _new(Quantity)  # wrap(), inlined: this is the hot path
        q._m, q._u, q._b = out, u, B
        return q

    return f


def dimensionless_(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """One dimensionless array in, dimensionless out (each output, for a tuple).  brainunit's
    ``unit_to_scale=u`` option takes x in unit u instead: its value in u is the dimensionless input."""
    many = rule.many

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            args, kwargs, to = unit_option(args, kwargs, "unit_to_scale", name)
            args, kwargs = options(B, name, args, kwargs)
            if to is not None:
                x = scaled(B, x, to, name)
            if many:
                m, u = arg(B, x, name)
                return _many(fn(dimensionless(strong(B, m), u, B, name), *args, **kwargs), ONE, B)
        elif many:
            m, u = arg(B, x, name)
            return _many(fn(dimensionless(strong(B, m), u, B, name)), ONE, B)
        if type(x) is Quantity and x._b is B:
            m = x._m
            if x._u is not ONE:
                m = dimensionless(m, x._u, B, name)
        else:
            m, u = arg(B, x, name)
            m = dimensionless(strong(B, m), u, B, name)
        q = _new(Quantity)
        q._m, q._u, q._b = fn(m, *args, **kwargs) if args or kwargs else fn(m), ONE, B
        return q

    return f


def unitless(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """One array of any unit in, dimensionless out (each output, for a tuple)."""
    many = rule.many

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            args, kwargs, to = unit_option(args, kwargs, "unit_to_scale", name)
            args, kwargs = options(B, name, args, kwargs)
            if to is not None:  # brainunit's option: no effect on a unit-free result, but checked
                x = scaled(B, x, to, name)
        m = x._m if type(x) is Quantity and x._b is B else strong(B, arg(B, x, name)[0])
        out = fn(m, *args, **kwargs)
        return _many(out, ONE, B) if many else wrap(out, ONE, B)

    return f


def power(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """One array in, the unit of x to the rule's power out (dimensionless stays dimensionless)."""
    assert isinstance(rule.param, Fraction)
    p, spellings = rule.param, rule.spellings

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            if spellings:
                kwargs = respell(name, kwargs, spellings)
            args, kwargs = options(B, name, args, kwargs)
        m, u = arg(B, x, name)
        m = strong(B, m)
        if u.dim is DIMENSIONLESS:
            m, u = dimensionless(m, u, B, name), ONE
        return wrap(fn(m, *args, **kwargs), u**p, B)

    return f


def binary(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """Two arrays in, combined by the binary unit rule of the rule's parameter."""
    assert isinstance(rule.param, Binary)
    combine = rule_of(rule.param)
    fast = rule.param in (Binary.SAME, Binary.COMPARE, Binary.EQUAL)
    one = rule.param in (Binary.COMPARE, Binary.EQUAL)
    both_scaled = rule.param in (Binary.SAME, Binary.COMPARE, Binary.DIMENSIONLESS)

    def f(x1: Any, x2: Any, /, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            if "unit_to_scale" in kwargs:  # brainunit's option: the operands' values in that unit
                to = kwargs.pop("unit_to_scale")
                if to is not None:
                    _, _, to = unit_option((), {"unit_to_scale": to}, "unit_to_scale", name)
                    x1 = scaled(B, x1, to, name)  # type: ignore[arg-type]
                    if both_scaled:  # x2 too, unless it is an exponent or a step value
                        x2 = scaled(B, x2, to, name)  # type: ignore[arg-type]
            args, kwargs = options(B, name, args, kwargs)
        if fast and type(x1) is Quantity and type(x2) is Quantity:
            u = x1._u
            if x2._u is u and x1._b is B and x2._b is B:
                q = _new(Quantity)
                q._m = fn(x1._m, x2._m, *args, **kwargs) if args or kwargs else fn(x1._m, x2._m)
                q._u, q._b = ONE if one else u, B
                return q
        m1, u1 = arg(B, x1, name)
        m2, u2 = arg(B, x2, name)
        m1, m2, u, fold = combine(name, m1, u1, B, m2, u2, B)
        if type(m1) in SCALARS and type(m2) in SCALARS:
            m1 = B.xp.asarray(m1)
        out = fn(m1, m2, *args, **kwargs)
        return wrap(out if fold == 1.0 else scale(out, fold, B), u, B)

    return f


def pow_(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``pow``: a base with units needs a concrete scalar exponent."""

    def f(x1: Any, x2: Any, /) -> Any:
        m1, u1 = arg(B, x1, name)
        if u1.dim is DIMENSIONLESS:
            m1 = dimensionless(m1, u1, B, name)
            m2, u2 = arg(B, x2, name)
            m2 = dimensionless(m2, u2, B, name)
            if type(m1) in SCALARS and type(m2) in SCALARS:
                m1 = B.xp.asarray(m1)
            return wrap(fn(m1, m2), ONE, B)
        pm, pu = arg(B, x2, name)
        unit, p = power_unit(u1, pm, pu, B, name)
        return wrap(fn(strong(B, m1), p), unit, B)

    return f


def prod(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``prod``, ``nanprod``: unit to the number of elements multiplied — those reduced, less the ones
    a ``where`` mask leaves out (and the NaNs, for ``Count(nan=True)``): the same for every element
    of the result, unless x is dimensionless."""
    nan = isinstance(rule.param, Count) and rule.param.nan

    def f(x: Any, /, axis: Any = None, **kwargs: Any) -> Any:
        if kwargs:
            _, kwargs = options(B, name, (), kwargs)
        m, u = arg(B, x, name)
        m = strong(B, m)
        if u.dim is DIMENSIONLESS:
            m, unit = dimensionless(m, u, B, name), ONE
        elif nan or kwargs.get("where") is not None:
            unit = u ** uniform_count(B, m, axis, kwargs.get("where"), nan, name)
        else:
            unit = u ** count(m, axis, name)
        return wrap(fn(m, axis=axis, **kwargs), unit, B)

    return f


def vector_norm(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``vector_norm``: the unit of x, except ``ord=0``, which counts the non-zero elements."""
    norm = keep(B, name, fn, rule)

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        out = norm(x, *args, **kwargs)
        if kwargs.get("ord", 2) == 0:
            out._u = ONE
        return out

    return f


def det(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``det``: unit to the power n for n x n matrices."""

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        m, u = arg(B, x, name)
        unit = ONE
        if u.dim is DIMENSIONLESS:
            m = dimensionless(m, u, B, name)
        else:
            unit = u ** count(m, -1, name)
        return wrap(fn(m, *args, **kwargs), unit, B)

    return f


def matrix_power(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``matrix_power``: unit to the power n."""

    def f(x: Any, n: Any, /, *args: Any, **kwargs: Any) -> Any:
        m, u = arg(B, x, name)
        unit = ONE
        if u.dim is DIMENSIONLESS:
            m = dimensionless(m, u, B, name)
        else:
            unit = u ** int(n)
        return wrap(fn(m, n, *args, **kwargs), unit, B)

    return f


def clip(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``clip``: x, min and max in one unit (x's, unless x is unit-free)."""

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        m, u = arg(B, x, name)
        given: dict[int | str, Any] = dict(enumerate(args))
        given.update({k: kwargs[k] for k in ("min", "max") if kwargs.get(k) is not None})
        bounds = {k: arg(B, v, name) for k, v in given.items() if v is not None}
        unit = common([(m, u), *bounds.values()])
        converted = {
            k: bm if bu is unit or unit_free(bm) else convert(bm, bu, unit, B, name) for k, (bm, bu) in bounds.items()
        }
        positional = tuple(converted.get(i, v) for i, v in enumerate(args))
        keywords = {**kwargs, **{k: v for k, v in converted.items() if isinstance(k, str)}}
        return wrap(fn(strong(B, convert(m, u, unit, B, name)), *positional, **keywords), unit, B)

    return f


def diff(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``diff``: x, prepend and append in one unit (x's, unless x is unit-free)."""

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        m, u = arg(B, x, name)
        ends = {k: arg(B, kwargs[k], name) for k in ("prepend", "append") if kwargs.get(k) is not None}
        unit = common([(m, u), *ends.values()])
        for k, (em, eu) in ends.items():
            kwargs[k] = strong(B, em if eu is unit or unit_free(em) else convert(em, eu, unit, B, name))
        return wrap(fn(strong(B, convert(m, u, unit, B, name)), *args, **kwargs), unit, B)

    return f


def where(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``where``: a dimensionless condition; x2 converted to the unit of x1.  ``where(condition)``:
    numpy's spelling of ``nonzero``."""

    def f(condition: Any, x1: Any = None, x2: Any = None, /, *args: Any, **kwargs: Any) -> Any:
        if x1 is None and x2 is None:  # numpy's where(condition): the indices of its non-zero elements
            c, cu = arg(B, condition, name)
            return _many(B.xp.nonzero(strong(B, c), **kwargs), ONE, B)
        same_units = type(x1) is Quantity and type(x2) is Quantity and x1._u is x2._u and x1._b is B and x2._b is B
        if same_units and backend_of_type(type(condition)) is B:  # the hot path: a plain mask, same-unit values
            q = _new(Quantity)
            q._m, q._u, q._b = fn(condition, x1._m, x2._m, *args, **kwargs), x1._u, B
            return q
        if type(condition) is Quantity and condition._b is B and condition._u is ONE:
            c = condition._m
        else:
            c, cu = arg(B, condition, name)
            c = dimensionless(c, cu, B, name)
        m1, u1 = arg(B, x1, name)
        m2, u2 = arg(B, x2, name)
        m1, m2, u, _ = same(name, m1, u1, B, m2, u2, B)
        return wrap(fn(c, m1, m2, *args, **kwargs), u, B)

    return f


def take(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``take``, ``take_along_axis``, ``repeat``: the second argument is a dimensionless index."""

    def f(x: Any, indices: Any, /, *args: Any, **kwargs: Any) -> Any:
        m, u = arg(B, x, name)
        return wrap(fn(strong(B, m), index(B, indices, name), *args, **kwargs), u, B)

    return f


def sequence(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``concat``, ``stack``: all arrays converted to the unit of the first."""

    def f(arrays: Any, /, *args: Any, **kwargs: Any) -> Any:
        if type(arrays) is list:  # the hot path: Quantities of this backend in one unit
            ms, u = [], None
            for a in arrays:
                if type(a) is not Quantity or a._b is not B or (a._u is not u and u is not None):
                    break
                u = a._u
                ms.append(a._m)
            else:
                if u is not None:
                    q = _new(Quantity)
                    q._m = fn(ms, *args, **kwargs) if args or kwargs else fn(ms)
                    q._u, q._b = u, B
                    return q
        items = [arg(B, a, name) for a in arrays]
        u = next((mu for _, mu in items if mu is not FREE), FREE if items else ONE)
        ms = [m if mu is u else convert(m, mu, u, B, name) for m, mu in items]
        return wrap(fn(type(arrays)(ms) if isinstance(arrays, tuple) else ms, *args, **kwargs), u, B)

    return f


def each(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``broadcast_arrays``, ``meshgrid``: each array keeps its own unit."""

    def f(*arrays: Any, **kwargs: Any) -> Any:
        items = [arg(B, a, name) for a in arrays]
        out = fn(*(strong(B, m) for m, _ in items), **kwargs)
        return type(out)(wrap(o, u, B) for o, (_, u) in zip(out, items, strict=True))

    return f


def outputs(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """Several outputs (a named tuple), each in the unit that the rule's :class:`Outputs` spells."""
    assert isinstance(rule.param, Outputs)
    spec, require_dimensionless = rule.param.units, rule.param.dimensionless_input

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        m, u = arg(B, x, name)
        m = strong(B, m)
        if require_dimensionless:
            m, u = dimensionless(m, u, B, name), ONE
        out = fn(m, *args, **kwargs)
        vals = [wrap(o, u if c is Out.X else ONE, B) for o, c in zip(out, spec, strict=True)]
        return type(out)(*vals) if hasattr(out, "_fields") else type(out)(vals)

    return f


def creation(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``eye``, ``ones``: dimensionless (``Out.ONE``); ``empty``, ``zeros``: unit-free (``Out.FREE``);
    brainunit's ``unit=u`` option: in unit u.  Quantities among the arguments (``logspace``'s
    bounds, ``kaiser``'s beta) must be dimensionless."""
    unit = FREE if rule.param is Out.FREE else ONE
    many = rule.many

    def f(*args: Any, **kwargs: Any) -> Any:
        args, kwargs, given = unit_option(args, kwargs, "unit", name)
        if len(args) > 1:  # numpy's positional dtype follows the shape (lax.iota's dtype comes first)
            head, (rest, kwargs) = args[:1], dtype_option(B, args[1:], kwargs)
            args = head + rest
        args, kwargs = options(B, name, args, kwargs)
        out = fn(*args, **kwargs)
        u = given if given is not None else ONE if boolean(B, kwargs) else unit
        return _many(out, u, B) if many else wrap(out, u, B)

    return f


def full(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``full``: the unit of fill_value."""

    def f(shape: Any, fill_value: Any, *args: Any, **kwargs: Any) -> Any:
        if args:
            args, kwargs = dtype_option(B, args, kwargs)
        m, u = arg(B, fill_value, name)
        if u is ONE and unit_free(m) and not boolean(B, kwargs):
            u = FREE
        return wrap(fn(shape, m, *args, **kwargs), u, B)

    return f


def like(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``*_like``: the unit of x (``Like.KEEP``), dimensionless (``Like.ONE``) or fill_value's (``Like.FILL``)."""
    if rule.param is Like.FILL:

        def fill(x: Any, /, fill_value: Any, *args: Any, **kwargs: Any) -> Any:
            if args:
                args, kwargs = dtype_option(B, args, kwargs)
            m, u = arg(B, x, name)
            fm, fu = arg(B, fill_value, name)
            if fu is not ONE and fu is not FREE:
                u = fu
            elif not unit_free(fm) or boolean(B, kwargs):
                u = ONE
            elif u is ONE:
                u = FREE  # unit-free values like a dimensionless array
            return wrap(fn(strong(B, m), fm, *args, **kwargs), u, B)

        return fill

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        m, u = arg(B, x, name)
        given = None
        if args or kwargs:
            args, kwargs, given = unit_option(args, kwargs, "unit", name)
            args, kwargs = dtype_option(B, args, kwargs)
        if given is not None:
            u = given  # brainunit's unit= option
        elif rule.param is not Like.KEEP or boolean(B, kwargs):
            u = ONE
        elif u is ONE:
            u = FREE  # zeros or uninitialized memory like a dimensionless array: unit-free
        return wrap(fn(strong(B, m), *args, **kwargs), u, B)

    return f


def range_(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``arange``, ``linspace``: the value arguments (named by the parameter) share the unit of the first
    with one."""
    assert isinstance(rule.param, tuple)
    names: tuple[str, ...] = rule.param

    def f(*args: Any, **kwargs: Any) -> Any:
        if len(args) > len(names):
            args, kwargs = dtype_option(B, args, kwargs)
        if not args and "start" not in kwargs and kwargs.get("stop") is not None:
            args = (kwargs.pop("stop"),)  # numpy's arange(stop=...): one bound is the stop
        n = min(len(args), len(names))
        given: list[tuple[int | str, Any]] = [(i, v) for i, v in enumerate(args[:n]) if v is not None]
        given += [(k, v) for k, v in kwargs.items() if k in names[n:] and v is not None]
        values = [arg(B, v, name) for _, v in given]
        unit = next((u for _, u in values if u is not ONE and u is not FREE), ONE)
        positional, keywords = list(args), dict(kwargs)
        for (where, _), (m, u) in zip(given, values, strict=True):
            value = m if u is unit or (u is ONE and unit_free(m)) else convert(m, u, unit, B, name)
            if isinstance(where, int):
                positional[where] = value
            else:
                keywords[where] = value
        out = fn(*positional, **keywords)
        return _many(out, unit, B) if isinstance(out, tuple) else wrap(out, unit, B)  # linspace(retstep=True)

    return f


def asarray(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``asarray``: keeps a Quantity's unit; converts a sequence to its first quantity's unit."""

    def f(obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        given = None
        if args or kwargs:
            args, kwargs, given = unit_option(args, kwargs, "unit", name)
            args, kwargs = dtype_option(B, args, kwargs)
        if isinstance(obj, Quantity):
            m, u = arg(B, obj, name)
        elif isinstance(obj, (list, tuple)):
            m, u, _ = sequence_mantissas(obj, B, name)
            if u is ONE and _all_unit_free(obj):
                u = FREE  # [nan, 0] means the same in every unit
        else:
            m, u = obj, FREE if unit_free(obj) else ONE  # numbers, buffers, plain arrays
        if given is not None:  # brainunit's unit= option: the values converted to that unit
            m, u = (m if isinstance(m, list) and not m else convert(m, u, given, B, name)), given
        return wrap(fn(m, *args, **kwargs), ONE if boolean(B, kwargs) else u, B)

    return f


def astype(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``astype``: keeps the unit, except that booleans are dimensionless, and unit-free values cast
    to integers are dimensionless (nan and inf have no integer value)."""

    def f(x: Any, dtype: Any, /, *args: Any, **kwargs: Any) -> Any:
        m, u = arg(B, x, name)
        if is_bool(B, dtype):
            dtype, u = B.xp.bool, ONE
        elif u is FREE and not is_floating(B, dtype):
            u = ONE
        return wrap(fn(strong(B, m), dtype, *args, **kwargs), u, B)

    return f


def from_dlpack(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``from_dlpack``: a Quantity of any backend keeps its unit."""

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        if isinstance(x, Quantity):
            return wrap(fn(strong(B, x._m), *args, **kwargs), x._u, B)
        return wrap(fn(x, *args, **kwargs), ONE, B)

    return f


def fftfreq(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``fftfreq``, ``rfftfreq``: the inverse of the unit of the sample spacing d."""

    def f(n: Any, /, *args: Any, d: Any = 1.0, **kwargs: Any) -> Any:
        if args:  # numpy's and brainunit's spelling: fftfreq(n, d)
            d, args = args[0], args[1:]
        m, u = arg(B, d, name)
        if u.dim is DIMENSIONLESS:
            m, u = dimensionless(m, u, B, name), ONE
        if not isinstance(m, (int, float)):
            m = float(m)
        return wrap(fn(n, *args, d=m, **kwargs), u**-1, B)

    return f


def plain(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """Functions about dtypes and shapes: quantities are read for their mantissas."""

    def f(*args: Any, **kwargs: Any) -> Any:
        return fn(*(a._m if isinstance(a, Quantity) else a for a in args), **kwargs)

    return f


# -- brainunit's elementwise functions, creation, einsum/einops (matha) ----------------------------


def degrees(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``deg2rad``, ``radians``: an angle in degrees.  A plain number is in degrees; a dimensionless
    unit with a scale (degree, arcminute, radian) is converted to degrees first; ``unit_to_scale=u``
    reads x in u.  The result is in radians, dimensionless."""
    degree = get_unit("degree")
    assert degree is not None

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        to = None
        if args or kwargs:
            args, kwargs, to = unit_option(args, kwargs, "unit_to_scale", name)
            args, kwargs = options(B, name, args, kwargs)
        m, u = arg(B, x, name)
        if to is not None:
            m = convert(m, u, to, B, name)
        elif u is not ONE and u is not FREE:
            if u.dim is not DIMENSIONLESS:
                dimensionless(m, u, B, name)  # raises, naming the unit and the fix
            m = convert(m, u, degree, B, name)
        return wrap(fn(strong(B, m), *args, **kwargs), ONE, B)

    return f


def same_outputs(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``divmod``: x2 converted to the unit of x1; several outputs, each in the unit the rule's
    :class:`Outputs` spells (``Out.X``: the unit of x1)."""
    assert isinstance(rule.param, Outputs)
    spec = rule.param.units

    def f(x1: Any, x2: Any, /, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            args, kwargs = options(B, name, args, kwargs)
        m1, u1 = arg(B, x1, name)
        m2, u2 = arg(B, x2, name)
        m1, m2, u, _ = same(name, m1, u1, B, m2, u2, B)
        if type(m1) in SCALARS and type(m2) in SCALARS:
            m1 = B.xp.asarray(m1)
        out = fn(m1, m2, *args, **kwargs)
        return type(out)(wrap(o, u if c is Out.X else ONE, B) for o, c in zip(out, spec, strict=True))

    return f


def values(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``nan_to_num``, ``fill_diagonal``: the unit of x; the arguments the rule's parameter names
    (positional after x, in that order, or keywords) are values converted to the unit of x and
    passed on as keywords (``None`` left out)."""
    assert isinstance(rule.param, tuple)
    names: tuple[str, ...] = rule.param

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        if len(args) > len(names):
            raise TypeError(
                f"{name}() takes {len(names)} positional argument(s) after x ({', '.join(names)}); pass the "
                f"others by keyword"
            )
        kwargs.update(zip(names, args, strict=False))
        m, u = arg(B, x, name)
        for key in names:
            v = kwargs.pop(key, None)
            if v is not None:
                kwargs[key] = to_unit(B, v, u, f"{name}({key}=...)")
        rest = {k: v for k, v in kwargs.items() if k not in names}
        if rest:
            _, rest = options(B, name, (), rest)
            kwargs.update(rest)
        return wrap(fn(strong(B, m), **kwargs), u, B)

    return f


def convert_(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``tril``, ``triu``, ``diag``: the unit of x; brainunit's ``unit=u`` option gives the result in
    u: x converted to it, a plain (dimensionless) x taken in it."""

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        given = None
        if args or kwargs:
            args, kwargs, given = unit_option(args, kwargs, "unit", name)
            args, kwargs = options(B, name, args, kwargs)
        m, u = arg(B, x, name)
        if given is not None:
            if u is not ONE and u is not FREE:
                m = convert(m, u, given, B, name)
            u = given
        return wrap(fn(strong(B, m), *args, **kwargs), u, B)

    return f


def _interleaved_operands(operands: tuple[Any, ...]) -> range:
    """The positions of the arrays among ``einsum``'s arguments: after the subscripts string, or
    every other one in the interleaved form ``(a, [0, 1], b, [1], [0])``."""
    if operands and type(operands[0]) is str:
        return range(1, len(operands))
    return range(0, len(operands) - len(operands) % 2, 2)


def einsum(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``einsum``: the product of the operands' units (a dimensionless product's scale folded in)."""

    def f(*operands: Any, **kwargs: Any) -> Any:
        if kwargs:
            _, kwargs = options(B, name, (), kwargs)
        args, unit, fold = list(operands), ONE, 1.0
        for i in _interleaved_operands(operands):
            x = operands[i]
            if type(x) is Quantity and x._b is B:
                m, u = x._m, x._u
            else:
                m, u = arg(B, x, name)
                m = strong(B, m)
            args[i] = m
            if u is not ONE:
                unit, f2 = unit.product(u)
                fold *= f2
        out = fn(*args, **kwargs)
        if fold != 1.0:
            out = scale(out, fold, B)
        q = _new(Quantity)
        q._m, q._u, q._b = out, unit, B
        return q

    return f


_ONE_REDUCTIONS = frozenset({"any", "all"})


def einops(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``einrearrange``, ``einrepeat``, ``einreduce``: x (or a sequence of arrays, converted to the
    unit of the first) keeps its unit through rearranging, repeating and the min, max, sum and mean
    reductions; ``prod`` raises it to the number of elements reduced; ``any`` and ``all`` are
    dimensionless; a callable reduction gets Quantities and its result's unit is the result's."""

    def f(x: Any, pattern: str, /, *args: Any, **axes_lengths: Any) -> Any:
        if isinstance(x, (list, tuple)):
            m, u, _ = sequence_mantissas(list(x), B, name)
            m = [strong(B, item) for item in m] if isinstance(m, list) else m
        else:
            m, u = arg(B, x, name)
            m = strong(B, m)
        reduction = args[0] if args else axes_lengths.pop("reduction", None)
        seen: list[Unit] = []
        if callable(reduction):
            custom = reduction

            def reduction(t: Array, axes: tuple[int, ...]) -> Array:
                rm, ru = arg(B, custom(wrap(t, u, B), axes), name)
                seen.append(ru)
                return rm

        out = fn(m, pattern, reduction, **axes_lengths) if reduction is not None else fn(m, pattern, **axes_lengths)
        unit = u
        if seen:
            unit = seen[0]
        elif reduction in _ONE_REDUCTIONS:
            unit = ONE
        elif reduction == "prod" and u is not ONE:
            shape = (len(m), *m[0].shape) if isinstance(m, list) else m.shape
            unit = u ** (math.prod(int(n) for n in shape) // max(1, math.prod(int(n) for n in out.shape)))
        return wrap(out, unit, B)

    return f


# -- brainunit's reductions, shapes, statistics, linalg, fft (mathb) --------------------------------


def uniform_count(B: Backend, m: Array, axis: Any, where: Any, nan: bool, op: str) -> int:
    """How many elements a product over ``axis`` multiplies, with a ``where`` mask and without NaNs:
    read from the values, and it must be the same for every element of the result."""
    xp = B.xp
    keep = None
    if where is not None:
        w, wu = array_arg(B, where, op)
        keep = xp.broadcast_to(xp.astype(dimensionless(w, wu, B, op), xp.bool), tuple(m.shape))
    if nan:
        present = ~xp.isnan(m)
        keep = present if keep is None else keep & present
    if keep is None:
        return count(m, axis, op)
    counts = xp.sum(xp.astype(keep, xp.int32), axis=axis)
    if refuses_concrete(B):
        raise BackendError(
            f"{op}: the result's unit depends on how many elements are multiplied, which this lazy "
            f"{B.name} array does not know yet; compute it first (or within brainunit_xp.computing_lazy_values())"
        )
    try:
        lo, hi = int(xp.min(counts)), int(xp.max(counts))
    except Exception as exc:  # tracers and symbolic arrays cannot give their values
        raise UnitError(
            f"{op}: the result's unit is the unit of x to the number of elements multiplied, which here "
            f"depends on the values (a where mask or NaNs) and cannot be read from a traced or symbolic "
            f"array ({type(exc).__name__}); pass a dimensionless x, or compute outside the trace"
        ) from None
    if lo != hi:
        why = " and ".join(w for w, on in (("the where= mask", where is not None), ("the NaNs skipped", nan)) if on)
        raise UnitError(
            f"{op}: with {why}, the elements of the result "
            f"multiply different numbers of elements ({lo} to {hi}), so they would have different units; "
            f"make the count the same along the axis, or divide x by its unit first"
        )
    return lo


def array_arg(B: Backend, v: Any, op: str) -> tuple[Array, Unit]:
    """``(array, unit)`` of an argument that may also be a (nested) list of numbers and Quantities."""
    if isinstance(v, (list, tuple)):
        m, u, _ = sequence_mantissas(v, B, op)
        return B.xp.asarray(m), u
    m, u = arg(B, v, op)
    return strong(B, m), u


def common_mantissas(B: Backend, values: Any, op: str) -> tuple[list[Any], Unit]:
    """Mantissas of ``values`` in one unit: that of the first with a unit (0, inf, nan and unit-free
    values take any), and that unit."""
    items = [arg(B, v, op) if not isinstance(v, (list, tuple)) else array_arg(B, v, op) for v in values]
    u = next((mu for m, mu in items if mu is not FREE and not (mu is ONE and unit_free(m))), ONE)
    return [strong(B, into(B, m, mu, u, op)) for m, mu in items], u


def into(B: Backend, m: Array, mu: Unit, u: Unit, op: str) -> Array:
    """Mantissa ``m`` in unit ``mu`` expressed in ``u`` (0, inf and nan pass in any unit)."""
    if mu is u or (mu is ONE and unit_free(m)):
        return m
    return convert(m, mu, u, B, op)


def values_out(kwargs: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """The keyword options named ``names`` (values, not plain options), taken out of ``kwargs``."""
    return {k: kwargs.pop(k) for k in names if kwargs.get(k) is not None}


def keep_values(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """Like ``keep``; the keyword options that the rule's parameter names (``initial``, ``to_end``) are
    values converted to the unit of x."""
    assert isinstance(rule.param, tuple)
    names: tuple[str, ...] = rule.param

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        values = values_out(kwargs, names) if kwargs else kwargs
        if args or kwargs:
            args, kwargs = options(B, name, args, kwargs)
        if type(x) is Quantity and x._b is B:
            m, u = x._m, x._u
        else:
            m, u = arg(B, x, name)
            m = strong(B, m)
        if values:
            kwargs.update({k: to_unit(B, v, u, f"{name}({k}=...)") for k, v in values.items()})
        return wrap(fn(m, *args, **kwargs), u, B)

    return f


def masked(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``compress``, ``extract``: ``(condition, x)``, a dimensionless condition, the unit of x."""
    names: tuple[str, ...] = rule.param if isinstance(rule.param, tuple) else ()

    def f(condition: Any, x: Any, /, *args: Any, **kwargs: Any) -> Any:
        values = values_out(kwargs, names)
        if args or kwargs:
            args, kwargs = options(B, name, args, kwargs)
        c, cu = array_arg(B, condition, name)
        m, u = arg(B, x, name)
        kwargs.update({k: to_unit(B, v, u, f"{name}({k}=...)") for k, v in values.items()})
        return wrap(fn(dimensionless(c, cu, B, name), strong(B, m), *args, **kwargs), u, B)

    return f


def choose(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``choose(a, choices)``: dimensionless indices; the choices converted to the unit of the first."""

    def f(a: Any, choices: Any, /, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            args, kwargs = options(B, name, args, kwargs)
        i, iu = array_arg(B, a, name)
        ms, u = common_mantissas(B, choices, name)
        return wrap(fn(dimensionless(i, iu, B, name), ms, *args, **kwargs), u, B)

    return f


def select(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``select(condlist, choicelist, default=0)``: dimensionless conditions; the choices and default
    converted to the unit of the first choice (a plain 0 default takes any unit)."""

    def f(condlist: Any, choicelist: Any, /, default: Any = 0, **kwargs: Any) -> Any:
        if kwargs:
            _, kwargs = options(B, name, (), kwargs)
        conds = [dimensionless(c, cu, B, name) for c, cu in (array_arg(B, c, name) for c in condlist)]
        ms, u = common_mantissas(B, choicelist, name)
        return wrap(fn(conds, ms, to_unit(B, default, u, f"{name}(default=...)"), **kwargs), u, B)

    return f


def each_one(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``atleast_1d`` ...: each array keeps its own unit; one array in, one array out."""

    def f(*arrays: Any, **kwargs: Any) -> Any:
        items = [arg(B, a, name) for a in arrays]
        out = fn(*(strong(B, m) for m, _ in items), **kwargs)
        if not isinstance(out, (list, tuple)):
            return wrap(out, items[0][1], B)
        return type(out)(wrap(o, u, B) for o, (_, u) in zip(out, items, strict=True))

    return f


def block(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``block``: the arrays of the nested lists converted to the unit of the first Quantity."""

    def f(arrays: Any, /, **kwargs: Any) -> Any:
        nested, u, _ = sequence_mantissas(arrays, B, name)
        return wrap(fn(nested, **kwargs), u, B)

    return f


def lead(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``unique``, ``intersect1d``: the arrays converted to the unit of the first; the first output in
    it, the other outputs (indices, counts) dimensionless."""
    assert isinstance(rule.param, Lead)
    n, names = rule.param.arrays, rule.param.values

    def f(*args: Any, **kwargs: Any) -> Any:
        values = values_out(kwargs, names)
        arrays, rest = args[:n], args[n:]
        if rest or kwargs:
            rest, kwargs = options(B, name, rest, kwargs)
        ms, u = common_mantissas(B, arrays, name)
        kwargs.update({k: to_unit(B, v, u, f"{name}({k}=...)") for k, v in values.items()})
        out = fn(*ms, *rest, **kwargs)
        if not isinstance(out, tuple):
            return wrap(out, u, B)
        parts = [wrap(o, u if i == 0 else ONE, B) for i, o in enumerate(out)]
        return type(out)(*parts) if hasattr(out, "_fields") else type(out)(parts)

    return f


def _ratio(B: Backend, out: Array, u: Unit, per: Unit) -> Quantity:
    unit, fold = u.quotient(per)
    return wrap(out if fold == 1.0 else scale(out, fold, B), unit, B)


def gradient(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``gradient(f, *varargs)``: unit of f over the unit of each spacing (or coordinate array)."""

    def f(x: Any, /, *varargs: Any, **kwargs: Any) -> Any:
        if kwargs:
            _, kwargs = options(B, name, (), kwargs)
        m, u = arg(B, x, name)
        spacing = [arg(B, v, name) for v in varargs]
        out = fn(strong(B, m), *(s for s, _ in spacing), **kwargs)
        units = [su for _, su in spacing] or [ONE]
        if not isinstance(out, (list, tuple)):
            return _ratio(B, out, u, units[0])
        units = units * len(out) if len(units) == 1 else units
        return type(out)(_ratio(B, o, u, su) for o, su in zip(out, units, strict=True))

    return f


def trapezoid(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``trapezoid(y, x=None, dx=1.0, axis=-1)``: unit of y times the unit of x (or of dx)."""

    def f(y: Any, /, x: Any = None, dx: Any = 1.0, axis: int = -1) -> Any:
        m, u = arg(B, y, name)
        if x is None:
            d, du = arg(B, dx, name)
            out = fn(strong(B, m), dx=d, axis=axis)
        else:
            d, du = arg(B, x, name)
            out = fn(strong(B, m), x=strong(B, d), axis=axis)
        unit, fold = u.product(du)
        return wrap(out if fold == 1.0 else scale(out, fold, B), unit, B)

    return f


def average(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``average``: the unit of a; weights in any unit; ``returned``: the sum of weights in theirs."""

    def f(a: Any, /, axis: Any = None, weights: Any = None, returned: bool = False, **kwargs: Any) -> Any:
        if kwargs:
            _, kwargs = options(B, name, (), kwargs)
        m, u = arg(B, a, name)
        w, wu = (None, ONE) if weights is None else array_arg(B, weights, name)
        out = fn(strong(B, m), axis=axis, weights=w, returned=returned, **kwargs)
        if returned:
            return type(out)((wrap(out[0], u, B), wrap(out[1], wu, B)))
        return wrap(out, u, B)

    return f


def interp(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``interp(x, xp, fp)``: xp and period in the unit of x; the result, left, right in that of fp."""

    def f(x: Any, xp: Any, fp: Any, /, left: Any = None, right: Any = None, period: Any = None) -> Any:
        m, u = arg(B, x, name)
        xm, xu = array_arg(B, xp, name)
        fm, fu = array_arg(B, fp, name)
        kwargs = {
            k: to_unit(B, v, fu, f"{name}({k}=...)") for k, v in (("left", left), ("right", right)) if v is not None
        }
        if period is not None:
            kwargs["period"] = to_unit(B, period, u, f"{name}(period=...)")
        xm = into(B, xm, xu, u, name)
        return wrap(fn(strong(B, m), xm, fm, **kwargs), fu, B)

    return f


def histogram(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``histogram``: counts dimensionless (weights': in their unit; density: per unit of a); the bin
    edges in the unit of a (bins given as values and range converted to it)."""

    def f(a: Any, /, bins: Any = 10, range: Any = None, density: Any = None, weights: Any = None) -> Any:
        m, u = arg(B, a, name)
        if not isinstance(bins, (int, str)):
            b, bu = array_arg(B, bins, name)
            bins = into(B, b, bu, u, f"{name}(bins=...)")
        kwargs: dict[str, Any] = {}
        if range is not None:
            lo, hi = (to_unit(B, v, u, f"{name}(range=...)") for v in range)
            kwargs["range"] = (lo, hi)
        elif B.lazy and isinstance(bins, int):  # a lazy histogram needs its range: the data's, lazily
            lo, hi = B.xp.min(m), B.xp.max(m)
            flat = lo == hi  # numpy widens an empty range by 0.5 on each side
            kwargs["range"] = (B.xp.where(flat, lo - 0.5, lo), B.xp.where(flat, hi + 0.5, hi))
        wu = ONE
        if weights is not None:
            kwargs["weights"], wu = array_arg(B, weights, name)
        if density is not None:
            kwargs["density"] = density
        counts, edges = fn(strong(B, m), bins, **kwargs)
        return wrap(counts, u**-1 if density else wu, B), wrap(edges, u, B)

    return f


def bincount(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``bincount(x, weights=None, minlength=0)``: dimensionless x; the counts in the unit of weights."""

    def f(x: Any, /, weights: Any = None, minlength: int = 0, **kwargs: Any) -> Any:
        if kwargs:
            _, kwargs = options(B, name, (), kwargs)
        i, iu = array_arg(B, x, name)
        w, wu = (None, ONE) if weights is None else array_arg(B, weights, name)
        return wrap(fn(dimensionless(i, iu, B, name), weights=w, minlength=minlength, **kwargs), wu, B)

    return f


def cov(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``cov`` (param 2: y converted to the unit of m, result in its square) and ``corrcoef`` (param 0:
    any units, dimensionless result); frequency weights dimensionless, analytic weights any unit."""
    assert isinstance(rule.param, Fraction)
    p = rule.param

    def f(m: Any, y: Any = None, /, *args: Any, **kwargs: Any) -> Any:
        weights = values_out(kwargs, ("aweights",))
        if args or kwargs:
            args, kwargs = options(B, name, args, kwargs)
        mm, u = array_arg(B, m, name)
        if p and u.dim is DIMENSIONLESS:
            mm, u = dimensionless(mm, u, B, name), ONE
        if y is not None:
            ym, yu = array_arg(B, y, name)
            y = into(B, ym, yu, u, name) if p else ym
        if "aweights" in weights:
            kwargs["aweights"] = array_arg(B, weights["aweights"], name)[0]
        return wrap(fn(mm, y, *args, **kwargs), u**p if p else ONE, B)

    return f


def allclose(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``allclose``, ``isclose``: b converted to the unit of a; rtol dimensionless; atol in the unit
    of a (a plain atol must be 0 unless a is dimensionless; by default 1e-8 in the unit of a)."""

    def f(a: Any, b: Any, /, rtol: Any = 1e-05, atol: Any = None, equal_nan: bool = False) -> Any:
        if type(a) is Quantity and type(b) is Quantity and a._u is b._u and a._b is B and b._b is B:
            m1, m2, u1 = a._m, b._m, a._u  # the hot path: one unit
        else:
            m1, u1 = arg(B, a, name)
            m2, u2 = arg(B, b, name)
            if u1 is not u2:
                m1, m2, u1, _ = same(name, m1, u1, B, m2, u2, B)
            m1, m2 = strong(B, m1), strong(B, m2)
        if type(rtol) is not float:
            rtol = index(B, rtol, f"{name}(rtol=...)")
        if atol is None and rtol == 1e-05 and not equal_nan:  # numpy's defaults: the backend's own
            q = _new(Quantity)
            q._m, q._u, q._b = fn(m1, m2), ONE, B
            return q
        atol = 1e-08 if atol is None else to_unit(B, atol, u1, f"{name}(atol=...)")
        if B.lazy and hasattr(atol, "shape"):  # dask's own would nest the graphs: the formula, lazily
            xp = B.xp
            close = (xp.abs(m1 - m2) <= atol + rtol * xp.abs(m2)) | (m1 == m2)  # == for equal infinities
            if equal_nan:
                close = close | (xp.isnan(m1) & xp.isnan(m2))
            return wrap(xp.all(close) if name == "allclose" else close, ONE, B)
        return wrap(fn(m1, m2, rtol=rtol, atol=atol, equal_nan=equal_nan), ONE, B)

    return f


def norm(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``linalg.norm``: the unit of x; ``ord=0`` counts the non-zero elements: dimensionless."""

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            args, kwargs = options(B, name, args, kwargs)
        m, u = arg(B, x, name)
        order = args[0] if args else kwargs.get("ord")
        unit = ONE if isinstance(order, (int, float)) and order == 0 else u
        return wrap(fn(strong(B, m), *args, **kwargs), unit, B)

    return f


def lstsq(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``linalg.lstsq(a, b)``: the solution in unit(b)/unit(a), residuals in unit(b)², the rank
    dimensionless, the singular values in unit(a)."""

    def f(a: Any, b: Any, /, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            args, kwargs = options(B, name, args, kwargs)
        (am, au), (bm, bu) = arg(B, a, name), arg(B, b, name)
        if au.dim is DIMENSIONLESS:
            am, au = dimensionless(am, au, B, name), ONE
        if bu.dim is DIMENSIONLESS:
            bm, bu = dimensionless(bm, bu, B, name), ONE
        solution, residuals, rank, sv = fn(strong(B, am), strong(B, bm), *args, **kwargs)
        return _ratio(B, solution, bu, au), wrap(residuals, bu**2, B), wrap(rank, ONE, B), wrap(sv, au, B)

    return f


def multi_dot(B: Backend, name: str, fn: Fn, rule: Rule) -> Fn:
    """``linalg.multi_dot(arrays)``: the product of the units of the arrays."""

    def f(arrays: Any, /, **kwargs: Any) -> Any:
        items = [arg(B, a, name) for a in arrays]
        unit, fold = ONE, 1.0
        for _, u in items:
            unit, f1 = unit.product(u)
            fold *= f1
        out = fn([strong(B, m) for m, _ in items], **kwargs)
        return wrap(out if fold == 1.0 else scale(out, fold, B), unit, B)

    return f


FACTORIES: dict[Kind, Factory] = {
    Kind.KEEP: keep,
    Kind.DIMENSIONLESS: dimensionless_,
    Kind.UNITLESS: unitless,
    Kind.POWER: power,
    Kind.BINARY: binary,
    Kind.POW: pow_,
    Kind.PROD: prod,
    Kind.VECTOR_NORM: vector_norm,
    Kind.DET: det,
    Kind.MATRIX_POWER: matrix_power,
    Kind.CLIP: clip,
    Kind.DIFF: diff,
    Kind.WHERE: where,
    Kind.TAKE: take,
    Kind.SEQUENCE: sequence,
    Kind.EACH: each,
    Kind.OUTPUTS: outputs,
    Kind.CREATION: creation,
    Kind.FULL: full,
    Kind.LIKE: like,
    Kind.RANGE: range_,
    Kind.ASARRAY: asarray,
    Kind.ASTYPE: astype,
    Kind.FROM_DLPACK: from_dlpack,
    Kind.FFTFREQ: fftfreq,
    Kind.PLAIN: plain,
    # -- matha --
    Kind.DEGREES: degrees,
    Kind.SAME_OUTPUTS: same_outputs,
    Kind.VALUES: values,
    Kind.CONVERT: convert_,
    Kind.EINSUM: einsum,
    Kind.EINOPS: einops,
    # -- brainunit's reductions, shapes, statistics, linalg, fft (mathb) --
    Kind.KEEP_VALUES: keep_values,
    Kind.MASKED: masked,
    Kind.CHOOSE: choose,
    Kind.SELECT: select,
    Kind.EACH_ONE: each_one,
    Kind.BLOCK: block,
    Kind.LEAD: lead,
    Kind.GRADIENT: gradient,
    Kind.TRAPEZOID: trapezoid,
    Kind.AVERAGE: average,
    Kind.INTERP: interp,
    Kind.HISTOGRAM: histogram,
    Kind.BINCOUNT: bincount,
    Kind.COV: cov,
    Kind.ALLCLOSE: allclose,
    Kind.NORM: norm,
    Kind.LSTSQ: lstsq,
    Kind.MULTI_DOT: multi_dot,
}
