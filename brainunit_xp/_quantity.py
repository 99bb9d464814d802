"""The Quantity: an array mantissa of any backend paired with a Unit.

The mantissa is stored in its own unit (``3 * mV`` keeps ``3`` and ``mV``).  Binary operations
convert the right operand to the left operand's unit, fold the scale of a dimensionless result
into the mantissa, pick the backend by the selection rule, and compute with the mantissas' own
operators, so every backend's semantics (dtypes, broadcasting, laziness) are kept.
"""

from __future__ import annotations

import copy as _copy
import math
import operator
from collections.abc import Callable
from typing import Any

import array_api_compat as _compat

from ._backends import (
    BACKENDS,
    Backend,
    backend_of,
    default_backend,
    get_backend,
    refuses_concrete,
    select_backend,
)
from ._errors import BackendError, DimensionMismatchError, UnitError
from ._units import DIMENSIONLESS, FREE, ONE, Dimension, Unit, parse_unit
from ._units.dimension import as_exponent

__all__ = ["Quantity", "as_unit"]

_PY_SCALARS = (int, float, complex)
_INF = math.inf


def as_unit(unit: Unit | str | None) -> Unit:
    """``unit`` as a :class:`Unit`: ``None`` is dimensionless, a string is parsed."""
    if unit is None:
        return ONE
    if type(unit) is Unit:
        return unit
    if isinstance(unit, str):
        return parse_unit(unit)
    if isinstance(unit, Quantity):
        raise UnitError(f"a unit is needed, got the Quantity {unit!r}; use its .unit, or multiply: value * quantity")
    raise UnitError(f"a unit must be a Unit or a string, got {type(unit).__name__}")


def unit_free(x: object) -> bool:
    """Python 0, inf and nan carry no unit: they mean the same in every unit."""
    return type(x) in _PY_SCALARS and (x == 0 or x != x or x in (_INF, -_INF))  # type: ignore[operator]


# -- mantissa conversion --------------------------------------------------------------------------


def _is_integral(m: Any, b: Backend | None) -> bool:
    dt = getattr(m, "dtype", None)
    if dt is None or b is None:
        return False  # Python numbers promote by themselves
    kind = getattr(dt, "kind", None)
    if kind is not None:
        return kind in "biu"
    return bool(b.xp.isdtype(dt, ("bool", "integral")))


def _to_float(m: Any, b: Backend) -> Any:
    xp = b.xp
    return xp.astype(m, xp.__array_namespace_info__().default_dtypes()["real floating"])


def scale(m: Any, factor: float, b: Backend | None) -> Any:
    """``m * factor``, keeping the dtype where the factor allows it: a whole factor keeps integers
    integral; a fractional one promotes integers to the backend's default floating dtype."""
    if factor == 1.0:
        return m
    if factor.is_integer() and abs(factor) < 2**53:
        return m * int(factor)
    if b is not None and _is_integral(m, b):
        m = _to_float(m, b)
    return m * factor


def mismatch(op: str, u1: Unit, u2: Unit) -> DimensionMismatchError:
    return DimensionMismatchError(
        f"{op}: incompatible units {u1.name!r} ({u1.dim.describe()}) and {u2.name!r} "
        f"({u2.dim.describe()}); the operands need the same dimension. Convert one with "
        f".to(...), or check the physics."
    )


def convert(m: Any, frm: Unit, to: Unit, b: Backend | None, op: str) -> Any:
    """Mantissa ``m`` in unit ``frm`` expressed in unit ``to``; raises if dimensions differ."""
    if frm is to or frm is FREE:
        return m
    if frm.dim is not to.dim:
        raise mismatch(op, to, frm)
    return scale(m, frm.factor_to(to), b)


def dimensionless(m: Any, u: Unit, b: Backend | None, op: str) -> Any:
    """Mantissa ``m`` in unit ``u`` as a plain number; raises unless ``u`` is dimensionless."""
    if u is ONE:
        return m
    if u.dim is not DIMENSIONLESS:
        unit = u.name if " " not in u.name else f"({u.name})"
        raise UnitError(
            f"{op}: needs a dimensionless argument, got unit {u.name!r} ({u.dim.describe()}). "
            f"Divide by a unit first, e.g. x / {unit}, or pass x.to_value({u.name!r})."
        )
    return scale(m, u.scale, b)


