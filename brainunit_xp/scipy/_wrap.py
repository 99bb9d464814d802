"""Builds the unit-aware wrappers of ``brainunit_xp.scipy`` from the rules table ``_table.py``.

A wrapper binds its arguments to scipy's signature, reads the unit of each parameter as the rule
says (the input's unit U, a factor's unit, values converted to U, plain numbers that must be
dimensionless), hands scipy numpy arrays (through the backend record's ``to_numpy``: a lazy dask
array is not computed behind the caller's back, a symbolic ndonnx value is refused), and wraps
what scipy returns, as arrays of the input's backend, in the unit the rule's kind makes.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
import types
from collections.abc import Callable
from typing import Any

import numpy as np
from array_api_compat import device as _device
from array_api_compat import to_device as _to_device

from .._backends import Backend, backend_of, default_backend, select_backend
from .._conversion import convert, dimensionless, unit_free
from .._errors import BackendError, DimensionMismatchError, UnitError
from .._namespace.factories import common
from .._quantity import Quantity, unpack, wrap
from .._units import DIMENSIONLESS, FREE, ONE, Unit, get_unit
from ._table import RULES, Kind, Out, Rule

__all__ = ["build", "populate"]

_OUTPUT = ("out", "output")  # scipy writes into an array given here: refused, the result is returned


def _signature(fn: Any) -> inspect.Signature:
    """scipy's signature; a ufunc's positional parameters get the names of its docstring
    (``huber(delta, r, out=None)``)."""
    sig = inspect.signature(fn)
    if not isinstance(fn, np.ufunc):
        return sig
    first = (fn.__doc__ or "").strip().partition("\n")[0]
    match = re.match(r"\w+\(([^)]*)\)", first)
    names = [n.strip() for n in match.group(1).split(",")][: fn.nin] if match else []
    if len(names) != fn.nin or not all(n.isidentifier() for n in names):
        return sig
    params = list(sig.parameters.values())
    renamed = [p.replace(name=n) for p, n in zip(params[: fn.nin], names, strict=True)]
    return sig.replace(parameters=renamed + params[fn.nin :])


def _numpy(m: Any, b: Backend | None, op: str) -> Any:
    """A mantissa as numpy values for scipy (a Python number stays as it is)."""
    if b is None:
        return m
    b.require_values(m, op)
    v = b.to_numpy(m)
    return v if getattr(getattr(v, "flags", None), "writeable", True) else v.copy()  # scipy's buffers write


def _place(B: Backend, value: Any, like: Any, op: str) -> Any:
    """scipy's numpy result as an array of backend ``B`` (on the device of ``like``, where ``B``
    has devices)."""
    value = np.asarray(value)
    if not value.flags.c_contiguous:  # torch takes no negative strides
        value = value.copy()
    try:
        out = B.from_numpy(B, value)
    except (TypeError, ValueError) as exc:  # ndonnx has no complex dtypes
        raise BackendError(
            f"{op}: the {B.name} backend cannot hold scipy's {value.dtype} result ({exc}); convert the input "
            f"to another backend first, e.g. q.to_numpy()"
        ) from None
    if "device" in B.options and like is not None and B.is_array(like):
        out = _to_device(out, _device(like))
    return out


def _backend(x: Any) -> Backend | None:
    """The backend of a Quantity or array (``None``: a Python number, or not an array)."""
    if isinstance(x, Quantity):
        return x._b
    try:
        return backend_of(x)
    except BackendError:
        return None


def _describe(u: Unit) -> str:
    return f"{u.name!r} ({u.dim.describe()})" if u is not ONE else "a plain number (dimensionless)"


class _Call:
    """One call of a wrapper: converts the arguments and remembers the input's backend and units."""

    def __init__(self, op: str, rule: Rule, B: Backend, unit: Unit, input_name: str) -> None:
        self.op, self.rule, self.B, self.unit, self.input_name = op, rule, B, unit, input_name

    def array(self, x: Any, where: str) -> tuple[Any, Unit]:
        """``(numpy values in x's own unit, x's unit)``; lists and tuples of numbers pass through."""
        if isinstance(x, (list, tuple)) and any(isinstance(i, Quantity) for i in x):
            items = [self.array(i, where) for i in x]
            units = {u for _, u in items}
            if len(units) > 1:
                raise DimensionMismatchError(f"{self.op}: the items of {where} have different units {units}")
            return type(x)(m for m, _ in items), items[0][1]
        if isinstance(x, Quantity) or _backend(x) is not None:
            m, u, b = unpack(x)
            return _numpy(m, b, self.op), u
        return x, ONE

    def to(self, x: Any, unit: Unit, where: str) -> Any:
        """``x`` converted to ``unit`` as numpy values (the Python numbers 0, inf, nan in any unit)."""
        if isinstance(x, (list, tuple)):
            return type(x)(self.to(i, unit, where) for i in x)
        if x is None or (not isinstance(x, Quantity) and _backend(x) is None and not isinstance(x, (int, float))):
            return x
        m, u, b = unpack(x)
        if not (u is unit or u is FREE or (u is ONE and unit_free(m))):
            if u.dim is not unit.dim:
                raise self.mismatch(u, unit, where)
            m = convert(m, u, unit, b, self.op)
        return _numpy(m, b, self.op)

    def mismatch(self, got: Unit, unit: Unit, where: str) -> DimensionMismatchError:
        """The error for ``where`` given in ``got`` where ``unit`` (U, or U squared) is needed."""
        if unit.dim is DIMENSIONLESS:
            return DimensionMismatchError(
                f"{self.op}: {where} must be dimensionless here, as {self.input_name} is (a plain number, or not "
                f"given); got {_describe(got)}. "
                f"Give {self.input_name} in a unit of that dimension too, or {where} as a plain number"
            )
        hint = "; for a flat structuring element, pass footprint= instead" if where == "structure" else ""
        return DimensionMismatchError(
            f"{self.op}: {where} must be in the unit of {self.input_name} ({unit.name}, {unit.dim.describe()}); "
            f"got {_describe(got)}. Give it as a quantity of that dimension, e.g. {where}=0.5 * {unit.name}"
            + ("" if got is ONE else ", or check the physics")
            + hint
        )

    def plain(self, x: Any, where: str) -> Any:
        """A dimensionless argument (positions, labels, coefficients) as numpy values."""
        if isinstance(x, (list, tuple)):
            return type(x)(self.plain(i, where) for i in x)
        if not isinstance(x, Quantity) and _backend(x) is None:
            return x  # strings, None, callables, dtypes, Python numbers
        m, u, b = unpack(x)
        return _numpy(dimensionless(m, u, b, f"{self.op}({where}=...)"), b, self.op)

    def degrees(self, x: Any, where: str) -> Any:
        """An angle in degrees: a plain number is degrees, an angle unit is converted."""
        if not isinstance(x, Quantity) or x._u is ONE or x._u is FREE:
            return self.plain(x, where)
        m, u, b = unpack(x)
        if u.dim is not DIMENSIONLESS:
            dimensionless(m, u, b, f"{self.op}({where}=...)")  # raises, naming the unit and the fix
        degree = get_unit("degree")
        assert degree is not None
        return _numpy(convert(m, u, degree, b, self.op), b, self.op)

    def wrap(self, value: Any, out: Out, unit: Unit, like: Any) -> Any:
        """One output of scipy in the unit ``out`` spells."""
        if out is Out.PLAIN or value is None:
            return value
        if isinstance(value, tuple):  # (y, zf) of lfilter: each array in the unit
            return tuple(self.wrap(v, out, unit, like) for v in value)
        return wrap(_place(self.B, value, like, self.op), unit if out is Out.RESULT else ONE, self.B)


