"""Phenomenon tests for the lessons of "Adaptive Learning Rate": each asserts, with numbers,
what its caption tells the student to notice."""

from dataclasses import replace

import numpy as np
import pytest

from lab.simulate import simulate
from lab.scene import Run
from lessons import adaptive
from surfaces import SURFACES

# The floor of tilted-valley is y = 0.001 x (surfaces/valleys.py).
TILTED_FLOOR_SLOPE = 1e-3


# --- measures -----------------------------------------------------------------------------


def reversal_fraction(steps: np.ndarray) -> float:
    """Fraction of consecutive steps that point in opposite directions (1.0: a pure zigzag)."""
    return float(np.mean(steps[1:] * steps[:-1] < 0))


def last_reversal(steps: np.ndarray) -> int:
    """The last update whose step reverses the previous one (-1 if none does)."""
    reversals = np.flatnonzero(steps[1:] * steps[:-1] < 0)
    return int(reversals[-1]) + 1 if reversals.size else -1


def second_half(values: np.ndarray) -> np.ndarray:
    return values[len(values) // 2 :]


def late_loss_change(loss: np.ndarray) -> float:
    """Change of the mean loss from the third to the last quarter, relative to the start loss.

    Quarter means, not single values: a zigzag's loss alternates step by step.
    """
    n = len(loss)
    third, fourth = loss[n // 2 : 3 * n // 4], loss[3 * n // 4 :]
    return abs(fourth.mean() - third.mean()) / loss[0]


def fraction_covered(traj, x_min: float) -> float:
    """Fraction of the x-distance from the start to the minimum that the run has covered."""
    return (traj.x[0] - traj.x[-1]) / (traj.x[0] - x_min)


def height_above_tilted_floor(traj) -> np.ndarray:
    """|y - floor(x)| on tilted-valley, the distance along the steep direction."""
    return np.abs(traj.y - TILTED_FLOOR_SLOPE * traj.x)


def distance_to(traj, point) -> np.ndarray:
    return np.hypot(traj.x - point[0], traj.y - point[1])


def first_index(condition: np.ndarray, after: int = 0) -> int:
    """First index >= after where condition holds (the test fails if none does)."""
    hits = np.flatnonzero(condition[after:])
    assert hits.size, "the condition never holds"
    return after + int(hits[0])


def final_sigma(traj) -> np.ndarray:
    """sigma_x, sigma_y after the last update (Adagrad and RMSProp record it)."""
    k = traj.state_fields.index("sigma")
    return np.array([traj.states_x[-1, k], traj.states_y[-1, k]])


def step_lengths(traj) -> np.ndarray:
    """Length of each update's step in the plane."""
    return np.hypot(np.diff(traj.x), np.diff(traj.y))


def eruption(traj):
    """(floor arrival, quiet start, rise start, peak) of Adagrad's eruption on tilted-valley.

    Floor arrival: first update within 0.01 of the floor. Quiet phase: within 1e-3 of the
    floor. The peak is the highest point after the floor arrival; the rise starts at the
    last quiet update before it.
    """
    h = height_above_tilted_floor(traj)
    floor = first_index(h < 0.01)
    peak = floor + int(np.argmax(h[floor:]))
    quiet_start = first_index(h < 1e-3, after=floor)
    quiet = np.flatnonzero(h[quiet_start:peak] < 1e-3)
    assert quiet.size, "no quiet phase on the floor before the highest point"
    return floor, quiet_start, quiet_start + int(quiet[-1]), peak


# --- the lessons ----------------------------------------------------------------------------


def test_lessons_are_exported_in_the_lecture_order():
    assert [lesson.id for lesson in adaptive.LESSONS] == [
        "lr-too-large",
        "lr-sweep",
        "lr-too-small",
        "adagrad-eruption",
        "adagrad-decay",
        "crescent-rmsprop",
        "adam",
        "warmup",
    ]


@pytest.mark.parametrize("lesson", adaptive.LESSONS, ids=lambda lesson: lesson.id)
def test_every_run_of_the_lesson_simulates_ok(lesson):
    assert [t.status for t in simulate(lesson.scene)] == ["ok"] * len(lesson.scene.runs)


def test_lr_too_large_bounces_between_the_walls_with_a_large_gradient():
    (t,) = simulate(adaptive.LR_TOO_LARGE.scene)
    dy = np.diff(t.y)
    assert reversal_fraction(second_half(dy)) > 0.9  # measured: 1.0
    assert late_loss_change(t.loss) < 0.05  # measured: 0.001
    assert second_half(t.loss).mean() > 0.5 * t.loss[0]  # stuck high: measured 1.25 x the start
    late_norm = second_half(t.grad_norm)
    assert 0.45 < late_norm.min() and late_norm.max() < 0.55  # measured: 0.500


def test_lr_sweep_keeps_oscillating_until_1e_7():
    scene = adaptive.LR_SWEEP.scene
    trajectories = simulate(scene)
    x_min = SURFACES[scene.surface].minima[0][0]
    oscillating = []
    for t in trajectories:
        dy = np.diff(t.y)
        oscillating.append(reversal_fraction(second_half(dy)) > 0.9)
        # No learning rate travels along the floor: 10^-2 covers 1.0% of the way.
        assert fraction_covered(t, x_min) < 0.02, t.run.label
    assert oscillating == [True] * 5 + [False]
    for t in trajectories[:5]:
        assert late_loss_change(t.loss) < 0.05, t.run.label  # measured: <= 0.001
        assert second_half(t.grad_norm).min() > 0.4, t.run.label  # measured: 0.490 to 0.500
    smallest = trajectories[-1]
    # 10^-7 comes down the wall and settles: no reversal after update 40,006.
    assert last_reversal(np.diff(smallest.y)) < 0.6 * scene.steps
    assert second_half(smallest.grad_norm).max() < 1e-3  # measured: 1.0e-5


def test_lr_too_small_barely_moves_along_the_floor():
    scene = adaptive.LR_TOO_SMALL.scene
    (t,) = simulate(scene)
    assert scene.steps == 100_000
    assert fraction_covered(t, SURFACES[scene.surface].minima[0][0]) < 1e-5  # measured: 1.0e-7
    assert t.grad_norm[-1] < 1e-4  # on the floor, where the gradient is tiny: measured 1.0e-5


def test_adagrad_erupts_near_the_minimum_after_a_quiet_phase():
    scene = adaptive.ADAGRAD_ERUPTION.scene
    (t,) = simulate(scene)
    h = height_above_tilted_floor(t)
    floor, quiet_start, rise_start, peak = eruption(t)
    assert floor <= 30  # down the wall: measured 16 updates
    assert rise_start - quiet_start >= 500  # quiet on the floor: measured 701 updates
    assert h[quiet_start:rise_start].max() < 1e-3
    assert peak - rise_start <= 30  # sudden: measured 23 updates
    view = scene.view_box
    assert h[peak] >= (view.y_max - view.y_min) / 6  # plainly visible: measured 0.647 of 2.8
    assert abs(t.x[peak]) < 0.01 * t.x[0]  # near the minimum: measured x = 0.017 of 30
    assert h[peak : peak + 21].min() < 0.1 * h[peak]  # and back: below 10% after 10 updates


def test_adagrad_with_decay_arrives_without_erupting():
    scene = adaptive.ADAGRAD_DECAY.scene
    constant, decay = simulate(scene)
    assert decay.run.schedule == "decay"
    erupted = height_above_tilted_floor(constant)[eruption(constant)[3]]
    assert erupted >= (scene.view_box.y_max - scene.view_box.y_min) / 6  # measured 0.647
    h = height_above_tilted_floor(decay)
    floor = first_index(h < 0.01)
    assert h[floor:].max() < 0.02 * erupted  # measured: 0.0016, 0.25% of the eruption
    minimum = SURFACES[scene.surface].minima[0]
    assert distance_to(decay, minimum)[-1] < 0.05  # measured 0.0053 from a start 30 away


def test_decay_makes_the_lectures_adagrad_the_root_sum_adagrad_and_needs_a_larger_eta():
    """The caption: eta/sqrt(t+1) over sqrt(sum g^2/(t+1)) is eta/sqrt(sum g^2), Duchi et al.'s Adagrad;
    from the constant run's eta = 0.15 the decayed run stops about 18 short of the minimum."""
    scene = adaptive.ADAGRAD_DECAY.scene
    constant, decay = scene.runs
    root_sum, slow = simulate(replace(scene, runs=(Run("adagrad-sum", decay.lr, params=(("eps", 0.0),)),
                                                   replace(decay, lr=constant.lr))))
    (decayed,) = simulate(replace(scene, runs=(decay,)))
    assert np.allclose(decayed.x, root_sum.x, rtol=1e-12, atol=1e-12)
    assert np.allclose(decayed.y, root_sum.y, rtol=1e-12, atol=1e-12)
    short = distance_to(slow, SURFACES[scene.surface].minima[0])[-1]
    assert 17 < short < 19  # measured 17.93 of the 30 to go


def test_rmsprop_reaches_the_crescent_minimum_and_adagrad_does_not():
    scene = adaptive.CRESCENT_RMSPROP.scene
    adagrad, rmsprop = simulate(scene)
    assert adagrad.run.lr == rmsprop.run.lr
    minimum = SURFACES[scene.surface].minima[0]
    assert distance_to(rmsprop, minimum)[-1] < 0.05  # measured 0.029
    assert distance_to(adagrad, minimum)[-1] > 1.0  # measured 2.16, from 3.9 at the start
    # Why: Adagrad's sigma still carries the steep wall (measured 10.6x and 7.4x RMSProp's),
    # so along the floor its steps are a fraction of RMSProp's (measured 0.18x).
    assert np.all(final_sigma(adagrad) > 5 * final_sigma(rmsprop))
    along_floor = slice(200, 400)
    assert step_lengths(adagrad)[along_floor].mean() < step_lengths(rmsprop)[along_floor].mean() / 3


def test_adam_walks_the_floor_like_rmsprop_and_settles_like_momentum():
    scene = adaptive.ADAM.scene
    momentum, rmsprop, adam = simulate(scene)
    x_min = SURFACES[scene.surface].minima[0][0]
    assert fraction_covered(momentum, x_min) < 0.01  # measured: 0.03%
    for t in (rmsprop, adam):
        assert abs(t.x[-1] - x_min) < 0.01, t.run.label  # measured: 0.0045, 0.0047
    last_tenth = slice(int(0.9 * scene.steps), None)
    rmsprop_dy = np.abs(np.diff(rmsprop.y))[last_tenth]
    adam_dy = np.abs(np.diff(adam.y))[last_tenth]
    eta = adam.run.lr
    assert 0.5 * eta < np.median(rmsprop_dy) < 1.5 * eta  # RMSProp zigzags with steps of eta
    assert np.median(adam_dy) < 0.2 * eta  # measured 0.055 eta
    adam_late = adam.loss[last_tenth].max()
    assert adam_late < rmsprop.loss[last_tenth].max() / 5  # measured 15x lower
    assert adam_late < momentum.loss[last_tenth].max() / 5  # measured 17x lower


def test_warmup_schedules_rise_then_fall():
    scene = adaptive.WARMUP.scene
    plain, linear, transformer, resnet, radam = simulate(scene)
    w, eta = adaptive.WARMUP_STEPS, adaptive.WARMUP_LR
    for t in (linear, transformer):
        assert np.all(np.diff(t.lr[:w]) > 0), t.run.label
        assert t.lr[w - 1] == pytest.approx(eta), t.run.label
        assert np.all(np.diff(t.lr[w - 1 :]) <= 0), t.run.label
    assert linear.lr[-1] < 0.01 * eta  # cosine down to ~0 at the last step
    after = np.arange(w, scene.steps)
    assert np.allclose(transformer.lr[after] * np.sqrt(after + 1.0), eta * np.sqrt(w))  # ~ 1/sqrt(step)
    assert np.all(resnet.lr[:w] == eta / 10) and np.all(resnet.lr[w:] == eta)
    assert np.all(plain.lr == eta) and np.all(radam.lr == eta)


def test_adam_without_warmup_jumps_up_the_wall_first():
    scene = adaptive.WARMUP.scene
    plain, *careful = simulate(scene)
    # "Adam's first step moves every parameter by eta": m_hat / sqrt(v_hat) = g / |g|
    assert abs(plain.x[1] - plain.x[0]) == pytest.approx(plain.lr[0], rel=1e-6)
    assert abs(plain.y[1] - plain.y[0]) == pytest.approx(plain.lr[0], rel=1e-6)
    first_steps = slice(0, 11)
    jump = height_above_tilted_floor(plain)[first_steps].max()
    assert jump > 10 * height_above_tilted_floor(plain)[0]  # measured 0.47 from 0.03
    assert plain.loss.max() > 1.1 * plain.loss[0]  # the loss rises: measured 1.21 x
    for t in careful:
        assert height_above_tilted_floor(t)[first_steps].max() < 0.1 * jump, t.run.label  # measured <= 0.031
        assert t.loss.max() <= t.loss[0], t.run.label  # never above the start
