"""The app's callbacks without a browser: a URL in, a figure, caption and honest status out."""

import numpy as np

import pytest

from app import build_app
from lessons import LESSONS
from ui.callbacks import scene_outputs


def test_the_app_builds_with_its_layout():
    app = build_app()
    assert app.layout is not None


def test_the_default_page_is_a_lesson():
    figure, caption, status, _, lesson = scene_outputs("", None, None)
    assert lesson in LESSONS and caption == LESSONS[lesson].caption_en
    assert "steps simulated" in status


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_every_lesson_draws_its_runs_without_nan(lesson_id):
    figure, caption, status, search, lesson = scene_outputs(f"?lesson={lesson_id}", None, None)
    paths = [t for t in figure.data if t.type == "scatter" and t.name not in ("minima", "start")]
    assert len(paths) == len(LESSONS[lesson_id].scene.runs)
    for trace in figure.data:
        if trace.type == "scatter":
            assert np.all(np.isfinite(np.asarray(trace.x, float))) and np.all(np.isfinite(np.asarray(trace.y, float)))
    assert lesson == lesson_id and caption


def test_picking_a_lesson_rewrites_the_url():
    _, _, _, search, lesson = scene_outputs("?lesson=lr-sweep", "warmup", "lesson")
    assert search == "?lesson=warmup" and lesson == "warmup"


def test_a_hostile_query_falls_back_with_visible_warnings():
    _, _, status, _, _ = scene_outputs("?steps=1e12&run=gd:lr=nan&surface=<script>", None, None)
    assert status.count("warning:") >= 3 and "steps" in status and "surface" in status
