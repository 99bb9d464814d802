"""``jax.lax`` primitives with units (JAX only).

Every function follows one rule of ``LAX_RULES`` (in ``_namespace/table.py``, next to the array-API
table, and listed in ``docs/unit-rules.md``). Arguments may be jax-backed Quantities, jax or NumPy
arrays and Python numbers (plain values are dimensionless); a Quantity of another backend raises
:class:`BackendError` naming the ``.to_jax()`` fix. Control flow (``scan``, ``cond``, ``while_loop``
…) needs no wrapping: Quantities are pytrees with a static unit, so units flow through the carry.
"""

from __future__ import annotations

import functools
import operator
import sys
from collections.abc import Callable
from typing import Any

from ._conversion import as_unit, dimensionless, mismatch, scale
from ._errors import UnitError
from ._jaxonly import JAX, jax_inputs
from ._namespace.factories import FACTORIES, arg, count, index, to_unit
from ._namespace.table import LAX_RULES, Control, Factors, Kind, Monoids, Rule, Solve, Update
from ._quantity import Quantity, wrap
from ._units import DIMENSIONLESS, FREE, ONE, Unit

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


def _plain_unit(m: Any, u: Unit, op: str) -> tuple[Any, Unit]:
    """A dimensionless unit with a scale (mV/V) folded into the mantissa: ``(m, ONE)``."""
    return (dimensionless(m, u, B, op), ONE) if u.dim is DIMENSIONLESS else (m, u)


