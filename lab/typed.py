"""Typed edits: a number typed into a box that cannot be used keeps the value on screen.

A link that cannot be used falls back to the defaults (lab.query), but a typo in a box must not
change the lesson: η 'abc' typed over a lesson's 0.15 keeps 0.15, says so in one message, and the
box shows 0.15 again. Each typed number is read here first, as the link parser reads it, and a bad
one is replaced by the value of the scene on screen before the controls become a query.
"""

from __future__ import annotations

from typing import NamedTuple

from lab.messages import Message
from lab.query import _limit, _number, _raw, number_text
from lab.scene import LR_RANGE, MAX_SEED, MAX_STEPS, MIN_STEPS, Run, Scene, shown
from lab.strings import LANGS, registry_label
from optimizers import OPTIMIZERS
from optimizers.schedules import SCHEDULES
from surfaces import SURFACES

NUMBER_KIND, WHOLE_KIND = Message("query.kind_number"), Message("query.kind_whole")


class Kept(NamedTuple):
    fields: dict  # the scene's raw values, bad typed numbers replaced by the ones on screen
    runs: list[dict]  # each run's raw values, likewise
    messages: tuple[Message, ...]  # one per value kept: "η 'abc' is not a number from …: kept 0.15"
    shown: dict  # control (kind, index[, name]) -> the text its box shows again


def typed_number(value, low: float, high: float, whole: bool = False):
    """``value`` (a box's text or a number) as a number in [low, high], whole if asked, else None."""
    x = _number(_raw(value)) if value is not None else None
    if x is None or not low <= x <= high or (whole and not x.is_integer()):
        return None
    return int(x) if whole else x


def _name(en: str, zh: str | None = None) -> Message:
    return Message("typed.name", en=en, zh=zh if zh is not None else en)


def _param_name(owner: str, name: str) -> Message:
    """A hyperparameter as its box's label names it (λ (momentum), β₁ …), in either language."""
    return _name(*(registry_label("param", name, lang, owner) for lang in LANGS))


class _Checker:
    """Collects the kept values and their messages of one edit."""

    def __init__(self):
        self.messages: list[Message] = []
        self.shown: dict = {}

    def check(self, control, value, kept, name, low=None, high=None, whole=False, where=""):
        """``value`` if usable, else ``kept`` with a message and the box's text to show again."""
        if low is None:  # any finite number
            ok = _number(_raw(value)) if value is not None else None
        else:
            ok = typed_number(value, low, high, whole)
        if ok is not None:
            return value
        kept = int(kept) if whole else kept
        text = f"{kept:,}" if whole else number_text(kept)
        kind = WHOLE_KIND if whole else NUMBER_KIND
        expected = kind if low is None else Message(
            "query.expected_range", kind=kind, low=_limit(low), high=_limit(high))
        typed = _raw(value) if value is not None else ""
        self.messages.append(Message("typed.kept", where=where, name=name, value=shown(typed), expected=expected,
                                     kept=text))
        self.shown[control] = str(kept) if whole else number_text(kept)
        return kept


def keep_on_screen(fields: dict, runs: list[dict], current: Scene) -> Kept:
    """The controls' raw values with every bad typed number replaced by the one ``current`` shows.

    ``fields`` and ``runs`` are as ``lab.query.compose_query`` takes them; a run's ``params`` hold its
    optimizer's and its schedule's by name. Empty hyperparameter boxes mean the default and an empty
    epochs box "use steps"; an empty η, steps, seed, start or batch box is a typo like any other."""
    checker = _Checker()
    fields = dict(fields)
    if "steps" in fields:
        fields["steps"] = checker.check(("steps",), fields["steps"], current.steps, Message("scene.what_steps"),
                                        MIN_STEPS, MAX_STEPS, whole=True)
    if fields.get("epochs") not in (None, ""):
        fields["epochs"] = checker.check(("epochs", 0), fields["epochs"], current.epochs,
                                         Message("scene.what_epochs"), 0, MAX_STEPS, whole=True)
    if "seed" in fields:
        fields["seed"] = checker.check(("seed",), fields["seed"], current.seed, Message("scene.what_seed"),
                                       0, MAX_SEED, whole=True)
    if fields.get("start") is not None:
        x, y = fields["start"]
        x0, y0 = current.start_point
        fields["start"] = (checker.check(("start-x",), x, x0, Message("typed.start_x")),
                           checker.check(("start-y",), y, y0, Message("typed.start_y")))
    surface = SURFACES.get(fields.get("surface")) if isinstance(fields.get("surface"), str) else None
    n_examples = surface.data.n_examples if surface is not None and surface.data is not None else 0
    out = [_keep_run(checker, i, run, current.runs[i] if i < len(current.runs) else Run(), n_examples)
           for i, run in enumerate(runs)]
    return Kept(fields, out, tuple(checker.messages), checker.shown)


def _keep_run(checker: _Checker, i: int, run: dict, on_screen: Run, n_examples: int) -> dict:
    """One run's raw values, its bad typed numbers replaced by ``on_screen``'s."""
    run = dict(run)
    where = Message("query.where_run", index=i + 1)
    run["lr"] = checker.check(("run-lr", i), run.get("lr"), on_screen.lr, _name("η"), *LR_RANGE, where=where)
    if n_examples and "batch" in run and run["batch"] is not None:
        kept = on_screen.batch_size or n_examples
        if typed_number(run["batch"], 0, n_examples, whole=True) is None:  # 0 is the full batch too
            run["batch"] = checker.check(("run-batch", i), run["batch"], kept, Message("typed.batch"),
                                         1, n_examples, whole=True, where=where)
    optimizer, schedule = run.get("optimizer"), run.get("schedule")
    owners = []
    if isinstance(optimizer, str) and optimizer in OPTIMIZERS:
        kept = on_screen.hyperparams() if on_screen.optimizer == optimizer else OPTIMIZERS[optimizer].defaults()
        owners.append(("run-param", optimizer, OPTIMIZERS[optimizer].params, kept))
    if isinstance(schedule, str) and schedule in SCHEDULES:
        kept = on_screen.schedule_hyperparams() if on_screen.schedule == schedule else SCHEDULES[schedule].defaults()
        owners.append(("run-sched", schedule, SCHEDULES[schedule].params, kept))
    params = dict(run.get("params") or {})
    for kind, owner, specs, kept in owners:
        for p in specs:
            if params.get(p.name) in (None, ""):
                continue  # an empty box: the default, as its placeholder says
            params[p.name] = checker.check((kind, i, p.name), params[p.name], kept[p.name],
                                           _param_name(owner, p.name), p.low, p.high, whole=p.integer, where=where)
    run["params"] = params
    return run
