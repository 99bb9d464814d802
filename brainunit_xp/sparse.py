"""Sparse matrices with units (JAX only), over ``jax.experimental.sparse``.

``COO``, ``CSR``, ``CSC``, ``BCOO`` and ``BCSR`` hold a jax sparse matrix of mantissas and one
unit. ``A @ x`` multiplies units; scaling by a number or a scalar Quantity multiplies or divides
them; ``todense()`` gives a Quantity. They are pytrees (the unit static), so ``jax.jit`` and
``jax.grad`` see through them.
"""

from __future__ import annotations

from typing import Any, ClassVar

import jax
from jax.experimental import sparse as jsparse

from ._conversion import as_unit, convert, mismatch
from ._jaxonly import JAX, jax_inputs
from ._quantity import Quantity, wrap
from ._units import ONE, Unit

__all__ = ["BCOO", "BCSR", "COO", "CSC", "CSR", "SparseQuantity"]


def _checked(op: str, x: Any) -> Any:
    return jax_inputs(op, (x,), {})[0][0]


class SparseQuantity:
    """A jax sparse matrix of mantissas (``.mantissa``) and a :class:`Unit` (``.unit``)."""

    __slots__ = ("_s", "_u")
    _format: ClassVar[Any]
    __array_priority__ = 200  # NumPy defers ``ndarray @ A`` to us

    def __init__(self, args: tuple[Any, ...], *, shape: tuple[int, ...], unit: Unit | str | None = None, **kw: Any):
        """Like the jax class: ``CSR((data, indices, indptr), shape=...)``; ``data`` may be a Quantity."""
        op = f"brainunit_xp.sparse.{type(self).__name__}"
        data, *rest = (_checked(op, a) for a in args)
        if isinstance(data, Quantity):
            u = data._u if unit is None else as_unit(unit)
            data = convert(data._m, data._u, u, JAX, op)
        else:
            u = ONE if unit is None else as_unit(unit)
        self._s = self._format((data, *rest), shape=shape, **kw)
        self._u = u

    @classmethod
    def _of(cls, s: Any, u: Unit) -> SparseQuantity:
        new = object.__new__(cls)
        new._s, new._u = s, u
        return new

    @classmethod
    def fromdense(cls, x: Any, **kw: Any) -> SparseQuantity:
        """The sparse form of a dense jax Quantity or array (``nse=`` etc. as for jax)."""
        x = _checked(f"brainunit_xp.sparse.{cls.__name__}.fromdense", x)
        m, u = (x._m, x._u) if isinstance(x, Quantity) else (x, ONE)
        return cls._of(cls._format.fromdense(m, **kw), u)

    from_dense = fromdense

    # -- properties ---------------------------------------------------------------------------
    @property
    def mantissa(self) -> Any:
        """The jax sparse matrix, in the unit ``.unit``."""
        return self._s

    @property
    def unit(self) -> Unit:
        return self._u

    @property
    def dim(self) -> Any:
        return self._u.dim

    @property
    def data(self) -> Quantity:
        """The stored values, as a Quantity."""
        return wrap(self._s.data, self._u, JAX)

    shape = property(lambda self: self._s.shape)
    dtype = property(lambda self: self._s.dtype)
    ndim = property(lambda self: self._s.ndim)
    nse = property(lambda self: self._s.nse)

    def todense(self) -> Quantity:
        """The dense matrix, as a Quantity."""
        return wrap(self._s.todense(), self._u, JAX)

    def to(self, unit: Unit | str) -> SparseQuantity:
        """The same matrix in another unit of the same dimension."""
        u = as_unit(unit)
        return self._with_data(convert(self._s.data, self._u, u, JAX, f"{type(self).__name__}.to"), u)

    def to_value(self, unit: Unit | str | None = None) -> Any:
        """The jax sparse matrix of values in ``unit`` (default: its own unit)."""
        return self._s if unit is None else self.to(unit)._s

    def _with_data(self, data: Any, u: Unit) -> SparseQuantity:
        leaves, tree = jax.tree.flatten(self._s)
        return self._of(jax.tree.unflatten(tree, [data, *leaves[1:]]), u)

    @property
    def T(self) -> SparseQuantity:
        return self._of(self._s.T, self._u)

    def transpose(self, axes: Any = None) -> SparseQuantity:
        return self._of(self._s.transpose(axes) if axes is not None else self._s.T, self._u)

    # -- arithmetic ---------------------------------------------------------------------------
    def __matmul__(self, other: Any) -> Any:
        m, u = _operand("@", other)
        if isinstance(other, SparseQuantity):
            return self._of(self._s @ other._s, self._u * other._u)
        return _product(self._s @ m, self._u * u)

    def __rmatmul__(self, other: Any) -> Any:
        m, u = _operand("@", other)
        out = (self._s.T @ m.T).T if m.ndim > 1 else self._s.T @ m
        return _product(out, u * self._u)

    def __mul__(self, other: Any) -> SparseQuantity:
        m, u = _scalar("*", other)
        return self._with_data(self._s.data * m, self._u * u)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> SparseQuantity:
        m, u = _scalar("/", other)
        return self._with_data(self._s.data / m, self._u / u)

    def __neg__(self) -> SparseQuantity:
        return self._with_data(-self._s.data, self._u)

    def __add__(self, other: Any) -> SparseQuantity:
        return self._combine(other, "+")

    def __sub__(self, other: Any) -> SparseQuantity:
        return self._combine(other, "-")

    def _combine(self, other: Any, op: str) -> SparseQuantity:
        if not isinstance(other, SparseQuantity):
            return NotImplemented
        if other._u.dim is not self._u.dim:
            raise mismatch(f"sparse {op}", self._u, other._u)
        if self._format is not jsparse.BCOO:
            raise TypeError(
                f"sparse {op}: jax adds only BCOO matrices; convert with "
                f"brainunit_xp.sparse.BCOO.fromdense(a.todense()) or add the dense forms"
            )
        o = other.to(self._u)._s if other._u is not self._u else other._s
        return self._of(self._s + o if op == "+" else self._s - o, self._u)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(shape={self.shape}, nse={self.nse}, dtype={self.dtype}, unit={self._u.name!r})"


