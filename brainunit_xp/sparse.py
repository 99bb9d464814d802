"""Sparse matrices with units (JAX only), over ``jax.experimental.sparse``.

``CSR``, ``CSC``, ``COO``, ``BCOO`` and ``BCSR`` (all :class:`SparseMatrix`) hold the stored values
(a mantissa in one unit) and the index arrays of a ``jax.experimental.sparse`` matrix.  ``A @ x``
multiplies units; ``A * x`` and ``A / x`` (x a number, a scalar, or a dense array of A's shape) act
on the stored values; ``+`` and ``-`` combine sparse matrices of one dimension; ``todense()`` gives a
Quantity.  They are pytrees whose only leaf is the stored values: the index arrays are static data
(compared by identity, else by content), so ``jax.jit`` keeps its cache for a matrix and ``jax.grad``
differentiates the values only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, ClassVar

import jax
import jax.numpy as jnp
import numpy as np
from jax.experimental import sparse as jsparse

from ._conversion import as_unit, convert, mismatch, scale
from ._errors import UnitError
from ._jaxonly import JAX, jax_inputs
from ._namespace.factories import to_unit
from ._quantity import Quantity, wrap
from ._units import ONE, Unit

__all__ = [
    "BCOO",
    "BCSR",
    "COO",
    "CSC",
    "CSR",
    "SparseMatrix",
    "SparseQuantity",
    "coo_fromdense",
    "coo_todense",
    "csc_fromdense",
    "csc_todense",
    "csr_fromdense",
    "csr_todense",
]

Coords = Callable[[Any, tuple[Any, ...], tuple[int, ...]], tuple[Any, Any]]


def _checked(op: str, x: Any) -> Any:
    return jax_inputs(op, (x,), {})[0][0]


class _Pattern:
    """The index arrays of a sparse matrix as static pytree data: equal when they are the same
    arrays or hold the same integers (so jit's cache and jax.grad's cotangents keep the pattern)."""

    __slots__ = ("arrays",)

    def __init__(self, arrays: tuple[Any, ...]) -> None:
        self.arrays = arrays

    def __hash__(self) -> int:
        return hash(tuple((tuple(a.shape), str(a.dtype)) for a in self.arrays))

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, _Pattern) or len(self.arrays) != len(other.arrays):
            return False
        return all(_same_array(a, b) for a, b in zip(self.arrays, other.arrays, strict=True))


def _same_array(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if a.shape != b.shape or a.dtype != b.dtype or _traced((a, b)):
        return False
    return bool(np.array_equal(np.asarray(a), np.asarray(b)))


def _traced(arrays: tuple[Any, ...]) -> bool:
    return any(isinstance(a, jax.core.Tracer) for a in arrays)


class SparseMatrix:
    """A sparse matrix with a unit: the stored values ``.data`` (a Quantity), the format's index
    arrays, a shape.  Subclasses name a ``jax.experimental.sparse`` format."""

    __slots__ = ("_data", "_idx", "_opts", "_shape", "_u")
    _format: ClassVar[Any]
    _index_names: ClassVar[tuple[str, ...]] = ()
    _coords: ClassVar[Coords | None] = None
    _via_bcoo: ClassVar[tuple[str, ...]] = ()
    __array_ufunc__ = None  # NumPy defers ``ndarray @ A`` and ``np.float64(2) * A`` to us
    __array_priority__ = 200
    __hash__ = None  # type: ignore[assignment]

    _data: Any
    _idx: _Pattern
    _opts: tuple[tuple[str, Any], ...]
    _shape: tuple[int, ...]
    _u: Unit

    def __init__(self, args: tuple[Any, ...], *, shape: tuple[int, ...], unit: Unit | str | None = None, **kw: Any):
        """Like the jax class: ``CSR((data, indices, indptr), shape=...)``; ``data`` may be a
        Quantity (then ``unit=`` converts it); plain data is in ``unit`` (default dimensionless)."""
        op = f"brainunit_xp.sparse.{type(self).__name__}"
        data, *rest = (_checked(op, a) for a in args)
        if isinstance(data, Quantity):
            u = data._u if unit is None else as_unit(unit)
            data = convert(data._m, data._u, u, JAX, op)
        else:
            u = ONE if unit is None else as_unit(unit)
        self._set(self._format((data, *rest), shape=shape, **kw), u)

    def _set(self, js: Any, u: Unit) -> None:
        children, aux = js.tree_flatten()
        opts = dict(aux)
        self._shape = tuple(opts.pop("shape"))
        self._data, self._idx, self._opts, self._u = children[0], _Pattern(tuple(children[1:])), tuple(opts.items()), u

    @classmethod
    def _of(cls, js: Any, u: Unit) -> SparseMatrix:
        """Ours for a ``jax.experimental.sparse`` matrix ``js`` of mantissas in ``u``."""
        new: SparseMatrix = object.__new__(_CLASSES[type(js)])
        new._set(js, u)
        return new

    def _with_data(self, data: Any, u: Unit) -> SparseMatrix:
        """The same pattern with other stored values (mantissas in ``u``)."""
        new: SparseMatrix = object.__new__(type(self))
        new._data, new._idx, new._opts, new._shape, new._u = data, self._idx, self._opts, self._shape, u
        return new

    def _retag(self, u: Unit) -> SparseMatrix:
        """The same mantissas, labelled ``u`` (for brainunit_xp.autograd)."""
        return self._with_data(self._data, u)

    @classmethod
    def fromdense(cls, mat: Any, *, nse: int | None = None, index_dtype: Any = np.int32, **kw: Any) -> SparseMatrix:
        """The sparse form of a dense jax Quantity or array (``nse=`` and the format's options as for jax)."""
        mat = _checked(f"brainunit_xp.sparse.{cls.__name__}.fromdense", mat)
        m, u = (mat._m, mat._u) if isinstance(mat, Quantity) else (jnp.asarray(mat), ONE)
        return cls._of(cls._format.fromdense(m, nse=nse, index_dtype=index_dtype, **kw), u)

    from_dense = fromdense

    # -- properties ---------------------------------------------------------------------------
    @property
    def mantissa(self) -> Any:
        """The ``jax.experimental.sparse`` matrix of the values in ``.unit``."""
        return self._format.tree_unflatten({"shape": self._shape, **dict(self._opts)}, (self._data, *self._idx.arrays))

    @property
    def unit(self) -> Unit:
        return self._u

    @property
    def dim(self) -> Any:
        return self._u.dim

    @property
    def data(self) -> Quantity:
        """The stored values, as a Quantity."""
        return wrap(self._data, self._u, JAX)

    @property
    def shape(self) -> tuple[int, ...]:
        return self._shape

    @property
    def dtype(self) -> Any:
        return self._data.dtype

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def size(self) -> int:
        return math.prod(self._shape)

    @property
    def nse(self) -> int:
        """The number of stored elements."""
        return int(self.mantissa.nse)

    def __len__(self) -> int:
        return self._shape[0]

    def todense(self) -> Quantity:
        """The dense matrix, as a Quantity."""
        return wrap(self.mantissa.todense(), self._u, JAX)

    def to(self, unit: Unit | str) -> SparseMatrix:
        """The same matrix in another unit of the same dimension."""
        u = as_unit(unit)
        return self._with_data(convert(self._data, self._u, u, JAX, f"{type(self).__name__}.to"), u)

    in_unit = to

    def to_value(self, unit: Unit | str | None = None) -> Any:
        """The ``jax.experimental.sparse`` matrix of values in ``unit`` (default: its own unit)."""
        return self.mantissa if unit is None else self.to(unit).mantissa

    def with_data(self, data: Any) -> SparseMatrix:
        """The same sparsity pattern with other stored values: a Quantity (the matrix takes its unit)
        or, for a dimensionless matrix, plain values."""
        op = f"brainunit_xp.sparse.{type(self).__name__}.with_data"
        data = _checked(op, data)
        m, u = (data._m, data._u) if isinstance(data, Quantity) else (jnp.asarray(data), ONE)
        if tuple(m.shape) != tuple(self._data.shape):
            raise ValueError(f"{op}: shape mismatch: the pattern stores {self._data.shape} values, got {m.shape}")
        if not isinstance(data, Quantity) and self._u.dim is not ONE.dim:
            raise UnitError(
                f"{op}: plain values for a matrix in {self._u.name!r} would drop its unit; pass a Quantity "
                f"(e.g. values * {self._u.name!r})"
            )
        return self._with_data(m, u)

    def sum(self, axis: Any = None) -> Quantity:
        """The sum of all elements (``axis=None`` only)."""
        if axis is not None:
            raise NotImplementedError(f"{type(self).__name__}.sum: only axis=None is supported; use todense()")
        return wrap(jnp.sum(self._data), self._u, JAX)

    def block_until_ready(self) -> SparseMatrix:
        jax.block_until_ready(self._data)
        return self

    @property
    def T(self) -> SparseMatrix:
        return self.transpose()

    def transpose(self, axes: Any = None) -> SparseMatrix:
        js = self.mantissa
        return self._of(js.T if axes is None else js.transpose(axes), self._u)

    # -- arithmetic ---------------------------------------------------------------------------
    def __neg__(self) -> SparseMatrix:
        return self._with_data(-self._data, self._u)

    def __pos__(self) -> SparseMatrix:
        return self

    def __abs__(self) -> SparseMatrix:
        return self._with_data(jnp.abs(self._data), self._u)

    def _product_form(self, side: str) -> Any:
        """The jax matrix to multiply by on ``side`` (``"@"``: A @ x, ``"r@"``: x @ A).  jax's CSR
        and CSC products that run its CSR kernel transposed differentiate the stored values wrongly
        (jax 0.10: the gradient takes the row index for the column); those go through BCOO."""
        if side in self._via_bcoo and self._coords is not None:
            rows, cols = type(self)._coords(self._data, self._idx.arrays, self._shape)  # type: ignore[misc]
            return jsparse.BCOO((self._data, jnp.stack([rows, cols], axis=-1)), shape=self._shape)
        return self.mantissa

    def __matmul__(self, other: Any) -> Any:
        if isinstance(other, SparseMatrix):
            u, fold = self._u.product(other._u)
            out = self.mantissa @ other.mantissa
            return self._of(out, u)._scaled(fold) if isinstance(out, jsparse.JAXSparse) else _dense(out, u, fold)
        m, ou = _operand("@", other)
        u, fold = self._u.product(ou)
        return _dense(self._product_form("@") @ m, u, fold)

    def __rmatmul__(self, other: Any) -> Any:
        m, ou = _operand("@", other)
        u, fold = ou.product(self._u)
        js = self._product_form("r@")
        return _dense((js.T @ m.T).T if m.ndim > 1 else js.T @ m, u, fold)

    def _scaled(self, fold: float) -> SparseMatrix:
        return self if fold == 1.0 else self._with_data(scale(self._data, fold, JAX), self._u)

    def __mul__(self, other: Any) -> SparseMatrix:
        if isinstance(other, SparseMatrix):
            return self._sparse_product(other)
        m, ou = self._at_stored("*", other)
        u, fold = self._u.product(ou)
        return self._with_data(scale(self._data * m, fold, JAX), u)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> SparseMatrix:
        if isinstance(other, SparseMatrix):
            raise _implicit_zeros("/", "divide by a sparse matrix (its implicit zeros)", "A.todense() / B.todense()")
        m, ou = self._at_stored("/", other)
        u, fold = self._u.quotient(ou)
        return self._with_data(scale(self._data / m, fold, JAX), u)

    def __rtruediv__(self, other: Any) -> Any:
        raise _implicit_zeros("/", "divide by a sparse matrix (its implicit zeros)", "x / A.todense()")

    def __mod__(self, other: Any) -> SparseMatrix:
        if isinstance(other, SparseMatrix):
            raise _implicit_zeros("%", "take a remainder by a sparse matrix (its implicit zeros)", "A % B.todense()")
        op = f"brainunit_xp.sparse.{type(self).__name__} %"
        m, ou = self._at_stored("%", other)
        return self._with_data(self._data % to_unit(JAX, wrap(m, ou, JAX), self._u, op), self._u)

    def __rmod__(self, other: Any) -> Any:
        raise _implicit_zeros("%", "take a remainder by a sparse matrix (its implicit zeros)", "x % A.todense()")

    def __add__(self, other: Any) -> SparseMatrix:
        return self._combine(other, "+")

    def __sub__(self, other: Any) -> SparseMatrix:
        return self._combine(other, "-")

    def __radd__(self, other: Any) -> Any:
        return self._combine(other, "+", reflected=True)

    def __rsub__(self, other: Any) -> Any:
        return self._combine(other, "-", reflected=True)

    def _same_pattern(self, other: SparseMatrix, op: str) -> bool:
        if other._shape != self._shape:
            raise ValueError(f"sparse {op}: shape mismatch: {self._shape} and {other._shape}")
        if type(other) is not type(self):
            raise TypeError(f"sparse {op}: {type(self).__name__} and {type(other).__name__}; convert one first")
        return self._idx == other._idx and self._opts == other._opts

    def _combine(self, other: Any, op: str, reflected: bool = False) -> SparseMatrix:
        if not isinstance(other, SparseMatrix):
            raise _implicit_zeros(
                op, "add a dense array or a number to a sparse matrix (it would change the implicit zeros too)",
                f"A.with_data(A.data {op} x) for the stored values only, or A.todense() {op} x",
            )  # fmt: skip
        same = self._same_pattern(other, op)
        if other._u.dim is not self._u.dim:
            raise mismatch(f"sparse {op}", self._u, other._u)
        od = convert(other._data, other._u, self._u, JAX, f"sparse {op}")
        if same:
            return self._with_data(self._data + od if op == "+" else self._data - od, self._u)
        od = od if op == "+" else -od
        if self._format is jsparse.COO:  # duplicates are summed by todense and matmul
            row, col = (jnp.concatenate([a, b]) for a, b in zip(self._idx.arrays, other._idx.arrays, strict=True))
            data = jnp.concatenate([self._data, od])
            return self._of(jsparse.COO((data, row, col), shape=self._shape), self._u)
        if self._format is jsparse.BCOO:
            return self._of(self.mantissa + other._with_data(od, self._u).mantissa, self._u)
        raise TypeError(
            f"sparse {op}: {type(self).__name__} matrices with different sparsity patterns; convert to "
            f"BCOO or COO first (brainunit_xp.sparse.BCOO.fromdense(A.todense())), or combine the dense forms"
        )

    def _sparse_product(self, other: SparseMatrix) -> SparseMatrix:
        u, fold = self._u.product(other._u)
        if self._same_pattern(other, "*"):
            return self._with_data(scale(self._data * other._data, fold, JAX), u)
        if self._format is jsparse.BCOO:
            return self._of(self.mantissa * other.mantissa, u)._scaled(fold)
        raise TypeError(
            f"sparse *: {type(self).__name__} matrices with different sparsity patterns; convert to BCOO "
            f"first, or multiply the dense forms"
        )

    def _at_stored(self, op: str, other: Any) -> tuple[Any, Unit]:
        """``other`` (a scalar, or a dense array of this shape) at the stored positions, and its unit."""
        m, u = _operand(op, other)
        if m.size == 1:
            return m.reshape(()), u
        if tuple(m.shape) == self._shape and type(self)._coords is not None:
            rows, cols = type(self)._coords(self._data, self._idx.arrays, self._shape)  # type: ignore[misc]
            return m[rows, cols], u
        raise TypeError(
            f"sparse {op}: the other operand must be a scalar or a dense array of shape {self._shape} (got "
            f"{tuple(m.shape)}); for a matrix product use @"
        )

    def __repr__(self) -> str:
        try:
            detail = f"shape={self._shape}, nse={self.nse}, dtype={self.dtype}, unit={self._u.name!r}"
        except Exception:  # jax rebuilds trees around placeholder leaves
            detail = "<placeholder>"
        return f"{type(self).__name__}({detail})"


SparseQuantity = SparseMatrix  # brainunit_xp's earlier name


def _implicit_zeros(op: str, what: str, fix: str) -> TypeError:
    return TypeError(f"sparse {op}: cannot {what}; use {fix}")


def _operand(op: str, x: Any) -> tuple[Any, Unit]:
    if isinstance(x, Unit):
        return jnp.asarray(1.0), x
    x = _checked(f"brainunit_xp.sparse: {op}", x)
    if isinstance(x, Quantity):
        return jnp.asarray(x._m), x._u
    return jnp.asarray(x), ONE


def _dense(m: Any, u: Unit, fold: float) -> Quantity:
    return wrap(scale(m, fold, JAX), u, JAX)


# -- the coordinates of the stored values, per format (2-D, no batch or dense dimensions) ------------


def _rows_of(indptr: Any, n: int, nse: int) -> Any:
    return jnp.repeat(jnp.arange(n), jnp.diff(indptr), total_repeat_length=nse)


def _coo_coords(data: Any, idx: tuple[Any, ...], shape: tuple[int, ...]) -> tuple[Any, Any]:
    return idx[0], idx[1]


def _csr_coords(data: Any, idx: tuple[Any, ...], shape: tuple[int, ...]) -> tuple[Any, Any]:
    return _rows_of(idx[1], shape[0], data.shape[0]), idx[0]


def _csc_coords(data: Any, idx: tuple[Any, ...], shape: tuple[int, ...]) -> tuple[Any, Any]:
    return idx[0], _rows_of(idx[1], shape[1], data.shape[0])


def _bcoo_coords(data: Any, idx: tuple[Any, ...], shape: tuple[int, ...]) -> tuple[Any, Any]:
    if idx[0].ndim != 2 or data.ndim != 1:
        raise TypeError("sparse: elementwise products with a dense array need a BCOO without batch or dense dimensions")
    return idx[0][:, 0], idx[0][:, 1]


# -- the formats ----------------------------------------------------------------------------------


def _flatten(a: SparseMatrix) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    # the index arrays are static data, except while traced (a matrix built inside jit): then leaves
    if _traced(a._idx.arrays):
        return (a._data, *a._idx.arrays), (a._u, a._shape, a._opts, None)
    return (a._data,), (a._u, a._shape, a._opts, a._idx)


def _subclass(name: str, fmt: type, index_names: tuple[str, ...], coords: Coords,
              via_bcoo: tuple[str, ...] = ()) -> type[SparseMatrix]:  # fmt: skip
    def index_property(i: int) -> property:
        return property(lambda self: self._idx.arrays[i], doc=f"The index array ``{index_names[i]}`` (plain integers).")

    namespace: dict[str, Any] = {
        "__slots__": (),
        "_format": fmt,
        "_index_names": index_names,
        "_coords": staticmethod(coords),
        "_via_bcoo": via_bcoo,
        "__module__": __name__,
        **{n: index_property(i) for i, n in enumerate(index_names)},
    }
    cls: type[SparseMatrix] = type(name, (SparseMatrix,), namespace)
    cls.__doc__ = (
        f"``jax.experimental.sparse.{name}`` with a unit: stored values ``.data`` and index arrays "
        f"{', '.join(f'``.{n}``' for n in index_names)}. {SparseMatrix.__init__.__doc__}"
    )

    def unflatten(aux: tuple[Any, ...], children: tuple[Any, ...]) -> SparseMatrix:
        u, shape, opts, idx = aux
        new: SparseMatrix = object.__new__(cls)
        new._data, new._u, new._shape, new._opts = children[0], u, shape, opts
        new._idx = idx if idx is not None else _Pattern(tuple(children[1:]))
        return new

    jax.tree_util.register_pytree_node(cls, _flatten, unflatten)
    return cls


COO = _subclass("COO", jsparse.COO, ("row", "col"), _coo_coords)
CSR = _subclass("CSR", jsparse.CSR, ("indices", "indptr"), _csr_coords, via_bcoo=("r@",))
CSC = _subclass("CSC", jsparse.CSC, ("indices", "indptr"), _csc_coords, via_bcoo=("@",))
BCOO = _subclass("BCOO", jsparse.BCOO, ("indices",), _bcoo_coords)
BCSR = _subclass("BCSR", jsparse.BCSR, ("indices", "indptr"), _csr_coords)
_CLASSES: dict[type, type[SparseMatrix]] = {
    jsparse.COO: COO,
    jsparse.CSR: CSR,
    jsparse.CSC: CSC,
    jsparse.BCOO: BCOO,
    jsparse.BCSR: BCSR,
}


def _fromdense(cls: type[SparseMatrix]) -> Callable[..., SparseMatrix]:
    def fromdense(mat: Any, *, nse: int | None = None, index_dtype: Any = np.int32) -> SparseMatrix:
        return cls.fromdense(mat, nse=nse, index_dtype=index_dtype)

    fromdense.__name__ = fromdense.__qualname__ = f"{cls.__name__.lower()}_fromdense"
    fromdense.__doc__ = f"A :class:`{cls.__name__}` from a dense jax Quantity or array (its unit kept)."
    return fromdense


def _todense(cls: type[SparseMatrix]) -> Callable[[SparseMatrix], Quantity]:
    def todense(mat: SparseMatrix) -> Quantity:
        if not isinstance(mat, cls):
            raise TypeError(f"{cls.__name__.lower()}_todense: expected a {cls.__name__}, got {type(mat).__name__}")
        return mat.todense()

    todense.__name__ = todense.__qualname__ = f"{cls.__name__.lower()}_todense"
    todense.__doc__ = f"The dense form of a :class:`{cls.__name__}`, as a Quantity."
    return todense


csr_fromdense, csr_todense = _fromdense(CSR), _todense(CSR)
csc_fromdense, csc_todense = _fromdense(CSC), _todense(CSC)
coo_fromdense, coo_todense = _fromdense(COO), _todense(COO)
