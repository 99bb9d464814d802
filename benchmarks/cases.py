"""The benchmark cases: one statement per library for each operation and size.

Every statement is a Python expression evaluated in the namespace built by :func:`namespace`
for its size.  Plain arrays are ``a``, ``b`` (float64, values in [1, 2)), ``d`` (float64 in
[-1, 1), for ``sin``) and ``c`` (bool); jax's are ``ja``, ``jb``, ``jd``, ``jc``.  Quantities
are ``<lib>_<name>``: ``_a`` and ``_b`` in metre, ``_s`` (b's values) in second, ``_cm`` (b's
values) in centimetre, ``_d`` dimensionless (astropy: radian, as its ``sin`` takes angles
only), and ``_c`` is that library's condition array; ``<lib>`` is ``q`` (brainunit_xp on
numpy), ``qj`` (brainunit_xp on jax), ``p`` (pint), ``ap`` (astropy) or ``y`` (unyt).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "CASES",
    "COUNTS",
    "GPU_SIZE",
    "GROUPS",
    "OTHERS",
    "SIZES",
    "Case",
    "Count",
    "gpu_namespace",
    "namespace",
    "versions",
]

SIZES = (10, 1_000_000)
#: jax.jit dispatch: two quantity inputs, one output, 1,000 elements (per-call overhead)
DISPATCH_SIZE = 1_000
#: the GPU rows: large enough that the kernels, not the Python overhead, dominate
GPU_SIZE = 10_000_000
#: libraries compared side by side with ours, as ratios to the reference
OTHERS = ("jax", "pint", "astropy", "unyt")

GROUPS = {
    "operators": "Quantity operators on numpy mantissas; reference: the same operation on plain numpy arrays",
    "numpy namespace": "`brainunit_xp.numpy` (unit-aware namespace); reference: `array_api_compat.numpy`",
    "jax backend": "brainunit_xp on jax mantissas (`brainunit_xp.jax`, operators); reference: `jax.numpy`",
    "jax jit dispatch": "`jax.jit(f)(x, y)` with two Quantity inputs and one Quantity output (`x + y`, m + cm); "
    "reference: the jitted bare function with the conversion factor folded (`a + 0.01 * b`) on bare arrays, and "
    "(`[node floor]`) on the cheapest user type jax can take through `jit`: a class registered with "
    "`register_pytree_node` holding one array, no aux data, whose flatten and unflatten do nothing else",
    "torch backend": "Quantity operators on torch tensors (CPU, float64); reference: the same operation on "
    "plain tensors",
    "gpu": "large arrays on a CUDA GPU (cupy, torch `cuda`, jax `gpu`), synchronized; reference: the bare library. "
    "Skipped without a GPU",
}


@dataclass(frozen=True)
class Case:
    """One row: our statement, the reference statement, and the other libraries' statements."""

    group: str
    name: str
    size: int
    target: float
    ours: str
    ref: str
    others: dict[str, str] = field(default_factory=dict)
    #: compare peak traced memory with the reference (numpy-based statements only)
    memory: bool = False
    #: the library the row needs (a key of the namespace's ``missing``): skipped when it is missing
    requires: str | None = None
    #: which namespace the statements run in: "cpu" (:func:`namespace`) or "gpu" (:func:`gpu_namespace`)
    setup: str = "cpu"

    @property
    def id(self) -> str:
        return f"{self.group}/{self.name}/{self.size}"


@dataclass(frozen=True)
class Op:
    """An operation spelled once, as templates: ``{L}`` is a quantity library's prefix."""

    name: str
    quantity: str  # with quantities, operator form: "{L}_a + {L}_b"
    numpy: str  # on plain numpy arrays
    jax: str  # on plain jax arrays
    targets: tuple[float, float]  # ratio targets at SIZES
    function: str | None = None  # namespace form "bx.sin({L}_d)"; others use np.<function>