# -- construction ----------------------------------------------------------------------------------

_new = object.__new__


def wrap(m: Any, u: Unit, b: Backend | None) -> Quantity:
    """Internal fast constructor: no checks."""
    q = _new(Quantity)
    q._m = m
    q._u = u
    q._b = b
    return q


def split(x: Any) -> tuple[Any, Unit, Backend | None]:
    """``(mantissa, unit, backend)`` of a Quantity, a Python number or an array (dimensionless)."""
    if type(x) is Quantity:
        return x._m, x._u, x._b
    if isinstance(x, Quantity):
        return x._m, x._u, x._b
    return x, ONE, backend_of(x)


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
        if isinstance(x, Quantity):
            unit = x._u if unit is None and x._u is not FREE else unit
            b = x._b
        else:
            b = None if type(x) in _PY_SCALARS or type(x) is bool else backend_of(x)
        if b is not None:
            if target is not None and b is not target:
                raise BackendError(
                    f"{op}: got an array of the {b.name} backend, but this namespace computes with "
                    f"{target.name}. Call .to_{target.name}() on it first."
                )
            found.append(b)

    scan(seq)
    u = ONE if unit is None else unit
    b = target or select_backend(*found)

    def plain(x: Any) -> Any:
        if isinstance(x, (list, tuple)):
            return [plain(item) for item in x]
        m, xu, xb = split(x)
        if not (xu is u or (xu is ONE and unit_free(m))):
            m = convert(m, xu, u, xb, op)
        return m if xb is None or xb is b else b.asarray(m)

    return plain(seq), u, b


# -- the class ------------------------------------------------------------------------------------


