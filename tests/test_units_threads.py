"""Interning is atomic under threads, and derived units do not pile up in memory."""

from __future__ import annotations

import gc
import sys
import threading
import tracemalloc
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from itertools import count

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import brainunit_xp as u
from brainunit_xp import Dimension, Unit
from brainunit_xp._units.dimension import CACHE_LIMIT

THREADS = 8
_fresh = count(1)


@contextmanager
def switch_often() -> Iterator[None]:
    """Make the interpreter switch threads every microsecond, so races show up."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def in_threads(build: Callable[[], object]) -> list[object]:
    """``build()`` in :data:`THREADS` threads released at the same moment."""
    barrier = threading.Barrier(THREADS)
    results: list[object] = [None] * THREADS
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            barrier.wait()
            results[i] = build()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    with switch_often():
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if errors:
        raise errors[0]
    return results


# A unit expression: a tree of catalog units combined with *, / and rational powers.  Each
# example gets exponents with a fresh denominator, so its units have never been made before.
ATOMS = ["meter", "second", "kilogram", "mV", "ms", "cmeter", "nS", "kHz", "inch", "joule", "mole", "liter"]
Expr = tuple


def exprs() -> st.SearchStrategy[Expr]:
    atom = st.sampled_from(ATOMS)
    leaf = st.one_of(
        atom.map(lambda n: ("atom", n)),
        st.tuples(st.just("pow"), atom, st.integers(-7, 7).filter(bool)),
    )
    return st.recursive(
        leaf,
        lambda sub: st.tuples(st.sampled_from(["mul", "div"]), sub, sub),
        max_leaves=5,
    )


def build(expr: Expr, den: int) -> Unit:
    kind = expr[0]
    if kind == "atom":
        return getattr(u, expr[1])
    if kind == "pow":
        return getattr(u, expr[1]) ** Fraction(expr[2], den)
    a, b = build(expr[1], den), build(expr[2], den)
    return a * b if kind == "mul" else a / b


@settings(max_examples=25, deadline=None)
@given(exprs(), st.integers(0, 10**6))
def test_units_built_concurrently_are_identical_and_add(expr: Expr, salt: int) -> None:
    den = 1009 + (next(_fresh) * 7919 + salt) % 10**5  # new exponents: nothing is cached yet
    units = in_threads(lambda: build(expr, den))
    first = units[0]
    assert all(unit is first for unit in units), {str(x) for x in units}
    assert all(unit.dim is first.dim for unit in units)  # type: ignore[attr-defined]
    total = 1.0 * units[1] + 1.0 * units[2]  # raised "incompatible units 'X' and 'X'" before
    assert total.unit is first
    assert float(total.mantissa) == 2.0


def test_the_reported_race_is_gone() -> None:
    for k in range(30):
        p = Fraction(279 + 97 * 1000 + k, 97)
        units = in_threads(lambda p=p: u.meter**p * u.second)
        assert all(x is units[0] for x in units)
        assert (1.0 * units[0] + 1.0 * units[-1]).unit is units[0]


def test_dimensions_and_named_units_made_concurrently_are_identical() -> None:
    for k in range(20):
        exps = (Fraction(1, 3001 + k), 0, Fraction(-2, 3001 + k), 0, 0, 0, 0)
        dims = in_threads(lambda exps=exps: Dimension(exps))
        assert all(d is dims[0] for d in dims)
        made = in_threads(lambda k=k: Unit(u.meter.dim, scale=k, factor=1.5))
        assert all(x is made[0] for x in made)
        parsed = in_threads(lambda k=k: u.parse_unit(f"kg^({k}/4001) * um^(-{k + 1}/4001)"))
        assert all(x is parsed[0] for x in parsed)


def test_derived_units_do_not_stay_alive() -> None:
    """20k distinct exponents: the registry and memory go back to where they were."""
    gc.collect()
    units_before, dims_before = len(Unit._interned), len(Dimension._interned)
    for k in range(1, 20_001):
        x = u.meter ** Fraction(k, 97) * u.second
    del x
    gc.collect()
    # the caches of the catalog units (bounded) may keep the last few hundred alive
    assert len(Unit._interned) - units_before <= 4 * CACHE_LIMIT
    assert len(Dimension._interned) - dims_before <= 4 * CACHE_LIMIT
    tracemalloc.start()  # and the memory they held is given back: 5000 more would hold ~17 MiB
    try:
        start = tracemalloc.get_traced_memory()[0]
        for k in range(20_001, 25_001):
            x = u.meter ** Fraction(k, 97) * u.second
        del x
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    assert grown < 3 * 2**20, f"{grown / 2**20:.1f} MiB still held"  # at most the bounded caches


def test_a_cache_entry_keeps_its_key_alive_so_ids_are_never_reused() -> None:
    """``m._mul`` is keyed by ``id(other)``: while an entry exists, ``other`` must live, or a new
    unit reusing its id would find the dead one's product."""
    m = u.meter
    x = u.second ** Fraction(1, 7919)
    product = m * x
    ref, key = weakref.ref(x), id(x)
    del x, product
    gc.collect()
    assert ref() is not None and m._mul[key] is m * ref()  # kept alive by the cache entry
    for k in range(CACHE_LIMIT + 1):  # fill the cache: it is cleared, the entry goes
        m * u.second ** Fraction(k + 1, 7907)
    gc.collect()
    assert ref() is None
    assert key not in m._mul or m._keep[key] is not None
    for k in range(2000):  # whatever now reuses that id gets its own, correct product
        y = u.kelvin ** Fraction(k + 1, 7901)
        assert (m * y).dim is m.dim * y.dim
        assert (m * y).name == f"m * K^({k + 1}/7901)"


@pytest.mark.parametrize("limit", [CACHE_LIMIT])
def test_per_unit_caches_are_bounded(limit: int) -> None:
    s = u.second
    for k in range(3 * limit):
        s * u.meter ** Fraction(k + 1, 7883)
        s ** Fraction(k + 1, 7877)
    assert len(s._mul) <= limit and len(s._keep) <= limit and len(s._pow) <= limit
    assert set(s._mul) <= set(s._keep)
