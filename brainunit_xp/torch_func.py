"""``torch.func`` with units: ``grad``, ``grad_and_value``, ``jacrev``, ``jacfwd`` and ``vmap``;
and ``compile``, ``torch.compile`` specialized on the units of the arguments.

A Quantity is a torch pytree (mantissa a leaf, unit static), so ``torch.func.vmap`` and
``torch.compile`` take quantities as they are: ``vmap`` here *is* ``torch.func.vmap``.  The
derivatives of ``torch.func`` give a derivative the structure of the argument — and so, on a
Quantity, the argument's unit, which is wrong for anything but a dimensionless ``f``.  These
wrappers differentiate on mantissas and give each derivative its own unit: d f / d x in
``unit(f) / unit(x)`` (a plain tensor counts as dimensionless).  They take ``torch.func``'s
arguments (``argnums``, ``has_aux``, ...); arguments may be pytrees of quantities and tensors.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from ._errors import UnitError
from ._quantity import Quantity, wrap
from ._units import ONE, Unit

__all__ = ["compile", "grad", "grad_and_value", "jacfwd", "jacrev", "vmap"]

Fn = Callable[..., Any]


class _Plain:
    """The "unit" of a plain tensor or number: it stays plain."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "PLAIN"


PLAIN = _Plain()


def _is_leaf(x: Any) -> bool:
    return isinstance(x, (Quantity, Unit))  # a Unit is a (leafless) constant node of torch's pytree


def _tree_map(fn: Fn, tree: Any, *rest: Any) -> Any:
    import torch.utils._pytree as tp

    return tp.tree_map(fn, tree, *rest, is_leaf=_is_leaf)


def _split(tree: Any) -> tuple[Any, Any]:
    mantissas = _tree_map(lambda q: q._m if isinstance(q, Quantity) else q, tree)
    units = _tree_map(lambda q: q._u if isinstance(q, Quantity) else PLAIN, tree)
    return mantissas, units


def _join(mantissas: Any, units: Any) -> Any:
    from ._backends import get_backend

    torch_backend = get_backend("torch")
    return _tree_map(lambda u, m: m if u is PLAIN else wrap(m, u, torch_backend), units, mantissas)


def _per(num: Unit | _Plain, den: Unit | _Plain) -> Unit | _Plain:
    if isinstance(num, _Plain) and isinstance(den, _Plain):
        return PLAIN
    unit = ONE if isinstance(num, _Plain) else num
    return unit if isinstance(den, _Plain) else unit / den


def _output(op: str, out: Any) -> tuple[Any, Any]:
    def check(x: Any) -> Any:
        if isinstance(x, Quantity):
            if x._b is not None and x._b.name != "torch":
                raise UnitError(f"{op}: the function returned a {x._b.name} Quantity; return a torch one")
            return x
        if isinstance(x, (int, float)) or hasattr(x, "shape"):
            return x
        raise UnitError(
            f"{op}: the function must return Quantities or tensors, got {type(x).__name__}; with auxiliary "
            "data, return (output, aux) and pass has_aux=True"
        )

    return _split(_tree_map(check, out))


def _transform(op: str, transform: Fn, fn: Fn, argnums: int | Sequence[int], has_aux: bool, value: bool,
               jacobian: bool, **options: Any) -> Fn:  # fmt: skip
    many = not isinstance(argnums, int)
    nums: tuple[int, ...] = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    @functools.wraps(fn)
    def derivative(*args: Any, **kwargs: Any) -> Any:
        if not nums or max(nums) >= len(args):
            raise TypeError(f"{op}: argnums={argnums!r} does not fit {len(args)} positional arguments")
        split = [_split(args[i]) for i in nums]
        found: dict[str, Any] = {}

        def on_mantissas(*xs: Any) -> Any:
            full = list(args)
            for i, x, (_, units) in zip(nums, xs, split, strict=True):
                full[i] = _join(x, units)
            result = fn(*full, **kwargs)
            out, aux = result if has_aux else (result, None)
            m, found["units"] = _output(op, out)
            return (m, aux) if has_aux else m

        inner = transform(on_mantissas, argnums=tuple(range(len(nums))) if many else 0, has_aux=has_aux, **options)
        result = inner(*(m for m, _ in split))
        if value:
            grads, val = result  # torch.func.grad_and_value: (grad, value) or (grad, (value, aux))
            val, aux = val if has_aux else (val, None)
        else:
            grads, aux = result if has_aux else (result, None)
        out_units = found["units"]

        def per_arg(num: Unit | _Plain) -> Any:
            trees = tuple(_tree_map(lambda d: _per(num, d), units) for _, units in split)
            return trees if many else trees[0]

        units = _tree_map(per_arg, out_units) if jacobian else per_arg(out_units)
        out = _tree_map(lambda un, m: m if un is PLAIN else wrap(m, un, _torch_backend()), units, grads)
        if value:
            val = _join(val, out_units)
            return (out, (val, aux)) if has_aux else (out, val)
        return (out, aux) if has_aux else out

    return derivative


