"""Array backends: one record per backend, the registry, the default-backend context, and the rule
that picks the backend of an operation.

A :class:`Backend` record holds everything brainunit_xp knows about one array library: how to
detect its arrays, its bare array-API namespace, the converters to and from numpy (with the
options ``Quantity.to_backend`` accepts), pickling, capabilities and the install hint.  Adding a
backend is adding one record (:func:`register_backend`).

Detection never imports a library: an array of a library can only exist once that library is
imported, so the ``is_*_array`` helpers look at ``sys.modules`` (through array-api-compat) and
answer ``False`` otherwise; they never raise.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import array_api_compat as _compat

from ._errors import BackendError
from ._types import SCALARS, Array

__all__ = [
    "BACKENDS",
    "Backend",
    "backend_of",
    "backend_of_type",
    "computing_lazy_values",
    "default_backend",
    "get_backend",
    "get_default_backend",
    "is_array_api_strict_array",
    "is_cupy_array",
    "is_dask_array",
    "is_jax_array",
    "is_ndonnx_array",
    "is_numpy_array",
    "is_torch_array",
    "refuses_concrete",
    "register_backend",
    "select_backend",
    "set_default_backend",
    "set_namespace_builder",
    "to_numpy",
    "using_backend",
]


def _never_raises(check: Callable[[object], bool], name: str) -> Callable[[object], bool]:
    def is_array(x: object) -> bool:
        try:
            return bool(check(x))
        except Exception:  # e.g. a library half-imported by another thread
            return False

    is_array.__name__ = is_array.__qualname__ = name
    is_array.__doc__ = f"True if ``x`` is an array of the {name[3:-6]} backend (never imports it, never raises)."
    return is_array


def _strict_check(x: object) -> bool:
    mod = sys.modules.get("array_api_strict._array_object")
    return mod is not None and isinstance(x, mod.Array)


is_jax_array = _never_raises(_compat.is_jax_array, "is_jax_array")
is_numpy_array = _never_raises(_compat.is_numpy_array, "is_numpy_array")
is_cupy_array = _never_raises(_compat.is_cupy_array, "is_cupy_array")
is_torch_array = _never_raises(_compat.is_torch_array, "is_torch_array")
is_dask_array = _never_raises(_compat.is_dask_array, "is_dask_array")
is_ndonnx_array = _never_raises(_compat.is_ndonnx_array, "is_ndonnx_array")
is_array_api_strict_array = _never_raises(_strict_check, "is_array_api_strict_array")


def _as_numpy(value: Array) -> Any:
    import numpy as np

    return np.asarray(value)


def _from_numpy(backend: Backend, value: Any, **options: Any) -> Array:
    return backend.xp.asarray(value)


@dataclass(eq=False, repr=False)
class Backend:
    """What brainunit_xp knows about one array library."""

    name: str
    #: the module whose import makes this backend available
    module: str
    #: where its array-API namespace lives
    namespace_path: str
    is_array: Callable[[object], bool]
    #: ``pip install`` hint for when it is missing
    install: str
    #: concrete values of one of its arrays as a numpy array
    to_numpy: Callable[[Array], Any] = _as_numpy
    #: ``(backend, numpy_array, **options) -> array``: a numpy array as one of its arrays
    from_numpy: Callable[..., Array] = _from_numpy
    #: ``(backend, array, **options) -> array``: one of its arrays with options applied (device,
    #: dtype, chunks); ``None`` when it takes no options
    retarget: Callable[..., Array] | None = None
    #: the keyword options of ``Quantity.to_backend(name, ...)``
    options: tuple[str, ...] = ()
    #: the module with numpy's function names and semantics for its arrays, if the library has one
    #: (``jax.numpy``, ``cupy``, ``dask.array``): brainunit's numpy-named functions come from it
    numpy_like: str | None = None
    #: does the library compute lazily (refusing concrete values)?
    lazy: bool = False
    #: can its arrays be written to in place?
    mutable: bool = True
    #: do its arrays pickle and deep-copy by themselves?  (Otherwise through numpy.)
    picklable: bool = True
    #: does one of its arrays have concrete values?  (``None``: always, unless :attr:`lazy`.)
    has_values: Callable[[Array], bool] | None = None
    #: ``(fn, array) -> array``: ``fn`` applied lazily to each block of a lazy array, same dtype
    map_blocks: Callable[[Callable[[Any], Any], Array], Array] | None = None
    _xp: ModuleType | None = field(default=None, init=False)
    _error: BaseException | None = field(default=None, init=False)
    #: its unit-aware namespace, once built (see :meth:`namespace`)
    unit_namespace: ModuleType | None = field(default=None, init=False)

    def __repr__(self) -> str:
        return f"<backend {self.name}>"

    @property
    def available(self) -> bool:
        """Is the library installed?  Tries the import once and remembers the answer."""
        try:
            self.xp  # noqa: B018
        except BackendError:
            return False
        return True

    @property
    def xp(self) -> ModuleType:
        """The bare array-API namespace (array-api-compat's wrapper where one is needed)."""
        if self._xp is None:
            if self._error is not None:
                raise BackendError(self._missing_message()) from self._error
            try:
                self._xp = importlib.import_module(self.namespace_path)
            except ImportError as exc:
                self._error = exc
                raise BackendError(self._missing_message()) from exc
        return self._xp

    def _missing_message(self) -> str:
        return (
            f"the {self.name} backend needs the {self.module!r} package, which is not installed "
            f"({self._error}). Install it with: {self.install}"
        )

    def namespace(self) -> ModuleType:
        """The unit-aware array-API namespace of this backend (``brainunit_xp.<name>``)."""
        ns = self.unit_namespace
        if ns is None:
            if _NAMESPACE_BUILDER is None:
                raise BackendError("brainunit_xp's namespaces are not available: import brainunit_xp first")
            ns = _NAMESPACE_BUILDER(self)
        return ns

    def require_values(self, value: Array, op: str) -> None:
        """Raise :class:`BackendError` naming ``op`` if ``value`` has no concrete values to give:
        a lazy (dask) array outside ``computing_lazy_values()``, or a symbolic ndonnx value."""
        if self.lazy and not _COMPUTE_LAZY.get():
            raise BackendError(
                f"{op}: a {self.name} Quantity is lazy and has no concrete value; call q.mantissa.compute() "
                f"(or q.to_numpy()) first, or compute on request: with brainunit_xp.computing_lazy_values()"
            )
        if self.has_values is not None and not self.has_values(value):
            raise BackendError(
                f"{op}: this {self.name} value is symbolic (an input of the graph being built) and has no "
                f"value until the model runs; export the graph and run it, or build from concrete arrays"
            )

    def adopt(self, value: Array, source: Backend | None, op: str) -> Array:
        """``value`` of backend ``source`` as an array of this backend, for an operation mixing the
        two: a lazy value is not computed behind the caller's back (``q.to_<name>()`` says so)."""
        if source is None or source is self:
            return value
        if source.lazy and not _COMPUTE_LAZY.get():
            raise BackendError(
                f"{op}: mixing a lazy {source.name} Quantity with the {self.name} backend would compute it; "
                f"convert it explicitly first (q.to_{self.name}()), or compute on request: with "
                f"brainunit_xp.computing_lazy_values()"
            )
        return self.asarray(value)

    def asarray(self, value: Array, **options: Any) -> Array:
        """``value`` (an array of any backend or a Python number) as an array of this backend,
        with ``options`` (see :attr:`options`) applied."""
        given = {k: v for k, v in options.items() if v is not None}
        unknown = set(given) - set(self.options)
        if unknown:
            raise TypeError(f"the {self.name} backend takes no option {', '.join(sorted(unknown))}")
        if self.is_array(value):
            return self.retarget(self, value, **given) if given and self.retarget else value
        self.xp  # noqa: B018  # BackendError with the install command if the library is missing
        source = backend_of(value)
        if source is not None and source.has_values is not None:
            source.require_values(value, f"to_{self.name}")
        return self.from_numpy(self, to_numpy(value), **given)


# -- the backends ----------------------------------------------------------------------------------


def _torch_dtype(dtype: Any) -> Any:
    import torch

    if dtype is None or isinstance(dtype, torch.dtype):
        return dtype
    import numpy as np

    return getattr(torch, np.dtype(dtype).name)


def _torch_to_numpy(value: Array) -> Any:
    return value.detach().cpu().resolve_conj().numpy()


def _torch_from_numpy(backend: Backend, value: Any, **options: Any) -> Array:
    if not getattr(getattr(value, "flags", None), "writeable", True):
        value = value.copy()  # torch refuses to wrap read-only memory (e.g. from jax)
    out = backend.xp.asarray(value)
    return _torch_retarget(backend, out, **options) if options else out


def _torch_retarget(backend: Backend, value: Array, device: Any = None, dtype: Any = None) -> Array:
    return value.to(device=device, dtype=_torch_dtype(dtype))


def _cupy_from_numpy(backend: Backend, value: Any, device: int | None = None) -> Array:
    import cupy

    with cupy.cuda.Device(device):
        return backend.xp.asarray(value)


def _cupy_retarget(backend: Backend, value: Array, device: int | None = None) -> Array:
    import cupy

    if device is None or value.device.id == device:
        return value
    with cupy.cuda.Device(device):
        return value.copy()


def _dask_to_numpy(value: Array) -> Any:
    import numpy as np

    return np.asarray(value.compute())


def _dask_from_numpy(backend: Backend, value: Any, chunks: Any = "auto") -> Array:
    import dask.array as da
    import numpy as np

    return da.from_array(np.asarray(value), chunks=chunks)


def _dask_retarget(backend: Backend, value: Array, chunks: Any = None) -> Array:
    return value if chunks is None else value.rechunk(chunks)


def _strict_to_numpy(value: Array) -> Any:
    import numpy as np

    return np.from_dlpack(value)


def _ndonnx_has_values(value: Array) -> bool:
    try:
        value.unwrap_numpy()
    except ValueError:  # "no propagated value available": an argument of the graph
        return False
    return True


def _record(name: str, path: str, is_array: Callable[[object], bool], extra: str | None, **kw: Any) -> Backend:
    install = f'pip install "brainunit-xp[{extra}]"' if extra else 'pip install "brainunit-xp"'
    return Backend(name, name, path, is_array, install, **kw)


#: every backend brainunit_xp knows, by name (jax first: it is the default)
BACKENDS: dict[str, Backend] = {}


def register_backend(backend: Backend) -> Backend:
    """Add ``backend`` to the registry (replacing one of the same name) and return it.

    Its arrays are then recognised everywhere, ``Quantity.to_backend(backend.name)`` converts to
    it, and ``backend.namespace()`` / ``brainunit_xp.<name>`` is its unit-aware namespace.
    """
    BACKENDS[backend.name] = backend
    for t, b in list(_BY_TYPE.items()):
        if b is not None and b.name == backend.name:
            del _BY_TYPE[t]  # a replaced record: forget the types detected for the old one
    return backend


#: type of a mantissa -> its backend (None for Python scalars); filled on first sight of a type
_BY_TYPE: dict[type, Backend | None] = dict.fromkeys(SCALARS)

for _b in (
    _record("jax", "jax.numpy", is_jax_array, "cpu", mutable=False, numpy_like="jax.numpy"),
    _record("numpy", "array_api_compat.numpy", is_numpy_array, None, numpy_like="numpy"),
    _record(
        "cupy", "array_api_compat.cupy", is_cupy_array, "cupy",
        to_numpy=lambda v: v.get(), from_numpy=_cupy_from_numpy, retarget=_cupy_retarget, options=("device",),
        numpy_like="cupy",
    ),
    _record(
        "torch", "array_api_compat.torch", is_torch_array, "torch", to_numpy=_torch_to_numpy,
        from_numpy=_torch_from_numpy, retarget=_torch_retarget, options=("device", "dtype"),
    ),
    _record(
        "dask", "array_api_compat.dask.array", is_dask_array, "dask", lazy=True, to_numpy=_dask_to_numpy,
        from_numpy=_dask_from_numpy, retarget=_dask_retarget, options=("chunks",), numpy_like="dask.array",
        map_blocks=lambda fn, a: a.map_blocks(fn, dtype=a.dtype),
    ),
    _record(
        "ndonnx", "ndonnx", is_ndonnx_array, "ndonnx", to_numpy=lambda v: v.unwrap_numpy(), picklable=False,
        has_values=_ndonnx_has_values,
    ),
    _record("array_api_strict", "array_api_strict", is_array_api_strict_array, "test", to_numpy=_strict_to_numpy),
):  # fmt: skip
    register_backend(_b)


#: ``backend_of_type(t)``: the backend of arrays of type ``t`` if already seen (``None``: a Python
#: scalar, or not seen yet); the registry's own lookup, as fast as a dict access
backend_of_type: Callable[[type], Backend | None] = _BY_TYPE.get


def backend_of(value: object) -> Backend | None:
    """The backend of an array, ``None`` for a Python scalar (weak: it takes any backend).

    Raises :class:`BackendError` for any other object.
    """
    try:
        return _BY_TYPE[type(value)]
    except KeyError:
        pass
    for backend in BACKENDS.values():
        if backend.is_array(value):
            _BY_TYPE[type(value)] = backend
            return backend
    raise BackendError(
        f"unsupported array type {type(value).__module__}.{type(value).__qualname__}: brainunit_xp "
        f"works with {', '.join(BACKENDS)} arrays and Python numbers"
    )


def to_numpy(value: Array) -> Any:
    """Concrete values of an array of any backend as numpy (Python scalars stay as they are)."""
    b = backend_of(value)
    return value if b is None else b.to_numpy(value)


def get_backend(name: str | Backend) -> Backend:
    """The backend called ``name``; raises :class:`BackendError` for an unknown name."""
    if isinstance(name, Backend):
        return name
    try:
        return BACKENDS[name]
    except (KeyError, TypeError):
        raise BackendError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}") from None


