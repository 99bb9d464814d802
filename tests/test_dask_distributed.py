"""dask.distributed: quantities travel to worker processes and back (pickled) with their unit.

The test starts its own ``LocalCluster`` (2 worker processes, 1 thread each, a small memory
limit) and stops it when done: about 10 s, most of it starting and stopping the processes.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pytest
from conftest import values

import brainunit_xp as u

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")


def test_quantities_on_a_local_cluster() -> None:
    """One cluster for every check (under pytest-xdist, one test runs in one process)."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            memory_limit="400MiB",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        check_compute_persist_gather(client)
        check_submit_and_map_pickle_quantities(client)
        check_unit_errors(client)


def power(v: u.Quantity, r: u.Quantity) -> u.Quantity:
    """Runs on a worker: P = V^2 / R."""
    return u.math.sum(v * v / r).to(u.mW)


def check_compute_persist_gather(client: Any) -> None:
    v = u.Quantity(da.arange(12.0, chunks=3), u.mV)
    r = (v * 1000).to(u.volt)
    fut = client.compute(r)
    out = fut.result()
    assert out.unit is u.volt and out.backend == "numpy"
    np.testing.assert_allclose(values(out), np.arange(12.0))

    kept = client.persist(r)
    assert kept.backend == "dask" and kept.unit is u.volt
    assert len(dict(kept.__dask_graph__())) == 4  # one future per chunk, held by the workers
    total = client.compute(u.dask.sum(kept))
    (gathered,) = client.gather([total])
    assert gathered.unit is u.volt and float(gathered / u.volt) == float(np.arange(12.0).sum())


def check_submit_and_map_pickle_quantities(client: Any) -> None:
    v = u.Quantity(np.array([1.0, 2.0, 3.0]), u.volt)
    r = 2 * u.kohm
    p = client.submit(power, v, r).result()
    assert p.unit is u.mW
    np.testing.assert_allclose(float(p / u.mW), (1 + 4 + 9) / 2)

    futures = client.map(power, [v, v * 2], [r, r])
    results = client.gather(futures)
    assert [x.unit for x in results] == [u.mW, u.mW]
    np.testing.assert_allclose([float(x / u.mW) for x in results], [7.0, 28.0])

    # a dask Quantity argument travels as it is (a graph), as a dask array does
    lazy = u.Quantity(da.from_array(np.array([1.0, 2.0, 3.0]), chunks=2), u.volt)
    p = client.submit(power, lazy, r).result()
    assert p.backend == "dask" and p.unit is u.mW
    assert float(p.compute() / u.mW) == pytest.approx(7.0)


def check_unit_errors(client: Any) -> None:
    v = u.Quantity(da.ones(4, chunks=2), u.volt)
    with pytest.raises(u.DimensionMismatchError, match="__add__"):
        client.compute(v + 1 * u.second)
    bad = client.submit(lambda x: x + 1 * u.second, u.Quantity(np.ones(2), u.volt))
    with pytest.raises(u.DimensionMismatchError, match="incompatible units 'V'"):
        bad.result()  # raised on the worker, re-raised here with our message
