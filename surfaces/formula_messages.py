"""The formula checker's sentences in English and simplified Chinese, and the one renderer of templates.

A sentence is a template id plus parameters, so it can be rendered in either
language long after the check that found the problem. Templates are
``str.format`` strings; a parameter that is itself a sentence (anything with
``key`` and ``params``) is rendered in the same language, so "at position 5"
and the names of refused constructs are translated with the sentence around
them. User text is passed already quoted and is never translated. This module
uses only the standard library, as surfaces/ must; lab/messages.py builds the
lab's own messages on the same renderer.
"""

from __future__ import annotations

from typing import NamedTuple

LANGS = ("en", "zh")


class Ref(NamedTuple):
    """A sentence not yet rendered: a template id and its parameters."""

    key: str
    params: dict

    def text(self, lang: str = "en") -> str:
        return render(TEMPLATES, self.key, self.params, lang)


def render(templates: dict, key: str, params: dict, lang: str = "en") -> str:
    """Template ``key`` in ``lang`` ("en" or "zh") with ``params``; nested sentences in the same language."""
    if lang not in LANGS:
        raise ValueError(f"a language is one of {', '.join(LANGS)}, not {lang!r}")
    template = templates[key][LANGS.index(lang)]
    values = {
        name: render(templates, v.key, v.params, lang) if hasattr(v, "key") and hasattr(v, "params") else v
        for name, v in params.items()
    }
    return template.format(**values)


_FUNCTIONS = "sin, cos, tan, exp, log, sqrt, abs, tanh, min, max"
_RULE_EN = "a formula uses numbers, x, y, pi, e, + - * / ^ and the functions " + _FUNCTIONS
_RULE_ZH = "公式只能用数字、x、y、pi、e、+ - * / ^ 和函数 " + _FUNCTIONS