OPERATORS = (
    Op("a + b  [m + m]", "{L}_a + {L}_b", "a + b", "ja + jb", (2.0, 1.05)),
    Op("a * b  [m * s]", "{L}_a * {L}_s", "a * b", "ja * jb", (2.5, 1.05)),
    Op("a + b  [m + cm]", "{L}_a + {L}_cm", "a + 0.01 * b", "ja + 0.01 * jb", (2.0, 1.05)),
)
FUNCTIONS = (
    Op("sin(x)  [dimensionless]", "np.sin({L}_d)", "cxp.sin(d)", "jnp.sin(jd)", (2.0, 1.05), "sin({L}_d)"),
    Op("sum(x)  [m]", "np.sum({L}_a)", "cxp.sum(a)", "jnp.sum(ja)", (2.0, 1.05), "sum({L}_a)"),
    Op(
        "matmul(x, y)  [m, m; 1-D]",
        "np.matmul({L}_a, {L}_b)",
        "cxp.matmul(a, b)",
        "jnp.matmul(ja, jb)",
        (2.0, 1.05),
        "matmul({L}_a, {L}_b)",
    ),
    Op(
        "where(c, x, y)  [m, m]",
        "np.where({L}_c, {L}_a, {L}_b)",
        "cxp.where(c, a, b)",
        "jnp.where(jc, ja, jb)",
        (2.0, 1.05),
        "where({L}_c, {L}_a, {L}_b)",
    ),
    Op(
        "einsum('i,i->', x, y)  [m, m]",
        "np.einsum('i,i->', {L}_a, {L}_b)",
        "cxp.einsum('i,i->', a, b)",
        "jnp.einsum('i,i->', ja, jb)",
        (2.0, 1.05),
        "einsum('i,i->', {L}_a, {L}_b)",
    ),
    # brainunit's reductions and comparisons (reference: numpy's own function where compat has none)
    Op(
        "concatenate([x, y])  [m, m]",
        "np.concatenate([{L}_a, {L}_b])",
        "cxp.concat([a, b])",
        "jnp.concatenate([ja, jb])",
        (2.0, 1.05),
        "concatenate([{L}_a, {L}_b])",
    ),
    Op("nanmean(x)  [m]", "np.nanmean({L}_a)", "np.nanmean(a)", "jnp.nanmean(ja)", (2.0, 1.05), "nanmean({L}_a)"),
    Op(
        "allclose(x, y)  [m, m]",
        "np.allclose({L}_a, {L}_b)",
        "np.allclose(a, b)",
        "jnp.allclose(ja, jb)",
        (2.0, 1.05),
        "allclose({L}_a, {L}_b)",
    ),
)
_PREFIX = {"pint": "p", "astropy": "ap", "unyt": "y"}


def _jax(expr: str) -> str:
    return f"({expr}).block_until_ready()"


def _cases() -> list[Case]:
    cases: list[Case] = []
    for i, size in enumerate(SIZES):
        for group, ops in (("operators", OPERATORS), ("numpy namespace", FUNCTIONS)):
            for op in ops:
                ours = (f"bx.{op.function}" if op.function else op.quantity).format(L="q")
                others = {"jax": _jax(op.jax)} | {lib: op.quantity.format(L=p) for lib, p in _PREFIX.items()}
                cases.append(Case(group, op.name, size, op.targets[i], ours, op.numpy, others, memory=i > 0))
        for op in OPERATORS + FUNCTIONS:
            ours = (f"bj.{op.function}" if op.function else op.quantity).format(L="qj")
            ours = f"({ours}).mantissa.block_until_ready()"
            cases.append(Case("jax backend", op.name, size, op.targets[i], ours, _jax(op.jax), requires="jax"))
    jit = "jit(f)(x, y)  [m + cm]"
    cases.append(Case("jax jit dispatch", jit, DISPATCH_SIZE, 1.05, "jf(qj_a, qj_cm).mantissa.block_until_ready()",
                      "jfb(ja, jb).block_until_ready()", requires="jax"))  # fmt: skip
    cases.append(Case("jax jit dispatch", jit.replace("]", "; node floor]"), DISPATCH_SIZE, 1.05,
                      "jf(qj_a, qj_cm).mantissa.block_until_ready()", "jfn(jn_a, jn_b).m.block_until_ready()",
                      requires="jax"))  # fmt: skip
    for op in OPERATORS:
        torch_op = op.numpy.replace("a", "ta").replace("b", "tb")
        cases.append(Case("torch backend", op.name, SIZES[0], op.targets[0], op.quantity.format(L="qt"), torch_op,
                          requires="torch"))  # fmt: skip
    for lib, sync in (("cupy", "cp.cuda.Device().synchronize()"), ("torch-cuda", "torch.cuda.synchronize()"),
                      ("jax-gpu", None)):  # fmt: skip
        p = {"cupy": "gc", "torch-cuda": "gt", "jax-gpu": "gj"}[lib]
        for name, q_stmt, bare in (
            ("a + b  [m + cm]", f"{p}q_a + {p}q_cm", f"{p}_a + 0.01 * {p}_b"),
            ("sum(x)  [m]", f"{p}x.sum({p}q_a)", f"{p}xp.sum({p}_a)"),
            ("matmul(x, y)  [m, m; 1-D]", f"{p}x.matmul({p}q_a, {p}q_b)", f"{p}xp.matmul({p}_a, {p}_b)"),
        ):
            if sync is None:  # jax: block on the result
                ours, ref = f"({q_stmt}).mantissa.block_until_ready()", f"({bare}).block_until_ready()"
            else:
                ours, ref = f"[{q_stmt}, {sync}]", f"[{bare}, {sync}]"
            cases.append(Case("gpu", f"{lib}: {name}", GPU_SIZE, 1.05, ours, ref, requires=lib, setup="gpu"))
    return cases


