"""What brainunit's rewritten test files import instead of ``saiunit`` / ``brainunit``; a pytest plugin.

``run.py`` rewrites ``import saiunit as u`` to ``u = _bxp.module("saiunit")``, ``from saiunit.math
import a, b`` to ``a, b = _bxp.names("saiunit.math", "a", "b")`` and so on.  A module proxy resolves
each name to brainunit_xp's object when we have it; when we lack it, to a *missing* placeholder that
fails the test that **uses** it (calls it, reads an attribute, subclasses it, ``isinstance`` ...)
with ``brainunit_xp lacks brainunit_xp.math.foo`` — never at import, so one name we lack fails only
the tests that use it, not its whole file.

Where a saiunit name lives in brainunit_xp: a public module maps to ours (``saiunit.math`` ->
``brainunit_xp.math``, ``saiunit.constants`` -> ``brainunit_xp.constants`` ...); a name of a private
module (``saiunit._base_getters.assert_quantity``) is looked up where saiunit exports it publicly
(``brainunit_xp.assert_quantity``); a name saiunit does not export (``_dimension_cache``,
``saiunit._backend.to_backend``) is private to brainunit and is never looked up in ours.
``layout.json`` (written by ``run.py`` from the wheel) lists saiunit's modules and public names.

As a pytest plugin (``-p bxp_compat``) it provides brainunit's ``backend`` fixture and
``requires_jax`` marker (from brainunit's conftest.py, which the wheel does not ship), serves
``saiunit`` / ``brainunit`` to dynamic imports (``__import__``, ``mock.patch`` targets), and writes
every test's outcome, first failure line and the brainunit_xp names it lacked to
``$BXP_COMPAT_REPORT``.
"""

from __future__ import annotations

import builtins
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

#: saiunit's public modules and the brainunit_xp module each maps to
PUBLIC = {
    "saiunit": "brainunit_xp",
    "saiunit.math": "brainunit_xp.math",
    "saiunit.linalg": "brainunit_xp.linalg",
    "saiunit.fft": "brainunit_xp.fft",
    "saiunit.lax": "brainunit_xp.lax",
    "saiunit.autograd": "brainunit_xp.autograd",
    "saiunit.sparse": "brainunit_xp.sparse",
    "saiunit.constants": "brainunit_xp.constants",
    "saiunit.typing": "brainunit_xp.typing",
}
LACKS = "brainunit_xp lacks"  # every missing-name failure starts so; run.py derives reasons from it
PRIVATE = "a name private to brainunit"
ABSENT = "needs {module}, which is not installed here"
#: test dependencies of brainunit's suite that cannot be installed next to brainunit_xp
#: (brainstate imports brainunit itself); importing them gives a placeholder that fails at use
OPTIONAL = ("brainstate",)

_layout: dict[str, Any] | None = None
_missing: dict[str, type] = {}
_modules: dict[str, types.ModuleType] = {}
used: list[str] = []  # labels whose placeholder failed a test, in order (reset per test)
seen: set[str] = set()  # labels resolved to a placeholder (reset per test)


def layout() -> dict[str, Any]:
    """saiunit's module names and public names: ``{"modules": [...], "public": {module: [...]},
    "star": {module: [...]}}``, from ``$BXP_COMPAT_LAYOUT`` (written by run.py) or empty."""
    global _layout
    if _layout is None:
        path = os.environ.get("BXP_COMPAT_LAYOUT")
        _layout = json.loads(Path(path).read_text()) if path else {"modules": list(PUBLIC), "public": {}, "star": {}}
    return _layout


def canonical(name: str) -> str:
    """``brainunit.x`` and ``saiunit.x`` are the same package (brainunit re-exports saiunit)."""
    return "saiunit" + name[len("brainunit") :] if name.split(".", maxsplit=1)[0] == "brainunit" else name