def _result_unit(rule: Rule, U: Unit, factor: Unit, arguments: dict[str, Any], op: str) -> Unit:
    kind = rule.kind
    if kind is Kind.POWER:
        return U if rule.power == 1 else U**rule.power
    if kind is Kind.PRODUCT:
        return U * factor
    if kind is Kind.DERIVATIVE:
        deriv = arguments.get("deriv", 0)
        if type(deriv) is not int:
            m, u, b = unpack(deriv)
            deriv = int(np.asarray(_numpy(dimensionless(m, u, b, f"{op}(deriv=...)"), b, op)))
        return U if deriv == 0 else U / factor**deriv
    return ONE


def _check_frequency(u: Unit, op: str) -> None:
    second = get_unit("second")
    assert second is not None
    if u.dim is not DIMENSIONLESS and (u * second).dim is not DIMENSIONLESS:
        raise UnitError(
            f"{op}: fs must be a sampling frequency, got unit {u.name!r} ({u.dim.describe()}); give it in "
            f"a frequency unit, e.g. fs=1000 * Hz, with the frequencies in a unit of the same dimension"
        )


def build(qualname: str, rule: Rule, fn: Callable[..., Any], module: str) -> Callable[..., Any]:
    """The unit-aware wrapper of scipy's ``fn`` (``qualname``: ``"ndimage.gaussian_filter"``)."""
    sig = _signature(fn)
    params = sig.parameters
    input_name = rule.input if rule.input in params else next(iter(params))
    op = f"brainunit_xp.scipy.{qualname}"
    blockwise = isinstance(fn, np.ufunc) and rule.kind is Kind.DIMENSIONLESS
    var_kw = next((n for n, p in params.items() if p.kind is inspect.Parameter.VAR_KEYWORD), None)

    @functools.wraps(fn)
    def f(*args: Any, **kwargs: Any) -> Any:
        bound = sig.bind(*args, **kwargs)
        arguments = dict(bound.arguments)
        extra = arguments.pop(var_kw, {}) if var_kw else {}
        arguments.update(extra)
        x = arguments.get(input_name)
        found = [_backend(v) for v in arguments.values()]
        B = _backend(x) or (select_backend(*found) if any(found) else default_backend())
        # the unit of the input, shared with the values converted to it (0, inf, nan take any unit)
        if isinstance(x, Quantity) or _backend(x) is not None:
            xm, xu, _ = unpack(x)
        else:
            xm, xu = x, ONE
        same = [unpack(arguments[n])[:2] for n in rule.same if isinstance(arguments.get(n), Quantity)]
        U = common([(xm, xu), *same]) if xu is FREE or (xu is ONE and unit_free(xm)) else xu
        if rule.kind is Kind.DESIGN:
            _check_frequency(U, op)
        call = _Call(op, rule, B, U, input_name)
        factor = ONE
        for name in rule.factor:
            if arguments.get(name) is not None:
                arguments[name], factor = call.array(arguments[name], name)
                break
        unit = _result_unit(rule, U, factor, arguments, op)
        lazy = None
        for name, value in arguments.items():
            if name in rule.factor:
                continue
            if name == input_name and rule.kind is not Kind.DIMENSIONLESS:
                if not (isinstance(value, Quantity) or _backend(value) is not None):
                    continue
                arguments[name] = _numpy(*unpack(value)[::2], op)
            elif name in _OUTPUT and value is not None and (isinstance(value, Quantity) or _backend(value)):
                raise UnitError(
                    f"{op}: {name}= must be a dtype or None; an output array cannot take the result's unit. "
                    f"Use the returned Quantity instead"
                )
            elif name in rule.same:
                arguments[name] = call.to(value, U, name)
            elif name in rule.squared:
                arguments[name] = call.to(value, U**2, name)
            elif name in rule.result:
                arguments[name] = call.to(value, unit, name)
            elif name in rule.angles:
                arguments[name] = call.degrees(value, name)
            elif blockwise and B.map_blocks is not None and _backend(value) is B and B.lazy and lazy is None:
                m, u, b = unpack(value)
                lazy = name
                arguments[name] = dimensionless(m, u, b, f"{op}({name}=...)")  # stays lazy
            else:
                arguments[name] = call.plain(value, name)
        if lazy is not None and sum(_backend(v) is not None for v in arguments.values()) == 1:
            return wrap(_blockwise(B, fn, sig, arguments, lazy), ONE, B)
        if lazy is not None:
            arguments[lazy] = _numpy(arguments[lazy], B, op)
        bound.arguments.clear()
        bound.arguments.update({k: v for k, v in arguments.items() if k not in extra})
        if var_kw and extra:
            bound.arguments[var_kw] = {k: arguments[k] for k in extra}
        result = fn(*bound.args, **bound.kwargs)
        like = unpack(x)[0] if isinstance(x, Quantity) else x
        if isinstance(rule.out, tuple):
            return tuple(call.wrap(v, o, unit, like) for v, o in zip(result, rule.out, strict=True))
        return call.wrap(result, rule.out, unit, like)

    f.__signature__ = sig  # type: ignore[attr-defined]
    f.__module__ = module
    f.__doc__ = (
        f"``scipy.{qualname}`` with units (scipy's parameters; see its documentation).\n\nUnit rule: {rule.unit}.\n"
    )
    return f


