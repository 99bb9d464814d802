"""The per-backend notebooks of docs/notebooks/: a short tour of each backend, written by
``python docs/generate.py`` and executed when the site builds (``nb_execution_mode`` in conf.py).

Each notebook is a list of cells: ``md(...)`` is a Markdown cell, a plain string a code cell.  Edit
the cells here, not the ``.ipynb`` files: the test suite checks that they match.
"""

from __future__ import annotations

import nbformat


class Markdown(str):
    """The text of a Markdown cell."""


def md(text: str) -> Markdown:
    return Markdown(text)


#: what every tour starts with, after its title
INTRO = (
    "Every cell runs when the documentation site builds, so what you see is what this version of brainunit_xp prints."
)

JAX = [
    md(
        "# JAX\n\n"
        "jax is the default backend: the full feature set, and the only one with `brainunit_xp.lax`, "
        "`.autograd` and `.sparse`. A Quantity is a JAX pytree (the mantissa is a leaf, the unit is "
        "static), so `jax.jit` and `jax.vmap` see through it. " + INTRO
    ),
    """\
import jax
import jax.numpy as jnp

import brainunit_xp as u

v = u.Quantity(jnp.array([-70.0, -55.0, 20.0]), u.mV)
g = 2.0 * u.nS
print(v.backend, u.is_jax_array(v.mantissa), v)
print((g * v).to(u.pA))  # nS * mV = pA
print(v + 0.1 * u.volt)  # the right operand is converted to mV""",
    md(
        "## A reduction and linear algebra\n\n"
        "`q.__array_namespace__()` is `brainunit_xp.jax`; `brainunit_xp.math` and `.linalg` pick the "
        "backend from their inputs."
    ),
    """\
xp = v.__array_namespace__()
print(xp is u.jax, xp.mean(v), u.math.std(v).to(u.uV))

R = u.Quantity(jnp.array([[2.0, 1.0], [1.0, 3.0]]), u.kohm)
V = u.Quantity(jnp.array([5.0, 10.0]), u.volt)
current = u.linalg.solve(R, V)  # V / kohm = mA
print(current.to(u.mA), (R @ current).to(u.volt))""",
    md(
        "## jit, vmap and gradients\n\n"
        "Units are checked once, while jax traces; the compiled program is the one you would write by "
        "hand with the conversion factors folded in. `brainunit_xp.autograd.grad` gives the derivative "
        "in unit(f) / unit(x)."
    ),
    """\
@jax.jit
def power(i, r):
    return (i**2 * r).to(u.mW)


i = u.Quantity(jnp.array([1.0, 2.0]), u.mA)
print(power(i, 1.0 * u.kohm))
print(jax.vmap(lambda row: row.to(u.uA))(i))


def energy(v):
    return u.math.sum(0.5 * (100 * u.pF) * v**2)  # E = C v^2 / 2


print(u.autograd.grad(energy)(v).to(u.fC))  # dE/dv = C v, a charge""",
    md("JAX-only operations refuse other backends with a `BackendError` that names the fix:"),
    """\
import numpy as np

q_np = u.Quantity(np.array([1.0, 2.0, 3.0]), u.meter)
try:
    u.lax.slice(q_np, (0,), (1,))
except u.BackendError as exc:
    print(exc)
print(u.lax.slice(q_np.to_jax(), (0,), (1,)))""",
]

