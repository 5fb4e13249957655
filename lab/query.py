"""The URL form of a Scene: ``to_query`` writes it, ``from_query`` reads any text back.

The grammar is in README.md ("The scene in the URL"). Writing is exact: only what differs from
``Scene()`` is written, floats in their shortest repr form, so
``from_query(to_query(s)).scene == s``. Reading is tolerant, after TF
Playground's state.ts: an unknown key, a bad value or a broken run never
raises; the item falls back to its default and one plain-text warning says
which key, which value (quoted, escaped, cut to about 40 characters) and what
would have been valid. The UI escapes warnings before showing them.

Two layers of percent-encoding: the query is form-encoded as usual, and inside
a run value the characters ``%`` and ``,`` of a label are percent-encoded once
more, so a label may hold anything and a standard URL encoder or decoder in
between cannot break a run apart. A run splits at its first ':' and each item
at its first '=', so those need no second layer.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import NamedTuple
from urllib.parse import quote, unquote, unquote_plus

from lab.messages import EMPTY, Message, message_of
from lab.page_settings import DEFAULT as DEFAULT_SETTINGS, HIDEABLE, LANGS, VIEW_MODES, PageSettings
from lab.scene import SHOWN, shown, LR_RANGE, MAX_LABEL, MAX_RUNS, MAX_SEED, MAX_STEPS, MIN_STEPS, Run, Scene
from optimizers import OPTIMIZERS
from optimizers.schedules import SCHEDULES
from surfaces import FORMULA, SURFACES, surface_record
from surfaces.base import Box

MAX_QUERY = 20_000  # characters read from a link; the rest is ignored with a warning
MAX_WARNINGS = 20  # listed one by one; the rest are counted in one last line
MAX_NUMBER_TEXT = 64  # longer "numbers" are rejected without parsing
MAX_CHOICES = 12  # valid names listed in a warning

# view= is the page's mode (present) or, in links written before box=, a view box
KEYS = ("lesson", "surface", "formula", "steps", "epochs", "start", "seed", "box", "run", "lang", "view", "hide", "predict")
RUN_KEYS = ("lr", "schedule", "batch", "shuffle", "label")
_DEFAULT_SCENE = Scene()
_DEFAULT_RUN = Run()
_LABEL_ESCAPES = (("%", "%25"), (",", "%2C"))  # '%' first; ':' and '=' only count the first time
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


# A link's formula, surface or lesson that could not be used, and how to say so without the fallback:
# the page draws the fallback with a warning, but a file of another surface than asked must not be written.
REFUSALS = {
    "query.bad_formula": "query.refused_formula",
    "query.bad_surface": "query.refused_surface",
    "query.bad_lesson": "query.refused_lesson",
    "json.formula_failed": "json.refused_formula",
}


class ParseResult(NamedTuple):
    scene: Scene
    warnings: tuple[str, ...]  # Messages: English as str, ``.text("zh")`` in Chinese
    lesson: str | None  # the lesson the scene starts from, if the link named a valid one
    settings: PageSettings = DEFAULT_SETTINGS  # how the page shows it: language, mode, hidden controls


# ---------------------------------------------------------------- writing


def number_text(x: float) -> str:
    """The shortest text that reads back as exactly ``x``: repr without '.0' or 'e+0'."""
    mantissa, e, exponent = repr(float(x)).partition("e")
    if mantissa.endswith(".0"):
        mantissa = mantissa[:-2]
    return mantissa + (f"e{int(exponent)}" if e else "")


def _label_text(label: str) -> str:
    for char, escape in _LABEL_ESCAPES:
        label = label.replace(char, escape)
    return label


def _param_items(pairs, params) -> list[str]:
    """``name=value`` for the set hyperparameters, in the registry's order."""
    values = dict(pairs)
    return [f"{p.name}={number_text(values[p.name])}" for p in params if p.name in values]


def run_text(run: Run) -> str:
    """A run as ``OPTIMIZER[:key=value,...]``, only non-default keys, in a fixed order."""
    items = [f"lr={number_text(run.lr)}"] if run.lr != _DEFAULT_RUN.lr else []
    items += _param_items(run.params, OPTIMIZERS[run.optimizer].params)
    if run.schedule != _DEFAULT_RUN.schedule:
        items.append(f"schedule={run.schedule}")
    items += _param_items(run.schedule_params, SCHEDULES[run.schedule].params)
    if run.batch_size:
        items.append(f"batch={run.batch_size}")
    if not run.shuffle:
        items.append("shuffle=0")
    if run.label:
        items.append(f"label={_label_text(run.label)}")
    return run.optimizer + (":" + ",".join(items) if items else "")


