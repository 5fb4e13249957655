"""Callbacks: parse the URL into a scene, simulate, draw. Each a few lines."""

from dash import Input, Output, callback, ctx, no_update

from lab.figures import contour_figure
from lab.query import from_query
from lab.simulate import simulate
from lessons import LESSONS

DEFAULT_LESSON = "adagrad-eruption"


def status_text(scene, trajectories, warnings) -> str:
    """What was simulated, how each run ended, and what the URL parser fell back on."""
    parts = [f"{sum(t.steps for t in trajectories):,} steps simulated"]
    for i, traj in enumerate(trajectories, start=1):
        if traj.status != "ok":
            parts.append(f"run {i} {traj.message}")
        elif len(traj.loss):
            parts.append(f"run {i} final loss {traj.loss[-1]:.4g}")
    parts.extend(f"warning: {w}" for w in warnings)
    return " · ".join(parts)


@callback(
    Output("surface-graph", "figure"),
    Output("caption", "children"),
    Output("status", "children"),
    Output("url", "search"),
    Output("lesson", "value"),
    Input("url", "search"),
    Input("lesson", "value"),
)
def show_scene(search, lesson_id):
    return scene_outputs(search, lesson_id, ctx.triggered_id)


def scene_outputs(search, lesson_id, trigger):
    """Figure, caption, status, URL search and lesson for a URL (or a lesson just picked)."""
    if trigger == "lesson" and lesson_id in LESSONS:
        search = f"?lesson={lesson_id}"
    result = from_query(search or f"?lesson={DEFAULT_LESSON}")
    lesson = LESSONS.get(result.lesson)
    trajectories = simulate(result.scene)
    title = lesson.title_en if lesson else None
    figure = contour_figure(result.scene, trajectories, title=title)
    caption = lesson.caption_en if lesson else ""
    new_search = search if search else no_update
    return figure, caption, status_text(result.scene, trajectories, result.warnings), new_search, result.lesson
