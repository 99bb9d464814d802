"""ONNX export with units: a function of quantities becomes an ONNX model that records the unit of
every input and output, and runs (onnxruntime) on quantities.

:func:`export` traces ``fn`` with ndonnx (one symbolic argument per example input), checks units
while the graph is built, and records each input's and output's unit in the model — in
``metadata_props`` (``brainunit_xp.unit.<name>``) and in that value's ``doc_string``
(``unit: <unit>``).  The model computes on mantissas in those units; :func:`load` (or :func:`run`)
converts each Quantity argument to its input's unit (refusing another dimension), and wraps each
output in its unit.  Needs ``pip install "brainunit-xp[ndonnx]" onnxruntime``.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from ._backends import get_backend, to_numpy
from ._conversion import convert
from ._errors import DimensionMismatchError, UnitError
from ._quantity import Quantity, unpack, wrap
from ._units import FREE, ONE, Unit, parse_unit

__all__ = ["UNIT_KEY", "Session", "export", "load", "run", "units_of"]

#: metadata key prefix: ``brainunit_xp.unit.<value name>`` -> unit name
UNIT_KEY = "brainunit_xp.unit."
_DOC = "unit: "


def _input_names(fn: Callable[..., Any], n: int) -> list[str]:
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = []
    names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return names[:n] if len(names) >= n else [f"input{i}" for i in range(n)]


def _outputs(out: Any) -> dict[str, Quantity]:
    if isinstance(out, Mapping):
        items = {str(k): v for k, v in out.items()}
    elif isinstance(out, (tuple, list)):
        items = {f"output{i}": v for i, v in enumerate(out)}
    else:
        items = {"output": out}
    result = {}
    for name, value in items.items():
        m, unit, _ = unpack(value)  # a plain ndonnx array is dimensionless
        result[name] = wrap(m, unit, get_backend("ndonnx"))
    return result


def export(
    fn: Callable[..., Any],
    example_inputs: Sequence[Any],
    path: str | os.PathLike[str] | None = None,
    *,
    input_names: Sequence[str] | None = None,
    dynamic: bool | Sequence[Sequence[str | int | None]] = False,
) -> Any:
    """The ONNX model (``onnx.ModelProto``) of ``fn`` applied to inputs like ``example_inputs``.

    ``example_inputs`` are Quantities (or plain arrays: dimensionless) of any backend; their
    shapes, dtypes and units define the model's inputs (named after ``fn``'s parameters unless
    ``input_names`` is given).  ``fn`` returns a Quantity, a tuple/list of them (outputs
    ``output0``, ``output1`` …) or a dict (outputs named by its keys).  ``dynamic=True`` makes
    every axis of every input symbolic; or give one shape per input (``None``/a string for a
    symbolic axis).  The model is written to ``path`` when given.
    """
    import ndonnx as ndx

    names = list(input_names) if input_names is not None else _input_names(fn, len(example_inputs))
    if len(names) != len(example_inputs):
        raise TypeError(f"export: {len(names)} input names for {len(example_inputs)} example inputs")
    args, units, symbolic = [], {}, {}
    for i, (name, example) in enumerate(zip(names, example_inputs, strict=True)):
        m, unit, _ = unpack(example)
        values = np.asarray(to_numpy(m))
        if dynamic is True:
            shape: tuple[Any, ...] = tuple(f"{name}_{k}" for k in range(values.ndim))
        elif dynamic:
            shape = tuple(dynamic[i])
        else:
            shape = values.shape
        arg = ndx.argument(shape=shape, dtype=ndx.from_numpy_dtype(values.dtype))
        symbolic[name] = arg
        units[name] = unit
        args.append(wrap(arg, unit, get_backend("ndonnx")))
    outputs = _outputs(fn(*args))
    model = ndx.build(symbolic, {name: q._m for name, q in outputs.items()})
    units.update({name: q._u for name, q in outputs.items()})
    _record(model, units)
    if path is not None:
        with open(path, "wb") as f:
            f.write(model.SerializeToString())
    return model


def _record(model: Any, units: Mapping[str, Unit]) -> None:
    for value in (*model.graph.input, *model.graph.output):
        unit = units.get(value.name)
        if unit is None:
            continue
        value.doc_string = f"{_DOC}{unit.name}"
        entry = model.metadata_props.add()
        entry.key, entry.value = f"{UNIT_KEY}{value.name}", unit.name


def units_of(model: Any) -> dict[str, Unit]:
    """``{value name: unit}`` recorded in ``model`` by :func:`export`."""
    return {p.key[len(UNIT_KEY) :]: parse_unit(p.value) for p in model.metadata_props if p.key.startswith(UNIT_KEY)}


class Session:
    """An ``onnxruntime.InferenceSession`` on quantities, for a model written by :func:`export`.

    ``session.run(*args, **kwargs)`` takes the inputs by position or by name: a Quantity is
    converted to its input's recorded unit (another dimension raises
    :class:`~brainunit_xp.DimensionMismatchError`), a plain array or number is accepted for a
    dimensionless input only.  Outputs come back as numpy Quantities in their recorded units: one
    Quantity for a single output, else a tuple (or ``as_dict=True``: a dict by name).
    """

    def __init__(self, model: Any, **session_options: Any) -> None:
        import onnx
        import onnxruntime as ort

        if not isinstance(model, onnx.ModelProto):
            model = onnx.load(os.fspath(model))
        self.model = model
        self.session = ort.InferenceSession(model.SerializeToString(), **session_options)
        units = units_of(model)
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.outputs = [o.name for o in self.session.get_outputs()]
        self.input_units: dict[str, Unit] = {n: units.get(n, ONE) for n in self.inputs}
        self.output_units: dict[str, Unit] = {n: units.get(n, ONE) for n in self.outputs}
        elem = {v.name: v.type.tensor_type.elem_type for v in model.graph.input}
        self._dtypes = {n: onnx.helper.tensor_dtype_to_np_dtype(elem[n]) for n in self.inputs}

    def __repr__(self) -> str:
        ins = ", ".join(f"{n} [{u.name}]" for n, u in self.input_units.items())
        outs = ", ".join(f"{n} [{u.name}]" for n, u in self.output_units.items())
        return f"<brainunit_xp.onnx.Session ({ins}) -> ({outs})>"

    def _feed(self, name: str, value: Any) -> np.ndarray:
        m, unit, b = unpack(value)
        declared = self.input_units[name]
        if isinstance(value, Quantity) and unit is not FREE and unit.dim is not declared.dim:
            raise DimensionMismatchError(
                f"onnx input {name!r}: the model takes a quantity in {declared.name!r} ({declared.dim.describe()}); "
                f"got one in {unit.name!r} ({unit.dim.describe()}). Pass a quantity of that dimension"
            )
        if isinstance(value, Quantity):
            m = convert(m, unit, declared, b, f"onnx input {name!r}")
        elif declared.dim is not ONE.dim:
            raise UnitError(
                f"onnx input {name!r}: the model takes a quantity in {declared.name!r}; got a plain "
                f"{type(value).__name__}. Pass a Quantity (e.g. value * {declared.name})"
            )
        else:
            m = convert(m, ONE, declared, b, f"onnx input {name!r}")
        return np.asarray(to_numpy(m), dtype=self._dtypes[name])

    def run(self, *args: Any, as_dict: bool = False, **kwargs: Any) -> Any:
        if len(args) > len(self.inputs):
            raise TypeError(f"run: the model takes {len(self.inputs)} inputs, got {len(args)} positional")
        given = dict(zip(self.inputs, args, strict=False))
        for name, value in kwargs.items():
            if name not in self.input_units:
                raise TypeError(f"run: the model has no input {name!r}; its inputs are {', '.join(self.inputs)}")
            if name in given:
                raise TypeError(f"run: input {name!r} given twice")
            given[name] = value
        missing = [n for n in self.inputs if n not in given]
        if missing:
            raise TypeError(f"run: missing input(s) {', '.join(missing)}")
        feed = {name: self._feed(name, value) for name, value in given.items()}
        numpy = get_backend("numpy")
        out = {
            n: wrap(v, self.output_units[n], numpy)
            for n, v in zip(self.outputs, self.session.run(None, feed), strict=True)
        }
        if as_dict:
            return out
        return out[self.outputs[0]] if len(out) == 1 else tuple(out.values())


def load(model: Any, **session_options: Any) -> Session:
    """A :class:`Session` for ``model`` (an ``onnx.ModelProto`` or a path to one)."""
    return Session(model, **session_options)


def run(model: Any, *args: Any, **kwargs: Any) -> Any:
    """``load(model).run(*args, **kwargs)``."""
    return load(model).run(*args, **kwargs)
