"""The page's words in English and simplified Chinese, for the UI to use (it imports no Dash here).

``ui_text(key, lang, **params)`` gives a label of the page; ``registry_label(kind,
name, lang)`` the label of a surface, optimizer, schedule or hyperparameter.
The English labels of the registries stay where they are (surfaces/,
optimizers/); their Chinese ones are kept here by name, so the registries need
no new field and a test checks that every registered name has one. Collected
from ui/editor.py, ui/layout.py, ui/animation.py, ui/export_menu.py,
lab/figures.py, lab/panels.py and lab/images.py; the integrator wires them in.
"""

from __future__ import annotations

from optimizers import OPTIMIZERS
from optimizers.schedules import SCHEDULES
from surfaces import SURFACES

LANGS = ("en", "zh")

UI: dict[str, tuple[str, str]] = {
    "app.title": ("Error Surface Lab", "误差曲面实验室"),
    "lang.switch": ("中文", "English"),
    "lesson.label": ("Lesson", "课程"),
    "lesson.none": ("Free exploration", "自由探索"),
    "lesson.changed": ("The caption describes the lesson's original settings.", "说明文字描述的是课程原本的设置。"),
    "plot.click_hint": ("Click the plot to move the start.", "点击图中任意位置来移动起点。"),
    "plot.contour": ("contour", "等高线"),
    "plot.surface3d": ("3D surface", "三维曲面"),
    "plot.minima": ("minima", "最小值"),
    "plot.start": ("start", "起点"),
    "plot.loss": ("loss", "损失"),
    "plot.loss_minus_min": ("loss − min", "损失 − 最小值"),
    "plot.loss_minus_min_log": ("loss − min (log)", "损失 − 最小值（对数）"),
    "plot.leaves_view": (" (leaves the view)", "（离开视图）"),
    "plot.not_finite": (
        "f is not a finite number on {share} of the view: left blank",
        "视图中 {share} 的区域 f 不是有限数：留白",
    ),
    "plot.below_colours": (
        "the colours cover loss − min from {low} to {high}; {share} of the view lies below {low}, all in the darkest colour",
        "颜色只涵盖 损失 − 最小值 从 {low} 到 {high}；视图中 {share} 的区域低于 {low}，都是最深的颜色",
    ),
    "plot.thinned": (
        "{name}: {kept} of {total} points drawn (extremes of every stretch kept)",
        "{name}：共 {total} 个点，画出 {kept} 个（保留每段的极值）",
    ),
    "plot.thinned_many": (
        "{count} paths: {kept} of {total} points drawn each (extremes of every stretch kept)",
        "{count} 条路径：每条共 {total} 个点，画出 {kept} 个（保留每段的极值）",
    ),
    "panel.loss": ("loss − min f", "损失 − min f"),
    "panel.loss_min": ("loss − min f<br>(min f = {value})", "损失 − min f<br>（min f = {value}）"),
    # no minimum known (a typed formula with a line, floor or ring of minima): measured from the view's lowest
    "panel.loss_low": ("loss − f₀", "损失 − f₀"),
    "panel.loss_view": ("f₀ = {value}: the lowest loss on the view's grid (this surface has no known minimum)",
                        "f₀ = {value}：视图网格上的最低损失（此曲面没有已知的最小值）"),
    "panel.grad": ("‖g‖", "‖g‖"),
    "panel.lr": ("η_t and η_t/σ_i", "η_t 与 η_t/σ_i"),
    "panel.no_sigma": ("η_t (= η_t/σ_x = η_t/σ_y: {optimizer} has no σ)", "η_t（= η_t/σ_x = η_t/σ_y：{optimizer} 没有 σ）"),
    "panel.step": ("step", "步"),
    "panel.epoch": ("epoch", "回合"),
    "panel.log_scale": ("log scale", "对数坐标"),
    "panel.clipped": ("below {floor} drawn at it", "低于 {floor} 的值画在 {floor}"),
    "panel.bands": (
        "long runs: min and max of every stretch drawn, so a band is an oscillation",
        "长路径：每段画出最小值和最大值，所以一条带表示震荡",
    ),
    "surface.label": ("Surface", "误差曲面"),
    "surface.test_function": ("{label} (test function)", "{label}（测试函数）"),
    "surface.own_formula": ("Your own formula f(x, y) …", "自定义公式 f(x, y) …"),
    "surface.edit_formula": ("Edit as a formula", "作为公式编辑"),
    "surface.edit_formula_title": ("Type your own changes to this function", "修改这个函数的公式"),
    "formula.placeholder": ("e.g. x^2 + 10*y^2", "例如 x^2 + 10*y^2"),
    "formula.refused_fallback": ("Not drawn: the plot shows the {surface} until this formula can be drawn.",
                                 "未绘制：在这个公式能画出之前，图上显示的是{surface}。"),
    "view.x": ("x from, to", "x 从, 到"),
    "view.y": ("y from, to", "y 从, 到"),
    "scene.steps": ("steps ({low} to {limit})", "步数（{low} 到 {limit}）"),
    "scene.steps_unused": ("steps: not used, epochs are set", "步数：未使用，已设回合数"),
    "scene.epochs": ("epochs (instead of steps; empty = use steps)", "回合数（代替步数；留空则按步数）"),
    "scene.seed": ("seed", "随机种子"),
    "scene.start_x": ("start x", "起点 x"),
    "scene.start_y": ("start y", "起点 y"),
    "run.legend": ("Run {index}", "运行 {index}"),
    "run.controls": ("The controls of one run.", "一个运行的设置。"),
    "run.optimizer": ("optimizer", "优化器"),
    "run.lr": ("learning rate η", "学习率 η"),
    "run.schedule": ("schedule", "学习率调度"),
    "run.batch": ("batch size (1 to {count})", "批次大小（1 到 {count}）"),
    "run.shuffle": ("shuffle every epoch", "每个回合重新打乱顺序"),
    "run.label": ("label (empty: made from the settings)", "标签（留空则按设置生成）"),
    "run.add": ("Add a run", "添加运行"),
    "run.duplicate": ("Duplicate", "复制"),
    "run.remove": ("Remove", "删除"),
    "run.sweep": ("Learning-rate sweep", "学习率扫描"),
    "run.sweep_title": ("Replace this run by the same optimizer at η = 1e-2 … 1e-7", "用同一优化器、η = 1e-2 … 1e-7 替换这个运行"),
    "run.diverged": ("diverged", "发散"),
    "anim.group": ("Animation", "动画"),
    "anim.play": ("Play or pause the runs", "播放或暂停"),
    "anim.back": ("One frame back", "后退一帧"),
    "anim.forward": ("One frame forward", "前进一帧"),
    "anim.speed": ("Speed", "速度"),
    "link.copy": ("Copy link", "复制链接"),
    "link.copy_title": ("Copy a link to this exact scene", "复制指向当前场景的链接"),
    # ---- the page's header and classroom switches (ui/layout.py)
    "page.main": ("The error surface and the runs", "误差曲面与优化路径"),
    "page.controls": ("Settings", "设置"),
    "page.batch_lab": ("Batch lab", "批次实验室"),
    "page.present": ("Projector mode", "投影模式"),
    "page.present_title": ("Large type and thick lines for a projector; the settings fold away",
                           "给投影仪用的大字和粗线条；设置收起"),
    "page.explore": ("Leave projector mode", "退出投影模式"),
    "page.lang_title": ("Show this page in Chinese", "用英文显示这个页面"),
    "page.show_controls": ("Settings", "设置"),
    "page.show_controls_title": ("Show or fold away the settings", "显示或收起设置"),
    "page.keys": ("?", "?"),
    "page.keys_title": ("Keyboard shortcuts (?)", "键盘快捷键（?）"),
    "keys.title": ("Keyboard shortcuts", "键盘快捷键"),
    "keys.space": ("play or pause", "播放或暂停"),
    "keys.arrows": ("one frame back or forward", "后退或前进一帧"),
    "keys.digits": ("lesson 1 to 9 of the list", "选择列表中的第 1 到 9 个课程"),
    "keys.reveal": ("reveal the paths (predict, then reveal)", "显示路径（先预测，再揭晓）"),
    "keys.present": ("projector mode on or off", "打开或关闭投影模式"),
    "keys.help": ("show or hide this list", "显示或隐藏这个列表"),
    "keys.close": ("Close", "关闭"),
    "predict.switch": ("Predict, then reveal", "先预测，再揭晓"),
    "predict.switch_title": ("Hide each new path until Reveal is pressed, so the class can guess first",
                             "每条新路径先隐藏，按下“揭晓”再显示，让全班先猜"),
    "predict.prompt": ("Where will the paths go? Guess first, then reveal.", "路径会往哪里走？先猜一猜，再揭晓。"),
    "predict.reveal": ("Reveal", "揭晓"),
    "exercise.summary": ("Make an exercise link", "制作练习链接"),
    "exercise.hide": ("Hide these controls from students:", "对学生隐藏这些控件："),
    "exercise.link": ("Exercise link", "练习链接"),
    "exercise.copy": ("Copy the exercise link", "复制练习链接"),
    "exercise.note": ("Hidden controls keep the values of this scene.", "隐藏的控件保持当前场景的设置。"),
    "mode.label": ("View", "视图"),
    "export.menu": ("Export", "导出"),
    "export.png": ("PNG (this view, 2x)", "PNG（当前视图，2 倍）"),
    "export.svg": ("SVG (this view, 2x)", "SVG（当前视图，2 倍）"),
    "export.gif": ("GIF animation", "GIF 动画"),
    "export.html": ("Standalone HTML", "独立 HTML 网页"),
    "export.json": ("JSON (all steps)", "JSON（全部步）"),
    "export.csv": ("CSV (all steps)", "CSV（全部步）"),
    "export.command": ("The same from the command line:", "命令行中的等价命令："),
    "status.steps": ("{count} steps", "{count} 步"),
    "status.simulated": ("{count} steps simulated", "共模拟 {count} 步"),
    "status.simulated_runs": ("{runs} runs × {count} steps simulated", "共模拟 {runs} 个运行 × {count} 步"),
    "status.per_epoch": (" ({count} updates per epoch)", "（每个回合更新 {count} 次）"),
    "status.per_epoch_one": (" (1 update per epoch)", "（每个回合更新 1 次）"),
    "status.run": ("run {index}", "运行 {index}"),
    "status.warning": ("warning: {text}", "警告：{text}"),
    "lesson.changed_prefix": ("You changed this lesson's settings; its caption describes the original.",
                              "你修改了这个课程的设置；下面的说明描述的是原本的设置。"),
    "status.final_loss": ("final loss {value}", "最终损失 {value}"),
    "inspector.title": ("Step inspector", "单步检视"),
    "inspector.open_title": ("Open or close the step inspector: one update written out with its numbers",
                             "打开或关闭单步检视：把一步更新连同数字写出来"),
    "inspector.step": ("step t", "第 t 步"),
    "inspector.gradient": ("gradient −η g", "梯度方向 −η g"),
    "inspector.momentum": ("momentum", "动量"),
    "inspector.taken": ("step taken", "实际的一步"),
    # ---- added for issue 7 (editor, animation, export, figures, panels, images)
    "editor.surface": ("surface", "误差曲面"),
    "formula.hint": ("+ − * / ^ ( ), x, y, numbers, {names}. Press Enter to draw.",
                     "+ − * / ^ ( )、x、y、数字、{names}。按 Enter 键画图。"),
    "view.range_format": ("the {axis} range is two numbers, from and to, e.g. -3, 3",
                          "{axis} 的范围是两个数：从、到，例如 -3, 3"),
    "view.range_order": ("the {axis} range needs two finite numbers with from < to",
                         "{axis} 的范围需要两个有限的数，且 从 < 到"),
    "run.shuffle_box": (" shuffle every epoch", " 每个回合重新打乱顺序"),
    "anim.play_button": ("▶ Play", "▶ 播放"),
    "anim.pause_button": ("❚❚ Pause", "❚❚ 暂停"),
    "anim.readout": ("{unit} {k} of {total}", "第 {k} / {total} {unit}"),
    "anim.tick": ("{unit} {k}", "第 {k} {unit}"),
    "anim.frame": ("{unit} {k} of {total}", "第 {k} / {total} {unit}"),
    "export.busy": ("Another GIF is being drawn on this server; try again in a few seconds.",
                    "服务器正在画另一个 GIF，请几秒钟后再试。"),
    "export.too_big": (("{positions} positions are more than the page exports ({limit}); "
                        "run the command line below on your computer for the whole file."),
                       ("{positions} 个位置超过了网页能导出的上限（{limit}）；"
                        "请在你的电脑上运行下面的命令来得到完整的文件。")),
    "export.animated": ("animated: {note}", "动画：{note}"),
    "export.footer": ("Error Surface Lab. This scene from the command line:", "误差曲面实验室。在命令行中生成这个场景："),
    "plot.thinned_many_upto": (
        "{count} paths: {kept} of up to {total} points drawn each (extremes of every stretch kept)",
        "{count} 条路径：每条最多 {total} 个点，画出 {kept} 个（保留每段的极值）",
    ),
    "plot.minimum": ("minimum", "最小值"),
    "plot.end": ("end", "终点"),
    "plot.step_of": ("step {step} of {last}", "第 {step} 步 / 共 {last} 步"),
    "plot.hover_step": ("step", "步"),
    "panel.rates": ("rates: η_t dashed, η_t/σ_x solid, η_t/σ_y dotted (GD, momentum: η_t only)",
                    "学习率：η_t 虚线，η_t/σ_x 实线，η_t/σ_y 点线（梯度下降、动量：只有 η_t）"),
    "panel.cursor": ("step", "步"),
    # inspector
    "inspector.run": ("run", "运行"),
    "inspector.pick": (
        "Pick a step with the scrubber, click a point of a path, or type a step t.",
        "用进度条选一步、点击路径上的一个点，或输入步数 t。",
    ),
    "inspector.no_runs": ("This scene has no runs, so there is no step to inspect.", "这个场景没有运行，所以没有可检视的步。"),
    "inspector.no_updates": (
        "{run} made no update ({message}), so there is no step to inspect.",
        "{run} 没有走任何一步（{message}），所以没有可检视的步。",
    ),
    "inspector.out_of_range": (
        "Step {step} is not an update of {run}: type a whole number from 0 to {last}.",
        "第 {step} 步不是 {run} 的一次更新：请输入 0 到 {last} 之间的整数。",
    ),
    "inspector.at_end": (
        "The marker stands at step {end}, where {run} ends; shown is the update that led there.",
        "标记位于 {run} 的终点（第 {end} 步）；这里显示的是走到那里的那一步。",
    ),
    "inspector.update": (
        "Update t = {t} of {run} ({optimizer}): from θᵗ to θᵗ⁺¹.",
        "{run}，优化器 {optimizer}，第 t = {t} 次更新：从 θᵗ 到 θᵗ⁺¹。",  # its name has brackets of its own
    ),
    "inspector.table": ("Per parameter at step t = {t} (4 significant digits)", "第 t = {t} 步的每个参数（4 位有效数字）"),
    "inspector.quantity": ("quantity", "量"),
    "inspector.arrows": ("Arrows at θᵗ on the plot:", "图上 θᵗ 处的箭头："),
    "inspector.momentum_lambda": ("momentum λmᵗ (the last movement, carried on)", "动量 λmᵗ（上一步的移动，延续下来）"),
    "inspector.momentum_adam": ("momentum −ηm̂ᵗ (Adam's averaged gradient)", "动量 −ηm̂ᵗ（Adam 平均后的梯度）"),
    "inspector.short": ("{label}: {px} px on this view, too short to draw", "{label}：在当前视图中只有 {px} 像素，太短，不画"),
    "inspector.leaves": ("{label}: leaves the view, not drawn", "{label}：超出视图，不画"),
    "inspector.scaled": (
        "Arrows drawn {scale}× their length, all at one scale (the step taken is {px} px on this view).",
        "箭头按同一比例放大 {scale} 倍画出（实际的一步在当前视图中为 {px} 像素）。",
    ),
    "inspector.flat_view": ("Arrows are drawn on the contour view only.", "箭头只画在等高线图上。"),
}

