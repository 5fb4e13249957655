"""The batch page's sections as pure functions of the experiments' numbers (Dash html, no callbacks).

Every English string is in TEXT, so a translation replaces one dict.
"""

from __future__ import annotations

from functools import lru_cache

from dash import dcc, html

from lab.batch_experiments import escape_counts, sharp_flat_experiment
from lab.batch_figures import sharp_flat_figure, sharp_flat_profile_figure, timing_figure
from lab.batch_summary import SUMMARY
from lab.batch_timing import load_gpu_timing, machine_info
from lab.epochs import epoch_positions
from lab.simulate import simulate
from lessons.batch_lab import NOISY_ESCAPE, SHARP_FLAT, SHUFFLE
from surfaces import SURFACES
from ui.batch_measure import SWEEPS, Job

ESCAPE_SEEDS, SHARP_FLAT_SEEDS = 100, 200
SHUFFLE_EPOCHS = (1, 2, 5, 10, 20)
CONTOUR_RESOLUTION = 100  # 160 (the figure's default) sends 370 kB of contour; 100 sends 160 kB  # the epoch ends the shuffle table lists
GRAPH_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}

TEXT = {
    "open_lesson": "Open the lesson in the explorer",
    "progress_idle": "Not measured on this server yet: press the button (about 5-10 s; the page stays usable).",
    "progress_run": "Measuring batch size {batch} ({threads}): {done} of {total} measurements",
    "progress_done": "Measured on this server: {sizes} batch sizes, with 1 thread and with all cores. "
    "Kept for as long as the server runs; every visitor sees these curves.",
    "gpu_missing": "The H200 measurement (data/gpu_batch_timing_h200.csv) could not be read: {error}.",
    "machine_now": "This server (not measured yet)",
    "machine_measured": "Measured on {date}, on",
    "models": "The two devices time different models: the live CPU an MLP 784-{hidden}-10, the H200 an MLP "
    "784-1024-1024-10 (both float32, SGD, cross-entropy, 60,000 MNIST-shaped examples). Compare the curves' "
    "shapes, not their heights. Other requests to this server during the measurement slow it down.",
    "gpu_source": "NVIDIA H200: measured {date} with data/measure_gpu_batch_timing.py (PyTorch, CUDA); "
    "see data/README.md.",
    "escape_head": ("run", "batch size", "seeds that reach the deeper minimum"),
    "escape_row": "{escaped} of {seeds}",
    "full_batch": "full (50)",
    "escape_note": "The lesson's three runs, each from the same start with seeds 0-{last}. A seed has escaped "
    "when full-batch gradient descent from where it ended falls into the deeper minimum.",
    "table_head": ("", "training loss", "testing loss", "seeds in the flat basin"),
    "pm": "{mean:.3f} ± {std:.3f}",
    "table_note": "{seeds} seeds per batch size, starts spread by a Gaussian of σ = 0.1 around the lesson's "
    "start; mean ± standard deviation over seeds, as in Keskar et al. (2017), Table 2.",
    "shuffle_head": "after epoch",
    "shuffle_note": "Where each run stands after whole passes over the 300 examples (batch size 10, 30 updates "
    "per epoch); the minimum of all the data is at ({x:.3f}, {y:.3f}). In order, every epoch ends at the "
    "same point, away from it: a cycle. Shuffled, the epoch ends scatter around the minimum.",
    "summary_head": ("", "Small batch", "Large batch"),
}


@lru_cache(maxsize=1)
def gpu_timing():
    return load_gpu_timing()


def lesson_link(lesson_id: str) -> html.A:
    return html.A(TEXT["open_lesson"], href=f"/?lesson={lesson_id}", className="lesson-link", id=f"open-{lesson_id}")


def _table(head, rows, class_name: str = "") -> html.Div:
    """A table in a scrolling box, so a narrow phone scrolls the table and not the page."""
    return html.Div(
        className="table-box",
        children=html.Table(
            className=f"batch-table {class_name}".strip(),
            children=[html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody([html.Tr(r) for r in rows])],
        ),
    )


def timing_curves(job: Job):
    """The live CPU curves (once measured) and the H200 curve: (curves, a message if the H200 file failed)."""
    try:
        gpu = (gpu_timing(),)
        problem = None
    except (OSError, ValueError, KeyError) as error:
        gpu, problem = (), TEXT["gpu_missing"].format(error=error)
    return (*(job.result or ()), *gpu), problem


def timing_figures(job: Job):
    curves, _ = timing_curves(job)
    return timing_figure(curves, "update"), timing_figure(curves, "epoch")