def _torch_backend() -> Any:
    from ._backends import get_backend

    return get_backend("torch")


def grad(fn: Fn, argnums: int | Sequence[int] = 0, has_aux: bool = False) -> Fn:
    """``torch.func.grad`` with units: d f / d x in ``unit(f) / unit(x)``; ``f`` returns a scalar
    Quantity or tensor (with ``has_aux``: ``(output, aux)``)."""
    import torch.func

    return _transform("brainunit_xp.torch_func.grad", torch.func.grad, fn, argnums, has_aux, False, False)


def grad_and_value(fn: Fn, argnums: int | Sequence[int] = 0, has_aux: bool = False) -> Fn:
    """``torch.func.grad_and_value`` with units: ``(df/dx, f(x))``; with ``has_aux``,
    ``(df/dx, (f(x), aux))``."""
    import torch.func

    op = "brainunit_xp.torch_func.grad_and_value"
    return _transform(op, torch.func.grad_and_value, fn, argnums, has_aux, True, False)


def jacrev(fn: Fn, argnums: int | Sequence[int] = 0, *, has_aux: bool = False, **options: Any) -> Fn:
    """``torch.func.jacrev`` with units: the Jacobian of each output in ``unit(output) / unit(x)``,
    laid out as ``torch.func.jacrev`` lays it out (the output's structure, then the argument's)."""
    import torch.func

    return _transform("brainunit_xp.torch_func.jacrev", torch.func.jacrev, fn, argnums, has_aux, False, True, **options)


def jacfwd(fn: Fn, argnums: int | Sequence[int] = 0, *, has_aux: bool = False, **options: Any) -> Fn:
    """``torch.func.jacfwd`` with units, like :func:`jacrev`."""
    import torch.func

    return _transform("brainunit_xp.torch_func.jacfwd", torch.func.jacfwd, fn, argnums, has_aux, False, True, **options)


def vmap(fn: Fn, *args: Any, **kwargs: Any) -> Fn:
    """``torch.func.vmap``: quantities are torch pytrees, so their units pass through as they are."""
    import torch.func

    return torch.func.vmap(fn, *args, **kwargs)


def compile(fn: Fn | None = None, **options: Any) -> Any:  # torch.compile's name
    """``torch.compile(fn, **options)``, sound for quantities: one compiled function per structure
    and units of the arguments.

    Plain ``torch.compile`` traces through the unit layer, but dynamo (torch 2.13) installs no
    guard for the ``is`` comparisons of units that the unit checks make, so a compiled function
    called again with an argument in another unit may reuse the first trace: a wrong result.
    Here the arguments are flattened (a Quantity's unit is in the tree structure) and each
    structure gets its own compiled function, whose units are constants.  Use as
    ``torch_func.compile(fn, backend=..., fullgraph=...)`` or as a decorator (with or without
    arguments).
    """
    if fn is None:
        return functools.partial(compile, **options)
    import torch
    import torch.utils._pytree as tp

    by_structure: dict[Any, Fn] = {}

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        leaves, spec = tp.tree_flatten((args, kwargs))
        compiled = by_structure.get(spec)
        if compiled is None:

            def on_leaves(*leaves: Any) -> Any:
                a, k = tp.tree_unflatten(list(leaves), spec)
                return fn(*a, **k)

            compiled = by_structure[spec] = torch.compile(on_leaves, **options)
        return compiled(*leaves)

    return run
