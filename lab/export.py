"""A scene and its trajectories as plain data: the JSON and CSV exports, and scenes read back from JSON.

Floats are written exactly (Python's shortest repr, as ``json`` writes them).
Output is deterministic: fixed key and column order, no timestamps, so the
same scene always gives byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, TextIO

import numpy as np

from lab.messages import Message, message_of
from lab.query import ParseResult, from_query, shown, to_query
from lab.scene import MAX_RUNS, Run, Scene
from surfaces import FORMULA
from surfaces.base import Box

# Per-run arrays: positions (n+1 entries) then what each update used (n entries).
POSITION_ARRAYS = ("x", "y", "loss")
UPDATE_ARRAYS = ("grad_x", "grad_y", "lr", "effective_lr_x", "effective_lr_y")
CSV_COLUMNS = ("run", "label", "optimizer", "step", *POSITION_ARRAYS, *UPDATE_ARRAYS)

_SCENE_KEYS = ("surface", "formula", "start", "steps", "epochs", "seed", "view", "runs")


def _range_dict(box: Box) -> dict[str, list[float]]:
    return {"x_range": [box.x_min, box.x_max], "y_range": [box.y_min, box.y_max]}


def run_to_dict(run: Run) -> dict[str, Any]:
    return {
        "optimizer": run.optimizer,
        "lr": run.lr,
        "params": dict(run.params),
        "schedule": run.schedule,
        "schedule_params": dict(run.schedule_params),
        "batch_size": run.batch_size,
        "shuffle": run.shuffle,
        "label": run.label,
    }


def scene_to_dict(scene: Scene) -> dict[str, Any]:
    """The scene's own fields (hyperparameters only where they differ from the defaults)."""
    return {
        "surface": scene.surface,
        "formula": scene.formula,
        "start": list(scene.start) if scene.start is not None else None,
        "steps": scene.steps,
        "epochs": scene.epochs,
        "seed": scene.seed,
        "view": _range_dict(scene.view) if scene.view is not None else None,
        "runs": [run_to_dict(run) for run in scene.runs],
    }


# Reading a scene back: tolerant like from_query. Each field is type-checked
# here and range-checked by the Scene and Run constructors on its own; a value
# either rejects is reported and the field keeps its default.


def _shown(value) -> str:
    return shown(value if isinstance(value, str) else json.dumps(value))