# id: (English, 简体中文). The English text is exactly what the checker has always said.
TEMPLATES: dict[str, tuple[str, str]] = {
    "formula.at": (" at position {pos}", "（位置 {pos}）"),
    "formula.nowhere": ("", ""),
    "formula.not_text": ("A formula must be text, not {type}.", "公式必须是文本，而不是 {type}。"),
    "formula.too_long": (
        "The formula has {count} characters; at most {limit} are allowed.",
        "公式有 {count} 个字符，最多允许 {limit} 个。",
    ),
    "formula.bad_char": (
        "The character {char} at position {pos} is not allowed in a formula{hint}.",
        "位置 {pos} 的字符 {char} 不能出现在公式中{hint}。",
    ),
    "formula.hint_power": (" (write powers as x^2)", "（幂请写成 x^2）"),
    "formula.no_hint": ("", ""),
    "formula.empty": (
        "The formula is empty: type f(x, y), for example x^2 + 3*y^2.",
        "公式是空的：请输入 f(x, y)，例如 x^2 + 3*y^2。",
    ),
    "formula.paren_depth": (
        "Parentheses nest more than {limit} deep at position {pos}.",
        "位置 {pos} 处括号嵌套超过 {limit} 层。",
    ),
    "formula.unreadable": ("The formula cannot be read.", "无法读取这个公式。"),
    "formula.too_many_nodes": (
        "The formula has {count} numbers, names and operations; at most {limit} are allowed.",
        "公式有 {count} 个数字、名称和运算，最多允许 {limit} 个。",
    ),
    "formula.ends_early": (
        "The formula ends too early at position {pos}: something is missing.",
        "公式在位置 {pos} 提前结束：缺了一部分。",
    ),
    "formula.unclosed": ("The '(' at position {pos} is never closed.", "位置 {pos} 的 '(' 没有闭合。"),
    "formula.unmatched": ("The ')' at position {pos} has no matching '('.", "位置 {pos} 的 ')' 没有对应的 '('。"),
    "formula.number_then_name": (
        "A number runs into a name at position {pos}: write a product with '*', as in 2*x.",
        "位置 {pos} 处数字后紧跟名称：乘积请用 '*'，例如 2*x。",
    ),
    "formula.syntax": (
        "The formula cannot be read at position {pos}{near}: {detail}.",
        "无法读取公式，位置 {pos}{near}（解析器提示 '{detail}'）。",
    ),
    "formula.near": (" (near '{text}')", "（'{text}' 附近）"),
    "formula.too_deep": (
        "The formula nests more than {limit} operations deep{at}.",
        "公式的运算嵌套超过 {limit} 层{at}。",
    ),
    "formula.bad_unary": ("The operator {word}{at} is not allowed; {rule}.", "不允许使用运算符 {word}{at}；{rule}。"),
    "formula.attribute": (
        "Attribute access ('.{attr}'){at} cannot be used: {rule}.",
        "不能使用属性访问 ('.{attr}'){at}：{rule}。",
    ),
    "formula.rejected": ("{what}{at} cannot be used: {rule}.", "不能使用{what}{at}：{rule}。"),
    "formula.not_a_number": ("'{value}'{at} is not a number: {rule}.", "'{value}'{at} 不是数字：{rule}。"),
    "formula.complex": (
        "Complex numbers{at} are not allowed: a formula is real-valued.",
        "不允许复数{at}：公式的值是实数。",
    ),
    "formula.quoted_text": ("Text in quotes{at} is not allowed: {rule}.", "不允许引号中的文本{at}：{rule}。"),
    "formula.number_too_large": (
        "The number{at} is too large for a 64-bit float.",
        "数字{at}太大，超出 64 位浮点数的范围。",
    ),
    "formula.is_function": ("'{name}'{at} is a function: write {name}(...).", "'{name}'{at} 是函数：请写成 {name}(...)。"),
    "formula.unknown_name": (
        "Unknown name '{name}'{at}: use the variables x and y or the constants pi and e.",
        "未知的名称 '{name}'{at}：请用变量 x、y 或常数 pi、e。",
    ),
    "formula.bad_binary": ("{what}{at} is not allowed; {rule}.", "不允许使用{what}{at}；{rule}。"),
    "formula.exponent_limit": (
        "The exponent{at} is {value}; exponents are limited to +-{limit}.",
        "指数{at}是 {value}；指数限制在 +-{limit} 以内。",
    ),
    "formula.power_tower": (
        "A power with a variable exponent{at} sits inside another exponent (like x^(x^x)); "
        "towers of powers are not allowed.",
        "含变量指数的幂{at}位于另一个指数之中（如 x^(x^x)）；不允许幂塔。",
    ),
    "formula.call_of_call": (
        "The result of a function call{at} cannot be called again.",
        "函数调用的结果{at}不能再被调用。",
    ),
    "formula.not_function": (
        "'{name}'{at} is not a function: write a product with '*', as in {name}*(...).",
        "'{name}'{at} 不是函数：乘积请用 '*'，例如 {name}*(...)。",
    ),
    "formula.unknown_function": (
        "Unknown function '{name}'{at}: the functions are {functions}.",
        "未知的函数 '{name}'{at}：可用的函数有 {functions}。",
    ),
    "formula.keywords": (
        "Keyword arguments{at} are not allowed: write {name}(...) with plain arguments.",
        "不允许关键字参数{at}：请直接写 {name}(...) 的参数。",
    ),
    "formula.starred": ("Starred arguments ('*'){at} cannot be used: {rule}.", "不能使用星号参数 ('*'){at}：{rule}。"),
    "formula.arity": ("{name}(){at} takes {args}, not {count}.", "{name}(){at} 需要 {args}，而不是 {count} 个。"),
    "formula.one_argument": ("1 argument", "1 个参数"),
    "formula.n_arguments": ("{n} arguments", "{n} 个参数"),
    "formula.view_numbers": (
        "The view must be four numbers: x_min, x_max, y_min, y_max.",
        "视图必须是四个数：x_min, x_max, y_min, y_max。",
    ),
    "formula.view_order": (
        "The view must be finite with x_min < x_max and y_min < y_max.",
        "视图必须是有限数，且 x_min < x_max、y_min < y_max。",
    ),
    "formula.not_finite": (
        "f(x, y) = {formula} is not a finite number over {share} of the view ({box}); "
        "change the formula or the view.",
        "f(x, y) = {formula} 在视图的 {share} 上不是有限数（{box}）；请修改公式或视图。",
    ),
    "formula.box": ("x in [{x_min}, {x_max}], y in [{y_min}, {y_max}]", "x ∈ [{x_min}, {x_max}]，y ∈ [{y_min}, {y_max}]"),
    "formula.rule": (_RULE_EN, _RULE_ZH),
    # What each refused construct is, in words a teacher knows (capitalized in English: it starts a sentence).
    "formula.what.attribute": ("Attribute access ('.')", "属性访问 ('.')"),
    "formula.what.subscript": ("Subscripts ('[...]')", "下标 ('[...]')"),
    "formula.what.lambda": ("Lambda", "匿名函数 (lambda)"),
    "formula.what.comprehension": ("Comprehensions", "推导式"),
    "formula.what.fstring": ("F-strings", "格式化字符串"),
    "formula.what.assignment": ("Assignments (':=')", "赋值 (':=')"),
    "formula.what.starred": ("Starred arguments ('*')", "星号参数 ('*')"),
    "formula.what.comparison": ("Comparisons", "比较运算"),
    "formula.what.boolean": ("Boolean operators (and, or)", "逻辑运算符"),
    "formula.what.ifexp": ("If-expressions", "条件表达式"),
    "formula.what.tuple": ("Tuples (a comma outside a function call)", "元组（函数调用之外的逗号）"),
    "formula.what.list": ("Lists ('[...]')", "列表 ('[...]')"),
    "formula.what.set": ("Sets ('{{...}}')", "集合 ('{{...}}')"),
    "formula.what.dict": ("Dictionaries ('{{...}}')", "字典 ('{{...}}')"),
    "formula.what.await": ("Await", "等待表达式"),
    "formula.what.slice": ("Slices", "切片"),
    "formula.what.other": ("This kind of expression ({kind})", "这种表达式（{kind}）"),
    "formula.what.mod": ("The remainder operator '%'", "取余运算符 '%'"),
    "formula.what.floordiv": ("Floor division '//'", "整除运算符 '//'"),
    "formula.what.matmult": ("Matrix multiplication '@'", "矩阵乘法 '@'"),
    "formula.what.lshift": ("The shift operator '<<'", "移位运算符 '<<'"),
    "formula.what.rshift": ("The shift operator '>>'", "移位运算符 '>>'"),
    "formula.what.bitor": ("The bitwise operator '|'", "按位运算符 '|'"),
    "formula.what.bitand": ("The bitwise operator '&'", "按位运算符 '&'"),
}


def english(key: str, **params) -> str:
    """The English sentence, which is what ``str(FormulaError)`` has always been."""
    return render(TEMPLATES, key, params, "en")
