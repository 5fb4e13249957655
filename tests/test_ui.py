"""The app's pure UI logic without a browser: controls -> scene, links, captions, patches."""

from dataclasses import replace

import pytest
import numpy as np
from dash import Patch, no_update
from dash.exceptions import PreventUpdate

from lab.figures import GRID

from lab.page_settings import PageSettings
from lab.query import from_query
from lab.scene import Run, Scene
from lab.simulate import simulate
from lessons import LESSONS
from surfaces import SURFACES
from ui import editor
from ui.callbacks import (
    caption_for,
    drop_stale_labels,
    link_for,
    main_figure,
    page,
    round_to_view,
    scene_from_controls,
    slider_updates,
    status_text,
)


def controls_for(scene: Scene) -> tuple[dict, dict]:
    """Raw control values and ids as the editor would show them for ``scene``."""
    data = SURFACES[scene.surface].data
    values = {"surface": scene.surface, "steps": str(scene.steps), "seed": str(scene.seed),
              "epochs": [str(scene.epochs)] if scene.epochs else [],
              "start-x": str(scene.start_point[0]), "start-y": str(scene.start_point[1])}
    ids = {}
    fields = {"run-optimizer": lambda r: r.optimizer, "run-lr": lambda r: repr(r.lr),
              "run-lr-slider": lambda r: 0.0, "run-schedule": lambda r: r.schedule,
              "run-label": lambda r: r.label, "run-batch": lambda r: str(r.batch_size or (data.n_examples if data else 0)),
              "run-shuffle": lambda r: ["on"] if r.shuffle else []}
    for kind, get in fields.items():
        ids[kind] = [{"type": kind, "index": i} for i in range(len(scene.runs))]
        values[kind] = [get(r) for r in scene.runs]
    for kind, attr in (("run-param", "params"), ("run-sched", "schedule_params")):
        pairs = [(i, name, value) for i, r in enumerate(scene.runs) for name, value in getattr(r, attr)]
        ids[kind] = [{"type": kind, "index": i, "name": name} for i, name, _ in pairs]
        values[kind] = [repr(value) for *_, value in pairs]
    if data is None:
        ids["run-batch"], values["run-batch"], ids["run-shuffle"], values["run-shuffle"] = [], [], [], []
    return values, ids


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_the_controls_of_every_lesson_read_back_as_that_lesson(lesson_id):
    scene = LESSONS[lesson_id].scene
    values, ids = controls_for(scene)
    read, warnings, kept = scene_from_controls(values, ids, None, scene)
    assert warnings == () and read == scene and kept == {}
    editor.scene_controls(scene)  # builds without error


def test_the_slider_sets_the_learning_rate_it_points_at():
    scene = Scene("bowl", (Run("gd", lr=0.1),))
    values, ids = controls_for(scene)
    values["run-lr-slider"] = [-3.0]
    read, *_ = scene_from_controls(values, ids, {"type": "run-lr-slider", "index": 0}, scene)
    assert read.runs[0].lr == pytest.approx(1e-3)


@pytest.mark.parametrize("typo", ["abc", "-1", "1e9", ""])
def test_a_typo_in_a_learning_rate_keeps_the_value_on_screen(typo):
    """adagrad-eruption's 0.15 must not become the link's default 0.01: the eruption would never happen."""
    lesson = LESSONS["adagrad-eruption"].scene
    values, ids = controls_for(lesson)
    values["run-lr"] = [typo]
    read, warnings, kept = scene_from_controls(values, ids, None, lesson)
    assert read == lesson  # lr and label unchanged
    assert kept == {("run-lr", 0): "0.15"}  # the box shows 0.15 again
    assert warnings == (f"run 1: η '{typo}' is not a number from 1e-12 to 10,000: kept 0.15",)
    assert warnings[0].text("zh") == f"运行 1：η '{typo}' 不是 1e-12 到 10,000 之间的数：保留 0.15"