def _keywords(name: str, positional: tuple[str, ...], args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """brainunit's positional options (``eigh(x, lower)``) as the keywords jax wants."""
    if len(args) > len(positional):
        raise TypeError(f"{name}: takes at most {len(positional)} options after the arrays, got {len(args)}")
    given = dict(zip(positional, args, strict=False))
    twice = given.keys() & kwargs.keys()
    if twice:
        raise TypeError(f"{name}: got {sorted(twice)} both positionally and as keywords")
    return {k: index(B, v, name) if isinstance(v, Quantity) else v for k, v in {**given, **kwargs}.items()}


def decomposition(name: str, fn: Fn, rule: Rule) -> Fn:
    """A factorization: each output in a power of the unit of x; options may switch outputs off."""
    assert isinstance(rule.param, Factors)
    p = rule.param

    def f(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        kwargs = _keywords(name, p.positional, args, kwargs)
        m, u = _plain_unit(*arg(B, x, name), name)
        out = fn(m, **kwargs)
        off = {i for s in p.switches if not kwargs.get(s.option, s.default) for i in s.outputs}
        kept = [u**power for i, power in enumerate(p.powers) if i not in off]
        if not isinstance(out, (tuple, list)):
            (unit,) = kept
            return wrap(out, unit, B)
        return tuple(wrap(o, unit, B) for o, unit in zip(out, kept, strict=True))

    return f


def solve(name: str, fn: Fn, rule: Rule) -> Fn:
    """A linear solver: the matrix arrays in one unit; the result in unit(b) / unit(matrix)."""
    assert isinstance(rule.param, Solve)
    p = rule.param
    n = p.matrix + 1

    def f(*args: Any, **kwargs: Any) -> Any:
        if len(args) < n:
            raise TypeError(f"{name}: needs {n} arrays, got {len(args)}")
        kwargs = _keywords(name, p.positional, args[n:], kwargs)
        items = [arg(B, a, name) for a in args[:n]]
        _, mu = _plain_unit(*items[p.main], name)
        matrix = [to_unit(B, a, mu, name) for a in args[: p.matrix]]
        bm, bu = _plain_unit(*items[-1], name)
        unit, fold = bu.quotient(mu)
        return wrap(scale(fn(*matrix, bm, **kwargs), fold, B), unit, B)

    return f


def reflectors(name: str, fn: Fn, rule: Rule) -> Fn:
    """``householder_product(a, taus)``: the reflectors stored in a are ratios of values in one unit,
    so a is read as stored; taus must be dimensionless."""

    def f(a: Any, taus: Any, /) -> Any:
        am, _ = arg(B, a, name)
        return wrap(fn(am, dimensionless(*arg(B, taus, name), B, name)), ONE, B)

    return f


#: the callables that mean each jax.lax computation named in a :class:`Monoids` (jax.numpy's and
#: Python's spellings; ``brainunit_xp.lax``'s own wrappers are added by ``_populate``)
_SPELLINGS: dict[str, tuple[str, Any]] = {
    "add": ("add", operator.add),
    "max": ("maximum", None),
    "min": ("minimum", None),
    "mul": ("multiply", operator.mul),
}


def _spellings(names: tuple[str, ...]) -> dict[Any, Any]:
    """``{callable: the jax.lax function}`` for every spelling of the computations ``names``."""
    import jax.lax
    import jax.numpy as jnp

    found: dict[Any, Any] = {}
    for n in names:
        bare = getattr(jax.lax, n)
        numpy_name, python = _SPELLINGS[n]
        for c in (bare, getattr(jnp, numpy_name), python, getattr(sys.modules[__name__], n, None)):
            if c is not None:
                found[id(c)] = bare
    return found


def reduce(name: str, fn: Fn, rule: Rule) -> Fn:
    """``reduce(operands, init_values, computation, dimensions)``: a unit only where the
    computation's unit rule is known (the rule's :class:`Monoids`)."""
    assert isinstance(rule.param, Monoids)
    monoids = rule.param
    known: list[dict[Any, Any]] = []  # filled on first use: lax's own wrappers exist by then

    def f(operands: Any, init_values: Any, computation: Fn, dimensions: Any, **kwargs: Any) -> Any:
        if not known:
            known.extend((_spellings(monoids.keep), _spellings(monoids.multiply)))
        keep, multiply = known
        if isinstance(operands, (tuple, list)) or isinstance(init_values, (tuple, list)):
            xs = [dimensionless(*arg(B, o, name), B, name) for o in operands]
            inits = [dimensionless(*arg(B, i, name), B, name) for i in init_values]
            return tuple(wrap(o, ONE, B) for o in fn(type(operands)(xs), type(init_values)(inits), computation,
                                                   dimensions, **kwargs))  # fmt: skip
        m, u = _plain_unit(*arg(B, operands, name), name)
        if id(computation) in keep:
            return wrap(fn(m, to_unit(B, init_values, u, name), keep[id(computation)], dimensions, **kwargs), u, B)
        init = dimensionless(*arg(B, init_values, name), B, name)
        if id(computation) in multiply:
            unit = ONE if u is ONE else u ** count(m, tuple(dimensions), name)
            return wrap(fn(m, init, multiply[id(computation)], dimensions, **kwargs), unit, B)
        if u is ONE:
            return wrap(fn(m, init, computation, dimensions, **kwargs), ONE, B)
        spelled = getattr(computation, "__name__", repr(computation))
        keeping = ", ".join(f"jax.lax.{n}" for n in monoids.keep)
        multiplying = ", ".join(f"jax.lax.{n}" for n in monoids.multiply)
        raise UnitError(
            f"{name}: the unit of a reduction by {spelled} of an operand in {u.name!r} is unknown; with a "
            f"unit, the computation must be one of {keeping} (keep the unit) or {multiplying} (unit to the "
            f"number of elements), or their jax.numpy spellings. For another computation reduce "
            f"dimensionless values, e.g. {name}(x.to_value({u.name!r}), ...)"
        )

    return f


def scatter_apply(name: str, fn: Fn, rule: Rule) -> Fn:
    """``scatter_apply(operand, scatter_indices, func, dimension_numbers)``: func sees the selected
    elements as Quantities in the operand's unit (plain values for a dimensionless operand) and must
    give back values of the same dimension."""

    def f(operand: Any, scatter_indices: Any, func: Fn, /, *args: Any, **kwargs: Any) -> Any:
        m, u = _plain_unit(*arg(B, operand, name), name)

        def in_unit(v: Any) -> Any:
            try:
                out = func(v if u is ONE else wrap(v, u, B))
            except TypeError as exc:
                if "Quantity" not in str(exc):
                    raise
                raise UnitError(
                    f"{name}: func got elements in {u.name!r} as Quantities and could not take them ({exc}); "
                    f"use unit-aware functions (brainunit_xp.math) in func, or apply it to values: "
                    f"func=lambda q: f(q.to_value({u.name!r})) * {u.name}"
                ) from exc
            if u is not ONE and not isinstance(out, Quantity):
                raise UnitError(
                    f"{name}: func got elements in {u.name!r} and returned a plain {type(out).__name__}; it must "
                    f"return values of the same dimension (a Quantity), since they replace those elements"
                )
            return to_unit(B, out, u, name)

        return wrap(fn(m, index(B, scatter_indices, name), in_unit, *args, **kwargs), u, B)

    return f


def zeros_like(name: str, fn: Fn, rule: Rule) -> Fn:
    """``zeros_like_array(x, unit=None)``: zeros in the unit of x, or in ``unit`` (of x's dimension)."""

    def f(x: Any, /, unit: Unit | str | None = None, **kwargs: Any) -> Any:
        m, u = arg(B, x, name)
        if unit is not None:
            want = as_unit(unit)
            if u is not ONE and u.dim is not want.dim:
                raise mismatch(name, u, want)
            u = want
        return wrap(fn(m, **kwargs), FREE if u is ONE else u, B)

    return f


def iota(name: str, fn: Fn, rule: Rule) -> Fn:
    """``iota``, ``broadcasted_iota``: counts, dimensionless or in brainunit's ``unit=``."""

    def f(*args: Any, unit: Unit | str | None = None, **kwargs: Any) -> Any:
        return wrap(fn(*args, **kwargs), ONE if unit is None else as_unit(unit), B)

    return f


def control(name: str, fn: Fn, rule: Rule) -> Fn:
    """Control flow: Quantities are pytrees, so jax carries their units through unchanged; a
    predicate, an index or a loop bound may be a dimensionless Quantity."""
    assert isinstance(rule.param, Control)
    scalars, predicate_fn = rule.param.scalars, rule.param.predicate_fn
    if not scalars and predicate_fn is None:
        return fn

    def plain(v: Any) -> Any:
        return index(B, v, name) if isinstance(v, Quantity) else v

    def f(*args: Any, **kwargs: Any) -> Any:
        given = [plain(a) if i in scalars else a for i, a in enumerate(args)]
        if predicate_fn is not None and len(given) > predicate_fn:
            predicate = given[predicate_fn]
            given[predicate_fn] = lambda *xs: plain(predicate(*xs))
        return fn(*given, **kwargs)

    return f


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
    Kind.DECOMPOSITION: decomposition,
    Kind.SOLVE: solve,
    Kind.REFLECTORS: reflectors,
    Kind.REDUCE: reduce,
    Kind.SCATTER_APPLY: scatter_apply,
    Kind.ZEROS_LIKE: zeros_like,
    Kind.IOTA: iota,
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


def _bare(short: str, rule: Rule) -> Fn | None:
    """The jax function a rule wraps: ``jax.lax``'s, else ``jax.lax.linalg``'s, else ``jax.numpy``'s
    (by the rule's alias, where brainunit's name differs from jax's)."""
    import jax.lax
    import jax.numpy as jnp

    name = rule.alias or short
    for module in (jax.lax, jax.lax.linalg, jnp):
        fn = getattr(module, name, None)
        if fn is not None:
            return fn
    return None


def _populate() -> list[str]:
    module = sys.modules[__name__]
    names = []
    for short, rule in LAX_RULES.items():
        bare = _bare(short, rule)
        if bare is not None:
            setattr(module, short, _build(short, rule, bare))
            names.append(short)
    return sorted(names)


__all__ = _populate()  # noqa: PLE0605 - built from the rules table
