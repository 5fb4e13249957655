"""The linked panels (lab/panels.py) and the animation data (lab/animation.py): structure, honesty, size."""

import base64
import json
import math
from pathlib import Path

import numpy as np
import pytest

from lab.animation import MAX_FRAMES, animation_data, frame_steps
from lab.figures import COLORS, contour_figure, page_layers, scene_key
from lab.panels import CURSOR, MAX_PANEL_POINTS, panels_dict, panels_figure, thin_series
from lab.scene import Run, Scene
from lab.simulate import simulate
from lessons import LESSONS
from surfaces import SURFACES

ROOT = Path(__file__).resolve().parents[1]
DIVERGING = Scene("tilted-valley", (Run("gd", lr=3.0), Run("adagrad", lr=0.15)), steps=500)
MIXED = Scene("tilted-valley", (Run("gd", lr=0.1), Run("momentum", lr=0.1), Run("adagrad", lr=0.15)), steps=300)


def figure_for(scene):
    return panels_figure(scene, simulate(scene))


def data_traces(fig):
    return [t for t in fig.data if not (t.meta and t.meta.get("role") == CURSOR)]


def row_of(fig, trace) -> int:
    """1, 2 or 3: the panel a trace is drawn in, from its x axis (x, x2, x3)."""
    return int(trace.xaxis[1:] or 1)


def reversals(values):
    d = np.diff(values)
    return int(np.sum(d[1:] * d[:-1] < 0))


# ---- structure ---------------------------------------------------------------------------------------


def test_three_log_panels_share_one_step_axis():
    fig = figure_for(MIXED)
    xaxes = [fig.layout[f"xaxis{n}" if n > 1 else "xaxis"] for n in (1, 2, 3)]
    bottom = "x3"
    assert xaxes[0].matches == bottom and xaxes[1].matches == bottom and xaxes[2].title.text == "step"
    for trace in data_traces(fig):
        assert trace.type == "scatter" and trace.mode == "lines"
        assert fig.layout["yaxis" + trace.yaxis[1:]].type == "log", trace.yaxis
    assert {row_of(fig, t) for t in data_traces(fig)} == {1, 2, 3}
    assert fig.layout.uirevision, "zoom must survive updates"


def test_gd_and_momentum_draw_eta_alone_adaptive_runs_draw_three_rates():
    fig = figure_for(MIXED)
    per_run_and_row = {}
    for trace in data_traces(fig):
        key = (trace.legendgroup, row_of(fig, trace))
        per_run_and_row.setdefault(key, []).append(trace)
    # gd and momentum: eta_t only, and the legend says why; adagrad: eta_t, eta/sigma_x, eta/sigma_y
    assert [len(per_run_and_row[(f"run-{i}", 3)]) for i in range(3)] == [1, 1, 3]
    (gd_rate,) = per_run_and_row[("run-0", 3)]
    assert "no σ" in gd_rate.hovertemplate
    dashes = [t.line.dash for t in per_run_and_row[("run-2", 3)]]
    assert dashes == ["dash", "solid", "dot"]
    for i in range(3):
        assert len(per_run_and_row[(f"run-{i}", 1)]) == 1 and len(per_run_and_row[(f"run-{i}", 2)]) == 1


def test_runs_keep_the_main_plots_colours_and_one_legend_entry_each():
    fig = figure_for(MIXED)
    for i in range(3):
        mine = [t for t in data_traces(fig) if t.legendgroup == f"run-{i}"]
        assert {t.line.color for t in mine} == {COLORS[i]}
        assert sum(bool(t.showlegend) for t in mine) == 1


