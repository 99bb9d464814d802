"""NumPy's dispatch protocols on Quantity: ``__array_ufunc__`` (NEP 13) and ``__array_function__``
(NEP 18), answered from the rules table.

A NumPy callable is *declared* when its name is a key of ``RULES`` or ``MATH_RULES``
(``numpy.sin`` → ``sin``, ``numpy.arctan2`` → ``arctan2``, an alias of ``atan2``;
``numpy.linalg.norm`` → ``linalg.norm``): it is answered by the function of that key of the
unit-aware namespace of the quantity's own backend (``brainunit_xp.<backend>``), so the unit rule,
the conversions, the errors and the backend of the result are those of the namespace (NumPy's own
arrays among the arguments are taken onto that backend first).  The ufuncs
that Python operators follow (``numpy.add``: ``+``) with two inputs go through the operators, so
``numpy.add(a, b)`` is ``a + b`` (also what ``ndarray + Quantity`` calls).  Anything else — a NumPy
function without a rule, a ufunc method other than ``__call__``, ``reduce`` and ``accumulate`` of a
few ufuncs, an option without a counterpart — raises :class:`NoUnitRuleError` naming it: the unit
is never dropped silently.  Where every quantity among the arguments of an undeclared function or
ufunc method is dimensionless there is no unit to drop: NumPy computes on their plain numbers (what
``numpy.asarray`` gives, scaled units such as percent converted) and returns NumPy's result, as
before these protocols and as brainunit does.  ``numpy.shape``, ``ndim``, ``size``, ``iscomplexobj`` and ``isrealobj``
read metadata only and keep working.  The dispatch table (numpy callable → what answers it) is built
once per backend, on first use.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import math
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import _quantity  # a partly initialized module here: Quantity is read from it at call time
from ._backends import BACKENDS, Backend, select_backend
from ._errors import BackendError, DimensionMismatchError, NoUnitRuleError
from ._units import DIMENSIONLESS

if TYPE_CHECKING:
    import numpy as np

__all__ = ["array_function", "array_ufunc", "declared", "dispatch_table"]

Fn = Callable[..., Any]
_P = inspect.Parameter
_POSITIONAL = (_P.POSITIONAL_ONLY, _P.POSITIONAL_OR_KEYWORD)

#: the dunders (forward, reflected) of the operator symbols of the rules table
_DUNDERS = {
    "+": ("__add__", "__radd__"), "-": ("__sub__", "__rsub__"), "*": ("__mul__", "__rmul__"),
    "/": ("__truediv__", "__rtruediv__"), "//": ("__floordiv__", "__rfloordiv__"), "%": ("__mod__", "__rmod__"),
    "**": ("__pow__", "__rpow__"), "@": ("__matmul__", "__rmatmul__"), "&": ("__and__", "__rand__"),
    "|": ("__or__", "__ror__"), "^": ("__xor__", "__rxor__"), "<<": ("__lshift__", "__rlshift__"),
    ">>": ("__rshift__", "__rrshift__"), "<": ("__lt__", "__gt__"), "<=": ("__le__", "__ge__"),
    ">": ("__gt__", "__lt__"), ">=": ("__ge__", "__le__"), "==": ("__eq__", "__eq__"), "!=": ("__ne__", "__ne__"),
}  # fmt: skip
#: ``ufunc.reduce`` and ``ufunc.accumulate``: the table functions that compute them, first found wins
_REDUCE = {"add": ("sum",), "multiply": ("prod",), "maximum": ("max",), "minimum": ("min",),
           "fmax": ("nanmax",), "fmin": ("nanmin",), "logical_and": ("all",), "logical_or": ("any",)}  # fmt: skip
_ACCUMULATE = {"add": ("cumulative_sum", "cumsum"), "multiply": ("cumulative_prod", "cumprod")}
#: numpy's keyword names whose standard spelling differs (used only when the call does not bind as given)
_RENAMES = {"ddof": "correction", "a_min": "min", "a_max": "max"}
#: ufunc keywords accepted at their default values (anything else is refused)
_UFUNC_DEFAULTS: dict[str, Any] = {"where": True, "casting": "same_kind", "order": "K", "subok": True,
                                   "dtype": None, "signature": None}  # fmt: skip
#: functions that read only the shape or the dtype, which no unit changes
_METADATA = ("shape", "ndim", "size", "iscomplexobj", "isrealobj")


def _np() -> Any:
    """numpy, imported on first use (importing brainunit_xp does not import it)."""
    return sys.modules.get("numpy") or importlib.import_module("numpy")


def _numpy_callable(qualname: str) -> Any:
    """NumPy's callable of a table key (``linalg.norm``: ``numpy.linalg.norm``), if it dispatches."""
    np = _np()
    ext, _, short = qualname.rpartition(".")
    obj = getattr(getattr(np, ext, None) if ext else np, short, None)
    if isinstance(obj, np.ufunc) or hasattr(obj, "_implementation"):  # ufuncs and dispatching functions
        return obj
    return None


