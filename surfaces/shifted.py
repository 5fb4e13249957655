"""Losses made of examples that each see one landscape shifted: l_i(theta) = f(theta - s_i).

The training loss is the mean over the examples, a batch's loss the mean over
its batch, so every batch has its own loss surface (the lecture's L^1, L^2):
near a minimum of curvature h a batch's gradient is off by about h times its
mean shift, so a sharp minimum gets the noisiest updates. The test loss is the
training loss shifted by one more offset, the lecture's picture of a mismatch
between training and testing data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from surfaces.base import Box, Surface
from surfaces.data import minibatches


@dataclass(frozen=True)
class ShiftedExamplesData:
    """N examples, example i contributing f(x - s_i, y - t_i); ``f`` and ``f_grad`` take (x, y, xp)."""

    f: Callable
    f_grad: Callable
    offsets: np.ndarray  # (N, 2)

    @property
    def n_examples(self) -> int:
        return len(self.offsets)

    def loss(self, x, y, xp=np):
        """The mean of f over the shifted copies; a loop keeps a 200 x 200 grid at one grid of memory."""
        total = 0.0
        for sx, sy in self.offsets.tolist():
            total = total + self.f(x - sx, y - sy, xp)
        return total / self.n_examples

    def gradient(self, x, y, xp=np):
        gx = gy = 0.0
        for sx, sy in self.offsets.tolist():
            dx, dy = self.f_grad(x - sx, y - sy, xp)
            gx, gy = gx + dx, gy + dy
        return gx / self.n_examples, gy / self.n_examples

    def batch_gradient(self, steps: int, batch_size: int, shuffle: bool, seed: int) -> Callable:
        """grad_at(x, y, t): the mean gradient over update t's batch, on Python floats."""
        order, starts, sizes = minibatches(steps, self.n_examples, batch_size, shuffle, seed)
        order, starts, sizes = order.tolist(), starts.tolist(), sizes.tolist()
        sx, sy = self.offsets[:, 0].tolist(), self.offsets[:, 1].tolist()
        f_grad = self.f_grad

        def grad_at(x, y, t):
            gx = gy = 0.0
            for i in order[starts[t] : starts[t] + sizes[t]]:
                dx, dy = f_grad(x - sx[i], y - sy[i], math)
                gx, gy = gx + dx, gy + dy
            return gx / sizes[t], gy / sizes[t]

        return grad_at


def _offsets(n: int, scale: tuple[float, float], seed: int) -> np.ndarray:
    """Mean-zero Gaussian offsets (the sample mean is removed, so the examples average to f's own place)."""
    s = np.random.default_rng(seed).normal(0.0, 1.0, (n, 2)) * np.asarray(scale)
    return s - s.mean(axis=0)


def _stationary_point(grad, start, hessian_step: float = 1e-5) -> tuple[float, float]:
    """Newton's method from ``start`` with a central-difference Hessian: the exact minimum to list."""
    p = np.array(start, dtype=float)
    for _ in range(50):
        g = np.array(grad(*p, math))
        if np.hypot(*g) < 1e-14:
            break
        h = hessian_step
        cols = [(np.array(grad(*(p + e), math)) - np.array(grad(*(p - e), math))) / (2 * h) for e in np.eye(2) * h]
        p = p - np.linalg.solve(np.column_stack(cols), g)
    return float(p[0]), float(p[1])


def shifted_surface(data: ShiftedExamplesData, minima_guesses, **fields) -> Surface:
    """A Surface over ``data`` whose minima are found from the guesses (global first, as given)."""
    minima = tuple(_stationary_point(data.gradient, m) for m in minima_guesses)
    return Surface(value=data.loss, grad=data.gradient, minima=minima, data=data, **fields)


# --- landscapes of Gaussian wells in a wide bowl ------------------------------------------------------


def wells(bowl: float, *well: tuple[tuple[float, float], float, float]):
    """f and its gradient: bowl |theta|^2 minus, per well (centre, width, depth), depth e^(-|theta - centre|^2 / 2 width^2)."""

    def f(x, y, xp=np):
        total = bowl * (x * x + y * y)
        for (cx, cy), width, depth in well:
            total = total - depth * xp.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * width * width))
        return total

    def grad(x, y, xp=np):
        gx, gy = 2 * bowl * x, 2 * bowl * y
        for (cx, cy), width, depth in well:
            k = depth * xp.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * width * width)) / (width * width)
            gx, gy = gx + k * (x - cx), gy + k * (y - cy)
        return gx, gy

    return f, grad


# --- sharp and flat minima --------------------------------------------------------------------------

FLAT_CENTRE, SHARP_CENTRE = (-1.2, 0.0), (1.2, 0.0)
TEST_SHIFT = (0.15, 0.0)  # the test loss is the training loss moved this far (right, as in the lecture)
# Depths chosen so that both minima have about the same training loss (-0.29 and -0.28), as in Keskar et al.
sharp_flat_f, sharp_flat_grad = wells(0.1, (FLAT_CENTRE, 0.6, 0.42), (SHARP_CENTRE, 0.07, 0.8))

SHARP_FLAT_DATA = ShiftedExamplesData(sharp_flat_f, sharp_flat_grad, _offsets(100, (0.06, 0.06), seed=1609))

SHARP_FLAT = shifted_surface(
    SHARP_FLAT_DATA,
    minima_guesses=(FLAT_CENTRE, SHARP_CENTRE),
    name="sharp-flat",
    label="Sharp and flat minima (N = 100)",
    formula="L(θ) = 1/100 Σᵢ f(θ − sᵢ),  f = 0.1|θ|² − 0.42 e^(−|θ−(−1.2,0)|²/0.72) − 0.8 e^(−|θ−(1.2,0)|²/0.0098)",
    view=Box(-2.6, 2.2, -1.6, 1.6),
    start=(1.25, 0.1),
    description="100 examples, each the same landscape shifted by a small offset: a wide basin on the left "
    "and a narrow valley on the right, about as low; the test loss is the training loss shifted right by 0.15.",
)
FLAT, SHARP = SHARP_FLAT.minima


def sharp_flat_test_loss(x, y, xp=np):
    """The lecture's mismatch: the testing loss is the training loss moved right by TEST_SHIFT."""
    return SHARP_FLAT_DATA.loss(x - TEST_SHIFT[0], y - TEST_SHIFT[1], xp)


# --- a shallow local minimum ------------------------------------------------------------------------

escape_f, escape_grad = wells(0.1, ((-1.0, 0.0), 0.7, 1.0), ((1.0, 0.0), 0.2, 0.4))
NOISY_DATA = ShiftedExamplesData(escape_f, escape_grad, _offsets(50, (0.2, 0.2), seed=2021))

SHALLOW_MINIMUM = shifted_surface(
    NOISY_DATA,
    minima_guesses=((-1.0, 0.0), (1.0, 0.0)),
    name="shallow-minimum",
    label="A shallow local minimum (N = 50)",
    formula="L(θ) = 1/50 Σᵢ f(θ − sᵢ),  f = 0.1|θ|² − e^(−|θ−(−1,0)|²/0.98) − 0.4 e^(−|θ−(1,0)|²/0.08)",
    view=Box(-2.5, 2.2, -1.6, 1.6),
    start=(1.5, 0.6),
    description="50 examples, each the same landscape shifted by its own offset: the full loss has a "
    "shallow local minimum on the right and the deeper global minimum on the left.",
)
LOCAL_MINIMUM = SHALLOW_MINIMUM.minima[1]

SURFACES = (SHARP_FLAT, SHALLOW_MINIMUM)
