"""Derivatives with units (JAX only): ``grad``, ``value_and_grad``, ``jacobian`` (``jacrev``,
``jacfwd``) and ``hessian``.

The derivative of ``f`` with respect to ``x`` has the unit ``unit(f(x)) / unit(x)``; a Hessian
block ``unit(f) / (unit(x_i) * unit(x_j))``. The differentiated arguments may be Quantities, jax
arrays and floats (dimensionless), or pytrees of them (tuples, lists, dicts): the result has the
same structure, each leaf in its own unit. ``f`` must return a Quantity or a jax array (with
``has_aux=True``: a pair ``(output, aux)``; aux is returned as it is).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import jax

from ._errors import UnitError
from ._jaxonly import JAX, jax_inputs
from ._quantity import Quantity, wrap
from ._units import ONE, Unit

__all__ = ["grad", "hessian", "jacfwd", "jacobian", "jacrev", "value_and_grad"]

Fn = Callable[..., Any]


class _Plain:
    """The "unit" of a plain array or number (not a Quantity): it stays plain."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "PLAIN"


PLAIN = _Plain()


def _is_leaf(x: Any) -> bool:
    return isinstance(x, Quantity)


def _split(tree: Any) -> tuple[Any, Any]:
    """``(mantissas, units)``: two pytrees of the same structure, Quantities as leaves; a plain
    leaf has the unit ``PLAIN`` (a dimensionless Quantity keeps ``ONE`` and stays a Quantity)."""
    mantissas = jax.tree.map(lambda q: q._m if isinstance(q, Quantity) else q, tree, is_leaf=_is_leaf)
    units = jax.tree.map(lambda q: q._u if isinstance(q, Quantity) else PLAIN, tree, is_leaf=_is_leaf)
    return mantissas, units


def _join(mantissas: Any, units: Any) -> Any:
    return jax.tree.map(lambda m, u: m if u is PLAIN else wrap(m, u, JAX), mantissas, units)


def _per(num: Unit | _Plain, *den: Unit | _Plain) -> Unit | _Plain:
    """``num / prod(den)``; ``PLAIN`` when every unit is (plain by plain stays plain)."""
    if isinstance(num, _Plain) and all(isinstance(d, _Plain) for d in den):
        return PLAIN
    unit = ONE if isinstance(num, _Plain) else num
    for d in den:
        unit = unit if isinstance(d, _Plain) else unit / d
    return unit


def _output(op: str, out: Any) -> tuple[Any, Unit | _Plain]:
    if isinstance(out, Quantity):
        if out._b is not None and out._b is not JAX:
            raise UnitError(f"{op}: the function returned a {out._b.name}-backed Quantity; return a jax one")
        return out._m, out._u
    if isinstance(out, (int, float)) or hasattr(out, "shape"):
        return out, PLAIN
    raise UnitError(
        f"{op}: the function must return a Quantity or a jax array, got {type(out).__name__}; with "
        "auxiliary data, return (output, aux) and pass has_aux=True"
    )


def _units_of_derivatives(unit: Unit | _Plain, x_units: tuple[Any, ...], order: int, many: bool) -> Any:
    """Unit pytree of the derivatives of an output in ``unit`` by the arguments with unit pytrees
    ``x_units``, in the layout jax gives them: first order, a tree per argument; second order
    (``jacfwd(jacrev(f))``), per argument j a tree whose leaves are, per argument i, a tree.
    With a single (int) argnum the per-argument tuples are absent."""

    def per_arg(fn: Fn) -> Any:
        return tuple(fn(xu) for xu in x_units) if many else fn(x_units[0])

    if order == 1:
        return per_arg(lambda xu: jax.tree.map(lambda a: _per(unit, a), xu))
    return per_arg(
        lambda xj: jax.tree.map(lambda b: per_arg(lambda xi: jax.tree.map(lambda a: _per(unit, a, b), xi)), xj)
    )


def _attach(units: Any, mantissas: Any) -> Any:
    def one(u: Unit | _Plain, m: Any) -> Any:
        if isinstance(u, _Plain) or getattr(m, "dtype", None) == jax.dtypes.float0:  # allow_int: no gradient
            return m
        return wrap(m, u, JAX)

    return jax.tree.map(one, units, mantissas)


