"""Backend registry, detection, selection, the default-backend context, conversions, and the
seed documentation page's examples verbatim."""

from __future__ import annotations

import asyncio
import contextlib
import io
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest
from conftest import ALL_BACKENDS, make, skip_reason, values, xp_of

import brainunit_xp as u
from brainunit_xp import BackendError, Quantity
from brainunit_xp._backends import BACKENDS, Backend


def run_python(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True)
    return out.stdout


# -- detection ---------------------------------------------------------------------------------------

IS_ARRAY = {
    "jax": u.is_jax_array,
    "numpy": u.is_numpy_array,
    "cupy": u.is_cupy_array,
    "torch": u.is_torch_array,
    "dask": u.is_dask_array,
    "ndonnx": u.is_ndonnx_array,
    "array_api_strict": u.is_array_api_strict_array,
}


def test_is_array_helpers_answer_for_every_backend(backend: str) -> None:
    arr = xp_of(backend).asarray([1.0])
    for name, is_array in IS_ARRAY.items():
        assert is_array(arr) is (name == backend), name


@pytest.mark.parametrize("obj", [[1, 2, 3], 3.0, None, "x", object()])
def test_is_array_helpers_never_raise(obj: object) -> None:
    assert not any(f(obj) for f in IS_ARRAY.values())


def test_import_loads_no_optional_backend_and_no_jax() -> None:
    out = run_python(
        """
        import sys
        import brainunit_xp as u
        u.is_torch_array([1]); u.is_cupy_array([1]); u.is_dask_array([1]); u.is_ndonnx_array([1]); u.is_jax_array([1])
        print(sorted(m for m in ("jax", "torch", "cupy", "dask", "ndonnx", "array_api_strict") if m in sys.modules))
        q = 3 * u.mV + 2 * u.mV
        print('jax' in sys.modules)
        """
    )
    assert out.split("\n")[:2] == ["[]", "False"]


def test_jax_pytree_registration_whichever_is_imported_first() -> None:
    code = """
        import {first}, {second}
        import jax, jax.numpy as jnp, brainunit_xp as u
        q = u.Quantity(jnp.arange(3.0), u.mV)
        print(jax.jit(lambda x: x * 2)(q), jax.tree_util.tree_leaves(q)[0].shape)
    """
    for first, second in (("jax", "brainunit_xp"), ("brainunit_xp", "jax")):
        assert run_python(code.format(first=first, second=second)).strip() == "[0. 2. 4.] mV (3,)"
    # an availability check between the two (importlib.util.find_spec) must not use the hook up
    check = "brainunit_xp, importlib.util\n        assert importlib.util.find_spec('jax') and 'jax' not in sys.modules"
    assert run_python(code.format(first="sys", second=check)).strip() == "[0. 2. 4.] mV (3,)"


# -- missing backends ---------------------------------------------------------------------------------


def test_missing_backend_raises_with_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = Backend(
        "torch", "torch", "no_such_module_for_brainunit_xp", u.is_torch_array, 'pip install "brainunit-xp[torch]"'
    )
    monkeypatch.setitem(BACKENDS, "torch", fake)
    assert not fake.available
    for call in (lambda: fake.xp, lambda: u.set_default_backend("torch"), lambda: Quantity(np.ones(2)).to_torch()):
        with pytest.raises(BackendError, match=r'pip install "brainunit-xp\[torch\]"'):
            call()
    assert fake._error is not None  # the ImportError is cached for the process


def test_unknown_backend_name() -> None:
    with pytest.raises(BackendError, match="unknown backend 'tensorflow'"):
        u.set_default_backend("tensorflow")
    with pytest.raises(BackendError, match="unknown backend"), u.using_backend("mxnet"):
        pass


def test_every_backend_has_an_install_hint() -> None:
    for name in ("cupy", "torch", "dask", "ndonnx"):
        assert BACKENDS[name].install == f'pip install "brainunit-xp[{name}]"'


# -- the default backend -----------------------------------------------------------------------------


def test_default_backend_set_get_and_nesting() -> None:
    assert u.get_default_backend() is None
    with u.using_backend("numpy"):
        assert u.get_default_backend() == "numpy"
        with u.using_backend("jax"):
            assert u.get_default_backend() == "jax"
        assert u.get_default_backend() == "numpy"
    assert u.get_default_backend() is None
    u.set_default_backend("numpy")
    try:
        assert u.get_default_backend() == "numpy"
    finally:
        u.set_default_backend(None)
    assert u.get_default_backend() is None


def test_using_backend_restores_after_an_exception() -> None:
    with pytest.raises(RuntimeError), u.using_backend("numpy"):
        raise RuntimeError
    assert u.get_default_backend() is None