def test_a_typo_in_any_typed_box_keeps_its_value_on_screen():
    scene = Scene("regression", (Run("momentum", 0.05, params=(("momentum", 0.5),), schedule="step",
                                     schedule_params=(("step_size", 40),), batch_size=4),),
                  steps=300, seed=7, start=(1.0, 0.5))
    values, ids = controls_for(scene)
    values.update({"steps": "0", "seed": "-3", "start-x": "left", "start-y": "nan",
                   "run-batch": ["999"], "run-param": ["2"], "run-sched": ["2.5"]})
    read, warnings, kept = scene_from_controls(values, ids, None, scene)
    assert read == scene
    assert kept == {("steps",): "300", ("seed",): "7", ("start-x",): "1", ("start-y",): "0.5",
                    ("run-batch", 0): "4", ("run-param", 0, "momentum"): "0.5", ("run-sched", 0, "step_size"): "40"}
    assert warnings == (
        "steps '0' is not a whole number from 10 to 100,000: kept 300",
        "seed '-3' is not a whole number from 0 to 4,294,967,295: kept 7",
        "start x 'left' is not a number: kept 1",
        "start y 'nan' is not a number: kept 0.5",
        "run 1: batch size '999' is not a whole number from 1 to 20: kept 4",
        "run 1: λ (momentum) '2' is not a number from 0 to 0.999: kept 0.5",
        "run 1: every k steps '2.5' is not a whole number from 1 to 100,000: kept 40",
    )
    assert [w.text("zh") for w in warnings][4:6] == ["运行 1：批次大小 '999' 不是 1 到 20 之间的整数：保留 4",
                                                    "运行 1：λ（动量） '2' 不是 0 到 0.999 之间的数：保留 0.5"]


def test_a_link_still_falls_back_to_the_defaults():
    result = from_query("?lesson=adagrad-eruption&steps=0&run=adagrad:lr=abc")
    assert result.scene.runs[0].lr == Run().lr and result.scene.steps == LESSONS["adagrad-eruption"].scene.steps
    assert any("lr='abc'" in w for w in result.warnings) and any("steps='0'" in w for w in result.warnings)


def test_the_steps_label_says_the_range_the_parser_accepts():
    from lab.scene import MAX_STEPS, MIN_STEPS

    assert from_query(f"?steps={MIN_STEPS}").scene.steps == MIN_STEPS
    assert from_query(f"?steps={MIN_STEPS - 1}").warnings and from_query(f"?steps={MAX_STEPS + 1}").warnings
    for lang, label in (("en", "steps (10 to 100,000)"), ("zh", "步数（10 到 100,000）")):
        controls = str(editor.scene_controls(Scene(), PageSettings(lang=lang)))
        assert label in controls
    assert "from 10 to 100,000" in from_query("?steps=0").warnings[0]


def test_the_page_writes_kept_values_back_into_their_boxes_only():
    from ui.callbacks import kept_boxes

    ids = {"epochs": [], "run-batch": [{"type": "run-batch", "index": 0}, {"type": "run-batch", "index": 1}],
           "run-param": [{"type": "run-param", "index": 1, "name": "momentum"}], "run-sched": []}
    boxes = kept_boxes({("steps",): "300", ("run-batch", 1): "4", ("run-param", 1, "momentum"): "0.5"}, ids)
    assert boxes == [("steps", "300"), ({"type": "run-batch", "index": 1}, "4"),
                     ({"type": "run-param", "index": 1, "name": "momentum"}, "0.5")]


def test_a_label_that_names_a_changed_setting_is_dropped():
    before = Scene("tilted-valley", (Run("adagrad", lr=0.15, label="Adagrad η=0.15"), Run("gd", label="keep")))
    after = replace(before, runs=(replace(before.runs[0], lr=0.3), before.runs[1]))
    cleaned = drop_stale_labels(after, before)
    assert cleaned.runs[0].label == "" and cleaned.runs[1].label == "keep"
    relabelled = replace(after, runs=(replace(after.runs[0], label="mine"), after.runs[1]))
    assert drop_stale_labels(relabelled, before).runs[0].label == "mine"


def test_links_keep_the_lesson_and_captions_say_when_they_no_longer_apply():
    lesson = LESSONS["adagrad-eruption"]
    assert link_for(lesson.scene, lesson.id) == f"?lesson={lesson.id}"
    changed = replace(lesson.scene, steps=300)
    link = link_for(changed, lesson.id)
    assert from_query(link).scene == changed and from_query(link).lesson == lesson.id
    assert caption_for(lesson.scene, lesson.id) == lesson.caption_en
    assert caption_for(changed, lesson.id).startswith("You changed this lesson's settings")
    assert caption_for(changed, None) == ""


def test_a_clicked_point_is_rounded_to_the_view_scale():
    scene = Scene("valley")  # y spans 0.008: keep 6 decimals; x spans 1.2: keep 3
    assert round_to_view(0.123456789, scene) == 0.123
    assert round_to_view(0.00123456789, scene, axis=1) == 0.001235


