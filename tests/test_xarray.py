"""xarray holding Quantities: units through arithmetic, reductions, selection, concat, groupby,
resample and interp on every backend xarray can hold, and the ``units`` accessor (quantify,
dequantify, to, sel, interp)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import make, values
from hypothesis import given, settings
from hypothesis import strategies as st

import brainunit_xp as u
from brainunit_xp import DimensionMismatchError, UnitError

xr = pytest.importorskip("xarray")

ROOT = Path(__file__).resolve().parent.parent
DATA = np.array([[1.0, 2.0, np.nan, 4.0], [5.0, 6.0, 7.0, 8.0]])
TIMES = np.array(["2000-01-01", "2000-01-02", "2000-01-03", "2000-01-04"], dtype="datetime64[ns]")

#: backends whose dtypes are not numpy's: xarray's nan-skipping reductions read ``dtype.kind``
NON_NUMPY_DTYPES = ("torch", "ndonnx", "array_api_strict")
#: backends that refuse the numpy integer arrays xarray indexes with (groupby, resample)
NO_NUMPY_INDEX = ("ndonnx", "array_api_strict")


def skipna_limit(backend: str) -> None:
    if backend in NON_NUMPY_DTYPES:
        pytest.skip(
            f"xarray's nan-skipping reductions (xarray.computation.nanops) read numpy's dtype.kind, which "
            f"{backend} dtypes lack (plain {backend} arrays "
            + ("are converted to numpy by xarray" if backend == "torch" else "fail the same way in xarray")
            + "); use skipna=False"
        )


def held(backend: str) -> str:
    """The backend of plain values that xarray holds: it converts torch tensors to numpy arrays."""
    return "numpy" if backend == "torch" else backend


def coord_backend(backend: str) -> str:
    """The backend of a plain coordinate: xarray deep-copies coordinates, which ndonnx arrays refuse
    (a Quantity of ndonnx values copies itself)."""
    return "numpy" if backend in ("torch", "ndonnx") else backend


def numpy_index_limit(backend: str) -> None:
    if backend in NO_NUMPY_INDEX:
        pytest.skip(
            f"xarray indexes with numpy integer arrays, which {backend} refuses (plain {backend} arrays fail "
            f"the same way in xarray)"
        )


def data_array(backend: str, unit: Any = u.mV, data: Any = DATA, **kwargs: Any) -> Any:
    return xr.DataArray(make(backend, data, unit), dims=("y", "x"), coords={"x": [0.0, 1.0, 2.0, 3.0]}, **kwargs)


def quantity(obj: Any) -> u.Quantity:
    data = obj.data if hasattr(obj, "data") else obj
    assert isinstance(data, u.Quantity), type(data)
    return data


def assert_quantity(obj: Any, unit: Any, expected: Any, backend: str | None = None) -> None:
    q = quantity(obj)
    assert q.unit == unit
    if backend is not None:
        assert q.backend == backend
    got = values(q)
    expected = np.asarray(expected)
    rtol = 1e-6 if got.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(got, expected, rtol=rtol, equal_nan=True)


# -- xarray operations on Quantities ---------------------------------------------------------------
def test_held_as_a_duck_array(backend: str) -> None:
    da = data_array(backend)
    assert isinstance(da.data, u.Quantity) and da.data.backend == backend
    assert da.shape == (2, 4) and da.dims == ("y", "x")
    assert da.units.unit is u.mV


def test_arithmetic(backend: str) -> None:
    da = data_array(backend)
    assert_quantity(da + da, u.mV, DATA * 2, backend)
    assert_quantity(da * da, u.mV**2, DATA**2, backend)
    assert_quantity(da / (2 * u.ms), u.mV / u.ms, DATA / 2, backend)
    assert_quantity(da + 1 * u.volt, u.mV, DATA + 1000, backend)
    assert_quantity(-da, u.mV, -DATA, backend)
    assert_quantity(da > 3 * u.mV, u.ONE, DATA > 3, backend)


def test_adding_another_dimension_raises(backend: str) -> None:
    da = data_array(backend)
    metres = data_array(backend, u.meter)
    with pytest.raises(DimensionMismatchError, match="mV"):
        da + metres
    with pytest.raises(DimensionMismatchError):
        da + 1 * u.meter


REDUCTIONS = {"mean": (np.nanmean, np.mean), "sum": (np.nansum, np.sum), "std": (np.nanstd, np.std)}
REDUCTIONS |= {"min": (np.nanmin, np.min), "max": (np.nanmax, np.max)}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("dim", [None, "x", "y"])
def test_reductions_skip_nans(backend: str, name: str, dim: str | None) -> None:
    skipna_limit(backend)
    da = data_array(backend)
    axis = None if dim is None else da.dims.index(dim)
    nanfn = REDUCTIONS[name][0]
    for skipna in (None, True):
        out = getattr(da, name)(dim=dim, skipna=skipna)
        assert out.dims == tuple(d for d in da.dims if dim is not None and d != dim)
        assert_quantity(out, u.mV, nanfn(DATA, axis=axis), backend)


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("dim", [None, "x", "y"])
def test_reductions_without_skipna(backend: str, name: str, dim: str | None) -> None:
    da = data_array(backend)
    axis = None if dim is None else da.dims.index(dim)
    out = getattr(da, name)(dim=dim, skipna=False)
    expected = REDUCTIONS[name][1](DATA, axis=axis)
    assert_quantity(out, u.mV, expected, backend)
    if dim in (None, "y"):
        assert np.isnan(values(quantity(out))).any()  # the nan is not skipped


def test_std_ddof_and_var_unit(backend: str) -> None:
    da = data_array(backend, data=DATA[1:])
    assert_quantity(da.std(skipna=False, ddof=1), u.mV, np.std(DATA[1:], ddof=1), backend)
    assert_quantity(da.var(skipna=False), u.mV**2, np.var(DATA[1:]), backend)


def test_namespace_std_takes_numpys_ddof(backend: str) -> None:
    """xarray passes ``ddof=`` to ``xp.std``; every backend's namespace reads it as ``correction=``."""
    q = make(backend, DATA[1:], u.mV)
    xp = q.__array_namespace__()
    assert_quantity(xp.std(q, ddof=1), u.mV, np.std(DATA[1:], ddof=1), backend)
    assert_quantity(xp.var(q, axis=-1, ddof=1), u.mV**2, np.var(DATA[1:], axis=-1, ddof=1), backend)
    with pytest.raises(TypeError, match="same option"):
        xp.std(q, ddof=1, correction=0)