SURFACE_ZH = {
    "valley": "狭长山谷",
    "tilted-valley": "倾斜的狭长山谷",
    "crescent": "新月形山谷",
    "saddle": "鞍点",
    "local-minima": "局部最小值与全局最小值",
    "bowl": "碗形",
    "beale": "Beale 函数",
    "himmelblau": "Himmelblau 函数",
    "regression": "线性回归（N = 20）",
    "three-groups": "按顺序排列的三组资料（N = 300）",
    "sharp-flat": "尖锐与平坦的最小值（N = 100）",
    "shallow-minimum": "一个很浅的局部最小值（N = 50）",
    "rosenbrock": "Rosenbrock 函数",
    "rastrigin": "Rastrigin 函数",
    "ackley": "Ackley 函数",
    "goldstein-price": "Goldstein-Price 函数",
    "six-hump-camel": "六峰驼背函数",
    "styblinski-tang": "Styblinski-Tang 函数",
}
OPTIMIZER_ZH = {
    "gd": "梯度下降",
    "momentum": "动量",
    "adagrad": "Adagrad（课程：均方根）",
    "rmsprop": "RMSProp（课程：σ⁰ = |g⁰|）",
    "adam": "Adam",
    "radam": "RAdam",
    "adagrad-sum": "Adagrad（教科书：平方和开根号，同 PyTorch）",
    "rmsprop-torch": "RMSProp（PyTorch 的形式：v⁰ = 0）",
}
SCHEDULE_ZH = {
    "constant": "固定",
    "decay": "衰减 η/√(t+1)",
    "exponential": "指数衰减",
    "step": "阶梯衰减",
    "cosine": "余弦",
    "warmup": "线性预热，余弦衰减",
    "transformer": "Transformer（Vaswani 等）",
    "resnet": "ResNet 预热（He 等）",
}
# Hyperparameters by (owner, name) where one name means different things, else by name.
PARAM_ZH = {
    "momentum": "λ（动量）",
    "eps": "ε（加在 σ 上；0 = 课程的形式）",
    ("adagrad-sum", "eps"): "ε（加在根号外）",
    ("rmsprop-torch", "eps"): "ε（加在根号外）",
    ("adam", "eps"): "ε",
    ("radam", "eps"): "ε",
    "alpha": "α（过去的权重）",
    "beta1": "β₁（均值的动量）",
    "beta2": "β₂（平方的动量）",
    "gamma": "γ（因子）",
    "step_size": "每 k 步",
    "d_model": "d_model",
    "warmup": "预热步数",
}


