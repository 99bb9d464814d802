"""Builds the unit-aware array-API namespace of a backend, once, from the rules table.

The namespace of backend ``name`` is the module ``brainunit_xp.<name>``: the stub module of a
built-in backend (so ``import brainunit_xp.numpy`` works), or a module made here for a backend
added with ``register_backend``."""

from __future__ import annotations

import functools
import importlib
import importlib.machinery
import importlib.util
import inspect
import sys
import types
from typing import Any

from .._backends import Backend, get_backend, set_namespace_builder
from .factories import FACTORIES
from .generic import GENERIC, usable
from .table import MATH_RULES, RULES, Rule

__all__ = ["API_VERSIONS", "bare_function", "namespace_for", "populate"]

#: versions of the standard, oldest first
API_VERSIONS = ("2021.12", "2022.12", "2023.12", "2024.12", "2025.12")
_CONSTANTS = ("e", "inf", "nan", "newaxis", "pi")
_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
           "float32", "float64", "complex64", "complex128")  # fmt: skip
_EXTENSIONS = ("linalg", "fft")


def namespace_for(backend: Backend) -> types.ModuleType:
    """The unit-aware namespace of ``backend`` (built on first use, then cached on the record)."""
    ns = backend.unit_namespace
    if ns is not None:
        return ns
    name = f"brainunit_xp.{backend.name}"
    if importlib.util.find_spec(name) is not None:
        return importlib.import_module(name)  # the stub module populates itself
    module = types.ModuleType(name, f"The unit-aware array-API namespace of the {backend.name} backend.")
    module.__spec__ = importlib.machinery.ModuleSpec(name, None)  # importable from now on
    sys.modules[name] = module
    populate(name)
    return sys.modules[name]


def _standard(qualname: str) -> Any:
    """The standard's own spelling of a function: array_api_strict's, where it is installed."""
    try:
        strict = importlib.import_module("array_api_strict")
    except ImportError:
        return None
    ext, _, name = qualname.rpartition(".")
    return getattr(getattr(strict, ext, None) if ext else strict, name, None)


def _signature(bare: Any, fn: Any, qualname: str) -> inspect.Signature:
    """The bare function's signature; for a builtin without one (torch), the standard's."""
    try:
        return inspect.signature(bare)
    except (TypeError, ValueError):
        pass
    try:
        sig = inspect.signature(_standard(qualname))
    except (TypeError, ValueError):
        return inspect.signature(fn)
    empty = inspect.Parameter.empty  # names and defaults of the standard; its array types are strict's
    return sig.replace(
        parameters=[p.replace(annotation=empty) for p in sig.parameters.values()], return_annotation=empty
    )


def bare_function(backend: Backend, qualname: str) -> Any:
    """The backend's plain function for ``qualname``, or ``None`` where it has none: a standard
    function from the backend's array-API namespace; one of brainunit's other names from the
    function it aliases, else the backend's numpy-like module, else a generic composition."""
    ext, _, short = qualname.rpartition(".")
    if qualname in RULES:
        source = getattr(backend.xp, ext, None) if ext else backend.xp
        return getattr(source, short, None)
    rule = MATH_RULES[qualname]
    if rule.alias is not None:
        return bare_function(backend, rule.alias)
    name = rule.numpy_name or qualname
    impl = next(
        (GENERIC[k] for k in dict.fromkeys((qualname, name)) if k in GENERIC and usable(backend.xp, k, backend.lazy)),
        None,
    )
    fallback = None if impl is None else functools.partial(impl, backend.xp)
    if backend.numpy_like is not None and rule.numpy_like:
        module = importlib.import_module(backend.numpy_like)
        ext, _, short = name.rpartition(".")
        fn = getattr(getattr(module, ext, None) if ext else module, short, None)
        if fn is not None:
            return fn if fallback is None else _declining(fn, fallback)
    if fallback is not None:
        return fallback
    return bare_function(backend, name) if name in RULES else None


def provided(backend: Backend, qualname: str) -> Any:
    """The bare function behind ``qualname`` in the unit-aware namespace of ``backend``, or ``None``
    where that namespace lacks it: :func:`bare_function`, and an extension's function only where the
    backend has that extension (array-API code takes ``xp.linalg`` for the whole extension)."""
    ext = qualname.rpartition(".")[0]
    return bare_function(backend, qualname) if not ext or hasattr(backend.xp, ext) else None


def _declining(fn: Any, fallback: Any) -> Any:
    """``fn``, and the generic composition where ``fn`` declines a case: ``NotImplementedError`` (jax's
    ``gradient(edge_order=2)``, dask's ``median`` over all axes), a ``TypeError`` for a numpy argument it
    lacks (dask's ``ptp(keepdims=)``) or an ``IndexError`` of its own (dask's ``dot`` with a scalar).  The
    composition has numpy's semantics, so where it answers it gives numpy's answer; where the call
    itself is wrong it raises again."""

    @functools.wraps(fn)
    def f(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (NotImplementedError, TypeError, IndexError):
            return fallback(*args, **kwargs)

    return f


def _build(backend: Backend, qualname: str, short: str, rule: Rule, bare: Any, module: str) -> Any:
    fn = FACTORIES[rule.kind](backend, short, bare, rule)
    fn.__name__ = short
    fn.__qualname__ = short
    fn.__module__ = module
    fn.__signature__ = _signature(bare, fn, rule.alias or qualname)  # type: ignore[attr-defined]
    what = "of the array API standard" if qualname in RULES else "of brainunit"
    fn.__doc__ = f"``{qualname}`` {what}, with units.\n\nUnit rule: {rule.unit}.\n"
    return fn


def populate(module_name: str) -> None:
    """Fill the module ``brainunit_xp.<backend>`` with that backend's unit-aware namespace: the
    standard's functions (its ``__all__``), and brainunit's other functions where the backend can
    compute them."""
    mod = sys.modules[module_name]
    backend = get_backend(module_name.rpartition(".")[2])
    xp = backend.xp
    version = getattr(xp, "__array_api_version__", "2023.12")
    ns: dict[str, Any] = {
        "__array_api_version__": version,
        "__array_api_versions__": API_VERSIONS[: API_VERSIONS.index(version) + 1],
        "__array_namespace_info__": xp.__array_namespace_info__,
        "backend": backend.name,
    }
    ns.update({name: getattr(xp, name) for name in _CONSTANTS + _DTYPES if hasattr(xp, name)})
    subs: dict[str, types.ModuleType] = {}
    standard: list[str] = []
    for qualname, rule in {**RULES, **MATH_RULES}.items():
        ext, _, short = qualname.rpartition(".")
        bare = provided(backend, qualname)
        if bare is None:
            continue
        if ext and ext not in subs:
            sub = types.ModuleType(f"{module_name}.{ext}", f"The {ext} extension of {module_name}, with units.")
            sys.modules[sub.__name__] = subs[ext] = ns[ext] = sub
        target = subs[ext].__dict__ if ext else ns
        target[short] = _build(backend, qualname, short, rule, bare, module_name + (f".{ext}" if ext else ""))
        if not ext and qualname in RULES:
            standard.append(short)
    mod.__dict__.update(ns)
    names = [k for k in ns if not k.startswith("__") and k != "backend" and (k in standard or k not in MATH_RULES)]
    mod.__all__ = sorted(names)  # type: ignore[attr-defined]
    backend.unit_namespace = mod


set_namespace_builder(namespace_for)