def _blockwise(B: Backend, fn: Any, sig: inspect.Signature, arguments: dict[str, Any], lazy: str) -> Any:
    """A ufunc of one lazy array applied block by block (no values computed now); integer blocks
    are computed in floating point, and each block keeps the input's dtype."""
    a = arguments[lazy]
    kind = getattr(a.dtype, "kind", "f")
    if kind not in "fc":
        a = B.xp.astype(a, B.xp.float64)

    def block(v: Any) -> Any:
        bound = sig.bind_partial()
        bound.arguments.update({**arguments, lazy: v})
        return np.asarray(fn(*bound.args, **bound.kwargs)).astype(v.dtype, copy=False)

    assert B.map_blocks is not None
    return B.map_blocks(block, a)


def populate(module: types.ModuleType, sub: str) -> None:
    """Fill ``brainunit_xp.scipy.<sub>`` with a wrapper for every function of the table in
    ``scipy.<sub>`` (the functions this scipy lacks are left out)."""
    scipy_module = importlib.import_module(f"scipy.{sub}")
    names = []
    for qualname, rule in RULES.items():
        ext, _, short = qualname.partition(".")
        fn = getattr(scipy_module, short, None) if ext == sub else None
        if fn is not None:
            setattr(module, short, build(qualname, rule, fn, module.__name__))
            names.append(short)
    module.__all__ = sorted(names)  # type: ignore[attr-defined]
