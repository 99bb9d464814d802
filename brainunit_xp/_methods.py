"""brainunit's (numpy's) array methods of Quantity: ``q.sum(axis=0)``, ``q.reshape(2, 3)``,
``q.argsort()``, ``q.at[...]``... — a mixin base class of :class:`Quantity`, like the operators.

Each method calls the function of this quantity's unit-aware namespace, so it shares that
function's unit rule: brainunit's numpy-named function (``cumsum``) where the backend's namespace
has it, otherwise a composition of the standard's functions (``cumulative_sum`` of the flattened
array for ``axis=None``).  Signatures are numpy's methods' (``q.sum(axis=0, keepdims=True)``,
``q.transpose(1, 0)``); where brainunit's method differs from numpy's it is brainunit's (``sort``
and ``fill`` update in place and return the quantity, ``item`` and ``tolist`` of a quantity with
units give quantities).
"""

from __future__ import annotations

import importlib
import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from ._at import IndexUpdateHelper, take_along
from ._backends import backend_of, refuses_concrete, select_backend
from ._conversion import convert, dimensionless, mismatch, unit_free
from ._errors import BackendError, UnitError, UnitTypeError
from ._units import DIMENSIONLESS, FREE, ONE

if TYPE_CHECKING:
    from ._backends import Backend
    from ._quantity import Quantity
    from ._types import Array
    from ._units import Dimension, Unit

__all__ = ["ArrayMethods"]

Axis = int | Sequence[int] | None


def _axis(axis: Axis) -> int | tuple[int, ...] | None:
    return axis if axis is None or isinstance(axis, int) else tuple(axis)


def _no_out(op: str, out: Any) -> None:
    if out is not None:
        raise TypeError(f"{op}: out= is not supported (a Quantity's result is a new Quantity); assign the result")


def _shape(args: tuple[Any, ...]) -> tuple[int, ...]:
    """numpy's ``reshape(2, 3)`` / ``reshape((2, 3))`` / ``reshape(6)``."""
    if len(args) == 1 and not isinstance(args[0], int):
        return tuple(int(s) for s in args[0])
    return tuple(int(s) for s in args)


def _unit_free(v: Any) -> bool:
    return type(v) in (int, float) and unit_free(v)


def _dtype(b: Backend, dtype: Any) -> Any:
    """``dtype`` as the backend's own (numpy dtypes and names work on every backend: torch's
    ``float32`` for ``np.float32``)."""
    if dtype is None:
        return None
    import numpy as np

    try:
        name = np.dtype(dtype).name
    except TypeError:
        return dtype  # already the backend's own (torch, ndonnx)
    for module in (b.xp, importlib.import_module(b.module)):
        found = getattr(module, name, None)
        if found is not None:
            return found
    return dtype


