"""brainunit's decorators: ``check_dims`` and ``check_units`` check the arguments and the result
of a function, ``assign_units`` strips declared units from the arguments and gives the result
its unit.

Specifications, per argument name (``result`` for the return value):

- a Dimension (``check_dims``) or a Unit: the value must have it (``check_units`` wants the very
  unit: ``mV`` does not pass for ``V``; ``check_dims`` takes a Unit as its dimension);
- ``1``: a unitless value; ``bool``: a Python ``bool``; ``None``: anything;
- a string: the same dimension (unit) as the argument of that name;
- for ``result``, also a callable of the arguments' dimensions (units), and tuples, lists and
  dicts of specifications for functions that return several values; there ``None`` stands for
  a ``None`` returned (``assign_units``: for a value left as it is).

``None`` and string *values* of arguments are not checked (defaults, names).  The checks use only
units, which are static under ``jax.jit``, so decorated functions can be jitted.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from ._custom_array import maybe_custom_array
from ._errors import DimensionMismatchError, UnitMismatchError
from ._getters import (
    UnitTypeError,
    get_dim,
    get_dim_for_display,
    get_unit,
    has_same_unit,
    have_same_dim,
)
from ._quantity import Quantity
from ._units import DIMENSIONLESS, ONE, Dimension, Unit

__all__ = ["assign_units", "check_dims", "check_units"]

_META = ["_arg_units", "_arg_names", "_return_unit", "_orig_func", "_returns_bool"]


def _arg_names(f: Callable[..., Any]) -> tuple[str, ...]:
    names = getattr(f, "_orig_arg_names", None)
    if names is not None:
        return tuple(names)
    code = getattr(f, "__code__", None)
    if code is not None:
        return tuple(code.co_varnames[: code.co_argcount])
    params = inspect.signature(f).parameters.values()
    return tuple(p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


def _name(f: Callable[..., Any]) -> str:
    return getattr(f, "__name__", type(f).__name__)


def _call_result_spec(fun: Callable[..., Any], getter: Callable[[Any], Any], args: tuple, kwds: dict) -> Any:
    """A ``result=`` callable applied to the units (dimensions) of the call's arguments; keyword
    arguments are passed only where it accepts them."""
    vals = [getter(a) for a in args]
    try:
        params = inspect.signature(fun).parameters
    except (TypeError, ValueError):
        return fun(*vals)
    any_kw = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    return fun(*vals, **{k: getter(v) for k, v in kwds.items() if any_kw or k in params})


def _is_result_callable(spec: Any) -> bool:
    return callable(spec) and spec is not bool and not isinstance(spec, (Unit, Dimension, type))


def _same_structure(spec: Any, value: Any) -> bool:
    if isinstance(spec, (tuple, list)):
        return (
            type(value) is type(spec)
            and len(value) == len(spec)
            and all(_same_structure(s, v) for s, v in zip(spec, value, strict=True))
        )
    if isinstance(spec, dict):
        return (
            isinstance(value, dict)
            and value.keys() == spec.keys()
            and all(_same_structure(spec[k], value[k]) for k in spec)
        )
    return value is None if spec is None else not isinstance(value, (tuple, list, dict)) and value is not None


def _leaves(spec: Any, value: Any) -> list[tuple[Any, Any]]:
    if isinstance(spec, (tuple, list)):
        return [pair for s, v in zip(spec, value, strict=True) for pair in _leaves(s, v)]
    if isinstance(spec, dict):
        return [pair for k in spec for pair in _leaves(spec[k], value[k])]
    return [(spec, value)]


def _is_bool(value: Any) -> bool:
    """A Python bool, or a unitless array (Quantity) of booleans, as comparisons return."""
    if isinstance(value, bool):
        return True
    value = maybe_custom_array(value)
    if isinstance(value, Quantity) and not value.unit.is_one:
        return False
    dtype = getattr(value, "dtype", None)
    return dtype is not None and "bool" in str(dtype)


def _make_checker(au: dict[str, Any], by_unit: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    kind = "unit" if by_unit else "dimension"
    same: Callable[[Any, Any], bool] = has_same_unit if by_unit else have_same_dim
    error: type[UnitMismatchError] = UnitMismatchError if by_unit else DimensionMismatchError

    def describe(x: Any) -> str:
        return str(get_unit(x)) if by_unit else get_dim_for_display(x)

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        names = _arg_names(f)
        fname = _name(f)
        sig_defaults: dict[str, Any] = {}
        try:
            for p in inspect.signature(f).parameters.values():
                if p.default is not inspect.Parameter.empty and p.name in au:
                    sig_defaults[p.name] = p.default
        except (TypeError, ValueError):
            pass

        def check_argument(k: str, value: Any, values: dict[str, Any]) -> None:
            spec = au[k]
            if spec is None or value is None or isinstance(value, str):
                return
            if spec is bool:
                if not isinstance(value, bool):
                    raise TypeError(f"Function '{fname}' expected a boolean value for argument '{k}' but got '{value}'")
                return
            if isinstance(spec, str):
                if spec not in values:
                    raise TypeError(
                        f"Function '{fname}' expected its argument to have the same {kind}s as argument "
                        f"'{spec}', but there is no argument of that name"
                    )
                other = values[spec]
                if not same(value, other):
                    raise error(
                        f"Function '{fname}' expected the argument '{k}' to have the same {kind}s as argument "
                        f"'{spec}', but argument '{k}' has {kind} {describe(value)}, while argument '{spec}' "
                        f"has {kind} {describe(other)}"
                    )
                return
            if not same(value, spec):
                expected = str(spec) if isinstance(spec, (Unit, Dimension)) else repr(spec)
                raise error(
                    f"Function '{fname}' expected a value with {kind} {expected} for argument '{k}' but got '{value}'",
                    get_unit(value) if by_unit else get_dim(value),
                )

        def check_result(result: Any, args: tuple, kwds: dict) -> None:
            spec = au["result"]
            if _is_result_callable(spec):
                spec = _call_result_spec(spec, get_unit if by_unit else get_dim, args, kwds)
            if not _same_structure(spec, result):
                raise TypeError(f"Function '{fname}': expected a return value of type {spec!r} but got {result!r}")
            for s, v in _leaves(spec, result):
                if s is None:
                    continue
                if s is bool:
                    if not _is_bool(v):
                        raise TypeError(
                            f"The return value of function '{fname}' was expected to be a boolean but was {v!r}"
                        )
                    continue
                if not same(v, s):
                    raise error(
                        f"The return value of function '{fname}' was expected to have {kind} {describe(s)} but got "
                        f"{kind} {describe(v)} (value: {v!r})",
                        *((get_unit(s), get_unit(v)) if by_unit else (get_dim(v),)),
                    )

        def _as_checked(n: str, v: Any) -> Any:
            v = maybe_custom_array(v)
            if isinstance(v, (Quantity, str, bool)) or v is None:
                return v
            try:
                return Quantity(v)  # e.g. a Python list of values
            except TypeError:
                raise TypeError(f"Function '{fname}': argument '{n}' is not an array or a number: {v!r}") from None

        @functools.wraps(f)
        def wrapper(*args: Any, **kwds: Any) -> Any:
            values: dict[str, Any] = dict(kwds)
            for n, arg in zip(names, args, strict=False):
                values[n] = _as_checked(n, arg) if n in au else arg
            for n, v in sig_defaults.items():
                values.setdefault(n, v)  # a default that breaks the specification does not slip through
            for k, v in values.items():
                if k in au and k != "result":
                    check_argument(k, maybe_custom_array(v), values)
            result = f(*args, **kwds)
            if "result" in au:
                check_result(result, args, kwds)
            return result

        _annotate(wrapper, f, names, au)
        return wrapper

    return decorate


def _annotate(wrapper: Any, f: Callable[..., Any], names: tuple[str, ...], au: dict[str, Any]) -> None:
    """brainunit's metadata on the wrapper (``_arg_names``, ``_arg_units``, ``_return_unit``, …)."""
    for attr in getattr(f, "_annotation_attributes", []):
        setattr(wrapper, attr, getattr(f, attr))
    wrapper._orig_func = f
    wrapper._arg_names = names
    wrapper._orig_arg_names = names
    wrapper._arg_units = [au.get(n) for n in names]
    wrapper._return_unit = au.get("result")
    wrapper._returns_bool = au.get("result") is bool
    wrapper._annotation_attributes = [*getattr(f, "_annotation_attributes", []), *_META]


