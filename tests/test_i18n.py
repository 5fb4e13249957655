"""Issue 7 without a browser: every visible word of the controls and figures in Chinese, hidden
controls kept but out of sight, and the projector's look larger than the page's."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

from lab.animation import animation_data
from lab.figures import page_layers, surface_3d_figure
from lab.page_settings import HIDEABLE, PageSettings
from lab.panels import panels_dict
from lab.scene import Run, Scene
from lab.simulate import simulate
from lab.strings import run_label
from lessons import LESSONS
from surfaces.formula import ALLOWED_CONSTANTS, ALLOWED_FUNCTIONS
from ui import animation, editor, export_menu

# Names and notation that stay as they are in the Chinese page: optimizers, schedules and test
# functions named after people, file formats, the key "Enter",
# and the formula language.
ALLOWED = {
    "Adam", "RAdam", "RMSProp", "Adagrad", "PyTorch", "Transformer", "ResNet", "Vaswani", "He",
    "Beale", "Himmelblau", "Rosenbrock", "Rastrigin", "Ackley", "Goldstein", "Price", "Styblinski", "Tang",
    "Enter", "PNG", "SVG", "GIF", "HTML", "JSON", "CSV", "d_model",
    *ALLOWED_FUNCTIONS, *ALLOWED_CONSTANTS,
}
WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
MARKUP = re.compile(r"%\{[^}]*\}|<[^>]*>|&[a-z]+;")
TEXT_PROPS = ("children", "label", "placeholder", "title", "aria-label")
FIGURE_KEYS = {"text", "name", "hovertemplate", "label", "title", "prefix"}


def english_words(texts) -> set[str]:
    return {w for text in texts for w in WORD.findall(MARKUP.sub(" ", text)) if w not in ALLOWED}


def component_texts(node):
    """Every string a Dash component tree shows or reads out (and its options' labels)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, (list, tuple)):
        for child in node:
            yield from component_texts(child)
    elif hasattr(node, "_prop_names") or hasattr(node, "to_plotly_json"):
        for prop in TEXT_PROPS:
            value = getattr(node, prop, None)
            if value is not None and not isinstance(value, (int, float, bool)):
                yield from component_texts(value)
        for option in getattr(node, "options", None) or []:
            yield from component_texts(option.get("label") if isinstance(option, dict) else option)


def figure_texts(value, key=None):
    """Every string of a figure dict under a key that plotly.js shows (titles, names, hovers, notes)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in ("meta", "uid", "legendgroup", "uirevision", "font", "bdata", "dtype"):
                yield from figure_texts(v, k)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from figure_texts(v, key)
    elif isinstance(value, str) and key in FIGURE_KEYS:
        yield value


def ids_in(node, out=None) -> list:
    """The ids of a component tree: a pattern id by its type."""
    out = [] if out is None else out
    if isinstance(node, (list, tuple)):
        for child in node:
            ids_in(child, out)
    elif hasattr(node, "_prop_names"):
        id_ = getattr(node, "id", None)
        if id_ is not None:
            out.append(id_["type"] if isinstance(id_, dict) else id_)
        ids_in(getattr(node, "children", None), out)
    return out


def hidden_wrappers(node, out=None) -> list:
    out = [] if out is None else out
    if isinstance(node, (list, tuple)):
        for child in node:
            hidden_wrappers(child, out)
    elif hasattr(node, "_prop_names"):
        if getattr(node, "className", None) == editor.HIDDEN_CLASS:
            out.append(node)
        hidden_wrappers(getattr(node, "children", None), out)
    return out


ZH = PageSettings(lang="zh")


# ---------------------------------------------------------------- controls


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_every_control_of_every_lesson_speaks_chinese(lesson_id):
    texts = list(component_texts(editor.scene_controls(LESSONS[lesson_id].scene, ZH)))
    assert english_words(texts) == set()
    assert any("学习率" in t for t in texts) and any("优化器" in t for t in texts)


@pytest.mark.parametrize("surface", ["formula", "rosenbrock", "valley", "regression"])
def test_formula_gallery_and_data_surfaces_speak_chinese(surface):
    scene = Scene(surface, formula="x^2 + 10*y^2") if surface == "formula" else Scene(surface)
    scene = Scene(surface, (Run("rmsprop", 0.01, schedule="warmup"),), formula=scene.formula)
    assert english_words(component_texts(editor.scene_controls(scene, ZH))) == set()


def test_the_english_controls_keep_their_words():
    texts = list(component_texts(editor.scene_controls(LESSONS["batch-size"].scene)))
    for expected in ("surface", "learning rate η", "Add a run", "shuffle every epoch", "Learning-rate sweep"):
        assert any(expected in t for t in texts), expected


def test_the_player_and_the_export_menu_speak_chinese():
    for tree in (animation.controls("zh"), export_menu.menu("zh")):
        texts = list(component_texts(tree))
        assert texts and english_words(texts) == set()
    assert english_words(component_texts(animation.controls("en"))) >= {"Play", "Speed"}


def test_the_players_words_come_with_its_data():
    scene = LESSONS["batch-size"].scene  # counts epochs
    zh = animation_data(scene, simulate(scene), lang="zh")
    assert zh["labels"]["readout"] == "第 {k} / {total} 回合" and zh["labels"]["play"] == "▶ 播放"
    en = animation_data(scene, simulate(scene))
    assert en["labels"]["readout"] == "epoch {k} of {total}" and en["unit"] == "epoch"
    assert english_words(r["label"] for r in zh["runs"]) == set()


# ---------------------------------------------------------------- hidden by a link


EDITOR_HIDES = {
    "surface": {"surface", "view-x", "view-y", "view-error"},
    "steps": {"steps", "epochs"},
    "start": {"start-x", "start-y"},
    "seed": {"seed"},
    "runs": {"add-run", "run-duplicate", "run-remove", "run-sweep"},
    "optimizer": {"run-optimizer"},
    "lr": {"run-lr", "run-lr-slider"},
    "schedule": {"run-schedule", "run-sched"},
    "params": {"run-param"},
    "batch": {"run-batch", "run-shuffle"},
    "label": {"run-label"},
}


# a data surface (batch and epochs exist), runs with hyperparameters and a schedule's
EVERY_CONTROL = Scene("regression", (Run("momentum", 0.05, schedule="step", batch_size=5), Run("adam", 0.01)))


@pytest.mark.parametrize("name", EDITOR_HIDES)
def test_a_hidden_control_stays_in_the_page_out_of_sight_and_nothing_else_does(name):
    scene = EVERY_CONTROL
    assert name in HIDEABLE
    shown = editor.scene_controls(scene)
    hidden = editor.scene_controls(scene, PageSettings(hide={name}))
    assert sorted(map(str, ids_in(hidden))) == sorted(map(str, ids_in(shown)))  # every id, unchanged
    wrappers = hidden_wrappers(hidden)
    assert wrappers and all(w.hidden is True and getattr(w, "data-hidden") == name for w in wrappers)
    assert set(ids_in(wrappers)) == EDITOR_HIDES[name]
    assert hidden_wrappers(shown) == []


def test_hiding_several_controls_hides_each():
    scene = LESSONS["adam"].scene
    hidden = editor.scene_controls(scene, PageSettings(hide={"optimizer", "lr"}))
    assert set(ids_in(hidden_wrappers(hidden))) == EDITOR_HIDES["optimizer"] | EDITOR_HIDES["lr"]


# ---------------------------------------------------------------- figures


def _figures(scene, lang="zh", present=False):
    trajectories = simulate(scene)
    front, contour = page_layers(scene, trajectories, None, lang=lang, present=present)
    three_d = surface_3d_figure(scene, trajectories, lang=lang, present=present).to_plotly_json()
    panels = panels_dict(scene, trajectories, lang, present)
    return front, contour, three_d, panels


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_every_figure_of_every_lesson_speaks_chinese(lesson_id):
    figures = _figures(LESSONS[lesson_id].scene)
    texts = [t for fig in figures for t in figure_texts(fig)]
    assert english_words(texts) == set()
    for fig in (figures[0], figures[2], figures[3]):
        assert "Noto Sans CJK SC" in fig["layout"]["font"]["family"]


def test_a_run_that_stops_early_and_leaves_the_view_says_so_in_chinese():
    scene = Scene("tilted-valley", (Run("gd", lr=3.0), Run("adagrad", lr=0.15)), steps=500)  # gd diverges
    trajectories = simulate(scene)
    assert trajectories[0].status != "ok"
    front, _ = page_layers(scene, trajectories, None, lang="zh")
    name = front["data"][1]["name"]
    assert "离开视图" in name and english_words([name]) == set()
    assert english_words(figure_texts(panels_dict(scene, trajectories, "zh"))) == set()


def test_thinned_paths_are_noted_in_chinese():
    scene = Scene("valley", (Run("gd", 1e-3), Run("adam", 1e-3), Run("momentum", 1e-3)), steps=20_000)
    front, _ = page_layers(scene, simulate(scene), None, lang="zh")
    notes = [a["text"] for a in front["layout"]["annotations"]]
    assert any("条路径" in n for n in notes) and english_words(notes) == set()


def test_run_labels_made_from_settings():
    assert run_label(Run("gd", 0.1, schedule="decay", batch_size=5), "zh") == "梯度下降 η=0.1 衰减 B=5"
    for lesson in LESSONS.values():
        for run in lesson.scene.runs:
            assert run_label(run, "en") == run.display_label()


def _widths(data) -> list[float]:
    return [t["line"]["width"] for t in data if t.get("mode", "").startswith("lines") and "line" in t]


def test_present_draws_larger_type_thicker_lines_and_bigger_markers():
    scene = LESSONS["saddle-momentum"].scene
    page, present = _figures(scene, "en"), _figures(scene, "en", present=True)
    front, front_p = page[0], present[0]
    assert front_p["layout"]["font"]["size"] >= 20 > front["layout"].get("font", {}).get("size", 12)
    paths, paths_p = _widths(front["data"][1:3]), _widths(front_p["data"][1:3])
    assert min(paths_p) >= 4 and min(paths_p) > max(paths)
    sizes = [t["marker"]["size"] for t in front["data"] if t.get("mode") == "markers"]
    sizes_p = [t["marker"]["size"] for t in front_p["data"] if t.get("mode") == "markers"]
    assert all(np.asarray(b) > np.asarray(a) for a, b in zip(sizes, sizes_p))
    assert min(_widths(present[3]["data"])) > min(_widths(page[3]["data"]))
    assert present[3]["layout"]["font"]["size"] > 12
    assert present[3]["layout"]["annotations"][0]["font"]["size"] > page[3]["layout"]["annotations"][0]["font"]["size"]
    assert min(_widths(present[2]["data"])) > min(_widths(page[2]["data"]))
    assert present[1]["colorbar"]["tickfont"]["size"] >= 20


def test_the_english_page_is_unchanged_by_default():
    scene = LESSONS["adam"].scene
    trajectories = simulate(scene)
    front, _ = page_layers(scene, trajectories, None)
    assert "font" not in front["layout"]
    assert front["data"][1]["line"]["width"] == 2 and front["layout"]["xaxis"]["title"]["text"] == "x"
    assert panels_dict(scene, trajectories)["layout"]["xaxis3"]["title"]["text"] == "step"


# ---------------------------------------------------------------- exports


def test_render_lang_zh_draws_a_chinese_figure_with_a_cjk_font(tmp_path, monkeypatch):
    import render
    from lab import images

    drawn = []

    def fake_kaleido(fig, fmt, width, height, scale=1.0):
        drawn.append(fig)
        return b"\x89PNG"

    monkeypatch.setattr(images, "_kaleido", fake_kaleido)
    assert render.main(["local-minimum-momentum", "-o", str(tmp_path / "x.png"), "--lang", "zh", "--step", "10"]) == 0
    fig = drawn[0].to_plotly_json()
    assert "Noto Sans CJK SC" in fig["layout"]["font"]["family"]
    texts = list(figure_texts(fig))
    assert english_words(texts) == set() and any("步" in t for t in texts)


def test_the_gif_counter_and_the_html_page_speak_chinese():
    from lab.gif import animation_frames, counter_font
    from lab.html_export import standalone_html

    scene = LESSONS["saddle-momentum"].scene
    plan = animation_frames(scene, simulate(scene), 5, "zh")
    assert plan.labels[-1] == f"第 {scene.steps:,} / {scene.steps:,} 步" and plan.ticks[0] == "第 0 步"
    assert counter_font(20, "zh").getname()[0] == "Noto Sans CJK SC"
    page = standalone_html(scene, lang="zh")
    assert "▶ 播放" in page and "误差曲面实验室。" in page and '<html lang="zh">' in page


# ---------------------------------------------------------------- the batch lab


# Names of machines, libraries, files and papers, the lecture's own "Batch and Momentum", "Noisy",
# "epoch" (in lab.batch_summary's Chinese) and this machine's description (its values).
BATCH_ALLOWED = {"BLAS", "CPU", "CUDA", "GPU", "MLP", "MNIST", "NVIDIA", "NumPy", "SGD", "Keskar", "README",
                 "md", "py", "data", "measure_gpu_batch_timing", "float", "Batch", "and", "Momentum", "Noisy", "epoch"}


def test_the_batch_lab_speaks_chinese_with_lang_zh():
    from lab.batch_timing import machine_info
    from ui import batch_page, batch_sections

    page = batch_page.layout("?lang=zh&sweep=quick")
    machine = {w for _, value in machine_info() for w in WORD.findall(value)}
    assert english_words(component_texts(page)) - BATCH_ALLOWED - machine == set()
    view = batch_sections.sharp_flat_view("zh")
    figures = [graph.figure.to_plotly_json() for graph in view.children[0].children]
    figures += [f.to_plotly_json() for f in batch_sections.timing_figures(batch_page.batch_measure.status("quick"), "zh")]
    texts = [t for fig in figures for t in figure_texts(fig)]
    devices = {"PyTorch", "cu"}  # the H200 curve's label: "GPU: NVIDIA H200, PyTorch 2.x+cu12x"
    assert texts and english_words(texts) - BATCH_ALLOWED - devices - machine == set()
    assert "Noto Sans CJK SC" in figures[0]["layout"]["font"]["family"]
    english = batch_page.layout("?sweep=quick")
    assert any("Batch lab" == t for t in component_texts(english))


def test_the_command_line_shown_keeps_the_language_and_the_projector():
    from lab.images import render_command

    scene = LESSONS["adam"].scene
    assert render_command(scene, "adam") == "python render.py adam -o adam.png"
    assert render_command(scene, "adam", "gif", "zh", "projector") == (
        "python render.py adam -o adam.gif --lang zh --theme projector")


def test_an_edited_runs_label_is_written_like_the_lessons_labels():
    """A lesson's "Momentum λ = 0.9" edited to η = 0.05 said "momentum η=0.05" (the URL name) beside "GD η=10⁻²"."""
    from lab.scene import eta_text
    from ui.callbacks import drop_stale_labels

    lesson = LESSONS["saddle-momentum"].scene
    i = next(i for i, run in enumerate(lesson.runs) if run.label == "Momentum λ = 0.9")
    runs = list(lesson.runs)
    runs[i] = replace(runs[i], lr=0.05)
    edited = drop_stale_labels(replace(lesson, runs=tuple(runs)), lesson).runs[i]
    assert (run_label(edited, "en"), run_label(edited, "zh")) == ("Momentum η=0.05", "动量 η=0.05")
    # a run made from the settings reads as the lesson's own label of the same run
    assert Run("gd", 1e-2).display_label() == "GD η=10⁻²" == LESSONS["lr-too-large"].scene.runs[0].label
    assert run_label(Run("adam", 1e-3), "zh") == "Adam η=10⁻³"
    assert run_label(Run("gd", 1e-7), "zh") == "梯度下降 η=10⁻⁷" == run_label(LESSONS["lr-sweep"].scene.runs[-1], "zh")
    assert Run("rmsprop", 5e-5, schedule="warmup", batch_size=0).display_label() == "RMSProp η=5×10⁻⁵ warm-up"
    assert [eta_text(x) for x in (0.15, 0.1, 1, 10_000, 1e-3, 2.5e-6)] == ["0.15", "0.1", "1", "10000", "10⁻³", "2.5×10⁻⁶"]
