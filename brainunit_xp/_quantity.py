"""The Quantity: an array mantissa of any backend paired with a Unit.

The mantissa is stored in its own unit (``3 * mV`` keeps ``3`` and ``mV``).  Binary operators
(generated into ``_operators.py`` from the rules table) convert the right operand to the left
operand's unit, fold the scale of a dimensionless result into the mantissa, pick the backend by the
selection rule, and compute with the mantissas' own operators, so every backend's semantics
(dtypes, broadcasting, laziness) are kept.

brainunit's (numpy's) array methods (``q.sum()``, ``q.reshape(2, 3)``, ``q.at[i].set(v)``) come
from the mixin :class:`~brainunit_xp._methods.ArrayMethods`, each calling the function of the
quantity's namespace; this module holds the core: construction, units, conversions, backends and
the Python protocol.

Besides the class, this module holds the three ways in and out of it that every other module uses:
:func:`wrap` (the fast constructor), :func:`unpack` (the one ``(mantissa, unit, backend)`` reader)
and :func:`sequence_mantissas` (nested lists of quantities).
"""

from __future__ import annotations

import copy as _copy
import operator
from collections.abc import Callable, Iterator
from typing import Any

import array_api_compat as _compat

from . import _dask, _numpy_protocols, _torch
from ._backends import (
    Backend,
    backend_of,
    default_backend,
    get_backend,
    refuses_concrete,
    select_backend,
    to_numpy,
)
from ._binary_rules import RuleFn, apply, product, quotient
from ._conversion import as_unit, convert, dimensionless, power_unit, scale, unit_free
from ._custom_array import CustomArray, maybe_custom_array
from ._errors import BackendError, DimensionMismatchError, UnitError, UnitTypeError, wrong_backend
from ._methods import ArrayMethods
from ._operators import QuantityOperators
from ._types import SCALARS, Array
from ._units import DIMENSIONLESS, FREE, ONE, Dimension, Unit

__all__ = ["Quantity", "sequence_mantissas", "unpack", "wrap"]

_new = object.__new__


def wrap(m: Array, u: Unit, b: Backend | None) -> Quantity:
    """Internal fast constructor: no checks."""
    q = _new(Quantity)
    q._m = m
    q._u = u
    q._b = b
    return q


def scan_backends(x: Any, found: list[Backend]) -> None:
    """Append to ``found`` the backend of every array and quantity in ``x`` (in lists and tuples too);
    Python numbers, strings, dtypes, devices and other options have none."""
    x = maybe_custom_array(x)
    if isinstance(x, Quantity):
        if x._b is not None:
            found.append(x._b)
    elif isinstance(x, (list, tuple)):
        for item in x:
            scan_backends(item, found)
    elif x is not None and not isinstance(x, (*SCALARS, str, slice)):
        try:
            b = backend_of(x)
        except BackendError:
            return
        if b is not None:
            found.append(b)


def unpack(x: object) -> tuple[Array, Unit, Backend | None]:
    """``(mantissa, unit, backend)`` of a Quantity, a Python number (backend ``None``: weak) or an
    array of any backend (dimensionless).  Raises :class:`BackendError` for anything else."""
    if isinstance(x, Quantity):
        return x._m, x._u, x._b
    if isinstance(x, CustomArray):  # brainunit's mixin (brainstate's State): its data
        return unpack(x.data)
    return x, ONE, backend_of(x)


def _with_unit_text(values: str, unit: Unit) -> str:
    """Values then unit, ``2.5 mV``, as brainunit shows them: a unit with nothing above the line in
    negative powers (``0.4 mV^-1``, not ``0.4 1 / mV``), one written with numbers joined with ``*``
    (``2.5 * 10^3``)."""
    name = unit.name
    if name.startswith("1 / "):
        name = unit.to_string("ascii_inline")
    return f"{values} * {name}" if name[:1].isdigit() else f"{values} {name}"


def _operand(x: object) -> tuple[Array, Unit, Backend | None] | None:
    """Like :func:`unpack` for an operator's other operand: ``None`` when it is not array-like
    (the operator then returns ``NotImplemented``)."""
    try:
        return unpack(x)
    except BackendError:
        return None


