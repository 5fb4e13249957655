"""The batch page's sections as pure functions of the experiments' numbers (Dash html, no callbacks).

Every English string is in TEXT, and its Chinese in TEXT_ZH; each builder takes ``lang``.
"""

from __future__ import annotations

from functools import lru_cache

from dash import dcc, html

from lab.batch_experiments import escape_counts, sharp_flat_experiment
from lab.batch_figures import run_text, sharp_flat_figure, sharp_flat_profile_figure, timing_figure
from lab.batch_summary import SUMMARY
from lab.batch_timing import PARALLEL_FROM_BATCH, load_gpu_timing, machine_info, parallel_time_ratio
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
    "parallel_slower": "On this server, parallel threads did not help at the time of the measurement: at batch "
    "sizes of {batch} and more, an update with all {cores} cores took {ratio:.1f}× as long as with 1 core (median). "
    "The load average (1, 5, 15 min) was {load} on {cores} cores: the cores were busy with other work, so the "
    "threads waited for each other. A multi-core CPU with free cores, or a GPU, does not do this: see the H200 "
    "curve. These curves are kept until the server restarts; only a measurement on an idle server shows what "
    "parallel threads do on this CPU.",
    "parallel_one_core": "This server lets the measurement use only 1 core, so the \"all cores\" curve is a second "
    "1-thread measurement and cannot show parallel computing: see the H200 curve.",
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
    "flat_count": "{flat} of {seeds}",
    "1 thread": "1 thread",
    "all cores": "all cores",
    "error_busy": "The '{detail}' measurement is running; try again when it ends.",
    "error_failed": "The measurement failed: {detail}.",
}
TEXT_ZH = {
    "open_lesson": "在探索页面打开这一课",
    "progress_idle": "这台服务器还没有测量：请按按钮（大约 5-10 秒；测量时网页照常可用）。",
    "progress_run": "正在测量批次大小 {batch}（{threads}）：共 {total} 次测量，已完成 {done} 次",
    "progress_done": "已在这台服务器上测量：{sizes} 种批次大小，单线程与全部核心各一次。"
    "服务器运行期间一直保留；每位访客看到的是同样的曲线。",
    "gpu_missing": "无法读取 H200 的测量结果（data/gpu_batch_timing_h200.csv）：{error}。",
    "machine_now": "这台服务器（尚未测量）",
    "machine_measured": "测量于 {date}，机器：",
    "models": "两台设备计时的是不同的模型：现场的 CPU 是 MLP 784-{hidden}-10，H200 是 MLP "
    "784-1024-1024-10（都是 float32、SGD、交叉熵、60,000 笔 MNIST 形状的资料）。请比较曲线的形状，"
    "而不是高低。测量期间这台服务器上的其他请求会让它变慢。",
    "parallel_slower": "测量时，平行线程在这台服务器上没有帮上忙：批次大小 {batch} 以上时，用全部 {cores} 个核心"
    "做一次更新的时间是单核的 {ratio:.1f} 倍（中位数）。当时的平均负载（1、5、15 分钟）是 {load}，而只有 {cores} "
    "个核心：核心正忙着别的工作，线程只能互相等待。有空闲核心的多核 CPU 或 GPU 不会这样：请看 H200 的曲线。"
    "这些曲线会保留到服务器重启；只有在服务器空闲时测量，才能看出平行线程在这个 CPU 上的效果。",
    "parallel_one_core": "这台服务器只让测量用 1 个核心，所以“全部核心”的曲线其实是第二次单线程测量，"
    "显示不出平行运算：请看 H200 的曲线。",
    "gpu_source": "NVIDIA H200：{date} 用 data/measure_gpu_batch_timing.py（PyTorch、CUDA）测量；"
    "见 data/README.md。",
    "escape_head": ("运行", "批次大小", "走到较深最小值的随机种子数"),
    "escape_row": "{seeds} 个中 {escaped} 个",
    "full_batch": "全部（50）",
    "escape_note": "本课的三个运行，都从同一个起点出发，随机种子 0-{last}。若从一个种子停下的地方做全批次"
    "梯度下降会落入较深的最小值，就算这个种子逃出来了。",
    "table_head": ("", "训练损失", "测试损失", "落在平坦盆地的随机种子数"),
    "pm": "{mean:.3f} ± {std:.3f}",
    "table_note": "每种批次大小 {seeds} 个随机种子，起点在本课的起点附近按 σ = 0.1 的高斯分布散开；"
    "表中是各种子的平均值 ± 标准差，同 Keskar 等人（2017）的表 2。",
    "shuffle_head": "第几个回合之后",
    "shuffle_note": "每个运行在完整看过 300 笔资料若干遍之后所在的位置（批次大小 10，每个回合更新 30 次）；"
    "全部资料的最小值在 ({x:.3f}, {y:.3f})。按顺序时，每个回合都停在同一个点，离最小值有段距离：一个循环。"
    "打乱之后，各回合的终点散布在最小值周围。",
    "summary_head": ("", "小的批次", "大的批次"),
    "flat_count": "{seeds} 个中 {flat} 个",
    "1 thread": "单线程",
    "all cores": "全部核心",
    "error_busy": "“{detail}”测量正在进行；请在它结束后再试。",
    "error_failed": "测量失败：{detail}。",
}
# The lecture's summary table's cells and where the lab shows each (lab.batch_summary keeps the English).
SUMMARY_ZH = {
    "Faster": "较快", "Slower": "较慢", "Same": "一样", "Same (not too large)": "一样（批次不太大时）",
    "Noisy": "有杂讯（Noisy）", "Stable": "稳定", "Better": "较好", "Worse": "较差",
    "live CPU, 1 core: time per update": "现场的 CPU，单核：每次更新的时间",
    "H200: time per update": "H200：每次更新的时间",
    "time per epoch": "每个回合的时间",
    "lesson: Full batch vs batch size 1": "课程：全批次与批次大小 1",
    "lesson: escaping a local minimum": "课程：逃出局部最小值",
    "escape count over 100 seeds": "100 个随机种子中逃出的个数",
    "lesson: flat vs sharp minima": "课程：平坦与尖锐的最小值",
    "200 seeds: training and testing loss": "200 个随机种子：训练损失与测试损失",
}


