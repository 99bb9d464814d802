"""Dimensions, units and the unit catalog."""

from .catalog import PREFIXES, UNITS, get_unit, parse_unit
from .dimension import DIMENSIONLESS, Dimension, get_or_create_dimension
from .unit import FREE, ONE, Unit, add_standard_unit

__all__ = [
    "DIMENSIONLESS",
    "FREE",
    "ONE",
    "PREFIXES",
    "UNITS",
    "Dimension",
    "Unit",
    "add_standard_unit",
    "get_or_create_dimension",
    "get_unit",
    "parse_unit",
]