_NAMESPACE_BUILDER: Callable[[Backend], ModuleType] | None = None


def set_namespace_builder(build: Callable[[Backend], ModuleType]) -> None:
    """Called once by ``brainunit_xp._namespace``: how :meth:`Backend.namespace` builds a namespace
    (the namespace package depends on this module, not the other way round)."""
    global _NAMESPACE_BUILDER
    _NAMESPACE_BUILDER = build


# -- the default backend ---------------------------------------------------------------------------

_DEFAULT: contextvars.ContextVar[str | None] = contextvars.ContextVar("brainunit_xp_default_backend", default=None)


def get_default_backend() -> str | None:
    """The default backend set in this thread or task, or ``None`` (meaning jax)."""
    return _DEFAULT.get()


def set_default_backend(name: str | None) -> None:
    """Set the backend that breaks ties (mixed or no array inputs); ``None`` restores jax.

    The setting is a :class:`contextvars.ContextVar`: it belongs to the current thread or
    asyncio task.  Raises :class:`BackendError` if the backend is unknown or not installed.
    """
    _DEFAULT.set(_checked_name(name))


@contextlib.contextmanager
def using_backend(name: str | None) -> Iterator[None]:
    """Within the block, ``name`` breaks ties; the previous default comes back on exit."""
    token = _DEFAULT.set(_checked_name(name))
    try:
        yield
    finally:
        _DEFAULT.reset(token)


