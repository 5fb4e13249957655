"""A surface typed as f(x, y) = text: safe parsing, exact gradients, a located minimum.

Parsing and its limits live in ``formula_parse`` (the text is only read, never
run), closures and forward-mode gradients in ``formula_compile``, the named
classics in ``formula_gallery``. This module turns a text and a view box into
a ``Surface`` that works wherever a built-in one does.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache

import numpy as np

from surfaces.base import Box, Surface
from surfaces.formula_compile import MATH, NUMPY, dual_function, value_function
from surfaces.formula_gallery import GALLERY, GalleryEntry
from surfaces.formula_messages import Ref
from surfaces.formula_parse import (
    ALLOWED_CONSTANTS,
    ALLOWED_FUNCTIONS,
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NODES,
    MAX_PAREN_DEPTH,
    FormulaError,
    _error,
    parse_formula,
    to_text,
)

__all__ = [
    "ALLOWED_CONSTANTS", "ALLOWED_FUNCTIONS", "DEFAULT_VIEW", "GALLERY", "MAX_DEPTH", "MAX_EXPONENT",
    "MAX_LENGTH", "MAX_NODES", "MAX_PAREN_DEPTH", "FormulaError", "GalleryEntry", "formula_in_view_problem",
    "formula_surface", "gallery_surface", "normalize_formula", "parse_formula",
]

DEFAULT_VIEW = Box(-3.0, 3.0, -3.0, 3.0)
MIN_FINITE = 0.5  # the share of the view where f must be a finite number
CHECK_GRID = 101  # odd, so a symmetric view samples its centre
MINIMUM_GRID = 201
LOG_DECADES = 1.8
TIE_GRID = 1e-15  # grid values this share of the spread above the lowest tie with it (rounding only)
TIE_VALUE = 1e-9  # refined minima this share of the spread apart tie (L-BFGS-B stops about there)
TIE_CELLS = 4  # tied grid points spanning more cells than this are a line or a floor, not a point
MAX_TIED = 200  # more tied grid points than this are a floor whatever their shape
MINIMUM_CANDIDATES = 8  # grid minima refined: so many tied isolated minima can all be marked
_ERRORS = (ArithmeticError, ValueError)  # what math raises on overflow and outside a domain
_NAN2 = (math.nan, math.nan)


def normalize_formula(text: str) -> str:
    """The canonical text of a valid formula ('^' for powers, even spacing); raises FormulaError."""
    return to_text(parse_formula(text))


def formula_surface(text: str, view: Box | None = None) -> Surface:
    """The Surface of f(x, y) = ``text`` over ``view`` (DEFAULT_VIEW if None); raises FormulaError."""
    if not isinstance(text, str):
        raise _error("formula.not_text", type=type(text).__name__)
    return _formula_surface(text, _checked_view(view))


def _checked_view(view) -> Box:
    if view is None:
        return DEFAULT_VIEW
    try:
        box = Box(*(float(v) for v in view))
    except (TypeError, ValueError):
        raise _error("formula.view_numbers") from None
    if not all(math.isfinite(v) for v in box) or box.x_min >= box.x_max or box.y_min >= box.y_max:
        raise _error("formula.view_order")
    return box


@lru_cache(maxsize=64)
def _formula_surface(text: str, view: Box) -> Surface:
    tree = parse_formula(text)
    formula = to_text(tree)
    value, grad, scalar_value, scalar_grad = _functions(tree)
    z = _grid_values(value, view, CHECK_GRID)
    problem = _finite_problem(z, formula, view)
    if problem:
        raise FormulaError(problem.text("en"), ref=problem)
    minima = _global_minimum(value, scalar_value, scalar_grad, view)
    return Surface(
        name="formula",
        label=f"f(x, y) = {formula}",
        formula=formula,
        value=value,
        grad=grad,
        view=view,
        minima=minima,
        start=_start(formula, view, minima, scalar_grad),
        log_levels=_spans_decades(z, minima, scalar_value),
        description="A surface typed as a formula.",
    )


def gallery_surface(entry: GalleryEntry) -> Surface:
    """A gallery function as a named surface, with its known minima (no numeric search)."""
    tree = parse_formula(entry.formula)
    formula = to_text(tree)
    value, grad, scalar_value, _ = _functions(tree)
    minima = (tuple(entry.known_minimum), *map(tuple, entry.other_minima))
    return Surface(
        name=entry.name,
        label=entry.label,
        formula=formula,
        value=value,
        grad=grad,
        view=entry.view,
        minima=minima,
        start=tuple(entry.start),
        log_levels=_spans_decades(_grid_values(value, entry.view, CHECK_GRID), minima, scalar_value),
        description=f"{entry.label}'s test function, typed as a formula: edit it to make your own.",
    )


def _functions(tree):
    """value(x, y, xp=np) and grad(x, y, xp=np) that never raise, and the scalar closures they use."""
    value_m, value_np = value_function(tree, MATH), value_function(tree, NUMPY)
    dual_m, dual_np = dual_function(tree, MATH), dual_function(tree, NUMPY)

    def scalar_value(x, y):
        try:
            return value_m(x, y)
        except _ERRORS:
            return math.nan

    def scalar_grad(x, y):
        try:
            _, gx, gy = dual_m(x, y)
            return gx, gy
        except _ERRORS:
            return _NAN2

    def value(x, y, xp=np):
        if xp is math:
            return scalar_value(x, y)
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        with np.errstate(all="ignore"):
            return _shaped(value_np(x, y), x, y)

    def grad(x, y, xp=np):
        if xp is math:
            return scalar_grad(x, y)
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        with np.errstate(all="ignore"):
            _, gx, gy = dual_np(x, y)
            return _shaped(gx, x, y), _shaped(gy, x, y)

    return value, grad, scalar_value, scalar_grad


def _shaped(v, x, y):
    """v as a float array of the inputs' broadcast shape (a constant term is a scalar), or a float64."""
    shape = np.broadcast_shapes(x.shape, y.shape)
    if not shape:
        return np.float64(v)
    return np.broadcast_to(np.asarray(v, dtype=float), shape).copy()