@functools.cache
def declared() -> dict[Any, str]:
    """Every NumPy ufunc and function that has a unit rule, with its key in the rules table: the
    key of the callable's own name (``numpy.transpose`` is ``transpose``, though ``numpy.permute_dims``
    is the same function), else the first key that names it."""
    from ._namespace import MATH_RULES, RULES  # the namespaces build on Quantity: imported on first use

    table = {**RULES, **MATH_RULES}
    out: dict[Any, str] = {}
    for qualname in table:
        obj = _numpy_callable(qualname)
        if obj is not None:
            ext = qualname.rpartition(".")[0]
            own = f"{ext}.{obj.__name__}" if ext else obj.__name__
            out.setdefault(obj, own if own in table else qualname)
    return out


_OPERATORS: dict[Any, tuple[Fn, Fn]] = {}


def _operators() -> dict[Any, tuple[Fn, Fn]]:
    """The ufuncs that binary operators follow, with Quantity's dunders (forward, reflected)."""
    from ._namespace import RULES

    if not _OPERATORS:
        found = {obj: RULES[q].operator for obj, q in declared().items() if q in RULES}
        Q = _quantity.Quantity
        _OPERATORS.update({o: (getattr(Q, _DUNDERS[s][0]), getattr(Q, _DUNDERS[s][1])) for o, s in found.items()
                           if s in _DUNDERS})  # fmt: skip
    return _OPERATORS


#: NumPy callable → for a ufunc, the namespace function; for a function, the handler
#: ``(args, kwargs) -> result`` that calls it (``None``: declared, but the backend has no such function)
_TABLES: dict[Backend, dict[Any, Fn | None]] = {}


def dispatch_table(b: Backend) -> dict[Any, Fn | None]:
    """The dispatch of backend ``b``: every declared NumPy callable with what answers it there.
    Built on first use, then cached."""
    table = _TABLES.get(b)
    if table is None:
        np, ns = _np(), b.namespace()
        table = {}
        for obj, qualname in declared().items():
            fn = _lookup(ns, qualname)
            table[obj] = fn if fn is None or isinstance(obj, np.ufunc) else _handler(b, obj, qualname, fn)
        table.update({getattr(np, name): _metadata(getattr(np, name)) for name in _METADATA})
        _TABLES[b] = table
    return table


def _lookup(ns: Any, qualname: str) -> Fn | None:
    ext, _, short = qualname.rpartition(".")
    return getattr(getattr(ns, ext, None) if ext else ns, short, None)


# -- the backend and the errors ------------------------------------------------------------------------


def _backend(q: Any, args: Any) -> Backend:
    """The quantity's own backend; a Python-number (weak) quantity: the selection rule over the
    other inputs (one backend among them, else the default)."""
    if q._b is not None:
        return q._b
    found: list[Backend] = []
    _quantity.scan_backends(args, found)
    return select_backend(*found)


_NUMPY = BACKENDS["numpy"]


def _dimensionless_only(x: Any) -> bool:
    """Is every quantity in ``x`` (in lists, tuples and dicts too) dimensionless?"""
    if isinstance(x, _quantity.Quantity):
        return x._u.dim is DIMENSIONLESS
    if type(x) in (list, tuple):
        return all(_dimensionless_only(item) for item in x)
    if type(x) is dict:
        return all(_dimensionless_only(item) for item in x.values())
    return True


def _plain(x: Any) -> Any:
    """``x`` with every (dimensionless) quantity replaced by its plain numbers, as ``numpy.asarray``."""
    if isinstance(x, _quantity.Quantity):
        return x.__array__()
    if type(x) in (list, tuple):
        return type(x)(_plain(item) for item in x)
    if type(x) is dict:
        return {k: _plain(v) for k, v in x.items()}
    return x


def _native(b: Backend, x: Any, what: str) -> Any:
    """NumPy's own arrays among the arguments (in lists and tuples too) as arrays of backend ``b``: a
    NumPy function takes them with a quantity of any backend.  NumPy scalars are left to the namespace
    function, which takes them as its own calls do (0, inf, nan unit-free); quantities and the arrays
    of other backends too (it refuses another backend)."""
    if isinstance(x, (list, tuple)):
        return type(x)(_native(b, item, what) for item in x) if type(x) in (list, tuple) else x
    if type(x) is _np().ndarray:
        return b.adopt(x, _NUMPY, what)
    return x


