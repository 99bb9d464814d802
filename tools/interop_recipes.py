"""Inputs for tools/interop_report.py: data kinds, and one recipe per function.

A recipe names the data arguments by kind (a kind makes numpy values; a *scalable* kind carries a
unit in the sweep, the others are dimensionless: labels, probabilities, masks) and the call that
takes them.  Most recipes come from the signature (parameter names); ``OVERRIDES`` holds the rest.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
from array_api_compat import array_namespace


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _spd(n: int) -> np.ndarray:
    a = _rng(7).uniform(-1, 1, (n, n))
    return a @ a.T + n * np.eye(n)


def _linkage() -> np.ndarray:
    from scipy.cluster.hierarchy import linkage

    return linkage(_rng(8).uniform(0.5, 2.0, (6, 2)))


# kind -> (numpy values, scalable): scalable kinds carry a unit; the others are dimensionless
KINDS: dict[str, tuple[Callable[[], np.ndarray], bool]] = {
    "vec": (lambda: _rng(1).uniform(0.5, 2.0, 12), True),
    "vec2": (lambda: _rng(2).uniform(0.5, 2.0, 12), True),
    "vec3": (lambda: _rng(3).uniform(0.5, 2.0, 12), True),
    "u01": (lambda: _rng(4).uniform(0.1, 0.9, 12), True),
    "u01b": (lambda: _rng(5).uniform(0.1, 0.9, 12), True),
    "u01c": (lambda: _rng(6).uniform(0.1, 0.9, 12), True),
    "ints": (lambda: _rng(9).integers(1, 6, 12).astype(np.float64), True),
    "sorted": (lambda: np.sort(_rng(10).uniform(0.5, 5.0, 12)), True),
    "img": (lambda: _rng(11).uniform(0.5, 2.0, (8, 8)), True),
    "img2": (lambda: _rng(12).uniform(0.5, 2.0, (3, 3)), True),
    "mat": (lambda: _spd(4), True),
    "mat2": (lambda: _rng(13).uniform(0.5, 2.0, (4, 4)), True),
    "X": (lambda: _rng(14).uniform(0.5, 2.0, (24, 3)), True),
    "X2": (lambda: _rng(15).uniform(0.5, 2.0, (5, 3)), True),
    "Xb": (lambda: _rng(23).uniform(0.5, 2.0, (24, 3)), True),
    "pts3": (lambda: _rng(16).uniform(0.5, 2.0, (4, 3)), True),
    "y": (lambda: _rng(17).uniform(0.5, 2.0, 24), True),
    "y2": (lambda: _rng(18).uniform(0.5, 2.0, 24), True),
    "pos24": (lambda: _rng(19).uniform(0.5, 2.0, 24), True),
    "scalar": (lambda: np.asarray(1.5), True),
    "scalar2": (lambda: np.asarray(2.5), True),
    "condensed": (lambda: _rng(20).uniform(0.5, 2.0, 15), True),
    # dimensionless by nature
    "labels": (lambda: np.tile(np.arange(3), 8), False),
    "labels2": (lambda: np.roll(np.tile(np.arange(3), 8), 1), False),
    "bin": (lambda: np.tile([0, 1, 1, 0], 6), False),
    "bin2": (lambda: np.tile([0, 1, 0, 0], 6), False),
    "proba": (lambda: _rng(21).uniform(0.05, 0.95, 24), False),
    "quat": (lambda: np.array([[0.1, 0.2, 0.3, 0.9], [0.5, -0.1, 0.2, 0.8]]), False),
    "boolimg": (lambda: _rng(22).uniform(0, 1, (8, 8)) > 0.4, False),
    "labelimg": (lambda: np.repeat(np.arange(4), 16).reshape(8, 8), False),
    "p": (lambda: np.asarray([0.25, 0.5]), False),
    "Z": (_linkage, False),
    "coeffs": (lambda: np.asarray([0.2, 0.3, 0.2]), False),
    "den": (lambda: np.asarray([1.0, -0.5, 0.1]), False),
    "XP": (lambda: np.asarray(0.0), False),  # stands for the namespace itself (``xp=``)
    "sos": (lambda: np.asarray([[0.2, 0.3, 0.2, 1.0, -0.5, 0.1]]), False),
}


@dataclasses.dataclass
class Recipe:
    """How to call one function: its data arguments (kinds) and the call that takes them."""

    data: tuple[str, ...]
    call: Callable[..., Any]
    reason: str = ""  # set when the call is skipped (no recipe, too slow)

    @property
    def skipped(self) -> bool:
        return bool(self.reason)


def skip(reason: str) -> Recipe:
    return Recipe((), lambda: None, reason)


def kw(f: Callable[..., Any], *kinds: str, **kwargs: Any) -> Recipe:
    """``f(*data, **kwargs)``."""
    return Recipe(tuple(kinds), lambda *a: f(*a, **kwargs))


# parameter name -> data kind (by module family), or a plain value
DATA_NAMES = {
    "x": "vec",
    "a": "vec",
    "y": "vec2",
    "in1": "vec",
    "in2": "vec2",
    "data": "vec",
    "signal": "vec",
    "volume": "vec",
    "im": "img",
    "h": "vec2",
    "pk": "vec",
    "values": "vec",
    "scores": "vec",
    "compare": "vec2",
    "sample": "vec",
    "rvs": "vec",
    "obs": "X",
    "f_obs": "vec",
    "samples": "vec",
    "input": "img",
    "arr": "labelimg",
    "b": "coeffs",
    "mean1": "scalar",
    "std1": "scalar",
    "mean2": "scalar2",
    "std2": "scalar2",
    "lambda_": "vec",
    "nu": "vec",
    "val": "vec",
    "A": "mat",
    "B": "mat2",
    "y_true": "y",
    "y_pred": "y2",
    "X": "X",
    "Y": "X2",
    "ps": "proba",
    "pvalues": "proba",
    "events": "vec",
    "Iin": "img",
    "cj": "vec",
    "newx": "vec2",
    "dual_quat": "quat",
    "quat": "quat",
}
PLAIN = {
    "M": 8,
    "N": 3,
    "n": 2,
    "numtaps": 9,
    "window_length": 5,
    "polyorder": 2,
    "sigma": 1.0,
    "size": 3,
    "shift": 1.0,
    "zoom": 2,
    "angle": 30.0,
    "percentile": 50,
    "rank": 2,
    "order": 2,
    "filter_size": 3,
    "p": 2.0,
    "proportiontocut": 0.1,
    "lmb": 0.5,
    "beta": 2.0,
    "std": 2.0,
    "alpha": 0.5,
    "at": 50,
    "Wn": 0.3,
    "rp": 1.0,
    "rs": 30.0,
    "w0": 0.3,
    "Q": 10.0,
    "num": 16,
    "up": 2,
    "down": 1,
    "kernel_size": 3,
    "mysize": 3,
    "nobs1": 10,
    "nobs2": 12,
    "dln": 0.1,
    "mu": 0.5,
    "k_or_guess": 2,
    "k": 2,
    "t": 1.5,
    "d": 2,
    "iterations": 2,
    "structure": np.ones((3, 3), bool),
    "window": "hann",
    "Nx": 8,
    "sig": 2.0,
    "axis": -1,
}


def _auto(name: str, f: Callable[..., Any]) -> Recipe:
    try:
        sig = inspect.signature(f)
    except (TypeError, ValueError):
        return skip("no signature")
    special = name.startswith("scipy.special.") and name.count(".") == 2
    kinds: list[str] = []
    plain: dict[str, Any] = {}
    names: list[str] = []
    u01 = iter(("u01", "u01b", "u01c"))
    for p in sig.parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            kinds += ["vec", "vec2"]
            names += ["*", "*"]
            continue
        if p.default is not p.empty or p.kind is p.VAR_KEYWORD or p.name in ("self",):
            continue
        if p.kind is p.KEYWORD_ONLY:
            return skip(f"no recipe (keyword {p.name})")
        if special:
            kinds.append(next(u01, "u01c"))
            names.append(p.name)
        elif p.name in PLAIN:
            plain[p.name] = PLAIN[p.name]
        elif p.name in DATA_NAMES:
            kind = DATA_NAMES[p.name]
            if kind in kinds and kind in ("vec", "img"):
                kind = {"vec": "vec2", "img": "img2"}[kind]
            kinds.append(kind)
            names.append(p.name)
        else:
            return skip(f"no recipe (parameter {p.name})")
    if name.startswith("scipy.fft.") and ("2" in name or name.endswith("n")) and kinds == ["vec"]:
        kinds = ["img"]

    def call(*data: Any) -> Any:
        pos = [d for n, d in zip(names, data, strict=True) if True]
        if special or "*" in names:
            return f(*pos, **plain)
        return f(**dict(zip(names, data, strict=True)), **plain)

    return Recipe(tuple(kinds), call)


def recipe_for(name: str, f: Callable[..., Any]) -> Recipe:
    if name in OVERRIDES:
        return OVERRIDES[name](f)
    if name.startswith("sklearn."):
        return _sklearn(name, f)
    if name.startswith("scipy.signal.windows."):
        return _window(f)
    return _auto(name, f)


def _window(f: Callable[..., Any]) -> Recipe:
    """Windows take no array: they get the namespace as ``xp=`` and must return its arrays."""
    sig = inspect.signature(f)
    if "xp" not in sig.parameters:
        return skip("takes no array and no xp= (window length only)")
    req = [p.name for p in sig.parameters.values() if p.default is p.empty and p.name != "M"]
    extra = {n: {"a": [0.5, 0.5], "p": 1.5}.get(n, PLAIN.get(n, 1.0)) for n in req}
    return Recipe(("XP",), lambda xp: f(8, xp=xp, **extra))


# --------------------------------------------------------------------------------------------
# scikit-learn

CLASSIFICATION = {
    "accuracy_score",
    "balanced_accuracy_score",
    "cohen_kappa_score",
    "confusion_matrix",
    "zero_one_loss",
    "hamming_loss",
    "multilabel_confusion_matrix",
}
AVERAGED = {"f1_score", "fbeta_score", "jaccard_score", "precision_score", "recall_score"}
SCORES = {"average_precision_score", "det_curve", "precision_recall_curve", "roc_curve"}
PROBAS = {"brier_score_loss", "log_loss", "d2_brier_score", "d2_log_loss_score"}
PAIRED = {"paired_cosine_distances", "paired_euclidean_distances", "paired_manhattan_distances"}


def _sklearn(name: str, f: Any) -> Recipe:
    if inspect.isclass(f):
        return _estimator(name, f)
    base = name.rsplit(".", 1)[-1].split("(", maxsplit=1)[0]
    if base in CLASSIFICATION:
        return kw(f, "labels", "labels2")
    if base in AVERAGED:
        extra = {"beta": 2.0} if base == "fbeta_score" else {}
        return kw(f, "labels", "labels2", average="macro", **extra)
    if base in SCORES:
        return kw(f, "bin", "pos24")
    if base in PROBAS:
        return kw(f, "bin", "proba")
    if base in PAIRED:
        return kw(f, "X", "Xb")
    if base == "pairwise_distances_argmin":
        return kw(f, "X", "X2")
    if base.endswith(("_kernel", "_distances", "_similarity")) or base in ("pairwise_kernels", "pairwise_distances"):
        return kw(f, "X", "X2")
    return kw(f, "y", "y2")


def _estimator(name: str, cls: Any) -> Recipe:
    from sklearn.base import clone, is_classifier, is_regressor
    from sklearn.utils._test_common.instance_generator import _construct_instances

    proto = next(_construct_instances(cls))
    if "random_state" in proto.get_params():
        proto.set_params(random_state=0)
    if cls.__name__ == "LabelEncoder":
        return Recipe(("y",), lambda y: clone(proto).fit_transform(y))
    if cls.__name__ == "KernelCenterer":
        return Recipe(("mat",), lambda k: clone(proto).fit_transform(k))
    if is_classifier(proto):

        def fit_cls(X: Any, y: Any) -> Any:
            est = clone(proto).fit(X, y)
            out = [est.predict(X)]
            if hasattr(est, "predict_proba"):
                out.append(est.predict_proba(X))
            return tuple(out)

        return Recipe(("X", "labels"), fit_cls)
    if is_regressor(proto) or hasattr(proto, "predict"):
        return Recipe(("X", "y"), lambda X, y: clone(proto).fit(X, y).predict(X))
    return Recipe(("X",), lambda X: clone(proto).fit_transform(X))


# --------------------------------------------------------------------------------------------
# scipy overrides (name -> recipe factory)


def _ov() -> dict[str, Callable[[Any], Recipe]]:
    o: dict[str, Callable[[Any], Recipe]] = {}

    def add(names: str, factory: Callable[[Any], Recipe]) -> None:
        for n in names.split():
            o[n] = factory

    sp = "scipy."
    # cluster: condensed distances of 6 points, linkage matrices (dimensionless by construction)
    add(
        " ".join(
            f"{sp}cluster.hierarchy.{n}"
            for n in ["single", "complete", "average", "weighted", "centroid", "median", "ward", "linkage"]
        ),
        lambda f: kw(f, "condensed"),
    )
    for n in (
        "to_tree",
        "from_mlab_linkage",
        "to_mlab_linkage",
        "is_monotonic",
        "is_valid_linkage",
        "num_obs_linkage",
        "leaves_list",
        "maxdists",
        "inconsistent",
    ):
        add(f"{sp}cluster.hierarchy.{n}", lambda f: kw(f, "Z"))
    add(f"{sp}cluster.hierarchy.is_valid_im", lambda f: Recipe(("Z",), lambda z: f(_inconsistent(z))))
    add(f"{sp}cluster.hierarchy.maxinconsts", lambda f: Recipe(("Z",), lambda z: f(z, _inconsistent(z))))
    add(f"{sp}cluster.hierarchy.maxRstat", lambda f: Recipe(("Z",), lambda z: f(z, _inconsistent(z), 1)))
    add(f"{sp}cluster.hierarchy.cophenet", lambda f: kw(f, "Z", "condensed"))
    add(f"{sp}cluster.hierarchy.optimal_leaf_ordering", lambda f: kw(f, "Z", "condensed"))
    add(f"{sp}cluster.hierarchy.correspond", lambda f: kw(f, "Z", "condensed"))
    add(f"{sp}cluster.hierarchy.fcluster", lambda f: kw(f, "Z", t=2, criterion="maxclust"))
    add(f"{sp}cluster.hierarchy.fclusterdata", lambda f: kw(f, "X", t=2, criterion="maxclust"))
    add(f"{sp}cluster.hierarchy.leaders", lambda f: Recipe(("Z",), lambda z: f(z, _fcluster(z))))
    add(f"{sp}cluster.hierarchy.is_isomorphic", lambda f: Recipe(("Z",), lambda z: f(_fcluster(z), _fcluster(z))))
    add(f"{sp}cluster.hierarchy.dendrogram", lambda f: skip("draws a tree (returns a dict of lists)"))
    add(f"{sp}cluster.vq.vq", lambda f: Recipe(("X",), lambda x: f(x, x[:2, ...])))
    add(f"{sp}cluster.vq.kmeans", lambda f: Recipe(("X",), lambda x: f(x, x[:2, ...])))
    add(f"{sp}cluster.vq.kmeans2", lambda f: Recipe(("X",), lambda x: f(x, x[:2, ...], minit="matrix")))
    add(f"{sp}constants.convert_temperature", lambda f: kw(f, "vec", old_scale="Celsius", new_scale="Kelvin"))
    # callables
    add(f"{sp}differentiate.derivative", lambda f: Recipe(("vec",), lambda x: f(lambda t: t * t * t, x)))
    add(f"{sp}differentiate.jacobian", lambda f: Recipe(("pts3",), lambda x: f(lambda t: t * t, x[0, ...])))
    add(
        f"{sp}differentiate.hessian", lambda f: Recipe(("pts3",), lambda x: f(lambda t: (t * t * t)[0, ...], x[0, ...]))
    )
    add(f"{sp}integrate.tanhsinh", lambda f: Recipe(("scalar", "vec"), lambda a, b: f(lambda t: t * t, a, b)))
    add(f"{sp}integrate.nsum", lambda f: skip("sums over integer indices (unit-free by nature)"))
    add(f"{sp}integrate.cubature", lambda f: Recipe(("scalar", "vec"), lambda a, b: f(lambda t: t * t, a[None], b[:1])))
    add(f"{sp}integrate.qmc_quad", lambda f: skip("random quasi-Monte Carlo (rng per call)"))
    add(f"{sp}integrate.romb", lambda f: Recipe(("vec",), lambda y: f(y[:9])))
    # interpolation: build, then evaluate at new points
    add(
        f"{sp}interpolate.CubicSpline {sp}interpolate.PchipInterpolator {sp}interpolate.Akima1DInterpolator"
        f" {sp}interpolate.make_interp_spline {sp}interpolate.make_splrep {sp}interpolate.make_smoothing_spline",
        lambda f: Recipe(("sorted", "vec"), lambda x, y: f(x, y)(x[1:4] + (x[2:5] - x[1:4]) / 3)),
    )
    add(
        f"{sp}interpolate.CubicHermiteSpline",
        lambda f: Recipe(("sorted", "vec", "vec2"), lambda x, y, d: f(x, y, d)(x[1:4] + (x[2:5] - x[1:4]) / 3)),
    )
    add(
        f"{sp}interpolate.make_lsq_spline", lambda f: Recipe(("sorted", "vec"), lambda x, y: f(x, y, _knots(x))(x[1:4]))
    )
    add(f"{sp}interpolate.generate_knots", lambda f: Recipe(("sorted", "vec"), lambda x, y: list(f(x, y, s=1))[-1]))
    add(f"{sp}interpolate.make_splprep", lambda f: Recipe(("pts3",), lambda x: f(x.T)[0](x[:2, 0] * 0 + 0.5)))
    add(f"{sp}interpolate.RBFInterpolator", lambda f: Recipe(("X", "y"), lambda x, y: f(x, y)(x[:3, ...])))
    add(
        f"{sp}interpolate.PPoly {sp}interpolate.BPoly",
        lambda f: Recipe(("sorted", "img2"), lambda x, c: f(c, x[:4])(x[1:3])),
    )
    add(f"{sp}interpolate.BSpline", lambda f: Recipe(("sorted", "vec"), lambda t, c: f(t, c[:8], 3)(t[4:6])))
    add(f"{sp}interpolate.NdBSpline", lambda f: Recipe(("sorted", "vec"), lambda t, c: f((t,), c[:8], 3)(t[4:6, None])))
    add(
        f"{sp}interpolate.RegularGridInterpolator",
        lambda f: Recipe(("sorted", "vec"), lambda x, y: f((x,), y)(x[1:4, None])),
    )
    # ndimage
    for n in [
        "black_tophat",
        "white_tophat",
        "grey_closing",
        "grey_dilation",
        "grey_erosion",
        "grey_opening",
        "morphological_gradient",
        "morphological_laplace",
        "maximum_filter",
        "median_filter",
        "minimum_filter",
    ]:
        add(f"{sp}ndimage.{n}", lambda f: kw(f, "img", size=3))
    add(f"{sp}ndimage.percentile_filter", lambda f: kw(f, "img", percentile=50, size=3))
    add(f"{sp}ndimage.rank_filter", lambda f: kw(f, "img", rank=2, size=3))
    add(f"{sp}ndimage.convolve {sp}ndimage.correlate", lambda f: kw(f, "img", "img2"))
    add(f"{sp}ndimage.convolve1d {sp}ndimage.correlate1d", lambda f: kw(f, "img", "coeffs"))
    add(f"{sp}ndimage.find_objects", lambda f: kw(f, "labelimg"))
    add(f"{sp}ndimage.affine_transform", lambda f: Recipe(("img",), lambda x: f(x, np.eye(2) * 0.9)))
    add(f"{sp}ndimage.histogram", lambda f: Recipe(("img",), lambda x: f(x, x.min(), x.max(), 4)))
    add(
        f"{sp}ndimage.labeled_comprehension",
        lambda f: Recipe(("img", "labelimg"), lambda x, lab: f(x, lab, [1, 2], np.mean, float, 0.0)),
    )
    add(
        f"{sp}ndimage.map_coordinates", lambda f: Recipe(("img",), lambda x: f(x, np.asarray([[1.5, 2.0], [2.5, 3.0]])))
    )
    add(f"{sp}ndimage.watershed_ift", lambda f: skip("needs uint8/uint16 input (unit-free by nature)"))
    add(f"{sp}ndimage.value_indices", lambda f: skip("returns a dict of index arrays"))
    for n in [
        "generic_filter",
        "generic_filter1d",
        "generic_gradient_magnitude",
        "generic_laplace",
        "geometric_transform",
        "vectorized_filter",
    ]:
        add(f"{sp}ndimage.{n}", lambda f: skip("takes a Python callback (unit handling is the callback's)"))
    add(f"{sp}optimize.rosen_hess_prod", lambda f: kw(f, "vec", "vec2"))
    # signal
    add(f"{sp}signal.abcd_normalize", lambda f: kw(f, "mat", "mat2"))
    add(f"{sp}signal.convolve2d {sp}signal.correlate2d", lambda f: kw(f, "img", "img2"))
    add(f"{sp}signal.filtfilt", lambda f: Recipe(("coeffs", "den", "y"), f))
    add(f"{sp}signal.lfilter", lambda f: Recipe(("coeffs", "den", "vec"), f))
    add(f"{sp}signal.lfilter_zi", lambda f: kw(f, "coeffs", "den"))
    add(f"{sp}signal.lfiltic", lambda f: kw(f, "coeffs", "den", "vec"))
    add(f"{sp}signal.deconvolve", lambda f: kw(f, "vec", "coeffs"))
    for n in ("sosfilt", "sosfiltfilt"):
        add(f"{sp}signal.{n}", lambda f: kw(f, "sos", "y"))
    for n in ("sos2tf", "sos2zpk", "sosfilt_zi", "sosfreqz", "freqz_sos"):
        add(f"{sp}signal.{n}", lambda f: kw(f, "sos"))
    for n in (
        "zpk2sos",
        "zpk2tf",
        "freqz_zpk",
        "freqs_zpk",
        "lp2lp_zpk",
        "lp2hp_zpk",
        "lp2bp_zpk",
        "lp2bs_zpk",
        "bilinear_zpk",
    ):
        add(
            f"{sp}signal.{n}",
            lambda f, n=n: Recipe(
                ("p", "coeffs"), lambda z, pz: f(z, pz[:2] * 0.5, 1.0, **({"fs": 2.0} if n == "bilinear_zpk" else {}))
            ),
        )
    for n in ("buttord", "cheb1ord", "cheb2ord", "ellipord", "iirdesign"):
        add(f"{sp}signal.{n}", lambda f: Recipe((), lambda: f(0.2, 0.3, 1, 40)))
    add(f"{sp}signal.iirfilter", lambda f: Recipe((), lambda: f(3, 0.3, rp=1, rs=40, ftype="butter")))
    add(f"{sp}signal.iircomb", lambda f: Recipe((), lambda: f(0.25, 10.0, fs=2.0)))
    add(f"{sp}signal.gammatone", lambda f: Recipe((), lambda: f(100.0, "fir", fs=1000.0)))
    add(f"{sp}signal.firwin", lambda f: Recipe((), lambda: f(9, 0.3)))
    add(f"{sp}signal.firwin2", lambda f: Recipe((), lambda: f(9, [0.0, 0.5, 1.0], [1.0, 1.0, 0.0])))
    add(f"{sp}signal.firls", lambda f: Recipe((), lambda: f(9, [0.0, 0.3, 0.5, 1.0], [1.0, 1.0, 0.0, 0.0])))
    add(f"{sp}signal.remez", lambda f: Recipe((), lambda: f(9, [0.0, 0.2, 0.3, 0.5], [1.0, 0.0])))
    add(f"{sp}signal.envelope", lambda f: kw(f, "pos24"))
    add(f"{sp}signal.order_filter", lambda f: Recipe(("vec",), lambda x: f(x, np.ones(3), 1)))
    add(f"{sp}signal.place_poles", lambda f: skip("needs a controllable state-space system (no simple recipe)"))
    add(
        f"{sp}signal.bode {sp}signal.impulse {sp}signal.group_delay",
        lambda f: Recipe(("coeffs", "den"), lambda b, a: f((b, a))),
    )
    add(f"{sp}signal.spline_filter", lambda f: Recipe(("img",), lambda x: f(x, 5.0)))
    add(f"{sp}signal.vectorstrength", lambda f: kw(f, "vec", "scalar"))
    add(f"{sp}signal.choose_conv_method", lambda f: skip("returns a method name (str)"))
    add(f"{sp}special.multigammaln", lambda f: Recipe(("vec",), lambda a: f(a + 2, 2)))
    # spatial.transform: rotations from dimensionless quaternions, vectors in a unit
    R = f"{sp}spatial.transform.Rotation."
    for n in ("as_matrix", "as_mrp", "as_quat", "as_rotvec", "inv", "magnitude", "mean", "reduce", "__repr__"):
        add(R + n, lambda f, n=n: Recipe(("quat",), lambda q: _rot_leaves(getattr(_rot(q), n)())))
    add(R + "as_euler", lambda f: Recipe(("quat",), lambda q: _rot(q).as_euler("xyz")))
    add(R + "as_davenport", lambda f: Recipe(("quat",), lambda q: _rot(q).as_davenport(np.eye(3), "extrinsic")))
    add(R + "from_quat", lambda f: Recipe(("quat",), lambda q: _rot(q).as_quat()))
    add(R + "from_matrix", lambda f: Recipe(("quat",), lambda q: f(_rot(q).as_matrix()).as_quat()))
    add(R + "from_rotvec", lambda f: Recipe(("quat",), lambda q: f(q[:, :3]).as_quat()))
    add(R + "from_mrp", lambda f: Recipe(("quat",), lambda q: f(q[:, :3] * 0.5).as_quat()))
    add(R + "from_euler", lambda f: Recipe(("quat",), lambda q: f("xyz", q[:, :3]).as_quat()))
    add(R + "from_davenport", lambda f: Recipe(("quat",), lambda q: f(np.eye(3), "extrinsic", q[:, :3]).as_quat()))
    add(R + "apply", lambda f: Recipe(("quat", "pts3"), lambda q, v: _rot(q[:1]).apply(v)))
    add(R + "align_vectors", lambda f: Recipe(("pts3",), lambda v: f(v, v[::-1, ...])[0].as_quat()))
    add(R + "__mul__", lambda f: Recipe(("quat",), lambda q: (_rot(q) * _rot(q)).as_quat()))
    add(R + "__pow__", lambda f: Recipe(("quat",), lambda q: (_rot(q) ** 2).as_quat()))
    add(R + "__getitem__", lambda f: Recipe(("quat",), lambda q: _rot(q)[0].as_quat()))
    add(R + "__setitem__", lambda f: Recipe(("quat",), lambda q: _setitem(_rot(q), _rot(q[:1]))))
    add(R + "__iter__", lambda f: Recipe(("quat",), lambda q: [r.as_quat() for r in _rot(q)]))
    add(R + "approx_equal", lambda f: Recipe(("quat",), lambda q: _rot(q).approx_equal(_rot(q))))
    add(R + "concatenate", lambda f: Recipe(("quat",), lambda q: f([_rot(q), _rot(q)]).as_quat()))
    S = f"{sp}spatial.transform.Slerp."
    add(S + "__init__ " + S + "__call__", lambda f: Recipe(("quat", "vec"), _slerp))
    T = f"{sp}spatial.transform.RigidTransform."
    for n in ("as_matrix", "as_components", "as_exp_coords", "as_dual_quat", "inv", "mean"):
        add(T + n, lambda f, n=n: Recipe(("quat", "pts3"), lambda q, t: _rot_leaves(getattr(_rt(q, t), n)())))
    add(T + "from_translation", lambda f: Recipe(("pts3",), lambda t: f(t[:2, ...]).as_components()))
    add(T + "from_components", lambda f: Recipe(("quat", "pts3"), lambda q, t: _rt(q, t).as_components()))
    add(T + "from_rotation", lambda f: Recipe(("quat",), lambda q: f(_rot(q)).as_matrix()))
    add(T + "from_matrix", lambda f: Recipe(("quat",), lambda q: f(_rt_plain(q)).as_matrix()))
    add(T + "from_exp_coords", lambda f: Recipe(("quat",), lambda q: f(q[:, :3] * 0.5 * 0 + q[:1, :3]).as_matrix()))
    add(T + "from_dual_quat", lambda f: skip("dual quaternions mix a rotation and a translation in one array"))
    add(T + "identity", lambda f: skip("takes no array"))
    add(T + "apply", lambda f: Recipe(("quat", "pts3"), lambda q, t: _rt(q[:1], t[:1, ...]).apply(t)))
    add(T + "__mul__", lambda f: Recipe(("quat", "pts3"), lambda q, t: (_rt(q, t) * _rt(q, t)).as_components()))
    add(T + "__pow__", lambda f: Recipe(("quat", "pts3"), lambda q, t: (_rt(q, t) ** 2).as_components()))
    add(T + "__getitem__", lambda f: Recipe(("quat", "pts3"), lambda q, t: _rt(q, t)[0].as_components()))
    add(
        T + "__setitem__",
        lambda f: Recipe(("quat", "pts3"), lambda q, t: _setitem(_rt(q, t), _rt(q[:1], t[:1, ...]), True)),
    )
    add(T + "__iter__", lambda f: Recipe(("quat", "pts3"), lambda q, t: [r.as_components() for r in _rt(q, t)]))
    add(T + "concatenate", lambda f: Recipe(("quat", "pts3"), lambda q, t: f([_rt(q, t), _rt(q, t)]).as_components()))
    add(
        f"{sp}spatial.transform._rigid_transform.normalize_dual_quaternion",
        lambda f: skip("dual quaternions mix a rotation and a translation in one array"),
    )
    add(f"{sp}spatial.transform._rotation._promote", lambda f: skip("private helper"))
    # stats
    add(
        f"{sp}stats.bootstrap",
        lambda f: Recipe(("vec",), lambda x: f((x,), _mean, n_resamples=99, rng=0).standard_error),
    )
    add(
        f"{sp}stats.permutation_test",
        lambda f: Recipe(("vec", "vec2"), lambda x, y: f((x, y), _mean_diff, n_resamples=99, rng=0)),
    )
    add(f"{sp}stats.monte_carlo_test", lambda f: skip("draws plain random samples (rvs) to compare with the data"))
    add(f"{sp}stats.power", lambda f: skip("draws plain random samples (rvs)"))
    add(f"{sp}stats.ks_1samp {sp}stats.cramervonmises", lambda f: skip("takes a distribution's cdf (unit-free)"))
    add(f"{sp}stats.directional_stats", lambda f: kw(f, "pts3"))
    add(f"{sp}stats.friedmanchisquare", lambda f: kw(f, "vec", "vec2", "vec3"))
    add(f"{sp}stats.ttest_rel", lambda f: kw(f, "vec", "vec2"))
    add(f"{sp}stats.ttest_1samp", lambda f: kw(f, "vec", "scalar"))
    add(f"{sp}stats.quantile", lambda f: kw(f, "vec", "p"))
    add(f"{sp}stats._quantile._xp_searchsorted", lambda f: skip("private helper"))
    add(f"{sp}stats.combine_pvalues {sp}stats.false_discovery_control", lambda f: kw(f, "proba"))
    add(f"{sp}stats.entropy", lambda f: kw(f, "vec"))
    add(f"{sp}stats.tmin {sp}stats.tmax", lambda f: kw(f, "vec"))
    add(f"{sp}fft.fht {sp}fft.ifht", lambda f: kw(f, "vec", dln=0.1, mu=0.5))
    add(f"{sp}fft.fftfreq {sp}fft.rfftfreq", lambda f: Recipe(("scalar",), lambda d: f(8, d)))
    add(f"{sp}signal.windows.get_window", lambda f: skip("takes no array (window length only)"))
    return o


def _inconsistent(z: Any) -> Any:
    from scipy.cluster.hierarchy import inconsistent

    return inconsistent(z)


def _fcluster(z: Any) -> Any:
    from scipy.cluster.hierarchy import fcluster

    return fcluster(z, 2, criterion="maxclust")


def _knots(x: Any) -> Any:
    xp = array_namespace(x)
    return xp.concat([xp.repeat(x[:1], 4), x[5:7], xp.repeat(x[-1:], 4)])


def _rot(q: Any) -> Any:
    from scipy.spatial.transform import Rotation

    return Rotation.from_quat(q)


def _rt(q: Any, t: Any) -> Any:
    from scipy.spatial.transform import RigidTransform

    return RigidTransform.from_components(t[: q.shape[0], ...], _rot(q))


def _rt_plain(q: Any) -> Any:
    from scipy.spatial.transform import RigidTransform

    return RigidTransform.from_rotation(_rot(q)).as_matrix()


def _rot_leaves(r: Any) -> Any:
    if hasattr(r, "as_quat"):
        return r.as_quat()
    if hasattr(r, "as_components"):
        return r.as_components()
    return r


def _setitem(r: Any, other: Any, rigid: bool = False) -> Any:
    r[0] = other
    return r.as_components() if rigid else r.as_quat()


def _slerp(q: Any, t: Any) -> Any:
    from scipy.spatial.transform import Slerp

    xp = array_namespace(t)
    times = xp.stack([t[0] * 0, t[0]])
    return Slerp(times, _rot(q))(times[1:] * 0.5).as_quat()


def _mean(x: Any, axis: int = -1) -> Any:
    return array_namespace(x).mean(x, axis=axis)


def _mean_diff(x: Any, y: Any, axis: int = -1) -> Any:
    return _mean(x, axis) - _mean(y, axis)


OVERRIDES = _ov()
