"""The landscapes and the lessons of "Batch and Momentum", checked by numbers."""

import math

import numpy as np
import pytest

from lab.simulate import simulate
from lessons import LESSONS
from lessons.momentum_batch import BATCH_SIZE, LOCAL_MINIMUM_MOMENTUM, SADDLE_MOMENTUM
from surfaces import SURFACES
from surfaces.landscapes import SADDLE_POINT
from surfaces.landscapes import SURFACES as LANDSCAPES


# --- measures -------------------------------------------------------------------------------------


def distances_to(trajectory, point) -> np.ndarray:
    """Distance of every position theta^0..theta^n from ``point``."""
    return np.hypot(trajectory.x - point[0], trajectory.y - point[1])


def steps_within(trajectory, point, radius) -> int:
    """How many positions of the run lie within ``radius`` of ``point``."""
    return int((distances_to(trajectory, point) < radius).sum())


def first_step_within(trajectory, points, radius) -> int | None:
    """The first position index within ``radius`` of any of ``points``, or None."""
    near = np.any([distances_to(trajectory, p) < radius for p in points], axis=0)
    return int(np.argmax(near)) if near.any() else None


def end_distance(trajectory, point) -> float:
    return float(distances_to(trajectory, point)[-1])


def turning_angles(trajectory) -> np.ndarray:
    """Angle in degrees between consecutive steps: 0 on a straight path, 180 on a reversal."""
    dx, dy = np.diff(trajectory.x), np.diff(trajectory.y)
    dot = dx[1:] * dx[:-1] + dy[1:] * dy[:-1]
    cos = dot / (np.hypot(dx[1:], dy[1:]) * np.hypot(dx[:-1], dy[:-1]))
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def gradient_deviation(trajectory, surface) -> np.ndarray:
    """|g used - full gradient| / |full gradient| at each update's position."""
    gx, gy = surface.grad(trajectory.x[:-1], trajectory.y[:-1])
    return np.hypot(trajectory.grad_x - gx, trajectory.grad_y - gy) / np.hypot(gx, gy)


def last_epoch_loss_gap(trajectory, surface) -> float:
    """Mean of L - L* over the positions of the run's last epoch."""
    per_epoch = trajectory.updates_per_epoch or 1
    return float((trajectory.loss[-per_epoch:] - surface.value(*surface.minima[0])).mean())


def central_difference(surface, x, y) -> tuple[float, float]:
    h = 1e-6 * max(1.0, abs(x), abs(y))
    f = surface.value
    return (f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h)


def hessian(surface, x, y) -> np.ndarray:
    """Central differences of the analytic gradient."""
    h = 1e-5 * max(1.0, abs(x), abs(y))
    gxp, gxm = np.array(surface.grad(x + h, y, math)), np.array(surface.grad(x - h, y, math))
    gyp, gym = np.array(surface.grad(x, y + h, math)), np.array(surface.grad(x, y - h, math))
    H = np.column_stack([(gxp - gxm) / (2 * h), (gyp - gym) / (2 * h)])
    return (H + H.T) / 2


def newton_step(surface, point) -> float:
    """Length of one Newton step from ``point``: how far it is from the stationary point nearby."""
    g = np.array(surface.grad(*point, math))
    return float(np.linalg.norm(np.linalg.solve(hessian(surface, *point), g)))


# --- surfaces -------------------------------------------------------------------------------------

surfaces = pytest.mark.parametrize("surface", LANDSCAPES, ids=lambda s: s.name)


def view_points(surface, n=5):
    """An n x n lattice strictly inside the view."""
    box = surface.view
    xs = np.linspace(box.x_min, box.x_max, n + 2)[1:-1]
    ys = np.linspace(box.y_min, box.y_max, n + 2)[1:-1]
    return [(float(x) + 0.0123, float(y) - 0.0234) for x in xs for y in ys]


def test_the_registry_holds_the_five_landscapes():
    names = [s.name for s in LANDSCAPES]
    assert names == ["saddle", "local-minima", "bowl", "beale", "himmelblau"]
    assert all(SURFACES[name] is s for name, s in zip(names, LANDSCAPES))


@surfaces
def test_gradient_matches_central_differences(surface):
    points = view_points(surface)
    scale = np.median([np.hypot(*surface.grad(x, y, math)) for x, y in points])
    for x, y in points:
        analytic = np.array(surface.grad(x, y, math))
        numeric = np.array(central_difference(surface, x, y))
        error = np.linalg.norm(analytic - numeric)
        assert error <= 1e-6 * max(np.linalg.norm(analytic), 1e-3 * scale), (x, y, analytic, numeric)


@surfaces
def test_every_listed_minimum_is_a_stationary_minimum(surface):
    for point in surface.minima:
        assert surface.view.contains(*point)
        assert newton_step(surface, point) < 1e-10 * (1.0 + math.hypot(*point))
        assert np.hypot(*surface.grad(*point, math)) < 1e-8 * max(1.0, np.abs(hessian(surface, *point)).max())
        assert np.linalg.eigvalsh(hessian(surface, *point)).min() > 0
    values = [surface.value(*p, math) for p in surface.minima]
    assert values[0] <= min(values) + 1e-12, "the global minimum comes first"


@surfaces
def test_value_and_gradient_evaluate_a_200_by_200_grid(surface):
    xs, ys, z = surface.grid(resolution=200)
    gx, gy = surface.grad(*np.meshgrid(xs, ys))
    for array in (z, gx, gy):
        assert array.shape == (200, 200)
        assert np.isfinite(array).all()


