"""``Quantity.at[key]``: functional indexed updates with units, on every backend (brainunit's and
jax's ``x.at[idx].set(y)`` family).

Every update returns a new Quantity and leaves the original alone.  The unit rules:

- ``set``, ``add``, ``subtract``, ``min``, ``max``: the value is converted to the quantity's unit
  (a Python 0, inf or nan passes in any unit); the result keeps that unit;
- ``multiply``, ``divide``: the value is a dimensionless factor (its scale folded in); the unit
  stays, since a partial update cannot give some elements another unit;
- ``power``: only for a dimensionless quantity (the exponent dimensionless too), for the same
  reason;
- ``apply(func)``: ``func`` maps the mantissa (values in the quantity's unit) to new values in it;
- ``get``: ``q[key]``, with jax's out-of-bound ``mode`` and a ``fill_value`` in the quantity's unit.

How each backend computes it (the mantissa level, :func:`scatter`): jax with its own ``.at``; numpy
and cupy copy and update with the ufunc's ``.at`` (repeated indices accumulate, as in jax); the
other backends copy and write ``out[key] = op(out[key], value)`` (repeated indices: the last write
wins), and where a backend cannot assign through an integer-array index (array_api_strict, ndonnx)
the update of a 1-D integer index is written with ``where`` over a one-hot match instead.  Jax's
``mode`` (``"clip"``, ``"drop"``, ``"fill"``, ``"promise_in_bounds"``) is emulated on the other
backends for an integer or 1-D integer-array index; ``indices_are_sorted`` and ``unique_indices``
are hints that only jax uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._backends import Backend, backend_of, refuses_concrete, to_numpy
from ._conversion import convert, dimensionless, unit_free
from ._errors import BackendError, BackendNotImplementedError, UnitError
from ._units import DIMENSIONLESS, FREE, ONE, Unit

if TYPE_CHECKING:
    from ._quantity import Quantity

__all__ = ["IndexUpdateHelper", "IndexUpdateRef", "backend_key", "gather", "scatter", "take_along"]

#: the updates of ``.at[key]`` (jax's names), and numpy's ufunc doing each where it has one
_UFUNCS = {"add": "add", "subtract": "subtract", "multiply": "multiply", "divide": "divide",
           "power": "power", "min": "minimum", "max": "maximum"}  # fmt: skip
#: backends probed for ``x[integer_array] = v`` (array_api_strict and ndonnx refuse it)
_FANCY_SETITEM: dict[str, bool] = {}
_MODES = (None, "promise_in_bounds", "clip", "drop", "fill")


class IndexUpdateHelper:
    """``q.at``: index it (``q.at[key]``) to get the updates of those elements."""

    __slots__ = ("_q",)

    def __init__(self, q: Quantity) -> None:
        self._q = q

    def __getitem__(self, key: Any) -> IndexUpdateRef:
        return IndexUpdateRef(self._q, key)

    def __repr__(self) -> str:
        return f"_IndexUpdateHelper({self._q!r})"


class IndexUpdateRef:
    """``q.at[key]``: each method returns a new Quantity with the update applied at ``key``."""

    __slots__ = ("_key", "_q")

    def __init__(self, q: Quantity, key: Any) -> None:
        self._q = q
        self._key = key

    def __repr__(self) -> str:
        return f"_IndexUpdateRef({self._q!r}, {self._key!r})"

    def _run(self, op: str, value: Any, unit: Unit, hints: dict[str, Any]) -> Quantity:
        from ._quantity import wrap

        m, b = self._q._strong()
        return wrap(scatter(b, m, self._key, op, value, **hints), unit, b)

    def _same(self, op: str, values: Any, hints: dict[str, Any]) -> Quantity:
        """An update whose values are in the quantity's unit (a unit-free quantity takes theirs)."""
        q, name = self._q, f"at[...].{op}"
        vm, vu, vb = _unpack(values, q._b)
        unit = q._u
        if not (vu is unit or vu is FREE or (vu is ONE and unit_free(vm))):
            if unit is FREE:
                unit = vu  # a unit-free array (zeros, a nan buffer) takes the unit of what it receives
            else:
                vm = convert(vm, vu, unit, vb, name)
        return self._run(op, vm, unit, hints)

    def _factor(self, op: str, values: Any, hints: dict[str, Any]) -> Quantity:
        vm, vu, vb = _unpack(values, self._q._b)
        if vu.dim is not DIMENSIONLESS:
            raise _type_error(
                f"at[...].{op}: needs a dimensionless factor, got unit {vu.name!r} ({vu.dim.describe()}); "
                f"an update of some elements cannot change the unit of the array. Use q {_SYMBOL[op]} value "
                f"for the whole array, or divide the value by its unit first"
            )
        return self._run(op, dimensionless(vm, vu, vb, f"at[...].{op}"), self._q._u, hints)

    def get(
        self,
        *,
        indices_are_sorted: bool = False,
        unique_indices: bool = False,
        mode: str | None = None,
        fill_value: Any = None,
    ) -> Quantity:
        """``q[key]``; ``mode="fill"`` gives ``fill_value`` (in the quantity's unit; default NaN
        for floats) where an index is out of bounds, ``"clip"`` clamps the indices."""
        from ._quantity import wrap

        q = self._q
        m, b = q._strong()
        if fill_value is not None:
            fm, fu, fb = _unpack(fill_value, b)
            if not (fu is q._u or fu is FREE or (fu is ONE and unit_free(fm))):
                fm = convert(fm, fu, q._u, fb, "at[...].get")
            fill_value = fm
        out = gather(
            b, m, self._key, mode, fill_value, indices_are_sorted=indices_are_sorted, unique_indices=unique_indices
        )
        return wrap(out, q._u, b)

    def set(
        self, values: Any, *, indices_are_sorted: bool = False, unique_indices: bool = False, mode: str | None = None
    ) -> Quantity:
        """``x[key] = values`` as a new Quantity; ``values`` converted to the quantity's unit."""
        return self._same("set", values, _hints(indices_are_sorted, unique_indices, mode))

    def add(
        self, values: Any, *, indices_are_sorted: bool = False, unique_indices: bool = False, mode: str | None = None
    ) -> Quantity:
        """``x[key] += values`` as a new Quantity; ``values`` converted to the quantity's unit."""
        return self._same("add", values, _hints(indices_are_sorted, unique_indices, mode))

    def subtract(
        self, values: Any, *, indices_are_sorted: bool = False, unique_indices: bool = False, mode: str | None = None
    ) -> Quantity:
        """``x[key] -= values`` as a new Quantity; ``values`` converted to the quantity's unit."""
        return self._same("subtract", values, _hints(indices_are_sorted, unique_indices, mode))

    def min(
        self, values: Any, *, indices_are_sorted: bool = False, unique_indices: bool = False, mode: str | None = None
    ) -> Quantity:
        """``x[key] = minimum(x[key], values)`` as a new Quantity (values in the quantity's unit)."""
        return self._same("min", values, _hints(indices_are_sorted, unique_indices, mode))

    def max(
        self, values: Any, *, indices_are_sorted: bool = False, unique_indices: bool = False, mode: str | None = None
    ) -> Quantity:
        """``x[key] = maximum(x[key], values)`` as a new Quantity (values in the quantity's unit)."""
        return self._same("max", values, _hints(indices_are_sorted, unique_indices, mode))

    def multiply(
        self, values: Any, *, indices_are_sorted: bool = False, unique_indices: bool = False, mode: str | None = None
    ) -> Quantity:
        """``x[key] *= values`` as a new Quantity; ``values`` a dimensionless factor."""
        return self._factor("multiply", values, _hints(indices_are_sorted, unique_indices, mode))

    def divide(
        self, values: Any, *, indices_are_sorted: bool = False, unique_indices: bool = False, mode: str | None = None
    ) -> Quantity:
        """``x[key] /= values`` as a new Quantity; ``values`` a dimensionless factor."""
        return self._factor("divide", values, _hints(indices_are_sorted, unique_indices, mode))

    mul = multiply
    div = divide

    def power(
        self, values: Any, *, indices_are_sorted: bool = False, unique_indices: bool = False, mode: str | None = None
    ) -> Quantity:
        """``x[key] **= values`` as a new Quantity; only for a dimensionless quantity (a power of some
        elements would give them another unit)."""
        q = self._q
        if q._u.dim is not DIMENSIONLESS:
            if type(values) is int and values == 1:
                return self._run("power", 1, q._u, _hints(indices_are_sorted, unique_indices, mode))
            raise _type_error(
                f"at[...].power: a power of some elements cannot change the unit of the array (in {q._u.name!r}); "
                f"use q ** p for the whole array, or make it dimensionless first (q / unit)"
            )
        m, b = q._strong()
        base = dimensionless(m, q._u, b, "at[...].power")
        vm, vu, vb = _unpack(values, b)
        p = dimensionless(vm, vu, vb, "at[...].power")
        from ._quantity import wrap

        return wrap(scatter(b, base, self._key, "power", p, **_hints(indices_are_sorted, unique_indices, mode)), ONE, b)

    def apply(
        self,
        func: Callable[[Any], Any],
        unit_fun: Callable[[Unit], Unit] | None = None,
        *,
        indices_are_sorted: bool = False,
        unique_indices: bool = False,
        mode: str | None = None,
    ) -> Quantity:
        """``x[key] = func(x[key])`` as a new Quantity: ``func`` maps mantissas (values in the
        quantity's unit) to mantissas in it; ``unit_fun``, if given, must keep the unit."""
        if unit_fun is not None and unit_fun(self._q._u) != self._q._u:
            raise _type_error(
                f"at[...].apply: unit_fun turns {self._q._u.name!r} into {unit_fun(self._q._u).name!r}; an update "
                f"of some elements cannot change the unit of the array"
            )
        return self._run("apply", func, self._q._u, _hints(indices_are_sorted, unique_indices, mode))