def test_the_loss_is_drawn_above_the_global_minimum_which_can_be_negative():
    scene = LESSONS["local-minimum-momentum"].scene
    surface = SURFACES[scene.surface]
    f_min = surface.value(*surface.minima[0])
    assert f_min < 0
    fig = figure_for(scene)
    losses = [t for t in data_traces(fig) if row_of(fig, t) == 1]
    for trace, traj in zip(losses, simulate(scene)):
        y = np.asarray(trace.y, float)
        assert np.all(y > 0)
        steps = np.asarray(trace.x)
        above = traj.loss[steps] - f_min
        ok = above > 1e-12  # away from the floor the drawn value is loss − min f (float32)
        assert np.allclose(y[ok], above[ok], rtol=1e-6)
    # momentum reaches the global minimum to rounding: those values sit on the floor, and the axis says so
    assert "drawn at it" in fig.layout.yaxis.title.text and "min f" in fig.layout.yaxis.title.text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_with_no_known_minimum_the_loss_is_measured_from_the_views_lowest_and_not_called_min_f(lang):
    """sqrt(x) has a line of minima off the view's edge: its f0 is the grid's lowest value, 0.1374, and
    the panel says so rather than "min f = 0.1374"."""
    from lab.query import from_query

    scene = from_query(f"?formula=sqrt(x)&lang={lang}").scene
    assert scene.surface_record.minima == ()
    figure = panels_dict(scene, simulate(scene), lang)
    title, note = figure["layout"]["yaxis"]["title"]["text"], figure["layout"]["annotations"][0]["text"]
    assert "min f" not in title and "f₀" in title and "min f" not in figure["data"][0]["hovertemplate"]
    assert note.startswith("f₀ = 0.1374") and ("no known minimum" in note or "没有已知的最小值" in note)
    assert figure["layout"]["margin"]["t"] == max(36, 12 + 12 * (note.count("<br>") + 1))  # room for every line of notes


def test_a_diverged_run_ends_where_it_ends_without_nan():
    fig = figure_for(DIVERGING)
    gd, adagrad = simulate(DIVERGING)
    assert gd.status == "diverged"
    mine = [t for t in data_traces(fig) if t.legendgroup == "run-0"]
    assert "diverged" in mine[0].name
    loss, grad = (t for t in mine if row_of(fig, t) in (1, 2))
    assert int(loss.x[-1]) == len(gd.loss) - 1 and int(grad.x[-1]) == gd.steps - 1
    other = [t for t in data_traces(fig) if t.legendgroup == "run-1" and row_of(fig, t) == 1]
    assert int(other[0].x[-1]) == adagrad.steps


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_no_nan_or_inf_in_any_panel(lesson_id):
    fig = figure_for(LESSONS[lesson_id].scene)
    for trace in fig.data:
        for values in (trace.x, trace.y):
            array = np.asarray(values, float)
            assert array.size and np.all(np.isfinite(array)), (lesson_id, trace.name)


def test_the_step_cursor_spans_each_panel_at_the_last_step():
    scene = LESSONS["adam"].scene
    fig = figure_for(scene)
    cursors = [t for t in fig.data if t.meta and t.meta.get("role") == CURSOR]
    assert len(cursors) == 3 and {t.meta["scene"] for t in cursors} == {scene_key(scene)}
    for trace in cursors:
        assert list(trace.x) == [scene.steps, scene.steps] and list(trace.y) == [0, 1]
        axis = fig.layout["yaxis" + trace.yaxis[1:]]
        assert tuple(axis.range) == (0, 1) and axis.visible is False and axis.fixedrange


# ---- thinning ----------------------------------------------------------------------------------------


def test_short_series_are_drawn_whole():
    values = np.linspace(1, 2, 300)
    assert np.array_equal(thin_series(values), np.arange(300))


def test_an_oscillating_loss_keeps_its_band_after_thinning():
    n = 100_001
    t = np.arange(n)
    values = np.where(t % 2 == 0, 1.0, 1e-3) * np.exp(-t / 50_000)  # a period-2 bounce, slowly decaying
    keep = thin_series(values, 800)
    assert len(keep) <= 800 and keep[0] == 0 and keep[-1] == n - 1 and np.all(np.diff(keep) > 0)
    drawn = values[keep]
    assert drawn.min() == values.min() and drawn.max() == values.max()
    assert reversals(drawn) > 0.8 * len(keep), "the band must stay a band, not a smooth line"
    # every-k-th sampling would draw one wall only: the lie thinning exists to avoid
    assert np.unique(np.round(values[::250] / np.exp(-t[::250] / 50_000), 9)).size == 1


def test_a_flat_series_thins_to_its_two_ends():
    assert np.array_equal(thin_series(np.full(100_000, 0.01)), [0, 99_999])
    assert np.array_equal(thin_series(np.full(50, 0.01)), [0, 49])


