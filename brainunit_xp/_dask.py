"""dask integration: a Quantity with a dask mantissa is a dask collection.

The functions here are the Quantity's dask methods (``Quantity.__dask_graph__ = graph`` …): they
delegate to the mantissa's own collection protocol and put the unit back on what comes out, so
``dask.compute``, ``dask.persist``, ``dask.optimize``, ``dask.delayed`` and a distributed
``Client`` handle quantities as they handle dask arrays.  A Quantity of any other backend is not
a collection: :func:`graph` returns ``None``, which is how dask tells (``is_dask_collection``).

The graph is the mantissa's own: units are checked while it is built, and add no task.  Nothing
here imports dask before a dask Quantity exists.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._backends import get_backend, is_dask_array
from ._errors import BackendError, UnitError
from ._units import Unit, parse_unit

if TYPE_CHECKING:
    from ._quantity import Quantity

__all__ = [
    "UNIT_ATTRIBUTE",
    "chunks",
    "compute",
    "from_zarr",
    "graph",
    "keys",
    "layers",
    "optimize",
    "persist",
    "postcompute",
    "postpersist",
    "rechunk",
    "scheduler",
    "to_zarr",
    "tokenize",
]

#: the zarr array attribute that holds the unit's name
UNIT_ATTRIBUTE = "brainunit_xp.unit"


def _mantissa(q: Quantity) -> Any:
    m = q._m
    return m if q._b is not None and q._b.name == "dask" and is_dask_array(m) else None


def _needs_dask(q: Quantity, op: str) -> Any:
    m = _mantissa(q)
    if m is None:
        raise BackendError(f"{op}: needs a dask Quantity, got one of the {q.backend} backend; call .to_dask() first")
    return m


# -- the collection protocol ------------------------------------------------------------------------


def graph(q: Quantity) -> Mapping[Hashable, Any] | None:
    """The task graph of the mantissa; ``None`` (not a dask collection) for other backends."""
    m = _mantissa(q)
    return None if m is None else m.__dask_graph__()


def keys(q: Quantity) -> Sequence[Hashable]:
    return _needs_dask(q, "__dask_keys__").__dask_keys__()


def layers(q: Quantity) -> Sequence[str]:
    return _needs_dask(q, "__dask_layers__").__dask_layers__()


def tokenize(q: Quantity) -> Hashable:
    """Deterministic token: the mantissa's and the unit's (two units of one scale and dimension
    but different names tokenize differently, as they print differently)."""
    from dask.base import normalize_token

    u = q._u
    return ("brainunit_xp.Quantity", normalize_token(q._m), u.name, u.scale, tuple(u.dim.exponents))


def postcompute(q: Quantity) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    finalize, args = _needs_dask(q, "__dask_postcompute__").__dask_postcompute__()
    return _finalize, (finalize, args, q._u)


def postpersist(q: Quantity) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    rebuild, args = _needs_dask(q, "__dask_postpersist__").__dask_postpersist__()
    return _rebuild, (rebuild, args, q._u)


def _finalize(results: Any, finalize: Callable[..., Any], args: tuple[Any, ...], unit: Unit) -> Quantity:
    from ._quantity import Quantity

    return Quantity(finalize(results, *args), unit)


def _rebuild(
    dsk: Mapping[Hashable, Any],
    rebuild: Callable[..., Any],
    args: tuple[Any, ...],
    unit: Unit,
    *,
    rename: Mapping[str, str] | None = None,
) -> Quantity:
    from ._quantity import wrap

    return wrap(rebuild(dsk, *args, rename=rename), unit, get_backend("dask"))


def optimize(dsk: Mapping[Hashable, Any], keys: Sequence[Hashable], **kwargs: Any) -> Mapping[Hashable, Any]:
    """dask.array's graph optimization (a dask Quantity's graph is a dask array's)."""
    from dask.array.optimization import optimize as array_optimize

    return array_optimize(dsk, keys, **kwargs)


def scheduler(dsk: Mapping[Hashable, Any], keys: Sequence[Hashable], **kwargs: Any) -> Any:
    """dask.array's default scheduler: the threaded one."""
    from dask.threaded import get

    return get(dsk, keys, **kwargs)  # type: ignore[arg-type]


# -- dask methods ------------------------------------------------------------------------------------


def compute(q: Quantity, **kwargs: Any) -> Quantity:
    """``dask.compute(q)``: a numpy Quantity with the same unit (other backends: ``q`` itself,
    as ``dask.compute`` returns what is not a collection)."""
    if _mantissa(q) is None:
        return q
    import dask

    return dask.compute(q, **kwargs)[0]


def persist(q: Quantity, **kwargs: Any) -> Quantity:
    """``dask.persist(q)``: a dask Quantity whose chunks are computed (held in memory, or by the
    cluster with a distributed client); other backends: ``q`` itself."""
    if _mantissa(q) is None:
        return q
    import dask

    return dask.persist(q, **kwargs)[0]


def rechunk(q: Quantity, chunks: Any = "auto", **kwargs: Any) -> Quantity:
    """The dask Quantity split into new ``chunks`` (``dask.array.Array.rechunk``'s arguments)."""
    from ._quantity import wrap

    return wrap(_needs_dask(q, "rechunk").rechunk(chunks, **kwargs), q._u, q._b)


def chunks(q: Quantity) -> tuple[tuple[int, ...], ...]:
    m = _mantissa(q)
    if m is None:  # an AttributeError: ``hasattr(q, "chunks")`` is how libraries probe for dask-likes
        raise AttributeError(f"'chunks': a {q.backend} Quantity has no chunks (only dask quantities do)")
    return m.chunks


# -- zarr --------------------------------------------------------------------------------------------


def to_zarr(q: Quantity, url: Any, component: str | None = None, **kwargs: Any) -> Any:
    """Store a dask Quantity's mantissa in a zarr array (``dask.array.to_zarr``'s arguments) with
    its unit in the array's attributes (``"brainunit_xp.unit"``); computes it.

    Returns what ``dask.array.to_zarr`` returns (``None`` when it computes)."""
    import dask.array as da

    out = da.to_zarr(_needs_dask(q, "to_zarr"), url, component=component, **kwargs)
    _zarr_array(url, component, "r+").attrs[UNIT_ATTRIBUTE] = q._u.name
    return out


def from_zarr(url: Any, component: str | None = None, **kwargs: Any) -> Quantity:
    """A dask Quantity from a zarr array written by :func:`to_zarr` (``dask.array.from_zarr``'s
    arguments); an array without a recorded unit is refused (pass it to ``Quantity`` yourself)."""
    import dask.array as da

    from ._quantity import wrap

    m = da.from_zarr(url, component=component, **kwargs)
    name = _zarr_array(url, component, "r").attrs.get(UNIT_ATTRIBUTE)
    if name is None:
        raise UnitError(
            f"from_zarr: the zarr array at {url!r} records no unit (attribute {UNIT_ATTRIBUTE!r}); read it "
            f"with dask.array.from_zarr and wrap it: Quantity(array, unit)"
        )
    return wrap(m, parse_unit(name), get_backend("dask"))


def _zarr_array(url: Any, component: str | None, mode: str) -> Any:
    import zarr

    if isinstance(url, zarr.Array):
        return url
    return zarr.open_array(store=url, path=component or "", mode=mode)
