"""Units named in a notice's prose (seed 001 names its veto owners only in sentences)."""

from __future__ import annotations

from pydantic import BaseModel

from parsers.document import Document, Paragraph


class Mention(BaseModel):
    block: int  # index of the paragraph in the document's blocks
    unit: str  # canonical name, or as written when unresolved
    as_written: str
    resolved: bool
    context: str  # the sentence around the mention, for citing


def find_mentions(document: Document, region: str | None) -> list[Mention]:
    """Every registry unit the paragraphs mention, resolved in ``region``; one per unit and paragraph."""
    from normalize.nlp import find_unit_mentions  # loads jieba only once a paragraph holds a unit's name

    mentions: list[Mention] = []
    for index, block in enumerate(document.blocks):
        if not isinstance(block, Paragraph):
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
