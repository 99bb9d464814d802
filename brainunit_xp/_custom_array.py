"""``CustomArray``: a mix-in that makes an object behave as the array (or Quantity) it holds.

A subclass keeps its array in ``.data`` (brainunit's contract: set ``self.data = ...`` or define a
``data`` property); a subclass that keeps it in ``.value`` instead (as brainstate's ``State`` does)
works unchanged, because the default ``data`` reads and writes ``value``.  Operators, indexing,
``len``/``iter``, conversions, ``__array__``/``__jax_array__``/``__array_namespace__`` and every
other attribute (``.unit``, ``.mantissa``, ``.to(...)``, ``.mean()``, ``.reshape(...)``, …) are
forwarded to the held value; results are the held value's own results (not wrapped again).
In-place operators (``+=``) rebind ``data``.

The getters (:func:`brainunit_xp.get_unit`, ``get_dim``, …) and the decorators unwrap a
CustomArray with :func:`maybe_custom_array`.  ``tree_flatten``/``tree_unflatten`` make a subclass
a JAX pytree with ``jax.tree_util.register_pytree_node_class`` (as in brainunit), or with the
class keyword ``class State(CustomArray, pytree=True)``.
"""

from __future__ import annotations

import operator
import sys
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["CustomArray", "maybe_custom_array", "maybe_custom_array_tree"]


def maybe_custom_array(x: Any) -> Any:
    """``x.data`` if ``x`` is a :class:`CustomArray`, else ``x`` unchanged."""
    return x.data if isinstance(x, CustomArray) else x


def maybe_custom_array_tree(x: Any) -> Any:
    """``x`` with every :class:`CustomArray` in it (lists, tuples, dicts, JAX pytrees) replaced by
    its ``data``."""
    jax = sys.modules.get("jax")
    if jax is not None and hasattr(jax, "tree_util"):
        return jax.tree_util.tree_map(maybe_custom_array, x, is_leaf=lambda a: isinstance(a, CustomArray))
    return _walk(x)


def _walk(x: Any) -> Any:
    if isinstance(x, CustomArray):
        return x.data
    if isinstance(x, dict):
        return type(x)((k, _walk(v)) for k, v in x.items())
    if isinstance(x, (list, tuple)):
        items = [_walk(v) for v in x]
        return type(x)(*items) if hasattr(x, "_fields") else type(x)(items)
    return x


def _binary(op: Callable[[Any, Any], Any]) -> tuple[Any, Any, Any]:
    def forward(self: CustomArray, other: Any) -> Any:
        return op(self.data, maybe_custom_array(other))

    def reflected(self: CustomArray, other: Any) -> Any:
        return op(maybe_custom_array(other), self.data)

    def inplace(self: CustomArray, other: Any) -> CustomArray:
        self.data = op(self.data, maybe_custom_array(other))
        return self

    return forward, reflected, inplace


def _unary(op: Callable[[Any], Any]) -> Any:
    def f(self: CustomArray) -> Any:
        return op(self.data)

    return f