class ArrayMethods:
    """The numpy-style methods of :class:`Quantity` (its base class)."""

    __slots__ = ()

    if TYPE_CHECKING:  # what the methods use of the class (brainunit_xp/_quantity.py)
        _m: Array
        _u: Unit
        _b: Backend | None

        def __array_namespace__(self, /, *, api_version: str | None = None) -> Any: ...
        def _assign(self, other: Quantity) -> None: ...
        def _strong(self) -> tuple[Array, Backend]: ...
        def __setitem__(self, key: Any, value: Any) -> None: ...
        def __getitem__(self, key: Any) -> Quantity: ...
        def __iter__(self) -> Iterator[Quantity]: ...
        def __pow__(self, other: Any) -> Quantity: ...
        def to_device(self, device: Any, /, *, stream: Any = None) -> Quantity: ...
        @property
        def shape(self) -> tuple[int | None, ...]: ...
        @property
        def ndim(self) -> int: ...
        @property
        def dtype(self) -> Any: ...
        @property
        def dim(self) -> Dimension: ...

    # -- helpers ----------------------------------------------------------------------------------
    def _ns(self) -> Any:
        return self.__array_namespace__()

    def _brainunit(self, name: str) -> Callable[..., Any] | None:
        """brainunit's numpy-named function ``name`` of this quantity's namespace, where its
        backend has one (the methods compose the standard's functions otherwise)."""
        return getattr(self.__array_namespace__(), name, None)

    def _wrap(self, m: Any) -> Quantity:
        from ._quantity import wrap

        return wrap(m, self._u, self._strong()[1])

    def _in_my_unit(self, value: Any, op: str) -> Quantity:
        """``value`` as a Quantity of this backend in this quantity's unit (0, inf, nan: any unit)."""
        from ._quantity import unpack, wrap

        ns = self._ns()
        if isinstance(value, (list, tuple)):
            value = ns.asarray(value)
        vm, vu, vb = unpack(value)
        if not (vu is self._u or vu is FREE or (vu is ONE and unit_free(vm)) or self._u is FREE):
            vm = convert(vm, vu, self._u, vb, op)
        b = self._strong()[1]
        if vb is not None and vb is not b:
            vm = b.asarray(vm)
        return wrap(vm, self._u if self._u is not FREE else vu, b)

    def _operand(self, other: Any) -> Any:
        """A value that goes into this quantity (a bound, a query, a factor): lists and Python
        numbers as arrays of this backend, arrays and quantities of other backends moved to it."""
        from ._quantity import Quantity

        b = self._strong()[1]
        if isinstance(other, Quantity):
            return other if other._b is None or other._b is b else other.to_backend(b)
        if isinstance(other, (list, tuple)) or not hasattr(other, "shape"):
            return self._ns().asarray(other)
        return other if backend_of(other) is b else b.asarray(other)

    def _pair(self, other: Any) -> tuple[Any, Any, Any]:
        """``(x, y, namespace)`` of a product with ``other``: both on one backend, picked as the
        operators pick it (one backend among the inputs wins; mixed: the default)."""
        from ._quantity import Quantity

        if isinstance(other, (list, tuple)) or not (isinstance(other, Quantity) or hasattr(other, "shape")):
            other = self._ns().asarray(other)
        ob = other._b if isinstance(other, Quantity) else backend_of(other)
        b = self._b
        target = (b or ob or self._strong()[1]) if b is None or ob is None or b is ob else select_backend(b, ob)
        x = self if b is target else self.to_backend(target)  # type: ignore[attr-defined]
        if ob is None or ob is target:
            y = other
        else:
            y = other.to_backend(target) if isinstance(other, Quantity) else target.asarray(other)
        return x, y, target.namespace()

    # -- reductions -------------------------------------------------------------------------------
    def sum(
        self,
        axis: Axis = None,
        dtype: Any = None,
        out: None = None,
        keepdims: bool = False,
        initial: Any = None,
        where: Any = None,
    ) -> Quantity:
        """Sum over ``axis`` (numpy's ``ndarray.sum``); ``initial`` in this quantity's unit."""
        _no_out("sum", out)
        ns = self._ns()
        x = self if where is None else ns.where(self._mask(where), self, 0)
        r = ns.sum(x, axis=_axis(axis), dtype=_dtype(self._strong()[1], dtype), keepdims=keepdims)
        return r if initial is None else ns.add(r, self._in_my_unit(initial, "sum(initial=...)"))

    def _mask(self, where: Any) -> Any:
        from ._quantity import Quantity

        return where if isinstance(where, Quantity) else self._ns().asarray(where)

    def _extreme(self, op: str, axis: Axis, out: Any, keepdims: bool, initial: Any, where: Any) -> Quantity:
        _no_out(op, out)
        ns = self._ns()
        init = None if initial is None else self._in_my_unit(initial, f"{op}(initial=...)")
        x: Any = self
        if where is not None:
            if init is None:
                raise ValueError(f"{op}: a where= mask needs an initial= value (numpy's rule: {op} has no identity)")
            x = ns.where(self._mask(where), self, init)
        r = getattr(ns, op)(x, axis=_axis(axis), keepdims=keepdims)
        return r if init is None else (ns.maximum if op == "max" else ns.minimum)(r, init)

    def max(
        self, axis: Axis = None, out: None = None, keepdims: bool = False, initial: Any = None, where: Any = None
    ) -> Quantity:
        """Maximum over ``axis``; ``initial`` in this quantity's unit."""
        return self._extreme("max", axis, out, keepdims, initial, where)

    def min(
        self, axis: Axis = None, out: None = None, keepdims: bool = False, initial: Any = None, where: Any = None
    ) -> Quantity:
        """Minimum over ``axis``; ``initial`` in this quantity's unit."""
        return self._extreme("min", axis, out, keepdims, initial, where)

    def ptp(self, axis: Axis = None, out: None = None, keepdims: bool = False) -> Quantity:
        """Peak to peak (maximum minus minimum) over ``axis``, in this quantity's unit."""
        _no_out("ptp", out)
        fn = self._brainunit("ptp")
        if fn is not None:
            return fn(self, axis=_axis(axis), keepdims=keepdims)
        ns = self._ns()
        return ns.subtract(
            ns.max(self, axis=_axis(axis), keepdims=keepdims), ns.min(self, axis=_axis(axis), keepdims=keepdims)
        )

    def mean(self, axis: Axis = None, dtype: Any = None, out: None = None, keepdims: bool = False) -> Quantity:
        """Mean over ``axis``, in this quantity's unit."""
        _no_out("mean", out)
        ns = self._ns()
        x = self if dtype is None else ns.astype(self, _dtype(self._strong()[1], dtype))
        return ns.mean(x, axis=_axis(axis), keepdims=keepdims)

    def _spread(
        self, op: str, axis: Axis, dtype: Any, out: Any, ddof: float, keepdims: bool, correction: Any
    ) -> Quantity:
        _no_out(op, out)
        ns = self._ns()
        x = self if dtype is None else ns.astype(self, _dtype(self._strong()[1], dtype))
        return getattr(ns, op)(
            x, axis=_axis(axis), correction=ddof if correction is None else correction, keepdims=keepdims
        )

    def std(
        self,
        axis: Axis = None,
        dtype: Any = None,
        out: None = None,
        ddof: float = 0,
        keepdims: bool = False,
        *,
        correction: float | None = None,
    ) -> Quantity:
        """Standard deviation over ``axis``, in this quantity's unit."""
        return self._spread("std", axis, dtype, out, ddof, keepdims, correction)

    def var(
        self,
        axis: Axis = None,
        dtype: Any = None,
        out: None = None,
        ddof: float = 0,
        keepdims: bool = False,
        *,
        correction: float | None = None,
    ) -> Quantity:
        """Variance over ``axis``, in this quantity's unit squared."""
        return self._spread("var", axis, dtype, out, ddof, keepdims, correction)

    def prod(
        self,
        axis: Axis = None,
        dtype: Any = None,
        out: None = None,
        keepdims: bool = False,
        initial: Any = None,
        where: Any = None,
    ) -> Quantity:
        """Product over ``axis``: the unit to the number of elements multiplied; ``initial`` is a
        dimensionless factor; ``where`` only for a dimensionless quantity."""
        _no_out("prod", out)
        ns = self._ns()
        x: Any = self
        if where is not None:
            self._dimensionless("prod(where=...)", "the unit's power would differ between the results")
            x = ns.where(self._mask(where), self, 1)
        r = ns.prod(x, axis=_axis(axis), dtype=_dtype(self._strong()[1], dtype), keepdims=keepdims)
        return r if initial is None else ns.multiply(r, self._factor(initial, "prod(initial=...)"))

    def _dimensionless(self, op: str, why: str) -> None:
        """Raise (a ``TypeError`` too, as brainunit) unless this quantity is dimensionless."""
        if self._u.dim is not DIMENSIONLESS:
            raise UnitTypeError(
                f"{op}: needs a dimensionless quantity, got unit {self._u.name!r} ({self._u.dim.describe()}): "
                f"{why}. Divide by a unit first, e.g. q / {self._u.name if ' ' not in self._u.name else 'unit'}"
            )

    def _factor(self, value: Any, op: str) -> Any:
        from ._quantity import unpack

        vm, vu, vb = unpack(self._operand(value))
        return dimensionless(vm, vu, vb, op)

    def nanprod(self, axis: Axis = None, dtype: Any = None, out: None = None, keepdims: bool = False) -> Quantity:
        """Product over ``axis`` treating NaN as one: the unit to the number of non-NaN elements
        multiplied, which must then be the same for every result (brainunit's rule)."""
        _no_out("nanprod", out)
        fn = self._brainunit("nanprod")
        if fn is not None:
            return fn(self, axis=_axis(axis), dtype=dtype, keepdims=keepdims)
        ns = self._ns()
        if self._u.dim is DIMENSIONLESS:
            return ns.prod(
                ns.where(ns.isnan(self), 1, self),
                axis=_axis(axis),
                dtype=_dtype(self._strong()[1], dtype),
                keepdims=keepdims,
            )
        if refuses_concrete(self._strong()[1]):
            raise BackendError(
                f"nanprod: the unit depends on how many values are not NaN, which a lazy {self._strong()[1].name} "
                f"array does not know; compute it first (q.to_numpy()), or divide by the unit first"
            )
        counts = ns.count_nonzero(~ns.isnan(self), axis=_axis(axis))
        k = counts.reshape(-1)[0] if counts.ndim else counts
        if counts.ndim and not bool(ns.all(counts == k)):
            raise UnitError(
                f"nanprod: the number of non-NaN elements differs between the results, so would their unit "
                f"({self._u.name!r} to that number); divide by the unit first (q / unit)"
            )
        from ._quantity import wrap

        plain = ns.where(ns.isnan(self), 1, self / self._u)
        r = ns.prod(plain, axis=_axis(axis), dtype=dtype, keepdims=keepdims)
        return wrap(r._m, self._u ** int(k), r._b)

    def cumsum(self, axis: int | None = None, dtype: Any = None, out: None = None) -> Quantity:
        """Cumulative sum along ``axis`` (``None``: of the flattened array), in this quantity's unit."""
        _no_out("cumsum", out)
        dtype = _dtype(self._strong()[1], dtype)
        fn = self._brainunit("cumsum")
        if fn is not None:
            return fn(self, axis=axis, dtype=dtype)
        x = self if axis is not None else self.reshape(-1)
        return self._ns().cumulative_sum(x, axis=0 if axis is None else axis, dtype=dtype)

    def cumprod(self, axis: int | None = None, dtype: Any = None, out: None = None) -> Quantity:
        """Cumulative product along ``axis`` (``None``: of the flattened array); only for a
        dimensionless quantity (each result would have its own unit)."""
        _no_out("cumprod", out)
        self._dimensionless("cumprod", "each result would have its own unit (use prod for one product)")
        dtype = _dtype(self._strong()[1], dtype)
        fn = self._brainunit("cumprod")
        if fn is not None:
            return fn(self, axis=axis, dtype=dtype)
        x = self if axis is not None else self.reshape(-1)
        return self._ns().cumulative_prod(x, axis=0 if axis is None else axis, dtype=dtype)

    def nancumprod(self, axis: int | None = None, dtype: Any = None, out: None = None) -> Quantity:
        """Cumulative product treating NaN as one; only for a dimensionless quantity."""
        _no_out("nancumprod", out)
        self._dimensionless("nancumprod", "each result would have its own unit (use nanprod for one product)")
        fn = self._brainunit("nancumprod")
        if fn is not None:
            return fn(self, axis=axis, dtype=_dtype(self._strong()[1], dtype))
        ns = self._ns()
        return ns.where(ns.isnan(self), 1, self).cumprod(axis=axis, dtype=dtype)

    # -- searching, counting, testing -------------------------------------------------------------
    def argmax(self, axis: int | None = None, out: None = None, *, keepdims: bool = False) -> Quantity:
        """Index of the maximum (dimensionless)."""
        _no_out("argmax", out)
        return self._ns().argmax(self, axis=axis, keepdims=keepdims)

    def argmin(self, axis: int | None = None, out: None = None, *, keepdims: bool = False) -> Quantity:
        """Index of the minimum (dimensionless)."""
        _no_out("argmin", out)
        return self._ns().argmin(self, axis=axis, keepdims=keepdims)

    def all(self, axis: Axis = None, out: None = None, keepdims: bool = False) -> Quantity:
        """Whether every element is non-zero (dimensionless boolean; zero is zero in every unit)."""
        _no_out("all", out)
        return self._ns().all(self, axis=_axis(axis), keepdims=keepdims)

    def any(self, axis: Axis = None, out: None = None, keepdims: bool = False) -> Quantity:
        """Whether some element is non-zero (dimensionless boolean)."""
        _no_out("any", out)
        return self._ns().any(self, axis=_axis(axis), keepdims=keepdims)

    def nonzero(self) -> tuple[Quantity, ...]:
        """The indices of the non-zero elements, one dimensionless array per axis."""
        return tuple(self._ns().nonzero(self))

    def searchsorted(self, v: Any, side: str = "left", sorter: Any = None) -> Quantity:
        """Indices where ``v`` (converted to this quantity's unit) would keep the order."""
        ns = self._ns()
        v = self._operand(v)
        if not hasattr(v._m if hasattr(v, "_m") else v, "shape"):
            v = ns.asarray(v)  # a quantity of a Python number
        kwargs = {} if sorter is None else {"sorter": self._operand(sorter)}
        if v.ndim == 0:  # one query: asked as a 1-element array (dask takes no 0-d query)
            return ns.searchsorted(self, ns.reshape(v, (1,)), side=side, **kwargs)[0]
        return ns.searchsorted(self, v, side=side, **kwargs)

    @property
    def isfinite(self) -> Quantity:
        """Elementwise: is the value finite?  (brainunit: a property.)"""
        return self._ns().isfinite(self)

    @property
    def isinf(self) -> Quantity:
        """Elementwise: is the value infinite?"""
        return self._ns().isinf(self)

    isinfinite = isinf

    @property
    def isnan(self) -> Quantity:
        """Elementwise: is the value NaN?"""
        return self._ns().isnan(self)

    @property
    def isreal(self) -> Quantity:
        """Elementwise: is the imaginary part zero?  (Everything, for a real dtype.)"""
        ns = self._ns()
        if ns.isdtype(self.dtype, "complex floating"):
            return ns.equal(ns.imag(self), 0)
        return ns.ones_like(self, dtype=ns.bool)

    @property
    def isscalar(self) -> bool:
        """Is it 0-dimensional?"""
        return self.ndim == 0

    @property
    def real(self) -> Quantity:
        """The real part, in this quantity's unit."""
        ns = self._ns()
        return ns.real(self) if ns.isdtype(self.dtype, "complex floating") else cast("Quantity", self)

    @property
    def imag(self) -> Quantity:
        """The imaginary part, in this quantity's unit (zeros for a real dtype)."""
        ns = self._ns()
        return ns.imag(self) if ns.isdtype(self.dtype, "complex floating") else ns.zeros_like(self)

    def conj(self) -> Quantity:
        """The complex conjugate, in this quantity's unit (the values themselves for a real dtype)."""
        ns = self._ns()
        return ns.conj(self) if ns.isdtype(self.dtype, "complex floating") else cast("Quantity", self)

    conjugate = conj

    # -- elementwise ------------------------------------------------------------------------------
    def round(self, decimals: int = 0, out: None = None) -> Quantity:
        """Round the mantissa to ``decimals`` decimals (in this quantity's unit, as numpy does)."""
        _no_out("round", out)
        ns = self._ns()
        if decimals == 0:
            return ns.round(self)
        if ns.isdtype(self.dtype, "integral") and decimals > 0:
            return self.copy()
        if decimals > 0:
            f = 10.0**decimals
            return ns.divide(ns.round(ns.multiply(self, f)), f)
        f = 10.0**-decimals
        return ns.multiply(ns.round(ns.divide(self, f)), f)

    def clip(self, min: Any = None, max: Any = None, out: None = None) -> Quantity:
        """Values limited to ``[min, max]``, both converted to this quantity's unit."""
        _no_out("clip", out)
        if min is None and max is None:
            raise ValueError("clip: give min= or max= (or both)")
        lo, hi = (None if v is None or _unit_free(v) else self._operand(v) for v in (min, max))
        return self._ns().clip(self, min if lo is None else lo, max if hi is None else hi)

    def astype(
        self, dtype: Any, order: str = "K", casting: str = "unsafe", subok: bool = True, copy: bool = True
    ) -> Quantity:
        """The values cast to ``dtype`` (numpy dtypes work on every backend), unit kept."""
        if dtype is None:
            return self.copy()
        return self._ns().astype(self, _dtype(self._strong()[1], dtype), copy=copy)

    def _cast(self, name: str, op: str) -> Quantity:
        b = self._strong()[1]
        try:
            return self._ns().astype(self, _dtype(b, name))
        except (TypeError, ValueError, AttributeError) as exc:
            raise BackendError(f"{op}: the {b.name} backend has no {name}; convert with .to_numpy() first") from exc

    def half(self) -> Quantity:
        """The values as float16."""
        return self._cast("float16", "half")

    def float(self) -> Quantity:
        """The values as float32."""
        return self._cast("float32", "float")

    def double(self) -> Quantity:
        """The values as float64."""
        return self._cast("float64", "double")

    def pow(self, oc: Any) -> Quantity:
        """``self ** oc``."""
        return self**oc

    # -- products ---------------------------------------------------------------------------------
    def dot(self, b: Any) -> Quantity:
        """numpy's ``dot``: the unit of ``self`` times the unit of ``b``."""
        x, y, ns = self._pair(b)
        fn = getattr(ns, "dot", None)
        if fn is not None:
            return fn(x, y)
        nd1, nd2 = x.ndim, y.ndim
        if nd1 == 0 or nd2 == 0:
            return ns.multiply(x, y)
        return ns.tensordot(x, y, axes=((nd1 - 1,), (0 if nd2 == 1 else nd2 - 2,)))

    def outer(self, b: Any) -> Quantity:
        """Outer product of the flattened arrays: the unit of ``self`` times the unit of ``b``."""
        x, y, ns = self._pair(b)
        fn = getattr(ns, "outer", None)
        if fn is not None:
            return fn(x, y)
        return ns.multiply(ns.reshape(x, (-1, 1)), ns.reshape(y, (1, -1)))

    def cross(self, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: int | None = None) -> Quantity:
        """Cross product of 3-vectors: the unit of ``self`` times the unit of ``b``."""
        x, y, ns = self._pair(b)
        fn = getattr(ns, "cross", None)
        if fn is not None:
            return fn(x, y, axisa=axisa, axisb=axisb, axisc=axisc, axis=axis)
        if axis is not None:
            axisa = axisb = axisc = axis
        x, y = ns.moveaxis(x, axisa, -1), ns.moveaxis(y, axisb, -1)
        if x.shape[-1] != 3 or y.shape[-1] != 3:
            raise ValueError(f"cross: needs vectors of 3 components, got {x.shape[-1]} and {y.shape[-1]}")
        x0, x1, x2 = (x[..., i] for i in range(3))
        y0, y1, y2 = (y[..., i] for i in range(3))
        c = ns.stack([x1 * y2 - x2 * y1, x2 * y0 - x0 * y2, x0 * y1 - x1 * y0], axis=-1)
        return ns.moveaxis(c, -1, axisc)

    def diagonal(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Quantity:
        """The diagonal of the (``axis1``, ``axis2``) planes, as numpy's (last axis), unit kept."""
        fn = self._brainunit("diagonal")
        if fn is not None:
            return fn(self, offset=offset, axis1=axis1, axis2=axis2)
        ns = self._ns()
        x = ns.moveaxis(self, (axis1, axis2), (-2, -1))
        n, m = int(x.shape[-2]), int(x.shape[-1])
        rows = max(0, min(n, m - offset) if offset >= 0 else min(n + offset, m))
        first = offset if offset >= 0 else -offset * m
        flat = ns.reshape(x, (*x.shape[:-2], n * m))
        return ns.take(flat, ns.arange(first, first + rows * (m + 1), m + 1), axis=-1)

    def trace(self, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None, out: None = None) -> Quantity:
        """Sum of the diagonal, unit kept."""
        _no_out("trace", out)
        dtype = _dtype(self._strong()[1], dtype)
        fn = self._brainunit("trace")
        if fn is not None:
            return fn(self, offset=offset, axis1=axis1, axis2=axis2, dtype=dtype)
        return self._ns().sum(self.diagonal(offset, axis1, axis2), axis=-1, dtype=dtype)

    # -- shape ------------------------------------------------------------------------------------
    def reshape(self, *shape: Any, order: str = "C", copy: bool | None = None) -> Quantity:
        """The values in a new shape: ``q.reshape(2, 3)`` or ``q.reshape((2, 3))``; ``order="F"``
        reads and writes the elements in Fortran order."""
        ns = self._ns()
        new = _shape(shape)
        kwargs = {} if copy is None else {"copy": copy}
        if order in ("C", "A"):
            return ns.reshape(self, new, **kwargs)
        if order != "F":
            raise ValueError(f"reshape: order must be 'C', 'F' or 'A'; got {order!r}")
        backwards = ns.reshape(ns.permute_dims(self, tuple(range(self.ndim))[::-1]), new[::-1], **kwargs)
        return ns.permute_dims(backwards, tuple(range(len(new)))[::-1])

    def flatten(self, order: str = "C") -> Quantity:
        """A 1-D copy."""
        return self.reshape(-1, order=order).copy()

    def ravel(self, order: str = "C") -> Quantity:
        """The values as a 1-D array."""
        fn = self._brainunit("ravel")
        if fn is not None and order == "C":
            return fn(self)
        return self.reshape(-1, order=order)

    def squeeze(self, axis: Axis = None) -> Quantity:
        """Without the axes of length one (``axis``: only those)."""
        if axis is None:
            axis = tuple(i for i, s in enumerate(self.shape) if s == 1)
            if not axis:
                return self._wrap(self._strong()[0])
        return self._ns().squeeze(self, axis=_axis(axis))

    def expand_dims(self, axis: int | Sequence[int]) -> Quantity:
        """With new axes of length one at ``axis`` (an int or a tuple of them, as numpy)."""
        ns = self._ns()
        if isinstance(axis, int):
            return ns.expand_dims(self, axis=axis)
        n = self.ndim + len(axis)
        out: Any = self
        for a in sorted(a % n for a in axis):
            out = ns.expand_dims(out, axis=a)
        return out

    def unsqueeze(self, axis: int) -> Quantity:
        """torch's name of :meth:`expand_dims`."""
        return self.expand_dims(axis)

    def expand_as(self, array: Any) -> Quantity:
        """Broadcast to the shape of ``array`` (a quantity of the same dimension, an array, or a shape)."""
        from ._quantity import Quantity

        if isinstance(array, Quantity) and array.dim is not self.dim:
            raise mismatch("expand_as", self._u, array.unit)
        shape = tuple(array.shape) if hasattr(array, "shape") else tuple(array)
        return self._ns().broadcast_to(self, shape)

    def transpose(self, *axes: Any) -> Quantity:
        """Axes permuted (reversed by default): ``q.transpose(1, 0)`` or ``q.transpose((1, 0))``."""
        perm = tuple(range(self.ndim))[::-1] if not axes or (len(axes) == 1 and axes[0] is None) else _shape(axes)
        fn = self._brainunit("transpose")
        if fn is not None:
            return fn(self, perm)
        return self._ns().permute_dims(self, perm)

    def swapaxes(self, axis1: int, axis2: int) -> Quantity:
        """Axes ``axis1`` and ``axis2`` interchanged."""
        fn = self._brainunit("swapaxes")
        if fn is not None:
            return fn(self, axis1, axis2)
        perm = list(range(self.ndim))
        perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
        return self._ns().permute_dims(self, tuple(perm))

    def repeat(self, repeats: Any, axis: int | None = None) -> Quantity:
        """Each element repeated ``repeats`` times (of the flattened array for ``axis=None``)."""
        if not isinstance(repeats, int):
            repeats = self._operand(repeats)
        x: Any = self if axis is not None else self.reshape(-1)
        return self._ns().repeat(x, repeats, axis=0 if axis is None else axis)

    def tile(self, reps: int | Sequence[int]) -> Quantity:
        """The array repeated ``reps`` times along each axis."""
        return self._ns().tile(self, (reps,) if isinstance(reps, int) else tuple(reps))

    def split(self, indices_or_sections: int | Sequence[int], axis: int = 0) -> list[Quantity]:
        """Sub-arrays: ``n`` equal parts, or cut at the given indices along ``axis``."""
        fn = self._brainunit("split")
        if fn is not None:
            return list(fn(self, indices_or_sections, axis=axis))
        n = int(self.shape[axis])  # type: ignore[arg-type]
        if isinstance(indices_or_sections, int):
            if indices_or_sections <= 0 or n % indices_or_sections:
                raise ValueError(f"split: {n} elements do not split into {indices_or_sections} equal parts")
            step = n // indices_or_sections
            cuts = list(range(step, n, step))
        else:
            cuts = [int(c) for c in indices_or_sections]
        bounds = [0, *cuts, n]
        lead = (slice(None),) * (axis % self.ndim)
        return [self[(*lead, slice(a, b), ...)] for a, b in itertools.pairwise(bounds)]

    def take(
        self,
        indices: Any,
        axis: int | None = None,
        mode: str | None = None,
        unique_indices: bool = False,
        indices_are_sorted: bool = False,
        fill_value: Any = None,
    ) -> Quantity:
        """Elements at ``indices`` along ``axis`` (of the flattened array for ``None``); ``mode``:
        numpy's ``"raise"``, ``"wrap"``, ``"clip"`` or jax's ``"fill"`` (``fill_value`` in this
        quantity's unit, default NaN), ``"promise_in_bounds"``."""
        from ._quantity import wrap

        x: Any = self if axis is not None else self.reshape(-1)
        m, b = x._strong()
        fill = None if fill_value is None else self._in_my_unit(fill_value, "take(fill_value=...)")._m
        if not b.mutable and hasattr(m, "at") and m.shape[0 if axis is None else axis]:  # jax: its own modes
            from ._at import backend_key

            hints = {"unique_indices": unique_indices, "indices_are_sorted": indices_are_sorted}
            out = b.xp.take(
                m, backend_key(b, indices), axis=0 if axis is None else axis, mode=mode, fill_value=fill, **hints
            )
        else:
            out = take_along(b, m, indices, 0 if axis is None else axis % x.ndim, mode, fill)
        return wrap(out, self._u, b)

    def view(self, *args: Any, dtype: Any = None) -> Quantity:
        """torch's ``view``: ``q.view(2, 8)`` reshapes; ``q.view(dtype)`` reinterprets the bits."""
        if args and dtype is not None:
            raise ValueError("view: give a shape or a dtype, not both")
        if args and (isinstance(args[0], (int, tuple, list))):
            return self.reshape(*args)
        dtype = args[0] if args else dtype
        if dtype is None:
            raise ValueError("view: give a shape or a dtype")
        m, b = self._strong()
        if not hasattr(m, "view"):
            raise BackendError(f"view(dtype): {b.name} arrays cannot reinterpret their bits; use .to_numpy() first")
        return self._wrap(m.view(_dtype(b, dtype)))

    # -- sorting ----------------------------------------------------------------------------------
    def sort(self, axis: int | None = -1, stable: bool = True, order: Any = None) -> Quantity:
        """Sort in place along ``axis`` (``None``: the flattened array) and return the quantity."""
        if order is not None:
            raise NotImplementedError("sort: order= (fields of structured arrays) is not supported")
        x: Any = self if axis is not None else self.reshape(-1)
        r = self._ns().sort(x, axis=-1 if axis is None else axis, stable=stable)
        self._assign(r)
        return self  # type: ignore[return-value]

    def argsort(
        self, axis: int | None = -1, kind: str | None = None, order: Any = None, *, stable: bool | None = None
    ) -> Quantity:
        """Indices that sort along ``axis`` (``None``: the flattened array); dimensionless."""
        if order is not None:
            raise NotImplementedError("argsort: order= (fields of structured arrays) is not supported")
        x: Any = self if axis is not None else self.reshape(-1)
        return self._ns().argsort(x, axis=-1 if axis is None else axis, stable=True if stable is None else stable)

    # -- copies and in-place updates --------------------------------------------------------------
    @property
    def at(self) -> IndexUpdateHelper:
        """Functional indexed updates: ``q.at[idx].set(v)``, ``.add``, ``.multiply``, ``.get()``...
        (see :mod:`brainunit_xp._at` for the unit rules)."""
        return IndexUpdateHelper(self)  # type: ignore[arg-type]

    def copy(self, order: str = "C") -> Quantity:
        """A copy with its own memory."""
        m, b = self._strong()
        return self._wrap(b.xp.asarray(m, copy=True))

    def clone(self) -> Quantity:
        """torch's name of :meth:`copy`."""
        return self.copy()

    def fill(self, value: Any) -> Quantity:
        """Set every element to ``value`` (converted to this quantity's unit) in place; returns the quantity."""
        self[...] = value
        return self  # type: ignore[return-value]

    def put(self, indices: Any, values: Any) -> Quantity:
        """Set the elements at ``indices`` of the flattened array to ``values`` (converted to this
        quantity's unit) in place; returns the quantity."""
        v = self._in_my_unit(values, "put")
        flat = self.reshape(-1).at[indices].set(v)
        out = self._ns().reshape(flat, tuple(self.shape))
        self._assign(out)
        return self  # type: ignore[return-value]

    def resize(self, new_shape: int | Sequence[int]) -> Quantity:
        """numpy's ``resize`` in place: the values repeated or cut to fill ``new_shape``."""
        shape = (new_shape,) if isinstance(new_shape, int) else tuple(new_shape)
        total = math.prod(shape)
        ns = self._ns()
        flat: Any = self.reshape(-1)
        size = int(flat.shape[0])
        if size == 0 or total == 0:  # numpy: zeros from nothing
            m, b = self._strong()
            out = self._wrap(b.xp.zeros(shape, dtype=m.dtype))
        else:
            out = ns.reshape(ns.tile(flat, (-(-total // size),))[:total], shape)
        self._assign(out)
        return self  # type: ignore[return-value]

    def scatter_add(self, index: Any, value: Any) -> Quantity:
        """``q.at[index].add(value)``."""
        return self.at[index].add(value)

    def scatter_sub(self, index: Any, value: Any) -> Quantity:
        """``q.at[index].subtract(value)``."""
        return self.at[index].subtract(value)

    def scatter_mul(self, index: Any, value: Any) -> Quantity:
        """``q.at[index].multiply(value)`` (a dimensionless factor)."""
        return self.at[index].multiply(value)

    def scatter_div(self, index: Any, value: Any) -> Quantity:
        """``q.at[index].divide(value)`` (a dimensionless factor)."""
        return self.at[index].divide(value)

    def scatter_max(self, index: Any, value: Any) -> Quantity:
        """``q.at[index].max(value)``."""
        return self.at[index].max(value)

    def scatter_min(self, index: Any, value: Any) -> Quantity:
        """``q.at[index].min(value)``."""
        return self.at[index].min(value)

    # -- devices ----------------------------------------------------------------------------------
    def _move(self, kind: str, device: Any, op: str) -> Quantity:
        _m, b = self._strong()
        if device is None:
            device = _device(b, kind, op)
            if device is None:  # a backend with no such device label runs on the CPU only
                return self  # type: ignore[return-value]
        moved = self.to_device(device)
        self._assign(moved)
        return self  # type: ignore[return-value]

    def cpu(self, device: Any = None) -> Quantity:
        """Move the values to the backend's CPU device, in place (brainunit's meaning); returns the quantity."""
        return self._move("cpu", device, "cpu")

    def cuda(self, device: Any = None) -> Quantity:
        """Move the values to the backend's CUDA device, in place; returns the quantity."""
        return self._move("cuda", device, "cuda")

    # -- memory -----------------------------------------------------------------------------------
    @property
    def itemsize(self) -> int:
        """Bytes per element."""
        m, b = self._strong()
        size = getattr(m, "itemsize", None)
        if isinstance(size, int):
            return size
        xp, dt = b.xp, m.dtype
        if dt == xp.bool:
            return 1
        if xp.isdtype(dt, "complex floating"):
            return 2 * xp.finfo(dt).bits // 8
        info = xp.finfo(dt) if xp.isdtype(dt, "real floating") else xp.iinfo(dt)
        return int(info.bits) // 8

    @property
    def nbytes(self) -> int:
        """Bytes of all elements."""
        m, _ = self._strong()
        n = getattr(m, "nbytes", None)
        if isinstance(n, int):
            return n
        return math.prod(int(s) for s in m.shape) * self.itemsize

    @property
    def strides(self) -> tuple[int, ...]:
        """Bytes to step along each axis: the array's own (numpy, cupy, torch), or those of its
        values laid out in C order (jax, ndonnx, array_api_strict); a lazy dask array has none."""
        m, b = self._strong()
        own = getattr(m, "strides", None)
        if isinstance(own, tuple):
            return own
        size = self.itemsize
        if callable(getattr(m, "stride", None)):  # torch: in elements
            return tuple(int(s) * size for s in m.stride())
        if b.lazy:
            raise BackendError(f"strides: a {b.name} array has no memory layout until computed; use .to_numpy() first")
        out, step = [], size
        for s in reversed(tuple(m.shape)):
            out.append(step)
            step *= int(s)
        return tuple(reversed(out))

    @property
    def flat(self) -> Iterator[Quantity]:
        """An iterator over the elements (0-d quantities in this unit), in C order."""
        return iter(self.reshape(-1))


def _device(b: Backend, kind: str, op: str) -> Any:
    """The backend's first device whose name says ``kind`` (``"cpu"``, ``"cuda"``); ``None`` for
    ``"cpu"`` on a backend whose devices say neither (it computes on the CPU)."""
    devices = [d for d in b.xp.__array_namespace_info__().devices() if d is not None]
    labels = [str(getattr(d, "platform", None) or getattr(d, "type", None) or d).lower() for d in devices]
    wanted = ("cuda", "gpu") if kind == "cuda" else ("cpu",)
    for device, label in zip(devices, labels, strict=True):
        if any(w in label for w in wanted):
            return device
    if kind == "cpu" and not any("cuda" in label or "gpu" in label for label in labels):
        return None
    hint = ".to_cupy() or .to_torch(device='cuda')" if kind == "cuda" else ".to_numpy()"
    raise BackendError(f"{op}: the {b.name} backend has no {kind} device here; move the quantity with {hint}")
