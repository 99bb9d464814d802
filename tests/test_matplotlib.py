"""Quantities on matplotlib axes, on every backend: axis labels carry the unit, a second plot in a
compatible unit is converted to the axis' unit, another dimension is refused; rendered to PNG
with the Agg backend."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import make

import brainunit_xp as u

matplotlib = pytest.importorskip(
    "matplotlib", reason='matplotlib is an optional extra: pip install "brainunit-xp[plot]"'
)
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.units import ConversionError  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
T = np.array([0.0, 2.5, 5.0, 7.5, 10.0])
V = np.array([-70.0, -65.0, -60.0, -55.0, -50.0])


@pytest.fixture
def ax():  # type: ignore[no-untyped-def]
    assert u.enable_matplotlib_support()
    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)


def test_plot_labels_axes_and_converts_compatible_units(backend: str, ax, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ax.plot(make(backend, T, u.ms), make(backend, V, u.mV))
    ax.plot(make(backend, [0.001, 0.002], u.second), make(backend, [-0.06, -0.055], u.volt))
    assert ax.xaxis.get_label_text() == "ms" and ax.yaxis.get_label_text() == "mV"
    first, second = ax.lines
    np.testing.assert_allclose(first.get_xdata(orig=False), T)
    np.testing.assert_allclose(first.get_ydata(orig=False), V)
    np.testing.assert_allclose(second.get_xdata(orig=False), [1.0, 2.0])  # s -> ms
    np.testing.assert_allclose(second.get_ydata(orig=False), [-60.0, -55.0])  # V -> mV
    png = tmp_path / "plot.png"
    ax.figure.savefig(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = plt.imread(png)
    assert image.shape[0] > 100 and image.std() > 0  # something was drawn


def test_plot_refuses_another_dimension(backend: str, ax) -> None:  # type: ignore[no-untyped-def]
    ax.plot(make(backend, T, u.ms), make(backend, V, u.mV))
    with pytest.raises(ConversionError) as err:
        ax.plot(make(backend, T, u.ms), make(backend, T, u.nA))
    assert "cannot plot values in nA (current) on an axis in mV" in str(err.value.__cause__)


def test_unitless_quantities_and_plain_numbers(ax) -> None:  # type: ignore[no-untyped-def]
    ax.plot(u.Quantity(T), make("numpy", V, u.mV))
    assert ax.xaxis.get_label_text() == ""  # a unitless axis gets no label
    ax.axhline(-60.0)  # plain numbers are values in the axis unit
    np.testing.assert_allclose(ax.lines[-1].get_ydata(orig=False), [-60.0, -60.0])
    ax.scatter(make("numpy", [1.0, 2.0]), make("numpy", [-0.05, -0.06], u.volt))
    np.testing.assert_allclose(ax.collections[-1].get_offsets()[:, 1], [-50.0, -60.0])


def test_an_explicit_label_is_kept(ax) -> None:  # type: ignore[no-untyped-def]
    ax.set_ylabel("membrane potential")
    ax.plot(make("numpy", T, u.ms), make("numpy", V, u.mV))
    assert ax.yaxis.get_label_text() == "membrane potential"


def test_registration_is_automatic_whichever_is_imported_first() -> None:
    code = (
        "import {first}; import {second}\n"
        "import matplotlib.units, brainunit_xp as u\n"
        "print(type(matplotlib.units.registry[u.Quantity]).__name__)\n"
    )
    for first, second in (("brainunit_xp", "matplotlib.units"), ("matplotlib.units", "brainunit_xp")):
        run = subprocess.run(
            [sys.executable, "-c", code.format(first=first, second=second)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
        assert run.stdout.strip() == "QuantityConverter"


def test_enable_with_a_units_module_stand_in() -> None:
    class Registry(dict):  # type: ignore[type-arg]
        pass

    class Units:
        registry = Registry()
        ConversionInterface = matplotlib.units.ConversionInterface
        AxisInfo = matplotlib.units.AxisInfo
        ConversionError = ConversionError

    assert u.enable_matplotlib_support(Units)
    assert type(Units.registry[u.Quantity]).__name__ == "QuantityConverter"
    assert not u.enable_matplotlib_support(object())


def test_importing_brainunit_xp_imports_neither_matplotlib_nor_numpy() -> None:
    code = "import sys, brainunit_xp\nprint(sorted({'matplotlib', 'numpy', 'jax'} & set(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.strip() == "[]"
