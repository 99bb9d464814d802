"""Physical constants and common non-SI units as Quantities: brainunit's ``brainunit.constants``.

Each constant is a Quantity with a Python-number mantissa in a coherent SI unit
(``avogadro`` is ``6.02214076e23 / mol``), so it takes the backend of the array it meets:
``boltzmann * T`` stays on torch when ``T`` is a torch Quantity.  Fundamental constants are the
CODATA 2022 values (as in ``scipy.constants``); ``hbar``, ``stefan_boltzmann``, ``molar_mass``,
``slug`` and ``blob`` are given to full precision where brainunit rounds them.  A few names
(``meter``, ``second``, ``speed_unit``, …) are units, as in brainunit.

>>> from brainunit_xp import constants as c
>>> print(c.avogadro, c.electron_mass.to("g"))
6.02214076e+23 mol^-1 9.1093837139e-28 g

Not star-imported; import the module or names from it (``from brainunit_xp.constants import
faraday as F``).
"""

from __future__ import annotations

import math

from ._quantity import Quantity
from ._units import Unit, parse_unit

__all__ = [
    "Btu", "Btu_IT", "Btu_th", "IMF", "acre", "angstrom", "arcmin", "arcminute", "arcsec", "arcsecond",
    "astronomical_unit", "atm", "atmosphere", "atomic_mass", "au", "avogadro", "bar", "barrel", "bbl", "blob",
    "boltzmann", "calorie", "calorie_IT", "calorie_th", "carat", "day", "degree", "dyn", "dyne", "eV", "electric",
    "electron_mass", "electronvolt", "elementary_charge", "erg", "faraday", "fermi", "fluid_ounce",
    "fluid_ounce_US", "fluid_ounce_imp", "foot", "gallon", "gallon_US", "gallon_imp", "gas", "grain", "gram",
    "gravitational_constant", "hbar", "hectare", "horsepower", "hour", "hp", "inch", "julian_year", "kelvin",
    "kgf", "kilogram_force", "kmh", "knot", "lb", "lbf", "light_year", "long_ton", "mach", "magnetic", "meter",
    "metric_ton", "micron", "mil", "mile", "minute", "mmHg", "molar_mass", "month", "mph", "nautical_mile",
    "newton", "ounce", "oz", "parsec", "pica", "planck", "point", "pound", "pound_force", "psi", "radian",
    "second", "short_ton", "slinch", "slug", "speed_of_light", "speed_unit", "standard_gravity",
    "stefan_boltzmann", "stone", "survey_foot", "survey_mile", "ton_TNT", "torr", "troy_ounce", "troy_pound",
    "watt", "week", "yard", "year", "zero_celsius",
]  # fmt: skip


def _q(value: float, unit: str) -> Quantity:
    return Quantity(value, parse_unit(unit))


# -- units (brainunit.constants re-exports these) ---------------------------------------------------
gram: Unit = parse_unit("g")
kelvin: Unit = parse_unit("K")
meter: Unit = parse_unit("m")
newton: Unit = parse_unit("N")
radian: Unit = parse_unit("rad")
second: Unit = parse_unit("s")
watt: Unit = parse_unit("W")
#: the SI unit of speed, metre per second
speed_unit: Unit = meter / second

# -- fundamental constants (CODATA 2022) -----------------------------------------------------------
avogadro = _q(6.02214076e23, "1 / mol")  # exact
boltzmann = _q(1.380649e-23, "J / K")  # exact
electric = _q(8.8541878188e-12, "F / m")  # vacuum electric permittivity
electron_mass = _q(9.1093837139e-31, "kg")
elementary_charge = _q(1.602176634e-19, "C")  # exact
faraday = _q(96485.33212331001, "C / mol")  # exact: N_A e
gas = _q(8.31446261815324, "J / (mol * K)")  # exact: N_A k
magnetic = _q(1.25663706127e-6, "N / A^2")  # vacuum magnetic permeability
molar_mass = _q(1.00000000105e-3, "kg / mol")  # M_u = N_A m_u
speed_of_light = _q(299792458.0, "m / s")  # exact
planck = _q(6.62607015e-34, "J * s")  # exact
hbar = _q(6.62607015e-34 / (2 * math.pi), "J * s")  # exact: h / 2 pi
gravitational_constant = _q(6.6743e-11, "m^3 / (kg * s^2)")
standard_gravity = _q(9.80665, "m / s^2")  # exact
stefan_boltzmann = _q(5.6703744191844314e-08, "W / (m^2 * K^4)")  # exact
zero_celsius = _q(273.15, "K")