class Quantity:
    """An array (or number) ``mantissa`` of any backend, with a physical ``unit``.

    >>> import numpy as np
    >>> import brainunit_xp as u
    >>> q = u.Quantity(np.array([1.0, 2.0]), unit=u.meter)
    >>> print(q + 50 * u.cm)
    [1.5 2.5] m

    ``value * unit`` makes one too.  A Python-number mantissa (``3 * u.mV``) is *weak*: it takes
    the backend of the array it meets, as Python scalars do in the array API standard.
    """

    __slots__ = ("_b", "_m", "_u")
    _m: Any
    _u: Unit
    _b: Backend | None

    # numpy, jax and torch hand binary operations with a Quantity over to its reflected method
    __array_ufunc__ = None
    __array_priority__ = 1000

    def __init__(self, mantissa: Any, unit: Unit | str | None = None, *, dtype: Any = None) -> None:
        u = as_unit(unit)
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
                if not (hasattr(m, "__array__") or hasattr(m, "__array_interface__")):
                    raise
                import numpy as np

                m, b = np.asarray(m), BACKENDS["numpy"]
        if dtype is not None:
            b = b or default_backend()
            m = b.xp.asarray(m, dtype=dtype)
        self._m, self._u, self._b = m, u, b

    # -- basic attributes -------------------------------------------------------------------------
    @property
    def mantissa(self) -> Any:
        """The array (or number) of values, in :attr:`unit`."""
        return self._m

    @property
    def unit(self) -> Unit:
        return self._u

    @property
    def dim(self) -> Dimension:
        return self._u.dim

    @property
    def backend(self) -> str:
        """Name of the backend; a Python-number mantissa reports the one it would compute on."""
        return (self._b or default_backend()).name

    def _strong(self) -> tuple[Any, Backend]:
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
        return self._strong()[0].ndim

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
        from ._namespace import namespace_for

        return namespace_for(self._b or default_backend(), api_version)

    # -- units ------------------------------------------------------------------------------------
    def to(self, unit: Unit | str) -> Quantity:
        """The same quantity expressed in ``unit`` (raises if the dimensions differ)."""
        u = as_unit(unit)
        if self._u is not FREE:
            self._u.factor_to(u, "to")  # names both units if the dimensions differ
        return wrap(convert(self._m, self._u, u, self._b, "to"), u, self._b)

    def to_value(self, unit: Unit | str | None = None) -> Any:
        """The plain mantissa in ``unit`` (default: this quantity's own unit)."""
        if unit is None:
            return self._m
        u = as_unit(unit)
        if self._u is not FREE:
            self._u.factor_to(u, "to_value")  # names both units if the dimensions differ
        return convert(self._m, self._u, u, self._b, "to_value")

    to_decimal = to_value  # brainunit's name

    # -- backends ---------------------------------------------------------------------------------
    def _to_backend(self, name: str) -> Quantity:
        target = get_backend(name)
        if self._b is target:
            return self
        return wrap(target.asarray(self._m), self._u, target)

    def to_jax(self) -> Quantity:
        """This quantity on the jax backend (``self`` if already there)."""
        return self._to_backend("jax")

    def to_numpy(self) -> Quantity:
        """This quantity on the numpy backend; materializes lazy (dask, ndonnx) values."""
        return self._to_backend("numpy")

    def to_cupy(self, device: int | None = None) -> Quantity:
        """This quantity on the cupy backend; ``device`` is a CUDA device index."""
        target = get_backend("cupy")
        cupy = target.xp
        if self._b is target and (device is None or self._m.device.id == device):
            return self
        import cupy as cp

        with cp.cuda.Device(device):
            m = self._m.copy() if self._b is target else cupy.asarray(self.to_numpy()._m)
        return wrap(m, self._u, target)

    def to_torch(self, device: Any = None, dtype: Any = None) -> Quantity:
        """This quantity on the torch backend; ``dtype`` may be a numpy or a torch dtype."""
        target = get_backend("torch")
        if self._b is target and device is None and dtype is None:
            return self
        import torch

        if dtype is not None and not isinstance(dtype, torch.dtype):
            import numpy as np

            dtype = getattr(torch, np.dtype(dtype).name)
        m = self._m if self._b is target else target.asarray(self._m)
        return wrap(m.to(device=device, dtype=dtype), self._u, target)

    def to_dask(self, chunks: Any = "auto") -> Quantity:
        """This quantity on the dask backend (lazy), split into ``chunks``."""
        target = get_backend("dask")
        if self._b is target:
            return self
        target.xp  # noqa: B018  # BackendError with the install command if dask is missing
        from ._backends import _numpy_to_dask, _to_numpy

        return wrap(_numpy_to_dask(target, _to_numpy(self._m), chunks), self._u, target)

    def to_ndonnx(self) -> Quantity:
        """This quantity on the ndonnx backend."""
        return self._to_backend("ndonnx")

    def to_array_api_strict(self) -> Quantity:
        """This quantity on the array_api_strict (testing) backend."""
        return self._to_backend("array_api_strict")

    # -- Python protocol --------------------------------------------------------------------------
    def __repr__(self) -> str:
        unit = "" if not self._u.parts else f", unit={self._u.name!r}"
        return f"Quantity({self._m!r}{unit})"

    def __str__(self) -> str:
        return str(self._m) if not self._u.parts else f"{self._m} {self._u.name}"

    def __format__(self, spec: str) -> str:
        text = format(self._m, spec) if spec else str(self._m)
        return text if not self._u.parts else f"{text} {self._u.name}"

    def _concrete(self, op: str) -> Any:
        """The mantissa as a plain number for ``op``: dimensionless and not lazy."""
        b = self._b
        if refuses_concrete(b):
            raise BackendError(
                f"{op}: a {b.name} Quantity is lazy and has no concrete value; call q.mantissa.compute() "
                f"(or q.to_numpy()) first, or compute on request: with brainunit_xp.computing_lazy_values()"
            )
        return dimensionless(self._m, self._u, b, op)

    def __bool__(self) -> bool:
        if refuses_concrete(self._b):
            self._concrete("bool")
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

    def tolist(self) -> Any:
        """The values as (nested) Python numbers; only for dimensionless quantities."""
        m = self._concrete("tolist")
        from ._backends import _to_numpy

        out = _to_numpy(m)
        return out.tolist() if hasattr(out, "tolist") else out

    def item(self) -> Any:
        """The single value as a Python number; only for dimensionless quantities."""
        m = self._concrete("item")
        from ._backends import _to_numpy

        out = _to_numpy(m)
        return out.item() if hasattr(out, "item") else out

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> Any:
        import numpy as np

        m = self._concrete("numpy.asarray")
        from ._backends import _to_numpy

        out = np.asarray(_to_numpy(m), dtype=dtype)
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
        shape = self._strong()[0].shape
        if not shape:
            raise TypeError("len() of a 0-d Quantity")
        return int(shape[0])

    def __iter__(self) -> Any:
        m, b = self._strong()
        if m.ndim == 0:
            raise TypeError("iteration over a 0-d Quantity")
        u = self._u
        return (wrap(m[i], u, b) for i in range(m.shape[0]))

    def __reduce__(self) -> tuple[Any, ...]:
        b = self._b
        if b is not None and b.name == "ndonnx":
            return (_unpickle_ndonnx, (self._m.unwrap_numpy(), self._u))
        return (_unpickle, (self._m, self._u))

    def __copy__(self) -> Quantity:
        return wrap(self._m, self._u, self._b)

    def __deepcopy__(self, memo: dict) -> Quantity:
        b = self._b
        if b is not None and b.name == "ndonnx":
            return wrap(b.xp.asarray(self._m.unwrap_numpy()), self._u, b)
        return wrap(_copy.deepcopy(self._m, memo), self._u, b)

    # -- indexing ---------------------------------------------------------------------------------
    def __getitem__(self, key: Any) -> Quantity:
        m, b = self._strong()
        return wrap(m[_index(key)], self._u, b)

    def __setitem__(self, key: Any, value: Any) -> None:
        m, b = self._strong()
        vm, vu, vb = split(value)
        if vu is not self._u and vu is not FREE and not (vu is ONE and unit_free(vm)):
            if self._u is FREE:
                self._u = vu  # unit-free values take the unit of what is assigned
            else:
                vm = convert(vm, vu, self._u, vb, "__setitem__")
        if vb is not None and vb is not b:
            vm = b.asarray(vm)
        key = _index(key)
        if b.mutable:
            if not hasattr(m, "__setitem__"):  # a NumPy scalar: the array API promises a 0-d array
                m = b.xp.asarray(m, copy=True)
            m[key] = vm
        else:
            m = m.at[key].set(vm)
        self._m, self._b = m, b

    # -- operators (filled in below) --------------------------------------------------------------
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
        m, b = self._m, self._b
        base, bu, bb = split(other)
        base = dimensionless(base, bu, bb, "__rpow__")
        e = dimensionless(m, self._u, b, "__rpow__")
        base, e, b = _same_backend(base, bb, e, b)
        return wrap(base**e, ONE, b)

    # these are filled in by _install_operators
    __add__: Callable[[Quantity, Any], Quantity]
    __eq__: Callable[[Quantity, Any], Any]  # type: ignore[assignment]


