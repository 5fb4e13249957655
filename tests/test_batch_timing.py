"""Live timing (shape only, never a timed assert), the H200 loader, the figures and the summary table."""

import dataclasses

import numpy as np
import pytest

from lab import batch_timing
from lab.batch_experiments import sharp_flat_experiment
from lab.batch_figures import sharp_flat_figure, sharp_flat_profile_figure, timing_figure
from lab.batch_summary import SUMMARY
from lab.batch_timing import Progress, load_gpu_timing, measure, sweep, updates_per_epoch
from lessons import LESSONS
from lessons.batch_lab import SHARP_FLAT


def test_the_h200_file_parses_with_its_device_and_date():
    gpu = load_gpu_timing()
    assert "H200" in gpu.label and "2026-11-26" in gpu.label
    assert gpu.batch_sizes[0] == 1 and gpu.batch_sizes[-1] == 60000 and len(gpu.batch_sizes) == 15
    assert gpu.ms_per_update[0] == pytest.approx(0.7116) and gpu.s_per_epoch[0] == pytest.approx(42.696)
    assert all(p10 <= m <= p90 for p10, m, p90 in zip(gpu.ms_p10, gpu.ms_per_update, gpu.ms_p90))
    # s per epoch = updates per epoch x median ms per update, as the README says
    for b, ms, s in zip(gpu.batch_sizes, gpu.ms_per_update, gpu.s_per_epoch):
        assert s == pytest.approx(updates_per_epoch(b) * ms / 1000, rel=5e-3, abs=1e-3)


def test_a_small_sweep_reports_progress_then_one_curve_per_thread_count():
    steps = list(sweep(batch_sizes=(1, 1000), hidden=16, threads=(1, None)))
    assert [p.done for p in steps] == [0, 1, 2, 3, 4] and all(p.total == 4 for p in steps)
    assert all(p.result is None for p in steps[:-1])
    one, every = steps[-1].result
    assert one.batch_sizes == (1, 1000) and "1 core" in one.label and "CPU" in one.label
    assert all(np.isfinite(one.ms_per_update)) and min(one.ms_per_update) > 0
    assert dict(one.machine)["cores usable"].isdigit() and dict(one.machine)["BLAS"]
    # the curve's shape, loosely: an epoch of single examples takes longer than one of batches of 1,000
    assert one.s_per_epoch[0] > one.s_per_epoch[1]


def test_measure_caches_its_result_per_process(monkeypatch):
    calls = []
    monkeypatch.setattr(batch_timing, "_CACHE", {})
    first = measure(batch_sizes=(2, 4), hidden=8, threads=(1,), on_progress=calls.append)
    assert len(calls) == 3 and isinstance(calls[-1], Progress)
    assert measure(batch_sizes=(2, 4), hidden=8, threads=(1,)) is first
    assert batch_timing.cached_timing((2, 4), 8, (1,)) is first


def test_bad_batch_sizes_are_refused_in_one_sentence():
    with pytest.raises(ValueError, match="whole numbers from 1"):
        next(sweep(batch_sizes=(0, 10)))


@pytest.mark.parametrize("quantity, field", [("update", "ms_per_update"), ("epoch", "s_per_epoch")])
def test_timing_figures_have_log_axes_and_one_labelled_trace_per_device(quantity, field):
    gpu = load_gpu_timing()
    fig = timing_figure((gpu,), quantity)
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    (trace,) = fig.data
    assert "H200" in trace.name and "2026-11-26" in trace.name
    assert list(trace.y) == list(getattr(gpu, field))


def test_timing_axes_label_whole_decades_where_the_times_span_two_or_more():
    gpu = load_gpu_timing()
    per_epoch = np.asarray(gpu.s_per_epoch, float)
    assert np.log10(per_epoch.max() / per_epoch.min()) >= 2  # batch 1 to 10,000: decades apart
    assert timing_figure((gpu,), "epoch").layout.yaxis.dtick == 1  # no "2" and "5" between them
    times = tuple(np.linspace(1.0, 5.0, len(gpu.batch_sizes)))
    narrow = dataclasses.replace(gpu, ms_per_update=times, ms_p10=times, ms_p90=times)
    axis = timing_figure((narrow,), "update").layout.yaxis  # under two decades: 1, 2, 5 of each
    assert list(axis.ticktext) == ["0.5", "1", "2", "5", "10"] and axis.dtick is None


