"""Units named in a notice's prose (seed 001 names its veto owners only in sentences)."""

from __future__ import annotations

import functools

from pydantic import BaseModel

from parsers.document import Document, Paragraph


class Mention(BaseModel):
    block: int  # index of the paragraph in the document's blocks
    unit: str  # canonical name, or as written when unresolved
    as_written: str
    resolved: bool
    context: str  # the sentence around the mention, for citing


@functools.cache
def _unit_endings() -> frozenset[str]:
    """The last two characters of every unit name (the last one for a one-character name)."""
    from normalize.nlp import unit_vocabulary

    return frozenset(word[-2:] for word in unit_vocabulary() if word)


def _may_name_a_unit(text: str, endings: frozenset[str]) -> bool:
    """A paragraph can only mention a unit if it holds the ending of one: most paragraphs never reach spaCy."""
    return any(text[i : i + 2] in endings or text[i] in endings for i in range(len(text)))


def find_mentions(document: Document, region: str | None) -> list[Mention]:
    """Every registry unit the paragraphs mention, resolved in ``region``; one per unit and paragraph."""
    from normalize.nlp import find_unit_mentions  # builds spaCy + jieba once per process

    endings = _unit_endings()
    mentions: list[Mention] = []
    for index, block in enumerate(document.blocks):
        if not isinstance(block, Paragraph) or not _may_name_a_unit(block.text, endings):
            continue
        seen: set[str] = set()
        for span in find_unit_mentions(block.text, region):
            unit = span.resolution.canonical
            if unit in seen:
                continue
            seen.add(unit)
            start, end = max(0, span.start - 20), span.end + 20
            mentions.append(
                Mention(
                    block=index,
                    unit=unit,
                    as_written=span.text,
                    resolved=span.resolution.resolved,
                    context=block.text[start:end],
                )
            )
    return mentions