def _unpickle(m: Any, u: Unit) -> Quantity:
    return wrap(m, u, backend_of(m))


def _unpickle_ndonnx(m: Any, u: Unit) -> Quantity:
    b = get_backend("ndonnx")
    return wrap(b.xp.asarray(m), u, b)


def _index(key: Any) -> Any:
    """An indexing key with dimensionless Quantities (indices, masks) replaced by mantissas."""
    if isinstance(key, Quantity):
        return key._concrete("index") if key._b is None else dimensionless(key._m, key._u, key._b, "index")
    if type(key) is tuple:
        return tuple(_index(k) for k in key)
    if type(key) is slice and Quantity in (type(key.start), type(key.stop), type(key.step)):
        return slice(_index(key.start), _index(key.stop), _index(key.step))  # x[0:n] with n a Quantity
    return key


def _same_backend(m1: Any, b1: Backend | None, m2: Any, b2: Backend | None) -> tuple[Any, Any, Backend | None]:
    """Both mantissas on one backend by the selection rule (Python numbers stay weak)."""
    if b1 is b2 or b2 is None:
        return m1, m2, b1
    if b1 is None:
        return m1, m2, b2
    b = select_backend(b1, b2)
    return b.asarray(m1), b.asarray(m2), b


def exponent(p: Any, op: str) -> Any:
    """A concrete scalar exponent (a Python number) for a base that has units."""
    if isinstance(p, Quantity):
        p = dimensionless(p._m, p._u, p._b, op)
    if type(p) in (int, float) or isinstance(p, (int, float)):
        return p
    b = backend_of(p)
    shape = tuple(getattr(p, "shape", ()))
    if shape != ():
        raise UnitError(
            f"{op}: the exponent of a base with units must be a scalar, got an array of shape {shape}; "
            f"the result's unit would differ element by element"
        )
    if refuses_concrete(b):
        raise BackendError(
            f"{op}: the exponent of a base with units must be concrete; got a lazy {b.name} array "
            f"(compute it first, or with brainunit_xp.computing_lazy_values())"
        )
    try:
        return p.item() if hasattr(p, "item") else float(p)
    except Exception as exc:  # tracers and symbolic arrays raise their own errors
        raise UnitError(
            f"{op}: the exponent of a base with units must be a concrete number, not a traced or "
            f"symbolic value ({type(exc).__name__}); pass it as a Python number (static under jit)"
        ) from None


