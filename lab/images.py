"""Still images of a scene: themes, the figure with its caption, and kaleido (one Chromium per session)."""

from __future__ import annotations

import contextlib
import html
import json
import math
import re
import shlex
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from lab.figures import contour_figure
from lab.query import to_query
from lab.scene import Scene
from lab.simulate import simulate
from lab.strings import ui_text
from lab.themes import CJK_FONT, COLORS, THEMES, Theme  # noqa: F401 (Theme, CJK_FONT: lab.gif imports them from here)
from lab.themes import LIGHT as _LIGHT
from lessons import LESSONS, Lesson

IMAGE_FORMATS = ("png", "svg", "pdf")
SIZE_RANGE = (100, 5000)  # width and height in layout pixels
SCALE_RANGE = (0.1, 10.0)
MAX_SIDE = 16_384  # pixels: 2000 x 1400 at scale 8 (16,000 x 11,200) draws, at scale 10 Chromium returns 3 bytes
FRAMES_RANGE = (2, 300)
FPS_RANGE = (1, 50)  # a GIF counts time in hundredths of a second; browsers slow down anything faster
HOLD_LAST_MS = 1500  # the GIF rests on its last frame before it loops
HTML_FRAMES = 100
HTML_FPS = 15
HTML_FRAME_POINTS = 200_000  # (x, y) pairs in all frames of the HTML together: about 2 MB next to plotly.js
FAINT = 0.3  # opacity of the whole paths behind an animation
KALEIDO_OPTIONS = dict(mathjax=False)  # plotly.js comes from the plotly package; no MathJax from a CDN
KEEP_COLOR = "#ff00fe"  # the GIF's "unchanged" palette entry: no pixel is drawn in it


# ---------------------------------------------------------------- themes


def apply_theme(fig: go.Figure, theme: str) -> go.Figure:
    """A copy of ``fig`` in ``theme``: light leaves the page's figure as it is."""
    t = THEMES[theme]
    out = go.Figure(fig)
    if theme == "light":
        return out
    out.update_layout(template=t.template, font=dict(size=t.font_size, color=t.text))
    swap = dict(zip(COLORS, t.colors))
    for trace in out.data:
        if trace.type == "contour":
            trace.line.color = t.contour_line
        elif trace.mode == "lines":
            trace.line.update(width=t.line_width, color=swap.get(trace.line.color, trace.line.color))
        elif trace.mode == "markers" and trace.marker.size is not None:
            trace.marker.size = trace.marker.size * t.marker_scale
            trace.marker.color = swap.get(trace.marker.color, trace.marker.color)
    for note in out.layout.annotations:
        note.font.size = (note.font.size or t.font_size) * t.font_size / _LIGHT.font_size
    return out


# ---------------------------------------------------------------- the figure


def lesson_of(lesson: str | Lesson | None) -> Lesson | None:
    """A lesson from its id (what render.py and the page hold) or itself."""
    if lesson is None or isinstance(lesson, Lesson):
        return lesson
    if lesson not in LESSONS:
        raise ValueError(f"unknown lesson '{lesson}' (choose from {', '.join(LESSONS)})")
    return LESSONS[lesson]


def longest_run(scene: Scene) -> int:
    """The last step of the scene's longest run: a run that stops early stands still from there."""
    return max(scene.updates(run) for run in scene.runs)


def check_step(scene: Scene, step) -> int:
    last = longest_run(scene)
    if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step <= last:
        raise ValueError(
            f"step must be a whole number from 0 to {last:,} (the scene's last step), not {step!r}"
        )
    return step


def _text_width(text: str, font_px: float) -> float:
    """About how wide plotly.js draws ``text``: CJK characters 1 em, others about half of one."""
    return sum(font_px if unicodedata.east_asian_width(c) in "WF" else 0.56 * font_px for c in text)


