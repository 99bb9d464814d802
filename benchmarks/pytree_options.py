"""How should Quantity be registered as a jax pytree?  ``jax.jit`` dispatch with each option.

    python benchmarks/pytree_options.py            # about a minute
    python benchmarks/pytree_options.py --quick

Each option registers its own subclass of Quantity (jax's registry is keyed by type and cannot
be undone), and a jitted ``x + y`` on two 1,000-element quantities (m + cm) returns that
subclass, so all options are timed in one process, interleaved, against the bare jitted
``a + 0.01 * b`` and against the registration brainunit_xp ships (``_pytree.py``).  Options:

- ``node``: ``register_pytree_node`` with plain Python flatten / unflatten (unflatten through
  ``wrap``, as before this measurement);
- ``keys``: ``register_pytree_with_keys`` (key paths ``.mantissa``; the same flatten);
- ``node_class``: ``register_pytree_node_class`` (``tree_flatten`` / ``tree_unflatten`` methods);
- ``dataclass``: ``register_dataclass`` (flatten in C++; unflatten calls the class with keywords);
- ``token_aux``: the aux data a per-unit token whose ``__eq__`` / ``__hash__`` are C-level identity;
- ``shipped``: brainunit_xp's registration (``register_pytree_with_keys``, inlined unflatten).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
from timing import compare  # noqa: E402

import brainunit_xp as u  # noqa: E402
from brainunit_xp._backends import backend_of_type  # noqa: E402
from brainunit_xp._quantity import Quantity  # noqa: E402

_new = object.__new__


def _subclass(name: str, **body: Any) -> type[Quantity]:
    return type(name, (Quantity,), {"__slots__": (), **body})


def _unflatten_via_wrap(cls: type[Quantity]) -> Any:
    """The unflatten brainunit_xp had before: the backend looked up, then a ``wrap`` call."""

    def wrap_cls(m: Any, unit: u.Unit, b: Any) -> Quantity:  # ``wrap``, for the subclass
        q = _new(cls)
        q._m = m
        q._u = unit
        q._b = b
        return q

    def unflatten(unit: u.Unit, children: Any) -> Quantity:
        (m,) = children
        b = backend_of_type(type(m))
        return wrap_cls(m, unit, b)

    return unflatten


def options() -> dict[str, type[Quantity]]:
    tu = jax.tree_util
    out: dict[str, type[Quantity]] = {}

    cls = out["node"] = _subclass("QNode")
    tu.register_pytree_node(cls, lambda q: ((q._m,), q._u), _unflatten_via_wrap(cls))

    cls = out["keys"] = _subclass("QKeys")
    key = tu.GetAttrKey("mantissa")
    tu.register_pytree_with_keys(
        cls, lambda q: (((key, q._m),), q._u), _unflatten_via_wrap(cls), lambda q: ((q._m,), q._u)
    )

    def tree_unflatten(cls: type[Quantity], unit: u.Unit, children: Any) -> Quantity:
        return _unflatten_via_wrap(cls)(unit, children)

    cls = out["node_class"] = _subclass(
        "QNodeClass", tree_flatten=lambda q: ((q._m,), q._u), tree_unflatten=classmethod(tree_unflatten)
    )
    tu.register_pytree_node_class(cls)

    def init(self: Quantity, _m: Any, _u: u.Unit) -> None:
        self._m, self._u, self._b = _m, _u, backend_of_type(type(_m))

    cls = out["dataclass"] = _subclass("QDataclass", __init__=init)
    tu.register_dataclass(cls, data_fields=["_m"], meta_fields=["_u"])

    class Token:
        __slots__ = ("unit",)

    tokens: dict[int, Token] = {}

    def flatten_token(q: Quantity) -> tuple[tuple[Any], Token]:
        t = tokens.get(id(q._u))
        if t is None:
            t = tokens[id(q._u)] = Token()
            t.unit = q._u
        return (q._m,), t

    cls = out["token_aux"] = _subclass("QToken")
    via_wrap = _unflatten_via_wrap(cls)
    tu.register_pytree_node(cls, flatten_token, lambda t, children: via_wrap(t.unit, children))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    rounds, sample = (20, 0.002) if args.quick else (300, 0.002)

    jax.config.update("jax_enable_x64", True)
    a, b = jnp.linspace(1.0, 2.0, 1000), jnp.linspace(2.0, 3.0, 1000)
    ns: dict[str, Any] = {"a": a, "b": b, "bare": jax.jit(lambda x, y: x + 0.01 * y)}
    stmts = {"bare": "bare(a, b).block_until_ready()"}
    for name, cls in options().items():

        def to_cls(q: Quantity, cls: type[Quantity] = cls) -> Quantity:
            out = _new(cls)
            out._m, out._u, out._b = q._m, q._u, q._b
            return out

        f = jax.jit(lambda x, y, to_cls=to_cls: to_cls(x + y))
        x, y = to_cls(u.Quantity(a, u.meter)), to_cls(u.Quantity(b, u.cmeter))
        assert type(f(x, y)) is cls and f(x, y).unit is u.meter
        ns |= {f"f_{name}": f, f"x_{name}": x, f"y_{name}": y}
        stmts[name] = f"f_{name}(x_{name}, y_{name})._m.block_until_ready()"
    ns |= {"f": jax.jit(lambda x, y: x + y), "x": u.Quantity(a, u.meter), "y": u.Quantity(b, u.cmeter)}
    stmts["shipped"] = "f(x, y)._m.block_until_ready()"

    times = compare(stmts, ns, rounds=rounds, sample=sample)
    bare = times["bare"].best
    print(f"jax {jax.__version__}; best of {rounds} interleaved rounds; jit(x + y), 1,000 float64 (m + cm)\n")
    print("| registration | per call | ratio to bare |")
    print("|---|---|---|")
    for name, t in times.items():
        print(f"| `{name}` | {t.best * 1e6:.2f} µs | {t.best / bare:.3f}\N{MULTIPLICATION SIGN} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
