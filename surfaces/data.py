"""Data-defined losses: a model's mean loss over N examples, with real mini-batches.

A mini-batch is a property of a run, not of an optimizer: any optimizer can
follow the gradient of the mean loss over a batch of examples, reshuffled at the
start of every epoch (seeded) or kept in order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from surfaces.base import Box, Surface


def updates_per_epoch(n_examples: int, batch_size: int) -> int:
    """Batches in one pass over N examples: ceil(N/B), the last one smaller when B does not divide N
    (as PyTorch's DataLoader with drop_last=False); batch size 0 is the full batch."""
    return math.ceil(n_examples / (batch_size or n_examples))


def minibatches(steps: int, n_examples: int, batch_size: int, shuffle: bool, seed: int):
    """The examples of every update: (order, starts, sizes).

    Update t uses ``order[starts[t] : starts[t] + sizes[t]]``. Epochs split the
    examples into ceil(N/B) batches, the last one smaller when B does not divide
    N (as PyTorch's DataLoader with drop_last=False).
    """
    per_epoch = updates_per_epoch(n_examples, batch_size)
    epochs = math.ceil(steps / per_epoch)
    rows = np.tile(np.arange(n_examples), (epochs, 1))
    if shuffle:
        rows = np.random.default_rng(seed).permuted(rows, axis=1)
    k = np.arange(steps)
    epoch, within = np.divmod(k, per_epoch)
    starts = epoch * n_examples + within * batch_size
    sizes = np.minimum(batch_size, n_examples - within * batch_size)
    return rows.ravel(), starts, sizes


def batch_means(per_example: np.ndarray, order, starts, sizes) -> np.ndarray:
    """The mean over each update's batch of a per-example quantity."""
    used = per_example[order[: starts[-1] + sizes[-1]]]
    return np.add.reduceat(used, starts) / sizes


@dataclass(frozen=True)
class LinearRegressionData:
    """Examples (x_i, y_i) for the model y = w x + b under the mean squared error.

    The loss is quadratic in (w, b), so the mean over any batch is fixed by four
    batch means (x^2, x, xy, y): the simulation precomputes them for every
    update and each step costs O(1) whatever the batch size.
    """

    x: np.ndarray
    y: np.ndarray

    @property
    def n_examples(self) -> int:
        return len(self.x)

    def moments(self):
        x, y = self.x, self.y
        return (x * x).mean(), x.mean(), (x * y).mean(), y.mean(), (y * y).mean()

    def batch_gradient(self, steps: int, batch_size: int, shuffle: bool, seed: int) -> Callable:
        """grad_at(w, b, t): the gradient of the loss over update t's batch."""
        order, starts, sizes = minibatches(steps, self.n_examples, batch_size, shuffle, seed)
        xx, xm, xy, ym = (
            batch_means(q, order, starts, sizes).tolist() for q in (self.x * self.x, self.x, self.x * self.y, self.y)
        )

        def grad_at(w, b, t):
            return 2.0 * (w * xx[t] + b * xm[t] - xy[t]), 2.0 * (w * xm[t] + b - ym[t])

        return grad_at


def linear_regression_surface(data: LinearRegressionData, name: str, label: str, start, view: Box) -> Surface:
    """The MSE loss of y = w x + b over ``data`` as a surface in (x, y) = (w, b)."""
    xx, xm, xy, ym, yy = data.moments()

    def value(w, b, xp=np):
        return w * w * xx + 2.0 * w * b * xm + b * b - 2.0 * w * xy - 2.0 * b * ym + yy

    def grad(w, b, xp=np):
        return 2.0 * (w * xx + b * xm - xy), 2.0 * (w * xm + b - ym)

    design = np.column_stack([data.x, np.ones_like(data.x)])
    (w_star, b_star), *_ = np.linalg.lstsq(design, data.y, rcond=None)
    return Surface(
        name=name,
        label=label,
        formula=f"L(w, b) = 1/{data.n_examples} Σᵢ (w xᵢ + b − yᵢ)²   (x = w, y = b)",
        value=value,
        grad=grad,
        view=view,
        minima=((float(w_star), float(b_star)),),
        start=start,
        log_levels=True,
        description=f"Mean squared error of a line fitted to {data.n_examples} examples: "
        "each example's gradient is one noisy estimate of the full one.",
        data=data,
    )


def _regression_examples(n: int = 20, seed: int = 2021) -> LinearRegressionData:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 4.0, n)
    y = 1.0 * x + 0.5 + rng.normal(0.0, 0.5, n)
    return LinearRegressionData(x, y)


REGRESSION = linear_regression_surface(
    _regression_examples(),
    name="regression",
    label="Linear regression (N = 20)",
    start=(-1.0, 3.5),
    view=Box(-1.5, 3.0, -2.5, 4.0),
)

# The lecture's 300 examples stored by class (100 of A, then B, then C), as a regression: each group
# lies on its own line, so each has its own optimum (w, b), and the three optima surround the full one.
GROUP_LINES = ((2.0, 1.0), (-1.0, 1.5), (0.5, -1.5))  # (w, b) of groups A, B, C


def _three_groups(per_group: int = 100, seed: int = 300) -> LinearRegressionData:
    """The same x values in every group, so the full optimum is the mean of the three groups' optima."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.5, 1.5, per_group)
    noise = rng.normal(0.0, 0.2, (len(GROUP_LINES), per_group))
    ys = [w * x + b + e for (w, b), e in zip(GROUP_LINES, noise)]
    return LinearRegressionData(np.tile(x, len(GROUP_LINES)), np.concatenate(ys))


THREE_GROUPS_DATA = _three_groups()
GROUP_SIZE = 100


def group_optima(data: LinearRegressionData = THREE_GROUPS_DATA, size: int = GROUP_SIZE):
    """The least-squares (w, b) of each consecutive group of ``size`` examples: where a batch from it pulls."""
    out = []
    for k in range(0, data.n_examples, size):
        x, y = data.x[k : k + size], data.y[k : k + size]
        (w, b), *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)
        out.append((float(w), float(b)))
    return tuple(out)


THREE_GROUPS = linear_regression_surface(
    THREE_GROUPS_DATA,
    name="three-groups",
    label="Three groups in order (N = 300)",
    start=(-2.0, -2.5),
    view=Box(-2.5, 3.0, -3.0, 2.5),
)

SURFACES = (REGRESSION, THREE_GROUPS)