class CustomArray:
    """Mix-in that forwards the array and Quantity protocol to ``self.data``.

    >>> import numpy as np
    >>> import brainunit_xp as u
    >>> class Box(u.CustomArray):
    ...     def __init__(self, value):
    ...         self.data = value
    >>> b = Box(np.array([1.0, 2.0]) * u.mV)
    >>> print(b + 1 * u.mV, b.unit, b.shape)
    [2. 3.] mV mV (2,)
    """

    def __init_subclass__(cls, pytree: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if pytree:
            import jax

            jax.tree_util.register_pytree_node_class(cls)

    # -- the held value: ``data``, falling back on ``value`` --------------------------------
    @property
    def data(self) -> Any:
        return self.value  # __getattr__ explains a missing one

    @data.setter
    def data(self, new: Any) -> None:
        self.value = new

    def __getattr__(self, name: str) -> Any:
        # only reached when normal lookup fails: forward .unit, .mantissa, .to(), .mean(), …
        if name == "data":
            raise AttributeError(
                f"{type(self).__name__} holds no array: a CustomArray keeps it in .data "
                f"(set self.data = ... in __init__, or define a data or value property)"
            )
        if name == "value" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.data, name)

    # -- pytree ---------------------------------------------------------------------------------
    def tree_flatten(self) -> tuple[tuple[Any], None]:
        return (self.data,), None

    @classmethod
    def tree_unflatten(cls, aux_data: Any, flat_contents: Any) -> Any:
        return cls(*flat_contents)

    # -- display --------------------------------------------------------------------------------
    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.data!r})"

    def __str__(self) -> str:
        return str(self.data)

    def __format__(self, spec: str) -> str:
        return format(self.data, spec)

    def __hash__(self) -> int:
        return hash(self.data)

    # -- container protocol -------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self) -> Iterator[Any]:
        for i in range(len(self.data)):
            yield self.data[i]

    def __getitem__(self, index: Any) -> Any:
        return self.data[maybe_custom_array(index)]

    def __setitem__(self, index: Any, value: Any) -> None:
        data, value = self.data, maybe_custom_array(value)
        if hasattr(data, "at") and not hasattr(data, "__setitem__"):  # immutable jax arrays
            self.data = data.at[index].set(value)
            return
        try:
            data[index] = value
        except TypeError:
            at = getattr(data, "at", None)
            if at is None:
                raise
            self.data = at[index].set(value)  # jax, and Quantities of jax arrays

    # -- conversions ----------------------------------------------------------------------------
    def __array__(self, dtype: Any = None, copy: bool | None = None) -> Any:
        import numpy as np

        return np.asarray(self.data, dtype=dtype)

    def __jax_array__(self) -> Any:
        return self.data

    def __array_namespace__(self, *, api_version: str | None = None) -> Any:
        return self.data.__array_namespace__(api_version=api_version)

    def __bool__(self) -> bool:
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.data)

    def __int__(self) -> int:
        return int(self.data)

    def __complex__(self) -> complex:
        return complex(self.data)

    def __index__(self) -> int:
        return operator.index(self.data)

    def __round__(self, ndigits: int | None = None) -> Any:
        return round(self.data, ndigits) if ndigits is not None else round(self.data)

    # -- pieces that brainunit's CustomArray adds on top of the held value's own methods -------
    def numpy(self, dtype: Any = None) -> Any:
        """The held array as a numpy array (a Quantity stays a Quantity, on numpy)."""
        return self.to_numpy(dtype)

    def to_numpy(self, dtype: Any = None) -> Any:
        data = self.data
        if hasattr(data, "to_numpy") and hasattr(data, "unit"):
            return data.to_numpy()
        import numpy as np

        return np.asarray(data, dtype=dtype)

    def clone(self) -> Any:
        """A copy of the held value (torch's name)."""
        import copy

        return copy.deepcopy(self.data)

    def fill(self, value: Any) -> None:
        """Set every element to ``value``, keeping the shape (and the unit of ``value``)."""
        from . import math

        self.data = math.zeros_like(self.data) + maybe_custom_array(value)  # type: ignore[misc]

    def zero_(self) -> CustomArray:
        """Set every element to zero, in place (torch's name)."""
        from . import math

        self.data = math.zeros_like(self.data)  # type: ignore[misc]
        return self


_BINARY = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "truediv": operator.truediv,
    "floordiv": operator.floordiv,
    "mod": operator.mod,
    "pow": operator.pow,
    "matmul": operator.matmul,
    "and": operator.and_,
    "or": operator.or_,
    "xor": operator.xor,
    "lshift": operator.lshift,
    "rshift": operator.rshift,
}
for _name, _op in _BINARY.items():
    _f, _r, _i = _binary(_op)
    for _dunder, _fn in ((f"__{_name}__", _f), (f"__r{_name}__", _r), (f"__i{_name}__", _i)):
        _fn.__name__ = _fn.__qualname__ = _dunder
        setattr(CustomArray, _dunder, _fn)
for _dunder, _op in (
    ("__eq__", operator.eq),
    ("__ne__", operator.ne),
    ("__lt__", operator.lt),
    ("__le__", operator.le),
    ("__gt__", operator.gt),
    ("__ge__", operator.ge),
    ("__divmod__", divmod),
):
    _fn = _binary(_op)[0]
    _fn.__name__ = _fn.__qualname__ = _dunder
    setattr(CustomArray, _dunder, _fn)
CustomArray.__rdivmod__ = _binary(divmod)[1]  # type: ignore[attr-defined]
for _dunder, _op1 in (
    ("__neg__", operator.neg),
    ("__pos__", operator.pos),
    ("__abs__", operator.abs),
    ("__invert__", operator.invert),
):
    setattr(CustomArray, _dunder, _unary(_op1))
del _name, _op, _f, _r, _i, _dunder, _fn, _op1