CASES: list[Case] = _cases()


@dataclass(frozen=True)
class Count:
    """A dask graph size check: our expression's task count must equal the bare one's."""

    name: str
    ours: str
    ref: str


#: dask graphs of 1,000,000 elements in 10 chunks: units add no task (``dx`` = ``q_a``'s values as dask ...)
COUNTS = (
    Count("a + b  [m + m]", "dq_a + dq_b", "da_ + db_"),
    Count("a + b  [m + cm]", "dq_a + dq_cm", "da_ + 0.01 * db_"),
    Count("a * b  [m * s]", "dq_a * dq_s", "da_ * db_"),
    Count("sum(x)  [m]", "bd.sum(dq_a)", "dxp.sum(da_)"),
    Count("mean((a + b) / t)  [m + cm, s]", "bd.mean((dq_a + dq_cm) / dq_s)", "dxp.mean((da_ + 0.01 * db_) / db_)"),
)


# -- the namespace ----------------------------------------------------------------------------------


def _pint(arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    import pint

    ureg = pint.get_application_registry()
    Q = ureg.Quantity
    return {
        "p_a": Q(arrays["a"], "m"),
        "p_b": Q(arrays["b"], "m"),
        "p_s": Q(arrays["b"], "s"),
        "p_cm": Q(arrays["b"], "cm"),
        "p_d": Q(arrays["d"], "dimensionless"),
        "p_c": arrays["c"],
    }


def _astropy(arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    import astropy.units as au

    Q = au.Quantity
    return {
        "ap_a": Q(arrays["a"], au.m),
        "ap_b": Q(arrays["b"], au.m),
        "ap_s": Q(arrays["b"], au.s),
        "ap_cm": Q(arrays["b"], au.cm),
        "ap_d": Q(arrays["d"], au.rad),  # its sin takes angles only
        "ap_c": arrays["c"],
    }


def _unyt(arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    from unyt import unyt_array as Q

    return {
        "y_a": Q(arrays["a"], "m"),
        "y_b": Q(arrays["b"], "m"),
        "y_s": Q(arrays["b"], "s"),
        "y_cm": Q(arrays["b"], "cm"),
        "y_d": Q(arrays["d"], "dimensionless"),
        "y_c": arrays["c"],
    }


def _jax_arrays(arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    import jax

    jax.config.update("jax_enable_x64", True)  # float64, as numpy
    import jax.numpy as jnp

    import brainunit_xp as u
    from brainunit_xp import jax as bj

    ja, jb, jc, jd = (jnp.asarray(arrays[k]) for k in "abcd")
    Q = u.Quantity
    return {
        "jnp": jnp,
        "bj": bj,
        "ja": ja,
        "jb": jb,
        "jc": jc,
        "jd": jd,
        "qj_a": Q(ja, u.meter),
        "qj_b": Q(jb, u.meter),
        "qj_s": Q(jb, u.second),
        "qj_cm": Q(jb, u.cmeter),
        "qj_d": Q(jd),
        "qj_c": jc,
    }


class Node:
    """The cheapest user type for ``jax.jit``: one array, no aux data (registered in :func:`_jit`)."""

    __slots__ = ("m",)

    def __init__(self, m: Any) -> None:
        self.m = m


def _node_unflatten(aux: None, children: Any) -> Node:
    node = object.__new__(Node)
    (node.m,) = children
    return node


@functools.cache  # jax's registry takes a type once per process
def _register_node() -> None:
    import jax

    jax.tree_util.register_pytree_node(Node, lambda n: ((n.m,), None), _node_unflatten)


def _jit(ns: dict[str, Any]) -> dict[str, Any]:
    import jax

    _register_node()
    return {
        "jf": jax.jit(lambda x, y: x + y),
        "jfb": jax.jit(lambda a, b: a + 0.01 * b),
        "jfn": jax.jit(lambda x, y: Node(x.m + 0.01 * y.m)),
        "jn_a": Node(ns["ja"]),
        "jn_b": Node(ns["jb"]),
    }


def _torch(arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    import torch

    import brainunit_xp as u

    ta, tb = torch.from_numpy(arrays["a"]), torch.from_numpy(arrays["b"])
    Q = u.Quantity
    return {"ta": ta, "tb": tb, "qt_a": Q(ta, u.meter), "qt_b": Q(tb, u.meter), "qt_s": Q(tb, u.second),
            "qt_cm": Q(tb, u.cmeter)}  # fmt: skip


def _dask(arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    import array_api_compat.dask.array as dxp
    import dask.array as da

    import brainunit_xp as u
    from brainunit_xp import dask as bd

    chunks = max(1, arrays["a"].size // 10)
    a, b = da.from_array(arrays["a"], chunks=chunks), da.from_array(arrays["b"], chunks=chunks)
    Q = u.Quantity
    return {"dxp": dxp, "bd": bd, "da_": a, "db_": b, "dq_a": Q(a, u.meter), "dq_b": Q(b, u.meter),
            "dq_s": Q(b, u.second), "dq_cm": Q(b, u.cmeter)}  # fmt: skip


_LIBS: dict[str, Callable[[dict[str, np.ndarray]], dict[str, Any]]] = {
    "jax": _jax_arrays,
    "torch": _torch,
    "dask": _dask,
    "pint": _pint,
    "astropy": _astropy,
    "unyt": _unyt,
}


def namespace(size: int) -> tuple[dict[str, Any], dict[str, str]]:
    """The variables of the statements for ``size``, and ``{library: why it is missing}``."""
    import array_api_compat.numpy as cxp

    import brainunit_xp as u
    from brainunit_xp import numpy as bx

    rng = np.random.default_rng(0)
    a, b = rng.uniform(1.0, 2.0, size), rng.uniform(1.0, 2.0, size)
    arrays = {"a": a, "b": b, "c": a > b, "d": rng.uniform(-1.0, 1.0, size)}
    Q = u.Quantity
    ns: dict[str, Any] = {
        "np": np,
        "cxp": cxp,
        "bx": bx,
        **arrays,
        "q_a": Q(a, u.meter),
        "q_b": Q(b, u.meter),
        "q_s": Q(b, u.second),
        "q_cm": Q(b, u.cmeter),
        "q_d": Q(arrays["d"]),
        "q_c": arrays["c"],
    }
    missing: dict[str, str] = {}
    for lib, make in _LIBS.items():
        try:
            ns.update(make(arrays))
        except ImportError as exc:
            missing[lib] = f"not installed ({exc})"
    if "jax" not in missing:
        ns.update(_jit(ns))
    return ns, missing


def gpu_namespace(size: int) -> tuple[dict[str, Any], dict[str, str]]:
    """The variables of the GPU rows (``gc*``: cupy, ``gt*``: torch on ``cuda``, ``gj*``: jax on a GPU;
    ``<p>_a``/``<p>_b`` bare arrays, ``<p>q_*`` quantities, ``<p>xp`` the bare namespace and ``<p>x``
    ours), and ``{library: why it is missing}``: every library without a usable GPU."""
    import brainunit_xp as u

    rng = np.random.default_rng(0)
    a, b = rng.uniform(1.0, 2.0, size), rng.uniform(1.0, 2.0, size)
    ns: dict[str, Any] = {}
    missing: dict[str, str] = {}

    def add(p: str, xa: Any, xb: Any, xp: Any, ours: Any) -> None:
        Q = u.Quantity
        ns.update({f"{p}_a": xa, f"{p}_b": xb, f"{p}xp": xp, f"{p}x": ours, f"{p}q_a": Q(xa, u.meter),
                   f"{p}q_b": Q(xb, u.meter), f"{p}q_cm": Q(xb, u.cmeter)})  # fmt: skip

    try:
        import array_api_compat.cupy as cxp
        import cupy as cp

        if cp.cuda.runtime.getDeviceCount() < 1:
            raise RuntimeError("no CUDA device")
        add("gc", cp.asarray(a), cp.asarray(b), cxp, u.cupy)
        ns["cp"] = cp
    except Exception as exc:
        missing["cupy"] = f"no usable CUDA GPU ({type(exc).__name__}: {exc})"
    try:
        import array_api_compat.torch as txp
        import torch

        if not torch.cuda.is_available():
            raise RuntimeError("torch.cuda.is_available() is False")
        add("gt", torch.from_numpy(a).cuda(), torch.from_numpy(b).cuda(), txp, u.torch)
        ns["torch"] = torch
    except Exception as exc:
        missing["torch-cuda"] = f"no usable CUDA GPU ({type(exc).__name__}: {exc})"
    try:
        import jax

        jax.config.update("jax_enable_x64", True)
        gpus = [d for d in jax.devices() if d.platform == "gpu"]
        if not gpus:
            raise RuntimeError("jax sees no GPU (JAX_PLATFORMS, jax[cuda12])")
        add("gj", jax.device_put(a, gpus[0]), jax.device_put(b, gpus[0]), jax.numpy, u.jax)
    except Exception as exc:
        missing["jax-gpu"] = f"no usable GPU ({type(exc).__name__}: {exc})"
    return ns, missing


def versions() -> dict[str, str]:
    """Versions of the libraries compared (``-`` where one is not installed)."""
    out: dict[str, str] = {}
    for name in ("brainunit_xp", "numpy", "array_api_compat", "jax", "jaxlib", "pint", "astropy", "unyt"):
        try:
            out[name] = str(importlib.import_module(name).__version__)
        except ImportError:
            out[name] = "-"
    return out
