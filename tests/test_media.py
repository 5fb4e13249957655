"""lab.media and the image formats of render.py: every lesson as PNG and SVG, GIFs whose dots land where
plotly.js puts its markers, the standalone HTML playing offline, determinism and errors.

One headless Chromium (kaleido's) serves the whole module; the HTML test drives Debian's Chromium
through Playwright from a file:// URL with every other request refused.
"""

from __future__ import annotations

import io
import itertools
import re
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image, ImageDraw

import render
from lab import gif, images, media
from lab.figures import COLORS, contour_figure
from lab.query import from_query
from lab.simulate import simulate
from lessons import LESSONS

SMALL = dict(width=500, height=360, scale=1.0)
ROOT = Path(__file__).resolve().parent.parent
DIVERGING = "?surface=tilted-valley&steps=50&run=adam&run=momentum:lr=0.1,schedule=step&run=gd:lr=3"


@pytest.fixture(scope="module", autouse=True)
def browser_session():
    with media.image_session():
        yield


def png_image(data: bytes) -> Image.Image:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(data)).convert("RGB")


def gif_frames(data: bytes) -> list[np.ndarray]:
    gif = Image.open(io.BytesIO(data))
    frames = []
    for k in range(gif.n_frames):
        gif.seek(k)
        frames.append(np.asarray(gif.convert("RGB")))
    return frames