def sequence_mantissas(seq: Any, target: Backend | None, op: str) -> tuple[Any, Unit, Backend]:
    """A nested list/tuple of numbers, arrays and Quantities as nested mantissas in one unit
    (the first Quantity's) on one backend: ``target``, or by the selection rule when ``None``
    (with a ``target``, an array of another backend raises)."""
    unit: Unit | None = None
    found: list[Backend] = []

    def scan(x: Any) -> None:
        nonlocal unit
        if isinstance(x, (list, tuple)):
            for item in x:
                scan(item)
            return
        _, xu, b = unpack(x)
        if isinstance(x, Quantity) and unit is None and xu is not FREE:
            unit = xu
        if b is not None:
            if target is not None and b is not target:
                raise wrong_backend(op, b.name, target.name)
            found.append(b)

    scan(seq)
    u = ONE if unit is None else unit
    b = target or select_backend(*found)

    def plain(x: Any) -> Any:
        if isinstance(x, (list, tuple)):
            return [plain(item) for item in x]
        m, xu, xb = unpack(x)
        if not (xu is u or (xu is ONE and unit_free(m))):
            m = convert(m, xu, u, xb, op)
        return b.adopt(m, xb, op)

    return plain(seq), u, b


def _is_boolean(m: Any) -> bool:
    """Are the values booleans?  (A Python bool, or an array of a boolean dtype, of any backend.)"""
    if type(m) is bool:
        return True
    dt = getattr(m, "dtype", None)
    if dt is None:
        return False
    kind = getattr(dt, "kind", None)
    return kind == "b" if kind is not None else "bool" in str(dt)


def index_key(key: Any) -> Any:
    """An indexing key with dimensionless Quantities (indices, masks) replaced by mantissas."""
    if isinstance(key, Quantity):
        return key._concrete("index") if key._b is None else dimensionless(key._m, key._u, key._b, "index")
    if type(key) is tuple:
        return tuple(index_key(k) for k in key)
    if type(key) is slice and Quantity in (type(key.start), type(key.stop), type(key.step)):
        return slice(index_key(key.start), index_key(key.stop), index_key(key.step))  # x[0:n], n a Quantity
    return key


def same_backend(
    m1: Array, b1: Backend | None, m2: Array, b2: Backend | None, op: str
) -> tuple[Array, Array, Backend | None]:
    """Both mantissas on one backend by the selection rule (Python numbers stay weak)."""
    if b1 is b2 or b2 is None:
        return m1, m2, b1
    if b1 is None:
        return m1, m2, b2
    b = select_backend(b1, b2)
    return b.adopt(m1, b1, op), b.adopt(m2, b2, op), b