@surfaces
def test_math_and_numpy_give_the_same_numbers(surface):
    x, y = 0.37 * surface.view.x_max + 0.11, 0.29 * surface.view.y_min - 0.07
    xs, ys = np.array([x, 0.0]), np.array([y, 0.0])  # the first entry of a NumPy evaluation
    assert surface.value(x, y, math) == pytest.approx(float(surface.value(xs, ys)[0]), rel=1e-14)
    by_numpy = tuple(float(g[0]) for g in surface.grad(xs, ys))
    assert surface.grad(x, y, math) == pytest.approx(by_numpy, rel=1e-14)


def test_the_saddle_point_curves_down_along_x_and_up_along_y():
    saddle = SURFACES["saddle"]
    assert np.hypot(*saddle.grad(*SADDLE_POINT, math)) == 0.0
    low, high = np.linalg.eigvalsh(hessian(saddle, *SADDLE_POINT))
    assert low == pytest.approx(-1.0, rel=1e-6) and high == pytest.approx(2.0, rel=1e-6)
    assert saddle.value(*SADDLE_POINT) > max(saddle.value(*p) for p in saddle.minima)


def test_local_minima_has_a_shallow_minimum_beside_a_deeper_global_one():
    surface = SURFACES["local-minima"]
    (global_value, local_value) = (surface.value(*p, math) for p in surface.minima)
    assert local_value - global_value > 1.0


def test_himmelblau_lists_its_four_minima_at_zero():
    surface = SURFACES["himmelblau"]
    assert len(surface.minima) == 4 and surface.minima[0] == (3.0, 2.0)
    assert all(surface.value(*p, math) < 1e-25 for p in surface.minima)


# --- lessons --------------------------------------------------------------------------------------


def test_lessons_are_registered_in_order_with_both_captions():
    ids = [lesson.id for lesson in LESSONS.values()]
    mine = ["saddle-momentum", "local-minimum-momentum", "batch-size"]
    assert [i for i in ids if i in mine] == mine
    terms = {"saddle-momentum": "鞍点", "local-minimum-momentum": "局部最小值", "batch-size": "批次大小"}
    for lesson_id in mine:
        lesson = LESSONS[lesson_id]
        assert lesson.caption_en and terms[lesson_id] in lesson.caption_zh
        assert all(t.status == "ok" for t in simulate(lesson.scene))


def test_gradient_descent_crawls_at_the_saddle_point_and_momentum_does_not():
    gd, momentum = simulate(SADDLE_MOMENTUM.scene)
    gd_stay, momentum_stay = steps_within(gd, SADDLE_POINT, 0.25), steps_within(momentum, SADDLE_POINT, 0.25)
    assert gd_stay > 100  # "crawls there for over a hundred steps"
    assert gd_stay >= 10 * momentum_stay


def test_momentum_reaches_a_minimum_and_gradient_descent_does_not():
    gd, momentum = simulate(SADDLE_MOMENTUM.scene)
    minima = SURFACES["saddle"].minima
    arrival = first_step_within(momentum, minima, 0.1)
    assert arrival is not None and arrival < 60  # "rolls into a minimum within 60 steps"
    near = np.min([distances_to(momentum, p) for p in minima], axis=0) < 0.1
    settled = int(np.nonzero(~near)[0][-1]) + 1  # "and settles there after a few swings"
    assert arrival < settled <= 90 and settled < len(near) - 50  # measured: in at 55, for good from 81
    assert first_step_within(gd, minima, 0.1) is None
    assert min(end_distance(gd, p) for p in minima) > 0.5


def test_gradient_descent_stops_in_the_local_minimum_and_momentum_rolls_over_it():
    gd, momentum = simulate(LOCAL_MINIMUM_MOMENTUM.scene)
    global_min, local_min = SURFACES["local-minima"].minima
    assert gd.status == momentum.status == "ok"
    assert end_distance(gd, local_min) < 1e-3
    assert end_distance(momentum, global_min) < 1e-3
    assert distances_to(momentum, local_min).min() < 0.5  # it passed through the shallow dip


def test_batch_size_one_turns_at_random_and_full_batch_goes_straight():
    full, single = simulate(BATCH_SIZE.scene)
    assert np.median(turning_angles(single)) > 60.0
    assert np.median(turning_angles(full)) < 5.0


def test_batch_size_one_uses_gradients_far_from_the_full_gradient():
    surface = SURFACES["regression"]
    full, single = simulate(BATCH_SIZE.scene)
    assert np.median(gradient_deviation(single, surface)) > 0.5
    assert gradient_deviation(full, surface).max() < 1e-12


def test_in_the_same_epochs_batch_size_one_gets_closer_than_the_full_batch():
    surface = SURFACES["regression"]
    full, single = simulate(BATCH_SIZE.scene)
    start_gap = surface.value(*BATCH_SIZE.scene.start_point) - surface.value(*surface.minima[0])
    assert last_epoch_loss_gap(full, surface) < 0.25 * start_gap  # 20 smooth updates: on its way
    assert last_epoch_loss_gap(single, surface) < 0.05 * start_gap  # 400 noisy ones: much closer
    assert last_epoch_loss_gap(single, surface) < 0.3 * last_epoch_loss_gap(full, surface)


def test_batch_size_runs_see_the_same_epochs_with_their_own_number_of_updates():
    full, single = simulate(BATCH_SIZE.scene)
    assert (full.updates_per_epoch, single.updates_per_epoch) == (1, 20)
    assert (full.steps, single.steps) == (20, 400)
    assert "20 epochs" in BATCH_SIZE.caption_en and "20 个 epoch" in BATCH_SIZE.caption_zh
    assert "400 updates" in BATCH_SIZE.caption_en and "共 400 次" in BATCH_SIZE.caption_zh