_SYMBOL = {"multiply": "*", "divide": "/"}


def _type_error(message: str) -> UnitError:
    """One of our UnitErrors that is also a ``TypeError``, as brainunit raises here."""
    from ._getters import UnitTypeError

    return UnitTypeError(message)


def _hints(indices_are_sorted: bool, unique_indices: bool, mode: str | None) -> dict[str, Any]:
    if mode not in _MODES:
        raise ValueError(f"at[...]: mode must be one of {', '.join(map(repr, _MODES))}; got {mode!r}")
    return {"indices_are_sorted": indices_are_sorted, "unique_indices": unique_indices, "mode": mode}


def _unpack(values: Any, target: Backend | None) -> tuple[Any, Unit, Backend | None]:
    """``(mantissa, unit, backend)`` of an update's values; a list becomes an array of ``target``."""
    from ._quantity import Quantity, unpack

    if isinstance(values, (list, tuple)):
        values = Quantity(values)
        if target is not None and values._b is not target:
            values = values.to_backend(target)
    m, u, b = unpack(values)
    if b is not None and target is not None and b is not target:
        m, b = target.asarray(m), target
    return m, u, b


# -- the mantissa level -----------------------------------------------------------------------------


def backend_key(b: Backend, key: Any, ndim: int | None = None) -> Any:
    """An indexing key for arrays of ``b``: dimensionless Quantities become mantissas, lists and
    arrays of other backends become arrays of ``b``; a key of basic indices shorter than ``ndim``
    gets a trailing ``...`` (array_api_strict and ndonnx want every axis accounted for)."""
    from ._quantity import index_key

    key = index_key(key)
    entries = key if type(key) is tuple else (key,)
    entries = tuple(_entry(b, k) for k in entries)
    basic = all(k is None or isinstance(k, (int, slice)) for k in entries)
    if ndim is not None and basic and sum(k is not None for k in entries) < ndim:
        return (*entries, ...)
    return entries if type(key) is tuple else entries[0]


