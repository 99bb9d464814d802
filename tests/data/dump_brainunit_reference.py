"""Writes brainunit-0.6.0-reference.json: brainunit's constants as SI values and dimensions, and
which of brainunit's top-level names are units.

Run with a Python that has brainunit 0.6.0 installed (not a test dependency):
    python tests/data/dump_brainunit_reference.py
tests/test_constants.py and tests/test_brainunit_names.py read the file it writes.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import brainunit as bu
import brainunit.constants as c
import numpy as np


def record(x: object) -> dict[str, object]:
    unit = x if isinstance(x, bu.Unit) else x.unit
    value = float(unit.magnitude)
    if not isinstance(x, bu.Unit):
        value *= float(np.asarray(x.to_decimal(unit)))
    dims = [str(Fraction(float(e)).limit_denominator(100)) for e in unit.dim._dims]
    return {"kind": "unit" if isinstance(x, bu.Unit) else "quantity", "si_value": value, "dim": dims}


names = json.loads((Path(__file__).parent / "brainunit-0.6.0-names.json").read_text())["names"]
out = {
    "about": "brainunit 0.6.0's constants (brainunit.constants, top-level constants) and top-level units: "
    "value in SI base units and dimension exponents (m, kg, s, A, K, mol, cd); written by "
    "tests/data/dump_brainunit_reference.py",
    "constants": {n: record(getattr(c, n)) for n in names[".constants"]},
    "top": {n: record(getattr(bu, n)) for n in names["top"] if isinstance(getattr(bu, n), bu.Quantity)},
    "top_units": sorted(n for n in names["top"] if isinstance(getattr(bu, n), bu.Unit)),
}
(Path(__file__).parent / "brainunit-0.6.0-reference.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
