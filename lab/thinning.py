"""Thin long paths for drawing without aliasing.

Keeping every k-th point of a path that bounces between two walls with period
2 draws a smooth line along one wall: a lie. Instead the path is cut into
buckets of consecutive steps and each bucket keeps its first and last point and
the points where x and y reach their minimum and maximum (M4 decimation, in two
dimensions). A zigzag then still spans both walls in every bucket, only with
fewer teeth, and the figure says how many points it shows.
"""

from __future__ import annotations

import numpy as np


def sorted_indices(picks) -> np.ndarray:
    """The distinct indices of ``picks`` (arrays of ints), in order: np.unique's result, by sorting.

    NumPy 2.4's np.unique hashes integers first, ten times slower here (0.8 ms against 0.09 ms for
    8,000 indices), and the page thins every run's path and panel lines on every change.
    """
    ordered = np.sort(np.concatenate(picks))
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if ordered.size else ordered


def thin_path(x: np.ndarray, y: np.ndarray, max_points: int = 4000) -> np.ndarray:
    """Indices of the points to draw, in order: all of them when there are at most ``max_points``."""
    n = len(x)
    if n <= max_points:
        return np.arange(n)
    buckets = max(max_points // 6, 1)
    size = -(-n // buckets)  # ceil
    padded = buckets * size
    index = np.arange(padded).reshape(buckets, size)
    index = np.minimum(index, n - 1)  # pad the last bucket with the last point
    picks = [index[:, 0], index[:, -1]]
    for coord in (x, y):
        values = coord[index]
        rows = np.arange(buckets)
        picks.append(index[rows, values.argmin(axis=1)])
        picks.append(index[rows, values.argmax(axis=1)])
    return sorted_indices(picks + [np.array([0, n - 1])])


def _segments_crossing(x: np.ndarray, y: np.ndarray, box) -> np.ndarray:
    """For each segment (i, i+1): does it pass through ``box``? Its bounding box must overlap the box,
    and the box's corners must not all lie on one side of its line."""
    x0, x1, y0, y1 = x[:-1], x[1:], y[:-1], y[1:]
    overlap = ((np.minimum(x0, x1) <= box[1]) & (np.maximum(x0, x1) >= box[0])
               & (np.minimum(y0, y1) <= box[3]) & (np.maximum(y0, y1) >= box[2]))
    dx, dy = x1 - x0, y1 - y0
    sides = [dx * (cy - y0) - dy * (cx - x0) for cx in box[:2] for cy in box[2:]]
    above = np.all([s > 0 for s in sides], axis=0)
    below = np.all([s < 0 for s in sides], axis=0)
    return overlap & ~above & ~below


def thin_in_view(x: np.ndarray, y: np.ndarray, box, max_points: int = 4000) -> np.ndarray:
    """Indices to draw when the view is zoomed to ``box``: the stretches of the path that are in
    view (with one neighbour either side, so lines leave the view where they do, and both ends of
    every step that crosses the view without stopping in it), each thinned
    in proportion to its length; -1 marks a break between stretches (drawn as a gap).
    """
    inside = (x >= box[0]) & (x <= box[1]) & (y >= box[2]) & (y <= box[3])
    near = inside.copy()
    near[1:] |= inside[:-1]
    near[:-1] |= inside[1:]
    crossing = _segments_crossing(x, y, box)  # a bounce across the zoomed valley: both ends out of view
    near[:-1] |= crossing
    near[1:] |= crossing
    index = np.flatnonzero(near)
    if index.size == 0:
        return index
    breaks = np.flatnonzero(np.diff(index) > 1) + 1
    stretches = np.split(index, breaks)
    total = index.size
    pieces = []
    for stretch in stretches:
        budget = max(int(max_points * stretch.size / total), 8)
        keep = stretch[thin_path(x[stretch], y[stretch], budget)]
        pieces += [keep, np.array([-1])]
    return np.concatenate(pieces[:-1])