def wrap(text: str, width_px: float, font_px: float) -> str:
    """``text`` in lines joined by <br> that fit ``width_px``: broken at spaces, or anywhere in CJK text."""
    lines, line = [], ""
    for token in re.findall(
        r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+\s*|\s+",
        text,
    ):
        if line and _text_width(line + token.rstrip(), font_px) > width_px:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    lines.append(line.rstrip())
    return "<br>".join(html.escape(part) for part in lines if part)


def title_text(scene: Scene, lesson: Lesson | None, lang: str) -> str | None:
    """The lesson's title, marked once its settings are changed; None (the surface's label) without one."""
    if lesson is None:
        return None
    if scene == lesson.scene:
        return lesson.title(lang)
    return lesson.title(lang) + ("（设置已更改）" if lang == "zh" else " (settings changed)")


def caption_text(scene: Scene, lesson: Lesson, lang: str) -> str:
    """The lesson's caption, said plainly to describe the lesson's settings once they are changed."""
    if scene == lesson.scene:
        return lesson.caption(lang)
    if lang == "zh":
        return f"你更改了本课的设置；以下说明描述的是原始设置。{lesson.caption_zh}"
    return f"You changed this lesson's settings; its caption describes the original. {lesson.caption_en}"


CAPTION_INSET = 12  # px from the figure's left edge: the caption has the figure's width, not the plot's


class TooSmall(ValueError):
    """The figure is too small for what it has to hold (a long caption); the message says what size fits."""


def _caption_lines(scene: Scene, lesson: Lesson | None, lang: str, width: int, font: float) -> list[str]:
    if lesson is None:
        raise ValueError("a caption needs a lesson: the scene is not one of the lessons")
    return wrap(caption_text(scene, lesson, lang), width - 2 * CAPTION_INSET - 16, font).split("<br>")


def _add_caption(fig: go.Figure, lines: list[str], width: int, height: int, font: float) -> None:
    """The caption under the legend, at the figure's foot: the legend is lifted by the caption's height,
    and plotly.js says (a first layout) how far below the plot the legend then ends."""
    block = math.ceil(len(lines) * 1.3 * font + 10)  # plotly.js sets lines 1.3 em apart
    if block > 0.35 * height:
        raise TooSmall(
            f"the caption takes {len(lines)} lines ({block} px) of a figure {height} px high: "
            f"give it --height {math.ceil(block / 0.35)} or more, or more --width"
        )
    fig.update_layout(legend=dict(y=block / height))
    from kaleido.errors import KaleidoError

    try:
        margin = full_layout(fig, width, height)["computed"]["margin"]
    except KaleidoError:  # plotly.js found no room left for the plot
        raise TooSmall(
            f"the caption ({len(lines)} lines), legend and axes leave no room for the plot in a "
            f"figure {width} x {height} px: give it more --height or --width"
        ) from None
    inner_width = width - margin["l"] - margin["r"]  # paper x is the plot's: its left edge is margin l in
    fig.add_annotation(
        text="<br>".join(lines),
        xref="paper",
        yref="paper",
        x=(CAPTION_INSET - margin["l"]) / inner_width,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-(margin["b"] - block) - 4,
        align="left",
        showarrow=False,
        font=dict(size=font),
    )


def scene_figure(
    scene: Scene,
    trajectories=None,
    *,
    theme="light",
    lang="en",
    step=None,
    caption=False,
    lesson=None,
    width=1000,
    height=700,
) -> go.Figure:
    """The page's main plot with the lesson's title (and caption) in ``lang``, at ``step`` if given, themed.

    A caption is placed from a first layout by plotly.js (in the browser), at this width and height.
    """
    lesson = lesson_of(lesson)
    lines = _caption_lines(scene, lesson, lang, width, THEMES[theme].font_size) if caption else []
    trajectories = simulate(scene) if trajectories is None else trajectories
    upto = None if step is None else check_step(scene, step)
    fig = contour_figure(scene, trajectories, upto=upto, title=title_text(scene, lesson, lang), lang=lang)
    if upto is not None:
        fig.add_annotation(
            text=ui_text("plot.step_of", lang, step=f"{upto:,}", last=f"{longest_run(scene):,}"),
            xref="paper",
            yref="paper",
            x=1,
            y=1,
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            font=dict(size=13),
        )
    if lang == "zh":
        fig.update_layout(font=dict(family=CJK_FONT))
    fig = apply_theme(fig, theme)
    if lines:
        _add_caption(fig, lines, width, height, THEMES[theme].font_size)
    return fig


