"""Figures (lab/figures.py): the main plot's end markers, the 3D view, and the page's two layers."""

import base64
import math

import numpy as np
import pytest

from lab.figures import (
    COLORBAR_MARGIN,
    contour_figure,
    contour_grid,
    contour_levels,
    log_shift,
    marker_uid,
    page_layers,
    scene_key,
    surface_3d_figure,
    z_transform,
)
from lab.scene import Run, Scene
from lab.simulate import simulate
from lessons import LESSONS
from surfaces import FORMULA, SURFACES

DIVERGING = Scene("tilted-valley", (Run("gd", lr=3.0), Run("adagrad", lr=0.15)), steps=500)


def markers(fig):
    return [t for t in fig.data if t.meta and t.meta.get("role") == "marker"]


# ---- the main plot's markers -------------------------------------------------------------------------


@pytest.mark.parametrize("lesson_id", ["adam", "lr-sweep", "batch-size"])
def test_one_marker_per_run_at_its_final_position(lesson_id):
    scene = LESSONS[lesson_id].scene
    trajectories = simulate(scene)
    fig = contour_figure(scene, trajectories)
    found = markers(fig)
    assert len(found) == len(trajectories)
    for i, (trace, traj) in enumerate(zip(found, trajectories)):
        assert trace.uid == marker_uid(i) == f"marker-{i}" and trace.meta["scene"] == scene_key(scene)
        assert trace.mode == "markers" and trace.showlegend is False
        assert trace.marker.symbol == "circle" and trace.marker.color == fig.data[1 + i].line.color
        assert (trace.x[0], trace.y[0]) == (traj.x[-1], traj.y[-1])


def test_markers_are_drawn_last_so_the_start_dot_never_hides_them():
    scene = LESSONS["adam"].scene
    fig = contour_figure(scene, simulate(scene))
    roles = [bool(t.meta and t.meta.get("role") == "marker") for t in fig.data]
    assert roles[-len(scene.runs):] == [True] * len(scene.runs) and not any(roles[: -len(scene.runs)])


def test_a_diverged_runs_marker_stands_at_its_last_finite_point():
    trajectories = simulate(DIVERGING)
    fig = contour_figure(DIVERGING, trajectories)
    gd_marker = markers(fig)[0]
    assert trajectories[0].status == "diverged"
    assert (gd_marker.x[0], gd_marker.y[0]) == (trajectories[0].x[-1], trajectories[0].y[-1])
    assert all(math.isfinite(v) for t in markers(fig) for v in (*t.x, *t.y))


def test_upto_puts_the_markers_at_that_step_and_the_signature_still_takes_a_title():
    scene = LESSONS["saddle-momentum"].scene
    trajectories = simulate(scene)
    fig = contour_figure(scene, trajectories, upto=50, title="A title")
    assert fig.layout.title.text == "A title"
    for trace, traj in zip(markers(fig), trajectories):
        assert (trace.x[0], trace.y[0]) == (traj.x[50], traj.y[50])


def test_a_path_and_its_marker_toggle_together_in_the_legend():
    scene = LESSONS["adam"].scene
    fig = contour_figure(scene, simulate(scene))
    paths = [t for t in fig.data if t.type == "scatter" and t.mode == "lines"]
    assert [t.legendgroup for t in paths] == [t.legendgroup for t in markers(fig)] == ["run-0", "run-1", "run-2"]


def test_different_scenes_have_different_keys():
    a = LESSONS["adam"].scene
    assert scene_key(a) == scene_key(Scene(a.surface, a.runs, a.start, a.steps, a.seed))
    assert scene_key(a) != scene_key(Scene(a.surface, a.runs, a.start, a.steps + 1, a.seed))


# ---- one transform for the contour, the 3D surface and the paths on it -------------------------------


@pytest.mark.parametrize("name", ["valley", "crescent", "saddle"])
def test_the_z_transform_is_the_contours(name):
    surface = SURFACES[name]
    box = surface.view
    xs, ys, z, log = contour_grid(surface, box)
    assert log == surface.log_levels == (log_shift(surface, box) is not None)
    gx, gy = np.meshgrid(xs, ys)
    raw = surface.value(gx, gy)
    assert np.allclose(z_transform(surface, box, raw), z, equal_nan=True)


# ---- the 3D view -------------------------------------------------------------------------------------