def test_only_paths_are_resent_when_the_surface_and_view_stay():
    scene = Scene("bowl", (Run("gd", lr=0.1),), steps=50)
    first, contour, drawn = main_figure(scene, simulate(scene), None, None)
    assert not isinstance(first, Patch) and first["data"][0]["type"] == "contour"
    assert contour["type"] == "contour" and contour["z"]["shape"] == f"{GRID}, {GRID}"
    other = replace(scene, runs=(Run("momentum", lr=0.1),))
    patch, contour2, drawn2 = main_figure(other, simulate(other), None, drawn)
    assert isinstance(patch, Patch) and contour2 is no_update  # the contour layer is not sent again
    moved = replace(scene, surface="himmelblau")
    again, contour3, _ = main_figure(moved, simulate(moved), None, drawn2)
    assert not isinstance(again, Patch) and contour3["type"] == "contour"


def test_status_names_diverged_runs_and_warnings():
    scene = Scene("tilted-valley", (Run("gd", lr=3.0), Run("gd", lr=0.1)), steps=200)
    text = status_text(simulate(scene), ("steps='x' is not a number",))
    assert "run 1 diverged at step" in text and "run 2 final loss" in text and "warning: steps" in text


def test_paths_follow_the_contour_so_a_zoom_can_patch_them_by_index():
    scene = LESSONS["lr-sweep"].scene
    figure, _, _ = main_figure(scene, simulate(scene), None, None)
    assert figure["data"][0]["type"] == "contour"
    for i, run in enumerate(scene.runs):
        assert figure["data"][1 + i]["mode"] == "lines" and figure["data"][1 + i]["name"].startswith(run.display_label())


def test_a_zoom_redraws_the_visible_stretch_and_a_reset_the_whole_path():
    from lab.validate import zoom_box
    from ui.callbacks import view_zoomed

    scene = LESSONS["lr-too-large"].scene
    assert zoom_box({"xaxis.autorange": True}, scene.view_box) == tuple(scene.view_box)
    assert zoom_box({"dragmode": "pan"}, scene.view_box) is None
    box = zoom_box({"xaxis.range[0]": 0.9999, "xaxis.range[1]": 1.0, "yaxis.range[0]": -0.01,
                    "yaxis.range[1]": 0.01}, scene.view_box)
    assert box == (0.9999, 1.0, -0.01, 0.01)
    query = link_for(scene, "lr-too-large")
    patch = view_zoomed({"xaxis.range[0]": 0.9999, "xaxis.range[1]": 1.0}, query)
    assert isinstance(patch, Patch)


def test_a_patch_sends_only_the_changed_run_in_binary():
    from ui.callbacks import typed_arrays

    scene = Scene("bowl", (Run("gd", lr=0.1), Run("momentum", lr=0.1), Run("adam", lr=0.1)), steps=3000)
    _, _, drawn = main_figure(scene, simulate(scene), None, None)
    changed = replace(scene, runs=(scene.runs[0], Run("momentum", lr=0.05), scene.runs[2]))
    patch, _, _ = main_figure(changed, simulate(changed), None, drawn)
    assigned = [op["location"] for op in patch.to_plotly_json()["operations"] if op["location"][0] == "data"]
    n = len(scene.runs)
    assert sorted(loc[1] for loc in assigned) == [2, n + 1, n + 2, n + 3 + 1]  # path 1, minima, start, marker 1
    encoded = typed_arrays({"x": np.arange(3, dtype=np.float32)})
    assert encoded["x"]["dtype"] == "f4" and isinstance(encoded["x"]["bdata"], str)


def test_a_learning_rate_change_patches_that_runs_path_and_marker_and_no_other_trace():
    """main_figure patches by index ([placeholder, paths, minima, start, markers]): a trace inserted
    anywhere in the front (the player's trails once were) shifts the markers, and a learning-rate
    change then overwrote the wrong traces. The patched indices must hold the changed run's path and
    marker (by uid and meta.role), besides the minima and the start, which every patch resends."""
    from lab.figures import marker_uid, path_uid

    scene = LESSONS["adam"].scene
    _, _, drawn = main_figure(scene, simulate(scene), None, None)
    runs = list(scene.runs)
    runs[1] = replace(runs[1], lr=runs[1].lr / 2)
    changed = replace(scene, runs=tuple(runs))
    patch, _, drawn2 = main_figure(changed, simulate(changed), None, drawn)
    front, _ = main_figure(changed, simulate(changed), None, None)[:2]
    assert isinstance(patch, Patch) and drawn2["traces"] == drawn["traces"] == len(front["data"])
    operations = [op for op in patch.to_plotly_json()["operations"] if op["location"][0] == "data"]
    assert all(len(op["location"]) == 2 and op["operation"] == "Assign" for op in operations)
    patched = {op["location"][1]: op["params"]["value"] for op in operations}
    for i, trace in patched.items():
        assert trace == front["data"][i]
    sent = sorted((t.get("uid") or t["name"], (t.get("meta") or {}).get("role")) for t in patched.values())
    assert sent == sorted([(path_uid(1), None), (marker_uid(1), "marker"), ("minima", None), ("start", None)])
    assert patched[next(i for i, t in patched.items() if t.get("uid") == marker_uid(1))]["meta"]["run"] == 1