def test_the_lr_sweep_panels_keep_each_runs_band():
    scene = LESSONS["lr-sweep"].scene
    surface = SURFACES[scene.surface]
    f_min = surface.value(*surface.minima[0])
    fig = figure_for(scene)
    losses = [t for t in data_traces(fig) if row_of(fig, t) == 1]
    for trace, traj in zip(losses, simulate(scene)):
        assert len(trace.x) <= MAX_PANEL_POINTS < len(traj.loss)
        drawn, above = np.asarray(trace.y, float), traj.loss - f_min
        assert np.isclose(drawn.min(), above.min(), rtol=1e-6) and np.isclose(drawn.max(), above.max(), rtol=1e-6)
    assert any("min and max" in a.text for a in fig.layout.annotations), "the figure must say it shows a subset"


def test_the_largest_lesson_fits_in_150_kb_of_json():
    fig = figure_for(LESSONS["lr-sweep"].scene)  # 6 runs x 100,000 steps
    size = len(fig.to_json())
    assert size < 150_000, size


# ---- animation data ----------------------------------------------------------------------------------


def test_frame_steps_are_at_most_max_frames_and_include_both_ends():
    steps = frame_steps(100_000, 600)
    assert len(steps) == 600 and steps[0] == 0 and steps[-1] == 100_000 and np.all(np.diff(steps) > 0)
    assert list(frame_steps(20, 600)) == list(range(21))
    assert list(frame_steps(1, 600)) == [0, 1]
    assert list(frame_steps(0, 600)) == [0]


def test_animation_data_holds_a_diverged_run_at_its_last_position():
    trajectories = simulate(DIVERGING)
    gd, adagrad = trajectories
    data = animation_data(DIVERGING, trajectories, max_frames=100)
    steps = data["steps"]
    assert len(steps) == 100 and steps[0] == 0 and steps[-1] == 500 and data["total"] == 500
    run = data["runs"][0]
    assert run["uid"] == "marker-0" and run["status"] == "diverged" and run["last"] == gd.steps
    assert len(run["x"]) == len(run["y"]) == len(steps)
    for k, step in enumerate(steps):
        at = min(step, gd.steps)
        assert math.isclose(run["x"][k], gd.x[at], rel_tol=1e-5) and math.isclose(run["y"][k], gd.y[at], rel_tol=1e-5)
    assert run["x"][-1] == run["x"][-2], "after diverging the marker stays where the run stopped"
    assert math.isclose(data["runs"][1]["x"][-1], adagrad.x[-1], rel_tol=1e-5)


def test_animation_data_is_plain_json_under_100_kb_for_the_largest_lesson():
    scene = LESSONS["lr-sweep"].scene
    data = animation_data(scene, simulate(scene))
    text = json.dumps(data, allow_nan=False)
    assert len(text) < 100_000, len(text)
    assert len(data["steps"]) == MAX_FRAMES and data["steps"][-1] == 100_000 and len(data["runs"]) == 6


def test_animation_data_names_what_the_player_moves():
    scene = LESSONS["adam"].scene
    trajectories = simulate(scene)
    data = animation_data(scene, trajectories)
    figure = contour_figure(scene, trajectories)
    markers = {t.uid: t for t in figure.data if t.meta and t.meta.get("role") == "marker"}
    assert [r["uid"] for r in data["runs"]] == list(markers)
    assert {t.meta["scene"] for t in markers.values()} == {data["scene"]}
    panels = panels_figure(scene, trajectories)
    assert [t.meta["role"] for t in panels.data if t.meta and t.meta.get("scene") == data["scene"]] == [data["cursor"]] * 3


