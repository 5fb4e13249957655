"""A scene as a picture, an animation or a page: what render.py and the page's Export menu call.

PNG, SVG and PDF are the page's main plot (``lab.figures.contour_figure``) drawn by plotly.js in
Debian's Chromium through kaleido. The GIF renders that plot once, without the moving parts, and draws
the paths and the runs' dots over it with Pillow, at the pixels where plotly.js would put them: the
mapping comes from the layout plotly.js computed (margins after automargin, axis domains and ranges).
The HTML page carries plotly.js and plays Plotly frames with a slider: no server, no internet.

Every path is thinned stretch by stretch between animation frames with ``lab.thinning.thin_path``
(the extremes of every stretch are kept, so a zigzag stays a zigzag), and the figure says how many
points it draws. One headless Chromium serves every image made inside ``image_session()``.
"""

from __future__ import annotations

import contextlib
import html
import io
import itertools
import json
import math
import re
import shlex
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import numpy as np
import plotly.graph_objects as go

from lab.animation import animation_data
from lab.figures import COLORS, DASHES, MAX_PATH_POINTS, contour_figure, path_traces
from lab.query import to_query
from lab.scene import Scene
from lab.simulate import simulate
from lab.thinning import thin_path
from lessons import LESSONS, Lesson

IMAGE_FORMATS = ("png", "svg", "pdf")
SIZE_RANGE = (100, 5000)  # width and height in layout pixels
SCALE_RANGE = (0.1, 10.0)
FRAMES_RANGE = (2, 300)
FPS_RANGE = (1, 50)  # a GIF counts time in hundredths of a second; browsers slow down anything faster
HOLD_LAST_MS = 1500  # the GIF rests on its last frame before it loops
HTML_FRAMES = 100
HTML_FPS = 15
HTML_FRAME_POINTS = 200_000  # (x, y) pairs in all frames of the HTML together: about 2 MB next to plotly.js
FAINT = 0.3  # opacity of the whole paths behind an animation
KALEIDO_OPTIONS = dict(mathjax=False)  # plotly.js comes from the plotly package; no MathJax from a CDN
KEEP_COLOR = "#ff00fe"  # the GIF's "unchanged" palette entry: no pixel is drawn in it
CJK_FONT = '"Open Sans", verdana, arial, "Noto Sans CJK SC", sans-serif'


# ---------------------------------------------------------------- themes


@dataclass(frozen=True)
class Theme:
    template: str
    font_size: int
    line_width: float  # a run's path
    marker_scale: float  # every marker's size times this
    text: str  # text, and the GIF's step counter
    contour_line: str
    colors: tuple[str, ...]  # the runs' colours

    def run_color(self, i: int) -> str:
        return self.colors[i % len(self.colors)]

    @property
    def bar(self) -> int:
        """Height of the GIF's strip under the figure: the step counter and a progress bar."""
        return 2 * self.font_size


_LIGHT = Theme("plotly_white", 12, 2, 1.0, "#2a3f5f", "rgba(255,255,255,0.35)", COLORS)
_ON_DARK = tuple("#DDDDDD" if c == "#000000" else c for c in COLORS)  # black paths vanish on dark paper
THEMES = {
    "light": _LIGHT,  # the page's own look
    "dark": replace(_LIGHT, template="plotly_dark", text="#f2f5fa", colors=_ON_DARK),
    "projector": replace(
        _LIGHT, font_size=20, line_width=4, marker_scale=1.6, text="#000000", contour_line="rgba(0,0,0,0.45)"
    ),
}


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


class TooSmall(ValueError):
    """The figure is too small for what it has to hold (a long caption); the message says what size fits."""


