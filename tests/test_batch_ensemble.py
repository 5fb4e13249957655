"""The many-seed simulation against the explorer's scalar loop, and the shifted-example surfaces."""

import math

import numpy as np
import pytest

from lab.ensemble import basin, nearest_minimum, simulate_sgd
from lab.scene import Run, Scene
from lab.simulate import simulate
from surfaces import SURFACES


@pytest.mark.parametrize("batch_size, shuffle", [(1, True), (7, True), (7, False), (0, True)])
def test_each_seed_of_the_ensemble_is_the_explorers_run_with_that_seed(batch_size, shuffle):
    surface = SURFACES["shallow-minimum"]
    ens = simulate_sgd(surface, surface.start, [0, 3, 11], 60, 0.15, batch_size, shuffle)
    for k, seed in enumerate([0, 3, 11]):
        (run,) = simulate(Scene("shallow-minimum", steps=60, seed=seed, runs=(Run("gd", 0.15, batch_size=batch_size, shuffle=shuffle),)))
        assert np.allclose(ens.x[k], run.x, rtol=0, atol=1e-9) and np.allclose(ens.y[k], run.y, rtol=0, atol=1e-9)


def test_one_batch_gradient_is_the_mean_of_its_examples_by_hand():
    data = SURFACES["sharp-flat"].data
    grad_at = data.batch_gradient(steps=1, batch_size=3, shuffle=False, seed=0)  # examples 0, 1, 2
    x, y = 0.4, -0.2
    by_hand = np.mean([data.f_grad(x - sx, y - sy, math) for sx, sy in data.offsets[:3]], axis=0)
    assert grad_at(x, y, 0) == pytest.approx(tuple(by_hand), rel=1e-12)


def test_the_full_loss_is_the_mean_of_the_shifted_copies():
    data = SURFACES["shallow-minimum"].data
    x, y = 0.7, 0.2
    assert data.loss(x, y) == pytest.approx(np.mean([data.f(x - sx, y - sy) for sx, sy in data.offsets]))
    assert abs(data.offsets.mean(axis=0)).max() < 1e-15


def test_basin_follows_full_batch_descent_not_the_nearest_minimum():
    surface = SURFACES["shallow-minimum"]
    (glob, local) = surface.minima
    assert basin(surface, [glob[0], local[0]], [glob[1], local[1]], 0.1).tolist() == [0, 1]
    assert nearest_minimum(surface, [glob[0]], [glob[1]]).tolist() == [0]
    point = (0.45, 0.0)  # nearer the local minimum, but on the global side of the ridge
    assert nearest_minimum(surface, [point[0]], [point[1]]).tolist() == [1]
    assert basin(surface, [point[0]], [point[1]], 0.1).tolist() == [0]


def test_the_ensemble_refuses_data_it_cannot_batch_in_one_sentence():
    with pytest.raises(ValueError, match="shifted from one landscape"):
        simulate_sgd(SURFACES["regression"], (0, 0), [0], 5, 0.01, batch_size=2)