NUMPY = [
    md(
        "# NumPy\n\n"
        "numpy gives eager CPU computation and interop with the scientific Python stack; the namespace "
        "`brainunit_xp.numpy` wraps `array_api_compat.numpy`. This notebook also walks through how "
        "brainunit_xp picks a backend and converts between them. " + INTRO
    ),
    """\
import jax.numpy as jnp
import numpy as np

import brainunit_xp as u

t = u.Quantity(np.linspace(0.0, 1.0, 5), u.second)
x = 3 * u.meter + (2 * u.meter / u.second) * t
print(x.backend, x)
print(x.to(u.cmeter), x.to_value(u.cmeter))  # a Quantity in cm, and plain numpy values in cm
print(u.numpy.mean(x), u.numpy.std(x).to(u.cmeter))""",
    md("## Linear algebra\n\nA least-squares fit with units: the slope comes out in m / s."),
    """\
A = u.numpy.stack([t / u.second, u.numpy.ones_like(t / u.second)], axis=1)  # dimensionless design matrix
coef = u.numpy.linalg.pinv(A) @ x
print(coef, u.numpy.round(coef[0] / u.second, decimals=6))
print(u.numpy.linalg.vector_norm(x - A @ coef) < 1 * u.nmeter)""",
    md(
        "## Picking a backend\n\n"
        "One backend among the inputs wins; mixed inputs (or none) use the default set by "
        "`set_default_backend` / `using_backend`, and without one, jax. The `is_*_array` helpers never "
        "import a library and never raise."
    ),
    """\
q_np = u.Quantity(np.array([1.0]), unit=u.meter)
q_jax = u.Quantity(jnp.array([2.0]), unit=u.meter)
print((q_np + q_np).backend, (q_np + q_jax).backend)
with u.using_backend("numpy"):
    print("inside using_backend:", (q_np + q_jax).backend)
u.set_default_backend("numpy")
print(u.get_default_backend(), (q_np + q_jax).backend)
u.set_default_backend(None)
print(u.get_default_backend(), u.is_numpy_array(q_np.mantissa), u.is_torch_array([1, 2]))""",
    md(
        "## Converting\n\n"
        "`q.to_jax()`, `q.to_numpy()`, `q.to_torch()`, `q.to_dask()`, `q.to_ndonnx()`, `q.to_cupy()` "
        "return a new Quantity (or `self` when it is already there). Inside one backend's namespace "
        "there is no tiebreak: mixing is a `BackendError` naming the conversion."
    ),
    """\
print(q_np.to_jax().backend, q_np.to_jax().to_numpy().backend, q_np.to_numpy() is q_np)
try:
    u.numpy.add(q_np, q_jax)
except u.BackendError as exc:
    print(exc)""",
]

CUPY = [
    md(
        "# CuPy\n\n"
        'cupy runs NumPy-like arrays on an NVIDIA GPU (`pip install "brainunit-xp[cupy]"`); '
        "`brainunit_xp.math`, `.linalg` and `.fft` work as on numpy, executed on the GPU. " + INTRO + "\n\n"
        "> Cells that start with `%%gpu` run only where a CUDA GPU is present; elsewhere they print why "
        "they were skipped, and their code is still shown. The first cell says which case this build was."
    ),
    '''\
from IPython.core.magic import register_cell_magic

try:
    import cupy as cp

    GPU = cp.cuda.runtime.getDeviceCount() > 0
    why = "" if GPU else "cupy is installed but no CUDA GPU is present"
except ImportError:
    GPU, why = False, "cupy is not installed"
except Exception as exc:  # cupy raises CUDARuntimeError without a driver
    GPU, why = False, f"no usable CUDA GPU ({type(exc).__name__})"
print("CUDA GPU:", "yes" if GPU else f"no, {why}: the %%gpu cells below are skipped")


@register_cell_magic
def gpu(line, cell):
    """Run the cell where a CUDA GPU is present; otherwise say that it was skipped."""
    if GPU:
        exec(cell, get_ipython().user_ns)
    else:
        print(f"skipped: {why}")''',
    md("## Quantities on the GPU"),
    """\
%%gpu
import numpy as np

import brainunit_xp as u

v = u.Quantity(cp.arange(4.0), u.mV)
print(v.backend, type(v.mantissa).__name__, (v * 2 * u.nS).to(u.pA))
print(v + 1 * u.volt)  # converted to mV on the device
print(u.cupy.sum(v), u.math.mean(v).to(u.uV))""",
    md("## Linear algebra and FFT"),
    """\
%%gpu
R = u.Quantity(cp.array([[2.0, 1.0], [1.0, 3.0]]), u.kohm)
V = u.Quantity(cp.array([5.0, 10.0]), u.volt)
print(u.linalg.solve(R, V).to(u.mA), u.cupy.linalg.vector_norm(V))
print(u.fft.rfft(v).unit, u.fft.rfftfreq(4, d=1 * u.ms).to(u.Hz))""",
    md(
        "## Moving between host and device\n\n"
        "`q.to_cupy(device=None)` takes a CUDA device index; `q.to_numpy()` copies back to the host."
    ),
    """\
%%gpu
q = u.Quantity(np.array([1.0, 2.0]), u.meter).to_cupy(device=0)
print(q.backend, q.mantissa.device, q.to_numpy().backend, u.is_cupy_array(q.mantissa))""",
]

