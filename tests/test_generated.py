"""Generated code is checked in and must not drift from its generator; the generated operators
agree with the namespace functions whose rows they come from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import make, values

import brainunit_xp as u
from brainunit_xp._namespace import RULES, Kind

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from gen_operators import SYMBOLS, TARGET, generate  # noqa: E402

sys.path.remove(str(ROOT / "tools"))

BINARY_OPERATORS = [(name, rule.operator) for name, rule in RULES.items() if rule.operator in SYMBOLS]


def test_operators_module_matches_its_generator() -> None:
    assert TARGET.read_text() == generate(), "brainunit_xp/_operators.py drifted: run python tools/gen_operators.py"


def test_generator_check_mode() -> None:
    check = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_operators.py"), "--check"], check=False)
    assert check.returncode == 0


def test_every_binary_operator_row_is_generated() -> None:
    assert len(BINARY_OPERATORS) == len(SYMBOLS)
    for name, symbol in BINARY_OPERATORS:
        assert RULES[name].kind is Kind.BINARY
        assert f"``{name}``" in getattr(u.Quantity, f"__{SYMBOLS[symbol]}__").__doc__


@pytest.mark.parametrize(("name", "symbol"), BINARY_OPERATORS)
def test_operator_agrees_with_its_namespace_function(backend: str, name: str, symbol: str) -> None:
    dimensionless = RULES[name].unit.startswith("x1 and x2 dimensionless")
    if dimensionless:
        x1, x2 = make(backend, [6, 5, 12]), make(backend, [3, 1, 2])
    elif symbol == "@":
        x1, x2 = make(backend, [[1.0, 2.0], [3.0, 4.0]], u.mV), make(backend, [[2.0, 0.5], [1.0, 3.0]], u.uV)
    else:
        x1, x2 = make(backend, [1.0, 2.5, 4.0], u.mV), make(backend, [300.0, 2500.0, 5000.0], u.uV)
    ns: Any = x1.__array_namespace__()
    expected = getattr(ns, name)(x1, x2)
    # the generated method, as Python applies it; the operands' units differ (mV, uV): the
    # converting fast path, whose factor must apply to x2 alone (``x1 % (x2 * f)``)
    got = eval(f"x1 {symbol} x2", {"x1": x1, "x2": x2})
    assert got.unit == expected.unit, symbol
    np.testing.assert_allclose(values(got), values(expected), rtol=1e-6)
