"""simulate: shapes, determinism, divergence, 0/0, mini-batches, and every optimizer descending."""

import math
from dataclasses import replace

import numpy as np
import pytest

from lab.scene import Run, Scene
from lab.simulate import simulate
from optimizers import OPTIMIZERS
from surfaces import SURFACES

PER_UPDATE = ("grad_x", "grad_y", "lr", "effective_lr_x", "effective_lr_y")
PER_POSITION = ("x", "y", "loss")


def assert_clean(traj, n):
    for name in PER_POSITION:
        assert len(getattr(traj, name)) == n + 1 and np.all(np.isfinite(getattr(traj, name))), name
    for name in PER_UPDATE:
        assert len(getattr(traj, name)) == n and np.all(np.isfinite(getattr(traj, name))), name


def test_positions_and_updates_have_n_plus_one_and_n_entries():
    (traj,) = simulate(Scene("valley", (Run("adam", lr=1e-3),), steps=250))
    assert traj.status == "ok" and traj.diverged_at is None
    assert_clean(traj, 250)
    assert (traj.x[0], traj.y[0]) == SURFACES["valley"].start


def test_the_recorded_gradient_is_the_one_at_each_position():
    (traj,) = simulate(Scene("tilted-valley", (Run("momentum", lr=0.1),), steps=30))
    gx, gy = SURFACES["tilted-valley"].grad(traj.x[:-1], traj.y[:-1])
    assert np.allclose(traj.grad_x, gx) and np.allclose(traj.grad_y, gy)


def test_same_scene_and_seed_give_the_same_numbers():
    scene = Scene("regression", (Run("adam", lr=0.05, batch_size=3),), steps=200, seed=7)
    first = simulate(scene)[0]
    simulate.cache_clear()
    second = simulate(scene)[0]
    assert first is not second
    for name in PER_POSITION + PER_UPDATE:
        assert np.array_equal(getattr(first, name), getattr(second, name))


def test_a_diverging_run_stops_with_diverged_at_and_no_nan():
    # across the tilted valley the curvature is ~1: GD with eta = 3 multiplies the error by -2 per step
    (traj,) = simulate(Scene("tilted-valley", (Run("gd", lr=3.0),), steps=5000))
    assert traj.status == "diverged" and traj.diverged_at is not None and traj.diverged_at < 5000
    assert_clean(traj, traj.diverged_at)
    assert "diverged at step" in traj.message


def test_overflow_in_a_huge_step_is_caught_as_divergence():
    (traj,) = simulate(Scene("valley", (Run("gd", lr=1e4),), steps=100_000))
    assert traj.status in ("ok", "diverged")
    assert_clean(traj, traj.steps)


def test_lecture_adagrad_at_a_stationary_point_reports_0_over_0_and_eps_cures_it():
    minimum = SURFACES["tilted-valley"].minima[0]
    (stuck,) = simulate(Scene("tilted-valley", (Run("adagrad", lr=0.1),), start=minimum, steps=10))
    assert stuck.status == "undefined" and stuck.steps == 0 and "eps" in stuck.message
    assert stuck.diverged_at is None
    cured = Run("adagrad", lr=0.1, params=(("eps", 1e-8),))
    (fine,) = simulate(Scene("tilted-valley", (cured,), start=minimum, steps=10))
    assert fine.status == "ok" and np.all(fine.x == minimum[0])


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_optimizer_descends_a_convex_quadratic(name):
    """The registry contract: from the default start, every optimizer lowers the regression loss."""
    lr = 0.05 if name in ("gd", "momentum") else 0.02
    (traj,) = simulate(Scene("regression", (Run(name, lr=lr),), steps=400))
    assert traj.status == "ok"
    assert traj.loss[-1] < 0.5 * traj.loss[0]
    assert traj.loss[-1] < traj.loss[0] and np.all(np.isfinite(traj.effective_lr_x))


def test_gd_effective_lr_is_the_schedule():
    run = Run("gd", lr=0.01, schedule="decay")
    (traj,) = simulate(Scene("valley", (run,), steps=100))
    assert np.allclose(traj.lr, 0.01 / np.sqrt(np.arange(100) + 1))
    assert np.array_equal(traj.effective_lr_x, traj.lr) and np.array_equal(traj.effective_lr_y, traj.lr)


def regression_scene(batch_size, shuffle=True, seed=0, steps=40):
    return Scene("regression", (Run("gd", lr=0.01, batch_size=batch_size, shuffle=shuffle),), steps=steps, seed=seed)


def test_full_batch_uses_the_full_gradient():
    for batch in (0, 20):
        (traj,) = simulate(regression_scene(batch))
        gx, gy = SURFACES["regression"].grad(traj.x[:-1], traj.y[:-1])
        assert np.allclose(traj.grad_x, gx) and np.allclose(traj.grad_y, gy)
        assert traj.updates_per_epoch == 1


def test_a_batch_of_one_uses_one_example_and_an_epoch_averages_to_the_full_gradient():
    data = SURFACES["regression"].data
    grad_at = data.batch_gradient(40, 1, True, seed=3)
    w, b = 0.3, -0.2
    epoch = np.array([grad_at(w, b, t) for t in range(20)])
    singles = [(2 * (w * xi + b - yi) * xi, 2 * (w * xi + b - yi)) for xi, yi in zip(data.x, data.y)]
    assert sorted(map(tuple, np.round(epoch, 12))) == sorted(map(tuple, np.round(singles, 12)))
    assert np.allclose(epoch.mean(axis=0), SURFACES["regression"].grad(w, b))
    (traj,) = simulate(regression_scene(1))
    assert traj.updates_per_epoch == 20
    full = np.array(SURFACES["regression"].grad(traj.x[:-1], traj.y[:-1]))
    assert not np.allclose(traj.grad_x, full[0])


