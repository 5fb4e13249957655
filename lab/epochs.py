"""Where a trajectory stands at each epoch boundary: the points to mark on its path."""

from __future__ import annotations

import numpy as np


def epoch_boundaries(trajectory) -> np.ndarray:
    """Position indices 0, K, 2K, ... (K updates per epoch) up to the last position; empty without data.

    Position k*K is theta after k full passes over the examples, so with shuffling
    off a path that cycles returns to the same point at every one of them.
    """
    per_epoch = trajectory.updates_per_epoch
    if not per_epoch:
        return np.empty(0, dtype=int)
    return np.arange(0, len(trajectory.x), per_epoch)


def epoch_positions(trajectory) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(epoch numbers, x, y) at every epoch boundary of ``trajectory``."""
    idx = epoch_boundaries(trajectory)
    per_epoch = trajectory.updates_per_epoch or 1
    return idx // per_epoch, trajectory.x[idx], trajectory.y[idx]