def to_query(scene: Scene, base: Scene | None = None, lesson: str | None = None,
             settings: PageSettings = DEFAULT_SETTINGS) -> str:
    """``?key=value&...`` with what differs from ``base`` (``Scene()``); "" when nothing does.

    With ``lesson`` the link starts ``lesson=ID`` and ``base`` should be that lesson's scene:
    the link then carries only the changes, and keeps the lesson (and its caption) in view.
    The page's ``settings`` (language, mode, hidden controls) come last.
    """
    d = base if base is not None else _DEFAULT_SCENE
    pairs = [("lesson", lesson)] if lesson else []
    if scene.formula and scene.formula != d.formula:
        pairs.append(("formula", scene.formula))  # the formula names its surface
    elif scene.surface != d.surface:
        pairs.append(("surface", scene.surface))
    if scene.steps != d.steps:
        pairs.append(("steps", str(scene.steps)))
    if scene.epochs != d.epochs:
        pairs.append(("epochs", str(scene.epochs)))
    if scene.start != d.start:  # None is the surface's own start: written out when the base has another
        pairs.append(("start", ",".join(map(number_text, scene.start_point))))
    if scene.seed != d.seed:
        pairs.append(("seed", str(scene.seed)))
    if scene.view != d.view:
        pairs.append(("box", ",".join(map(number_text, scene.view_box))))
    if scene.runs != d.runs:
        pairs += [("run", run_text(run)) for run in scene.runs]
    pairs += settings.query_pairs()
    if not pairs:
        return ""
    return "?" + "&".join(f"{key}={quote(value, safe=':,=', errors='surrogatepass')}" for key, value in pairs)


def _raw(value, flag: bool = False) -> str:
    """A control's raw value as query text: numbers exactly, anything else as typed.

    A boolean is 1 or 0 only where a flag is expected (shuffle); elsewhere it is kept as
    'true'/'false', so that a number field sent True is refused with a message, not read as 1."""
    if isinstance(value, bool):
        return ("1" if value else "0") if flag else str(value).lower()
    if isinstance(value, int) and abs(value) > 2**53:  # 10**4000 overflows float(); it is out of range anyway
        return str(value)[:MAX_NUMBER_TEXT + 1]
    if isinstance(value, (int, float)):
        return number_text(value) if math.isfinite(value) else str(value)
    return str(value).strip()


def compose_query(fields: dict, runs: list[dict]) -> str:
    """A query from raw control values, to be read back by ``from_query`` (which validates and warns).

    ``fields``: surface, formula, steps, epochs, start (x, y), view (x_min, x_max, y_min, y_max), seed; ``runs``: dicts with optimizer, lr,
    schedule, batch, shuffle, label and ``params`` (optimizer and schedule parameters by name).
    Empty values are left out, so they take their defaults.
    """
    pairs = []
    for key in ("surface", "steps", "epochs", "seed"):
        if fields.get(key) not in (None, ""):
            pairs.append((key, _raw(fields[key])))
    if fields.get("surface") == FORMULA:
        pairs.append(("formula", str(fields.get("formula") or "")))
    for key, name, count in (("start", "start", 2), ("view", "box", 4)):
        values = fields.get(key)
        if values and len(values) == count and all(v not in (None, "") for v in values):
            pairs.append((name, ",".join(_raw(v) for v in values)))
    for run in runs:
        items = [f"{key}={_raw(run[key], key == 'shuffle')}" for key in ("lr", "schedule", "batch", "shuffle")
                 if run.get(key) not in (None, "")]
        items += [f"{name}={_raw(v)}" for name, v in (run.get("params") or {}).items() if v not in (None, "")]
        if run.get("label"):
            items.append(f"label={_label_text(str(run['label']))}")
        text = _raw(run.get("optimizer") or "gd") + (":" + ",".join(items) if items else "")
        pairs.append(("run", text))
    return "?" + "&".join(f"{key}={quote(value, safe=':,=', errors='surrogatepass')}" for key, value in pairs)


# ---------------------------------------------------------------- reading helpers




def _choices(names) -> Message:
    """Valid names for a warning, at most MAX_CHOICES of them."""
    names = list(names)
    more = Message("query.choices_more", count=len(names)) if len(names) > MAX_CHOICES else EMPTY
    return Message("query.choices", names=", ".join(names[:MAX_CHOICES]), more=more)


