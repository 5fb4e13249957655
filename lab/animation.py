"""What the browser needs to animate a scene: frame steps and every run's position at each.

``animation_data`` is pure and JSON-ready; assets/animation.js plays it by
moving the marker traces of lab.figures (found by uid) and the cursor line of
lab.panels (found by name), without a server round trip per frame.
"""

from __future__ import annotations

import numpy as np

from lab.figures import final_position, marker_uid, path_uid, scene_key
from lab.panels import CURSOR, time_axis
from lab.scene import Scene
from lab.strings import run_label, ui_text

MAX_FRAMES = 300
DIGITS = 6  # significant digits of a position: far below a pixel even zoomed in 100x; half the JSON of repr


def frame_steps(longest: int, max_frames: int = MAX_FRAMES) -> np.ndarray:
    """At most ``max_frames`` whole steps from 0 to ``longest``, evenly spread, always both ends."""
    count = max(2, min(max_frames, longest + 1))
    return np.unique(np.round(np.linspace(0, longest, count)).astype(int))


def _rounded(values: np.ndarray) -> list[float]:
    """``values`` to DIGITS significant digits, as float(f"{v:.6g}") gives them (short JSON), vectorized:
    formatting 2,400 positions one by one took 2 ms of every change's 5 ms of drawing work."""
    v = np.asarray(values, dtype=float)
    out = v.copy()
    ok = np.isfinite(v) & (v != 0)
    a = v[ok]
    power = DIGITS - 1 - np.floor(np.log10(np.abs(a)))  # 10**power brings DIGITS digits before the point
    up = power >= 0  # multiply and divide by exact powers of ten only (10.0**-k is inexact)
    scaled = np.empty_like(a)
    scaled[up] = np.round(a[up] * 10.0 ** power[up]) / 10.0 ** power[up]
    scaled[~up] = np.round(a[~up] / 10.0 ** -power[~up]) * 10.0 ** -power[~up]
    out[ok] = scaled
    return out.tolist()


def player_labels(unit: str, lang: str = "en") -> dict:
    """The player's words in ``lang``: the readout template ("{k}" and "{total}" filled by the
    player) and the play button's two faces."""
    return dict(
        readout=ui_text("anim.readout", lang, unit=ui_text(f"panel.{unit}", lang), k="{k}", total="{total}"),
        play=ui_text("anim.play_button", lang),
        pause=ui_text("anim.pause_button", lang),
    )


def animation_data(scene: Scene, trajectories, max_frames: int = MAX_FRAMES, lang: str = "en") -> dict:
    """Frames for the player: shared steps, and per run x, y at each (held at its last point once it stops).

    ``steps[k]`` is the step shown by frame k; a run shorter than ``steps[k]``
    (it diverged, or makes fewer updates per epoch) stays where it stopped, and
    ``last`` says which step that is. A frame shows every n-th step, so the player also draws each
    run's trail (assets/animation.js drawTrails, in SVG of its own, no trace): the points of the
    trace whose uid is ``path`` (customdata: update indices, ``per`` of them to an epoch in an epoch
    scene) since the previous frame; a run that flips wall to wall every step then shows a band,
    not a dot parked on one wall. ``cursor`` is the meta.role of the
    panels' cursor traces, and ``scene`` the key every moved trace carries in
    its meta, so the player never moves a trace of another scene's figure. ``labels`` holds the
    player's words in ``lang`` (``player_labels``).
    """
    if max_frames < 2:
        raise ValueError("an animation needs at least 2 frames (the start and the end)")
    unit, extent = time_axis(scene, trajectories)
    if unit == "epoch":  # every run at the same pass over the data, whatever its batch size
        steps = np.unique(np.round(np.linspace(0.0, extent, max(2, min(max_frames, int(extent) * 20 + 1))), 4))
        longest = scene.epochs
    else:
        longest = int(extent)
        steps = frame_steps(longest, max_frames)
    runs = []
    for i, traj in enumerate(trajectories):
        per = traj.updates_per_epoch if unit == "epoch" else 1
        if len(traj.x):
            at = np.minimum(np.round(steps * per).astype(int), len(traj.x) - 1)
            x, y = traj.x[at], traj.y[at]
        else:  # nothing finite: the run stands at the start
            x0, y0, _ = final_position(scene, traj)
            x, y = np.full(len(steps), x0), np.full(len(steps), y0)
        runs.append(
            dict(
                uid=marker_uid(i),
                path=path_uid(i),
                per=int(per),
                label=run_label(traj.run, lang),
                last=max(len(traj.x) - 1, 0),
                status=traj.status,
                x=_rounded(x),
                y=_rounded(y),
            )
        )
    return dict(scene=scene_key(scene), steps=steps.tolist(), total=longest, unit=unit, cursor=CURSOR, runs=runs,
                labels=player_labels(unit, lang))
