"""User-facing messages that know their template, so they can be shown in English or Chinese.

A ``Message`` is a ``str`` whose value is the English text, so every caller that
joins, compares or prints messages keeps working; it also carries its template
id and parameters, and ``.text("zh")`` renders it in simplified Chinese. The
templates of the lab live in lab/messages_catalog.py, the formula checker's in
surfaces/formula_messages.py; both are (English, Chinese) pairs of
``str.format`` strings. Parameters are user values already quoted with
``scene.shown``, key and registry names and numbers, which are never
translated, or other messages, which are rendered in the same language. A
nested sentence used as a clause is written ``{error:clause}``: its final full
stop is dropped in either language.
"""

from __future__ import annotations

from string import Formatter

from surfaces.formula_messages import LANGS, TEMPLATES as FORMULA_TEMPLATES, render as _render
from lab.messages_catalog import TEMPLATES as LAB_TEMPLATES

CATALOGUE: dict[str, tuple[str, str]] = {**LAB_TEMPLATES, **FORMULA_TEMPLATES}


class _Sentence(str):
    """A rendered nested message: ``{x:clause}`` formats it without its final full stop."""

    def __format__(self, spec: str) -> str:
        if spec == "clause":
            return str(self).rstrip(".。")
        return format(str(self), spec)


def render(key: str, params: dict, lang: str = "en", /) -> str:
    """Template ``key`` of the catalogue in ``lang`` with ``params`` (nested messages rendered alike)."""
    if lang not in LANGS:
        raise ValueError(f"a language is one of {', '.join(LANGS)}, not {lang!r}")
    values = {
        name: _Sentence(render(v.key, v.params, lang)) if hasattr(v, "key") and hasattr(v, "params") else v
        for name, v in params.items()
    }
    template = CATALOGUE[key][LANGS.index(lang)]
    return _spaced(template, values) if lang == "zh" else template.format(**values)


def _ideograph(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def _latin(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c in "'\"")


def _spaced(template: str, values: dict) -> str:
    """A Chinese template filled in, one space between Chinese and Latin text where a value meets the
    template's words (不是 1e-12 到, not 不是1e-12 到) and none between Chinese and Chinese (改用默认值,
    not 改用 默认值): the values decide which, so the templates cannot. Inside a value nothing changes."""
    out = ""
    for literal, field, spec, conversion in Formatter().parse(template):
        if out and literal:  # the value just written meets this literal
            if _latin(out[-1]) and _ideograph(literal[0]):
                literal = " " + literal
            elif _ideograph(out[-1]) and literal[0] == " " and len(literal) > 1 and _ideograph(literal[1]):
                literal = literal[1:]
        out += literal
        if field is None:
            continue
        value = Formatter().convert_field(values[field], conversion) if conversion else values[field]
        text = format(value, spec or "")
        if text and out:
            if _ideograph(out[-1]) and _latin(text[0]):
                out += " "
            elif out[-1] == " " and len(out) > 1 and _ideograph(out[-2]) and _ideograph(text[0]):
                out = out[:-1]
        out += text
    return out


class Message(str):
    """English text (the str value) plus the template id and parameters that make it, for ``.text(lang)``."""

    def __new__(cls, key: str, /, **params):
        self = super().__new__(cls, render(key, params, "en"))
        self.key = key
        self.params = params
        return self

    def text(self, lang: str = "en") -> str:
        """This message in "en" (the same as ``str(self)``) or "zh"."""
        return render(self.key, self.params, lang)

    def __reduce__(self):  # pickle and copy rebuild it from its template, not from the text
        return _rebuild, (self.key, self.params)


def _rebuild(key: str, params: dict) -> Message:
    return Message(key, **params)


EMPTY = Message("empty")


def message_of(error: BaseException) -> Message:
    """The Message an exception carries: its own, a formula error's template, or its text as it is."""
    arg = error.args[0] if error.args else ""
    if isinstance(arg, Message):
        return arg
    ref = getattr(error, "ref", None)
    if ref is not None:
        return Message(ref.key, **ref.params)
    return Message("verbatim", text=str(error))


def in_language(text, lang: str = "en") -> str:
    """Any message-like value in ``lang``: a Message, an exception, or plain text (returned as it is)."""
    if isinstance(text, BaseException):
        text = message_of(text)
    return text.text(lang) if isinstance(text, Message) else str(text)
