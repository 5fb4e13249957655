"""Lessons of "Adaptive Learning Rate": the valley, Adagrad, RMSProp, Adam, warm-up."""

from lab.scene import Run, Scene, eta_text
from lessons import Lesson

# The lecture's sweep: every learning rate from 1e-2 down to 1e-7, 100,000 steps each.
SWEEP_LRS = (1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7)
SWEEP_STEPS = 100_000

# Warm-up lesson: Adam's peak learning rate, the warm-up length, and the
# Transformer schedule's factor that makes its peak d_model^-0.5 W^-0.5 equal eta
# (d_model = 512, the paper's and the schedule's default).
WARMUP_LR = 0.5
WARMUP_STEPS = 50
TRANSFORMER_FACTOR = WARMUP_LR * (512 * WARMUP_STEPS) ** 0.5

LR_TOO_LARGE = Lesson(
    id="lr-too-large",
    title_en="Training stuck ≠ small gradient",
    title_zh="训练卡住 ≠ 梯度很小",
    caption_en="With learning rate 10⁻² gradient descent bounces between the two walls of the valley: "
    "the loss stops falling, yet the gradient norm stays near 0.5. Training is stuck by oscillation, "
    "not at a critical point.",
    caption_zh="学习率为 10⁻² 时，梯度下降在山谷的两个谷壁之间来回震荡：损失不再下降，"
    "梯度的大小却一直在 0.5 左右。训练卡住是因为震荡，而不是走到了临界点。",
    scene=Scene(surface="valley", runs=(Run("gd", 1e-2, label="GD η=10⁻²"),), steps=1000),
)

LR_SWEEP = Lesson(
    id="lr-sweep",
    title_en="Lowering the learning rate, 10⁻² to 10⁻⁷",
    title_zh="把学习率从 10⁻² 一路调到 10⁻⁷",
    caption_en="100,000 steps at each learning rate on the same error surface. From 10⁻² to 10⁻⁶ every run "
    "keeps oscillating across the valley (the smaller rates' zigzags are narrower than a pixel here: zoom "
    "in on the wall, or see the loss stay in a band in the panels); only at 10⁻⁷ does the oscillation "
    "stop, and then the path barely moves along the flat floor.",
    caption_zh="在同一个误差曲面上，每个学习率各走 100,000 步。从 10⁻² 到 10⁻⁶ 都在山谷两壁间不停震荡"
    "（较小学习率的锯齿比一个像素还窄：放大谷壁，或看下方面板中损失停在一条带里）；"
    "直到 10⁻⁷ 震荡才停下，但这时沿着平坦的谷底几乎走不动。",
    scene=Scene(
        surface="valley",
        runs=tuple(Run("gd", lr, label=f"GD η={eta_text(lr)}") for lr in SWEEP_LRS),
        steps=SWEEP_STEPS,
    ),
)

LR_TOO_SMALL = Lesson(
    id="lr-too-small",
    title_en="Learning rate too small: no progress along the floor",
    title_zh="学习率太小：沿谷底走不动",
    caption_en="At 10⁻⁷ the steep wall still gives a large gradient, so the path comes down to the floor; "
    "there the gradient is tiny and 100,000 updates cover a vanishing fraction of the way to the minimum. "
    "One learning rate cannot fit both directions.",
    caption_zh="学习率 10⁻⁷ 时，陡峭的谷壁梯度大，所以还能走到谷底；但谷底的梯度很小，"
    "更新十万次也几乎没有向终点前进。同一个学习率无法同时适合两个方向。",
    scene=Scene(surface="valley", runs=(Run("gd", 1e-7, label="GD η=10⁻⁷"),), steps=SWEEP_STEPS),
)

ADAGRAD_ERUPTION = Lesson(
    id="adagrad-eruption",
    title_en="Adagrad: far along the floor, then an eruption",
    title_zh="Adagrad：沿谷底走到终点附近，然后突然喷发",
    caption_en="Dividing by σ, the root mean square of past gradients, gives the flat direction a large "
    "learning rate, so Adagrad travels along the floor. Near the minimum the steep-direction gradients "
    "have been tiny for hundreds of steps: σ has shrunk, η/σ grows, and the path shoots out across the "
    "valley, then comes back as σ grows again.",
    caption_zh="除以 σ（过去所有梯度的均方根）让平坦方向得到较大的学习率，Adagrad 可以沿谷底一直走。"
    "快到终点时，纵轴方向的梯度已经小了几百步，σ 变小、η/σ 变大，轨迹就在纵轴上喷发出去；"
    "喷出去后梯度变大，σ 又变大，于是慢慢回到原来的路上。",
    scene=Scene(surface="tilted-valley", runs=(Run("adagrad", 0.15, label="Adagrad η=0.15"),), steps=1000),
)

