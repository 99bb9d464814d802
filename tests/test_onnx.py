"""ONNX export with units (brainunit_xp.onnx): the model records every input's and output's unit,
and a session on quantities converts inputs to them, refuses other dimensions, and wraps outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import make, values
from hypothesis import given, settings
from hypothesis import strategies as st

import brainunit_xp as u

pytest.importorskip("ndonnx")
pytest.importorskip("onnxruntime")
onnx = pytest.importorskip("onnx")
bo = u.onnx


def power(v: u.Quantity, r: u.Quantity) -> u.Quantity:
    xp = v.__array_namespace__()
    return xp.sum(v * v / r, axis=-1).to(u.mW)


V = np.array([[1.0, 2.0, 3.0], [0.5, 0.25, 4.0]])
R = np.asarray(2.0)


def reference(v: u.Quantity, r: u.Quantity) -> u.Quantity:
    return power(v.to_numpy(), r.to_numpy())


@pytest.fixture(scope="module")
def model() -> Any:
    return bo.export(power, [u.Quantity(V, u.volt), u.Quantity(R, u.kohm)])


def test_export_records_units_in_metadata_and_doc_strings(model: Any) -> None:
    assert isinstance(model, onnx.ModelProto)
    onnx.checker.check_model(model)
    meta = {p.key: p.value for p in model.metadata_props}
    assert {k: v for k, v in meta.items() if k.startswith(bo.UNIT_KEY)} == {
        "brainunit_xp.unit.v": "V",
        "brainunit_xp.unit.r": "kohm",
        "brainunit_xp.unit.output": "mW",
    }
    docs = {v.name: v.doc_string for v in (*model.graph.input, *model.graph.output)}
    assert docs == {"v": "unit: V", "r": "unit: kohm", "output": "unit: mW"}
    assert bo.units_of(model) == {"v": u.volt, "r": u.kohm, "output": u.mW}


def test_export_from_any_backend(backend: str) -> None:
    v, r = make(backend, V, u.volt), make(backend, R, u.kohm)
    out = bo.run(bo.export(power, [v, r]), v, r)
    assert out.unit is u.mW and out.backend == "numpy"
    np.testing.assert_allclose(values(out), values(reference(v, r)))


def test_session_converts_compatible_units(model: Any) -> None:
    session = bo.load(model)
    expected = reference(u.Quantity(V, u.volt), u.Quantity(R, u.kohm))
    out = session.run(u.Quantity(V * 1000, u.mV), r=2000.0 * u.ohm)  # by position and by name
    assert out.unit is u.mW
    np.testing.assert_allclose(values(out), values(expected))
    assert repr(session) == "<brainunit_xp.onnx.Session (v [V], r [kohm]) -> (output [mW])>"


def test_session_refuses_other_dimensions_and_plain_values(model: Any) -> None:
    session = bo.load(model)
    with pytest.raises(u.DimensionMismatchError, match=r"onnx input 'v': the model takes a quantity in 'V'.*'s'"):
        session.run(u.Quantity(V, u.second), 2 * u.kohm)
    with pytest.raises(u.UnitError, match=r"onnx input 'r': the model takes a quantity in 'kohm'; got a plain"):
        session.run(u.Quantity(V, u.volt), R)
    with pytest.raises(TypeError, match="missing input"):
        session.run(u.Quantity(V, u.volt))
    with pytest.raises(TypeError, match="no input 'x'"):
        session.run(u.Quantity(V, u.volt), x=1)


def test_unit_errors_are_raised_while_exporting() -> None:
    with pytest.raises(u.DimensionMismatchError, match="__add__"):
        bo.export(lambda v, t: v + t, [u.Quantity(V, u.volt), u.Quantity(V, u.second)])


def test_saved_model_several_outputs_and_dimensionless_inputs(tmp_path: Path) -> None:
    def stats(x: u.Quantity, gain: Any) -> dict[str, u.Quantity]:
        xp = x.__array_namespace__()
        y = x * gain
        return {"mean": xp.mean(y), "energy": xp.sum(y * y).to(u.uV**2)}

    path = tmp_path / "stats.onnx"
    x = u.Quantity(np.array([1.0, 2.0, 4.0]), u.mV)
    bo.export(stats, [x, np.asarray(3.0)], path)
    session = bo.load(path)
    mean, energy = session.run(x, 3.0)  # a plain number for a dimensionless input
    assert (mean.unit, energy.unit) == (u.mV, u.uV**2)
    np.testing.assert_allclose([float(mean / u.mV), float(energy / u.uV**2)], [7.0, 21.0 * 9 * 1e6])
    assert set(session.run(x, 3.0, as_dict=True)) == {"mean", "energy"}
    pair = bo.export(lambda x: (x, -x), [x])
    assert [o.name for o in pair.graph.output] == ["output0", "output1"]


def test_dynamic_shapes() -> None:
    model = bo.export(power, [u.Quantity(V, u.volt), u.Quantity(R, u.kohm)], dynamic=True)
    v = u.Quantity(np.ones((4, 5)), u.volt)
    out = bo.run(model, v, 1 * u.kohm)
    assert out.shape == (4,) and out.unit is u.mW
    np.testing.assert_allclose(values(out), 5.0)


@settings(max_examples=10, deadline=None)
@given(unit=st.sampled_from(["V", "mV", "kV", "uV"]), scale=st.floats(1e-3, 1e3))
def test_any_compatible_unit_gives_the_reference_result(model: Any, unit: str, scale: float) -> None:
    v = u.Quantity(V * scale, u.parse_unit(unit))
    out = bo.run(model, v, 2 * u.kohm)
    np.testing.assert_allclose(values(out), values(reference(v, 2 * u.kohm)), rtol=1e-12)