def test_threads_hammering_using_backend_are_isolated() -> None:
    import jax.numpy as jnp

    q_np, q_jax = Quantity(np.ones(2), u.meter), Quantity(jnp.ones(2), u.meter)
    names = ["numpy", "jax", None] * 4
    errors: list[str] = []
    barrier = threading.Barrier(len(names))

    def work(name: str | None) -> None:
        barrier.wait()
        for _ in range(200):
            with u.using_backend(name):
                got = u.get_default_backend()
                picked = (q_np + q_jax).backend
                if got != name or picked != (name or "jax"):
                    errors.append(f"{name}: saw default {got}, picked {picked}")
            if u.get_default_backend() is not None:
                errors.append(f"{name}: default leaked")

    threads = [threading.Thread(target=work, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert u.get_default_backend() is None


def test_asyncio_tasks_are_isolated() -> None:
    async def task(name: str, hold: asyncio.Event, seen: dict[str, str | None]) -> None:
        u.set_default_backend(name)
        await hold.wait()
        seen[name] = u.get_default_backend()

    async def main() -> dict[str, str | None]:
        hold, seen = asyncio.Event(), {}
        tasks = [asyncio.create_task(task(n, hold, seen)) for n in ("numpy", "jax")]
        await asyncio.sleep(0)
        hold.set()
        await asyncio.gather(*tasks)
        return seen

    assert asyncio.run(main()) == {"numpy": "numpy", "jax": "jax"}
    assert u.get_default_backend() is None


# -- conversions ---------------------------------------------------------------------------------------

CONVERT = {
    "jax": lambda q: q.to_jax(),
    "numpy": lambda q: q.to_numpy(),
    "cupy": lambda q: q.to_cupy(),
    "torch": lambda q: q.to_torch(),
    "dask": lambda q: q.to_dask(),
    "ndonnx": lambda q: q.to_ndonnx(),
    "array_api_strict": lambda q: q.to_array_api_strict(),
}


@pytest.mark.parametrize("target", ALL_BACKENDS)
def test_conversion_between_every_pair(backend: str, target: str) -> None:
    if skip_reason(target):
        pytest.skip(skip_reason(target))
    q = make(backend, [1.0, 2.5], u.mV)
    out = CONVERT[target](q)
    assert out.backend == target and out.unit is u.mV
    assert IS_ARRAY[target](out.mantissa)
    np.testing.assert_allclose(values(out), [1.0, 2.5])
    assert CONVERT[target](out) is out  # already there: no-op
    assert q.backend == backend  # the original is untouched


def test_python_scalar_quantity_converts(backend: str) -> None:
    out = CONVERT[backend](3 * u.mV)
    assert out.backend == backend and IS_ARRAY[backend](out.mantissa)


def test_to_torch_device_and_dtype() -> None:
    torch = pytest.importorskip("torch")
    q = Quantity(np.array([1.0, 2.0]), u.mV)
    for dtype in (np.float32, torch.float32, "float32"):
        t = q.to_torch(dtype=dtype)
        assert t.mantissa.dtype == torch.float32 and t.unit is u.mV
    assert q.to_torch(device="cpu").mantissa.device.type == "cpu"
    same = q.to_torch()
    assert same.to_torch() is same
    assert same.to_torch(dtype=torch.float16).mantissa.dtype == torch.float16


def test_to_dask_chunks() -> None:
    pytest.importorskip("dask")
    q = Quantity(np.arange(10.0), u.mV).to_dask(chunks=5)
    assert q.mantissa.chunks == ((5, 5),)


def test_torch_autograd_survives_unit_operations() -> None:
    torch = pytest.importorskip("torch")
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    q = Quantity(x, u.meter)
    loss = ((q * q).to(u.cmeter2) / u.cmeter2).mantissa.sum()
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), [2e4, 4e4])


# -- the seed documentation page, verbatim --------------------------------------------------------------


def test_seed_page_selection_example() -> None:
    import jax.numpy as jnp

    q_np = u.Quantity(np.array([1.0]), unit=u.meter)
    q_jax = u.Quantity(jnp.array([2.0]), unit=u.meter)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        print("q_np.backend        =", q_np.backend)
        print("q_jax.backend       =", q_jax.backend)
        print("(q_np + q_np).bk    =", (q_np + q_np).backend)
        print("(q_np + q_jax).bk   =", (q_np + q_jax).backend)
        with u.using_backend("numpy"):
            print("inside using_backend:", (q_np + q_jax).backend)
        print("outside:", (q_np + q_jax).backend)
        u.set_default_backend("numpy")
        print(u.get_default_backend())
        print((q_np + q_jax).backend)
        u.set_default_backend(None)
        print(u.get_default_backend())
    assert buf.getvalue().splitlines() == [
        "q_np.backend        = numpy",
        "q_jax.backend       = jax",
        "(q_np + q_np).bk    = numpy",
        "(q_np + q_jax).bk   = jax",
        "inside using_backend: numpy",  # the rule; the seed page's printed 'jax' here is a known mistake
        "outside: jax",
        "numpy",
        "numpy",
        "None",
    ]


def test_seed_page_detection_and_conversion_example() -> None:
    import jax.numpy as jnp

    assert u.is_jax_array(jnp.zeros(1)) is True
    assert u.is_numpy_array(np.zeros(1)) is True
    assert u.is_cupy_array([1, 2, 3]) is False
    assert u.is_torch_array([1, 2, 3]) is False
    assert u.is_dask_array([1, 2, 3]) is False
    assert u.is_ndonnx_array([1, 2, 3]) is False
    q_np = u.Quantity(np.array([1.0, 2.0]), unit=u.meter)
    q_jax = q_np.to_jax()
    q_back = q_jax.to_numpy()
    assert (q_np.backend, q_jax.backend, q_back.backend) == ("numpy", "jax", "numpy")


def test_jit_vmap_pmap_over_quantities() -> None:
    import jax
    import jax.numpy as jnp

    q = Quantity(jnp.arange(6.0).reshape(2, 3), u.mV)
    out = jax.jit(lambda x: (x * x).to(u.uV**2))(q)
    assert out.unit == u.uV**2
    np.testing.assert_allclose(values(out), np.arange(6.0).reshape(2, 3) ** 2 * 1e6, rtol=1e-6)
    summed = jax.vmap(u.jax.sum)(q)
    assert summed.unit is u.mV
    np.testing.assert_allclose(values(summed), [3.0, 12.0])
    doubled = jax.pmap(lambda x: x * 2)(Quantity(jnp.ones((jax.local_device_count(), 2)), u.second))
    assert doubled.unit is u.second
    np.testing.assert_allclose(values(doubled), 2.0)
    traced_pow = jax.jit(lambda x, p: x**p)
    with pytest.raises(u.UnitError, match="concrete"):
        traced_pow(q, jnp.asarray(2.0))