def _fix(b: Backend, qualname: str | None) -> str:
    """How to do it instead, for the messages."""
    there = f"use brainunit_xp.{b.name}.{qualname}, or " if qualname else ""
    return f"{there}convert to plain numbers with q.to_decimal(unit), compute, and attach the unit again"


def _no_rule(what: str, b: Backend, qualname: str | None = None, why: str = "has no unit rule") -> NoUnitRuleError:
    return NoUnitRuleError(
        f"{what} {why} in brainunit_xp, so it cannot take a Quantity without dropping its unit; {_fix(b, qualname)}"
    )


def _missing(what: str, b: Backend, qualname: str) -> BackendError:
    from ._namespace import provided

    have = [o.name for o in BACKENDS.values() if o.available and provided(o, qualname) is not None]
    return BackendError(
        f"{what}: brainunit_xp.{b.name} has no {qualname} (the backends that have it: {', '.join(have) or 'none'}); "
        f"convert the quantity first, e.g. with .to_{have[0] if have else 'numpy'}()"
    )


# -- arguments ------------------------------------------------------------------------------------------


@functools.cache
def _signature(fn: Fn) -> inspect.Signature | None:
    try:
        return inspect.signature(fn)
    except (TypeError, ValueError):
        return None


def _arguments(
    what: str, np_fn: Any, fn: Fn, qualname: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """NumPy's arguments for the namespace function: as given where they bind to its signature;
    otherwise matched by numpy's parameter names (``numpy.take(a, i, 0)``: ``take(a, i, axis=0)``)."""
    target = _signature(fn)
    if target is None:
        return args, kwargs
    params = target.parameters
    if any(k in _RENAMES and k not in params and _RENAMES[k] in params for k in kwargs):
        kwargs = {(_RENAMES[k] if k in _RENAMES and k not in params else k): v for k, v in kwargs.items()}
    try:
        target.bind(*args, **kwargs)
        return args, kwargs
    except TypeError:
        pass
    source = _signature(np_fn)
    try:
        bound = source.bind(*args, **kwargs) if source is not None else None
    except TypeError:
        bound = None
    if bound is None or any(p.kind is _P.VAR_POSITIONAL for p in source.parameters.values()):  # type: ignore[union-attr]
        return args, kwargs  # the namespace function says what is wrong
    slots = [p for p in params.values() if p.kind in _POSITIONAL]
    takes_any = any(p.kind is _P.VAR_KEYWORD for p in params.values())
    names = list(source.parameters)  # type: ignore[union-attr]
    positional: dict[int, Any] = {}
    keywords: dict[str, Any] = {}
    for name, value in bound.arguments.items():
        if source.parameters[name].kind is _P.VAR_KEYWORD:  # type: ignore[union-attr]
            keywords.update(value)
            continue
        new = _RENAMES.get(name, name) if name not in params else name
        p = params.get(new)
        i = names.index(name)
        if p is not None and p.kind is not _P.POSITIONAL_ONLY:
            keywords[new] = value
        elif i < len(slots) and (p is None or p is slots[i]):
            positional[i] = value
        elif takes_any:
            keywords[new] = value
        else:
            raise NoUnitRuleError(
                f"{what}: its argument {name}= has no counterpart in brainunit_xp's {qualname}{target}; "
                "call that function directly, or convert with q.to_decimal(unit) first"
            )
    if sorted(positional) != list(range(len(positional))):
        raise NoUnitRuleError(f"{what}: these arguments do not fit brainunit_xp's {qualname}{target}; call it directly")
    return tuple(positional[i] for i in range(len(positional))), keywords


# -- out= -----------------------------------------------------------------------------------------------

_KINDS = ("bool", "integral", "real floating", "complex floating")


def _kind(xp: Any, dtype: Any) -> int:
    return next((i for i, k in enumerate(_KINDS) if xp.isdtype(dtype, k)), len(_KINDS))


def _store(what: str, out: tuple[Any, ...], result: Any) -> Any:
    """``result`` written into the ``out=`` arrays, which are returned as numpy returns them: a
    Quantity takes it converted to its own unit; a plain NumPy array only a dimensionless one."""
    from ._conversion import dimensionless

    np, Quantity = _np(), _quantity.Quantity
    results = result if isinstance(result, tuple) else (result,)
    if len(results) != len(out):
        raise ValueError(f"{what}: out= needs {len(results)} arrays, got {len(out)}")
    for o, r in zip(out, results, strict=True):
        if o is None:
            continue
        rq = r if isinstance(r, Quantity) else Quantity(r)
        m, b = rq._strong()
        if isinstance(o, Quantity):
            if o.dim != rq.dim:
                raise DimensionMismatchError(
                    f"{what}: the result is in {str(rq.unit) or '1'!r}, which the out= quantity in "
                    f"{str(o.unit) or '1'!r} cannot hold; pass an out= quantity of the result's dimension, "
                    f"or leave out out="
                )
            target = o
        elif isinstance(o, np.ndarray):
            m = np.asarray(b.to_numpy(dimensionless(m, rq.unit, b, f"{what} with a plain out= array")))
            if tuple(o.shape) != tuple(m.shape) or not np.can_cast(m.dtype, o.dtype, casting="same_kind"):
                raise ValueError(f"{what}: the result ({m.dtype}, shape {m.shape}) does not fit out= "
                                 f"({o.dtype}, shape {o.shape})")  # fmt: skip
            o[...] = m
            continue
        else:
            raise NoUnitRuleError(f"{what}: out= must be a Quantity or a NumPy array, got {type(o).__name__}")
        if tuple(target.shape) != tuple(m.shape) or _kind(b.xp, m.dtype) > _kind(o._strong()[1].xp, target.dtype):
            raise ValueError(
                f"{what}: the result ({m.dtype}, shape {tuple(m.shape)}) does not fit out= ({target.dtype}, "
                f"shape {tuple(target.shape)})"
            )
        target[...] = rq
    return out[0] if len(out) == 1 else out


# -- the protocols --------------------------------------------------------------------------------------


def array_ufunc(q: Any, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
    """``Quantity.__array_ufunc__``: ``ufunc(*inputs)`` (or its ``reduce``/``accumulate``) by the
    function of the rules table of that name."""
    if method == "__call__" and len(inputs) == 2 and not kwargs:
        ops = (_OPERATORS or _operators()).get(ufunc)
        if ops is not None:  # numpy.add(a, b) is a + b: what ndarray + Quantity calls
            a, c = inputs
            r = ops[0](a, c) if isinstance(a, _quantity.Quantity) else ops[1](c, a)
            if r is not NotImplemented:
                return r
    name = ufunc.__name__
    b = _backend(q, inputs)
    what = f"numpy.{name}" if method == "__call__" else f"numpy.{name}.{method}"
    out = kwargs.pop("out", None)
    if method == "__call__":
        for k, v in kwargs.items():
            default = _UFUNC_DEFAULTS.get(k, _np()._NoValue)
            if v is not default and not (isinstance(v, str) and v == default):
                raise _no_rule(f"{what}(..., {k}={v!r})", b, declared().get(ufunc), why="has no counterpart")
        fn = dispatch_table(b).get(ufunc)
        if fn is None:
            qualname = declared().get(ufunc)
            if qualname is None and out is None and _dimensionless_only(inputs):
                return ufunc(*_plain(inputs), **kwargs)
            raise _no_rule(what, b) if qualname is None else _missing(what, b, qualname)
        result = fn(*(inputs if b is _NUMPY else _native(b, inputs, what)))
    elif method in ("reduce", "accumulate") and len(inputs) == 1:
        result = _reduction(what, b, name, method, inputs[0], kwargs)
    elif out is None and _dimensionless_only((inputs, kwargs)):
        return getattr(ufunc, method)(*_plain(inputs), **_plain(kwargs))
    else:
        raise _no_rule(what, b, None, why="(the ufunc method) has no unit rule")
    return result if out is None else _store(what, out, result)


def _reduction(what: str, b: Backend, name: str, method: str, x: Any, kwargs: dict[str, Any]) -> Any:
    no_value = _np()._NoValue
    names: tuple[str, ...] = (_REDUCE if method == "reduce" else _ACCUMULATE).get(name, ())
    ns = b.namespace()
    fn = next((f for f in (_lookup(ns, n) for n in names) if f is not None), None)
    if fn is None:
        raise _no_rule(what, b, None) if not names else _missing(what, b, names[-1])
    options: dict[str, Any] = {"axis": kwargs.pop("axis", 0)}
    for k, v in kwargs.items():
        if k == "keepdims" and method == "reduce":
            options[k] = v
        elif k == "dtype" and (v is None or name in ("add", "multiply")):
            if v is not None:
                options[k] = v
        elif k == "initial" and name in ("maximum", "minimum") and v is not no_value:
            options[k] = v
        elif not (k == "where" and v is True) and not (k == "initial" and v is no_value):
            raise _no_rule(f"{what}(..., {k}=...)", b, names[0], why="has no counterpart")
    if options["axis"] is None and method == "accumulate":
        raise ValueError(f"{what}: axis=None is not valid for accumulate (as in numpy)")
    return fn(x, **options)


def array_function(q: Any, func: Any, types: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``Quantity.__array_function__``: ``func(*args, **kwargs)`` by the function of the rules
    table of that name."""
    b = q._b or _backend(q, (args, tuple(kwargs.values())))
    handler = (_TABLES.get(b) or dispatch_table(b)).get(func, _NO_RULE)
    if handler is _NO_RULE:
        if _dimensionless_only((args, kwargs)):
            return func(*_plain(args), **_plain(kwargs))
        raise _no_rule(_public(func), b)
    if handler is None:
        raise _missing(_public(func), b, declared()[func])
    return handler(args, kwargs)


_NO_RULE: Any = object()


def _public(func: Any) -> str:
    module = func.__module__ if func.__module__ in ("numpy.linalg", "numpy.fft") else "numpy"
    return f"{module}.{func.__name__}"


def _handler(b: Backend, func: Any, qualname: str, fn: Fn) -> Fn:
    """``(args, kwargs) -> result``: NumPy's call of ``func`` answered by ``fn``, the namespace
    function; ``out=`` honoured by :func:`_store`, NumPy's argument forms by :func:`_arguments`."""
    what = _public(func)
    special = _SPECIAL.get(qualname)
    if special is not None:
        return functools.partial(special, fn, b)
    fits = _fits(fn)

    def handle(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        out = kwargs.pop("out", None) if "out" in kwargs else None
        if b is not _NUMPY:
            args, kwargs = _native(b, args, what), {k: _native(b, v, what) for k, v in kwargs.items()}
        if not fits(args, kwargs):
            args, kwargs = _arguments(what, func, fn, qualname, args, kwargs)
        result = fn(*args, **kwargs)
        return result if out is None else _store(what, out if isinstance(out, tuple) else (out,), result)

    return handle


def _fits(fn: Fn) -> Callable[[tuple[Any, ...], dict[str, Any]], bool]:
    """A quick test that a call binds to ``fn``'s signature as given (no numpy spelling to translate)."""
    sig = _signature(fn)
    if sig is None:
        return lambda args, kwargs: True
    params = sig.parameters.values()
    n = math.inf if any(p.kind is _P.VAR_POSITIONAL for p in params) else sum(p.kind in _POSITIONAL for p in params)
    names = {p.name for p in params if p.kind in (_P.POSITIONAL_OR_KEYWORD, _P.KEYWORD_ONLY)}
    any_keyword = any(p.kind is _P.VAR_KEYWORD for p in params)

    def fits(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        if len(args) > n:
            return False
        return all(k in names or (any_keyword and k not in _RENAMES) for k in kwargs) if kwargs else True

    return fits


def _metadata(func: Any) -> Fn:
    """``numpy.shape(q)`` is ``q.shape``; ``numpy.iscomplexobj(q)`` reads the dtype of the values."""
    name = func.__name__
    if name in ("iscomplexobj", "isrealobj"):

        def kind(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
            m, b = args[0]._strong()
            return bool(b.xp.isdtype(m.dtype, "complex floating")) is (name == "iscomplexobj")

        return kind
    return lambda args, kwargs: func._implementation(*args, **kwargs)


def _fill_diagonal(fn: Fn, b: Backend, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """numpy's ``fill_diagonal`` works in place and returns ``None``."""
    a = args[0]
    a[...] = fn(*args, **kwargs)


def _nan_to_num(fn: Fn, b: Backend, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """numpy's ``nan_to_num(x, copy=False)`` works in place."""
    params = ("x", "copy", "nan", "posinf", "neginf")
    given = {**dict(zip(params, args, strict=False)), **kwargs}
    x, copy = given.pop("x"), given.pop("copy", True)
    r = fn(x, **given)
    if copy:
        return r
    x[...] = r
    return x


def _where(fn: Fn, b: Backend, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """numpy's one-argument ``where(condition)`` is ``nonzero(condition)``."""
    if len(args) == 1 and not kwargs:
        return b.namespace().nonzero(args[0])
    return fn(*args, **kwargs)


#: declared functions whose numpy semantics need an adapter (in place, or another form)
_SPECIAL: dict[str, Callable[[Fn, Backend, tuple[Any, ...], dict[str, Any]], Any]] = {
    "fill_diagonal": _fill_diagonal,
    "nan_to_num": _nan_to_num,
    "where": _where,
}
