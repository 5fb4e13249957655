"""The lecture's elongated valleys: steep across, nearly flat along.

Two surfaces, because no single one hosts both lessons. Gradient descent on a
quadratic either converges or diverges, so the lecture's sweep (every eta from
1e-2 to 1e-6 keeps bouncing between the walls) needs walls of bounded slope:
``valley`` is a V with a rounded bottom. Adagrad's eruption needs a floor whose
steep-direction gradient dies out for hundreds of steps, then a small tilt to
wake it: ``tilted-valley`` is a slightly tilted, elongated quadratic.
"""

from __future__ import annotations

import numpy as np

from surfaces.base import Box, Surface

# valley: f = c (sqrt(u^2 + w^2) - w) + h/2 x^2, with u = y - floor(x) the
# height above the floor y = -k x and w(x) = k (x_end - x) the width of the
# rounded bottom, which widens toward the minimum at the origin so that a
# tiny eta can settle on the floor and then crawl.
_C, _K, _X_END, _H = 0.6, 1e-3, 1.00006, 1e-3


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
    formula="f = 0.6(√(u² + w²) − w) + 0.0005x²,  u = y + 0.001x,  w = 0.001(1.00006 − x)",
    value=valley_value,
    grad=valley_grad,
    view=Box(-0.1, 1.1, -0.004, 0.004),
    minima=((0.0, 0.0),),
    start=(1.0, 0.002),
    log_levels=True,
    description="Steep walls of slope 0.6 across, a floor 600 times flatter along: "
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

SURFACES = (VALLEY, TILTED_VALLEY)
