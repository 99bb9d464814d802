"""The unit rule of every function — the one table.

Each entry names the *kind* of factory that builds the function (``factories.py``, one per kind),
a typed parameter for it, the unit rule in words (shown in the docs and in ``help``) and, for the
functions that Python operators follow, the operator's symbol: the operators of ``Quantity``
(``brainunit_xp/_operators.py``) are generated from these rows.  Keys are the standard's names;
extension functions are prefixed ``linalg.`` and ``fft.``.  ``LAX_RULES`` is the same for the
``jax.lax`` wrappers of ``brainunit_xp.lax``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias

from .._binary_rules import Binary

__all__ = [
    "LAX_RULES",
    "MATH_RULES",
    "RULES",
    "Binary",
    "Control",
    "Count",
    "Factors",
    "Kind",
    "Lead",
    "Like",
    "Monoids",
    "Out",
    "Outputs",
    "Param",
    "Rule",
    "Solve",
    "Switch",
    "Update",
]


class Kind(enum.Enum):
    """Which factory builds a function (the value is the factory's name)."""

    KEEP = "keep"  # one array in, the unit of x out
    DIMENSIONLESS = "dimensionless"  # one dimensionless array in, dimensionless out
    UNITLESS = "unitless"  # one array of any unit in, dimensionless out
    POWER = "power"  # one array in, unit(x) ** param out
    BINARY = "binary"  # two arrays, combined by the binary rule param
    POW = "pow"
    PROD = "prod"
    VECTOR_NORM = "vector_norm"
    DET = "det"
    MATRIX_POWER = "matrix_power"
    CLIP = "clip"
    DIFF = "diff"
    WHERE = "where"
    TAKE = "take"
    SEQUENCE = "sequence"
    EACH = "each"
    OUTPUTS = "outputs"  # several outputs, each in the unit that param spells
    CREATION = "creation"
    FULL = "full"
    LIKE = "like"
    RANGE = "range"
    ASARRAY = "asarray"
    ASTYPE = "astype"
    FROM_DLPACK = "from_dlpack"
    FFTFREQ = "fftfreq"
    PLAIN = "plain"
    # jax.lax only (brainunit_xp/lax.py)
    STRUCTURAL = "structural"
    UPDATE = "update"
    CLAMP = "clamp"
    SELECT_N = "select_n"
    REDUCE_PROD = "reduce_prod"
    SORT = "sort"
    SORT_KEY_VAL = "sort_key_val"
    ALL_DIMENSIONLESS = "all_dimensionless"
    CONTROL = "control"
    # jax.lax (jaxonly helper)
    DECOMPOSITION = "decomposition"  # jax.lax.linalg factorizations: each output a power of unit(x)
    SOLVE = "solve"  # jax.lax.linalg solvers: unit(b) / unit(matrix)
    REFLECTORS = "reflectors"  # householder_product: scale-free reflectors, dimensionless taus
    REDUCE = "reduce"  # lax.reduce: the computations whose unit rule is known
    SCATTER_APPLY = "scatter_apply"  # func applied to elements in the unit of the operand
    ZEROS_LIKE = "zeros_like"  # zeros like x, in the unit of x or the unit asked for
    IOTA = "iota"  # counting arrays: dimensionless, or in the unit asked for
    # -- brainunit's elementwise functions, creation, einsum/einops (matha) --
    DEGREES = "degrees"  # one angle in (plain numbers in degrees, angle units converted), dimensionless out
    SAME_OUTPUTS = "same_outputs"  # two arrays, x2 converted to x1's unit; outputs in the units param spells
    VALUES = "values"  # keep; the arguments param names are values converted to the unit of x
    EINSUM = "einsum"  # operands' units multiply
    EINOPS = "einops"  # einops patterns: the unit of x, or the reduction's
    CONVERT = "convert"  # keep; brainunit's unit= option converts x to it (a plain x is taken in it)
    # -- brainunit's reductions, shapes, statistics, linalg, fft (mathb) --
    KEEP_VALUES = "keep_values"  # keep, and the keyword options that param names are values in x's unit
    MASKED = "masked"  # (condition, x): a dimensionless condition, the unit of x
    CHOOSE = "choose"
    SELECT = "select"
    EACH_ONE = "each_one"  # each array keeps its unit; one array in, one out
    BLOCK = "block"
    LEAD = "lead"  # arrays in the unit of the first; the first output in it, the others dimensionless
    GRADIENT = "gradient"
    TRAPEZOID = "trapezoid"
    AVERAGE = "average"
    INTERP = "interp"
    HISTOGRAM = "histogram"
    BINCOUNT = "bincount"
    COV = "cov"
    ALLCLOSE = "allclose"
    NORM = "norm"
    LSTSQ = "lstsq"
    MULTI_DOT = "multi_dot"


class Out(enum.Enum):
    """The unit of one output."""

    X = "unit of x"
    ONE = "dimensionless"
    FREE = "unit-free"


@dataclass(frozen=True)
class Outputs:
    """The units of a function's outputs, in order; ``dimensionless_input``: x must be dimensionless."""

    units: tuple[Out, ...]
    dimensionless_input: bool = False


class Like(enum.Enum):
    """The unit of a ``*_like`` function's result."""

    KEEP = "unit of x"
    ONE = "dimensionless"
    FILL = "unit of fill_value"


@dataclass(frozen=True)
class Update:
    """A lax update: the positional index of the update argument (1-based after the operand) and
    whether it is a dimensionless factor rather than values in the operand's unit."""

    at: int = 1
    factor: bool = False


@dataclass(frozen=True)
class Switch:
    """A boolean option of a lax decomposition (``compute_uv``) and the outputs it turns on."""

    option: str
    default: bool
    outputs: tuple[int, ...]


@dataclass(frozen=True)
class Factors:
    """A ``jax.lax.linalg`` decomposition: the unit of each output as a power of the unit of x (0:
    dimensionless), the options that switch outputs on or off, and the options brainunit lets one
    pass positionally after x."""

    powers: tuple[Fraction, ...]
    switches: tuple[Switch, ...] = ()
    positional: tuple[str, ...] = ()


@dataclass(frozen=True)
class Solve:
    """A ``jax.lax.linalg`` solver: the first ``matrix`` arrays give the matrix (converted to the unit
    of the one at ``main``), the next one the right-hand side b; the result is in unit(b) / unit(matrix)."""

    matrix: int = 1
    main: int = 0
    positional: tuple[str, ...] = ()


@dataclass(frozen=True)
class Monoids:
    """``lax.reduce``: the ``jax.lax`` computations (by name) that keep the unit of the operand and
    those that multiply it (unit to the number of reduced elements)."""

    keep: tuple[str, ...]
    multiply: tuple[str, ...]


@dataclass(frozen=True)
class Control:
    """A lax control-flow function: the positions of its scalar arguments that must be dimensionless
    (a predicate, an index, loop bounds) and of a function whose result is such a predicate."""

    scalars: tuple[int, ...] = ()
    predicate_fn: int | None = None


@dataclass(frozen=True)
class Count:
    """Which elements a product's unit counts: those reduced (and kept by a ``where`` mask), less
    the NaNs when ``nan``.  The count must be the same for every element of the result."""

    nan: bool = False


@dataclass(frozen=True)
class Lead:
    """The first ``arrays`` arguments are arrays converted to the unit of the first; the first output
    is in that unit and the others (indices, counts) are dimensionless; the keyword options named by
    ``values`` are values in that unit."""

    arrays: int = 1
    values: tuple[str, ...] = ()


Param: TypeAlias = (
    Fraction
    | Binary
    | Outputs
    | Out
    | Like
    | Update
    | Factors
    | Solve
    | Monoids
    | Control
    | Count
    | Lead
    | tuple[str, ...]
    | None
)


@dataclass(frozen=True)
class Rule:
    """One function's unit rule: its factory, parameter, the rule in words, and the Python operator
    that follows it (``"+"`` for ``add``), if any.  ``many``: the function returns a tuple of
    arrays, each in the rule's unit; ``alias``: it is another name of that standard function."""

    kind: Kind
    unit: str
    param: Param = None
    operator: str | None = None
    many: bool = False
    #: for brainunit's other names of standard functions (``arccos``): the standard name
    alias: str | None = None
    #: ``False`` where the numpy-like modules' function of that name differs from brainunit's (numpy's
    #: ``fill_diagonal`` works in place and returns ``None``): the generic composition serves every backend
    numpy_like: bool = True
    #: the function this is another spelling of (``row_stack``: ``vstack``): looked up under that name
    #: in the numpy-like module, the generic registry and the standard
    numpy_name: str | None = None
    #: numpy's keyword spellings of the standard's options (``ddof``: ``correction``), taken too
    spellings: tuple[tuple[str, str], ...] = ()


def _group(kind: Kind, unit: str, names: str, param: Param = None, many: bool = False) -> dict[str, Rule]:
    return {name: Rule(kind, unit, param, many=many) for name in names.split()}


def _ops(kind: Kind, unit: str, param: Param, pairs: str) -> dict[str, Rule]:
    """Rules of functions that operators follow: ``pairs`` is ``name:symbol`` items."""
    items = (p.split(":") for p in pairs.split())
    return {name: Rule(kind, unit, param, operator=sym) for name, sym in items}


def _outputs(*units: Out, dimensionless_input: bool = False) -> Outputs:
    return Outputs(units, dimensionless_input)


X, ONE = Out.X, Out.ONE

# Booleans never carry a unit: a function asked for a boolean result returns it dimensionless.
KEEP = "unit of x"
FREE_RULE = "unit-free (the result takes the unit of what it is combined with or assigned)"
SAME = "inputs converted to the unit of x1; result in the unit of x1"
COMPARE = "inputs converted to the unit of x1; result dimensionless"
DIMLESS = "x must be dimensionless; result dimensionless"
BOTH_DIMLESS = "x1 and x2 dimensionless; result dimensionless"
UNITLESS = "any unit; result dimensionless"
PRODUCT = "unit of x1 times unit of x2"
POW = (
    "x1 dimensionless: x2 any dimensionless array; otherwise x2 must be a concrete scalar p and the "
    "result has unit(x1)^p"
)

RULES: dict[str, Rule] = {
    # -- elementwise ---------------------------------------------------------------------------
    **_group(Kind.KEEP, KEEP, "ceil conj floor imag real round trunc"),
    **_ops(Kind.KEEP, KEEP, None, "abs:abs() negative:-x positive:+x"),
    **_group(Kind.DIMENSIONLESS, DIMLESS, "acos acosh asin asinh atan atanh cos cosh exp expm1 log log1p "
             "log2 log10 sin sinh tan tanh logical_not"),
    "bitwise_invert": Rule(Kind.DIMENSIONLESS, DIMLESS, operator="~x"),
    **_group(Kind.UNITLESS, UNITLESS, "isfinite isinf isnan sign signbit"),
    "square": Rule(Kind.POWER, "unit of x squared", Fraction(2)),
    "sqrt": Rule(Kind.POWER, "square root of the unit of x", Fraction(1, 2)),
    "reciprocal": Rule(Kind.POWER, "inverse of the unit of x", Fraction(-1)),
    **_ops(Kind.BINARY, SAME, Binary.SAME, "add:+ subtract:- remainder:%"),
    **_group(Kind.BINARY, SAME, "maximum minimum hypot", Binary.SAME),
    "nextafter": Rule(Kind.BINARY, f"{SAME} (unit-free inputs: dimensionless)", Binary.TOWARD),
    **_ops(Kind.BINARY, COMPARE, Binary.COMPARE, "less:< less_equal:<= greater:> greater_equal:>= floor_divide://"),
    **_ops(Kind.BINARY, "inputs of one dimension compared in the unit of x1; of different dimensions never "
           "equal; result dimensionless", Binary.EQUAL, "equal:== not_equal:!="),
    "atan2": Rule(Kind.BINARY, COMPARE, Binary.COMPARE),
    **_ops(Kind.BINARY, BOTH_DIMLESS, Binary.DIMENSIONLESS, "bitwise_and:& bitwise_or:| bitwise_xor:^ "
           "bitwise_left_shift:<< bitwise_right_shift:>>"),
    **_group(Kind.BINARY, BOTH_DIMLESS, "logaddexp logical_and logical_or logical_xor", Binary.DIMENSIONLESS),
    "multiply": Rule(Kind.BINARY, PRODUCT, Binary.PRODUCT, operator="*"),
    "divide": Rule(Kind.BINARY, "unit of x1 over unit of x2", Binary.QUOTIENT, operator="/"),
    "copysign": Rule(Kind.BINARY, "unit of x1 (x2 gives only its sign, in any unit)", Binary.FIRST),
    "pow": Rule(Kind.POW, POW, operator="**"),
    "clip": Rule(Kind.CLIP, "min and max converted to the unit of x; result in the unit of x"),
    # -- statistical ---------------------------------------------------------------------------
    **_group(Kind.KEEP, KEEP, "mean sum cumulative_sum"),
    "std": Rule(Kind.KEEP, KEEP, spellings=(("ddof", "correction"),)),
    **_group(Kind.KEEP_VALUES, "unit of x; initial (numpy's) converted to it", "max min", ("initial",)),
    "var": Rule(Kind.POWER, "unit of x squared", Fraction(2), spellings=(("ddof", "correction"),)),
    "prod": Rule(Kind.PROD, "unit of x to the number of reduced elements"),
    "cumulative_prod": Rule(Kind.DIMENSIONLESS, DIMLESS),
    # -- utility, searching, sorting, sets ----------------------------------------------------
    **_group(Kind.UNITLESS, UNITLESS, "all any argmax argmin argsort count_nonzero"),
    "diff": Rule(Kind.DIFF, "unit of x; prepend and append converted to it"),
    "nonzero": Rule(Kind.UNITLESS, "any unit; a tuple of dimensionless index arrays", many=True),
    "searchsorted": Rule(Kind.BINARY, "x2 converted to the unit of x1; dimensionless indices", Binary.COMPARE),
    "where": Rule(Kind.WHERE, "condition dimensionless; x1, x2 converted to the unit of x1"),
    "sort": Rule(Kind.KEEP, KEEP),
    "isin": Rule(Kind.BINARY, COMPARE, Binary.COMPARE),
    "unique_values": Rule(Kind.KEEP, KEEP),
    "unique_all": Rule(Kind.OUTPUTS, "values in the unit of x; indices, inverse_indices, counts "
                       "dimensionless", _outputs(X, ONE, ONE, ONE)),
    "unique_counts": Rule(Kind.OUTPUTS, "values in the unit of x; counts dimensionless", _outputs(X, ONE)),
    "unique_inverse": Rule(Kind.OUTPUTS, "values in the unit of x; inverse_indices dimensionless",
                           _outputs(X, ONE)),
    # -- indexing ------------------------------------------------------------------------------
    "take": Rule(Kind.TAKE, "unit of x; indices dimensionless"),
    "take_along_axis": Rule(Kind.TAKE, "unit of x; indices dimensionless"),
    # -- manipulation --------------------------------------------------------------------------
    **_group(Kind.KEEP, KEEP, "broadcast_to expand_dims flip moveaxis permute_dims reshape roll squeeze tile"),
    "unstack": Rule(Kind.KEEP, KEEP, many=True),
    "repeat": Rule(Kind.TAKE, "unit of x; repeats dimensionless"),
    **_group(Kind.SEQUENCE, "all converted to the unit of the first; result in that unit", "concat stack"),
    "broadcast_arrays": Rule(Kind.EACH, "each array keeps its own unit"),
    "broadcast_shapes": Rule(Kind.PLAIN, "no arrays: returns a shape"),
    # -- creation ------------------------------------------------------------------------------
    **_group(Kind.CREATION, "dimensionless", "eye ones", Out.ONE),
    **_group(Kind.CREATION, FREE_RULE, "empty zeros", Out.FREE),
    "full": Rule(Kind.FULL, f"unit of fill_value; a Python 0, inf or nan: {FREE_RULE}"),
    **_group(Kind.LIKE, f"unit of x; a dimensionless x: {FREE_RULE}; a boolean dtype: dimensionless",
             "empty_like zeros_like", Like.KEEP),
    "ones_like": Rule(Kind.LIKE, "dimensionless", Like.ONE),
    "full_like": Rule(Kind.LIKE, "unit of fill_value; a Python 0, inf or nan takes the unit of x (a "
                      f"dimensionless x: {FREE_RULE})", Like.FILL),
    "arange": Rule(Kind.RANGE, "unit of the first of start, stop, step with a unit; the others "
                   "converted to it", ("start", "stop", "step")),
    "linspace": Rule(Kind.RANGE, "unit of start or stop; the other converted to it", ("start", "stop")),
    "asarray": Rule(Kind.ASARRAY, "unit of obj; a sequence of quantities is converted to the unit of "
                    "its first quantity; with a boolean dtype, dimensionless"),
    "from_dlpack": Rule(Kind.FROM_DLPACK, "unit of x (plain arrays: dimensionless)"),
    "meshgrid": Rule(Kind.EACH, "each array keeps its own unit"),
    **_group(Kind.CONVERT, KEEP + "; brainunit's unit=u option: in u (x converted to it, a plain x taken in it)",
             "tril triu"),
    # -- data types ----------------------------------------------------------------------------
    "astype": Rule(Kind.ASTYPE, "unit of x; to a boolean dtype, dimensionless"),
    **_group(Kind.PLAIN, "not an array function: quantities are read for their dtype",
             "can_cast finfo iinfo isdtype result_type"),
    # -- linear algebra ------------------------------------------------------------------------
    "matmul": Rule(Kind.BINARY, PRODUCT, Binary.PRODUCT, operator="@"),
    **_group(Kind.BINARY, PRODUCT, "tensordot vecdot linalg.matmul linalg.tensordot linalg.vecdot "
             "linalg.outer linalg.cross", Binary.PRODUCT),
    **_group(Kind.KEEP, KEEP, "matrix_transpose linalg.matrix_transpose linalg.diagonal linalg.trace "
             "linalg.matrix_norm linalg.svdvals linalg.eigvalsh"),
    "linalg.vector_norm": Rule(Kind.VECTOR_NORM, "unit of x; ord=0 (the count of non-zero elements): "
                               "dimensionless"),
    "linalg.cholesky": Rule(Kind.POWER, "square root of the unit of x", Fraction(1, 2)),
    "linalg.inv": Rule(Kind.POWER, "inverse of the unit of x", Fraction(-1)),
    "linalg.pinv": Rule(Kind.POWER, "inverse of the unit of x", Fraction(-1)),
    "linalg.det": Rule(Kind.DET, "unit of x to the power n, for n x n matrices"),
    "linalg.matrix_power": Rule(Kind.MATRIX_POWER, "unit of x to the power n"),
    "linalg.matrix_rank": Rule(Kind.UNITLESS, UNITLESS),
    "linalg.slogdet": Rule(Kind.OUTPUTS, "x dimensionless; sign and logabsdet dimensionless",
                           _outputs(ONE, ONE, dimensionless_input=True)),
    "linalg.solve": Rule(Kind.BINARY, "unit of x2 over unit of x1", Binary.SOLVE),
    "linalg.svd": Rule(Kind.OUTPUTS, "U and Vh dimensionless; S in the unit of x", _outputs(ONE, X, ONE)),
    "linalg.qr": Rule(Kind.OUTPUTS, "Q dimensionless; R in the unit of x", _outputs(ONE, X)),
    "linalg.eigh": Rule(Kind.OUTPUTS, "eigenvalues in the unit of x; eigenvectors dimensionless", _outputs(X, ONE)),
    "linalg.eig": Rule(Kind.OUTPUTS, "eigenvalues in the unit of x; eigenvectors dimensionless", _outputs(X, ONE)),
    "linalg.eigvals": Rule(Kind.KEEP, KEEP),
    # -- fft -----------------------------------------------------------------------------------
    **_group(Kind.KEEP, KEEP, "fft.fft fft.ifft fft.fftn fft.ifftn fft.rfft fft.irfft fft.rfftn fft.irfftn "
             "fft.hfft fft.ihfft fft.fftshift fft.ifftshift"),
    **_group(Kind.FFTFREQ, "inverse of the unit of the sample spacing d", "fft.fftfreq fft.rfftfreq"),
}  # fmt: skip


def _aliases(pairs: str) -> dict[str, Rule]:
    """brainunit's (numpy's) other names of standard functions: ``name:standard`` items."""
    items = (p.split(":") for p in pairs.split())
    return {name: Rule(RULES[std].kind, RULES[std].unit, RULES[std].param, alias=std) for name, std in items}


# brainunit's ``math``, ``linalg`` and ``fft`` names beyond the standard's.  Where a backend has a
# module with numpy's names and semantics (``Backend.numpy_like``) the function comes from it;
# otherwise from a composition of standard functions in ``_namespace/generic/``; a backend with
# neither lacks it (the front-ends then raise BackendError naming the backends that have it).

#: numpy spellings, elementwise functions, activations, creation, helpers, windows, einsum/einops
SCALED = "x dimensionless (or converted to the unit given as unit_to_scale); result dimensionless"
CREATED = "dimensionless (or the unit given as unit=)"
EINOPS_X = "unit of x (a sequence of arrays: converted to the unit of the first, then stacked)"
_MATH_ELEMENTWISE: dict[str, Rule] = {
    **_aliases("arccos:acos arccosh:acosh arcsin:asin arcsinh:asinh arctan:atan arctanh:atanh "
               "arctan2:atan2 absolute:abs conjugate:conj power:pow true_divide:divide mod:remainder "
               "invert:bitwise_invert bitwise_not:bitwise_invert left_shift:bitwise_left_shift "
               "right_shift:bitwise_right_shift"),
    # -- elementwise ---------------------------------------------------------------------------
    **_group(Kind.KEEP, KEEP, "around rint fix fabs"),
    "modf": Rule(Kind.KEEP, "fractional and integral parts, both in the unit of x", many=True),
    **_group(Kind.BINARY, SAME, "fmax fmin fmod gcd lcm", Binary.SAME),
    "divmod": Rule(Kind.SAME_OUTPUTS, "x2 converted to the unit of x1; the quotient dimensionless, the remainder "
                   "in the unit of x1", _outputs(ONE, X)),
    "float_power": Rule(Kind.POW, POW),
    "cbrt": Rule(Kind.POWER, "cube root of the unit of x", Fraction(1, 3)),
    **_group(Kind.DIMENSIONLESS, SCALED, "exp2 sinc exprel"),
    "frexp": Rule(Kind.DIMENSIONLESS, "x dimensionless (or converted to unit_to_scale); mantissa and exponent "
                  "dimensionless", many=True),
    "ldexp": Rule(Kind.BINARY, "unit of x1; x2 dimensionless (integer exponents of 2)", Binary.FACTOR),
    "logaddexp2": Rule(Kind.BINARY, BOTH_DIMLESS, Binary.DIMENSIONLESS),
    "heaviside": Rule(Kind.BINARY, "x1 any unit (only its sign matters); x2 dimensionless; result dimensionless",
                      Binary.STEP),
    **_group(Kind.DEGREES, "x an angle in degrees: a plain number is in degrees, an angle unit (degree, "
             "arcminute, radian) is converted to degrees; result in radians, dimensionless", "deg2rad radians"),
    **_group(Kind.DIMENSIONLESS, "x an angle in radians: dimensionless (an angle unit such as degree is "
             "converted); result in degrees, dimensionless", "rad2deg degrees"),
    **_group(Kind.UNITLESS, UNITLESS, "angle isreal"),
    "nan_to_num": Rule(Kind.VALUES, "unit of x; nan, posinf and neginf converted to it",
                       ("nan", "posinf", "neginf"), numpy_like=False),  # dask's takes no nan=, posinf=, neginf=
    # -- activations ---------------------------------------------------------------------------
    **_group(Kind.KEEP, KEEP + " (positively homogeneous)", "relu leaky_relu"),
    **_group(Kind.DIMENSIONLESS, SCALED, "relu6 sigmoid softplus sparse_plus sparse_sigmoid soft_sign silu swish "
             "log_sigmoid hard_sigmoid hard_silu hard_swish hard_tanh elu celu selu gelu glu squareplus mish"),
    # -- creation ------------------------------------------------------------------------------
    "array": Rule(Kind.ASARRAY, "unit of obj, as asarray (converted to the unit given as unit=); a new array"),
    "from_numpy": Rule(Kind.CREATION, "dimensionless (or the unit given as unit=)", Out.ONE),
    **_group(Kind.CREATION, CREATED, "identity tri logspace bartlett blackman hamming hanning kaiser", Out.ONE),
    **_group(Kind.CREATION, "dimensionless indices", "tril_indices triu_indices", Out.ONE, many=True),
    **_group(Kind.UNITLESS, "any unit; a tuple of dimensionless index arrays",
             "tril_indices_from triu_indices_from diag_indices_from", many=True),
    **_group(Kind.CONVERT, KEEP + "; brainunit's unit=u option: in u (x converted to it, a plain x taken in it)",
             "diag diagflat"),
    **_group(Kind.KEEP, KEEP, "unflatten remove_diag"),
    "vander": Rule(Kind.CREATION, "x dimensionless; result dimensionless (or the unit given as unit=)", Out.ONE),
    "fill_diagonal": Rule(Kind.VALUES, "val converted to the unit of a; result in it (a new array unless "
                          "inplace=True)", ("val",), numpy_like=False),
    "promote_dtypes": Rule(Kind.EACH, "each array keeps its own unit"),
    # -- einsum and einops ---------------------------------------------------------------------
    "einsum": Rule(Kind.EINSUM, "the product of the operands' units"),
    **_group(Kind.EINOPS, EINOPS_X, "einrearrange einrepeat"),
    "einreduce": Rule(Kind.EINOPS, EINOPS_X + "; min, max, sum, mean keep it; prod: to the number of elements "
                      "reduced; any, all: dimensionless; a callable reduction: the unit it returns"),
}  # fmt: skip

#: stacking and splitting, nan-reductions, statistics, comparisons of whole arrays, linalg, fft
SEQ = "all converted to the unit of the first; result in that unit"
PIECES = "each piece in the unit of x"
NAN_KEEP = "unit of x (NaNs ignored)"
_MATH_REDUCTIONS: dict[str, Rule] = {
    **_aliases("concatenate:concat product:prod alltrue:all sometrue:any"),
    # -- stacking, splitting, shapes -----------------------------------------------------------
    **_group(Kind.SEQUENCE, SEQ, "vstack hstack dstack column_stack"),
    "row_stack": Rule(Kind.SEQUENCE, SEQ, numpy_name="vstack"),
    "block": Rule(Kind.BLOCK, "every array of the nested lists converted to the unit of the first; result in it"),
    "append": Rule(Kind.BINARY, "values converted to the unit of arr; result in it", Binary.SAME),
    **_group(Kind.KEEP, PIECES, "split array_split hsplit vsplit dsplit", many=True),
    **_group(Kind.EACH_ONE, "each array keeps its own unit", "atleast_1d atleast_2d atleast_3d"),
    **_group(Kind.KEEP, KEEP, "ravel flatten transpose swapaxes fliplr flipud rot90 diagonal trace"),
    "gather": Rule(Kind.KEEP, "unit of x; index dimensionless"),
    **_group(Kind.MASKED, "condition dimensionless; unit of x (fill_value converted to it)", "compress extract",
             ("fill_value",)),
    "choose": Rule(Kind.CHOOSE, "a dimensionless indices; choices converted to the unit of the first; result in it"),
    "select": Rule(Kind.SELECT, "conditions dimensionless; choices converted to the unit of the first, and "
                   "default (0 in any unit); result in it"),
    **_group(Kind.UNITLESS, UNITLESS, "argwhere flatnonzero"),
    "unique": Rule(Kind.LEAD, "values in the unit of x; indices, inverse and counts dimensionless",
                   Lead(1, ("fill_value",))),
    "intersect1d": Rule(Kind.LEAD, "ar2 converted to the unit of ar1; values in it, indices dimensionless", Lead(2)),
    "digitize": Rule(Kind.BINARY, "bins converted to the unit of x; dimensionless indices", Binary.COMPARE),
    "ediff1d": Rule(Kind.KEEP_VALUES, "unit of x; to_end and to_begin converted to it", ("to_end", "to_begin")),
    "gradient": Rule(Kind.GRADIENT, "unit of f over the unit of each spacing (dimensionless by default)"),
    "trapezoid": Rule(Kind.TRAPEZOID, "unit of y times the unit of x (or of dx)"),
    **_group(Kind.BINARY, PRODUCT, "cross outer inner dot vdot kron convolve correlate", Binary.PRODUCT),
    "matrix_power": Rule(Kind.MATRIX_POWER, "unit of x to the power n", numpy_name="linalg.matrix_power"),
    # -- cumulative and nan-reductions ---------------------------------------------------------
    **_group(Kind.KEEP, KEEP, "cumsum ptp median percentile quantile"),
    **_group(Kind.KEEP, NAN_KEEP, "nancumsum nanmean nansum nanstd nanmedian nanpercentile nanquantile"),
    **_group(Kind.KEEP_VALUES, "unit of x; initial converted to it", "amax amin", ("initial",)),
    **_group(Kind.KEEP_VALUES, "unit of x (NaNs ignored); initial converted to it", "nanmax nanmin", ("initial",)),
    **_group(Kind.UNITLESS, UNITLESS, "nanargmax nanargmin"),
    **_group(Kind.DIMENSIONLESS, DIMLESS + " (each element is a product of a different count)", "cumprod nancumprod"),
    "cumproduct": Rule(Kind.DIMENSIONLESS, DIMLESS, numpy_name="cumprod"),
    "nanvar": Rule(Kind.POWER, "unit of x squared (NaNs ignored)", Fraction(2)),
    "nanprod": Rule(Kind.PROD, "unit of x to the number of non-NaN elements reduced (the same for every "
                    "result element unless x is dimensionless)", Count(nan=True)),
    # -- statistics ----------------------------------------------------------------------------
    "average": Rule(Kind.AVERAGE, "unit of x; weights in any unit (returned: the sum of weights in theirs)"),
    "interp": Rule(Kind.INTERP, "xp (and period) converted to the unit of x; result in the unit of fp (left and "
                   "right converted to it)"),
    "histogram": Rule(Kind.HISTOGRAM, "counts dimensionless (in the unit of weights; with density, the inverse "
                      "of the unit of a); bin edges in the unit of a (bins and range converted to it)"),
    "bincount": Rule(Kind.BINCOUNT, "x dimensionless integers; result dimensionless, or in the unit of weights"),
    "cov": Rule(Kind.COV, "y converted to the unit of m; result in the unit of m squared (weights: fweights "
                "dimensionless, aweights any unit)", Fraction(2)),
    "corrcoef": Rule(Kind.COV, "x and y in any units; result dimensionless", Fraction(0)),
    # -- comparisons of whole arrays -----------------------------------------------------------
    **_group(Kind.ALLCLOSE, "b converted to the unit of a; rtol dimensionless; atol in the unit of a (a plain "
             "atol must be 0 unless a is dimensionless; by default 1e-8 in the unit of a); result dimensionless",
             "allclose isclose"),
    "array_equal": Rule(Kind.BINARY, COMPARE, Binary.COMPARE),
    # -- linalg ------------------------------------------------------------------------------------
    **{f"linalg.{n}": Rule(Kind.BINARY, PRODUCT, Binary.PRODUCT, numpy_name=n)
       for n in ("dot", "vdot", "inner", "kron")},
    "linalg.norm": Rule(Kind.NORM, "unit of x; ord=0 (a count of non-zero elements): dimensionless"),
    "linalg.lstsq": Rule(Kind.LSTSQ, "solution in the unit of b over the unit of a, residuals in the unit of b "
                         "squared, rank dimensionless, singular values in the unit of a"),
    **{n: Rule(Kind.MULTI_DOT, "the product of the units of the arrays", numpy_name="linalg.multi_dot")
       for n in ("multi_dot", "linalg.multi_dot")},
    "linalg.cond": Rule(Kind.UNITLESS, UNITLESS),
    "linalg.tensorinv": Rule(Kind.POWER, "inverse of the unit of x", Fraction(-1)),
    "linalg.tensorsolve": Rule(Kind.BINARY, "unit of b over unit of a", Binary.SOLVE),
    # -- fft: the DFT keeps the unit of x (brainunit multiplies by seconds) ------------------------
    **_group(Kind.KEEP, KEEP + " (as fft.fftn; brainunit multiplies it by seconds)",
             "fft.fft2 fft.ifft2 fft.rfft2 fft.irfft2"),
}  # fmt: skip

MATH_RULES: dict[str, Rule] = {**_MATH_ELEMENTWISE, **_MATH_REDUCTIONS}

ANY_DIMLESS = "every array argument dimensionless; result dimensionless"
_0, _HALF, _1 = Fraction(0), Fraction(1, 2), Fraction(1)
STRUCT = "unit of x; index arguments dimensionless"
UPDATE = "update converted to the unit of the operand; result in it"

#: ``brainunit_xp.lax`` (JAX only): the unit rules of the ``jax.lax`` wrappers, same factories plus
#: the lax ones in ``brainunit_xp/lax.py``.
LAX_RULES: dict[str, Rule] = {
    # -- elementwise ---------------------------------------------------------------------------
    **_group(Kind.KEEP, KEEP, "abs neg floor ceil round real imag conj reduce_precision stop_gradient"),
    **_group(Kind.DIMENSIONLESS, DIMLESS, "exp exp2 log log1p expm1 sin cos tan asin acos atan sinh cosh "
             "tanh asinh acosh atanh logistic erf erfc erf_inv lgamma digamma bessel_i0e bessel_i1e cumprod "
             "cumlogsumexp bitwise_not population_count clz"),
    **_group(Kind.UNITLESS, UNITLESS, "is_finite sign"),
    "square": Rule(Kind.POWER, "unit of x squared", Fraction(2)),
    "sqrt": Rule(Kind.POWER, "square root of the unit of x", Fraction(1, 2)),
    "rsqrt": Rule(Kind.POWER, "inverse square root of the unit of x", Fraction(-1, 2)),
    "cbrt": Rule(Kind.POWER, "cube root of the unit of x", Fraction(1, 3)),
    "reciprocal": Rule(Kind.POWER, "inverse of the unit of x", Fraction(-1)),
    **_group(Kind.BINARY, SAME, "add sub max min rem nextafter complex", Binary.SAME),
    **_group(Kind.BINARY, COMPARE, "eq ne lt le gt ge atan2", Binary.COMPARE),
    **_group(Kind.BINARY, PRODUCT, "mul dot dot_general batch_matmul conv conv_general_dilated "
             "conv_with_general_padding conv_transpose", Binary.PRODUCT),
    "div": Rule(Kind.BINARY, "unit of x1 over unit of x2", Binary.QUOTIENT),
    **_group(Kind.ALL_DIMENSIONLESS, ANY_DIMLESS, "bitwise_and bitwise_or bitwise_xor shift_left "
             "shift_right_arithmetic shift_right_logical igamma igammac igamma_grad_a polygamma zeta "
             "betainc random_gamma_grad"),
    "pow": Rule(Kind.POW, POW),
    "integer_pow": Rule(Kind.POW, "unit of x to the integer y"),
    "clamp": Rule(Kind.CLAMP, "clamp(min, x, max): min and max converted to the unit of x; result in it"),
    "select": Rule(Kind.WHERE, "select(pred, on_true, on_false): pred dimensionless; on_false converted "
                   "to the unit of on_true"),
    "select_n": Rule(Kind.SELECT_N, "select_n(which, *cases): which dimensionless; cases converted to "
                     "the unit of the first"),
    # -- reductions and scans ------------------------------------------------------------------
    **_group(Kind.KEEP, KEEP, "reduce_sum reduce_max reduce_min cumsum cummax cummin"),
    **_group(Kind.UNITLESS, UNITLESS, "argmax argmin reduce_and reduce_or reduce_xor"),
    "reduce_prod": Rule(Kind.REDUCE_PROD, "unit of x to the number of reduced elements"),
    **_group(Kind.OUTPUTS, "values in the unit of x; indices dimensionless", "top_k approx_max_k approx_min_k",
             _outputs(X, ONE)),
    "sort": Rule(Kind.SORT, "each operand keeps its unit"),
    "sort_key_val": Rule(Kind.SORT_KEY_VAL, "keys and values keep their units"),
    # -- structure -----------------------------------------------------------------------------
    **_group(Kind.STRUCTURAL, STRUCT, "slice slice_in_dim index_in_dim dynamic_slice dynamic_slice_in_dim "
             "dynamic_index_in_dim index_take gather rev transpose reshape broadcast broadcast_in_dim "
             "broadcast_to_rank squeeze expand_dims collapse tile convert_element_type fft psum pmean pmax "
             "pmin all_gather ppermute"),
    **_group(Kind.STRUCTURAL, "each piece in the unit of x", "split unstack", many=True),
    **_group(Kind.SEQUENCE, "all converted to the unit of the first; result in that unit", "concatenate stack"),
    **_group(Kind.UPDATE, UPDATE, "dynamic_update_slice dynamic_update_slice_in_dim "
             "dynamic_update_index_in_dim pad", Update(at=1)),
    **_group(Kind.UPDATE, UPDATE, "scatter scatter_add scatter_sub scatter_max scatter_min", Update(at=2)),
    "scatter_mul": Rule(Kind.UPDATE, "updates dimensionless; result in the unit of the operand",
                        Update(at=2, factor=True)),
    # -- creation ------------------------------------------------------------------------------
    "full": Rule(Kind.FULL, "unit of fill_value"),
    "full_like": Rule(Kind.LIKE, "unit of fill_value; a Python 0, inf or nan takes the unit of x", Like.FILL),
    **_group(Kind.IOTA, "dimensionless, or unit= (brainunit's option)", "iota broadcasted_iota"),
    "dynamic_slice_ind_dim": Rule(Kind.STRUCTURAL, f"{STRUCT} (brainunit's spelling of dynamic_slice_in_dim)",
                                  alias="dynamic_slice_in_dim"),
    "bitcast_convert_type": Rule(Kind.DIMENSIONLESS, "x must be dimensionless (the bits of a value in a unit "
                                 "are no value in that unit); result dimensionless"),
    "scatter_apply": Rule(Kind.SCATTER_APPLY, "func gets the selected elements in the unit of the operand "
                          "and must return values of its dimension; result in the unit of the operand"),
    "reduce": Rule(Kind.REDUCE, "computation add, max or min: init_values converted to the unit of x, result "
                   "in it; mul: init_values dimensionless, result unit(x) to the number of reduced elements; "
                   "any other computation, or several operands: every operand dimensionless",
                   Monoids(keep=("add", "max", "min"), multiply=("mul",))),
    "zeros_like_array": Rule(Kind.ZEROS_LIKE, f"unit of x, or unit= (of the dimension of x); a dimensionless "
                             f"x: {FREE_RULE}", alias="zeros_like"),
    "broadcast_shapes": Rule(Kind.PLAIN, "no arrays: returns a shape"),
    # -- linear algebra (jax.lax.linalg) -------------------------------------------------------
    "cholesky": Rule(Kind.DECOMPOSITION, "square root of the unit of x",
                     Factors((_HALF,), positional=("symmetrize_input",))),
    "eig": Rule(Kind.DECOMPOSITION, "eigenvalues in the unit of x; left and right eigenvectors dimensionless",
                Factors((_1, _0, _0), (Switch("compute_left_eigenvectors", True, (1,)),
                                       Switch("compute_right_eigenvectors", True, (2,))),
                        ("compute_left_eigenvectors", "compute_right_eigenvectors"))),
    "eigh": Rule(Kind.DECOMPOSITION, "(v, w): eigenvectors v dimensionless; eigenvalues w in the unit of x",
                 Factors((_0, _1), positional=("lower", "symmetrize_input", "sort_eigenvalues", "subset_by_index"))),
    "hessenberg": Rule(Kind.DECOMPOSITION, "(h, taus): h in the unit of x (its reflectors below the "
                       "subdiagonal are scale-free); taus dimensionless", Factors((_1, _0))),
    "lu": Rule(Kind.DECOMPOSITION, "(lu, pivots, permutation): lu in the unit of x; pivots and permutation "
               "dimensionless", Factors((_1, _0, _0))),
    "qdwh": Rule(Kind.DECOMPOSITION, "(u, h, num_iters, is_converged): h in the unit of x; the others "
                 "dimensionless", Factors((_0, _1, _0, _0))),
    "qr": Rule(Kind.DECOMPOSITION, "(q, r[, p]): q dimensionless; r in the unit of x; pivots p dimensionless",
               Factors((_0, _1, _0), (Switch("pivoting", False, (2,)),))),
    "schur": Rule(Kind.DECOMPOSITION, "(t, q): t in the unit of x; Schur vectors q dimensionless",
                  Factors((_1, _0), (Switch("compute_schur_vectors", True, (1,)),),
                          ("compute_schur_vectors", "sort_eig_vals", "select_callable"))),
    "svd": Rule(Kind.DECOMPOSITION, "(u, s, vh): u and vh dimensionless; singular values s in the unit of x",
                Factors((_0, _1, _0), (Switch("compute_uv", True, (0, 2)),))),
    "tridiagonal": Rule(Kind.DECOMPOSITION, "(a, d, e, taus): a, d and e in the unit of a; taus dimensionless",
                        Factors((_1, _1, _1, _0), positional=("lower",))),
    "householder_product": Rule(Kind.REFLECTORS, "a in any unit (its Householder reflectors are scale-free); "
                                "taus dimensionless; result dimensionless"),
    "triangular_solve": Rule(Kind.SOLVE, "unit of b over unit of a (either side)",
                             Solve(positional=("left_side", "lower", "transpose_a", "conjugate_a", "unit_diagonal"))),
    "tridiagonal_solve": Rule(Kind.SOLVE, "dl and du converted to the unit of d; result unit of b over unit of d",
                              Solve(matrix=3, main=1)),
    # -- control flow: Quantities are pytrees, so units flow through the carried values --------
    **_group(Kind.CONTROL, "units flow through: Quantities are pytrees with a static unit",
             "scan map associative_scan", Control()),
    **_group(Kind.CONTROL, "the predicate or index dimensionless; units flow through the operands", "cond switch",
             Control(scalars=(0,))),
    "fori_loop": Rule(Kind.CONTROL, "lower and upper dimensionless; units flow through the carried value",
                      Control(scalars=(0, 1))),
    "while_loop": Rule(Kind.CONTROL, "cond_fun returns a dimensionless predicate; units flow through the "
                       "carried value", Control(predicate_fn=0)),
}  # fmt: skip