# The names of lab.batch_timing's machine description (its values are the machine's own).
MACHINE_ZH = {
    "cores usable": "可用核心数", "BLAS threads by default": "BLAS 默认线程数", "platform": "平台",
    "load average (1, 5, 15 min)": "平均负载（1、5、15 分钟）", "measured": "测量于", "script": "脚本",
}


def words(lang: str = "en") -> dict:
    """The sections' words in ``lang``."""
    return TEXT_ZH if lang == "zh" else TEXT


def _summary(text: str, lang: str) -> str:
    return SUMMARY_ZH.get(text, text) if lang == "zh" else text


@lru_cache(maxsize=1)
def gpu_timing():
    return load_gpu_timing()


def lesson_link(lesson_id: str, lang: str = "en") -> html.A:
    href = f"/?lesson={lesson_id}" + ("&lang=zh" if lang == "zh" else "")
    return html.A(words(lang)["open_lesson"], href=href, className="lesson-link", id=f"open-{lesson_id}")


def _table(head, rows, class_name: str = "") -> html.Div:
    """A table in a scrolling box, so a narrow phone scrolls the table and not the page."""
    return html.Div(
        className="table-box",
        children=html.Table(
            className=f"batch-table {class_name}".strip(),
            children=[html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody([html.Tr(r) for r in rows])],
        ),
    )


def timing_curves(job: Job, lang: str = "en"):
    """The live CPU curves (once measured) and the H200 curve: (curves, a message if the H200 file failed)."""
    try:
        gpu = (gpu_timing(),)
        problem = None
    except (OSError, ValueError, KeyError) as error:
        gpu, problem = (), words(lang)["gpu_missing"].format(error=error)
    return (*(job.result or ()), *gpu), problem


def timing_figures(job: Job, lang: str = "en"):
    curves, _ = timing_curves(job, lang)
    return timing_figure(curves, "update", lang), timing_figure(curves, "epoch", lang)


def parallel_note(result, lang: str = "en") -> str | None:
    """Why the all-cores CPU curve is not faster than the 1-core one, when it is not; None when it is.

    ``result`` is a measurement's curves, 1 thread then all cores (lab.batch_timing.THREADS).
    Judged by the median time ratio at batch sizes >= PARALLEL_FROM_BATCH (small batches gain little anyway).
    """
    if not result or len(result) < 2:
        return None
    one_core, all_cores = result[0], result[1]
    machine = dict(all_cores.machine)
    text = words(lang)
    if machine.get("cores usable") == "1":
        return text["parallel_one_core"]
    ratio = parallel_time_ratio(one_core, all_cores)
    if ratio is None or ratio < 1.0:
        return None
    return text["parallel_slower"].format(batch=PARALLEL_FROM_BATCH, cores=machine.get("cores usable", "?"),
                                          ratio=ratio, load=machine.get("load average (1, 5, 15 min)", "?"))


def parallel_view(job: Job, lang: str = "en") -> list:
    """The timing section's note under the plots: ``parallel_note`` as a paragraph, or nothing."""
    note = parallel_note(job.result, lang)
    return [html.P(note, className="note parallel-note")] if note else []


def progress_view(job: Job, lang: str = "en") -> list:
    """What the progress line says: a bar while measuring, else done, idle or the error."""
    text = words(lang)
    if job.result is not None:
        return [html.Span(text["progress_done"].format(sizes=len(SWEEPS[job.sweep]["batch_sizes"])))]
    if job.running:
        batch, threads = job.current or ("...", "")
        threads = text.get(threads, threads)
        return [
            html.Progress(id="timing-bar", value=str(job.done), max=job.total),
            html.Span(text["progress_run"].format(batch=batch, threads=threads, done=job.done, total=job.total)),
        ]
    if job.error:  # a failing library's own message stays in its words, inside the page's sentence
        kind, detail = job.error
        return [html.Span(text[f"error_{kind}"].format(detail=detail), className="batch-error")]
    return [html.Span(text["progress_idle"])]