def _entry(b: Backend, k: Any) -> Any:
    """One entry of a key as an index of ``b``: lists and numpy arrays become arrays of ``b`` —
    except on a lazy backend (dask), whose indexing knows its result's shape only from concrete
    (numpy) indices."""
    import numpy as np

    if isinstance(k, list):
        k = np.asarray(k)
    if k is None or isinstance(k, (int, slice)) or k is Ellipsis:
        return k
    try:
        kb = backend_of(k)
    except BackendError:
        return k
    if kb is None or kb is b or (b.lazy and isinstance(k, np.ndarray)):
        return k
    return b.asarray(k)


def _take(b: Backend, x: Any, idx: Any, axis: int) -> Any:
    """``take(x, idx, axis)``; on a lazy backend by indexing (its ``take`` of an index array loses
    the result's shape)."""
    idx = _entry(b, idx)
    if b.lazy:
        return x[(slice(None),) * axis + (idx,)]
    return b.xp.take(x, idx, axis=axis)


def _simple(key: Any) -> bool:
    """An integer or a 1-D integer index (a list, or an array of any backend): the indices whose
    ``mode`` is emulated."""
    if isinstance(key, int) and not isinstance(key, bool):
        return True
    if isinstance(key, list):
        import numpy as np

        key = np.asarray(key)
    return getattr(key, "ndim", None) == 1 and _integral(key)


