"""``einsum`` from standard functions (for namespaces without one), and the einops operations
(``einrearrange``, ``einrepeat``, ``einreduce``) for every backend, through the einops library's
array-API path."""

from __future__ import annotations

import string
from typing import Any

from ..._types import Array
from .registry import generic

__all__ = ["einrearrange", "einreduce", "einrepeat", "einsum", "parse_einsum"]


def _letters_of(sublist: Any) -> str:
    """The letters of an interleaved-form sublist (``[0, 1]``, ``[..., 0]``)."""
    return "".join("..." if s is Ellipsis else string.ascii_letters[s] for s in sublist)


def parse_einsum(operands: tuple[Any, ...]) -> tuple[list[str], str | None, list[Any]]:
    """``(input terms, output term or None, arrays)`` of either calling form of ``einsum``."""
    if isinstance(operands[0], str):
        spec, arrays = operands[0].replace(" ", ""), list(operands[1:])
        inputs, arrow, output = spec.partition("->")
        return inputs.split(","), output if arrow else None, arrays
    pairs = operands[: len(operands) - len(operands) % 2]
    out = _letters_of(operands[-1]) if len(operands) % 2 else None
    return [_letters_of(s) for s in pairs[1::2]], out, list(pairs[0::2])


def _expand(term: str, ndim: int, fill: str) -> list[str]:
    """A term's axis labels, its ellipsis replaced by the trailing labels of ``fill``."""
    if "..." not in term:
        if len(term) != ndim:
            raise ValueError(f"einsum: the term {term!r} has {len(term)} labels for an array of {ndim} dimensions")
        return list(term)
    head, _, tail = term.partition("...")
    n = ndim - len(head) - len(tail)
    return [*head, *(fill[len(fill) - n :] if n else ""), *tail]


def _take_diagonal(xp: Any, a: Array, i: int, j: int) -> Array:
    """The diagonal of axes i and j (equal sizes), as the last axis."""
    rest = [k for k in range(a.ndim) if k not in (i, j)]
    a = xp.permute_dims(a, (*rest, i, j))
    n = a.shape[-1]
    flat = xp.reshape(a, (*a.shape[:-2], n * n))
    return xp.take(flat, xp.arange(0, n * n, n + 1), axis=flat.ndim - 1)


def _prepare(xp: Any, a: Array, labels: list[str], keep: set[str]) -> tuple[Array, list[str]]:
    """Repeated labels taken as diagonals; labels needed nowhere else summed out."""
    while len(set(labels)) < len(labels):
        label = next(x for x in labels if labels.count(x) > 1)
        i = labels.index(label)
        j = labels.index(label, i + 1)
        a = _take_diagonal(xp, a, i, j)
        labels = [x for k, x in enumerate(labels) if k not in (i, j)] + [label]
    drop = [k for k, x in enumerate(labels) if x not in keep]
    if drop:
        a = xp.sum(a, axis=tuple(drop))
        labels = [x for k, x in enumerate(labels) if k not in drop]
    return a, labels


def _align(xp: Any, a: Array, labels: list[str], order: list[str]) -> Array:
    """``a`` with its axes in ``order``, size 1 for the labels it lacks."""
    present = [x for x in order if x in labels]
    a = xp.permute_dims(a, tuple(labels.index(x) for x in present))
    shape = [a.shape[present.index(x)] if x in labels else 1 for x in order]
    return xp.reshape(a, tuple(shape))


