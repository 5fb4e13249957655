"""Many seeds of mini-batch SGD at once: every array has shape (seeds,), one NumPy call per step for all.

The scalar loop of lab/simulate.py draws one run; a histogram of where runs end
needs hundreds, and a Python loop per seed would be hundreds of times slower.
Seed k uses the same batches as ``simulate`` with ``Scene.seed = k`` (the same
``minibatches`` call), so one member of the ensemble is a run of the explorer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from surfaces.base import Surface
from surfaces.data import minibatches


@dataclass(frozen=True, eq=False)
class Ensemble:
    """Positions of every seed after every update: ``x``, ``y`` of shape (seeds, steps + 1)."""

    seeds: np.ndarray
    batch_size: int  # 0: full batch
    lr: float
    x: np.ndarray
    y: np.ndarray

    @property
    def end(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x[:, -1], self.y[:, -1]


def _batch_orders(n: int, steps: int, batch_size: int, shuffle: bool, seeds) -> tuple[np.ndarray, list, list]:
    """Every seed's example order, stacked (seeds, length), and the shared batch starts and sizes."""
    orders = []
    for seed in seeds:
        order, starts, sizes = minibatches(steps, n, batch_size, shuffle, int(seed))
        orders.append(order)
    return np.stack(orders), starts.tolist(), sizes.tolist()


def simulate_sgd(surface: Surface, starts, seeds, steps: int, lr: float, batch_size: int = 0, shuffle: bool = True):
    """Plain SGD, theta <- theta - lr * g_batch, for every (start, seed) pair at once.

    ``starts`` is (seeds, 2) or one point for all; ``batch_size`` 0 (or N) is the full batch.
    A seed whose numbers leave the finite range keeps NaN from there on.
    """
    data = surface.data
    seeds = np.asarray(seeds, dtype=np.int64)
    start = np.broadcast_to(np.asarray(starts, dtype=float), (len(seeds), 2))
    xs = np.empty((len(seeds), steps + 1))
    ys = np.empty_like(xs)
    xs[:, 0], ys[:, 0] = start[:, 0], start[:, 1]
    full = data is None or batch_size in (0, data.n_examples)
    shifted = data is not None and hasattr(data, "offsets")
    if full and shifted:  # every example in one (seeds, N) call rather than a loop over the N examples
        orders, b_starts, b_sizes = np.arange(data.n_examples)[None, :], [0] * steps, [data.n_examples] * steps
    elif not full:
        if not shifted:
            raise ValueError(f"the many-seed simulation needs examples shifted from one landscape, not {surface.name!r}")
        orders, b_starts, b_sizes = _batch_orders(data.n_examples, steps, batch_size, shuffle, seeds)
    x, y = xs[:, 0].copy(), ys[:, 0].copy()
    with np.errstate(all="ignore"):
        for t in range(steps):
            if full and not shifted:
                gx, gy = surface.grad(x, y)
            else:
                batch = data.offsets[orders[:, b_starts[t] : b_starts[t] + b_sizes[t]]]  # (seeds or 1, B, 2)
                gx, gy = data.f_grad(x[:, None] - batch[..., 0], y[:, None] - batch[..., 1], np)
                gx, gy = gx.sum(axis=1) / b_sizes[t], gy.sum(axis=1) / b_sizes[t]
            x = x - lr * gx
            y = y - lr * gy
            xs[:, t + 1], ys[:, t + 1] = x, y
    return Ensemble(seeds=seeds, batch_size=0 if full else batch_size, lr=lr, x=xs, y=ys)


def nearest_minimum(surface: Surface, x, y) -> np.ndarray:
    """The index in ``surface.minima`` of the minimum nearest each point."""
    minima = np.asarray(surface.minima)
    d = np.hypot(np.asarray(x)[..., None] - minima[:, 0], np.asarray(y)[..., None] - minima[:, 1])
    return np.argmin(d, axis=-1)


def basin(surface: Surface, x, y, lr: float, steps: int = 500, settled: float = 0.02) -> np.ndarray:
    """The index in ``surface.minima`` of the minimum that full-batch GD reaches from each point.

    Where a run ended is judged by the basin it is in, not by the nearest minimum:
    a noisy run may stand on the ridge between two basins when it stops. A point
    within ``settled`` of a minimum is taken as in its basin without the descent.
    """
    x, y = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    minima = np.asarray(surface.minima)
    d = np.hypot(x[:, None] - minima[:, 0], y[:, None] - minima[:, 1])
    out = np.argmin(d, axis=1)
    far = d.min(axis=1) > settled
    if far.any():  # only the points not already at a minimum need the descent
        quench = simulate_sgd(surface, np.column_stack([x[far], y[far]]), np.zeros(int(far.sum())), steps, lr)
        out[far] = nearest_minimum(surface, *quench.end)
    return out
