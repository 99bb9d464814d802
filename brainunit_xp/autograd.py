"""Derivatives with units (JAX only): ``grad``, ``value_and_grad``, ``jacobian`` (``jacrev``,
``jacfwd``), ``hessian`` and ``vector_grad``.

The derivative of ``f`` with respect to ``x`` has the unit ``unit(f(x)) / unit(x)``; a Hessian
block ``unit(f) / (unit(x_i) * unit(x_j))``. The differentiated arguments may be Quantities, jax
arrays and floats (dimensionless), sparse matrices of :mod:`brainunit_xp.sparse`, or pytrees of
them (tuples, lists, dicts): the result has the same structure, each leaf in its own unit.  ``f``
returns a Quantity or a jax array — for the Jacobians and the Hessian, a pytree of them, which then
gives the outer structure of the result, as in jax (``jac[out_key][in_key]``).  With
``has_aux=True``, ``f`` returns a pair ``(output, aux)``; aux is returned as it is.
"""

from __future__ import annotations

import functools
import inspect
import operator
import sys
from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ._errors import UnitError
from ._jaxonly import JAX, jax_inputs
from ._quantity import Quantity, wrap
from ._units import ONE, Unit

__all__ = ["grad", "hessian", "jacfwd", "jacobian", "jacrev", "value_and_grad", "vector_grad"]

Fn = Callable[..., Any]
Argnums = int | Sequence[int]


class _Plain:
    """The "unit" of a plain array or number (not a Quantity): it stays plain."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "PLAIN"


PLAIN = _Plain()
Units = Unit | _Plain


def _sparse(x: Any) -> bool:
    """Is ``x`` a :class:`brainunit_xp.sparse.SparseMatrix`?  (None exists before that module is imported.)"""
    module = sys.modules.get("brainunit_xp.sparse")
    return module is not None and isinstance(x, module.SparseMatrix)


def _is_leaf(x: Any) -> bool:
    return isinstance(x, Quantity) or _sparse(x)


def _strip(x: Any) -> Any:
    if isinstance(x, Quantity):
        return x._m
    return x._retag(ONE) if _sparse(x) else x


def _split(tree: Any) -> tuple[Any, Any]:
    """``(mantissas, units)``: the values of ``tree`` without units (a sparse matrix stays one, in
    the unit 1) and a pytree of their units, with a leaf where ``tree`` has a Quantity, a sparse
    matrix or a plain value (whose unit is ``PLAIN``; a dimensionless Quantity keeps ``ONE``)."""
    mantissas = jax.tree.map(_strip, tree, is_leaf=_is_leaf)
    units = jax.tree.map(lambda q: q._u if _is_leaf(q) else PLAIN, tree, is_leaf=_is_leaf)
    return mantissas, units


def _tag(unit: Units, m: Any) -> Any:
    """``m`` in ``unit``: a Quantity, a sparse matrix in that unit, or ``m`` itself if plain."""
    if isinstance(unit, _Plain):
        return m
    return m._retag(unit) if _sparse(m) else wrap(m, unit, JAX)


def _tag_derivative(unit: Units, m: Any) -> Any:
    """A derivative in ``unit``; jax's "no gradient" of an integer input (``allow_int``: float0 or
    integer zeros) is no derivative and stays as it is."""
    dtype = getattr(m, "dtype", None)
    if dtype is not None and not _sparse(m) and not jnp.issubdtype(dtype, np.inexact):
        return m
    return _tag(unit, m)


def _join(mantissas: Any, units: Any, tag: Fn = _tag) -> Any:
    """The inverse of :func:`_split` (``units`` leads: a sparse matrix is one of its leaves)."""
    return jax.tree.map(tag, units, mantissas)


def _per(num: Units, *den: Units) -> Units:
    """``num / prod(den)``; ``PLAIN`` when every unit is (plain by plain stays plain)."""
    if isinstance(num, _Plain) and all(isinstance(d, _Plain) for d in den):
        return PLAIN
    unit = ONE if isinstance(num, _Plain) else num
    for d in den:
        unit = unit if isinstance(d, _Plain) else unit / d
    return unit


def _output(op: str, out: Any) -> tuple[Any, Any]:
    """``(mantissas, units)`` of what the differentiated function returned, checked."""
    for leaf in jax.tree.leaves(out, is_leaf=_is_leaf):
        if isinstance(leaf, Quantity):
            if leaf._b is not None and leaf._b is not JAX:
                raise UnitError(f"{op}: the function returned a {leaf._b.name}-backed Quantity; return a jax one")
        elif not (isinstance(leaf, (int, float, complex)) or hasattr(leaf, "shape")):
            raise UnitError(
                f"{op}: the function must return a Quantity or a jax array (or a pytree of them), got "
                f"{type(leaf).__name__}; with auxiliary data, return (output, aux) and pass has_aux=True"
            )
    return _split(out)


def _pair(op: str, result: Any) -> tuple[Any, Any]:
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise TypeError(
            f"{op}: with has_aux=True the function must return a pair (output, aux), got {type(result).__name__}"
        )
    return result[0], result[1]


def _check_callable(op: str, fun: Any) -> None:
    if isinstance(fun, staticmethod):
        raise TypeError(f"{op}: staticmethod arguments are not supported, got {fun}")
    if not callable(fun):
        raise TypeError(f"{op}: expected a callable value, got {fun!r}")
    inner = fun
    while isinstance(inner, functools.partial):
        inner = inner.func
    if inspect.isgeneratorfunction(inner):
        raise TypeError(f"{op}: expected a function, got a generator function {fun!r}")


def _argnums(op: str, argnums: Argnums, nargs: int) -> tuple[tuple[int, ...], bool]:
    """The differentiated positions (negative ones counted from the end) and whether the result
    has one entry per position (a sequence ``argnums``) or is the derivative itself (an int)."""
    many = not isinstance(argnums, int)
    nums = (operator.index(argnums),) if not many else tuple(map(operator.index, argnums))  # type: ignore[arg-type]
    if not nums:
        raise ValueError(f"{op}: argnums must name at least one argument")
    if any(not -nargs <= i < nargs for i in nums):
        raise TypeError(f"{op}: argnums={argnums!r} does not fit {nargs} positional arguments")
    nums = tuple(i % nargs for i in nums)
    if len(set(nums)) != len(nums):
        raise ValueError(f"{op}: argnums must not repeat an argument, got {argnums!r}")
    return nums, many


def _derivative_units(out: Any, x_units: tuple[Any, ...], order: int, many: bool) -> Any:
    """Unit pytree of the derivatives of outputs with unit pytree ``out`` by the arguments with
    unit pytrees ``x_units``, in jax's layout: per output leaf, per argument (when ``many``) a tree
    like the argument's; at second order (``jacfwd(jacrev(f))``) each of its leaves holds, per
    argument, a tree like that argument's again."""

    def per_arg(fn: Fn) -> Any:
        return tuple(fn(xu) for xu in x_units) if many else fn(x_units[0])

    def first(uo: Units) -> Any:
        return per_arg(lambda xu: jax.tree.map(lambda a: _per(uo, a), xu))

    def second(uo: Units) -> Any:
        return per_arg(
            lambda xi: jax.tree.map(lambda a: per_arg(lambda xj: jax.tree.map(lambda b: _per(uo, a, b), xj)), xi)
        )

    return jax.tree.map(first if order == 1 else second, out)


