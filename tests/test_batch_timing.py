"""Live timing (shape only, never a timed assert), the H200 loader, the figures and the summary table."""

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