def test_the_pages_cartesian_plotly_is_the_version_of_the_full_bundle():
    """assets/plotly-cartesian.min.js (npm plotly.js-cartesian-dist-min) draws the page until the 3D
    view loads plotly.py's full bundle into the same page: two versions would disagree."""
    from pathlib import Path

    from plotly.offline import get_plotlyjs_version

    head = (Path(__file__).resolve().parents[1] / "assets" / "plotly-cartesian.min.js").read_text()[:200]
    assert f"plotly.js (cartesian - minified) v{get_plotlyjs_version()}" in head


def test_the_page_exports_a_bounded_file_and_points_to_the_command_line_beyond():
    from ui.export_menu import MAX_PAGE_EXPORT_POSITIONS, export_file

    small, message = export_file("csv", "?lesson=adam")
    assert small["filename"] == "adam.csv" and len(small["content"]) > 1000 and message == ""
    big = "?steps=100000&run=adam&run=gd&run=momentum"  # 300,003 positions
    data, message = export_file("json", big)
    assert data is None and f"{MAX_PAGE_EXPORT_POSITIONS:,}" in message and "command line" in message


def test_one_gif_at_a_time_per_process(monkeypatch):
    from ui import export_menu

    assert export_menu._GIF_TURN.acquire(blocking=False)  # as if another request were drawing one
    try:
        data, message = export_menu.export_file("gif", "?lesson=adam")
    finally:
        export_menu._GIF_TURN.release()
    assert data is None and "Another GIF" in message


def test_a_slider_already_in_place_is_not_set_again():
    runs = [Run(optimizer="gd", lr=0.01), Run(optimizer="adam", lr=0.003), None]
    # log10(0.003) = -2.52 -> -2.5; run 0's slider is at -2.0 already; a removed run's slider is left alone
    assert slider_updates(runs, {0: -2.0, 1: -2.0, 2: -1.0}) == [no_update, -2.5, no_update]
    assert slider_updates(runs, {}) == [-2.0, -2.5, no_update]


def test_the_caption_is_sent_only_when_it_changes():
    lesson = LESSONS["adam"]
    first = page(lesson.scene, "adam", [], None, None, "2d", rebuild=True)
    assert first[4] == lesson.caption_en
    changed = replace(lesson.scene, steps=lesson.scene.steps + 10)
    second = page(changed, "adam", [], first[0], first[-2], "2d", rebuild=False)
    assert second[4].startswith("You changed this lesson's settings")
    again = replace(changed, steps=changed.steps + 10)
    third = page(again, "adam", [], second[0], second[-2], "2d", rebuild=False)
    assert third[4] is no_update and third[0] != second[0]  # a new scene, the same caption
    back = page(lesson.scene, "adam", [], third[0], third[-2], "2d", rebuild=False)
    assert back[4] == lesson.caption_en


# ------------------------------------------------------------------ page settings (issue 7)

import re

from lab.page_settings import PageSettings
from lab.query import to_query
from ui.callbacks import plot_clicked, predict_switched, settings_of

_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def test_the_status_line_and_caption_speak_chinese_with_no_english_word_left():
    scene = Scene("tilted-valley", (Run("gd", lr=3.0), Run("gd", lr=0.1)), steps=200)
    warning = from_query("?steps=x").warnings
    text = status_text(simulate(scene), warning, "zh")
    assert "运行 1" in text and "运行 2" in text and "警告" in text
    assert not _LATIN_WORD.findall(text.replace("steps", "")), text  # the key name steps is the link's own word
    lesson = LESSONS["adam"]
    assert caption_for(lesson.scene, "adam", "zh") == lesson.caption_zh
    changed = caption_for(replace(lesson.scene, steps=17), "adam", "zh")
    assert changed.startswith("你修改了") and changed.endswith(lesson.caption_zh)


