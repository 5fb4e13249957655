"""The lecture's summary table, small vs large batch, with where the lab shows each row."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shown:
    """Where a claim is shown: a panel of the batch page (``/batch#ID``) or a lesson (``/?lesson=ID``)."""

    kind: str  # "panel" or "lesson"
    id: str
    name: str

    @property
    def href(self) -> str:
        return f"/batch#{self.id}" if self.kind == "panel" else f"/?lesson={self.id}"


@dataclass(frozen=True)
class SummaryRow:
    aspect_en: str
    aspect_zh: str
    small: str
    large: str
    small_shown: Shown
    large_shown: Shown


_CPU_UPDATE = Shown("panel", "timing-update", "live CPU, 1 core: time per update")
_GPU_UPDATE = Shown("panel", "timing-update", "H200: time per update")
_EPOCH = Shown("panel", "timing-epoch", "time per epoch")
_NOISE = Shown("lesson", "batch-size", "lesson: Full batch vs batch size 1")
_ESCAPE = Shown("lesson", "noisy-escape", "lesson: escaping a local minimum")
_ESCAPE_COUNT = Shown("panel", "escape", "escape count over 100 seeds")
_SHARP_FLAT = Shown("lesson", "sharp-flat", "lesson: flat vs sharp minima")
_ENSEMBLE = Shown("panel", "sharp-flat", "200 seeds: training and testing loss")

SUMMARY = (
    SummaryRow("Speed for one update (no parallel)", "一次更新的速度（没有平行运算）", "Faster", "Slower", _CPU_UPDATE, _CPU_UPDATE),
    SummaryRow("Speed for one update (with parallel)", "一次更新的速度（有平行运算）", "Same", "Same (not too large)", _GPU_UPDATE, _GPU_UPDATE),
    SummaryRow("Time for one epoch", "跑完一个 epoch 的时间", "Slower", "Faster", _EPOCH, _EPOCH),
    SummaryRow("Gradient", "梯度", "Noisy", "Stable", _NOISE, _NOISE),
    SummaryRow("Optimization", "优化", "Better", "Worse", _ESCAPE, _ESCAPE_COUNT),
    SummaryRow("Generalization", "泛化", "Better", "Worse", _SHARP_FLAT, _ENSEMBLE),
)