def test_the_3d_view_has_the_surface_and_a_path_per_run_lying_on_it():
    scene = LESSONS["crescent-rmsprop"].scene
    trajectories = simulate(scene)
    fig = surface_3d_figure(scene, trajectories)
    kinds = [t.type for t in fig.data]
    assert kinds[0] == "surface" and kinds.count("surface") == 1
    paths = [t for t in fig.data if t.type == "scatter3d" and t.mode == "lines"]
    assert len(paths) == len(trajectories)
    names = {t.name for t in fig.data}
    assert {"minima", "start"} <= names
    surface = fig.data[0]
    z = np.asarray(surface.z, float)
    zmin, zmax = np.nanmin(z), np.nanmax(z)
    box = scene.view_box
    for trace, traj in zip(paths, trajectories):
        x, y, zs = (np.array([v for v in trace[c] if v is not None], float) for c in "xyz")
        assert len(x) > 10 and np.all(np.isfinite(zs))
        assert np.all((x >= box.x_min) & (x <= box.x_max) & (y >= box.y_min) & (y <= box.y_max))
        # the path's height is the same transform of the loss, never below the drawn surface's bottom
        expected = z_transform(scene.surface_record, box, scene.surface_record.value(x, y))
        assert np.all(zs >= expected - 1e-9) and np.all(zs <= max(expected.max(), zmax) + 0.05 * (zmax - zmin))
        assert np.all(zs >= zmin)


def test_the_3d_view_is_log_scaled_where_the_surface_spans_decades():
    log_scene, linear_scene = LESSONS["crescent-rmsprop"].scene, LESSONS["saddle-momentum"].scene
    log_fig = surface_3d_figure(log_scene, simulate(log_scene))
    linear_fig = surface_3d_figure(linear_scene, simulate(linear_scene))
    assert log_fig.layout.scene.zaxis.ticktext and "log" in log_fig.layout.scene.zaxis.title.text
    assert not linear_fig.layout.scene.zaxis.ticktext
    raw = SURFACES["saddle"].grid(linear_scene.view_box, 100)[2]
    assert np.allclose(np.asarray(linear_fig.data[0].z, float), raw, rtol=1e-6)


def test_a_path_that_leaves_the_view_is_broken_not_drawn_across_it():
    trajectories = simulate(DIVERGING)
    fig = surface_3d_figure(DIVERGING, trajectories)
    gd_path = next(t for t in fig.data if t.type == "scatter3d" and t.mode == "lines")
    assert "leaves the view" in gd_path.name
    box = DIVERGING.view_box
    xs = [v for v in gd_path.x if v is not None]
    assert all(box.x_min <= v <= box.x_max for v in xs)


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_no_nan_or_inf_in_the_3d_view(lesson_id):
    scene = LESSONS[lesson_id].scene
    fig = surface_3d_figure(scene, simulate(scene))
    for trace in fig.data[1:]:
        for c in "xyz":
            values = np.array([v for v in trace[c] if v is not None], float)
            assert np.all(np.isfinite(values)), (lesson_id, trace.name, c)


def bilinear(xs, ys, z, x, y):
    fx, fy = np.interp(x, xs, np.arange(len(xs))), np.interp(y, ys, np.arange(len(ys)))
    i, j = np.minimum(fx.astype(int), len(xs) - 2), np.minimum(fy.astype(int), len(ys) - 2)
    tx, ty = fx - i, fy - j
    return (1 - ty) * ((1 - tx) * z[j, i] + tx * z[j, i + 1]) + ty * ((1 - tx) * z[j + 1, i] + tx * z[j + 1, i + 1])


def test_a_path_in_a_valley_narrower_than_the_grid_stays_on_top_of_the_drawn_surface():
    scene = LESSONS["lr-too-small"].scene  # the valley's floor is 1e-7 wide: no grid resolves it
    fig = surface_3d_figure(scene, simulate(scene))
    surface = fig.data[0]
    xs, ys, z = (np.asarray(surface[c], float) for c in "xyz")
    path = next(t for t in fig.data if t.type == "scatter3d" and t.mode == "lines")
    x, y, zs = (np.array([v for v in path[c] if v is not None], float) for c in "xyz")
    assert np.all(zs >= bilinear(xs, ys, z, x, y) - 1e-6)


def test_a_formula_surface_draws_in_2d_and_3d_like_a_built_in_one():
    scene = Scene("formula", (Run("momentum", lr=0.01),), formula="x^4 - 3*x^2 + y^2 + 0.5*x", steps=200)
    trajectories = simulate(scene)
    contour = contour_figure(scene, trajectories)
    assert contour.data[0].type == "contour" and contour.layout.title.text.startswith("f(x, y) = ")
    assert len(scene.surface_record.minima) == 1  # located on the grid and refined: one marker
    assert surface_3d_figure(scene, trajectories).data[0].type == "surface"


# ---- the page's two layers ---------------------------------------------------------------------------


def decoded(spec):
    """A base64 typed-array spec (or a list) as a NumPy array."""
    if isinstance(spec, dict):
        values = np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"]))
        return values.reshape([int(n) for n in spec["shape"].split(",")]) if "shape" in spec else values
    return np.asarray(spec)