class _Call:
    """One call of a derivative: the inputs split into mantissas and units, and the function on the
    mantissas of the differentiated arguments that records the unit tree of its output."""

    def __init__(self, op: str, fun: Fn, argnums: Argnums, has_aux: bool, args: tuple[Any, ...],
                 kwargs: dict[str, Any]) -> None:  # fmt: skip
        self.op, self.fun, self.has_aux = op, fun, has_aux
        self.args, self.kwargs = jax_inputs(op, args, kwargs)
        self.nums, self.many = _argnums(op, argnums, len(self.args))
        split = [_split(self.args[i]) for i in self.nums]
        self.mantissas = tuple(m for m, _ in split)
        self.units = tuple(u for _, u in split)
        self.out: Any = None

    def on_mantissas(self, *xs: Any) -> Any:
        full = list(self.args)
        for i, x, units in zip(self.nums, xs, self.units, strict=True):
            full[i] = _join(x, units)
        result = self.fun(*full, **self.kwargs)
        out, aux = _pair(self.op, result) if self.has_aux else (result, None)
        m, self.out = _output(self.op, out)
        return (m, aux) if self.has_aux else m

    @property
    def jax_argnums(self) -> int | tuple[int, ...]:
        return tuple(range(len(self.nums))) if self.many else 0


def _transform(op: str, transform: Fn, fun: Fn, argnums: Argnums, has_aux: bool, order: int,
               value: bool, **options: Any) -> Fn:  # fmt: skip
    """Differentiate ``fun`` on mantissas with ``transform`` and give each derivative its unit."""
    _check_callable(op, fun)

    @functools.wraps(fun)
    def derivative(*args: Any, **kwargs: Any) -> Any:
        call = _Call(op, fun, argnums, has_aux, args, kwargs)
        inner = transform(call.on_mantissas, argnums=call.jax_argnums, has_aux=has_aux, **options)
        result = inner(*call.mantissas)
        aux = None
        if value:
            val, grads = result
            if has_aux:
                val, aux = val
        elif has_aux:
            grads, aux = result
        else:
            grads = result
        out = _join(grads, _derivative_units(call.out, call.units, order, call.many), _tag_derivative)
        if value:
            val = _join(val, call.out)
            return ((val, aux) if has_aux else val), out
        return (out, aux) if has_aux else out

    return derivative


