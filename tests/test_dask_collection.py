"""A Quantity with a dask mantissa is a dask collection: dask's own functions (compute, persist,
optimize, delayed, visualize) take it and give back quantities with the unit; other quantities
are not collections.  Units are checked while the graph is built and add no task."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import make, values
from hypothesis import given, settings
from hypothesis import strategies as st

import brainunit_xp as u

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")


def tasks(x: Any) -> int:
    return len(dict(x.__dask_graph__()))


@pytest.fixture
def q() -> u.Quantity:
    return u.Quantity(da.from_array(np.arange(12.0), chunks=4), u.mV)


def test_only_dask_quantities_are_collections(backend: str) -> None:
    q = make(backend, [1.0, 2.0], u.mV)
    assert dask.is_dask_collection(q) is (backend == "dask")
    assert dask.is_dask_collection(3 * u.mV) is False
    assert hasattr(q, "chunks") is (backend == "dask")


def test_compute_and_persist_keep_the_unit(q: u.Quantity) -> None:
    r = (q * 2).to(u.volt)
    expected = np.arange(12.0) * 2 / 1000
    (computed,) = dask.compute(r)
    assert computed.unit is u.volt and computed.backend == "numpy"
    np.testing.assert_allclose(values(computed), expected)
    np.testing.assert_allclose(values(r.compute()), expected)
    assert r.compute().unit is u.volt

    (persisted,) = dask.persist(r)
    assert persisted.backend == "dask" and persisted.unit is u.volt
    assert tasks(persisted) == len(r.mantissa.chunks[0])  # only the computed chunks are left
    np.testing.assert_allclose(values(persisted.compute()), expected)
    assert r.persist().unit is u.volt
    assert dask.compute(r, q)[1].unit is u.mV  # several collections at once


def test_compute_and_persist_of_other_backends_return_the_quantity(backend: str) -> None:
    x = make(backend, [1.0, 2.0], u.mV)
    if backend != "dask":
        assert x.compute() is x and x.persist() is x
        assert dask.compute(x)[0] is x


def test_optimize_fuses_and_keeps_the_unit(q: u.Quantity) -> None:
    r = ((q + 1 * u.volt) * 3).to(u.volt)
    (opt,) = dask.optimize(r)
    assert opt.unit is u.volt and opt.backend == "dask"
    assert tasks(opt) <= tasks(r)
    np.testing.assert_allclose(values(opt.compute()), values(r.compute()))


def test_delayed_functions_take_and_return_quantities(q: u.Quantity) -> None:
    seen: list[str] = []

    @dask.delayed
    def energy(v: u.Quantity, c: u.Quantity) -> u.Quantity:
        seen.append(v.backend)  # a dask argument arrives computed
        return u.numpy.sum(v * v) * c / 2

    e = energy(q, u.Quantity(np.asarray(2.0), u.uF))
    assert seen == []  # nothing computed yet
    result = e.compute()
    assert seen == ["numpy"]
    expected = (np.arange(12.0) ** 2).sum() * 2 / 2
    assert result.unit == u.mV**2 * u.uF
    np.testing.assert_allclose(float(result / (u.mV**2 * u.uF)), expected)


def test_delayed_results_become_dask_quantities() -> None:
    part = dask.delayed(lambda i: np.full(3, float(i)))
    q = u.Quantity(da.concatenate([da.from_delayed(part(i), (3,), float) for i in range(3)]), u.second)
    assert q.backend == "dask"
    np.testing.assert_allclose(values(q.to(u.ms).compute()), np.repeat([0.0, 1000.0, 2000.0], 3))


def test_visualize(q: u.Quantity, tmp_path: Path) -> None:
    if importlib.util.find_spec("graphviz") is None:
        pytest.skip("dask.visualize needs the graphviz Python package (and the dot program); not installed")
    dask.visualize(q * 2, filename=str(tmp_path / "graph.png"))
    assert (tmp_path / "graph.png").stat().st_size > 0


def test_rechunk_and_chunks(q: u.Quantity) -> None:
    assert q.chunks == ((4, 4, 4),)
    r = q.rechunk(6)
    assert r.chunks == ((6, 6),) and r.unit is u.mV
    np.testing.assert_array_equal(values(r.compute()), np.arange(12.0))
    assert q.to_dask(chunks=3).chunks == ((3, 3, 3, 3),)
    with pytest.raises(u.BackendError, match=r"rechunk: needs a dask Quantity.*\.to_dask\(\)"):
        u.Quantity(np.ones(3), u.mV).rechunk(2)


def test_tokens_are_deterministic_and_see_the_unit(q: u.Quantity) -> None:
    from dask.base import tokenize

    assert tokenize(q) == tokenize(u.Quantity(q.mantissa, u.mV))
    assert tokenize(q) != tokenize(u.Quantity(q.mantissa, u.volt))
    assert tokenize(q) != tokenize(q.mantissa)


def test_a_wrong_unit_fails_while_the_graph_is_built() -> None:
    ran: list[int] = []

    def load() -> np.ndarray:
        ran.append(1)
        return np.ones(4)

    q = u.Quantity(da.from_delayed(dask.delayed(load)(), (4,), float), u.mV)
    with pytest.raises(u.DimensionMismatchError, match=r"__add__: incompatible units 'mV'.*'s'"):
        q + 1 * u.second
    with pytest.raises(u.UnitError, match="exp: needs a dimensionless argument"):
        u.dask.exp(q)
    assert ran == []  # nothing was computed
    assert values((q + 1 * u.volt).compute()).tolist() == [1001.0] * 4
    assert ran == [1]


# -- the graph: exactly the bare graph's tasks --------------------------------------------------------


def _pair(n: int, chunks: int) -> tuple[Any, Any]:
    rng = np.random.default_rng(0)
    return da.from_array(rng.random(n), chunks=chunks), da.from_array(rng.random(n), chunks=chunks)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 40), chunks=st.integers(1, 12))
def test_unit_graphs_have_the_bare_graphs_tasks(n: int, chunks: int) -> None:
    a, b = _pair(n, chunks)
    qa, qb, qs = u.Quantity(a, u.meter), u.Quantity(b, u.cmeter), u.Quantity(b, u.second)
    cases = [
        (qa + u.Quantity(b, u.meter), a + b),  # same unit: nothing to convert
        (qa + qb, a + b * 0.01),  # cm to m: the one multiplication a hand-written graph has too
        (qa * qs, a * b),
        ((qa / qs).to(u.cmeter / u.second), a / b * 100),
        (u.dask.sum(qa * qa), da.sum(a * a)),
        (u.dask.mean(qa + qb, axis=0), da.mean(a + b * 0.01, axis=0)),
    ]
    for ours, bare in cases:
        assert tasks(ours) == tasks(bare)
        np.testing.assert_allclose(values(ours.compute()), bare.compute())
        (opt,), (bare_opt,) = dask.optimize(ours), dask.optimize(bare)
        assert tasks(opt) == tasks(bare_opt)


# -- zarr ----------------------------------------------------------------------------------------------


def test_zarr_round_trip_keeps_the_unit(q: u.Quantity, tmp_path: Path) -> None:
    pytest.importorskip("zarr")
    from brainunit_xp._dask import UNIT_ATTRIBUTE

    path = str(tmp_path / "v.zarr")
    u.dask.to_zarr((q / u.ms).to(u.volt / u.second), path)
    back = u.dask.from_zarr(path)
    assert back.backend == "dask" and back.unit == u.volt / u.second and back.unit.name == "V / s"
    np.testing.assert_allclose(values(back.compute()), np.arange(12.0))

    import zarr

    assert zarr.open_array(path, mode="r").attrs[UNIT_ATTRIBUTE] == "V / s"
    da.to_zarr(da.ones(3, chunks=3), str(tmp_path / "plain.zarr"))
    with pytest.raises(u.UnitError, match="records no unit"):
        u.dask.from_zarr(str(tmp_path / "plain.zarr"))
