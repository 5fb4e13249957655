"""The batch lab's lessons and surfaces, each phenomenon asserted with numbers."""

import math

import numpy as np
import pytest

from lab.batch_experiments import escape_counts, sharp_flat_experiment
from lab.epochs import epoch_boundaries, epoch_positions
from lab.scene import Run, Scene
from lab.simulate import simulate
from lessons import LESSONS
from lessons.batch_lab import NOISY_ESCAPE, SHARP_FLAT, SHUFFLE
from surfaces import SURFACES
from surfaces.data import GROUP_SIZE, THREE_GROUPS, THREE_GROUPS_DATA, group_optima
from surfaces.shifted import FLAT, SHARP, SHARP_FLAT_DATA, TEST_SHIFT, sharp_flat_test_loss


def test_the_three_lessons_are_registered_in_both_languages():
    for lesson in (SHUFFLE, NOISY_ESCAPE, SHARP_FLAT):
        assert LESSONS[lesson.id] is lesson
        assert lesson.title_zh and lesson.caption_zh and lesson.title_en != lesson.title_zh


# --- epoch boundaries -------------------------------------------------------------------------------


def test_epoch_boundaries_are_every_pass_over_the_data():
    (run,) = simulate(Scene("three-groups", epochs=3, runs=(Run("gd", 0.1, batch_size=40),)))
    per_epoch = math.ceil(300 / 40)  # 8 updates, the last of 20 examples
    assert run.updates_per_epoch == per_epoch
    assert epoch_boundaries(run).tolist() == [0, 8, 16, 24]
    epochs, x, y = epoch_positions(run)
    assert epochs.tolist() == [0, 1, 2, 3] and x[2] == run.x[16] and y[3] == run.y[-1]


def test_an_analytic_surface_has_no_epoch_boundaries():
    (run,) = simulate(Scene("valley", steps=10))
    assert epoch_boundaries(run).size == 0


# --- shuffle ----------------------------------------------------------------------------------------


def test_the_groups_are_stored_in_order_with_their_own_optima():
    optima = np.array(group_optima())
    full = np.array(THREE_GROUPS.minima[0])
    assert THREE_GROUPS_DATA.n_examples == 3 * GROUP_SIZE
    assert np.allclose(optima.mean(axis=0), full, atol=1e-9)  # same x in every group: the mean of the optima
    assert np.hypot(*(optima - full).T).min() > 1.0


def test_in_order_batches_cycle_with_a_period_of_one_epoch_and_visit_each_group_optimum():
    in_order, _ = simulate(SHUFFLE.scene)
    per = in_order.updates_per_epoch
    _, x, y = epoch_positions(in_order)
    assert np.hypot(np.diff(x[-5:]), np.diff(y[-5:])).max() < 1e-9  # the same point at every epoch's end
    last = slice(-per - 1, None)
    full = np.array(THREE_GROUPS.minima[0])
    for optimum in group_optima():
        reach = np.hypot(in_order.x[last] - optimum[0], in_order.y[last] - optimum[1]).min()
        away = np.hypot(*(np.array(optimum) - full))
        assert reach < 0.4 * away  # within each epoch the path goes over 60% of the way to every group optimum


def test_shuffled_batches_settle_five_times_closer_than_in_order():
    in_order, shuffled = simulate(SHUFFLE.scene)
    full = THREE_GROUPS.minima[0]
    last = slice(-5 * in_order.updates_per_epoch, None)
    spread = [np.hypot(t.x[last] - full[0], t.y[last] - full[1]).mean() for t in (in_order, shuffled)]
    assert 4.5 < spread[0] / spread[1] < 6.5  # "about five times closer over the last five epochs": 5.5
    _, x, y = epoch_positions(shuffled)
    assert np.hypot(np.diff(x[-5:]), np.diff(y[-5:])).max() > 1e-3  # no cycle: every epoch ends elsewhere


# --- noisy escape -----------------------------------------------------------------------------------


def test_full_batch_gd_stops_in_the_shallow_minimum():
    surface = SURFACES["shallow-minimum"]
    full, _, _ = simulate(NOISY_ESCAPE.scene)
    local = surface.minima[1]
    assert surface.value(*surface.minima[0]) < surface.value(*local) - 0.5
    assert np.hypot(full.x[-1] - local[0], full.y[-1] - local[1]) < 1e-3


def test_more_small_batch_seeds_escape_than_full_batch_which_never_does():
    counts = {c.batch_size: c.escaped for c in escape_counts(NOISY_ESCAPE.scene, 100)}
    assert counts[0] == 0
    assert counts[1] > counts[0] and counts[1] >= 50  # measured: 84 of 100
    assert counts[5] < counts[1]


# --- sharp and flat ---------------------------------------------------------------------------------


def test_the_minima_are_about_as_low_but_the_shift_hurts_only_the_sharp_one():
    surface = SURFACES["sharp-flat"]
    assert abs(surface.value(*FLAT) - surface.value(*SHARP)) < 0.02
    assert sharp_flat_test_loss(*SHARP) - surface.value(*SHARP) > 0.2
    assert sharp_flat_test_loss(*FLAT) - surface.value(*FLAT) < 0.02
    x, y = 0.3, -0.4  # the test loss is exactly the training loss moved by TEST_SHIFT
    assert sharp_flat_test_loss(x + TEST_SHIFT[0], y + TEST_SHIFT[1]) == pytest.approx(SHARP_FLAT_DATA.loss(x, y))


def test_small_batch_ends_in_the_flat_basin_with_lower_test_loss():
    small, large = (r.summary() for r in sharp_flat_experiment(SHARP_FLAT.scene, 200))
    assert large["batch_size"] > small["batch_size"]
    assert small["flat"] > large["flat"] + 100  # measured: 198 vs 1 of 200
    assert small["test_mean"] < large["test_mean"] - 0.1
    assert abs(small["train_mean"] - large["train_mean"]) < 0.05  # about the same training loss


def test_the_lesson_scenes_draw_one_seed_in_the_explorer():
    small, large = simulate(SHARP_FLAT.scene)
    assert np.hypot(large.x[-1] - SHARP[0], large.y[-1] - SHARP[1]) < 0.1
    assert np.hypot(small.x[-1] - FLAT[0], small.y[-1] - FLAT[1]) < 0.3
