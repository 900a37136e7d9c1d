"""click in Chinese: its own words (usage lines, help headings, the errors it raises) and help text laid out
for Chinese.

click marks its strings for gettext (``_("Usage:")``) but ships no catalogues, so a Chinese command line would
print English frames around Chinese text. ``install()`` points the ``_`` and ``ngettext`` of click's modules
at ``CATALOGUE``; a string it does not list (a new click release) stays English rather than breaking. The
placeholders (``{name!r}``) are click's and are kept.

click also measures text in characters and joins wrapped lines with a space: right for English, wrong for
Chinese (a Chinese character takes two columns; ``每份文件； 相符`` gains a space). ``install()`` gives click's
help formatter a width that counts display columns and a wrapper that joins Chinese lines without a space.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable

from textview.table import display_width, wrap

CATALOGUE: dict[str, str] = {
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Aborted!": "已中止。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Commands": "命令",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Error: {message}": "错误：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Options": "选项",
    "Positional arguments": "位置参数",
    "Show the version and exit.": "显示版本并退出。",
    "Show this message and exit.": "显示本帮助并退出。",
    "Try '{command} {option}' for help.": "用 '{command} {option}' 查看帮助。",
    "Usage:": "用法:",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "deprecated": "已弃用",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    # ngettext: (singular, plural) → one Chinese form
    "Got unexpected extra argument ({args})": "多出参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出参数（{args}）",
    "Did you mean {possibility}?": "你是否要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（你是否要用其中之一：{possibilities}？）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
}
_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")


def term_len(text: str) -> int:
    """Display columns of ``text`` (a Chinese character takes two), ANSI colours not counted."""
    return display_width(_ANSI.sub("", text))


def _joined(lines: list[str]) -> str:
    """Source lines of one paragraph as one line: a space between Latin words, none between Chinese ones."""
    out = ""
    for line in (line.strip() for line in lines):
        if out and line and (out[-1].isascii() or line[0].isascii()):
            out += " "
        out += line
    return out


def wrap_text(
    text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "", preserve_paragraphs: bool = False
) -> str:
    """click.formatting.wrap_text for Chinese: paragraphs (blank-line separated) joined as ``_joined`` does and
    wrapped by display width; a paragraph that starts with ``\\b`` is kept line by line, as click keeps it."""
    paragraphs = re.split(r"\n\s*\n", text.strip("\n")) if preserve_paragraphs else [text]
    out: list[str] = []
    for paragraph in paragraphs:
        lines = paragraph.splitlines()
        if lines and lines[0].strip() == "\b":
            out += [initial_indent + line if not out else subsequent_indent + line for line in lines[1:]]
        else:
            room = max(width - term_len(subsequent_indent), 20)
            for line in wrap(_joined(lines), room):
                out.append((initial_indent if not out else subsequent_indent) + line)
        out.append("")
    return "\n".join(out[:-1])


def install() -> None:
    """Make click speak Chinese (idempotent; click's own modules only)."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        replacements: dict[str, Callable[..., object]] = {"_": gettext, "ngettext": ngettext}
        if name == "formatting":
            replacements |= {"term_len": term_len, "wrap_text": wrap_text}
        for attribute, function in replacements.items():
            if hasattr(module, attribute):
                setattr(module, attribute, function)
