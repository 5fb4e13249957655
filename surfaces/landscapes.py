"""Classic landscapes: saddle, local minima, bowl, and test functions from the literature.

``saddle`` and ``local-minima`` host the momentum lessons, so their constants
are chosen for a phenomenon, not for looks. The saddle is a double well along
x with a steep parabola along y: bounded below, with a saddle point at the
origin that curves down gently (-1) along x and up steeply (+2) along y, so a
path arriving along y stalls there. ``local-minima`` is a wide bowl minus two
Gaussian wells, a narrow shallow one lying on the way down to a broad deep
one. Minima were found by Newton's method in 40-digit arithmetic, then
rounded to the nearest double; a gradient there is zero to rounding.
"""

from __future__ import annotations

import numpy as np

from surfaces.base import Box, Surface

# saddle: f = u^2 + y^2 with u = (x^2 - S^2)/3, so f >= 0; minima (+-S, 0), saddle (0, 0).
_S2 = 2.25
SADDLE_POINT = (0.0, 0.0)


def saddle_value(x, y, xp=np):
    u = (x * x - _S2) / 3.0
    return u * u + y * y


def saddle_grad(x, y, xp=np):
    return 4.0 * x * (x * x - _S2) / 9.0, 2.0 * y


SADDLE = Surface(
    name="saddle",
    label="Saddle point",
    formula="f = ((x² − 2.25)/3)² + y²",
    value=saddle_value,
    grad=saddle_grad,
    view=Box(-2.5, 2.5, -1.5, 2.5),
    minima=((1.5, 0.0), (-1.5, 0.0)),
    start=(0.01, 2.0),
    description="A saddle point at the origin between two equal minima: downhill along x "
    "(curvature −1), uphill along y (curvature +2).",
)

# local-minima: f = a (x^2 + y^2) - sum_k A_k exp(-|p - c_k|^2 / w_k), w_k = 2 sigma_k^2.
_BOWL = 0.1
_DEEP = (2.0, -1.2, -0.3, 1.6)  # depth A, centre (cx, cy), width w
_SHALLOW = (0.8, 1.5, 0.4, 0.5)


def _well(x, y, well, xp):
    depth, cx, cy, width = well
    return depth * xp.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / width)


def local_minima_value(x, y, xp=np):
    return _BOWL * (x * x + y * y) - _well(x, y, _DEEP, xp) - _well(x, y, _SHALLOW, xp)


def local_minima_grad(x, y, xp=np):
    gx, gy = 2.0 * _BOWL * x, 2.0 * _BOWL * y
    for well in (_DEEP, _SHALLOW):
        _, cx, cy, width = well
        pull = 2.0 * _well(x, y, well, xp) / width
        gx = gx + pull * (x - cx)
        gy = gy + pull * (y - cy)
    return gx, gy


LOCAL_MINIMA = Surface(
    name="local-minima",
    label="Local and global minimum",
    formula="f = 0.1(x² + y²) − 2 exp(−((x + 1.2)² + (y + 0.3)²)/1.6) "
    "− 0.8 exp(−((x − 1.5)² + (y − 0.4)²)/0.5)",
    value=local_minima_value,
    grad=local_minima_grad,
    view=Box(-3.5, 4.0, -2.5, 3.0),
    minima=((-1.1106725165710152, -0.27766811485361), (1.38697534772659, 0.3700324719390902)),
    start=(3.5, 2.0),
    description="A shallow local minimum (f ≈ −0.60) on the way down to the deep global one "
    "(f ≈ −1.86), behind a low ridge (saddle f ≈ −0.33).",
)


def bowl_value(x, y, xp=np):
    return 0.5 * x * x + y * y


def bowl_grad(x, y, xp=np):
    return 1.0 * x, 2.0 * y


BOWL = Surface(
    name="bowl",
    label="Bowl",
    formula="f = x²/2 + y²",
    value=bowl_value,
    grad=bowl_grad,
    view=Box(-3.0, 3.0, -3.0, 3.0),
    minima=((0.0, 0.0),),
    start=(-2.5, 2.0),
    description="A round-ish quadratic: curvature 1 along x, 2 along y.",
)


# Beale (1958): three squared residuals a, b, c.
def beale_value(x, y, xp=np):
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y * y
    c = 2.625 - x + x * y * y * y
    return a * a + b * b + c * c


def beale_grad(x, y, xp=np):
    y2 = y * y
    y3 = y2 * y
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y2
    c = 2.625 - x + x * y3
    dx = 2.0 * (a * (y - 1.0) + b * (y2 - 1.0) + c * (y3 - 1.0))
    dy = 2.0 * x * (a + 2.0 * b * y + 3.0 * c * y2)
    return dx, dy


BEALE = Surface(
    name="beale",
    label="Beale function",
    formula="f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
    value=beale_value,
    grad=beale_grad,
    view=Box(-4.5, 4.5, -4.5, 4.5),
    minima=((3.0, 0.5),),
    start=(1.0, 1.5),
    log_levels=True,
    description="Flat plateaus and a narrow curved valley down to the minimum at (3, 0.5); "
    "a saddle at (0, 1).",
)


# Himmelblau (1972): four minima, all with f = 0.
def himmelblau_value(x, y, xp=np):
    u = x * x + y - 11.0
    v = x + y * y - 7.0
    return u * u + v * v


def himmelblau_grad(x, y, xp=np):
    u = x * x + y - 11.0
    v = x + y * y - 7.0
    return 4.0 * x * u + 2.0 * v, 2.0 * u + 4.0 * y * v


HIMMELBLAU = Surface(
    name="himmelblau",
    label="Himmelblau's function",
    formula="f = (x² + y − 11)² + (x + y² − 7)²",
    value=himmelblau_value,
    grad=himmelblau_grad,
    view=Box(-5.0, 5.0, -5.0, 5.0),
    minima=(
        (3.0, 2.0),
        (-2.805118086952745, 3.131312518250573),
        (-3.779310253377747, -3.2831859912861696),
        (3.5844283403304917, -1.8481265269644036),
    ),
    start=(0.0, 0.0),
    log_levels=True,
    description="Four minima, all with f = 0, around a maximum near (−0.27, −0.92): "
    "where a run ends depends on where it starts.",
)

SURFACES = (SADDLE, LOCAL_MINIMA, BOWL, BEALE, HIMMELBLAU)
