"""The inspector panel's pure parts: which step a click, a frame or a typed t picks, and that
the panel shows the simulation's numbers for it (the browser test checks the same on screen)."""

from __future__ import annotations

import pytest
from dash import no_update
from dash.exceptions import PreventUpdate
from hypothesis import given, strategies as st

from lab.animation import animation_data
from lab.query import from_query
from lab.simulate import simulate
from ui.inspector_panel import (
    ARROW_STYLES, frame_position, inspector_outputs, number, path_point, update_at, whole,
)

ADAM = "?lesson=adam"


def _find(component, id_):
    """The component with ``id_`` in a tree of Dash components (or lists of them)."""
    if isinstance(component, (list, tuple)):
        return next((hit for c in component if (hit := _find(c, id_)) is not None), None)
    if getattr(component, "id", None) == id_:
        return component
    return _find(getattr(component, "children", None), id_) if hasattr(component, "children") else None


def _text(component) -> str:
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", "") or "")


def test_a_click_on_a_path_point_gives_its_run_and_position():
    click = {"points": [{"curveNumber": 2, "pointNumber": 40, "customdata": 123, "x": 0.5, "y": 0.0}]}
    assert path_point(click, n_runs=3) == (1, 123)  # trace 0 is the placeholder: trace 2 is run 1
    assert path_point({"points": [{"curveNumber": 1, "customdata": [7]}]}, 1) == (0, 7)


@pytest.mark.parametrize(
    "click",
    [
        None, {}, [], "x", {"points": []}, {"points": "abc"}, {"points": [None]},
        {"points": [{"curveNumber": 0, "customdata": 5}]},  # the placeholder contour
        {"points": [{"curveNumber": 4, "customdata": 5}]},  # the minima (n_runs = 3)
        {"points": [{"curveNumber": 1}]},  # no customdata: not a path point
        {"points": [{"curveNumber": 1, "customdata": 2.5}]},
        {"points": [{"curveNumber": 1, "customdata": -1}]},
        {"points": [{"curveNumber": 1, "customdata": "5"}]},
        {"points": [{"curveNumber": 1, "customdata": True}]},
        {"points": [{"curveNumber": 1, "customdata": 0.25, "z": 0.25}]},  # 3D: customdata is the loss
        {"xvals": [0.5], "yvals": [0.1], "points": []},  # clickanywhere, off every point: moves the start
    ],
)
def test_anything_else_is_not_a_path_point(click):
    assert path_point(click, n_runs=3) is None


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                    max_leaves=12))
def test_path_point_never_raises(click):
    result = path_point(click, 3)
    assert result is None or (0 <= result[0] < 3 and result[1] >= 0)


def test_whole_numbers_from_inputs():
    assert [whole(v) for v in (3, 3.0, "12", " 4 ", "1.5", 2.5, None, True, "x", float("nan"))] == [
        3, 3, 12, 4, None, None, None, None, None, None]


def test_a_frame_is_the_players_step_and_an_epoch_frame_counts_the_runs_updates():
    scene = from_query(ADAM).scene
    trajectories = simulate(scene)
    steps = animation_data(scene, trajectories)["steps"]
    assert [frame_position(scene, trajectories, k, 2) for k in (0, 37, len(steps) - 1)] == [0, steps[37], 3000]
    assert frame_position(scene, trajectories, 10**9, 0) == 3000  # past the end: held at the end
    batch = from_query("?lesson=batch-size").scene
    runs = simulate(batch)
    data = animation_data(batch, runs)
    assert data["unit"] == "epoch"
    for i, traj in enumerate(runs):
        k = len(data["steps"]) // 2
        assert frame_position(batch, runs, k, i) == round(data["steps"][k] * traj.updates_per_epoch)


def test_the_end_of_a_run_shows_the_update_that_led_there():
    (traj,) = simulate(from_query("?run=gd:lr=0.01&steps=50").scene)
    assert update_at(traj, 0) == (0, False) and update_at(traj, 49) == (49, False)
    assert update_at(traj, 50) == (49, True)


def test_numbers_are_shown_with_four_significant_digits_and_a_true_minus():
    assert number(-0.000123456) == "−0.0001235" and number(1234567.0) == "1.235e+06"


