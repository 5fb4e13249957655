"""Callbacks. Data flows one way: every control writes the URL; the URL alone decides the page.

controls, clicks, buttons, lesson picker --> url.search --> scene --> simulate --> figures
Each callback parses, calls pure code and returns. The controls are rebuilt only when the
scene's structure changes or the change came from elsewhere (a link, a lesson, a click).
"""

from __future__ import annotations

import base64
import math
from dataclasses import replace

import numpy as np
from dash import ALL, Input, Output, Patch, State, callback, clientside_callback, ctx, no_update

from lab.animation import animation_data
from lab.figures import MAX_PATH_POINTS, contour_figure, surface_3d_figure, surface_revision
from lab.panels import panels_figure
from lab.query import compose_query, from_query, to_query
from lab.scene import MAX_RUNS, Scene
from lab.simulate import simulate
from lab.thinning import thin_in_view
from lessons import LESSONS
from ui import editor

DEFAULT_LESSON = "adagrad-eruption"
RUN_FIELDS = ("run-optimizer", "run-lr", "run-lr-slider", "run-schedule", "run-label", "run-batch", "run-shuffle")
NAMED_FIELDS = ("run-param", "run-sched")


def _all(kind: str) -> dict:
    return {"type": kind, "index": ALL}


def _all_named(kind: str) -> dict:
    return {"type": kind, "index": ALL, "name": ALL}


# ------------------------------------------------------------------ pure helpers


def status_text(trajectories, warnings) -> str:
    """What was simulated, how each run ended, and what the URL parser fell back on."""
    parts = [f"{sum(t.steps for t in trajectories):,} steps simulated"]
    for i, traj in enumerate(trajectories, start=1):
        if traj.status != "ok":
            parts.append(f"run {i} {traj.message}")
        elif len(traj.loss):
            parts.append(f"run {i} final loss {traj.loss[-1]:.4g}")
    parts.extend(f"warning: {w}" for w in warnings)
    return " · ".join(parts)


def link_for(scene: Scene, lesson_id: str | None) -> str:
    """The shortest link to ``scene``: its lesson plus the changes, or the scene on its own."""
    lesson = LESSONS.get(lesson_id)
    if lesson is not None:
        return to_query(scene, base=lesson.scene, lesson=lesson.id)
    return to_query(scene) or "?"


def caption_for(scene: Scene, lesson_id: str | None) -> str:
    """The lesson's caption, said plainly to describe the lesson's settings once they are changed."""
    lesson = LESSONS.get(lesson_id)
    if lesson is None:
        return ""
    if scene == lesson.scene:
        return lesson.caption_en
    return f"You changed this lesson's settings; its caption describes the original. {lesson.caption_en}"


def drop_stale_labels(scene: Scene, previous: Scene) -> Scene:
    """A label names a setting ("Adagrad η=0.15"): once the setting changes, the label would lie,
    so a run whose optimizer, learning rate, schedule or parameters changed while its label did not
    falls back to a label made from its settings."""
    runs = []
    for i, run in enumerate(scene.runs):
        old = previous.runs[i] if i < len(previous.runs) else None
        settings = lambda r: (r.optimizer, r.lr, r.params, r.schedule, r.schedule_params, r.batch_size)  # noqa: E731
        if old is not None and run.label and run.label == old.label and settings(run) != settings(old):
            run = replace(run, label="")
        runs.append(run)
    return replace(scene, runs=tuple(runs))


def round_to_view(value: float, scene: Scene, axis: int = 0) -> float:
    """A clicked coordinate to a thousandth of the view's extent: a short link, no false precision."""
    box = scene.view_box
    extent = (box.x_max - box.x_min) if axis == 0 else (box.y_max - box.y_min)
    return round(value, max(0, 3 - math.floor(math.log10(extent))))


def slider_value(lr: float) -> float:
    low, high = editor.LR_SLIDER
    return round(min(max(math.log10(lr), low), high), 1)