ADAGRAD_DECAY = Lesson(
    id="adagrad-decay",
    title_en="Learning rate decay calms the eruption",
    title_zh="学习率衰减平息喷发",
    caption_en="Make η depend on time, η^t = η/√(t+1): large steps at first, braked later. With this decay "
    "the lecture's Adagrad is exactly the original Adagrad (Duchi et al.: η over the root of the sum of the "
    "squared gradients, not of their mean), whose learning rate can only shrink: no eruption. Because "
    "decay brakes every step it needs a larger η: from η = 1 Adagrad arrives at the minimum smoothly; from "
    "the constant run's 0.15 it would stop about 18 short of it.",
    caption_zh="让 η 随时间变化，η^t = η/√(t+1)：一开始步伐大，之后踩刹车。加上这个衰减，课程里的 Adagrad "
    "就正好是最早的 Adagrad（η 除以梯度平方“和”的平方根，而不是平均值的平方根），它的学习率"
    "只会变小：不会喷发。衰减让每一步都踩刹车，所以需要更大的 η：从 η = 1 出发，Adagrad 平顺地走到终点；"
    "若用固定学习率那一条的 0.15，它会停在离终点约 18 的地方。",
    scene=Scene(
        surface="tilted-valley",
        runs=(
            Run("adagrad", 0.15, label="Adagrad η=0.15"),
            Run("adagrad", 1.0, schedule="decay", label="Adagrad η^t=1/√(t+1)"),
        ),
        steps=2000,
    ),
)

CRESCENT_RMSPROP = Lesson(
    id="crescent-rmsprop",
    title_en="RMSProp on the crescent: the same direction, a changing slope",
    title_zh="新月形误差曲面上的 RMSProp：同一方向，坡度在变",
    caption_en="Down the wall the gradient is steep, along the curved floor it is flat, so even one "
    "parameter needs a learning rate that changes over time. RMSProp weighs recent gradients more "
    "(σ² ← ασ² + (1−α)g²) and reaches the minimum; Adagrad, with the same η, keeps averaging in the early "
    "steep gradients and crawls.",
    caption_zh="下坡时梯度很陡，沿着弯曲的谷底又很平坦，所以即使是同一个参数，学习率也需要随时间动态调整。"
    "RMSProp 更看重最近的梯度（σ² ← ασ² + (1−α)g²），走到了终点；同样 η 的 Adagrad "
    "一直把早期很陡的梯度算进平均里，步伐很小，只能慢慢爬。",
    scene=Scene(
        surface="crescent",
        runs=(Run("adagrad", 0.02, label="Adagrad η=0.02"), Run("rmsprop", 0.02, label="RMSProp η=0.02")),
        steps=600,
    ),
)

ADAM = Lesson(
    id="adam",
    title_en="Adam = RMSProp + Momentum",
    title_zh="Adam = RMSProp + 动量",
    caption_en="Momentum alone keeps bouncing between the walls and never moves along the flat floor. "
    "RMSProp's per-parameter σ walks the floor to the minimum but keeps oscillating across it with "
    "steps of about η. Adam has both: it walks the floor, and its momentum averages the alternating "
    "gradients away, so it settles far lower.",
    caption_zh="只有动量时，在两壁之间来回震荡，沿平坦的谷底根本走不动。RMSProp 为每个参数计算 σ，"
    "可以沿谷底走到终点，但一直以约 η 的步伐左右震荡。Adam 两者兼得：沿谷底前进，"
    "动量又把正负交替的梯度平均掉，所以停得更低、更稳。",
    scene=Scene(
        surface="valley",
        runs=(
            Run("momentum", 1e-3, label="Momentum η=10⁻³ λ=0.9"),
            Run("rmsprop", 1e-3, label="RMSProp η=10⁻³"),
            Run("adam", 1e-3, label="Adam η=10⁻³"),
        ),
        steps=3000,
    ),
)

WARMUP = Lesson(
    id="warmup",
    title_en="Warm-up: small steps while σ is still a guess",
    title_zh="学习率预热：σ 还不准的时候先走小步",
    caption_en="At the start σ is estimated from one or two gradients, so Adam's first step moves every "
    "parameter by η however small its gradient is: from the floor it jumps far up the steep wall. Warm-up "
    "starts with a small learning rate and raises it (linear then cosine, the Transformer's formula, "
    "ResNet's η/10 first; the first two then let it fall); RAdam takes plain momentum steps and then rectified ones until σ is reliable. None of them "
    "takes the jump.",
    caption_zh="一开始 σ 只由一两个梯度估计出来，统计不精准，所以 Adam 的第一步不论梯度多小，"
    "每个参数都走 η 那么远：从谷底直接跳上陡峭的谷壁。学习率预热先用小的学习率再把它调大（线性上升再余弦下降、"
    "Transformer 的公式、ResNet 先用 η/10；前两种之后再让它变小）；RAdam 在 σ 可靠之前先走普通动量的步伐，再逐步修正。它们都没有这一跳。",
    scene=Scene(
        surface="tilted-valley",
        start=(30.0, 0.0),
        runs=(
            Run("adam", WARMUP_LR, label="Adam without warm-up"),
            Run(
                "adam",
                WARMUP_LR,
                schedule="warmup",
                schedule_params=(("warmup", WARMUP_STEPS),),
                label="Adam + linear warm-up and cosine",
            ),
            Run(
                "adam",
                TRANSFORMER_FACTOR,
                schedule="transformer",
                schedule_params=(("warmup", WARMUP_STEPS),),
                label="Adam + Transformer schedule",
            ),
            Run(
                "adam",
                WARMUP_LR,
                schedule="resnet",
                schedule_params=(("warmup", WARMUP_STEPS),),
                label="Adam + ResNet warm-up",
            ),
            Run("radam", WARMUP_LR, label="RAdam"),
        ),
        steps=500,
    ),
)

LESSONS = (
    LR_TOO_LARGE,
    LR_SWEEP,
    LR_TOO_SMALL,
    ADAGRAD_ERUPTION,
    ADAGRAD_DECAY,
    CRESCENT_RMSPROP,
    ADAM,
    WARMUP,
)
