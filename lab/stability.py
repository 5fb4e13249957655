"""Why a run keeps bouncing: its step is too long for the curvature where it ended.

Near a point where the loss curves by k along some direction (k, the largest eigenvalue of the
Hessian), gradient descent multiplies the distance along it by (1 - eta k) each step: it shrinks only
while eta < 2/k; above, every step overshoots further than it started. Momentum as the lecture writes
it (m <- lambda m - eta g) stays stable up to eta < 2(1 + lambda)/k (the heavy-ball condition). On a
quadratic a run past this limit diverges, and the status line already says so; on a bounded, wavy
surface (Rastrigin's 400 of curvature at each minimum) it bounces between basins for ever, and the
page showed a scribble with a finite "final loss" and no word why. ``bouncing`` finds those runs.

Only the plain full-batch rules are judged: an adaptive rule divides by sigma, and a mini-batch adds
noise, so the simple limit would not say what happened.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lab.messages import Message

RULES = {"gd": 0.0, "momentum": None}  # None: the limit grows with the run's momentum lambda
TAIL = 20  # the last positions judged: where the run "ended"
STEEP_SHARE = 0.25  # of those points (and the midpoints between them), the share that must be too steep
SETTLED = 1e-4  # a median step shorter than this share of the view: the run settled, nothing to explain


class Bounce(NamedTuple):
    lr: float  # eta at the last update
    curvature: float  # k: the median curvature of the run's last points where eta k is past the limit
    limit: float  # the largest stable eta there: 2(1 + lambda)/k


def curvature(surface, x: np.ndarray, y: np.ndarray, h: float) -> np.ndarray:
    """The Hessian's largest eigenvalue at each point (central differences of the exact gradient)."""
    gx_xp, gy_xp = surface.grad(x + h, y, np)
    gx_xm, gy_xm = surface.grad(x - h, y, np)
    gx_yp, gy_yp = surface.grad(x, y + h, np)
    gx_ym, gy_ym = surface.grad(x, y - h, np)
    a = (np.asarray(gx_xp) - gx_xm) / (2 * h)
    c = (np.asarray(gy_yp) - gy_ym) / (2 * h)
    b = ((np.asarray(gy_xp) - gy_xm) + (np.asarray(gx_yp) - gx_ym)) / (4 * h)
    return (a + c) / 2 + np.sqrt(((a - c) / 2) ** 2 + b**2)


def bouncing(scene, trajectory) -> Bounce | None:
    """The bounce of a run that neither settled nor diverged with eta above its stable limit, else None."""
    run = trajectory.run
    if run.optimizer not in RULES or trajectory.status != "ok" or trajectory.steps < TAIL:
        return None
    surface = scene.surface_record
    if surface.data is not None and run.batch_size not in (0, surface.data.n_examples):
        return None
    span = scene.view_box.span
    x, y = trajectory.x[-TAIL:], trajectory.y[-TAIL:]
    if np.median(np.hypot(np.diff(x), np.diff(y))) < SETTLED * span:
        return None
    # and between them: a run in a two-step cycle jumps over the bottom, where the curve is steepest
    x, y = np.concatenate([x, (x[1:] + x[:-1]) / 2]), np.concatenate([y, (y[1:] + y[:-1]) / 2])
    with np.errstate(all="ignore"):
        k = curvature(surface, x, y, 1e-7 * span)
    lam = RULES[run.optimizer]
    lam = run.hyperparams()["momentum"] if lam is None else lam
    lr = float(trajectory.lr[-1])
    # Where most of the tail is gentle enough, one steep sample (a narrow rounded bottom crossed by
    # chance) does not explain the run: say nothing rather than quote a curvature the run never felt.
    steep = k[np.isfinite(k) & (lr * k > 2 * (1 + lam))]
    if len(steep) < STEEP_SHARE * len(k):
        return None
    typical = float(np.median(steep))
    return Bounce(lr, typical, 2 * (1 + lam) / typical)


def bounce_message(scene, trajectory) -> Message | None:
    """What the status line says of a bouncing run (in either language)."""
    bounce = bouncing(scene, trajectory)
    if bounce is None:
        return None
    key = "run.bouncing_momentum" if trajectory.run.optimizer == "momentum" else "run.bouncing"
    return Message(key, lr=f"{bounce.lr:.3g}", limit=f"{bounce.limit:.2g}", k=f"{bounce.curvature:.3g}")