def _limit(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() and abs(x) < 1e15 else number_text(x)


class _Notes:
    """The warnings of one parse, capped so that a hostile link cannot flood the page."""

    def __init__(self):
        self.items: list[Message] = []
        self.dropped = 0

    def add(self, message: Message) -> None:
        if len(self.items) < MAX_WARNINGS or message.key in REFUSALS:  # a refusal is never counted away
            self.items.append(message)
        else:
            self.dropped += 1

    def result(self) -> tuple[str, ...]:
        more = (Message("query.more_problems", count=self.dropped),) if self.dropped else ()
        return (*self.items, *more)


def _name(text: str, registry) -> str | None:
    """The registry key ``text`` names (case and surrounding spaces ignored), or None."""
    key = text.strip()
    if key in registry:
        return key
    key = key.lower()
    return key if key in registry else None


def _number(text: str) -> float | None:
    """A finite float, or None. A space is read as '+', which forms turn into spaces."""
    text = text.strip().replace(" ", "+")
    if not text or len(text) > MAX_NUMBER_TEXT:
        return None
    try:
        x = float(text)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _ranged(notes, where, key, text, low, high, fallback, whole=False):
    """``text`` as a number in [low, high] (whole if asked), else ``fallback`` with a warning."""
    x = _number(text)
    if x is not None and low <= x <= high and (not whole or x.is_integer()):
        return int(x) if whole else x
    kind = Message("query.kind_whole" if whole else "query.kind_number")
    expected = Message("query.expected_range", kind=kind, low=_limit(low), high=_limit(high))
    notes.add(Message("query.not_expected", where=where, key=key, value=shown(text), expected=expected, fallback=fallback))
    return None


def _numbers(notes, key, text, count, meaning, fallback):
    """``count`` finite comma-separated numbers, or None with a warning."""
    parts = text.split(",", count)
    values = [_number(p) for p in parts]
    if len(parts) == count and None not in values:
        return tuple(values)
    notes.add(Message("query.not_n_numbers", key=key, value=shown(text), count=count, meaning=meaning, fallback=fallback))
    return None


def _view(notes, text: str, fallback: str, key: str = "box") -> Box | None:
    """A view box with x_min < x_max and y_min < y_max, or None with a warning."""
    values = _numbers(notes, key, text, 4, "x_min,x_max,y_min,y_max", fallback)
    if values is None:
        return None
    box = Box(*values)
    if box.x_min < box.x_max and box.y_min < box.y_max:
        return box
    notes.add(Message("query.view_order", key=key, value=shown(text), fallback=fallback))
    return None


def _box_text(given: dict[str, str]) -> tuple[str, str] | None:
    """(key, text) of the link's view box: ``box=``, or ``view=`` with numbers (links before box=)."""
    if "box" in given:
        return "box", given["box"]
    view = given.get("view")
    if view is not None and view.strip().lower() not in VIEW_MODES:
        return "view", view
    return None


def _settings(notes, given: dict[str, str]) -> PageSettings:
    """Language, mode, hidden controls and predict-then-reveal; each bad value warned and left out."""
    fields = {}
    if "lang" in given:
        lang = given["lang"].strip().lower()
        lang = {"zh-cn": "zh", "zh-hans": "zh", "cn": "zh"}.get(lang, lang)
        if lang in LANGS:
            fields["lang"] = lang
        else:
            notes.add(Message("query.bad_lang", value=shown(given["lang"]), choices=", ".join(LANGS)))
    mode = given.get("view", "").strip().lower()
    if mode in VIEW_MODES:
        fields["present"] = mode == "present"
    if "hide" in given:
        names = [n.strip().lower() for n in given["hide"].split(",") if n.strip()]
        unknown = [n for n in names if n not in HIDEABLE]
        if unknown:
            notes.add(Message("query.bad_hide", value=shown(",".join(unknown)), choices=_choices(HIDEABLE)))
        fields["hide"] = frozenset(n for n in names if n in HIDEABLE)
    if "predict" in given:
        flag = given["predict"].strip().lower()
        if flag in _TRUE + _FALSE:
            fields["predict"] = flag in _TRUE
        else:
            notes.add(Message("query.bad_predict", value=shown(given["predict"])))
    return PageSettings(**fields)


def _query_part(query, notes: _Notes) -> str:
    """The query of ``query``: with or without '?', or taken out of a full URL."""
    if not isinstance(query, str):
        notes.add(Message("query.not_text", type=type(query).__name__))
        return ""
    if len(query) > MAX_QUERY:
        notes.add(Message("query.too_long", length=f"{len(query):,}", limit=f"{MAX_QUERY:,}"))
        query = query[:MAX_QUERY]
    query = query.partition("#")[0]
    if "?" in query:
        return query.partition("?")[2]
    first_key = query.partition("&")[0].partition("=")[0]
    return "" if "://" in first_key else query  # a URL without a query


def _pairs(query: str, notes: _Notes):
    """(singular key -> first value, run values in order); unknown and repeated keys warned."""
    singular: dict[str, str] = {}
    runs: list[str] = []
    for piece in query.split("&"):
        if not piece:
            continue
        raw_key, _, raw_value = piece.partition("=")
        key = unquote_plus(raw_key, errors="replace").strip().lower()
        # in a formula typed into a link, '+' is a plus (links written here encode it as %2B)
        value = (unquote if key == "formula" else unquote_plus)(raw_value, errors="replace")
        if key == "run":
            runs.append(value)
        elif key not in KEYS:
            notes.add(Message("query.unknown_key", key=shown(key), keys=_choices(KEYS)))
        elif key in singular:
            notes.add(Message("query.repeated_key", key=key, value=shown(value)))
        else:
            singular[key] = value
    return singular, runs


# ---------------------------------------------------------------- runs


def _data(surface: str):
    """The examples of a registered surface, None for an analytic one or a formula."""
    return SURFACES[surface].data if surface in SURFACES else None


def _batch(notes, where, text, surface: str) -> int:
    """A batch size valid on ``surface`` (0 = full batch), or 0 with a warning."""
    data = _data(surface)
    n_examples = data.n_examples if data is not None else 0
    size = _number(text)
    if size is not None and size.is_integer() and 0 <= size <= n_examples:
        return int(size)
    if n_examples:
        notes.add(Message("query.batch_range", where=where, value=shown(text), count=n_examples, surface=surface))
    else:
        with_data = ", ".join(s.name for s in SURFACES.values() if s.data is not None) or Message("query.none")
        notes.add(Message("query.batch_no_data", where=where, value=shown(text), surface=surface, with_data=with_data))
    return 0


def _run_items(notes, where, text) -> dict[str, str]:
    """The ``key=value`` items of a run, decoded (the inner layer); repeats and bare keys warned."""
    items: dict[str, str] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        raw_key, eq, raw_value = item.partition("=")
        key = unquote(raw_key, errors="replace").strip().lower()
        value = unquote(raw_value, errors="replace")
        if not eq:
            notes.add(Message("query.no_value", where=where, key=shown(key)))
        elif key in items:
            notes.add(Message("query.repeated_run_key", where=where, key=key, value=shown(value)))
        else:
            items[key] = value
    return items


_ALL_OPTIMIZER_PARAMS = {p.name for spec in OPTIMIZERS.values() for p in spec.params}
_ALL_SCHEDULE_PARAMS = {p.name for spec in SCHEDULES.values() for p in spec.params}


def _run(notes, index: int, text: str, surface: str) -> Run:
    """One run value; a bad optimizer becomes gd, a bad key falls back alone."""
    where = Message("query.where_run", index=index)
    raw_name, _, rest = text.partition(":")
    name = unquote(raw_name, errors="replace")
    optimizer = _name(name, OPTIMIZERS)
    if optimizer is None:
        notes.add(Message("query.unknown_optimizer", where=where, name=shown(name), choices=_choices(OPTIMIZERS)))
    items = _run_items(notes, where, rest)
    schedule = _name(items.get("schedule", _DEFAULT_RUN.schedule), SCHEDULES)
    if schedule is None:
        notes.add(
            Message("query.bad_schedule", where=where, value=shown(items["schedule"]), choices=_choices(SCHEDULES))
        )
    params, schedule_params = _run_params(notes, where, items, optimizer, schedule)
    try:
        return Run(
            optimizer=optimizer or _DEFAULT_RUN.optimizer,
            params=params,
            schedule=schedule or _DEFAULT_RUN.schedule,
            schedule_params=schedule_params,
            **_run_settings(notes, where, items, surface),
        )
    except ValueError as error:  # a check of Run's that this parser does not repeat
        notes.add(Message("query.run_failed", where=where, error=message_of(error)))
        return _DEFAULT_RUN


def _run_settings(notes, where, items, surface) -> dict:
    """lr, batch, shuffle and label of a run, each checked alone; only the valid ones."""
    out = {}
    if "lr" in items:
        default = Message("query.the_default", value=number_text(_DEFAULT_RUN.lr))
        lr = _ranged(notes, where, "lr", items["lr"], *LR_RANGE, default)
        if lr is not None:
            out["lr"] = lr
    if "batch" in items:
        out["batch_size"] = _batch(notes, where, items["batch"], surface)
    if "shuffle" in items:
        flag = items["shuffle"].strip().lower()
        if flag in _TRUE + _FALSE:
            out["shuffle"] = flag in _TRUE
        else:
            notes.add(Message("query.bad_shuffle", where=where, value=shown(items["shuffle"])))
    if "label" in items:
        out["label"] = label = items["label"]
        if len(label) > MAX_LABEL:
            notes.add(Message("query.label_long", where=where, value=shown(label), limit=MAX_LABEL))
            out["label"] = label[:MAX_LABEL]
    return out


def _run_params(notes, where, items, optimizer, schedule):
    """The optimizer's and the schedule's hyperparameters among ``items``, each checked alone."""
    opt_params = {p.name: p for p in OPTIMIZERS[optimizer].params} if optimizer else {}
    sched_params = {p.name: p for p in SCHEDULES[schedule].params} if schedule else {}
    params, schedule_params = {}, {}
    for key, text in items.items():
        if key in RUN_KEYS:
            continue
        if key in opt_params or key in sched_params:
            p = opt_params.get(key) or sched_params[key]
            default = Message("query.the_default", value=number_text(p.default))
            whole = getattr(p, "integer", False)
            value = _ranged(notes, where, key, text, p.low, p.high, default, whole=whole)
            if value is not None:
                (params if key in opt_params else schedule_params)[key] = value
        elif optimizer is None and key in _ALL_OPTIMIZER_PARAMS:
            continue  # reported with the unknown optimizer
        elif schedule is None and key in _ALL_SCHEDULE_PARAMS:
            continue  # reported with the unknown schedule
        else:
            valid = ", ".join((*RUN_KEYS, *opt_params, *sched_params))
            notes.add(Message("query.unknown_run_key", where=where, key=shown(key), keys=valid))
    return tuple(params.items()), tuple(schedule_params.items())


def _runs(notes, texts: list[str], base: tuple[Run, ...], surface: str) -> tuple[Run, ...]:
    """The link's runs (the first MAX_RUNS), or the base runs with batches checked on ``surface``."""
    if len(texts) > MAX_RUNS:
        notes.add(Message("query.too_many_runs", count=len(texts), limit=MAX_RUNS))
    if texts:
        return tuple(_run(notes, i, text, surface) for i, text in enumerate(texts[:MAX_RUNS], start=1))
    out = []
    for i, run in enumerate(base, start=1):
        if run.batch_size:
            size = _batch(notes, Message("query.where_run", index=i), str(run.batch_size), surface)
            run = run if size == run.batch_size else replace(run, batch_size=size)
        out.append(run)
    return tuple(out)


# ---------------------------------------------------------------- reading


def _epochs(notes, epochs: int, runs: tuple[Run, ...], surface: str) -> int:
    """``epochs`` if the surface has data and no run exceeds MAX_STEPS updates, else 0 with a warning."""
    if not epochs:
        return 0
    data = _data(surface)
    if data is None:
        notes.add(Message("query.epochs_no_data", epochs=epochs, surface=surface))
        return 0
    for i, run in enumerate(runs, start=1):
        updates = epochs * math.ceil(data.n_examples / (run.batch_size or data.n_examples))
        if updates > MAX_STEPS:
            size = run.batch_size or data.n_examples
            notes.add(
                Message(
                    "query.epochs_too_many", epochs=epochs, index=i, size=size, updates=f"{updates:,}",
                    limit=f"{MAX_STEPS:,}",
                )
            )
            return 0
    return epochs


def _lesson(notes, text: str | None):
    """(lesson id, its scene) for a valid ``lesson=`` value, else (None, None)."""
    if text is None:
        return None, None
    from lessons import LESSONS  # lazily: a lesson module may build its scene with from_query

    lesson_id = _name(text, LESSONS)
    if lesson_id is None:
        choices = _choices(LESSONS) if LESSONS else Message("query.no_lessons")
        notes.add(Message("query.bad_lesson", value=shown(text), choices=choices))
        return None, None
    return lesson_id, LESSONS[lesson_id].scene


def _formula_fields(notes, text: str, view_text: str | None, base: Scene) -> dict:
    """surface and formula for a ``formula=`` value that makes a surface, else {} with a warning."""
    view = _view(_Notes(), view_text, "") if view_text else None  # reported with the other keys
    try:
        surface_record(FORMULA, text.strip(), view)
    except ValueError as error:
        # formula and caret (the text, a caret under the place) are for the formula box; the sentence omits them
        notes.add(Message("query.bad_formula", value=shown(text), error=message_of(error), surface=base.surface,
                          formula=text.strip(), caret=getattr(error, "caret", "")))
        return {}
    return {"surface": FORMULA, "formula": text.strip()}


def _surface_fields(notes, given: dict[str, str], base: Scene) -> dict:
    """surface (and formula) from ``surface=`` and ``formula=``; a formula names its own surface."""
    if "formula" in given:
        if given.get("surface", FORMULA).strip().lower() != FORMULA:
            notes.add(Message("query.surface_ignored", value=shown(given["surface"])))
        box = _box_text(given)
        return _formula_fields(notes, given["formula"], box[1] if box else None, base)
    if "surface" not in given:
        return {}
    name = _name(given["surface"], SURFACES)
    if name is None:
        more = Message("query.formula_needs_text") if given["surface"].strip().lower() == FORMULA else EMPTY
        notes.add(
            Message(
                "query.bad_surface", value=shown(given["surface"]), more=more, surface=base.surface,
                choices=_choices(SURFACES),
            )
        )
        return {}
    return {"surface": name, "formula": ""}


def _fields(notes, given: dict[str, str], base: Scene) -> dict:
    """The scene keys of the link other than runs, each checked alone; only the valid ones."""
    fields = _surface_fields(notes, given, base)
    for key, low, high in (("steps", MIN_STEPS, MAX_STEPS), ("epochs", 0, MAX_STEPS), ("seed", 0, MAX_SEED)):
        if key in given:
            fallback = f"{getattr(base, key):,}"
            fields[key] = _ranged(notes, "", key, given[key], low, high, fallback, whole=True)
    if "start" in given:
        fallback = Message("query.surface_start" if base.start is None else "query.lesson_start")
        fields["start"] = _numbers(notes, "start", given["start"], 2, "x,y", fallback)
    box = _box_text(given)
    if box is not None:
        fallback = Message("query.surface_view" if base.view is None else "query.lesson_view")
        fields["view"] = _view(notes, box[1], fallback, key=box[0])
    return {key: value for key, value in fields.items() if value is not None}


def refusals(warnings) -> tuple[Message, ...]:
    """The warnings that refused the formula, surface or lesson asked for, each said without its fallback."""
    return tuple(Message(REFUSALS[w.key], **w.params) for w in warnings if getattr(w, "key", None) in REFUSALS)


def refused_formula(warnings) -> Message | None:
    """The link's refused formula warning (its params hold the text and the caret), or None."""
    return next((w for w in warnings if getattr(w, "key", None) == "query.bad_formula"), None)


def from_query(query: str) -> ParseResult:
    """The scene a link describes, with a warning for every part that could not be used. Never raises."""
    notes = _Notes()
    given, run_texts = _pairs(_query_part(query, notes), notes)
    lesson_id, base = _lesson(notes, given.get("lesson"))
    base = base or _DEFAULT_SCENE
    fields = _fields(notes, given, base)
    surface = fields.get("surface", base.surface)
    fields["runs"] = _runs(notes, run_texts, base.runs, surface)
    fields["epochs"] = _epochs(notes, fields.get("epochs", base.epochs), fields["runs"], surface)
    try:
        scene = replace(base, **fields)
    except ValueError as error:  # a check of Scene's that this parser does not repeat
        scene = _without_view(notes, base, fields, error)
    settings = _settings(notes, given)
    return ParseResult(scene, notes.result(), lesson_id, settings)


def _without_view(notes, base: Scene, fields: dict, error: ValueError) -> Scene:
    """The scene without the link's view (one the surface is not finite over), else the default scene."""
    if "view" in fields:
        try:
            scene = replace(base, **{k: v for k, v in fields.items() if k != "view"})
        except ValueError:
            pass
        else:
            notes.add(Message("query.view_failed", error=message_of(error)))
            return scene
    notes.add(Message("query.scene_failed", error=message_of(error)))
    return _DEFAULT_SCENE