def machine_view(job: Job, lang: str = "en") -> html.Div:
    """The CPU the curves come from (at measurement time), or this server's before measuring."""
    text = words(lang)
    if job.result:
        heading, pairs = text["machine_measured"].format(date=job.result[0].date), job.result[0].machine
    else:
        heading, pairs = text["machine_now"], machine_info()
    items = [html.Div([html.Dt(MACHINE_ZH.get(name, name) if lang == "zh" else name), html.Dd(value)])
             for name, value in pairs]
    return html.Div([html.Strong(heading), html.Dl(items, className="machine")])


@lru_cache(maxsize=2)  # the same numbers for every visitor: built once per process and language
def escape_table(lang: str = "en") -> html.Div:
    text = words(lang)
    counts = escape_counts(NOISY_ESCAPE.scene, ESCAPE_SEEDS)
    rows = [
        [html.Td(run_text(c.label, lang)), html.Td(c.batch_size or text["full_batch"]),
         html.Td(text["escape_row"].format(escaped=c.escaped, seeds=c.seeds), className="count")]
        for c in counts
    ]
    return html.Div([_table(text["escape_head"], rows, "escape-table"),
                     html.P(text["escape_note"].format(last=ESCAPE_SEEDS - 1), className="note")])


@lru_cache(maxsize=2)  # the same numbers for every visitor: built once per process and language
def sharp_flat_view(lang: str = "en") -> html.Div:
    """The ensemble over the contours, the lecture's profile picture, and the Keskar-style table."""
    text = words(lang)
    experiment = sharp_flat_experiment(SHARP_FLAT.scene, SHARP_FLAT_SEEDS)
    rows = []
    for s in sorted((r.summary() for r in experiment), key=lambda s: s["batch_size"]):
        rows.append([
            html.Th(run_text(s["label"], lang)),
            html.Td(text["pm"].format(mean=s["train_mean"], std=s["train_std"])),
            html.Td(text["pm"].format(mean=s["test_mean"], std=s["test_std"])),
            html.Td(text["flat_count"].format(flat=s["flat"], seeds=s["seeds"])),
        ])
    contours = sharp_flat_figure(experiment, resolution=CONTOUR_RESOLUTION, lang=lang)
    return html.Div([
        html.Div(className="graph-row", children=[
            dcc.Graph(id="sharp-flat-graph", className="batch-graph", figure=contours, config=GRAPH_CONFIG),
            dcc.Graph(id="sharp-flat-profile", className="batch-graph",
                      figure=sharp_flat_profile_figure(experiment, lang=lang), config=GRAPH_CONFIG),
        ]),
        _table(text["table_head"], rows, "keskar-table"),
        html.P(text["table_note"].format(seeds=SHARP_FLAT_SEEDS), className="note"),
    ])


@lru_cache(maxsize=2)  # the same numbers for every visitor: built once per process and language
def shuffle_table(lang: str = "en") -> html.Div:
    """Epoch-end positions of the shuffle lesson's two runs (a 1,200-update simulation: cheap)."""
    (x_min, y_min), = SURFACES[SHUFFLE.scene.surface].minima
    rows = []
    for run, trajectory in zip(SHUFFLE.scene.runs, simulate(SHUFFLE.scene)):
        epochs, xs, ys = epoch_positions(trajectory)
        at = {int(e): (x, y) for e, x, y in zip(epochs, xs, ys)}
        rows.append([html.Th(run_text(run.display_label(), lang))] + [
            html.Td(f"({at[e][0]:.3f}, {at[e][1]:.3f})" if e in at else "") for e in SHUFFLE_EPOCHS
        ])
    text = words(lang)
    head = (text["shuffle_head"], *map(str, SHUFFLE_EPOCHS))
    return html.Div([_table(head, rows, "shuffle-table"),
                     html.P(text["shuffle_note"].format(x=x_min, y=y_min), className="note")])


@lru_cache(maxsize=2)  # the same table for every visitor: built once per process and language
def summary_table(lang: str = "en") -> html.Div:
    """The lecture's table; every cell links to the panel or lesson that shows it."""
    def cell(text, shown):
        href = shown.href
        if lang == "zh":  # the page it opens keeps the language
            href = href + "&lang=zh" if shown.kind == "lesson" else href.replace("#", "?lang=zh#")
        return html.Td(html.A(_summary(text, lang), href=href, title=_summary(shown.name, lang), className="summary-link"))

    rows = [[html.Th(r.aspect_zh if lang == "zh" else r.aspect_en), cell(r.small, r.small_shown),
             cell(r.large, r.large_shown)] for r in SUMMARY]
    return _table(words(lang)["summary_head"], rows, "summary-table")