def test_sharp_flat_figures_show_every_seed_and_both_losses():
    rows = sharp_flat_experiment(SHARP_FLAT.scene, 200)
    fig = sharp_flat_figure(rows)
    scatters = [t for t in fig.data if t.type == "scatter" and t.mode == "markers"]
    assert [len(t.x) for t in scatters] == [200, 200] and all(np.isfinite(t.x).all() for t in scatters)
    assert "of 200 in the flat basin" in scatters[0].name
    profile = sharp_flat_profile_figure(rows)
    assert [t.name for t in profile.data[:2]] == ["training loss", "testing loss"]
    assert sum(t.type == "histogram" for t in profile.data) == 2


def test_every_summary_cell_points_at_a_panel_or_a_lesson_that_exists():
    assert [r.aspect_en for r in SUMMARY] == [
        "Speed for one update (no parallel)", "Speed for one update (with parallel)", "Time for one epoch",
        "Gradient", "Optimization", "Generalization",
    ]
    for row in SUMMARY:
        for shown in (row.small_shown, row.large_shown):
            assert shown.kind in ("panel", "lesson")
            if shown.kind == "lesson":
                assert shown.id in LESSONS and shown.href == f"/?lesson={shown.id}"
            else:
                assert shown.href.startswith("/batch#")


def test_timing_figures_name_the_device_even_with_one_curve_and_write_batch_sizes_one_way():
    fig = timing_figure((load_gpu_timing(),), "update")
    assert fig.layout.showlegend is True  # Plotly hides a lone trace's legend by default
    ticks = dict(zip(fig.layout.xaxis.tickvals, fig.layout.xaxis.ticktext))
    assert ticks[1000] == "1,000" and ticks[10000] == "10,000" and ticks[100000] == "100,000"


def test_the_minima_are_open_rings_under_the_seeds_and_a_cluster_is_counted():
    rows = sharp_flat_experiment(SHARP_FLAT.scene, 200)
    fig = sharp_flat_figure(rows, resolution=40)
    minima = [i for i, t in enumerate(fig.data) if t.type == "scatter" and t.mode == "markers+text"]
    seeds = [i for i, t in enumerate(fig.data) if t.type == "scatter" and t.mode == "markers"]
    assert len(minima) == 2 and max(minima) < min(seeds)  # drawn first, so a seed on a minimum shows
    assert all(fig.data[i].marker.symbol.endswith("-open") for i in minima)
    assert all(fig.data[i].marker.size >= 8 and fig.data[i].marker.line.width >= 1 for i in seeds)
    # the large batch piles up on the sharp minimum: its count is written beside it
    labels = " ".join(a.text for a in fig.layout.annotations)
    (large,) = [r for r in rows if r.batch_size == 20]
    large_at_sharp = sum(np.hypot(large.end_x - 1.2, large.end_y) < 0.144)
    assert large_at_sharp > 150 and f"{large_at_sharp} seeds" in labels
    # equal scales shrink the plot area instead of widening the range beyond the contour
    assert fig.layout.xaxis.constrain == "domain" and fig.layout.yaxis.scaleanchor == "x"


def test_the_seeds_axis_leaves_room_above_the_tallest_bar():
    rows = sharp_flat_experiment(SHARP_FLAT.scene, 200)
    profile = sharp_flat_profile_figure(rows, bins=60)
    edges = np.linspace(-2.6, 2.2, 61)
    tallest = max(np.histogram(r.end_x, edges)[0].max() for r in rows)
    low, high = profile.layout.yaxis2.range
    assert low == 0 and high == pytest.approx(1.1 * tallest)