def _number(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(Message("json.not_number", value=_shown(value)))
    try:
        float(value)
    except OverflowError:  # JSON integers have no size limit
        raise ValueError(Message("json.too_large", value=_shown(value))) from None
    return value


def _text(value) -> str:
    if not isinstance(value, str):
        raise ValueError(Message("json.not_text", value=_shown(value)))
    return value


def _flag(value) -> bool:
    if not isinstance(value, bool):
        raise ValueError(Message("json.not_flag", value=_shown(value)))
    return value


def _numbers(value, count: int, what) -> tuple[float, ...]:
    if not (isinstance(value, list) and len(value) == count):
        raise ValueError(Message("json.not_shape", value=_shown(value), what=what))
    return tuple(map(_number, value))


def _start(value) -> tuple[float, float] | None:
    return None if value is None else _numbers(value, 2, Message("json.shape_start"))


def _view(value) -> Box | None:
    if value is None:
        return None
    if not (isinstance(value, dict) and {"x_range", "y_range"} <= value.keys()):
        raise ValueError(Message("json.not_shape", value=_shown(value), what=Message("json.shape_view")))
    return Box(*_numbers(value["x_range"], 2, "[a, b]"), *_numbers(value["y_range"], 2, "[c, d]"))


_SCENE_FIELDS = {"start": _start, "steps": _number, "seed": _number, "view": _view, "epochs": _number}
_RUN_FIELDS = {
    "optimizer": _text,
    "lr": _number,
    "schedule": _text,
    "batch_size": _number,
    "shuffle": _flag,
    "label": _text,
}
_RUN_PAIRS = {"optimizer": "params", "schedule": "schedule_params"}  # the hyperparameters each field checks


def _set(record, field: str, value, convert, where: str, warnings: list[str]):
    """``record`` with ``field`` set to ``convert(value)``, or unchanged with a warning if that fails."""
    try:
        return replace(record, **{field: convert(value)})
    except ValueError as error:
        kept = getattr(record, field)
        kept = Message("json.surface_default") if kept is None else repr(kept)
        warnings.append(Message("json.set_failed", where=where, error=message_of(error), kept=kept))
        return record


def _warn_unknown(d: dict, known, where: str, warnings: list[str]) -> None:
    for key in d:
        if key not in known:
            warnings.append(Message("json.unknown_key", where=where, key=_shown(key), keys=", ".join(known)))


def _add_pairs(run: Run, field: str, pairs: Any, where: str, warnings: list[str]) -> Run:
    """``run`` with each ``name: number`` of ``pairs`` that the Run accepts added to ``field``."""
    if not isinstance(pairs, dict):
        warnings.append(Message("json.not_pairs", where=where, value=_shown(pairs)))
        return run
    for name, value in pairs.items():
        try:
            run = replace(run, **{field: (*getattr(run, field), (name, _number(value)))})
        except ValueError as error:
            warnings.append(Message("json.pair_failed", where=where, name=name, error=message_of(error)))
    return run


def run_from_dict(d: Any, where: str, warnings: list[str]) -> Run | None:
    """The run a dict describes (None if it is not a dict), a warning for every value left at its default."""
    if not isinstance(d, dict):
        warnings.append(Message("json.not_run", where=where, value=_shown(d)))
        return None
    _warn_unknown(d, (*_RUN_FIELDS, *_RUN_PAIRS.values()), where, warnings)
    run = Run()
    for key, convert in _RUN_FIELDS.items():
        if key in d:
            run = _set(run, key, d[key], convert, f"{where}.{key}", warnings)
        if _RUN_PAIRS.get(key) in d:  # right after the optimizer or schedule they belong to
            run = _add_pairs(run, _RUN_PAIRS[key], d[_RUN_PAIRS[key]], f"{where}.{_RUN_PAIRS[key]}", warnings)
    return run


def _with_run(scene: Scene, accepted: tuple[Run, ...], run: Run, where: str, warnings: list[str]):
    """The runs with ``run`` appended; a batch size the surface cannot serve falls back to full batch."""
    try:
        replace(scene, runs=(*accepted, run))
        return (*accepted, run)
    except ValueError as error:
        warnings.append(Message("json.batch_failed", where=where, error=message_of(error)))
        return (*accepted, replace(run, batch_size=0))


def _surface(scene: Scene, d: dict, warnings: list[str]) -> Scene:
    """The scene on the surface ``d`` names; a formula is set with its surface, both or neither."""
    if d.get("formula"):
        try:
            return replace(scene, surface=_text(d.get("surface", FORMULA)), formula=_text(d["formula"]))
        except ValueError as error:
            warnings.append(Message("json.formula_failed", error=message_of(error), surface=repr(scene.surface)))
            return scene
    if "surface" in d:
        return _set(scene, "surface", d["surface"], _text, "scene.surface", warnings)
    return scene


def scene_from_dict(d: Any) -> tuple[Scene, tuple[str, ...]]:
    """The scene a dict (JSON) describes, and a warning for every value that fell back to its default."""
    warnings: list[str] = []
    scene = Scene()
    if not isinstance(d, dict):
        return scene, (Message("json.not_scene", value=_shown(d)),)
    _warn_unknown(d, _SCENE_KEYS, "scene", warnings)
    scene = _surface(scene, d, warnings)
    for key, convert in _SCENE_FIELDS.items():
        if key in d:
            scene = _set(scene, key, d[key], convert, f"scene.{key}", warnings)
    runs = d.get("runs")
    if runs is None or not isinstance(runs, list) or not runs:
        if "runs" in d:
            warnings.append(Message("json.runs_not_list", value=_shown(runs), limit=MAX_RUNS))
        return scene, tuple(warnings)
    if len(runs) > MAX_RUNS:
        warnings.append(Message("json.too_many_runs", count=len(runs), limit=MAX_RUNS))
    accepted: tuple[Run, ...] = ()
    for i, item in enumerate(runs[:MAX_RUNS]):
        run = run_from_dict(item, f"scene.runs[{i}]", warnings)
        if run is not None:
            accepted = _with_run(scene, accepted, run, f"scene.runs[{i}]", warnings)
    if accepted:
        scene = replace(scene, runs=accepted)
    return scene, tuple(warnings)


def scene_from_export(doc: Any) -> ParseResult:
    """A scene from a JSON document: a whole export (its "scene", else its "query") or a bare scene."""
    if isinstance(doc, dict) and "scene" in doc:
        scene, warnings = scene_from_dict(doc["scene"])
    elif isinstance(doc, dict) and isinstance(doc.get("query"), str):
        scene, warnings = (parsed := from_query(doc["query"])).scene, parsed.warnings
    else:
        scene, warnings = scene_from_dict(doc)
    from lessons import LESSONS  # lazily, as in lab.query: a lesson module may build its scene from text

    lesson = doc.get("lesson") if isinstance(doc, dict) else None
    # The file keeps its lesson id only while its scene is still that lesson's scene.
    if not (isinstance(lesson, str) and lesson in LESSONS and LESSONS[lesson].scene == scene):
        lesson = None
    return ParseResult(scene, warnings, lesson)


# The export.


def run_params(run: Run) -> dict[str, Any]:
    """lr, every hyperparameter of the optimizer (resolved), the batch and the schedule's parameters."""
    params: dict[str, Any] = {
        "lr": run.lr,
        **run.hyperparams(),
        "batch_size": run.batch_size,
        "shuffle": run.shuffle,
    }
    for name, value in run.schedule_hyperparams().items():
        params[name if name not in params else f"schedule_{name}"] = value
    return params


def export_dict(scene: Scene, trajectories, lesson: str | None = None) -> dict[str, Any]:
    """Everything a reader needs to redraw or re-analyse the scene, as JSON-ready data."""
    surface = scene.surface_record
    return {
        "lesson": lesson,
        "scene": scene_to_dict(scene),
        "query": to_query(scene),
        "surface": {
            "name": surface.name,
            "formula": surface.formula,
            "minima": [list(m) for m in surface.minima],
        },
        "view": _range_dict(scene.view_box),
        "runs": [
            {
                "label": tr.run.display_label(),
                "optimizer": tr.run.optimizer,
                "params": run_params(tr.run),
                "schedule": tr.run.schedule,
                "status": tr.status,
                "diverged_at": tr.diverged_at,
                **{name: getattr(tr, name).tolist() for name in (*POSITION_ARRAYS, *UPDATE_ARRAYS)},
            }
            for tr in trajectories
        ],
    }


def float_texts(values) -> list[str]:
    """Each float as ``json`` writes it (its exact shortest repr); repeated values are formatted once.

    Formatting is nearly all of an export's time (about 0.6 us a float) and
    learning-rate columns are often constant, so each distinct bit pattern
    (-0.0 stays apart from 0.0) is formatted once.
    """
    a = np.ascontiguousarray(values, dtype=float)
    if not np.isfinite(a).all():
        raise ValueError("refusing to export a non-finite number")
    distinct, index = np.unique(a.view(np.int64), return_inverse=True)
    if 2 * len(distinct) > len(a):
        return list(map(repr, a.tolist()))
    texts = list(map(repr, distinct.view(float).tolist()))
    return list(map(texts.__getitem__, index.tolist()))


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def json_chunks(value: Any, depth: int = 0) -> Iterator[str]:
    """``value`` as JSON text: objects indented, every list on one line (floats through ``float_texts``).

    json.dumps(indent=...) would put each of a few million floats on a line of its own.
    """
    if isinstance(value, dict) and value:
        items, close = value.items(), "}"
        yield "{"
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        items, close = ((None, v) for v in value), "]"
        yield "["
    elif isinstance(value, list) and value and all(type(v) is float for v in value):
        yield "[" + ", ".join(float_texts(value)) + "]"
        return
    else:
        yield _dumps(value)
        return
    pad = "\n" + "  " * (depth + 1)
    for i, (key, item) in enumerate(items):
        yield ("," if i else "") + pad + ("" if key is None else _dumps(key) + ": ")
        yield from json_chunks(item, depth + 1)
    yield "\n" + "  " * depth + close


def write_json(fp: TextIO, doc: dict[str, Any]) -> None:
    fp.writelines(json_chunks(doc))
    fp.write("\n")


def _csv_columns(run: dict[str, Any]) -> list[list[str]]:
    """The run's float columns as text, n+1 entries each: per-update ones end with ''."""
    positions = len(run["x"])
    columns = [float_texts(run[name]) for name in (*POSITION_ARRAYS, *UPDATE_ARRAYS)]
    return [column + [""] * (positions - len(column)) for column in columns]


def csv_rows(doc: dict[str, Any]) -> Iterator[tuple]:
    """One row per run and position t = 0..n, in CSV_COLUMNS order, floats as their exact text.

    The update columns are empty at t = n: no update is made from the last position.
    """
    for i, run in enumerate(doc["runs"]):
        columns = _csv_columns(run)
        head = (i, run["label"], run["optimizer"])
        yield from ((*head, t, *values) for t, values in enumerate(zip(*columns)))


def write_csv(fp: TextIO, doc: dict[str, Any]) -> None:
    """The rows of ``csv_rows`` under a header; ``fp`` opened with newline="" (lines end in \\n everywhere).

    Only the label and optimizer can need quoting: they are quoted once per run
    by ``csv`` and the float columns joined directly, about five times faster
    than csv.writer.writerows on 600,000 rows.
    """
    csv.writer(fp, lineterminator="\n").writerow(CSV_COLUMNS)
    for i, run in enumerate(doc["runs"]):
        columns = _csv_columns(run)
        head = io.StringIO()
        csv.writer(head, lineterminator="").writerow((i, run["label"], run["optimizer"], ""))
        prefix = head.getvalue()
        fp.writelines(f"{prefix}{t},{','.join(values)}\n" for t, values in enumerate(zip(*columns)))