def render_fails(capsys, *argv: str) -> str:
    assert render.main(list(argv)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1 and err.startswith("error: "), err
    return err


# ---------------------------------------------------------------- the figure


def test_the_light_theme_is_the_pages_figure():
    lesson = LESSONS["adagrad-eruption"]
    trajectories = simulate(lesson.scene)
    page = contour_figure(lesson.scene, trajectories, title=lesson.title_en)
    assert media.scene_figure(lesson.scene, lesson=lesson.id).to_plotly_json() == page.to_plotly_json()


def test_the_figure_holds_contour_paths_minima_start_and_a_dot_per_run_at_the_step():
    lesson = LESSONS["warmup"]
    trajectories = simulate(lesson.scene)
    fig = media.scene_figure(lesson.scene, step=120, lesson=lesson.id, lang="zh")
    kinds = [
        (t.type, getattr(t, "mode", None), t.name if t.name in ("最小值", "起点") else None)
        for t in fig.data
    ]
    runs = len(lesson.scene.runs)
    assert kinds == [
        ("contour", None, None),
        *[("scatter", "lines", None)] * runs,
        ("scatter", "markers", "最小值"),  # every word in the figure's language (issue 7)
        ("scatter", "markers", "起点"),
        *[("scatter", "markers", None)] * runs,
    ]
    for i, traj in enumerate(trajectories):
        path, dot = fig.data[1 + i], fig.data[3 + runs + i]
        assert len(path.x) == 121 and dot.uid == f"marker-{i}"
        assert (dot.x[0], dot.y[0]) == (traj.x[120], traj.y[120])
    assert fig.layout.title.text == lesson.title_zh and "Noto Sans CJK SC" in fig.layout.font.family
    assert any(a.text == "第 120 步 / 共 500 步" for a in fig.layout.annotations)


def test_themes_change_only_the_look():
    scene = LESSONS["adam"].scene
    dark, projector = (media.scene_figure(scene, theme=name) for name in ("dark", "projector"))
    assert (
        dark.layout.template.layout.paper_bgcolor
        != media.scene_figure(scene).layout.template.layout.paper_bgcolor
    )
    assert projector.layout.font.size == 20 and all(t.line.width == 4 for t in projector.data[1:4])
    assert projector.data[-1].marker.size == pytest.approx(9 * 1.6)
    for themed in (dark, projector):
        kinds = [(t.type, t.name) for t in themed.data]
        assert kinds == [(t.type, t.name) for t in media.scene_figure(scene).data]
        assert np.array_equal(themed.data[1].x, media.scene_figure(scene).data[1].x)
    assert "#000000" not in media.THEMES["dark"].colors and media.THEMES["light"].colors == COLORS


def test_a_changed_lesson_says_its_caption_describes_the_original():
    parsed = from_query("?lesson=adam&steps=300")
    assert parsed.lesson == "adam" and parsed.scene != LESSONS["adam"].scene
    assert media.caption_text(parsed.scene, LESSONS["adam"], "en").startswith(
        "You changed this lesson's settings"
    )
    assert media.caption_text(LESSONS["adam"].scene, LESSONS["adam"], "zh") == LESSONS["adam"].caption_zh
    title = media.scene_figure(parsed.scene, lesson="adam").layout.title.text
    assert title == LESSONS["adam"].title_en + " (settings changed)"


def test_captions_wrap_to_the_width_also_in_chinese():
    lines = media.wrap(LESSONS["adam"].caption_zh, 400, 12).split("<br>")
    assert len(lines) > 2 and all(images._text_width(line, 12) <= 400 for line in lines)
    assert "".join(lines).replace(" ", "") == LESSONS["adam"].caption_zh.replace(" ", "")


# ---------------------------------------------------------------- PNG, SVG, PDF


@pytest.mark.parametrize("lesson", list(LESSONS))
def test_every_lesson_renders_to_png_and_svg(lesson):
    scene = LESSONS[lesson].scene
    png = png_image(media.figure_image(scene, "png", lesson=lesson, **SMALL))
    assert png.size == (500, 360)
    pixels = np.asarray(png)
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50  # a contour, not a blank page
    svg = media.figure_image(scene, "svg", lesson=lesson, **SMALL)
    assert svg.startswith(b"<svg") and 30_000 < len(svg) < 3_000_000
    assert LESSONS[lesson].title_en.encode() in svg.replace(b"&amp;", b"&")


def test_scale_multiplies_the_pixels_and_a_pdf_is_a_pdf():
    scene = LESSONS["saddle-momentum"].scene
    assert png_image(media.figure_image(scene, "png", width=400, height=300, scale=2.5)).size == (1000, 750)
    assert media.figure_image(scene, "pdf", width=400, height=300).startswith(b"%PDF")


def test_a_caption_sits_under_the_legend_inside_the_image():
    lesson = LESSONS["lr-too-large"]
    fig = media.scene_figure(lesson.scene, caption=True, lesson=lesson.id, width=700, height=500)
    (caption,) = [a for a in fig.layout.annotations if a.yanchor == "top"]
    assert caption.text.replace("<br>", " ").startswith(lesson.caption_en[:40])
    image = np.asarray(
        png_image(
            media.figure_image(
                lesson.scene, "png", caption=True, lesson=lesson.id, width=700, height=500, scale=1
            )
        )
    )
    rows = np.flatnonzero((image < 128).all(axis=2).any(axis=1))  # rows with dark (text) pixels
    assert rows.max() < 500 - 2 and rows.max() > 500 - 40  # the caption's last line ends just inside


def test_a_chinese_projector_caption_stays_inside_the_image():
    """The caption starts at the figure's edge, not the plot's: the projector's wide y labels pushed a
    Chinese caption, wrapped to the figure's width, past the right edge (cut mid-glyph)."""
    lesson = LESSONS["adam"]
    png = media.figure_image(lesson.scene, "png", caption=True, lesson=lesson.id, theme="projector", lang="zh",
                             width=1000, height=700, scale=1)
    image = np.asarray(png_image(png))
    foot = image[-90:]  # the caption's three lines: black text on white
    dark = np.flatnonzero((foot < 100).all(axis=2).any(axis=0))
    assert dark.min() <= images.CAPTION_INSET + 4 and dark.max() < 1000 - 8, (dark.min(), dark.max())


# ---------------------------------------------------------------- the GIF


def test_pillow_dots_land_where_plotly_draws_markers():
    """The GIF draws at plot_area's pixels: a Pillow dot and a kaleido marker at one data point meet."""
    for lesson in ("saddle-momentum", "adagrad-eruption"):  # a constrained (square) plot, and a free one
        scene = LESSONS[lesson].scene
        fig = media.scene_figure(scene, lesson=lesson)
        area = media.plot_area(fig, 640, 480)
        box = scene.view_box
        points = [
            (box.x_min + f * (box.x_max - box.x_min), box.y_min + g * (box.y_max - box.y_min))
            for f, g in ((0.13, 0.21), (0.5, 0.5), (0.87, 0.77))
        ]
        marked = go.Figure(fig)
        marked.add_trace(
            go.Scatter(
                x=[p[0] for p in points],
                y=[p[1] for p in points],
                mode="markers",
                marker=dict(size=9, color="#ff00ff", line=dict(width=0)),
                showlegend=False,
            )
        )
        plotted = np.asarray(png_image(images._kaleido(marked, "png", 640, 480)))
        canvas = Image.new("RGB", (640, 480), "white")
        for x, y in points:
            media.draw_dot(
                ImageDraw.Draw(canvas), *area.pixels(x, y), media.THEMES["light"], "#ff00ff", "#ff00ff"
            )
        drawn = np.asarray(canvas)
        for x, y in points:
            px, py = (float(v) for v in area.pixels(x, y))
            assert centroid(plotted, px, py) == pytest.approx((px, py), abs=1.0), lesson
            assert centroid(drawn, px, py) == pytest.approx((px, py), abs=1.0), lesson


def centroid(image: np.ndarray, px: float, py: float, reach: int = 12) -> tuple[float, float]:
    """The centre of the magenta pixels near (px, py)."""
    x0, y0 = int(px) - reach, int(py) - reach
    patch = image[y0 : y0 + 2 * reach, x0 : x0 + 2 * reach].astype(int)
    ys, xs = np.nonzero((patch[..., 0] > 200) & (patch[..., 1] < 80) & (patch[..., 2] > 200))
    assert len(xs) > 30
    return x0 + xs.mean(), y0 + ys.mean()


@pytest.mark.parametrize("lesson", ["adagrad-eruption", "batch-size", "lr-sweep"])
def test_a_short_gif_has_its_frames_and_changes_where_a_run_moves(lesson):
    scene, trajectories = LESSONS[lesson].scene, simulate(LESSONS[lesson].scene)
    frames = gif_frames(media.animation_gif(scene, frames=6, width=480, height=340, lesson=lesson))
    plan = media.animation_frames(scene, trajectories, 6)
    assert len(frames) == len(plan.labels) == 6 and all(f.shape == (340, 480, 3) for f in frames)
    fig = gif._animation_figure(scene, trajectories, lesson=lesson, lang="en", theme="light", notes=[])
    area = media.plot_area(fig, 480, 340 - media.THEMES["light"].bar)  # the step counter's strip below
    left, top, right, bottom = area.box
    moves = 0
    for k, (before, after) in enumerate(itertools.pairwise(frames)):
        changed = (before != after).any(axis=2)[top:bottom, left:right].sum()
        moved = [
            np.hypot(
                *np.subtract(
                    area.pixels(tr.x[at[k + 1]], tr.y[at[k + 1]]), area.pixels(tr.x[at[k]], tr.y[at[k]])
                )
            )
            for tr, at in zip(trajectories, plan.at)
        ]
        if max(moved) > 3:  # a dot moved: the plot changed under it
            assert changed > 20, (k, moved)
            moves += 1
    assert moves >= 2


def test_a_gif_frame_shows_each_run_at_its_step():
    """The dot of the last frame is on the run's last position, in the run's colour."""
    scene = from_query("?surface=saddle&steps=40&run=momentum:lr=0.05").scene
    data = media.animation_gif(scene, frames=3, width=500, height=400)
    last = gif_frames(data)[-1].astype(int)
    fig = gif._animation_figure(scene, simulate(scene), lesson=None, lang="en", theme="light", notes=[])
    traj = simulate(scene)[0]
    area = media.plot_area(fig, 500, 400 - media.THEMES["light"].bar)
    px, py = (float(v) for v in area.pixels(traj.x[-1], traj.y[-1]))
    orange = np.array([0xE6, 0x9F, 0x00])
    patch = last[int(py) - 3 : int(py) + 4, int(px) - 3 : int(px) + 4]
    assert (np.abs(patch - orange).sum(axis=2) < 30).sum() >= 20


def test_a_gif_stores_only_changes_yet_shows_every_frame_as_drawn(monkeypatch):
    drawn, write = [], gif._gif_bytes
    monkeypatch.setattr(
        gif,
        "_gif_bytes",
        lambda images, durations: (
            drawn.extend(np.asarray(im.convert("RGB")) for im in images),
            write(images, durations),
        )[1],
    )
    data = media.animation_gif(LESSONS["adam"].scene, frames=12, width=480, height=340, lesson="adam")
    frames = gif_frames(data)
    assert len(frames) == len(drawn) == 12 and all(np.array_equal(a, b) for a, b in zip(frames, drawn))
    assert len(data) < 12 * 480 * 340 / 8  # the frames after the first cost little


def test_the_animation_keeps_each_frames_step_and_the_extremes_of_every_stretch():
    x = np.where(np.arange(100_001) % 2, 1.0, -1.0)  # a bounce between two walls: period 2
    y = np.linspace(0, 1, 100_001)
    ends = np.linspace(0, 100_000, 60).round().astype(int)
    keep = media.frame_thinned(x, y, ends, 4000)
    assert len(keep) <= 4000 + 2 * 60 and set(ends) <= set(keep.tolist())
    for a, b in itertools.pairwise(ends):
        stretch = x[keep[(keep >= a) & (keep <= b)]]
        assert stretch.min() == -1 and stretch.max() == 1  # every stretch still spans both walls


def test_dashes_follow_plotly_and_cut_lines_stay_in_the_box():
    assert media.dash_pattern("dash", 2) == (9, 9) and media.dash_pattern("dashdot", 4) == (12, 4, 4, 4)
    pieces, phase = media.dash_pieces(np.array([[0.0, 0.0], [30.0, 0.0]]), (9.0, 9.0), 0.0)
    assert [(p[0], p[-2]) for p in pieces] == [(0.0, 9.0), (18.0, 27.0)] and phase == 30.0
    far = np.array([0.0, 50.0, 1e7]), np.array([0.0, 50.0, 1e7])
    (line,) = gif._visible_lines(*far, (-10, -10, 100, 100))
    assert line.max() <= 100.0 + 1e-9 and len(line) == 3


# ---------------------------------------------------------------- determinism


def test_the_same_scene_gives_the_same_bytes():
    scene = from_query(DIVERGING).scene
    for make in (
        lambda: media.animation_gif(scene, frames=5, width=400, height=300),
        lambda: media.figure_image(scene, "png", **SMALL),
        lambda: media.figure_image(scene, "svg", **SMALL),
        lambda: media.standalone_html(scene).encode(),
    ):
        first = make()
        simulate.cache_clear()
        assert make() == first


# ---------------------------------------------------------------- the standalone HTML


def test_the_html_holds_plotly_frames_a_slider_and_play_buttons():
    lesson = LESSONS["lr-sweep"]  # the heaviest lesson: 6 runs of 100,000 steps
    page = media.standalone_html(lesson.scene, lesson=lesson.id)
    size, external = len(page.encode()), re.findall(r'<(?:script|link)[^>]+(?:src|href)="', page)
    assert size < 8_000_000 and not external  # plotly.js inside, nothing fetched
    assert lesson.title_en in page and media.render_command(lesson.scene, lesson.id, "html") in page
    assert '"label":"▶ Play"' in page and '"label":"❚❚ Pause"' in page and '"sliders":[{' in page
    frames = re.findall(r'"name":"(\d+)","traces":\[([\d,]+)\]', page)
    assert [int(name) for name, _ in frames] == list(range(images.HTML_FRAMES))
    assert all(len(traces.split(",")) == 2 * 6 for _, traces in frames)  # only each run's path and dot move


# ---------------------------------------------------------------- the command line


def test_render_command_reproduces_the_scene():
    assert media.render_command(LESSONS["adam"].scene, "adam") == "python render.py adam -o adam.png"
    changed = from_query("?lesson=adam&steps=300").scene
    assert (
        media.render_command(changed, "adam", "gif")
        == "python render.py '?lesson=adam&steps=300' -o adam.gif"
    )
    scene = from_query("?surface=crescent&run=gd:label=it's%20a%20%22test%22&run=adam").scene
    argv = shlex.split(media.render_command(scene))
    assert argv[:2] == ["python", "render.py"] and argv[3:] == ["-o", "scene.png"]
    assert render.read_scene(argv[2]).scene == scene


def test_the_cli_writes_every_format(tmp_path, capsys):
    for suffix, head in (
        (".png", b"\x89PNG"),
        (".svg", b"<svg"),
        (".gif", b"GIF89a"),
        (".html", b"<!DOCTYPE"),
    ):
        out = tmp_path / f"x{suffix}"
        extra = ["--frames", "3"] if suffix == ".gif" else ["--step", "20"] if suffix == ".png" else []
        assert (
            render.main(
                ["saddle-momentum", "-o", str(out), "--width", "400", "--height", "300", *extra]
                if suffix != ".html"
                else ["saddle-momentum", "-o", str(out)]
            )
            == 0
        )
        assert out.read_bytes().startswith(head), suffix
    assert png_image((tmp_path / "x.png").read_bytes()).size == (800, 600)
    assert capsys.readouterr().err == ""


COUNT_BROWSERS = """
import sys, kaleido, render
from lessons import LESSONS
browsers, start = [], kaleido.Kaleido.__init__
kaleido.Kaleido.__init__ = lambda self, *a, **k: (browsers.append(1), start(self, *a, **k))[1]
render.LESSONS = {k: LESSONS[k] for k in ("saddle-momentum", "local-minimum-momentum")}
code = render.main(sys.argv[1:])
print(len(browsers))
sys.exit(code)
"""


def test_all_lessons_render_with_one_browser(tmp_path):
    out = tmp_path / "out"
    argv = ["--all-lessons", str(out), "--frames", "3", "--width", "400", "--height", "300", "--scale", "1"]
    done = subprocess.run(
        [sys.executable, "-c", COUNT_BROWSERS, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    *written, browsers = done.stdout.split()
    assert browsers == "1"  # four images, one browser
    names = {f"{k}{s}" for k in ("saddle-momentum", "local-minimum-momentum") for s in (".png", ".gif")}
    assert {p.name for p in out.iterdir()} == names == {Path(p).name for p in written}


def test_errors_are_one_line(tmp_path, capsys):
    out = str(tmp_path / "x.png")
    err = render_fails(capsys, "adam", "-o", str(tmp_path / "x.bmp"))
    assert all(suffix in err for suffix in (".png", ".svg", ".pdf", ".gif", ".html", ".json", ".csv"))
    assert "--step must be a whole number from 0 to 3,000" in render_fails(
        capsys, "adam", "-o", out, "--step", "3001"
    )
    assert "--step must be" in render_fails(capsys, "adam", "-o", out, "--step", "-1")
    assert "--step does not apply to .gif" in render_fails(
        capsys, "adam", "-o", str(tmp_path / "x.gif"), "--step", "3"
    )
    assert "--frames does not apply to .png" in render_fails(capsys, "adam", "-o", out, "--frames", "9")
    assert "--theme does not apply to .json" in render_fails(
        capsys, "adam", "-o", "x.json", "--theme", "dark"
    )
    assert "--width must be from 100" in render_fails(capsys, "adam", "-o", out, "--width", "5")
    assert "--caption needs a lesson" in render_fails(capsys, DIVERGING, "-o", out, "--caption")
    too_small = render_fails(capsys, "warmup", "-o", out, "--caption", "--height", "360", "--width", "500")
    assert "caption" in too_small and "--height" in too_small  # how much it needs, or "more" from plotly.js
    assert "invalid choice" in render_fails(capsys, "adam", "-o", out, "--theme", "neon")
    assert "--all-lessons DIR takes no SCENE" in render_fails(capsys, "adam", "--all-lessons", str(tmp_path))
    assert "give SCENE and -o FILE" in render_fails(capsys, "adam")
    assert not list(tmp_path.iterdir())


def test_zero_is_refused_not_replaced_by_the_default(tmp_path, capsys):
    out = str(tmp_path / "x.png")
    assert "--width must be from 100" in render_fails(capsys, "adam", "-o", out, "--width", "0")
    assert "--scale must be from 0.1" in render_fails(capsys, "adam", "-o", out, "--scale", "0")
    gif_out = str(tmp_path / "x.gif")
    assert "--frames must be a whole number from 2" in render_fails(capsys, "adam", "-o", gif_out, "--frames", "0")
    assert "--fps must be a whole number" in render_fails(capsys, "adam", "-o", gif_out, "--fps", "0")
    assert not list(tmp_path.iterdir())


def test_an_image_too_small_for_its_plot_is_a_usage_error(tmp_path, capsys):
    err = render_fails(capsys, "adam", "-o", str(tmp_path / "x.png"), "--width", "100", "--height", "100")
    assert "100 x 100 px leaves no room for the plot" in err  # was exit 1, plotly.js's "Error 525: axis scaling"


def test_an_image_larger_than_chromium_draws_is_refused_before_drawing(tmp_path, capsys):
    # 2000 x 1400 at scale 10 is within each flag's range; Chromium answered it with 3 bytes and exit 0
    err = render_fails(capsys, "saddle-momentum", "-o", str(tmp_path / "x.png"), "--width", "2000", "--height", "1400",
                       "--scale", "10")
    assert "16,384 pixels" in err and "20,000 x 14,000" in err
    images.check_size(2000, 1400, 8)  # 16,000 x 11,200: drawn


def test_a_browser_answer_that_is_no_image_fails_instead_of_writing_it(tmp_path, capsys, monkeypatch):
    import kaleido

    monkeypatch.setattr(kaleido, "calc_fig_sync", lambda *a, **k: b"\x00\x00\x00")
    out = tmp_path / "x.png"
    assert render.main(["saddle-momentum", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no PNG image (3 bytes)" in err and "Traceback" not in err
    assert not out.exists()


def test_the_command_line_has_no_time_budget(tmp_path, monkeypatch):
    """A file holds every step whatever the machine's load; the budget is the server's, and comes back after."""
    from lab import simulate as simulation

    monkeypatch.delenv("LAB_SIM_BUDGET_S", raising=False)
    monkeypatch.setattr(simulation, "BUDGET_S", 1e-9)  # any run would stop at its first check
    simulation.simulate.cache_clear()
    out = tmp_path / "sweep.json"
    assert render.main(["?surface=valley&steps=3000&run=gd:lr=0.01&run=adam", "-o", str(out)]) == 0
    runs = __import__("json").loads(out.read_text())["runs"]
    assert [r["status"] for r in runs] == ["ok", "ok"] and all(len(r["x"]) == 3001 for r in runs)
    assert simulation.budget_s() == 1e-9  # outside render.main the server's budget holds again
    simulation.simulate.cache_clear()