def test_fills_with_numpys_nan(backend: str) -> None:
    """xarray fills with a NumPy scalar NaN (``np.float64(nan)``): unit-free, as Python's nan."""
    if backend in NON_NUMPY_DTYPES:
        pytest.skip(f"xarray's fill values (xarray.core.dtypes.maybe_promote) need numpy dtypes, which {backend} lacks")
    da = data_array(backend)
    assert_quantity(da.where(da > 4 * u.mV), u.mV, np.where(DATA > 4, DATA, np.nan), backend)
    wider = np.concatenate([DATA, np.full((2, 1), np.nan)], axis=1)
    assert_quantity(da.reindex(x=[0.0, 1.0, 2.0, 3.0, 9.0]), u.mV, wider, backend)
    left, _ = xr.align(da, da.isel(x=[0]).assign_coords(x=[9.0]), join="outer")
    assert_quantity(left, u.mV, wider, backend)
    if backend != "dask":  # xarray subtracts the lazy count from a NumPy integer: a numpy/dask mix
        assert_quantity(da.sum("x", min_count=4), u.mV, [np.nan, 26.0], backend)


def test_isel_and_sel(backend: str) -> None:
    da = data_array(backend)
    assert_quantity(da.isel(x=1), u.mV, DATA[:, 1], backend)
    assert_quantity(da.isel(y=1, x=slice(1, 3)), u.mV, DATA[1, 1:3], backend)
    assert_quantity(da.sel(x=3.0), u.mV, DATA[:, 3], backend)
    assert_quantity(da.sel(x=slice(1.0, 2.0)), u.mV, DATA[:, 1:3], backend)
    assert_quantity(da[0, -1], u.mV, DATA[0, -1], backend)


def test_concat_converts_to_the_first_unit(backend: str) -> None:
    da = data_array(backend)
    volts = data_array(backend, u.volt, data=DATA / 1000).assign_coords(x=[4.0, 5.0, 6.0, 7.0])
    out = xr.concat([da, volts], dim="x")
    assert out.sizes == {"y": 2, "x": 8}
    assert_quantity(out, u.mV, np.concatenate([DATA, DATA], axis=1), backend)
    with pytest.raises(DimensionMismatchError):
        xr.concat([da, data_array(backend, u.meter)], dim="y")