def public_parent(module: str) -> str:
    """The public saiunit module a (possibly private) module belongs to: ``saiunit.math._einops``
    -> ``saiunit.math``, ``saiunit._base_getters`` -> ``saiunit``."""
    parts = module.split(".")
    while ".".join(parts) not in PUBLIC and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def fail(message: str) -> NoReturn:
    """Fail the current test (``pytest.fail``: a BaseException, so ``pytest.raises(Exception)`` or
    ``except Exception`` in a test cannot swallow it)."""
    pytest.fail(message)


class _Placeholder(type):
    """Metaclass of the placeholders: every use of one fails the test, naming what is lacking."""

    __bxp_label__: str
    __bxp_message__: str

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any) -> _Placeholder:
        # ``class Array(u.CustomArray)`` with a lacking base: the subclass is a placeholder too
        cls = super().__new__(mcs, name, bases, namespace)
        placeholder = next((b for b in bases if isinstance(b, _Placeholder)), None)
        if placeholder is not None and "__bxp_label__" not in namespace:
            cls.__bxp_label__ = placeholder.__bxp_label__
            cls.__bxp_message__ = placeholder.__bxp_message__
        return cls

    def _fail(cls, *args: Any, **kwargs: Any) -> NoReturn:
        used.append(cls.__bxp_label__)
        fail(cls.__bxp_message__)

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):  # introspection (pytest, copy, inspect)
            raise AttributeError(name)
        cls._fail()

    __call__ = __instancecheck__ = __subclasscheck__ = __getitem__ = __iter__ = __len__ = __bool__ = _fail
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _fail
    __pow__ = __rpow__ = __matmul__ = __rmatmul__ = __neg__ = __lt__ = __le__ = __gt__ = __ge__ = _fail
    __float__ = __int__ = __index__ = __array__ = __repr__ = __str__ = __format__ = __eq__ = __ne__ = _fail
    __hash__ = type.__hash__  # dict keys and sets of placeholders still work


def placeholder(label: str, message: str, name: str) -> type:
    """The placeholder for ``label`` (one per label, so ``is`` comparisons between uses hold)."""
    if label not in _missing:
        _missing[label] = _Placeholder(name, (), {"__bxp_label__": label, "__bxp_message__": message})
    seen.add(label)
    return _missing[label]


def is_placeholder(value: Any) -> bool:
    return isinstance(value, _Placeholder)


def lacking(module: str, name: str, where: str) -> type:
    """The placeholder for saiunit's ``module.name``, which brainunit_xp lacks at ``where``."""
    original = f"{module}.{name}"
    if where == "private":
        return placeholder(original, f"{LACKS} {original}, {PRIVATE}", name)
    return placeholder(where, f"{LACKS} {where} (brainunit: {original})", name)


def _to_backend(x: Any, name: str, **kwargs: Any) -> Any:
    """brainunit's private test helper ``saiunit._backend.to_backend(x, name)``: a plain array's
    values on backend ``name``, here through brainunit_xp's backend records."""
    from brainunit_xp._backends import BACKENDS, to_numpy

    if kwargs:
        raise TypeError(f"to_backend(name={name!r}) takes no keyword arguments here; got {sorted(kwargs)}")
    from brainunit_xp import Quantity

    if isinstance(x, Quantity) and x.unit.is_dimensionless:
        x = x.to_value()  # brainunit's helper takes what np.asarray takes: a unitless result's values
    values = to_numpy(x)
    return values if name == "numpy" else BACKENDS[name].xp.asarray(values)


#: brainunit-private helpers that its tests use only as plumbing (to build inputs on a backend),
#: served by our own code so that the tests they feed check brainunit_xp
HELPERS: dict[str, Any] = {"saiunit._backend.to_backend": _to_backend}


