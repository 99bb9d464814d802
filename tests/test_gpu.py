"""Quantities on a CUDA GPU: cupy, torch ``cuda`` and jax ``gpu`` (every test is skipped, with the
reason, where no GPU is usable; ``tools/gpu_check.sh`` runs them on a GPU machine, with
``JAX_PLATFORMS=cuda,cpu`` for jax)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from conftest import skip_reason, values

import brainunit_xp as u


def _torch_cuda() -> Any:
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("torch sees no CUDA GPU (torch.cuda.is_available() is False)")
    return torch


def _jax_gpu() -> Any:
    jax = pytest.importorskip("jax")
    gpus = [d for d in jax.devices() if d.platform == "gpu"]
    if not gpus:
        pytest.skip("jax sees no GPU (needs jax[cuda12] and JAX_PLATFORMS=cuda,cpu)")
    return jax, gpus[0]


def test_torch_cuda_quantities() -> None:
    torch = _torch_cuda()
    v = u.Quantity(np.array([1.0, 2.0, 3.0]), u.mV).to_torch(device="cuda")
    r = u.Quantity(torch.tensor(2.0, device="cuda"), u.kohm)
    p = u.torch.sum(v * v / r).to(u.nW)
    assert p.mantissa.device.type == "cuda" and p.unit is u.nW
    assert float(p.to_numpy() / u.nW) == pytest.approx(7.0)
    g = u.torch_func.grad(lambda v: u.torch.sum(v * v / r))(v)
    assert g.mantissa.device.type == "cuda" and g.unit == u.mV / u.kohm
    with pytest.raises(RuntimeError, match="device"):
        v + u.Quantity(torch.ones(3), u.mV)  # cuda + cpu
    assert str(v.to_device("cpu").device) == "cpu"


def test_torch_cuda_compile() -> None:
    torch = _torch_cuda()
    f = u.torch_func.compile(lambda v, g: (g * v).to(u.pA))
    v = u.Quantity(torch.linspace(-70.0, 30.0, 1000, device="cuda"), u.mV)
    out = f(v, u.Quantity(torch.tensor(2.0, device="cuda"), u.nS))
    np.testing.assert_allclose(values(out), np.linspace(-140.0, 60.0, 1000), rtol=1e-5)


def test_jax_gpu_jit() -> None:
    jax, gpu = _jax_gpu()
    a = jax.device_put(np.linspace(1.0, 2.0, 1000), gpu)
    add = jax.jit(lambda x, y: x + y)
    out = add(u.Quantity(a, u.meter), u.Quantity(a, u.cmeter))
    assert out.unit is u.meter and next(iter(out.mantissa.devices())).platform == "gpu"
    np.testing.assert_allclose(values(out), np.linspace(1.0, 2.0, 1000) * 1.01, rtol=1e-6)


def test_cupy_quantities() -> None:
    reason = skip_reason("cupy")
    if reason:
        pytest.skip(reason)
    import cupy as cp

    q = u.Quantity(cp.arange(4.0), u.mV)
    assert q.backend == "cupy" and (q * 2 * u.nS).to(u.pA).backend == "cupy"
    np.testing.assert_allclose(values(u.cupy.linalg.vector_norm(q)), np.sqrt(14.0))
    assert u.Quantity(np.ones(2), u.meter).to_cupy(device=0).backend == "cupy"
    np.testing.assert_allclose(values(q.to_numpy()), np.arange(4.0))
