"""Surfaces: every registered surface against its own oracles (central differences, stationary minima)."""

import math

import numpy as np
import pytest

from surfaces import SURFACES


def sample_points(surface, n=12, seed=0):
    """Points spread over the surface's view box, seeded."""
    box = surface.view
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(box.x_min, box.x_max, n), rng.uniform(box.y_min, box.y_max, n)])


def central_difference(surface, x, y):
    hx = 1e-6 * max(surface.view.x_max - surface.view.x_min, 1e-12)
    hy = 1e-6 * max(surface.view.y_max - surface.view.y_min, 1e-12)
    f = surface.value
    return (f(x + hx, y) - f(x - hx, y)) / (2 * hx), (f(x, y + hy) - f(x, y - hy)) / (2 * hy)


@pytest.mark.parametrize("name", SURFACES)
def test_gradient_matches_central_differences(name):
    surface = SURFACES[name]
    for x, y in sample_points(surface):
        gx, gy = surface.grad(x, y)
        nx, ny = central_difference(surface, x, y)
        scale = max(abs(gx), abs(gy), abs(nx), abs(ny), 1e-12)
        assert abs(gx - nx) <= 1e-5 * scale and abs(gy - ny) <= 1e-5 * scale, (x, y)


@pytest.mark.parametrize("name", SURFACES)
def test_listed_minima_are_stationary_and_the_first_is_lowest(name):
    surface = SURFACES[name]
    typical = np.nanmedian(np.hypot(*surface.grad(*sample_points(surface, 200).T)))
    values = [surface.value(x, y) for x, y in surface.minima]
    for x, y in surface.minima:
        assert np.hypot(*surface.grad(x, y)) <= 1e-8 * max(typical, 1.0), (x, y)
    assert values[0] == min(values)


@pytest.mark.parametrize("name", SURFACES)
def test_scalar_math_and_numpy_formulas_agree(name):
    surface = SURFACES[name]
    for x, y in sample_points(surface, 5):
        assert surface.value(float(x), float(y), math) == pytest.approx(surface.value(x, y), rel=1e-12, abs=1e-300)
        assert surface.grad(float(x), float(y), math) == pytest.approx(surface.grad(x, y), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("name", SURFACES)
def test_grid_is_finite_and_describes_itself(name):
    surface = SURFACES[name]
    xs, ys, zs = surface.grid(resolution=200)
    assert zs.shape == (200, 200) and np.all(np.isfinite(zs))
    assert surface.label and surface.formula and surface.minima
    assert surface.view.x_min < surface.view.x_max and surface.view.y_min < surface.view.y_max
    assert np.all(np.isfinite(surface.grad(*surface.start)))
