"""The unit rule of every function of the array API standard — the one table.

Each entry names the *factory* that builds the function (``factories.py``, one per category),
an optional parameter for it, and the unit rule in words (shown in the docs and in ``help``).
For ``split`` (functions returning several arrays) the parameter spells the unit of each output:
``u`` the unit of x, ``1`` dimensionless; a leading ``=`` requires a dimensionless x.
Keys are the standard's names; extension functions are prefixed ``linalg.`` and ``fft.``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, NamedTuple

__all__ = ["LAX_RULES", "RULES", "Rule"]


class Rule(NamedTuple):
    factory: str
    unit: str
    param: Any = None


def _group(factory: str, unit: str, names: str, param: Any = None) -> dict[str, Rule]:
    return {name: Rule(factory, unit, param) for name in names.split()}


# Booleans never carry a unit: a function asked for a boolean result returns it dimensionless.
KEEP = "unit of x"
FREE_RULE = "unit-free (the result takes the unit of what it is combined with or assigned)"
SAME = "inputs converted to the unit of x1; result in the unit of x1"
COMPARE = "inputs converted to the unit of x1; result dimensionless"
DIMLESS = "x must be dimensionless; result dimensionless"
UNITLESS = "any unit; result dimensionless"

RULES: dict[str, Rule] = {
    # -- elementwise ---------------------------------------------------------------------------
    **_group("unary", KEEP, "abs ceil conj floor imag negative positive real round trunc", "keep"),
    **_group("unary", DIMLESS, "acos acosh asin asinh atan atanh cos cosh exp expm1 log log1p log2 "
             "log10 sin sinh tan tanh bitwise_invert logical_not", "dimensionless"),
    **_group("unary", UNITLESS, "isfinite isinf isnan sign signbit", "unitless"),
    "square": Rule("unary", "unit of x squared", Fraction(2)),
    "sqrt": Rule("unary", "square root of the unit of x", Fraction(1, 2)),
    "reciprocal": Rule("unary", "inverse of the unit of x", Fraction(-1)),
    **_group("binary", SAME, "add subtract maximum minimum hypot remainder nextafter", "same"),
    **_group("binary", COMPARE, "equal not_equal less less_equal greater greater_equal floor_divide "
             "atan2", "compare"),
    **_group("binary", "x1 and x2 dimensionless; result dimensionless", "logaddexp bitwise_and "
             "bitwise_or bitwise_xor bitwise_left_shift bitwise_right_shift logical_and logical_or "
             "logical_xor", "dimensionless"),
    "multiply": Rule("binary", "unit of x1 times unit of x2", "product"),
    "divide": Rule("binary", "unit of x1 over unit of x2", "quotient"),
    "copysign": Rule("binary", "unit of x1 (x2 gives only its sign, in any unit)", "first"),
    "pow": Rule("pow", "x1 dimensionless: x2 any dimensionless array; otherwise x2 must be a "
                "concrete scalar p and the result has unit(x1)^p"),
    "clip": Rule("clip", "min and max converted to the unit of x; result in the unit of x"),
    # -- statistical ---------------------------------------------------------------------------
    **_group("unary", KEEP, "max min mean sum std cumulative_sum", "keep"),
    "var": Rule("unary", "unit of x squared", Fraction(2)),
    "prod": Rule("prod", "unit of x to the number of reduced elements"),
    "cumulative_prod": Rule("unary", DIMLESS, "dimensionless"),
    # -- utility, searching, sorting, sets ----------------------------------------------------
    **_group("unary", UNITLESS, "all any argmax argmin argsort count_nonzero", "unitless"),
    "diff": Rule("diff", "unit of x; prepend and append converted to it"),
    "nonzero": Rule("unary", "any unit; a tuple of dimensionless index arrays", "unitless"),
    "searchsorted": Rule("binary", "x2 converted to the unit of x1; dimensionless indices", "compare"),
    "where": Rule("where", "condition dimensionless; x1, x2 converted to the unit of x1"),
    "sort": Rule("unary", KEEP, "keep"),
    "isin": Rule("binary", COMPARE, "compare"),
    "unique_values": Rule("unary", KEEP, "keep"),
    "unique_all": Rule("split", "values in the unit of x; indices, inverse_indices, counts "
                       "dimensionless", "u111"),
    "unique_counts": Rule("split", "values in the unit of x; counts dimensionless", "u1"),
    "unique_inverse": Rule("split", "values in the unit of x; inverse_indices dimensionless", "u1"),
    # -- indexing ------------------------------------------------------------------------------
    "take": Rule("take", "unit of x; indices dimensionless"),
    "take_along_axis": Rule("take", "unit of x; indices dimensionless"),
    # -- manipulation --------------------------------------------------------------------------
    **_group("unary", KEEP, "broadcast_to expand_dims flip moveaxis permute_dims reshape roll "
             "squeeze tile unstack", "keep"),
    "repeat": Rule("take", "unit of x; repeats dimensionless"),
    **_group("sequence", "all converted to the unit of the first; result in that unit", "concat stack"),
    "broadcast_arrays": Rule("each", "each array keeps its own unit"),
    "broadcast_shapes": Rule("plain", "no arrays: returns a shape"),
    # -- creation ------------------------------------------------------------------------------
    **_group("creation", "dimensionless", "eye ones"),
    **_group("creation", FREE_RULE, "empty zeros", "free"),
    "full": Rule("full", f"unit of fill_value; a Python 0, inf or nan: {FREE_RULE}"),
    **_group("like", f"unit of x; a dimensionless x: {FREE_RULE}; a boolean dtype: dimensionless",
             "empty_like zeros_like", "keep"),
    "ones_like": Rule("like", "dimensionless", "one"),
    "full_like": Rule("like", "unit of fill_value; a Python 0, inf or nan takes the unit of x (a "
                      f"dimensionless x: {FREE_RULE})", "fill"),
    "arange": Rule("range", "unit of the first of start, stop, step with a unit; the others "
                   "converted to it", ("start", "stop", "step")),
    "linspace": Rule("range", "unit of start or stop; the other converted to it", ("start", "stop")),
    "asarray": Rule("asarray", "unit of obj; a sequence of quantities is converted to the unit of "
                    "its first quantity; with a boolean dtype, dimensionless"),
    "from_dlpack": Rule("from_dlpack", "unit of x (plain arrays: dimensionless)"),
    "meshgrid": Rule("each", "each array keeps its own unit"),
    **_group("unary", KEEP, "tril triu", "keep"),
    # -- data types ----------------------------------------------------------------------------
    "astype": Rule("astype", "unit of x; to a boolean dtype, dimensionless"),
    **_group("plain", "not an array function: quantities are read for their dtype",
             "can_cast finfo iinfo isdtype result_type"),
    # -- linear algebra ------------------------------------------------------------------------
    **_group("binary", "unit of x1 times unit of x2", "matmul tensordot vecdot linalg.matmul "
             "linalg.tensordot linalg.vecdot linalg.outer linalg.cross", "product"),
    **_group("unary", KEEP, "matrix_transpose linalg.matrix_transpose linalg.diagonal linalg.trace "
             "linalg.matrix_norm linalg.vector_norm linalg.svdvals linalg.eigvalsh", "keep"),
    "linalg.cholesky": Rule("unary", "square root of the unit of x", Fraction(1, 2)),
    "linalg.inv": Rule("unary", "inverse of the unit of x", Fraction(-1)),
    "linalg.pinv": Rule("unary", "inverse of the unit of x", Fraction(-1)),
    "linalg.det": Rule("det", "unit of x to the power n, for n x n matrices"),
    "linalg.matrix_power": Rule("matrix_power", "unit of x to the power n"),
    "linalg.matrix_rank": Rule("unary", UNITLESS, "unitless"),
    "linalg.slogdet": Rule("split", "x dimensionless; sign and logabsdet dimensionless", "=11"),
    "linalg.solve": Rule("binary", "unit of x2 over unit of x1", "solve"),
    "linalg.svd": Rule("split", "U and Vh dimensionless; S in the unit of x", "1u1"),
    "linalg.qr": Rule("split", "Q dimensionless; R in the unit of x", "1u"),
    "linalg.eigh": Rule("split", "eigenvalues in the unit of x; eigenvectors dimensionless", "u1"),
    "linalg.eig": Rule("split", "eigenvalues in the unit of x; eigenvectors dimensionless", "u1"),
    "linalg.eigvals": Rule("unary", KEEP, "keep"),
    # -- fft -----------------------------------------------------------------------------------
    **_group("unary", KEEP, "fft.fft fft.ifft fft.fftn fft.ifftn fft.rfft fft.irfft fft.rfftn "
             "fft.irfftn fft.hfft fft.ihfft fft.fftshift fft.ifftshift", "keep"),
    **_group("fftfreq", "inverse of the unit of the sample spacing d", "fft.fftfreq fft.rfftfreq"),
}  # fmt: skip


ANY_DIMLESS = "every array argument dimensionless; result dimensionless"
STRUCT = "unit of x; index arguments dimensionless"

#: ``brainunit_xp.lax`` (JAX only): the unit rules of the ``jax.lax`` wrappers, same factories plus
#: the lax ones in ``brainunit_xp/lax.py``.
LAX_RULES: dict[str, Rule] = {
    # -- elementwise ---------------------------------------------------------------------------
    **_group("unary", KEEP, "abs neg floor ceil round real imag conj reduce_precision stop_gradient",
             "keep"),
    **_group("unary", DIMLESS, "exp exp2 log log1p expm1 sin cos tan asin acos atan sinh cosh tanh "
             "asinh acosh atanh logistic erf erfc erf_inv lgamma digamma bessel_i0e bessel_i1e "
             "cumprod cumlogsumexp bitwise_not population_count clz", "dimensionless"),
    **_group("unary", UNITLESS, "is_finite sign", "unitless"),
    "square": Rule("unary", "unit of x squared", Fraction(2)),
    "sqrt": Rule("unary", "square root of the unit of x", Fraction(1, 2)),
    "rsqrt": Rule("unary", "inverse square root of the unit of x", Fraction(-1, 2)),
    "cbrt": Rule("unary", "cube root of the unit of x", Fraction(1, 3)),
    "reciprocal": Rule("unary", "inverse of the unit of x", Fraction(-1)),
    **_group("binary", SAME, "add sub max min rem nextafter complex", "same"),
    **_group("binary", COMPARE, "eq ne lt le gt ge atan2", "compare"),
    **_group("binary", "unit of x1 times unit of x2", "mul dot dot_general batch_matmul conv "
             "conv_general_dilated conv_with_general_padding conv_transpose", "product"),
    "div": Rule("binary", "unit of x1 over unit of x2", "quotient"),
    **_group("lax_dimensionless", ANY_DIMLESS, "bitwise_and bitwise_or bitwise_xor shift_left "
             "shift_right_arithmetic shift_right_logical igamma igammac igamma_grad_a polygamma zeta "
             "betainc random_gamma_grad"),
    "pow": Rule("pow", RULES["pow"].unit),
    "integer_pow": Rule("pow", "unit of x to the integer y"),
    "clamp": Rule("clamp", "clamp(min, x, max): min and max converted to the unit of x; result in it"),
    "select": Rule("where", "select(pred, on_true, on_false): pred dimensionless; on_false converted "
                   "to the unit of on_true"),
    "select_n": Rule("select_n", "select_n(which, *cases): which dimensionless; cases converted to "
                     "the unit of the first"),
    # -- reductions and scans ------------------------------------------------------------------
    **_group("unary", KEEP, "reduce_sum reduce_max reduce_min cumsum cummax cummin", "keep"),
    **_group("unary", UNITLESS, "argmax argmin reduce_and reduce_or reduce_xor", "unitless"),
    "reduce_prod": Rule("reduce_prod", "unit of x to the number of reduced elements"),
    "top_k": Rule("split", "values in the unit of x; indices dimensionless", "u1"),
    "approx_max_k": Rule("split", "values in the unit of x; indices dimensionless", "u1"),
    "approx_min_k": Rule("split", "values in the unit of x; indices dimensionless", "u1"),
    "sort": Rule("lax_sort", "each operand keeps its unit"),
    "sort_key_val": Rule("lax_sort", "keys and values keep their units"),
    # -- structure -----------------------------------------------------------------------------
    **_group("structural", STRUCT, "slice slice_in_dim index_in_dim dynamic_slice "
             "dynamic_slice_in_dim dynamic_index_in_dim index_take gather rev transpose reshape "
             "broadcast broadcast_in_dim broadcast_to_rank squeeze expand_dims collapse tile "
             "convert_element_type fft psum pmean pmax pmin all_gather ppermute"),
    **_group("structural_many", "each piece in the unit of x", "split unstack"),
    **_group("sequence", "all converted to the unit of the first; result in that unit",
             "concatenate stack"),
    **_group("update", "update converted to the unit of the operand; result in it",
             "dynamic_update_slice dynamic_update_slice_in_dim dynamic_update_index_in_dim pad "
             "scatter scatter_add scatter_sub scatter_max scatter_min"),
    "scatter_mul": Rule("update", "updates dimensionless; result in the unit of the operand"),
    # -- creation ------------------------------------------------------------------------------
    "full": Rule("full", "unit of fill_value"),
    "full_like": Rule("like", "unit of fill_value; a Python 0, inf or nan takes the unit of x", "fill"),
    **_group("creation", "dimensionless", "iota broadcasted_iota"),
    # -- control flow: Quantities are pytrees, so units flow through the carried values --------
    **_group("control", "units flow through: Quantities are pytrees with a static unit", "cond switch "
             "while_loop fori_loop scan map associative_scan"),
}  # fmt: skip


def rules_markdown() -> str:
    """The page ``docs/unit-rules.md``: every function of the table with its unit rule."""
    from .._quantity import OPERATORS

    lines = [
        "# Unit rules",
        "",
        "<!-- generated from brainunit_xp/_namespace/rules.py by `python docs/generate.py`; "
        "tests/test_docs.py fails if it drifts -->",
        "",
        "Every function of the unit-aware namespaces (`brainunit_xp.<backend>`, `q.__array_namespace__()`)",
        "and of the front-ends `brainunit_xp.math`, `.linalg`, `.fft` follows one declared unit rule.",
        "Arguments may be Quantities, plain arrays of the namespace's backend and Python numbers; plain",
        "values are dimensionless, except that the Python numbers 0, inf and nan take any unit.",
        "A dimensionless result always has scale 1: `m / cm` gives the number 100, not a unit `m / cm`.",
        "In the functions of the unary and binary factories, the options after the arrays (`axis`,",
        "`linalg.pinv`'s `rtol`, `searchsorted`'s `sorter`, ...) are plain numbers: a Quantity there",
        "must be dimensionless and is passed on as its value.",
        "",
    ]
    for title, prefix in (("Functions", ""), ("linalg", "linalg."), ("fft", "fft.")):
        names = sorted(n for n in RULES if (n.startswith(prefix) if prefix else "." not in n))
        lines += [f"## {title}", "", "| function | unit rule | factory |", "|---|---|---|"]
        lines += [f"| `{n}` | {RULES[n].unit} | {RULES[n].factory} |" for n in names]
        lines.append("")
    lines += [
        "## lax (JAX only)",
        "",
        "`brainunit_xp.lax` wraps `jax.lax`; its functions refuse Quantities of other backends.",
        "",
        "| function | unit rule | factory |",
        "|---|---|---|",
    ]
    lines += [f"| `{n}` | {r.unit} | {r.factory} |" for n, r in sorted(LAX_RULES.items())]
    lines += [
        "",
        "## Operators",
        "",
        "Operators follow the rule of their function. Between Quantities of different backends they",
        "apply the backend selection rule; in-place operators keep the left operand's backend.",
        "",
        "| operator | function | unit rule |",
        "|---|---|---|",
    ]
    for key, (func, rule, _) in OPERATORS.items():
        lines.append(f"| `__{key}__` | `{func}` | {(rule.__doc__ or '').strip()} |")
    lines += [
        "| `__pow__` | `pow` | " + RULES["pow"].unit + " |",
        "| `__neg__`, `__pos__`, `__abs__` | `negative`, `positive`, `abs` | unit of x |",
        "| `__invert__` | `bitwise_invert` | x must be dimensionless; result dimensionless |",
        "",
    ]
    return "\n".join(lines)
