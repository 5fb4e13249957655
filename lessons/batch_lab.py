"""Lessons of the batch lab: shuffling, noisy updates that escape, small batches that find flat minima.

The numbers in the captions are measured by tests/test_batch_lessons.py.
"""

from __future__ import annotations

from lab.scene import Run, Scene
from lessons import Lesson

SHUFFLE = Lesson(
    id="shuffle",
    title_en="Shuffle: examples stored by class",
    title_zh="打乱顺序：按类别排好的资料",
    caption_en="300 examples stored in order, 100 of group A, then B, then C, each group on its own line, "
    "fitted with batch size 10 and η = 0.1 for 20 epochs. Without shuffling, every epoch shows the model "
    "10 batches of A, then of B, then of C: the path is dragged towards each group's own optimum in turn "
    "and comes back to the same point at the end of every epoch, a cycle that never settles. Reshuffling "
    "before every epoch mixes the groups in every batch, and the path settles near the minimum of the "
    "whole data set, about five times closer on average over the last five epochs.",
    caption_zh="300 笔资料按顺序存放：前 100 笔属于 A 组，中间 100 笔属于 B 组，最后 100 笔属于 C 组，"
    "每组落在各自的一条直线上。以批次大小 10、η = 0.1 训练 20 个回合。不打乱顺序时，每个回合"
    "都先看 10 个全是 A 的批次，再看 B，再看 C：路径轮流被拉向每一组自己的最优点，每个回合结束时"
    "又回到同一个点，一直在绕圈，停不下来。每个回合开始前重新打乱顺序，每个批次里三组都有，"
    "路径就停在全部资料的最小值附近，最后五个回合的平均距离约小五倍。",
    scene=Scene(
        surface="three-groups",
        epochs=20,
        runs=(
            Run("gd", 0.1, batch_size=10, shuffle=False, label="B = 10, in order (no shuffle)"),
            Run("gd", 0.1, batch_size=10, shuffle=True, label="B = 10, shuffled every epoch"),
        ),
    ),
)

NOISY_ESCAPE = Lesson(
    id="noisy-escape",
    title_en="Noisy updates help training: escaping a local minimum",
    title_zh="有噪声的更新有助于训练：跳出局部最小值",
    caption_en="50 examples, each the same landscape shifted a little; the full loss has a shallow local "
    "minimum on the right. With the full batch, every update follows the same loss L and gradient descent "
    "stops in the local minimum, for every seed. With batch size 1 every update follows another example's "
    "loss (L¹, L², ...): where one is flat another is not, and most seeds are kicked over the ridge into "
    "the deeper minimum (the batch lab counts them over 100 seeds).",
    caption_zh="50 笔资料，每一笔都是同一个地形稍微平移；整体的损失在右边有一个很浅的局部最小值。"
    "全批次时每次更新都沿着同一个 L，梯度下降停在局部最小值，每个随机种子都一样。批次大小为 1 时，"
    "每次更新用的是不同资料的损失（L¹、L²……）：这一个卡住了，另一个不一定卡住，大部分随机种子"
    "被推过山脊，进入更深的最小值（批次实验页面统计 100 个随机种子中有几个跳出）。",
    scene=Scene(
        surface="shallow-minimum",
        steps=300,
        runs=(
            Run("gd", 0.15, label="Full batch"),
            Run("gd", 0.15, batch_size=5, label="Batch size 5"),
            Run("gd", 0.15, batch_size=1, label="Batch size 1"),
        ),
    ),
)

SHARP_FLAT = Lesson(
    id="sharp-flat",
    title_en="Noisy updates help generalization: flat vs sharp minima",
    title_zh="有噪声的更新有助于泛化：盆地与峡谷",
    caption_en="A training loss with a flat minimum (a wide basin, left) and a sharp one (a narrow canyon, "
    "right), about equally low; the testing loss is the training loss shifted right by 0.15. Started "
    "beside the canyon, the large batch (B = 20) stays in it: a low training loss but a high testing loss. "
    "Batch size 1 is too noisy to stay in a canyon so narrow, leaves it and settles in the basin, where the "
    "shift hardly changes the loss. The batch lab runs 200 seeds of each and tabulates training and "
    "testing loss as Keskar et al. do.",
    caption_zh="训练的损失有一个平坦的最小值（左边宽阔的盆地）和一个尖锐的最小值（右边狭窄的峡谷），"
    "两者差不多低；测试的损失是训练的损失往右平移 0.15。从峡谷旁边出发，大的批次（B = 20）"
    "留在峡谷里：训练损失低，测试损失却很高。批次大小为 1 的更新噪声太大，留不住这么窄的峡谷，"
    "跳出来停在盆地里，平移几乎不改变那里的损失。批次实验页面各跑 200 个随机种子，"
    "像 Keskar 等人那样列出训练与测试的损失。",
    scene=Scene(
        surface="sharp-flat",
        steps=1000,
        runs=(  # the large batch last, drawn on top: its short path in the canyon was hidden under B = 1's
            Run("gd", 0.03, batch_size=1, label="Small batch (B = 1)"),
            Run("gd", 0.03, batch_size=20, label="Large batch (B = 20)"),
        ),
    ),
)

LESSONS = (SHUFFLE, NOISY_ESCAPE, SHARP_FLAT)