def _integral(key: Any) -> bool:
    """Is ``key`` an integer array (of any backend)?"""
    dt = getattr(key, "dtype", None)
    if dt is None:
        return False
    kind = getattr(dt, "kind", None)
    if isinstance(kind, str):
        return kind in "iu"
    kb = backend_of(key)
    return kb is not None and bool(kb.xp.isdtype(dt, "integral"))


def _lazy(key: Any) -> bool:
    """Is ``key`` an array of a lazy backend (whose values cannot be read without computing)?"""
    if isinstance(key, (int, list)):
        return False
    kb = backend_of(key)
    return kb is not None and refuses_concrete(kb)


def _integer_vector(b: Backend, key: Any) -> bool:
    """Is ``key`` a 1-D integer array of ``b`` (it indexes axis 0)?"""
    dt = getattr(key, "dtype", None)
    if dt is None or getattr(key, "ndim", None) != 1:
        return False
    return bool(b.xp.isdtype(dt, "integral"))


def _normalized(key: Any, n: int, mode: str | None, op: str) -> tuple[Any, Any]:
    """``(indices in [0, n), in-bounds mask or None)`` of a simple index under jax's ``mode``:
    negative indices count from the end; ``"clip"`` clamps the rest, otherwise the mask tells
    which were in bounds.  Computed on concrete values (numpy)."""
    import numpy as np

    if not isinstance(key, (int, list)):
        kb = backend_of(key)
        if kb is not None and refuses_concrete(kb):
            raise BackendError(
                f"{op}: mode={mode!r} needs the values of the indices, and this {kb.name} index is lazy; "
                f"pass the indices as a numpy array or a list"
            )
        key = to_numpy(key)
    idx = np.asarray(key)
    idx = np.where(idx < 0, idx + n, idx)
    if mode == "clip":
        return np.clip(idx, 0, max(n - 1, 0)), None
    valid = (idx >= 0) & (idx < n)
    return np.where(valid, idx, 0), valid


def _fancy_setitem(b: Backend) -> bool:
    """Can arrays of ``b`` be assigned through an integer-array index?  (Probed once.)"""
    ok = _FANCY_SETITEM.get(b.name)
    if ok is None:
        xp = b.xp
        try:
            probe = xp.zeros(2)
            probe[xp.asarray([1])] = 1.0
            ok = True
        except (IndexError, TypeError, NotImplementedError):
            ok = False
        _FANCY_SETITEM[b.name] = ok
    return ok


def _ufunc_at(b: Backend, op: str) -> Any:
    """numpy's (cupy's) ufunc for ``op`` when it updates in place with ``.at``, else ``None``."""
    name = _UFUNCS.get(op)
    if name is None or b.numpy_like is None or b.lazy or not b.mutable:
        return None
    ufunc = getattr(importlib.import_module(b.numpy_like), name, None)
    return ufunc if hasattr(ufunc, "at") else None


def _combine(xp: Any, op: str, cur: Any, value: Any) -> Any:
    if op == "set":
        return value
    if op == "apply":
        return value(cur)
    if op == "min":
        return xp.minimum(cur, _like(xp, value, cur))
    if op == "max":
        return xp.maximum(cur, _like(xp, value, cur))
    if op == "add":
        return cur + value
    if op == "subtract":
        return cur - value
    if op == "multiply":
        return cur * value
    if op == "divide":
        return cur / value
    return cur**value  # power