def test_groupby_mean(backend: str) -> None:
    numpy_index_limit(backend)
    da = data_array(backend).assign_coords(group=("x", ["a", "a", "b", "b"]))
    out = da.groupby("group").mean(skipna=False)
    expected = np.stack([DATA[:, :2].mean(axis=1), DATA[:, 2:].mean(axis=1)], axis=-1)
    assert_quantity(out.transpose("y", "group"), u.mV, expected, backend)
    if backend not in NON_NUMPY_DTYPES:
        out = da.groupby("group").mean()
        expected = np.stack([np.nanmean(DATA[:, :2], axis=1), np.nanmean(DATA[:, 2:], axis=1)], axis=-1)
        assert_quantity(out.transpose("y", "group"), u.mV, expected, backend)


def test_resample_mean(backend: str) -> None:
    numpy_index_limit(backend)
    da = data_array(backend).rename(x="time").assign_coords(time=TIMES)
    out = da.resample(time="2D").mean(skipna=False)
    assert list(out.time.values) == list(TIMES[::2])
    expected = DATA.reshape(2, 2, 2).mean(axis=-1)
    assert_quantity(out, u.mV, expected, backend)
    if backend not in NON_NUMPY_DTYPES:
        assert_quantity(da.resample(time="2D").mean(), u.mV, np.nanmean(DATA.reshape(2, 2, 2), axis=-1), backend)


def test_interp_through_the_accessor(backend: str) -> None:
    da = data_array(backend, data=DATA[1:])
    # the accessor interpolates the plain values: what xarray can do with plain arrays of the backend
    # (it holds torch tensors as numpy arrays, so interp works there)
    if backend in NO_NUMPY_INDEX:
        pytest.skip(f"xarray's interp reads numpy's dtype.kind, which {backend} dtypes lack")
    out = da.units.interp(x=[0.5, 2.5])
    assert_quantity(out, u.mV, [[5.5, 7.5]], backend)
    np.testing.assert_array_equal(out.x.values, [0.5, 2.5])


def test_interp_of_xarray_itself_refuses_units(backend: str) -> None:
    """xarray's own ``interp`` hands the values to scipy, which calls ``np.asarray``: a Quantity with
    units refuses that with our error (never a unit lost); ``da.units.interp`` is the way."""
    if backend not in ("numpy", "jax"):
        pytest.skip(f"xarray's interp of {backend} values fails before it reaches the values (dtype.kind, chunks)")
    da = data_array(backend, data=DATA[1:])
    with pytest.raises(UnitError, match=r"numpy\.asarray.*mV"):
        da.interp(x=[0.5, 2.5])


def test_repr_shows_the_unit(backend: str) -> None:
    da = data_array(backend, name="v")
    assert "unit='mV'" in repr(da)
    ds = xr.Dataset({"v": da, "w": ("x", np.arange(4.0))})
    row = next(line for line in repr(ds).splitlines() if line.strip().startswith("v "))
    assert "[mV]" in row
    if backend not in ("dask", "ndonnx"):  # lazy values show as their graph
        assert "[mV] 1.0 2.0 nan" in row, row


def test_inline_repr_fits_its_width() -> None:
    q = u.Quantity(np.arange(1000.0), u.mV)
    text = q._repr_inline_(30)
    assert text.startswith("[mV] 0.0 1.0") and "..." in text and len(text) <= 30
    assert u.Quantity(np.float64(2.5), u.mV)._repr_inline_(30) == "[mV] 2.5"


# -- the accessor -----------------------------------------------------------------------------------
def plain(backend: str, unit_attr: str | None = "mV") -> Any:
    attrs = {} if unit_attr is None else {"units": unit_attr}
    return xr.DataArray(
        make(backend, DATA).mantissa,
        dims=("y", "x"),
        coords={
            "x": ("x", [0.0, 1.0, 2.0, 3.0], {"units": "s"}),
            "depth": ("y", make(coord_backend(backend), [10.0, 20.0]).mantissa, {"units": "um"}),
        },
        attrs={**attrs, "long_name": "voltage"},
        name="v",
    )


def test_accessor_registered_on_both() -> None:
    from brainunit_xp._xarray import DataArrayUnits, DatasetUnits

    assert isinstance(xr.DataArray([1.0]).units, DataArrayUnits)
    assert isinstance(xr.Dataset().units, DatasetUnits)