def _operand(op: str, x: Any) -> tuple[Any, Unit]:
    if isinstance(x, SparseQuantity):
        return x._s, x._u
    x = _checked(f"brainunit_xp.sparse: {op}", x)
    if isinstance(x, Quantity):
        return x._m, x._u
    return JAX.xp.asarray(x), ONE


def _scalar(op: str, x: Any) -> tuple[Any, Unit]:
    m, u = _operand(op, x)
    if getattr(m, "ndim", 0) != 0:
        raise TypeError(
            f"sparse {op}: scale a sparse matrix by a scalar (number or 0-d Quantity), got shape "
            f"{tuple(m.shape)}; for a matrix product use @"
        )
    return m, u


def _product(m: Any, u: Unit) -> Quantity:
    return wrap(m, u, JAX)


def _subclass(name: str, fmt: type) -> type[SparseQuantity]:
    cls: type[SparseQuantity] = type(name, (SparseQuantity,), {"__slots__": (), "_format": fmt, "__module__": __name__})
    cls.__doc__ = f"``jax.experimental.sparse.{name}`` with a unit. {SparseQuantity.__init__.__doc__}"
    jax.tree_util.register_pytree_node(cls, lambda a: ((a._s,), a._u), lambda u, children: cls._of(children[0], u))
    return cls


COO = _subclass("COO", jsparse.COO)
CSR = _subclass("CSR", jsparse.CSR)
CSC = _subclass("CSC", jsparse.CSC)
BCOO = _subclass("BCOO", jsparse.BCOO)
BCSR = _subclass("BCSR", jsparse.BCSR)