def _grid_values(value, view: Box, n: int):
    xs = np.linspace(view.x_min, view.x_max, n)
    ys = np.linspace(view.y_min, view.y_max, n)
    gx, gy = np.meshgrid(xs, ys)
    return gx, gy, value(gx, gy)


def _finite_problem(z, formula: str, view: Box) -> Ref | None:
    share = 1.0 - float(np.mean(np.isfinite(z[2])))
    if share <= 1.0 - MIN_FINITE:
        return None
    limits = dict(zip(("x_min", "x_max", "y_min", "y_max"), (f"{v:g}" for v in view)))
    box = Ref("formula.box", limits)
    return Ref("formula.not_finite", {"formula": formula, "share": f"{100 * share:.3g}%", "box": box})


def formula_in_view_problem(surface: Surface, view: Box, lang: str = "en") -> str | None:
    """A sentence (in ``lang``) when ``surface`` is not a finite number over most of ``view``, else None."""
    problem = _finite_problem(_grid_values(surface.value, _checked_view(view), CHECK_GRID), surface.formula, view)
    return None if problem is None else problem.text(lang)


def _global_minimum(value, scalar_value, scalar_grad, view: Box) -> tuple[tuple[float, float], ...]:
    """The lowest points inside the view: the grid's lowest local minima, refined by L-BFGS-B.

    SciPy's L-BFGS-B (bounded, using the exact gradient) is a well-kept
    refinement that also handles narrow curved valleys. A point that ends on
    the view's edge is not a minimum inside the view, so () is returned. Where
    the lowest value is a line or a floor (grid points tied with it over more
    than TIE_CELLS cells, or two lowest points joined by a floor), any one point
    of it would be an arbitrary choice, so () as well; a few isolated points
    that tie (x^4 - 2*x^2 + y^2, Himmelblau) are all returned, lowest first.
    """
    from scipy.optimize import minimize  # imported here: only formula surfaces need SciPy

    gx, gy, z = _grid_values(value, view, MINIMUM_GRID)
    finite = np.where(np.isfinite(z), z, np.inf)
    if not np.isfinite(finite).any():
        return ()
    low = float(finite.min())
    spread = float(finite[np.isfinite(finite)].max()) - low
    if _lowest_is_a_line_or_floor(finite, low, spread):
        return ()
    found = []
    for i, j in _candidates(finite, MINIMUM_CANDIDATES):
        p0 = np.array([gx[i, j], gy[i, j]])
        (x, y), f = _refine(minimize, scalar_value, scalar_grad, p0, float(finite[i, j]), view)
        found.append((f, not _inside(x, y, view), float(x), float(y)))
    found.sort()
    f_low = found[0][0]
    tie = TIE_VALUE * max(spread, abs(f_low), 1e-300)
    cell = max(view.x_max - view.x_min, view.y_max - view.y_min) / (MINIMUM_GRID - 1)
    lowest: list[tuple[float, float]] = []
    for f, on_edge, x, y in found:  # on an exact tie, a point inside the view sorts first
        if f > f_low + tie:
            break
        if not on_edge and all(math.dist((x, y), p) > 2 * cell for p in lowest):
            lowest.append((x, y))
    if len(lowest) >= MINIMUM_CANDIDATES:  # every candidate ties: a curved floor (a ring), not points
        return ()
    for a, b in itertools.combinations(lowest, 2):  # two ends of one straight valley floor, not two minima
        between = [(a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])) for t in (0.25, 0.5, 0.75)]
        if all(scalar_value(*p) <= f_low + tie for p in between):
            return ()
    return tuple(lowest)