def _transform(op: str, transform: Fn, fun: Fn, argnums: int | Sequence[int], has_aux: bool, order: int,
               value: bool, **options: Any) -> Fn:  # fmt: skip
    """Differentiate ``fun`` on mantissas with ``transform`` and give each derivative its unit."""
    many = not isinstance(argnums, int)
    nums: tuple[int, ...] = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    @functools.wraps(fun)
    def derivative(*args: Any, **kwargs: Any) -> Any:
        args, kwargs = jax_inputs(op, args, kwargs)
        if not nums or max(nums) >= len(args):
            raise TypeError(f"{op}: argnums={argnums!r} does not fit {len(args)} positional arguments")
        split = [_split(args[i]) for i in nums]
        found: dict[str, Unit | _Plain] = {}

        def on_mantissas(*xs: Any) -> Any:
            full = list(args)
            for i, x, (_, units) in zip(nums, xs, split, strict=True):
                full[i] = _join(x, units)
            result = fun(*full, **kwargs)
            out, aux = result if has_aux else (result, None)
            m, found["unit"] = _output(op, out)
            return (m, aux) if has_aux else m

        inner = transform(on_mantissas, argnums=tuple(range(len(nums))) if many else 0, has_aux=has_aux, **options)
        result = inner(*(m for m, _ in split))
        aux = None
        if value:
            (val, grads) = result
            if has_aux:
                val, aux = val
        elif has_aux:
            grads, aux = result
        else:
            grads = result
        unit = found["unit"]
        out = _attach(_units_of_derivatives(unit, tuple(u for _, u in split), order, many), grads)
        if value:
            val = val if isinstance(unit, _Plain) else wrap(val, unit, JAX)
            return ((val, aux) if has_aux else val), out
        return (out, aux) if has_aux else out

    return derivative


def grad(fun: Fn, argnums: int | Sequence[int] = 0, has_aux: bool = False, **options: Any) -> Fn:
    """``jax.grad`` with units: d f / d x in ``unit(f) / unit(x)``; ``f`` must return a scalar."""
    return _transform("brainunit_xp.autograd.grad", jax.grad, fun, argnums, has_aux, 1, False, **options)


def value_and_grad(fun: Fn, argnums: int | Sequence[int] = 0, has_aux: bool = False, **options: Any) -> Fn:
    """``jax.value_and_grad`` with units: ``(f(x), df/dx)``; with ``has_aux``, ``((f(x), aux), df/dx)``."""
    op = "brainunit_xp.autograd.value_and_grad"
    return _transform(op, jax.value_and_grad, fun, argnums, has_aux, 1, True, **options)


def jacrev(fun: Fn, argnums: int | Sequence[int] = 0, has_aux: bool = False, **options: Any) -> Fn:
    """``jax.jacrev`` with units: the Jacobian in ``unit(f) / unit(x)``."""
    return _transform("brainunit_xp.autograd.jacrev", jax.jacrev, fun, argnums, has_aux, 1, False, **options)


def jacfwd(fun: Fn, argnums: int | Sequence[int] = 0, has_aux: bool = False, **options: Any) -> Fn:
    """``jax.jacfwd`` with units: the Jacobian in ``unit(f) / unit(x)``."""
    return _transform("brainunit_xp.autograd.jacfwd", jax.jacfwd, fun, argnums, has_aux, 1, False, **options)


jacobian = jacrev


def hessian(fun: Fn, argnums: int | Sequence[int] = 0, has_aux: bool = False, **options: Any) -> Fn:
    """``jax.hessian`` with units: block (i, j) in ``unit(f) / (unit(x_i) * unit(x_j))``."""
    return _transform("brainunit_xp.autograd.hessian", _hessian, fun, argnums, has_aux, 2, False, **options)


def _hessian(f: Fn, argnums: Any, has_aux: bool, **options: Any) -> Fn:
    return jax.jacfwd(jax.jacrev(f, argnums, has_aux=has_aux, **options), argnums, has_aux=has_aux, **options)
