"""brainunit 0.6.0's public names (tests/data/brainunit-0.6.0-names.json, taken from the installed
package with dir()/__all__) against ours, module by module.

Complete modules must stay complete.  For the others, ``PINNED_MISSING`` records how many names
are still missing: the count may only go down (``test_no_names_lost``), and each has a strict
xfail that turns into a failure once the last name lands, so the pin is removed then.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

import brainunit_xp as u

DATA = Path(__file__).parent / "data"
NAMES: dict[str, list[str]] = json.loads((DATA / "brainunit-0.6.0-names.json").read_text())["names"]
TOP_UNITS = set(json.loads((DATA / "brainunit-0.6.0-reference.json").read_text())["top_units"])
#: top-level names that define units and dimensions (with the unit catalog, not the helpers)
UNIT_REGISTRY = {"add_standard_unit", "get_or_create_dimension"}


def _owner(key: str) -> Any:
    if key.startswith("class:"):
        return getattr(u, key.removeprefix("class:"))
    return importlib.import_module(f"brainunit_xp{key}")


def expected(group: str) -> list[str]:
    """brainunit's names of a group: a module or class key of the JSON, or a part of ``top``."""
    if group == "top helpers":
        return [n for n in NAMES["top"] if n not in TOP_UNITS and n not in UNIT_REGISTRY]
    if group == "top units":
        return [n for n in NAMES["top"] if n in TOP_UNITS]
    if group == "top unit registry":
        return [n for n in NAMES["top"] if n in UNIT_REGISTRY]
    return NAMES[group]


def missing(group: str) -> list[str]:
    owner = u if group.startswith("top") else _owner(group)
    return [n for n in expected(group) if not hasattr(owner, n)]


COMPLETE = ["top helpers", ".constants", ".typing", ".linalg", ".fft"]
#: names still missing per group when this was pinned
PINNED_MISSING = {
    "top units": 123,
    "top unit registry": 2,
    ".math": 147,
    ".lax": 19,
    ".autograd": 1,
    ".sparse": 7,
    "class:Quantity": 85,
    "class:Unit": 16,
}


def test_every_group_is_covered() -> None:
    keys = set(NAMES) - {"top"}
    assert keys <= set(COMPLETE) | set(PINNED_MISSING)
    top = [n for g in ("top helpers", "top units", "top unit registry") for n in expected(g)]
    assert sorted(top) == sorted(NAMES["top"])


@pytest.mark.parametrize("group", COMPLETE)
def test_complete_groups(group: str) -> None:
    assert missing(group) == []


@pytest.mark.parametrize("group", sorted(PINNED_MISSING))
def test_no_names_lost(group: str) -> None:
    assert len(missing(group)) <= PINNED_MISSING[group], missing(group)


@pytest.mark.parametrize(
    "group",
    [
        pytest.param(g, marks=pytest.mark.xfail(strict=True, reason=f"{n} of brainunit's names missing"))
        for g, n in sorted(PINNED_MISSING.items())
    ],
)
def test_pinned_groups_are_complete(group: str) -> None:
    assert missing(group) == []