def _like(xp: Any, value: Any, ref: Any) -> Any:
    """A Python number as an array of ``ref``'s dtype (array arguments of the standard's functions)."""
    return xp.asarray(value, dtype=ref.dtype) if isinstance(value, (int, float, complex)) else value


def scatter(
    b: Backend,
    m: Any,
    key: Any,
    op: str,
    value: Any,
    *,
    indices_are_sorted: bool = False,
    unique_indices: bool = False,
    mode: str | None = None,
) -> Any:
    """A new array: ``m`` with ``op`` (``set``, ``add``, ... ``apply``) applied at ``key``."""
    from ._quantity import index_key

    if not b.mutable and hasattr(m, "at"):  # jax: its own functional update
        hints = {"indices_are_sorted": indices_are_sorted, "unique_indices": unique_indices, "mode": mode}
        return getattr(m.at[backend_key(b, key)], op)(value, **hints)
    xp = b.xp
    if op != "apply" and getattr(value, "dtype", m.dtype) != m.dtype:
        value = xp.astype(value, m.dtype)  # as jax does: the values take the array's dtype
    key = index_key(key)
    flat = _flat_key(key)
    if flat is not None:  # an n-d integer array picks rows: the same update through its 1-D ravel
        if op != "apply" and getattr(value, "ndim", 0) > 0:
            value = xp.reshape(xp.broadcast_to(value, (*key.shape, *m.shape[1:])), (-1, *m.shape[1:]))
        return scatter(
            b, m, flat, op, value, indices_are_sorted=indices_are_sorted, unique_indices=unique_indices, mode=mode
        )
    if _simple(key) and (mode is not None or not _lazy(key)):  # jax's rules; by default, drop
        safe, valid = _normalized(key, int(m.shape[0]), "clip" if mode == "clip" else "drop", f"at[...].{op}")
        if valid is not None and not valid.all():
            if valid.ndim == 0:
                return xp.asarray(m, copy=True)  # an out-of-bounds integer: nothing to update
            value = _subset(b, value, valid, len(valid))
            safe = safe[valid]
        key = int(safe) if safe.ndim == 0 else safe
    key = backend_key(b, key, m.ndim)
    _check_lazy_key(b, key, f"at[...].{op}")
    out = xp.asarray(m, copy=True)
    ufunc = _ufunc_at(b, op)
    if ufunc is not None:  # numpy, cupy: repeated indices accumulate, as in jax
        ufunc.at(out, key, value)
        return out
    if _integer_vector(b, key):
        if not _fancy_setitem(b):
            return _one_hot(xp, out, key, op, value)
        if op in ("add", "subtract") and hasattr(out, "index_put_"):  # torch: repeated indices accumulate
            v = xp.broadcast_to(xp.asarray(value, dtype=out.dtype), (int(key.shape[0]), *out.shape[1:]))
            out.index_put_((key,), v if op == "add" else -v, accumulate=True)
            return out
        out[key] = _combine(xp, op, _take(b, out, key, 0), value)
        return out
    if _full_mask(b, key, out) and op != "set" and getattr(value, "ndim", 0) == 0:
        return xp.where(key, _combine(xp, op, out, value), out)  # lazy-friendly: no boolean gather
    out[key] = _combine(xp, op, None if op == "set" else out[key], value)
    return out


def _flat_key(key: Any) -> Any:
    """The 1-D ravel of ``key`` where it is one integer array of two or more dimensions (which
    indexes axis 0, as in numpy), else ``None``."""
    if isinstance(key, list):
        import numpy as np

        key = np.asarray(key)
    if getattr(key, "ndim", 0) < 2 or not _integral(key):
        return None
    kb = backend_of(key)
    return None if kb is None else kb.xp.reshape(key, (-1,))


