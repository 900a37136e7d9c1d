"""Search folding: the one form a query and the text it is looked for in both take before they are compared.

A clerk may type ``營造林面積`` (traditional characters, from a Hong Kong input method or a copied web page),
``４万亩`` (full-width digits) or ``营造林 面积`` (a space where the table wrapped); the notice says
``营造林面积4万亩``. Each step is a pure str -> str function, applied in the fixed order of ``FOLD_STEPS``:

1. ``half_width`` — Unicode NFKC: full-width Latin letters, digits and ``，：！？（）`` become ASCII, the
   ideographic space an ordinary one, Kangxi radicals and CJK compatibility ideographs (PDF text layers
   have them: ``⽣`` for ``生``) the ordinary ideograph; ``。、《》“”`` stay as they are.
2. ``simplified`` — traditional to simplified characters with OpenCC's ``t2s`` conversion (phrase-aware:
   ``乾隆`` stays, ``乾燥`` becomes ``干燥``). Simplified text passes through unchanged.
3. ``without_spaces`` — every whitespace character dropped: Chinese is written without spaces.
4. ``lower_case`` — Latin letters case-folded (``GDP`` finds ``gdp``).

The folded form is for matching only; what a person reads is always the text as the notice wrote it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache

import opencc


@cache
def _t2s() -> opencc.OpenCC:
    """One converter, built on first use (loading its dictionaries takes a few milliseconds)."""
    return opencc.OpenCC("t2s")


def half_width(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def simplified(text: str) -> str:
    return _t2s().convert(text) if text else text


def without_spaces(text: str) -> str:
    return "".join(text.split())


def lower_case(text: str) -> str:
    return text.casefold()


FOLD_STEPS: tuple[Callable[[str], str], ...] = (half_width, simplified, without_spaces, lower_case)


def fold(text: str) -> str:
    """``text`` in its search form: half-width, simplified, without spaces, lower case."""
    for step in FOLD_STEPS:
        text = step(text)
    return text
