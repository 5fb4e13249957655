"""Lessons of "Batch and Momentum": saddle points, local minima, mini-batches.

The numbers in the captions are measured by tests/test_lessons_momentum.py.

The batch-size lesson counts in epochs, as the lecture does: both runs see
every example 20 times, so full batch makes 20 updates and batch size 1 makes
400, at the same learning rate.
"""

from __future__ import annotations

from lab.scene import Run, Scene
from lessons import Lesson

_MOMENTUM = (("momentum", 0.9),)

SADDLE_MOMENTUM = Lesson(
    id="saddle-momentum",
    title_en="Momentum carries through a saddle point",
    title_zh="动量帮助走出鞍点",
    caption_en="Both runs start just beside the ridge above a saddle point. Gradient descent slides "
    "into the saddle point, where the gradient is nearly 0, and crawls there for over a hundred steps; "
    "momentum (λ = 0.9) keeps adding up the small push sideways, rolls into a minimum within 60 steps and "
    "settles there after a few swings.",
    caption_zh="两条路径都从鞍点上方、山脊旁边出发。梯度下降滑进鞍点后梯度几乎为 0，"
    "在那里缓慢爬行了一百多步；加上动量（λ = 0.9）后，每一步都累加了之前横向的微小梯度，"
    "不到 60 步就滚进了最小值，来回摆动几次后停在那里。",
    scene=Scene(
        surface="saddle",
        start=(0.01, 2.0),
        steps=200,
        runs=(
            Run("gd", 0.02, label="Gradient descent"),
            Run("momentum", 0.02, params=_MOMENTUM, label="Momentum λ = 0.9"),
        ),
    ),
)

LOCAL_MINIMUM_MOMENTUM = Lesson(
    id="local-minimum-momentum",
    title_en="Momentum rolls over a local minimum",
    title_zh="动量越过局部最小值",
    caption_en="Gradient descent stops in the first dip it meets, a shallow local minimum. With momentum "
    "(λ = 0.9) the ball arrives with speed, rolls through the dip and over the low ridge behind it, "
    "and settles in the deeper global minimum.",
    caption_zh="梯度下降停在遇到的第一个小坑里，也就是较浅的局部最小值。加上动量（λ = 0.9）后，"
    "参数像带着惯性的小球，冲过这个局部最小值、翻过后面低矮的山脊，最后停在更深的全局最小值。",
    scene=Scene(
        surface="local-minima",
        start=(3.5, 2.0),
        steps=300,
        runs=(
            Run("gd", 0.05, label="Gradient descent"),
            Run("momentum", 0.05, params=_MOMENTUM, label="Momentum λ = 0.9"),
        ),
    ),
)

BATCH_SIZE = Lesson(
    id="batch-size",
    title_en="Full batch vs batch size 1",
    title_zh="批次大小：全批次与批次大小 1",
    caption_en="Fitting a line to N = 20 examples, both runs see every example 20 times (20 epochs) "
    "with η = 0.03. The full batch updates once per epoch: 20 updates, each along the true gradient, "
    "smooth but few. Batch size 1 updates after every example: 400 updates, each following one example's "
    "noisy gradient, so the path zigzags, yet in the same 20 epochs it gets much closer to the minimum.",
    caption_zh="用 N = 20 笔资料拟合一条直线，两条路径都把每笔资料看 20 遍（20 个 epoch，即 20 个回合），η = 0.03。"
    "全批次每个回合只更新一次：共 20 次，每次都沿着真正的梯度，平稳但次数少。"
    "批次大小为 1 时每看一笔资料就更新一次：共 400 次，每次只用一笔资料的梯度，带有噪声，路径曲折；"
    "但在同样的 20 个回合里，它离最小值近得多。",
    scene=Scene(
        surface="regression",
        epochs=20,
        runs=(
            Run("gd", 0.03, batch_size=20, label="Full batch (B = 20)"),
            Run("gd", 0.03, batch_size=1, label="Batch size 1, shuffled"),
        ),
    ),
)

LESSONS = (SADDLE_MOMENTUM, LOCAL_MINIMUM_MOMENTUM, BATCH_SIZE)