def resolve(module: str, name: str) -> Any:
    """saiunit's ``module.name`` as brainunit_xp has it, or a placeholder that fails at use."""
    module = canonical(module)
    if f"{module}.{name}" in HELPERS:
        return HELPERS[f"{module}.{name}"]
    if name.startswith("__") and name.endswith("__") and name not in ("__all__", "__version__"):
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    if f"{module}.{name}" in layout()["modules"] or f"{module}.{name}" in PUBLIC:
        return proxy(f"{module}.{name}")
    parent = public_parent(module)
    if module == parent:
        target = PUBLIC[module]
    elif name.startswith("_"):
        return lacking(module, name, "private")
    elif name in layout()["public"].get(parent, ()):
        target = PUBLIC[parent]
    elif name in layout()["public"].get("saiunit", ()):
        target = PUBLIC["saiunit"]
    else:
        return lacking(module, name, "private")
    spec = importlib.util.find_spec(target)
    if spec is None or not _ours(spec.origin):  # (an editable install elsewhere may serve one we lack)
        return lacking(module, name, target)
    ours = importlib.import_module(target)
    try:
        return builtins.getattr(ours, name)
    except AttributeError:
        return lacking(module, name, f"{target}.{name}")


def _ours(origin: str | None) -> bool:
    """Is the file ``origin`` part of the brainunit_xp package under test?  (With a git worktree
    on the path and an editable install of another checkout, a submodule the worktree lacks would
    otherwise be imported from the other checkout.)"""
    import brainunit_xp

    package = Path(brainunit_xp.__file__).resolve().parent
    return origin is not None and Path(origin).resolve().is_relative_to(package)


class SaiunitModule(types.ModuleType):
    """A saiunit module whose attributes are brainunit_xp's (or placeholders)."""

    def __getattr__(self, name: str) -> Any:
        return resolve(self.__name__, name)


def proxy(name: str) -> types.ModuleType:
    """The proxy of saiunit module ``name`` (cached; also registered in ``sys.modules``)."""
    name = canonical(name)
    if name not in _modules:
        module = SaiunitModule(name, f"brainunit's {name}, served by brainunit_xp (bxp_compat)")
        module.__path__ = []  # a package: submodules import through the finder below
        _modules[name] = module
        sys.modules.setdefault(name, module)
    return _modules[name]


def module(name: str) -> types.ModuleType:
    """``import saiunit.x as y`` -> ``y = module("saiunit.x")``;
    ``import saiunit.x`` -> ``saiunit = module("saiunit")``."""
    return proxy(name)


def names(module: str, *wanted: str) -> tuple[Any, ...]:
    """``from module import a, b`` -> ``a, b = names(module, "a", "b")``."""
    return tuple(resolve(module, name) for name in wanted)


def star(module: str) -> dict[str, Any]:
    """``from module import *`` -> ``globals().update(star(module))``: saiunit's ``__all__`` of it."""
    module = canonical(module)
    return {name: resolve(module, name) for name in layout()["star"].get(module, ())}


# -- dependencies of brainunit's tests that are absent here --------------------------------------------


def optional(name: str) -> Any:
    """``import brainstate as bst`` -> ``bst = optional("brainstate")``: the module, or a placeholder."""
    try:
        return importlib.import_module(name)
    except ImportError:
        root = name.split(".", maxsplit=1)[0]
        return placeholder(f"module {root}", ABSENT.format(module=root), root)


def optional_names(module: str, *wanted: str) -> tuple[Any, ...]:
    found = optional(module)
    return tuple(found if is_placeholder(found) else builtins.getattr(found, name) for name in wanted)


# -- builtins the rewritten files see: a placeholder is not an attribute --------------------------------


def hasattr(obj: Any, name: str) -> bool:
    """``builtins.hasattr``, except that a name brainunit_xp lacks is not there."""
    try:
        value = builtins.getattr(obj, name)
    except AttributeError:
        return False
    if is_placeholder(value) and not is_placeholder(obj):
        used.append(value.__bxp_label__)  # the test asked for it: a failure that follows is its
        return False
    return True


_NO_DEFAULT = object()