def _caption_lines(scene: Scene, lesson: Lesson | None, lang: str, width: int, font: float) -> list[str]:
    if lesson is None:
        raise ValueError("a caption needs a lesson: the scene is not one of the lessons")
    return wrap(caption_text(scene, lesson, lang), width - 90, font).split("<br>")


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
        bottom = full_layout(fig, width, height)["computed"]["margin"]["b"]
    except KaleidoError:  # plotly.js found no room left for the plot
        raise TooSmall(
            f"the caption ({len(lines)} lines), legend and axes leave no room for the plot in a "
            f"figure {width} x {height} px: give it more --height or --width"
        ) from None
    fig.add_annotation(
        text="<br>".join(lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-(bottom - block) - 4,
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
    fig = contour_figure(scene, trajectories, upto=upto, title=title_text(scene, lesson, lang))
    if upto is not None:
        fig.add_annotation(
            text=f"step {upto:,} of {longest_run(scene):,}",
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
        return kaleido.calc_fig_sync(fig, opts=opts)
    return kaleido.calc_fig_sync(fig, opts=opts, kopts=dict(KALEIDO_OPTIONS))


def check_size(width, height, scale=1.0) -> None:
    for name, value, (low, high) in (
        ("width", width, SIZE_RANGE),
        ("height", height, SIZE_RANGE),
        ("scale", scale, SCALE_RANGE),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise ValueError(f"{name} must be from {low:g} to {high:g}, not {value!r}")


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
        data = _kaleido(fig, fmt, width, height, scale)
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


# ---------------------------------------------------------------- animation frames


@dataclass(frozen=True)
class Frames:
    """The animation's frames: what each shows (``labels``) and each run's step index at each."""

    labels: tuple[str, ...]
    at: tuple[np.ndarray, ...]  # per run: its index into x, y at every frame (held once the run stopped)


def animation_frames(scene: Scene, trajectories, frames: int) -> Frames:
    """The page's animation frames (lab.animation): steps, or passes over the data for an epoch scene."""
    data = animation_data(scene, trajectories, max_frames=frames)
    steps = np.asarray(data["steps"], dtype=float)
    at = []
    for traj in trajectories:
        per = traj.updates_per_epoch if data["unit"] == "epoch" else 1
        at.append(np.minimum(np.round(steps * per).astype(int), max(len(traj.x) - 1, 0)))
    if data["unit"] == "epoch":
        labels = tuple(f"epoch {s:.4g} of {data['total']:,}" for s in steps)
    else:
        labels = tuple(f"step {int(s):,} of {data['total']:,}" for s in steps)
    return Frames(labels, tuple(at))


def frame_thinned(x: np.ndarray, y: np.ndarray, ends: np.ndarray, max_points: int) -> np.ndarray:
    """Indices to draw, thinned stretch by stretch between the frames' steps ``ends``.

    Each stretch keeps its extremes (``thin_path``) and both its ends, so the path up to frame k is
    exactly ``keep[keep <= ends[k]]`` and ends at the run's position in that frame.
    """
    if len(x) <= max_points:
        return np.arange(len(x))
    stretches = np.unique(np.concatenate(([0], ends)))
    budget = max(6, max_points // max(len(stretches) - 1, 1))
    pieces = [np.array([0])]
    for a, b in itertools.pairwise(stretches):
        pieces.append(a + thin_path(x[a : b + 1], y[a : b + 1], budget))
    return np.unique(np.concatenate(pieces))


def thinning_notes(labels: list[str], kept: list[int], total: list[int]) -> list[str]:
    """What the animation's thinning leaves out, one line per thinned run (at most three lines)."""
    how = "(extremes of every stretch kept)"
    thinned = [(name, k, n) for name, k, n in zip(labels, kept, total) if k < n]
    if len(thinned) <= 2:
        return [f"{name}: {k:,} of {n:,} points drawn {how}" for name, k, n in thinned]
    counts, sizes = sorted(k for _, k, _ in thinned), sorted(n for _, _, n in thinned)
    return [
        f"{len(thinned)} paths: {counts[0]:,}–{counts[-1]:,} of up to {sizes[-1]:,} points drawn each {how}"
    ]


def _animation_figure(scene: Scene, trajectories, *, lesson, lang, theme, notes: list[str]) -> go.Figure:
    """The figure an animation starts from: every run at its start, its whole path faint behind it."""
    lesson = lesson_of(lesson)
    fig = contour_figure(scene, trajectories, upto=0, title=title_text(scene, lesson, lang))
    faint, _ = path_traces(scene, trajectories, scene.view_box)
    for trace in faint:
        trace.update(opacity=FAINT, showlegend=False, hoverinfo="skip", hovertemplate=None)
    fig = go.Figure(data=[fig.data[0], *faint, *fig.data[1:]], layout=fig.layout)
    if notes:
        fig.add_annotation(
            text="<br>".join(notes),
            xref="paper",
            yref="paper",
            x=0,
            y=1.0,
            yanchor="bottom",
            showarrow=False,
            font=dict(size=10),
            align="left",
        )
        fig.update_layout(
            margin=dict(t=50 + 14 * len(notes)), title=dict(y=1.0, yanchor="top", pad=dict(t=8))
        )
    if lang == "zh":
        fig.update_layout(font=dict(family=CJK_FONT))
    return apply_theme(fig, theme)


def _roles(fig: go.Figure) -> tuple[list[int], list[int], list[int]]:
    """Indices of the runs' drawn paths, of their dots, and of the other markers (minima, start)."""
    paths, dots, others = [], [], []
    for i, trace in enumerate(fig.data):
        if trace.type != "scatter":
            continue
        if trace.uid and trace.uid.startswith("marker-"):
            dots.append(i)
        elif trace.mode == "lines" and trace.showlegend is not False:
            paths.append(i)
        elif trace.mode == "markers":
            others.append(i)
    return paths, dots, others


# ---------------------------------------------------------------- the GIF


def dash_pattern(dash: str, width: float) -> tuple[float, ...]:
    """plotly.js's dash lengths in px (Drawing.dashStyle): on, off, on, off..."""
    d = max(width, 3)
    return {
        "solid": (),
        "dot": (d, d),
        "dash": (3 * d, 3 * d),
        "longdash": (5 * d, 5 * d),
        "dashdot": (3 * d, d, d, d),
        "longdashdot": (5 * d, 2 * d, d, 2 * d),
    }[dash]


def _visible_lines(
    px: np.ndarray, py: np.ndarray, box: tuple[float, float, float, float]
) -> list[np.ndarray]:
    """The polyline cut to ``box`` (Liang-Barsky per segment): the connected pieces inside it, as (n, 2)."""
    p0 = np.column_stack((px[:-1], py[:-1]))
    d = np.column_stack((px[1:], py[1:])) - p0
    t0, t1 = np.zeros(len(d)), np.ones(len(d))
    with np.errstate(divide="ignore", invalid="ignore"):
        for axis, low, high in ((0, box[0], box[2]), (1, box[1], box[3])):
            for p, q in ((-d[:, axis], p0[:, axis] - low), (d[:, axis], high - p0[:, axis])):
                t = q / p
                t0 = np.where(p < 0, np.maximum(t0, t), t0)
                t1 = np.where(p > 0, np.minimum(t1, t), t1)
                t1 = np.where((p == 0) & (q < 0), -1.0, t1)
    shown = np.flatnonzero(t0 <= t1)
    a, b = p0 + t0[:, None] * d, p0 + t1[:, None] * d
    # A segment goes on with the line before it when it follows it and neither was cut where they meet.
    joined = np.zeros(len(shown), dtype=bool)
    joined[1:] = (np.diff(shown) == 1) & (t0[shown[1:]] == 0) & (t1[shown[:-1]] == 1)
    lines: list[list[np.ndarray]] = []
    for k, i in enumerate(shown):
        if not joined[k]:
            lines.append([a[i]])
        lines[-1].append(b[i])
    return [np.array(line) for line in lines]


def dash_pieces(points: np.ndarray, pattern: tuple[float, ...], phase: float) -> tuple[list, float]:
    """The drawn stretches of a polyline under a dash pattern already ``phase`` px along; the new phase."""
    seg = np.hypot(*np.diff(points, axis=0).T)
    s = phase + np.concatenate(([0.0], np.cumsum(seg)))
    if not pattern:
        return [points.ravel().tolist()], s[-1]
    period, edges = float(sum(pattern)), np.cumsum((0.0, *pattern))
    k = np.arange(math.floor(s[0] / period), math.floor(s[-1] / period) + 1)[:, None] * period
    on0 = np.maximum((k + edges[0:-1:2]).ravel(), s[0])
    on1 = np.minimum((k + edges[1::2]).ravel(), s[-1])
    on0, on1 = on0[on1 > on0], on1[on1 > on0]
    i0, i1 = np.searchsorted(s, on0, "right"), np.searchsorted(s, on1, "left")
    xa, ya = np.interp(on0, s, points[:, 0]), np.interp(on0, s, points[:, 1])
    xb, yb = np.interp(on1, s, points[:, 0]), np.interp(on1, s, points[:, 1])
    pieces = []
    for j in range(len(on0)):
        inner = points[i0[j] : i1[j]].ravel().tolist() if i1[j] > i0[j] else []
        pieces.append([xa[j], ya[j], *inner, xb[j], yb[j]])
    return pieces, s[-1]


def _palette_image(rgb, reserved: list[str]):
    """``rgb`` in 256 colours: the ``reserved`` ones (the runs' colours, white, the text's) exactly, and
    the background's most used others; every pixel takes its nearest (Pillow's own mapping is coarser:
    white paper came out 251, 252, 253), without dithering."""
    from PIL import Image, ImageColor

    # 255 colours: the last entry stays free, for "as in the frame before" (see _gif_bytes).
    own = rgb.quantize(colors=255 - len(reserved), method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette = np.array([ImageColor.getrgb(color)[:3] for color in reserved], dtype=np.int32).reshape(-1, 3)
    palette = np.vstack([palette, np.array(own.getpalette()[: 3 * (255 - len(reserved))]).reshape(-1, 3)])
    pixels = np.asarray(rgb, dtype=np.int32).reshape(-1, 3)
    colors, where = np.unique(pixels[:, 0] << 16 | pixels[:, 1] << 8 | pixels[:, 2], return_inverse=True)
    colors = np.column_stack((colors >> 16, colors >> 8 & 255, colors & 255))
    nearest = np.concatenate(
        [
            ((chunk[:, None, :] - palette[None]) ** 2).sum(axis=2).argmin(axis=1)
            for chunk in np.array_split(colors, max(1, len(colors) // 2048))
        ]
    )
    image = Image.fromarray(nearest[where].reshape(rgb.size[1], rgb.size[0]).astype(np.uint8), "P")
    keep = list(ImageColor.getrgb(KEEP_COLOR))
    image.putpalette(palette.ravel().tolist() + keep * (256 - len(palette)))
    return image, {color: i for i, color in enumerate(reserved)}


def _x_symbol(r: float) -> list[tuple[float, float]]:
    """plotly.js's "x" marker of radius r (symbol_defs.js) as a polygon around (0, 0)."""
    a = round(r * 0.8 / math.sqrt(2), 2)
    moves = [
        (1 if dx == "+" else -1, 1 if dy == "+" else -1)
        for dx, dy in "++ +- -- +- -- -+ -- -+ ++ -+ ++".split()
    ]
    points, x, y = [(0.0, a)], 0.0, a
    for dx, dy in moves:
        x, y = x + dx * a, y + dy * a
        points.append((x, y))
    return [(px, -py) for px, py in points]  # SVG's y grows downwards


def marker_mask(traces, area: PlotArea, size: tuple[int, int]):
    """The pixels the markers of ``traces`` (minima, start) cover, a pixel wider: the page draws them over
    the paths, so the GIF puts these pixels of the background back over every frame's paths."""
    from PIL import Image, ImageDraw

    mask = Image.new("L", size, 0)
    pen = ImageDraw.Draw(mask)
    for trace in traces:
        r, w = trace.marker.size / 2, trace.marker.line.width or 0
        for cx, cy in zip(*area.pixels(trace.x, trace.y)):
            if trace.marker.symbol == "x":
                pen.polygon(
                    [(cx + px, cy + py) for px, py in _x_symbol(r)],
                    fill=255,
                    outline=255,
                    width=math.ceil(w / 2) + 1,
                )
            else:
                reach = (r if trace.marker.symbol in (None, "circle") else 1.3 * r) + w / 2 + 1
                pen.ellipse((cx - reach, cy - reach, cx + reach, cy + reach), fill=255)
    return mask


def animation_gif(
    scene: Scene, *, frames=60, fps=15, width=800, height=560, theme="light", lang="en", lesson=None
) -> bytes:
    """The scene's animation as a GIF: the plot rendered once, paths and dots drawn over it per frame."""
    check_size(width, height)
    check_animation(frames, fps)
    with image_session():  # the browser starts while the scene is simulated
        return _animation_gif(scene, frames, fps, width, height, THEMES[theme], theme, lang, lesson)


def _gif_background(scene, trajectories, keeps, width, height, t: Theme, theme, lang, lesson):
    """The plot without the runs' dots, rendered once, over an empty strip for the step counter:
    (image in the GIF's palette, colour -> index, plot area, mask of the minima and start markers)."""
    from PIL import Image

    notes = thinning_notes(
        [tr.run.display_label() for tr in trajectories],
        [len(k) for k in keeps],
        [len(tr.x) for tr in trajectories],
    )
    fig = _animation_figure(scene, trajectories, lesson=lesson, lang=lang, theme=theme, notes=notes)
    _, dots, others = _roles(fig)
    for i in dots:  # the dots move: Pillow draws them
        fig.data[i].visible = False
    area = plot_area(fig, width, height - t.bar)
    plot = Image.open(io.BytesIO(_kaleido(fig, "png", width, height - t.bar))).convert("RGB")
    rgb = Image.new("RGB", (width, height), plot.getpixel((0, 0)))  # the paper's colour under the strip
    rgb.paste(plot, (0, 0))
    on_top = marker_mask([fig.data[i] for i in others], area, rgb.size)
    colors = {t.run_color(i) for i in range(len(trajectories))}
    background, index = _palette_image(rgb, sorted({*colors, "#ffffff", t.text}))
    return background, index, area, on_top


def draw_path(
    pen, points: np.ndarray, box, pattern: tuple[float, ...], phase: float, fill, width: int
) -> float:
    """A stretch of a path (pixels, (n, 2)) cut to ``box`` and dashed from ``phase``; the phase after it."""
    for line in _visible_lines(points[:, 0], points[:, 1], box):
        pieces, phase = dash_pieces(line, pattern, phase)
        for piece in pieces:
            pen.line(piece, fill=fill, width=width, joint="curve")
    return phase


def draw_dot(pen, cx: float, cy: float, t: Theme, fill, outline) -> None:
    """A run's dot as lab.figures.marker_traces draws it: size 9 and a white ring 1.5 wide, theme-scaled."""
    r = 4.5 * t.marker_scale + 0.75
    pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill, outline=outline, width=2)


def _animation_gif(scene, frames, fps, width, height, t: Theme, theme, lang, lesson) -> bytes:
    from PIL import ImageDraw, ImageFont

    trajectories = simulate(scene)
    plan = animation_frames(scene, trajectories, frames)
    keeps = [frame_thinned(tr.x, tr.y, at, MAX_PATH_POINTS) for tr, at in zip(trajectories, plan.at)]
    background, index, area, on_top = _gif_background(
        scene, trajectories, keeps, width, height, t, theme, lang, lesson
    )
    left, top, right, bottom = area.box
    reach = 4 * t.line_width  # lines are cut a little outside the plot, then the plot's frame is put back
    box = (left - reach, top - reach, right + reach, bottom + reach)
    outside = [
        (0, 0, width, top),
        (0, bottom, width, height),
        (0, top, left, bottom),
        (right, top, width, bottom),
    ]
    font = ImageFont.load_default(size=round(t.font_size * 1.15))
    middle = height - t.bar / 2  # the strip: a progress bar from the left, the step counter at the right
    track = (12, middle, width - 24 - max(font.getlength(label) for label in plan.labels), middle)
    line_width = round(t.line_width + 1)  # a shade bolder than the faint whole path under it
    fills = [index[t.run_color(i)] for i in range(len(trajectories))]
    patterns = [dash_pattern(DASHES[i % len(DASHES)], line_width) for i in range(len(trajectories))]
    points = [np.column_stack(area.pixels(tr.x[k], tr.y[k])) for tr, k in zip(trajectories, keeps)]
    drawn, phases = [0] * len(trajectories), [0.0] * len(trajectories)
    canvas = background.copy()  # the paths so far: each frame adds its stretch
    pen = ImageDraw.Draw(canvas)
    images = []
    for f, label in enumerate(plan.labels):
        for i in range(len(trajectories)):
            end = int(np.searchsorted(keeps[i], plan.at[i][f]))
            if end > drawn[i]:
                stretch = points[i][drawn[i] : end + 1]
                phases[i] = draw_path(pen, stretch, box, patterns[i], phases[i], fills[i], line_width)
                drawn[i] = end
        frame = canvas.copy()
        frame.paste(background, (0, 0), on_top)  # the minima and the start lie over the paths, as on the page
        dots = ImageDraw.Draw(frame)
        for i, tr in enumerate(trajectories):
            if len(tr.x):
                cx, cy = area.pixels(tr.x[plan.at[i][f]], tr.y[plan.at[i][f]])
                draw_dot(dots, cx, cy, t, fills[i], index["#ffffff"])
        for strip in outside:  # nothing is drawn outside the plot, as plotly.js clips to it
            frame.paste(background.crop(strip), strip[:2])
        done = track[0] + (track[2] - track[0]) * f / max(len(plan.labels) - 1, 1)
        dots.line(track, fill=index[t.text], width=1)
        dots.line((track[0], middle, done, middle), fill=index[t.text], width=max(3, t.font_size // 4))
        dots.text((width - 12, middle), label, fill=index[t.text], font=font, anchor="rm")
        images.append(frame)
    ticks = np.round(np.arange(len(images) + 1) * 100 / fps).astype(int)  # hundredths: fps holds on average
    durations = (np.diff(ticks) * 10).tolist()
    durations[-1] += HOLD_LAST_MS
    return _gif_bytes(images, durations)


def _gif_bytes(images: list, durations: list[int]) -> bytes:
    """The frames as one GIF; each frame after the first stores only the pixels that changed.

    The others take a palette entry no pixel uses, marked transparent: the frame before shows
    through, and long runs of one index cost LZW almost nothing (a sixth of the file at least).
    """
    from PIL import Image

    keep = next((i for i in range(255, -1, -1) if i not in set(np.unique(np.stack(images)).tolist())), None)
    frames = images
    if keep is not None:
        frames = [images[0]]
        for before, after in itertools.pairwise(images):
            now = np.asarray(after)
            delta = Image.fromarray(np.where(now == np.asarray(before), keep, now).astype(np.uint8), "P")
            delta.putpalette(after.getpalette())
            frames.append(delta)
    out = io.BytesIO()
    extra = {} if keep is None else {"transparency": keep}
    frames[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=0,
        optimize=False,
        disposal=1,
        **extra,
    )
    return out.getvalue()


# ---------------------------------------------------------------- the standalone page


# plotly.js animates frames (redraw: false) by drawing scatter traces only, and drops every other trace
# of the plot: the contour would vanish at the first frame (a full redraw per frame keeps it, at 0.1 s a
# frame, and flickers). So once the page is drawn, plotly.js draws the contour alone at the size of the
# plotting area, it becomes the plot's background image, and the contour trace stays only for its colour bar.
_BACKDROP = """
(function () {
  var gd = document.getElementById('{plot_id}'), xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  var w = Math.round(xa._length), h = Math.round(ya._length);
  var contour = Object.assign({}, gd.data[0], {showscale: false, opacity: 1});
  var layout = {width: w, height: h, margin: {l: 0, r: 0, t: 0, b: 0, pad: 0}, showlegend: false,
    paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)',
    xaxis: {range: xa.range.slice(), visible: false}, yaxis: {range: ya.range.slice(), visible: false}};
  Plotly.toImage({data: [contour], layout: layout}, {format: 'png', width: w, height: h, scale: 2})
    .then(function (url) {
      var image = {source: url, xref: 'x', yref: 'y', x: xa.range[0], y: ya.range[1], sizing: 'stretch',
        sizex: xa.range[1] - xa.range[0], sizey: ya.range[1] - ya.range[0], layer: 'below'};
      return Plotly.update(gd, {opacity: 0}, {images: [image]}, [0]);
    })
    .then(function () { gd.setAttribute('data-backdrop', 'ready'); });
})();
"""


def _frame_points(trajectories) -> int:
    """Points per path in the HTML's frames: all frames' prefixes together stay near HTML_FRAME_POINTS."""
    per = 2 * HTML_FRAME_POINTS // (HTML_FRAMES * max(len(trajectories), 1))
    return int(min(MAX_PATH_POINTS, max(60, per)))


def standalone_html(scene: Scene, *, lesson=None, lang="en", theme="light") -> str:
    """One HTML file that plays the scene's animation with a slider: plotly.js inside, no server needed."""
    lesson_ = lesson_of(lesson)
    trajectories = simulate(scene)
    plan = animation_frames(scene, trajectories, HTML_FRAMES)
    budget = _frame_points(trajectories)
    keeps = [frame_thinned(tr.x, tr.y, at, budget) for tr, at in zip(trajectories, plan.at)]
    notes = thinning_notes(
        [tr.run.display_label() for tr in trajectories],
        [len(k) for k in keeps],
        [len(tr.x) for tr in trajectories],
    )
    notes = [f"animated: {note}" for note in notes]
    fig = _animation_figure(scene, trajectories, lesson=lesson_, lang=lang, theme=theme, notes=notes)
    paths, dots, _ = _roles(fig)
    frames = []
    for f, label in enumerate(plan.labels):
        data = []
        for tr, keep, at in zip(trajectories, keeps, plan.at):
            k = keep[: np.searchsorted(keep, at[f]) + 1]
            data.append(dict(type="scatter", x=tr.x[k].astype(np.float32), y=tr.y[k].astype(np.float32)))
        for tr, at in zip(trajectories, plan.at):
            x, y = (float(tr.x[at[f]]), float(tr.y[at[f]])) if len(tr.x) else scene.start_point
            data.append(dict(type="scatter", x=[x], y=[y]))
        frames.append(go.Frame(name=str(f), data=data, traces=paths + dots))
    fig.frames = frames
    still = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}
    play = {
        "frame": {"duration": round(1000 / HTML_FPS), "redraw": False},
        "fromcurrent": True,
        "mode": "immediate",
        "transition": {"duration": 0},
    }
    fig.update_xaxes(showgrid=False, zeroline=False)  # under the contour anyway; not over its image
    fig.update_yaxes(showgrid=False, zeroline=False)
    fig.update_layout(
        margin=dict(b=180),
        updatemenus=[
            dict(
                type="buttons",
                direction="left",
                x=0,
                y=0,
                xanchor="left",
                yanchor="top",
                pad=dict(t=62, r=10),
                bgcolor="#e5ecf6",
                font=dict(color="#2a3f5f"),  # readable on every theme's paper
                buttons=[
                    dict(label="▶ Play", method="animate", args=[None, play]),
                    dict(label="❚❚ Pause", method="animate", args=[[None], still]),
                ],
            )
        ],
        sliders=[
            dict(
                active=0,
                x=0.2,
                len=0.8,
                y=0,
                yanchor="top",
                pad=dict(t=50),
                currentvalue=dict(prefix=""),
                steps=[
                    dict(label=label.split(" of ")[0], method="animate", args=[[str(f)], still])
                    for f, label in enumerate(plan.labels)
                ],
            )
        ],
    )
    div = fig.to_html(
        include_plotlyjs=True,
        full_html=False,
        div_id="scene",
        auto_play=False,
        post_script=_BACKDROP,
        default_width="100%",
        default_height="88vh",
        config=dict(displaylogo=False),
    )
    title = title_text(scene, lesson_, lang) or "Error Surface Lab"
    caption = caption_text(scene, lesson_, lang) if lesson_ else ""
    command = render_command(scene, lesson, "html")
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{margin:12px;font-family:'Open Sans',verdana,arial,'Noto Sans CJK SC',sans-serif;"
        f"color:{THEMES[theme].text};background:{'#111111' if theme == 'dark' else '#ffffff'}}} "
        "p{max-width:60em}</style>\n</head>\n<body>\n"
        f"{div}\n<p>{html.escape(caption)}</p>\n"
        "<p><small>Error Surface Lab. This scene from the command line: "
        f"<code>{html.escape(command)}</code></small></p>\n"
        "</body>\n</html>\n"
    )


# ---------------------------------------------------------------- the command line


def render_command(scene: Scene, lesson=None, fmt: str = "png") -> str:
    """The ``python render.py ... -o ...`` command that makes this scene's file, shell-quoted."""
    lesson_ = lesson_of(lesson)
    if lesson_ is not None and scene == lesson_.scene:
        source = lesson_.id
    elif lesson_ is not None:
        source = to_query(scene, base=lesson_.scene, lesson=lesson_.id)
    else:
        source = to_query(scene) or "?"
    stem = lesson_.id if lesson_ is not None else "scene"
    return shlex.join(["python", "render.py", source, "-o", f"{stem}.{fmt.lstrip('.')}"])
