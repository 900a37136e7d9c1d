"""Copies of one notice fold into one answer that cites every copy."""

from __future__ import annotations

from store.copies import merge_copies
from store.results import FrameworkRef, IndicatorAnswer, SourceRef


def answer(file: str, page: int | None, framework_id: int) -> IndicatorAnswer:
    return IndicatorAnswer(
        id=framework_id,
        indicator="营造林面积4万亩",
        points=2.0,
        kind="indicator",
        lead="县林业局",
        lead_as_written="县林业局",
        role="responsible",
        cooperating=[],
        inherited=False,
        category="生态文明",
        category_path=["生态文明"],
        framework=FrameworkRef(id=framework_id, title="分解", region="佳县", year=2020, assessee=None),
        source=SourceRef(file=file, page=page, table=0, row=38),
    )


def test_copies_fold_into_one_answer_citing_every_format() -> None:
    (merged,) = merge_copies([answer("/a/通知.docx", None, 1), answer("/a/通知.pdf", 4, 2)])
    (citation,) = merged.citations
    assert merged.framework_ids == [1, 2]
    assert citation.label == "通知.docx|pdf 表1行38（pdf 第4页）"
    assert citation.short_label == "通知.docx|pdf 表1行38"  # the page only when one file is cited


def test_a_single_pdf_is_cited_with_its_page() -> None:
    (merged,) = merge_copies([answer("/a/通知.pdf", 4, 1)])
    assert merged.citations[0].short_label == "通知.pdf 表1行38 第4页"


def test_different_notices_stay_apart() -> None:
    other = answer("/a/通知.docx", None, 2).model_copy(update={"points": 3.0})
    assert len(merge_copies([answer("/a/通知.docx", None, 1), other])) == 2