def getattr(obj: Any, name: str, default: Any = _NO_DEFAULT) -> Any:
    """``builtins.getattr``; with a default, a name brainunit_xp lacks gives the default."""
    if default is _NO_DEFAULT:
        return builtins.getattr(obj, name)
    value = builtins.getattr(obj, name, default)
    if is_placeholder(value) and not is_placeholder(obj):
        used.append(value.__bxp_label__)
        return default
    return value


# -- the pytest plugin ------------------------------------------------------------------------------------


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves ``saiunit`` and ``brainunit`` (and submodules) to imports the rewrite did not see."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname.split(".", maxsplit=1)[0] in ("saiunit", "brainunit"):
            return importlib.machinery.ModuleSpec(fullname, self)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return proxy(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        pass


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "requires_jax: brainunit's marker (jax is installed here)")
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


def _gpu_reason() -> str | None:
    try:
        import cupy

        return None if cupy.cuda.runtime.getDeviceCount() > 0 else "cupy is installed but no CUDA GPU is present"
    except ImportError:
        return "cupy is not installed"
    except Exception as exc:  # cupy raises CUDARuntimeError without a driver
        return f"cupy needs a CUDA GPU and none is usable here ({type(exc).__name__})"


@pytest.fixture(params=["numpy", "jax", "cupy", "torch", "dask", "ndonnx"])
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """brainunit's conftest fixture: the test runs once with each backend as the default."""
    import brainunit_xp

    if request.param == "cupy" and (reason := _gpu_reason()):
        pytest.skip(reason)
    if request.param in ("torch", "ndonnx"):
        pytest.importorskip(request.param)
    if request.param == "dask":
        pytest.importorskip("dask.array")
    with brainunit_xp.using_backend(request.param):
        yield request.param


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    used.clear()
    seen.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if call.when == "call" or (call.when == "setup" and report.outcome != "passed"):
        report.user_properties.append(("bxp_lacks", list(dict.fromkeys(used))))
        report.user_properties.append(("bxp_seen", sorted(seen)))
    return report


_results: dict[str, dict[str, Any]] = {}


def _first_line(report: Any) -> str:
    crash = builtins.getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr or "")
    if isinstance(report.longrepr, tuple):  # a skip: (path, line, reason)
        text = report.longrepr[2]
    elif crash is None:  # a collection error: its "E   ..." lines say what went wrong
        errors = [line[1:].strip() for line in text.splitlines() if line.startswith("E ")]
        text = "\n".join(errors) or text
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0][:300] if lines else ""


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    entry = _results.setdefault(report.nodeid, {"outcome": "passed", "message": "", "lacks": [], "seen": []})
    for key, value in report.user_properties:
        if key in ("bxp_lacks", "bxp_seen"):
            entry[key[4:]] = value
    if report.when == "call" and report.outcome != "passed" and entry["outcome"] == "passed":
        if builtins.hasattr(report, "wasxfail"):
            entry["outcome"] = "xpassed" if report.passed else "xfailed"
        else:
            entry["outcome"] = report.outcome
        entry["message"] = _first_line(report)
    elif report.when == "setup" and report.outcome != "passed":
        entry["outcome"] = "skipped" if report.skipped else "error"
        entry["message"] = _first_line(report)
    elif report.when == "teardown" and report.failed and entry["outcome"] == "passed":
        entry["outcome"] = "error"
        entry["message"] = _first_line(report)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed or (
        report.skipped and report.nodeid.endswith(".py")
    ):  # a file that did not import / skipped itself
        outcome = "error" if report.failed else "skipped"
        _results[report.nodeid] = {"outcome": outcome, "message": _first_line(report), "lacks": [], "seen": []}


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = os.environ.get("BXP_COMPAT_REPORT")
    if path and not builtins.hasattr(session.config, "workerinput"):  # the xdist controller, or no xdist
        Path(path).write_text(json.dumps(_results, indent=0, sort_keys=True))