def _checked_name(name: str | None) -> str | None:
    if name is None:
        return None
    backend = get_backend(name)
    backend.xp  # noqa: B018  # raises BackendError with the install command if missing
    return backend.name


def default_backend() -> Backend:
    """The backend that the selection rule falls back to."""
    return BACKENDS[_DEFAULT.get() or "jax"]


def select_backend(*backends: Backend | None) -> Backend:
    """The selection rule: the one backend kind among the inputs, else the default, else jax.

    ``None`` entries (Python scalars) are weak and do not take part.
    """
    chosen = None
    for b in backends:
        if b is not None and b is not chosen:
            if chosen is not None:
                return default_backend()
            chosen = b
    return chosen if chosen is not None else default_backend()


# -- concrete values of lazy arrays -----------------------------------------------------------------

_COMPUTE_LAZY: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "brainunit_xp_compute_lazy", default=os.environ.get("BRAINUNIT_XP_COMPUTE_LAZY") == "1"
)


@contextlib.contextmanager
def computing_lazy_values() -> Iterator[None]:
    """Let a dimensionless lazy (dask) Quantity compute the concrete values asked of it.

    Within the block, ``float``, ``int``, ``bool``, ``tolist``, ``np.asarray``, ``operator.index``
    of a dimensionless lazy Quantity compute it, as a bare dask array does, instead of raising
    :class:`BackendError`.  Outside any block the environment variable
    ``BRAINUNIT_XP_COMPUTE_LAZY=1`` sets the same for the whole process (generic code that reads
    values, such as the array-api-tests suite).  Units are checked as always."""
    token = _COMPUTE_LAZY.set(True)
    try:
        yield
    finally:
        _COMPUTE_LAZY.reset(token)


def refuses_concrete(backend: Backend | None) -> bool:
    """Must a concrete value of this backend's array be refused (lazy, and not computing)?"""
    return backend is not None and backend.lazy and not _COMPUTE_LAZY.get()
