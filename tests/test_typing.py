"""``brainunit_xp.typing``: brainunit's aliases and physical types, ``isinstance`` by dimension,
``validate_units``, and a mypy run over an annotated file."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Annotated

import numpy as np
import pytest
from conftest import make

import brainunit_xp as u
from brainunit_xp import typing as t

ROOT = Path(__file__).resolve().parent.parent
NAMES = json.loads((ROOT / "tests" / "data" / "brainunit-0.6.0-names.json").read_text())["names"][".typing"]


def test_names_are_brainunits() -> None:
    assert sorted(t.__all__) == sorted(NAMES)


def test_physical_types_check_the_dimension(backend: str) -> None:
    v = make(backend, [1.0, 2.0], u.mV)
    assert isinstance(v, t.VOLTAGE) and not isinstance(v, t.CURRENT)
    assert isinstance(make(backend, [1.0], u.km / u.hour), t.SPEED)
    assert isinstance(make(backend, [1.0]), t.DIMENSIONLESS_TYPE)
    assert not isinstance(np.array([1.0]), t.DIMENSIONLESS_TYPE)  # only Quantities
    assert isinstance(v, t.HAS_UNIT) and isinstance(v, t.quantity_type(u.volt))
    assert not isinstance(v, t.quantity_type("length"))


def test_physical_type_objects() -> None:
    length = t.PhysicalType("length")
    assert length is t.PhysicalType(" Length ") and t.is_physical_type(length)
    assert length.dimension is u.meter.dim and length.physical_type == "length"
    assert repr(length) == "PhysicalType('length')"
    assert not t.is_physical_type(t.LENGTH) and not t.is_physical_type(u.Quantity)
    assert t.quantity_type(u.mV) is t.quantity_type(u.mV) and repr(t.quantity_type(u.mV)) == "Quantity[mV]"
    assert t.quantity_type("length") == t.LENGTH
    with pytest.raises(ValueError, match="unknown physical type 'banana'"):
        t.PhysicalType("banana")
    with pytest.raises(TypeError, match="expects a Unit or a physical-type name"):
        t.quantity_type(3)  # type: ignore[arg-type]


def test_aliases_are_runtime_types() -> None:
    import jax.numpy as jnp

    assert t.Array is __import__("jax").Array
    assert isinstance(np.ones(2), t.ArrayLike) and isinstance(jnp.ones(2), t.ArrayLike)
    assert not isinstance(1.0, t.ArrayLike) and isinstance(1.0, t.ScalarOrArrayLike)
    assert isinstance(3 * u.mV, t.QuantityLike) and isinstance("mV", t.UnitLike) and isinstance(None, t.UnitLike)
    assert isinstance(u.mV.dim, t.DimensionLike)


def test_validate_units(backend: str) -> None:
    @t.validate_units
    def ohms_law(v: t.VOLTAGE, r: Annotated[u.Quantity, u.ohm]) -> t.CURRENT:
        return v / r

    out = ohms_law(make(backend, [5.0], u.volt), make(backend, [100.0], u.ohm))
    assert out.dim is u.amp.dim and out.backend == backend
    with pytest.raises(u.DimensionMismatchError, match="Argument 'r' of 'ohms_law' expected dimension"):
        ohms_law(make(backend, [5.0], u.volt), make(backend, [5.0], u.volt))
    with pytest.raises(u.DimensionMismatchError, match="expected physical type 'voltage'"):
        ohms_law(make(backend, [5.0], u.amp), make(backend, [5.0], u.ohm))
    with pytest.raises(TypeError, match="expected a Quantity, got float"):
        ohms_law(5.0, make(backend, [5.0], u.ohm))

    @t.validate_units(strict=True)
    def strict(v: Annotated[u.Quantity, u.volt]) -> u.Quantity:
        return v

    strict(make(backend, [1.0], u.volt))
    with pytest.raises(u.UnitMismatchError, match="expected unit V, got mV"):
        strict(make(backend, [1.0], u.mV))

    def plain(x: float) -> float:
        return x

    assert t.validate_units(plain) is plain  # nothing to check: the function itself


ANNOTATED = """
from __future__ import annotations

from typing import Annotated

import numpy as np

import brainunit_xp as u
from brainunit_xp.typing import (
    ArrayLike, DTypeLike, LENGTH, QuantityLike, ScalarOrArrayLike, Shape, SPEED, TIME, UnitLike, VOLTAGE,
    quantity_type, validate_units,
)


def travel_time(distance: LENGTH, speed: SPEED) -> TIME:
    return u.Quantity(distance.to_value("m") / speed.to_value("m/s"), u.second)


@validate_units
def scaled(v: VOLTAGE, gain: ScalarOrArrayLike, unit: UnitLike = None) -> Annotated[u.Quantity, u.mV]:
    return v.to("mV")


def total(x: ArrayLike, shape: Shape, dtype: DTypeLike | None = None) -> QuantityLike:
    return np.zeros(shape, dtype=dtype)


t: TIME = travel_time(u.Quantity(3.0, u.km), u.Quantity(2.0, "m/s"))
is_length: bool = isinstance(t, quantity_type("length"))
"""

ARITHMETIC = """
import brainunit_xp as u
from brainunit_xp.typing import LENGTH, SPEED, TIME


def travel_time(distance: LENGTH, speed: SPEED) -> TIME:
    return distance / speed
"""

MYPY = [sys.executable, "-m", "mypy", "--no-incremental", "--follow-imports=silent", "--ignore-missing-imports"]
BAD = "from brainunit_xp.typing import LENGTH\n\nx: LENGTH = 3\n"


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    """mypy's report on three files (one run: mypy takes ~20 s to load jax and numpy's stubs)."""
    pytest.importorskip("mypy")
    tmp = tmp_path_factory.mktemp("mypy")
    for name, source in (("annotated.py", ANNOTATED), ("bad.py", BAD), ("arithmetic.py", ARITHMETIC)):
        (tmp / name).write_text(textwrap.dedent(source))
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "MYPYPATH": str(ROOT)}
    files = ["annotated.py", "bad.py", "arithmetic.py"]
    run = subprocess.run([*MYPY, *files], check=False, capture_output=True, text=True, cwd=tmp, env=env, timeout=600)
    assert "error: " in run.stdout, run.stdout + run.stderr  # bad.py has one: mypy ran
    return run.stdout


def errors_in(output: str, name: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"{name}:") and ": error:" in line]


def test_annotations_type_check_with_mypy(mypy_output: str) -> None:
    assert errors_in(mypy_output, "annotated.py") == []
    # and mypy does catch a wrong annotation: an int is not a LENGTH
    (error,) = errors_in(mypy_output, "bad.py")
    assert 'Incompatible types in assignment (expression has type "int", variable has type "Quantity")' in error


def test_quantity_arithmetic_type_checks_with_mypy(mypy_output: str) -> None:
    assert errors_in(mypy_output, "arithmetic.py") == []


def test_quantity_subscript_is_quantity_type() -> None:
    assert u.Quantity[u.mV] is t.quantity_type(u.mV)  # type: ignore[misc]
    assert isinstance(3 * u.volt, u.Quantity["voltage"])  # type: ignore[misc]
