"""How the page shows a scene, apart from the scene itself: language, projector mode, hidden
controls and "predict, then reveal". After TensorFlow Playground's state, they travel in the
same link as the scene (``lang=zh&view=present&hide=optimizer,lr&predict=1``), so a teacher's
crafted link opens the same exercise on every student's device; the simulation never reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGS = ("en", "zh")
VIEW_MODES = ("explore", "present")  # the page's two faces; ``view=`` with four numbers is a view box

# The controls a link can hide (``hide=a,b``), in the page's order: (English, Chinese) of each.
HIDEABLE: dict[str, tuple[str, str]] = {
    "lesson": ("the lesson picker", "课程选择"),
    "surface": ("the surface picker, formula and view box", "误差曲面、公式与视图范围"),
    "steps": ("steps and epochs", "步数与回合数"),
    "start": ("the start point (clicking the plot no longer moves it)", "起点（点击图不再移动起点）"),
    "seed": ("the random seed", "随机种子"),
    "runs": ("adding, duplicating, removing and sweeping runs", "添加、复制、删除运行与学习率扫描"),
    "optimizer": ("each run's optimizer", "每个运行的优化器"),
    "lr": ("each run's learning rate", "每个运行的学习率"),
    "schedule": ("each run's learning-rate schedule", "每个运行的学习率调度"),
    "params": ("each run's hyperparameters (λ, α, β₁, β₂, ε)", "每个运行的超参数（λ、α、β₁、β₂、ε）"),
    "batch": ("each run's batch size and shuffling", "每个运行的批次大小与打乱"),
    "label": ("each run's label", "每个运行的标签"),
    "view-mode": ("the contour / 3D switch", "等高线 / 三维切换"),
    "panels": ("the loss, gradient and learning-rate panels", "损失、梯度与学习率面板"),
    "inspector": ("the step inspector", "单步检视"),
    "export": ("the export menu", "导出菜单"),
    "caption": ("the lesson's caption", "课程说明"),
}


@dataclass(frozen=True)
class PageSettings:
    lang: str = "en"
    present: bool = False  # projector mode: large type, thick lines, controls folded away
    hide: frozenset[str] = field(default_factory=frozenset)  # names of HIDEABLE
    predict: bool = False  # each new scene waits, paths hidden, until "Reveal"

    def __post_init__(self):
        if self.lang not in LANGS:
            raise ValueError(f"a language is one of {', '.join(LANGS)}, not {self.lang!r}")
        unknown = set(self.hide) - set(HIDEABLE)
        if unknown:
            raise ValueError(f"cannot hide {', '.join(sorted(unknown))}: the choices are {', '.join(HIDEABLE)}")
        object.__setattr__(self, "hide", frozenset(self.hide))

    def hides(self, control: str) -> bool:
        assert control in HIDEABLE, control  # a typo in the code, not in a link
        return control in self.hide

    def query_pairs(self) -> list[tuple[str, str]]:
        """The settings that differ from the defaults, as (key, value) pairs of a link."""
        pairs = []
        if self.lang != "en":
            pairs.append(("lang", self.lang))
        if self.present:
            pairs.append(("view", "present"))
        if self.hide:
            pairs.append(("hide", ",".join(name for name in HIDEABLE if name in self.hide)))
        if self.predict:
            pairs.append(("predict", "1"))
        return pairs


DEFAULT = PageSettings()