def power_unit(u: Unit, p: Any, op: str) -> tuple[Unit, Any]:
    """``(unit, exponent)`` of ``u ** p``; ``p`` comes back as a Python number."""
    p = exponent(p, op)
    try:
        frac = as_exponent(p)
    except (TypeError, ValueError) as exc:
        raise UnitError(f"{op}: cannot raise unit {u.name!r} to {p!r}: {exc}") from None
    return u**frac, p


def _power(q: Quantity, other: Any, op: Callable[[Any, Any], Any]) -> Quantity:
    m, u, b = q._m, q._u, q._b
    if u.dim is DIMENSIONLESS:
        m = dimensionless(m, u, b, "pow")
        om, ou, ob = split(other)
        om = dimensionless(om, ou, ob, "pow")
        m, om, b = _same_backend(m, b, om, ob)
        return wrap(op(m, om), ONE, b)
    ru, p = power_unit(u, other, "pow")
    return wrap(op(m, p), ru, b)


# -- binary operators -------------------------------------------------------------------------------
# Each kind is one unit rule: given the two (mantissa, unit, backend) triples it returns the
# mantissas to combine and the result unit, raising when the physics is wrong.

Triple = tuple[Any, Unit, "Backend | None"]


def rule_same(name: str, m1: Any, u1: Unit, b1: Any, m2: Any, u2: Unit, b2: Any) -> tuple[Any, Any, Unit, float]:
    """Same dimension in, the first operand's unit out (0/inf/nan take the other's unit)."""
    if u2 is u1:
        return m1, m2, u1, 1.0
    if u2 is FREE or (u2 is ONE and unit_free(m2)):
        return m1, m2, u1, 1.0
    if u1 is FREE or (u1 is ONE and unit_free(m1)):
        return m1, m2, u2, 1.0
    m2c = convert(m2, u2, u1, b2, name)
    if b1 is not None and _is_integral(m1, b1) and _is_integral(m2, b2) and not _is_integral(m2c, b2):
        m1 = _to_float(m1, b1)  # the conversion made x2 floating: promote x1 alike
    return m1, m2c, u1, 1.0


def rule_compare(name: str, m1: Any, u1: Unit, b1: Any, m2: Any, u2: Unit, b2: Any) -> tuple[Any, Any, Unit, float]:
    """Same dimension in, dimensionless out."""
    m1, m2, _, _ = rule_same(name, m1, u1, b1, m2, u2, b2)
    return m1, m2, ONE, 1.0


def rule_product(name: str, m1: Any, u1: Unit, b1: Any, m2: Any, u2: Unit, b2: Any) -> tuple[Any, Any, Unit, float]:
    """Units multiply; a dimensionless result's scale folds into the mantissa."""
    u, fold = u1.product(u2)
    return m1, m2, u, fold


def rule_quotient(name: str, m1: Any, u1: Unit, b1: Any, m2: Any, u2: Unit, b2: Any) -> tuple[Any, Any, Unit, float]:
    """Units divide; a dimensionless result's scale folds into the mantissa."""
    u, fold = u1.quotient(u2)
    return m1, m2, u, fold


def rule_solve(name: str, m1: Any, u1: Unit, b1: Any, m2: Any, u2: Unit, b2: Any) -> tuple[Any, Any, Unit, float]:
    """The solution of ``x1 @ y = x2``: unit of x2 over unit of x1."""
    u, fold = u2.quotient(u1)
    return m1, m2, u, fold


def rule_dimensionless(
    name: str, m1: Any, u1: Unit, b1: Any, m2: Any, u2: Unit, b2: Any
) -> tuple[Any, Any, Unit, float]:
    """Both operands dimensionless, dimensionless out."""
    return dimensionless(m1, u1, b1, name), dimensionless(m2, u2, b2, name), ONE, 1.0


def rule_first(name: str, m1: Any, u1: Unit, b1: Any, m2: Any, u2: Unit, b2: Any) -> tuple[Any, Any, Unit, float]:
    """The first operand's unit out; the second is used for its sign only, in any unit."""
    return m1, m2, u1, 1.0


