"""The generated section of ``docs/scipy.md``: every wrapped scipy function and its unit rule
(``python docs/generate.py``)."""

from __future__ import annotations

from brainunit_xp.scipy import MODULES, WRAPPED, Kind, Rule

__all__ = ["scipy_markdown"]


def _kind(rule: Rule) -> str:
    if rule.kind is Kind.POWER:
        return "keep" if rule.power == 1 else f"power {rule.power}"
    return rule.kind.value


def scipy_markdown() -> str:
    """One table per scipy module: the function, its unit rule, the kind of rule."""
    lines = []
    for sub in MODULES:
        rows = sorted((k, r) for k, r in WRAPPED.items() if k.split(".")[1] == sub)
        lines += [f"### scipy.{sub} ({len(rows)} functions)", "", "| function | unit rule | kind |", "|---|---|---|"]
        lines += [f"| `{k.rpartition('.')[2]}` | {r.unit} | {_kind(r)} |" for k, r in rows]
        lines.append("")
    return "\n".join(lines).rstrip("\n")