def test_contour_levels_are_plotlys_own_for_30_contours():
    # z from 0 to 8: a 30th is 0.267, rounded up to 0.5 (plotly.js's 2, 5, 10 steps); levels on the
    # extremes themselves are dropped, as plotly.js drops them.
    assert contour_levels(np.array([[0.0, 8.0]])) == dict(zmin=0.0, zmax=8.0, start=0.5, end=7.5, size=0.5)
    levels = contour_levels(np.array([[-4.9029, -2.6977]]))  # the valley's log z: checked in Chromium
    assert (levels["start"], levels["end"], levels["size"]) == pytest.approx((-4.9, -2.7, 0.1))


@pytest.mark.parametrize("lesson_id", ["adam", "lr-sweep", "saddle-momentum"])
def test_the_page_layers_are_the_contour_figure_split_in_two(lesson_id):
    scene = LESSONS[lesson_id].scene
    trajectories = simulate(scene)
    whole = contour_figure(scene, trajectories, title="T")
    front, contour = page_layers(scene, trajectories, title="T")
    # the same traces in the same order; trace 0 is an invisible placeholder, the contour and its
    # colour bar are underneath
    assert [t["type"] for t in front["data"]] == [t.type for t in whole.data]
    assert [t.get("name") for t in front["data"]] == [t.name for t in whole.data]
    assert front["data"][0]["opacity"] == 0 and front["data"][0]["showscale"] is False
    assert contour["showscale"] is True and contour["colorbar"] == whole.data[0].colorbar.to_plotly_json()
    for spec, trace in zip(front["data"][1:], whole.data[1:]):
        assert np.array_equal(decoded(spec["x"]), np.asarray(trace.x)), spec["name"]
        assert np.array_equal(decoded(spec["y"]), np.asarray(trace.y)), spec["name"]
    np.testing.assert_array_equal(decoded(contour["z"]), np.asarray(whole.data[0].z))
    assert contour["contours"] == front["data"][0]["contours"]  # one set of levels for fill and colour bar
    layout = whole.layout.to_plotly_json()
    for key in ("title", "legend", "uirevision"):
        assert front["layout"][key] == layout[key], key
    assert front["layout"]["margin"] == dict(layout["margin"], r=COLORBAR_MARGIN)  # the colour bar's room
    for axis in ("xaxis", "yaxis"):
        assert {k: v for k, v in front["layout"][axis].items() if k not in ("showgrid", "zeroline")} == layout[axis]
    assert front["layout"].get("annotations", []) == layout.get("annotations", [])
    assert front["layout"]["plot_bgcolor"] == "rgba(0,0,0,0)"  # the contour shows through


def test_epoch_ends_are_dots_on_the_path_that_thinning_keeps():
    """The shuffle lesson: every epoch end (step k*K) is a drawn point with a dot, and only those."""
    scene = LESSONS["shuffle"].scene
    trajectories = simulate(scene)
    figure = contour_figure(scene, trajectories)
    for i, traj in enumerate(trajectories):
        trace = figure.data[1 + i]
        steps = np.asarray(trace.customdata)
        per_epoch = traj.updates_per_epoch
        assert trace.mode == "lines+markers" and per_epoch > 1
        assert set(range(per_epoch, len(traj.x), per_epoch)) <= set(steps.tolist())  # none thinned away
        sizes = np.asarray(trace.marker.size)
        assert np.array_equal(sizes > 0, (steps % per_epoch == 0) & (steps > 0))


def test_a_full_batch_or_a_plain_surface_has_no_epoch_dots():
    for scene in (Scene("regression", (Run("gd", lr=0.1),), steps=50), LESSONS["adam"].scene):
        figure = contour_figure(scene, simulate(scene))
        assert all(t.mode != "lines+markers" for t in figure.data if t.type == "scatter")


def test_the_3d_minimum_is_a_pin_whose_glyph_draws():
    """plotly.js draws scatter3d markers as text glyphs; "x" is U+274C, which no font here has (an empty box)."""
    scene = Scene(FORMULA, formula="x^4 - 2*x^2 + y^2")
    fig = surface_3d_figure(scene, simulate(scene))
    (pins,) = [t for t in fig.data if t.name == "minima"]
    assert pins.marker.symbol in ("circle", "circle-open", "square", "square-open", "diamond", "diamond-open", "cross")
    assert pins.mode == "lines+markers" and len(pins.x) == 3 * 2  # two minima, each a stem with a gap after
    assert pins.z[1] > pins.z[0] and list(pins.marker.size)[0::3] == [0, 0]  # the marker on top only
    line = Scene(FORMULA, formula="sqrt(x)")  # no minimum to mark: still drawn
    assert not [t for t in surface_3d_figure(line, simulate(line)).data if t.name == "minima"][0].x
