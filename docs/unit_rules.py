"""The page ``docs/unit-rules.md``, rendered from the rules table (``python docs/generate.py``)."""

from __future__ import annotations

from brainunit_xp._namespace.table import LAX_RULES, MATH_RULES, RULES

__all__ = ["rules_markdown"]


def rules_markdown() -> str:
    """Every function of the table with its unit rule, and the operators that follow them."""
    lines = [
        "# Unit rules",
        "",
        "<!-- generated from brainunit_xp/_namespace/table.py by `python docs/generate.py`; "
        "tests/test_docs.py fails if it drifts -->",
        "",
        "Every function of the unit-aware namespaces (`brainunit_xp.<backend>`, `q.__array_namespace__()`)",
        "and of the front-ends `brainunit_xp.math`, `.linalg`, `.fft` follows one declared unit rule.",
        "Arguments may be Quantities, plain arrays of the namespace's backend and Python numbers; plain",
        "values are dimensionless, except that the Python numbers 0, inf and nan take any unit.",
        "A dimensionless result always has scale 1: `m / cm` gives the number 100, not a unit `m / cm`.",
        "In the functions of the one-array and binary factories, the options after the arrays (`axis`,",
        "`linalg.pinv`'s `rtol`, `searchsorted`'s `sorter`, ...) are plain numbers: a Quantity there",
        "must be dimensionless and is passed on as its value.",
        "brainunit's unit options work as in brainunit: `unit_to_scale=u` (keyword, or a `Unit` among the",
        "options) lets a function of dimensionless values take x in unit u, its value in u being the",
        "number (`exp(x, unit_to_scale=mV)`; both operands of a binary one); `unit=u` gives a creation",
        "function's result in u (`zeros(3, unit=mV)`; `asarray`, `tril`, `diag` convert a Quantity to u).",
        "",
    ]
    for title, prefix in (("Functions", ""), ("linalg", "linalg."), ("fft", "fft.")):
        names = sorted(n for n in RULES if (n.startswith(prefix) if prefix else "." not in n))
        lines += [f"## {title}", "", "| function | unit rule | factory |", "|---|---|---|"]
        lines += [f"| `{n}` | {RULES[n].unit} | {RULES[n].kind.value} |" for n in names]
        lines.append("")
    lines += [
        "## brainunit's other functions",
        "",
        "`brainunit_xp.math`, `.linalg`, `.fft` also have brainunit's (numpy's) names; which backends have",
        "each is in [support-matrix.md](support-matrix.md).",
        "",
        "| function | unit rule | factory |",
        "|---|---|---|",
    ]
    for n, r in sorted(MATH_RULES.items()):
        alias = f" (= `{r.alias}`)" if r.alias else ""
        lines.append(f"| `{n}`{alias} | {r.unit} | {r.kind.value} |")
    lines += [
        "",
        "## lax (JAX only)",
        "",
        "`brainunit_xp.lax` wraps `jax.lax`; its functions refuse Quantities of other backends.",
        "",
        "| function | unit rule | factory |",
        "|---|---|---|",
    ]
    lines += [f"| `{n}` | {r.unit} | {r.kind.value} |" for n, r in sorted(LAX_RULES.items())]
    lines += [
        "",
        "## Operators",
        "",
        "Operators follow the rule of their function (the binary ones are generated from these rows into",
        "`brainunit_xp/_operators.py`). Between Quantities of different backends they apply the backend",
        "selection rule; in-place operators keep the left operand's backend.",
        "",
        "| operator | function | unit rule |",
        "|---|---|---|",
    ]
    lines += [f"| `{r.operator}` | `{n}` | {r.unit} |" for n, r in RULES.items() if r.operator]
    lines.append("")
    return "\n".join(lines)
