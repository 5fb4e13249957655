"""Every message template of the lab, as (English, 简体中文) ``str.format`` pairs keyed by a stable id.

The English text is exactly what the lab said before it had a catalogue. The
Chinese uses the lecture's terms: 学习率 (learning rate), 梯度 (gradient), 损失
(loss), 步 (step), 回合 (epoch), 批次大小 (batch size), 全批次 (full batch),
曲面 (error surface), 优化器, 学习率调度 (schedule). Placeholders hold user
values (quoted), key names, numbers or nested messages; ``{x:clause}`` drops a
nested sentence's final full stop. A test checks both sides have the same placeholders.
"""

TEMPLATES: dict[str, tuple[str, str]] = {
    "empty": ("", ""),
    "verbatim": ("{text}", "{text}"),
    # ---------------------------------------------------------------- lab.query: reading a link
    "query.choices": ("{names}{more}", "{names}{more}"),
    "query.choices_more": (", … ({count} in all)", "，…（共 {count} 个）"),
    "query.more_problems": ("… and {count} more problems in the link", "……链接中还有 {count} 个问题"),
    "query.kind_whole": ("a whole number", "整数"),
    "query.kind_number": ("a number", "数"),
    "query.expected_range": ("{kind} from {low} to {high}", "{low} 到 {high} 之间的{kind}"),
    "query.not_expected": (
        "{where}{key}={value} is not {expected}; using {fallback}",
        "{where}{key}={value} 不是{expected}；改用 {fallback}",
    ),
    "query.where_run": ("run {index}: ", "运行 {index}："),
    "query.the_default": ("the default {value}", "默认值 {value}"),
    "query.not_n_numbers": (
        "{key}={value} is not {count} finite numbers {meaning}; using {fallback}",
        "{key}={value} 不是 {count} 个有限数 {meaning}；改用{fallback}",
    ),
    "query.surface_start": ("the surface's start", "曲面的默认起点"),
    "query.lesson_start": ("the lesson's start", "课程的起点"),
    "query.surface_view": ("the surface's view", "曲面的默认视图"),
    "query.lesson_view": ("the lesson's view", "课程的视图"),
    "query.view_order": (
        "{key}={value} needs x_min < x_max and y_min < y_max; using {fallback}",
        "{key}={value} 需要 x_min < x_max 且 y_min < y_max；改用{fallback}",
    ),
    "query.bad_lang": ("lang={value} is not a language here; using English (choose from {choices})",
                       "lang={value} 不是可用的语言；改用英文（可选：{choices}）"),
    "query.bad_hide": ("hide={value}: no such control, ignored (choose from {choices})",
                       "hide={value}：没有这个控件，已忽略（可选：{choices}）"),
    "query.bad_predict": ("predict={value} is not 0 or 1; the paths are shown at once",
                          "predict={value} 不是 0 或 1；路径会直接显示"),
    "query.not_text": (
        "the link is not text ({type}); using the default scene",
        "链接不是文本（{type}）；改用默认场景",
    ),
    "query.too_long": (
        "the link is {length} characters long; only the first {limit} were read",
        "链接长 {length} 个字符；只读取了前 {limit} 个",
    ),
    "query.unknown_key": ("unknown key {key} ignored (keys: {keys})", "未知的键 {key} 已忽略（可用的键：{keys}）"),
    "query.repeated_key": (
        "{key} is given more than once; {value} ignored, the first value is used",
        "{key} 出现了不止一次；已忽略 {value}，使用第一个值",
    ),
    "query.batch_range": (
        "{where}batch={value} is not a whole number from 0 (full batch) to {count}, "
        "the number of examples of '{surface}'; using full batches",
        "{where}batch={value} 不是 0（全批次）到 {count}（'{surface}' 的样本数）之间的整数；改用全批次",
    ),
    "query.batch_no_data": (
        "{where}batch={value}: surface '{surface}' has no examples to batch, only 0 (full batch) "
        "is valid (surfaces with data: {with_data}); using full batches",
        "{where}batch={value}：曲面 '{surface}' 没有可以分批的样本，只能取 0（全批次）"
        "（有样本的曲面：{with_data}）；改用全批次",
    ),
    "query.none": ("none", "无"),
    "query.no_value": ("{where}{key} has no value (write key=value); ignored", "{where}{key} 没有值（请写成 键=值）；已忽略"),
    "query.repeated_run_key": ("{where}{key} is given more than once; {value} ignored", "{where}{key} 出现了不止一次；已忽略 {value}"),
    "query.unknown_optimizer": (
        "{where}unknown optimizer {name}; this run uses gd and ignores its optimizer "
        "hyperparameters (choose from {choices})",
        "{where}未知的优化器 {name}；这个运行改用 gd，并忽略它的优化器超参数（可选：{choices}）",
    ),
    "query.bad_schedule": (
        "{where}schedule={value} is not a schedule; using constant and ignoring its parameters (choose from {choices})",
        "{where}schedule={value} 不是学习率调度；改用 constant 并忽略它的参数（可选：{choices}）",
    ),
    "query.run_failed": ("{where}{error}; using the default run", "{where}{error}；改用默认的运行"),
    "query.bad_shuffle": (
        "{where}shuffle={value} is not 0 or 1; using 1 (reshuffle each epoch)",
        "{where}shuffle={value} 不是 0 或 1；改用 1（每个回合重新打乱）",
    ),
    "query.label_long": (
        "{where}label={value} has more than {limit} characters; cut to {limit}",
        "{where}label={value} 超过 {limit} 个字符；截断为 {limit} 个",
    ),
    "query.unknown_run_key": (
        "{where}unknown key {key} ignored (keys of this run: {keys})",
        "{where}未知的键 {key} 已忽略（这个运行可用的键：{keys}）",
    ),
    "query.too_many_runs": (
        "run is given {count} times, at most {limit}; kept the first {limit}",
        "run 出现了 {count} 次，最多 {limit} 次；保留前 {limit} 个",
    ),
    "query.epochs_no_data": (
        "epochs={epochs}: surface '{surface}' has no examples; running by steps",
        "epochs={epochs}：曲面 '{surface}' 没有样本；改为按步数运行",
    ),
    "query.epochs_too_many": (
        "epochs={epochs} with run {index}'s batch size {size} is {updates} updates, more than {limit}; running by steps",
        "epochs={epochs} 配合运行 {index} 的批次大小 {size} 共 {updates} 次更新，超过 {limit}；改为按步数运行",
    ),
    "query.bad_lesson": (
        "lesson={value} is not a lesson; ignored (choose from {choices})",
        "lesson={value} 不是课程；已忽略（可选：{choices}）",
    ),
    "query.no_lessons": ("there are none yet", "目前还没有"),
    "query.bad_formula": ("formula={value}: {error:clause}; using '{surface}'", "formula={value}：{error:clause}；改用 '{surface}'"),
    "query.refused_formula": ("formula={value}: {error:clause}", "formula={value} 无法使用：{error:clause}"),
    "query.refused_surface": (
        "surface={value} is not a surface{more} (choose from {choices})",
        "surface={value} 不是曲面{more}（可选：{choices}）",
    ),
    "query.refused_lesson": ("lesson={value} is not a lesson (choose from {choices})", "lesson={value} 不是课程（可选：{choices}）"),
    "query.surface_ignored": (
        "surface={value} ignored: the link gives a formula",
        "已忽略 surface={value}：链接给出了公式",
    ),
    "query.bad_surface": (
        "surface={value} is not a surface{more}; using '{surface}' (choose from {choices})",
        "surface={value} 不是曲面{more}；改用 '{surface}'（可选：{choices}）",
    ),
    "query.formula_needs_text": ("; a formula needs formula=f(x, y) too", "；自定义公式还需要 formula=f(x, y)"),
    "query.scene_failed": ("{error}; using the default scene", "{error}；改用默认场景"),
    "query.view_failed": ("{error}; using the surface's view", "{error}；改用曲面的默认视图"),
    # ---------------------------------------------------------------- lab.typed: a typo in a box keeps the value on screen
    "typed.kept": ("{where}{name} {value} is not {expected}: kept {kept}", "{where}{name} {value} 不是{expected}：保留 {kept}"),
    # a control's name as its label says it in either language: each side shows its own (".0" cuts the other away)
    "typed.name": ("{en}{zh:.0}", "{zh}{en:.0}"),
    "typed.start_x": ("start x", "起点 x"),
    "typed.start_y": ("start y", "起点 y"),
    "typed.batch": ("batch size", "批次大小"),
    # ---------------------------------------------------------------- lab.scene: invalid settings
    "scene.whole": (
        "{what} must be a whole number from {low} to {high}, not {value}",
        "{what}必须是 {low} 到 {high} 之间的整数，而不是 {value}",
    ),
    "scene.finite": ("{what} must be a finite number, not {value}", "{what}必须是有限数，而不是 {value}"),
    "scene.numbers": ("{what} must be numbers, not {value}", "{what}必须是数，而不是 {value}"),
    "scene.no_param": (
        "{what} has no parameter {name} (choose from {choices})",
        "{what} 没有参数 {name}（可选：{choices}）",
    ),
    "scene.param_range": (
        "{what}: {name} must be a number from {low} to {high}, not {value}",
        "{what}: {name} 必须是 {low} 到 {high} 之间的数，而不是 {value}",
    ),
    "scene.param_of": ("{owner}: {name}", "{owner}: {name}"),
    "scene.schedule_named": ("schedule {name}", "学习率调度 {name}"),
    "scene.what_steps": ("steps", "步数"),
    "scene.what_seed": ("seed", "随机种子"),
    "scene.what_epochs": ("epochs", "回合数"),
    "scene.what_batch": ("batch size (0 = full batch)", "批次大小（0 = 全批次）"),
    "scene.what_lr": ("learning rate", "学习率"),
    "scene.what_view": ("a view", "视图"),
    "scene.what_start": ("the start point", "起点"),
    "scene.unknown_optimizer": ("unknown optimizer {value} (choose from {choices})", "未知的优化器 {value}（可选：{choices}）"),
    "scene.unknown_schedule": ("unknown schedule {value} (choose from {choices})", "未知的学习率调度 {value}（可选：{choices}）"),
    "scene.lr_range": (
        "learning rate must be from {low} to {high}, not {value}",
        "学习率必须在 {low} 到 {high} 之间，而不是 {value}",
    ),
    "scene.shuffle": ("shuffle is on or off (true/false), not {value}", "shuffle 只能是开或关（true/false），而不是 {value}"),
    "scene.label_text": ("a label is text, not {value}", "标签必须是文本，而不是 {value}"),
    "scene.label_unicode": (
        "a label must be valid Unicode text (it has a lone surrogate)",
        "标签必须是有效的文本（其中有落单的代理字符）",
    ),
    "scene.label_length": ("a label has at most {limit} characters", "标签最多 {limit} 个字符"),
    "scene.unknown_surface": (
        "unknown surface {value} (choose from {choices}, or {formula})",
        "未知的曲面 {value}（可选：{choices}，或 {formula}）",
    ),
    "scene.run_count": ("a scene has 1 to {limit} runs, not {count}", "一个场景有 1 到 {limit} 个运行，而不是 {count} 个"),
    "scene.run_records": ("runs must be Run records", "runs 必须是 Run 记录"),
    "scene.view_four": ("a view has four numbers: x_min, x_max, y_min, y_max", "视图由四个数组成：x_min, x_max, y_min, y_max"),
    "scene.view_order": (
        "a view needs finite x_min < x_max and y_min < y_max",
        "视图需要有限的 x_min < x_max 且 y_min < y_max",
    ),
    "scene.view_not_finite": (
        "the surface is not a finite number over {share} of the view {box}; zoom in or choose another view",
        "在视图 {box} 中有 {share} 的区域曲面值不是有限数；请放大或换一个视图",
    ),
    "scene.start_two": ("the start point has two coordinates, x and y", "起点有两个坐标 x 和 y"),
    "scene.start_finite": ("the start point must have finite coordinates", "起点的坐标必须是有限数"),
    "scene.batch_no_data": (
        "mini-batches need a data-defined surface; '{surface}' has no examples",
        "小批次需要由样本定义的曲面；'{surface}' 没有样本",
    ),
    "scene.batch_too_large": (
        "batch size {size} is too large: at most {count} on '{surface}' (its number of examples)",
        "批次大小 {size} 太大：在 '{surface}' 上最多为 {count}（它的样本数）",
    ),
    "scene.epochs_no_data": (
        "epochs need a data-defined surface; '{surface}' has no examples",
        "按回合运行需要由样本定义的曲面；'{surface}' 没有样本",
    ),
    "scene.too_many_updates": (
        "{epochs} epochs of batch size {size} are {updates} updates; the limit is {limit}",
        "{epochs} 个回合、批次大小 {size}，共 {updates} 次更新；上限是 {limit}",
    ),
    "scene.formula_text": ("a formula is text, not {value}", "公式必须是文本，而不是 {value}"),
    "scene.formula_surface": (
        "a formula goes with surface '{formula}', not {value}",
        "公式只能配合曲面 '{formula}'，而不是 {value}",
    ),
    "scene.formula_empty": ("type a formula f(x, y), e.g. x^2 + 10*y^2", "请输入公式 f(x, y)，例如 x^2 + 10*y^2"),
    "scene.formula_length": (
        "a formula has at most {limit} characters, not {count}",
        "公式最多 {limit} 个字符，而不是 {count} 个",
    ),
    # ---------------------------------------------------------------- lab.export: reading a JSON scene
    "json.not_number": ("{value} is not a number", "{value} 不是数"),
    "json.too_large": ("{value} is too large", "{value} 太大"),
    "json.not_text": ("{value} is not text", "{value} 不是文本"),
    "json.not_flag": ("{value} is not true or false", "{value} 不是 true 或 false"),
    "json.not_shape": ("{value} is not {what}", "{value} 不是 {what}"),
    "json.shape_start": ("[x, y] or null", "[x, y] 或 null"),
    "json.shape_view": ('{{"x_range": [a, b], "y_range": [c, d]}} or null', '{{"x_range": [a, b], "y_range": [c, d]}} 或 null'),
    "json.set_failed": ("{where}: {error}; keeping {kept}", "{where}：{error}；保留 {kept}"),
    "json.surface_default": ("the surface default", "曲面的默认值"),
    "json.unknown_key": ("{where}: unknown key {key} ignored (keys: {keys})", "{where}：未知的键 {key} 已忽略（可用的键：{keys}）"),
    "json.not_pairs": (
        "{where}: {value} is not an object of name: number; ignored",
        "{where}：{value} 不是“名称: 数”的对象；已忽略",
    ),
    "json.pair_failed": ("{where}.{name}: {error}; ignored", "{where}.{name}：{error}；已忽略"),
    "json.not_run": ("{where}: {value} is not a run (a JSON object); ignored", "{where}：{value} 不是运行（JSON 对象）；已忽略"),
    "json.batch_failed": ("{where}.batch_size: {error}; using the full batch", "{where}.batch_size：{error}；改用全批次"),
    "json.formula_failed": ("scene.formula: {error}; keeping {surface}", "scene.formula：{error}；保留 {surface}"),
    "json.refused_formula": ("scene.formula: {error:clause}", "scene.formula 无法使用：{error:clause}"),
    "json.not_scene": (
        "{value} is not a scene (a JSON object); using the default scene",
        "{value} 不是场景（JSON 对象）；改用默认场景",
    ),
    "json.runs_not_list": (
        "scene.runs: {value} is not a list of 1 to {limit} runs; using one gd run",
        "scene.runs：{value} 不是包含 1 到 {limit} 个运行的列表；改用一个 gd 运行",
    ),
    "json.too_many_runs": (
        "scene.runs: {count} runs, at most {limit}; kept the first {limit}",
        "scene.runs：{count} 个运行，最多 {limit} 个；保留前 {limit} 个",
    ),
    # ---------------------------------------------------------------- lab.simulate: how a run ended
    "run.diverged": ("diverged at step {step}", "在第 {step} 步发散"),
    "run.undefined": (
        "stopped at step {step}: σ = 0 gives 0/0 (every gradient so far was 0); set eps > 0",
        "在第 {step} 步停止：σ = 0 导致 0/0（到目前为止每个梯度都是 0）；请设 eps > 0",
    ),
    "run.outside": (
        "left the loss's domain at step {step}: f is not defined at {point}",
        "在第 {step} 步走出损失的定义域：f 在 {point} 没有定义",
    ),
    "run.no_gradient": (
        "stopped at step {step}: the gradient is not defined at {point}",
        "在第 {step} 步停止：梯度在 {point} 没有定义",
    ),
    "run.stopped": (
        "stopped at step {step:,}: the time budget ran out; try fewer steps or runs",
        "在第 {step:,} 步停止：计算时间已用完；请减少步数或运行数",
    ),
    # lab.stability: a run that neither settled nor diverged, its step too long for the curvature
    "run.bouncing": (
        "keeps bouncing: η = {lr} is above 2/k = {limit} (k = {k}, the steepest curvature where it ended), so every step overshoots",
        "一直来回跳：η = {lr} 大于 2/k = {limit}（k = {k} 是它结束处最陡的曲率），每一步都跨过了头",
    ),
    "run.bouncing_momentum": (
        "keeps bouncing: η = {lr} is above 2(1 + λ)/k = {limit} (k = {k}, the steepest curvature where it ended), so every step overshoots",
        "一直来回跳：η = {lr} 大于 2(1 + λ)/k = {limit}（k = {k} 是它结束处最陡的曲率），每一步都跨过了头",
    ),
    "run.start_not_finite": (
        "the loss is not a finite number at the start point",
        "起点处的损失不是有限数",
    ),
}