Rule = Callable[[str, Any, Unit, Any, Any, Unit, Any], tuple[Any, Any, Unit, float]]

#: operator -> (the array-API function it corresponds to, its unit rule, the mantissa operation)
OPERATORS: dict[str, tuple[str, Rule, Callable[[Any, Any], Any]]] = {
    "add": ("add", rule_same, operator.add),
    "sub": ("subtract", rule_same, operator.sub),
    "mod": ("remainder", rule_same, operator.mod),
    "mul": ("multiply", rule_product, operator.mul),
    "matmul": ("matmul", rule_product, operator.matmul),
    "truediv": ("divide", rule_quotient, operator.truediv),
    "floordiv": ("floor_divide", rule_compare, operator.floordiv),
    "and": ("bitwise_and", rule_dimensionless, operator.and_),
    "or": ("bitwise_or", rule_dimensionless, operator.or_),
    "xor": ("bitwise_xor", rule_dimensionless, operator.xor),
    "lshift": ("bitwise_left_shift", rule_dimensionless, operator.lshift),
    "rshift": ("bitwise_right_shift", rule_dimensionless, operator.rshift),
    "lt": ("less", rule_compare, operator.lt),
    "le": ("less_equal", rule_compare, operator.le),
    "gt": ("greater", rule_compare, operator.gt),
    "ge": ("greater_equal", rule_compare, operator.ge),
    "eq": ("equal", rule_compare, operator.eq),
    "ne": ("not_equal", rule_compare, operator.ne),
}
_REFLECTED = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}


def _operand(other: Any) -> Triple | None:
    """``other`` as (mantissa, unit, backend), or None if it is not an array-like operand."""
    t = type(other)
    if t is Quantity:
        return other._m, other._u, other._b
    if t in _PY_SCALARS or t is bool:
        return other, ONE, None
    if t is Unit:
        return 1, other, None
    if isinstance(other, Quantity):
        return other._m, other._u, other._b
    try:
        return other, ONE, backend_of(other)
    except BackendError:
        return None


#: operator -> its Python symbol, for the generated fast paths
_SYMBOLS = {"add": "+", "sub": "-", "mod": "%", "mul": "*", "matmul": "@", "truediv": "/", "floordiv": "//",
            "and": "&", "or": "|", "xor": "^", "lshift": "<<", "rshift": ">>", "lt": "<", "le": "<=",
            "gt": ">", "ge": ">=", "eq": "==", "ne": "!="}  # fmt: skip

# The hot paths are generated with the operator written out, not called through ``operator.add``:
# NumPy reuses a temporary operand in place only when the interpreter itself applies ``+``.
_FAST_SAME = """
def forward(self, other, Quantity=Quantity, _new=_new, ONE=ONE, _floating=_floating, slow=slow):
    if type(other) is Quantity:
        b = self._b
        ob = other._b
        if b is ob or ob is None:
            u = self._u
            ou = other._u
            if ou is u:
                q = _new(Quantity)
                q._m = self._m {sym} other._m
                q._u = {out}
                q._b = b
                return q
            f = ou._conv.get(id(u))
            if f is not None and _floating(other._m):
                q = _new(Quantity)
                q._m = self._m {sym} other._m * f
                q._u = {out}
                q._b = b
                return q
    return slow(self, other)
"""
_FAST_PRODUCT = """
def forward(self, other, Quantity=Quantity, _new=_new, slow=slow):
    if type(other) is Quantity:
        b = self._b
        ob = other._b
        if b is ob or ob is None:
            r = self._u.{cache}.get(id(other._u))
            if r is not None and r[1] == 1.0:
                q = _new(Quantity)
                q._m = self._m {sym} other._m
                q._u = r[0]
                q._b = b
                return q
    return slow(self, other)
"""
#: id(dtype) -> (dtype, is it floating?): by identity, since dtypes of different libraries must not
#: be compared (array_api_strict warns), and holding the dtype keeps its id from being reused
_FLOATING: dict[int, tuple[Any, bool]] = {}