@pytest.mark.parametrize("lesson, run", [("adam", 0), ("adam", 1), ("adam", 2), ("warmup", 4), ("adagrad-eruption", 0)])
def test_the_panel_shows_the_simulations_numbers_for_the_typed_step(lesson, run):
    query = f"?lesson={lesson}"
    traj = simulate(from_query(query).scene)[run]
    t = 17
    hidden, options, run_out, step_out, last, body, arrows = inspector_outputs(
        "inspector-step", query, None, None, run, t)
    assert (hidden, run_out, step_out, last) == (False, run, t, traj.steps - 1)
    assert [o["value"] for o in options] == list(range(len(simulate(from_query(query).scene))))
    expected = {
        "grad": (traj.grad_x[t], traj.grad_y[t]),
        "eta": (traj.lr[t], traj.lr[t]),
        "step": (traj.x[t + 1] - traj.x[t], traj.y[t + 1] - traj.y[t]),
        "theta": (traj.x[t], traj.y[t]),
    }
    if traj.run.optimizer in ("adagrad", "rmsprop", "adam", "radam"):
        expected["effective_lr"] = (traj.effective_lr_x[t], traj.effective_lr_y[t])
    for field, values in expected.items():
        for axis, value in zip("xy", values):
            cell = _find(body, f"inspector-{field}-{axis}")
            assert cell is not None, field
            assert float(cell.to_plotly_json()["props"]["data-value"]) == float(value)
            assert cell.children == number(float(value))
    assert arrows["t"] == t and {a["kind"] for a in arrows["arrows"]} >= {"gradient", "step"}
    step = next(a for a in arrows["arrows"] if a["kind"] == "step")
    assert (step["x"], step["y"], step["dx"], step["dy"]) == (traj.x[t], traj.y[t], *expected["step"])
    assert all(a["color"] == ARROW_STYLES[a["kind"]][0] for a in arrows["arrows"])


def test_the_scrubber_at_the_end_shows_the_last_update_and_says_so():
    query = "?lesson=adam"
    out = inspector_outputs("anim-scrubber", query, "299", None, 2, None)
    assert out[3] == 2999
    assert "ends; shown is the update that led there" in _text(out[5])


def test_a_click_on_a_path_picks_that_run_and_step_and_a_click_elsewhere_changes_nothing():
    click = {"points": [{"curveNumber": 2, "customdata": 40, "x": 0.9, "y": 0.001}]}
    out = inspector_outputs("surface-graph", ADAM, None, click, 0, 5)
    assert (out[2], out[3]) == (1, 40)
    with pytest.raises(PreventUpdate):
        inspector_outputs("surface-graph", ADAM, None, {"xvals": [0.5], "yvals": [0], "points": []}, 0, 5)


def test_a_step_out_of_range_is_one_clear_sentence_and_no_arrows():
    out = inspector_outputs("inspector-step", ADAM, None, None, 0, 3000)
    assert out[3] is no_update and out[6] is None
    assert _text(out[5]) == "Step 3000 is not an update of Momentum η=10⁻³ λ=0.9: type a whole number from 0 to 2999."


def test_a_new_scene_keeps_the_typed_step_within_the_runs_updates():
    out = inspector_outputs("scene-query", "?run=gd:lr=0.01&steps=20", None, None, 3, 500)
    assert (out[2], out[3]) == (0, 19)  # run 3 is gone: run 0; step 500 is past the end: the last


def test_a_run_without_updates_is_said_in_a_sentence():
    # Adagrad in the lecture's form (eps = 0) started at the minimum: sigma^0 = 0 gives 0/0 at once
    query = "?surface=bowl&run=adagrad:lr=0.1&start=0,0&steps=10"
    assert simulate(from_query(query).scene)[0].steps == 0
    out = inspector_outputs("scene-query", query, None, None, 0, None)
    assert "made no update" in _text(out[5]) and out[6] is None


def test_hidden_by_the_link_the_panel_is_hidden_and_draws_no_arrows():
    out = inspector_outputs("scene-query", "?lesson=adam&hide=inspector", "3", None, 0, 5)
    assert out[0] is True and out[6] is None


def test_the_panel_speaks_chinese_when_the_link_says_so():
    out = inspector_outputs("inspector-step", "?lesson=adam&lang=zh", None, None, 2, 3)
    assert "第 t = 3 次更新" in _text(out[5])
    assert "像素" in out[6]["text"]["short"]
