"""The lecture's valleys: steep across, nearly flat along.

Three surfaces, because no single one hosts every lesson. Gradient descent on a
quadratic either converges or diverges, so the lecture's sweep (every eta from
1e-2 to 1e-6 keeps bouncing between the walls) needs walls of bounded slope:
``valley`` is a V with a rounded bottom. Adagrad's eruption needs a floor whose
steep-direction gradient dies out for hundreds of steps, then a small tilt to
wake it: ``tilted-valley`` is a slightly tilted, elongated quadratic. RMSProp's
lesson needs one direction that is steep early on the path and flat later:
``crescent`` is a banana-shaped valley (Rosenbrock's, with gentler walls).
"""

from __future__ import annotations

import numpy as np

from surfaces.base import Box, Surface

# valley: f = c (sqrt(u^2 + w^2) - w) + h/2 x^2, with u = y - floor(x) the
# height above the floor y = -k x and w(x) = k (x_end - x) the width of the
# rounded bottom. Gradient descent bounces between the walls while eta exceeds
# 2 w / c, the stability limit of the rounded bottom: w = 5e-8 at the start
# puts that limit at 2e-7, between the lecture's 1e-6 (bounces) and 1e-7
# (settles on the floor, then crawls). While bouncing, GD drifts along x by
# about eta h x per step, so h must be tiny for eta = 1e-2 to stay near the
# start for 100,000 steps (it covers 1% of the way), and c k << h so that an
# optimizer bouncing high on the walls still feels the minimum at x = 0
# rather than the widening of w, which pulls toward -c k / h = -0.005.
_C, _K, _X_END, _H = 0.5, 1e-7, 1.5, 1e-5


def valley_value(x, y, xp=np):
    u = y + _K * x
    w = _K * (_X_END - x)
    return _C * (xp.sqrt(u * u + w * w) - w) + 0.5 * _H * x * x


def valley_grad(x, y, xp=np):
    u = y + _K * x
    w = _K * (_X_END - x)
    r = xp.sqrt(u * u + w * w)
    across = _C * u / r  # df/du: bounded by c, the wall slope
    return _K * across + _K * _C * (1.0 - w / r) + _H * x, across


VALLEY = Surface(
    name="valley",
    label="Elongated valley",
    formula="f = 0.5(√(u² + w²) − w) + 0.000005x²,  u = y + 10⁻⁷x,  w = 10⁻⁷(1.5 − x)",
    value=valley_value,
    grad=valley_grad,
    view=Box(-0.1, 1.1, -0.004, 0.004),
    minima=((0.0, 0.0),),
    start=(1.0, 0.002),
    log_levels=True,
    description="Steep walls of slope 0.5 across, a floor 50,000 times flatter along: "
    "one learning rate cannot serve both directions.",
)

# tilted-valley: f = u^2/2 + a x^2/2 with u = y - a x. Without the tilt a x in u
# the steep-direction gradient is exactly 0 on the floor and Adagrad never erupts.
_A = 1e-3


def tilted_value(x, y, xp=np):
    u = y - _A * x
    return 0.5 * u * u + 0.5 * _A * x * x


def tilted_grad(x, y, xp=np):
    u = y - _A * x
    return _A * (x - u), u


TILTED_VALLEY = Surface(
    name="tilted-valley",
    label="Tilted elongated valley",
    formula="f = u²/2 + 0.001x²/2,  u = y − 0.001x",
    value=tilted_value,
    grad=tilted_grad,
    view=Box(-4.0, 34.0, -1.2, 1.6),
    minima=((0.0, 0.0),),
    start=(30.0, 1.0),
    log_levels=True,
    description="An elongated quadratic, slightly tilted: its floor runs at y = 0.001x "
    "and curves 1000 times less along x than across.",
)

# crescent: f = (1 - x)^2 + b (y - x^2)^2, Rosenbrock's banana with b = 10
# instead of 100. From the start above the left arm the steep wall gives
# gradients near 100; along the floor they fall to about 1. Gentler walls than
# Rosenbrock's keep the valley wide enough for a per-coordinate method: at
# b = 100 RMSProp's zigzag across the diagonal floor stalls it too.
_B = 10.0


def crescent_value(x, y, xp=np):
    r = y - x * x
    return (1.0 - x) * (1.0 - x) + _B * r * r


def crescent_grad(x, y, xp=np):
    r = y - x * x
    return -2.0 * (1.0 - x) - 4.0 * _B * x * r, 2.0 * _B * r


CRESCENT = Surface(
    name="crescent",
    label="Crescent valley",
    formula="f = (1 − x)² + 10(y − x²)²",
    value=crescent_value,
    grad=crescent_grad,
    view=Box(-2.2, 2.0, -1.0, 4.5),
    minima=((1.0, 1.0),),
    start=(-1.5, 4.0),
    log_levels=True,
    description="A banana-shaped valley: steep on the way down from the start, flat along "
    "the curved floor. The same direction needs a small learning rate early and a large one later.",
)

SURFACES = (VALLEY, TILTED_VALLEY, CRESCENT)