def scene_from_controls(values: dict, ids: dict, trigger, current: Scene) -> tuple[Scene, tuple[str, ...]]:
    """The scene the raw control values describe, read through the URL parser (which warns).

    The formula and the view are kept from ``current``, the scene on screen: they are typed
    and checked in ui.formula_box."""

    def at(kind: str, i: int, name: str | None = None):
        for id_, value in zip(ids[kind], values[kind]):
            if id_["index"] == i and (name is None or id_.get("name") == name):
                return value
        return None

    runs = []
    for i in range(len(values["run-optimizer"])):
        lr = at("run-lr", i)
        if trigger == {"type": "run-lr-slider", "index": i}:
            lr = 10.0 ** float(at("run-lr-slider", i))
        params = {id_["name"]: v for kind in NAMED_FIELDS for id_, v in zip(ids[kind], values[kind]) if id_["index"] == i}
        shuffle = at("run-shuffle", i)
        runs.append({
            "optimizer": at("run-optimizer", i), "lr": lr, "schedule": at("run-schedule", i),
            "batch": at("run-batch", i), "shuffle": None if shuffle is None else bool(shuffle),
            "label": at("run-label", i), "params": params,
        })
    fields = {
        "steps": values["steps"], "seed": values["seed"],
        "epochs": values["epochs"][0] if values["epochs"] else None,
        "start": (values["start-x"], values["start-y"]),
        **editor.surface_fields(values["surface"], current),
    }
    result = from_query(compose_query(fields, runs))
    return result.scene, result.warnings


# ------------------------------------------------------------------ controls -> URL


@callback(
    Output("url", "search", allow_duplicate=True),
    Output("typed", "data"),
    Output(_all("run-lr"), "value"),
    Output(_all("run-lr-slider"), "value"),
    Output(_all("run-label"), "value"),
    Input("surface", "value"),
    Input("steps", "value"),
    Input(_all("epochs"), "value"),
    Input("seed", "value"),
    Input("start-x", "value"),
    Input("start-y", "value"),
    *[Input(_all(kind), "value") for kind in RUN_FIELDS],
    *[Input(_all_named(kind), "value") for kind in NAMED_FIELDS],
    State("lesson", "value"),
    State("scene-query", "data"),
    prevent_initial_call=True,
)
def controls_changed(*args):
    names = ("surface", "steps", "epochs", "seed", "start-x", "start-y", *RUN_FIELDS, *NAMED_FIELDS)
    values = dict(zip(names, args))
    lesson_id, shown_query = args[len(names) :]
    ids = {name: [item["id"] for item in group] for name, group in zip(names, ctx.inputs_list) if isinstance(group, list)}
    current = from_query(shown_query or "").scene
    typed_scene, warnings = scene_from_controls(values, ids, ctx.triggered_id, current)
    scene = drop_stale_labels(typed_scene, current)
    link = link_for(scene, lesson_id)
    n = len(ids["run-lr"])
    runs = list(scene.runs[:n]) + [None] * (n - len(scene.runs))
    from_slider = isinstance(ctx.triggered_id, dict) and ctx.triggered_id.get("type") == "run-lr-slider"
    shown = [f"{r.lr:.3g}" if r and from_slider else no_update for r in runs]
    sliders = [slider_value(r.lr) if r else no_update for r in runs]
    labels = [r.label if r and r.label != t.label else no_update for r, t in zip(runs, typed_scene.runs)]
    labels += [no_update] * (n - len(labels))
    return link, {"query": link, "warnings": list(warnings)}, shown, sliders, labels


@callback(
    Output("url", "search", allow_duplicate=True),
    Input("add-run", "n_clicks"),
    Input(_all("run-duplicate"), "n_clicks"),
    Input(_all("run-remove"), "n_clicks"),
    Input(_all("run-sweep"), "n_clicks"),
    State("scene-query", "data"),
    State("lesson", "value"),
    prevent_initial_call=True,
)
def runs_edited(add, duplicates, removes, sweeps, query, lesson_id):
    """Add, duplicate, remove, or sweep a run: a change of structure, written to the URL."""
    if not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update  # a button that was just drawn, not clicked
    scene = from_query(query or "").scene
    runs = list(scene.runs)
    trigger = ctx.triggered_id
    if trigger == "add-run":
        runs.append(replace(runs[-1], label=""))
    else:
        i = trigger["index"]
        if trigger["type"] == "run-duplicate":
            runs.insert(i + 1, replace(runs[i], label=""))
        elif trigger["type"] == "run-remove" and len(runs) > 1:
            runs.pop(i)
        elif trigger["type"] == "run-sweep":
            runs[i : i + 1] = editor.sweep(runs[i], MAX_RUNS - len(runs) + 1)
    return link_for(replace(scene, runs=tuple(runs[:MAX_RUNS])), lesson_id)