def test_batches_that_do_not_divide_n_leave_a_smaller_last_batch():
    data = SURFACES["regression"].data
    from surfaces.data import minibatches

    order, starts, sizes = minibatches(7, 20, 6, False, 0)
    assert sizes.tolist() == [6, 6, 6, 2, 6, 6, 6]
    assert order[starts[3] : starts[3] + sizes[3]].tolist() == [18, 19]
    assert data.n_examples == 20


def test_shuffle_is_seeded_and_switchable():
    a, b, c = (simulate(regression_scene(4, seed=s))[0] for s in (1, 1, 2))
    assert np.array_equal(a.grad_x, b.grad_x) and not np.array_equal(a.grad_x, c.grad_x)
    ordered = [simulate(regression_scene(4, shuffle=False, seed=s))[0] for s in (1, 2)]
    assert np.array_equal(ordered[0].grad_x, ordered[1].grad_x)


def test_every_run_of_a_scene_is_simulated_in_order():
    runs = tuple(Run("gd", lr=lr) for lr in (1e-2, 1e-3, 1e-4))
    trajs = simulate(Scene("valley", runs, steps=20))
    assert [t.run.lr for t in trajs] == [1e-2, 1e-3, 1e-4]
    assert math.isclose(trajs[0].lr[0], 1e-2)


def test_a_start_where_the_loss_is_not_finite_gives_an_empty_run_with_a_reason():
    from lab.simulate import simulate_run
    from surfaces.base import Box, Surface

    log_surface = Surface(
        "log", "log", "f = log(x) + y²",
        value=lambda x, y, xp=np: xp.log(x) + y * y,
        grad=lambda x, y, xp=np: (1 / x, 2 * y),
        view=Box(0.1, 2, -1, 1), minima=((0.1, 0.0),), start=(1.0, 0.5),
    )
    traj = simulate_run(log_surface, Run("gd", lr=0.1), (-1.0, 0.5), 10, 0, (-1e9, 1e9, -1e9, 1e9))
    assert traj.status == "undefined" and "start" in traj.message
    assert len(traj.x) == len(traj.loss) == 0 and len(traj.grad_x) == 0
    # walking into the region where log is undefined stops the run before the first non-finite loss,
    # and says so: nothing grew, so it did not diverge. Step 0: x = 0.3 - 0.5 / 0.3 = -1.3667
    traj = simulate_run(log_surface, Run("gd", lr=0.5), (0.3, 0.5), 10, 0, (-1e9, 1e9, -1e9, 1e9))
    assert traj.status == "undefined" and np.all(np.isfinite(traj.loss)) and len(traj.loss) == traj.steps + 1
    assert traj.steps == 0 and traj.diverged_at is None
    assert str(traj.message) == "left the loss's domain at step 0: f is not defined at (-1.367, 0)"


def test_a_run_that_reaches_a_pole_of_the_gradient_says_where():
    from lab.simulate import simulate_run
    from surfaces.base import Box, Surface

    pole = Surface(  # f finite at x = 0, its gradient 1/x not: python's floats raise ZeroDivisionError
        "pole", "pole", "f = x² + y²", value=lambda x, y, xp=np: x * x + y * y, grad=lambda x, y, xp=np: (1 / x, 2 * y),
        view=Box(-2, 2, -2, 2), minima=((0.0, 0.0),), start=(1.0, 0.0),
    )
    traj = simulate_run(pole, Run("gd", lr=1.0), (1.0, 0.5), 10, 0, (-1e9, 1e9, -1e9, 1e9))  # x: 1 - 1/1 = 0
    assert traj.status == "undefined" and traj.steps == 1 and list(traj.x) == [1.0, 0.0]
    assert str(traj.message) == "stopped at step 1: the gradient is not defined at (0, -0.5)"
    assert traj.message.text("zh") == "在第 1 步停止：梯度在 (0, -0.5) 没有定义"


def test_cached_trajectories_cannot_be_edited_in_place():
    (traj,) = simulate(Scene("bowl", (Run("gd", lr=0.1),), steps=10))
    with pytest.raises(ValueError):
        traj.x[0] = 99.0


def test_epochs_run_every_batch_size_over_the_same_passes_through_the_data():
    runs = (Run("gd", lr=0.01, batch_size=20), Run("gd", lr=0.01, batch_size=1))
    full, single = simulate(Scene("regression", runs, epochs=5))
    assert (full.steps, single.steps) == (5, 100)
    assert (full.updates_per_epoch, single.updates_per_epoch) == (1, 20)


def test_trusted_scenes_have_no_time_budget(monkeypatch):
    """The lessons are trusted (app.build_app): a slow machine cannot cut lr-sweep short; others still stop."""
    from lab import simulate as simulation

    monkeypatch.delenv("LAB_SIM_BUDGET_S", raising=False)
    monkeypatch.setattr(simulation, "BUDGET_S", 1e-9)
    monkeypatch.setattr(simulation, "_TRUSTED", set())
    simulation.simulate.cache_clear()
    lesson = Scene("valley", (Run("gd", lr=0.01), Run("adam", lr=0.01)), steps=20_000)  # past the first check
    other = replace(lesson, steps=20_001)
    simulation.trust([lesson])
    assert [t.status for t in simulate(lesson)] == ["ok", "ok"]
    assert [t.status for t in simulate(other)] == ["stopped", "stopped"]
    simulation.simulate.cache_clear()