def progress_view(job: Job) -> list:
    """What the progress line says: a bar while measuring, else done, idle or the error."""
    if job.result is not None:
        return [html.Span(TEXT["progress_done"].format(sizes=len(SWEEPS[job.sweep]["batch_sizes"])))]
    if job.running:
        batch, threads = job.current or ("...", "")
        return [
            html.Progress(id="timing-bar", value=str(job.done), max=job.total),
            html.Span(TEXT["progress_run"].format(batch=batch, threads=threads, done=job.done, total=job.total)),
        ]
    if job.error:
        return [html.Span(job.error[:1].upper() + job.error[1:] + ".", className="batch-error")]
    return [html.Span(TEXT["progress_idle"])]


def machine_view(job: Job) -> html.Div:
    """The CPU the curves come from (at measurement time), or this server's before measuring."""
    if job.result:
        heading, pairs = TEXT["machine_measured"].format(date=job.result[0].date), job.result[0].machine
    else:
        heading, pairs = TEXT["machine_now"], machine_info()
    items = [html.Div([html.Dt(name), html.Dd(value)]) for name, value in pairs]
    return html.Div([html.Strong(heading), html.Dl(items, className="machine")])


@lru_cache(maxsize=1)  # the same numbers for every visitor: built once per process
def escape_table() -> html.Div:
    counts = escape_counts(NOISY_ESCAPE.scene, ESCAPE_SEEDS)
    rows = [
        [html.Td(c.label), html.Td(c.batch_size or TEXT["full_batch"]),
         html.Td(TEXT["escape_row"].format(escaped=c.escaped, seeds=c.seeds), className="count")]
        for c in counts
    ]
    return html.Div([_table(TEXT["escape_head"], rows, "escape-table"),
                     html.P(TEXT["escape_note"].format(last=ESCAPE_SEEDS - 1), className="note")])


@lru_cache(maxsize=1)  # the same numbers for every visitor: built once per process
def sharp_flat_view() -> html.Div:
    """The ensemble over the contours, the lecture's profile picture, and the Keskar-style table."""
    experiment = sharp_flat_experiment(SHARP_FLAT.scene, SHARP_FLAT_SEEDS)
    rows = []
    for s in sorted((r.summary() for r in experiment), key=lambda s: s["batch_size"]):
        rows.append([
            html.Th(s["label"]),
            html.Td(TEXT["pm"].format(mean=s["train_mean"], std=s["train_std"])),
            html.Td(TEXT["pm"].format(mean=s["test_mean"], std=s["test_std"])),
            html.Td(f"{s['flat']} of {s['seeds']}"),
        ])
    return html.Div([
        html.Div(className="graph-row", children=[
            dcc.Graph(id="sharp-flat-graph", className="batch-graph", figure=sharp_flat_figure(experiment, resolution=CONTOUR_RESOLUTION), config=GRAPH_CONFIG),
            dcc.Graph(id="sharp-flat-profile", className="batch-graph", figure=sharp_flat_profile_figure(experiment), config=GRAPH_CONFIG),
        ]),
        _table(TEXT["table_head"], rows, "keskar-table"),
        html.P(TEXT["table_note"].format(seeds=SHARP_FLAT_SEEDS), className="note"),
    ])


@lru_cache(maxsize=1)  # the same numbers for every visitor: built once per process
def shuffle_table() -> html.Div:
    """Epoch-end positions of the shuffle lesson's two runs (a 1,200-update simulation: cheap)."""
    (x_min, y_min), = SURFACES[SHUFFLE.scene.surface].minima
    rows = []
    for run, trajectory in zip(SHUFFLE.scene.runs, simulate(SHUFFLE.scene)):
        epochs, xs, ys = epoch_positions(trajectory)
        at = {int(e): (x, y) for e, x, y in zip(epochs, xs, ys)}
        rows.append([html.Th(run.display_label())] + [
            html.Td(f"({at[e][0]:.3f}, {at[e][1]:.3f})" if e in at else "") for e in SHUFFLE_EPOCHS
        ])
    head = (TEXT["shuffle_head"], *map(str, SHUFFLE_EPOCHS))
    return html.Div([_table(head, rows, "shuffle-table"),
                     html.P(TEXT["shuffle_note"].format(x=x_min, y=y_min), className="note")])


@lru_cache(maxsize=1)  # the same numbers for every visitor: built once per process
def summary_table() -> html.Div:
    """The lecture's table; every cell links to the panel or lesson that shows it."""
    def cell(text, shown):
        return html.Td(html.A(text, href=shown.href, title=shown.name, className="summary-link"))

    rows = [[html.Th(r.aspect_en), cell(r.small, r.small_shown), cell(r.large, r.large_shown)] for r in SUMMARY]
    return _table(TEXT["summary_head"], rows, "summary-table")