def test_every_link_the_page_writes_keeps_its_settings():
    settings = PageSettings(lang="zh", present=True, hide=frozenset({"lr"}), predict=True)
    lesson = LESSONS["adam"]
    first = page(lesson.scene, "adam", [], None, None, "2d", rebuild=True, settings=settings)
    assert settings_of(first[0]) == settings and from_query(first[0]).lesson == "adam"
    changed = replace(lesson.scene, steps=lesson.scene.steps + 10)
    second = page(changed, "adam", [], first[0], first[-2], "2d", rebuild=False)  # an edit: settings from the link
    assert settings_of(second[0]) == settings and from_query(second[0]).scene == changed
    assert "运行 1" in second[5]


def test_the_predict_switch_writes_predict_into_the_link_and_only_when_switched():
    lesson = LESSONS["adam"]
    query = link_for(lesson.scene, "adam")
    drawn = page(lesson.scene, "adam", [], None, None, "2d", rebuild=True)[-2]
    out = predict_switched(["on"], "adam", query, drawn, "2d")
    assert out[0] == query + "&predict=1" and from_query(out[0]).scene == lesson.scene
    with pytest.raises(PreventUpdate):
        predict_switched([], "adam", query, drawn, "2d")  # drawn with the page: nothing switched


def test_a_link_that_hides_the_start_fixes_it_against_clicks():
    lesson = LESSONS["adam"]
    click = {"points": [{"x": 0.5, "y": 0.5}]}
    query = to_query(lesson.scene, base=lesson.scene, lesson="adam", settings=PageSettings(hide=frozenset({"start"})))
    with pytest.raises(PreventUpdate):
        plot_clicked(click, "adam", query, None, "2d")
    moved = plot_clicked(click, "adam", link_for(lesson.scene, "adam"), None, "2d")
    assert from_query(moved[0]).scene.start == (0.5, 0.5)


def test_a_link_with_settings_only_opens_the_default_lesson_in_them():
    from ui.callbacks import DEFAULT_LESSON, show_scene

    out = show_scene("?lang=zh&view=present", None, None, "2d")
    result = from_query(out[0])
    assert result.lesson == DEFAULT_LESSON and result.settings.lang == "zh" and result.settings.present
    assert "运行 1" in out[5]


def test_status_counts_steps_as_the_scrubber_does():
    """Runs of one length: "2 runs × 200 steps", not a sum of 400 the scrubber never shows."""
    equal = Scene("bowl", (Run("gd", lr=0.1), Run("momentum", lr=0.1)), steps=200)
    assert status_text(simulate(equal), ()).startswith("2 runs × 200 steps simulated · run 1 final loss")
    assert status_text(simulate(equal), (), "zh").startswith("共模拟 2 个运行 × 200 步")
    one = Scene("bowl", (Run("gd", lr=0.1),), steps=200)
    assert status_text(simulate(one), ()).startswith("200 steps simulated")
    mixed = Scene("tilted-valley", (Run("gd", lr=3.0), Run("gd", lr=0.1)), steps=200)  # run 1 diverges early
    assert status_text(simulate(mixed), ()).split(" · ")[0] == f"{sum(t.steps for t in simulate(mixed)):,} steps simulated"
    full = Scene("regression", (Run("gd", lr=0.01, batch_size=20),), epochs=3)  # 20 examples: 1 update an epoch
    assert "(1 update per epoch)" in status_text(simulate(full), ())


def test_add_a_run_adds_the_next_optimizer_not_a_copy_under_the_last():
    """A copy is drawn exactly under the run it copies: nothing new would appear on the plot."""
    lesson = LESSONS["adagrad-eruption"].scene  # one Adagrad run, η = 0.15
    added = editor.added_run(lesson.runs)
    assert added == Run("gd", 0.15)  # gd comes first and is not in the scene; η kept, label made
    on_data = (Run("gd", 0.05, schedule="decay", batch_size=4, shuffle=False, label="mine"),
               Run("momentum", 0.02, params=(("momentum", 0.5),), batch_size=2))
    assert editor.added_run(on_data) == Run("adagrad", 0.02, batch_size=2)  # the last run's η and batches
    six = tuple(Run(name, 0.01) for name in editor.ADD_ORDER)
    assert editor.added_run(six) == Run("radam", 0.001)  # all six there: a tenth of the last η
    scene = replace(lesson, runs=(*lesson.runs, added), steps=200)
    first, second = simulate(scene)
    assert not np.allclose(first.x, second.x)  # something new on the plot