@generic("einsum")
def einsum(xp: Any, *operands: Any, **kwargs: Any) -> Array:
    """Einstein summation (the namespace's own ``einsum`` where it has one): operands multiplied
    one at a time, each label summed out as soon as no later operand nor the output needs it."""
    native = getattr(xp, "einsum", None)
    if native is not None:
        return native(*operands, **kwargs)
    terms, output, arrays = parse_einsum(operands)
    fill = "".join(c for c in string.ascii_uppercase[::-1] if c not in "".join(terms))  # labels for "..."
    width = max(
        (a.ndim - len(t.replace("...", "")) for t, a in zip(terms, arrays, strict=True) if "..." in t), default=0
    )
    labels = [_expand(t, a.ndim, fill[:width]) for t, a in zip(terms, arrays, strict=True)]
    if output is None:
        counts = [x for ls in labels for x in ls]
        out = list(fill[:width]) + sorted(x for x in set(counts) if counts.count(x) == 1 and x not in fill)
    else:
        out = _expand(output, len(output.replace("...", "")) + width, fill[:width])
    acc: Array | None = None
    acc_labels: list[str] = []
    for i, (array, term) in enumerate(zip(arrays, labels, strict=True)):
        later = {x for rest in labels[i + 1 :] for x in rest} | set(out)
        a, ls = _prepare(xp, array, term, later | set(acc_labels))
        if acc is None:
            acc, acc_labels = a, ls
        else:
            order = list(dict.fromkeys([*acc_labels, *ls]))
            acc = _align(xp, acc, acc_labels, order) * _align(xp, a, ls, order)
            acc_labels = order
        acc, acc_labels = _prepare(xp, acc, acc_labels, later)
    assert acc is not None
    return xp.permute_dims(acc, tuple(acc_labels.index(x) for x in out)) if out else acc


class _TupleShapes:
    """A namespace whose ``reshape`` and ``broadcast_to`` take einops' list shapes (ndonnx wants
    tuples); everything else is ``xp``'s."""

    def __init__(self, xp: Any) -> None:
        self._xp = xp

    def __getattr__(self, name: str) -> Any:
        return getattr(self._xp, name)

    def reshape(self, x: Array, shape: Any, **kwargs: Any) -> Array:
        return self._xp.reshape(x, tuple(shape), **kwargs)

    def broadcast_to(self, x: Array, shape: Any) -> Array:
        return self._xp.broadcast_to(x, tuple(shape))


def _einops(xp: Any, x: Any, pattern: str, reduction: Any, axes_lengths: dict[str, int]) -> Array:
    """einops' recipe for ``pattern`` applied with the namespace ``xp`` (einops' array-API path,
    which every backend's namespace serves)."""
    from einops.einops import EinopsError, _apply_recipe_array_api, _prepare_transformation_recipe

    if isinstance(x, list):
        x = xp.stack(x)
    try:
        recipe = _prepare_transformation_recipe(pattern, reduction, axes_names=tuple(axes_lengths), ndim=x.ndim)
        return _apply_recipe_array_api(
            _TupleShapes(xp),
            recipe=recipe,
            tensor=x,
            reduction_type=reduction,
            axes_lengths=tuple(axes_lengths.items()),
        )
    except EinopsError as e:
        raise EinopsError(f'{reduction} pattern "{pattern}" with input shape {tuple(x.shape)}: {e}') from None


@generic("einrearrange")
def einrearrange(xp: Any, x: Any, pattern: str, **axes_lengths: int) -> Array:
    """einops' ``rearrange``: reorder, merge and split axes."""
    return _einops(xp, x, pattern, "rearrange", axes_lengths)


@generic("einrepeat")
def einrepeat(xp: Any, x: Any, pattern: str, **axes_lengths: int) -> Array:
    """einops' ``repeat``: rearrange, and repeat along new axes."""
    return _einops(xp, x, pattern, "repeat", axes_lengths)


@generic("einreduce")
def einreduce(xp: Any, x: Any, pattern: str, reduction: Any, **axes_lengths: int) -> Array:
    """einops' ``reduce``: rearrange, and reduce the axes the output leaves out (``"sum"``,
    ``"mean"``, ``"min"``, ``"max"``, ``"prod"``, ``"any"``, ``"all"`` or a callable)."""
    return _einops(xp, x, pattern, reduction, axes_lengths)