TORCH = [
    md(
        "# PyTorch\n\n"
        'torch tensors carry units through brainunit_xp (`pip install "brainunit-xp[torch]"`); the '
        "namespace `brainunit_xp.torch` wraps `array_api_compat.torch`. PyTorch's autograd is "
        "preserved through every unit operation. " + INTRO
    ),
    """\
import torch

import brainunit_xp as u

v = u.Quantity(torch.tensor([-70.0, -55.0, 20.0]), u.mV)
print(v.backend, u.is_torch_array(v.mantissa), v)
print((2 * u.nS * v).to(u.pA), v + 0.1 * u.volt)
print(u.torch.mean(v), u.math.max(v).to(u.uV))""",
    md("## Linear algebra"),
    """\
R = u.Quantity(torch.tensor([[2.0, 1.0], [1.0, 3.0]]), u.kohm)
V = u.Quantity(torch.tensor([5.0, 10.0]), u.volt)
current = u.linalg.solve(R, V)
print(current.to(u.mA), u.torch.linalg.vector_norm(current).to(u.uA))""",
    md(
        "## autograd\n\n"
        "`loss.backward()` works on a quantity-derived loss once it is counted in a unit (a "
        "dimensionless Quantity, or `.to(unit).mantissa`); `q.grad` is the mantissa's gradient in "
        "`1 / q.unit`."
    ),
    """\
current = u.Quantity(torch.tensor([0.5, 2.0]), u.mA).requires_grad_()
loss = u.torch.sum(current**2 * (100 * u.ohm)) / u.mW  # P = I^2 R, counted in mW
loss.backward()
print(loss, current.grad)""",
    md(
        "## torch.func with units\n\n"
        "`brainunit_xp.torch_func` has `torch.func`'s transforms with units: `grad`, `jacrev`, "
        "`jacfwd` give d f / d x in unit(f) / unit(x); `vmap` is `torch.func.vmap`."
    ),
    """\
tf = u.torch_func


def energy(v, c):
    return u.torch.sum(c * v**2 / 2)


c = u.Quantity(torch.tensor(2.0), u.uF)
print(tf.grad(energy)(v, c).to(u.nC))  # dE/dv = c v, a charge
print(tf.vmap(lambda row: row * c)(v).unit)""",
    md("## Devices and dtypes"),
    """\
import numpy as np

q = u.Quantity(np.array([1.0, 2.0]), u.second).to_torch(dtype=np.float32)
print(q.backend, q.dtype, q.device, q.to_torch(dtype=torch.float64).dtype)
print(q.to_device("meta").device, "cuda available:", torch.cuda.is_available())""",
]

DASK = [
    md(
        "# Dask\n\n"
        'dask arrays stay lazy through brainunit_xp (`pip install "brainunit-xp[dask]"`): building a '
        "quantity, arithmetic, conversion and the functions of `brainunit_xp.dask` only build the task "
        "graph, and units are checked at once, while it is built. " + INTRO
    ),
    """\
import dask
import dask.array as da
import numpy as np

import brainunit_xp as u

x = u.Quantity(da.arange(8.0, chunks=4), u.meter)
y = u.Quantity(da.ones(8, chunks=4), u.cmeter)
s = x + y  # y converted to metres: one multiplication in the graph
print(s.backend, s.shape, s.chunks, type(s.mantissa).__name__, u.is_dask_array(s.mantissa))
bare = x.mantissa + 0.01 * y.mantissa
print(len(s.__dask_graph__()), "tasks, as many as the bare", len(bare.__dask_graph__()))""",
    md(
        "## A reduction, then compute\n\n"
        "Nothing runs until you ask: `q.compute()`, `dask.compute(...)`, `q.to_numpy()`. A Quantity "
        "with a dask mantissa is a dask collection, so dask's own functions give quantities back."
    ),
    """\
total = u.dask.sum(s.to(u.mmeter))
print(total.unit, type(total.mantissa).__name__)
print(total.compute(), dask.compute(s)[0])""",
    md(
        "Anything that needs a concrete value raises `BackendError` instead of computing behind your "
        "back, unless you ask for it:"
    ),
    """\
try:
    float(total / u.mmeter)
except u.BackendError as exc:
    print(exc)
with u.computing_lazy_values():
    print(float(total / u.mmeter))""",
    md("## Linear algebra"),
    """\
R = u.Quantity(np.array([[2.0, 1.0], [1.0, 3.0]]), u.kohm).to_dask(chunks=2)
V = u.Quantity(np.array([5.0, 10.0]), u.volt).to_dask(chunks=2)
current = u.linalg.solve(R, V)
print(current.backend, current.to(u.mA).compute())""",
]