def _lowest_is_a_line_or_floor(z, low: float, spread: float) -> bool:
    """Whether the grid points tied with the lowest value (to rounding) form a line or a floor: more
    than MAX_TIED of them, or a connected group (SciPy's ndimage.label, 8 neighbours) spanning more
    than TIE_CELLS cells. Several small groups are isolated minima that the grid hits."""
    from scipy import ndimage  # imported here, as in _global_minimum

    tied = z <= low + TIE_GRID * max(spread, abs(low), 1e-300)
    if np.count_nonzero(tied) > MAX_TIED:
        return True
    labels, _ = ndimage.label(tied, structure=np.ones((3, 3), dtype=bool))
    return any(sl.stop - sl.start - 1 > TIE_CELLS for group in ndimage.find_objects(labels) for sl in group)


def _inside(x: float, y: float, view: Box) -> bool:
    """Strictly inside the view: a point on its edge is where the view cuts the surface off."""
    mx, my = 1e-7 * (view.x_max - view.x_min), 1e-7 * (view.y_max - view.y_min)
    return view.x_min + mx < x < view.x_max - mx and view.y_min + my < y < view.y_max - my


def _candidates(z, count: int = 4):
    """Indices of the lowest grid points that are no higher than their 8 neighbours, global lowest first."""
    padded = np.pad(z, 1, constant_values=np.inf)
    core = padded[1:-1, 1:-1]
    lowest = np.ones(z.shape, dtype=bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                lowest &= core <= padded[1 + di : padded.shape[0] - 1 + di, 1 + dj : padded.shape[1] - 1 + dj]
    flat = np.flatnonzero(lowest & np.isfinite(z))
    order = flat[np.argsort(z.ravel()[flat], kind="stable")][:count]
    first = int(np.argmin(z))
    return [np.unravel_index(k, z.shape) for k in dict.fromkeys([first, *order.tolist()])]


def _refine(minimize, scalar_value, scalar_grad, p0, f0: float, view: Box):
    """L-BFGS-B from a grid point; the grid point itself when that does not go lower."""

    def fun(p):
        x, y = float(p[0]), float(p[1])
        f, g = scalar_value(x, y), scalar_grad(x, y)
        if not (math.isfinite(f) and math.isfinite(g[0]) and math.isfinite(g[1])):
            return math.inf, np.zeros(2)
        return f, np.array(g)

    bounds = [(view.x_min, view.x_max), (view.y_min, view.y_max)]
    with np.errstate(all="ignore"):
        result = minimize(fun, p0, jac=True, method="L-BFGS-B", bounds=bounds,
                          options=dict(ftol=1e-15, gtol=1e-12, maxiter=400))
    f = scalar_value(float(result.x[0]), float(result.x[1]))
    if math.isfinite(f) and f <= f0 and np.all(np.isfinite(result.x)):
        return result.x, f
    return p0, f0


def _start(formula: str, view: Box, minima, scalar_grad) -> tuple[float, float]:
    """The gallery's start for a gallery formula; else the inset corner farthest from the minimum."""
    for entry in GALLERY:
        if normalize_formula(entry.formula) == formula and view.contains(*entry.start):
            return entry.start
    w, h = view.x_max - view.x_min, view.y_max - view.y_min
    corners = [
        (view.x_min + 0.2 * w, view.y_max - 0.2 * h), (view.x_max - 0.2 * w, view.y_max - 0.2 * h),
        (view.x_min + 0.2 * w, view.y_min + 0.2 * h), (view.x_max - 0.2 * w, view.y_min + 0.2 * h),
    ]
    corners = [(float(f"{cx:.12g}"), float(f"{cy:.12g}")) for cx, cy in corners]
    usable = [c for c in corners if all(math.isfinite(g) for g in scalar_grad(*c))] or corners
    if not minima:
        return usable[0]
    mx, my = minima[0]
    return max(usable, key=lambda c: math.hypot(c[0] - mx, c[1] - my))


def _spans_decades(z, minima, scalar_value) -> bool:
    """Log-spaced contours: f stays above a floor near 0 (> -0.1% of its spread) and the view's
    lowest 5% lie at least LOG_DECADES decades below its top, measured from that floor.

    The threshold sorts the gallery and the built-in surfaces as their contours read best:
    Rosenbrock, Beale, Himmelblau, Goldstein-Price log; bowls, Rastrigin, Ackley linear.
    """
    values = z[2][np.isfinite(z[2])]
    floor = min([float(values.min())] + [scalar_value(*m) for m in minima])
    spread = float(values.max()) - floor
    low = float(np.percentile(values - floor, 5))
    if not spread > 0 or floor < -1e-3 * spread or not low > 0:
        return False
    return math.log10(spread / low) >= LOG_DECADES
