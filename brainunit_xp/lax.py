"""``jax.lax`` primitives with units (JAX only).

Every function follows one rule of ``LAX_RULES`` (in ``_namespace/table.py``, next to the array-API
table, and listed in ``docs/unit-rules.md``). Arguments may be jax-backed Quantities, jax or NumPy
arrays and Python numbers (plain values are dimensionless); a Quantity of another backend raises
:class:`BackendError` naming the ``.to_jax()`` fix. Control flow (``scan``, ``cond``, ``while_loop``
…) needs no wrapping: Quantities are pytrees with a static unit, so units flow through the carry.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

from ._conversion import dimensionless
from ._jaxonly import JAX, jax_inputs
from ._namespace.factories import FACTORIES, arg, count, index, to_unit
from ._namespace.table import LAX_RULES, Kind, Rule, Update
from ._quantity import Quantity, wrap
from ._units import DIMENSIONLESS, ONE

Fn = Callable[..., Any]
B = JAX


def _indices(args: tuple[Any, ...], op: str) -> tuple[Any, ...]:
    """Index and option arguments: a Quantity must be dimensionless and is passed as its value."""
    return tuple(index(B, a, op) if isinstance(a, Quantity) else _plain(a, op) for a in args)


def _plain(a: Any, op: str) -> Any:
    if type(a) in (list, tuple) and any(isinstance(x, Quantity) for x in a):
        return type(a)(index(B, x, op) for x in a)
    return a


def structural(name: str, fn: Fn, rule: Rule) -> Fn:
    """Rearranges, selects or casts the elements of x: the unit of x (of every piece, for ``split``)."""
    many = rule.many

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        m, u = arg(B, x, name)
        kwargs = {k: index(B, v, name) if isinstance(v, Quantity) else v for k, v in kwargs.items()}
        out = fn(m, *_indices(args, name), **kwargs)
        return type(out)(wrap(o, u, B) for o in out) if many else wrap(out, u, B)

    return f


def update(name: str, fn: Fn, rule: Rule) -> Fn:
    """``pad``, ``dynamic_update_slice``, ``scatter*``: the update in the unit of the operand
    (``scatter_mul``: a dimensionless factor)."""
    assert isinstance(rule.param, Update)
    at, factor = rule.param.at, rule.param.factor

    def f(operand: Any, /, *args: Any, **kwargs: Any) -> Any:
        m, u = arg(B, operand, name)
        rest = list(_indices(args[: at - 1], name)) + list(args[at - 1 :])
        if len(rest) >= at:
            v = rest[at - 1]
            rest[at - 1] = index(B, v, name) if factor else to_unit(B, v, u, name)
        rest[at:] = _indices(tuple(rest[at:]), name)
        return wrap(fn(m, *rest, **kwargs), u, B)

    return f


def clamp(name: str, fn: Fn, rule: Rule) -> Fn:
    """``clamp(min, x, max)``: the bounds converted to the unit of x."""

    def f(min: Any, x: Any, max: Any) -> Any:
        m, u = arg(B, x, name)
        return wrap(fn(to_unit(B, min, u, name), m, to_unit(B, max, u, name)), u, B)

    return f


def select_n(name: str, fn: Fn, rule: Rule) -> Fn:
    """``select_n(which, *cases)``: cases converted to the unit of the first."""

    def f(which: Any, /, *cases: Any) -> Any:
        w, wu = arg(B, which, name)
        if not cases:
            return wrap(fn(dimensionless(w, wu, B, name)), ONE, B)
        _, u = arg(B, cases[0], name)
        return wrap(fn(dimensionless(w, wu, B, name), *(to_unit(B, c, u, name) for c in cases)), u, B)

    return f


def reduce_prod(name: str, fn: Fn, rule: Rule) -> Fn:
    """``reduce_prod(x, axes)``: the unit of x to the number of reduced elements."""

    def f(operand: Any, axes: Any) -> Any:
        m, u = arg(B, operand, name)
        if u.dim is DIMENSIONLESS:
            return wrap(fn(dimensionless(m, u, B, name), axes), ONE, B)
        return wrap(fn(m, axes), u ** count(m, tuple(axes), name), B)

    return f


def sort(name: str, fn: Fn, rule: Rule) -> Fn:
    """``sort`` of one operand or several: every operand keeps its unit."""

    def f(operand: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(operand, (list, tuple)):
            items = [arg(B, o, name) for o in operand]
            out = fn([m for m, _ in items], *args, **kwargs)
            return tuple(wrap(o, u, B) for o, (_, u) in zip(out, items, strict=True))
        m, u = arg(B, operand, name)
        return wrap(fn(m, *args, **kwargs), u, B)

    return f


def sort_key_val(name: str, fn: Fn, rule: Rule) -> Fn:
    """``sort_key_val``: keys and values keep their units."""

    def f(keys: Any, values: Any, *args: Any, **kwargs: Any) -> Any:
        (km, ku), (vm, vu) = arg(B, keys, name), arg(B, values, name)
        k, v = fn(km, vm, *args, **kwargs)
        return wrap(k, ku, B), wrap(v, vu, B)

    return f


def all_dimensionless(name: str, fn: Fn, rule: Rule) -> Fn:
    """Special functions and bit operations: every array argument dimensionless."""

    def f(*args: Any, **kwargs: Any) -> Any:
        ms = [dimensionless(*arg(B, a, name), B, name) for a in args]
        return wrap(fn(*ms, **kwargs), ONE, B)

    return f


def control(name: str, fn: Fn, rule: Rule) -> Fn:
    """Control flow: Quantities are pytrees, so jax carries their units through unchanged."""
    return fn


_LAX_FACTORIES: dict[Kind, Callable[[str, Fn, Rule], Fn]] = {
    Kind.STRUCTURAL: structural,
    Kind.UPDATE: update,
    Kind.CLAMP: clamp,
    Kind.SELECT_N: select_n,
    Kind.REDUCE_PROD: reduce_prod,
    Kind.SORT: sort,
    Kind.SORT_KEY_VAL: sort_key_val,
    Kind.ALL_DIMENSIONLESS: all_dimensionless,
    Kind.CONTROL: control,
}


def _build(short: str, rule: Rule, bare: Fn) -> Fn:
    op = f"{__name__}.{short}"
    make = _LAX_FACTORIES.get(rule.kind)
    inner = make(op, bare, rule) if make else FACTORIES[rule.kind](B, op, bare, rule)

    @functools.wraps(bare)
    def f(*args: Any, **kwargs: Any) -> Any:
        args, kwargs = jax_inputs(op, args, kwargs)
        return inner(*args, **kwargs)

    f.__module__, f.__qualname__ = __name__, short
    f.__doc__ = f"``jax.lax.{short}`` with units.\n\nUnit rule: {rule.unit}.\n"
    del f.__wrapped__  # help() shows the unit rule, not jax's signature docs
    return f


def _populate() -> list[str]:
    import jax.lax

    module = sys.modules[__name__]
    names = []
    for short, rule in LAX_RULES.items():
        bare = getattr(jax.lax, short, None)
        if bare is not None:
            setattr(module, short, _build(short, rule, bare))
            names.append(short)
    return sorted(names)


__all__ = _populate()  # noqa: PLE0605 - built from the rules table