@pytest.mark.parametrize("first", ["brainunit_xp", "xarray"])
def test_accessor_registered_whichever_is_imported_first(first: str) -> None:
    second = "xarray" if first == "brainunit_xp" else "brainunit_xp"
    code = (
        f"import sys, {first}, {second}\nimport xarray as xr\n"
        "print(type(xr.DataArray([1.0]).units).__name__, type(xr.Dataset().units).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["DataArrayUnits", "DatasetUnits"]


def test_accessor_does_not_import_xarray() -> None:
    code = "import sys, brainunit_xp\nprint('xarray' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_quantify_from_attrs(backend: str) -> None:
    da = plain(backend)
    q = da.units.quantify()
    assert_quantity(q, u.mV, DATA, held(backend))
    assert "units" not in q.attrs and q.attrs["long_name"] == "voltage"
    assert_quantity(q.depth, u.um, [10.0, 20.0], coord_backend(backend))  # a coordinate that is not an index
    assert "units" not in q.depth.attrs
    assert q.x.attrs["units"] == "s" and isinstance(q.x.data, np.ndarray)  # an index stays numpy
    assert q.units.unit is u.mV
    np.testing.assert_array_equal(values(q.units.mantissa), DATA)
    assert q.units.magnitude is q.units.mantissa


@pytest.mark.parametrize("unit", ["mV", u.mV, u.mvolt])
def test_quantify_with_a_unit(backend: str, unit: Any) -> None:
    q = plain(backend, None).units.quantify(unit)
    assert_quantity(q, u.mV, DATA, held(backend))
    q = plain(backend, None).units.quantify({"v": unit, "depth": "cm"})
    assert_quantity(q, u.mV, DATA, held(backend))
    assert_quantity(q.depth, u.cmeter, [10.0, 20.0], coord_backend(backend))
    q = plain(backend, None).units.quantify(unit, depth="cm", x="ms")
    assert q.x.attrs["units"] == "ms"


@pytest.mark.parametrize("source", ["numpy", "jax"])
def test_quantify_moves_to_a_backend(backend: str, source: str) -> None:
    q = plain(source).units.quantify(backend=backend)
    assert_quantity(q, u.mV, DATA, backend)
    assert quantity(q.depth).backend == backend


def test_quantify_keeps_the_backend_of_the_values() -> None:
    q = xr.DataArray(np.arange(3.0), dims="x").units.quantify("mV")
    assert quantity(q).backend == "numpy"  # not the default backend (jax): xarray's data is numpy


def test_quantify_errors(backend: str) -> None:
    q = plain(backend).units.quantify()
    assert q.units.quantify("mV").units.unit is u.mV  # the same unit again is fine
    with pytest.raises(UnitError, match="already holds a Quantity in mV"):
        q.units.quantify("V")
    with pytest.raises(UnitError, match="'furlongs'"):
        plain(backend, "furlongs").units.quantify()
    with pytest.raises(KeyError, match="'nope'"):
        plain(backend).units.quantify(nope="mV")
    with pytest.raises(UnitError, match="two units"):
        plain(backend).units.quantify("mV", v="V")


def test_the_original_is_left_unchanged(backend: str) -> None:
    da = plain(backend)
    q = da.units.quantify(x="s")
    q.units.to(x="s")  # the same unit: the index keeps its values, only attrs are written
    q.units.to(x="ms").units.dequantify()
    xr.Dataset({"v": da}).units.quantify().units.to(x="ms")
    assert da.attrs == {"units": "mV", "long_name": "voltage"}
    assert da.x.attrs == {"units": "s"} and da.depth.attrs == {"units": "um"}
    assert q.x.attrs == {"units": "s"} and "units" not in q.attrs
    np.testing.assert_array_equal(da.x.values, [0.0, 1.0, 2.0, 3.0])


def test_quantify_leaves_time_units_alone() -> None:
    da = xr.DataArray([1.0, 2.0], dims="t", attrs={"units": "days since 2000-01-01"})
    out = da.units.quantify()
    assert out.attrs["units"] == "days since 2000-01-01" and not isinstance(out.data, u.Quantity)


def test_round_trip(backend: str) -> None:
    da = plain(backend)
    back = da.units.quantify().units.dequantify()
    assert not isinstance(back.data, u.Quantity)
    np.testing.assert_array_equal(values(back.data), DATA)
    np.testing.assert_array_equal(values(back.depth.data), [10.0, 20.0])
    for name in ("v", "x", "depth"):
        var = back if name == "v" else back[name]
        original = da if name == "v" else da[name]
        assert var.attrs == original.attrs, name
    if backend != "torch":  # xarray holds plain torch tensors as numpy arrays
        assert type(back.data) is type(da.data)


def test_dataset_round_trip(backend: str) -> None:
    ds = xr.Dataset({"v": plain(backend), "i": ("x", make(backend, [1.0, 2.0, 3.0, 4.0]).mantissa, {"units": "nA"})})
    q = ds.units.quantify()
    assert q.units.unit == {"v": u.mV, "i": u.nA}
    assert_quantity(q.i, u.nA, [1.0, 2.0, 3.0, 4.0], held(backend))
    back = q.units.dequantify()
    for name in ("v", "i", "x", "depth"):
        assert back[name].attrs == ds[name].attrs, name
        np.testing.assert_array_equal(values(back[name].data), values(ds[name].data))


@given(
    st.lists(st.sampled_from(["mV", "nA", "ms", "um", "kHz", "ohm", "kg", "mol", "K", "cd"]), min_size=1, max_size=3),
    st.lists(st.integers(-3, 3).filter(bool), min_size=3, max_size=3),
)
@settings(max_examples=40, deadline=None)
def test_dequantified_unit_strings_parse_back(names: list[str], powers: list[int]) -> None:
    unit = u.ONE
    for name, p in zip(names, powers, strict=False):
        unit = unit * u.parse_unit(name) ** p
    q = xr.DataArray(np.arange(3.0), dims="x").units.quantify(unit)
    back = q.units.dequantify()
    assert back.units.quantify().units.unit == quantity(q).unit


def test_to(backend: str) -> None:
    q = plain(backend).units.quantify(backend=backend)
    assert_quantity(q.units.to("V"), u.volt, DATA / 1000, backend)
    assert_quantity(q.units.to(u.uV), u.uV, DATA * 1000, backend)
    assert_quantity(q.units.to({"v": "V"}), u.volt, DATA / 1000, backend)
    out = q.units.to(depth="mm", x="ms")
    assert_quantity(out.depth, u.mmeter, [0.01, 0.02], backend)
    assert_quantity(out, u.mV, DATA, backend)
    np.testing.assert_allclose(out.x.values, [0.0, 1000.0, 2000.0, 3000.0])  # the index, converted
    assert out.x.attrs["units"] == "ms"
    assert out.sel(x=2000.0).shape == (2,)  # and its index rebuilt
    with pytest.raises(DimensionMismatchError):
        q.units.to("m")
    with pytest.raises(UnitError, match="no unit"):
        plain(backend, None).units.to("mV")


def test_dataset_to(backend: str) -> None:
    ds = xr.Dataset({"v": plain(backend)}).units.quantify(backend=backend)
    assert_quantity(ds.units.to(v="V").v, u.volt, DATA / 1000, backend)
    assert_quantity(ds.units.to({"v": "uV", "depth": "nm"}).depth, u.nmeter, [1e4, 2e4], backend)
    with pytest.raises(UnitError, match="by variable name"):
        ds.units.to("V")


def test_sel_and_interp_with_quantity_labels(backend: str) -> None:
    q = plain(backend).units.quantify(backend=backend)
    assert_quantity(q.units.sel(x=2000 * u.ms), u.mV, DATA[:, 2], backend)
    assert_quantity(q.units.sel(x=2 * u.second, y=0), u.mV, DATA[0, 2], backend)
    with pytest.raises(DimensionMismatchError):
        q.units.sel(x=2 * u.meter)
    with pytest.raises(UnitError, match="no unit"):
        q.drop_vars("x").assign_coords(x=[0.0, 1.0, 2.0, 3.0]).units.sel(x=2 * u.second)
    if backend in ("ndonnx", "array_api_strict"):
        return  # xarray cannot interpolate those arrays (see test_interp_through_the_accessor)
    out = q.isel(y=[1]).units.interp(x=u.Quantity(np.array([500.0, 2500.0]), u.ms))
    assert_quantity(out, u.mV, [[5.5, 7.5]], backend)
    np.testing.assert_allclose(out.x.values, [0.5, 2.5])
    assert out.x.attrs["units"] == "s"
