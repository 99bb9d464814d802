"""torch integration: Quantity as a torch pytree, ``torch.compile`` support and the autograd
attributes of a Quantity (``requires_grad``, ``grad``, ``backward``, ``detach``).

Imported only once torch is (by the import hook of :mod:`brainunit_xp._pytree`), so
``import brainunit_xp`` never imports torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._backends import _BY_TYPE, backend_of, get_backend
from ._conversion import dimensionless
from ._errors import BackendError, UnitError
from ._units import Unit

if TYPE_CHECKING:
    from ._quantity import Quantity

__all__ = ["backward", "detach", "grad", "register_dynamo", "register_pytree", "requires_grad", "requires_grad_"]

_new = object.__new__
_type_backend = _BY_TYPE.get


def _wrap(m: Any, u: Unit, b: Any) -> Quantity:
    from ._quantity import wrap

    return wrap(m, u, b)


# -- pytree -----------------------------------------------------------------------------------------


def _flatten(q: Quantity) -> tuple[list[Any], Unit]:
    return [q._m], q._u


def _detect(m: Any) -> Any:
    # torch also rebuilds trees around placeholder leaves: those get no backend
    try:
        return backend_of(m)
    except Exception:
        return None


def register_pytree() -> None:
    """Register Quantity with ``torch.utils._pytree`` (``torch.func``, ``torch.compile``, export)."""
    import torch.utils._pytree as tp

    from ._quantity import Quantity

    def unflatten(values: Any, unit: Unit) -> Quantity:
        (m,) = values
        q = _new(Quantity)
        q._m = m
        q._u = unit
        b = _type_backend(type(m))
        q._b = b if b is not None else _detect(m)
        return q

    # units are constants: under torch.compile a unit read off an input is guarded by equality
    tp.register_constant(Unit)
    key = tp.GetAttrKey("mantissa")
    tp.register_pytree_node(
        Quantity,
        _flatten,
        unflatten,
        serialized_type_name="brainunit_xp.Quantity",
        flatten_with_keys_fn=lambda q: ([(key, q._m)], q._u),
    )


# -- torch.compile ----------------------------------------------------------------------------------


def _untraced() -> tuple[Any, ...]:
    from ._units import dimension, unit

    return (
        unit._product,
        unit._format,
        unit.Unit._from_parts.__func__,  # type: ignore[attr-defined]
        unit.Unit.__pow__,
        dimension.as_exponent,
        dimension.Dimension.describe,  # error messages: ``str.join``
    )


def register_dynamo() -> None:
    """Make the unit layer safe, and mostly transparent, for dynamo (``torch.compile``).

    * ``_conversion.floating`` caches by ``id(dtype)``; a dtype read off a traced tensor has no
      stable id in dynamo (a "fake id" that cannot be reconstructed), so dynamo gets a version
      without the cache.
    * making a new unit (:func:`_untraced`: merging the named parts of a product, powers with
      ``Fraction`` exponents, formatting a name or a dimension) is not traced but run by Python, at a graph
      break: traced, dynamo rebuilt ``Fraction`` objects half-initialized and failed, and cannot
      trace ``str.join``.  Unit algebra whose result is cached (the library caches every product,
      quotient and conversion of two units it has met) traces through without a break.
    * the torch backend's namespace is imported now: a first import inside a compiled region
      (``importlib.import_module``) is a graph break.
    """
    import torch
    import torch._dynamo.decorators

    from . import _conversion

    def floating(m: Any) -> bool:
        try:
            dt = m.dtype
        except AttributeError:
            return type(m) is float
        kind = getattr(dt, "kind", None)
        if kind is not None:
            return kind in ("f", "c")
        return bool(getattr(dt, "is_floating_point", False) or getattr(dt, "is_complex", False))

    torch.compiler.substitute_in_graph(_conversion.floating)(floating)
    for fn in _untraced():
        torch._dynamo.decorators.skip(fn)
    get_backend("torch").xp  # noqa: B018


# -- autograd attributes of a Quantity ---------------------------------------------------------------


def _tensor(q: Quantity, op: str) -> Any:
    b = q._b
    if b is None or b.name != "torch":
        raise BackendError(f"{op}: needs a torch Quantity, got one of the {q.backend} backend; call .to_torch() first")
    return q._m


def requires_grad(q: Quantity) -> bool:
    """Does autograd record operations on the mantissa?  (``False`` off torch.)"""
    return bool(getattr(q._m, "requires_grad", False))


def requires_grad_(q: Quantity, flag: bool = True) -> Quantity:
    """Switch autograd recording on the mantissa (a leaf tensor), in place; returns ``q``."""
    _tensor(q, "requires_grad_").requires_grad_(flag)
    return q


def grad(q: Quantity) -> Quantity | None:
    """The mantissa's ``.grad`` in ``1 / unit``: ``backward`` runs on a plain (dimensionless) number,
    so d(number) / d(q) is per unit of ``q``.  ``None`` before any backward pass."""
    g = getattr(q._m, "grad", None)
    return None if g is None else _wrap(g, q._u**-1, q._b)


def detach(q: Quantity) -> Quantity:
    """The same quantity, out of the autograd graph."""
    return _wrap(_tensor(q, "detach").detach(), q._u, q._b)


def backward(q: Quantity, gradient: Any = None, **options: Any) -> None:
    """``backward`` of a dimensionless (scalar) loss; a loss with units must be counted in a unit first."""
    m = _tensor(q, "backward")
    if not q._u.is_dimensionless:
        raise UnitError(
            f"backward: the loss has unit {q._u.name!r}; gradients of a quantity with units depend on the "
            f"unit it is counted in. Call (loss / {q._u.name}).backward() or loss.to_value(unit).backward()"
        )
    dimensionless(m, q._u, q._b, "backward").backward(gradient, **options)
