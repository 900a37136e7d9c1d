"""Text clean-up shared by every backend: pure str -> str functions.

Chinese text is written without spaces, so a line wrapped inside a cell or a
paragraph is joined with no space, except between two Latin words or numbers
(``PM2.5 浓度`` stays, ``经济\\n发展`` becomes ``经济发展``).
"""

from __future__ import annotations

import regex

# Han ideographs plus CJK and full-width punctuation: no space belongs beside them.
_CJK = r"\p{Han}\u3000-\u303f\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
_SPACE_BETWEEN_CJK = regex.compile(rf"(?<=[{_CJK}])[ \t\u3000\u00a0]+(?=[{_CJK}])")
_LATIN_END = regex.compile(r"[A-Za-z0-9%.)]$")
_LATIN_START = regex.compile(r"^[A-Za-z0-9(]")


def join_wrapped(lines: list[str]) -> str:
    """Join the visual lines of one paragraph the Chinese way."""
    out = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if out and _LATIN_END.search(out) and _LATIN_START.match(line):
            out += " "
        out += line
    return out


def join_paragraphs(paragraphs: list[list[str]]) -> str:
    """Cell text: wrapped lines joined, separate paragraphs kept apart by ``\\n``."""
    joined = (join_wrapped(lines) for lines in paragraphs)
    return "\n".join(p for p in joined if p)


def squeeze_cjk_spaces(text: str) -> str:
    """Drop spaces that sit between two CJK characters (PDF and Word artefacts)."""
    return _SPACE_BETWEEN_CJK.sub("", text)


_DASH = r"[—\-－–―~～]"
_PAGE_NUMBER = regex.compile(
    rf"^\s*(?:{_DASH}+\s*\d{{1,4}}\s*{_DASH}+|第\s*\d{{1,4}}\s*页(?:\s*[,，/]?\s*共\s*\d{{1,4}}\s*页)?)\s*$"
)
_BARE_PAGE_NUMBER = regex.compile(rf"^\s*(?:{_DASH}*\s*\d{{1,4}}\s*{_DASH}*|\d{{1,4}}\s*/\s*\d{{1,4}})\s*$")


def is_page_number(text: str, *, bare: bool = False) -> bool:
    """A page-number line: ``— 3 —``, ``-3-``, ``第3页 共10页``; with ``bare`` also ``3`` and ``3/10``.

    Bare numbers are page numbers only where position says so (a PDF page's top or bottom line).
    """
    return bool(_PAGE_NUMBER.match(text) or (bare and _BARE_PAGE_NUMBER.match(text)))
