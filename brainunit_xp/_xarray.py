"""Quantities in xarray: the ``units`` accessor of ``DataArray`` and ``Dataset``.

xarray holds a Quantity as a duck array (it has ``__array_namespace__``), so arithmetic, reductions,
``sel``/``isel``, ``concat``, ``groupby`` and ``resample`` keep its unit.  The accessor, registered
as soon as xarray is imported (before or after brainunit_xp: an import hook waits for it, without
importing xarray itself), moves units between values and the ``attrs["units"]`` strings of files:

* ``da.units.quantify(unit=None, backend=None)``: values as Quantities, the unit from ``unit`` or
  from ``attrs["units"]`` (which is then removed);
* ``da.units.dequantify()``: plain values and ``attrs["units"]``, a string our parser reads back;
* ``da.units.to(unit)``: conversion; ``da.units.unit``, ``da.units.mantissa``;
* ``da.units.interp(...)``, ``da.units.sel(...)``: xarray's, with quantities as labels.

Indexed (dimension) coordinates stay plain: xarray's indexes are pandas indexes, which hold numpy
values.  Their unit lives in their ``attrs["units"]``, which ``quantify`` leaves in place and ``to``
converts; other coordinates hold Quantities like data variables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from types import ModuleType
from typing import Any

from ._backends import get_backend, to_numpy
from ._conversion import as_unit
from ._errors import UnitError
from ._import_hooks import when_imported
from ._quantity import Quantity
from ._units import Unit

__all__ = ["DataArrayUnits", "DatasetUnits", "inline_repr", "install"]

_MODULE = "xarray"
_ACCESSOR = "units"
#: CF time units ("days since 2000-01-01") belong to xarray's time decoding, not to us
_TIME_UNITS = re.compile(r"^\s*\w+\s+since\s", re.I)

UnitLike = Unit | str | None


def inline_repr(q: Quantity, max_width: int) -> str:
    """xarray's one-line summary of a Quantity (a Dataset's rows): ``[mV] 1.0 2.0 3.0``."""
    head = f"[{q.unit.name}] "
    width = max(max_width - len(head), 3)
    m = q.mantissa
    try:
        from xarray.core.formatting import format_array_flat, maybe_truncate

        inline = getattr(m, "_repr_inline_", None)
        if inline is not None:  # dask: its own short summary
            return head + inline(width)
        import numpy as np

        values = np.asarray(to_numpy(m)) if q._b is None or not q._b.lazy else None
    except Exception:  # a tracer, a lazy or symbolic array, xarray's formatting moved
        values = None
    if values is None:
        text = str(m).replace("\n", " ")
        return head + (text if len(text) <= width else text[: width - 3] + "...")
    return head + (format_array_flat(values, width) if values.ndim else maybe_truncate(repr(values.item()), width))


# -- one variable ---------------------------------------------------------------------------------
def _attr_unit(name: Hashable, attrs: Mapping[Any, Any]) -> Unit | None:
    """The unit of ``attrs["units"]``, or ``None`` when absent or a CF time unit."""
    text = attrs.get("units")
    if text is None or (isinstance(text, str) and _TIME_UNITS.match(text)):
        return None
    try:
        return as_unit(text)
    except UnitError as exc:
        raise UnitError(f"quantify: cannot read the unit attribute {text!r} of {name!r}: {exc}") from None


def _quantify_variable(name: Hashable, var: Any, unit: UnitLike, backend: str | None, indexed: bool) -> Any:
    """``var`` with Quantity values (unit: ``unit``, else its ``attrs["units"]``, then removed); an
    indexed coordinate keeps plain values and gets ``attrs["units"]``."""
    attrs = dict(var.attrs)
    given = None if unit is None else as_unit(unit)
    from_attrs = _attr_unit(name, attrs) if given is None else None
    target = given or from_attrs
    data = var.data
    if isinstance(data, Quantity):
        if target is not None and data.unit is not target:
            raise UnitError(
                f"quantify: {name!r} already holds a Quantity in {data.unit.name}; it cannot take the unit "
                f"{target.name} as well. Convert it with .units.to({target.name!r}), or dequantify it first"
            )
        if backend is not None and data.backend != get_backend(backend).name:
            var = var.copy(deep=False, data=data.to_backend(backend))
        return var
    if target is None:
        return var
    if indexed:  # pandas indexes hold numpy values: the unit stays an attribute
        attrs["units"] = str(target)
        out = var.copy(deep=False)
        out.attrs = attrs
        return out
    attrs.pop("units", None)
    q = Quantity(data, unit=target)
    if backend is not None:
        q = q.to_backend(backend)
    out = var.copy(deep=False, data=q)
    out.attrs = attrs
    return out


def _dequantify_variable(var: Any) -> Any:
    """``var`` with plain values and the unit as ``attrs["units"]``."""
    data = var.data
    if not isinstance(data, Quantity):
        return var
    out = var.copy(deep=False, data=data.mantissa)
    out.attrs = {**var.attrs, "units": str(data.unit)}
    return out


def _convert_variable(name: Hashable, var: Any, unit: UnitLike, indexed: bool) -> Any:
    """``var`` converted to ``unit`` (a Quantity, or a plain coordinate with ``attrs["units"]``)."""
    target = as_unit(unit)
    data = var.data
    if isinstance(data, Quantity):
        return var.copy(deep=False, data=data.to(target))
    source = _attr_unit(name, var.attrs)
    if source is None:
        raise UnitError(
            f"to: {name!r} has no unit to convert to {target.name}; attach one first with "
            f".units.quantify({{{name!r}: unit}})"
        )
    values = Quantity(to_numpy(data) if indexed else data, unit=source).to(target).mantissa
    out = var.copy(deep=False, data=values)
    out.attrs = {**var.attrs, "units": str(target)}
    return out


# -- many variables ---------------------------------------------------------------------------------
def _mapping(op: str, obj_name: Hashable, unit: Any, kwargs: Mapping[Any, Any], single: bool) -> dict[Hashable, Any]:
    """``unit`` (a unit for the DataArray's data, or a mapping by variable name) and ``kwargs`` as one
    mapping by variable name."""
    out: dict[Hashable, Any] = {}
    if isinstance(unit, Mapping):
        out.update(unit)
    elif unit is not None:
        if not single:
            raise UnitError(f"{op}: a Dataset needs its units by variable name, e.g. {op}({{'v': 'mV'}}) or v='mV'")
        out[obj_name] = unit
    for key, value in kwargs.items():
        if key in out:
            raise UnitError(f"{op}: two units given for {key!r}: {out[key]!r} and {value!r}")
        out[key] = value
    return out


def _check_names(op: str, obj: Any, names: Iterable[Hashable]) -> None:
    """Raise ``KeyError`` for a name that is neither a data variable nor a coordinate of ``obj``."""
    known = set(_data_names(obj)) | set(obj.coords)
    missing = set(names) - known
    if missing:
        raise KeyError(
            f"{op}: no variable or coordinate named {', '.join(sorted(map(repr, missing)))} "
            f"(have: {', '.join(sorted(map(repr, known)))})"
        )


def _rebuild(obj: Any, fn: Callable[[Hashable, Any, bool], Any], names: Iterable[Hashable] | None = None) -> Any:
    """``obj`` (DataArray or Dataset) with ``fn(name, variable, indexed)`` applied to its variables
    (all, or ``names``)."""
    wanted = None if names is None else set(names)
    indexed = set(obj.xindexes)
    is_array = hasattr(obj, "variable")
    data_names = _data_names(obj)

    def want(name: Hashable) -> bool:
        return wanted is None or name in wanted

    coords = {name: fn(name, obj.coords[name].variable, name in indexed) for name in obj.coords if want(name)}
    plain_coords = {k: v for k, v in coords.items() if k not in indexed}
    if is_array:
        out = obj.copy(deep=False)  # new variables, new attrs: the original is never changed
        if want(obj.name):
            var = fn(obj.name, obj.variable, False)
            out = obj.copy(deep=False, data=var.data)
            out.attrs = dict(var.attrs)
    else:
        out = obj.assign({name: fn(name, obj[name].variable, False) for name in data_names if want(name)})
    out = out.assign_coords(plain_coords) if plain_coords else out
    for name, var in coords.items():
        if name in indexed:
            if var.data is not obj.coords[name].variable.data:  # converted values: a new index
                out = out.assign_coords({name: var})
            else:
                out.coords[name].attrs.clear()
                out.coords[name].attrs.update(var.attrs)
    return out


class _Accessor:
    """What the DataArray and Dataset accessors share."""

    _single = False

    def __init__(self, obj: Any) -> None:
        self._obj = obj

    def _name(self) -> Hashable:
        return getattr(self._obj, "name", None) if self._single else None

    def quantify(self, unit: Any = None, backend: str | None = None, **units: UnitLike) -> Any:
        """Values as Quantities: in ``unit`` (a Unit or unit string; for a Dataset, or for
        coordinates, a mapping by variable name, or keywords), else in each variable's
        ``attrs["units"]``, which is then removed.  ``backend`` (``"jax"``, ``"torch"``…) moves
        the values to that backend; by default they stay on the backend they are on.

        Indexed (dimension) coordinates keep plain values (xarray's indexes are numpy): a unit
        given for one is recorded as its ``attrs["units"]``.
        """
        given = _mapping("quantify", self._name(), unit, units, self._single)
        _check_names("quantify", self._obj, given)
        if backend is not None:
            get_backend(backend)  # an unknown name fails here, before any work
        return _rebuild(self._obj, lambda n, v, ix: _quantify_variable(n, v, given.get(n), backend, ix))

    def dequantify(self) -> Any:
        """Plain values (each Quantity's mantissa, on its backend) and the unit as
        ``attrs["units"]``, a string that :meth:`quantify` (our unit parser) reads back."""
        return _rebuild(self._obj, lambda n, v, ix: _dequantify_variable(v))

    def to(self, unit: Any = None, **units: UnitLike) -> Any:
        """The values converted to ``unit`` (for a Dataset, or for coordinates, a mapping by
        variable name, or keywords).  A plain indexed coordinate with ``attrs["units"]`` is
        converted too (its index is rebuilt).  Raises :class:`DimensionMismatchError` when the
        dimensions differ."""
        given = _mapping("to", self._name(), unit, units, self._single)
        _check_names("to", self._obj, given)
        return _rebuild(self._obj, lambda n, v, ix: _convert_variable(n, v, given[n], ix), given)

    def _labels(self, op: str, labels: Mapping[Hashable, Any]) -> dict[Hashable, Any]:
        """Quantity labels as plain values in the unit of their coordinate's ``attrs["units"]``."""
        out: dict[Hashable, Any] = {}
        for name, label in labels.items():
            inner = label.data if hasattr(label, "dims") and hasattr(label, "data") else label
            if not isinstance(inner, Quantity):
                out[name] = label
                continue
            coord = self._obj.coords.get(name)
            source = None if coord is None else _attr_unit(name, coord.attrs)
            if source is None and coord is not None and isinstance(coord.data, Quantity):
                source = coord.data.unit
            if source is None:
                raise UnitError(
                    f"{op}: the labels for {name!r} are in {inner.unit.name} but the coordinate has no unit; "
                    f"give it one, e.g. .units.quantify({{{name!r}: {inner.unit.name!r}}})"
                )
            converted = inner.to(source)
            # pandas indexes are numpy: labels are compared as numpy values
            values = converted.mantissa if converted._b is None else to_numpy(converted.mantissa)
            out[name] = label.copy(data=values) if inner is not label else values
        return out

    def sel(self, indexers: Mapping[Hashable, Any] | None = None, **kwargs: Any) -> Any:
        """xarray's ``sel``, with Quantity labels converted to their coordinate's unit."""
        options = {k: kwargs.pop(k) for k in ("method", "tolerance", "drop") if k in kwargs}
        labels = self._labels("sel", _merged(indexers, kwargs))
        return self._obj.sel(labels, **options)

    def interp(self, coords: Mapping[Hashable, Any] | None = None, method: str = "linear", **kwargs: Any) -> Any:
        """xarray's ``interp`` on the plain values, units put back: labels may be Quantities (in the
        coordinate's unit's dimension).  Interpolation keeps each variable's unit."""
        options = {k: kwargs.pop(k) for k in ("assume_sorted", "kwargs", "method_non_numeric") if k in kwargs}
        labels = self._labels("interp", _merged(coords, kwargs))
        units = _units_of(self._obj)
        backends = _backends_of(self._obj)
        plain = _rebuild(self._obj, lambda n, v, ix: _dequantify_variable(v) if n in units else v)
        out = plain.interp(labels, method=method, **options)
        return _rebuild(
            out,
            lambda n, v, ix: _quantify_variable(n, v, units.get(n), backends.get(n), ix) if n in units else v,
            [n for n in units if n in set(out.coords) | set(_data_names(out))],
        )


def _merged(mapping: Mapping[Hashable, Any] | None, kwargs: Mapping[str, Any]) -> dict[Hashable, Any]:
    out: dict[Hashable, Any] = dict(mapping or {})
    out.update(kwargs)
    return out


def _data_names(obj: Any) -> list[Hashable]:
    return [obj.name] if hasattr(obj, "variable") else list(obj.data_vars)


def _variables(obj: Any) -> dict[Hashable, Any]:
    out = {name: obj.coords[name].variable for name in obj.coords}
    if hasattr(obj, "variable"):
        out[obj.name] = obj.variable
    else:
        out.update({name: obj[name].variable for name in obj.data_vars})
    return out


def _units_of(obj: Any) -> dict[Hashable, Unit]:
    return {n: v.data.unit for n, v in _variables(obj).items() if isinstance(v.data, Quantity)}


def _backends_of(obj: Any) -> dict[Hashable, str]:
    return {n: v.data.backend for n, v in _variables(obj).items() if isinstance(v.data, Quantity)}


class DataArrayUnits(_Accessor):
    """``da.units``: units of a DataArray (see :mod:`brainunit_xp._xarray`)."""

    _single = True

    @property
    def unit(self) -> Unit | None:
        """The unit of the values, or ``None`` when they are not a Quantity."""
        data = self._obj.data
        return data.unit if isinstance(data, Quantity) else None

    @property
    def mantissa(self) -> Any:
        """The plain values (a Quantity's mantissa, on its backend), or the data itself."""
        data = self._obj.data
        return data.mantissa if isinstance(data, Quantity) else data

    magnitude = mantissa


class DatasetUnits(_Accessor):
    """``ds.units``: units of a Dataset's variables (see :mod:`brainunit_xp._xarray`)."""

    @property
    def unit(self) -> dict[Hashable, Unit | None]:
        """The unit of each data variable (``None`` where it holds no Quantity)."""
        ds = self._obj
        return {name: getattr(ds[name].data, "unit", None) for name in ds.data_vars}


def _register(xr: ModuleType) -> bool:
    import warnings

    with warnings.catch_warnings():  # registering again (tests, reloads) is not a user's mistake
        warnings.simplefilter("ignore")
        xr.register_dataarray_accessor(_ACCESSOR)(DataArrayUnits)
        xr.register_dataset_accessor(_ACCESSOR)(DatasetUnits)
    return True


def install() -> None:
    """Register the accessor now if xarray is imported, else as soon as it is."""
    when_imported(_MODULE, _register, lambda module: hasattr(module, "register_dataarray_accessor"))
