"""The batch lessons' many-seed experiments: escapes from a shallow minimum, sharp vs flat minima.

Both run the lesson's own scene (its surface, start, steps and runs) for many
seeds at once with lab.ensemble, and judge where each seed ended by the basin
full-batch GD falls into from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from lab.ensemble import Ensemble, basin, simulate_sgd
from lab.scene import Scene
from surfaces import SURFACES
from surfaces.shifted import sharp_flat_test_loss

QUENCH_LR = 0.02  # small enough for full-batch GD to settle in the sharpest basin used here
QUENCH_STEPS = 500


def _ensembles(scene: Scene, seeds: int, start_spread: float) -> tuple[Ensemble, ...]:
    """Every run of ``scene`` (plain SGD) for seeds 0..seeds-1; starts spread by a seeded Gaussian."""
    surface = SURFACES[scene.surface]
    for run in scene.runs:
        if run.optimizer != "gd" or run.schedule != "constant":
            raise ValueError("the many-seed simulation runs plain SGD (gd, constant learning rate) only")
    rng = np.random.default_rng(12345)
    starts = np.asarray(scene.start_point) + rng.normal(0.0, start_spread, (seeds, 2))
    return tuple(
        simulate_sgd(surface, starts, np.arange(seeds), scene.updates(run), run.lr, run.batch_size, run.shuffle)
        for run in scene.runs
    )


@dataclass(frozen=True, eq=False)
class EscapeCount:
    label: str
    batch_size: int
    escaped: int
    seeds: int


@lru_cache(maxsize=8)
def escape_counts(scene: Scene, seeds: int = 100) -> tuple[EscapeCount, ...]:
    """Per run: how many seeds end in the global minimum's basin (``minima[0]``) instead of a local one."""
    surface = SURFACES[scene.surface]
    out = []
    for run, ens in zip(scene.runs, _ensembles(scene, seeds, 0.0)):
        where = basin(surface, *ens.end, QUENCH_LR, QUENCH_STEPS)
        out.append(EscapeCount(run.display_label(), run.batch_size, int((where == 0).sum()), seeds))
    return tuple(out)


@dataclass(frozen=True, eq=False)
class SharpFlatRow:
    """One batch size over many seeds: where each ended, its losses, and the table's mean and std."""

    label: str
    batch_size: int
    end_x: np.ndarray
    end_y: np.ndarray
    in_flat: np.ndarray  # bool per seed
    train_loss: np.ndarray
    test_loss: np.ndarray

    def summary(self) -> dict:
        return {
            "label": self.label,
            "batch_size": self.batch_size,
            "seeds": len(self.end_x),
            "flat": int(self.in_flat.sum()),
            "train_mean": float(self.train_loss.mean()),
            "train_std": float(self.train_loss.std()),
            "test_mean": float(self.test_loss.mean()),
            "test_std": float(self.test_loss.std()),
        }


@lru_cache(maxsize=8)
def sharp_flat_experiment(scene: Scene, seeds: int = 200, start_spread: float = 0.1) -> tuple[SharpFlatRow, ...]:
    """Every run of the sharp-flat scene for ``seeds`` seeds (starts spread as random initializations)."""
    surface = SURFACES[scene.surface]
    if scene.surface != "sharp-flat":
        raise ValueError(f"the sharp-flat experiment needs the 'sharp-flat' surface, not '{scene.surface}'")
    rows = []
    for run, ens in zip(scene.runs, _ensembles(scene, seeds, start_spread)):
        x, y = ens.end
        rows.append(
            SharpFlatRow(
                label=run.display_label(),
                batch_size=run.batch_size,
                end_x=x,
                end_y=y,
                in_flat=basin(surface, x, y, QUENCH_LR, QUENCH_STEPS) == 0,
                train_loss=surface.value(x, y),
                test_loss=sharp_flat_test_loss(x, y),
            )
        )
    return tuple(rows)