def check_dims(**au: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Check the dimensions of a function's arguments (and ``result``) on every call.

    >>> import brainunit_xp as u
    >>> @u.check_dims(I=u.amp.dim, R=u.ohm.dim, result=u.volt.dim)
    ... def voltage(I, R):
    ...     return I * R
    >>> print(voltage(2 * u.mA, 3 * u.kohm))
    6 mA * kohm

    Raises :class:`~brainunit_xp.DimensionMismatchError` naming the function and the argument, or
    ``TypeError`` for a non-``bool`` where ``bool`` is declared.
    """
    return _make_checker(au, by_unit=False)


def check_units(**au: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Check the units of a function's arguments (and ``result``) on every call: the very unit,
    scale included (``1 * mV`` does not pass for ``volt``; use :func:`check_dims` for that).

    Raises :class:`~brainunit_xp.UnitMismatchError` naming the function and the argument, or
    ``TypeError`` for a non-``bool`` where ``bool`` is declared.
    """
    return _make_checker(au, by_unit=True)


def _strip(fname: str, n: str, spec: Any, v: Any) -> Any:
    """The value of argument ``n`` without its unit, as ``assign_units`` passes it."""
    if spec is None:
        return v
    if spec is bool:
        if isinstance(v, bool):
            return v
        raise TypeError(f"Function '{fname}' expected a boolean value for argument '{n}' but got '{v}'")
    if isinstance(spec, Unit):
        v = maybe_custom_array(v)
        if isinstance(v, Quantity):
            return v.to_value(spec)  # raises DimensionMismatchError (a UnitMismatchError) for others
        raise UnitTypeError(
            f"Function '{fname}' expected a Quantity for argument '{n}' but got '{v}'; pass it with its unit, "
            f"e.g. value * {spec}"
        )
    if not isinstance(spec, (Dimension, str)) and spec == 1:
        v = maybe_custom_array(v)
        if isinstance(v, Quantity):
            if v.dim is not DIMENSIONLESS:
                raise UnitTypeError(f"Function '{fname}' expected a number (unitless) for argument '{n}' but got '{v}'")
            return v.to_value(ONE)  # dimensionless Quantities (comparisons, ratios) pass as numbers
        return v
    raise TypeError(
        f"Function '{fname}' expected a target unit object or a Number, boolean object for checking, but got '{spec}'"
    )


def _strip_tree(fname: str, n: str, spec: Any, v: Any) -> Any:
    if isinstance(spec, (tuple, list, dict)):
        if not _same_structure(spec, v):
            raise TypeError(
                f"For argument '{n}', we expect the input type with the structure like {spec!r}, but we got {v!r}"
            )
        if isinstance(spec, dict):
            return {k: _strip_tree(fname, n, spec[k], v[k]) for k in spec}
        return type(v)(_strip_tree(fname, n, s, x) for s, x in zip(spec, v, strict=True))
    if isinstance(v, (tuple, list, dict)) and spec is not None:
        raise TypeError(
            f"For argument '{n}', we expect the input type with the structure like {spec!r}, but we got {v!r}"
        )
    return _strip(fname, n, spec, v)


def _assign(spec: Any, value: Any) -> Any:
    if isinstance(spec, (tuple, list)):
        return type(value)(_assign(s, v) for s, v in zip(spec, value, strict=True))
    if isinstance(spec, dict):
        return {k: _assign(spec[k], value[k]) for k in spec}
    if spec is None or spec is bool:
        return value
    return Quantity(value, spec)


def _assign_structure(spec: Any, value: Any) -> bool:
    """Like :func:`_same_structure`, but ``None`` in the specification matches any value."""
    if spec is None:
        return True
    if isinstance(spec, (tuple, list)):
        return (
            type(value) is type(spec)
            and len(value) == len(spec)
            and all(_assign_structure(s, v) for s, v in zip(spec, value, strict=True))
        )
    if isinstance(spec, dict):
        return (
            isinstance(value, dict)
            and value.keys() == spec.keys()
            and all(_assign_structure(spec[k], value[k]) for k in spec)
        )
    return not isinstance(value, (tuple, list, dict))


def _declared_unit(au: dict[str, Any], names: tuple[str, ...], args: tuple, kwds: dict) -> tuple[list, dict]:
    """The units a ``result=`` callable of ``assign_units`` sees: the declared unit of an argument
    (the function got its values in that unit), else the argument's own unit."""

    def unit_of(n: str | None, v: Any) -> Any:
        spec = au.get(n) if n is not None else None
        return spec if isinstance(spec, Unit) else get_unit(v)

    pos = [unit_of(names[i] if i < len(names) else None, v) for i, v in enumerate(args)]
    return pos, {k: unit_of(k, v) for k, v in kwds.items()}


class _Missing:
    pass


_missing: Any = _Missing()


def assign_units(f: Callable[..., Any] = _missing, **au: Any) -> Any:
    """Strip the declared units from the arguments and give the result its declared unit.

    An argument declared with a Unit must be a Quantity of that dimension: the function gets its
    values in the declared unit; ``1`` passes numbers (and dimensionless Quantities, as plain
    values); ``bool`` passes a Python ``bool``; tuples, lists and dicts of specifications match
    arguments of that structure.  ``result`` is a Unit (or a structure of them, ``None`` leaving
    a value as it is, or a callable of the argument units): the return values become Quantities
    of that unit.  ``.without_result_units(...)`` calls with the arguments stripped, returning the
    plain result.

    >>> import brainunit_xp as u
    >>> @u.assign_units(I=u.amp, R=u.ohm, result=u.volt)
    ... def voltage(I, R):
    ...     return I * R
    >>> print(voltage(2 * u.mA, 3 * u.kohm))
    6.0 V
    """
    if f is _missing:
        return functools.partial(assign_units, **au)
    names = _arg_names(f)
    fname = _name(f)

    def strip(args: tuple, kwds: dict) -> tuple[list, dict]:
        pos = [
            _strip_tree(fname, names[i], au[names[i]], v) if i < len(names) and names[i] in au else v
            for i, v in enumerate(args)
        ]
        return pos, {k: _strip_tree(fname, k, au[k], v) if k in au else v for k, v in kwds.items()}

    @functools.wraps(f)
    def wrapper(*args: Any, **kwds: Any) -> Any:
        pos, kw = strip(args, kwds)
        result = f(*pos, **kw)
        if "result" not in au:
            return result
        spec = au["result"]
        if _is_result_callable(spec):
            units, kw_units = _declared_unit(au, names, args, kwds)
            spec = _call_result_spec(au["result"], lambda x: x, tuple(units), kw_units)
        if not _assign_structure(spec, result):
            raise TypeError(
                f"Function '{fname}': expected a return value of the structure {spec!r}, but got {result!r}"
            )
        return _assign(spec, result)

    def without_result_units(*args: Any, **kwds: Any) -> Any:
        pos, kw = strip(args, kwds)
        return f(*pos, **kw)

    wrapper.without_result_units = without_result_units  # type: ignore[attr-defined]
    return wrapper