class Quantity(QuantityOperators, ArrayMethods):
    """An array (or number) ``mantissa`` of any backend, with a physical ``unit``.

    >>> import numpy as np
    >>> import brainunit_xp as u
    >>> q = u.Quantity(np.array([1.0, 2.0]), unit=u.meter)
    >>> print(q + 50 * u.cm)
    [1.5 2.5] m

    ``value * unit`` makes one too, and so do brainunit's forms: ``Quantity(3, "mV")`` (a unit
    name), ``Quantity([1 * u.mV, 2 * u.volt])`` (a list of quantities, converted to the first one's
    unit), ``Quantity(q, unit=u.volt)`` (converted), ``Quantity(u.mV)`` (one of the unit).  A
    Python-number mantissa (``3 * u.mV``) is *weak*: it takes the backend of the array it meets,
    as Python scalars do in the array API standard.
    """

    __slots__ = ("_b", "_m", "_u")
    _m: Array
    _u: Unit
    _b: Backend | None

    def __class_getitem__(cls, item: Any) -> Any:
        """``Quantity[mV]``, ``Quantity["voltage"]``: brainunit's annotation of a quantity of that
        unit or dimension (see :mod:`brainunit_xp.typing`)."""
        from .typing import quantity_type  # the typing module builds on this one

        return quantity_type(item)

    # jax and torch hand binary operations with a Quantity over to its reflected method
    __array_priority__ = 1000

    # NumPy's ufuncs and functions answered from the rules table (brainunit_xp/_numpy_protocols.py)
    __array_ufunc__ = _numpy_protocols.array_ufunc
    __array_function__ = _numpy_protocols.array_function

    def __init__(self, mantissa: Any, unit: Unit | str | None = None, dtype: Any = None) -> None:
        u = as_unit(unit)
        b: Backend | None
        if isinstance(mantissa, Quantity):
            m, b = mantissa._m, mantissa._b
            m = m if unit is None else convert(m, mantissa._u, u, b, "Quantity")
            u = mantissa._u if unit is None else u
        elif isinstance(mantissa, (list, tuple)):
            m, inner, b = sequence_mantissas(mantissa, None, "Quantity")
            m = b.xp.asarray(m)
            if inner is not ONE:
                m = m if unit is None else convert(m, inner, u, b, "Quantity")
                u = inner if unit is None else u
        else:
            m = mantissa
            try:
                b = backend_of(m)
            except BackendError:
                if type(m) is Unit:  # Quantity(mV): one of the unit
                    if unit is not None:
                        raise UnitError(
                            f"Cannot create a Quantity of the unit {m.name} with unit={unit}: give the unit once"
                        ) from None
                    m, u, b = _one_of(m)
                elif isinstance(m, (str, bytes)):
                    raise TypeError(
                        f"Quantity: the values cannot be a {type(m).__name__} ({m!r}); "
                        f"did you mean Quantity(value, unit={m!r})?"
                    ) from None
                elif not (hasattr(m, "__array__") or hasattr(m, "__array_interface__")):
                    raise
                else:
                    b = get_backend("numpy")
                    m = b.asarray(m)
        if dtype is not None:
            b = b or default_backend()
            m = b.xp.asarray(m, dtype=dtype)
        if u is not ONE and _is_boolean(m):
            raise UnitError(
                f"Quantity: booleans carry no unit, got boolean values with unit {u.name!r}; use the values "
                f"as a mask (q[mask]), or convert them first, e.g. x.astype(float) * {u.name}"
            )
        self._m, self._u, self._b = m, u, b

    # -- basic attributes -------------------------------------------------------------------------
    @property
    def mantissa(self) -> Array:
        """The array (or number) of values, in :attr:`unit`."""
        return self._m

    @property
    def magnitude(self) -> Array:
        """brainunit's other name of :attr:`mantissa`."""
        return self._m

    @property
    def unit(self) -> Unit:
        """The unit (read-only: ``q.to(unit)`` converts, ``Quantity(q.mantissa, unit)`` relabels)."""
        return self._u

    @unit.setter
    def unit(self, value: Any) -> None:
        raise NotImplementedError(
            "Quantity.unit is read-only; convert with q.to(unit), or make a new quantity: Quantity(q.mantissa, unit)"
        )

    @property
    def dim(self) -> Dimension:
        """The dimension of the unit (read-only)."""
        return self._u.dim

    @dim.setter
    def dim(self, value: Any) -> None:
        raise NotImplementedError(
            "Quantity.dim is read-only; make a new quantity of the unit you want: Quantity(q.mantissa, unit)"
        )

    @property
    def is_unitless(self) -> bool:
        """Has it the unit of plain numbers (dimensionless with scale 1; ``mV / V`` is not)?"""
        return self._u.dim is DIMENSIONLESS and self._u.scale == 1.0

    @property
    def backend(self) -> str:
        """Name of the backend; a Python-number mantissa reports the one it would compute on."""
        return (self._b or default_backend()).name

    def _strong(self) -> tuple[Array, Backend]:
        """Mantissa as an array of a definite backend (Python numbers go to the default)."""
        b = self._b
        if b is None:
            b = default_backend()
            return b.xp.asarray(self._m), b
        return self._m, b

    @property
    def shape(self) -> tuple[int | None, ...]:
        return tuple(self._strong()[0].shape)

    @property
    def ndim(self) -> int:
        return int(self._strong()[0].ndim)

    @property
    def size(self) -> int | None:
        return _compat.size(self._strong()[0])

    @property
    def dtype(self) -> Any:
        return self._strong()[0].dtype

    @property
    def device(self) -> Any:
        return _compat.device(self._strong()[0])

    def to_device(self, device: Any, /, *, stream: Any = None) -> Quantity:
        m, b = self._strong()
        return wrap(_compat.to_device(m, device, stream=stream), self._u, b)

    @property
    def T(self) -> Quantity:
        m, b = self._strong()
        return wrap(m.T, self._u, b)

    @property
    def mT(self) -> Quantity:
        m, b = self._strong()
        return wrap(b.xp.matrix_transpose(m), self._u, b)

    def __array_namespace__(self, /, *, api_version: str | None = None) -> Any:
        """The unit-aware array-API namespace of this quantity's backend."""
        b = self._b or default_backend()
        ns = b.namespace()
        if api_version is not None and api_version not in ns.__array_api_versions__:
            raise ValueError(
                f"brainunit_xp.{b.name} implements array API versions "
                f"{', '.join(ns.__array_api_versions__)}; got api_version={api_version!r}"
            )
        return ns

    # -- units ------------------------------------------------------------------------------------
    def to(self, unit: Unit | str) -> Quantity:
        """The same quantity expressed in ``unit`` (raises if the dimensions differ)."""
        u = as_unit(unit)
        if self._u is not FREE:
            self._u.factor_to(u, "to")  # names both units if the dimensions differ
        return wrap(convert(self._m, self._u, u, self._b, "to"), u, self._b)

    def to_value(self, unit: Unit | str | None = None) -> Array:
        """The plain mantissa in ``unit`` (default: this quantity's own unit)."""
        if unit is None:
            return self._m
        u = as_unit(unit)
        if self._u is not FREE:
            self._u.factor_to(u, "to_value")  # names both units if the dimensions differ
        return convert(self._m, self._u, u, self._b, "to_value")

    def in_unit(self, unit: Unit | str, err_msg: str | None = None) -> Quantity:
        """brainunit's :meth:`to`; ``err_msg`` replaces the message of the error for another dimension."""
        u = as_unit(unit)
        if err_msg is not None and self._u is not FREE and self._u.dim is not u.dim:
            raise DimensionMismatchError(err_msg, self._u, u)
        return wrap(convert(self._m, self._u, u, self._b, "in_unit"), u, self._b)

    def to_decimal(self, unit: Unit | str = ONE) -> Array:
        """brainunit's: the plain values in ``unit``, by default as plain numbers (dimensionless,
        any scale folded in: ``(2 * mV / V).to_decimal()`` is ``0.002``).  Raises for another
        dimension (so ``(3 * mV).to_decimal()`` raises: give the unit, ``.to_decimal(u.mV)``)."""
        u = as_unit(unit)
        if self._u is not FREE and self._u.dim is not u.dim:
            hint = (
                ""
                if unit is not ONE
                else f"; give the unit you want the numbers in, e.g. .to_decimal({self._u.name!r})"
            )
            raise DimensionMismatchError(
                f"to_decimal: a quantity in {self._u.name!r} ({self._u.dim.describe()}) has no value in "
                f"{u.name!r} ({u.dim.describe()}){hint}",
                self._u,
                u,
            )
        return convert(self._m, self._u, u, self._b, "to_decimal")

    @staticmethod
    def with_unit(mantissa: Any, unit: Unit | str) -> Quantity:
        """``Quantity(mantissa, unit)`` (brainunit's factory)."""
        return Quantity(mantissa, unit)

    def has_same_unit(self, other: Any) -> bool:
        """Has ``other`` (a quantity, unit or number) the same unit: same dimension and scale?"""
        from ._getters import has_same_unit

        return has_same_unit(self, other)

    def factorless(self) -> Quantity:
        """The same quantity in a unit whose factor is 1 (``3 min`` is ``18 das``): the factor folded
        into the mantissa, the power of ten kept."""
        u = self._u
        if u.factor == 1.0:
            return self
        make = getattr(u, "factorless", None)  # Unit.factorless, where the unit class has it
        target = make() if make is not None else _factorless_unit(u)
        if target is u:
            return self
        return wrap(scale(self._m, u.factor_to(target), self._b), target, self._b)

    def simplify(self) -> Quantity:
        """The same quantity with its unit shown as the registered unit of its dimension and scale
        (``V * s`` as ``Wb``); compound names are already collapsed where a coherent unit matches."""
        make = getattr(self._u, "simplify", None)
        target = make() if make is not None else self._u
        return (
            self if target is self._u else wrap(convert(self._m, self._u, target, self._b, "simplify"), target, self._b)
        )

    def repr_in_unit(self, precision: int | None = None) -> str:
        """``"<values> <unit>"`` with numpy's formatting (``precision`` digits): ``'25. mV'``."""
        text = _numpy_text(self._m, self._b, precision)
        return text if not self._u.parts else _with_unit_text(text, self._u)

    def update_mantissa(self, mantissa: Any) -> None:
        """Replace the values in place, keeping the unit; the new values must have the same shape and
        dtype (Python numbers and lists are cast to the dtype)."""
        if isinstance(mantissa, Quantity):
            raise TypeError("update_mantissa: give plain values, not a Quantity (use q[...] = value to convert)")
        old, b = self._strong()
        try:
            mb = backend_of(mantissa)
        except BackendError:
            mb = None
        if mb is None:
            new = b.xp.asarray(mantissa, dtype=old.dtype)
        else:
            new = mantissa if mb is b else b.asarray(mantissa)
            if new.dtype != old.dtype:
                raise ValueError(f"update_mantissa: the values have dtype {old.dtype}, got {new.dtype}")
        if tuple(new.shape) != tuple(old.shape):
            raise ValueError(
                f"update_mantissa: the values have shape {tuple(old.shape)}, got {tuple(new.shape)}; a new shape "
                f"needs a new quantity: Quantity(values, q.unit)"
            )
        self._m, self._b = new, b

    def tree_flatten(self) -> tuple[tuple[Array], Unit]:
        """jax's pytree protocol: the mantissa is the leaf, the unit static."""
        return (self._m,), self._u

    @classmethod
    def tree_unflatten(cls, unit: Unit | None, values: Any) -> Quantity:
        """jax's pytree protocol: a quantity from its unit and its one leaf (any leaf jax passes)."""
        (m,) = values
        try:
            b = backend_of(m)
        except BackendError:
            b = None  # jax's placeholders (strings, object sentinels) while it inspects structures
        return wrap(m, ONE if unit is None else unit, b)

    # -- backends ---------------------------------------------------------------------------------
    def to_backend(self, name: str | Backend, /, **options: Any) -> Quantity:
        """This quantity on backend ``name`` (``self`` if already there and no option is given).

        ``options`` are the backend's (:attr:`Backend.options`): ``device`` (cupy, torch), ``dtype``
        (torch; numpy or torch dtypes), ``chunks`` (dask).  Lazy values (dask, ndonnx) are
        materialized when they leave their backend."""
        target = get_backend(name)
        m = target.asarray(self._m, **options)
        return self if m is self._m and self._b is target else wrap(m, self._u, target)

    def to_jax(self) -> Quantity:
        """This quantity on the jax backend (``self`` if already there)."""
        return self.to_backend("jax")

    def to_numpy(self) -> Quantity:
        """This quantity on the numpy backend; materializes lazy (dask, ndonnx) values."""
        return self.to_backend("numpy")

    def to_cupy(self, device: int | None = None) -> Quantity:
        """This quantity on the cupy backend; ``device`` is a CUDA device index."""
        return self.to_backend("cupy", device=device)

    def to_torch(self, device: Any = None, dtype: Any = None) -> Quantity:
        """This quantity on the torch backend; ``dtype`` may be a numpy or a torch dtype."""
        return self.to_backend("torch", device=device, dtype=dtype)

    def to_dask(self, chunks: Any = None) -> Quantity:
        """This quantity on the dask backend (lazy), split into ``chunks`` (default ``"auto"``;
        a dask quantity is rechunked when ``chunks`` is given)."""
        return self.to_backend("dask", chunks=chunks)

    def to_ndonnx(self) -> Quantity:
        """This quantity on the ndonnx backend."""
        return self.to_backend("ndonnx")

    def to_array_api_strict(self) -> Quantity:
        """This quantity on the array_api_strict (testing) backend."""
        return self.to_backend("array_api_strict")

    # -- dask: a Quantity with a dask mantissa is a dask collection (brainunit_xp._dask) -----------
    __dask_graph__ = _dask.graph
    __dask_keys__ = _dask.keys
    __dask_layers__ = _dask.layers
    __dask_tokenize__ = _dask.tokenize
    __dask_postcompute__ = _dask.postcompute
    __dask_postpersist__ = _dask.postpersist
    __dask_optimize__ = staticmethod(_dask.optimize)
    __dask_scheduler__ = staticmethod(_dask.scheduler)
    compute = _dask.compute
    persist = _dask.persist
    rechunk = _dask.rechunk
    chunks = property(_dask.chunks, doc="The chunks of a dask Quantity's mantissa.")

    # -- torch autograd, on torch mantissas (brainunit_xp._torch) ---------------------------------
    requires_grad = property(_torch.requires_grad, doc=_torch.requires_grad.__doc__)
    grad = property(_torch.grad, doc=_torch.grad.__doc__)
    requires_grad_ = _torch.requires_grad_
    detach = _torch.detach
    backward = _torch.backward

    # -- Python protocol --------------------------------------------------------------------------
    def __repr__(self) -> str:
        u = self._u
        unit = f", unit={u.name!r}" if u.parts else ", unit-free" if u is FREE else ""
        return f"Quantity({self._m!r}{unit})"

    def __str__(self) -> str:
        u = self._u
        return _with_unit_text(str(self._m), u) if u.parts or u is FREE else str(self._m)

    def _repr_inline_(self, max_width: int) -> str:
        """xarray's one-line summary of the values, unit first: ``[mV] 1.0 2.0 3.0``."""
        from ._xarray import inline_repr

        return inline_repr(self, max_width)

    def __format__(self, spec: str) -> str:
        """The values formatted with ``spec`` (element by element for arrays), then the unit; ``%``
        needs a dimensionless quantity (a percentage of metres means nothing)."""
        if not spec:
            return str(self)
        m, u = self._m, self._u
        if spec.endswith("%"):
            if u.dim is not DIMENSIONLESS:
                raise UnitError(
                    f"format: {spec!r} shows a fraction as a percentage, and this quantity has unit "
                    f"{u.name!r}; format a dimensionless ratio, e.g. f'{{q / reference:{spec}}}'"
                )
            m, u = dimensionless(m, u, self._b, "format"), ONE
        text = _format_values(m, spec, self._b)
        return _with_unit_text(text, u) if u.parts or u is FREE else text

    def __round__(self, ndigits: int | None = None) -> Quantity:
        """``round(q, n)``: the values rounded to ``n`` decimals, unit kept."""
        if type(self._m) in SCALARS:
            return wrap(round(self._m, ndigits), self._u, self._b)
        return self.round(0 if ndigits is None else ndigits)

    def _concrete(self, op: str) -> Array:
        """The mantissa as a plain number for ``op``: dimensionless and not lazy."""
        b = self._b
        if b is not None:
            b.require_values(self._m, op)
        return dimensionless(self._m, self._u, b, op)

    def __bool__(self) -> bool:
        if self._b is not None:
            self._b.require_values(self._m, "bool")
        return bool(self._m)  # zero is zero in every unit

    def __float__(self) -> float:
        return float(self._concrete("float"))

    def __int__(self) -> int:
        return int(self._concrete("int"))

    def __complex__(self) -> complex:
        return complex(self._concrete("complex"))

    def __index__(self) -> int:
        return operator.index(self._concrete("operator.index"))

    def __hash__(self) -> int:
        if refuses_concrete(self._b):
            self._concrete("hash")
        raise TypeError("unhashable type: 'Quantity' (it is an array)")

    def _host(self, op: str) -> Any:
        """The values as numpy: dimensionless ones as plain numbers (scale folded in), others in
        this quantity's unit; lazy values are refused."""
        if self._u.dim is DIMENSIONLESS:
            return to_numpy(self._concrete(op))
        if self._b is not None and refuses_concrete(self._b):
            self._concrete(op)  # the lazy-value error
        return to_numpy(self._m)

    def tolist(self) -> Any:
        """The values as (nested) Python lists: of numbers for a dimensionless quantity, of 0-d
        quantities (Python-number mantissas) for one with units (brainunit's)."""
        out = self._host("tolist")
        out = out.tolist() if hasattr(out, "tolist") else out
        return out if self._u.dim is DIMENSIONLESS else _quantities(out, self._u)

    def item(self, *args: Any) -> Any:
        """One value (``args``: its index, as numpy's): a Python number for a dimensionless
        quantity, a 0-d quantity for one with units (brainunit's)."""
        out = self._host("item")
        out = out.item(*args) if hasattr(out, "item") else out
        return out if self._u.dim is DIMENSIONLESS else wrap(out, self._u, None)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> Any:
        import numpy as np

        out = np.asarray(to_numpy(self._concrete("numpy.asarray")), dtype=dtype)
        return out.copy() if copy else out

    def __dlpack__(
        self, /, *, stream: Any = None, max_version: Any = None, dl_device: Any = None, copy: bool | None = None
    ) -> Any:
        m, b = self._strong()
        if refuses_concrete(b):
            self._concrete("__dlpack__")
        given = {"stream": stream, "max_version": max_version, "dl_device": dl_device, "copy": copy}
        return dimensionless(m, self._u, b, "__dlpack__").__dlpack__(
            **{k: v for k, v in given.items() if v is not None}
        )

    def __dlpack_device__(self) -> Any:
        m, _ = self._strong()
        return m.__dlpack_device__()

    def __len__(self) -> int:
        m, b = self._strong()
        shape = tuple(m.shape)
        if not shape:
            raise TypeError("len() of a 0-d Quantity")
        n = shape[0]
        if n is None or n != n:  # ndonnx: None; dask with unknown chunks: nan
            raise BackendError(
                f"len(): the length of this {b.name} Quantity is not known until it is computed; "
                + ("compute the chunk sizes first (q.mantissa.compute_chunk_sizes())" if b.lazy else "run the graph")
            )
        return int(n)

    def __iter__(self) -> Iterator[Quantity]:
        m, b = self._strong()
        if m.ndim == 0:
            raise TypeError("iteration over a 0-d Quantity")
        u = self._u
        return (wrap(m[i], u, b) for i in range(m.shape[0]))

    def __reduce__(self) -> tuple[Any, ...]:
        b = self._b
        if b is not None and not b.picklable:
            b.require_values(self._m, "pickle")
            return (_restore, (b.name, b.to_numpy(self._m), self._u))
        return (_unpickle, (self._m, self._u))

    def __copy__(self) -> Quantity:
        """A new Quantity with its own copy of the values (as ``copy.copy`` of a numpy array)."""
        b = self._b
        if b is None or not b.mutable:
            return wrap(self._m, self._u, b)  # immutable arrays (jax) and numbers need no copy
        return wrap(b.xp.asarray(self._m, copy=True), self._u, b)

    def __deepcopy__(self, memo: dict[int, Any]) -> Quantity:
        b = self._b
        if b is not None and not b.picklable:
            b.require_values(self._m, "copy.deepcopy")
            return _restore(b.name, b.to_numpy(self._m), self._u)
        return wrap(_copy.deepcopy(self._m, memo), self._u, b)

    # -- indexing ---------------------------------------------------------------------------------
    def __getitem__(self, key: Any) -> Quantity:
        m, b = self._strong()
        return wrap(m[index_key(key)], self._u, b)

    def __setitem__(self, key: Any, value: Any) -> None:
        m, b = self._strong()
        vm, vu, vb = unpack(value)
        if vu is not self._u and vu is not FREE and not (vu is ONE and unit_free(vm)):
            if self._u is FREE:
                self._u = vu  # unit-free values take the unit of what is assigned
            else:
                vm = convert(vm, vu, self._u, vb, "__setitem__")
        vm = b.adopt(vm, vb, "__setitem__")
        key = index_key(key)
        if b.mutable:
            if not hasattr(m, "__setitem__"):  # a NumPy scalar: the array API promises a 0-d array
                m = b.xp.asarray(m, copy=True)
            m[key] = vm
        else:
            m = m.at[key].set(vm)
        self._m, self._b = m, b

    def _assign(self, other: Quantity) -> None:
        """Take ``other``'s mantissa, unit and backend (the in-place methods: ``sort``, ``put``...)."""
        self._m, self._u, self._b = other._m, other._u, other._b

    # -- operators: the binary ones are generated (QuantityOperators); these are their slow paths --
    def _binary(self, other: Any, op: str, rule: RuleFn, fn: Callable[[Array, Array], Array]) -> Any:
        """``self (op) other`` under ``rule``, or ``NotImplemented`` for a foreign operand."""
        if type(other) is Unit:
            return self._with_unit(other, op, rule)
        operand = _operand(other)
        if operand is None:
            return NotImplemented
        return wrap(*apply(op, rule, fn, self._m, self._u, self._b, *operand))

    def _rbinary(self, other: Any, op: str, rule: RuleFn, fn: Callable[[Array, Array], Array]) -> Any:
        """``other (op) self`` under ``rule``, or ``NotImplemented`` for a foreign operand."""
        if type(other) is Unit:
            return self._with_unit(other, op, rule)
        operand = _operand(other)
        if operand is None:
            return NotImplemented
        return wrap(*apply(op, rule, fn, *operand, self._m, self._u, self._b))

    def _with_unit(self, unit: Unit, op: str, rule: RuleFn) -> Any:
        """``q * mV``, ``q / mV``: only the unit changes (a unit-free q takes it).  A bare unit in
        any other operation is an error: ``q + mV`` means ``q + 1 * mV``, so say that."""
        if rule is product or rule is quotient:
            mine = ONE if self._u is FREE else self._u
            u, fold = mine.product(unit) if rule is product else mine.quotient(unit)
            return wrap(scale(self._m, fold, self._b, op), u, self._b)
        if op in ("__eq__", "__ne__"):
            return NotImplemented  # a Quantity is not a Unit: Python then answers False / True
        raise UnitTypeError(
            f"{op}: got the bare Unit {unit.name!r} where a quantity is needed; write 1 * {unit.name} "
            f"for one {unit.name}"
        )

    def _ibinary(
        self,
        other: Any,
        op: str,
        rule: RuleFn,
        fn: Callable[[Array, Array], Array],
        ifn: Callable[[Array, Array], Array],
    ) -> Any:
        """``self (op)= other``: in place where the backend allows and the unit stays."""
        operand = _operand(other)
        if operand is None:
            return NotImplemented
        om, ou, ob = operand
        b = self._b
        if ob is not None and ob is not b and b is not None:
            om, ob = b.adopt(om, ob, op), b  # in place keeps the left operand's backend
        m1, m2, u, fold = rule(op, self._m, self._u, b, om, ou, ob)
        if u is self._u and fold == 1.0:
            self._m = ifn(m1, m2)  # truly in place where the backend allows
        else:
            self._m = scale(fn(m1, m2), fold, b or ob)  # a new unit: never rescale shared memory
        self._u, self._b = u, b or ob
        return self

    def __divmod__(self, other: Any) -> tuple[Quantity, Quantity]:
        return self // other, self % other

    def __rdivmod__(self, other: Any) -> tuple[Quantity, Quantity]:
        return other // self, other % self

    def __neg__(self) -> Quantity:
        return wrap(-self._m, self._u, self._b)

    def __pos__(self) -> Quantity:
        return wrap(+self._m, self._u, self._b)

    def __abs__(self) -> Quantity:
        return wrap(abs(self._m), self._u, self._b)

    def __invert__(self) -> Quantity:
        return wrap(~dimensionless(self._m, self._u, self._b, "__invert__"), ONE, self._b)

    def __pow__(self, other: Any) -> Quantity:
        return _power(self, other, operator.pow)

    def __ipow__(self, other: Any) -> Quantity:
        out = _power(self, other, operator.ipow)
        self._m, self._u, self._b = out._m, out._u, out._b
        return self

    def __rpow__(self, other: Any) -> Quantity:
        bm, bu, bb = unpack(other)
        base = dimensionless(bm, bu, bb, "__rpow__")
        e = dimensionless(self._m, self._u, self._b, "__rpow__")
        base, e, b = same_backend(base, bb, e, self._b, "__rpow__")
        return wrap(base**e, ONE, b)


