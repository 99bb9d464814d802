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

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["CASES", "GROUPS", "OTHERS", "SIZES", "Case", "namespace", "versions"]

SIZES = (10, 1_000_000)
#: libraries compared side by side with ours, as ratios to the reference
OTHERS = ("jax", "pint", "astropy", "unyt")

GROUPS = {
    "operators": "Quantity operators on numpy mantissas; reference: the same operation on plain numpy arrays",
    "numpy namespace": "`brainunit_xp.numpy` (unit-aware namespace); reference: `array_api_compat.numpy`",
    "jax backend": "brainunit_xp on jax mantissas (`brainunit_xp.jax`, operators); reference: `jax.numpy`",
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
            cases.append(Case("jax backend", op.name, size, op.targets[i], ours, _jax(op.jax)))
    return cases


CASES: list[Case] = _cases()


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


_LIBS: dict[str, Callable[[dict[str, np.ndarray]], dict[str, Any]]] = {
    "jax": _jax_arrays,
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