# ---------------------------------------------------------------- kaleido


# kaleido keeps one browser server per process, and it serves one caller at a time. The thread that
# holds this lock owns it for its session; any other thread meanwhile starts a browser per image.
_SERVER = threading.Lock()
_OWNER = threading.local()


@contextmanager
def image_session() -> Iterator[None]:
    """One headless Chromium for every image this thread makes inside the block (nested blocks share it)."""
    import kaleido

    depth = getattr(_OWNER, "depth", 0)
    if depth:  # inside this thread's session already
        _OWNER.depth = depth + 1
        try:
            yield
        finally:
            _OWNER.depth = depth
        return
    if not _SERVER.acquire(blocking=False):  # another thread's session: a browser per image here
        yield
        return
    try:
        kaleido.start_sync_server(**KALEIDO_OPTIONS, silence_warnings=True)
        _OWNER.depth = 1
        yield
    finally:
        _OWNER.depth = 0
        kaleido.stop_sync_server(silence_warnings=True)
        _SERVER.release()


def _kaleido(fig: go.Figure, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
    import kaleido

    opts = dict(format=fmt, width=width, height=height, scale=scale)
    if getattr(_OWNER, "depth", 0):
        data = kaleido.calc_fig_sync(fig, opts=opts)
    else:
        data = kaleido.calc_fig_sync(fig, opts=opts, kopts=dict(KALEIDO_OPTIONS))
    if fmt in _SIGNATURES and _SIGNATURES[fmt] not in data[:1024]:  # no file that only looks written
        raise NoImage(f"the browser returned no {fmt.upper()} image ({len(data)} bytes)")
    return data


_SIGNATURES = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<svg", "pdf": b"%PDF"}


class NoImage(RuntimeError):
    """Chromium drew nothing (it answers some sizes with a few bytes and no error)."""


def check_size(width, height, scale=1.0) -> None:
    for name, value, (low, high) in (
        ("width", width, SIZE_RANGE),
        ("height", height, SIZE_RANGE),
        ("scale", scale, SCALE_RANGE),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise ValueError(f"{name} must be from {low:g} to {high:g}, not {value!r}")
    if max(width, height) * scale > MAX_SIDE:  # beyond it Chromium returns an empty image, silently
        raise ValueError(f"scale times the width and the height must stay within {MAX_SIDE:,} pixels (the largest "
                         f"image Chromium draws), not {width * scale:,.0f} x {height * scale:,.0f}")


def check_animation(frames, fps) -> None:
    for name, value, (low, high) in (("frames", frames, FRAMES_RANGE), ("fps", fps, FPS_RANGE)):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{name} must be a whole number from {low} to {high}, not {value!r}")


_SVG_ID = re.compile(rb"(defs-|clip|legend|trace|cb)([0-9a-f]{6})")


def _steady_svg(svg: bytes) -> bytes:
    """The SVG with plotly.js's random ids (figure, clip paths, legend, traces, colour bar) numbered."""
    names: dict[bytes, bytes] = {}
    return _SVG_ID.sub(lambda m: m.group(1) + names.setdefault(m.group(2), b"%06d" % len(names)), svg)


def figure_image(
    scene: Scene,
    fmt: str,
    *,
    width=1000,
    height=700,
    scale=2.0,
    theme="light",
    lang="en",
    step=None,
    caption=False,
    lesson=None,
) -> bytes:
    """The page's main plot as PNG, SVG or PDF bytes; ``step`` draws the paths up to that step."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"an image is one of {', '.join(IMAGE_FORMATS)}, not {fmt!r}")
    check_size(width, height, scale)
    with image_session() if caption else contextlib.nullcontext():  # a caption takes two layouts
        fig = scene_figure(
            scene,
            theme=theme,
            lang=lang,
            step=step,
            caption=caption,
            lesson=lesson,
            width=width,
            height=height,
        )
        from kaleido.errors import KaleidoError

        try:
            data = _kaleido(fig, fmt, width, height, scale)
        except KaleidoError as error:  # plotly.js's "axis scaling": margins, legend and title fill the figure
            if "axis scaling" not in str(error):
                raise
            raise TooSmall(f"a figure {width} x {height} px leaves no room for the plot beside its margins, "
                           f"legend and title: give it more --width or --height") from None
    return _steady_svg(data) if fmt == "svg" else data


# ---------------------------------------------------------------- where plotly.js draws


@dataclass(frozen=True)
class PlotArea:
    """The plotting area in an image's pixels, and the data ranges its edges stand for."""

    left: float
    top: float
    width: float
    height: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    def pixels(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """Pixel coordinates (Pillow's: the centre of pixel i is at i) of data points."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        px = self.left + (np.asarray(x, dtype=float) - x0) / (x1 - x0) * self.width - 0.5
        py = self.top + (y1 - np.asarray(y, dtype=float)) / (y1 - y0) * self.height - 0.5
        return px, py

    @property
    def box(self) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) of the whole pixels inside the area, as Pillow's crop box."""
        return (
            round(self.left),
            round(self.top),
            round(self.left + self.width),
            round(self.top + self.height),
        )


def full_layout(fig: go.Figure, width: int, height: int) -> dict:
    """The layout plotly.js computes for ``fig`` at this size: margins after automargin, domains, ranges."""
    layout = json.loads(_kaleido(fig, "json", width, height))["layout"]
    layout.setdefault("computed", {"margin": layout["margin"]})
    return layout


def plot_area(fig: go.Figure, width: int, height: int, scale: float = 1.0) -> PlotArea:
    """Where plotly.js puts the axes of ``fig`` at this size: asked of plotly.js itself."""
    layout = full_layout(fig, width, height)
    margin = layout["computed"]["margin"]
    inner_w = layout["width"] - margin["l"] - margin["r"]
    inner_h = layout["height"] - margin["t"] - margin["b"]
    (xd0, xd1), (yd0, yd1) = layout["xaxis"]["domain"], layout["yaxis"]["domain"]
    return PlotArea(
        left=scale * (margin["l"] + xd0 * inner_w),
        top=scale * (margin["t"] + (1 - yd1) * inner_h),
        width=scale * (xd1 - xd0) * inner_w,
        height=scale * (yd1 - yd0) * inner_h,
        x_range=tuple(layout["xaxis"]["range"]),
        y_range=tuple(layout["yaxis"]["range"]),
    )


# ---------------------------------------------------------------- the command line


def render_command(scene: Scene, lesson=None, fmt: str = "png", lang: str = "en", theme: str = "light") -> str:
    """The ``python render.py ... -o ...`` command that makes this scene's file, shell-quoted; in ``lang``
    and ``theme`` (the page in ``view=present`` passes "projector") when they are not the defaults."""
    lesson_ = lesson_of(lesson)
    if lesson_ is not None and scene == lesson_.scene:
        source = lesson_.id
    elif lesson_ is not None:
        source = to_query(scene, base=lesson_.scene, lesson=lesson_.id)
    else:
        source = to_query(scene) or "?"
    stem = lesson_.id if lesson_ is not None else "scene"
    flags = (["--lang", lang] if lang != "en" else []) + (["--theme", theme] if theme != "light" else [])
    return shlex.join(["python", "render.py", source, "-o", f"{stem}.{fmt.lstrip('.')}", *flags])