def test_a_run_that_flips_every_step_gets_a_trail_across_both_walls_the_frames_alone_miss():
    """The adam lesson: RMSProp flips between the valley's walls every step, the frames show every 10th
    step, so its marker stands on one wall in most frames. The trail the player draws between frames
    k-1 and k (assets/animation.js trail: the points of the path with uid ``path`` after one frame's step,
    before the next's, between where the run stood at each) spans both walls."""
    scene = LESSONS["adam"].scene
    trajectories = simulate(scene)
    data = animation_data(scene, trajectories)
    front, _ = page_layers(scene, trajectories)
    steps, run, traj = data["steps"], data["runs"][1], trajectories[1]
    # the player draws the trail in SVG of its own: the figure has no trace for it (each slows every redraw)
    assert len(front["data"]) == 1 + len(trajectories) + 2 + len(trajectories)  # placeholder, paths, minima, start, markers
    path = next(t for t in front["data"] if t.get("uid") == run["path"])
    drawn = np.asarray(path["customdata"])
    frames = range(100, 110)
    wall = traj.y[steps[100] - 1 : steps[110]].max() - traj.y[steps[100] - 1 : steps[110]].min()
    parked = [abs(run["y"][k] - run["y"][k - 1]) < 0.01 * wall for k in frames]
    assert sum(parked) >= 7, "the frames alone alias the zigzag away: the marker mostly stays on one wall"
    for k in frames:
        inside = drawn[(drawn > steps[k - 1]) & (drawn < steps[k])]
        ys = [run["y"][k - 1], *traj.y[inside], run["y"][k]]
        assert np.ptp(ys) > 0.9 * wall, k


def test_animation_needs_two_frames():
    with pytest.raises(ValueError):
        animation_data(MIXED, simulate(MIXED), max_frames=1)


# ---- the controls and the player agree on names ------------------------------------------------------


def test_the_controls_carry_the_ids_the_player_uses():
    from ui.animation import NAMESPACE, controls

    ids = set()

    def walk(node):
        if getattr(node, "id", None):
            ids.add(node.id)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if hasattr(child, "to_plotly_json"):
                walk(child)

    walk(controls())
    wanted = {"anim-play", "anim-back", "anim-forward", "anim-speed", "anim-scrubber", "anim-step", "anim-data"}
    assert wanted <= ids
    player = (ROOT / "assets" / "animation.js").read_text(encoding="utf-8")
    for name in ("anim-play", "anim-back", "anim-forward", "anim-scrubber", "anim-step", "surface-graph",
                 "panels-graph", f"dash_clientside.{NAMESPACE}", "requestAnimationFrame"):
        assert name in player, name


def test_an_epoch_scene_plots_and_animates_every_run_by_passes_over_the_data():
    from lessons import LESSONS

    scene = LESSONS["batch-size"].scene
    trajectories = simulate(scene)
    fig = panels_figure(scene, trajectories)
    losses = [t for t in fig.data if t.mode == "lines" and t.yaxis == "y" and not (t.meta and t.meta.get("role"))]
    assert len(losses) == 2
    # full batch (20 updates) and batch size 1 (400) both end at epoch 20
    assert {round(float(np.max(t.x)), 6) for t in losses} == {20.0}
    assert fig.layout.xaxis3.title.text == "epoch"
    data = animation_data(scene, trajectories)
    assert data["unit"] == "epoch" and data["steps"][-1] == 20
    middle = len(data["steps"]) // 2
    epoch = data["steps"][middle]
    for traj, run in zip(trajectories, data["runs"]):
        step = int(round(epoch * traj.updates_per_epoch))
        assert run["x"][middle] == pytest.approx(traj.x[step], rel=1e-5)


@pytest.mark.parametrize("lesson_id", ["lr-sweep", "batch-size", "warmup"])
def test_the_page_gets_the_panels_as_a_plain_dict_with_binary_arrays(lesson_id):
    scene = LESSONS[lesson_id].scene
    trajectories = simulate(scene)
    plain, figure = panels_dict(scene, trajectories), panels_figure(scene, trajectories)
    assert plain["layout"]["yaxis5"]["type"] == "log" and plain["layout"]["yaxis2"]["overlaying"] == "y"
    assert figure.layout.to_plotly_json() == {**plain["layout"], "template": figure.layout.template.to_plotly_json()}
    assert len(plain["data"]) == len(figure.data)
    for spec, trace in zip(plain["data"], figure.data):
        for axis in ("x", "y"):
            value = spec[axis]
            if isinstance(value, dict):  # base64, as plotly.js decodes it
                value = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            np.testing.assert_array_equal(np.asarray(value), np.asarray(getattr(trace, axis)))