@callback(
    Output("url", "search", allow_duplicate=True),
    Input("surface-graph", "clickData"),
    State("scene-query", "data"),
    State("lesson", "value"),
    prevent_initial_call=True,
)
def plot_clicked(click, query, lesson_id):
    """A click anywhere in the plot area moves the start point there (layout.clickanywhere)."""
    click = click or {}
    points = click.get("points") or [{}]
    x = (click.get("xvals") or [points[0].get("x")])[0]
    y = (click.get("yvals") or [points[0].get("y")])[0]
    scene = from_query(query or "").scene
    try:
        moved = replace(scene, start=(round_to_view(float(x), scene), round_to_view(float(y), scene, axis=1)))
    except (TypeError, ValueError):  # no coordinates, or not numbers
        return no_update
    return link_for(moved, lesson_id)


@callback(
    Output("url", "search", allow_duplicate=True),
    Input("lesson", "value"),
    State("scene-query", "data"),
    prevent_initial_call=True,
)
def lesson_picked(lesson_id, query):
    if lesson_id not in LESSONS:
        return no_update
    if from_query(query or "").lesson == lesson_id:
        return no_update  # set by the page itself, not picked
    return f"?lesson={lesson_id}"


# ------------------------------------------------------------------ URL -> page


def typed_arrays(value):
    """``value`` with every NumPy array as Plotly's base64 typed-array spec.

    Plotly encodes arrays this way when it serializes a whole figure, but the values of a
    Patch are serialized as plain lists, at three to four times the bytes.
    """
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiu":
        little = value.astype(value.dtype.newbyteorder("<"), copy=False)
        return {"dtype": little.dtype.str[1:], "bdata": base64.b64encode(little.tobytes()).decode("ascii")}
    if isinstance(value, dict):
        return {k: typed_arrays(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [typed_arrays(v) for v in value]
    return value


def run_fingerprints(scene: Scene) -> list[str]:
    """What each run's path depends on: the run and everything it starts from."""
    context = (scene.surface, scene.formula, scene.view, scene.start, scene.steps, scene.epochs, scene.seed)
    return [repr((context, run)) for run in scene.runs]


def main_figure(scene, trajectories, title, drawn, mode: str = "2d"):
    """The contour figure (or the 3D view), or a Patch when the surface, view and mode are
    already drawn: the 200x200 contour is never sent again when only paths change, and of the
    paths only those whose run or start changed are sent."""
    if mode == "3d":
        return surface_3d_figure(scene, trajectories, title=title), None
    figure = contour_figure(scene, trajectories, title=title)
    figure.update_layout(clickanywhere=True)  # a click on empty plot area reports its x and y
    key = surface_revision(scene)
    fingerprints = run_fingerprints(scene)
    now = {"key": key, "traces": len(figure.data), "runs": fingerprints}
    if not drawn or drawn.get("key") != key:
        return figure, now
    patch = Patch()
    n = len(scene.runs)
    before = drawn.get("runs") or []
    if len(before) == n:  # same runs layout: [contour, paths, minima, start, markers]
        changed = [i for i in range(n) if before[i] != fingerprints[i]]
        indices = [1 + i for i in changed] + [n + 1, n + 2] + [n + 3 + i for i in changed]
    else:
        indices = list(range(1, len(figure.data)))
        for i in range(drawn["traces"] - 1, len(figure.data) - 1, -1):
            del patch["data"][i]
    for i in sorted(indices):
        patch["data"][i] = typed_arrays(figure.data[i].to_plotly_json())
    layout = figure.layout
    patch["layout"]["annotations"] = [a.to_plotly_json() for a in layout.annotations]
    patch["layout"]["title"] = layout.title.to_plotly_json()
    patch["layout"]["margin"] = layout.margin.to_plotly_json()
    return patch, now


@callback(
    Output("scene-query", "data"),
    Output("controls", "children"),
    Output("lesson", "value"),
    Output("caption", "children"),
    Output("status", "children"),
    Output("surface-graph", "figure"),
    Output("panels-graph", "figure"),
    Output("anim-data", "data"),
    Output("drawn", "data"),
    Input("url", "search"),
    State("scene-query", "data"),
    State("typed", "data"),
    State("drawn", "data"),
    State("view-mode", "value"),
)
def show_scene(search, shown_query, typed, drawn, mode):
    result = from_query(search or f"?lesson={DEFAULT_LESSON}")
    scene, lesson_id = result.scene, result.lesson
    query = link_for(scene, lesson_id)
    warnings = list(result.warnings)
    typed = typed or {}
    if typed.get("query") == query:
        warnings += typed.get("warnings", [])
    previous = from_query(shown_query).scene if shown_query is not None else None
    if previous == scene and shown_query is not None:
        return (no_update,) * 4 + (status_text(simulate(scene), warnings),) + (no_update,) * 4
    rebuild = previous is None or typed.get("query") != query or editor.structure(previous) != editor.structure(scene)
    controls = editor.scene_controls(scene) if rebuild else no_update
    trajectories = simulate(scene)
    lesson = LESSONS.get(lesson_id)
    title = lesson.title_en if lesson else None
    figure, drawn = main_figure(scene, trajectories, title, drawn, mode)
    return (
        query, controls, lesson_id, caption_for(scene, lesson_id), status_text(trajectories, warnings),
        figure, panels_figure(scene, trajectories), animation_data(scene, trajectories), drawn,
    )


@callback(
    Output("surface-graph", "figure", allow_duplicate=True),
    Output("drawn", "data", allow_duplicate=True),
    Input("view-mode", "value"),
    State("scene-query", "data"),
    prevent_initial_call=True,
)
def view_mode_changed(mode, query):
    """Switch between the contour map and the 3D surface of the same scene."""
    result = from_query(query or "")
    lesson = LESSONS.get(result.lesson)
    return main_figure(result.scene, simulate(result.scene), lesson.title_en if lesson else None, None, mode)


def zoomed_box(relayout: dict, scene: Scene):
    """The box a zoom or pan shows, the full view after a reset, or None for other layout events."""
    full = scene.view_box
    if relayout.get("xaxis.autorange") or relayout.get("yaxis.autorange"):
        return full
    keys = ("xaxis.range[0]", "xaxis.range[1]", "yaxis.range[0]", "yaxis.range[1]")
    if not any(k in relayout for k in keys):
        return None
    try:
        values = [float(relayout.get(k, default)) for k, default in zip(keys, full)]
    except (TypeError, ValueError):
        return None
    x0, x1, y0, y1 = values
    return (min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1))


@callback(
    Output("surface-graph", "figure", allow_duplicate=True),
    Input("surface-graph", "relayoutData"),
    State("scene-query", "data"),
    prevent_initial_call=True,
)
def view_zoomed(relayout, query):
    """Draw the paths again for the zoomed view, thinned over what is in view only, so that
    zooming in shows the real zigzag, not a magnified sketch of it."""
    scene = from_query(query or "").scene
    box = zoomed_box(relayout or {}, scene)
    if box is None or "scene.camera" in (relayout or {}):
        return no_update
    patch = Patch()
    for i, traj in enumerate(simulate(scene)):
        keep = thin_in_view(traj.x, traj.y, box, MAX_PATH_POINTS)
        gap = keep < 0  # NaN breaks the line there: Plotly draws nothing between stretches
        safe = np.where(gap, 0, keep)
        patch["data"][1 + i]["x"] = typed_arrays(np.where(gap, np.nan, traj.x[safe]))
        patch["data"][1 + i]["y"] = typed_arrays(np.where(gap, np.nan, traj.y[safe]))
        patch["data"][1 + i]["customdata"] = typed_arrays(keep.astype(np.int32))
    return patch


clientside_callback(
    "function(n) { return window.location.href; }",
    Output("copy-link", "content"),
    Input("copy-link", "n_clicks"),
    prevent_initial_call=True,
)