# -- mass ------------------------------------------------------------------------------------------
metric_ton = _q(1e3, "kg")
grain = _q(6.479891e-5, "kg")
lb = pound = _q(0.45359237, "kg")
slinch = blob = _q(0.45359237 * 9.80665 / 0.0254, "kg")  # lbf s^2 / inch
slug = _q(0.45359237 * 9.80665 / 0.3048, "kg")  # lbf s^2 / ft
oz = ounce = _q(2.8349523125e-2, "kg")
stone = _q(6.35029318, "kg")
long_ton = _q(1.0160469088e3, "kg")
short_ton = _q(0.90718474e3, "kg")
troy_ounce = _q(3.11034768e-2, "kg")
troy_pound = _q(0.3732417216, "kg")
carat = _q(2e-4, "kg")
atomic_mass = _q(1.66053906892e-27, "kg")  # CODATA 2022

# -- angle -----------------------------------------------------------------------------------------
degree = _q(math.pi / 180, "rad")
arcmin = arcminute = _q(math.pi / (180 * 60), "rad")
arcsec = arcsecond = _q(math.pi / (180 * 3600), "rad")

# -- time ------------------------------------------------------------------------------------------
minute = _q(60.0, "s")
hour = _q(3600.0, "s")
day = _q(86400.0, "s")
week = _q(604800.0, "s")
month = _q(2.629746e6, "s")  # a twelfth of the Gregorian year
year = _q(3.1556952e7, "s")  # Gregorian year, 365.2425 days (scipy's ``year`` is 365 days)
julian_year = _q(3.15576e7, "s")

# -- length ----------------------------------------------------------------------------------------
inch = _q(0.0254, "m")
foot = _q(0.3048, "m")
yard = _q(0.9144, "m")
mile = _q(1609.344, "m")
mil = _q(2.54e-5, "m")
point = _q(0.0254 / 72, "m")
pica = _q(0.0254 / 6, "m")
survey_foot = _q(1200.0 / 3937, "m")
survey_mile = _q(5280 * 1200.0 / 3937, "m")
nautical_mile = _q(1852.0, "m")
fermi = _q(1e-15, "m")
angstrom = _q(1e-10, "m")
micron = _q(1e-6, "m")
au = astronomical_unit = _q(1.495978707e11, "m")
light_year = _q(9.4607304725808e15, "m")
parsec = _q(3.085677581491367e16, "m")

# -- pressure --------------------------------------------------------------------------------------
atm = atmosphere = _q(1.01325e5, "Pa")
bar = _q(1e5, "Pa")
torr = _q(101325.0 / 760, "Pa")
mmHg = _q(1.33322387415e2, "Pa")  # conventional millimetre of mercury (scipy's ``mmHg`` is the torr)
psi = _q(6.894757293168361e3, "Pa")

# -- area and volume -------------------------------------------------------------------------------
hectare = _q(1e4, "m^2")
acre = _q(4046.8564224, "m^2")
gallon = gallon_US = _q(3.785411784e-3, "m^3")
gallon_imp = _q(4.54609e-3, "m^3")
fluid_ounce = fluid_ounce_US = _q(2.95735295625e-5, "m^3")
fluid_ounce_imp = _q(2.84130625e-5, "m^3")
bbl = barrel = _q(1.58987294928e-1, "m^3")

# -- speed -----------------------------------------------------------------------------------------
kmh = _q(1000.0 / 3600.0, "m / s")
mph = _q(4.4704e-1, "m / s")
knot = _q(1852.0 / 3600.0, "m / s")
mach = _q(3.405e2, "m / s")

# -- energy, power, force --------------------------------------------------------------------------
eV = electronvolt = _q(1.602176634e-19, "J")
calorie = calorie_th = _q(4.184, "J")
calorie_IT = _q(4.1868, "J")
erg = _q(1e-7, "J")
Btu = Btu_IT = _q(1.05505585262e3, "J")
Btu_th = _q(1.054350264488889e3, "J")
ton_TNT = _q(4.184e9, "J")
hp = horsepower = _q(7.4569987158227022e2, "W")
dyn = dyne = _q(1e-5, "N")
lbf = pound_force = _q(4.4482216152605, "N")
kgf = kilogram_force = _q(9.80665, "N")
IMF = _q(1.602176634e-9, "N")  # intermolecular force unit, eV / nm
