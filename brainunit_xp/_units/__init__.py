"""Dimensions, units and the unit catalog."""

from .catalog import PREFIXES, UNITS, get_unit, parse_unit
from .dimension import DIMENSIONLESS, Dimension
from .unit import FREE, ONE, Unit

__all__ = ["DIMENSIONLESS", "FREE", "ONE", "PREFIXES", "UNITS", "Dimension", "Unit", "get_unit", "parse_unit"]
