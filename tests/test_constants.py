"""``brainunit_xp.constants`` against brainunit 0.6.0's values (tests/data/brainunit-0.6.0-reference.json,
written by tests/data/dump_brainunit_constants.py from brainunit itself) and against
``scipy.constants`` (CODATA 2022)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from conftest import make, values

import brainunit_xp as u
from brainunit_xp import constants

DATA = Path(__file__).parent / "data"
REFERENCE = json.loads((DATA / "brainunit-0.6.0-reference.json").read_text())
NAMES = json.loads((DATA / "brainunit-0.6.0-names.json").read_text())["names"][".constants"]

#: full-precision values where brainunit rounds (CODATA-exact hbar, sigma; CODATA 2022 M_u;
#: slug and blob from their definitions, lbf s^2 / ft and lbf s^2 / in)
MORE_PRECISE = {"hbar", "stefan_boltzmann", "molar_mass", "slug", "slinch", "blob"}
#: brainunit's definitions where scipy's same name means something else
NOT_SCIPYS = {
    "year": "brainunit's year is the Gregorian 365.2425 days; scipy's is 365 days",
    "mmHg": "brainunit's mmHg is the conventional 133.322387415 Pa; scipy's mmHg is the torr",
}
#: our names -> scipy.constants names or physical_constants keys, where they differ
SCIPY_NAMES = {
    "avogadro": "Avogadro",
    "boltzmann": "Boltzmann",
    "electric": "epsilon_0",
    "electron_mass": "m_e",
    "faraday": ("Faraday constant",),
    "gas": "R",
    "magnetic": "mu_0",
    "molar_mass": ("molar mass constant",),
    "planck": "h",
    "gravitational_constant": "G",
    "standard_gravity": "g",
    "stefan_boltzmann": "Stefan_Boltzmann",
    "zero_celsius": "zero_Celsius",
    "julian_year": "Julian_year",
    "electronvolt": "electron_volt",
}


def si_value(x: u.Quantity | u.Unit) -> float:
    if isinstance(x, u.Unit):
        return x.scale
    return float(x.mantissa) * x.unit.scale


def dims(x: u.Quantity | u.Unit) -> list[str]:
    return [str(e) for e in x.dim.exponents]


def test_names_are_brainunits() -> None:
    assert sorted(constants.__all__) == sorted(NAMES)
    assert all(hasattr(constants, n) for n in NAMES)


@pytest.mark.parametrize("name", sorted(REFERENCE["constants"]))
def test_constant_matches_brainunit(name: str) -> None:
    ref = REFERENCE["constants"][name]
    ours = getattr(constants, name)
    assert isinstance(ours, u.Unit) == (ref["kind"] == "unit")
    assert dims(ours) == ref["dim"]
    rel = 1e-8 if name in MORE_PRECISE else 4e-16
    assert math.isclose(si_value(ours), ref["si_value"], rel_tol=rel), (si_value(ours), ref["si_value"])


@pytest.mark.parametrize("name", sorted(REFERENCE["constants"]))
def test_constant_matches_scipy(name: str) -> None:
    sc = pytest.importorskip("scipy.constants")
    key = SCIPY_NAMES.get(name, name)
    if isinstance(key, tuple):
        expected = sc.physical_constants[key[0]][0]
    elif isinstance(getattr(sc, key, None), float | int):
        expected = getattr(sc, key)
    else:
        pytest.skip(f"scipy.constants has no {name}")
    ours = si_value(getattr(constants, name))
    if name in NOT_SCIPYS:
        assert not math.isclose(ours, expected, rel_tol=1e-9), NOT_SCIPYS[name]
        return
    assert math.isclose(ours, expected, rel_tol=4e-16), (ours, expected)


@pytest.mark.parametrize("name", sorted(REFERENCE["top"]))
def test_top_level_constants(name: str) -> None:
    ref = REFERENCE["top"][name]
    ours = getattr(u, name)
    assert isinstance(ours, u.Quantity)
    assert dims(ours) == ref["dim"]
    rel = 1e-8 if name == "molar_mass_constant" else 4e-16
    assert math.isclose(si_value(ours), ref["si_value"], rel_tol=rel)
    assert name in dir(u)


def test_units_in_constants() -> None:
    assert constants.speed_unit == u.meter / u.second
    assert constants.kelvin is u.kelvin and constants.gram is u.gram and constants.meter is u.meter
    assert math.isclose(constants.hbar.to_value(u.joule * u.second) * 2 * math.pi, 6.62607015e-34, rel_tol=1e-15)


def test_constants_take_the_backend_they_meet(backend: str) -> None:
    t = make(backend, [0.0, 100.0], u.kelvin)
    energy = constants.boltzmann * (t + constants.zero_celsius)
    assert energy.backend == backend and energy.dim is u.joule.dim
    np.testing.assert_allclose(values(energy.to(u.joule)), 1.380649e-23 * np.array([273.15, 373.15]))


def test_derived_relations() -> None:
    # the exact 2019 SI relations hold to rounding
    assert math.isclose(si_value(constants.faraday), si_value(constants.avogadro * constants.elementary_charge))
    assert math.isclose(si_value(constants.gas), si_value(constants.avogadro * constants.boltzmann))
    assert (constants.hour / constants.minute).to_value(u.ONE) == 60
    assert (constants.mile / constants.foot).to_value(u.ONE) == pytest.approx(5280)
