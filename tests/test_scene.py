"""Scene and Run: canonical, hashable, and refusing bad values with a readable reason."""

import pytest

from lab.scene import MAX_RUNS, MAX_STEPS, Run, Scene
from surfaces import FORMULA
from surfaces.base import Box
from surfaces.formula import DEFAULT_VIEW


def test_defaults_build_and_hash():
    scene = Scene()
    assert scene.surface == "valley" and len(scene.runs) == 1 and hash(scene) == hash(Scene())


def test_params_are_canonical_so_equal_runs_compare_equal():
    a = Run("adam", lr=1e-3, params=(("beta2", 0.99), ("beta1", 0.9)))
    b = Run("adam", lr=0.001, params=(("beta2", 0.99),))
    assert a == b and a.params == (("beta2", 0.99),)
    assert a.hyperparams() == {"beta1": 0.9, "beta2": 0.99, "eps": 1e-8}


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"optimizer": "sgd-magic"}, "unknown optimizer"),
        ({"schedule": "sometimes"}, "unknown schedule"),
        ({"lr": float("nan")}, "learning rate"),
        ({"lr": -1.0}, "learning rate"),
        ({"optimizer": "momentum", "params": (("momentum", 1.5),)}, "momentum must be"),
        ({"optimizer": "gd", "params": (("beta1", 0.9),)}, "no parameter 'beta1'"),
        ({"batch_size": -2}, "batch size"),
        ({"batch_size": 2.5}, "batch size"),
        ({"label": "x" * 61}, "label"),
        ({"label": "\ud800"}, "lone surrogate"),
        ({"optimizer": ["gd"]}, "unknown optimizer"),
        ({"shuffle": "false"}, "shuffle"),
    ],
)
def test_bad_run_values_are_refused_with_a_reason(kwargs, words):
    with pytest.raises(ValueError, match=words):
        Run(**kwargs)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"surface": "moon"}, "unknown surface"),
        ({"steps": MAX_STEPS + 1}, "steps"),
        ({"steps": 0}, "steps"),
        ({"runs": tuple(Run() for _ in range(MAX_RUNS + 1))}, "runs"),
        ({"runs": ()}, "runs"),
        ({"start": (float("inf"), 0.0)}, "start"),
        ({"view": (1.0, 0.0, 0.0, 1.0)}, "view"),
        ({"runs": (Run(batch_size=4),)}, "data-defined"),
        ({"surface": "regression", "runs": (Run(batch_size=21),)}, "at most 20"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_scene_values_are_refused_with_a_reason(kwargs, words):
    with pytest.raises(ValueError, match=words):
        Scene(**kwargs)


def test_start_and_view_default_to_the_surface():
    scene = Scene("tilted-valley")
    assert scene.start_point == (30.0, 1.0) and scene.view_box.x_max == 34.0
    moved = Scene("tilted-valley", start=(1, 2))
    assert moved.start_point == (1.0, 2.0)


def test_epochs_give_each_run_its_own_number_of_updates_on_data():
    scene = Scene("regression", (Run(batch_size=0), Run(batch_size=1), Run(batch_size=6)), epochs=10)
    assert [scene.updates(r) for r in scene.runs] == [10, 200, 40]
    assert Scene("regression", steps=77).updates(Run()) == 77


def test_epochs_need_data_and_stay_under_the_cap():
    with pytest.raises(ValueError, match="data-defined"):
        Scene("valley", epochs=3)
    with pytest.raises(ValueError, match="limit"):
        Scene("regression", (Run(batch_size=1),), epochs=MAX_STEPS)


def test_settings_without_effect_are_normalized_so_equal_simulations_are_equal_scenes():
    full = Scene("regression", (Run(batch_size=20, shuffle=False),))
    assert full == Scene("regression", (Run(),)) and full.runs[0].batch_size == 0
    assert Scene("regression", steps=50, epochs=3) == Scene("regression", epochs=3)
    assert Scene("regression", (Run(batch_size=4, shuffle=False),)).runs[0].shuffle is False


# ---- a user's formula ------------------------------------------------------------------------------


def test_a_formula_scene_runs_on_the_formula_over_its_view():
    scene = Scene(surface=FORMULA, formula=" x^2 + 3*y^2 ", view=(-2, 2, -1, 1))
    assert scene.formula == "x^2 + 3*y^2"  # surrounding spaces are not part of it
    surface = scene.surface_record
    assert surface.view == Box(-2, 2, -1, 1) == scene.view_box
    assert scene.start_point == surface.start
    assert Scene(surface=FORMULA, formula="x^2 + 3*y^2", view=DEFAULT_VIEW).view is None


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(surface=FORMULA), "type a formula"),
        (dict(surface=FORMULA, formula="   "), "type a formula"),
        (dict(surface=FORMULA, formula=3), "a formula is text"),
        (dict(surface="valley", formula="x^2"), "goes with surface"),
        (dict(surface=FORMULA, formula="x" * 201), "at most 200 characters"),
        (dict(surface=FORMULA, formula="x +* y"), r"\S"),  # the parser's own message
    ],
)
def test_a_formula_that_cannot_be_used_is_refused_with_a_reason(kwargs, words):
    with pytest.raises(ValueError, match=words):
        Scene(**kwargs)


def test_a_formula_surface_rejects_batches_like_any_analytic_surface():
    with pytest.raises(ValueError, match="mini-batches need a data-defined surface"):
        Scene(surface=FORMULA, formula="x^2 + y^2", runs=(Run(batch_size=4),))


def test_a_view_where_the_surface_is_not_finite_is_refused():
    with pytest.raises(ValueError, match="not a finite number over 100% of the view"):
        Scene("valley", view=(1e300, 1.1e300, 1e300, 1.1e300))