def _format_values(m: Array, spec: str, b: Backend | None) -> str:
    """``m`` formatted with ``spec``: a number as Python formats it, an array element by element;
    values that cannot be read here (jax tracers, lazy or symbolic arrays) as they print."""
    try:
        return format(m, spec)
    except (TypeError, ValueError) as exc:
        error = exc
    if b is not None and (refuses_concrete(b) or (b.has_values is not None and not b.has_values(m))):
        return str(m)
    try:
        import numpy as np

        values = np.asarray(to_numpy(m))
    except Exception:  # a tracer: it has no values to format
        return str(m)
    if values.ndim == 0:
        return format(values.item(), spec)
    try:
        return np.array2string(values, formatter={"all": lambda v: format(v, spec)})
    except (TypeError, ValueError):
        raise error from None  # what numpy refuses for one element, we refuse too


def _unpickle(m: Array, u: Unit) -> Quantity:
    return wrap(m, u, backend_of(m))


def _restore(backend: str, values: Any, u: Unit) -> Quantity:
    """A quantity of a backend whose arrays do not pickle by themselves, from numpy values."""
    b = get_backend(backend)
    return wrap(b.asarray(values), u, b)


def _power(q: Quantity, other: Any, fn: Callable[[Array, Array], Array]) -> Quantity:
    m, u, b = q._m, q._u, q._b
    om, ou, ob = unpack(other)
    if u.dim is DIMENSIONLESS:
        m = dimensionless(m, u, b, "pow")
        om = dimensionless(om, ou, ob, "pow")
        m, om, b = same_backend(m, b, om, ob, "pow")
        return wrap(fn(m, om), ONE, b)
    ru, p = power_unit(u, om, ou, ob, "pow")
    return wrap(fn(m, p), ru, b)