def _check_lazy_key(b: Backend, key: Any, op: str) -> None:
    """Raise our error where a lazy backend (dask) cannot index with ``key``: dask takes at most
    one integer array per index, and only a 1-D one (a lone n-d one is raveled before)."""
    if not b.lazy:
        return
    ints = [k for k in (key if type(key) is tuple else (key,)) if _integral(k)]
    if len(ints) > 1 or any(k.ndim != 1 for k in ints):
        shapes = ", ".join(str(tuple(k.shape)) for k in ints)
        raise BackendNotImplementedError(
            f"{op}: the {b.name} backend cannot index with integer arrays of shape {shapes} (it takes at "
            f"most one 1-D integer array per index); index with one 1-D integer array, or convert "
            f"first with .to_numpy() (or .to_jax()) and back with .to_dask()"
        )


def _full_mask(b: Backend, key: Any, out: Any) -> bool:
    dt = getattr(key, "dtype", None)
    return dt is not None and dt == b.xp.bool and tuple(key.shape) == tuple(out.shape)


def _subset(b: Backend, value: Any, valid: Any, k: int) -> Any:
    """The values of the in-bounds indices (values given per index along axis 0; others broadcast)."""
    if getattr(value, "ndim", 0) >= 1 and value.shape[0] == k:
        return _take(b, value, valid.nonzero()[0], 0)
    return value


def _one_hot(xp: Any, out: Any, idx: Any, op: str, value: Any) -> Any:
    """``op`` at the 1-D integer index ``idx`` (in bounds) written with ``where`` over the one-hot
    match of ``idx`` against the positions of axis 0 (backends that cannot assign through an
    integer array).  Repeated indices accumulate, as in jax; ``set`` keeps the last write."""
    n, k, rest = int(out.shape[0]), int(idx.shape[0]), tuple(out.shape[1:])
    tail = (1,) * len(rest)
    idx = xp.where(idx < 0, idx + n, idx)
    hit = xp.reshape(idx, (k, 1, *tail)) == xp.reshape(xp.arange(n, dtype=idx.dtype), (1, n, *tail))
    touched = xp.any(hit, axis=0)
    if op == "apply":
        return xp.where(touched, value(out), out)
    v = value if hasattr(value, "shape") else xp.asarray(value, dtype=out.dtype)
    v = xp.reshape(xp.broadcast_to(v, (k, *rest)), (k, 1, *rest))
    if op == "set":
        order = xp.reshape(xp.arange(1, k + 1, dtype=idx.dtype), (k, 1, *tail))
        last = xp.max(xp.where(hit, order, 0), axis=0)
        pick = hit & (order == last)
        new = xp.sum(xp.where(pick, v, xp.zeros_like(v)), axis=0)
    elif op in ("add", "subtract"):
        total = xp.sum(xp.where(hit, v, xp.zeros_like(v)), axis=0)
        new = out + total if op == "add" else out - total
    elif op in ("multiply", "divide", "power"):
        factor = xp.prod(xp.where(hit, v, xp.ones_like(v)), axis=0)
        new = out * factor if op == "multiply" else out / factor if op == "divide" else out**factor
    else:  # min, max: the extreme of the values met, then against the array's own
        pad = xp.asarray(_identity_pad(xp, v.dtype, high=op == "min"), dtype=v.dtype)
        met = (xp.min if op == "min" else xp.max)(xp.where(hit, v, pad), axis=0)
        new = (xp.minimum if op == "min" else xp.maximum)(out, met)
    return xp.astype(xp.where(touched, new, out), out.dtype)


def gather(
    b: Backend,
    m: Any,
    key: Any,
    mode: str | None,
    fill_value: Any,
    *,
    indices_are_sorted: bool = False,
    unique_indices: bool = False,
) -> Any:
    """``m[key]`` under jax's out-of-bound ``mode`` (``fill_value``: a mantissa, or ``None``)."""
    if mode not in _MODES:
        raise ValueError(f"at[...].get: mode must be one of {', '.join(map(repr, _MODES))}; got {mode!r}")
    if not b.mutable and hasattr(m, "at"):
        hints = {"indices_are_sorted": indices_are_sorted, "unique_indices": unique_indices}
        return m.at[backend_key(b, key)].get(mode=mode, fill_value=fill_value, **hints)
    from ._quantity import index_key

    key = index_key(key)
    flat = _flat_key(key)
    if flat is not None:  # an n-d integer array picks rows: gathered through its 1-D ravel
        out = gather(b, m, flat, mode, fill_value)
        return b.xp.reshape(out, (*key.shape, *m.shape[1:]))
    if _simple(key):  # jax's rules: by default and for "clip", indices are clamped into bounds
        return take_along(b, m, key, 0, "fill" if mode in ("fill", "drop") else "promise_in_bounds", fill_value)
    key = backend_key(b, key, m.ndim)
    _check_lazy_key(b, key, "at[...].get")
    if _integer_vector(b, key):
        return _take(b, m, key, 0)  # ndonnx cannot index with an integer array
    return m[key]