def ui_text(key: str, lang: str = "en", **params) -> str:
    """Label ``key`` of the page in ``lang``, with ``params`` filled in."""
    if lang not in LANGS:
        raise ValueError(f"a language is one of {', '.join(LANGS)}, not {lang!r}")
    return UI[key][LANGS.index(lang)].format(**params)


def registry_label(kind: str, name: str, lang: str = "en", owner: str | None = None) -> str:
    """The label of a registered surface, optimizer, schedule or (``owner``'s) hyperparameter."""
    if kind == "param":
        spec = OPTIMIZERS.get(owner) or SCHEDULES.get(owner)
        english = next(p.label for p in spec.params if p.name == name)
        return english if lang == "en" else PARAM_ZH.get((owner, name), PARAM_ZH[name])
    registry, zh = {"surface": (SURFACES, SURFACE_ZH), "optimizer": (OPTIMIZERS, OPTIMIZER_ZH),
                    "schedule": (SCHEDULES, SCHEDULE_ZH)}[kind]
    return registry[name].label if lang == "en" else zh[name]


# A run's label made from its settings names the optimizer and schedule by these short names, as the
# lessons' labels do ("GD η=10⁻²", "Momentum η=10⁻³"): ``Run.display_label`` in English, run_label in Chinese.
OPTIMIZER_SHORT = {
    "gd": "GD", "momentum": "Momentum", "adagrad": "Adagrad", "rmsprop": "RMSProp", "adam": "Adam",
    "radam": "RAdam", "adagrad-sum": "Adagrad (sum)", "rmsprop-torch": "RMSProp (PyTorch)",
}
SCHEDULE_SHORT = {
    "constant": "constant", "decay": "decay", "exponential": "exponential decay", "step": "step decay",
    "cosine": "cosine", "warmup": "warm-up", "transformer": "Transformer", "resnet": "ResNet warm-up",
}
OPTIMIZER_SHORT_ZH = {
    "gd": "梯度下降", "momentum": "动量", "adagrad": "Adagrad", "rmsprop": "RMSProp", "adam": "Adam",
    "radam": "RAdam", "adagrad-sum": "Adagrad（平方和）", "rmsprop-torch": "RMSProp（PyTorch）",
}
SCHEDULE_SHORT_ZH = {
    "constant": "固定", "decay": "衰减", "exponential": "指数衰减", "step": "阶梯衰减", "cosine": "余弦",
    "warmup": "预热", "transformer": "Transformer", "resnet": "ResNet 预热",
}
# The lessons' own run labels, which a class sees in the legend: said in the lecture's words.
LABEL_ZH = {
    "Adam without warm-up": "Adam，没有预热",
    "Adam + linear warm-up and cosine": "Adam + 线性预热与余弦衰减",
    "Adam + Transformer schedule": "Adam + Transformer 学习率调度",
    "Adam + ResNet warm-up": "Adam + ResNet 预热",
    "B = 10, in order (no shuffle)": "B = 10，按顺序（不打乱）",
    "B = 10, shuffled every epoch": "B = 10，每个回合重新打乱",
    "Full batch": "全批次",
    "Batch size 5": "批次大小 5",
    "Batch size 1": "批次大小 1",
    "Large batch (B = 20)": "大的批次（B = 20）",
    "Small batch (B = 1)": "小的批次（B = 1）",
    "Gradient descent": "梯度下降",
    "Momentum λ = 0.9": "动量 λ = 0.9",
    "Momentum η=10⁻³ λ=0.9": "动量 η=10⁻³ λ=0.9",
    "Full batch (B = 20)": "全批次（B = 20）",
    "Batch size 1, shuffled": "批次大小 1，打乱",
}


def run_label(run, lang: str = "en") -> str:
    """A run's legend label in ``lang``: the user's label (a lesson's in the lecture's words), or one
    made from its settings; in English exactly ``run.display_label()``."""
    if lang == "en":
        return run.display_label()
    if run.label:
        if run.label in LABEL_ZH:
            return LABEL_ZH[run.label]
        english = run.label.replace("GD η", "梯度下降 η")  # the lessons' "GD η=10⁻²"
        return english
    return run.settings_label(OPTIMIZER_SHORT_ZH.get(run.optimizer, run.optimizer),
                              SCHEDULE_SHORT_ZH.get(run.schedule, run.schedule))


def surface_title(scene, lang: str = "en") -> str:
    """The plot's default title: the surface's label (a typed formula's is its formula)."""
    if lang == "zh" and scene.surface in SURFACE_ZH:
        return SURFACE_ZH[scene.surface]
    return scene.surface_record.label
