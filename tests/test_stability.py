"""lab.stability: the step too long for the curvature, against hand-computed limits."""

import math
from dataclasses import replace

import numpy as np
import pytest

from lab.query import from_query
from lab.scene import Run, Scene
from lab.simulate import simulate
from lab.stability import bounce_message, bouncing, curvature
from lessons import LESSONS
from ui.callbacks import status_text

RASTRIGIN_K = 2 + 40 * math.pi**2  # f'' of x^2 - 10 cos(2 pi x) at its minima: 396.8


def scene_of(query: str) -> Scene:
    parsed = from_query(query)
    assert parsed.warnings == ()
    return parsed.scene


def test_curvature_is_the_largest_hessian_eigenvalue():
    surface = scene_of("?formula=3*x^2%2Bx*y%2B2*y^2").surface_record  # Hessian [[6, 1], [1, 4]]
    k = curvature(surface, np.array([0.3, -1.0]), np.array([0.2, 2.0]), 1e-5)
    assert k == pytest.approx([5 + math.sqrt(2)] * 2, rel=1e-7)


@pytest.mark.parametrize("lr, bounces", [(0.0049, False), (0.0052, True), (0.0056, True), (0.01, True)])
def test_gd_on_rastrigin_bounces_exactly_above_2_over_k(lr, bounces):
    """2/k = 0.00504 at Rastrigin's minima: below it a run settles in a basin, above it never does."""
    scene = scene_of(f"?surface=rastrigin&run=gd:lr={lr}")
    (trajectory,) = simulate(scene)
    bounce = bouncing(scene, trajectory)
    assert (bounce is not None) == bounces
    moves = np.hypot(np.diff(trajectory.x[-20:]), np.diff(trajectory.y[-20:]))
    assert (np.median(moves) > 1e-3) == bounces  # what the page draws: a run still jumping, or one at rest
    if bounce:
        assert bounce.lr == lr and bounce.limit == pytest.approx(2 / bounce.curvature)
        assert lr > bounce.limit and 250 < bounce.curvature < RASTRIGIN_K * 1.01


def test_momentum_is_judged_by_the_heavy_ball_limit():
    """m <- 0.9 m - eta g is stable up to eta < 2(1 + 0.9)/k = 0.0096 at Rastrigin's minima."""
    slow = scene_of("?surface=rastrigin&run=momentum:lr=0.008")
    assert bouncing(slow, simulate(slow)[0]) is None  # past 2/k, yet under the momentum limit
    fast = scene_of("?surface=rastrigin&run=momentum:lr=0.02")
    bounce = bouncing(fast, simulate(fast)[0])
    assert bounce is not None and bounce.limit == pytest.approx(3.8 / bounce.curvature)
    assert "2(1 + λ)/k" in bounce_message(fast, simulate(fast)[0])


def test_adaptive_rules_mini_batches_and_diverged_runs_are_not_judged():
    rastrigin = scene_of("?surface=rastrigin&run=adam:lr=0.1&run=rmsprop:lr=0.1&run=adagrad:lr=1")
    assert [bouncing(rastrigin, t) for t in simulate(rastrigin)] == [None] * 3
    bowl = scene_of("?formula=x^2%2B10*y^2&run=gd:lr=0.11")  # eta k = 2.2 on a quadratic: it diverges
    (diverged,) = simulate(bowl)
    assert diverged.status == "diverged" and bouncing(bowl, diverged) is None


def test_no_lesson_run_is_said_to_bounce():
    """The lessons' captions explain their runs; a second, different explanation would confuse. The
    valley's walls bounce momentum (the adam lesson) through a bottom 1e-7 wide that the tail's points
    almost never sample: one steep point out of 39 is not quoted."""
    for lesson in LESSONS.values():
        assert [bouncing(lesson.scene, t) for t in simulate(lesson.scene)] == [None] * len(lesson.scene.runs), lesson.id


def test_the_status_line_says_why_in_either_language():
    scene = scene_of("?surface=rastrigin&run=gd:lr=0.01&run=gd:lr=0.001")
    trajectories = simulate(scene)
    english = status_text(trajectories, (), "en", scene)
    first, second = english.split(" · ")[1:]
    assert "keeps bouncing: η = 0.01 is above 2/k = 0.005" in first and "overshoots" in first
    assert "bouncing" not in second
    assert "一直来回跳：η = 0.01 大于 2/k = 0.005" in status_text(trajectories, (), "zh", scene)
    assert "bouncing" not in status_text(trajectories, (), "en")  # no scene: the plain line, as before