def take_along(b: Backend, m: Any, indices: Any, axis: int, mode: str | None, fill_value: Any = None) -> Any:
    """``take(m, indices, axis)`` with an out-of-bound ``mode``: numpy's ``"raise"`` (``None``:
    negative indices count from the end, the backend decides about the rest), ``"wrap"``,
    ``"clip"`` (clamped to ``[0, n)``, negative indices to 0 — numpy's rule) and jax's ``"fill"``
    / ``"drop"`` (``fill_value`` where out of bounds, default NaN for floats) and
    ``"promise_in_bounds"`` (negative indices from the end, the rest clamped).  Concrete indices
    (numbers, lists, numpy arrays) are worked out with numpy, arrays of the backend with it."""
    import numpy as np

    from ._quantity import index_key

    xp = b.xp
    n = int(m.shape[axis])
    idx = index_key(indices)
    idx = np.asarray(idx) if isinstance(idx, (int, list, np.ndarray)) else _entry(b, idx)
    ops: Any = np if isinstance(idx, np.ndarray) else xp
    if n == 0 and mode in ("clip", "fill", "drop", "promise_in_bounds"):  # every index is out of bounds
        fill = _default_fill(xp, m.dtype) if fill_value is None else fill_value
        return xp.full((*m.shape[:axis], *idx.shape, *m.shape[axis + 1 :]), fill, dtype=m.dtype)
    valid = None
    if mode == "wrap":
        idx = idx % n
    elif mode == "clip":
        idx = ops.clip(idx, 0, max(n - 1, 0))
    else:
        idx = ops.where(idx < 0, idx + n, idx)
        if mode == "promise_in_bounds":
            idx = ops.clip(idx, 0, max(n - 1, 0))
        elif mode in ("fill", "drop"):
            valid = (idx >= 0) & (idx < n)
            idx = ops.where(valid, idx, 0)
        elif mode not in (None, "raise"):
            modes = ", ".join(map(repr, ("raise", "wrap", "clip", *_MODES[1:])))
            raise ValueError(f"take: mode must be one of {modes}; got {mode!r}")
    shape = tuple(idx.shape)
    out = _take(b, m, ops.reshape(idx, (-1,)), axis)
    if valid is not None:
        fill = _default_fill(xp, m.dtype) if fill_value is None else fill_value
        mask = ops.reshape(valid, (1,) * axis + (-1,) + (1,) * (m.ndim - axis - 1))
        out = xp.where(xp.asarray(mask) if ops is np else mask, out, xp.asarray(fill, dtype=m.dtype))
    return xp.reshape(out, (*m.shape[:axis], *shape, *m.shape[axis + 1 :]))


def _default_fill(xp: Any, dtype: Any) -> Any:
    """jax's out-of-bound fill: NaN for floats, the smallest signed / largest unsigned integer,
    ``True`` for booleans."""
    if dtype == xp.bool:
        return True
    if xp.isdtype(dtype, ("real floating", "complex floating")):
        return float("nan")
    info = xp.iinfo(dtype)
    return info.min if info.min < 0 else info.max


def _identity_pad(xp: Any, dtype: Any, high: bool) -> Any:
    """A value that never wins a ``min`` (``high``) or a ``max`` against values of ``dtype``."""
    if xp.isdtype(dtype, ("real floating", "complex floating")):
        return float("inf") if high else float("-inf")
    if dtype == xp.bool:
        return high
    info = xp.iinfo(dtype)
    return info.max if high else info.min
