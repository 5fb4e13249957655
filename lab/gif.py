"""The GIF: the plot rendered once, the moving paths and dots drawn with Pillow at plotly.js's pixels."""

from __future__ import annotations

import io
import itertools
import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from lab.animation import animation_data
from lab.figures import DASHES, MAX_PATH_POINTS, contour_figure, notes_layout, path_traces
from lab.images import (
    CJK_FONT,
    FAINT,
    HOLD_LAST_MS,
    KEEP_COLOR,
    THEMES,
    PlotArea,
    Theme,
    _kaleido,
    apply_theme,
    check_animation,
    check_size,
    image_session,
    lesson_of,
    plot_area,
    title_text,
)
from lab.scene import Scene
from lab.simulate import simulate
from lab.strings import run_label, ui_text
from lab.thinning import thin_path

# ---------------------------------------------------------------- animation frames


@dataclass(frozen=True)
class Frames:
    """The animation's frames: what each shows (``labels``) and each run's step index at each."""

    labels: tuple[str, ...]
    at: tuple[np.ndarray, ...]  # per run: its index into x, y at every frame (held once the run stopped)
    ticks: tuple[str, ...] = ()  # "step 12" without the total, for a slider's ticks


def animation_frames(scene: Scene, trajectories, frames: int, lang: str = "en") -> Frames:
    """The page's animation frames (lab.animation): steps, or passes over the data for an epoch scene."""
    data = animation_data(scene, trajectories, max_frames=frames, lang=lang)
    steps = np.asarray(data["steps"], dtype=float)
    at = []
    for traj in trajectories:
        per = traj.updates_per_epoch if data["unit"] == "epoch" else 1
        at.append(np.minimum(np.round(steps * per).astype(int), max(len(traj.x) - 1, 0)))
    unit, total = ui_text(f"panel.{data['unit']}", lang), f"{data['total']:,}"
    ks = [f"{s:.4g}" for s in steps] if data["unit"] == "epoch" else [f"{int(s):,}" for s in steps]
    labels = tuple(ui_text("anim.frame", lang, unit=unit, k=k, total=total) for k in ks)
    ticks = tuple(ui_text("anim.tick", lang, unit=unit, k=k) for k in ks)
    return Frames(labels, tuple(at), ticks)


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


def thinning_notes(labels: list[str], kept: list[int], total: list[int], lang: str = "en") -> list[str]:
    """What the animation's thinning leaves out, one line per thinned run (at most three lines)."""
    thinned = [(name, k, n) for name, k, n in zip(labels, kept, total) if k < n]
    if len(thinned) <= 2:
        return [ui_text("plot.thinned", lang, name=name, kept=f"{k:,}", total=f"{n:,}") for name, k, n in thinned]
    counts, sizes = sorted(k for _, k, _ in thinned), sorted(n for _, _, n in thinned)
    return [ui_text("plot.thinned_many_upto", lang, count=len(thinned), kept=f"{counts[0]:,}–{counts[-1]:,}",
                    total=f"{sizes[-1]:,}")]


def _animation_figure(scene: Scene, trajectories, *, lesson, lang, theme, notes: list[str]) -> go.Figure:
    """The figure an animation starts from: every run at its start, its whole path faint behind it."""
    lesson = lesson_of(lesson)
    fig = contour_figure(scene, trajectories, upto=0, title=title_text(scene, lesson, lang), lang=lang)
    for trace in fig.data:  # frames grow the paths point by point: epoch dots would not follow them
        if trace.type == "scatter" and trace.mode == "lines+markers":
            trace.update(mode="lines", marker=None)
    faint, _ = path_traces(scene, trajectories, scene.view_box, lang=lang)
    for trace in faint:
        trace.update(mode="lines", marker=None, opacity=FAINT, showlegend=False, hoverinfo="skip", hovertemplate=None,
                     uid=None)  # the drawn path keeps the uid: plotly.js wants each once
    fig = go.Figure(data=[fig.data[0], *faint, *fig.data[1:]], layout=fig.layout)
    if notes:
        annotation, top, title = notes_layout(notes)
        fig.add_annotation(annotation)
        fig.update_layout(margin=dict(t=top), title=title)
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
        [run_label(tr.run, lang) for tr in trajectories],
        [len(k) for k in keeps],
        [len(tr.x) for tr in trajectories],
        lang,
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
    from PIL import ImageDraw

    trajectories = simulate(scene)
    plan = animation_frames(scene, trajectories, frames, lang)
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
    font = counter_font(round(t.font_size * 1.15), lang)
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


# Debian's fonts-noto-cjk: Pillow's own font has no Chinese glyphs (each would be a box).
CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
)


def counter_font(size: int, lang: str = "en"):
    """The step counter's font: Pillow's own, or for Chinese a CJK face when one is installed."""
    from PIL import ImageFont

    if lang == "zh":
        for path in CJK_FONT_FILES:
            try:
                return ImageFont.truetype(path, size, index=2)  # the .ttc's simplified Chinese face
            except OSError:
                continue
    return ImageFont.load_default(size=size)


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
