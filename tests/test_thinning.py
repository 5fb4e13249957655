"""Path thinning keeps a zigzag a zigzag."""

import numpy as np

from lab.thinning import thin_path


def reversals(values):
    d = np.diff(values)
    return int(np.sum(d[1:] * d[:-1] < 0))


def test_short_paths_are_drawn_whole():
    x = np.linspace(0, 1, 100)
    assert np.array_equal(thin_path(x, x, 4000), np.arange(100))


def test_a_period_two_bounce_still_spans_both_walls_after_thinning():
    n = 100_001
    x = np.linspace(1, 0, n)
    y = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)  # bounces between y = 1 and y = -1
    keep = thin_path(x, y, 4000)
    assert len(keep) <= 4000 and keep[0] == 0 and keep[-1] == n - 1
    assert np.all(np.diff(keep) > 0)
    thinned = y[keep]
    assert thinned.min() == -1.0 and thinned.max() == 1.0
    # every-k-th sampling with an even k would draw a flat line on one wall
    assert np.unique(y[:: (n // 4000) * 2]).size == 1
    assert reversals(thinned) > 0.3 * len(keep)


def test_extremes_of_the_path_survive():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=50_000).cumsum(), rng.normal(size=50_000).cumsum()
    keep = thin_path(x, y, 3000)
    for coord in (x, y):
        assert coord[keep].min() == coord.min() and coord[keep].max() == coord.max()


def test_zoomed_thinning_shows_the_real_teeth_inside_the_view():
    from lab.thinning import thin_in_view

    n = 100_001
    x = np.linspace(1, 0, n)
    y = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    box = (0.5, 0.501, -2, 2)  # 1/1000 of the path: about 100 steps, every tooth drawn
    keep = thin_in_view(x, y, box, 4000)
    inside = np.flatnonzero((x >= 0.5) & (x <= 0.501))
    assert set(inside) <= set(keep[keep >= 0])
    drawn = keep[keep >= 0]
    assert np.all(np.abs(np.diff(y[drawn])) == 2.0)  # consecutive drawn points alternate walls


def test_zoomed_thinning_breaks_between_separate_visits():
    from lab.thinning import thin_in_view

    t = np.linspace(0, 4 * np.pi, 2000)
    x, y = np.cos(t), np.sin(t)  # two laps of a circle
    keep = thin_in_view(x, y, (0.9, 1.1, -0.2, 0.2), 500)
    assert np.count_nonzero(keep == -1) >= 2  # the view is crossed three times: start, lap, end
    assert keep[0] != -1 and keep[-1] != -1


def test_zoomed_thinning_keeps_the_steps_that_cross_the_view_without_stopping_in_it():
    """A bounce across the valley with both ends on the walls, zoomed to the floor: the lines still cross."""
    from lab.thinning import thin_in_view

    n = 1001
    x = np.linspace(2, 0, n)
    y = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)  # every point on a wall, none on the floor
    box = (0.9, 1.1, -0.001, 0.001)
    keep = thin_in_view(x, y, box, 4000)
    drawn = keep[keep >= 0]
    assert drawn.size and np.all((x[drawn] >= 0.89) & (x[drawn] <= 1.11))  # the crossings, nothing far off
    assert np.count_nonzero((x >= 0.9) & (x <= 1.1)) <= drawn.size  # every crossing kept (~100)
    # a step whose line misses the box is not drawn: one that passes beside it, above the floor
    miss = thin_in_view(np.array([0.0, 2.0]), np.array([1.0, 0.5]), box, 100)
    assert miss.size == 0
    # one corner-to-corner diagonal through the box, both ends outside it, is kept
    assert list(thin_in_view(np.array([0.8, 1.2]), np.array([-0.01, 0.01]), box, 100)) == [0, 1]


def test_sorted_indices_is_np_unique_by_sorting():
    from lab.thinning import sorted_indices

    rng = np.random.default_rng(0)
    picks = [rng.integers(0, 5000, 3000), rng.integers(0, 5000, 3000), np.array([0, 4999])]
    assert np.array_equal(sorted_indices(picks), np.unique(np.concatenate(picks)))
    assert sorted_indices([np.array([], dtype=int)]).size == 0
