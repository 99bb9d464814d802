"""Array backends: one small record per backend, the default-backend context, and the rule that
picks the backend of an operation.

Detection never imports a library: an array of a library can only exist once that library is
imported, so the ``is_*_array`` helpers look at ``sys.modules`` (through array-api-compat) and
answer ``False`` otherwise.  A backend's array-API namespace is imported on first use; when its
library is missing, :class:`BackendError` carries the ``pip install`` command.
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

__all__ = [
    "BACKENDS",
    "Backend",
    "backend_of",
    "get_backend",
    "get_default_backend",
    "is_array_api_strict_array",
    "is_cupy_array",
    "is_dask_array",
    "is_jax_array",
    "is_ndonnx_array",
    "is_numpy_array",
    "is_torch_array",
    "select_backend",
    "set_default_backend",
    "using_backend",
]

is_jax_array = _compat.is_jax_array
is_numpy_array = _compat.is_numpy_array
is_cupy_array = _compat.is_cupy_array
is_torch_array = _compat.is_torch_array
is_dask_array = _compat.is_dask_array
is_ndonnx_array = _compat.is_ndonnx_array


def is_array_api_strict_array(x: object) -> bool:
    """True if ``x`` is an ``array_api_strict`` array (never imports it)."""
    mod = sys.modules.get("array_api_strict._array_object")
    return mod is not None and isinstance(x, mod.Array)


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
    #: does the library compute lazily (refusing concrete values)?
    lazy: bool = False
    #: can its arrays be written to in place?
    mutable: bool = True
    _xp: ModuleType | None = field(default=None, init=False)
    _error: BaseException | None = field(default=None, init=False)
    _unit_namespace: Any = field(default=None, init=False)

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

    def asarray(self, value: Any) -> Any:
        """``value`` (an array of any backend or a Python number) as an array of this backend."""
        if self.is_array(value):
            return value
        return _CONVERTERS[self.name](self, _to_numpy(value))


def _backend(
    name: str, module: str, path: str, is_array: Callable[[object], bool], extra: str | None, **kw: Any
) -> Backend:
    install = f'pip install "brainunit-xp[{extra}]"' if extra else f"pip install {module.replace('_', '-')}"
    return Backend(name, module, path, is_array, install, **kw)


#: every backend brainunit_xp knows, by name (jax first: it is the default)
BACKENDS: dict[str, Backend] = {
    b.name: b
    for b in (
        _backend("jax", "jax", "jax.numpy", is_jax_array, "cpu", mutable=False),
        _backend("numpy", "numpy", "array_api_compat.numpy", is_numpy_array, None),
        _backend("cupy", "cupy", "array_api_compat.cupy", is_cupy_array, "cupy"),
        _backend("torch", "torch", "array_api_compat.torch", is_torch_array, "torch"),
        _backend("dask", "dask", "array_api_compat.dask.array", is_dask_array, "dask", lazy=True),
        _backend("ndonnx", "ndonnx", "ndonnx", is_ndonnx_array, "ndonnx"),
        _backend("array_api_strict", "array_api_strict", "array_api_strict", is_array_api_strict_array, None),
    )
}
BACKENDS["numpy"].install = 'pip install "brainunit-xp"'
BACKENDS["array_api_strict"].install = 'pip install "brainunit-xp[test]"'

_PY_SCALARS = (bool, int, float, complex)
#: type of a mantissa -> its backend (None for Python scalars); filled on first sight of a type
_BY_TYPE: dict[type, Backend | None] = {t: None for t in _PY_SCALARS}


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


def get_backend(name: str | Backend) -> Backend:
    """The backend called ``name``; raises :class:`BackendError` for an unknown name."""
    if isinstance(name, Backend):
        return name
    try:
        return BACKENDS[name]
    except (KeyError, TypeError):
        raise BackendError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}") from None


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
    """Within the block, ``float``, ``int``, ``bool``, ``tolist``, ``np.asarray``, ``operator.index``
    of a dimensionless lazy (dask) Quantity compute it, as a bare dask array does, instead of
    raising :class:`BackendError`.  Outside any block the environment variable
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


# -- conversions between backends ----------------------------------------------------------------


def _to_numpy(value: Any) -> Any:
    """Concrete values of any backend as numpy (Python scalars stay as they are)."""
    import numpy as np

    b = backend_of(value)
    if b is None or b.name == "numpy":
        return value
    if b.name == "torch":
        return value.detach().cpu().resolve_conj().numpy()
    if b.name == "cupy":
        return value.get()
    if b.name == "dask":
        return np.asarray(value.compute())
    if b.name == "ndonnx":
        return value.unwrap_numpy()
    if b.name == "array_api_strict":
        return np.from_dlpack(value)
    return np.asarray(value)


def _numpy_to(backend: Backend, value: Any) -> Any:
    return backend.xp.asarray(value)


def _numpy_to_dask(backend: Backend, value: Any, chunks: Any = "auto") -> Any:
    import dask.array as da
    import numpy as np

    return da.from_array(np.asarray(value), chunks=chunks)


def _numpy_to_torch(backend: Backend, value: Any) -> Any:
    if not getattr(getattr(value, "flags", None), "writeable", True):
        value = value.copy()  # torch refuses to wrap read-only memory (e.g. from jax)
    return backend.xp.asarray(value)


def _numpy_to_numpy(backend: Backend, value: Any) -> Any:
    import numpy as np

    return np.asarray(value)


_CONVERTERS: dict[str, Callable[[Backend, Any], Any]] = {
    "jax": _numpy_to,
    "numpy": _numpy_to_numpy,
    "cupy": _numpy_to,
    "torch": _numpy_to_torch,
    "dask": _numpy_to_dask,
    "ndonnx": _numpy_to,
    "array_api_strict": _numpy_to,
}