def grad(fun: Fn, argnums: Argnums = 0, has_aux: bool = False, **options: Any) -> Fn:
    """``jax.grad`` with units: d f / d x in ``unit(f) / unit(x)``; ``f`` must return a scalar.
    With ``has_aux``, returns ``(gradient, aux)``."""
    return _transform("brainunit_xp.autograd.grad", jax.grad, fun, argnums, has_aux, 1, False, **options)


def value_and_grad(fun: Fn, argnums: Argnums = 0, has_aux: bool = False, **options: Any) -> Fn:
    """``jax.value_and_grad`` with units: ``(f(x), df/dx)``; with ``has_aux``, ``((f(x), aux), df/dx)``."""
    op = "brainunit_xp.autograd.value_and_grad"
    return _transform(op, jax.value_and_grad, fun, argnums, has_aux, 1, True, **options)


def jacrev(fun: Fn, argnums: Argnums = 0, has_aux: bool = False, **options: Any) -> Fn:
    """``jax.jacrev`` with units: the Jacobian in ``unit(f) / unit(x)``, one block per pair of
    output and input leaves (``jac[out][in]``); with ``has_aux``, ``(jacobian, aux)``."""
    return _transform("brainunit_xp.autograd.jacrev", jax.jacrev, fun, argnums, has_aux, 1, False, **options)


def jacfwd(fun: Fn, argnums: Argnums = 0, has_aux: bool = False, **options: Any) -> Fn:
    """``jax.jacfwd`` with units: the Jacobian in ``unit(f) / unit(x)`` (see :func:`jacrev`)."""
    return _transform("brainunit_xp.autograd.jacfwd", jax.jacfwd, fun, argnums, has_aux, 1, False, **options)


jacobian = jacrev


def hessian(fun: Fn, argnums: Argnums = 0, has_aux: bool = False, **options: Any) -> Fn:
    """``jax.hessian`` with units: block (i, j) in ``unit(f) / (unit(x_i) * unit(x_j))``."""
    return _transform("brainunit_xp.autograd.hessian", _hessian, fun, argnums, has_aux, 2, False, **options)


def _hessian(f: Fn, argnums: Any, has_aux: bool, **options: Any) -> Fn:
    return jax.jacfwd(jax.jacrev(f, argnums, has_aux=has_aux, **options), argnums, has_aux=has_aux, **options)


def vector_grad(func: Fn, argnums: Argnums = 0, return_value: bool = False, has_aux: bool = False,
                unit_aware: bool = True) -> Fn:  # fmt: skip
    """The gradient of a vector-valued ``func`` against an all-ones cotangent (``ones @ J``: the
    column sums of the Jacobian; the elementwise derivative for an elementwise ``func``), in
    ``unit(func) / unit(x)``.  Returns the gradient; with ``return_value``, ``(gradient, value)``;
    with ``has_aux``, ``(gradient, aux)``; with both, ``(gradient, value, aux)``.  With
    ``unit_aware=False`` the gradient is plain mantissas and ``func`` may return any pytree;
    otherwise it returns one array or Quantity (possibly inside containers)."""
    op = "brainunit_xp.autograd.vector_grad"
    _check_callable(op, func)

    @functools.wraps(func)
    def grad_fun(*args: Any, **kwargs: Any) -> Any:
        call = _Call(op, func, argnums, has_aux, args, kwargs)
        if has_aux:
            y, pullback, aux = jax.vjp(call.on_mantissas, *call.mantissas, has_aux=True)
        else:
            (y, pullback), aux = jax.vjp(call.on_mantissas, *call.mantissas), None
        leaves = jax.tree.leaves(y)
        for leaf in leaves:
            if not jnp.issubdtype(jnp.result_type(leaf), np.inexact):
                raise TypeError(
                    f"{op}: requires real- or complex-valued (inexact) outputs, got {jnp.result_type(leaf)}"
                )
        if unit_aware and len(leaves) != 1:
            raise ValueError(
                f"{op}: with unit_aware=True the function must return one array or Quantity, got {len(leaves)}"
                " leaves; differentiate each output separately, or pass unit_aware=False for plain mantissas"
            )
        grads = pullback(jax.tree.map(jnp.ones_like, y))
        grads = grads if call.many else grads[0]
        if unit_aware:
            (out_unit,) = jax.tree.leaves(call.out)
            grads = _join(grads, _derivative_units(out_unit, call.units, 1, call.many), _tag_derivative)
        value = _join(y, call.out)
        if has_aux:
            return (grads, value, aux) if return_value else (grads, aux)
        return (grads, value) if return_value else grads

    return grad_fun