def _floating(m: Any) -> bool:
    """Is ``m`` a floating array or a Python float?  (Cached per dtype.)"""
    try:
        dt = m.dtype
    except AttributeError:
        return type(m) is float
    hit = _FLOATING.get(id(dt))
    if hit is None:
        kind = getattr(dt, "kind", None)
        if kind is not None:
            out = kind in ("f", "c")
        else:
            out = bool(getattr(dt, "is_floating_point", False) or getattr(dt, "is_complex", False))
        hit = _FLOATING[id(dt)] = (dt, out)
    return hit[1]


def _make_operator(key: str, func: str, rule: Rule, op: Callable[[Any, Any], Any]) -> tuple[Any, Any, Any]:
    dunder = f"__{key}__"
    unit_only = rule is rule_product or rule is rule_quotient
    iop = getattr(operator, f"i{key}", op)

    def slow(self: Quantity, other: Any) -> Any:
        if type(other) is Unit and unit_only:  # q * mV: only the unit changes
            _, _, u, fold = rule(dunder, None, self._u, None, None, other, None)
            return wrap(scale(self._m, fold, self._b), u, self._b)
        operand = _operand(other)
        if operand is None:
            return NotImplemented
        return _apply(dunder, rule, op, self._m, self._u, self._b, *operand)

    if rule is rule_same or rule is rule_compare:
        source = _FAST_SAME.format(sym=_SYMBOLS[key], out="ONE" if rule is rule_compare else "u")
    elif unit_only:
        source = _FAST_PRODUCT.format(sym=_SYMBOLS[key], cache="_qmul" if rule is rule_product else "_qdiv")
    else:
        source = None
    if source is None:
        forward = slow
    else:
        scope = {"Quantity": Quantity, "ONE": ONE, "_new": _new, "_floating": _floating, "slow": slow}
        exec(compile(source, f"<brainunit_xp operator {dunder}>", "exec"), scope)
        forward = scope["forward"]

    def reflected(self: Quantity, other: Any) -> Any:
        operand = _operand(other)
        if operand is None:
            return NotImplemented
        return _apply(f"__r{key}__", rule, op, *operand, self._m, self._u, self._b)

    def inplace(self: Quantity, other: Any) -> Any:
        operand = _operand(other)
        if operand is None:
            return NotImplemented
        om, ou, ob = operand
        b = self._b
        if ob is not None and ob is not b and b is not None:
            om, ob = b.asarray(om), b  # in place keeps the left operand's backend
        m1, m2, u, fold = rule(f"__i{key}__", self._m, self._u, b, om, ou, ob)
        if u is self._u and fold == 1.0:
            self._m = iop(m1, m2)  # truly in place where the backend allows
        else:
            self._m = scale(op(m1, m2), fold, b or ob)  # a new unit: never rescale shared memory
        self._u, self._b = u, b or ob
        return self

    return forward, reflected, inplace


def _apply(
    name: str, rule: Rule, op: Callable[[Any, Any], Any], m1: Any, u1: Unit, b1: Any, m2: Any, u2: Unit, b2: Any
) -> Quantity:
    if b1 is not b2 and b1 is not None and b2 is not None:
        b = select_backend(b1, b2)
        m1, m2, b1, b2 = b.asarray(m1), b.asarray(m2), b, b
    m1, m2, u, fold = rule(name, m1, u1, b1, m2, u2, b2)
    b = b1 or b2
    out = op(m1, m2)
    return wrap(out if fold == 1.0 else scale(out, fold, b), u, b)


def _install_operators() -> None:
    for key, (func, rule, op) in OPERATORS.items():
        forward, reflected, inplace = _make_operator(key, func, rule, op)
        for kind, method in (("", forward), ("r", reflected), ("i", inplace)):
            if kind and key in _REFLECTED:
                continue  # comparisons reflect into each other; they have no in-place form
            method.__name__ = method.__qualname__ = f"__{kind}{key}__"
            method.__doc__ = f"Operator form of ``{func}`` (unit rule: {rule.__doc__})"
            setattr(Quantity, method.__name__, method)

    def divmod_(self: Quantity, other: Any) -> tuple[Quantity, Quantity]:
        return self // other, self % other

    def rdivmod(self: Quantity, other: Any) -> tuple[Quantity, Quantity]:
        return other // self, other % self

    Quantity.__divmod__ = divmod_  # type: ignore[attr-defined]
    Quantity.__rdivmod__ = rdivmod  # type: ignore[attr-defined]


_install_operators()
Unit._make_quantity = Quantity
