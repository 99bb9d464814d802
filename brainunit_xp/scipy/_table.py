"""The unit rule of every wrapped scipy function — the one table (``brainunit_xp.scipy``).

Each entry names the *kind* of result unit (one builder per kind in ``_wrap.py``), the rule in words
(shown in the docs and in ``help``), and which parameters play which part: ``input`` gives the unit
U and the backend of the result; ``factor`` names the parameters whose unit multiplies it (weights,
sample spacing: the first one given counts); ``same`` the parameters converted to the unit of
``input`` (``cval``, a non-flat ``structure``, ``min``/``max``); ``squared`` those converted to U²;
``result`` those converted to the result's unit (``initial`` of a cumulative integral); ``angles``
those in degrees (a plain number is degrees, an angle unit is converted).  Every other parameter is
a plain number: a Quantity there must be dimensionless (pixel positions, labels, sigma, filter
coefficients, coordinates).  ``out``: the unit of each output.  Keys are scipy's qualified names
without the ``scipy.`` prefix.  Importing this module does not import scipy.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["MODULES", "RULES", "WRAPPED", "Kind", "Out", "Rule"]


class Kind(enum.Enum):
    """How the result's unit is made (the value is the builder's name in ``_wrap.py``)."""

    POWER = "power"  # unit of input ** power (the unit of input: power 1)
    PRODUCT = "product"  # unit of input times the unit of the factor
    DERIVATIVE = "derivative"  # unit of input over the unit of the factor ** deriv
    DIMENSIONLESS = "dimensionless"  # every array argument dimensionless; result dimensionless
    UNITLESS = "unitless"  # input in any unit (only where it is non-zero matters); result dimensionless
    DESIGN = "design"  # filter design: frequencies converted to the unit of fs; plain coefficients out


class Out(enum.Enum):
    """The unit of one output."""

    RESULT = "the rule's unit"  # a Quantity in the unit the kind makes
    ONE = "dimensionless"  # a dimensionless Quantity
    PLAIN = "as scipy returns it"  # ints, slices, tuples of pixel positions, filter coefficients


@dataclass(frozen=True)
class Rule:
    """One wrapped function's unit rule (see the module's docstring)."""

    kind: Kind
    unit: str
    input: str = "input"
    factor: tuple[str, ...] = ()
    same: tuple[str, ...] = ()
    squared: tuple[str, ...] = ()
    result: tuple[str, ...] = ()
    angles: tuple[str, ...] = ()
    power: Fraction = Fraction(1)
    #: the unit of the whole result (a tuple of arrays: of each), or of each element of the tuple returned
    out: Out | tuple[Out, ...] = Out.RESULT


def _group(names: str, kind: Kind, unit: str, **kw: object) -> dict[str, Rule]:
    return {name: Rule(kind, unit, **kw) for name in names.split()}  # type: ignore[arg-type]


R, ONE, PLAIN = Out.RESULT, Out.ONE, Out.PLAIN
P, K = Kind.POWER, Kind.PRODUCT
CVAL = ("cval",)
KEEP = "unit of input; cval converted to it"
WEIGHTS = "unit of input times unit of weights; cval converted to the unit of input"
MORPH = (
    "unit of input; a non-flat structure (added to the values) and cval converted to it; size and "
    "footprint dimensionless"
)
STAT = "unit of input; labels and index dimensionless"
POS = "pixel positions (as scipy returns them); input in any unit, labels and index dimensionless"
CONV = "unit of in1 times unit of in2"
FILT = "unit of x; b and a dimensionless; zi (initial conditions) converted to the unit of x, zf in it"
SOS = "unit of x; sos dimensionless; zi converted to the unit of x, zf in it"
DCT = "unit of x (as the DFT of brainunit_xp.fft: the transform keeps the unit of x)"
SPECIAL = "every argument dimensionless; result dimensionless"
INTEGRAL = "unit of y times the unit of x (or of dx)"
DESIGN = (
    "{f} converted to the unit of fs (a frequency); without fs, {f} dimensionless (normalised); "
    "coefficients as scipy returns them (numpy arrays, dimensionless)"
)
DEGREES = "x an angle in degrees (an angle unit such as radian is converted); result dimensionless"

RULES: dict[str, Rule] = {
    # -- ndimage: linear filters -----------------------------------------------------------------
    **_group("ndimage.gaussian_filter ndimage.gaussian_filter1d ndimage.uniform_filter "
             "ndimage.uniform_filter1d ndimage.sobel ndimage.prewitt ndimage.laplace ndimage.gaussian_laplace "
             "ndimage.gaussian_gradient_magnitude", P,
             KEEP + " (sigma, size and derivatives in pixels: dimensionless)", same=CVAL),
    **_group("ndimage.convolve ndimage.convolve1d ndimage.correlate ndimage.correlate1d", K, WEIGHTS,
             factor=("weights",), same=CVAL),
    **_group("ndimage.spline_filter ndimage.spline_filter1d", P, "unit of input"),
    **_group("ndimage.fourier_gaussian ndimage.fourier_uniform ndimage.fourier_ellipsoid ndimage.fourier_shift",
             P, "unit of input (a Fourier transform; sigma, size, shift dimensionless)"),
    # -- ndimage: rank filters and grey morphology ----------------------------------------------
    **_group("ndimage.median_filter ndimage.minimum_filter ndimage.minimum_filter1d ndimage.maximum_filter "
             "ndimage.maximum_filter1d ndimage.percentile_filter ndimage.rank_filter", P,
             KEEP + " (size, footprint, rank, percentile dimensionless)", same=CVAL),
    **_group("ndimage.grey_erosion ndimage.grey_dilation ndimage.grey_opening ndimage.grey_closing "
             "ndimage.morphological_gradient ndimage.morphological_laplace ndimage.white_tophat "
             "ndimage.black_tophat", P, MORPH, same=("structure", "cval")),
    **_group("ndimage.binary_erosion ndimage.binary_dilation ndimage.binary_opening ndimage.binary_closing "
             "ndimage.binary_fill_holes ndimage.binary_propagation", Kind.UNITLESS,
             "input in any unit (its non-zero elements); result dimensionless", out=ONE),
    # -- ndimage: geometric transforms ----------------------------------------------------------
    **_group("ndimage.shift ndimage.zoom ndimage.affine_transform ndimage.geometric_transform", P,
             KEEP + " (shift, zoom, matrix, offset in pixels: dimensionless)", same=CVAL),
    "ndimage.map_coordinates": Rule(P, KEEP + " (coordinates in pixels: dimensionless)", same=CVAL),
    "ndimage.rotate": Rule(P, KEEP + " (angle in degrees: a plain number is degrees, an angle unit is converted)",
                           same=CVAL, angles=("angle",)),
    # -- ndimage: measurements ------------------------------------------------------------------
    "ndimage.label": Rule(Kind.UNITLESS, "input in any unit (its non-zero elements are the features); labels "
                          "dimensionless, the number of features a Python int", out=(ONE, PLAIN)),
    "ndimage.find_objects": Rule(Kind.DIMENSIONLESS, "input dimensionless integer labels; a list of slices",
                                 out=PLAIN),
    **_group("ndimage.sum_labels ndimage.sum ndimage.mean ndimage.minimum ndimage.maximum ndimage.median "
             "ndimage.standard_deviation", P, STAT),
    "ndimage.variance": Rule(P, "unit of input squared; labels and index dimensionless", power=Fraction(2)),
    **_group("ndimage.center_of_mass ndimage.minimum_position ndimage.maximum_position", Kind.UNITLESS, POS,
             out=PLAIN),
    "ndimage.extrema": Rule(P, "minimum and maximum in the unit of input, their positions as scipy returns them",
                            out=(R, R, PLAIN, PLAIN)),
    "ndimage.histogram": Rule(Kind.UNITLESS, "min and max converted to the unit of input; counts dimensionless",
                              same=("min", "max"), out=ONE),
    # -- fft: real trigonometric transforms -----------------------------------------------------
    **_group("fft.dct fft.idct fft.dst fft.idst fft.dctn fft.idctn fft.dstn fft.idstn", P, DCT, input="x"),
    # -- signal: convolution, filtering ---------------------------------------------------------
    **_group("signal.convolve signal.correlate signal.fftconvolve signal.oaconvolve", K, CONV, input="in1",
             factor=("in2",)),
    **_group("signal.convolve2d signal.correlate2d", K, CONV + "; fillvalue converted to the unit of in1",
             input="in1", factor=("in2",), same=("fillvalue",)),
    "signal.upfirdn": Rule(K, "unit of x times unit of h; cval converted to the unit of x", input="x",
                           factor=("h",), same=CVAL),
    "signal.lfilter": Rule(P, FILT, input="x", same=("zi",)),
    "signal.filtfilt": Rule(P, "unit of x; b and a dimensionless", input="x"),
    "signal.sosfilt": Rule(P, SOS, input="x", same=("zi",)),
    "signal.sosfiltfilt": Rule(P, "unit of x; sos dimensionless", input="x"),
    **_group("signal.lfilter_zi signal.sosfilt_zi", Kind.DIMENSIONLESS,
             "coefficients dimensionless; the step-response state dimensionless (scale it by x[0])",
             input="b", out=ONE),
    "signal.detrend": Rule(P, "unit of data; breakpoints bp dimensionless indices", input="data"),
    "signal.medfilt": Rule(P, "unit of volume; kernel_size dimensionless", input="volume"),
    "signal.medfilt2d": Rule(P, "unit of input; kernel_size dimensionless"),
    "signal.order_filter": Rule(P, "unit of a; domain and rank dimensionless", input="a"),
    "signal.wiener": Rule(P, "unit of im; noise (a power) converted to the unit of im squared", input="im",
                          squared=("noise",)),
    "signal.savgol_filter": Rule(Kind.DERIVATIVE, "unit of x over the unit of delta to the power deriv; cval "
                                 "converted to the unit of x", input="x", factor=("delta",), same=CVAL),
    **_group("signal.hilbert signal.hilbert2", P, "unit of x (the analytic signal)", input="x"),
    "signal.decimate": Rule(P, "unit of x; q dimensionless", input="x"),
    "signal.resample_poly": Rule(P, "unit of x; up, down, window dimensionless; cval converted to the unit of x",
                                 input="x", same=CVAL),
    # -- signal: filter design (frequencies in the unit of fs) ----------------------------------
    **_group("signal.butter signal.bessel signal.cheby1 signal.cheby2 signal.ellip signal.iirfilter", Kind.DESIGN,
             DESIGN.format(f="Wn"), input="fs", same=("Wn",), out=PLAIN),
    "signal.firwin": Rule(Kind.DESIGN, DESIGN.format(f="cutoff and width"), input="fs", same=("cutoff", "width"),
                          out=PLAIN),
    **_group("signal.iirnotch signal.iirpeak", Kind.DESIGN, DESIGN.format(f="w0"), input="fs", same=("w0",),
             out=PLAIN),
    # -- special: dimensionless functions (numpy fallbacks of scipy's array-API dispatch) ------
    **_group("special.erf special.erfc special.erfcx special.erfinv special.erfcinv special.gamma "
             "special.gammaln special.loggamma special.rgamma special.gammasgn special.digamma special.psi "
             "special.expit special.logit special.log_expit special.log_ndtr special.ndtr special.ndtri "
             "special.xlogy special.xlog1py special.entr special.rel_entr special.kl_div special.exp1 "
             "special.expi special.exp2 special.exp10 special.exprel special.expn special.cosm1 special.sinc "
             "special.i0 special.i0e special.i1 special.i1e special.k0 special.k0e special.k1 special.k1e "
             "special.j0 special.j1 special.y0 special.y1 special.yn special.jv special.yv special.iv "
             "special.kv special.gammainc special.gammaincc special.gammaincinv special.gammainccinv "
             "special.beta special.betaln special.betainc special.betaincc special.betaincinv special.binom "
             "special.poch special.polygamma special.multigammaln special.zeta special.zetac special.spence "
             "special.ellipk special.ellipkm1 special.hyp1f1 special.lpmv special.boxcox special.boxcox1p "
             "special.inv_boxcox special.inv_boxcox1p special.logsumexp special.softmax special.log_softmax",
             Kind.DIMENSIONLESS, SPECIAL, input="x", out=ONE),
    **_group("special.sindg special.cosdg special.tandg special.cotdg", Kind.DIMENSIONLESS, DEGREES, input="x",
             angles=("x",), out=ONE),
    "special.cbrt": Rule(P, "cube root of the unit of x", input="x", power=Fraction(1, 3)),
    **_group("special.huber special.pseudo_huber", P, "r converted to the unit of delta; result in the unit of "
             "delta squared", input="delta", same=("r",), power=Fraction(2)),
    # -- integrate ------------------------------------------------------------------------------
    **_group("integrate.trapezoid integrate.simpson", K, INTEGRAL, input="y", factor=("x", "dx")),
    **_group("integrate.cumulative_trapezoid integrate.cumulative_simpson", K,
             INTEGRAL + "; initial converted to the result's unit", input="y", factor=("x", "dx"),
             result=("initial",)),
    "integrate.romb": Rule(K, "unit of y times the unit of dx", input="y", factor=("dx",)),
}  # fmt: skip

#: the wrapped scipy modules, in the order the docs list them
MODULES = ("ndimage", "fft", "signal", "special", "integrate")

#: every wrapped function by scipy's qualified name (``"scipy.ndimage.gaussian_filter"``): its rule;
#: the function is ``brainunit_xp.<name>`` (``brainunit_xp.scipy.ndimage.gaussian_filter``)
WRAPPED: dict[str, Rule] = {f"scipy.{name}": rule for name, rule in RULES.items()}