def _one_of(unit: Unit) -> tuple[float, Unit, None]:
    """The mantissa, unit and backend of ``Quantity(unit)``: one of the unit, a weak number."""
    return 1.0, unit, None


def _quantities(values: Any, u: Unit) -> Any:
    """Nested lists of Python numbers as nested lists of 0-d quantities in ``u``."""
    if isinstance(values, list):
        return [_quantities(v, u) for v in values]
    return wrap(values, u, None)


def _factorless_unit(u: Unit) -> Unit:
    """A registered unit of ``u``'s dimension and power of ten with factor 1 (``min`` -> ``das``),
    or ``u`` itself if none is registered."""
    for atom in Unit._atoms.values():
        if atom.dim is u.dim and atom.factor == 1.0 and atom.exp10 == u.exp10:
            return atom
    return u


def _numpy_text(m: Array, b: Backend | None, precision: int | None) -> str:
    """numpy's text of a mantissa; lazy, symbolic and traced values show as their own ``str``."""
    if b is not None and refuses_concrete(b):
        return str(m)
    try:
        values = to_numpy(m)
    except Exception:  # a tracer, a symbolic array, a tensor that requires grad
        return str(m)
    import numpy as np

    values = np.asarray(values)
    if values.size > 100:
        with np.printoptions(threshold=10):
            return np.array2string(values, precision=precision)
    return np.array2string(values, precision=precision)


Unit._make_quantity = Quantity