NDONNX = [
    md(
        "# ndonnx\n\n"
        'ndonnx builds ONNX graphs with the array API (`pip install "brainunit-xp[ndonnx]"`). With '
        "constant inputs it evaluates eagerly; with symbolic inputs it records a graph. Units are checked "
        "while the graph is built and live on the Quantity: the exported model computes in the units you "
        "chose. " + INTRO
    ),
    """\
import ndonnx as ndx
import numpy as np

import brainunit_xp as u

v = u.Quantity(np.array([-70.0, -55.0, 20.0]), u.mV).to_ndonnx()
print(v.backend, u.is_ndonnx_array(v.mantissa), (2 * u.nS * v).to(u.pA).to_numpy())
print((v + 0.1 * u.volt).to_numpy(), u.ndonnx.mean(v).to_numpy())""",
    md(
        "## Matrix products, not linalg\n\n"
        "ndonnx has no `linalg` or `fft` extension, so neither has `brainunit_xp.ndonnx`; `@` "
        "(`matmul`, in the core of the standard) works, and `brainunit_xp.linalg` says what to do for "
        "the rest."
    ),
    """\
R = u.Quantity(np.array([[2.0, 1.0], [1.0, 3.0]]), u.kohm).to_ndonnx()
i = u.Quantity(np.array([1.0, 2.0]), u.mA).to_ndonnx()
print((R @ i).to(u.volt).to_numpy())
try:
    u.linalg.solve(R, R @ i)
except u.BackendError as exc:
    print(exc)""",
    md("## A symbolic graph"),
    """\
x = ndx.argument(shape=("N",), dtype=ndx.float64)
volts = u.Quantity(x, u.mV)  # a symbolic quantity
out = (volts * 2 + 1 * u.volt).to(u.volt)
model = ndx.build({"x": x}, {"y": out.mantissa})
print(out.unit, [n.op_type for n in model.graph.node])""",
    md(
        "## ONNX export with units\n\n"
        "`brainunit_xp.onnx.export` traces a function of quantities into an ONNX model and records "
        "every input's and output's unit in it; `brainunit_xp.onnx.load` opens an onnxruntime session "
        "that converts the inputs to those units and returns quantities."
    ),
    """\
def power(v, r):
    xp = v.__array_namespace__()
    return xp.sum(v * v / r, axis=-1).to(u.mW)


model = u.onnx.export(power, [u.Quantity(np.ones((2, 3)), u.volt), 2.0 * u.kohm], dynamic=True)
print({p.key: p.value for p in model.metadata_props if p.key.startswith("brainunit_xp")})
session = u.onnx.load(model)
print(session)
print(session.run(u.Quantity(np.array([[1000.0, 2000.0]]), u.mV), r=2000 * u.ohm))""",
]

#: backend -> cells, in the order of the toctree
NOTEBOOKS = {"jax": JAX, "numpy": NUMPY, "cupy": CUPY, "pytorch": TORCH, "dask": DASK, "ndonnx": NDONNX}


def notebook_json(name: str) -> str:
    """The unexecuted notebook ``docs/notebooks/{name}.ipynb``, deterministic (fixed cell ids)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, source in enumerate(NOTEBOOKS[name]):
        new = nbformat.v4.new_markdown_cell if isinstance(source, Markdown) else nbformat.v4.new_code_cell
        cell = new(str(source))
        cell.id = f"{name}-{i}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"
